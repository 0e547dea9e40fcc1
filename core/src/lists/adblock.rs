//! Adblock-style lists (EasyList, uBlock Origin, AdGuard): only the rules
//! that name a host or a URL prefix become entries.
//!
//! | rule | entry |
//! |---|---|
//! | `\|\|example.com^`, `\|\|example.com` | domain `example.com` |
//! | `\|\|example.com^$important`, `$all`, `$document`, `$doc` | domain (these options do not narrow the match) |
//! | `\|\|example.com/dir/` | URL prefix `example.com/dir/` |
//! | `\|\|example.com/page^` | page `example.com/page` and prefix `example.com/page/` (`^` is a path boundary) |
//! | `\|\|example.com/frunti_`, `\|\|example.com/stats?`, `\|\|example.com/in.php?ref` | string prefix: every URL whose `host/path?query` starts with it (`/frunti_punti.js`, `/stats?id=1`, `/in.php?ref=x`) |
//! | `\|\|example.com/Page$match-case` | the same as without, matching the path's case exactly |
//! | `example.com` (a bare host name on its own line) | domain, as uBlock Origin reads it |
//!
//! Everything else is counted in [`ParsedList::ignored`](super::ParsedList::ignored) and never misread:
//! cosmetic rules (`##`, `#@#`, `#?#`, `#$#`, `#%#`), exceptions (`@@`),
//! rules with any other option (`$third-party`, `$script`, `$domain=…`:
//! they narrow the match to some requests, which a page filter cannot
//! honour), wildcard and partial hosts (`||ads.*^`, `||get-me-.`),
//! anchored (`|http://`) and regular-expression (`/…/`) rules, and plain
//! substring patterns. `!` lines and the `[Adblock Plus 2.0]` header are
//! comments. A `||` rule whose host is not a valid host name is a skipped
//! line with the reason.
//!
//! A `||host/path` pattern matches, in Adblock Plus, uBlock Origin and
//! adblock-rust, every URL that *starts with* that text after the host
//! anchor: `||qq.com/stats?` matches `https://tajs.qq.com/stats?sId=1`. So
//! a path rule that ends neither in `/` nor in `^`, or that has a query,
//! is an [`EntryKind::UrlStringPrefixNoCase`], which needs no path
//! boundary. A rule ending in `/` needs none either and stays a URL
//! prefix; a rule ending in `^` (a separator: `/`, `?` or the end of the
//! URL, for a path) is the page and the prefix below it. In a sensitive
//! list (whose entries are digests of lookup expressions, which end on
//! path boundaries) every path rule is read as if it ended in `^`.
//!
//! Adblock filters ignore case (Adblock Plus, uBlock Origin, adblock-rust):
//! a path rule is an [`EntryKind::UrlNoCase`] / [`EntryKind::UrlPrefixNoCase`]
//! / [`EntryKind::UrlStringPrefixNoCase`] (stored lowercased;
//! `||example.com/Ads/` matches `/ads/` and `/ADS/`), unless it carries
//! `$match-case` (alone or with the broad options above), which keeps it
//! an exact [`EntryKind::Url`] / [`EntryKind::UrlPrefix`] /
//! [`EntryKind::UrlStringPrefix`].

use super::canon;
use super::ctx::Sink;
use super::{EntryKind, ListError};

/// Options that do not narrow what a host rule matches.
const BROAD_OPTIONS: &[&str] = &["important", "all", "document", "doc"];

/// The option that makes a rule's path match case-sensitively (Adblock
/// Plus, uBlock Origin, AdGuard: filters ignore case without it).
const MATCH_CASE: &str = "match-case";

/// File extensions that a bare "host name" line is more likely to be a
/// pattern for than a top-level domain.
const FILE_EXTENSIONS: &[&str] = &[
    "js", "css", "php", "html", "htm", "gif", "png", "jpg", "jpeg", "swf", "json", "aspx", "asp",
    "cgi", "txt", "xml", "svg", "webp", "mp4", "cfm", "jsp",
];

/// Whether a line is a cosmetic (element hiding, scriptlet, HTML) rule.
fn is_cosmetic(text: &str) -> bool {
    [
        "##", "#@#", "#?#", "#$#", "#%#", "#@?#", "#@$#", "$$", "$@$",
    ]
    .iter()
    .any(|m| text.contains(m))
}

/// Whether `text` reads as a bare host name, which uBlock Origin reads as
/// a host rule (hosts-style lines): an IPv4 address, or DNS or IDN
/// characters with a dot and a last label that is a top-level domain
/// (letters in any script, or punycode `xn--…`) and not a file extension.
fn is_bare_host(text: &str) -> bool {
    if text.parse::<std::net::Ipv4Addr>().is_ok() {
        return true;
    }
    let ok_chars = text
        .chars()
        .all(|c| c.is_alphanumeric() || c == '.' || c == '-' || c == '_');
    let Some((_, last)) = text.rsplit_once('.') else {
        return false;
    };
    let tld = last.chars().count() >= 2 && last.chars().all(char::is_alphabetic)
        || last
            .get(..4)
            .is_some_and(|head| head.eq_ignore_ascii_case("xn--"))
            && last.len() > 4;
    ok_chars
        && !text.starts_with(['.', '-', '_'])
        && tld
        && !FILE_EXTENSIONS.iter().any(|e| e.eq_ignore_ascii_case(last))
}

pub(super) fn parse(sink: &mut Sink<'_>, bytes: &[u8]) -> Result<(), ListError> {
    sink.lines(bytes, |sink, line, text| {
        if text.starts_with('!') || (line == 1 && text.starts_with('[') && text.ends_with(']')) {
            return Ok(());
        }
        if is_cosmetic(text) || text.starts_with("@@") {
            sink.ignore();
            return Ok(());
        }
        if text.starts_with('#') {
            return Ok(());
        }
        if let Some(rule) = text.strip_prefix("||") {
            return host_rule(sink, line, rule);
        }
        if is_bare_host(text) {
            return match canon::domain(text) {
                Ok(host) => sink.entry(line, EntryKind::Domain(host)),
                Err(_) => {
                    sink.ignore();
                    Ok(())
                }
            };
        }
        sink.ignore();
        Ok(())
    })
}

/// A `||…` rule, without the `||`.
fn host_rule(sink: &mut Sink<'_>, line: usize, rule: &str) -> Result<(), ListError> {
    let (pattern, options) = match rule.split_once('$') {
        Some((p, o)) => (p, Some(o)),
        None => (rule, None),
    };
    let mut match_case = false;
    if let Some(options) = options {
        let mut broad = true;
        for o in options.split(',') {
            let o = o.trim().to_ascii_lowercase();
            if o == MATCH_CASE {
                match_case = true;
            } else if !BROAD_OPTIONS.contains(&o.as_str()) {
                broad = false;
            }
        }
        if !broad {
            sink.ignore();
            return Ok(());
        }
    }
    let host_end = pattern
        .find(['^', '/', '*', '|', ':', '?', '=', '&'])
        .unwrap_or(pattern.len());
    let (host, tail) = pattern.split_at_checked(host_end).unwrap_or((pattern, ""));
    if host.is_empty() || host.ends_with(['.', '-']) || !host.contains('.') {
        // A partial host (`||ads.`, `||ad-`) is a wildcard over hosts.
        sink.ignore();
        return Ok(());
    }
    match tail {
        "" | "^" => match canon::domain(host) {
            Ok(h) => sink.entry(line, EntryKind::Domain(h)),
            Err(problem) => sink.skip(line, &problem),
        },
        _ if tail.starts_with('/') => {
            let (path, separator) = match tail.strip_suffix('^') {
                Some(path) => (path, true),
                None => (tail, false),
            };
            if path.contains(['*', '^', '|']) {
                sink.ignore();
                return Ok(());
            }
            let mut url = String::with_capacity(pattern.len());
            url.push_str(host);
            url.push_str(path);
            // Adblock filters ignore case unless `$match-case` says not to.
            if !separator && !sink.options.sensitive {
                // `||host/path` matches every URL that starts with it.
                return match canon::url_string_prefix(&url, !match_case) {
                    Ok(kind) => sink.entry(line, kind),
                    Err(problem) => sink.skip(line, &problem),
                };
            }
            // `||host/page^` (the separator is a path boundary), and every
            // path rule of a sensitive list (its digests match lookup
            // expressions, which end on path boundaries): the page and
            // the pages below it.
            let mut kinds = Vec::with_capacity(2);
            match canon::url_prefix(&url, !match_case, &mut kinds) {
                Ok(()) => {
                    for kind in kinds {
                        sink.entry(line, kind)?;
                    }
                    Ok(())
                }
                Err(problem) => sink.skip(line, &problem),
            }
        }
        _ => {
            sink.ignore();
            Ok(())
        }
    }
}
