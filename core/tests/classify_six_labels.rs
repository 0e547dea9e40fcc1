//! The six-label exact-page case: a page or URL prefix listed under a host
//! of six or more labels, requested as listed, with `www.` added, with
//! more labels, with a query, and its siblings, through every entry kind
//! that lists pages. The Safe Browsing host expressions stop at the last
//! five labels, so a lookup by expressions alone misses such a page once
//! the request adds a label; every kind must still find it where its own
//! tool would (squidGuard `urls`: the host and its `www` chop only).
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test: a failure should panic with its message"
)]

mod support;

use esafety::lists::Format;
use support::{compile, hits};

/// One entry kind: its list (name, category, format, text).
struct Kind {
    name: &'static str,
    category: &'static str,
    format: Format,
    text: &'static [u8],
}

const SIX: &str = "a.b.c.d.six.example";

const KINDS: &[Kind] = &[
    Kind {
        name: "plain-page",
        category: "adult",
        format: Format::Plain,
        text: b"a.b.c.d.six.example/x/page.html\nwww.w.b.c.d.seven.example/x/page.html\n",
    },
    Kind {
        name: "plain-prefix",
        category: "adult",
        format: Format::Plain,
        text: b"a.b.c.d.six.example/x/\nwww.w.b.c.d.seven.example/x/\n",
    },
    Kind {
        name: "squidguard-urls",
        category: "adult",
        format: Format::SquidGuardUrls,
        text: b"a.b.c.d.six.example/x/page.html\nwww.w.b.c.d.seven.example/x/page.html\n",
    },
    Kind {
        name: "e2guardian-url",
        category: "adult",
        format: Format::E2Url,
        text: b"a.b.c.d.six.example/x/page.html\nwww.w.b.c.d.seven.example/x/page.html\n",
    },
    Kind {
        name: "adblock",
        category: "local-ads",
        format: Format::Adblock,
        text: b"||a.b.c.d.six.example/x/page.html\n||www.w.b.c.d.seven.example/x/page.html\n",
    },
    Kind {
        name: "iwf-page",
        category: "child-abuse",
        format: Format::Iwf,
        text: b"a.b.c.d.six.example/x/page.html\nwww.w.b.c.d.seven.example/x/page.html\n",
    },
    Kind {
        // The published form: SHA-256 digests of the lookup expressions
        // `a.b.c.d.six.example/x/page.html` and
        // `www.w.b.c.d.seven.example/x/page.html`.
        name: "iwf-digest",
        category: "child-abuse",
        format: Format::Iwf,
        text: b"3dbe586eb76d77e1853f604b95798105ddc14a23ab04f64f27c1963722721797\nfec275ce8d321965df17318254b644a42ae05f2893801a96b6646ef3e6d33c8d\n",
    },
    Kind {
        name: "terrorism-prefix",
        category: "terrorism",
        format: Format::Plain,
        text: b"a.b.c.d.six.example/x/\nwww.w.b.c.d.seven.example/x/\n",
    },
];

/// A request and the kinds that must catch it (every other kind must not).
struct Case {
    name: &'static str,
    url: &'static str,
    caught_by: &'static [&'static str],
}

const ALL: &[&str] = &[
    "plain-page",
    "iwf-digest",
    "plain-prefix",
    "squidguard-urls",
    "e2guardian-url",
    "adblock",
    "iwf-page",
    "terrorism-prefix",
];
/// Every kind but squidGuard `urls`, which applies to the listed host
/// after its `www` chop only.
const SUBDOMAINS: &[&str] = &[
    "plain-page",
    "iwf-digest",
    "plain-prefix",
    "e2guardian-url",
    "adblock",
    "iwf-page",
    "terrorism-prefix",
];
const PREFIXES: &[&str] = &["plain-prefix", "terrorism-prefix"];

const CASES: &[Case] = &[
    Case {
        name: "six labels as listed",
        url: "http://a.b.c.d.six.example/x/page.html",
        caught_by: ALL,
    },
    Case {
        name: "six labels, www added",
        url: "http://www.a.b.c.d.six.example/x/page.html",
        caught_by: ALL,
    },
    Case {
        name: "six labels, www2 added",
        url: "http://www2.a.b.c.d.six.example/x/page.html",
        caught_by: ALL,
    },
    Case {
        name: "six labels, www added, capitals",
        url: "http://WWW.A.B.C.D.SIX.EXAMPLE/x/page.html",
        caught_by: ALL,
    },
    Case {
        name: "six labels, another label added",
        url: "http://z.a.b.c.d.six.example/x/page.html",
        caught_by: SUBDOMAINS,
    },
    Case {
        name: "six labels, two labels added",
        url: "http://y.z.a.b.c.d.six.example/x/page.html",
        caught_by: SUBDOMAINS,
    },
    Case {
        name: "six labels, www and four labels added",
        url: "http://www.p.q.r.s.a.b.c.d.six.example/x/page.html",
        caught_by: SUBDOMAINS,
    },
    Case {
        name: "six labels with a query",
        url: "http://a.b.c.d.six.example/x/page.html?q=1",
        caught_by: ALL,
    },
    Case {
        name: "six labels, www added, with a query",
        url: "http://www.a.b.c.d.six.example/x/page.html?q=1",
        caught_by: ALL,
    },
    Case {
        name: "six labels, trailing dot",
        url: "http://www.a.b.c.d.six.example./x/page.html",
        caught_by: ALL,
    },
    Case {
        name: "sibling: the parent host",
        url: "http://b.c.d.six.example/x/page.html",
        caught_by: &[],
    },
    Case {
        name: "sibling: a lookalike label",
        url: "http://aa.b.c.d.six.example/x/page.html",
        caught_by: &[],
    },
    Case {
        name: "sibling: another page in the folder",
        url: "http://www.a.b.c.d.six.example/x/other.html",
        caught_by: PREFIXES,
    },
    Case {
        name: "sibling: another folder",
        url: "http://www.a.b.c.d.six.example/y/page.html",
        caught_by: &[],
    },
    Case {
        name: "seven labels with www, as listed",
        url: "http://www.w.b.c.d.seven.example/x/page.html",
        caught_by: ALL,
    },
    Case {
        name: "seven labels with www, another label added",
        url: "http://z.www.w.b.c.d.seven.example/x/page.html",
        caught_by: SUBDOMAINS,
    },
    Case {
        name: "seven labels with www, www chopped",
        url: "http://w.b.c.d.seven.example/x/page.html",
        caught_by: &[],
    },
];

#[test]
fn pages_under_six_labels_are_found_as_each_tool_finds_them() {
    let lists: Vec<(&str, &str, Format, &[u8])> = KINDS
        .iter()
        .map(|k| (k.name, k.category, k.format, k.text))
        .collect();
    let classifier = compile(&lists);
    assert!(SIX.split('.').count() == 6);
    let mut wrong = Vec::new();
    for case in CASES {
        let got: Vec<String> = hits(&classifier, case.url)
            .into_iter()
            .map(|(list, _)| list)
            .collect();
        for kind in KINDS {
            let want = case.caught_by.contains(&kind.name);
            let caught = got.iter().any(|l| l == kind.name);
            if want != caught {
                wrong.push(format!(
                    "{}: {} {} by {}",
                    case.name,
                    case.url,
                    if want { "missed" } else { "caught" },
                    kind.name
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Each kind alone in its bundle gives the same answers (no kind finds a
/// page only because another kind's entry flagged the host).
#[test]
fn each_kind_alone_gives_the_same_answers() {
    let mut wrong = Vec::new();
    for kind in KINDS {
        let classifier = compile(&[(kind.name, kind.category, kind.format, kind.text)]);
        for case in CASES {
            let want = case.caught_by.contains(&kind.name);
            let caught = !hits(&classifier, case.url).is_empty();
            if want != caught {
                wrong.push(format!(
                    "{}: {} {} by {} alone",
                    case.name,
                    case.url,
                    if want { "missed" } else { "caught" },
                    kind.name
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
