//! The fast path of canonicalization: one pass over an input that is
//! already (nearly) in canonical form, which is the shape of almost every
//! URL of real traffic (`https://www.example.com/a/b.html?q=1`).
//!
//! [`parse_canonical_shape`] either returns exactly what the general path
//! ([`super::parse::parse_general`]) returns for the same input, or `None`
//! when the input is outside the shape it handles; it never returns an
//! error. The shape is:
//!
//! - a lowercase `http://`, `https://`, `ftp://`, `ws://` or `wss://`
//!   prefix (so no leading space or control to trim, no other scheme, no
//!   extra slashes);
//! - a canonical host name: `a-z 0-9 - _ .` only, no leading, trailing or
//!   repeated dot, not ending in a number (so no IPv4, IPv6, IDNA, escape,
//!   upper case, userinfo or port), followed by `/`, `#` or the end;
//! - a path with nothing to escape, unescape or resolve: no byte `<= 0x20`
//!   or `>= 0x7F`, no `%` or `\`, no `//` and no `/.`;
//! - an optional query without bytes `<= 0x20` (nothing to trim or
//!   remove). Its runs of bytes that need no escaping are copied as they
//!   are and `%XX` escapes are decoded and re-escaped in the same pass, as
//!   long as one pass resolves every escape (none decodes to `%`); any
//!   other query (`%2541`, a stray `%`, non-ASCII) is unescaped and escaped
//!   by the general path's functions;
//! - an optional fragment, which is dropped (whatever it holds, as the
//!   general path drops everything from the first `#`).
//!
//! Equality with the general path is checked by a proptest in
//! `parse.rs` and by the differential mode of the `canonicalize` fuzz
//! target.

use std::borrow::Cow;

use super::host::ends_in_number;
use super::parse::{class, class_of, escape_into, hex_value, unescape};
use super::{CanonicalUrl, MAX_INPUT_LEN};

/// Bits of [`STOP`]: where a scan of one part of the URL must stop.
mod stop {
    /// Host: not `a-z 0-9 - _` (a dot, or not a canonical host byte).
    pub(super) const HOST: u8 = 1;
    /// Path: a byte to escape (`<= 0x20`, `>= 0x7F`, `#`, `%`, `\`), `/`
    /// (what follows it must be checked) or `?`.
    pub(super) const PATH: u8 = 2;
    /// Query: a byte to escape (`<= 0x20`, `>= 0x7F`, `#`, `%`).
    pub(super) const QUERY: u8 = 4;
}

/// The [`stop`] bits of every byte.
#[expect(
    clippy::indexing_slicing,
    reason = "evaluated at compile time with i < 256: an out-of-bounds index fails the build"
)]
static STOP: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        let escaped = b <= 0x20 || b >= 0x7F || b == b'#' || b == b'%';
        let mut bits = 0;
        if !(b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_') {
            bits |= stop::HOST;
        }
        if escaped || b == b'\\' || b == b'/' || b == b'?' {
            bits |= stop::PATH;
        }
        if escaped {
            bits |= stop::QUERY;
        }
        table[i] = bits;
        i += 1;
    }
    table
};

/// The index of the first byte at or after `from` in `bytes` with one of
/// the [`stop`] bits `mask`, or the length of `bytes`.
#[inline(always)]
fn find(bytes: &[u8], from: usize, mask: u8) -> usize {
    let tail = bytes.get(from..).unwrap_or_default();
    match tail
        .iter()
        .position(|&b| STOP.get(usize::from(b)).copied().unwrap_or(0) & mask != 0)
    {
        Some(i) => from + i,
        None => bytes.len(),
    }
}

/// `0x01` in every byte of a word.
const ONES: u64 = 0x0101_0101_0101_0101;
/// `0x7F` in every byte of a word.
const LOWS: u64 = 0x7F7F_7F7F_7F7F_7F7F;
/// `0x80` (the high bit) in every byte of a word.
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The eight bytes at `at` as a word (first byte lowest), if there are eight.
#[inline(always)]
fn word_at(bytes: &[u8], at: usize) -> Option<u64> {
    let chunk: [u8; 8] = bytes.get(at..at.checked_add(8)?)?.try_into().ok()?;
    Some(u64::from_le_bytes(chunk))
}

/// The high bit of every zero byte of `word`, exactly (no borrow between
/// bytes, unlike the cheaper `has zero byte` test).
#[inline(always)]
fn zero_bytes(word: u64) -> u64 {
    !((((word & LOWS) + LOWS) | word) | LOWS)
}

/// The high bit of every byte of `word` equal to `b`.
#[inline(always)]
fn bytes_equal(word: u64, b: u8) -> u64 {
    zero_bytes(word ^ (ONES * u64::from(b)))
}

/// The high bit of every byte of `word` that [`class::ESC`] escapes
/// (`<= 0x20`, `>= 0x7F`, `#`, `%`).
#[inline(always)]
fn escaped_bytes(word: u64) -> u64 {
    // `b + 0x5F` sets the high bit exactly for `b >= 0x21` (no carry out of
    // a byte as long as `b < 0x80`, and bytes `>= 0x80` are flagged anyway).
    let below_0x21 = !((word & LOWS) + ONES * 0x5F) & HIGHS;
    (word & HIGHS)
        | below_0x21
        | bytes_equal(word, 0x7F)
        | bytes_equal(word, b'#')
        | bytes_equal(word, b'%')
}

/// The index of the first byte at or after `from` that [`class::ESC`]
/// escapes, or the length of `bytes`: eight bytes at a time, then byte by
/// byte.
#[inline(always)]
fn find_escaped(bytes: &[u8], from: usize) -> usize {
    let mut at = from;
    while let Some(word) = word_at(bytes, at) {
        if escaped_bytes(word) != 0 {
            break;
        }
        at += 8;
    }
    find(bytes, at, stop::QUERY)
}

/// The index of the first byte at or after `from` where the path scan must
/// stop, or the length of `bytes`; as [`find`] with [`stop::PATH`] but
/// eight bytes at a time where a `/` is followed by neither `/` nor `.`.
#[inline(always)]
fn find_path_stop(bytes: &[u8], from: usize) -> usize {
    let mut at = from;
    // The word at `at` and the word one byte later, to see what follows
    // each `/`.
    while let (Some(word), Some(next)) = (word_at(bytes, at), word_at(bytes, at + 1)) {
        let slashes = bytes_equal(word, b'/');
        let dot_segment = slashes & (bytes_equal(next, b'/') | bytes_equal(next, b'.'));
        let stops =
            escaped_bytes(word) | bytes_equal(word, b'\\') | bytes_equal(word, b'?') | dot_segment;
        if stops != 0 {
            break;
        }
        at += 8;
    }
    find(bytes, at, stop::PATH)
}

/// The length of the canonical scheme prefix (`scheme://`) `bytes` starts
/// with, if any.
fn scheme_prefix_len(bytes: &[u8]) -> Option<usize> {
    match bytes {
        [b'h', b't', b't', b'p', b':', b'/', b'/', ..] => Some(7),
        [b'h', b't', b't', b'p', b's', b':', b'/', b'/', ..] => Some(8),
        [b'f', b't', b'p', b':', b'/', b'/', ..] | [b'w', b's', b's', b':', b'/', b'/', ..] => {
            Some(6)
        }
        [b'w', b's', b':', b'/', b'/', ..] => Some(5),
        _ => None,
    }
}

/// Canonicalizes `input` in one pass if it has the shape of the module
/// documentation; `None` otherwise (the caller then takes the general path).
pub(super) fn parse_canonical_shape(input: &str) -> Option<CanonicalUrl> {
    let bytes = input.as_bytes();
    // The general path rejects long inputs; the caller checks first, but
    // this path must never accept what the general path rejects.
    if bytes.len() > MAX_INPUT_LEN {
        return None;
    }
    let host_start = scheme_prefix_len(bytes)?;

    // The host: labels of plain bytes, one dot between two labels.
    let mut label_start = host_start;
    let host_end = loop {
        let at = find(bytes, label_start, stop::HOST);
        if at == label_start {
            // An empty label: an empty host, or a leading or repeated dot
            // (or one before the end of the host).
            return None;
        }
        if bytes.get(at) == Some(&b'.') {
            label_start = at + 1;
        } else {
            break at;
        }
    };
    if ends_in_number(bytes.get(host_start..host_end)?) {
        return None;
    }
    match bytes.get(host_end) {
        // No path: the canonical path is `/`.
        None | Some(b'#') => {
            return Some(with_root_path(input.get(..host_end)?, host_start, host_end));
        }
        Some(b'/') => {}
        // A port, userinfo, query without path, upper case, escape, IDN…
        Some(_) => return None,
    }

    // The path, up to the query, the fragment or the end: no `//` or `/.`
    // (a cheap over-approximation of empty and dot segments).
    let mut next = host_end;
    let path_end = loop {
        let at = find_path_stop(bytes, next);
        match bytes.get(at) {
            Some(b'/') => match bytes.get(at + 1) {
                Some(b'/' | b'.') => return None,
                _ => next = at + 1,
            },
            None | Some(b'?' | b'#') => break at,
            Some(_) => return None,
        }
    };
    if bytes.get(path_end) != Some(&b'?') {
        // No query: the input up to the fragment is canonical.
        return Some(CanonicalUrl {
            serialization: String::from(input.get(..path_end)?),
            host_start,
            host_end,
            path_end,
            has_query: false,
            is_ip: false,
        });
    }

    let serialization = write_query(input, path_end + 1)?;
    Some(CanonicalUrl {
        serialization,
        host_start,
        host_end,
        path_end,
        has_query: true,
        is_ip: false,
    })
}

/// `input[..query_start]` (canonical, ending in `?`) followed by the
/// canonical form of the query that starts at `query_start`.
///
/// Runs of bytes that need no escaping are copied as they are; the string
/// is only rebuilt from the first `%XX` escape on, which is decoded and
/// re-escaped in place.
fn write_query(input: &str, query_start: usize) -> Option<String> {
    let bytes = input.as_bytes();
    let mut rebuilt: Option<String> = None;
    // When rebuilding: `input[..copied]` is written.
    let mut copied = 0;
    let mut next = query_start;
    let end = loop {
        let at = find_escaped(bytes, next);
        match bytes.get(at..) {
            None | Some([]) => break at,
            Some([b'#', ..]) => break at,
            Some([b'%', hi, lo, ..]) => {
                // One pass is the complete (repeated) unescaping exactly when
                // every `%` starts an escape and none decodes to `%`: then no
                // `%` is ever written, so no decoded byte completes a new one.
                let decoded = match (hex_value(*hi), hex_value(*lo)) {
                    (Some(hi), Some(lo)) if hi << 4 | lo != b'%' => hi << 4 | lo,
                    _ => return write_query_general(input, rebuilt, copied, at),
                };
                let out = rebuilt.get_or_insert_with(|| String::with_capacity(bytes.len()));
                out.push_str(input.get(copied..at)?);
                if class_of(decoded) & class::ESC != 0 {
                    push_escaped(decoded, out);
                } else {
                    // Not escaped, so ASCII.
                    out.push(char::from(decoded));
                }
                next = at + 3;
                copied = next;
            }
            // Non-ASCII, a byte to trim or remove, a `%` at the end.
            Some(_) => return write_query_general(input, rebuilt, copied, at),
        }
    };
    match rebuilt {
        Some(mut out) => {
            out.push_str(input.get(copied..end)?);
            Some(out)
        }
        None => Some(String::from(input.get(..end)?)),
    }
}

/// Finishes [`write_query`] from `input[at..]` on (the rest of the query,
/// then a fragment) with the general path's repeated unescaping and
/// escaping; `None` if the rest holds a byte `<= 0x20`, which the general
/// path would trim or remove first.
///
/// `rebuilt` (when `Some`) holds the canonical form of `input[..copied]`;
/// `input[copied..at]` is canonical as it is. The query before `at`
/// unescapes (completely) to bytes without `%`, so no escape of the
/// repeated unescaping spans `at`, and unescaping and escaping the rest on
/// its own gives the same as the general path does for the whole query
/// (whose `%` makes it unescape; the path before it holds no `%`).
fn write_query_general(
    input: &str,
    rebuilt: Option<String>,
    copied: usize,
    at: usize,
) -> Option<String> {
    let bytes = input.as_bytes();
    let rest = bytes.get(at..)?;
    let rest = match rest.iter().position(|&b| b == b'#') {
        Some(hash) => rest.get(..hash)?,
        None => rest,
    };
    if rest.iter().any(|&b| b <= 0x20) {
        return None;
    }
    let mut out: Vec<u8> = match rebuilt {
        Some(out) => out.into_bytes(),
        None => Vec::with_capacity(bytes.len()),
    };
    out.extend_from_slice(bytes.get(copied..at)?);
    escape_into(&unescape(Cow::Borrowed(rest)), &mut out, class::ESC);
    // INVARIANT: everything written is ASCII (non-ASCII bytes are escaped).
    String::from_utf8(out).ok()
}

/// `prefix` (`scheme://host`, canonical) followed by the root path `/`.
fn with_root_path(prefix: &str, host_start: usize, host_end: usize) -> CanonicalUrl {
    let mut serialization = String::with_capacity(prefix.len() + 1);
    serialization.push_str(prefix);
    serialization.push('/');
    CanonicalUrl {
        serialization,
        host_start,
        host_end,
        path_end: host_end + 1,
        has_query: false,
        is_ip: false,
    }
}

/// Appends `%XX` for `b`, upper-case hex.
fn push_escaped(b: u8, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.push('%');
    for nibble in [b >> 4, b & 0xF] {
        out.push(char::from(
            HEX.get(usize::from(nibble)).copied().unwrap_or(b'0'),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The high bit of every byte of `bytes` for which `pick` holds.
    fn byte_mask(bytes: [u8; 8], pick: impl Fn(u8) -> bool) -> u64 {
        bytes
            .iter()
            .enumerate()
            .filter(|&(_, &b)| pick(b))
            .map(|(i, _)| 0x80u64 << (8 * i))
            .sum()
    }

    /// Bytes near every edge the word tests care about.
    fn edge_byte() -> impl Strategy<Value = u8> {
        prop_oneof![
            any::<u8>(),
            prop::sample::select(vec![
                0x00, 0x09, 0x20, 0x21, 0x22, b'#', b'%', b'.', b'/', b'?', b'\\', 0x7E, 0x7F,
                0x80, 0xA0, 0xA1, 0xFF, b'a',
            ]),
        ]
    }

    proptest! {
        #[test]
        fn word_tests_are_exact(bytes in prop::array::uniform8(edge_byte())) {
            let word = u64::from_le_bytes(bytes);
            prop_assert_eq!(zero_bytes(word), byte_mask(bytes, |b| b == 0));
            prop_assert_eq!(bytes_equal(word, b'/'), byte_mask(bytes, |b| b == b'/'));
            prop_assert_eq!(
                escaped_bytes(word),
                byte_mask(bytes, |b| class_of(b) & class::ESC != 0)
            );
        }

        #[test]
        fn find_escaped_finds_the_first_escaped_byte(
            bytes in prop::collection::vec(edge_byte(), 0..40),
            from in 0usize..40,
        ) {
            let want = bytes
                .iter()
                .enumerate()
                .skip(from)
                .find(|&(_, &b)| class_of(b) & class::ESC != 0)
                .map_or(bytes.len(), |(i, _)| i);
            prop_assert_eq!(find_escaped(&bytes, from), want);
        }
    }
}
