//! squidGuard and UT1 category files: `domains` (one domain per line),
//! `urls` (`host/path` prefixes) and `expressions` (regular expressions).
//! `#` starts a comment.
//!
//! A `urls` line `host/dir` lists the page `host/dir` (with any query) and
//! everything below `host/dir/`, as squidGuard does, but not
//! `host/directory`; `host` alone lists everything on that host. A leading
//! `www`, `web` or `ftp` label (`www2.` too) is dropped from a `urls`
//! line, as squidGuard drops it from lines and requests alike, so
//! `www.host/dir` also lists `host/dir` and `www2.host/dir`.
//!
//! squidGuard matches in lower case ("All URLs are converted to lowercase
//! before match search"), and so does e2guardian: `urls` lines become
//! [`EntryKind::UrlNoCase`] / [`EntryKind::UrlPrefixNoCase`] and
//! `expressions` lines [`EntryKind::RegexNoCase`], which match a request
//! whatever the ASCII case of its path and query.

use super::canon;
use super::ctx::{Sink, strip_inline_comment};
use super::{EntryKind, Format, ListError};

/// Parses one line of a squidGuard-style domain, URL or expression list
/// (shared with e2guardian, whose lists hold the same kinds of lines).
pub(super) fn line(
    sink: &mut Sink<'_>,
    format: Format,
    line: usize,
    text: &str,
) -> Result<(), ListError> {
    match format {
        Format::SquidGuardUrls | Format::E2Url => {
            let text = strip_inline_comment(text);
            let mut kinds = Vec::with_capacity(2);
            // squidGuard and e2guardian lowercase the request URL and
            // their list keys before matching.
            match canon::url_prefix(text, true, &mut kinds) {
                Ok(()) => {
                    for kind in kinds {
                        let kind = if format == Format::SquidGuardUrls {
                            without_www(kind)
                        } else {
                            kind
                        };
                        sink.entry(line, kind)?;
                    }
                    Ok(())
                }
                Err(problem) => sink.skip(line, &problem),
            }
        }
        Format::SquidGuardExpressions | Format::E2Regexp => match canon::regex(text, true) {
            Ok(kind) => sink.entry(line, kind),
            Err(problem) => sink.skip(line, &problem),
        },
        _ => {
            let text = strip_inline_comment(text);
            match canon::domain(text) {
                Ok(host) => sink.entry(line, EntryKind::Domain(host)),
                Err(problem) => sink.skip(line, &problem),
            }
        }
    }
}

pub(super) fn parse(sink: &mut Sink<'_>, format: Format, bytes: &[u8]) -> Result<(), ListError> {
    sink.lines(bytes, |sink, n, text| {
        if text.starts_with('#') {
            return Ok(());
        }
        line(sink, format, n, text)
    })
}

/// A canonical `urls` entry without a leading `www`, `web` or `ftp` label
/// (with any digits after it). squidGuard's docs: the
/// `(www|web|ftp)[0-9]*` prefix "is chopped off" the list's lines and the
/// requested URL before matching, so `www.host/dir` matches
/// `host/dir/page` and `www2.host/dir/page`; kept as written, the entry
/// would match neither. The label stays when no dotted host would be left
/// (`www.example/x` must not become every `example` site's `/x`).
fn without_www(kind: EntryKind) -> EntryKind {
    let chop = |text: &str| -> Option<String> {
        let (label, rest) = text.split_once('.')?;
        let host = rest.split('/').next().unwrap_or(rest);
        let digits = ["www", "web", "ftp"]
            .iter()
            .find_map(|p| label.strip_prefix(p))?;
        (digits.bytes().all(|b| b.is_ascii_digit()) && host.contains('.')).then(|| rest.to_owned())
    };
    match kind {
        EntryKind::Url(text) => EntryKind::Url(chop(&text).unwrap_or(text)),
        EntryKind::UrlPrefix(text) => EntryKind::UrlPrefix(chop(&text).unwrap_or(text)),
        EntryKind::UrlNoCase(text) => EntryKind::UrlNoCase(chop(&text).unwrap_or(text)),
        EntryKind::UrlPrefixNoCase(text) => EntryKind::UrlPrefixNoCase(chop(&text).unwrap_or(text)),
        other => other,
    }
}
