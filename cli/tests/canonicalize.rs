//! `esafety canonicalize`: runs the built binary.
#![allow(
    clippy::unwrap_used,
    reason = "test helpers outside #[test] functions: a panic is a test failure"
)]

mod common;
use common::{esafety_stdin as esafety, esafety_stdin_bytes, stderr, stdout};

#[test]
fn plain_arguments() {
    let out = esafety(
        &[
            "canonicalize",
            "http://3279880203/blah",
            "www.GOOgle.com...",
            "http://host/%25%32%35",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "http://195.127.0.11/blah\nhttp://www.google.com/\nhttp://host/%25\n"
    );
    assert_eq!(stderr(&out), "");
}

#[test]
fn plain_stdin_skips_blank_lines() {
    let out = esafety(
        &["canonicalize"],
        Some("HTTP://Example.COM:80/a/../b\r\n\n  \nexample.org\n"),
    );
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert_eq!(stdout(&out), "http://example.com/b\nhttp://example.org/\n");
}

#[test]
fn stdin_bytes_that_are_not_utf8_are_escaped_not_fatal() {
    // A log line in Latin-1 is the same URL as its `%XX` spelling; the
    // lines after it are still read.
    let out = esafety_stdin_bytes(
        &["canonicalize"],
        Some(b"http://a.test/caf\xe9\nhttp://b.test/\xc3\xa9\n"),
    );
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert_eq!(stdout(&out), "http://a.test/caf%E9\nhttp://b.test/%C3%A9\n");
}

#[test]
fn json_shape() {
    let out = esafety(
        &["canonicalize", "--json", "http://a.b.c/1/2.html?param=1"],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 1);
    let value: serde_json::Value = serde_json::from_str(text.trim_end()).unwrap();
    assert_eq!(
        value,
        serde_json::json!({
            "input": "http://a.b.c/1/2.html?param=1",
            "canonical": "http://a.b.c/1/2.html?param=1",
            "expressions": [
                "a.b.c/1/2.html?param=1", "a.b.c/1/2.html", "a.b.c/", "a.b.c/1/",
                "b.c/1/2.html?param=1", "b.c/1/2.html", "b.c/", "b.c/1/"
            ]
        })
    );
}

#[test]
fn json_stdin_with_a_bad_line_exits_1() {
    let out = esafety(
        &["canonicalize", "--json"],
        Some("http://1.2.3.4/1/\njavascript:alert(1)\nexample.com\n"),
    );
    assert_eq!(out.status.code(), Some(1), "stderr: {}", stderr(&out));
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3, "one object per input line");
    assert_eq!(
        lines[0]["expressions"],
        serde_json::json!(["1.2.3.4/1/", "1.2.3.4/"])
    );
    assert_eq!(
        lines[1],
        serde_json::json!({
            "input": "javascript:alert(1)",
            "error": "unsupported scheme `javascript`; only http, https, ftp, ws and wss urls can be canonicalized"
        })
    );
    assert_eq!(lines[2]["canonical"], "http://example.com/");
}

#[test]
fn plain_bad_url_reports_on_stderr_and_continues() {
    let out = esafety(
        &["canonicalize", "http://[::g]/", "http://ok.example/"],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "http://ok.example/\n");
    assert_eq!(
        stderr(&out),
        "esafety: `http://[::g]/`: invalid host `[::g]`: not a valid IPv6 address; write one such as `[2001:db8::1]`\n"
    );
}

#[test]
fn bad_usage_exits_2() {
    let out = esafety(&["canonicalize", "--no-such-flag"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(!stderr(&out).is_empty());
}

#[test]
fn empty_stdin_is_success_with_no_output() {
    let out = esafety(&["canonicalize"], Some(""));
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), "");
}
