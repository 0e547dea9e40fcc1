//! Fuzz the e2guardian list parsers with `.Include` following: the input
//! is split at NUL bytes into a main file and included files (`.Include<N>`
//! reads part N), so cycles, deep nesting and missing files are reached.
//! Every input is `Ok` or `Err`, never a panic or an endless loop; a
//! sensitive parse never names an included path, and streaming the
//! entries gives the entries a collecting parse gives.
#![no_main]

use esafety::lists::{Format, ListError, ParseOptions, parse_streaming, parse_with_includes};
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
            for sensitive in [false, true] {
                let options = ParseOptions::new()
                    .with_strict(strict)
                    .with_sensitive(sensitive);
                let collected = parse_with_includes(format, "0", main, &options, &mut loader);
                let mut streamed = Vec::new();
                let streaming = parse_streaming(
                    format,
                    "0",
                    main,
                    &options,
                    Some(&mut loader),
                    &mut |_, entry| streamed.push(entry),
                );
                match (&collected, &streaming) {
                    (Ok(c), Ok(s)) => {
                        assert_eq!(c.entries, streamed);
                        assert_eq!(c.skipped, s.skipped);
                    }
                    (Err(_), Err(_)) => {}
                    _ => panic!("collecting and streaming disagree"),
                }
                if sensitive && let Err(err @ ListError::SensitiveInclude { .. }) = &collected {
                    // No included path (a part number) follows the `:line: `.
                    assert!(!format!("{err:?}").contains("path"));
                }
            }
        }
    }
});
