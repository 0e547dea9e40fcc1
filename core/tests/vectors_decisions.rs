//! Runs the shared decision vectors (`tests/vectors/decisions.toml`) through
//! the Rust core: shipped policy + built-in sample bundle → decision.
//! `ESAFETY_VECTOR=<substring>` runs only the cases whose name contains it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers: a failure should panic with its message"
)]

use std::path::PathBuf;

use esafety::policy::{Context, Device, Engine, Policy};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    case: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    policy: String,
    url: String,
    group: Option<String>,
    age: Option<u8>,
    device: Option<Device>,
    at: String,
    expect_action: String,
    expect_rule: String,
    expect_categories: Vec<String>,
}

#[test]
fn decision_vectors() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let text = std::fs::read_to_string(root.join("tests/vectors/decisions.toml")).unwrap();
    let file: File = toml::from_str(&text).unwrap();
    assert!(
        file.case.len() >= 25,
        "the corpus has {} cases",
        file.case.len()
    );
    let mut names = std::collections::BTreeSet::new();
    for case in &file.case {
        assert!(
            names.insert(&case.name),
            "duplicate case name `{}`",
            case.name
        );
    }
    let filter = std::env::var("ESAFETY_VECTOR").unwrap_or_default();
    let mut failures = Vec::new();
    let mut ran = 0;
    for case in file.case.iter().filter(|c| c.name.contains(&filter)) {
        let policy_text = std::fs::read_to_string(root.join(&case.policy)).unwrap();
        let policy = Policy::load(&case.policy, &policy_text).unwrap();
        let engine = Engine::new(esafety::sample::bundle().unwrap(), policy);
        let context = Context {
            group: case.group.as_deref(),
            age: case.age,
            device: case.device,
            time: case.at.parse().unwrap(),
        };
        let report = engine.check(&case.url, context).unwrap();
        let got = (
            report.action.as_str(),
            report.rule.as_str(),
            &report.categories,
        );
        let want = (
            case.expect_action.as_str(),
            case.expect_rule.as_str(),
            &case.expect_categories,
        );
        if got != want {
            failures.push(format!(
                "{}: got {got:?}, want {want:?}\n  reasons: {:?}",
                case.name, report.reasons
            ));
        }
        ran += 1;
    }
    assert!(ran > 0, "no case matches ESAFETY_VECTOR={filter}");
    assert!(
        failures.is_empty(),
        "{} of {ran} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
