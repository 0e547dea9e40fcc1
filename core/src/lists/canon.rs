//! Turning the text of a list line into canonical entries, through the same
//! canonicalizer ([`CanonicalUrl`]) that lookups use.

use super::EntryKind;
use super::ctx::Problem;
use crate::url::CanonicalUrl;

/// The longest host name (RFC 1035).
const MAX_HOST_LEN: usize = 253;
/// The longest label (RFC 1035).
const MAX_LABEL_LEN: usize = 63;

/// Checks a canonical host: DNS characters (plus `_`, which real host
/// names carry), label lengths, and at least one dot.
fn check_host<'a>(cu: &CanonicalUrl, text: &'a str) -> Result<(), Problem<'a>> {
    let host = cu.host();
    if cu.is_ip() {
        return Ok(());
    }
    if host.len() > MAX_HOST_LEN {
        return Err(Problem::BadHost {
            text,
            why: format!("longer than {MAX_HOST_LEN} characters"),
        });
    }
    for label in host.split('.') {
        if label.len() > MAX_LABEL_LEN {
            return Err(Problem::BadHost {
                text,
                why: format!("a label is longer than {MAX_LABEL_LEN} characters"),
            });
        }
        if let Some((at, c)) = label
            .char_indices()
            .find(|&(_, c)| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_'))
        {
            return Err(Problem::BadHost {
                text,
                why: bad_host_char(label, at, c),
            });
        }
    }
    if !host.contains('.') {
        return Err(Problem::SingleLabel { text });
    }
    Ok(())
}

/// Why `c` (at byte `at` of a canonical host label) cannot be in a host,
/// naming the character as the list wrote it: the canonical host writes
/// characters such as `:` and `!` as `%XX` escapes.
fn bad_host_char(label: &str, at: usize, c: char) -> String {
    let written = if c == '%' {
        label
            .get(at + 1..at + 3)
            .and_then(|hex| u8::from_str_radix(hex, 16).ok())
            .filter(u8::is_ascii_graphic)
            .map_or(c, char::from)
    } else {
        c
    };
    if written == ':' {
        "`:` cannot appear in a host name; an IPv6 address is written in brackets, as in `[2001:db8::1]`".to_owned()
    } else {
        format!("`{written}` cannot appear in a host name")
    }
}

/// Canonicalizes a URL (or `host/path`) written in a list.
pub(crate) fn url(text: &str) -> Result<CanonicalUrl, Problem<'_>> {
    if text.chars().any(char::is_whitespace) {
        return Err(Problem::BadUrl {
            text,
            why: "it contains white space".to_owned(),
        });
    }
    let cu = CanonicalUrl::parse(text).map_err(|e| Problem::BadUrl {
        text,
        why: e.to_string(),
    })?;
    check_host(&cu, text)?;
    Ok(cu)
}

/// Whether `text` is a DNS host name that canonicalization leaves as it is:
/// lowercase ASCII letters, digits, `-` and `_` in non-empty labels of at
/// most 63 bytes, at least one dot, a last label starting with a letter (so
/// not an IPv4 spelling) and no `xn--` label (which IDNA would check). The
/// common case of a list line; it skips the canonicalizer.
fn is_canonical_dns_host(text: &str) -> bool {
    let bytes = text.as_bytes();
    // A byte window rather than `str::contains`, whose substring searcher
    // costs more to set up than a host name takes to scan.
    if bytes.len() > MAX_HOST_LEN || bytes.windows(4).any(|w| w == b"xn--") {
        return false;
    }
    let mut label_len = 0usize;
    let mut label_start = 0usize;
    let mut dots = 0usize;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'.' => {
                if label_len == 0 {
                    return false;
                }
                label_len = 0;
                label_start = i.saturating_add(1);
                dots = dots.saturating_add(1);
            }
            b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' => {
                label_len = label_len.saturating_add(1);
                if label_len > MAX_LABEL_LEN {
                    return false;
                }
            }
            _ => return false,
        }
    }
    dots > 0 && label_len > 0 && bytes.get(label_start).is_some_and(u8::is_ascii_lowercase)
}

/// Canonicalizes a domain written in a list. A leading `*.` is dropped (a
/// domain entry covers its subdomains anyway); any other `*` is rejected.
pub(crate) fn domain(text: &str) -> Result<String, Problem<'_>> {
    let bare = text.strip_prefix("*.").unwrap_or(text);
    if is_canonical_dns_host(bare) {
        return Ok(bare.to_owned());
    }
    if bare.contains('*') {
        return Err(Problem::Wildcard { text });
    }
    if bare.chars().any(char::is_whitespace) {
        return Err(Problem::BadHost {
            text,
            why: "it contains white space".to_owned(),
        });
    }
    let cu = url(bare)?;
    if cu.path() != "/" || cu.query().is_some() {
        return Err(Problem::PathInDomainList { text });
    }
    Ok(cu.host().to_owned())
}

/// The authority of a list line: after any scheme, before the path or query.
fn authority(text: &str) -> &str {
    let rest = text.split_once("://").map_or(text, |(_, r)| r);
    rest.split(['/', '?', '\\']).next().unwrap_or(rest)
}

/// Whether a list line has a path or query after its host (a URL rather
/// than a domain), ignoring a scheme.
pub(crate) fn has_path(text: &str) -> bool {
    let rest = text.split_once("://").map_or(text, |(_, r)| r);
    rest.contains(['/', '?', '\\'])
}

/// A plain-list line: a bare host is a domain; a URL whose path is `/`
/// with no query is the domain too; a path ending in `/` (no query) is a
/// prefix; anything else is an exact page.
pub(crate) fn plain(text: &str) -> Result<EntryKind, Problem<'_>> {
    if !has_path(text) {
        return domain(text).map(EntryKind::Domain);
    }
    if authority(text).contains('*') {
        return Err(Problem::Wildcard { text });
    }
    let cu = url(text)?;
    Ok(if cu.query().is_none() && cu.path() == "/" {
        EntryKind::Domain(cu.host().to_owned())
    } else if cu.query().is_none() && cu.path().ends_with('/') {
        EntryKind::UrlPrefix(cu.host_and_path_query().to_owned())
    } else {
        EntryKind::Url(cu.host_and_path_query().to_owned())
    })
}

/// A squidGuard / e2guardian URL-list line, `host[/path]`: the page and
/// everything below it. `host` alone is the prefix `host/`; `host/dir/` is
/// that prefix; `host/page` is the page (with any query) and the prefix
/// `host/page/`; `host/page?q` is only that page with that query.
///
/// With `no_case` (squidGuard, e2guardian, Adblock without `$match-case`)
/// the entries are [`EntryKind::UrlNoCase`] / [`EntryKind::UrlPrefixNoCase`],
/// still in the case the list wrote them: the [`Sink`](super::ctx::Sink)
/// folds them (or, for a sensitive list, keeps them exact).
pub(crate) fn url_prefix<'a>(
    text: &'a str,
    no_case: bool,
    out: &mut Vec<EntryKind>,
) -> Result<(), Problem<'a>> {
    if authority(text).contains('*') {
        return Err(Problem::Wildcard { text });
    }
    let cu = url(text)?;
    let hpq = cu.host_and_path_query();
    let page = |s: String| {
        if no_case {
            EntryKind::UrlNoCase(s)
        } else {
            EntryKind::Url(s)
        }
    };
    let prefix = |s: String| {
        if no_case {
            EntryKind::UrlPrefixNoCase(s)
        } else {
            EntryKind::UrlPrefix(s)
        }
    };
    if cu.query().is_some() {
        out.push(page(hpq.to_owned()));
    } else if cu.path().ends_with('/') {
        out.push(prefix(hpq.to_owned()));
    } else {
        out.push(page(hpq.to_owned()));
        let mut dir = hpq.to_owned();
        dir.push('/');
        out.push(prefix(dir));
    }
    Ok(())
}

/// An Adblock `||host/path` pattern with no trailing `^`: everything whose
/// `host/path?query` starts with it. A path ending in `/` with no query is
/// the URL prefix it already is (a `/` is a path boundary); anything else
/// is a [`EntryKind::UrlStringPrefix`] (or
/// [`EntryKind::UrlStringPrefixNoCase`] with `no_case`), in the case the
/// list wrote it (the [`Sink`](super::ctx::Sink) folds it).
pub(crate) fn url_string_prefix(text: &str, no_case: bool) -> Result<EntryKind, Problem<'_>> {
    if authority(text).contains('*') {
        return Err(Problem::Wildcard { text });
    }
    let cu = url(text)?;
    let hpq = cu.host_and_path_query().to_owned();
    let dir = cu.query().is_none() && cu.path().ends_with('/');
    Ok(match (dir, no_case) {
        (true, true) => EntryKind::UrlPrefixNoCase(hpq),
        (true, false) => EntryKind::UrlPrefix(hpq),
        (false, true) => EntryKind::UrlStringPrefixNoCase(hpq),
        (false, false) => EntryKind::UrlStringPrefix(hpq),
    })
}

/// Checks a regular expression and returns it as an entry
/// ([`EntryKind::RegexNoCase`] with `no_case`).
pub(crate) fn regex(text: &str, no_case: bool) -> Result<EntryKind, Problem<'_>> {
    match regex_automata::util::syntax::parse(text) {
        Ok(_) if no_case => Ok(EntryKind::RegexNoCase(text.to_owned())),
        Ok(_) => Ok(EntryKind::Regex(text.to_owned())),
        Err(e) => Err(Problem::BadRegex {
            text,
            why: e
                .to_string()
                .lines()
                .last()
                .unwrap_or_default()
                .trim()
                .to_owned(),
        }),
    }
}
