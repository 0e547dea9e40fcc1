//! List lines are canonicalized like requests: a list line and a request
//! that name the same page meet, whichever of them is written in an
//! evasive spelling (empty segments before `..`, escaped dots, escaped
//! slashes before `..`, backslashes), in every list format with URL lines.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers outside #[test] functions: a panic is a test failure"
)]

use esafety::bundle::{Bundle, BundleBuilder};
use esafety::classify::Classifier;
use esafety::lists::{Format, ParseOptions, parse};
use proptest::prelude::*;

/// Spellings of the page `evil.example/gallery/x93/a.jpg` (no scheme, as
/// list lines are written).
const SPELLINGS: &[(&str, &str)] = &[
    ("canonical", "evil.example/gallery/x93/a.jpg"),
    ("empty_then_parent", "evil.example/gallery/x93//../a.jpg"),
    ("dot_empty_parent", "evil.example/gallery/x93/.//../a.jpg"),
    ("escaped_parent", "evil.example/gallery/x93//%2e%2e/a.jpg"),
    ("mixed_parent", "evil.example/gallery/x93//.%2E/a.jpg"),
    ("empty_dot_parent", "evil.example/gallery/x93//./../a.jpg"),
    ("backslashes", "evil.example\\gallery\\x93\\\\..\\a.jpg"),
    (
        "escaped_slash_parent",
        "evil.example/junk%2Fmore/../gallery/x93/a.jpg",
    ),
    (
        "upper_host_escaped_path",
        "EVIL.example/gallery/%78%39%33/a.jpg",
    ),
];

/// How a format writes a list line for a spelling, if it can.
type Write = fn(&str) -> Option<String>;

/// The URL-line formats, with how each writes a line for `spelling`.
///
/// Adblock rules are matched against the URL as the browser sends it, in
/// which a `\` never appears: a `\` in a `||` rule is not a slash there
/// (adblock's own meaning), so backslash spellings are written only in
/// the other formats.
fn formats() -> Vec<(&'static str, &'static str, Format, Write)> {
    vec![
        ("plain", "local-test", Format::Plain, |s| {
            Some(format!("http://{s}"))
        }),
        (
            "squidguard-urls",
            "local-test",
            Format::SquidGuardUrls,
            |s| Some(s.to_owned()),
        ),
        ("e2guardian-url", "local-test", Format::E2Url, |s| {
            Some(s.to_owned())
        }),
        ("adblock", "local-test", Format::Adblock, |s| {
            (!s.contains('\\')).then(|| format!("||{s}^"))
        }),
        ("iwf", "child-abuse", Format::Iwf, |s| Some(s.to_owned())),
    ]
}

/// Whether a bundle of the one `line` in `format` matches `request`.
fn meets(category: &str, format: Format, line: &str, request: &str) -> bool {
    let text = format!("{line}\n");
    let sensitive = category == "child-abuse";
    let options = ParseOptions::new()
        .with_strict(true)
        .with_sensitive(sensitive);
    let parsed = parse(format, "list", text.as_bytes(), &options)
        .unwrap_or_else(|e| panic!("{format}: line {line:?}: {e}"));
    assert!(
        !parsed.entries.is_empty(),
        "{format}: line {line:?}: no entries"
    );
    let mut b = BundleBuilder::new();
    let id = b.add_list("list", category).unwrap();
    b.add_entries(id, &parsed.entries).unwrap();
    let classifier = Classifier::new(Bundle::from_bytes(b.build().unwrap()).unwrap());
    !classifier.classify_str(request).unwrap().matches.is_empty()
}

#[test]
fn every_spelling_of_a_line_meets_every_spelling_of_a_request() {
    let mut failures = Vec::new();
    for (format_name, category, format, write) in formats() {
        for &(line_name, line) in SPELLINGS {
            let Some(line) = write(line) else { continue };
            for &(request_name, request) in SPELLINGS {
                if !meets(category, format, &line, &format!("http://{request}")) {
                    failures.push(format!(
                        "{format_name}: line {line_name} misses request {request_name}"
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn siblings_do_not_meet() {
    for (format_name, category, format, write) in formats() {
        for &(line_name, line) in SPELLINGS {
            let Some(line) = write(line) else { continue };
            for sibling in [
                "http://evil.example/gallery/a.jpg",
                "http://evil.example/gallery/x93/b.jpg",
                "http://evil.example/gallery/x9/a.jpg",
                "http://evil.example/a.jpg",
            ] {
                assert!(
                    !meets(category, format, &line, sibling),
                    "{format_name}: line {line_name} meets {sibling}"
                );
            }
        }
    }
}

/// Path pieces that change which page a path names.
fn piece() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "a", "b", "", ".", "..", "%2e", "%2E%2e", ".%2e", "%2F", "x%2Fy", "%3F", "%5C",
    ])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// A line written in any spelling meets a request for its canonical
    /// page, and a line written canonically meets a request in any
    /// spelling of it.
    #[test]
    fn lines_and_requests_of_one_page_meet(
        pieces in prop::collection::vec((prop::sample::select(vec!["/", "\\", "//"]), piece()), 1..6),
    ) {
        let path: String = pieces.iter().map(|(s, p)| format!("{s}{p}")).collect();
        let spelling = format!("evil.example{path}/page.html");
        let canonical = esafety::CanonicalUrl::parse(&spelling).unwrap();
        let page = canonical.host_and_path_query();
        for (format_name, category, format, write) in formats() {
            if let Some(line) = write(&spelling) {
                prop_assert!(
                    meets(category, format, &line, canonical.as_str()),
                    "{}: line {:?} misses {}", format_name, line, canonical
                );
            }
            // (A `%5C` after an escaped `?` is a raw `\\` of the query.)
            let Some(line) = write(page) else { continue };
            prop_assert!(
                meets(category, format, &line, &format!("http://{spelling}")),
                "{}: line {:?} misses {:?}", format_name, page, spelling
            );
        }
    }
}
