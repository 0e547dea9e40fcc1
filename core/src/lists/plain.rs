//! Plain lists: one domain, URL or URL prefix per line, `#` comments.
//!
//! - `example.com`, `*.example.com`, `http://example.com/` → a domain;
//! - `example.com/dir/` → a URL prefix (everything below `dir/`);
//! - `example.com/page.html`, `example.com/dir?q=1` → an exact page.
//!
//! A comment is a line starting with `#`, or `#` after white space. A
//! `#fragment` right after a URL is dropped (a browser never sends it) and
//! reported in [`ParsedList::fragment_lines`](super::ParsedList::fragment_lines).
//! A line that is neither a host nor a URL but looks like a regular
//! expression is skipped with a reason that says how to read the list as
//! expressions.

use super::ListError;
use super::canon;
use super::ctx::{Problem, Sink, strip_inline_comment, without_fragment};

/// Whether a line that is neither a host nor a URL is written in
/// regular-expression syntax a URL never has: anchors, escapes, `.*`,
/// alternation, a repeated group or class.
fn looks_like_regex(text: &str) -> bool {
    text.contains(".*")
        || text.contains('\\')
        || text.starts_with('^')
        || text.ends_with('$')
        || text.contains('|')
        || [")+", ")*", ")?", "]+", "]*", "]{", "){"]
            .iter()
            .any(|r| text.contains(r))
}

pub(super) fn parse(sink: &mut Sink<'_>, bytes: &[u8]) -> Result<(), ListError> {
    sink.lines(bytes, |sink, line, text| {
        if text.starts_with('#') {
            return Ok(());
        }
        let text = strip_inline_comment(text);
        let (page, fragment) = without_fragment(text);
        match canon::plain(page) {
            Ok(kind) => {
                if fragment {
                    sink.fragment(line);
                }
                sink.entry(line, kind)
            }
            Err(_) if looks_like_regex(text) => sink.skip(line, &Problem::RegexInPlain { text }),
            Err(problem) => sink.skip(line, &problem),
        }
    })
}
