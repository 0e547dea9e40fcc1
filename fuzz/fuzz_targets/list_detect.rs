//! Fuzz format detection, then parse with the detected format: never a
//! panic, and detection is deterministic.
#![no_main]

use esafety::lists::{ParseOptions, detect, parse};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let format = detect(data);
    assert_eq!(format, detect(data));
    let _ = parse(format, "fuzz", data, &ParseOptions::new());
});
