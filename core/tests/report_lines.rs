//! `Aggregator::add_json_line` (a record read in place from its line) is
//! `DecisionRecord::from_json_line` then `Aggregator::add`: the same lines
//! are records, the same lines are refused, the same summary comes out.

#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::string_slice,
    clippy::panic,
    reason = "a failed step should fail the test loudly"
)]

use esafety::EscalationProfile;
use esafety::policy::{Engine, Policy};
use esafety::record::{DecisionRecord, Identity, RecordOptions, record};
use esafety::report::{Aggregator, ReportOptions};
use proptest::prelude::*;

const POLICIES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/policies");

const URLS: &[&str] = &[
    "https://www.bbc.co.uk/news",
    "https://www.bet365.com/en",
    "https://www.roblox.com/games",
    "https://www.bing.com/search?q=volcano+facts",
    "https://www.youtube.com/results?search_query=fight+videos",
    "https://iwf-test.esafety.invalid/abuse/page-1.html",
    "http://terror-test.esafety.invalid/propaganda/video-1.html",
    "mailto:head@school.example",
];

/// One line per URL, group and hour, a few marked `proceeded`.
fn lines() -> Vec<String> {
    let text = std::fs::read_to_string(format!("{POLICIES}/secondary-pupils.toml")).unwrap();
    let engine = Engine::new(
        esafety::sample::bundle().unwrap(),
        Policy::load("secondary-pupils.toml", &text).unwrap(),
    );
    let mut out = Vec::new();
    for (i, url) in URLS.iter().enumerate() {
        for (group, age) in [("pupils", 14), ("sixth-form", 17)] {
            for hour in [8, 12, 19] {
                let who = Identity {
                    site: Some(if i % 2 == 0 { "north" } else { "south \"q\"" }),
                    user: Some("al\u{e9}ice"),
                    group: Some(group),
                    age: Some(age),
                    ..Identity::default()
                };
                let time = format!("2026-03-0{}T{hour:02}:30:00Z", 2 + i % 3)
                    .parse()
                    .unwrap();
                let mut rec = record(&engine, url, &who, time, &RecordOptions::new());
                if hour == 12 {
                    rec.mark_proceeded();
                }
                out.push(rec.to_json_line());
            }
        }
    }
    out
}

fn aggregator() -> Aggregator {
    Aggregator::new(ReportOptions::new(), EscalationProfile::national().unwrap())
}

/// The summary both ways; `None` for a side that refused the line.
fn both(lines: &[String]) -> (String, String, Vec<bool>) {
    let mut whole = aggregator();
    let mut in_place = aggregator();
    let mut agree = Vec::new();
    for line in lines {
        let a = DecisionRecord::from_json_line(line);
        let b = in_place.add_json_line(line);
        agree.push(a.is_ok() == b.is_ok());
        match a {
            Ok(rec) => whole.add(&rec),
            Err(_) => whole.add_bad_record(),
        }
        if b.is_err() {
            in_place.add_bad_record();
        }
    }
    (
        serde_json::to_string(&whole.finish()).unwrap(),
        serde_json::to_string(&in_place.finish()).unwrap(),
        agree,
    )
}

#[test]
fn records_read_in_place_count_as_records_read_whole() {
    let lines = lines();
    let (whole, in_place, agree) = both(&lines);
    assert!(agree.iter().all(|&a| a));
    assert_eq!(whole, in_place);
    // The lines hold what the comparison must cover.
    let summary: serde_json::Value = serde_json::from_str(&whole).unwrap();
    assert!(summary["blocked"].as_u64().unwrap() > 0);
    assert!(summary["alerts"].as_u64().unwrap() > 0);
    assert!(summary["warn_rates"]["proceeded"].as_u64().unwrap() > 0);
    assert!(summary["records"].as_u64().unwrap() == lines.len() as u64);
}

#[test]
fn named_bad_lines_are_refused_by_both_readings() {
    let good = lines().remove(1);
    let cases: [(&str, String); 9] = [
        ("not json", "not json".to_owned()),
        ("empty object", "{}".to_owned()),
        ("bad time", good.replacen("2026-03-0", "yesterday ", 1)),
        ("age too big", good.replacen("\"age\":14", "\"age\":300", 1)),
        (
            "client ip not an address",
            good.replacen("\"client_ip\":null", "\"client_ip\":\"x\"", 1),
        ),
        (
            "unknown action",
            good.replacen("\"action\":\"", "\"action\":\"z", 1),
        ),
        (
            "lists not strings",
            good.replacen("\"lists\":[", "\"lists\":[7,", 1),
        ),
        (
            "reasons not a list",
            good.replacen("\"reasons\":[", "\"reasons\":{\"a\":[", 1),
        ),
        (
            "device unknown",
            good.replacen("\"device\":null", "\"device\":\"phone\"", 1),
        ),
    ];
    for (name, line) in cases {
        assert_ne!(line, good, "{name}: the case must change the line");
        let whole = DecisionRecord::from_json_line(&line).is_ok();
        let in_place = aggregator().add_json_line(&line).is_ok();
        assert!(
            !whole && !in_place,
            "{name}: whole {whole}, in place {in_place}: {line}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Any edit of a good line: a record both ways or refused both ways,
    /// and the same summary.
    #[test]
    fn edited_lines_read_the_same_both_ways(
        which in 0usize..48,
        at in 0usize..600,
        cut in 0usize..12,
        insert in prop::sample::select(vec![
            "", "\"", "\\\"", "null", "1", "-1", "[]", "{}", ",", ":", "\"x\"",
            "\\u00e9", "\"block\"", "true", "300", "\"10.0.0.1\"", "}", "]",
        ]),
    ) {
        let lines = lines();
        let good = &lines[which % lines.len()];
        let at = good.char_indices().map(|(i, _)| i).nth(at % good.chars().count()).unwrap_or(0);
        let end = good[at..].char_indices().map(|(i, _)| at + i).nth(cut).unwrap_or(good.len());
        let edited = format!("{}{insert}{}", &good[..at], &good[end..]);
        let (whole, in_place, agree) = both(std::slice::from_ref(&edited));
        prop_assert!(agree[0], "{edited}");
        prop_assert_eq!(whole, in_place);
    }
}
