//! `esafety check --phrases ... [--page FILE]`: policies acting on the
//! content of pages and search terms, run as a binary.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers: a failure should panic with its message"
)]

use std::process::Command;

mod common;
use common::Scratch;

fn esafety() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_esafety"));
    c.current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    c
}

const WEIGHTED: &str = "#listcategory: \"Gambling\"\n< poker ><60>\n< casino ><110>\n";

/// (name, policy, age, url, page text or "", action, rule, content scores as (source, score, limit))
type Case = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [(&'static str, i64, u64)],
);

const CASES: &[Case] = &[
    (
        "primary_search_terms_over_50",
        "primary-pupils",
        "8",
        "https://www.google.com/search?q=poker+tips",
        "",
        "block",
        "content",
        &[("search-terms", 60, 50)],
    ),
    (
        "secondary_search_terms_within_100",
        "secondary-pupils",
        "13",
        "https://www.google.com/search?q=poker+tips",
        "",
        "allow",
        "default",
        &[("search-terms", 60, 100)],
    ),
    (
        "secondary_page_over_100",
        "secondary-pupils",
        "13",
        "https://www.bbc.co.uk/",
        "<p>casino night</p>",
        "block",
        "content",
        &[("page", 110, 100)],
    ),
    (
        "sixth_form_page_within_160",
        "sixth-form",
        "17",
        "https://www.bbc.co.uk/",
        "<p>casino night</p>",
        "allow",
        "default",
        &[("page", 110, 160)],
    ),
    (
        "page_and_search_terms_both_scored",
        "primary-pupils",
        "8",
        "https://www.google.com/search?q=volcanoes",
        "<p>poker</p>",
        "block",
        "content",
        &[("page", 60, 50), ("search-terms", 0, 50)],
    ),
    (
        "no_text_no_content",
        "primary-pupils",
        "8",
        "https://www.bbc.co.uk/",
        "",
        "allow",
        "default",
        &[],
    ),
];

#[test]
fn content_limits_of_the_shipped_policies() {
    let scratch = Scratch::new("check-content");
    let weighted = scratch.file("weightedphraselist", WEIGHTED);
    let mut failures = Vec::new();
    for (name, policy, age, url, page, action, rule, content) in CASES {
        let mut cmd = esafety();
        cmd.args([
            "check",
            "--policy",
            &format!("policies/{policy}.toml"),
            "--age",
            age,
        ])
        .args(["--at", "2026-03-02T10:00:00Z", "--json"]);
        if !page.is_empty() {
            let path = scratch.file(&format!("{name}.html"), page);
            cmd.arg("--page").arg(path);
        }
        let out = cmd
            .arg("--phrases")
            .arg(&weighted)
            .arg("--")
            .arg(url)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let got: Vec<(String, i64, u64)> = v["content"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|f| {
                        (
                            f["source"].as_str().unwrap().to_owned(),
                            f["score"].as_i64().unwrap(),
                            f["limit"].as_u64().unwrap(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        let want: Vec<(String, i64, u64)> = content
            .iter()
            .map(|(s, n, l)| ((*s).to_owned(), *n, *l))
            .collect();
        if v["action"] != *action || v["rule"] != *rule || got != want {
            failures.push(format!(
                "{name}: got {} {} {got:?}, want {action} {rule} {want:?}",
                v["action"], v["rule"]
            ));
        }
        if v["rule"] == "content" {
            let reasons = v["reasons"].to_string();
            if !reasons.contains("`< poker >` +60 (gambling)")
                && !reasons.contains("`< casino >` +110 (gambling)")
            {
                failures.push(format!(
                    "{name}: the reasons do not name the phrases: {reasons}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn page_needs_exactly_one_url_and_phrases() {
    let scratch = Scratch::new("check-content-usage");
    let weighted = scratch.file("weightedphraselist", WEIGHTED);
    let page = scratch.file("page.html", "<p>poker</p>");
    let out = esafety()
        .args([
            "check",
            "--policy",
            "policies/primary-pupils.toml",
            "--page",
        ])
        .arg(&page)
        .arg("--phrases")
        .arg(&weighted)
        .args(["--", "https://a.example/", "https://b.example/"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("give exactly one URL with it (got 2)"),
        "{err}"
    );
    let out = esafety()
        .args([
            "check",
            "--policy",
            "policies/primary-pupils.toml",
            "--page",
        ])
        .arg(&page)
        .arg("https://a.example/")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    // A phrase list that cannot be read stops the command: no decision is
    // printed without the content it was asked to score.
    let out = esafety()
        .args([
            "check",
            "--policy",
            "policies/primary-pupils.toml",
            "--phrases",
            "/nonexistent/weightedphraselist",
            "--",
            "https://a.example/",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
}
