//! Canonicalizes arbitrary bytes (as lossy UTF-8, and as `str` when they
//! are UTF-8): never a panic, and on success the canonical string
//! canonicalizes to itself with the same parts and well-formed expressions.
//!
//! Differentially, `CanonicalUrl::parse` (which takes a one-pass fast path
//! for inputs already in canonical shape) must give exactly what
//! `CanonicalUrl::parse_general` (the general path alone) gives, error
//! included; the input is also tried behind a canonical prefix
//! (`http://a.example/`, `http://a.example/?`), so that the fuzzer's bytes
//! land in the path and query the fast path scans.
//!
//! The bytes as `escape_invalid_utf8` makes them text (how the CLI and the
//! Squid helper read lines) canonicalize as the same bytes with every byte
//! of 0x80 and over written `%XX`: raw bytes and their escapes are one URL.
//!
//! Against a browser-grade oracle, the `url` crate (the WHATWG URL
//! Standard): for every input it accepts as an http or https URL (alone,
//! and behind `http://a.example/` so that the bytes land in the path), the
//! lookup expressions of the raw input include the canonical
//! `host/path?query` and `host/path` of the URL the browser requests; a
//! page esafety cannot canonicalize must be an error for the raw input too
//! (both fail closed).
#![no_main]

use esafety::url::{CanonicalUrl, escape_invalid_utf8};
use libfuzzer_sys::fuzz_target;

fn check(input: &str) {
    check_same_as_general(input);
    let Ok(url) = CanonicalUrl::parse(input) else {
        return;
    };
    let again = CanonicalUrl::parse(url.as_str()).expect("a canonical URL parses again");
    assert_eq!(again.as_str(), url.as_str(), "not idempotent for {input:?}");
    assert_eq!(again.path(), url.path());
    assert_eq!(again.query(), url.query());
    assert_eq!(again.is_ip(), url.is_ip());
    assert!(url.as_str().is_ascii());
    let host = url.host();
    let rest = url
        .host_and_path_query()
        .strip_prefix(host)
        .expect("host first");
    let mut count = 0;
    for e in url.expressions() {
        count += 1;
        assert!(e.host() == host || host.ends_with(&format!(".{}", e.host())));
        assert!(rest.starts_with(e.path()));
    }
    assert!((1..=30).contains(&count));
    assert_eq!(url.host_suffixes().next(), Some(host));
}

/// The fast path and the general path agree, part by part.
fn check_same_as_general(input: &str) {
    let fast = CanonicalUrl::parse(input);
    let general = CanonicalUrl::parse_general(input);
    match (&fast, &general) {
        (Ok(a), Ok(b)) => {
            assert_eq!(a.as_str(), b.as_str(), "fast != general for {input:?}");
            assert_eq!(a.scheme(), b.scheme(), "{input:?}");
            assert_eq!(a.host(), b.host(), "{input:?}");
            assert_eq!(a.path(), b.path(), "{input:?}");
            assert_eq!(a.query(), b.query(), "{input:?}");
            assert_eq!(a.is_ip(), b.is_ip(), "{input:?}");
        }
        _ => assert_eq!(fast, general, "fast != general for {input:?}"),
    }
}

/// The lookup expressions of `input` include the page a browser requests.
fn check_browser_page(input: &str) {
    let Ok(requested) = url::Url::parse(input) else {
        return;
    };
    if !matches!(requested.scheme(), "http" | "https") {
        return;
    }
    // The `url` crate keeps a segment such as `a:` or `a|` before a `..` in
    // an http URL (servo/rust-url issue 1130); the URL Standard and esafety
    // remove it (tests/url_browser.rs,
    // `a_drive_letter_is_an_ordinary_segment_in_http`).
    if requested.path().split('/').any(|segment| {
        let b = segment.as_bytes();
        b.len() == 2 && b[0].is_ascii_alphabetic() && matches!(b[1], b':' | b'|')
    }) {
        return;
    }
    let ours = CanonicalUrl::parse(input);
    let page = match CanonicalUrl::parse(requested.as_str()) {
        Ok(page) => page,
        Err(err) => {
            assert!(
                ours.is_err(),
                "{input:?}: the browser page {:?} is an error ({err}) but the input is {ours:?}",
                requested.as_str()
            );
            return;
        }
    };
    let ours = ours
        .unwrap_or_else(|err| panic!("{input:?}: the browser requests {page}, esafety says {err}"));
    let exact = page.host_and_path_query();
    let path = format!("{}{}", page.host(), page.path());
    let mut found = (false, false);
    let mut buf = String::new();
    for e in ours.expressions() {
        buf.clear();
        e.write_to(&mut buf);
        found.0 |= buf == exact;
        found.1 |= buf == path;
    }
    assert!(
        found == (true, true),
        "{input:?}: the browser requests {page} but esafety looks up {:?}",
        ours.expressions()
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
    );
}

/// `escape_invalid_utf8` keeps the URL the bytes spell.
fn check_escaped(data: &[u8]) {
    let text = escape_invalid_utf8(data);
    check(&text);
    let ascii: String = data
        .iter()
        .map(|&b| {
            if b < 0x80 {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    match (CanonicalUrl::parse(&text), CanonicalUrl::parse(&ascii)) {
        (Ok(a), Ok(b)) => assert_eq!(a.as_str(), b.as_str(), "{data:?}"),
        (Err(a), Err(b)) => assert_eq!(
            std::mem::discriminant(&a),
            std::mem::discriminant(&b),
            "{data:?}: {a} / {b}"
        ),
        (a, b) => panic!("{data:?}: escaped {a:?} but all-escaped {b:?}"),
    }
}

fuzz_target!(|data: &[u8]| {
    check_escaped(data);
    let lossy = String::from_utf8_lossy(data);
    check(&lossy);
    if let Ok(text) = std::str::from_utf8(data) {
        check(text);
    }
    check_same_as_general(&format!("http://a.example/{lossy}"));
    check_same_as_general(&format!("http://a.example/?{lossy}"));
    check_browser_page(&lossy);
    check_browser_page(&format!("http://a.example/{lossy}"));
});
