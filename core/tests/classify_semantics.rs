//! The matching semantics of `esafety::classify` (crate docs, "Matching
//! semantics"), one named case per line.
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
use proptest::prelude::*;

fn e(kind: EntryKind) -> Entry {
    Entry { kind, line: 1 }
}
fn d(s: &str) -> EntryKind {
    EntryKind::Domain(s.into())
}
fn u(s: &str) -> EntryKind {
    EntryKind::Url(s.into())
}
fn p(s: &str) -> EntryKind {
    EntryKind::UrlPrefix(s.into())
}
fn r(s: &str) -> EntryKind {
    EntryKind::Regex(s.into())
}

/// A bundle with one list per (name, category, entries).
fn classifier(lists: &[(&str, &str, Vec<EntryKind>)], allow: &[EntryKind]) -> Classifier {
    let mut b = BundleBuilder::new();
    for (name, cat, entries) in lists {
        let id = b.add_list(name, cat).unwrap();
        for k in entries {
            b.add_entry(id, &e(k.clone())).unwrap();
        }
    }
    if !allow.is_empty() {
        let id = b.add_allow_list("allow").unwrap();
        for k in allow {
            b.add_entry(id, &e(k.clone())).unwrap();
        }
    }
    Classifier::new(Bundle::from_bytes(b.build().unwrap()).unwrap())
}

/// (list, expression) pairs of the matches for `url`.
fn hits(c: &Classifier, url: &str) -> Vec<(String, String)> {
    c.classify_str(url)
        .unwrap()
        .matches
        .iter()
        .map(|m| (m.list.to_owned(), m.expression.clone()))
        .collect()
}

fn lists_hit(c: &Classifier, url: &str) -> Vec<String> {
    let mut v: Vec<String> = hits(c, url).into_iter().map(|(l, _)| l).collect();
    v.dedup();
    v
}

macro_rules! cases {
    ($c:expr; $( $name:ident: $url:expr => [$($list:expr),*] ;)*) => {{
        let c = $c;
        let mut failures = Vec::new();
        $(
            let want: Vec<String> = vec![$($list.to_string()),*];
            let got = lists_hit(&c, $url);
            if got != want {
                failures.push(format!("{}: {} => {:?}, want {:?}", stringify!($name), $url, got, want));
            }
        )*
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }};
}

#[test]
fn domains_match_on_label_boundaries() {
    cases! { classifier(&[("g", "gambling", vec![d("example.com"), d("192.0.2.1"), d("co.uk.example")])], &[]);
        exact_host: "http://example.com/" => ["g"];
        subdomain: "http://a.example.com/x" => ["g"];
        deep_subdomain: "http://a.b.c.d.e.f.g.example.com/x?y" => ["g"];
        upper_case_and_dot: "HTTP://A.EXAMPLE.COM./" => ["g"];
        not_suffix_without_dot: "http://notexample.com/" => [];
        domain_as_prefix: "http://example.com.evil.test/" => [];
        parent_not_matched: "http://com/" => [];
        other_tld: "http://example.org/" => [];
        in_path_only: "http://evil.test/example.com" => [];
        ip_exact: "http://192.0.2.1/a" => ["g"];
        ip_octal: "http://0300.0.02.1/" => ["g"];
        ip_decimal: "http://3221225985/" => ["g"];
        ip_other: "http://192.0.2.11/" => [];
    }
}

#[test]
fn url_entries_match_through_lookup_expressions() {
    cases! { classifier(&[("u", "malware-hacking", vec![u("example.com/a/b.html"), u("example.com/q.php?id=1"), u("example.com/dir/")])], &[]);
        page: "http://example.com/a/b.html" => ["u"];
        page_any_query: "http://example.com/a/b.html?x=1" => ["u"];
        page_subdomain_www: "http://www.example.com/a/b.html" => ["u"];
        page_fragment: "http://example.com/a/b.html#frag" => ["u"];
        page_encoded: "http://example.com/a/%62.html" => ["u"];
        page_dot_segments: "http://example.com/x/../a/./b.html" => ["u"];
        other_page: "http://example.com/a/c.html" => [];
        longer_page: "http://example.com/a/b.html/x" => [];
        domain_not_widened: "http://example.com/" => [];
        other_host: "http://example.org/a/b.html" => [];
        query_exact: "http://example.com/q.php?id=1" => ["u"];
        query_other: "http://example.com/q.php?id=2" => [];
        query_missing: "http://example.com/q.php" => [];
        dir_expression: "http://example.com/dir/page.html" => ["u"];
        dir_prefix_not_path_boundary: "http://example.com/directory" => [];
    }
}

#[test]
fn url_prefixes_match_below_at_any_depth() {
    cases! { classifier(&[("p", "piracy", vec![p("example.com/dl/"), p("example.net/files")])], &[]);
        dir_itself: "http://example.com/dl/" => ["p"];
        one_below: "http://example.com/dl/a" => ["p"];
        deep_below: "http://example.com/dl/a/b/c/d/e/f/g.zip?x=1" => ["p"];
        subdomain: "http://www.example.com/dl/a/b/c/d/e" => ["p"];
        sibling: "http://example.com/dlx/a" => [];
        parent: "http://example.com/" => [];
        no_slash_boundary_exact: "http://example.net/files" => ["p"];
        no_slash_boundary_below: "http://example.net/files/a/b/c/d/e/f" => ["p"];
        no_slash_boundary_query: "http://example.net/files?x" => ["p"];
        no_slash_not_boundary: "http://example.net/filesystem" => [];
    }
}

#[test]
fn regexes_match_host_path_query() {
    cases! { classifier(&[("re", "circumvention", vec![r(r"^[^/]+/(browse|proxy)\.php\?u="), r("casino")])], &[]);
        proxy_script: "http://anything.test/browse.php?u=http%3A%2F%2Fx" => ["re"];
        word_in_host: "http://bestcasino.test/" => ["re"];
        word_in_path: "http://x.test/a/casino/b" => ["re"];
        no_match: "http://x.test/browse.php?v=1" => [];
    }
}

#[test]
fn allow_amendments_unblock_all_but_the_statutory_categories() {
    let c = classifier(
        &[
            ("social", "social-networking", vec![d("reddit.com")]),
            (
                "iwf",
                "child-abuse",
                vec![u("reddit.com/r/learnprogramming/bad.html")],
            ),
        ],
        &[p("reddit.com/r/learnprogramming/"), d("iwf-allowed.test")],
    );
    cases! { c;
        blocked_elsewhere: "http://reddit.com/r/other" => ["social"];
        allowed_below: "http://www.reddit.com/r/learnprogramming/x" => [];
        statutory_not_unblocked: "http://reddit.com/r/learnprogramming/bad.html" => ["iwf"];
    }
    let c = classifier(
        &[
            ("terror", "terrorism", vec![d("terror.test")]),
            ("g", "gambling", vec![d("terror.test")]),
        ],
        &[d("terror.test")],
    );
    let got = c.classify_str("http://terror.test/x").unwrap();
    assert_eq!(
        got.categories.iter().collect::<Vec<_>>(),
        vec![Category::Terrorism]
    );
}

#[test]
fn matches_name_list_category_and_expression_in_a_fixed_order() {
    let c = classifier(
        &[
            (
                "b-list",
                "gambling",
                vec![d("example.com"), d("a.example.com")],
            ),
            ("a-list", "local-exam-mode", vec![u("a.example.com/x")]),
        ],
        &[],
    );
    let got = c.classify_str("http://a.example.com/x?q").unwrap();
    let seen: Vec<(&str, &str, &str)> = got
        .matches
        .iter()
        .map(|m| (m.list, m.category_id, m.expression.as_str()))
        .collect();
    assert_eq!(
        seen,
        vec![
            ("a-list", "local-exam-mode", "a.example.com/x"),
            ("b-list", "gambling", "a.example.com/"),
            ("b-list", "gambling", "example.com/"),
        ]
    );
    let local = c.bundle().category_from_id("local-exam-mode").unwrap();
    assert!(got.categories.contains(local));
    assert!(got.categories.contains(Category::Gambling));
    let Category::Local(l) = local else {
        panic!("not local")
    };
    assert_eq!(c.bundle().local_category_name(l), Some("local-exam-mode"));
}

#[test]
fn unlisted_url_allocates_no_matches() {
    let c = classifier(&[("g", "gambling", vec![d("example.com")])], &[]);
    let got = c.classify_str("http://other.test/").unwrap();
    assert!(got.matches.is_empty() && got.matches.capacity() == 0);
}

#[test]
fn classifier_is_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<Classifier>();
    check::<Classifier<&'static [u8]>>();
    check::<Bundle>();
}

fn label() -> impl Strategy<Value = String> {
    "[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?"
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// A URL whose host is a listed domain or one of its subdomains always
    /// matches; a random host outside the list never does.
    #[test]
    fn listed_domains_and_subdomains_match_unlisted_do_not(
        listed in proptest::collection::btree_set((label(), label()), 1..20),
        sub in proptest::collection::vec(label(), 0..4),
        pick in any::<prop::sample::Index>(),
        path in "(/[a-z0-9]{0,5}){0,4}",
        other in (label(), label()),
    ) {
        let domains: Vec<String> = listed.iter().map(|(a, b)| format!("{a}.t{b}")).collect();
        let c = classifier(&[("l", "gambling", domains.iter().map(|s| d(s)).collect())], &[]);
        let host = pick.get(&domains);
        let mut full = sub.join(".");
        if !full.is_empty() { full.push('.'); }
        full.push_str(host);
        let got = c.classify_str(&format!("http://{full}{path}")).unwrap();
        prop_assert!(got.categories.contains(Category::Gambling), "{full}{path}");
        // Unlisted: a host under a TLD no listed domain uses.
        let unlisted = format!("{}.{}.unlisted-tld", other.0, other.1);
        let unlisted_url = format!("http://{unlisted}{path}");
        prop_assert!(c.classify_str(&unlisted_url).unwrap().matches.is_empty(), "{}", unlisted_url);
        // Gluing a listed domain onto a label without a dot never matches.
        let glued = format!("http://x{host}{path}");
        let g = c.classify_str(&glued).unwrap();
        prop_assert!(g.matches.iter().all(|m| m.expression != format!("{host}/")), "{glued}");
    }
}
