//! Decision records: every field filled as the request allows, the
//! statutory invariants, pseudonyms, alerts, JSON Lines round trips and
//! validation against the shipped JSON Schema.

#![allow(
    clippy::type_complexity,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "table-driven tests spell their case tuples out, and a failed step should fail the test loudly"
)]

use esafety::policy::{Action, AlertUrgency, Device, Engine, Policy};
use esafety::record::{
    DecisionRecord, Identity, PseudonymKey, RecordOptions, SearchSite, read_records, record,
    record_json_schema,
};

const SECONDARY: &str = include_str!("../../policies/secondary-pupils.toml");

fn engine(policy: &str) -> Engine {
    Engine::new(
        esafety::sample::bundle().unwrap(),
        Policy::load("policy.toml", policy).unwrap(),
    )
}

fn at(t: &str) -> jiff::Timestamp {
    t.parse().unwrap()
}

fn pupil() -> Identity<'static> {
    Identity {
        site: Some("example-school"),
        client_ip: Some("127.0.0.2".parse().unwrap()),
        user: Some("alice"),
        device: Some(Device::Managed),
        group: Some("pupils"),
        age: Some(14),
    }
}

fn schema() -> jsonschema::Validator {
    let schema: serde_json::Value = serde_json::from_str(&record_json_schema()).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

#[test]
fn checked_in_schema_is_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../policies/schema/record.schema.json");
    let fresh = record_json_schema();
    if std::env::var_os("ESAFETY_BLESS").is_some() {
        std::fs::write(&path, &fresh).unwrap();
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        checked_in == fresh,
        "policies/schema/record.schema.json is out of date; regenerate it with \
         `ESAFETY_BLESS=1 cargo test -p esafety --test record_decisions checked_in_schema_is_current`"
    );
}

#[test]
fn records_per_case_fill_every_field_the_request_allows_and_validate() {
    let engine = engine(SECONDARY);
    let validator = schema();
    // (name, url, time, want action, rule, url field, lists, search terms, alert)
    type Case<'a> = (
        &'a str,
        &'a str,
        &'a str,
        Action,
        &'a str,
        Option<&'a str>,
        &'a [&'a str],
        Option<(SearchSite, &'a str)>,
        Option<AlertUrgency>,
    );
    let cases: &[Case<'_>] = &[
        (
            "gambling block",
            "https://www.bet365.com/poker",
            "2026-03-02T10:00:00Z",
            Action::Block,
            "block-uksic",
            Some("https://www.bet365.com/poker"),
            &["sample-gambling"],
            None,
            None,
        ),
        (
            "search allowed, terms kept",
            "https://www.google.com/search?q=volcano+eruption",
            "2026-03-02T10:00:00Z",
            Action::Allow,
            "default",
            Some("https://www.google.com/search?q=volcano+eruption"),
            &["sample-search"],
            Some((SearchSite::Google, "volcano eruption")),
            None,
        ),
        (
            "statutory: digest id only, alert now",
            "https://iwf-test.esafety.invalid/abuse/page-1.html",
            "2026-03-02T10:00:00Z",
            Action::Block,
            "baseline",
            None,
            &["sample-iwf"],
            None,
            Some(AlertUrgency::Immediately),
        ),
        (
            "summer time offset",
            "https://www.bbc.co.uk/news",
            "2026-06-02T10:00:00Z",
            Action::Allow,
            "default",
            Some("https://www.bbc.co.uk/news"),
            &[],
            None,
            None,
        ),
        (
            "unreadable url fails closed",
            "http://host.123/",
            "2026-03-02T10:00:00Z",
            Action::Block,
            "error",
            None,
            &[],
            None,
            None,
        ),
    ];
    for (name, url, time, action, rule, url_field, lists, terms, alert) in cases {
        let rec = record(&engine, url, &pupil(), at(time), &RecordOptions::new());
        assert_eq!(rec.action, *action, "{name}");
        assert_eq!(rec.rule, *rule, "{name}");
        if *rule == "baseline" {
            assert!(
                rec.url
                    .as_deref()
                    .is_some_and(|u| u.starts_with("sha256:") && u.len() == 23),
                "{name}: {:?}",
                rec.url
            );
            assert!(rec.incident.is_some(), "{name}: the incident draft");
        } else {
            assert_eq!(rec.url.as_deref(), *url_field, "{name}");
            assert!(rec.incident.is_none(), "{name}");
        }
        assert_eq!(rec.lists, *lists, "{name}");
        assert_eq!(
            rec.search_terms
                .as_ref()
                .map(|t| (t.site, t.terms.as_str())),
            *terms,
            "{name}"
        );
        assert_eq!(rec.alert.as_ref().map(|a| a.urgency), *alert, "{name}");
        // Who and when, as the identity allows.
        assert_eq!(rec.site.as_deref(), Some("example-school"), "{name}");
        assert_eq!(rec.client_ip, Some("127.0.0.2".parse().unwrap()), "{name}");
        assert_eq!(rec.user.as_deref(), Some("alice"), "{name}");
        assert_eq!(
            (rec.device, rec.group.as_deref(), rec.age),
            (Some(Device::Managed), Some("pupils"), Some(14)),
            "{name}"
        );
        assert_eq!(rec.policy.as_deref(), Some("secondary-pupils"), "{name}");
        let offset = if time.starts_with("2026-06") {
            "+01:00"
        } else {
            "+00:00"
        };
        assert!(
            rec.time.to_string().ends_with(offset),
            "{name}: {}",
            rec.time
        );
        // The line validates and reads back as the same record.
        let line = rec.to_json_line();
        let value: serde_json::Value = serde_json::from_str(&line).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{name}: {line}\n{errors:?}");
        assert_eq!(
            DecisionRecord::from_json_line(&line).unwrap(),
            rec,
            "{name}"
        );
    }
}

#[test]
fn no_byte_of_a_statutory_record_names_the_url_or_host() {
    let engine = engine(SECONDARY);
    for url in [
        "https://iwf-test.esafety.invalid/abuse/page-1.html",
        "HTTPS://IWF-TEST.ESAFETY.INVALID/abuse/page-1.html?q=1",
    ] {
        let rec = record(
            &engine,
            url,
            &pupil(),
            at("2026-03-02T10:00:00Z"),
            &RecordOptions::new(),
        );
        let line = rec.to_json_line();
        for needle in ["iwf-test", "esafety.invalid", "/abuse/", "page-1"] {
            assert!(
                !line.to_ascii_lowercase().contains(needle),
                "`{needle}` in {line}"
            );
        }
        assert!(!format!("{rec:?}").contains("iwf-test"));
        // The incident draft is there, assessable, and names the digest.
        let incident = rec.incident.as_ref().unwrap();
        assert_eq!(
            incident.kind,
            esafety::incident::Kind::ChildSexualAbuseMaterial
        );
        let block = incident.filter_block.as_ref().unwrap();
        assert_eq!(Some(block.digest_id.clone().unwrap()), rec.url);
        assert_eq!(block.group.as_deref(), Some("pupils"));
    }
}

#[test]
fn a_rule_can_ask_for_an_alert_and_its_decision_is_logged() {
    let policy = r#"
        id = "p"
        default = "allow"
        [[rules]]
        id = "watch-self-harm"
        action = "allow"
        categories = ["self-harm"]
        alert = "same-day"
    "#;
    let engine = engine(policy);
    let checked = esafety::record::check(
        &engine,
        "https://sanctioned-suicide.net/",
        &pupil(),
        at("2026-03-02T10:00:00Z"),
        &RecordOptions::new(),
    );
    let report = checked.outcome.unwrap();
    assert_eq!(
        (report.action, report.rule.as_str()),
        (Action::Allow, "watch-self-harm")
    );
    assert!(report.log, "a decision that alerts is logged");
    assert_eq!(report.alert, checked.record.alert);
    let alert = checked.record.alert.unwrap();
    assert_eq!(alert.urgency, AlertUrgency::SameDay);
    assert!(alert.reason.contains("`watch-self-harm`"));
    // A policy cannot ask for an unknown urgency.
    let bad = policy.replace("same-day", "whenever");
    let err = Policy::load("p.toml", &bad).unwrap_err().to_string();
    assert!(err.contains("unknown variant `whenever`"), "{err}");
}

#[test]
fn pseudonyms_and_left_out_addresses() {
    let engine = engine(SECONDARY);
    let key = PseudonymKey::new(b"a key of at least sixteen bytes").unwrap();
    let options = RecordOptions::new()
        .with_pseudonyms(key.clone())
        .without_client_ip();
    let rec = record(
        &engine,
        "https://www.bbc.co.uk/",
        &pupil(),
        at("2026-03-02T10:00:00Z"),
        &options,
    );
    assert_eq!(rec.client_ip, None);
    assert_eq!(rec.user, Some(key.pseudonym("alice")));
    assert!(!rec.to_json_line().contains("alice"));
    let other = PseudonymKey::new(b"another key of sixteen bytes").unwrap();
    assert_ne!(other.pseudonym("alice"), key.pseudonym("alice"));
}

#[test]
fn a_log_reads_back_line_by_line_with_located_errors() {
    let engine = engine(SECONDARY);
    let mut log = String::new();
    for url in [
        "https://www.bbc.co.uk/",
        "https://www.bet365.com/",
        "http://host.123/",
    ] {
        log.push_str(
            &record(
                &engine,
                url,
                &pupil(),
                at("2026-03-02T10:00:00Z"),
                &RecordOptions::new(),
            )
            .to_json_line(),
        );
        log.push('\n');
    }
    log.push('\n');
    log.push_str("{\"time\":\"2026-03-02T10:00:00+00:00\",\"action\":\"block\"}\n");
    let read: Vec<_> = read_records("decisions.jsonl", log.as_bytes()).collect();
    assert_eq!(read.len(), 4);
    assert!(read[..3].iter().all(Result::is_ok));
    let err = read[3].as_ref().unwrap_err().to_string();
    assert!(err.starts_with("decisions.jsonl:5:"), "{err}");
    assert!(err.contains("missing field"), "{err}");
}
