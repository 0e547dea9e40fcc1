//! Table-driven tests of `esafety::url::CanonicalUrl`: the canonicalization
//! examples published with the Safe Browsing v4 specification ("URLs and
//! Hashing"), evasion spellings, near-misses that must stay distinct,
//! errors, and lookup expression lists checked exactly.

use esafety::url::{CanonicalUrl, UrlError};

/// What a case expects.
#[derive(Debug, Clone, Copy)]
enum Want {
    /// This canonical string.
    Ok(&'static str),
    /// An error of this kind.
    Err(Kind),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Empty,
    TooLong,
    Scheme,
    EmptyHost,
    InvalidHost,
    BadIdn,
    Port,
}

fn kind(err: &UrlError) -> Option<Kind> {
    Some(match err {
        UrlError::Empty => Kind::Empty,
        UrlError::TooLong { .. } => Kind::TooLong,
        UrlError::UnsupportedScheme { .. } => Kind::Scheme,
        UrlError::EmptyHost => Kind::EmptyHost,
        UrlError::InvalidHost { .. } => Kind::InvalidHost,
        UrlError::BadIdn { .. } => Kind::BadIdn,
        UrlError::InvalidPort { .. } => Kind::Port,
        _ => return None,
    })
}

use Want::{Err as E, Ok as C};

const CASES: &[(&str, &str, Want)] = &[
    // --- The Safe Browsing v4 published examples, in the order published.
    (
        "sb_percent_25_32_35",
        "http://host/%25%32%35",
        C("http://host/%25"),
    ),
    (
        "sb_percent_twice",
        "http://host/%25%32%35%25%32%35",
        C("http://host/%25%25"),
    ),
    (
        "sb_percent_deep",
        "http://host/%2525252525252525",
        C("http://host/%25"),
    ),
    (
        "sb_percent_inside",
        "http://host/asdf%25%32%35asd",
        C("http://host/asdf%25asd"),
    ),
    (
        "sb_percent_stray",
        "http://host/%%%25%32%35asd%%",
        C("http://host/%25%25%25asd%25%25"),
    ),
    (
        "sb_plain",
        "http://www.google.com/",
        C("http://www.google.com/"),
    ),
    (
        "sb_escaped_ip_and_path",
        "http://%31%36%38%2e%31%38%38%2e%39%39%2e%32%36/%2E%73%65%63%75%72%65/%77%77%77%2E%65%62%61%79%2E%63%6F%6D/",
        C("http://168.188.99.26/.secure/www.ebay.com/"),
    ),
    (
        "sb_spaces_kept_escaped",
        "http://195.127.0.11/uploads/%20%20%20%20/.verify/.eBaysecure=updateuserdataxplimnbqmn-xplmvalidateinfoswqpcmlx=hgplmcx/",
        C(
            "http://195.127.0.11/uploads/%20%20%20%20/.verify/.eBaysecure=updateuserdataxplimnbqmn-xplmvalidateinfoswqpcmlx=hgplmcx/",
        ),
    ),
    (
        "sb_escaped_punctuation",
        "http://host%23.com/%257Ea%2521b%2540c%2523d%2524e%25f%255E00%252611%252A22%252833%252944_55%252B",
        C("http://host%23.com/~a!b@c%23d$e%25f^00&11*22(33)44_55+"),
    ),
    (
        "sb_ip_integer",
        "http://3279880203/blah",
        C("http://195.127.0.11/blah"),
    ),
    (
        "sb_dotdot_at_end",
        "http://www.google.com/blah/..",
        C("http://www.google.com/"),
    ),
    (
        "sb_no_scheme",
        "www.google.com/",
        C("http://www.google.com/"),
    ),
    (
        "sb_no_scheme_no_slash",
        "www.google.com",
        C("http://www.google.com/"),
    ),
    (
        "sb_fragment",
        "http://www.evil.com/blah#frag",
        C("http://www.evil.com/blah"),
    ),
    (
        "sb_host_case",
        "http://www.GOOgle.com/",
        C("http://www.google.com/"),
    ),
    (
        "sb_trailing_dots",
        "http://www.google.com.../",
        C("http://www.google.com/"),
    ),
    (
        "sb_tab_cr_lf",
        "http://www.google.com/foo\tbar\rbaz\n2",
        C("http://www.google.com/foobarbaz2"),
    ),
    (
        "sb_empty_query",
        "http://www.google.com/q?",
        C("http://www.google.com/q?"),
    ),
    (
        "sb_query_question",
        "http://www.google.com/q?r?",
        C("http://www.google.com/q?r?"),
    ),
    (
        "sb_query_questions",
        "http://www.google.com/q?r?s",
        C("http://www.google.com/q?r?s"),
    ),
    (
        "sb_two_fragments",
        "http://evil.com/foo#bar#baz",
        C("http://evil.com/foo"),
    ),
    (
        "sb_semicolon",
        "http://evil.com/foo;",
        C("http://evil.com/foo;"),
    ),
    (
        "sb_query_semicolon",
        "http://evil.com/foo?bar;",
        C("http://evil.com/foo?bar;"),
    ),
    // The published input is the raw bytes `\x01\x80`; a Rust `&str` cannot
    // hold a lone 0x80 byte, so the same bytes are given percent-escaped.
    (
        "sb_control_and_high_byte_host",
        "http://%01%80.com/",
        C("http://%01%80.com/"),
    ),
    (
        "sb_no_trailing_slash",
        "http://notrailingslash.com",
        C("http://notrailingslash.com/"),
    ),
    (
        "sb_port",
        "http://www.gotaport.com:1234/",
        C("http://www.gotaport.com/"),
    ),
    (
        "sb_surrounding_spaces",
        "  http://www.google.com/  ",
        C("http://www.google.com/"),
    ),
    (
        "sb_leading_space_host",
        "http:// leadingspace.com/",
        C("http://%20leadingspace.com/"),
    ),
    (
        "sb_escaped_space_host",
        "http://%20leadingspace.com/",
        C("http://%20leadingspace.com/"),
    ),
    (
        "sb_escaped_space_no_scheme",
        "%20leadingspace.com/",
        C("http://%20leadingspace.com/"),
    ),
    (
        "sb_https",
        "https://www.securesite.com/",
        C("https://www.securesite.com/"),
    ),
    (
        "sb_escaped_hash",
        "http://host.com/ab%23cd",
        C("http://host.com/ab%23cd"),
    ),
    (
        "sb_two_slashes",
        "http://host.com//twoslashes?more//slashes",
        C("http://host.com/twoslashes?more//slashes"),
    ),
    // --- IPv4 in every spelling.
    (
        "ip_dotted",
        "http://195.127.0.11/",
        C("http://195.127.0.11/"),
    ),
    (
        "ip_octal",
        "http://0303.0177.0.013/",
        C("http://195.127.0.11/"),
    ),
    (
        "ip_octal_padded",
        "http://000303.0177.00.013/",
        C("http://195.127.0.11/"),
    ),
    (
        "ip_hex_integer",
        "http://0xC37F000B/",
        C("http://195.127.0.11/"),
    ),
    (
        "ip_hex_parts",
        "http://0xc3.0x7f.0x0.0xb/",
        C("http://195.127.0.11/"),
    ),
    (
        "ip_hex_upper_prefix",
        "http://0XC3.0X7F.0.11/",
        C("http://195.127.0.11/"),
    ),
    (
        "ip_two_parts",
        "http://195.8323083/",
        C("http://195.127.0.11/"),
    ),
    (
        "ip_three_parts",
        "http://195.127.11/",
        C("http://195.127.0.11/"),
    ),
    (
        "ip_mixed_radix",
        "http://0xc3.0177.11/",
        C("http://195.127.0.11/"),
    ),
    (
        "ip_octal_integer",
        "http://030337600013/",
        C("http://195.127.0.11/"),
    ),
    (
        "ip_trailing_dot",
        "http://195.127.0.11./",
        C("http://195.127.0.11/"),
    ),
    (
        "ip_escaped_dots",
        "http://195%2e127%2e0%2e11/",
        C("http://195.127.0.11/"),
    ),
    (
        "ip_userinfo_port",
        "http://user:pw@195.127.0.11:8080/x",
        C("http://195.127.0.11/x"),
    ),
    ("ip_empty_hex", "http://0x/", C("http://0.0.0.0/")),
    ("ip_zero", "http://0/", C("http://0.0.0.0/")),
    ("ip_max", "http://4294967295/", C("http://255.255.255.255/")),
    (
        "ip_fullwidth",
        "http://\u{FF11}\u{FF19}\u{FF15}\u{FF0E}\u{FF11}\u{FF12}\u{FF17}\u{FF0E}\u{FF10}\u{FF0E}\u{FF11}\u{FF11}/",
        C("http://195.127.0.11/"),
    ),
    ("ip_part_too_big", "http://256.1.1.1/", E(Kind::InvalidHost)),
    ("ip_last_too_big", "http://1.2.3.256/", E(Kind::InvalidHost)),
    (
        "ip_integer_too_big",
        "http://4294967296/",
        E(Kind::InvalidHost),
    ),
    ("ip_five_parts", "http://1.2.3.4.5/", E(Kind::InvalidHost)),
    (
        "ip_bad_octal",
        "http://0195.127.0.11/",
        E(Kind::InvalidHost),
    ),
    (
        "ip_name_ending_in_number",
        "http://www.example.123/",
        E(Kind::InvalidHost),
    ),
    (
        "ip_number_in_middle_is_a_name",
        "http://1.2.example/",
        C("http://1.2.example/"),
    ),
    // --- IPv6.
    (
        "ipv6_shortened",
        "http://[2001:DB8:0:0:0:0:0:1]/",
        C("http://[2001:db8::1]/"),
    ),
    (
        "ipv6_loopback_port",
        "http://[::1]:8080/x",
        C("http://[::1]/x"),
    ),
    (
        "ipv6_mapped",
        "http://[::ffff:195.127.0.11]/",
        C("http://195.127.0.11/"),
    ),
    (
        "ipv6_mapped_hex",
        "http://[::FFFF:c37f:b]/",
        C("http://195.127.0.11/"),
    ),
    (
        "ipv6_nat64",
        "http://[64:ff9b::195.127.0.11]/a",
        C("http://195.127.0.11/a"),
    ),
    ("ipv6_invalid", "http://[::g]/", E(Kind::InvalidHost)),
    ("ipv6_unclosed", "http://[::1/", E(Kind::InvalidHost)),
    ("ipv6_junk_after", "http://[::1]x/", E(Kind::InvalidHost)),
    // --- Double and mixed encoding.
    (
        "enc_double_path",
        "http://host/%2561%2562",
        C("http://host/ab"),
    ),
    (
        "enc_mixed_case_hex",
        "http://host/%7e%7E",
        C("http://host/~~"),
    ),
    ("enc_slash", "http://host/a%2Fb", C("http://host/a/b")),
    (
        "enc_dot_segments",
        "http://host/a/%2e%2e/b",
        C("http://host/b"),
    ),
    (
        "enc_half_dot_segment",
        "http://host/a/.%2E/b",
        C("http://host/b"),
    ),
    (
        "enc_double_dot_segment",
        "http://host/a/%252e%252e/b",
        C("http://host/b"),
    ),
    (
        "enc_host_letters",
        "http://%77%77%77.example.com/",
        C("http://www.example.com/"),
    ),
    (
        "enc_host_upper",
        "http://%57WW.EXAMPLE.com/",
        C("http://www.example.com/"),
    ),
    (
        "enc_output_upper_hex",
        "http://host/%e2%82%ac",
        C("http://host/%E2%82%AC"),
    ),
    (
        "enc_raw_unicode_path",
        "http://host/\u{20AC}",
        C("http://host/%E2%82%AC"),
    ),
    (
        "enc_question_in_path",
        "http://host/a%3Fb",
        C("http://host/a?b"),
    ),
    (
        "enc_question_and_query",
        "http://host/a%3Fb?c",
        C("http://host/a?b?c"),
    ),
    (
        "enc_backslash_kept",
        "http://host/a%5Cb",
        C("http://host/a%5Cb"),
    ),
    (
        "enc_query_double",
        "http://host/?q=%2561",
        C("http://host/?q=a"),
    ),
    (
        "enc_query_space",
        "http://host/?q=a b",
        C("http://host/?q=a%20b"),
    ),
    (
        "enc_query_not_resolved",
        "http://host/?a/../b//c",
        C("http://host/?a/../b//c"),
    ),
    (
        "enc_query_hash_escaped",
        "http://host/?a%23b",
        C("http://host/?a%23b"),
    ),
    (
        "enc_stray_percents",
        "http://host.com/%%%",
        C("http://host.com/%25%25%25"),
    ),
    (
        "enc_trailing_percent",
        "http://host/a%",
        C("http://host/a%25"),
    ),
    (
        "enc_percent_one_hex",
        "http://host/a%4",
        C("http://host/a%254"),
    ),
    ("enc_null_byte", "http://host/%00", C("http://host/%00")),
    (
        "enc_host_slash",
        "http://evil.com%2Fpath/",
        C("http://evil.com%2Fpath/"),
    ),
    ("enc_host_at", "http://a%40b.com/", C("http://a%40b.com/")),
    ("enc_plus_kept", "http://host/a+b", C("http://host/a+b")),
    // --- Case.
    (
        "case_scheme_host",
        "HTTP://WWW.EXAMPLE.COM/Path",
        C("http://www.example.com/Path"),
    ),
    ("case_query_kept", "http://host/?Q=A", C("http://host/?Q=A")),
    // --- Dots.
    (
        "dots_leading",
        "http://...www.example.com/",
        C("http://www.example.com/"),
    ),
    (
        "dots_repeated",
        "http://www..example...com/",
        C("http://www.example.com/"),
    ),
    (
        "dots_segments",
        "http://host/a/./b/../c",
        C("http://host/a/c"),
    ),
    ("dots_above_root", "http://host/../../a", C("http://host/a")),
    (
        "dots_trailing_single",
        "http://host/a/.",
        C("http://host/a/"),
    ),
    (
        "dots_trailing_double",
        "http://host/a/b/..",
        C("http://host/a/"),
    ),
    (
        "dots_dotfile_kept",
        "http://host/.htaccess",
        C("http://host/.htaccess"),
    ),
    (
        "dots_three_kept",
        "http://host/a/.../b",
        C("http://host/a/.../b"),
    ),
    // --- Userinfo and ports.
    (
        "user_info",
        "http://user:pass@example.com/",
        C("http://example.com/"),
    ),
    (
        "user_at_in_password",
        "http://a@b@example.com/",
        C("http://example.com/"),
    ),
    (
        "user_lookalike",
        "http://www.google.com@evil.com/",
        C("http://evil.com/"),
    ),
    (
        "port_default_https",
        "https://example.com:443/",
        C("https://example.com/"),
    ),
    (
        "port_empty",
        "http://example.com:/",
        C("http://example.com/"),
    ),
    (
        "port_max",
        "http://example.com:65535/",
        C("http://example.com/"),
    ),
    ("port_letters", "http://example.com:abc/", E(Kind::Port)),
    ("port_too_big", "http://example.com:65536/", E(Kind::Port)),
    // --- Fragments.
    (
        "frag_after_query",
        "http://host/a?b#c",
        C("http://host/a?b"),
    ),
    ("frag_empty", "http://host/#", C("http://host/")),
    ("frag_in_authority", "http://host#frag", C("http://host/")),
    // --- Backslashes (as browsers treat them in http(s) URLs).
    ("bs_path", "http://host\\a\\b", C("http://host/a/b")),
    ("bs_after_scheme", "http:\\\\host\\a", C("http://host/a")),
    ("bs_query_kept", "http://host/?a\\b", C("http://host/?a\\b")),
    ("bs_many_slashes", "http:////host/a", C("http://host/a")),
    ("bs_no_slashes", "http:host/a", C("http://host/a")),
    // --- IDN.
    (
        "idn_german",
        "http://B\u{FC}cher.example/",
        C("http://xn--bcher-kva.example/"),
    ),
    (
        "idn_escaped_utf8",
        "http://B%C3%BCcher.example/",
        C("http://xn--bcher-kva.example/"),
    ),
    (
        "idn_punycode_kept",
        "http://xn--bcher-kva.example/",
        C("http://xn--bcher-kva.example/"),
    ),
    (
        "idn_ideographic_dots",
        "http://www\u{3002}example\u{3002}com/",
        C("http://www.example.com/"),
    ),
    (
        "idn_fullwidth_letters",
        "http://\u{FF25}\u{FF38}\u{FF21}\u{FF2D}\u{FF30}\u{FF2C}\u{FF25}.com/",
        C("http://example.com/"),
    ),
    (
        "idn_cjk",
        "http://\u{4F60}\u{597D}\u{4F60}\u{597D}/",
        C("http://xn--6qqa088eba/"),
    ),
    (
        "idn_soft_hyphen_ignored",
        "http://exam\u{AD}ple.com/",
        C("http://example.com/"),
    ),
    (
        "idn_replacement_char",
        "http://ex\u{FFFD}ample.com/",
        E(Kind::BadIdn),
    ),
    (
        "idn_fullwidth_percent",
        "http://%ef%bc%85%ef%bc%94%ef%bc%91.com/",
        E(Kind::BadIdn),
    ),
    (
        "idn_raw_c1_control",
        "http://\u{1}\u{80}.com/",
        E(Kind::BadIdn),
    ),
    // --- Whitespace.
    (
        "ws_tab_in_host",
        "http://www.goo\tgle.com/",
        C("http://www.google.com/"),
    ),
    (
        "ws_newline_in_scheme",
        "ht\ntp://example.com/",
        C("http://example.com/"),
    ),
    (
        "ws_controls_trimmed",
        "\u{1}\u{2} http://example.com/ \u{7}",
        C("http://example.com/"),
    ),
    (
        "ws_space_in_path",
        "http://host/a b",
        C("http://host/a%20b"),
    ),
    (
        "ws_escaped_newline_kept",
        "http://host/a%0Ab",
        C("http://host/a%0Ab"),
    ),
    // --- Schemes.
    (
        "scheme_host_port",
        "example.com:8080/x",
        C("http://example.com/x"),
    ),
    (
        "scheme_localhost_port",
        "localhost:8080",
        C("http://localhost/"),
    ),
    (
        "scheme_relative",
        "//example.com/a",
        C("http://example.com/a"),
    ),
    (
        "scheme_https_upper",
        "HTTPS://example.com",
        C("https://example.com/"),
    ),
    (
        "scheme_ftp",
        "ftp://files.example.com/pub",
        C("ftp://files.example.com/pub"),
    ),
    ("scheme_javascript", "javascript:alert(1)", E(Kind::Scheme)),
    ("scheme_file", "file:///etc/passwd", E(Kind::Scheme)),
    ("scheme_mailto", "mailto:a@example.com", E(Kind::Scheme)),
    ("scheme_data", "data:text/html,hi", E(Kind::Scheme)),
    // Non-web schemes whose rest reads as a port are still schemes: no
    // made-up `http://javascript/` host (issue 27).
    ("scheme_javascript_number", "javascript:1", E(Kind::Scheme)),
    ("scheme_javascript_upper", "JavaScript:0", E(Kind::Scheme)),
    ("scheme_javascript_empty", "javascript:", E(Kind::Scheme)),
    ("scheme_about", "about:blank", E(Kind::Scheme)),
    ("scheme_blob", "blob:https://e.example/1", E(Kind::Scheme)),
    ("scheme_tel", "tel:123", E(Kind::Scheme)),
    ("scheme_chrome", "chrome://settings", E(Kind::Scheme)),
    (
        "scheme_view_source",
        "view-source:http://e.example/",
        E(Kind::Scheme),
    ),
    ("scheme_single_label_port", "intranet:8080", E(Kind::Scheme)),
    (
        "scheme_dotted_not_port",
        "com.example.app:/oauth",
        E(Kind::Scheme),
    ),
    (
        "host_port_dotted",
        "example.com:8080/x",
        C("http://example.com/x"),
    ),
    ("host_port_empty", "example.com:", C("http://example.com/")),
    (
        "host_port_localhost_path",
        "LOCALHOST:80/x",
        C("http://localhost/x"),
    ),
    (
        "host_port_query",
        "example.com:81?q",
        C("http://example.com/?q"),
    ),
    // --- Not URLs.
    ("err_empty", "", E(Kind::Empty)),
    ("err_whitespace", " \t\n ", E(Kind::Empty)),
    ("err_fragment_only", "#frag", E(Kind::Empty)),
    ("err_no_host", "http://", E(Kind::EmptyHost)),
    ("err_no_host_path", "http:///", E(Kind::EmptyHost)),
    ("err_userinfo_only", "http://user@/", E(Kind::EmptyHost)),
    ("err_port_only", "http://:80/", E(Kind::EmptyHost)),
    ("err_only_dots", "http://.../", E(Kind::EmptyHost)),
];

#[test]
fn table() {
    assert!(CASES.len() >= 80, "the table needs at least 80 cases");
    let mut failures = Vec::new();
    for &(name, input, want) in CASES {
        let got = CanonicalUrl::parse(input);
        match (want, &got) {
            (Want::Ok(expected), Ok(url)) if url.as_str() == expected => {
                // Idempotent, and the accessors agree with the string.
                match CanonicalUrl::parse(url.as_str()) {
                    Ok(again) if again == *url && again.path() == url.path() => {}
                    other => failures.push(format!("{name}: not idempotent: {url:?} -> {other:?}")),
                }
                let rebuilt = format!(
                    "{}://{}{}{}",
                    url.scheme(),
                    url.host(),
                    url.path(),
                    url.query().map(|q| format!("?{q}")).unwrap_or_default()
                );
                if rebuilt != url.as_str() {
                    failures.push(format!("{name}: accessors give {rebuilt:?}"));
                }
            }
            (Want::Err(expected), Err(err)) if kind(err) == Some(expected) => {
                let message = err.to_string();
                if message.is_empty()
                    || message.ends_with('.')
                    || message.starts_with(char::is_uppercase)
                {
                    failures.push(format!("{name}: bad message style {message:?}"));
                }
            }
            _ => failures.push(format!(
                "{name}: input {input:?}: want {want:?}, got {got:?}"
            )),
        }
    }
    assert!(
        failures.is_empty(),
        "{} failing cases:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn too_long_is_an_error() {
    let input = format!("http://a.com/{}", "a".repeat(esafety::url::MAX_INPUT_LEN));
    let err = CanonicalUrl::parse(&input).unwrap_err();
    assert!(matches!(err, UrlError::TooLong { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        format!(
            "url is {} bytes long, over the limit of 2097152 bytes; shorten it",
            input.len()
        )
    );
    let just_fits = format!(
        "http://a.com/{}",
        "a".repeat(esafety::url::MAX_INPUT_LEN - 13)
    );
    assert!(CanonicalUrl::parse(&just_fits).is_ok());
}

#[test]
fn deep_double_encoding_is_linear() {
    // `%25` nested 20,000 times unescapes to one `%`: a naive "repeat whole
    // passes until stable" would take seconds on this.
    let input = format!("http://host/%{}41", "25".repeat(20_000));
    let start = std::time::Instant::now();
    let url = CanonicalUrl::parse(&input).unwrap();
    assert!(url.path() == "/A", "path has {} bytes", url.path().len());
    assert!(start.elapsed().as_secs() < 2, "took {:?}", start.elapsed());
}

#[test]
fn error_messages() {
    let cases: &[(&str, &str)] = &[
        ("", "empty url; give a url such as `http://example.com/`"),
        (
            "javascript:alert(1)",
            "unsupported scheme `javascript`; only http, https, ftp, ws and wss urls can be canonicalized",
        ),
        (
            "http:///",
            "url has an empty host; write one after the scheme, as in `http://example.com/`",
        ),
        (
            "http://example.com:99999/",
            "invalid port `99999`; a port is a decimal number from 0 to 65535",
        ),
        (
            "http://1.2.3.4.5/",
            "invalid host `1.2.3.4.5`: it ends in a number but is not an IPv4 address; write an address such as `192.0.2.1` or a domain name",
        ),
        (
            "http://[::g]/",
            "invalid host `[::g]`: not a valid IPv6 address; write one such as `[2001:db8::1]`",
        ),
        (
            "http://ex\u{FFFD}ample.com/",
            "invalid internationalized host `ex\u{FFFD}ample.com`: IDNA (UTS 46) rejects it; check the host for stray or disallowed characters",
        ),
    ];
    for (input, message) in cases {
        assert_eq!(
            CanonicalUrl::parse(input).unwrap_err().to_string(),
            *message,
            "input {input:?}"
        );
    }
}

#[test]
fn near_misses_stay_distinct() {
    let pairs: &[(&str, &str)] = &[
        ("http://example.com/", "http://example.com.evil.test/"),
        ("http://example.com/", "http://notexample.com/"),
        ("http://www.example.com/", "http://example.com/"),
        ("http://example.com/a", "http://example.com/A"),
        ("http://example.com/a?b", "http://example.com/a?B"),
        ("http://example.com/a/b", "http://example.com/a/b/"),
        ("http://example.com/a+b", "http://example.com/a%20b"),
        ("http://example.com/a%23b", "http://example.com/a#b"),
        ("http://example.com/a%5Cb", "http://example.com/a\\b"),
        ("http://example.com/?a=1&b=2", "http://example.com/?b=2&a=1"),
        ("http://example.com/q", "http://example.com/q?"),
        ("http://1.2.3.4/", "http://1.2.3.40/"),
        ("http://xn--bcher-kva.example/", "http://bucher.example/"),
        ("http://example.com/", "https://example.com/"),
        ("http://example.com/a/..b", "http://example.com/b"),
    ];
    for (a, b) in pairs {
        let (ca, cb) = (
            CanonicalUrl::parse(a).unwrap(),
            CanonicalUrl::parse(b).unwrap(),
        );
        assert_ne!(ca, cb, "{a:?} and {b:?} must stay distinct");
    }
}

fn expressions(input: &str) -> Vec<String> {
    let Ok(url) = CanonicalUrl::parse(input) else {
        return vec![format!("error: {input:?} does not parse")];
    };
    url.expressions().map(|e| e.to_string()).collect()
}

#[test]
fn expressions_sb_spec_examples() {
    // The two examples of the Safe Browsing v4 specification, in its order.
    assert_eq!(
        expressions("http://a.b.c/1/2.html?param=1"),
        [
            "a.b.c/1/2.html?param=1",
            "a.b.c/1/2.html",
            "a.b.c/",
            "a.b.c/1/",
            "b.c/1/2.html?param=1",
            "b.c/1/2.html",
            "b.c/",
            "b.c/1/",
        ]
    );
    assert_eq!(
        expressions("http://a.b.c.d.e.f.g/1.html"),
        [
            "a.b.c.d.e.f.g/1.html",
            "a.b.c.d.e.f.g/",
            "c.d.e.f.g/1.html",
            "c.d.e.f.g/",
            "d.e.f.g/1.html",
            "d.e.f.g/",
            "e.f.g/1.html",
            "e.f.g/",
            "f.g/1.html",
            "f.g/",
        ]
    );
    assert_eq!(expressions("http://1.2.3.4/1/"), ["1.2.3.4/1/", "1.2.3.4/"]);
}

#[test]
fn expressions_more() {
    let cases: &[(&str, &[&str])] = &[
        ("http://localhost/", &["localhost/"]),
        ("http://a.b/", &["a.b/"]),
        (
            "http://[2001:db8::1]/a/b",
            &["[2001:db8::1]/a/b", "[2001:db8::1]/", "[2001:db8::1]/a/"],
        ),
        (
            "http://3279880203/x?y",
            &["195.127.0.11/x?y", "195.127.0.11/x", "195.127.0.11/"],
        ),
        (
            "http://a.b/1/2/3/4/5/6.html?x",
            &[
                "a.b/1/2/3/4/5/6.html?x",
                "a.b/1/2/3/4/5/6.html",
                "a.b/",
                "a.b/1/",
                "a.b/1/2/",
                "a.b/1/2/3/",
            ],
        ),
        (
            "http://a.b/1/2/3/",
            &["a.b/1/2/3/", "a.b/", "a.b/1/", "a.b/1/2/"],
        ),
        (
            "http://a.b/1/2/3/4/",
            &["a.b/1/2/3/4/", "a.b/", "a.b/1/", "a.b/1/2/", "a.b/1/2/3/"],
        ),
        (
            "http://a.b.c/q?",
            &["a.b.c/q?", "a.b.c/q", "a.b.c/", "b.c/q?", "b.c/q", "b.c/"],
        ),
        ("http://a.b/?q", &["a.b/?q", "a.b/"]),
        (
            "http://user@WWW.Example.co.uk:8080/a#f",
            &[
                "www.example.co.uk/a",
                "www.example.co.uk/",
                "example.co.uk/a",
                "example.co.uk/",
                "co.uk/a",
                "co.uk/",
            ],
        ),
        (
            "http://a.b.c.d.e.f/",
            &["a.b.c.d.e.f/", "b.c.d.e.f/", "c.d.e.f/", "d.e.f/", "e.f/"],
        ),
    ];
    for (input, want) in cases {
        assert_eq!(expressions(input), *want, "input {input:?}");
    }
}

#[test]
fn expression_accessors_and_write_to() {
    let url = CanonicalUrl::parse("http://a.b.c/1/2.html?param=1").unwrap();
    let first = url.expressions().next().unwrap();
    assert_eq!(first.host(), "a.b.c");
    assert_eq!(first.path(), "/1/2.html?param=1");
    let mut buf = String::from("x");
    first.write_to(&mut buf);
    assert_eq!(buf, "xa.b.c/1/2.html?param=1");
    let iter = url.expressions();
    assert_eq!(iter.len(), 8);
    assert_eq!(iter.count(), 8);
}

#[test]
fn host_suffixes_and_host_and_path_query() {
    let url = CanonicalUrl::parse("https://u:p@A.B.example.co.uk:1/p/q?r#s").unwrap();
    assert_eq!(
        url.host_suffixes().collect::<Vec<_>>(),
        [
            "a.b.example.co.uk",
            "b.example.co.uk",
            "example.co.uk",
            "co.uk",
            "uk"
        ]
    );
    assert_eq!(url.host_and_path_query(), "a.b.example.co.uk/p/q?r");
    assert_eq!(url.to_string(), "https://a.b.example.co.uk/p/q?r");
    let ip = CanonicalUrl::parse("http://1.2.3.4/").unwrap();
    assert!(ip.is_ip());
    assert_eq!(ip.host_suffixes().collect::<Vec<_>>(), ["1.2.3.4"]);
    let v6 = CanonicalUrl::parse("http://[::1]/").unwrap();
    assert!(v6.is_ip());
    assert_eq!(v6.host_suffixes().collect::<Vec<_>>(), ["[::1]"]);
    assert!(!CanonicalUrl::parse("http://1.2.example/").unwrap().is_ip());
}
