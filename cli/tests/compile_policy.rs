//! `esafety compile-policy`: a TOML policy becomes the JSON policy every
//! build reads, and that JSON decides exactly as the TOML does.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test helpers fail loudly"
)]

mod common;
use common::{Scratch, esafety, stderr, stdout};

const SHIPPED: &[&str] = &[
    "policies/primary-pupils.toml",
    "policies/secondary-pupils.toml",
    "policies/sixth-form.toml",
    "policies/staff.toml",
    "policies/library-childrens-area.toml",
    "policies/childrens-home.toml",
    "policies/youth-club.toml",
];

/// Requests that reach different rules of the shipped policies.
const URLS: &[&str] = &[
    "https://www.bbc.co.uk/news",
    "http://www.bet365.com/poker",
    "https://www.google.com/search?q=volcanoes",
    "https://www.youtube.com/watch?v=x",
    "https://www.facebook.com/",
];

fn path(rel: &str) -> String {
    format!("{}/../{rel}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn a_compiled_policy_decides_as_its_toml_does() {
    let scratch = Scratch::new("cli-compile-policy");
    for (i, policy) in SHIPPED.iter().enumerate() {
        let json = scratch.path().join(format!("policy-{i}.json"));
        let json = json.to_str().unwrap();
        let out = esafety(&["compile-policy", &path(policy), "-o", json]);
        assert_eq!(out.status.code(), Some(0), "{policy}: {}", stderr(&out));
        assert_eq!(stdout(&out), "", "{policy}");
        let text = std::fs::read_to_string(json).unwrap();
        let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert!(doc["id"].is_string(), "{policy}: {text}");
        for (group, age, device, at) in [
            ("pupils", "14", "managed", "2026-03-02T10:00:00Z"),
            ("staff", "40", "byod", "2026-03-07T21:30:00Z"),
        ] {
            let check = |p: &str| {
                let mut args = vec!["check", "--policy", p, "--json", "--group", group];
                args.extend(["--age", age, "--device", device, "--at", at]);
                args.extend(URLS);
                let out = esafety(&args);
                assert_eq!(out.status.code(), Some(0), "{p}: {}", stderr(&out));
                stdout(&out)
            };
            assert_eq!(check(json), check(&path(policy)), "{policy} {group}");
        }
    }
}

#[test]
fn without_o_the_json_goes_to_standard_output() {
    let out = esafety(&["compile-policy", &path("policies/staff.toml")]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(doc["id"], "staff");
    assert!(stdout(&out).ends_with("}\n"));
}

#[test]
fn a_policy_that_does_not_load_is_one_located_line_and_exit_2() {
    let scratch = Scratch::new("cli-compile-policy-bad");
    let bad = scratch.file(
        "bad.toml",
        "id = \"bad\"\ndefault = \"allow\"\n[[rules]]\nid = \"open\"\naction = \"allow\"\ncategories = [\"terrorism\"]\n",
    );
    let json = scratch.path().join("bad.json");
    let out = esafety(&[
        "compile-policy",
        bad.to_str().unwrap(),
        "-o",
        json.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("bad.toml:3:1: rule `open` tries to allow `terrorism`"),
        "{err}"
    );
    assert!(
        !json.exists(),
        "nothing is written for a policy that does not load"
    );
    let out = esafety(&["compile-policy", "/nonexistent/p.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cannot read policy `/nonexistent/p.toml`"));
}
