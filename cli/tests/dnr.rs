//! `esafety dnr`: a bundle and a policy as declarativeNetRequest rules for
//! one user at one time (the contract in README.md).
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test helpers fail loudly"
)]

mod common;
use common::{Scratch, esafety, stderr, stdout};

fn path(rel: &str) -> String {
    format!("{}/../{rel}", env!("CARGO_MANIFEST_DIR"))
}

/// The rules for a 14-year-old pupil on a managed device, at `at`.
fn pupil_rules(
    scratch: &Scratch,
    at: &str,
    extra: &[&str],
) -> (std::process::Output, std::path::PathBuf) {
    let out = scratch
        .path()
        .join(format!("rules-{}.json", at.replace(':', "")));
    let policy = path("policies/secondary-pupils.toml");
    let mut args = vec![
        "dnr",
        "--policy",
        &policy,
        "--group",
        "pupils",
        "--age",
        "14",
        "--device",
        "managed",
        "--at",
        at,
        "-o",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    (esafety(&args), out)
}

/// Every domain of the block rules.
fn blocked_domains(rules: &serde_json::Value) -> Vec<String> {
    rules
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["action"]["type"] == "block")
        .flat_map(|r| {
            r["condition"]["requestDomains"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .map(|d| d.as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn rules_follow_the_time_of_day_and_say_until_when_they_hold() {
    let scratch = Scratch::new("cli-dnr-time");
    // (name, time, social networks blocked by rules, valid until)
    let cases = [
        (
            "in a Monday lesson",
            "2026-03-02T10:00:00Z",
            true,
            "valid until 2026-03-02T12:30:00Z",
        ),
        (
            "Monday lunchtime",
            "2026-03-02T12:45:00Z",
            false,
            "valid until 2026-03-02T13:20:00Z",
        ),
        (
            "Saturday",
            "2026-03-07T10:00:00Z",
            false,
            "valid until 2026-03-09T08:40:00Z",
        ),
    ];
    for (name, at, social_blocked, until) in cases {
        let (o, file) = pupil_rules(&scratch, at, &[]);
        assert_eq!(o.status.code(), Some(0), "{name}: {}", stderr(&o));
        assert!(stdout(&o).contains(until), "{name}: {}", stdout(&o));
        let rules: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
        let domains = blocked_domains(&rules);
        assert!(
            domains.iter().any(|d| d == "bet365.com"),
            "{name}: gambling is always blocked"
        );
        assert_eq!(
            domains.iter().any(|d| d == "facebook.com"),
            social_blocked,
            "{name}"
        );
    }
}

#[test]
fn sensitive_lists_are_never_rules_and_their_entries_never_printed() {
    let scratch = Scratch::new("cli-dnr-sensitive");
    let (o, file) = pupil_rules(&scratch, "2026-03-02T10:00:00Z", &["--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let export: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    let iwf = export["coverage"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["list"] == "sample-iwf")
        .unwrap();
    assert_eq!(iwf["coverage"], "sensitive");
    let written = std::fs::read_to_string(&file).unwrap();
    for text in [written.as_str(), stdout(&o).as_str()] {
        for plaintext in ["iwf-test", "terror-test"] {
            assert!(!text.contains(plaintext), "`{plaintext}` in the output");
        }
    }
    assert!(
        export["not_covered"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s.as_str().unwrap().contains("never written as rules"))
    );
}

#[test]
fn bad_arguments_are_one_line_and_exit_2() {
    let scratch = Scratch::new("cli-dnr-bad");
    let cases: [(&str, &[&str], &str); 3] = [
        (
            "unknown ruleset kind",
            &["--limit", "huge"],
            "`huge` is not a ruleset kind",
        ),
        ("first id 0", &["--first-id", "0"], "rule ids start at 1"),
        (
            "time without offset",
            &["--at", "2026-03-02T10:00:00"],
            "not an RFC 3339 time",
        ),
    ];
    for (name, extra, want) in cases {
        let mut args = extra.to_vec();
        if !extra.contains(&"--at") {
            args.extend_from_slice(&["--at", "2026-03-02T10:00:00Z"]);
        }
        let out = scratch.path().join("bad.json");
        let policy = path("policies/secondary-pupils.toml");
        let mut all = vec![
            "dnr",
            "--policy",
            policy.as_str(),
            "-o",
            out.to_str().unwrap(),
        ];
        all.extend_from_slice(&args);
        let o = esafety(&all);
        assert_eq!(o.status.code(), Some(2), "{name}: {}", stderr(&o));
        assert!(stderr(&o).contains(want), "{name}: {}", stderr(&o));
        assert!(!out.exists(), "{name}: nothing is written");
    }
}
