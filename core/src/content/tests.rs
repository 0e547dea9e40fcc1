//! Properties of the scanner against a literal model of e2guardian's
//! search: the buffer it builds, its quick search writing each phrase past
//! the end and counting, then its graph reading past the end.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "tests: a failure should panic with its message"
)]

use std::collections::BTreeMap;

use proptest::prelude::*;

use super::normalise::{CaseMode, PassMode, Text, byte_map, normalise, passes};
use super::quick_search::{MAX_QUICK_LEN, Search};
use super::scanner::{Counting, ScanOptions};
use super::{ListKind, PhraseList, PhraseOptions, Scanner, ScannerBuilder};

/// e2guardian's counts for one pass, by phrase id, the slow way: the text
/// as `checkme` builds it (the smart text searched one byte short), then
/// `graphSearch`: every quick-search phrase in order writes itself past
/// the end and is counted by brute force, then every graph phrase is
/// counted at every start before the end, reading past it.
fn model_counts(scanner: &Scanner, text: &[u8], pass: super::Pass) -> BTreeMap<u32, u32> {
    let inner = &scanner.inner;
    let normal = normalise(text, pass, inner.options.passes);
    let searched = match pass.text {
        Text::Smart => normal.len().saturating_sub(1),
        Text::Raw | Text::SearchTerms => normal.len(),
    };
    let mut buf = normal;
    buf.resize(buf.len() + 2 * MAX_QUICK_LEN + 2, 0);
    let mut counts = BTreeMap::new();
    let occurrences = |buf: &[u8], p: &[u8]| -> u32 {
        (0..searched)
            .filter(|&i| buf.get(i..i + p.len()) == Some(p))
            .count()
            .try_into()
            .unwrap()
    };
    for &id in &inner.quick.order {
        let p = inner.phrase(id);
        if searched < p.len() || p.len() > MAX_QUICK_LEN {
            continue;
        }
        buf[searched..searched + p.len()].copy_from_slice(p);
        let n = occurrences(&buf, p);
        if n > 0 {
            counts.insert(id, n);
        }
    }
    for (id, s) in inner.quick.search.iter().enumerate() {
        if *s != Search::Graph {
            continue;
        }
        let id = u32::try_from(id).unwrap();
        let n = occurrences(&buf, inner.phrase(id));
        if n > 0 {
            counts.insert(id, n);
        }
    }
    counts
}

/// A list over a small alphabet, so that phrases overlap, nest and meet
/// both of e2guardian's search paths.
fn list_text() -> impl Strategy<Value = String> {
    let phrase = "[ab x]{1,6}";
    let line = prop_oneof![
        (phrase, -20i32..60).prop_map(|(p, w)| format!("<{p}><{w}>")),
        (phrase, phrase, 1i32..60).prop_map(|(p, q, w)| format!("<{p}>,<{q}><{w}>")),
        phrase.prop_map(|p| format!("<{p}>")),
        (phrase, 1i32..40).prop_map(|(p, w)| format!("<{p}><{w}%>")),
    ];
    prop::collection::vec(line, 1..40).prop_map(|lines| lines.join("\n"))
}

fn text() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        prop::sample::select(b"aabbAB x  <>.\n\xC1\xE1".to_vec()),
        0..300,
    )
}

fn options() -> impl Strategy<Value = ScanOptions> {
    (
        prop::sample::select(vec![PassMode::Both, PassMode::Raw, PassMode::Smart]),
        prop::sample::select(vec![CaseMode::Fold, CaseMode::Preserve, CaseMode::Both]),
        prop::sample::select(vec![Counting::OncePerPass, Counting::Occurrences]),
    )
        .prop_map(|(passes, case, counting)| ScanOptions {
            passes,
            case,
            counting,
        })
}

fn scanner(weighted: &str, exception: &str, options: ScanOptions) -> Scanner {
    let o = PhraseOptions::new();
    let mut b = ScannerBuilder::new();
    b.options(options)
        .add_list(PhraseList::parse("w", weighted.as_bytes(), ListKind::Weighted, &o).unwrap())
        .add_list(PhraseList::parse("e", exception.as_bytes(), ListKind::Exception, &o).unwrap());
    b.build().unwrap()
}

fn chunks(text: &[u8], cuts: &[usize]) -> Vec<Vec<u8>> {
    let mut cuts: Vec<usize> = cuts.iter().map(|c| c % (text.len() + 1)).collect();
    cuts.sort_unstable();
    let mut out = Vec::new();
    let mut at = 0;
    for c in cuts {
        out.push(text[at..c].to_vec());
        at = c;
    }
    out.push(text[at..].to_vec());
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// Every pass counts what the literal model of e2guardian counts.
    #[test]
    fn counts_are_e2guardians(weighted in list_text(), text in text(), options in options()) {
        let scanner = scanner(&weighted, "<x a>\n", options);
        let matches = scanner.scan(&text);
        for (pass, got) in matches.passes.iter().map(|p| (p.pass, &p.found)) {
            let got: BTreeMap<u32, u32> = got.iter().map(|f| (f.phrase, f.count)).collect();
            prop_assert_eq!(&got, &model_counts(&scanner, &text, pass), "pass {}", pass);
        }
    }

    /// Any split of a text into pieces finds the same, in the same places.
    #[test]
    fn chunks_change_nothing(weighted in list_text(), text in text(), cuts in prop::collection::vec(0usize..400, 0..8), options in options()) {
        let scanner = scanner(&weighted, "< ab >\n", options);
        let whole = scanner.scan(&text);
        let mut stream = scanner.stream();
        for piece in chunks(&text, &cuts) {
            stream.feed(&piece);
        }
        let pieces = stream.finish();
        prop_assert_eq!(&pieces, &whole);
        for limit in [0, 20, 50, 100] {
            prop_assert_eq!(pieces.judge(limit), whole.judge(limit));
        }
    }

    /// The text a pass scans is its own normal form.
    #[test]
    fn normalisation_is_idempotent(text in prop::collection::vec(any::<u8>(), 0..400)) {
        for mode in [PassMode::Both, PassMode::Raw, PassMode::Smart] {
            for search in [false, true] {
                for pass in passes(mode, CaseMode::Both, search) {
                    let once = normalise(&text, pass, mode);
                    prop_assert_eq!(normalise(&once, pass, mode), once.clone(), "{}", pass);
                    // The byte map alone is idempotent too.
                    let map = byte_map(pass, mode);
                    prop_assert!((0..=255u8).all(|b| map[usize::from(map[usize::from(b)])] == map[usize::from(b)]));
                }
            }
        }
    }
}

/// Named cases of what e2guardian's search does at the end of a text,
/// each also in the parity corpus that runs e2guardian itself.
#[test]
fn end_of_text_cases() {
    let smart_only = ScanOptions {
        passes: PassMode::Smart,
        ..ScanOptions::default()
    };
    // `< sex >` alone in its branch: quick search. The smart text ` free
    // sex ` is searched as ` free sex`, and the phrase's own sentinel
    // completes it.
    let s = scanner("< sex ><60>\n", "", smart_only);
    assert_eq!(s.scan(b"free sex</p>").judge(50).score, 60);
    assert_eq!(
        s.scan(b"free sex").judge(50).score,
        0,
        "` free se` is searched"
    );
    // A graph phrase ending the smart text: its last byte was the one
    // e2guardian does not search, now a sentinel's.
    let words: String = (b'a'..=b'n')
        .map(|c| format!("< {}word ><1>\n", c as char))
        .collect();
    let s = scanner(&format!("{words}<qq><60>\n"), "", ScanOptions::default());
    assert_eq!(
        s.scan(b"<p>a bword</p>").judge(50).score,
        1,
        "found in the raw pass"
    );
    assert_eq!(
        s.scan(b"bword").judge(50).score,
        0,
        "smart: ` bword` + the sentinel `qq`; raw: no space around it"
    );
    // A quick-search phrase longer than the text is not searched for.
    let s = scanner("<abcdef><60>\n", "", ScanOptions::default());
    assert_eq!(
        s.scan(b"abcdef").judge(50).score,
        60,
        "the raw pass has all six bytes"
    );
    let s = scanner("<abcdef><60>\n", "", smart_only);
    assert_eq!(
        s.scan(b"abcdef").judge(50).score,
        0,
        "smart: 6 bytes searched of ` abcdef`, the phrase is 6"
    );
    assert_eq!(s.scan(b"abcdef.").judge(50).score, 60);
}
