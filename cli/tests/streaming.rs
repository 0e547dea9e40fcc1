//! Standard input is streamed (issue 31): `canonicalize`, `classify` and
//! `check` answer each line as it is read, cap every line at
//! `esafety::url::MAX_LINE_LEN` bytes (a longer one gets an error answer
//! and the stream goes on), echo at most a bounded prefix of a bad input,
//! and take URL arguments as bytes. `check` answers every input with a
//! decision (block, rule `error`, for one that is not a URL) and exits 1
//! for such input, as the command-line contract says.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers: a failure should panic with its message"
)]

use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::ffi::OsStrExt;
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use esafety::url::MAX_LINE_LEN;

mod common;

/// The three streaming commands, with the arguments each needs.
const COMMANDS: &[(&str, &[&str])] = &[
    ("canonicalize", &["canonicalize"]),
    ("classify", &["classify"]),
    (
        "check",
        &[
            "check",
            "--policy",
            "policies/staff.toml",
            "--at",
            "2026-03-02T10:00:00Z",
        ],
    ),
];

fn esafety() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_esafety"));
    c.current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    c.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

/// Runs `args` with `input` on standard input, written from another
/// thread (so a command that answers as it reads never blocks the test).
fn run(args: &[&str], input: Vec<u8>) -> Output {
    let mut child = esafety().args(args).spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        // A command that stops reading early closes the pipe: not an error.
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    out
}

/// Lines of standard output read on a thread, so that a read can time out.
fn stdout_lines(child: &mut Child) -> mpsc::Receiver<String> {
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// The peak resident memory of a running process, in KiB (`VmHWM`).
fn peak_rss_kib(child: &Child) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{}/status", child.id())).unwrap();
    let line = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .expect("VmHWM in /proc/PID/status");
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// A filter over a live log: each line is answered while standard input
/// stays open. (Before: every command read all of standard input before
/// its first answer, so this waited forever.)
#[test]
fn answers_each_line_while_the_input_stays_open() {
    for &(name, args) in COMMANDS {
        let mut child = esafety().args(args).spawn().unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let lines = stdout_lines(&mut child);
        for (i, url) in ["http://a.example/1", "http://b.example/2"]
            .iter()
            .enumerate()
        {
            writeln!(stdin, "{url}").unwrap();
            stdin.flush().unwrap();
            let answer = lines
                .recv_timeout(Duration::from_secs(20))
                .unwrap_or_else(|e| {
                    panic!(
                        "{name}: no answer to line {} while input is open: {e}",
                        i + 1
                    )
                });
            let host = url.trim_start_matches("http://");
            assert!(answer.contains(host), "{name}: {answer:?}");
        }
        drop(stdin);
        let status = child.wait().unwrap();
        assert!(status.success(), "{name}: {status}");
    }
}

/// Memory does not grow with the input: 2,000,000 lines (about 70 MB) are
/// answered with a peak resident size far below the input's size, read
/// while the last answer is in and standard input is still open. (Before:
/// every command held all of standard input, and its lines, first.)
#[test]
fn memory_does_not_grow_with_the_input() {
    const LINES: usize = 2_000_000;
    for &(name, args) in &COMMANDS[..2] {
        let mut child = esafety().args(args).spawn().unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let lines = stdout_lines(&mut child);
        let writer = std::thread::spawn(move || {
            let mut chunk = Vec::with_capacity(1 << 20);
            for i in 0..LINES {
                writeln!(chunk, "http://host{}.example/page/{i}", i % 1000).unwrap();
                if chunk.len() >= 1 << 20 || i + 1 == LINES {
                    stdin.write_all(&chunk).unwrap();
                    chunk.clear();
                }
            }
            stdin.flush().unwrap();
            stdin
        });
        let mut answered = 0usize;
        let mut last = String::new();
        while answered < LINES {
            last = lines
                .recv_timeout(Duration::from_secs(120))
                .unwrap_or_else(|e| panic!("{name}: {answered} answers, then {e}"));
            answered += 1;
        }
        assert!(
            last.contains(&format!("/page/{}", LINES - 1)),
            "{name}: {last}"
        );
        let peak = peak_rss_kib(&child);
        assert!(
            peak < 40 * 1024,
            "{name}: peak memory {peak} KiB for a {LINES}-line input of about 70 MB"
        );
        drop(writer.join().unwrap());
        let status = child.wait().unwrap();
        assert!(status.success(), "{name}: {status}");
    }
}

/// A line over the cap is answered with an error that quotes only a
/// prefix, the next line is still answered, and memory stays bounded: a
/// 300 MB line costs no more than a small multiple of the cap. (Before:
/// the whole line was held, several times over, and echoed back whole.)
#[test]
fn an_over_long_line_is_an_error_and_the_stream_goes_on() {
    for &(name, args) in COMMANDS {
        let mut child = esafety().args(args).spawn().unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let lines = stdout_lines(&mut child);
        let mut stderr = child.stderr.take().unwrap();
        let chunk = vec![b'a'; 1 << 20];
        stdin.write_all(b"http://long.example/").unwrap();
        for _ in 0..300 {
            stdin.write_all(&chunk).unwrap();
        }
        stdin.write_all(b"\nhttp://next.example/\n").unwrap();
        stdin.flush().unwrap();
        // check answers the long line too (a block); the others only on
        // standard error.
        let mut answers = Vec::new();
        while !answers.iter().any(|a: &String| a.contains("next.example")) {
            let answer = lines
                .recv_timeout(Duration::from_secs(60))
                .unwrap_or_else(|e| {
                    panic!("{name}: no answer after the long line: {e} ({answers:?})")
                });
            assert!(
                answer.len() < 2000,
                "{name}: answer of {} bytes",
                answer.len()
            );
            answers.push(answer);
        }
        let peak = peak_rss_kib(&child);
        assert!(
            peak < 64 * 1024,
            "{name}: peak memory {peak} KiB after a 300 MB line (cap {MAX_LINE_LEN} bytes)"
        );
        drop(stdin);
        let status = child.wait().unwrap();
        let mut err = String::new();
        stderr.read_to_string(&mut err).unwrap();
        assert_eq!(status.code(), Some(1), "{name}: {err}");
        assert!(err.len() < 2000, "{name}: {} bytes on stderr", err.len());
        assert!(
            err.contains("line 1 is 314572820 bytes long, over the limit of"),
            "{name}: {err}"
        );
        assert!(err.contains("give one url per line"), "{name}: {err}");
        if name == "check" {
            assert!(answers[0].starts_with("block\t\terror\t"), "{answers:?}");
        }
    }
}

/// A 100 MB input that is not a URL is answered with a bounded prefix of
/// it, on standard output (`--json`) and standard error alike.
#[test]
fn a_bad_input_is_echoed_only_as_a_prefix() {
    let mut input = b"javascript:".to_vec();
    input.resize(100 << 20, b'x');
    // Over the cap: the line reader cuts it.
    let mut long = input.clone();
    long.push(b'\n');
    // Under the cap but not a URL: the error echo cuts it.
    let mut short = input[..1 << 20].to_vec();
    short.push(b'\n');
    for &(name, args) in COMMANDS {
        for (shape, bytes) in [("over the cap", &long), ("under the cap", &short)] {
            for json in [false, true] {
                let mut args = args.to_vec();
                if json {
                    args.push("--json");
                }
                let out = run(&args, bytes.clone());
                assert_eq!(out.status.code(), Some(1), "{name} {shape} json={json}");
                assert!(
                    out.stdout.len() + out.stderr.len() < 4000,
                    "{name} {shape} json={json}: {} + {} bytes",
                    out.stdout.len(),
                    out.stderr.len()
                );
                let text = String::from_utf8_lossy(if json { &out.stdout } else { &out.stderr });
                assert!(text.contains("javascript:xxx"), "{name} {shape}: {text}");
                assert!(text.contains('…'), "{name} {shape}: {text}");
            }
        }
    }
}

/// `check` gives every input a decision line and exits 1 for input that is
/// not a URL (the contract: the input was understood and found wanting).
/// (Before: no decision, and exit 2.)
#[test]
fn check_blocks_what_is_not_a_url_and_exits_1() {
    let inputs = [
        "javascript:1",
        "http://[::1/",
        "gopher://x/",
        "http://a.example/",
    ];
    let mut args = COMMANDS[2].1.to_vec();
    args.extend(inputs);
    let out = esafety().args(&args).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = common::stdout(&out);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{stdout}");
    for line in &lines[..3] {
        assert_eq!(*line, "block\t\terror\t", "{stdout}");
    }
    assert!(
        lines[3].starts_with("allow\thttp://a.example/\t"),
        "{stdout}"
    );
    let stderr = common::stderr(&out);
    assert!(
        stderr.contains("`javascript:1`: unsupported scheme `javascript`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("`gopher://x/`: unsupported scheme `gopher`"),
        "{stderr}"
    );

    // The same through standard input, and as JSON.
    let mut args = COMMANDS[2].1.to_vec();
    args.push("--json");
    let out = run(&args, b"javascript:1\nhttp://a.example/\n".to_vec());
    assert_eq!(out.status.code(), Some(1));
    let stdout = common::stdout(&out);
    let first: serde_json::Value = serde_json::from_str(stdout.lines().next().unwrap()).unwrap();
    assert_eq!(first["url"], "javascript:1");
    assert_eq!(first["action"], "block");
    assert_eq!(first["rule"], "error");
    assert!(
        first["reasons"][0]
            .as_str()
            .unwrap()
            .contains("unsupported scheme `javascript`")
    );
    let second: serde_json::Value = serde_json::from_str(stdout.lines().nth(1).unwrap()).unwrap();
    assert_eq!(second["action"], "allow");
}

/// URL arguments are bytes, as standard input is: the Safe Browsing vector
/// `http://\x01\x80.com/` is `http://%01%80.com/`. (Before: clap refused the
/// argument as not UTF-8.)
#[test]
fn url_arguments_are_bytes() {
    let arg = OsStr::from_bytes(b"http://\x01\x80.com/");
    for &(name, args) in COMMANDS {
        let out = esafety().args(args).arg(arg).output().unwrap();
        assert!(out.status.success(), "{name}: {}", common::stderr(&out));
        let stdout = common::stdout(&out);
        assert!(stdout.contains("http://%01%80.com/"), "{name}: {stdout}");
    }
    let out = esafety()
        .args(["canonicalize", "--json"])
        .arg(OsStr::from_bytes(b"http://a.example/caf\xe9"))
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["input"], "http://a.example/caf%E9");
    assert_eq!(v["canonical"], "http://a.example/caf%E9");
}

/// Blank lines are skipped and a last line without a line ending is
/// answered, as before.
#[test]
fn blank_lines_and_a_last_line_without_newline() {
    let out = run(
        &["canonicalize"],
        b"\n  \r\na.example\r\n\nb.example".to_vec(),
    );
    assert!(out.status.success());
    assert_eq!(
        common::stdout(&out),
        "http://a.example/\nhttp://b.example/\n"
    );
}
