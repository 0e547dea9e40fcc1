//! Checks shared by the fuzz targets.

use esafety::lists::{Format, ParseOptions, parse};

/// Parses `data` as `format` in every mode (lenient and strict, plain and
/// sensitive): every input is `Ok` or `Err`, never a panic, and a sensitive
/// parse yields only digests.
pub fn parse_list_in_every_mode(format: Format, data: &[u8]) {
    for strict in [false, true] {
        for sensitive in [false, true] {
            let options = ParseOptions::new()
                .with_strict(strict)
                .with_sensitive(sensitive);
            if let Ok(parsed) = parse(format, "fuzz", data, &options) {
                if sensitive {
                    assert!(parsed.entries.iter().all(|e| e.kind.digest().is_some()));
                }
            }
        }
    }
}
