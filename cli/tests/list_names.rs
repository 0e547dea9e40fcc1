//! List names: `esafety compile` names every list (`NAME:PATH`, else after
//! its file), and no file path of the build machine reaches a bundle, a
//! match, a reason, a decision record or a policy rule.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test helpers fail loudly"
)]

use std::io::{BufRead as _, BufReader, Write as _};
use std::path::Path;
use std::process::{Command, Stdio};

mod common;
use common::{Scratch, esafety, stderr, stdout};

/// A folder name no output may show: it stands for the build machine's
/// `/home/…/lists/`.
const SECRET_FOLDER: &str = "build-machine-folder-7f3a";

/// Compiles `args` (each `--list` value's `{dir}` replaced by the lists'
/// folder) and returns (bundle path, stderr).
fn compile(scratch: &Scratch, lists: &[&str]) -> (std::path::PathBuf, std::process::Output) {
    let dir = scratch.path().join(SECRET_FOLDER);
    std::fs::create_dir_all(dir.join("ut1/gambling")).unwrap();
    std::fs::write(dir.join("gambling.txt"), "bet.example\n").unwrap();
    std::fs::write(dir.join("other-gambling.txt"), "casino.example\n").unwrap();
    std::fs::create_dir_all(dir.join("copy")).unwrap();
    std::fs::write(dir.join("copy/gambling.txt"), "poker.example\n").unwrap();
    std::fs::write(dir.join("ut1/gambling/domains"), "lottery.example\n").unwrap();
    std::fs::write(dir.join("allow.txt"), "bet.example\n").unwrap();
    let bundle = scratch.path().join("lists.esb");
    let mut args = vec!["compile".to_owned()];
    for list in lists {
        args.push("--list".to_owned());
        args.push(list.replace("{dir}", dir.to_str().unwrap()));
    }
    args.extend(["-o".to_owned(), bundle.display().to_string()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = esafety(&args);
    (bundle, o)
}

/// The `list` of every match of `url`, from `classify --json`.
fn matched_lists(bundle: &Path, url: &str) -> Vec<String> {
    let o = esafety(&[
        "classify",
        "--bundle",
        bundle.to_str().unwrap(),
        "--json",
        url,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    v["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["list"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn lists_are_named_after_their_file_or_by_name() {
    struct Case {
        name: &'static str,
        lists: &'static [&'static str],
        url: &'static str,
        want: &'static [&'static str],
    }
    let cases = [
        Case {
            name: "a file is named by its stem",
            lists: &["gambling={dir}/gambling.txt"],
            url: "http://bet.example/",
            want: &["gambling"],
        },
        Case {
            name: "NAME:PATH names the list",
            lists: &["gambling=bets:{dir}/gambling.txt"],
            url: "http://bet.example/",
            want: &["bets"],
        },
        Case {
            name: "NAME:FORMAT:PATH names it and sets its format",
            lists: &["gambling=bets:plain:{dir}/gambling.txt"],
            url: "http://bet.example/",
            want: &["bets"],
        },
        Case {
            name: "FORMAT:PATH still sets only the format",
            lists: &["gambling=plain:{dir}/gambling.txt"],
            url: "http://bet.example/",
            want: &["gambling"],
        },
        Case {
            name: "a squidGuard folder takes the folder's name",
            lists: &["gambling={dir}/ut1/gambling"],
            url: "http://lottery.example/",
            want: &["gambling"],
        },
        Case {
            name: "a squidGuard domains file takes its folder's name",
            lists: &["gambling={dir}/ut1/gambling/domains"],
            url: "http://lottery.example/",
            want: &["gambling"],
        },
        Case {
            name: "two files with one stem are told apart",
            lists: &[
                "gambling={dir}/gambling.txt",
                "gambling={dir}/copy/gambling.txt",
            ],
            url: "http://poker.example/",
            want: &["gambling-2"],
        },
        Case {
            name: "a made-up name steps aside for a given one",
            lists: &[
                "gambling={dir}/gambling.txt",
                "gambling=gambling:{dir}/other-gambling.txt",
            ],
            url: "http://bet.example/",
            want: &["gambling-2"],
        },
    ];
    for case in cases {
        let scratch = Scratch::new("list-names");
        let (bundle, o) = compile(&scratch, case.lists);
        assert_eq!(o.status.code(), Some(0), "{}: {}", case.name, stderr(&o));
        assert_eq!(matched_lists(&bundle, case.url), case.want, "{}", case.name);
        let bytes = std::fs::read(&bundle).unwrap();
        assert!(
            !contains(&bytes, SECRET_FOLDER.as_bytes()),
            "{}: the bundle holds a path",
            case.name
        );
    }
}

#[test]
fn a_bad_or_repeated_list_name_is_a_usage_error() {
    let cases: &[(&str, &[&str], &str)] = &[
        (
            "a name given twice",
            &[
                "gambling=bets:{dir}/gambling.txt",
                "gambling=bets:{dir}/other-gambling.txt",
            ],
            "list name `bets` is empty or already used",
        ),
        (
            "a name with capitals is read as part of the path",
            &["gambling=Bets:{dir}/gambling.txt"],
            "cannot read list `Bets:",
        ),
        (
            "a name without a path",
            &["gambling=bets:"],
            "names list `bets` but no file",
        ),
    ];
    for (case, lists, want) in cases {
        let scratch = Scratch::new("list-names-bad");
        let (bundle, o) = compile(&scratch, lists);
        assert_eq!(o.status.code(), Some(2), "{case}: {}", stderr(&o));
        assert!(stderr(&o).contains(want), "{case}: {}", stderr(&o));
        assert!(!bundle.exists(), "{case}: no bundle is written");
    }
}

/// A policy whose rule names a list: gambling is blocked only from the
/// list `bets`.
const POLICY: &str = r#"
id = "names"
title = "List names"
audience = ["pupils"]
age = { min = 11, max = 16 }
settings = ["school"]
owner = "DSL"
reviewed = 2026-09-01
review_interval_months = 12
signatures = ["user"]
acceptable_use = ["Learning."]
unacceptable_use = ["Gambling."]
sanctions = ["A talk."]
monitoring = ["Logged."]
reporting = ["Reviewed."]
report_concerns = "Tell a teacher."
time_zone = "Europe/London"
default = "allow"

[[rules]]
id = "block-bets"
description = "Gambling sites on the bets list"
action = "block"
lists = ["bets"]
message = "Blocked."
"#;

#[test]
fn reasons_records_and_rules_use_the_name_never_the_path() {
    let scratch = Scratch::new("list-names-check");
    let (bundle, o) = compile(
        &scratch,
        &[
            "gambling=bets:{dir}/gambling.txt",
            "gambling={dir}/other-gambling.txt",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // The summary is the operator's: it names each file and its list.
    assert!(
        stderr(&o).contains("gambling.txt (list `bets`)"),
        "{}",
        stderr(&o)
    );
    let policy = scratch.file("names.toml", POLICY);
    let check = |url: &str| {
        let o = esafety(&[
            "check",
            "--policy",
            policy.to_str().unwrap(),
            "--bundle",
            bundle.to_str().unwrap(),
            "--at",
            "2026-03-02T10:00:00Z",
            "--json",
            url,
        ]);
        let out = stdout(&o);
        assert!(!out.contains(SECRET_FOLDER), "{out}");
        serde_json::from_str::<serde_json::Value>(out.trim()).unwrap()
    };
    let bets = check("http://bet.example/");
    assert_eq!(bets["action"], "block", "{bets}");
    assert_eq!(bets["rule"], "block-bets", "{bets}");
    assert!(
        bets["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r.as_str().unwrap().contains("from list `bets`")),
        "{bets}"
    );
    // The other gambling list is not `bets`: the rule does not apply.
    let casino = check("http://casino.example/");
    assert_eq!(casino["action"], "allow", "{casino}");

    // A decision record written by the Squid helper names the list.
    let log = scratch.path().join("decisions.jsonl");
    let mut helper = Command::new(env!("CARGO_BIN_EXE_esafety"))
        .arg("squid-helper")
        .arg("--policy")
        .arg(&policy)
        .arg("--bundle")
        .arg(&bundle)
        .args(["--group", "pupils", "--age", "13", "--log"])
        .arg(&log)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = helper.stdin.take().unwrap();
    writeln!(stdin, "http://bet.example/").unwrap();
    stdin.flush().unwrap();
    let mut answer = String::new();
    BufReader::new(helper.stdout.take().unwrap())
        .read_line(&mut answer)
        .unwrap();
    drop(stdin);
    let status = helper.wait().unwrap();
    assert!(status.success(), "{status}");
    assert!(
        answer.starts_with("OK") || answer.starts_with("ERR"),
        "{answer}"
    );
    let records = std::fs::read_to_string(&log).unwrap();
    assert!(!records.contains(SECRET_FOLDER), "{records}");
    let record: serde_json::Value = serde_json::from_str(records.lines().next().unwrap()).unwrap();
    assert_eq!(record["lists"], serde_json::json!(["bets"]), "{record}");
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}
