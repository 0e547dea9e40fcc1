//! `esafety check`, run as a binary.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers: a failure should panic with its message"
)]

use std::io::Write;
use std::process::{Command, Stdio};

mod common;
use common::Scratch;

fn esafety() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_esafety"));
    c.current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    c
}

#[test]
fn json_lines_follow_the_contract() {
    let out = esafety()
        .args([
            "check",
            "--policy",
            "policies/secondary-pupils.toml",
            "--age",
            "12",
            "--group",
            "pupils",
        ])
        .args(["--device", "byod", "--at", "2026-03-02T12:45:00Z", "--json"])
        .args([
            "https://www.bet365.com/",
            "https://www.tiktok.com/",
            "https://example.org/",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let got: Vec<(&str, &str)> = lines
        .iter()
        .map(|v| (v["action"].as_str().unwrap(), v["rule"].as_str().unwrap()))
        .collect();
    assert_eq!(
        got,
        [
            ("block", "block-uksic"),
            ("block", "block-social-under-13"),
            ("allow", "default")
        ]
    );
    assert_eq!(lines[0]["url"], "https://www.bet365.com/");
    assert_eq!(lines[0]["categories"], serde_json::json!(["gambling"]));
    assert!(
        lines[0]["reasons"][1]
            .as_str()
            .unwrap()
            .contains("sample-gambling")
    );
}

#[test]
fn reads_urls_from_stdin_and_prints_text() {
    let mut child = esafety()
        .args([
            "check",
            "--policy",
            "policies/primary-pupils.toml",
            "--at",
            "2026-03-02T10:00:00Z",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(
            b"https://www.roblox.com/\n\nhttp://iwf-test.esafety.invalid/abuse/page-1.html\n",
        )
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        text,
        "block\thttps://www.roblox.com/\tblock-games-in-lessons\tgaming\n\
         block\thttp://iwf-test.esafety.invalid/abuse/page-1.html\tbaseline\tchild-abuse\n"
    );
}

#[test]
fn bad_input_exits_2_with_one_line() {
    let cases: &[(&str, &[&str], &str)] = &[
        (
            "missing policy file",
            &[
                "check",
                "--policy",
                "policies/nope.toml",
                "http://a.example/",
            ],
            "cannot read policy `policies/nope.toml`",
        ),
        (
            "bad device",
            &[
                "check",
                "--policy",
                "policies/staff.toml",
                "--device",
                "phone",
                "http://a.example/",
            ],
            "use `managed` or `byod`",
        ),
        (
            "age out of range (the core's wording, as on every face)",
            &[
                "check",
                "--policy",
                "policies/staff.toml",
                "--age",
                "300",
                "http://a.example/",
            ],
            "`age` is 300; give a whole number of years from 0 to 255",
        ),
        (
            "age not a number",
            &[
                "check",
                "--policy",
                "policies/staff.toml",
                "--age",
                "fourteen",
                "http://a.example/",
            ],
            "`age` is `fourteen`; give a whole number of years",
        ),
        (
            "bad time",
            &[
                "check",
                "--policy",
                "policies/staff.toml",
                "--at",
                "tuesday",
                "http://a.example/",
            ],
            "RFC 3339",
        ),
        (
            "missing bundle",
            &[
                "check",
                "--policy",
                "policies/staff.toml",
                "--bundle",
                "nope.esb",
                "http://a.example/",
            ],
            "cannot read bundle `nope.esb`",
        ),
    ];
    for (name, args, fragment) in cases {
        let out = esafety().args(*args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{name}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains(fragment), "{name}: {err}");
    }
}

#[test]
fn invalid_policy_is_reported_with_its_location() {
    let scratch = Scratch::new("cli-check");
    let p = scratch.file("bad.toml", "id = \"x\"\ndefault = \"allow\"\n[[rules]]\nid = \"a\"\naction = \"allow\"\ncategories = [\"child-abuse\"]\n");
    let out = esafety()
        .args(["check", "--policy"])
        .arg(&p)
        .arg("http://a.example/")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("bad.toml:3:1: rule `a` tries to allow `child-abuse`"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
}

/// The README's main command: plain lines are `action, canonical, rule,
/// categories`, plus the safe-search URL when the policy enforces it.
#[test]
fn readme_main_command_plain_output() {
    let out = esafety()
        .args(["check", "--policy", "policies/secondary-pupils.toml"])
        .args(["--group", "pupils", "--age", "14", "--device", "managed"])
        .args(["--at", "2026-03-02T10:00:00Z"])
        .args([
            "https://www.bbc.co.uk/news",
            "HTTP://WWW.BET365.COM./poker",
            "https://www.google.com/search?q=volcanoes",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines,
        [
            "allow\thttps://www.bbc.co.uk/news\tdefault\t",
            "block\thttp://www.bet365.com/poker\tblock-uksic\tgambling",
            "allow\thttps://www.google.com/search?q=volcanoes\tdefault\tsearch\tsafe-search: https://www.google.com/search?q=volcanoes&safe=active",
        ]
    );
}
