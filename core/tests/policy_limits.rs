//! Issue 31, policies: a document over `max_document_len` is refused
//! before it is parsed, and one with more rules than `max_policy_rules`
//! after, each a typed error naming the file and the limit.
#![allow(clippy::unwrap_used, reason = "tests")]

use std::time::{Duration, Instant};

use esafety::policy::{Format, Policy, PolicyError, PolicyErrorKind};
use esafety::{ErrorCode, Limits};

fn rules(n: usize) -> String {
    let mut text = String::from("id = \"p\"\ndefault = \"allow\"\n");
    for i in 0..n {
        text.push_str(&format!(
            "[[rules]]\nid = \"r{i}\"\naction = \"block\"\ncategories = [\"gambling\"]\n"
        ));
    }
    text
}

#[test]
fn a_document_over_max_document_len_is_refused_before_it_is_parsed() {
    let mut text = rules(1);
    text.push_str(&"#".repeat(Limits::DEFAULT.max_document_len));
    let start = Instant::now();
    let err = Policy::load("big.toml", &text).unwrap_err();
    assert!(
        start.elapsed() < Duration::from_millis(200),
        "{:?}",
        start.elapsed()
    );
    assert!(matches!(err, PolicyError::Limit(_)), "{err}");
    assert_eq!(err.kind(), PolicyErrorKind::Limit);
    assert_eq!(err.code(), ErrorCode::TooLarge);
    assert!(
        err.to_string().starts_with("big.toml:1:1: the policy is "),
        "{err}"
    );
    assert!(err.to_string().contains("`max_document_len`"), "{err}");
}

#[test]
fn more_rules_than_max_policy_rules_is_an_error() {
    let mut limits = Limits::default();
    limits.max_policy_rules = 2;
    let cases = [("at the limit", 2, true), ("over it", 3, false)];
    for (name, n, ok) in cases {
        let result = Policy::load_with_limits("p.toml", &rules(n), Format::Toml, &limits);
        match (ok, result) {
            (true, Ok(p)) => assert_eq!(p.rules().len(), 2, "{name}"),
            (false, Err(err)) => {
                assert_eq!(err.kind(), PolicyErrorKind::Limit, "{name}");
                assert!(
                    err.to_string().contains("has 3 rules, over 2"),
                    "{name}: {err}"
                );
            }
            (_, other) => panic!("{name}: {:?}", other.map(|p| p.rules().len())),
        }
    }
}
