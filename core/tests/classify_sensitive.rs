//! Sensitive lists (IWF, terrorism): every spelling of a listed page is
//! caught through the digest gate, near misses are not, and matches report
//! a digest id only.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test helpers outside #[test] functions: a panic is a test failure"
)]

use esafety::Category;
use esafety::bundle::{Bundle, BundleBuilder};
use esafety::classify::Classifier;
use esafety::lists::{Entry, EntryKind};

fn classifier() -> Classifier {
    let mut b = BundleBuilder::new();
    let iwf = b.add_list("iwf", "child-abuse").unwrap();
    for (i, u) in [
        "iwf-test.esafety.invalid/abuse/page-1.html",
        "iwf-test.esafety.invalid/abuse/page-2.html?id=7",
        "192.0.2.55/iwf-test/page.html",
    ]
    .iter()
    .enumerate()
    {
        b.add_entry(
            iwf,
            &Entry {
                kind: EntryKind::Url((*u).into()),
                line: i + 1,
            },
        )
        .unwrap();
    }
    b.add_entry(
        iwf,
        &Entry {
            kind: EntryKind::Domain("whole-site.iwf-test2.esafety.invalid".into()),
            line: 4,
        },
    )
    .unwrap();
    let ter = b.add_list("terrorism", "terrorism").unwrap();
    b.add_entry(
        ter,
        &Entry {
            kind: EntryKind::Url("terror-test.esafety.invalid/propaganda/video-1.html".into()),
            line: 1,
        },
    )
    .unwrap();
    Classifier::new(Bundle::from_bytes(b.build().unwrap()).unwrap())
}

#[test]
fn every_spelling_of_a_listed_page_is_caught() {
    let c = classifier();
    let variants = [
        ("plain", "http://iwf-test.esafety.invalid/abuse/page-1.html"),
        ("no_scheme", "iwf-test.esafety.invalid/abuse/page-1.html"),
        (
            "https",
            "https://iwf-test.esafety.invalid/abuse/page-1.html",
        ),
        (
            "upper_case_host",
            "http://IWF-TEST.Esafety.INVALID/abuse/page-1.html",
        ),
        (
            "upper_scheme",
            "HTTP://iwf-test.esafety.invalid/abuse/page-1.html",
        ),
        (
            "www_only_in_url",
            "http://www.iwf-test.esafety.invalid/abuse/page-1.html",
        ),
        (
            "deep_subdomain",
            "http://a.b.iwf-test.esafety.invalid/abuse/page-1.html",
        ),
        (
            "port",
            "http://iwf-test.esafety.invalid:8080/abuse/page-1.html",
        ),
        (
            "userinfo",
            "http://user:pass@iwf-test.esafety.invalid/abuse/page-1.html",
        ),
        (
            "fragment",
            "http://iwf-test.esafety.invalid/abuse/page-1.html#top",
        ),
        (
            "query_added",
            "http://iwf-test.esafety.invalid/abuse/page-1.html?utm=1",
        ),
        (
            "trailing_dot",
            "http://iwf-test.esafety.invalid./abuse/page-1.html",
        ),
        (
            "extra_dots",
            "http://iwf-test..esafety.invalid/abuse/page-1.html",
        ),
        (
            "leading_dot",
            "http://.iwf-test.esafety.invalid/abuse/page-1.html",
        ),
        (
            "percent_path",
            "http://iwf-test.esafety.invalid/abuse/%70age-1.html",
        ),
        (
            "double_percent",
            "http://iwf-test.esafety.invalid/abuse/%2570age-1.html",
        ),
        (
            "percent_host",
            "http://%69wf-test.esafety.invalid/abuse/page-1.html",
        ),
        (
            "dot_segments",
            "http://iwf-test.esafety.invalid/x/../abuse/./page-1.html",
        ),
        (
            "double_slash",
            "http://iwf-test.esafety.invalid//abuse//page-1.html",
        ),
        (
            "backslash",
            "http://iwf-test.esafety.invalid\\abuse\\page-1.html",
        ),
        (
            "spaces_tabs",
            " \thttp://iwf-test.esafety.invalid/abuse/page-1.html\n",
        ),
        (
            "query_page",
            "http://iwf-test.esafety.invalid/abuse/page-2.html?id=7",
        ),
        ("ip_dotted", "http://192.0.2.55/iwf-test/page.html"),
        ("ip_decimal", "http://3221226039/iwf-test/page.html"),
        ("ip_hex", "http://0xC0000237/iwf-test/page.html"),
        ("ip_octal", "http://0300.0000.0002.0067/iwf-test/page.html"),
        ("ip_short", "http://192.0.567/iwf-test/page.html"),
        (
            "ip_port_userinfo",
            "http://u@192.0.2.55:81/iwf-test/page.html?x#y",
        ),
        (
            "domain_entry",
            "http://whole-site.iwf-test2.esafety.invalid/any/page",
        ),
        (
            "domain_entry_sub",
            "http://www.whole-site.iwf-test2.esafety.invalid/",
        ),
    ];
    let mut failures = Vec::new();
    for (name, url) in variants {
        let got = c.classify_str(url).unwrap();
        let ok = got.categories.contains(Category::ChildAbuse)
            && got.matches.iter().all(|m| {
                m.list == "iwf"
                    && m.expression.starts_with("sha256:")
                    && !m.expression.contains("iwf-test")
            });
        if !ok {
            failures.push(format!("{name}: {url} => {got:?}"));
        }
    }
    let t = c
        .classify_str("HTTPS://Terror-Test.esafety.invalid:443/propaganda/video-1.html#t=1")
        .unwrap();
    if !t.categories.contains(Category::Terrorism) {
        failures.push(format!("terrorism => {t:?}"));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A long query or fragment is a spelling too: up to the longest URL a
/// browser opens ([`esafety::url::MAX_INPUT_LEN`], Chromium's limit), the
/// page is still matched, not refused as an error a caller might let through.
#[test]
fn a_long_query_or_fragment_does_not_hide_a_listed_page() {
    use esafety::url::MAX_INPUT_LEN;
    let c = classifier();
    let page = "http://iwf-test.esafety.invalid/abuse/page-1.html";
    let site = "http://whole-site.iwf-test2.esafety.invalid/";
    let fill = |used: usize| "a".repeat(MAX_INPUT_LEN - used);
    let cases = [
        (
            "fragment_to_the_limit",
            format!("{page}#{}", fill(page.len() + 1)),
        ),
        (
            "query_to_the_limit",
            format!("{page}?{}", fill(page.len() + 1)),
        ),
        (
            "query_and_fragment_1mib",
            format!("{page}?q={0}#{0}", "b".repeat(512 * 1024)),
        ),
        (
            "domain_entry_long_path",
            format!("{site}{}", fill(site.len())),
        ),
    ];
    for (name, url) in &cases {
        assert!(url.len() <= MAX_INPUT_LEN, "{name}: {} bytes", url.len());
        let got = c
            .classify_str(url)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(
            got.categories.contains(Category::ChildAbuse),
            "{name}: {:?}",
            got.categories
        );
        assert!(
            got.matches
                .iter()
                .all(|m| m.list == "iwf" && m.expression.starts_with("sha256:")),
            "{name}: {:?}",
            got.matches
        );
    }
    // One byte more is an error that says so (and a browser would not open it).
    let over = format!("{page}#{}", fill(page.len()));
    assert!(c.classify_str(&over).is_err());
}

#[test]
fn near_misses_are_not_caught() {
    let c = classifier();
    let misses = [
        (
            "other_page",
            "http://iwf-test.esafety.invalid/abuse/page-3.html",
        ),
        ("parent_dir", "http://iwf-test.esafety.invalid/abuse/"),
        ("domain_root", "http://iwf-test.esafety.invalid/"),
        (
            "longer_path",
            "http://iwf-test.esafety.invalid/abuse/page-1.html/x",
        ),
        (
            "path_case",
            "http://iwf-test.esafety.invalid/ABUSE/page-1.html",
        ),
        (
            "other_query",
            "http://iwf-test.esafety.invalid/abuse/page-2.html?id=8",
        ),
        (
            "missing_query",
            "http://iwf-test.esafety.invalid/abuse/page-2.html",
        ),
        (
            "glued_host",
            "http://xiwf-test.esafety.invalid/abuse/page-1.html",
        ),
        (
            "host_as_prefix",
            "http://iwf-test.esafety.invalid.evil.test/abuse/page-1.html",
        ),
        ("other_ip", "http://192.0.2.56/iwf-test/page.html"),
        (
            "parent_of_domain_entry",
            "http://iwf-test2.esafety.invalid/any/page",
        ),
        ("unrelated", "http://example.com/abuse/page-1.html"),
    ];
    let mut failures = Vec::new();
    for (name, url) in misses {
        let got = c.classify_str(url).unwrap();
        if !got.matches.is_empty() {
            failures.push(format!("{name}: {url} => {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn digest_feeds_without_hosts_still_match() {
    let mut b = BundleBuilder::new();
    let iwf = b.add_list("iwf", "child-abuse").unwrap();
    let d = esafety::lists::expression_digest("feed.esafety.invalid/p.html");
    b.add_entry(
        iwf,
        &Entry {
            kind: EntryKind::Digest(d),
            line: 1,
        },
    )
    .unwrap();
    let bundle = Bundle::from_bytes(b.build().unwrap()).unwrap();
    assert!(bundle.has_ungated_digests());
    let c = Classifier::new(bundle);
    assert!(
        c.classify_str("http://www.feed.esafety.invalid/p.html?q")
            .unwrap()
            .categories
            .contains(Category::ChildAbuse)
    );
    assert!(
        c.classify_str("http://feed.esafety.invalid/q.html")
            .unwrap()
            .matches
            .is_empty()
    );
}

/// An IWF list of URLs parsed by `esafety::lists` (digests taken at parse
/// time, plaintext dropped) still builds a host gate: unlisted URLs are not
/// hashed, and listed pages match in every spelling. Before the parsers
/// passed a `HostKey`, such a bundle had to hash every URL.
#[test]
fn parsed_iwf_lists_are_gated_without_plaintext() {
    use esafety::lists::{Format, ParseOptions, parse};
    let list =
        "http://gated.esafety.invalid/gallery/img1.jpg\nhttps://other.esafety.invalid/p.php?id=7\n";
    let parsed = parse(
        Format::Iwf,
        "iwf.txt",
        list.as_bytes(),
        &ParseOptions::new().with_sensitive(true),
    )
    .unwrap();
    assert!(!format!("{parsed:?}").contains("gated.esafety"));
    let mut b = BundleBuilder::new();
    let iwf = b.add_list("iwf", "child-abuse").unwrap();
    for e in &parsed.entries {
        b.add_entry(iwf, e).unwrap();
    }
    let bytes = b.build().unwrap();
    assert!(!bytes.windows(13).any(|w| w == b"gated.esafety"));
    assert!(!bytes.windows(10).any(|w| w == b"gallery/img"));
    let bundle = Bundle::from_bytes(bytes).unwrap();
    assert!(
        !bundle.has_ungated_digests(),
        "parsed URL entries must be gated"
    );
    let c = Classifier::new(bundle);
    for url in [
        "HTTP://GATED.esafety.invalid./gallery/./img1.jpg#x",
        "http://www.gated.esafety.invalid/gallery/img1.jpg?any=query",
        "https://other.esafety.invalid/p.php?id=7",
    ] {
        assert!(
            c.classify_str(url)
                .unwrap()
                .categories
                .contains(Category::ChildAbuse),
            "{url}"
        );
    }
    for url in [
        "http://gated.esafety.invalid/gallery/img2.jpg",
        "https://other.esafety.invalid/p.php?id=8",
        "http://example.com/",
    ] {
        assert!(c.classify_str(url).unwrap().matches.is_empty(), "{url}");
    }
}
