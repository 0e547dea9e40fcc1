//! Named cases for format detection.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test helpers fail loudly"
)]

use esafety::lists::{Format, detect};

macro_rules! detect_case {
    ($name:ident, $input:expr, $format:ident) => {
        #[test]
        fn $name() {
            assert_eq!(detect($input.as_bytes()), Format::$format, "{:?}", $input);
        }
    };
}

detect_case!(empty_is_plain, "", Plain);
detect_case!(comments_only_is_plain, "# a\n# b\n", Plain);
detect_case!(domains_are_plain, "a.example\nb.example\n", Plain);
detect_case!(
    urls_are_plain,
    "http://a.example/x\nb.example/y.html\n",
    Plain
);
detect_case!(adblock_header, "[Adblock Plus 2.0]\na.example\n", Adblock);
detect_case!(
    ipv6_first_line_is_not_a_header,
    "[2001:db8::1]\na.example\n",
    Plain
);
detect_case!(
    ipv6_hosts_are_not_regex_brackets,
    "a.example\n[::1]\nhttp://[2001:db8::1]/x\n",
    Plain
);
// Content never picks a regular-expression format: only the file name
// or an explicit `FORMAT:PATH` does (issue 27 item 3).
detect_case!(
    a_regex_after_an_ipv6_host_is_not_detected_as_regex,
    "[::1]/(a|b)\n^x.*$\n",
    Plain
);
detect_case!(
    urls_with_query_plus_and_parentheses_stay_urls,
    "badsite.example/search?q=free+bets\ncasino.example/promo(1).html\n",
    Plain
);
detect_case!(
    nano_header,
    "[Nano Adblocker]\n! Title: x\na.example\nb.example\n",
    Adblock
);
detect_case!(
    adblock_rules,
    "||a.example^\n||b.example^\nc.example\n",
    Adblock
);
detect_case!(
    adblock_comments_and_rules,
    "! Title\n||a.example^$third-party\n##.ad\n",
    Adblock
);
detect_case!(hosts_zero, "0.0.0.0 a.example\n0.0.0.0 b.example\n", Hosts);
detect_case!(
    hosts_with_header,
    "# hosts\n127.0.0.1 localhost\n::1 localhost\n0.0.0.0 a.example\n",
    Hosts
);
detect_case!(
    digests_are_iwf,
    concat!(
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n",
        "ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef0123456789\n"
    ),
    Iwf
);
detect_case!(
    regex_content_alone_is_not_expressions,
    "(^|\\.)porn\\.example\n^[a-z]+\\.xxx/\n",
    Plain
);
detect_case!(
    e2_listcategory_sites,
    "#listcategory: \"Ads\"\na.example\n",
    E2Site
);
detect_case!(
    e2_include_only,
    ".Include</etc/e2guardian/lists/x>\n",
    E2Site
);
detect_case!(
    e2_urls,
    "#listcategory: \"Ads\"\na.example/x\nb.example/y/\n",
    E2Url
);
detect_case!(
    e2_regex_content_alone_is_not_regexp,
    "#listcategory: \"Ads\"\n(^|\\.)a\\.example\nb[0-9]+\\.example\n",
    E2Url
);
detect_case!(binary_garbage_is_plain, "\u{0}\u{1}\u{2}", Plain);
detect_case!(
    majority_wins,
    "a.example\nb.example\nc.example\n0.0.0.0 d.example\n",
    Plain
);

macro_rules! detect_file_case {
    ($name:ident, $path:expr, $input:expr, $format:ident) => {
        #[test]
        fn $name() {
            assert_eq!(
                esafety::lists::detect_file($path, $input.as_bytes()),
                Format::$format,
                "{:?} {:?}",
                $path,
                $input
            );
        }
    };
}

detect_file_case!(
    file_named_urls_is_squidguard_urls,
    "blacklists/adult/urls",
    "site.example/dir\n",
    SquidGuardUrls
);
detect_file_case!(
    file_named_domains_is_squidguard_domains,
    "domains",
    "a.example\n",
    SquidGuardDomains
);
detect_file_case!(
    file_named_expressions_is_squidguard_expressions,
    "C:\\lists\\adult\\expressions",
    "porn\n",
    SquidGuardExpressions
);
detect_file_case!(
    e2guardian_includes_only_is_named_by_the_file,
    "/etc/e2guardian/lists/bannedregexpurllist",
    "#listcategory: \"Porn\"\n.Include<blacklists/porn/expressions>\n",
    E2Regexp
);
detect_file_case!(
    a_name_with_an_extension_is_detected_by_content,
    "urls.txt",
    "||ads.example^\n",
    Adblock
);
detect_file_case!(
    a_folder_called_urls_does_not_name_the_file,
    "urls/list.txt",
    "0.0.0.0 a.example\n",
    Hosts
);
