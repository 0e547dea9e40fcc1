//! squidGuard and UT1 category files: `domains` (one domain per line),
//! `urls` (`host/path` string prefixes) and `expressions` (regular
//! expressions). `#` starts a comment at the start of a line.
//!
//! # What squidGuard does with a request (squidGuard 1.6 `parseLine`)
//!
//! It lowercases the URL, decodes `%XX` escapes once, collapses `//` runs
//! in the path, drops the userinfo and the port, and chops one leading
//! `www`, `web` or `ftp` label, with any digits after it (`www.`,
//! `www2.`, `web.`, `ftp3.`), from the host: the *stripped* URL,
//! `host/path?query`. The unchopped `host/path?query` is its *full* URL.
//!
//! # `urls`
//!
//! A line is the first white-space separated word (squidGuard reads the
//! rest as a redirect address), lowercased, without userinfo and port.
//! squidGuard blocks a request when the line is a plain string prefix of
//! its stripped URL or of its full URL. So `tumblr.com/someone/123`
//! blocks `tumblr.com/someone/123`, `www.tumblr.com/someone/1234` and
//! `www2.tumblr.com/someone/123?x`, but not `v2tc.tumblr.com/someone/123`
//! (on a shared host that is someone else's site): a `urls` line applies
//! to its own host, after that one chop, never to other subdomains. No
//! path boundary is needed (`shop.example/masturbateurs-` blocks
//! `/masturbateurs-xyz`, `forumdisplay.php?f=255` blocks `?f=255&ref=x`),
//! and the line itself is never chopped (`www.host/page` blocks
//! `www.host/page`, not `host/page`). Such a line is an
//! [`EntryKind::SquidGuardUrl`].
//!
//! # `expressions`
//!
//! Each line is a POSIX extended regular expression, matched ignoring
//! ASCII case anywhere in the full URL (squidGuard 1.6 runs `regexec` on
//! `furl`, not on the stripped URL: `^expr\.example/` blocks
//! `expr.example/a`, not `www.expr.example/a`): an
//! [`EntryKind::SquidGuardExpression`], matched against the canonical
//! `host/path?query` with its escapes decoded (see [`crate::classify`]).
//!
//! # Where esafety keeps the documented meaning instead of squidGuard's bugs
//!
//! Each is a named difference, with the request that shows it, in the
//! end-to-end comparison with squidGuard
//! (`core/tests/squidguard_differential.rs`, which runs squidGuard 1.6 and
//! esafety on the same lists and requests):
//!
//! - **The B-tree prefix miss.** squidGuard looks a request up with one
//!   B-tree range search and compares only the key just before it: with
//!   `btree.example/x` and `btree.example/x1` listed, `btree.example/x2`
//!   finds `x1`, which is not its prefix, and passes, though `x` is.
//!   esafety matches every listed prefix.
//! - **Lines squidGuard can never match.** It decodes the request's `%XX`
//!   escapes but not the line's, and collapses `//` in the request but not
//!   in the line, so `site.example/caf%c3%a9` and `site.example//x` block
//!   nothing. esafety canonicalizes the line as it canonicalizes requests
//!   (Safe Browsing), so such a line blocks the page it names.
//! - **A host-only line is a string prefix of other hosts.** squidGuard's
//!   `hostonly.example` blocks `hostonly.examplex.com` and
//!   `hostonly.example.evil.test`; esafety reads a line without a path as
//!   `host/`, which ends at the host.
//! - **Fragments.** A browser never sends a `#fragment`, so squidGuard
//!   never sees the request a line like `sexcams4u.eu/#content` names and
//!   the line blocks nothing. esafety reads it as the page the browser
//!   fetches for it, the line without its fragment
//!   (`sexcams4u.eu/` here: that host), and reports every such line
//!   ([`ParsedList::fragment_lines`](super::ParsedList::fragment_lines)).
//! - **Dot segments.** squidGuard does not resolve `/./` and `/../` in a
//!   request; esafety canonicalizes them (a browser resolves them before
//!   it sends the request), so `site.example/a/../x` is `site.example/x`.
//! - **Ports.** squidGuard's full URL keeps a port, so a `www.` line does
//!   not block `www.host:8080/…`; the canonical URL has no port, and the
//!   line blocks it.
//!
//! In a sensitive list (a terrorism list given as a `urls` file), whose
//! entries are digests of lookup expressions, a line is the page (with any
//! query) and the pages below it, as lookup expressions can reach them.

use super::canon;
use super::ctx::{Sink, strip_inline_comment, without_fragment};
use super::{EntryKind, Format, ListError};

/// Parses one line of a squidGuard-style domain, URL or expression list
/// (shared with e2guardian, whose lists hold the same kinds of lines but
/// match them otherwise; see [`super::e2guardian`]).
pub(super) fn line(
    sink: &mut Sink<'_>,
    format: Format,
    line: usize,
    text: &str,
) -> Result<(), ListError> {
    match format {
        Format::SquidGuardUrls => url_line(sink, line, text),
        Format::E2Url => super::e2guardian::url_line(sink, line, text),
        Format::SquidGuardExpressions => match canon::regex(text, true) {
            Ok(_) => sink.entry(line, EntryKind::SquidGuardExpression(text.to_owned())),
            Err(problem) => sink.skip(line, &problem),
        },
        Format::E2Regexp => {
            // e2guardian chops a trailing `/` off every list line as it
            // reads it, expressions too (`ListContainer::readAnotherItemList`):
            // `^[^/]*\.ads\.example/` is `^[^/]*\.ads\.example` there. An
            // escaped `\/` is kept (chopped, it would not compile).
            let line_text = text;
            let text = match text.strip_suffix('/') {
                Some(chopped) if !chopped.ends_with('\\') => chopped,
                _ => text,
            };
            if text.is_empty() {
                // e2guardian ignores the line; as an expression it would
                // match every URL.
                return sink.skip(
                    line,
                    &super::ctx::Problem::BadRegex {
                        text: line_text,
                        why: "it is empty once its trailing `/` is dropped as e2guardian drops it, and an empty expression would match every URL".to_owned(),
                    },
                );
            }
            match canon::regex(text, true) {
                Ok(_) => sink.entry(line, EntryKind::E2guardianExpression(text.to_owned())),
                Err(problem) => sink.skip(line, &problem),
            }
        }
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

/// The word of a `urls` line squidGuard keys on: the first white-space
/// separated word, without one leading `+` or `-` (the add and delete
/// marks of its `.diff` update files, which it strips from every line).
fn key_word(text: &str) -> &str {
    let text = text
        .strip_prefix('+')
        .or_else(|| text.strip_prefix('-'))
        .unwrap_or(text);
    text.split_whitespace().next().unwrap_or_default()
}

/// A `urls` line: a [`EntryKind::SquidGuardUrl`] of its canonical,
/// lowercased `host/path?query` (a line without a path is `host/`).
fn url_line(sink: &mut Sink<'_>, line: usize, text: &str) -> Result<(), ListError> {
    let word = key_word(text);
    let (word, fragment) = without_fragment(word);
    if sink.options.sensitive {
        // Digests of lookup expressions: the page and the pages below it.
        let mut kinds = Vec::with_capacity(2);
        return match canon::url_prefix(word, false, &mut kinds) {
            Ok(()) => kinds.into_iter().try_for_each(|k| sink.entry(line, k)),
            Err(problem) => sink.skip(line, &problem),
        };
    }
    match canon::url(word) {
        Ok(url) => {
            if fragment {
                sink.fragment(line);
            }
            let key = url.host_and_path_query().to_ascii_lowercase();
            sink.entry(line, EntryKind::SquidGuardUrl(key))
        }
        Err(problem) => sink.skip(line, &problem),
    }
}
