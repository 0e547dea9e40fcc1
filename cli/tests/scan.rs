//! `esafety scan`: scoring text against e2guardian phrase lists, through
//! the built binary.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test code: a failed step should fail the test loudly"
)]

mod common;

use common::{Scratch, esafety, esafety_stdin, esafety_stdin_bytes, stderr, stdout};
use serde_json::Value;

const WEIGHTED: &str = "#listcategory: \"Gambling\"\n< poker ><30>\n< casino ><30>\n<education><-25>\n.Include<extra>\n";
const EXTRA: &str = "#listcategory: \"Pornography\"\n< porn><40>\n<xxx>,< girls ><30>\n";
const BANNED: &str = "#listcategory: \"Weapons\"\n<buy a gun>\n";
const EXCEPTION: &str = "< medical school >\n";

/// The fixture lists in a scratch folder.
fn lists() -> (Scratch, Vec<String>) {
    let dir = Scratch::new("scan");
    dir.file("extra", EXTRA);
    let paths = [
        dir.file("weightedphraselist", WEIGHTED),
        dir.file("bannedphraselist", BANNED),
        dir.file("exceptionphraselist", EXCEPTION),
    ];
    let paths = paths.iter().map(|p| p.display().to_string()).collect();
    (dir, paths)
}

fn json(out: &std::process::Output) -> Value {
    assert_eq!(out.status.code(), Some(0), "{}", stderr(out));
    serde_json::from_str(stdout(out).trim()).unwrap()
}

#[test]
fn scores_verdicts_and_hits_by_case() {
    struct Case {
        name: &'static str,
        text: &'static str,
        limit: &'static str,
        score: i64,
        verdict: &'static str,
        reason: &'static str,
        categories: Value,
    }
    let cases = [
        Case {
            name: "nothing",
            text: "a page about gardening\n",
            limit: "50",
            score: 0,
            verdict: "allow",
            reason: "within-limit",
            categories: serde_json::json!({}),
        },
        Case {
            name: "over the young children limit",
            text: "<p>poker and casino nights</p>\n",
            limit: "young-children",
            score: 60,
            verdict: "block",
            reason: "over-limit",
            categories: serde_json::json!({"gambling": 60}),
        },
        Case {
            name: "within the older children limit",
            text: "<p>poker and casino nights</p>\n",
            limit: "older-children",
            score: 60,
            verdict: "allow",
            reason: "within-limit",
            categories: serde_json::json!({"gambling": 60}),
        },
        Case {
            name: "a negative phrase lowers the score",
            text: "poker and casino education\n",
            limit: "50",
            score: 35,
            verdict: "allow",
            reason: "within-limit",
            categories: serde_json::json!({"gambling": 60}),
        },
        Case {
            name: "an included list and a combination",
            text: "free PORNO with XXX <b>girls</b>\n",
            limit: "young-adults",
            score: 70,
            verdict: "allow",
            reason: "within-limit",
            categories: serde_json::json!({"pornography": 70}),
        },
        Case {
            name: "banned whatever the limit",
            text: "where to buy a gun\n",
            limit: "1000",
            score: 0,
            verdict: "block",
            reason: "banned",
            categories: serde_json::json!({}),
        },
        Case {
            name: "an exception allows whatever else",
            text: "poker casino porn at medical school\n",
            limit: "50",
            score: 0,
            verdict: "allow",
            reason: "exception",
            categories: serde_json::json!({}),
        },
    ];
    let (_dir, paths) = lists();
    for c in cases {
        let mut args = vec!["scan", "--json", "--limit", c.limit, "--phrases"];
        args.extend(paths.iter().map(String::as_str));
        let v = json(&esafety_stdin(&args, Some(c.text)));
        assert_eq!(v["score"], c.score, "{}: {v}", c.name);
        assert_eq!(v["verdict"], c.verdict, "{}: {v}", c.name);
        assert_eq!(v["reason"], c.reason, "{}: {v}", c.name);
        assert_eq!(v["categories"], c.categories, "{}: {v}", c.name);
        for hit in v["hits"].as_array().unwrap() {
            for field in ["phrase", "weight", "count"] {
                assert!(
                    hit.get(field).is_some(),
                    "{}: hit without `{field}`: {hit}",
                    c.name
                );
            }
        }
    }
}

#[test]
fn hits_name_phrase_weight_count_and_where() {
    let (_dir, paths) = lists();
    let mut args = vec!["scan", "--json", "--phrases"];
    args.extend(paths.iter().map(String::as_str));
    let v = json(&esafety_stdin(&args, Some("poker, poker, poker\n")));
    let hit = &v["hits"][0];
    assert_eq!(hit["phrase"], "< poker >");
    assert_eq!(hit["weight"], 30);
    assert_eq!(hit["count"], 3, "{v}");
    assert_eq!(hit["category"], "gambling");
    assert!(
        hit["source"]
            .as_str()
            .unwrap()
            .ends_with("weightedphraselist")
    );
    assert_eq!(hit["line"], 2);
}

#[test]
fn a_file_and_standard_input_score_alike_and_the_text_streams() {
    let (dir, paths) = lists();
    // Phrases across the 64 KiB pieces the CLI reads in.
    let pad = 65_536 - 3;
    let mut split = "x".repeat(pad);
    split.push_str(" poker and casino ");
    let file = dir.file("page.html", &split);
    let mut args = vec!["scan", "--json", "--phrases"];
    args.extend(paths.iter().map(String::as_str));
    let from_stdin = json(&esafety_stdin(&args, Some(&split)));
    // The text after `--`: `--phrases` takes every name up to it.
    let mut with_file = args.clone();
    let file = file.display().to_string();
    with_file.extend(["--", &file]);
    let from_file = json(&esafety(&with_file));
    assert_eq!(from_stdin, from_file);
    assert_eq!(
        from_file["score"], 60,
        "`poker` across the first piece: {from_file}"
    );
}

#[test]
fn plain_output_is_verdict_score_and_explanation() {
    let (_dir, paths) = lists();
    let mut args = vec!["scan", "--phrases"];
    args.extend(paths.iter().map(String::as_str));
    let out = esafety_stdin(&args, Some("poker and casino\n"));
    assert_eq!(out.status.code(), Some(0));
    let line = stdout(&out);
    assert!(
        line.starts_with("block\t60\tcontent score 60 is over the limit 50"),
        "{line}"
    );
}

#[test]
fn options_change_passes_case_and_counting() {
    let (_dir, paths) = lists();
    let text = "<img alt=\"poker casino\"> poker poker\n";
    let cases: [(&str, &[&str], i64); 4] = [
        ("both passes", &[], 60),
        (
            "smart pass only: the tag is gone",
            &["--passes", "smart"],
            30,
        ),
        ("raw pass only", &["--passes", "raw"], 60),
        (
            "occurrences",
            &["--count-occurrences", "--passes", "smart"],
            60,
        ),
    ];
    for (name, extra, score) in cases {
        let mut args = vec!["scan", "--json"];
        args.extend_from_slice(extra);
        args.push("--phrases");
        args.extend(paths.iter().map(String::as_str));
        let v = json(&esafety_stdin(&args, Some(text)));
        assert_eq!(v["score"], score, "{name}: {v}");
    }
}

#[test]
fn a_category_can_be_mapped() {
    let (_dir, paths) = lists();
    let mut args = vec![
        "scan",
        "--json",
        "--category",
        "Gambling=local-cards",
        "--phrases",
    ];
    args.extend(paths.iter().map(String::as_str));
    let v = json(&esafety_stdin(&args, Some("a poker night\n")));
    assert_eq!(v["categories"], serde_json::json!({"local-cards": 30}));
}

#[test]
fn bad_lists_and_inputs_are_refused_with_a_clear_line() {
    let dir = Scratch::new("scan-bad");
    let time = dir.file("weightedphraselist", "<poker><30>\n#time: 9 0 17 0 01234\n");
    let include = dir.file("w2", ".Include<missing>\n");
    let odd = dir.file("w3", "< nakna brdar > <40>\n");
    let ok = dir.file("w4", "<poker><30>\n");
    let cases: [(&str, Vec<String>, &str); 6] = [
        (
            "a #time: line",
            vec!["--phrases".into(), time.display().to_string()],
            "weightedphraselist:2: `#time:`",
        ),
        (
            "a missing include",
            vec!["--phrases".into(), include.display().to_string()],
            "w2:1: cannot read `.Include<missing>`",
        ),
        (
            "a line e2guardian misreads, with --strict",
            vec![
                "--strict".into(),
                "--phrases".into(),
                odd.display().to_string(),
            ],
            "w3:1:",
        ),
        (
            "a missing list",
            vec![
                "--phrases".into(),
                dir.path().join("nope").display().to_string(),
            ],
            "cannot read phrase list",
        ),
        (
            "a missing text",
            vec![
                "--phrases".into(),
                ok.display().to_string(),
                "--".into(),
                dir.path().join("nope.html").display().to_string(),
            ],
            "nope.html",
        ),
        (
            "a statutory category",
            vec![
                "--category".into(),
                "Gambling=child-abuse".into(),
                "--phrases".into(),
                ok.display().to_string(),
            ],
            "phrase lists cannot carry `child-abuse`",
        ),
    ];
    for (name, rest, want) in cases {
        let mut args = vec!["scan"];
        args.extend(rest.iter().map(String::as_str));
        let out = esafety_stdin(&args, Some("poker\n"));
        assert_eq!(out.status.code(), Some(2), "{name}: {}", stdout(&out));
        let err = stderr(&out);
        assert!(err.contains(want), "{name}: {err}");
        assert!(stdout(&out).is_empty(), "{name}: nothing on stdout");
    }
    // Without --strict the misread line is read as e2guardian reads it (a
    // banned phrase), with a note.
    let out = esafety_stdin(
        &["scan", "--json", "--phrases", &odd.display().to_string()],
        Some("a nakna brdar site\n"),
    );
    assert!(
        stderr(&out).contains("read as e2guardian reads them"),
        "{}",
        stderr(&out)
    );
    assert_eq!(json(&out)["verdict"], "block");
}

#[test]
fn text_that_is_not_utf8_is_scanned_as_bytes() {
    let dir = Scratch::new("scan-bytes");
    let list = dir.file("w", "<caf\u{e9}><60>\n<poker><60>\n");
    let out = esafety_stdin_bytes(
        &["scan", "--json", "--phrases", &list.display().to_string()],
        Some(b"\xff\xfe poker \xc3"),
    );
    assert_eq!(json(&out)["score"], 60);
}

#[test]
fn the_installed_debian_lists_score_a_page() {
    let root = std::path::Path::new("/etc/e2guardian/lists");
    if !root.join("weightedphraselist").exists() {
        eprintln!("skipped: Debian's e2guardian is not installed (scripts/setup.sh installs it)");
        return;
    }
    let lists: Vec<String> = [
        "exceptionphraselist",
        "bannedphraselist",
        "weightedphraselist",
    ]
    .iter()
    .map(|l| root.join(l).display().to_string())
    .collect();
    let mut args = vec!["scan", "--json", "--phrases"];
    args.extend(lists.iter().map(String::as_str));
    let v = json(&esafety_stdin(
        &args,
        Some(
            "<html><body><p>free porn: xxx girls, hardcore sex videos and live webcams</p></body></html>\n",
        ),
    ));
    assert_eq!(v["verdict"], "block", "{v}");
    assert!(v["categories"]["pornography"].as_i64().unwrap() > 50, "{v}");
}
