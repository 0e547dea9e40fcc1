//! The Squid helper under a long run (issue 31): 1,000,000 request lines
//! with concurrency channel ids piped through `esafety squid-helper`, a
//! SIGHUP every 50,000 lines, and the bundle replaced at every other one
//! (one generation corrupt). Every answer is checked: exactly one per
//! line, in channel order, each the decision of the generation in force
//! (a listed URL is never allowed), and the helper alive at the end.
//!
//! Ignored by `cargo test` (about six minutes in a debug build); run on
//! the release binary by `scripts/suites/helper-longrun.sh`, which
//! `scripts/test-all` (CI) runs: `cargo test --release -p esafety-cli
//! --test squid_helper_longrun -- --ignored`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers: a failure should panic with its message"
)]

use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

mod common;
use common::Scratch;

const LINES: usize = 1_000_000;
const BATCH: usize = 100_000;
const CHANNELS: usize = 8;
/// The generation whose bundle is corrupt (the one before stays in force).
const CORRUPT: usize = 5;

const POLICY: &str = r#"id = "pupils"
default = "allow"
[[rules]]
id = "no-games"
action = "block"
categories = ["gaming"]
"#;

fn esafety() -> Command {
    Command::new(env!("CARGO_BIN_EXE_esafety"))
}

/// Generation `g`'s bundle: `always.example` and `gen{g}.example` as gaming.
fn generation(scratch: &Scratch, g: usize) -> PathBuf {
    let list = format!("gen-{g}.txt");
    scratch.file(&list, format!("always.example\ngen{g}.example\n"));
    let out = scratch.path().join(format!("gen-{g}.esb"));
    let iwf = concat!(env!("CARGO_MANIFEST_DIR"), "/../policies/samples/iwf.txt");
    let done = esafety()
        .current_dir(scratch.path())
        .args(["compile", "--iwf", iwf, "--list"])
        .arg(format!("gaming=plain:{list}"))
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    out
}

/// Puts `from` in service as `to` in one rename (no half-written bundle).
fn replace(from: &Path, to: &Path) {
    let next = to.with_extension("next");
    std::fs::copy(from, &next).unwrap();
    std::fs::rename(&next, to).unwrap();
}

/// Request line `n`'s URL: always listed, listed by generation `n/4 % 10`,
/// unlisted, or listed by another generation.
fn url(n: usize) -> String {
    match n % 4 {
        0 => format!("http://always.example/{n}"),
        1 => format!("http://gen{}.example/{n}", (n / 4) % 10),
        2 => format!("http://school.example/{n}"),
        _ => format!("http://gen{}.example/x?{n}", (n / 4 + 3) % 10),
    }
}

/// Whether line `n` is blocked under generation `g`.
fn blocked(n: usize, g: usize) -> bool {
    match n % 4 {
        0 => true,
        1 => (n / 4) % 10 == g,
        2 => false,
        _ => (n / 4 + 3) % 10 == g,
    }
}

fn hangup(pid: u32) {
    let status = Command::new("kill")
        .args(["-HUP", &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success(), "kill -HUP {pid}");
}

/// Waits for the helper's report of one reload (`reloaded` or `failed`).
fn reload_reported(err: &mpsc::Receiver<String>, want: &str) {
    let line = err
        .recv_timeout(Duration::from_secs(60))
        .unwrap_or_else(|e| panic!("no reload report ({want}): {e}"));
    assert!(line.contains(want), "wanted `{want}`: {line}");
}

#[test]
#[ignore = "long run: scripts/suites/helper-longrun.sh runs it on the release binary"]
fn helper_answers_a_million_lines_across_sighup_reloads() {
    let started = Instant::now();
    let scratch = Scratch::new("helper-longrun");
    let policy = scratch.file("pupils.toml", POLICY);
    let generations: Vec<PathBuf> = (0..10).map(|g| generation(&scratch, g)).collect();
    let corrupt = {
        let mut bytes = std::fs::read(&generations[CORRUPT]).unwrap();
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0xff;
        scratch.file("corrupt.esb", bytes)
    };
    let bundle = scratch.path().join("lists.esb");
    replace(&generations[0], &bundle);
    let mut child = esafety()
        .arg("squid-helper")
        .arg("--policy")
        .arg(&policy)
        .arg("--bundle")
        .arg(&bundle)
        // Reloads come from SIGHUP alone, so each is known to the test.
        .args(["--watch-interval-ms", "1000000000"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let stdin = child.stdin.take().unwrap();
    let mut answers = BufReader::with_capacity(1 << 16, child.stdout.take().unwrap());
    let (err_tx, err) = mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if err_tx.send(line).is_err() {
                break;
            }
        }
    });
    // The writer writes one batch per message, as Squid would: channel id,
    // then the URL.
    let (batch_tx, batches) = mpsc::channel::<usize>();
    let writer = std::thread::spawn(move || {
        let mut stdin = BufWriter::with_capacity(1 << 16, stdin);
        for batch in batches {
            for n in batch * BATCH..(batch + 1) * BATCH {
                writeln!(stdin, "{} {}", n % CHANNELS, url(n)).unwrap();
            }
            stdin.flush().unwrap();
        }
    });
    let mut in_force = 0usize;
    let mut answer = String::new();
    let mut wrong = Vec::new();
    for batch in 0..LINES / BATCH {
        batch_tx.send(batch).unwrap();
        for n in batch * BATCH..(batch + 1) * BATCH {
            if n % BATCH == BATCH / 2 {
                // A reload of the same files mid-stream, answers flowing.
                hangup(pid);
            }
            answer.clear();
            let read = answers.read_line(&mut answer).unwrap();
            assert!(read > 0, "the helper stopped answering at line {n}");
            let (channel, verdict) = answer.trim_end().split_once(' ').unwrap_or(("", ""));
            assert_eq!(channel, (n % CHANNELS).to_string(), "line {n}: {answer}");
            let want = if blocked(n, in_force) { "ERR" } else { "OK" };
            if !verdict.starts_with(want) && wrong.len() < 10 {
                wrong.push(format!(
                    "line {n} ({}), generation {in_force}: {answer}",
                    url(n)
                ));
            }
        }
        // Every answer of the batch is in: the mid-batch reload has been
        // reported (a failure while the corrupt bundle is in place), and no
        // answer is pending while the bundle changes.
        reload_reported(
            &err,
            if batch == CORRUPT {
                "reload failed"
            } else {
                "on SIGHUP"
            },
        );
        let next = batch + 1;
        if next < LINES / BATCH {
            if next == CORRUPT {
                replace(&corrupt, &bundle);
                hangup(pid);
                reload_reported(&err, "reload failed");
            } else {
                replace(&generations[next], &bundle);
                hangup(pid);
                reload_reported(&err, "on SIGHUP");
                in_force = next;
            }
        }
    }
    assert!(wrong.is_empty(), "wrong answers: {wrong:#?}");
    drop(batch_tx);
    writer.join().unwrap();
    assert!(child.try_wait().unwrap().is_none(), "the helper died");
    // Standard input is closed: the helper ends cleanly, with nothing more
    // to say on standard output.
    answer.clear();
    assert_eq!(
        answers.read_line(&mut answer).unwrap(),
        0,
        "an extra answer: {answer}"
    );
    let status = child.wait().unwrap();
    assert!(status.success(), "{status}");
    eprintln!(
        "{LINES} lines, {} reloads, in {:.1} s",
        2 * (LINES / BATCH) - 1,
        started.elapsed().as_secs_f64()
    );
}
