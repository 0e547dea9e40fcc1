//! Canonicalizes arbitrary bytes (as lossy UTF-8, and as `str` when they
//! are UTF-8): never a panic, and on success the canonical string
//! canonicalizes to itself with the same parts and well-formed expressions.
#![no_main]

use esafety::url::CanonicalUrl;
use libfuzzer_sys::fuzz_target;

fn check(input: &str) {
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

fuzz_target!(|data: &[u8]| {
    check(&String::from_utf8_lossy(data));
    if let Ok(text) = std::str::from_utf8(data) {
        check(text);
    }
});
