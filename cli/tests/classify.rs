//! `esafety classify`: runs the built binary.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test helpers outside #[test] functions: a panic is a test failure"
)]

mod common;
use common::{Scratch, esafety_stdin as esafety, stderr, stdout};

#[test]
fn plain_output_with_the_sample_bundle() {
    let out = esafety(
        &[
            "classify",
            "https://WWW.bet365.com/x",
            "https://www.gov.uk/",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "https://www.bet365.com/x\tgambling\tsample-gambling:bet365.com/\nhttps://www.gov.uk/\t-\n"
    );
}

#[test]
fn json_lines_from_stdin() {
    let out = esafety(
        &["classify", "--json"],
        Some(
            "http://www.youtube.com/watch?v=1\n\nhttp://iwf-test.esafety.invalid/abuse/page-1.html\n",
        ),
    );
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(
        lines[0],
        serde_json::json!({"url": "http://www.youtube.com/watch?v=1", "canonical": "http://www.youtube.com/watch?v=1",
            "categories": ["streaming"], "matches": [{"list": "sample-streaming", "category": "streaming", "expression": "youtube.com/"}]})
    );
    assert_eq!(lines[1]["categories"], serde_json::json!(["child-abuse"]));
    let expr = lines[1]["matches"][0]["expression"].as_str().unwrap();
    assert!(expr.starts_with("sha256:") && expr.len() == 23, "{expr}");
}

#[test]
fn bad_url_is_reported_and_exits_1_after_the_rest() {
    let out = esafety(
        &["classify", "javascript:alert(1)", "http://bet365.com/"],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout(&out),
        "http://bet365.com/\tgambling\tsample-gambling:bet365.com/\n"
    );
    assert!(
        stderr(&out).starts_with("esafety: `javascript:alert(1)`: "),
        "{}",
        stderr(&out)
    );
    let out = esafety(&["classify", "--json", "javascript:alert(1)"], None);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(v["url"], "javascript:alert(1)");
    assert!(v["error"].as_str().unwrap().contains("scheme"), "{v}");
}

#[test]
fn compiled_bundle_file_is_used() {
    let mut b = esafety::bundle::BundleBuilder::new();
    let l = b.add_list("school-local", "local-exam-mode").unwrap();
    b.add_entry(
        l,
        &esafety::lists::Entry {
            kind: esafety::lists::EntryKind::Domain("answers.example".into()),
            line: 1,
        },
    )
    .unwrap();
    let scratch = Scratch::new("cli-classify");
    let path = scratch.file("local.esb", b.build().unwrap());
    let out = esafety(
        &[
            "classify",
            "--bundle",
            path.to_str().unwrap(),
            "http://x.answers.example/",
            "http://bet365.com/",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "http://x.answers.example/\tlocal-exam-mode\tschool-local:answers.example/\nhttp://bet365.com/\t-\n"
    );
}

#[test]
fn unreadable_or_corrupt_bundles_exit_2_with_one_line() {
    let scratch = Scratch::new("cli-classify");
    let missing = scratch.path().join("no-such-bundle.esb");
    let mut corrupt = esafety::sample::bundle_bytes();
    let n = corrupt.len();
    corrupt[n - 1] ^= 1;
    let corrupt = scratch.file("corrupt.esb", &corrupt);
    let mut newer = esafety::sample::bundle_bytes();
    newer[12] = 99;
    esafety::bundle::reseal_checksum(&mut newer);
    let newer = scratch.file("newer.esb", &newer);
    let text = scratch.file("text.esb", b"bet365.com\n");
    for (path, want) in [
        (&missing, "cannot read bundle"),
        (&corrupt, "checksum mismatch"),
        (&newer, "upgrade esafety"),
        (&text, "not an esafety bundle"),
    ] {
        let out = esafety(
            &[
                "classify",
                "--bundle",
                path.to_str().unwrap(),
                "http://bet365.com/",
            ],
            None,
        );
        assert_eq!(out.status.code(), Some(2), "{}", path.display());
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(want), "{err}");
        assert!(stdout(&out).is_empty());
    }
}

/// A plain line says what the `--json` report says: the canonical URL, the
/// category ids in the report's order (`-` for none), then each match as
/// `list:expression` in the report's order, for URLs with no match, one,
/// and several of several categories. (The plain line is written straight
/// from the classification, without building the report.)
#[test]
fn plain_lines_say_what_the_json_report_says() {
    let mut b = esafety::bundle::BundleBuilder::new();
    for (list, category, hosts) in [
        (
            "school-local",
            "local-exam-mode",
            &["answers.example", "games.example"][..],
        ),
        (
            "school-games",
            "gaming",
            &["games.example", "play.games.example"][..],
        ),
        ("school-chat", "local-chat", &["play.games.example"][..]),
    ] {
        let l = b.add_list(list, category).unwrap();
        for (i, host) in hosts.iter().enumerate() {
            b.add_entry(
                l,
                &esafety::lists::Entry {
                    kind: esafety::lists::EntryKind::Domain((*host).into()),
                    line: i + 1,
                },
            )
            .unwrap();
        }
    }
    let scratch = Scratch::new("cli-classify-lines");
    let path = scratch.file("lines.esb", b.build().unwrap());
    let urls = [
        "http://x.answers.example/",
        "http://games.example/a",
        "http://a.play.games.example/b?c",
        "http://nothing.example/",
        "https://www.bet365.com/",
    ];
    let mut args = vec!["classify", "--bundle", path.to_str().unwrap()];
    args.extend(urls);
    let plain = esafety(&args, None);
    assert_eq!(plain.status.code(), Some(0), "stderr: {}", stderr(&plain));
    args.push("--json");
    let json = esafety(&args, None);
    assert_eq!(json.status.code(), Some(0), "stderr: {}", stderr(&json));
    let plain = stdout(&plain);
    let json = stdout(&json);
    assert_eq!(plain.lines().count(), urls.len(), "{plain}");
    let mut several = false;
    for (line, report) in plain.lines().zip(json.lines()) {
        let report: serde_json::Value = serde_json::from_str(report).unwrap();
        let categories: Vec<&str> = report["categories"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        let matches = report["matches"].as_array().unwrap();
        several |= categories.len() > 1 && matches.len() > 2;
        let mut want = format!(
            "{}\t{}",
            report["canonical"].as_str().unwrap(),
            if categories.is_empty() {
                "-".to_owned()
            } else {
                categories.join(",")
            }
        );
        for m in matches {
            want.push_str(&format!(
                "\t{}:{}",
                m["list"].as_str().unwrap(),
                m["expression"].as_str().unwrap()
            ));
        }
        assert_eq!(line, want);
    }
    assert!(
        several,
        "no URL with several categories and matches: {json}"
    );
}
