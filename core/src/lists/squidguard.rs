//! squidGuard and UT1 category files: `domains` (one domain per line),
//! `urls` (`host/path` prefixes) and `expressions` (regular expressions).
//! `#` starts a comment.
//!
//! A `urls` line `host/dir` lists the page `host/dir` (with any query) and
//! everything below `host/dir/`, as squidGuard does, but not
//! `host/directory`; `host` alone lists everything on that host.

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
            match canon::url_prefix(text, &mut kinds) {
                Ok(()) => {
                    for kind in kinds {
                        sink.entry(line, kind)?;
                    }
                    Ok(())
                }
                Err(problem) => sink.skip(line, &problem),
            }
        }
        Format::SquidGuardExpressions | Format::E2Regexp => match canon::regex(text) {
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
