//! DESIGN.md invariant 2: a sensitive list (IWF, terrorism) never exists in
//! plaintext in an entry, a skipped-line reason, an error or `Debug` output.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test helpers fail loudly"
)]

use esafety::lists::{
    EntryKind, Format, ListError, ParseOptions, expression_digest, parse, parse_with_includes,
};
use esafety::url::CanonicalUrl;

/// Synthetic IWF-style entries (never real ones) and the substrings that
/// must not appear anywhere after parsing.
const LIST: &str = "\
# synthetic list
http://Secret-Host-One.example/Gallery/Image1.jpg
secret-host-two.example/page.php?id=7#frag
secret-host-three.example
SECRET-HOST-FOUR.example/dir/
not a url secret-bad-one
http://[secret-bad-two/
secret-bad-three!.example/x
^secret-regex-(a|b)$
";

const NEEDLES: &[&str] = &[
    "secret", "Secret", "SECRET", "Gallery", "Image1", "page.php", "id=7", "dir/",
];

fn assert_clean(text: &str) {
    for needle in NEEDLES {
        assert!(!text.contains(needle), "`{needle}` leaked into: {text}");
    }
}

#[test]
fn sensitive_plain_list_has_only_digests_and_no_plaintext_anywhere() {
    let options = ParseOptions::new().with_sensitive(true);
    for format in [
        Format::Iwf,
        Format::Plain,
        Format::SquidGuardUrls,
        Format::E2Url,
    ] {
        let parsed = parse(format, "iwf.txt", LIST.as_bytes(), &options).unwrap();
        assert!(!parsed.entries.is_empty(), "{format}");
        assert!(
            parsed.entries.iter().all(|e| e.kind.digest().is_some()),
            "{format}"
        );
        assert!(
            !parsed.skipped.is_empty(),
            "{format}: the bad lines are skipped"
        );
        assert_clean(&format!("{parsed:?}"));
        for s in &parsed.skipped {
            assert_clean(&s.reason);
            assert_clean(&s.to_string());
        }
    }
}

#[test]
fn sensitive_strict_errors_contain_no_plaintext() {
    let options = ParseOptions::new().with_sensitive(true).with_strict(true);
    for format in Format::ALL {
        if let Err(err) = parse(*format, "iwf.txt", LIST.as_bytes(), &options) {
            assert_clean(&err.to_string());
            assert_clean(&format!("{err:?}"));
        }
    }
    let err = parse(Format::Iwf, "iwf.txt", LIST.as_bytes(), &options).unwrap_err();
    assert!(matches!(err, ListError::BadLine(_)));
    assert_eq!(err.line(), 6);
    assert_eq!(
        err.to_string(),
        "iwf.txt:6: the entry is not a valid URL; fix or remove the line"
    );
}

#[test]
fn sensitive_regex_is_refused_without_quoting_it() {
    let options = ParseOptions::new().with_sensitive(true);
    let parsed = parse(
        Format::SquidGuardExpressions,
        "t",
        b"^secret-regex-(a|b)$\n",
        &options,
    )
    .unwrap();
    assert!(parsed.entries.is_empty());
    assert_eq!(
        parsed.skipped[0].to_string(),
        "t:1: a regular expression cannot be stored as a digest in a sensitive list; list the URLs instead"
    );
}

#[test]
fn sensitive_includes_do_not_leak() {
    let options = ParseOptions::new().with_sensitive(true);
    let mut loader = |_: &str| Ok(b"secret-included.example/x.html\nsecret bad\n".to_vec());
    let parsed = parse_with_includes(
        Format::E2Url,
        "list",
        b".Include<inc>\n",
        &options,
        &mut loader,
    )
    .unwrap();
    assert_eq!(parsed.entries.len(), 2);
    assert_eq!(parsed.skipped.len(), 1);
    assert_clean(&format!("{parsed:?}"));
}

/// The digest of each entry is SHA-256 of its canonical lookup expression,
/// which is what the classifier hashes: one of the URL's expressions.
#[test]
fn digests_are_of_canonical_lookup_expressions() {
    let options = ParseOptions::new().with_sensitive(true);
    let parsed = parse(Format::Iwf, "iwf.txt", LIST.as_bytes(), &options).unwrap();
    let digests: Vec<[u8; 32]> = parsed
        .entries
        .iter()
        .map(|e| match e.kind {
            EntryKind::GatedDigest(d, _) => d,
            ref other => panic!("not a gated digest: {other:?}"),
        })
        .collect();
    // (entry, a URL that must reach the same expression)
    let cases = [
        (
            "secret-host-one.example/Gallery/Image1.jpg",
            "https://WWW.secret-host-one.example:443/Gallery/./Image1.jpg?x=1",
        ),
        (
            "secret-host-two.example/page.php?id=7",
            "http://secret-host-two.example/page.php?id=7",
        ),
        (
            "secret-host-three.example/",
            "http://a.secret-host-three.example/anything",
        ),
        (
            "secret-host-four.example/dir/",
            "http://secret-host-four.example/dir/x.html",
        ),
    ];
    assert_eq!(digests.len(), cases.len());
    for ((expr, url), digest) in cases.iter().zip(&digests) {
        assert_eq!(expression_digest(expr), *digest, "{expr}");
        let url = CanonicalUrl::parse(url).unwrap();
        assert!(
            url.expressions()
                .any(|e| expression_digest(&e.to_string()) == *digest),
            "{url} does not reach {expr}"
        );
    }
}

#[test]
fn digest_lines_are_taken_as_they_are() {
    let hex: String = expression_digest("x.example/")
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect();
    let options = ParseOptions::new().with_sensitive(true);
    let parsed = parse(Format::Iwf, "t", hex.as_bytes(), &options).unwrap();
    assert_eq!(
        parsed.entries[0].kind,
        EntryKind::Digest(expression_digest("x.example/"))
    );
    assert!(format!("{:?}", parsed.entries[0]).contains("sha256:"));
}
