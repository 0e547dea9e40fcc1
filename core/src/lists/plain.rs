//! Plain lists: one domain, URL or URL prefix per line, `#` comments.
//!
//! - `example.com`, `*.example.com`, `http://example.com/` → a domain;
//! - `example.com/dir/` → a URL prefix (everything below `dir/`);
//! - `example.com/page.html`, `example.com/dir?q=1` → an exact page.
//!
//! A comment is a line starting with `#`, or `#` after white space.

use super::ListError;
use super::canon;
use super::ctx::{Sink, strip_inline_comment};

pub(super) fn parse(sink: &mut Sink<'_>, bytes: &[u8]) -> Result<(), ListError> {
    sink.lines(bytes, |sink, line, text| {
        if text.starts_with('#') {
            return Ok(());
        }
        let text = strip_inline_comment(text);
        match canon::plain(text) {
            Ok(kind) => sink.entry(line, kind),
            Err(problem) => sink.skip(line, &problem),
        }
    })
}
