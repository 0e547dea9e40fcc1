//! `esafety lint`, run as a binary.

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

const SHIPPED: &[&str] = &[
    "policies/primary-pupils.toml",
    "policies/secondary-pupils.toml",
    "policies/sixth-form.toml",
    "policies/staff.toml",
    "policies/library-childrens-area.toml",
    "policies/childrens-home.toml",
    "policies/youth-club.toml",
];

#[test]
fn shipped_policies_are_clean_and_print_one_json_line_each() {
    let out = esafety()
        .args(["lint", "--json", "--today", "2026-11-23"])
        .args(SHIPPED)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), SHIPPED.len());
    for (v, file) in lines.iter().zip(SHIPPED) {
        assert_eq!(v["file"], *file);
        assert_eq!(v["findings"], serde_json::json!([]));
    }
}

#[test]
fn errors_exit_1_and_name_code_line_and_fix() {
    let scratch = Scratch::new("cli-lint");
    let p = scratch.file(
        "thin.toml",
        "id = \"thin\"\naudience = [\"pupils\", \"staff\"]\ndefault = \"allow\"\n",
    );
    let out = esafety()
        .args(["lint", "--today", "2026-11-23"])
        .arg(&p)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("thin.toml:2: error P102: staff and children share this policy"),
        "{text}"
    );
    assert!(text.contains("error P601:"), "{text}");

    let out = esafety()
        .args(["lint", "--json", "--today", "2026-11-23"])
        .arg(&p)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "P102")
        .unwrap();
    assert_eq!(f["severity"], "error");
    assert_eq!(f["line"], 2);
}

#[test]
fn warnings_alone_exit_0() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../policies/secondary-pupils.toml"
    ))
    .unwrap();
    let scratch = Scratch::new("cli-lint");
    let p = scratch.file(
        "warn.toml",
        text.replace("safe_search = true", "safe_search = false"),
    );
    let out = esafety()
        .args(["lint", "--today", "2026-11-23"])
        .arg(&p)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("warning P903")
    );
}

#[test]
fn unreadable_file_exits_2_with_one_line() {
    let out = esafety()
        .args(["lint", "policies/does-not-exist.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("cannot read policy `policies/does-not-exist.toml`"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1);
}

#[test]
fn overdue_review_is_an_error_on_a_later_date() {
    let out = esafety()
        .args(["lint", "--today", "2027-10-01", "policies/staff.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8(out.stdout).unwrap().contains("P403"));
}
