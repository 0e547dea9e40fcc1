//! The canonicalization itself: splitting an input into its parts and
//! writing each part in canonical form into one string.

use std::borrow::Cow;

use super::{CanonicalUrl, MAX_INPUT_LEN, UrlError, fast, host, quote};

/// The schemes that are canonicalized (the WHATWG "special" schemes that
/// have hosts, less `file`).
const SCHEMES: [&str; 5] = ["http", "https", "ftp", "ws", "wss"];

/// Byte classes, one bit each, looked up in [`CLASS`].
pub(super) mod class {
    /// Tab, LF, CR: removed everywhere.
    pub(crate) const TAB_NL: u8 = 1;
    /// `%`: the component needs unescaping.
    pub(crate) const PERCENT: u8 = 2;
    /// `\`: a slash in the path.
    pub(crate) const BACKSLASH: u8 = 4;
    /// `#`: the fragment starts.
    pub(crate) const HASH: u8 = 8;
    /// Escaped everywhere (Safe Browsing): `<= 0x20`, `>= 0x7F`, `#`, `%`.
    pub(crate) const ESC: u8 = 16;
    /// Escaped in a path: [`ESC`] and `\`.
    pub(crate) const ESC_PATH: u8 = 32;
    /// Escaped in a host: [`ESC`] and `/ \ ? @ : [ ]`.
    pub(crate) const ESC_HOST: u8 = 64;
    /// Written as is in a canonical host: `a-z 0-9 - _ .`.
    pub(crate) const HOST_PLAIN: u8 = 128;
}

/// The class bits of every byte.
#[expect(
    clippy::indexing_slicing,
    reason = "evaluated at compile time with i < 256: an out-of-bounds index fails the build"
)]
static CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        let mut c = 0;
        if b == b'\t' || b == b'\n' || b == b'\r' {
            c |= class::TAB_NL;
        }
        if b == b'%' {
            c |= class::PERCENT;
        }
        if b == b'\\' {
            c |= class::BACKSLASH | class::ESC_PATH | class::ESC_HOST;
        }
        if b == b'#' {
            c |= class::HASH;
        }
        if b <= 0x20 || b >= 0x7F || b == b'#' || b == b'%' {
            c |= class::ESC | class::ESC_PATH | class::ESC_HOST;
        }
        if b == b'/' || b == b'?' || b == b'@' || b == b':' || b == b'[' || b == b']' {
            c |= class::ESC_HOST;
        }
        if b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_' || b == b'.' {
            c |= class::HOST_PLAIN;
        }
        table[i] = c;
        i += 1;
    }
    table
};

/// The class bits of `b`.
#[inline]
pub(super) fn class_of(b: u8) -> u8 {
    CLASS.get(usize::from(b)).copied().unwrap_or(0)
}

/// Canonicalizes `input`; see the module documentation.
///
/// Inputs already in (nearly) canonical form, most of real traffic, take
/// the one-pass fast path; everything else the general path, which gives
/// the same result for those inputs too.
pub(super) fn parse(input: &str) -> Result<CanonicalUrl, UrlError> {
    match fast::parse_canonical_shape(input) {
        Some(url) => Ok(url),
        None => parse_general(input),
    }
}

/// Canonicalizes `input` step by step, whatever its shape.
pub(super) fn parse_general(input: &str) -> Result<CanonicalUrl, UrlError> {
    if input.len() > MAX_INPUT_LEN {
        return Err(UrlError::TooLong {
            len: input.len(),
            max: MAX_INPUT_LEN,
        });
    }
    let trimmed = trim_c0_space(input.as_bytes());
    // One pass up to the fragment (a `#` ends the URL in every state),
    // collecting which slow paths the URL needs.
    let mut seen = 0u8;
    let mut end = trimmed.len();
    for (i, &b) in trimmed.iter().enumerate() {
        let c = class_of(b);
        if c & class::HASH != 0 {
            end = i;
            break;
        }
        seen |= c;
    }
    let before_fragment = trimmed.get(..end).unwrap_or_default();
    let url: Cow<'_, [u8]> = if seen & class::TAB_NL != 0 {
        Cow::Owned(
            before_fragment
                .iter()
                .copied()
                .filter(|&b| class_of(b) & class::TAB_NL == 0)
                .collect(),
        )
    } else {
        Cow::Borrowed(before_fragment)
    };
    if url.is_empty() {
        return Err(UrlError::Empty);
    }
    let has_percent = seen & class::PERCENT != 0;
    let has_backslash = seen & class::BACKSLASH != 0;

    let (scheme, rest) = split_scheme(&url)?;
    // Special schemes ignore any number of slashes and backslashes here.
    let after_slashes = rest
        .iter()
        .position(|&b| b != b'/' && b != b'\\')
        .unwrap_or(rest.len());
    let rest = rest.get(after_slashes..).unwrap_or_default();
    let authority_end = rest
        .iter()
        .position(|&b| matches!(b, b'/' | b'\\' | b'?'))
        .unwrap_or(rest.len());
    let authority = rest.get(..authority_end).unwrap_or_default();
    let after_authority = rest.get(authority_end..).unwrap_or_default();
    let (raw_path, raw_query) = match after_authority.iter().position(|&b| b == b'?') {
        Some(q) => (
            after_authority.get(..q).unwrap_or_default(),
            Some(after_authority.get(q + 1..).unwrap_or_default()),
        ),
        None => (after_authority, None),
    };

    let raw_host = split_host(authority)?;

    let mut out: Vec<u8> = Vec::with_capacity(url.len() + 8);
    out.extend_from_slice(scheme.as_bytes());
    out.extend_from_slice(b"://");
    let host_start = out.len();
    let is_ip = host::write_host(raw_host, &mut out)?;
    let host_end = out.len();
    let (path_end, has_query) =
        write_path_and_query(raw_path, raw_query, has_percent, has_backslash, &mut out);
    // INVARIANT: every byte written above is ASCII (non-ASCII bytes are
    // escaped), so this conversion always succeeds.
    let serialization = match String::from_utf8(out) {
        Ok(s) => s,
        Err(err) => String::from_utf8_lossy(err.as_bytes()).into_owned(),
    };
    Ok(CanonicalUrl {
        serialization,
        host_start,
        host_end,
        path_end,
        has_query,
        is_ip,
    })
}

/// Trims leading and trailing C0 controls and spaces (bytes `<= 0x20`).
fn trim_c0_space(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|&b| b > 0x20).unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|&b| b > 0x20)
        .map_or(start, |i| i + 1);
    bytes.get(start..end).unwrap_or_default()
}

/// Splits off the scheme: `(scheme, rest after the colon)`. An input
/// without a scheme is `http`; `host:port` is not mistaken for a scheme,
/// and a scheme is not mistaken for `host:port` (see [`is_host_and_port`]).
fn split_scheme(url: &[u8]) -> Result<(&'static str, &[u8]), UrlError> {
    let Some(colon) = url.iter().position(|&b| b == b':') else {
        return Ok(("http", url));
    };
    let candidate = url.get(..colon).unwrap_or_default();
    let rest = url.get(colon + 1..).unwrap_or_default();
    let is_scheme_syntax = candidate.first().is_some_and(u8::is_ascii_alphabetic)
        && candidate
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
    if !is_scheme_syntax {
        return Ok(("http", url));
    }
    for scheme in SCHEMES {
        if candidate.eq_ignore_ascii_case(scheme.as_bytes()) {
            return Ok((scheme, rest));
        }
    }
    if is_host_and_port(candidate, rest) {
        return Ok(("http", url));
    }
    Err(UrlError::UnsupportedScheme {
        scheme: quote(candidate).to_ascii_lowercase(),
    })
}

/// Whether `name:rest` (no scheme of ours before the `:`) is a host and a
/// port written without a scheme (`example.com:8080`, `localhost:80/x`,
/// `example.com:`) rather than a URL of another scheme (`javascript:1`,
/// `about:blank`, `tel:123`, `blob:https://…`, `intranet:8080`).
///
/// The rule: the name is a host name (it has a `.`, or it is `localhost`)
/// and the rest is a port, one or more decimal digits up to the end, `/`,
/// `\` or `?` (or nothing at all: `example.com:`). A name without a dot is a scheme whatever follows it,
/// so a non-web URL never becomes a made-up `http://` host; a single-label
/// host with a port is written with its scheme (`http://intranet:8080/`).
fn is_host_and_port(name: &[u8], rest: &[u8]) -> bool {
    let is_host_name = name.contains(&b'.') || name.eq_ignore_ascii_case(b"localhost");
    let port_end = rest
        .iter()
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(rest.len());
    let after_port = rest.get(port_end..).unwrap_or_default();
    let is_port = rest.is_empty()
        || (port_end > 0 && matches!(after_port.first(), None | Some(b'/' | b'\\' | b'?')));
    is_host_name && is_port
}

/// The host part of an authority: userinfo (to the last `@`) and port
/// removed; the port is checked.
fn split_host(authority: &[u8]) -> Result<&[u8], UrlError> {
    let host_port = match authority.iter().rposition(|&b| b == b'@') {
        Some(at) => authority.get(at + 1..).unwrap_or_default(),
        None => authority,
    };
    let (host, port) = if host_port.first() == Some(&b'[') {
        match host_port.iter().position(|&b| b == b']') {
            Some(close) => {
                let host = host_port.get(..=close).unwrap_or_default();
                let after = host_port.get(close + 1..).unwrap_or_default();
                match after.split_first() {
                    None => (host, None),
                    Some((b':', port)) => (host, Some(port)),
                    Some(_) => {
                        return Err(UrlError::InvalidHost {
                            host: quote(host_port),
                            reason: "text after the `]` of an IPv6 address; only `:port` may follow it",
                        });
                    }
                }
            }
            None => {
                return Err(UrlError::InvalidHost {
                    host: quote(host_port),
                    reason: "an IPv6 address is missing its closing `]`",
                });
            }
        }
    } else {
        match host_port.iter().rposition(|&b| b == b':') {
            Some(colon) => (
                host_port.get(..colon).unwrap_or_default(),
                Some(host_port.get(colon + 1..).unwrap_or_default()),
            ),
            None => (host_port, None),
        }
    };
    if let Some(port) = port {
        check_port(port)?;
    }
    Ok(host)
}

/// A port is empty or decimal digits with a value up to 65535.
fn check_port(port: &[u8]) -> Result<(), UrlError> {
    let mut value: u32 = 0;
    for &b in port {
        let digit = if b.is_ascii_digit() {
            u32::from(b - b'0')
        } else {
            return Err(UrlError::InvalidPort { port: quote(port) });
        };
        value = value.saturating_mul(10).saturating_add(digit);
    }
    if value > 65535 {
        return Err(UrlError::InvalidPort { port: quote(port) });
    }
    Ok(())
}

/// Writes the canonical path and query; returns where the path ends and
/// whether there is a query. `has_percent` and `has_backslash` say whether
/// the URL holds any `%` or `\\` at all (when not, those steps are skipped).
///
/// The path steps, in order (see the module documentation, "Paths"):
/// 1. raw `\` is `/`;
/// 2. when the path holds escapes, the dot segments the browser sees are
///    removed first (a segment that unescapes to `.` or `..`, between raw
///    `/`s), so that an escaped `/` or `?` cannot hide a `..` from the
///    page the browser requests;
/// 3. percent-unescaped repeatedly; a `?` that only appears now starts the
///    query;
/// 4. the dot segments that unescaping made are removed (RFC 3986
///    remove_dot_segments, empty segments kept), and only then runs of `/`
///    collapsed.
fn write_path_and_query(
    raw_path: &[u8],
    raw_query: Option<&[u8]>,
    has_percent: bool,
    has_backslash: bool,
    out: &mut Vec<u8>,
) -> (usize, bool) {
    // Raw backslashes are slashes (browsers); escaped ones (`%5C`) are not.
    let slashed: Cow<'_, [u8]> = if has_backslash && raw_path.contains(&b'\\') {
        Cow::Owned(
            raw_path
                .iter()
                .map(|&b| if b == b'\\' { b'/' } else { b })
                .collect(),
        )
    } else {
        Cow::Borrowed(raw_path)
    };
    let path = if has_percent {
        unescape(remove_browser_dot_segments(slashed))
    } else {
        slashed
    };
    // A `?` that appears only after unescaping starts the query, as it will
    // when the canonical string is parsed again.
    let (path, unescaped_query) = match has_percent
        .then(|| path.iter().position(|&b| b == b'?'))
        .flatten()
    {
        Some(q) => (
            path.get(..q).unwrap_or_default(),
            Some(path.get(q + 1..).unwrap_or_default()),
        ),
        None => (path.as_ref(), None),
    };
    write_path(path, out);
    let path_end = out.len();
    let has_query = unescaped_query.is_some() || raw_query.is_some();
    if has_query {
        out.push(b'?');
    }
    if let Some(q) = unescaped_query {
        escape_into(q, out, class::ESC);
        if raw_query.is_some() {
            out.push(b'?');
        }
    }
    if let Some(q) = raw_query {
        if has_percent {
            escape_into(&unescape(Cow::Borrowed(q)), out, class::ESC);
        } else {
            escape_into(q, out, class::ESC);
        }
    }
    (path_end, has_query)
}

/// What a path segment is to dot-segment removal.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Segment {
    /// `.`: removed.
    Current,
    /// `..`: removed with the segment before it.
    Parent,
    /// Anything else, the empty segment of `//` included: kept.
    Regular,
}

/// What `segment` (unescaped bytes) is.
fn segment_kind(segment: &[u8]) -> Segment {
    match segment {
        b"." => Segment::Current,
        b".." => Segment::Parent,
        _ => Segment::Regular,
    }
}

/// What a raw (still escaped) `segment` is as a browser reads it (the
/// WHATWG URL Standard's "single-dot" and "double-dot" segments): `.` or
/// `%2e`, and `..`, `.%2e`, `%2e.` or `%2e%2e`, in any case. An escape
/// escaped again (`%252e`) is not a dot to a browser, which requests it as
/// it is; step 4 resolves it after unescaping.
fn raw_segment_kind(segment: &[u8]) -> Segment {
    let is_dot = |s: &[u8]| s == b"." || s.eq_ignore_ascii_case(b"%2e");
    match segment.len() {
        1 | 3 if is_dot(segment) => Segment::Current,
        2..=6 => {
            let split = if segment.first() == Some(&b'.') { 1 } else { 3 };
            match segment.split_at_checked(split) {
                Some((a, b)) if is_dot(a) && is_dot(b) => Segment::Parent,
                _ => Segment::Regular,
            }
        }
        _ => Segment::Regular,
    }
}

/// Step 2 of [`write_path_and_query`]: the raw path with the dot segments
/// a browser resolves (between raw `/`s) removed; borrowed unchanged when
/// it has none.
fn remove_browser_dot_segments(path: Cow<'_, [u8]>) -> Cow<'_, [u8]> {
    let has_dots = path
        .split(|&b| b == b'/')
        .any(|segment| raw_segment_kind(segment) != Segment::Regular);
    if !has_dots {
        return path;
    }
    let mut out = Vec::with_capacity(path.len());
    remove_dot_segments(&path, &mut out, raw_segment_kind, |segment, out| {
        out.extend_from_slice(segment);
    });
    Cow::Owned(out)
}

/// Appends `path` to `out` with its dot segments removed as RFC 3986
/// (section 5.2.4, `remove_dot_segments`) and the WHATWG URL Standard do:
/// empty segments are segments (`/a//..` is `/a/`), a `..` at the root
/// stays at the root, and a final `.` or `..` leaves a trailing `/`.
/// `kind` says what a segment is and `write` appends a kept one. The result
/// starts with `/` unless `path` is empty and has no segments to write.
fn remove_dot_segments(
    path: &[u8],
    out: &mut Vec<u8>,
    kind: impl Fn(&[u8]) -> Segment,
    write: impl Fn(&[u8], &mut Vec<u8>),
) {
    let start = out.len();
    // INVARIANT: out[start..] is zero or more `/segment`.
    let mut segments = path.split(|&b| b == b'/').peekable();
    if path.first() == Some(&b'/') {
        // The empty piece before the leading slash.
        segments.next();
    }
    while let Some(segment) = segments.next() {
        let last = segments.peek().is_none();
        match kind(segment) {
            Segment::Current => {}
            Segment::Parent => {
                // Remove the last `/segment`, if any.
                let written = out.get(start..).unwrap_or_default();
                if let Some(slash) = written.iter().rposition(|&b| b == b'/') {
                    out.truncate(start + slash);
                }
            }
            Segment::Regular => {
                out.push(b'/');
                write(segment, out);
                continue;
            }
        }
        if last {
            // `/a/.` and `/a/b/..` are the directory `/a/`.
            out.push(b'/');
        }
    }
}

/// Replaces every run of `/` in `out[start..]` with one `/`.
fn collapse_slashes(out: &mut Vec<u8>, start: usize) {
    let mut write = start;
    for read in start..out.len() {
        let b = out.get(read).copied().unwrap_or_default();
        if b == b'/' && write > start && out.get(write - 1) == Some(&b'/') {
            continue;
        }
        if let Some(slot) = out.get_mut(write) {
            *slot = b;
        }
        write += 1;
    }
    out.truncate(write);
}

/// Writes a path (unescaped bytes, normally starting with `/`): dot
/// segments removed (empty segments kept, as RFC 3986 and browsers do),
/// then runs of `/` collapsed, bytes escaped; an empty path is `/`.
///
/// The order is the Safe Browsing specification's ("resolve `/./` and
/// `/../`", then "replace runs of consecutive slashes"): collapsing first
/// would let `/gallery/x93//../a.jpg`, which a browser requests as
/// `/gallery/x93/a.jpg`, be looked up as `/gallery/a.jpg`.
fn write_path(path: &[u8], out: &mut Vec<u8>) {
    if is_canonical_path(path) {
        out.extend_from_slice(path);
        return;
    }
    let start = out.len();
    remove_dot_segments(path, out, segment_kind, |segment, out| {
        escape_into(segment, out, class::ESC_PATH);
    });
    collapse_slashes(out, start);
    if out.len() == start {
        out.push(b'/');
    }
}

/// Whether `path` is already canonical: it starts with `/`, has nothing to
/// escape, and no `//` or `/.` (a cheap over-approximation of empty and dot
/// segments).
fn is_canonical_path(path: &[u8]) -> bool {
    if path.first() != Some(&b'/') {
        return false;
    }
    let mut previous = 0u8;
    for &b in path {
        if class_of(b) & class::ESC_PATH != 0 || (previous == b'/' && (b == b'/' || b == b'.')) {
            return false;
        }
        previous = b;
    }
    true
}

/// Percent-unescapes `bytes` until no `%XX` escape is left. Returns the
/// input unchanged (borrowed) when it holds no `%`.
///
/// One pass with backtracking gives the same result as repeating whole
/// passes until nothing changes (escapes never overlap, so the rewriting
/// is confluent), in linear time.
pub(super) fn unescape(bytes: Cow<'_, [u8]>) -> Cow<'_, [u8]> {
    let Some(first) = bytes.iter().position(|&b| b == b'%') else {
        return bytes;
    };
    let mut out: Vec<u8> = Vec::with_capacity(bytes.len());
    out.extend_from_slice(bytes.get(..first).unwrap_or_default());
    let mut rest = bytes.get(first..).unwrap_or_default();
    while let Some((&b, tail)) = rest.split_first() {
        if let [b'%', hi, lo, after @ ..] = rest
            && let (Some(hi), Some(lo)) = (hex_value(*hi), hex_value(*lo))
        {
            // Pushing `%`, `hi` and `lo` one by one reduces nothing before
            // the third push, which reduces exactly this escape: decode it
            // at once, then reduce what the decoded byte completes.
            push_reducing(hi << 4 | lo, &mut out);
            rest = after;
        } else if b != b'%' && !ends_in_partial_escape(&out) {
            // A run without `%` after an `out` that ends in no partial
            // escape cannot form an escape: copy it at once.
            let run = rest.iter().position(|&b| b == b'%').unwrap_or(rest.len());
            let (run, tail) = rest.split_at(run);
            out.extend_from_slice(run);
            rest = tail;
        } else {
            push_reducing(b, &mut out);
            rest = tail;
        }
    }
    Cow::Owned(out)
}

/// Whether `out` ends in `%` or `%` and a hex digit.
fn ends_in_partial_escape(out: &[u8]) -> bool {
    match out {
        [.., b'%'] => true,
        [.., b'%', h] => h.is_ascii_hexdigit(),
        _ => false,
    }
}

/// Pushes `b` and decodes every `%XX` that now ends `out`.
#[inline]
fn push_reducing(b: u8, out: &mut Vec<u8>) {
    out.push(b);
    while let [.., b'%', hi, lo] = *out.as_slice() {
        let (Some(hi), Some(lo)) = (hex_value(hi), hex_value(lo)) else {
            break;
        };
        out.truncate(out.len() - 3);
        out.push(hi << 4 | lo);
    }
}

/// The value of a hex digit.
pub(super) fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Appends `bytes` to `out`, writing the bytes of class `escaped` (every
/// escape class includes all non-ASCII bytes) as `%XX` with upper-case hex.
pub(super) fn escape_into(bytes: &[u8], out: &mut Vec<u8>, escaped: u8) {
    let mut rest = bytes;
    while !rest.is_empty() {
        let run = rest
            .iter()
            .position(|&b| class_of(b) & escaped != 0)
            .unwrap_or(rest.len());
        let (plain, tail) = rest.split_at(run);
        out.extend_from_slice(plain);
        let Some((&b, tail)) = tail.split_first() else {
            break;
        };
        push_escaped(b, out);
        rest = tail;
    }
}

/// Appends `%XX` for `b`, upper-case hex.
pub(super) fn push_escaped(b: u8, out: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let hi = HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0');
    let lo = HEX.get(usize::from(b & 0xF)).copied().unwrap_or(b'0');
    out.extend_from_slice(&[b'%', hi, lo]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The specification's algorithm: whole passes until nothing changes.
    fn unescape_by_passes(mut bytes: Vec<u8>) -> Vec<u8> {
        loop {
            let mut out = Vec::with_capacity(bytes.len());
            let mut i = 0;
            while i < bytes.len() {
                if bytes[i] == b'%'
                    && i + 2 < bytes.len()
                    && hex_value(bytes[i + 1]).is_some()
                    && hex_value(bytes[i + 2]).is_some()
                {
                    out.push(
                        hex_value(bytes[i + 1]).unwrap() << 4 | hex_value(bytes[i + 2]).unwrap(),
                    );
                    i += 3;
                } else {
                    out.push(bytes[i]);
                    i += 1;
                }
            }
            if out == bytes {
                return out;
            }
            bytes = out;
        }
    }

    #[test]
    fn unescape_examples() {
        for (input, want) in [
            ("%2541", "A"),
            ("%%%25%32%35asd%%", "%%%asd%%"),
            ("%2%35", "%"),
            ("%4%2%35", "%4%"),
            ("%252525252541x", "Ax"),
            ("abc", "abc"),
            ("a%", "a%"),
        ] {
            assert_eq!(
                unescape(Cow::Borrowed(input.as_bytes())).as_ref(),
                want.as_bytes(),
                "{input}"
            );
        }
    }

    /// Checks that the fast path, when it takes `input`, gives exactly what
    /// the general path gives, part by part; returns whether it took it.
    fn fast_matches_general(input: &str) -> Result<bool, TestCaseError> {
        let Some(fast) = fast::parse_canonical_shape(input) else {
            return Ok(false);
        };
        let general = parse_general(input);
        prop_assert!(
            general.is_ok(),
            "{input:?}: fast {fast:?}, general {general:?}"
        );
        let general = general.unwrap();
        prop_assert_eq!(fast.as_str(), general.as_str(), "input {:?}", input);
        prop_assert_eq!(fast.scheme(), general.scheme(), "input {:?}", input);
        prop_assert_eq!(fast.host(), general.host(), "input {:?}", input);
        prop_assert_eq!(fast.path(), general.path(), "input {:?}", input);
        prop_assert_eq!(fast.query(), general.query(), "input {:?}", input);
        prop_assert_eq!(fast.is_ip(), general.is_ip(), "input {:?}", input);
        Ok(true)
    }

    /// Inputs near the edges of the fast path's shape, built so that about
    /// half of them take it.
    fn canonical_shaped() -> impl Strategy<Value = String> {
        let scheme = prop_oneof![
            8 => Just("http://"),
            2 => Just("https://"),
            1 => Just("ftp://"),
            1 => Just("ws://"),
            1 => Just("wss://"),
            1 => Just("HTTP://"),
            1 => Just("http:///"),
            1 => Just("http:"),
            1 => Just(""),
        ];
        let host = prop_oneof![
            8 => "([a-z0-9_-]{1,6}\\.){0,4}[a-z0-9_-]{1,6}",
            1 => "[a-z0-9._-]{0,10}",
            1 => "[a-z.]{1,6}(0x[0-9a-f]{0,3}|[0-9]{1,4})",
            1 => "[a-zA-Z0-9.:@%\\[\\]\u{e4}]{1,10}",
        ];
        let path = prop_oneof![
            1 => Just(String::new()),
            8 => "/[a-zA-Z0-9/._~;,=+-]{0,40}",
            2 => "/[a-z/.%2-5A-F\\\\ \t\u{e9}?#]{0,40}",
            2 => "/[a-z0-9]{0,20}[/.\\\\%?#]{0,2}[a-z0-9/]{0,20}",
        ];
        let query = prop_oneof![
            2 => Just(String::new()),
            2 => "\\?[a-zA-Z0-9=&/.?\\\\-]{0,40}",
            3 => "\\?(%[0-9a-fA-F]{2}|%25[0-9a-fA-F]{0,2}|%25%3[0-9A-F]|[a-f0-9=&?/.]{1,9}){0,12}",
            1 => "\\?(%[0-9a-fA-FgG%]{0,2}|[a-z=&?/.]){0,12}",
            1 => "\\?[a-z=&%0-9A-F \t\u{e9}#\u{7f}]{0,20}",
            1 => "\\?[a-z0-9]{0,20}[ \t\n\u{e9}#\u{7f}%\u{0}]{0,2}[a-z0-9]{0,20}",
        ];
        let fragment = prop_oneof![
            3 => Just(String::new()),
            1 => "#[a-z%? \t\u{e9}#]{0,8}",
        ];
        (scheme, host, path, query, fragment).prop_map(|(s, h, p, q, f)| format!("{s}{h}{p}{q}{f}"))
    }

    #[test]
    fn fast_path_table() {
        // (name, input, whether the fast path takes it)
        let cases: &[(&str, &str, bool)] = &[
            ("plain", "http://www.goal.com/en-ca/", true),
            ("https", "https://a.b.c/1/2.html", true),
            ("ftp", "ftp://ftp.example.org/pub/", true),
            ("ws", "ws://example.com/socket", true),
            ("wss", "wss://example.com/socket", true),
            ("no path", "http://example.com", true),
            ("no path, fragment", "http://example.com#top", true),
            ("fragment", "http://example.com/a#b%25 \t", true),
            ("query", "http://example.com/a?b=c&d", true),
            ("empty query", "http://example.com/a?", true),
            ("query, fragment", "http://example.com/a?b#c", true),
            (
                "query escapes",
                "http://www.goal.com/static/js?files=%2Fjs%2Fr.js&v=1",
                true,
            ),
            ("query escape kept", "http://e.com/?q=a%20b%e4%23%3f", true),
            ("query with backslash", "http://e.com/?a\\b", true),
            ("query with second ?", "http://e.com/?a?b", true),
            ("underscore host", "http://a_b.example/", true),
            ("upper-case path", "http://e.com/A/B.HTML", true),
            ("path dot inside", "http://e.com/a./b.c/", true),
            ("upper-case scheme", "HTTP://e.com/", false),
            ("upper-case host", "http://E.com/", false),
            ("leading space", " http://e.com/", false),
            ("trailing space", "http://e.com/ ", false),
            ("tab", "http://e.com/a\tb", false),
            ("port", "http://e.com:80/", false),
            ("userinfo", "http://u@e.com/", false),
            ("ipv4", "http://1.2.3.4/", false),
            ("hex number label", "http://a.0x1f/", false),
            ("ipv6", "http://[::1]/", false),
            ("idn", "http://b\u{fc}cher.example/", false),
            ("escaped host", "http://%61.com/", false),
            ("trailing dot", "http://e.com./", false),
            ("leading dot", "http://.e.com/", false),
            ("double dot", "http://e..com/", false),
            ("extra slash", "http:///e.com/", false),
            ("no slashes", "http:e.com/", false),
            ("no scheme", "e.com/", false),
            ("query without path", "http://e.com?q", false),
            ("double slash", "http://e.com/a//b", false),
            ("dot segment", "http://e.com/a/./b", false),
            ("dot-dot segment", "http://e.com/a/../b", false),
            ("path escape", "http://e.com/%7Eu/", false),
            ("backslash", "http://e.com/a\\b", false),
            ("path non-ASCII", "http://e.com/\u{e9}", false),
            ("query double escape", "http://e.com/?%2541", true),
            (
                "query escape after double",
                "http://e.com/?%2541%2f%20",
                true,
            ),
            (
                "query double after escapes",
                "http://e.com/?a=%2F%3a&b=%2541%2%35",
                true,
            ),
            (
                "query stray percent after escape",
                "http://e.com/?%41%%32%35x",
                true,
            ),
            ("query partial escape", "http://e.com/?%4", true),
            ("query percent at end", "http://e.com/?a%", true),
            ("query bad escape", "http://e.com/?%zz", true),
            ("query non-ASCII", "http://e.com/?\u{e9}", true),
            ("query DEL", "http://e.com/?\u{7f}%25", true),
            (
                "query double escape, fragment",
                "http://e.com/?%2541#%20 x",
                true,
            ),
            ("query space", "http://e.com/?a b", false),
            ("query trailing space", "http://e.com/?a ", false),
            ("query tab", "http://e.com/?a\tb", false),
            ("query double escape, space", "http://e.com/?%2541 b", false),
            (
                "query double escape, newline",
                "http://e.com/?%2541\nb",
                false,
            ),
            ("too long", &*LONG, false),
        ];
        for &(name, input, takes_fast) in cases {
            let took = fast_matches_general(input).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(took, takes_fast, "{name}: {input:?}");
        }
    }

    #[test]
    fn canonical_shaped_inputs_often_take_the_fast_path() {
        use proptest::strategy::ValueTree;
        use proptest::test_runner::TestRunner;
        let mut runner = TestRunner::deterministic();
        let strategy = canonical_shaped();
        let took = (0..1000)
            .filter(|_| {
                let input = strategy.new_tree(&mut runner).unwrap().current();
                fast::parse_canonical_shape(&input).is_some()
            })
            .count();
        // Otherwise the differential proptest would test little.
        assert!(
            (200..=900).contains(&took),
            "{took} of 1000 took the fast path"
        );
    }

    /// An input over [`MAX_INPUT_LEN`] in canonical shape.
    static LONG: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| format!("http://e.com/{}", "a".repeat(MAX_INPUT_LEN)));

    proptest! {
        // Cheap cases, and the interesting ones are a fraction of them.
        #![proptest_config(ProptestConfig::with_cases(4096))]

        #[test]
        fn fast_path_matches_general_on_urls(input in canonical_shaped()) {
            fast_matches_general(&input)?;
        }

        #[test]
        fn fast_path_matches_general_on_strings(input in "\\PC{0,40}") {
            fast_matches_general(&input)?;
            fast_matches_general(&format!("http://a.b/{input}"))?;
            fast_matches_general(&format!("http://a.b/?{input}"))?;
        }

        #[test]
        fn unescape_matches_repeated_passes(input in "[%2-5aAfFgx]{0,24}") {
            let bytes = input.as_bytes();
            prop_assert_eq!(unescape(Cow::Borrowed(bytes)).into_owned(), unescape_by_passes(bytes.to_vec()));
        }
    }
}
