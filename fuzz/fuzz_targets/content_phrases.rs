//! Fuzz the e2guardian phrase-list reader with `.Include` following, and
//! the scanner build over what it reads: the input is split at NUL bytes
//! into a main file and included files (`.Include<N>` reads part N), so
//! cycles, deep nesting, missing files, odd weights and combinations are
//! reached. Every input is `Ok` or `Err`, never a panic or an endless loop.
#![no_main]

use esafety::content::{ListKind, PhraseList, PhraseOptions, ScannerBuilder};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let parts: Vec<&[u8]> = data.split(|&b| b == 0).collect();
    let main = parts.first().copied().unwrap_or_default();
    for kind in [ListKind::Weighted, ListKind::Exception] {
        for strict in [false, true] {
            let mut loader = |path: &str| {
                path.trim()
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| parts.get(i))
                    .map(|p| p.to_vec())
                    .ok_or_else(|| std::io::Error::from(std::io::ErrorKind::NotFound))
            };
            let options = PhraseOptions::new().with_strict(strict);
            if let Ok(list) =
                PhraseList::parse_with_includes("0", main, kind, &options, &mut loader)
            {
                for p in list.problems() {
                    assert!(
                        p.to_string()
                            .starts_with(&format!("{}:{}: ", p.source, p.line))
                    );
                }
                let mut b = ScannerBuilder::new();
                b.add_list(list);
                if let Ok(scanner) = b.build() {
                    let _ = scanner.scan(main).judge(50);
                }
            }
        }
    }
});
