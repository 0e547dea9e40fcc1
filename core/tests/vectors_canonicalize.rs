//! Runs the shared canonicalization vectors
//! (`tests/vectors/canonicalize.toml`) through
//! `esafety::url::CanonicalizeReport`, the shape every face prints.
//! `ESAFETY_VECTOR=<substring>` runs only the cases whose name contains it.

use esafety::url::CanonicalizeReport;
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
    input: String,
    canonical: Option<String>,
    #[serde(default)]
    error: bool,
    expressions: Option<Vec<String>>,
}

#[test]
fn canonicalize_vectors() {
    let text = include_str!("../../tests/vectors/canonicalize.toml");
    let vectors: Vectors = toml::from_str(text).unwrap();
    assert!(
        vectors.case.len() >= 20,
        "the shared corpus needs at least 20 cases"
    );
    let filter = std::env::var("ESAFETY_VECTOR").unwrap_or_default();
    let mut names = std::collections::HashSet::new();
    let mut failures = Vec::new();
    let mut ran = 0;
    for case in vectors.case.iter().filter(|c| c.name.contains(&filter)) {
        ran += 1;
        assert!(
            names.insert(case.name.as_str()),
            "duplicate case name {}",
            case.name
        );
        assert!(
            case.error != case.canonical.is_some(),
            "{}: give either `canonical` or `error = true`",
            case.name
        );
        match (CanonicalizeReport::from_input(&case.input), &case.canonical) {
            (Ok(report), Some(canonical)) => {
                assert_eq!(report.input, case.input);
                if &report.canonical != canonical {
                    failures.push(format!(
                        "{}: {:?} => {:?}, want {canonical:?}",
                        case.name, case.input, report.canonical
                    ));
                }
                if let Some(want) = &case.expressions
                    && &report.expressions != want
                {
                    failures.push(format!(
                        "{}: expressions {:?}, want {want:?}",
                        case.name, report.expressions
                    ));
                }
            }
            (Err(failure), None) => assert!(!failure.error.is_empty()),
            (got, _) => failures.push(format!("{}: {:?} => {got:?}", case.name, case.input)),
        }
    }
    assert!(ran > 0, "no case matches ESAFETY_VECTOR={filter:?}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
