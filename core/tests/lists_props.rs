//! Properties: no parser panics on arbitrary input, parsing is
//! deterministic, and a listed domain survives a round trip through the
//! canonicalizer.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test helpers fail loudly"
)]

use esafety::lists::{EntryKind, Format, ParseOptions, detect, parse, parse_with_includes};
use proptest::prelude::*;

fn formats() -> impl Strategy<Value = Format> {
    proptest::sample::select(Format::ALL.to_vec())
}

/// Lines that look like list syntax, to reach deeper than random bytes.
fn listish() -> impl Strategy<Value = Vec<u8>> {
    let line = prop_oneof![
        "[a-zA-Z0-9.*_-]{0,20}",
        "\\|\\|[a-z0-9.*^/$,=-]{0,30}",
        "(0\\.0\\.0\\.0|127\\.0\\.0\\.1|::1) [a-z0-9. -]{0,30}",
        "(https?://)?[a-z0-9.%-]{1,20}(/[a-z0-9./?=&%#*-]{0,20})?",
        "[0-9a-fA-F]{60,68}",
        "#[ -~]{0,20}",
        "\\.Include<[a-z/]{0,10}>?",
        "[()\\[\\]\\\\|^$.*+?a-z]{0,15}",
        "[ -~]{0,40}",
    ];
    proptest::collection::vec(line, 0..12).prop_map(|ls| ls.join("\n").into_bytes())
}

proptest! {
    #[test]
    fn never_panics_on_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512), format in formats(), strict: bool, sensitive: bool) {
        let options = ParseOptions::new().with_strict(strict).with_sensitive(sensitive);
        let _ = parse(format, "p", &bytes, &options);
        let _ = detect(&bytes);
    }

    #[test]
    fn never_panics_and_is_deterministic_on_listish(bytes in listish(), format in formats(), strict: bool, sensitive: bool) {
        let options = ParseOptions::new().with_strict(strict).with_sensitive(sensitive);
        let a = parse(format, "p", &bytes, &options);
        let b = parse(format, "p", &bytes, &options);
        match (a, b) {
            (Ok(a), Ok(b)) => prop_assert_eq!(a, b),
            (Err(a), Err(b)) => prop_assert_eq!(a.to_string(), b.to_string()),
            _ => prop_assert!(false, "one run failed and the other did not"),
        }
        prop_assert_eq!(detect(&bytes), detect(&bytes));
    }

    #[test]
    fn includes_terminate(bytes in listish(), format in formats()) {
        // A loader that always returns the same list: every include is a
        // cycle or runs into the depth limit, never an endless loop.
        let copy = bytes.clone();
        let mut loader = |_: &str| Ok(copy.clone());
        let _ = parse_with_includes(format, "p", &bytes, &ParseOptions::new(), &mut loader);
    }

    #[test]
    fn sensitive_lists_hold_only_digests(bytes in listish(), format in formats()) {
        let options = ParseOptions::new().with_sensitive(true);
        if let Ok(parsed) = parse(format, "p", &bytes, &options) {
            prop_assert!(parsed.entries.iter().all(|e| e.kind.digest().is_some()));
        }
    }

    #[test]
    fn a_valid_domain_parses_to_itself(labels in proptest::collection::vec("[a-z][a-z0-9-]{0,10}[a-z0-9]", 2..5)) {
        let host = labels.join(".");
        for format in [Format::Plain, Format::SquidGuardDomains, Format::E2Site] {
            let parsed = parse(format, "p", host.as_bytes(), &ParseOptions::new()).unwrap();
            prop_assert_eq!(&parsed.entries[0].kind, &EntryKind::Domain(host.clone()));
        }
        let line = format!("0.0.0.0 {host}");
        let parsed = parse(Format::Hosts, "p", line.as_bytes(), &ParseOptions::new()).unwrap();
        prop_assert_eq!(&parsed.entries[0].kind, &EntryKind::Domain(host.clone()));
        let line = format!("||{host}^");
        let parsed = parse(Format::Adblock, "p", line.as_bytes(), &ParseOptions::new()).unwrap();
        prop_assert_eq!(&parsed.entries[0].kind, &EntryKind::Domain(host));
    }
}

proptest! {
    /// Whatever shortcut the parser takes, a domain entry is exactly the
    /// host the canonicalizer makes of the same text.
    #[test]
    fn domain_entries_agree_with_the_canonicalizer(host in "[a-zA-Z0-9_.-]{1,12}(\\.[a-z0-9x-]{1,8}){0,3}\\.?") {
        let parsed = parse(Format::Plain, "p", host.as_bytes(), &ParseOptions::new()).unwrap();
        let canonical = esafety::url::CanonicalUrl::parse(&host);
        match (parsed.entries.first().map(|e| &e.kind), canonical) {
            (Some(EntryKind::Domain(d)), Ok(url)) => prop_assert_eq!(d.as_str(), url.host()),
            (Some(other), _) => prop_assert!(false, "{host:?} became {other:?}"),
            (None, _) => prop_assert_eq!(parsed.skipped.len(), 1),
        }
    }
}
