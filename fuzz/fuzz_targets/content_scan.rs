//! Fuzz scanning: the first byte chooses the options and the limit, the
//! input up to the first NUL is a weighted phrase list and the rest the
//! text. The text is scanned whole and in pieces cut where its bytes say;
//! the two must find the same phrases in the same places and judge alike
//! (streaming never depends on where a body was cut).
#![no_main]

use esafety::content::{
    CaseMode, Counting, ListKind, PassMode, PhraseList, PhraseOptions, ScanOptions, ScannerBuilder,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let (list, text) = match rest.iter().position(|&b| b == 0) {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (rest, &[][..]),
    };
    let options = ScanOptions {
        passes: [PassMode::Both, PassMode::Raw, PassMode::Smart][usize::from(mode % 3)],
        case: [CaseMode::Fold, CaseMode::Preserve, CaseMode::Both][usize::from(mode / 3 % 3)],
        counting: [Counting::OncePerPass, Counting::Occurrences][usize::from(mode / 9 % 2)],
    };
    let limit = u32::from(mode) * 2;
    let Ok(list) = PhraseList::parse("w", list, ListKind::Weighted, &PhraseOptions::new()) else {
        return;
    };
    let mut b = ScannerBuilder::new();
    b.options(options).add_list(list);
    let Ok(scanner) = b.build() else {
        return;
    };
    let whole = scanner.scan(text);
    let mut stream = scanner.stream();
    let mut at = 0;
    for (i, &b) in text.iter().enumerate() {
        if b % 7 == 0 && i > at {
            stream.feed(&text[at..i]);
            at = i;
        }
    }
    stream.feed(&text[at..]);
    let pieces = stream.finish();
    assert!(pieces == whole, "pieces and whole differ");
    assert_eq!(pieces.judge(limit), whole.judge(limit));
    let terms = String::from_utf8_lossy(text);
    let _ = scanner.scan_search_terms(&[&terms]).judge(limit);
});
