//! Every fixture in `tests/fixtures/lists/` parses to exactly the entries,
//! skipped lines and counts expected, malformed lines included.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test helpers fail loudly"
)]

use std::path::{Path, PathBuf};

use esafety::lists::{
    EntryKind, Format, ListError, ParseOptions, ParsedList, detect, expression_digest, parse,
    parse_with_includes,
};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lists")
}

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(fixtures().join(rel)).unwrap()
}

fn parse_fixture(rel: &str, format: Format) -> ParsedList {
    parse(format, rel, &read(rel), &ParseOptions::new()).unwrap()
}

/// Entries as `(line, kind)`.
fn entries(parsed: &ParsedList) -> Vec<(usize, EntryKind)> {
    parsed
        .entries
        .iter()
        .map(|e| (e.line, e.kind.clone()))
        .collect()
}

fn skipped(parsed: &ParsedList) -> Vec<String> {
    parsed.skipped.iter().map(ToString::to_string).collect()
}

fn d(s: &str) -> EntryKind {
    EntryKind::Domain(s.to_owned())
}
fn u(s: &str) -> EntryKind {
    EntryKind::Url(s.to_owned())
}
fn p(s: &str) -> EntryKind {
    EntryKind::UrlPrefix(s.to_owned())
}
/// The case-ignoring kinds of squidGuard, e2guardian and Adblock entries.
fn ui(s: &str) -> EntryKind {
    EntryKind::UrlNoCase(s.to_owned())
}
fn pi(s: &str) -> EntryKind {
    EntryKind::UrlPrefixNoCase(s.to_owned())
}
fn spi(s: &str) -> EntryKind {
    EntryKind::UrlStringPrefixNoCase(s.to_owned())
}
fn sx(s: &str) -> EntryKind {
    EntryKind::SquidGuardExpression(s.to_owned())
}
fn sg(s: &str) -> EntryKind {
    EntryKind::SquidGuardUrl(s.to_owned())
}
fn e2x(s: &str) -> EntryKind {
    EntryKind::E2guardianExpression(s.to_owned())
}

fn e2_loader(path: &str) -> Result<Vec<u8>, std::io::Error> {
    std::fs::read(fixtures().join("e2guardian").join(path))
}

#[test]
fn plain_fixture() {
    let parsed = parse_fixture("plain.txt", Format::Plain);
    assert_eq!(
        entries(&parsed),
        [
            (3, d("example.com")),
            (4, d("wild.example")),
            (5, d("site.example")),
            (6, p("site.example/dir/")),
            (7, u("site.example/page.html")),
            (8, u("site.example/search?q=1")),
        ]
    );
    let skipped = skipped(&parsed);
    assert_eq!(
        skipped[..3],
        [
            "plain.txt:10: `not a host` is not a valid host name (it contains white space); fix or remove the line",
            "plain.txt:11: `exa*mple.test` has a wildcard `*` this format does not support; list the domain instead (a domain entry covers its subdomains)",
            "plain.txt:12: `intranet` has no dot, so as a domain it would match a whole top-level domain; write the full domain name",
        ]
    );
    // The canonicalizer's own reason is quoted in the middle.
    assert!(
        skipped[3]
            .starts_with("plain.txt:13: `http://[bad/` is not a valid URL (invalid host `[bad`"),
        "{}",
        skipped[3]
    );
    assert!(
        skipped[3].ends_with("); fix or remove the line"),
        "{}",
        skipped[3]
    );
    assert_eq!(skipped.len(), 4);
    assert_eq!(detect(&read("plain.txt")), Format::Plain);
}

#[test]
fn hosts_fixture() {
    let parsed = parse_fixture("hosts.txt", Format::Hosts);
    assert_eq!(
        entries(&parsed),
        [
            (5, d("ads.example")),
            (5, d("track.example")),
            (6, d("tracker.example")),
        ]
    );
    assert_eq!(parsed.ignored, 5, "localhost, ::1 names and 0.0.0.0");
    assert_eq!(
        skipped(&parsed),
        [
            "hosts.txt:8: `ads2.example` is not a hosts-file line `ADDRESS HOST…`; write it as `0.0.0.0 host`",
            "hosts.txt:9: `bad_host!.example` is not a valid host name (`!` cannot appear in a host name); fix or remove the line",
        ]
    );
    assert_eq!(detect(&read("hosts.txt")), Format::Hosts);
}

#[test]
fn adblock_fixture() {
    let parsed = parse_fixture("adblock.txt", Format::Adblock);
    assert_eq!(
        entries(&parsed),
        [
            (3, d("ads.example")),
            (4, d("tracker.example")),
            (7, pi("cdn.example/ads/")),
            (8, ui("cdn.example/banner.js")),
            (8, pi("cdn.example/banner.js/")),
            (16, d("bare-host.example")),
        ]
    );
    // $popup, $third-party, ||*.wild, ||partial-, @@, ##, /banner/*, |http, /regex/
    assert_eq!(parsed.ignored, 9);
    assert_eq!(
        skipped(&parsed),
        [
            "adblock.txt:17: `bad host.example` is not a valid host name (it contains white space); fix or remove the line",
        ]
    );
    assert_eq!(detect(&read("adblock.txt")), Format::Adblock);
}

#[test]
fn ut1_folder_fixture() {
    let domains = parse_fixture("ut1/adult/domains", Format::SquidGuardDomains);
    assert_eq!(
        entries(&domains),
        [
            (1, d("ads.example")),
            (3, d("tracker.example")),
            (4, d("leading-dot.example")),
        ]
    );
    assert_eq!(
        skipped(&domains),
        [
            "ut1/adult/domains:5: `site.example/path` has a path, but this list holds only domains; move it to a URL list",
        ]
    );

    let urls = parse_fixture("ut1/adult/urls", Format::SquidGuardUrls);
    assert_eq!(
        entries(&urls),
        [
            (1, sg("site.example/dir")),
            (2, sg("site.example/dir2/")),
            (3, sg("site.example/page?id=3")),
            (4, sg("host-only.example/")),
        ]
    );
    assert_eq!(skipped(&urls).len(), 1);
    // squidGuard keys a `urls` line on its first word (the rest is a
    // redirect address), so this line is the word `bad`.
    assert_eq!(
        skipped(&urls)[0],
        "ut1/adult/urls:5: `bad` has no dot, so as a domain it would match a whole top-level domain; write the full domain name"
    );

    let expressions = parse_fixture("ut1/adult/expressions", Format::SquidGuardExpressions);
    assert_eq!(
        entries(&expressions),
        [
            (1, sx("(^|\\.)porn[0-9]*\\.example/")),
            (2, sx("^[a-z]+\\.xxx/")),
        ]
    );
    assert_eq!(skipped(&expressions).len(), 1);
    assert!(
        skipped(&expressions)[0].starts_with(
            "ut1/adult/expressions:3: `(unclosed` is not a valid regular expression ("
        )
    );
    // An expressions list is named by its file, never by its content.
    assert_eq!(
        esafety::lists::detect_file("ut1/adult/expressions", &read("ut1/adult/expressions")),
        Format::SquidGuardExpressions
    );
    assert_eq!(detect(&read("ut1/adult/expressions")), Format::Plain);
}

#[test]
fn e2guardian_site_list_with_include() {
    let bytes = read("e2guardian/bannedsitelist");
    assert_eq!(detect(&bytes), Format::E2Site);
    let parsed = parse_with_includes(
        Format::E2Site,
        "bannedsitelist",
        &bytes,
        &ParseOptions::new(),
        &mut e2_loader,
    )
    .unwrap();
    assert_eq!(parsed.list_category.as_deref(), Some("Banned Sites"));
    assert_eq!(
        entries(&parsed),
        [
            (5, d("banned.example")),
            (1, d("included.example")),
            (2, d("also.example")),
        ]
    );
    assert_eq!(parsed.ignored, 2, "`**` and `*ip`");
    assert_eq!(
        skipped(&parsed),
        [
            "bannedsitelist:7: `bad site.example` is not a valid host name (it contains white space); fix or remove the line",
        ]
    );
}

#[test]
fn e2guardian_relative_includes_are_found_next_to_the_including_file() {
    let cases: [(&str, &str, &str, &[&str]); 4] = [
        (
            "nested relative",
            "lists/bannedsitelist",
            ".Include<sub/inc>\n",
            &["lists/sub/inc", "lists/sub/more"],
        ),
        (
            "absolute as written (below the list's folder)",
            "/etc/e2/bannedsitelist",
            ".Include</etc/e2/sub/inc>\n",
            &["/etc/e2/sub/inc", "/etc/e2/sub/more"],
        ),
        (
            "top file without a folder",
            "bannedsitelist",
            ".Include<sub/inc>\n",
            &["sub/inc", "sub/more"],
        ),
        (
            "windows folders",
            "C:\\e2\\bannedsitelist",
            ".Include<sub\\inc>\n",
            &["C:\\e2\\sub\\inc", "C:\\e2\\sub\\more"],
        ),
    ];
    for (name, source, main, want) in cases {
        let mut asked = Vec::new();
        let mut loader = |path: &str| {
            asked.push(path.to_owned());
            if path.ends_with("inc") {
                Ok(b"b.example\n.Include<more>\n".to_vec())
            } else {
                Ok(b"c.example\n".to_vec())
            }
        };
        let parsed = parse_with_includes(
            Format::E2Site,
            source,
            main.as_bytes(),
            &ParseOptions::new(),
            &mut loader,
        )
        .unwrap();
        assert_eq!(asked, want, "{name}");
        assert_eq!(parsed.entries.len(), 2, "{name}");
    }
}

#[test]
fn e2guardian_url_and_regexp_lists() {
    let bytes = read("e2guardian/bannedurllist");
    assert_eq!(detect(&bytes), Format::E2Url);
    let parsed = parse(Format::E2Url, "bannedurllist", &bytes, &ParseOptions::new()).unwrap();
    assert_eq!(parsed.list_category.as_deref(), Some("Banned URLs"));
    assert_eq!(
        entries(&parsed),
        [
            (2, pi("banned.example/dir")),
            (2, spi("banned.example/dir&")),
            (2, spi("banned.example/dir=")),
            (3, pi("banned.example/page.html?x=1")),
            (3, spi("banned.example/page.html?x=1&")),
            (3, spi("banned.example/page.html?x=1=")),
        ]
    );

    let bytes = read("e2guardian/bannedregexpurllist");
    // A regexp list is named by its file, never by its content.
    assert_eq!(
        esafety::lists::detect_file("e2guardian/bannedregexpurllist", &bytes),
        Format::E2Regexp
    );
    let parsed = parse(
        Format::E2Regexp,
        "bannedregexpurllist",
        &bytes,
        &ParseOptions::new(),
    )
    .unwrap();
    assert_eq!(entries(&parsed), [(2, e2x("(^|\\.)bad[0-9]+\\.example"))]);
    assert_eq!(parsed.skipped.len(), 1);
    assert_eq!(parsed.skipped[0].line, 3);
}

#[test]
fn e2guardian_include_cycle_names_the_including_line() {
    let bytes = read("e2guardian/cycle_a");
    let err = parse_with_includes(
        Format::E2Site,
        "cycle_a",
        &bytes,
        &ParseOptions::new(),
        &mut e2_loader,
    )
    .unwrap_err();
    assert!(matches!(err, ListError::IncludeCycle { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "cycle_b:1: `.Include<cycle_a>` includes a file that is already being read (an include cycle); remove the `.Include`"
    );
}

#[test]
fn e2guardian_missing_include_is_an_error_naming_file_and_line() {
    let bytes = read("e2guardian/missing_include");
    let err = parse_with_includes(
        Format::E2Site,
        "lists/missing_include",
        &bytes,
        &ParseOptions::new(),
        &mut e2_loader,
    )
    .unwrap_err();
    assert_eq!((err.file(), err.line()), ("lists/missing_include", 1));
    let msg = err.to_string();
    assert!(
        msg.starts_with(
            "lists/missing_include:1: cannot read `.Include<does_not_exist>` (as `lists/does_not_exist`): "
        ),
        "{msg}"
    );
    assert!(
        msg.ends_with("; check that the path exists and is readable"),
        "{msg}"
    );
}

#[test]
fn e2guardian_include_depth_is_limited() {
    // Each file includes the next: depth grows until the limit.
    let mut loader = |path: &str| {
        let n: usize = path.parse().unwrap();
        Ok(format!(".Include<{}>\nd{n}.example\n", n + 1).into_bytes())
    };
    let err = parse_with_includes(
        Format::E2Site,
        "0",
        b".Include<1>\n",
        &ParseOptions::new(),
        &mut loader,
    )
    .unwrap_err();
    assert!(
        matches!(err, ListError::IncludeTooDeep { max: 8, .. }),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "8:1: `.Include` nests more than 8 levels deep; flatten the includes"
    );
}

#[test]
fn iwf_fixture() {
    let parsed = parse_fixture("iwf.txt", Format::Iwf);
    let four = expression_digest("iwf-fixture-four.example/");
    let five = expression_digest("iwf-fixture-five.example/a.html");
    assert_eq!(
        entries(&parsed),
        [
            (2, u("iwf-fixture-one.example/gallery/image1.jpg")),
            (3, u("iwf-fixture-two.example/page.php?id=7")),
            (4, u("iwf-fixture-three.example/")),
            (5, EntryKind::Digest(four)),
            (6, EntryKind::Digest(five)),
        ]
    );
    assert_eq!(
        skipped(&parsed),
        [
            "iwf.txt:7: `not a url at all` is not a valid URL (it contains white space); fix or remove the line",
            "iwf.txt:8: the entry looks like a SHA-256 digest but is not exactly 64 hex digits; fix or remove the line",
        ]
    );
    let sensitive = parse(
        Format::Iwf,
        "iwf.txt",
        &read("iwf.txt"),
        &ParseOptions::new().with_sensitive(true),
    )
    .unwrap();
    assert_eq!(sensitive.entries.len(), 5);
    assert_eq!(
        sensitive.entries[0].kind,
        EntryKind::GatedDigest(
            expression_digest("iwf-fixture-one.example/gallery/image1.jpg"),
            esafety::lists::HostKey::of("iwf-fixture-one.example")
        )
    );
    // Digest lines carry no host: they stay ungated digests.
    assert_eq!(sensitive.entries[3].kind, EntryKind::Digest(four));
    assert!(!format!("{sensitive:?}").contains("iwf-fixture"));
}

#[test]
fn encoding_fixture_bom_crlf_and_bad_bytes() {
    let parsed = parse_fixture("encoding.txt", Format::Plain);
    assert_eq!(
        entries(&parsed),
        [(1, d("good.example")), (3, d("also-good.example"))]
    );
    assert_eq!(
        skipped(&parsed),
        ["encoding.txt:2: the line is not valid UTF-8; save the list as UTF-8 or remove the line",]
    );
}

#[test]
fn strict_mode_fails_on_the_first_bad_line_of_every_malformed_fixture() {
    let cases: &[(&str, Format, usize)] = &[
        ("plain.txt", Format::Plain, 10),
        ("hosts.txt", Format::Hosts, 8),
        ("adblock.txt", Format::Adblock, 17),
        ("ut1/adult/domains", Format::SquidGuardDomains, 5),
        ("ut1/adult/urls", Format::SquidGuardUrls, 5),
        ("ut1/adult/expressions", Format::SquidGuardExpressions, 3),
        ("iwf.txt", Format::Iwf, 7),
        ("encoding.txt", Format::Plain, 2),
    ];
    for &(rel, format, line) in cases {
        let err = parse(
            format,
            rel,
            &read(rel),
            &ParseOptions::new().with_strict(true),
        )
        .unwrap_err();
        assert!(matches!(err, ListError::BadLine(_)), "{rel}");
        assert_eq!((err.file(), err.line()), (rel, line), "{rel}");
        assert!(
            err.to_string().starts_with(&format!("{rel}:{line}: ")),
            "{err}"
        );
    }
}
