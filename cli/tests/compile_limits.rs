//! Issue 31 through the CLI: `esafety compile` reads `--list`, `--iwf`,
//! `--terrorism`, `--allow` and `.Include` files as regular files only,
//! within `Limits`, and prints no line of a file that is not a list.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test helpers fail loudly"
)]

use std::time::{Duration, Instant};

mod common;
use common::{Scratch, esafety, stderr};

/// Each list flag, as `esafety compile` takes it, for a path.
fn flags(path: &str) -> Vec<(&'static str, Vec<String>)> {
    vec![
        ("--list", vec!["--list".into(), format!("adult={path}")]),
        ("--iwf", vec!["--iwf".into(), path.to_owned()]),
        ("--terrorism", vec!["--terrorism".into(), path.to_owned()]),
        ("--allow", vec!["--allow".into(), path.to_owned()]),
    ]
}

fn compile(args: &[String], out: &std::path::Path) -> std::process::Output {
    let mut all: Vec<&str> = vec!["compile"];
    all.extend(args.iter().map(String::as_str));
    all.extend(["-o", out.to_str().unwrap()]);
    esafety(&all)
}

/// `/dev/zero` and a FIFO, as every list flag: exit 2 at once, one line
/// naming the path and what it is (it ran to "out of memory", and the FIFO
/// hung).
#[test]
fn devices_and_fifos_are_refused_by_every_list_flag() {
    let dir = Scratch::new("compile-special");
    let fifo = dir.path().join("list.fifo");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let out = dir.path().join("out.esb");
    let cases = [
        ("/dev/zero", "/dev/zero".to_owned(), "character device"),
        ("a FIFO", fifo.display().to_string(), "FIFO"),
    ];
    for (name, path, kind) in cases {
        for (flag, args) in flags(&path) {
            let start = Instant::now();
            let o = compile(&args, &out);
            let err = stderr(&o);
            assert_eq!(o.status.code(), Some(2), "{name} {flag}: {err}");
            assert!(
                err.contains(&format!("cannot read list `{path}`")) && err.contains(kind),
                "{name} {flag}: {err}"
            );
            assert!(err.contains("not a regular file"), "{name} {flag}: {err}");
            assert!(start.elapsed() < Duration::from_secs(10), "{name} {flag}");
            assert!(!out.exists(), "{name} {flag}: a bundle was written");
        }
    }
}

/// `/etc/passwd` given as a list: the summary shows how many lines were
/// bad, never their text.
#[test]
fn a_file_that_is_not_a_list_has_no_line_printed() {
    let dir = Scratch::new("compile-passwd");
    let passwd = dir.file(
        "passwd",
        "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nsecretuser:x:1000:1000:Secret User:/home/secretuser:/bin/bash\n",
    );
    let out = dir.path().join("out.esb");
    let o = compile(
        &["--list".into(), format!("adult={}", passwd.display())],
        &out,
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("3 bad lines skipped"), "{err}");
    for word in ["root:", "daemon", "secretuser", "/bin/bash", "nologin"] {
        assert!(!err.contains(word), "`{word}` printed: {err}");
    }
    // Strict: the error names the file and line only.
    let o = compile(
        &[
            "--strict".into(),
            "--list".into(),
            format!("adult={}", passwd.display()),
        ],
        &out,
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("passwd:1: "), "{err}");
    assert!(!err.contains("root"), "{err}");
}

/// The real `/etc/passwd`, if the machine has one.
#[test]
fn etc_passwd_as_a_list_prints_none_of_its_lines() {
    let Ok(text) = std::fs::read_to_string("/etc/passwd") else {
        return;
    };
    let dir = Scratch::new("compile-etc-passwd");
    let out = dir.path().join("out.esb");
    let o = compile(&["--list".into(), "adult=/etc/passwd".into()], &out);
    let err = stderr(&o);
    for line in text.lines().filter(|l| l.contains(':')) {
        let user = line.split(':').next().unwrap();
        assert!(!err.contains(&format!("`{user}")), "{err}");
    }
    assert!(!err.contains("root:x"), "{err}");
}

/// `.Include` fan-out: eight levels of files each including the next ten
/// times (about 4 KB) is refused after `max_include_files` reads.
#[test]
fn an_include_fan_out_is_refused_quickly() {
    let dir = Scratch::new("compile-fan-out");
    for level in 0..=8 {
        let mut text = format!("host{level}.example\n");
        if level < 8 {
            for _ in 0..10 {
                text.push_str(&format!(".Include<l{}>\n", level + 1));
            }
        }
        dir.file(&format!("l{level}"), text);
    }
    let top = dir.path().join("l0");
    let out = dir.path().join("out.esb");
    let start = Instant::now();
    let o = compile(
        &[
            "--list".into(),
            format!("adult=e2guardian-site:{}", top.display()),
        ],
        &out,
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("`max_include_files`"), "{err}");
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "{:?}",
        start.elapsed()
    );
}

/// An include outside the list's folder is refused unless allowed.
#[test]
fn an_include_outside_the_folder_needs_allow_include_outside() {
    let outside = Scratch::new("compile-outside-target");
    let other = outside.file("more", "more.example\n");
    let dir = Scratch::new("compile-outside");
    let list = dir.file(
        "bannedsitelist",
        format!("a.example\n.Include<{}>\n", other.display()),
    );
    let out = dir.path().join("out.esb");
    let args = vec!["--list".to_owned(), format!("adult={}", list.display())];
    let o = compile(&args, &out);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("outside the folder") && err.contains("--allow-include-outside"),
        "{err}"
    );
    let mut allowed = args.clone();
    allowed.push("--allow-include-outside".into());
    let o = compile(&allowed, &out);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("2 entries"), "{err}");
}

/// An unreadable include inside an IWF list: the error names the IWF
/// file and the line, never the include's path.
#[test]
fn an_unreadable_include_in_an_iwf_list_names_no_path() {
    let dir = Scratch::new("compile-iwf-include");
    let iwf = dir.file(
        "bannedurllist",
        "abuse.example/a.html\n.Include<abuse-secret.example/page>\n",
    );
    let out = dir.path().join("out.esb");
    let o = compile(
        &["--iwf".into(), format!("e2guardian-url:{}", iwf.display())],
        &out,
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(!err.contains("abuse-secret"), "{err}");
    assert!(err.contains(&format!("{}:2: ", iwf.display())), "{err}");
}
