//! The Squid helper's input (issue 31, "Streams"): it answers each request
//! as it arrives, caps a line at `esafety::url::MAX_LINE_LEN` bytes (a
//! longer one is blocked on its channel, echoing none of it, and the
//! stream goes on), does not answer a last line the input stopped in the
//! middle of, takes `-` as no URL (blocked), and survives SIGHUP.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers: a failure should panic with its message"
)]

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use esafety::url::MAX_LINE_LEN;

mod common;
use common::Scratch;

const POLICY: &str = r#"id = "pupils"
default = "allow"
[[rules]]
id = "no-games"
action = "block"
categories = ["gaming"]
"#;

/// Starts `esafety squid-helper` on a policy blocking gaming over a bundle
/// listing `games.example` as gaming, with no file watching (SIGHUP only).
fn start(scratch: &Scratch) -> Child {
    start_with(scratch, &[])
}

/// [`start`] with more arguments.
fn start_with(scratch: &Scratch, extra: &[&str]) -> Child {
    let policy = scratch.file("pupils.toml", POLICY);
    scratch.file("games.txt", "games.example\n");
    let iwf = concat!(env!("CARGO_MANIFEST_DIR"), "/../policies/samples/iwf.txt");
    let bundle = scratch.path().join("lists.esb");
    let out = Command::new(env!("CARGO_BIN_EXE_esafety"))
        .current_dir(scratch.path())
        .args([
            "compile",
            "--iwf",
            iwf,
            "--list",
            "gaming=plain:games.txt",
            "-o",
        ])
        .arg(&bundle)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Command::new(env!("CARGO_BIN_EXE_esafety"))
        .arg("squid-helper")
        .arg("--policy")
        .arg(&policy)
        .arg("--bundle")
        .arg(&bundle)
        .args(["--watch-interval-ms", "1000000000"])
        .args(extra)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// The lines of `stream`, as they come, read on a thread of their own.
fn lines_of(stream: impl std::io::Read + Send + 'static) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            if tx.send(line.unwrap()).is_err() {
                break;
            }
        }
    });
    rx
}

/// The child's standard output, line by line, as it comes.
fn answers(child: &mut Child) -> mpsc::Receiver<String> {
    lines_of(child.stdout.take().unwrap())
}

fn next(rx: &mpsc::Receiver<String>, what: &str) -> String {
    rx.recv_timeout(Duration::from_secs(30))
        .unwrap_or_else(|e| panic!("no answer to {what}: {e}"))
}

fn stderr(child: &mut Child) -> String {
    let mut text = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

#[test]
fn helper_answers_each_request_while_the_input_stays_open() {
    let scratch = Scratch::new("helper-live");
    let mut child = start(&scratch);
    let mut stdin = child.stdin.take().unwrap();
    let rx = answers(&mut child);
    for (line, want) in [
        ("0 http://games.example/play", "0 ERR"),
        ("1 http://school.example/", "1 OK"),
        ("2 http://games.example/again", "2 ERR"),
    ] {
        writeln!(stdin, "{line}").unwrap();
        stdin.flush().unwrap();
        let answer = next(&rx, line);
        assert!(answer.starts_with(want), "{line}: {answer}");
    }
    drop(stdin);
    assert!(child.wait().unwrap().success());
}

/// The records in the decision log so far.
fn records(path: &std::path::Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn helper_answers_a_single_line_before_the_next_is_sent_with_its_record_first() {
    // Answers are held only while more input is already waiting: a line
    // alone is answered (and its record is in the log) before another is
    // sent, with or without channel ids.
    let scratch = Scratch::new("helper-live-log");
    let log = scratch.path().join("decisions.jsonl");
    let mut child = start_with(&scratch, &["--log", log.to_str().unwrap()]);
    let mut stdin = child.stdin.take().unwrap();
    let rx = answers(&mut child);
    let cases = [
        (
            "0 http://games.example/play",
            "0 ERR",
            "http://games.example/play",
        ),
        ("1 http://school.example/", "1 OK", "http://school.example/"),
        (
            "http://games.example/again",
            "ERR",
            "http://games.example/again",
        ),
        (
            "7 http://school.example/b",
            "7 OK",
            "http://school.example/b",
        ),
    ];
    for (n, (line, want, url)) in cases.iter().enumerate() {
        writeln!(stdin, "{line}").unwrap();
        stdin.flush().unwrap();
        let answer = next(&rx, line);
        assert!(answer.starts_with(want), "{line}: {answer}");
        let logged = records(&log);
        assert_eq!(
            logged.len(),
            n + 1,
            "{line}: the record is written before the answer"
        );
        assert_eq!(logged[n]["url"], *url, "{line}");
    }
    drop(stdin);
    assert!(child.wait().unwrap().success());
}

#[test]
fn helper_answers_a_burst_in_order_with_one_record_per_line() {
    // Squid with concurrency sends many lines before reading an answer:
    // all of them are answered, in order, each once, with one record each
    // in the same order (batches of answers cross the batch limit).
    let scratch = Scratch::new("helper-burst");
    let log = scratch.path().join("decisions.jsonl");
    let mut child = start_with(&scratch, &["--log", log.to_str().unwrap()]);
    let mut stdin = child.stdin.take().unwrap();
    let rx = answers(&mut child);
    let n = 1000;
    let mut burst = String::new();
    for i in 0..n {
        let host = if i % 3 == 0 {
            "games.example"
        } else {
            "school.example"
        };
        burst.push_str(&format!("{} http://{host}/{i}\n", i % 8));
    }
    let writer = std::thread::spawn(move || {
        stdin.write_all(burst.as_bytes()).unwrap();
        stdin.flush().unwrap();
        stdin
    });
    for i in 0..n {
        let answer = next(&rx, &format!("line {i}"));
        let want = format!("{} {}", i % 8, if i % 3 == 0 { "ERR" } else { "OK" });
        assert!(answer.starts_with(&want), "line {i}: {answer}");
    }
    drop(writer.join().unwrap());
    assert!(child.wait().unwrap().success());
    let logged = records(&log);
    assert_eq!(logged.len(), n);
    for (i, record) in logged.iter().enumerate() {
        let host = if i % 3 == 0 {
            "games.example"
        } else {
            "school.example"
        };
        assert_eq!(record["url"], format!("http://{host}/{i}"), "record {i}");
    }
}

#[test]
fn helper_blocks_every_request_whose_record_cannot_be_written() {
    // A log that refuses every write (`/dev/full`): no answer goes out
    // before its record is in the log, so every request of every batch is
    // blocked (fail closed), alone or in a burst past the batch limit.
    let scratch = Scratch::new("helper-full-log");
    let mut child = start_with(&scratch, &["--log", "/dev/full"]);
    let mut stdin = child.stdin.take().unwrap();
    let rx = answers(&mut child);
    writeln!(stdin, "0 http://school.example/alone").unwrap();
    stdin.flush().unwrap();
    let answer = next(&rx, "a line alone");
    assert!(answer.starts_with("0 ERR "), "{answer}");
    let n = 600;
    let mut burst = String::new();
    for i in 0..n {
        burst.push_str(&format!("{} http://school.example/{i}\n", i % 8));
    }
    let writer = std::thread::spawn(move || {
        stdin.write_all(burst.as_bytes()).unwrap();
        stdin
    });
    for i in 0..n {
        let answer = next(&rx, &format!("line {i}"));
        assert!(
            answer.starts_with(&format!("{} ERR ", i % 8)),
            "line {i}: {answer}"
        );
        assert!(
            answer.contains("rule") || answer.contains("error"),
            "line {i}: {answer}"
        );
    }
    drop(writer.join().unwrap());
    assert!(child.wait().unwrap().success());
    let err = stderr(&mut child);
    assert!(
        err.contains("cannot write the decision log `/dev/full`"),
        "{err}"
    );
}

#[test]
fn helper_does_not_answer_a_partial_last_line() {
    let scratch = Scratch::new("helper-partial");
    let mut child = start(&scratch);
    let mut stdin = child.stdin.take().unwrap();
    let rx = answers(&mut child);
    stdin
        .write_all(b"0 http://school.example/\n1 http://games.example/cut-off")
        .unwrap();
    drop(stdin);
    let status = child.wait().unwrap();
    let err = stderr(&mut child);
    let all: Vec<String> = rx.iter().collect();
    assert_eq!(all.len(), 1, "only the complete line is answered: {all:?}");
    assert!(all[0].starts_with("0 OK"), "{all:?}");
    assert!(status.success(), "{status}: {err}");
    assert!(
        err.contains("line 2 ends without a line ending") && !err.contains("cut-off"),
        "{err}"
    );
}

#[test]
fn helper_takes_a_dash_as_no_url_and_blocks() {
    let scratch = Scratch::new("helper-dash");
    let mut child = start(&scratch);
    let mut stdin = child.stdin.take().unwrap();
    let rx = answers(&mut child);
    for (line, want) in [
        ("0 -", "0 ERR"),
        ("-", "ERR"),
        ("1 http://school.example/", "1 OK"),
    ] {
        writeln!(stdin, "{line}").unwrap();
        stdin.flush().unwrap();
        let answer = next(&rx, line);
        assert!(answer.starts_with(want), "{line:?}: {answer}");
        assert!(!answer.contains("http://-"), "{answer}");
    }
    drop(stdin);
    assert!(child.wait().unwrap().success());
}

/// A 100 MB request line (over the cap) is blocked on its channel with a
/// short answer that echoes none of it, and the next request is answered.
#[test]
fn helper_blocks_an_over_long_line_without_echoing_it() {
    const LEN: usize = 100 * 1024 * 1024;
    const { assert!(LEN > MAX_LINE_LEN) };
    let scratch = Scratch::new("helper-long");
    let mut child = start(&scratch);
    let mut stdin = child.stdin.take().unwrap();
    let rx = answers(&mut child);
    let writer = std::thread::spawn(move || {
        stdin.write_all(b"5 http://school.example/").unwrap();
        let chunk = vec![b'a'; 1024 * 1024];
        for _ in 0..LEN / chunk.len() {
            stdin.write_all(&chunk).unwrap();
        }
        stdin.write_all(b"\n6 http://school.example/ok\n").unwrap();
    });
    let long = next(&rx, "the long line");
    let after = next(&rx, "the line after it");
    writer.join().unwrap();
    assert!(
        long.starts_with("5 ERR"),
        "{}",
        long.chars().take(300).collect::<String>()
    );
    assert!(long.len() < 1024, "the answer is {} bytes", long.len());
    assert!(!long.contains("aaaa"), "{long}");
    assert!(after.starts_with("6 OK"), "{after}");
    assert!(child.wait().unwrap().success());
    let err = stderr(&mut child);
    assert!(err.contains("over the limit"), "{err}");
    assert!(err.len() < 4096 && !err.contains("aaaa"), "{err}");
}

#[test]
fn helper_survives_sighup_and_reloads() {
    let scratch = Scratch::new("helper-hup");
    let mut child = start(&scratch);
    let mut stdin = child.stdin.take().unwrap();
    let rx = answers(&mut child);
    let mut err = BufReader::new(child.stderr.take().unwrap());
    // Up and answering first (a SIGHUP before the process has started at
    // all would meet the default action).
    writeln!(stdin, "9 http://school.example/").unwrap();
    stdin.flush().unwrap();
    assert!(next(&rx, "the first request").starts_with("9 OK"));
    for round in 0..3 {
        let hup = Command::new("kill")
            .args(["-HUP", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(hup.success());
        let mut line = String::new();
        err.read_line(&mut line).unwrap();
        assert!(
            line.contains("reloaded") && line.contains("on SIGHUP"),
            "{line}"
        );
        writeln!(stdin, "{round} http://games.example/").unwrap();
        stdin.flush().unwrap();
        let answer = next(&rx, "a request after SIGHUP");
        assert!(answer.starts_with(&format!("{round} ERR")), "{answer}");
    }
    assert!(child.try_wait().unwrap().is_none(), "the helper died");
    drop(stdin);
    assert!(child.wait().unwrap().success());
}

/// The child's standard error, line by line, as it comes.
fn error_lines(child: &mut Child) -> mpsc::Receiver<String> {
    lines_of(child.stderr.take().unwrap())
}

/// Replaces a file whole (rename), as a publisher would.
fn replace(path: &std::path::Path, text: &str) {
    let fresh = path.with_extension("new");
    std::fs::write(&fresh, text).unwrap();
    std::fs::rename(&fresh, path).unwrap();
}

fn hang_up(child: &Child) {
    let hup = Command::new("kill")
        .args(["-HUP", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(hup.success());
}

/// SIGHUP wakes the reload at once (issue 30), with no poll tick between
/// the signal and the load: each round replaces the policy (blocking
/// gaming, then not), sends SIGHUP right after the previous reload went
/// into service, and asks until the new policy answers. With the old
/// 100 ms reloader tick a round took about 100 ms (the reloader had just
/// gone back to sleep); here the rounds together must take less than half
/// of that each. A policy that does not load then leaves the last engine
/// serving.
#[test]
fn sighup_reloads_at_once_without_a_poll_tick() {
    const ROUNDS: u32 = 20;
    let scratch = Scratch::new("helper-hup-at-once");
    let mut child = start(&scratch);
    let policy = scratch.path().join("pupils.toml");
    let allowing = "id = \"pupils\"\ndefault = \"allow\"\n";
    let mut stdin = child.stdin.take().unwrap();
    let rx = answers(&mut child);
    let err = error_lines(&mut child);
    let mut channel = 0u64;
    let mut ask = |stdin: &mut std::process::ChildStdin| {
        channel += 1;
        writeln!(stdin, "{channel} http://games.example/").unwrap();
        stdin.flush().unwrap();
        let answer = next(&rx, "a request for games.example");
        let verdict = answer
            .strip_prefix(&format!("{channel} "))
            .unwrap_or_else(|| panic!("answer on the wrong channel: {answer}"));
        verdict.split(' ').next().unwrap_or_default().to_string()
    };
    // Up and answering first, with the blocking policy.
    assert_eq!(ask(&mut stdin), "ERR");
    let started = Instant::now();
    for round in 0..ROUNDS {
        let (text, want) = if round % 2 == 0 {
            (allowing, "OK")
        } else {
            (POLICY, "ERR")
        };
        replace(&policy, text);
        hang_up(&child);
        let asked = Instant::now();
        while ask(&mut stdin) != want {
            assert!(
                asked.elapsed() < Duration::from_secs(30),
                "round {round}: the new policy never answered"
            );
        }
    }
    let took = started.elapsed();
    assert!(
        took < Duration::from_millis(50) * ROUNDS,
        "{ROUNDS} SIGHUP reloads took {took:?}: the reload waited for a tick"
    );
    // The last round put the blocking policy in service; a broken one is
    // refused and the blocking one keeps serving.
    replace(&policy, "id = \"pupils\"\ndefault = \"sometimes\"\n");
    hang_up(&child);
    let failure = loop {
        let line = err
            .recv_timeout(Duration::from_secs(30))
            .expect("no word of the failed reload");
        if line.contains("reload failed") {
            break line;
        }
    };
    assert!(failure.contains("keeps serving"), "{failure}");
    assert_eq!(ask(&mut stdin), "ERR", "the old engine stopped serving");
    assert!(child.try_wait().unwrap().is_none(), "the helper died");
    drop(stdin);
    assert!(child.wait().unwrap().success());
}
