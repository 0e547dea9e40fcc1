//! `esafety compile`: runs the built binary on the list fixtures in
//! `core/tests/fixtures/lists/`, then classifies against what it wrote.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test helpers fail loudly"
)]

use std::path::{Path, PathBuf};
use std::process::Command;

mod common;
use common::{esafety, stderr, stdout};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/fixtures/lists")
}

fn fixture(rel: &str) -> String {
    fixtures().join(rel).display().to_string()
}

/// A fresh output path for one test.
fn out(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("compile-tests");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.esb"));
    let _ = std::fs::remove_file(&path);
    path
}

/// `classify --bundle` output, one line per URL.
fn classify(bundle: &Path, urls: &[&str]) -> Vec<String> {
    let mut args = vec!["classify", "--bundle", bundle.to_str().unwrap()];
    args.extend_from_slice(urls);
    let o = esafety(&args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    stdout(&o).lines().map(str::to_owned).collect()
}

#[test]
fn compiles_a_good_list_and_classifies_with_it() {
    let bundle = out("good");
    let list = format!("gambling={}", fixture("e2guardian/bannedurllist"));
    let o = esafety(&["compile", "--list", &list, "-o", bundle.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.starts_with(&format!("esafety: wrote {} (", bundle.display())),
        "{err}"
    );
    assert!(err.contains("gambling"), "{err}");
    // Each e2guardian URL line is three entries: a path-boundary prefix and
    // the `&` and `=` string prefixes e2guardian also accepts.
    assert!(err.contains("6 entries"), "{err}");
    assert!(
        err.contains("bannedurllist (list `e2guardian`): e2guardian-url, 6 entries"),
        "{err}"
    );
    let lines = classify(
        &bundle,
        &["http://banned.example/dir/x", "http://banned.example/other"],
    );
    assert!(lines[0].contains("\tgambling\t"), "{lines:?}");
    assert!(lines[1].contains("\t-"), "{lines:?}");
}

#[test]
fn malformed_lines_are_skipped_and_reported_with_file_and_line() {
    let bundle = out("malformed");
    let list = format!("local-test={}", fixture("plain.txt"));
    let o = esafety(&["compile", "--list", &list, "-o", bundle.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("6 entries, 4 bad lines skipped"), "{err}");
    assert!(
        err.contains("plain.txt:10: `not a host` is not a valid host name"),
        "{err}"
    );
    assert!(err.contains("plain.txt:12: `intranet` has no dot"), "{err}");
    let lines = classify(&bundle, &["http://a.example.com/"]);
    assert!(lines[0].contains("local-test"), "{lines:?}");
}

#[test]
fn strict_mode_fails_on_the_first_bad_line() {
    let bundle = out("strict");
    let list = format!("gambling={}", fixture("plain.txt"));
    let o = esafety(&[
        "compile",
        "--strict",
        "--list",
        &list,
        "-o",
        bundle.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("plain.txt:10: `not a host`"), "{err}");
    assert!(!bundle.exists(), "no bundle is written");
}

#[test]
fn squidguard_folder_is_read_from_its_files() {
    let bundle = out("folder");
    let list = format!("pornography={}", fixture("ut1/adult"));
    let o = esafety(&["compile", "--list", &list, "-o", bundle.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("9 entries"), "{err}");
    assert!(
        err.contains("adult/urls (list `adult`): squidguard-urls, 4 entries"),
        "{err}"
    );
    assert!(err.contains("adult/domains:5:"), "{err}");
    assert!(err.contains("adult/urls:5:"), "{err}");
    assert!(err.contains("adult/expressions:3:"), "{err}");
    let lines = classify(
        &bundle,
        &[
            "http://www.tracker.example/",        // domains
            "http://site.example/dir/deep/a/b/c", // urls prefix, deeper than lookup expressions
            "http://porn42.example/",             // expressions
            "http://v2.site.example/dir/x",       // another subdomain: someone else's site
        ],
    );
    assert!(lines[0].contains("\tpornography\t"), "{lines:?}");
    assert!(lines[1].contains("\tpornography\t"), "{lines:?}");
    assert!(lines[2].contains("\tpornography\t"), "{lines:?}");
    assert!(lines[3].ends_with("\t-"), "{lines:?}");
}

#[test]
fn list_files_named_as_squidguard_or_e2guardian_names_them_read_in_that_format() {
    // A UT1 `urls` file given on its own, not as its folder: `host/dir` is
    // a string prefix there, as in squidGuard (a plain list would read one
    // page and miss dir/deep), of the host itself only.
    let bundle = out("urls-file");
    let list = format!("pornography={}", fixture("ut1/adult/urls"));
    let o = esafety(&["compile", "--list", &list, "-o", bundle.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let lines = classify(
        &bundle,
        &[
            "http://site.example/dir/deep/a/b/c",
            "http://v2.site.example/dir/x",
        ],
    );
    assert!(lines[0].contains("\tpornography\t"), "{lines:?}");
    assert!(lines[1].ends_with("\t-"), "{lines:?}");

    // An e2guardian `bannedurllist` of only a category and an include: no
    // line of its own votes, and its name says it is a URL list.
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("e2-includes-only");
    std::fs::create_dir_all(dir.join("porn")).unwrap();
    std::fs::write(
        dir.join("bannedurllist"),
        "#listcategory: \"Pornography\"\n.Include<porn/urls>\n",
    )
    .unwrap();
    std::fs::write(dir.join("porn/urls"), "badsite.example/videos\n").unwrap();
    let bundle = out("e2-includes-only");
    let list = format!("pornography={}", dir.join("bannedurllist").display());
    let o = esafety(&["compile", "--list", &list, "-o", bundle.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("3 entries"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("skipped"), "{}", stderr(&o));
    let lines = classify(&bundle, &["http://badsite.example/videos/1"]);
    assert!(lines[0].contains("\tpornography\t"), "{lines:?}");
}

#[test]
fn format_override_is_honoured() {
    let bundle = out("override");
    let list = format!("local-x=hosts:{}", fixture("hosts.txt"));
    let o = esafety(&["compile", "--list", &list, "-o", bundle.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("3 entries"), "{}", stderr(&o));

    // Read as plain, only the bare host on line 8 is an entry.
    let list = format!("local-x=plain:{}", fixture("hosts.txt"));
    let o = esafety(&["compile", "--list", &list, "-o", bundle.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("1 entry, 6 bad lines skipped"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn iwf_list_is_never_printed_and_never_in_the_bundle() {
    let bundle = out("iwf");
    let o = esafety(&[
        "compile",
        "--iwf",
        &fixture("iwf.txt"),
        "-o",
        bundle.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        !err.contains("iwf-fixture") && !err.contains("not a url at all"),
        "{err}"
    );
    assert!(
        err.contains("iwf.txt:7: the entry is not a valid URL"),
        "{err}"
    );
    let bytes = std::fs::read(&bundle).unwrap();
    assert!(!bytes.windows(11).any(|w| w == b"iwf-fixture"));
    let lines = classify(
        &bundle,
        &[
            "https://WWW.IWF-fixture-one.example/gallery/./image1.jpg#x",
            "http://iwf-fixture-two.example/page.php?id=7",
            "http://iwf-fixture-two.example/page.php?id=8",
        ],
    );
    assert!(
        lines[0].contains("\tchild-abuse\t") && lines[0].contains("sha256:"),
        "{lines:?}"
    );
    assert!(lines[1].contains("\tchild-abuse\t"), "{lines:?}");
    assert!(lines[2].ends_with("\t-"), "{lines:?}");
}

#[test]
fn allow_list_unblocks_non_statutory_only() {
    let bundle = out("allow");
    let list = format!("gambling={}", fixture("e2guardian/bannedsitelist"));
    let allow = fixture("e2guardian/included_sites");
    let o = esafety(&[
        "compile",
        "--list",
        &list,
        "--allow",
        &allow,
        "-o",
        bundle.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let lines = classify(
        &bundle,
        &["http://included.example/", "http://banned.example/"],
    );
    assert!(lines[0].ends_with("\t-"), "{lines:?}");
    assert!(lines[1].contains("\tgambling\t"), "{lines:?}");
}

#[test]
fn unknown_category_is_a_usage_error_naming_the_valid_ids() {
    let bundle = out("badcat");
    let list = format!("nonsense={}", fixture("plain.txt"));
    let o = esafety(&["compile", "--list", &list, "-o", bundle.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("unknown category `nonsense`"), "{err}");
    assert!(
        err.contains("child-abuse, terrorism, discrimination"),
        "{err}"
    );
    assert!(err.contains("local-NAME"), "{err}");
}

#[test]
fn list_without_equals_is_a_usage_error() {
    let o = esafety(&[
        "compile",
        "--list",
        "gambling",
        "-o",
        out("noeq").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("needs the form CATEGORY=[NAME:]PATH"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn unreadable_file_exits_2_with_one_clear_line() {
    let o = esafety(&[
        "compile",
        "--list",
        "gambling=/nonexistent/list.txt",
        "-o",
        out("missing").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("esafety: cannot read list `/nonexistent/list.txt`: "),
        "{err}"
    );
}

#[test]
fn missing_include_exits_2_naming_the_including_line() {
    let list = format!(
        "gambling=e2guardian-site:{}",
        fixture("e2guardian/missing_include")
    );
    let o = esafety(&[
        "compile",
        "--list",
        &list,
        "-o",
        out("include").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("missing_include:1: cannot read `.Include<does_not_exist>`"),
        "{err}"
    );
    assert_eq!(
        err.matches("No such file or directory").count(),
        1,
        "the reason once: {err}"
    );
}

#[test]
fn nothing_to_compile_is_a_usage_error() {
    let o = esafety(&["compile", "-o", out("empty").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("nothing to compile"), "{}", stderr(&o));
}

#[test]
fn source_date_epoch_makes_builds_reproducible() {
    let a = out("repro-a");
    let b = out("repro-b");
    let list = format!("gambling={}", fixture("ut1/adult"));
    for path in [&a, &b] {
        let o = Command::new(env!("CARGO_BIN_EXE_esafety"))
            .args(["compile", "--list", &list, "-o", path.to_str().unwrap()])
            .env("SOURCE_DATE_EPOCH", "1700000000")
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    let c = out("repro-c");
    let o = esafety(&[
        "compile",
        "--list",
        &list,
        "--created",
        "2026-01-31T12:00:00Z",
        "-o",
        c.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = esafety(&[
        "compile",
        "--list",
        &list,
        "--created",
        "yesterday",
        "-o",
        c.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("is not an RFC 3339 time"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn the_same_file_may_serve_two_categories() {
    let bundle = out("twice");
    let a = format!("gambling={}", fixture("e2guardian/bannedsitelist"));
    let b = format!("local-extra={}", fixture("e2guardian/bannedsitelist"));
    let o = esafety(&[
        "compile",
        "--list",
        &a,
        "--list",
        &b,
        "-o",
        bundle.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let lines = classify(&bundle, &["http://banned.example/"]);
    assert!(
        lines[0].contains("gambling,local-extra") || lines[0].contains("local-extra,gambling"),
        "{lines:?}"
    );
}

/// `--strict` lists the engine of every regular expression, by file and
/// line (issue 27: the summary says which engine each expression got);
/// without it only the counts are printed, as every expression is on the
/// anchored DFA.
#[test]
fn strict_mode_lists_the_engine_of_every_expression() {
    let list = fixture("sgdiff/adult/expressions");
    let arg = format!("adult={list}");
    let engines = |strict: bool| -> Vec<String> {
        let bundle = out(if strict { "engines-strict" } else { "engines" });
        let mut args = vec!["compile"];
        if strict {
            args.push("--strict");
        }
        args.extend(["--list", &arg, "-o", bundle.to_str().unwrap()]);
        let o = esafety(&args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(0), "{err}");
        assert!(
            err.contains("expressions: 5 (5 on an anchored DFA run from every position"),
            "{err}"
        );
        err.lines()
            .filter_map(|l| l.trim().strip_prefix(&format!("{list}:")))
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(engines(false), Vec::<String>::new());
    assert_eq!(
        engines(true),
        [
            "1: anchored-dfa: `(^|[-/_.])porn([-/_.]|$)`",
            r"2: anchored-dfa: `^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+/x`",
            r"3: anchored-dfa: `^expr\.example/`",
            "4: anchored-dfa: `/XXX/`",
            "5: anchored-dfa: `порно`",
        ]
    );
}
