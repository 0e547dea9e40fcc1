//! Search terms scored like text in decision records: the record carries
//! the terms and their content score, the score can push the decision over
//! the policy's limit, and a report lists such a search among the flagged
//! ones (it reads the record's action, never re-deciding).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers: a failure should panic with its message"
)]

use esafety::content::{ListKind, PhraseList, PhraseOptions, Scanner, ScannerBuilder};
use esafety::policy::{Action, ContentSource, Engine, Policy};
use esafety::record::{DecisionRecord, Identity, RecordOptions, record};
use esafety::report::{Aggregator, ReportOptions};

fn scanner() -> Scanner {
    let list = PhraseList::parse(
        "weightedphraselist",
        b"#listcategory: \"Gambling\"\n< poker ><60>\n< casino ><110>\n",
        ListKind::Weighted,
        &PhraseOptions::new(),
    )
    .unwrap();
    let mut b = ScannerBuilder::new();
    b.add_list(list);
    b.build().unwrap()
}

fn engine(policy: &str) -> Engine {
    let path = format!("{}/../policies/{policy}.toml", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    Engine::new(
        esafety::sample::bundle().unwrap(),
        Policy::load(&path, &text).unwrap(),
    )
}

/// (name, policy, age, url, action, rule, (score, limit, crossed) of the terms or None)
type Case = (
    &'static str,
    &'static str,
    u8,
    &'static str,
    Action,
    &'static str,
    Option<(i64, u32, bool)>,
);

const CASES: &[Case] = &[
    (
        "young_child_search_over_50",
        "primary-pupils",
        8,
        "https://www.google.com/search?q=poker+tips",
        Action::Block,
        "content",
        Some((60, 50, true)),
    ),
    (
        "older_child_search_within_100",
        "secondary-pupils",
        13,
        "https://www.bing.com/search?q=poker+tips",
        Action::Allow,
        "default",
        Some((60, 100, false)),
    ),
    (
        "older_child_search_over_100",
        "secondary-pupils",
        13,
        "https://duckduckgo.com/?q=casino",
        Action::Block,
        "content",
        Some((110, 100, true)),
    ),
    (
        "clean_search_scored_zero",
        "primary-pupils",
        8,
        "https://www.google.com/search?q=volcanoes",
        Action::Allow,
        "default",
        Some((0, 50, false)),
    ),
    (
        "not_a_search_nothing_scored",
        "primary-pupils",
        8,
        "https://www.bbc.co.uk/poker",
        Action::Allow,
        "default",
        None,
    ),
    (
        "staff_monitored_over_160",
        "staff",
        30,
        "https://www.google.com/search?q=casino+poker",
        Action::Monitor,
        "monitor-content-over-limit",
        Some((170, 160, true)),
    ),
];

#[test]
fn records_carry_search_terms_and_their_score() {
    let options = RecordOptions::new().with_phrases(scanner());
    let time = "2026-03-02T10:00:00Z".parse().unwrap();
    let mut failures = Vec::new();
    for (name, policy, age, url, action, rule, score) in CASES {
        let engine = engine(policy);
        let who = Identity {
            age: Some(*age),
            ..Identity::default()
        };
        let rec = record(&engine, url, &who, time, &options);
        let got = rec
            .content
            .iter()
            .find(|f| f.source == ContentSource::SearchTerms)
            .map(|f| (f.score, f.limit, f.crossed));
        if rec.action != *action || rec.rule != *rule || got != *score {
            failures.push(format!(
                "{name}: got {:?} `{}` {got:?}, want {action:?} `{rule}` {score:?}",
                rec.action, rec.rule
            ));
        }
        if score.is_some() && rec.search_terms.is_none() {
            failures.push(format!("{name}: the record has no search terms"));
        }
        // The JSON line reads back to the same record.
        let back = DecisionRecord::from_json_line(&rec.to_json_line()).unwrap();
        if back != rec {
            failures.push(format!(
                "{name}: the JSON line does not read back: {}",
                rec.to_json_line()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn without_phrases_search_terms_are_not_scored() {
    let time = "2026-03-02T10:00:00Z".parse().unwrap();
    let who = Identity {
        age: Some(8),
        ..Identity::default()
    };
    let rec = record(
        &engine("primary-pupils"),
        "https://www.google.com/search?q=poker",
        &who,
        time,
        &RecordOptions::new(),
    );
    assert_eq!(rec.action, Action::Allow);
    assert!(rec.content.is_empty());
    assert!(!rec.to_json_line().contains("\"content\""));
}

#[test]
fn a_report_lists_searches_the_score_blocked_as_flagged() {
    let options = RecordOptions::new().with_phrases(scanner());
    let time = "2026-03-02T10:00:00Z".parse().unwrap();
    let who = Identity {
        age: Some(8),
        ..Identity::default()
    };
    let engine = engine("primary-pupils");
    let mut report = Aggregator::new(
        ReportOptions::new(),
        esafety::EscalationProfile::national().unwrap(),
    );
    for url in [
        "https://www.google.com/search?q=poker+tips",
        "https://www.google.com/search?q=poker+tips",
        "https://www.google.com/search?q=volcanoes",
    ] {
        let line = record(&engine, url, &who, time, &options).to_json_line();
        report.add(&DecisionRecord::from_json_line(&line).unwrap());
    }
    let summary = report.finish();
    let flagged: Vec<(&str, u64)> = summary
        .flagged_search_terms
        .iter()
        .map(|t| (t.terms.as_str(), t.count))
        .collect();
    assert_eq!(flagged, [("poker tips", 2)]);
}
