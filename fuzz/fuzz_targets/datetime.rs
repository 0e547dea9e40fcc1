//! Arbitrary text through the core's timestamp and date readers (a
//! request's time in every face, policy review dates, incident times).
//!
//! Never a panic; and whatever esafety reads, `jiff`'s own parser reads as
//! the same instant or date (esafety reads a subset of what jiff does: RFC
//! 3339, not ISO 8601's basic format or annotations).
#![no_main]

use esafety::datetime::{parse_date, parse_timestamp};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(ours) = parse_timestamp(text) {
        let theirs = text.parse::<jiff::Timestamp>();
        assert!(
            theirs.as_ref().is_ok_and(|t| *t == ours),
            "{text:?}: esafety {ours}, jiff {theirs:?}"
        );
    }
    if let Ok(ours) = parse_date(text) {
        let theirs = text.parse::<jiff::civil::Date>();
        assert!(
            theirs.as_ref().is_ok_and(|d| *d == ours),
            "{text:?}: esafety {ours}, jiff {theirs:?}"
        );
    }
});
