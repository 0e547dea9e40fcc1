//! Table-driven, named cases for every list parser: one line of input, the
//! entries it becomes, and how many lines were skipped or ignored.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test helpers fail loudly"
)]

use esafety::lists::{EntryKind, Format, ParseOptions, parse};

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
/// Adblock `||host/path` string prefixes, exact and case-ignoring.
fn sp(s: &str) -> EntryKind {
    EntryKind::UrlStringPrefix(s.to_owned())
}
fn spi(s: &str) -> EntryKind {
    EntryKind::UrlStringPrefixNoCase(s.to_owned())
}
fn sg(s: &str) -> EntryKind {
    EntryKind::SquidGuardUrl(s.to_owned())
}
fn sx(s: &str) -> EntryKind {
    EntryKind::SquidGuardExpression(s.to_owned())
}
fn e2x(s: &str) -> EntryKind {
    EntryKind::E2guardianExpression(s.to_owned())
}

/// `case!(name, format, input, [entries], skipped, ignored)`
macro_rules! case {
    ($name:ident, $format:ident, $input:expr, [$($entry:expr),* $(,)?], $skipped:expr, $ignored:expr) => {
        #[test]
        fn $name() {
            let parsed = parse(Format::$format, "t.txt", $input.as_bytes(), &ParseOptions::new()).unwrap();
            let kinds: Vec<EntryKind> = parsed.entries.iter().map(|e| e.kind.clone()).collect();
            let expected: Vec<EntryKind> = vec![$($entry),*];
            assert_eq!(kinds, expected, "entries of {:?}", $input);
            assert_eq!(parsed.skipped.len(), $skipped, "skipped of {:?}: {:?}", $input, parsed.skipped);
            assert_eq!(parsed.ignored, $ignored, "ignored of {:?}", $input);
        }
    };
}

// plain
case!(plain_host, Plain, "example.com", [d("example.com")], 0, 0);
// Plain lists keep the path's case (Safe Browsing expressions do).
case!(
    plain_path_case_kept,
    Plain,
    "Example.com/Dir/Page.html",
    [u("example.com/Dir/Page.html")],
    0,
    0
);
case!(
    plain_host_uppercase_trailing_dot,
    Plain,
    "WWW.Example.COM.",
    [d("www.example.com")],
    0,
    0
);
case!(
    plain_idn_host,
    Plain,
    "bücher.example",
    [d("xn--bcher-kva.example")],
    0,
    0
);
case!(
    plain_ipv4_octal,
    Plain,
    "0300.0250.0.1",
    [d("192.168.0.1")],
    0,
    0
);
case!(
    plain_ipv6_literal,
    Plain,
    "[2001:DB8:0::1]",
    [d("[2001:db8::1]")],
    0,
    0
);
case!(plain_ipv6_without_brackets, Plain, "2001:db8::1", [], 1, 0);
case!(
    plain_leading_star_dot,
    Plain,
    "*.example.com",
    [d("example.com")],
    0,
    0
);
case!(
    plain_leading_dot,
    Plain,
    ".example.com",
    [d("example.com")],
    0,
    0
);
case!(
    plain_url_root_is_domain,
    Plain,
    "https://example.com/",
    [d("example.com")],
    0,
    0
);
case!(
    plain_host_with_port,
    Plain,
    "example.com:8080",
    [d("example.com")],
    0,
    0
);
case!(
    plain_dir_is_prefix,
    Plain,
    "example.com/dir/",
    [p("example.com/dir/")],
    0,
    0
);
case!(
    plain_dir_dotdot_resolved,
    Plain,
    "example.com/a/../dir/",
    [p("example.com/dir/")],
    0,
    0
);
case!(
    plain_file_is_page,
    Plain,
    "http://Example.com/a/page.html",
    [u("example.com/a/page.html")],
    0,
    0
);
case!(
    plain_query_is_page,
    Plain,
    "example.com/dir/?q=1",
    [u("example.com/dir/?q=1")],
    0,
    0
);
case!(
    plain_fragment_dropped,
    Plain,
    "example.com/page#top",
    [u("example.com/page")],
    0,
    0
);
case!(
    plain_percent_escapes,
    Plain,
    "example.com/%7Euser/x",
    [u("example.com/~user/x")],
    0,
    0
);
case!(
    plain_star_in_path_is_literal,
    Plain,
    "example.com/a*b",
    [u("example.com/a*b")],
    0,
    0
);
case!(plain_comment, Plain, "# just a comment", [], 0, 0);
case!(
    plain_inline_comment,
    Plain,
    "example.com # note",
    [d("example.com")],
    0,
    0
);
case!(plain_blank_lines, Plain, "\n\n  \n", [], 0, 0);
case!(
    plain_crlf,
    Plain,
    "a.example\r\nb.example\r\n",
    [d("a.example"), d("b.example")],
    0,
    0
);
case!(plain_space_inside, Plain, "not a host", [], 1, 0);
case!(plain_single_label, Plain, "intranet", [], 1, 0);
case!(plain_wildcard_in_host, Plain, "ex*ample.com", [], 1, 0);
case!(plain_bad_ipv6, Plain, "http://[zz::1]/", [], 1, 0);
case!(plain_bad_scheme, Plain, "javascript:alert(1)", [], 1, 0);
case!(plain_bad_char_in_host, Plain, "exa!mple.com", [], 1, 0);
case!(
    plain_long_label,
    Plain,
    &format!("{}.com", "a".repeat(64)),
    [],
    1,
    0
);

// hosts
case!(
    hosts_ipv6_zone_is_an_address,
    Hosts,
    "fe80::1%lo0 localhost\nfe80::1%en0 ads.example\nfe80::1% bad.example",
    [d("ads.example")],
    1,
    1
);
case!(
    hosts_zero,
    Hosts,
    "0.0.0.0 ads.example",
    [d("ads.example")],
    0,
    0
);
case!(
    hosts_loopback_tab,
    Hosts,
    "127.0.0.1\tads.example",
    [d("ads.example")],
    0,
    0
);
case!(
    hosts_several,
    Hosts,
    "0.0.0.0 a.example b.example",
    [d("a.example"), d("b.example")],
    0,
    0
);
case!(
    hosts_comment_after,
    Hosts,
    "0.0.0.0 a.example # ads",
    [d("a.example")],
    0,
    0
);
case!(
    hosts_localhost_ignored,
    Hosts,
    "127.0.0.1 localhost",
    [],
    0,
    1
);
case!(
    hosts_ipv6_locals_ignored,
    Hosts,
    "::1 localhost ip6-localhost ip6-loopback",
    [],
    0,
    3
);
case!(hosts_zero_zero_ignored, Hosts, "0.0.0.0 0.0.0.0", [], 0, 1);
case!(
    hosts_broadcast_ignored,
    Hosts,
    "255.255.255.255 broadcasthost",
    [],
    0,
    1
);
case!(hosts_no_address, Hosts, "ads.example", [], 1, 0);
case!(hosts_address_only, Hosts, "0.0.0.0", [], 1, 0);
case!(
    hosts_bad_host,
    Hosts,
    "0.0.0.0 bad!host.example ok.example",
    [d("ok.example")],
    1,
    0
);

// adblock
case!(
    adblock_host_rule,
    Adblock,
    "||ads.example^",
    [d("ads.example")],
    0,
    0
);
case!(
    adblock_host_rule_no_caret,
    Adblock,
    "||ads.example",
    [d("ads.example")],
    0,
    0
);
case!(
    adblock_important,
    Adblock,
    "||ads.example^$important",
    [d("ads.example")],
    0,
    0
);
case!(
    adblock_document,
    Adblock,
    "||ads.example^$document",
    [d("ads.example")],
    0,
    0
);
case!(
    adblock_third_party_ignored,
    Adblock,
    "||ads.example^$third-party",
    [],
    0,
    1
);
case!(
    adblock_mixed_options_ignored,
    Adblock,
    "||ads.example^$important,script",
    [],
    0,
    1
);
case!(
    adblock_domain_option_ignored,
    Adblock,
    "||ads.example^$domain=a.example",
    [],
    0,
    1
);
case!(
    adblock_prefix,
    Adblock,
    "||cdn.example/ads/",
    [pi("cdn.example/ads/")],
    0,
    0
);
case!(
    adblock_page,
    Adblock,
    "||cdn.example/ads.js^",
    [ui("cdn.example/ads.js"), pi("cdn.example/ads.js/")],
    0,
    0
);
// `||host/path` with no trailing `/` or `^`, or with a query: a string
// prefix (Adblock matches every URL that starts with it).
case!(
    adblock_string_prefix,
    Adblock,
    "||multporn.net/Frunti_",
    [spi("multporn.net/frunti_")],
    0,
    0
);
case!(
    adblock_string_prefix_empty_query,
    Adblock,
    "||qq.com/stats?",
    [spi("qq.com/stats?")],
    0,
    0
);
case!(
    adblock_string_prefix_query,
    Adblock,
    "||xnxx.com/in.php?referer",
    [spi("xnxx.com/in.php?referer")],
    0,
    0
);
case!(
    adblock_string_prefix_query_ending_in_slash,
    Adblock,
    "||a.example/r?u=http://b.example/",
    [spi("a.example/r?u=http://b.example/")],
    0,
    0
);
case!(
    adblock_string_prefix_match_case,
    Adblock,
    "||cdn.example/Ads.js$match-case",
    [sp("cdn.example/Ads.js")],
    0,
    0
);
case!(
    adblock_query_with_separator_exact,
    Adblock,
    "||a.example/p?id=1^",
    [ui("a.example/p?id=1")],
    0,
    0
);
case!(
    adblock_path_wildcard_ignored,
    Adblock,
    "||cdn.example/*/ads",
    [],
    0,
    1
);
case!(
    adblock_wildcard_host_ignored,
    Adblock,
    "||*.example^",
    [],
    0,
    1
);
case!(adblock_partial_host_ignored, Adblock, "||ads.", [], 0, 1);
case!(
    adblock_port_ignored,
    Adblock,
    "||ads.example:8080^",
    [],
    0,
    1
);
case!(
    adblock_exception_ignored,
    Adblock,
    "@@||ads.example^",
    [],
    0,
    1
);
case!(
    adblock_cosmetic_ignored,
    Adblock,
    "example.com##.ad",
    [],
    0,
    1
);
case!(
    adblock_generic_cosmetic_ignored,
    Adblock,
    "##.ad-banner",
    [],
    0,
    1
);
case!(
    adblock_scriptlet_ignored,
    Adblock,
    "example.com#%#//scriptlet('x')",
    [],
    0,
    1
);
case!(
    adblock_html_filter_ignored,
    Adblock,
    "example.com$$script[tag-content=\"ad\"]",
    [],
    0,
    1
);
case!(
    adblock_anchor_ignored,
    Adblock,
    "|http://ads.example/",
    [],
    0,
    1
);
case!(adblock_regex_ignored, Adblock, "/banner[0-9]+/", [], 0, 1);
case!(adblock_substring_ignored, Adblock, "-ad-banner.", [], 0, 1);
case!(
    adblock_file_pattern_ignored,
    Adblock,
    "adsbygoogle.js",
    [],
    0,
    1
);
case!(
    adblock_bare_host,
    Adblock,
    "bare.example.com",
    [d("bare.example.com")],
    0,
    0
);
case!(
    adblock_bare_host_punycode_tld,
    Adblock,
    "bad.xn--p1ai",
    [d("bad.xn--p1ai")],
    0,
    0
);
case!(
    adblock_bare_host_idn,
    Adblock,
    "плохой.рф",
    [d("xn--i1adjac2b.xn--p1ai")],
    0,
    0
);
case!(
    adblock_bare_ipv4,
    Adblock,
    "198.51.100.7",
    [d("198.51.100.7")],
    0,
    0
);
case!(
    adblock_bare_numbers_are_not_a_host,
    Adblock,
    "1.2.3\nv1.2",
    [],
    0,
    2
);
case!(adblock_comment, Adblock, "! Title: x", [], 0, 0);
case!(adblock_header, Adblock, "[Adblock Plus 2.0]", [], 0, 0);
case!(
    adblock_bad_host_skipped,
    Adblock,
    "||bad!host.example^",
    [],
    1,
    0
);

// squidGuard / UT1
case!(
    sg_domains,
    SquidGuardDomains,
    "ads.example\nTracker.Example",
    [d("ads.example"), d("tracker.example")],
    0,
    0
);
case!(
    sg_domains_ip,
    SquidGuardDomains,
    "10.1.2.3",
    [d("10.1.2.3")],
    0,
    0
);
case!(
    sg_domains_path_rejected,
    SquidGuardDomains,
    "ads.example/x",
    [],
    1,
    0
);
case!(
    sg_urls_page,
    SquidGuardUrls,
    "site.example/dir",
    [sg("site.example/dir")],
    0,
    0
);
case!(
    sg_urls_dir,
    SquidGuardUrls,
    "site.example/dir/",
    [sg("site.example/dir/")],
    0,
    0
);
case!(
    sg_urls_host_only,
    SquidGuardUrls,
    "site.example",
    [sg("site.example/")],
    0,
    0
);
case!(
    sg_urls_query,
    SquidGuardUrls,
    "site.example/p?id=3",
    [sg("site.example/p?id=3")],
    0,
    0
);
case!(sg_urls_bad, SquidGuardUrls, "bad url.example/x", [], 1, 0);
// squidGuard lowercases list keys: a listed path is stored folded.
case!(
    sg_urls_mixed_case_folded,
    SquidGuardUrls,
    "Site.Example/Adult/Page?ID=3",
    [sg("site.example/adult/page?id=3")],
    0,
    0
);
case!(
    e2_url_mixed_case_folded,
    E2Url,
    "banned.example/Dir/",
    [
        pi("banned.example/dir"),
        spi("banned.example/dir&"),
        spi("banned.example/dir=")
    ],
    0,
    0
);
// Adblock filters ignore case; `$match-case` keeps the rule exact.
case!(
    adblock_mixed_case_folded,
    Adblock,
    "||cdn.example/Ads/",
    [pi("cdn.example/ads/")],
    0,
    0
);
case!(
    adblock_match_case_exact,
    Adblock,
    "||cdn.example/Ads/$match-case",
    [p("cdn.example/Ads/")],
    0,
    0
);
case!(
    adblock_match_case_page_exact,
    Adblock,
    "||cdn.example/Ads.js^$important,match-case",
    [u("cdn.example/Ads.js"), p("cdn.example/Ads.js/")],
    0,
    0
);
case!(
    adblock_match_case_narrowed_ignored,
    Adblock,
    "||cdn.example/Ads/$script,match-case",
    [],
    0,
    1
);
// squidGuard chops `www`/`web`/`ftp` from requests, never from lines
// (squidGuard 1.6: `www.chop.example/page` blocks neither
// `chop.example/page` nor `www2.chop.example/page`).
case!(
    sg_urls_www_is_kept,
    SquidGuardUrls,
    "www.site.example/dir",
    [sg("www.site.example/dir")],
    0,
    0
);
case!(
    sg_urls_scheme_dropped_labels_kept,
    SquidGuardUrls,
    "www2.a.example/x/\nhttp://web.b.example/y/\nftp3.c.example/z/",
    [
        sg("www2.a.example/x/"),
        sg("web.b.example/y/"),
        sg("ftp3.c.example/z/")
    ],
    0,
    0
);
// The first word is the key; the rest is squidGuard's redirect address.
case!(
    sg_urls_first_word_is_the_key,
    SquidGuardUrls,
    "site.example/x http://redirect.example/",
    [sg("site.example/x")],
    0,
    0
);
case!(
    sg_urls_fragment_dropped,
    SquidGuardUrls,
    "sexcams4u.example/#content",
    [sg("sexcams4u.example/")],
    0,
    0
);
case!(
    sg_urls_string_prefix_kept_as_written,
    SquidGuardUrls,
    "shop.example/masturbateurs-\nforum.example/forumdisplay.php?f=255",
    [
        sg("shop.example/masturbateurs-"),
        sg("forum.example/forumdisplay.php?f=255")
    ],
    0,
    0
);
case!(
    e2_urls_keep_www,
    E2Url,
    "www.site.example/dir/",
    [
        pi("www.site.example/dir"),
        spi("www.site.example/dir&"),
        spi("www.site.example/dir=")
    ],
    0,
    0
);
case!(
    sg_expressions,
    SquidGuardExpressions,
    "(^|\\.)porn[0-9]*\\.example/",
    [sx("(^|\\.)porn[0-9]*\\.example/")],
    0,
    0
);
case!(
    sg_expressions_bad,
    SquidGuardExpressions,
    "(unclosed",
    [],
    1,
    0
);
case!(
    sg_expressions_backreference_bad,
    SquidGuardExpressions,
    "(a)\\1",
    [],
    1,
    0
);

// e2guardian (no includes here; see lists_fixtures.rs)
case!(
    e2_site,
    E2Site,
    "banned.example",
    [d("banned.example")],
    0,
    0
);
case!(
    e2_site_blanket_ignored,
    E2Site,
    "**\n**s\n*ip\n*ips",
    [],
    0,
    4
);
case!(
    e2_site_listcategory_not_entry,
    E2Site,
    "#listcategory: \"Ads\"",
    [],
    0,
    0
);
case!(
    e2_site_include_without_loader,
    E2Site,
    ".Include</x/y>",
    [],
    1,
    0
);
case!(e2_site_malformed_include, E2Site, ".Include</x/y", [], 1, 0);
case!(
    e2_url,
    E2Url,
    "banned.example/dir",
    [
        pi("banned.example/dir"),
        spi("banned.example/dir&"),
        spi("banned.example/dir=")
    ],
    0,
    0
);
case!(
    e2_regexp,
    E2Regexp,
    "bad[0-9]+\\.example",
    [e2x("bad[0-9]+\\.example")],
    0,
    0
);
case!(e2_regexp_bad, E2Regexp, "foo(bar", [], 1, 0);

// IWF (not sensitive here; see lists_sensitive.rs)
case!(
    iwf_url,
    Iwf,
    "http://iwf.example/a/b.jpg",
    [u("iwf.example/a/b.jpg")],
    0,
    0
);
case!(iwf_host_only, Iwf, "iwf.example", [u("iwf.example/")], 0, 0);
case!(
    iwf_query,
    Iwf,
    "iwf.example/p.php?id=7#x",
    [u("iwf.example/p.php?id=7")],
    0,
    0
);
case!(
    iwf_digest,
    Iwf,
    &"ab".repeat(32),
    [EntryKind::Digest([0xab; 32])],
    0,
    0
);
case!(
    iwf_digest_upper,
    Iwf,
    &"AB".repeat(32),
    [EntryKind::Digest([0xab; 32])],
    0,
    0
);
case!(iwf_short_digest, Iwf, &"ab".repeat(16), [], 1, 0);
case!(iwf_bad_url, Iwf, "not a url", [], 1, 0);

#[test]
fn line_numbers_are_one_based_and_count_blank_lines() {
    let parsed = parse(
        Format::Plain,
        "t",
        b"# c\n\na.example\n\nb.example",
        &ParseOptions::new(),
    )
    .unwrap();
    let lines: Vec<usize> = parsed.entries.iter().map(|e| e.line).collect();
    assert_eq!(lines, [3, 5]);
}

#[test]
fn not_utf8_and_overlong_lines_are_skipped_with_reasons() {
    let mut bytes = b"ok.example\nbad\xff.example\n".to_vec();
    bytes.extend(std::iter::repeat_n(b'a', 9000));
    bytes.extend(b".example\n");
    let parsed = parse(Format::Plain, "t", &bytes, &ParseOptions::new()).unwrap();
    assert_eq!(parsed.entries.len(), 1);
    let reasons: Vec<String> = parsed.skipped.iter().map(ToString::to_string).collect();
    assert_eq!(
        reasons,
        [
            "t:2: the line is not valid UTF-8; save the list as UTF-8 or remove the line",
            "t:3: the line is 9008 bytes long, over the 8192-byte limit `max_list_line_len`; remove or shorten it",
        ]
    );
}

#[test]
fn a_bad_host_character_is_named_as_the_list_wrote_it() {
    // The canonical host writes `:` as `%3A`; the reason must not blame a
    // `%` the line does not have.
    let parsed = parse(
        Format::Plain,
        "t",
        // Good lines first: a file with more bad lines than entries is not
        // a list, and none of its lines is quoted.
        b"a.example\nb.example\nc.example\n2001:db8::1\nbad_host!.example\n",
        &ParseOptions::new(),
    )
    .unwrap();
    let reasons: Vec<String> = parsed.skipped.iter().map(ToString::to_string).collect();
    assert_eq!(
        reasons,
        [
            "t:4: `2001:db8::1` is not a valid host name (`:` cannot appear in a host name; an IPv6 address is written in brackets, as in `[2001:db8::1]`); fix or remove the line",
            "t:5: `bad_host!.example` is not a valid host name (`!` cannot appear in a host name); fix or remove the line",
        ]
    );
}

#[test]
fn every_format_id_round_trips() {
    for &f in Format::ALL {
        assert_eq!(f.id().parse::<Format>().unwrap(), f);
        assert_eq!(f.to_string(), f.id());
    }
    let err = "nope".parse::<Format>().unwrap_err();
    assert!(
        err.to_string()
            .starts_with("unknown list format `nope`; use one of: plain, hosts")
    );
}
