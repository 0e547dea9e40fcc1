//! Issue 31: the documents a user names (policy, site file, incident file,
//! escalation profile) are read by core's opener within
//! `Limits::max_document_len`: a FIFO hung `incident`, `lint`, `site lint`
//! and `check`, and `/dev/zero` ran them out of memory.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test helpers fail loudly"
)]

use std::process::Command;
use std::time::{Duration, Instant};

mod common;
use common::{Scratch, esafety, stderr};

#[test]
fn every_document_flag_refuses_a_fifo_and_a_device_at_once() {
    let dir = Scratch::new("document-special");
    let fifo = dir.path().join("doc.fifo");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let incident = dir.file("incident.toml", "kind = \"hacking\"\n");
    let incident = incident.to_str().unwrap();
    let fifo = fifo.display().to_string();
    for (path, kind) in [(fifo.as_str(), "FIFO"), ("/dev/zero", "character device")] {
        let commands: [(&str, Vec<&str>); 5] = [
            ("lint", vec!["lint", path]),
            (
                "check --policy",
                vec!["check", "--policy", path, "http://a.example/"],
            ),
            ("incident", vec!["incident", path]),
            (
                "incident --profile",
                vec!["incident", "--profile", path, incident],
            ),
            ("site lint", vec!["site", "lint", path]),
        ];
        for (name, args) in commands {
            let start = Instant::now();
            let o = esafety(&args);
            let err = stderr(&o);
            assert_eq!(o.status.code(), Some(2), "{name} {kind}: {err}");
            assert!(
                err.contains(&format!("it is a {kind}, not a regular file")),
                "{name} {kind}: {err}"
            );
            assert!(start.elapsed() < Duration::from_secs(10), "{name} {kind}");
        }
    }
}
