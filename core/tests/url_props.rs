//! Properties of `esafety::url::CanonicalUrl`, checked with proptest on
//! arbitrary strings, arbitrary bytes and generated URL-like inputs.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "test helpers outside #[test] functions: a panic is a test failure"
)]

use std::collections::HashSet;

use esafety::url::{CanonicalUrl, escape_invalid_utf8};
use proptest::prelude::*;
use proptest::strategy::ValueTree;

/// URL-like inputs built from the pieces canonicalization cares about, so
/// that most of them parse and exercise every step.
fn url_like() -> impl Strategy<Value = String> {
    let scheme = prop_oneof![
        Just(""),
        Just("http://"),
        Just("HTTPS://"),
        Just("http:"),
        Just("http:\\\\"),
        Just("ftp://"),
        Just("//"),
        Just(" \thttp:///"),
    ];
    let userinfo = prop_oneof![Just(""), Just("user:pw@"), Just("a@b@"), Just("%40@")];
    let host = prop_oneof![
        "[a-zA-Z0-9.%_\\-]{0,20}",
        "([a-z]{1,4}\\.){0,7}[a-z]{1,4}",
        "(0x[0-9a-fA-F]{0,3}|0[0-7]{0,4}|[0-9]{1,10})(\\.(0x[0-9a-f]{0,2}|0[0-7]{0,3}|[0-9]{1,3})){0,4}",
        "\\[[0-9a-fA-F:.]{0,24}\\]",
        "[a-z\u{e4}\u{fc}\u{3002}\u{ff21}\u{ad}.]{1,12}",
        "(%[0-9a-fA-F]{2}|[a-z.]){1,12}",
    ];
    let port = prop_oneof![
        Just(String::new()),
        "[0-9]{0,6}".prop_map(|p| format!(":{p}"))
    ];
    let path = prop_oneof![
        Just(String::new()),
        "[/\\\\][/\\\\.a-cA-C%2-5eEfF ?#\u{e9};+]{0,30}".prop_map(String::from),
    ];
    let query = prop_oneof![
        Just(String::new()),
        "[a-z=&/.%25?# ]{0,15}".prop_map(|q| format!("?{q}"))
    ];
    let fragment = prop_oneof![
        Just(String::new()),
        "[a-z#?/]{0,8}".prop_map(|f| format!("#{f}"))
    ];
    (scheme, userinfo, host, port, path, query, fragment)
        .prop_map(|(s, u, h, p, pa, q, f)| format!("{s}{u}{h}{p}{pa}{q}{f}"))
}

/// Parsing the canonical string again gives the same URL, part by part.
fn check_idempotent(input: &str) -> Result<(), TestCaseError> {
    if let Ok(url) = CanonicalUrl::parse(input) {
        let again = CanonicalUrl::parse(url.as_str());
        prop_assert!(again.is_ok(), "{input:?} -> {url:?} -> {again:?}");
        let again = again.unwrap();
        prop_assert_eq!(again.as_str(), url.as_str(), "input {:?}", input);
        prop_assert_eq!(again.host(), url.host());
        prop_assert_eq!(again.path(), url.path());
        prop_assert_eq!(again.query(), url.query());
        prop_assert_eq!(again.is_ip(), url.is_ip());
    }
    Ok(())
}

/// The structural properties of a canonical URL and its expressions.
fn check_structure(input: &str) -> Result<(), TestCaseError> {
    let Ok(url) = CanonicalUrl::parse(input) else {
        return Ok(());
    };
    let s = url.as_str();
    prop_assert!(s.is_ascii());
    prop_assert!(
        !s.bytes().any(|b| b <= 0x20 || b == 0x7F || b == b'#'),
        "{s:?}"
    );
    prop_assert!(url.path().starts_with('/'));
    prop_assert!(!url.host().is_empty());
    prop_assert!(!url.path().contains("//"), "{s:?}");
    prop_assert!(
        !url.path().split('/').any(|seg| seg == "." || seg == ".."),
        "dot segment left in {s:?}"
    );
    prop_assert!(s.ends_with(url.host_and_path_query()));
    prop_assert_eq!(
        format!("{}://{}", url.scheme(), url.host_and_path_query()),
        s.to_owned()
    );

    let host = url.host();
    let path_query = url
        .host_and_path_query()
        .strip_prefix(host)
        .unwrap_or_default();
    let expressions: Vec<_> = url.expressions().collect();
    prop_assert!(
        !expressions.is_empty() && expressions.len() <= 30,
        "{} expressions",
        expressions.len()
    );
    prop_assert_eq!(url.expressions().len(), expressions.len());
    prop_assert_eq!(expressions[0].host(), host);
    prop_assert_eq!(expressions[0].path(), path_query);
    let mut hosts = Vec::new();
    let mut seen = HashSet::new();
    for e in &expressions {
        let h = e.host();
        prop_assert!(
            h == host || host.ends_with(&format!(".{h}")),
            "{h:?} is not a label-boundary suffix of {host:?}"
        );
        prop_assert!(h.contains('.') || h == host, "a bare TLD {h:?} of {host:?}");
        prop_assert!(
            path_query.starts_with(e.path()),
            "{:?} is not a prefix of {path_query:?}",
            e.path()
        );
        prop_assert!(e.path().starts_with('/'));
        prop_assert!(seen.insert(e.to_string()), "duplicate expression {e}");
        if hosts.last() != Some(&h) {
            hosts.push(h);
        }
    }
    prop_assert!(hosts.len() <= 5);
    if url.is_ip() {
        prop_assert_eq!(hosts.len(), 1);
    }
    let per_host = expressions.len() / hosts.len();
    prop_assert!(per_host <= 6 && per_host * hosts.len() == expressions.len());

    // host_suffixes: every label-boundary suffix, longest first.
    let suffixes: Vec<&str> = url.host_suffixes().collect();
    if url.is_ip() {
        prop_assert_eq!(suffixes, vec![host]);
    } else {
        let labels: Vec<&str> = host.split('.').collect();
        let want: Vec<String> = (0..labels.len()).map(|i| labels[i..].join(".")).collect();
        prop_assert_eq!(suffixes, want);
    }
    Ok(())
}

/// URL-like bytes with raw bytes of `0x80` and over put in anywhere: some
/// form valid UTF-8 sequences with their neighbours, most do not.
fn url_like_bytes() -> impl Strategy<Value = Vec<u8>> {
    (
        url_like(),
        proptest::collection::vec((any::<prop::sample::Index>(), 0x80u8..=0xff), 0..6),
    )
        .prop_map(|(url, raw)| {
            let mut bytes = url.into_bytes();
            for (at, byte) in raw {
                let at = at.index(bytes.len() + 1);
                bytes.insert(at, byte);
            }
            bytes
        })
}

/// Every byte of `0x80` and over written `%XX`: the ASCII spelling of the
/// same URL, valid UTF-8 sequences included.
fn escape_every_high_byte(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| {
            if b < 0x80 {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Raw bytes and their escapes are the same URL: what
/// `escape_invalid_utf8` relies on to hand non-UTF-8 input to the parser.
fn check_raw_bytes_are_their_escapes(bytes: &[u8]) -> Result<(), TestCaseError> {
    let text = escape_invalid_utf8(bytes);
    if let Ok(valid) = std::str::from_utf8(bytes) {
        prop_assert_eq!(&*text, valid, "valid UTF-8 is kept as it is");
    }
    let raw = CanonicalUrl::parse(&text);
    let escaped = CanonicalUrl::parse(&escape_every_high_byte(bytes));
    match (&raw, &escaped) {
        (Ok(a), Ok(b)) => prop_assert_eq!(a.as_str(), b.as_str()),
        (Err(a), Err(b)) => prop_assert_eq!(
            std::mem::discriminant(a),
            std::mem::discriminant(b),
            "{} / {}",
            a,
            b
        ),
        _ => prop_assert!(false, "raw {:?} but escaped {:?}", raw, escaped),
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn raw_high_bytes_canonicalize_as_their_escapes(bytes in url_like_bytes()) {
        check_raw_bytes_are_their_escapes(&bytes)?;
    }

    #[test]
    fn raw_arbitrary_bytes_canonicalize_as_their_escapes(
        tail in proptest::collection::vec(any::<u8>(), 0..60)
    ) {
        let mut bytes = b"http://".to_vec();
        bytes.extend_from_slice(&tail);
        check_raw_bytes_are_their_escapes(&bytes)?;
    }


    #[test]
    fn idempotent_on_url_like_inputs(input in url_like()) {
        check_idempotent(&input)?;
    }

    #[test]
    fn structure_on_url_like_inputs(input in url_like()) {
        check_structure(&input)?;
    }

    #[test]
    fn never_panics_on_arbitrary_strings(input in any::<String>()) {
        let _ = CanonicalUrl::parse(&input);
        check_idempotent(&input)?;
        check_structure(&input)?;
    }

    #[test]
    fn never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let input = String::from_utf8_lossy(&bytes);
        check_idempotent(&input)?;
        check_structure(&input)?;
    }

    #[test]
    fn idempotent_on_arbitrary_strings_behind_a_scheme(tail in any::<String>()) {
        let input = format!("http://{tail}");
        check_idempotent(&input)?;
        check_structure(&input)?;
    }
}

#[test]
fn url_like_inputs_mostly_parse() {
    // The generator must exercise canonicalization, not only error paths.
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = url_like();
    let mut ok = 0;
    for _ in 0..500 {
        let input = strategy.new_tree(&mut runner).unwrap().current();
        if CanonicalUrl::parse(&input).is_ok() {
            ok += 1;
        }
    }
    assert!(ok > 250, "only {ok} of 500 generated inputs parse");
}
