//! Expressions as a bundle applies them (anchored DFAs built together in
//! groups, started at every position of the URL with the runs merged, the
//! e2guardian input chopped) against the `regex` crate, whose meta engine
//! is another implementation of the same syntax, on the same patterns
//! and canonical URLs: a bundle matches exactly the expressions `regex`
//! finds somewhere in the expression's input, in either automaton
//! layout (sparse, the default, and dense).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test: a failure should panic with its message"
)]

use std::collections::BTreeSet;

use esafety::bundle::{AutomatonLayout, Bundle, BundleBuilder};
use esafety::classify::Classifier;
use esafety::lists::{Entry, EntryKind};
use esafety::url::CanonicalUrl;
use proptest::prelude::*;

/// The kinds of expression entry, with whether each ignores case and
/// whether it sees the URL with one trailing `/` chopped (e2guardian).
#[derive(Debug, Clone, Copy)]
enum Kind {
    Regex,
    RegexNoCase,
    SquidGuard,
    E2guardian,
}

impl Kind {
    fn entry(self, pattern: &str) -> EntryKind {
        let p = pattern.to_owned();
        match self {
            Kind::Regex => EntryKind::Regex(p),
            Kind::RegexNoCase => EntryKind::RegexNoCase(p),
            Kind::SquidGuard => EntryKind::SquidGuardExpression(p),
            Kind::E2guardian => EntryKind::E2guardianExpression(p),
        }
    }
    fn no_case(self) -> bool {
        !matches!(self, Kind::Regex)
    }
    fn chops(self) -> bool {
        matches!(self, Kind::E2guardian)
    }
}

/// The oracle: the pattern as POSIX tools read it in the C locale (bytes,
/// `.` any byte), or with Unicode where bytes do not parse, as the
/// bundle's documentation gives it.
fn oracle(pattern: &str, no_case: bool) -> Option<regex::bytes::Regex> {
    let i = if no_case { "i" } else { "" };
    regex::bytes::Regex::new(&format!("(?{i}s-u){pattern}"))
        .or_else(|_| regex::bytes::Regex::new(&format!("(?{i}s){pattern}")))
        .ok()
}

/// The canonical `host/path?query` with its `%XX` escapes decoded.
fn decoded(url: &CanonicalUrl) -> Vec<u8> {
    let text = url.host_and_path_query().as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        if text[i] == b'%'
            && i + 2 < text.len()
            && let (Some(h), Some(l)) = (hex(text[i + 1]), hex(text[i + 2]))
        {
            out.push(u8::try_from(h * 16 + l).unwrap());
            i += 3;
            continue;
        }
        out.push(text[i]);
        i += 1;
    }
    out
}

fn pattern() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        "a", "b", "x", "/", ".", "\\.", "-", "_", "^", "$", "[a-c]", "[^/]", "[-/_.]", "(", ")",
        "|", "*", "+", "?", "{2}", "{1,3}", "(?:", ".*", "porn", "X", "\\d", "\\w", "\\b", "=",
        "é", "\\p{L}", "%",
    ]);
    prop::collection::vec(piece, 1..7).prop_map(|v| v.concat())
}

fn kind() -> impl Strategy<Value = Kind> {
    prop::sample::select(vec![
        Kind::Regex,
        Kind::RegexNoCase,
        Kind::SquidGuard,
        Kind::E2guardian,
    ])
}

fn url() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        "a", "b", "x", "X", "/", ".", "-", "_", "porn", "PORN", "1", "=", "?", "%C3%A9", "%2e",
        "%41", "//", "é",
    ]);
    (
        "[a-c]{1,3}\\.(example|porn)",
        prop::collection::vec(piece, 0..8),
    )
        .prop_map(|(host, path)| format!("http://{host}/{}", path.concat()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn a_bundle_matches_the_expressions_the_regex_crate_finds(
        expressions in prop::collection::vec((pattern(), kind()), 1..10),
        urls in prop::collection::vec(url(), 1..6),
        layout in prop_oneof![Just(AutomatonLayout::Sparse), Just(AutomatonLayout::Dense)],
    ) {
        let mut b = BundleBuilder::new();
        b.automata(layout);
        let mut oracles = Vec::new();
        for (i, (pattern, kind)) in expressions.iter().enumerate() {
            let Some(oracle) = oracle(pattern, kind.no_case()) else { continue };
            let list = b.add_list(&format!("x{i}"), "adult").unwrap();
            // A pattern regex-automata does not take (or that no bounded
            // DFA applies) is the builder's error, not a match.
            if b.add_entry(list, &Entry { kind: kind.entry(pattern), line: 1 }).is_ok() {
                oracles.push((format!("x{i}"), oracle, *kind, pattern.clone()));
            }
        }
        let classifier = Classifier::new(Bundle::from_bytes(b.build().unwrap()).unwrap());
        for url in &urls {
            let Ok(canonical) = CanonicalUrl::parse(url) else { continue };
            let view = decoded(&canonical);
            let got: BTreeSet<String> = classifier
                .classify(&canonical)
                .matches
                .iter()
                .map(|m| m.list.to_owned())
                .collect();
            let want: BTreeSet<String> = oracles
                .iter()
                .filter(|(_, re, kind, _)| {
                    let input = if kind.chops() { view.strip_suffix(b"/").unwrap_or(&view) } else { &view[..] };
                    re.is_match(input)
                })
                .map(|(name, ..)| name.clone())
                .collect();
            prop_assert_eq!(
                &got, &want,
                "{} as {:?} ({:?}): {:?}",
                url,
                String::from_utf8_lossy(&view),
                layout,
                oracles.iter().map(|(n, _, k, p)| format!("{n} {k:?} `{p}`")).collect::<Vec<_>>()
            );
        }
    }
}

/// Named cases of the merged every-position search, each against the
/// oracle: runs that meet in a `.*` loop, look-behind at the start,
/// matches that end at the URL's end, and a pattern that matches empty.
#[test]
fn named_expressions_match_as_the_regex_crate_does() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "word boundaries",
            "(^|[-/_.])porn([-/_.]|$)",
            "http://a.example/x-porn-y",
        ),
        (
            "no boundary",
            "(^|[-/_.])porn([-/_.]|$)",
            "http://a.example/xporny",
        ),
        ("start anchor", "^a\\.example/", "http://a.example/p"),
        (
            "start anchor not at start",
            "^example/",
            "http://a.example/p",
        ),
        ("end anchor", "\\.exe$", "http://a.example/setup.exe"),
        (
            "leading loop",
            ".*porn",
            "http://a.example/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaporn",
        ),
        (
            "loop inside",
            "google\\..*/search\\?q=cache.*teen",
            "http://google.google.google.example/search?q=cache:teen",
        ),
        ("empty", "", "http://a.example/"),
        ("word boundary", "\\bsex\\b", "http://a.example/sex.html"),
        (
            "word boundary inside a word",
            "\\bsex\\b",
            "http://a.example/essex",
        ),
        ("escaped text", "café", "http://a.example/caf%C3%A9"),
        (
            "unicode class",
            "/\\p{L}+$",
            "http://a.example/%D0%BF%D0%BE",
        ),
    ];
    for ((name, pattern, url), layout) in cases
        .iter()
        .flat_map(|c| [(c, AutomatonLayout::Sparse), (c, AutomatonLayout::Dense)])
    {
        let mut b = BundleBuilder::new();
        b.automata(layout);
        let list = b.add_list("x", "adult").unwrap();
        b.add_entry(
            list,
            &Entry {
                kind: EntryKind::RegexNoCase((*pattern).into()),
                line: 1,
            },
        )
        .unwrap();
        let classifier = Classifier::new(Bundle::from_bytes(b.build().unwrap()).unwrap());
        let canonical = CanonicalUrl::parse(url).unwrap();
        let want = oracle(pattern, true)
            .unwrap()
            .is_match(&decoded(&canonical));
        let got = !classifier.classify(&canonical).matches.is_empty();
        assert_eq!(got, want, "{name} ({layout:?}): `{pattern}` on {url}");
    }
}
