//! Path case: the formats whose matching ignores case (squidGuard and UT1
//! `urls` / `expressions`, e2guardian URL and regexp lists, Adblock filters
//! without `$match-case`) match a listed path written in any ASCII case;
//! the exact ones (IWF, plain lists, `$match-case`) do not. Lists are
//! compiled from bytes and URLs classified through the public API.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test helpers outside #[test] functions: a panic is a test failure"
)]

use esafety::bundle::{Bundle, BundleError, FORMAT_VERSION};
use esafety::lists::Format;
use proptest::prelude::*;

mod support;
use support::{compile, hits};

/// One named case: a list in a format, a URL, and the expressions that
/// must match (empty: nothing matches). `sha256:` alone stands for any
/// digest id.
struct Case {
    name: &'static str,
    format: Format,
    category: &'static str,
    list: &'static [u8],
    url: &'static str,
    expect: &'static [&'static str],
}

macro_rules! cases {
    ($( $name:ident: $format:ident $category:literal $list:literal, $url:literal => [$($e:literal),*]; )*) => {
        &[$(Case {
            name: stringify!($name),
            format: Format::$format,
            category: $category,
            list: $list,
            url: $url,
            expect: &[$($e),*],
        }),*]
    };
}

const CASES: &[Case] = cases! {
    // Adblock: filters ignore case unless `$match-case` is given.
    adblock_lower_rule_mixed_request: Adblock "local-ads" b"[Adblock Plus 2.0]\n||img.godaddy.com/pageevents.aspx\n",
        "https://img.godaddy.com/pageEvents.aspx" => ["img.godaddy.com/pageevents.aspx"];
    // A `||host/path` rule is a string prefix: the expression is the rule.
    adblock_lower_rule_upper_request_prefix: Adblock "local-ads" b"||img.godaddy.com/pageevents.aspx\n",
        "https://img.godaddy.com/PAGEEVENTS.ASPX/x" => ["img.godaddy.com/pageevents.aspx"];
    adblock_mixed_rule_lower_request: Adblock "local-ads" b"||cineplex.com/Skins/\n",
        "https://www.cineplex.com/skins/a.css" => ["cineplex.com/skins/"];
    adblock_mixed_rule_upper_request: Adblock "local-ads" b"||cineplex.com/Skins/\n",
        "https://cineplex.com/SKINS/a.css" => ["cineplex.com/skins/"];
    adblock_query_ignores_case: Adblock "local-ads" b"||ads.example/track?ID=1\n",
        "http://ads.example/Track?id=1" => ["ads.example/track?id=1"];
    adblock_match_case_same_case: Adblock "local-ads" b"||ads.example/Banners/$match-case\n",
        "http://ads.example/Banners/1.gif" => ["ads.example/Banners/"];
    adblock_match_case_other_case: Adblock "local-ads" b"||ads.example/Banners/$match-case\n",
        "http://ads.example/banners/1.gif" => [];
    adblock_match_case_with_broad_option: Adblock "local-ads" b"||ads.example/Banners/$important,match-case\n",
        "http://ads.example/Banners/1.gif" => ["ads.example/Banners/"];
    adblock_match_case_with_narrowing_option_ignored: Adblock "local-ads" b"||ads.example/Banners/$script,match-case\n||other.example^\n",
        "http://ads.example/Banners/1.gif" => [];

    // squidGuard / UT1 `urls`: lowercased before matching.
    squidguard_urls_dir_lower_request: SquidGuardUrls "adult" b"example.com/Adult/\n",
        "http://example.com/adult/x" => ["example.com/adult/"];
    squidguard_urls_dir_upper_request: SquidGuardUrls "adult" b"example.com/Adult/\n",
        "http://example.com/ADULT/x" => ["example.com/adult/"];
    squidguard_urls_dir_same_case: SquidGuardUrls "adult" b"example.com/Adult/\n",
        "http://www.example.com/Adult/" => ["example.com/adult/"];
    squidguard_urls_page: SquidGuardUrls "adult" b"example.com/videos/clip\n",
        "http://example.com/VIDEOS/Clip?x=1" => ["example.com/videos/clip"];
    squidguard_urls_page_subtree: SquidGuardUrls "adult" b"example.com/videos/clip\n",
        "http://example.com/Videos/Clip/2" => ["example.com/videos/clip"];
    // A string prefix, as squidGuard compares: `clip` also starts `clips`.
    squidguard_urls_string_prefix: SquidGuardUrls "adult" b"example.com/videos/clip\n",
        "http://example.com/Videos/Clips" => ["example.com/videos/clip"];
    squidguard_urls_deep_prefix: SquidGuardUrls "adult" b"example.com/a/b/c/d/e/\n",
        "http://example.com/A/B/C/D/E/F/G" => ["example.com/a/b/c/d/e/"];
    squidguard_urls_other_path: SquidGuardUrls "adult" b"example.com/Adult/\n",
        "http://example.com/adults/x" => [];

    // squidGuard `expressions`: matched against the lowercased URL.
    squidguard_expr_lower: SquidGuardExpressions "pornography" b"(^|[-/_.])porn([-/_.]|$)\n",
        "http://example.org/porn/x" => ["regex:(^|[-/_.])porn([-/_.]|$)"];
    squidguard_expr_upper: SquidGuardExpressions "pornography" b"(^|[-/_.])porn([-/_.]|$)\n",
        "http://example.org/PORN/x" => ["regex:(^|[-/_.])porn([-/_.]|$)"];
    squidguard_expr_title: SquidGuardExpressions "pornography" b"(^|[-/_.])porn([-/_.]|$)\n",
        "http://example.org/Porn.html" => ["regex:(^|[-/_.])porn([-/_.]|$)"];
    squidguard_expr_upper_pattern: SquidGuardExpressions "pornography" b"/XXX/\n",
        "http://example.org/xxx/1" => ["regex:/XXX/"];
    squidguard_expr_no_match: SquidGuardExpressions "pornography" b"(^|[-/_.])porn([-/_.]|$)\n",
        "http://example.org/PORNO/x" => [];

    // e2guardian URL and regexp lists: lowercased too.
    e2guardian_url_upper_request: E2Url "adult" b"example.net/Videos/\n",
        "http://example.net/VIDEOS/1" => ["example.net/videos"];
    e2guardian_url_lower_request: E2Url "adult" b"example.net/Videos/\n",
        "http://example.net/videos/1" => ["example.net/videos"];
    e2guardian_regexp_upper_request: E2Regexp "gambling" b"casino[0-9]+\n",
        "http://example.net/CASINO24/" => ["regex:casino[0-9]+"];

    // IWF: exact, case-sensitive digests.
    iwf_same_case: Iwf "child-abuse" b"iwf-test.esafety.invalid/Abuse/Page-1.html\n",
        "http://iwf-test.esafety.invalid/Abuse/Page-1.html" => ["sha256:"];
    iwf_other_case: Iwf "child-abuse" b"iwf-test.esafety.invalid/Abuse/Page-1.html\n",
        "http://iwf-test.esafety.invalid/abuse/page-1.html" => [];
    iwf_upper_request: Iwf "child-abuse" b"iwf-test.esafety.invalid/abuse/page-1.html\n",
        "http://iwf-test.esafety.invalid/ABUSE/page-1.html" => [];
    terrorism_squidguard_urls_stay_exact: SquidGuardUrls "terrorism" b"terror.esafety.invalid/Media/\n",
        "http://terror.esafety.invalid/media/x" => [];
    terrorism_squidguard_urls_same_case: SquidGuardUrls "terrorism" b"terror.esafety.invalid/Media/\n",
        "http://terror.esafety.invalid/Media/" => ["sha256:"];

    // Plain lists: case-sensitive, as Safe Browsing expressions are.
    plain_same_case: Plain "adult" b"example.org/Dir/\n",
        "http://example.org/Dir/x" => ["example.org/Dir/"];
    plain_other_case: Plain "adult" b"example.org/Dir/\n",
        "http://example.org/dir/x" => [];
    plain_upper_request: Plain "adult" b"example.org/dir/\n",
        "http://example.org/DIR/x" => [];
};

#[test]
fn path_case_table() {
    let mut failures = Vec::new();
    for case in CASES {
        let c = compile(&[(case.name, case.category, case.format, case.list)]);
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
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A folded lookup matches only the lists whose entry at that key ignores
/// case: a plain (exact) entry at the same lowercase key does not match a
/// request in upper case, though the squidGuard one does.
#[test]
fn folded_lookup_matches_only_case_ignoring_lists() {
    let c = compile(&[
        (
            "exact",
            "adult",
            Format::Plain,
            b"example.com/adult/\nexample.com/page\n",
        ),
        (
            "squid",
            "adult",
            Format::SquidGuardUrls,
            b"example.com/adult/\nexample.com/page\n",
        ),
    ]);
    let both = |e: &str| {
        vec![
            ("exact".to_owned(), e.to_owned()),
            ("squid".to_owned(), e.to_owned()),
        ]
    };
    let squid = |e: &str| vec![("squid".to_owned(), e.to_owned())];
    assert_eq!(
        hits(&c, "http://example.com/adult/x"),
        both("example.com/adult/")
    );
    assert_eq!(
        hits(&c, "http://example.com/ADULT/x"),
        squid("example.com/adult/")
    );
    assert_eq!(
        hits(&c, "http://example.com/page"),
        both("example.com/page")
    );
    assert_eq!(
        hits(&c, "http://example.com/Page"),
        squid("example.com/page")
    );
}

/// Within one Adblock list, a `$match-case` rule stays exact beside a rule
/// for the same path that ignores case.
#[test]
fn match_case_and_case_ignoring_rules_in_one_list() {
    let c = compile(&[(
        "ads",
        "local-ads",
        Format::Adblock,
        b"||a.example/Exact/$match-case\n||a.example/any/\n",
    )]);
    assert_eq!(
        hits(&c, "http://a.example/Exact/1"),
        [("ads".to_owned(), "a.example/Exact/".to_owned())]
    );
    assert!(hits(&c, "http://a.example/exact/1").is_empty());
    assert!(hits(&c, "http://a.example/EXACT/1").is_empty());
    assert_eq!(
        hits(&c, "http://a.example/ANY/1"),
        [("ads".to_owned(), "a.example/any/".to_owned())]
    );
}

/// The canonical URL keeps the path's case (Safe Browsing does): only the
/// lookup folds.
#[test]
fn canonical_url_keeps_path_case() {
    let c = compile(&[(
        "squid",
        "adult",
        Format::SquidGuardUrls,
        b"example.com/Adult/\n",
    )]);
    let report = c.report("HTTP://Example.COM/ADULT/X").unwrap();
    assert_eq!(report.canonical, "http://example.com/ADULT/X");
    assert_eq!(
        report.matches.first().map(|m| m.expression.as_str()),
        Some("example.com/adult/")
    );
}

/// A version 1 bundle stored case-ignoring entries as written, a version
/// 2 one had one regex DFA and no squidGuard `urls` section, a version 3
/// one gave e2guardian expressions squidGuard's input, a version 4 one
/// had dense automata only (a version 4 esafety cannot read version 5's
/// sparse ones, so versions are matched exactly): all are refused, and
/// the message says to recompile.
#[test]
fn older_bundles_are_refused_with_recompile_advice() {
    assert_eq!(FORMAT_VERSION, 5);
    for old in [1u32, 2, 3, 4] {
        let mut bytes = esafety::sample::bundle_bytes();
        bytes.splice(12..16, old.to_le_bytes());
        esafety::bundle::reseal_checksum(&mut bytes);
        let err = Bundle::from_bytes(bytes).unwrap_err();
        assert_eq!(
            err,
            BundleError::UnsupportedVersion {
                found: old,
                supported: 5
            }
        );
        assert!(err.to_string().contains("recompile the bundle"), "{err}");
    }
}

/// `path` with the letters whose bit in `mask` is set in upper case.
fn recase(path: &str, mask: u64) -> String {
    path.chars()
        .enumerate()
        .map(|(i, ch)| {
            if mask >> (i % 64) & 1 == 1 {
                ch.to_ascii_uppercase()
            } else {
                ch
            }
        })
        .collect()
}

proptest! {
    /// Any ASCII re-casing of a listed path (and of the list line) matches
    /// a case-ignoring entry (squidGuard `urls`, Adblock, squidGuard
    /// `expressions`) and matches an exact one (IWF, plain) only when it is
    /// the listed case.
    #[test]
    fn any_recasing_matches_case_ignoring_entries_only(
        // At most three components: the IWF entry is reached through the
        // lookup expressions, which cover four path prefixes.
        path in "[a-z0-9]{1,6}(/[a-z0-9_-]{1,6}){0,2}",
        word in "[a-z]{4,8}",
        list_mask in any::<u64>(),
        url_mask in any::<u64>(),
    ) {
        let listed = recase(&path, list_mask);
        let requested = recase(&path, url_mask);
        let squid = format!("case.example/{listed}/\n");
        let adblock = format!("||case.example/{listed}/\n");
        let expr = format!("/{}/\n", recase(&word, list_mask));
        let exact = format!("case.example/{listed}/\n");
        let c = compile(&[
            ("adblock", "local-ads", Format::Adblock, adblock.as_bytes()),
            ("expr", "pornography", Format::SquidGuardExpressions, expr.as_bytes()),
            ("iwf", "child-abuse", Format::Iwf, exact.as_bytes()),
            ("plain", "adult", Format::Plain, exact.as_bytes()),
            ("squid", "adult", Format::SquidGuardUrls, squid.as_bytes()),
        ]);
        let url = format!("http://case.example/{requested}/{}/x", recase(&word, url_mask));
        let lists: Vec<String> = hits(&c, &url).into_iter().map(|(l, _)| l).collect();
        let mut expected = vec!["adblock", "expr"];
        if requested == listed {
            expected.extend(["iwf", "plain"]);
        }
        expected.push("squid");
        prop_assert_eq!(lists, expected, "{} for list path {}", url, listed);
    }
}
