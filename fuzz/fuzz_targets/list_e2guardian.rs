//! Fuzz the e2guardian list parsers with `.Include` following: the input
//! is split at NUL bytes into a main file and included files (`.Include<N>`
//! reads part N), so cycles, deep nesting and missing files are reached.
//! Every input is `Ok` or `Err`, never a panic or an endless loop.
#![no_main]

use esafety::lists::{Format, ParseOptions, parse_with_includes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let parts: Vec<&[u8]> = data.split(|&b| b == 0).collect();
    let main = parts.first().copied().unwrap_or_default();
    for format in [Format::E2Site, Format::E2Url, Format::E2Regexp] {
        for strict in [false, true] {
            let mut loader = |path: &str| {
                path.trim()
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| parts.get(i))
                    .map(|p| p.to_vec())
                    .ok_or_else(|| std::io::Error::from(std::io::ErrorKind::NotFound))
            };
            let options = ParseOptions::new().with_strict(strict);
            let _ = parse_with_includes(format, "0", main, &options, &mut loader);
        }
    }
});
