//! `esafety incident` end to end: the DESIGN.md contract (JSON shape, exit
//! codes 0 / 1 / 2 with one line on stderr), profiles by name and by path,
//! and the plain-text action sheet.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails loudly on an unexpected error"
)]

use std::path::PathBuf;
use std::process::Command;

mod common;
use common::{Scratch, esafety, stderr, stdout};

fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/incident-fixtures")
        .join(name)
        .display()
        .to_string()
}

fn json(args: &[&str]) -> serde_json::Value {
    let o = esafety(args);
    assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
    let out = stdout(&o);
    assert_eq!(out.lines().count(), 1, "one JSON object: {out}");
    serde_json::from_str(&out).unwrap()
}

fn routes(v: &serde_json::Value) -> Vec<String> {
    v["routes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn json_follows_the_contract_for_each_fixture() {
    // (fixture, severity, routes that must be present, routes that must be absent)
    let cases: &[(&str, &str, &[&str], &[&str])] = &[
        (
            "csam-pupil-email.json",
            "critical",
            &["police", "iwf", "dsl", "senior-leadership"],
            &["lado"],
        ),
        (
            "grooming-chat-room.toml",
            "critical",
            &["police", "ceop", "parents"],
            &["iwf"],
        ),
        (
            "staff-viewing-pornography.toml",
            "medium",
            &["hr", "senior-leadership"],
            &["lado", "police"],
        ),
        (
            "staff-unsuitable.toml",
            "high",
            &["lado", "hr", "internal"],
            &["police"],
        ),
        (
            "nude-sharing-no-factors.toml",
            "medium",
            &["dsl", "internal"],
            &["police"],
        ),
        (
            "nude-sharing-coercion.json",
            "critical",
            &["police", "ceop", "childrens-social-care"],
            &[],
        ),
        (
            "aup-breach-proxy.toml",
            "medium",
            &["internal", "parents"],
            &["police"],
        ),
        (
            "complete-log.json",
            "low",
            &["internal"],
            &["police", "dsl"],
        ),
    ];
    for (file, severity, present, absent) in cases {
        let v = json(&["incident", "--json", &fixture(file)]);
        assert_eq!(v["severity"], *severity, "{file}");
        let r = routes(&v);
        for p in *present {
            assert!(r.iter().any(|x| x == p), "{file}: `{p}` missing from {r:?}");
        }
        for a in *absent {
            assert!(!r.iter().any(|x| x == a), "{file}: `{a}` present in {r:?}");
        }
        assert!(
            v["actions"]
                .as_array()
                .unwrap()
                .iter()
                .all(|a| a.is_string()),
            "{file}"
        );
        assert!(
            v["explanation"]
                .as_array()
                .unwrap()
                .iter()
                .all(|e| e.as_str().unwrap().contains("STANDARD.md")),
            "{file}"
        );
    }
}

#[test]
fn complete_log_has_nothing_missing() {
    let v = json(&["incident", "--json", &fixture("complete-log.json")]);
    assert_eq!(v["log_missing"], serde_json::json!([]));
    let v = json(&[
        "incident",
        "--json",
        &fixture("nude-sharing-no-factors.toml"),
    ]);
    assert_eq!(
        v["log_missing"],
        serde_json::json!(["description", "actions_taken", "conclusion"])
    );
}

#[test]
fn profile_by_name_and_by_path() {
    let file = fixture("staff-unsuitable.toml");
    let national = json(&["incident", "--json", &file]);
    let manchester = json(&["incident", "--profile", "manchester", "--json", &file]);
    let lado = |v: &serde_json::Value| {
        v["route_details"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["route"] == "lado")
            .unwrap()
            .clone()
    };
    assert_eq!(national["profile"], "national");
    assert!(lado(&national)["contact"]["phone"].is_null());
    assert_eq!(manchester["profile"], "manchester");
    assert_eq!(lado(&manchester)["contact"]["phone"], "0161 203 2393");
    assert_eq!(lado(&manchester)["contact_source"], "profile");
    // Same decision, different contacts.
    assert_eq!(national["routes"], manchester["routes"]);
    assert_eq!(national["severity"], manchester["severity"]);

    let custom = json(&[
        "incident",
        "--profile",
        &fixture("profile-custom.toml"),
        "--json",
        &file,
    ]);
    assert_eq!(custom["profile"], "example-borough");
    let shipped_path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../policies/escalation/manchester.toml")
        .display()
        .to_string();
    let by_path = json(&["incident", "--profile", &shipped_path, "--json", &file]);
    assert_eq!(lado(&by_path)["contact"]["phone"], "0161 203 2393");
}

#[test]
fn plain_text_action_sheet() {
    let o = esafety(&[
        "incident",
        "--profile",
        "manchester",
        &fixture("nude-sharing-coercion.json"),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let sheet = stdout(&o);
    for want in [
        "SEVERITY: CRITICAL",
        "YOU MUST NOT",
        "Do not view, copy, forward or print the images",
        "DO NOW, IN THIS ORDER",
        " 1. [immediately] police: Police, non-emergency | phone 101",
        "childrens-social-care: Manchester First Response Team (children's social care) | phone 0161 255 8250",
        "JUDGEMENTS LEFT TO A PERSON",
        "AND/OR",
        "INCIDENT LOG",
        "`conclusion` (the conclusion)",
        "POLICY REVIEW",
        "review all e-safety and acceptable-use policies",
        "WHY (the standard behind each step)",
    ] {
        assert!(sheet.contains(want), "missing {want:?} in\n{sheet}");
    }
    let must_not = sheet.find("YOU MUST NOT").unwrap();
    let do_now = sheet.find("DO NOW").unwrap();
    assert!(must_not < do_now, "prohibitions come first");
}

#[test]
fn exit_codes_and_one_line_errors() {
    // (args, exit code, stderr must contain)
    let missing_kind = fixture("invalid-missing-kind.toml");
    let unknown_kind = fixture("invalid-unknown-kind.json");
    let broken_json = fixture("broken-syntax.json");
    let broken_toml = fixture("broken-syntax.toml");
    let nude = fixture("nude-sharing-no-factors.toml");
    let scratch = Scratch::new("cli-incident");
    let latin1 = scratch.file(
        "latin1.toml",
        b"kind = \"hacking\"\nsetting = \"sc\xffhool\"\n",
    );
    let latin1 = latin1.display().to_string();
    let cases: &[(&[&str], i32, &str)] = &[
        (
            &["incident", &latin1],
            2,
            "latin1.toml:2:14: not UTF-8 text (invalid byte at offset 30); save the incident file as UTF-8",
        ),
        (&["incident", &missing_kind], 1, "missing field `kind`"),
        (
            &["incident", "--json", &unknown_kind],
            1,
            "invalid-unknown-kind.json:2:16: unknown kind `csam`: expected one of",
        ),
        (&["incident", &broken_json], 2, "not valid JSON"),
        (&["incident", &broken_toml], 2, "1:17: not valid TOML"),
        (
            &["incident", "/nonexistent/incident.toml"],
            2,
            "cannot read incident file `/nonexistent/incident.toml`",
        ),
        (
            &["incident", "--profile", "leeds", &nude],
            2,
            "no shipped escalation profile `leeds`",
        ),
        (
            &["incident", "--profile", "/nonexistent/p.toml", &nude],
            2,
            "cannot read escalation profile",
        ),
        (
            &[
                "incident",
                "--profile",
                &fixture("grooming-chat-room.toml"),
                &nude,
            ],
            2,
            "grooming-chat-room.toml:4:1: unknown field `identified_by`, expected `profile` or `routes`",
        ),
        (&["incident"], 2, "INCIDENT_FILE"),
    ];
    for (args, code, want) in cases {
        let o = esafety(args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(*code), "{args:?}: {err}");
        assert!(err.contains(want), "{args:?}: {err:?} lacks {want:?}");
        assert!(stdout(&o).is_empty(), "{args:?}: nothing on stdout");
        if *code == 1 {
            assert_eq!(err.lines().count(), 1, "{args:?}: one line: {err:?}");
        }
    }
}

#[test]
fn reads_standard_input() {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_esafety"))
        .args(["incident", "--json", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(br#"{"kind": "terrorist-material"}"#)
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["severity"], "critical");
    assert!(routes(&v).contains(&"counter-terrorism".to_owned()));
}

/// The reviewer's reproductions: a crime (criminal hacking) and a LADO
/// referral (the shipped staff fixture) printed "Sanction under the AUP" and
/// "Debrief the people involved" beside "Do not investigate further" and
/// "Do not investigate the allegation yourself"; a `child-abuse` filter block
/// recorded as inappropriate content was `low` with no police route.
#[test]
fn illegal_and_lado_incidents_are_not_handled_as_aup_breaches() {
    let scratch = Scratch::new("cli-incident");
    let hacking = scratch.file(
        "i1.toml",
        "kind = \"hacking\"\ndeliberate = true\ncriminal_conduct = true\n\
         [[people]]\nrole = \"child\"\ninvolvement = \"instigator\"\nage = 15\n",
    );
    let blocked = scratch.file(
        "i2.json",
        r#"{"kind": "inappropriate-content", "identified_by": "filter-alert", "deliberate": false,
            "people": [{"role": "child", "involvement": "instigator", "age": 12}],
            "filter_block": {"category": "child-abuse", "list": "iwf"}}"#,
    );
    // (file, severity, routes that must be present)
    let cases: &[(String, &str, &[&str])] = &[
        (hacking.display().to_string(), "high", &["police"]),
        (fixture("staff-unsuitable.toml"), "high", &["lado", "hr"]),
        (
            blocked.display().to_string(),
            "critical",
            &["police", "iwf"],
        ),
    ];
    for (file, severity, present) in cases {
        let v = json(&["incident", "--json", file]);
        assert_eq!(v["severity"], *severity, "{file}");
        let r = routes(&v);
        for p in *present {
            assert!(r.iter().any(|x| x == p), "{file}: `{p}` missing from {r:?}");
        }
        let actions: Vec<&str> = v["actions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap())
            .collect();
        for step in ["Sanction under the AUP", "Debrief the people involved"] {
            assert!(
                !actions.iter().any(|a| a.starts_with(step)),
                "{file}: {step:?} in {actions:?}"
            );
        }
    }
}
