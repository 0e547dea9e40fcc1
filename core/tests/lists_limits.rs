//! Issue 31, lists: every list input is bounded. Each test names the
//! finding it covers; each failed before `Limits` and `read_list_file`.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test helpers fail loudly"
)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use esafety::Limits;
use esafety::limits::Limit;
use esafety::lists::{
    Format, ListError, ListFileError, ParseOptions, parse, parse_with_includes, read_list_file,
};

/// A fresh folder under the system temp folder.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "esafety-lists-limits-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The loader the CLI gives `parse_with_includes`.
fn file_loader(limits: Limits) -> impl FnMut(&str) -> Result<Vec<u8>, std::io::Error> {
    move |path: &str| read_list_file(Path::new(path), &limits).map_err(std::io::Error::from)
}

#[test]
fn dev_zero_is_refused_as_a_device_not_read_to_out_of_memory() {
    let start = Instant::now();
    let err = read_list_file(Path::new("/dev/zero"), &Limits::default()).unwrap_err();
    assert!(
        matches!(
            err,
            ListFileError::NotAFile {
                kind: "character device"
            }
        ),
        "{err}"
    );
    assert_eq!(
        err.to_string(),
        "it is a character device, not a regular file; give the path of a file"
    );
    assert!(start.elapsed() < Duration::from_secs(1));
}

#[test]
fn a_fifo_is_refused_at_once_not_waited_on() {
    let dir = temp_dir("fifo");
    let fifo = dir.join("list.fifo");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(status.success());
    let start = Instant::now();
    let err = read_list_file(&fifo, &Limits::default()).unwrap_err();
    assert!(
        matches!(err, ListFileError::NotAFile { kind: "FIFO" }),
        "{err}"
    );
    assert!(start.elapsed() < Duration::from_secs(1));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_directory_is_refused() {
    let dir = temp_dir("dir");
    let err = read_list_file(&dir, &Limits::default()).unwrap_err();
    assert!(
        matches!(err, ListFileError::NotAFile { kind: "directory" }),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_file_over_max_list_file_len_is_refused_by_its_size() {
    let dir = temp_dir("large");
    let path = dir.join("list.txt");
    std::fs::write(&path, "a.example\nb.example\n").unwrap();
    let mut limits = Limits::default();
    limits.max_list_file_len = 19;
    let err = read_list_file(&path, &limits).unwrap_err();
    assert!(
        matches!(
            err,
            ListFileError::TooLarge {
                limit: Limit::ListFileLen,
                max: 19
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("`max_list_file_len`"), "{err}");
    limits.max_list_file_len = 20;
    assert_eq!(read_list_file(&path, &limits).unwrap().len(), 20);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_include_of_dev_zero_or_a_fifo_is_an_include_error() {
    let dir = temp_dir("include-special");
    let fifo = dir.join("fifo");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let main = dir.join("bannedsitelist");
    let main_name = main.display().to_string();
    let options = ParseOptions::new().with_allow_include_outside(true);
    for (name, include) in [
        ("/dev/zero", "/dev/zero".to_owned()),
        ("fifo", fifo.display().to_string()),
    ] {
        let text = format!("a.example\n.Include<{include}>\n");
        let start = Instant::now();
        let mut loader = file_loader(Limits::default());
        let err = parse_with_includes(
            Format::E2Site,
            &main_name,
            text.as_bytes(),
            &options,
            &mut loader,
        )
        .unwrap_err();
        assert!(
            matches!(err, ListError::IncludeRead { line: 2, .. }),
            "{name}: {err}"
        );
        assert!(
            err.to_string().contains("not a regular file"),
            "{name}: {err}"
        );
        assert!(start.elapsed() < Duration::from_secs(1), "{name}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The 5 KB → 11.1M-entries case: each file includes the next one ten
/// times, eight levels deep (10^8 reads). Refused after
/// `max_include_files` reads, in well under a second.
#[test]
fn an_include_fan_out_is_refused_quickly_with_a_typed_error() {
    let dir = temp_dir("fan-out");
    let levels = 8;
    let mut total = 0;
    for level in 0..=levels {
        let mut text = String::new();
        for i in 0..20 {
            text.push_str(&format!("host{level}-{i}.example\n"));
        }
        if level < levels {
            for _ in 0..10 {
                text.push_str(&format!(".Include<l{}>\n", level + 1));
            }
        }
        total += text.len();
        std::fs::write(dir.join(format!("l{level}")), text).unwrap();
    }
    assert!(total < 5_000, "{total} bytes of lists");
    let top = dir.join("l0");
    let bytes = read_list_file(&top, &Limits::default()).unwrap();
    let start = Instant::now();
    let mut loader = file_loader(Limits::default());
    let err = parse_with_includes(
        Format::E2Site,
        &top.display().to_string(),
        &bytes,
        &ParseOptions::new(),
        &mut loader,
    )
    .unwrap_err();
    assert!(
        matches!(
            err,
            ListError::LimitExceeded {
                limit: Limit::IncludeFiles,
                max: 1024,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("`max_include_files`"), "{err}");
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn entries_over_max_entries_are_an_error_naming_file_and_line() {
    let mut limits = Limits::default();
    limits.max_entries = 3;
    let options = ParseOptions::new().with_limits(limits);
    let err = parse(
        Format::Plain,
        "big.txt",
        b"a.example\nb.example\n# c\nc.example\nd.example\n",
        &options,
    )
    .unwrap_err();
    assert!(
        matches!(
            err,
            ListError::LimitExceeded {
                limit: Limit::Entries,
                max: 3,
                line: 5,
                ..
            }
        ),
        "{err}"
    );
    assert_eq!((err.file(), err.line()), ("big.txt", 5));
}

/// Includes are resolved below the including file's folder.
#[test]
fn includes_outside_the_folder_are_refused_unless_allowed() {
    let cases = [
        ("parent", "/lists/e2/bannedsitelist", "../other", false),
        (
            "parent after a folder",
            "/lists/e2/bannedsitelist",
            "sub/../../other",
            false,
        ),
        (
            "absolute elsewhere",
            "/lists/e2/bannedsitelist",
            "/etc/passwd",
            false,
        ),
        (
            "absolute from a relative list",
            "bannedsitelist",
            "/lists/e2/more",
            false,
        ),
        (
            "absolute climbing out",
            "/lists/e2/bannedsitelist",
            "/lists/e2/../secret",
            false,
        ),
        (
            "relative below",
            "/lists/e2/bannedsitelist",
            "ads/domains",
            true,
        ),
        (
            "relative down and up",
            "/lists/e2/bannedsitelist",
            "ads/../porn/domains",
            true,
        ),
        (
            "absolute below",
            "/lists/e2/bannedsitelist",
            "/lists/e2/blacklists/ads/domains",
            true,
        ),
        (
            "relative list, relative include",
            "bannedsitelist",
            "ads/domains",
            true,
        ),
    ];
    for (name, source, include, ok) in cases {
        let text = format!(".Include<{include}>\n");
        let mut loader = |_: &str| Ok(b"more.example\n".to_vec());
        let result = parse_with_includes(
            Format::E2Site,
            source,
            text.as_bytes(),
            &ParseOptions::new(),
            &mut loader,
        );
        match (ok, result) {
            (true, Ok(parsed)) => assert_eq!(parsed.entries.len(), 1, "{name}"),
            (false, Err(err @ ListError::IncludeOutside { .. })) => {
                assert!(
                    err.to_string().contains("--allow-include-outside"),
                    "{name}: {err}"
                );
            }
            (_, other) => panic!("{name}: {other:?}"),
        }
        let mut loader = |_: &str| Ok(b"more.example\n".to_vec());
        let allowed = ParseOptions::new().with_allow_include_outside(true);
        let parsed = parse_with_includes(
            Format::E2Site,
            source,
            text.as_bytes(),
            &allowed,
            &mut loader,
        )
        .unwrap();
        assert_eq!(parsed.entries.len(), 1, "{name}, allowed");
    }
}

/// An unreadable include inside an IWF list: the error names the
/// including file and the line, never the include's path.
#[test]
fn an_unreadable_include_in_a_sensitive_list_quotes_no_path() {
    let secret = "abuse-site.example/path";
    let text = format!("a.example/x.html\n.Include<{secret}>\n");
    let options = ParseOptions::new().with_sensitive(true);
    let mut loader = |_: &str| Err(std::io::Error::from(std::io::ErrorKind::NotFound));
    let err = parse_with_includes(
        Format::E2Url,
        "/lists/iwf",
        text.as_bytes(),
        &options,
        &mut loader,
    )
    .unwrap_err();
    assert!(
        matches!(err, ListError::SensitiveInclude { line: 2, .. }),
        "{err}"
    );
    for shown in [err.to_string(), format!("{err:?}")] {
        assert!(!shown.contains("abuse-site"), "{shown}");
        assert!(shown.contains("/lists/iwf"), "{shown}");
    }
    assert!(
        err.to_string()
            .starts_with("/lists/iwf:2: cannot read the file the `.Include` names"),
        "{err}"
    );
    // The other include errors of a sensitive list say no more.
    let cases: [(&str, &[u8], &str); 3] = [
        (
            "outside",
            b".Include</elsewhere/abuse-site.example>\n",
            "outside the folder",
        ),
        ("cycle", b".Include<iwf>\n", "include cycle"),
        ("too deep", b".Include<abuse-site.example>\n", "levels deep"),
    ];
    for (name, text, want) in cases {
        let mut loader = |_: &str| Ok(b".Include<abuse-site.example>\n".to_vec());
        let mut limits = Limits::default();
        limits.max_include_depth = if name == "too deep" { 1 } else { 8 };
        let options = ParseOptions::new().with_sensitive(true).with_limits(limits);
        let err = parse_with_includes(Format::E2Url, "/lists/iwf", text, &options, &mut loader)
            .unwrap_err();
        for shown in [err.to_string(), format!("{err:?}")] {
            assert!(!shown.contains("abuse-site"), "{name}: {shown}");
        }
        assert!(err.to_string().contains(want), "{name}: {err}");
    }
}

/// A bad line inside a file a sensitive list includes is named by the
/// including file and the line of the include, not the included path.
#[test]
fn a_skipped_line_in_a_sensitive_include_names_no_path() {
    let options = ParseOptions::new().with_sensitive(true);
    let mut loader = |_: &str| Ok(b"ok.example/a\nbad host/x\n".to_vec());
    let parsed = parse_with_includes(
        Format::E2Url,
        "/lists/iwf",
        b".Include<abuse-site.example>\n",
        &options,
        &mut loader,
    )
    .unwrap();
    let skipped = parsed.skipped.first().unwrap();
    assert_eq!(skipped.source, "/lists/iwf (the `.Include` on line 1)");
    assert_eq!(skipped.line, 2);
    assert!(!skipped.to_string().contains("abuse-site"));
}

/// `/etc/passwd` given as a list: none of its lines is printed, in the
/// skipped lines (what the compile summary shows) or the strict error.
#[test]
fn a_file_that_is_not_a_list_has_none_of_its_lines_quoted() {
    let passwd = b"root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nbin:x:2:2:bin:/bin:/usr/sbin/nologin\n";
    let format = esafety::lists::detect_file("/etc/passwd", passwd);
    let parsed = parse(format, "/etc/passwd", passwd, &ParseOptions::new()).unwrap();
    assert!(parsed.entries.is_empty(), "{:?}", parsed.entries);
    assert_eq!(parsed.skipped.len(), 3);
    for s in &parsed.skipped {
        for word in ["root", "daemon", "bin:", "nologin", "/bash"] {
            assert!(!s.reason.contains(word), "{s}");
        }
    }
    let err = parse(
        format,
        "/etc/passwd",
        passwd,
        &ParseOptions::new().with_strict(true),
    )
    .unwrap_err();
    assert!(!err.to_string().contains("root"), "{err}");
    // A list with a bad line among good ones still quotes it.
    let parsed = parse(
        Format::Plain,
        "l.txt",
        b"a.example\nb.example\nnot a host\n",
        &ParseOptions::new(),
    )
    .unwrap();
    assert!(
        parsed
            .skipped
            .first()
            .unwrap()
            .reason
            .contains("`not a host`")
    );
}

/// The real file: if the machine has one, it is read as a regular file and
/// none of its lines shows.
#[test]
fn etc_passwd_read_from_disk_shows_no_line() {
    let path = Path::new("/etc/passwd");
    let Ok(bytes) = read_list_file(path, &Limits::default()) else {
        return;
    };
    let format = esafety::lists::detect_file("/etc/passwd", &bytes);
    let parsed = parse(format, "/etc/passwd", &bytes, &ParseOptions::new()).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    for s in &parsed.skipped {
        for line in text.lines().filter(|l| l.len() > 3) {
            assert!(!s.reason.contains(line.trim()), "{s}");
        }
        assert!(!s.reason.contains("root"), "{s}");
    }
}

/// A phrase list's `.Include` is confined below the including file's
/// folder as a URL list's is, by the same code (`include_path::below`):
/// it used to follow any path, `/etc/passwd` and `../` included.
#[test]
fn a_phrase_list_include_outside_its_folder_is_refused() {
    use esafety::content::{ContentError, ListKind, PhraseList, PhraseOptions};
    let mut loader = |_: &str| Ok(b"<sex>,<50>\n".to_vec());
    let cases = [
        ("absolute elsewhere", ".Include</etc/passwd>\n", false),
        ("up and out", ".Include<../other/weighted>\n", false),
        (
            "up to its own folder",
            ".Include<porn/../../weighted>\n",
            false,
        ),
        ("below", ".Include<porn/weighted>\n", true),
        (
            "below through ..",
            ".Include<porn/../drugs/weighted>\n",
            true,
        ),
    ];
    for (name, text, allowed) in cases {
        let confined = PhraseList::parse_with_includes(
            "lists/phraselists/weighted",
            text.as_bytes(),
            ListKind::Weighted,
            &PhraseOptions::new(),
            &mut loader,
        );
        // The same rule as a URL list's `.Include` in the same folder.
        let url_list = parse_with_includes(
            Format::E2Site,
            "lists/phraselists/weighted",
            text.as_bytes(),
            &ParseOptions::new(),
            &mut |_: &str| Ok(b"a.example\n".to_vec()),
        );
        assert_eq!(confined.is_ok(), allowed, "{name}: {confined:?}");
        assert_eq!(url_list.is_ok(), allowed, "{name}: {url_list:?}");
        if !allowed {
            let err = confined.unwrap_err();
            assert!(
                matches!(err, ContentError::IncludeOutside { line: 1, .. }),
                "{name}: {err}"
            );
            assert!(
                err.to_string().contains("--allow-include-outside"),
                "{name}: {err}"
            );
            let open = PhraseOptions::new().with_allow_include_outside(true);
            let followed = PhraseList::parse_with_includes(
                "lists/phraselists/weighted",
                text.as_bytes(),
                ListKind::Weighted,
                &open,
                &mut loader,
            );
            assert!(followed.is_ok(), "{name}: {followed:?}");
        }
    }
}

/// `max_entries` bounds one compile, not one parse: two lists each under
/// the limit, whose sum is over it, are refused by the builder with a
/// typed error naming the second list (each parse alone passed before).
#[test]
fn the_entries_limit_is_per_compile_over_every_list() {
    use esafety::bundle::{BuildError, BundleBuilder};
    use esafety::limits::Limit;
    let mut limits = Limits::default();
    limits.max_entries = 5;
    let options = ParseOptions::new().with_limits(limits);
    let mut builder = BundleBuilder::new();
    builder.limits(limits);
    let lists = [
        ("bets", "gambling", "a.example\nb.example\nc.example\n"),
        (
            "ads",
            "malware-hacking",
            "d.example\ne.example\nf.example\n",
        ),
    ];
    let mut outcome = Vec::new();
    for (name, category, text) in lists {
        let parsed = parse(Format::Plain, name, text.as_bytes(), &options).unwrap();
        let id = builder.add_list(name, category).unwrap();
        outcome.push((name, builder.add_entries(id, &parsed.entries)));
    }
    assert!(outcome[0].1.is_ok(), "{:?}", outcome[0]);
    let err = outcome[1].1.as_ref().unwrap_err();
    assert!(
        matches!(err, BuildError::LimitExceeded { list, line: 3, limit: Limit::Entries, max: 5 } if list == "ads"),
        "{err}"
    );
    assert_eq!(err.code(), esafety::ErrorCode::TooLarge);
    assert!(err.to_string().contains("`max_entries`"), "{err}");
}
