//! Issue 31: every `--bundle` (classify, check, the Squid helper's load and
//! reload) is read by core's opener, `bundle::read_bundle_file`: a regular
//! file within `Limits::max_bundle_len`. `/dev/zero` ran to "out of
//! memory", a FIFO hung the command (and a reload hung the helper), and a
//! directory was an opaque read error.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test helpers fail loudly"
)]

use std::io::{BufRead as _, BufReader, Write as _};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

mod common;
use common::{Scratch, esafety, stderr};

const POLICY: &str = "id = \"pupils\"\ndefault = \"allow\"\n";

fn mkfifo(path: &Path) {
    let made = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(made.success(), "mkfifo {}", path.display());
}

/// The three things that are not a bundle file, by name, path and the
/// kind the error names.
fn not_files(dir: &Scratch) -> Vec<(&'static str, String, &'static str)> {
    let fifo = dir.path().join("bundle.fifo");
    mkfifo(&fifo);
    let folder = dir.path().join("bundle.d");
    std::fs::create_dir(&folder).unwrap();
    vec![
        ("/dev/zero", "/dev/zero".to_owned(), "character device"),
        ("a FIFO", fifo.display().to_string(), "FIFO"),
        ("a directory", folder.display().to_string(), "directory"),
    ]
}

#[test]
fn every_bundle_flag_refuses_a_device_a_fifo_and_a_directory_at_once() {
    let dir = Scratch::new("bundle-special");
    let policy = dir.file("pupils.toml", POLICY);
    let policy = policy.to_str().unwrap();
    for (name, path, kind) in not_files(&dir) {
        let commands: [(&str, Vec<&str>); 3] = [
            (
                "classify",
                vec!["classify", "--bundle", &path, "http://a.example/"],
            ),
            (
                "check",
                vec![
                    "check",
                    "--policy",
                    policy,
                    "--bundle",
                    &path,
                    "http://a.example/",
                ],
            ),
            (
                "squid-helper",
                vec!["squid-helper", "--policy", policy, "--bundle", &path],
            ),
        ];
        for (command, args) in commands {
            let start = Instant::now();
            let o = esafety(&args);
            let err = stderr(&o);
            assert_eq!(o.status.code(), Some(2), "{command} {name}: {err}");
            assert!(
                err.contains(&format!("cannot read bundle `{path}`")),
                "{command} {name}: {err}"
            );
            assert!(
                err.contains(&format!("it is a {kind}, not a regular file")),
                "{command} {name}: {err}"
            );
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "{command} {name}: took {:?}",
                start.elapsed()
            );
        }
    }
}

/// A reload that finds a FIFO where the bundle was: refused at once, the
/// engine in service keeps answering (the read used to wait for a writer
/// forever, and the helper with it).
#[test]
fn helper_reload_refuses_a_fifo_and_keeps_serving() {
    let dir = Scratch::new("bundle-reload-fifo");
    let policy = dir.file(
        "pupils.toml",
        "id = \"pupils\"\ndefault = \"allow\"\n[[rules]]\nid = \"no-games\"\naction = \"block\"\ncategories = [\"gaming\"]\n",
    );
    dir.file("games.txt", "games.example\n");
    let bundle = dir.path().join("lists.esb");
    let compiled = Command::new(env!("CARGO_BIN_EXE_esafety"))
        .current_dir(dir.path())
        .args(["compile", "--list", "gaming=plain:games.txt", "-o"])
        .arg(&bundle)
        .output()
        .unwrap();
    assert!(
        compiled.status.success(),
        "{}",
        String::from_utf8_lossy(&compiled.stderr)
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_esafety"))
        .arg("squid-helper")
        .arg("--policy")
        .arg(&policy)
        .arg("--bundle")
        .arg(&bundle)
        .args(["--watch-interval-ms", "1000000000"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if tx.send(line.unwrap()).is_err() {
                break;
            }
        }
    });
    let next = |what: &str| {
        rx.recv_timeout(Duration::from_secs(30))
            .unwrap_or_else(|e| panic!("no answer to {what}: {e}"))
    };
    let mut err = BufReader::new(child.stderr.take().unwrap());
    writeln!(stdin, "0 http://games.example/").unwrap();
    stdin.flush().unwrap();
    assert!(next("the first request").starts_with("0 ERR"));

    std::fs::remove_file(&bundle).unwrap();
    mkfifo(&bundle);
    let hup = Command::new("kill")
        .args(["-HUP", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(hup.success());
    let mut line = String::new();
    err.read_line(&mut line).unwrap();
    assert!(line.contains("reload failed"), "{line}");
    assert!(line.contains("it is a FIFO, not a regular file"), "{line}");
    writeln!(stdin, "1 http://games.example/").unwrap();
    stdin.flush().unwrap();
    assert!(next("a request after the failed reload").starts_with("1 ERR"));
    writeln!(stdin, "2 http://school.example/").unwrap();
    stdin.flush().unwrap();
    assert!(next("an allowed request").starts_with("2 OK"));
    drop(stdin);
    assert!(child.wait().unwrap().success());
}
