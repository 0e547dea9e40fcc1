//! The IWF URL list: one URL per line (`example.com/page.html`, a scheme is
//! optional), or the 64-hex SHA-256 digest of a canonical lookup expression
//! ([`expression_digest`](super::expression_digest)). `#` starts a comment.
//!
//! A URL becomes the exact page, [`EntryKind::Url`] of its canonical
//! `host/path?query` (`example.com` alone is `example.com/`, which the
//! lookup expressions of every page on that host include). Parsed with
//! [`ParseOptions::sensitive`](super::ParseOptions::sensitive), as the CLI
//! always does for `--iwf` and `--terrorism`, it is a digest at once.

use super::canon;
use super::ctx::{Problem, Sink};
use super::{EntryKind, ListError};

/// The digest in a 64-hex-digit line.
pub(super) fn parse_digest(text: &str) -> Option<[u8; 32]> {
    let bytes = text.as_bytes();
    if bytes.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (slot, pair) in out.iter_mut().zip(bytes.chunks_exact(2)) {
        let hi = char::from(*pair.first()?).to_digit(16)?;
        let lo = char::from(*pair.get(1)?).to_digit(16)?;
        *slot = u8::try_from(hi * 16 + lo).ok()?;
    }
    Some(out)
}

pub(super) fn parse(sink: &mut Sink<'_>, bytes: &[u8]) -> Result<(), ListError> {
    sink.lines(bytes, |sink, line, text| {
        if text.starts_with('#') {
            return Ok(());
        }
        if let Some(d) = parse_digest(text) {
            return sink.entry(line, EntryKind::Digest(d));
        }
        if text.len() >= 32 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
            return sink.skip(line, &Problem::BadDigest);
        }
        match canon::url(text) {
            Ok(cu) => sink.entry(line, EntryKind::Url(cu.host_and_path_query().to_owned())),
            Err(problem) => sink.skip(line, &problem),
        }
    })
}
