//! Fuzz the adblock list parser: every input is `Ok` or `Err`, never a
//! panic, in every mode; a sensitive parse yields only digests.
#![no_main]

use esafety::lists::{EntryKind, Format, ParseOptions, parse};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for strict in [false, true] {
        for sensitive in [false, true] {
            let options = ParseOptions::new()
                .with_strict(strict)
                .with_sensitive(sensitive);
            if let Ok(parsed) = parse(Format::Adblock, "fuzz", data, &options) {
                if sensitive {
                    assert!(
                        parsed
                            .entries
                            .iter()
                            .all(|e| e.kind.digest().is_some())
                    );
                }
            }
        }
    }
});
