//! Fuzz the squidGuard / UT1 `domains`, `urls` and `expressions` parsers:
//! every input is `Ok` or `Err`, never a panic.
#![no_main]

use esafety::lists::{Format, ParseOptions, parse};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for format in [
        Format::SquidGuardDomains,
        Format::SquidGuardUrls,
        Format::SquidGuardExpressions,
    ] {
        for sensitive in [false, true] {
            let options = ParseOptions::new().with_sensitive(sensitive);
            let parsed = parse(format, "fuzz", data, &options);
            assert!(parsed.is_ok(), "lenient parsing never fails");
            if let Ok(parsed) = parsed {
                if sensitive {
                    assert!(parsed.entries.iter().all(|e| e.kind.digest().is_some()));
                }
            }
        }
        let _ = parse(format, "fuzz", data, &ParseOptions::new().with_strict(true));
    }
});
