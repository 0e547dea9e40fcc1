//! Runs the shared classification vectors (`tests/vectors/classify.toml`)
//! against the sample bundle. `ESAFETY_VECTOR=<substring>` runs only the
//! cases whose name contains it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test helpers outside #[test] functions: a panic is a test failure"
)]

use esafety::classify::Classifier;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Vectors {
    case: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    url: String,
    categories: Vec<String>,
    lists: Vec<String>,
}

#[test]
fn classify_vectors() {
    let text = include_str!("../../tests/vectors/classify.toml");
    let vectors: Vectors = toml::from_str(text).unwrap();
    assert!(vectors.case.len() >= 20);
    let filter = std::env::var("ESAFETY_VECTOR").unwrap_or_default();
    let classifier = Classifier::new(esafety::sample::bundle().unwrap());
    let mut names = std::collections::HashSet::new();
    let mut failures = Vec::new();
    for case in vectors.case.iter().filter(|c| c.name.contains(&filter)) {
        assert!(
            names.insert(case.name.as_str()),
            "duplicate case name {}",
            case.name
        );
        let report = classifier.report(&case.url).unwrap();
        let mut lists: Vec<String> = report.matches.iter().map(|m| m.list.clone()).collect();
        lists.dedup();
        if report.categories != case.categories || lists != case.lists {
            failures.push(format!(
                "{}: {} => categories {:?} lists {:?}, want {:?} {:?}",
                case.name, case.url, report.categories, lists, case.categories, case.lists
            ));
        }
        for m in &report.matches {
            if m.category == "child-abuse" || m.category == "terrorism" {
                assert!(
                    m.expression.starts_with("sha256:"),
                    "{}: {}",
                    case.name,
                    m.expression
                );
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
