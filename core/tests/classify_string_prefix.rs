//! Adblock `||host/path` string prefixes: in Adblock Plus, uBlock Origin
//! and adblock-rust a `||` pattern matches every URL that *starts with*
//! its text after the host anchor, with no path boundary after it
//! (`||multporn.net/frunti_` matches `/frunti_punti_lad.js`). A rule that
//! ends in `^` (a separator) or `/` keeps needing a boundary. Lists are
//! compiled from bytes and URLs classified through the public API.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test helpers outside #[test] functions: a panic is a test failure"
)]

use esafety::bundle::{Bundle, BundleBuilder};
use esafety::classify::Classifier;
use esafety::lists::{Entry, EntryKind, Format, ParseOptions, parse};
use proptest::prelude::*;

mod support;
use support::{compile, hits};

/// One named case: an Adblock list (in a category), a URL, and the
/// expressions that must match (empty: nothing matches). `sha256:` alone
/// stands for any digest id.
struct Case {
    name: &'static str,
    category: &'static str,
    list: &'static [u8],
    url: &'static str,
    expect: &'static [&'static str],
}

macro_rules! cases {
    ($( $name:ident: $category:literal $list:literal, $url:literal => [$($e:literal),*]; )*) => {
        &[$(Case {
            name: stringify!($name),
            category: $category,
            list: $list,
            url: $url,
            expect: &[$($e),*],
        }),*]
    };
}

/// What the string-prefix reading adds: every case here failed before it
/// (the rule was read as an exact page plus the directory below it).
const NEW: &[Case] = cases! {
    // The three rules the bug was found with (EasyList / EasyPrivacy).
    easylist_path_fragment: "pornography" b"[Adblock Plus 2.0]\n||multporn.net/frunti_\n",
        "https://multporn.net/frunti_punti_lad.js" => ["multporn.net/frunti_"];
    easyprivacy_empty_query: "local-ads" b"||qq.com/stats?\n",
        "https://tajs.qq.com/stats?sId=36778060" => ["qq.com/stats?"];
    easylist_query_key: "pornography" b"||xnxx.com/in.php?referer\n",
        "https://www.xnxx.com/in.php?referer=" => ["xnxx.com/in.php?referer"];

    query_key_longer_value: "local-ads" b"||p.ctpost.com/article?i=\n",
        "http://p.ctpost.com/article?i=123&x=1" => ["p.ctpost.com/article?i="];
    dash_prefix_deeper: "local-ads" b"||msecnd.net/scripts/jsll-\n",
        "https://az416426.vo.msecnd.net/scripts/jsll-4.js" => ["msecnd.net/scripts/jsll-"];
    page_rule_goes_on_without_boundary: "local-ads" b"||cdn.example/ads.js\n",
        "http://cdn.example/ads.json" => ["cdn.example/ads.js"];
    // The expression reported is the rule's key, not the directory below.
    page_rule_below: "local-ads" b"||cdn.example/ads.js\n",
        "http://cdn.example/ads.js/x" => ["cdn.example/ads.js"];

    // Case: ignored by default, kept with `$match-case`.
    default_ignores_case_upper_request: "local-ads" b"||ads.example/track_\n",
        "http://ads.example/TRACK_pixel.gif" => ["ads.example/track_"];
    default_ignores_case_mixed_rule: "local-ads" b"||ads.example/Track_\n",
        "http://ads.example/track_pixel.gif" => ["ads.example/track_"];
    match_case_same_case: "local-ads" b"||ads.example/Track_$match-case\n",
        "http://ads.example/Track_pixel.gif" => ["ads.example/Track_"];

    // `||` anchors the host: subdomains match.
    subdomain_www: "local-ads" b"||example.com/track_\n",
        "http://www.example.com/track_1" => ["example.com/track_"];
    subdomain_deep: "local-ads" b"||example.com/track_\n",
        "http://a.b.c.example.com/track_1" => ["example.com/track_"];
};

/// What must not change (these held before and must hold after).
const UNCHANGED: &[Case] = cases! {
    whole_key_is_enough: "local-ads" b"||multporn.net/frunti_\n",
        "https://multporn.net/frunti_" => ["multporn.net/frunti_"];
    shorter_path_does_not_match: "local-ads" b"||multporn.net/frunti_\n",
        "https://multporn.net/frunti" => [];
    query_key_other_value: "local-ads" b"||p.ctpost.com/article?i=\n",
        "http://p.ctpost.com/article?id=123" => [];
    page_rule_on_boundary: "local-ads" b"||cdn.example/ads.js\n",
        "http://cdn.example/ads.js?v=2" => ["cdn.example/ads.js"];

    // `$match-case` keeps a string prefix case-sensitive.
    match_case_lower_request: "local-ads" b"||ads.example/Track_$match-case\n",
        "http://ads.example/track_pixel.gif" => [];
    match_case_upper_request: "local-ads" b"||ads.example/Track_$match-case\n",
        "http://ads.example/TRACK_pixel.gif" => [];

    // `^` is a separator: a path boundary, as before.
    separator_rule_not_longer_name: "local-ads" b"||ads.example/page^\n",
        "http://ads.example/pagefoo" => [];
    separator_rule_page: "local-ads" b"||ads.example/page^\n",
        "http://ads.example/page?x=1" => ["ads.example/page"];
    separator_rule_below: "local-ads" b"||ads.example/page^\n",
        "http://ads.example/page/x" => ["ads.example/page/"];

    // `||host/dir/`: a directory prefix, as before.
    dir_rule_below: "local-ads" b"||ads.example/dir/\n",
        "http://ads.example/dir/a/b/c/d/e/f" => ["ads.example/dir/"];
    dir_rule_not_longer_name: "local-ads" b"||ads.example/dir/\n",
        "http://ads.example/directory" => [];
    dir_rule_not_without_slash: "local-ads" b"||ads.example/dir/\n",
        "http://ads.example/dir" => [];

    // Other hosts do not match.
    other_host_with_suffix: "local-ads" b"||example.com/track_\n",
        "http://notexample.com/track_1" => [];
    other_host_listed_as_label: "local-ads" b"||example.com/track_\n",
        "http://example.com.evil.test/track_1" => [];

    // A sensitive list's digests match lookup expressions, which end on
    // path boundaries: its path rules read as if they ended in `^`.
    sensitive_rule_page: "terrorism" b"||terror.esafety.invalid/media\n",
        "http://terror.esafety.invalid/media" => ["sha256:"];
    sensitive_rule_no_string_prefix: "terrorism" b"||terror.esafety.invalid/media\n",
        "http://terror.esafety.invalid/mediafoo" => [];
};

/// The cases of `table` that do not give what they expect.
fn failures(table: &[Case]) -> Vec<String> {
    let mut failures = Vec::new();
    for case in table {
        let c = compile(&[(case.name, case.category, Format::Adblock, case.list)]);
        let got: Vec<String> = hits(&c, case.url).into_iter().map(|(_, e)| e).collect();
        let ok = got.len() == case.expect.len()
            && got.iter().zip(case.expect).all(|(g, e)| {
                if *e == "sha256:" {
                    g.starts_with("sha256:")
                } else {
                    g == e
                }
            });
        if !ok {
            failures.push(format!(
                "{}: {} gave {got:?}, expected {:?}",
                case.name, case.url, case.expect
            ));
        }
    }
    failures
}

#[test]
fn string_prefix_table() {
    let failures = failures(NEW);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn boundary_rules_unchanged_table() {
    let failures = failures(UNCHANGED);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// One key, three lists: a string prefix ignoring case (Adblock), a
/// case-sensitive string prefix (Adblock `$match-case`) and a boundary
/// prefix ignoring case (a `UrlPrefixNoCase` entry, as a squidGuard list
/// would give it if it wrote no trailing `/`). Off a boundary only the
/// string-prefix lists match; on one, all; in another case, only the
/// case-ignoring ones.
#[test]
fn string_and_boundary_prefix_lists_at_one_key() {
    let mut b = BundleBuilder::new();
    for (name, text) in [
        ("ads", &b"||key.example/key\n"[..]),
        ("exact", b"||key.example/key$match-case\n"),
    ] {
        let parsed = parse(Format::Adblock, name, text, &ParseOptions::new()).unwrap();
        let id = b.add_list(name, "local-ads").unwrap();
        b.add_entries(id, &parsed.entries).unwrap();
    }
    let dir = b.add_list("dir", "adult").unwrap();
    b.add_entry(
        dir,
        &Entry {
            kind: EntryKind::UrlPrefixNoCase("key.example/key".into()),
            line: 1,
        },
    )
    .unwrap();
    let c = Classifier::new(Bundle::from_bytes(b.build().unwrap()).unwrap());
    let lists = |url: &str| -> Vec<String> { hits(&c, url).into_iter().map(|(l, _)| l).collect() };
    assert_eq!(lists("http://key.example/keyXYZ"), ["ads", "exact"]);
    assert_eq!(lists("http://key.example/key/x"), ["ads", "dir", "exact"]);
    assert_eq!(lists("http://key.example/key"), ["ads", "dir", "exact"]);
    assert_eq!(lists("http://key.example/key?q=1"), ["ads", "dir", "exact"]);
    assert_eq!(lists("http://key.example/KEYxyz"), ["ads"]);
    assert_eq!(lists("http://key.example/KEY/x"), ["ads", "dir"]);
    assert!(lists("http://key.example/ke").is_empty());
    assert_eq!(
        hits(&c, "http://www.key.example/keyXYZ").first(),
        Some(&("ads".to_owned(), "key.example/key".to_owned()))
    );
}

proptest! {
    /// `||host/p` matches `http://host/p` followed by anything, on the host
    /// and its subdomains, with and without `$match-case`. Path segments
    /// never are `.` or `..` and nothing is percent-escaped, so the URL's
    /// canonical form still starts with the rule's.
    #[test]
    fn rule_matches_every_continuation(
        p in "[A-Za-z0-9_-][A-Za-z0-9_.=&~-]{0,8}(/[A-Za-z0-9_-][A-Za-z0-9_.=&~-]{0,8}){0,3}/?(\\?[A-Za-z0-9_.=&/-]{0,8})?",
        s in "[A-Za-z0-9_=&-]{0,4}(/[A-Za-z0-9_-][A-Za-z0-9_.=&-]{0,6}){0,2}/?(\\?[A-Za-z0-9_.=&/?-]{0,8})?",
        sub in prop_oneof![Just(""), Just("www."), Just("a.b.")],
        match_case in any::<bool>(),
    ) {
        let option = if match_case { "$match-case" } else { "" };
        let rule = format!("||host.example/{p}{option}\n");
        let c = compile(&[("ads", "local-ads", Format::Adblock, rule.as_bytes())]);
        let url = format!("http://{sub}host.example/{p}{s}");
        let lists: Vec<String> = hits(&c, &url).into_iter().map(|(l, _)| l).collect();
        prop_assert!(lists.iter().any(|l| l == "ads"), "{} does not match {}", url, rule);
    }
}
