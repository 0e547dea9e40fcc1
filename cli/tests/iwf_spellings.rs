//! The IWF path end to end: a listed page, compiled with `esafety compile
//! --iwf` from SHA-256 digests (as the IWF distributes its list), is caught
//! by `esafety classify` in every spelling a browser requests it by, and
//! its siblings are not (issue 27: the empty-segment evasion).

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers: a failure should panic with its message"
)]

use std::fmt::Write as _;

mod common;
use common::{Scratch, esafety, esafety_stdin, stdout};

/// The listed page, as its canonical lookup expression.
const PAGE: &str = "evil.example/gallery/x93/a.jpg";

/// Spellings of the listed page: each must be caught.
const CAUGHT: &[(&str, &str)] = &[
    ("canonical", "http://evil.example/gallery/x93/a.jpg"),
    ("https", "https://evil.example/gallery/x93/a.jpg"),
    ("no_scheme", "evil.example/gallery/x93/a.jpg"),
    ("upper_case_host", "http://EVIL.Example/gallery/x93/a.jpg"),
    (
        "trailing_dot_host",
        "http://evil.example./gallery/x93/a.jpg",
    ),
    (
        "port_userinfo",
        "http://u:p@evil.example:8080/gallery/x93/a.jpg",
    ),
    ("fragment", "http://evil.example/gallery/x93/a.jpg#top"),
    (
        "empty_then_parent",
        "http://evil.example/gallery/x93//../a.jpg",
    ),
    (
        "dot_empty_parent",
        "http://evil.example/gallery/x93/.//../a.jpg",
    ),
    (
        "empty_escaped_parent",
        "http://evil.example/gallery/x93//%2e%2e/a.jpg",
    ),
    (
        "empty_mixed_parent",
        "http://evil.example/gallery/x93//.%2E/a.jpg",
    ),
    (
        "empty_dot_parent",
        "http://evil.example/gallery/x93//./../a.jpg",
    ),
    (
        "backslashes",
        "http://evil.example/gallery/x93\\\\..\\a.jpg",
    ),
    (
        "all_backslashes",
        "http:\\\\evil.example\\gallery\\x93\\a.jpg",
    ),
    (
        "three_empty_three_parents",
        "http://evil.example/gallery/x93////../../../a.jpg",
    ),
    ("empty_at_root", "http://evil.example//../gallery/x93/a.jpg"),
    (
        "slashes_collapsed",
        "http://evil.example//gallery///x93//a.jpg",
    ),
    (
        "dot_segments",
        "http://evil.example/./gallery/./x93/./a.jpg",
    ),
    (
        "parent_of_other",
        "http://evil.example/gallery/other/../x93/a.jpg",
    ),
    (
        "escaped_parent_of_other",
        "http://evil.example/gallery/other/%2E%2E/x93/a.jpg",
    ),
    (
        "escaped_slash_before_parent",
        "http://evil.example/junk%2Fmore/../gallery/x93/a.jpg",
    ),
    (
        "escaped_question_before_parent",
        "http://evil.example/j%3Fq/../gallery/x93/a.jpg",
    ),
    (
        "escaped_path",
        "http://evil.example/%67allery/%78%39%33/a%2Ejpg",
    ),
    (
        "double_escaped_path",
        "http://evil.example/%2567allery/x93/a.jpg",
    ),
    ("escaped_slash", "http://evil.example/gallery%2Fx93%2Fa.jpg"),
    ("escaped_host", "http://%65vil.example/gallery/x93/a.jpg"),
    (
        "tab_and_newline",
        "http://evil.exa\tmple/gallery/x\n93/a.jpg",
    ),
    (
        "surrounding_space",
        "   http://evil.example/gallery/x93/a.jpg  ",
    ),
    (
        "many_slashes_after_scheme",
        "http:////evil.example/gallery/x93/a.jpg",
    ),
    ("above_root", "http://evil.example/../../gallery/x93/a.jpg"),
    ("subdomain", "http://www.evil.example/gallery/x93/a.jpg"),
    ("query", "http://evil.example/gallery/x93/a.jpg?size=big"),
];

/// Neighbours of the listed page: none may be caught.
const NOT_CAUGHT: &[(&str, &str)] = &[
    ("parent_dir_page", "http://evil.example/gallery/a.jpg"),
    (
        "old_bug_spelling_target",
        "http://evil.example/gallery/x93//../../a.jpg",
    ),
    ("sibling_file", "http://evil.example/gallery/x93/b.jpg"),
    ("sibling_dir", "http://evil.example/gallery/x94/a.jpg"),
    ("longer_name", "http://evil.example/gallery/x93/a.jpg2"),
    ("below", "http://evil.example/gallery/x93/a.jpg/x"),
    ("dir_itself", "http://evil.example/gallery/x93/"),
    ("root", "http://evil.example/"),
    ("other_host", "http://good.example/gallery/x93/a.jpg"),
    ("suffix_host", "http://notevil.example/gallery/x93/a.jpg"),
    (
        "escaped_dot_kept",
        "http://evil.example/gallery/x93/a%252Ejpg%2500",
    ),
    (
        "escaped_backslash_is_no_slash",
        "http://evil.example/gallery/x93%5C..%5Ca.jpg",
    ),
];

/// A bundle of the one IWF digest of [`PAGE`].
fn bundle(scratch: &Scratch) -> String {
    let digest = esafety::lists::expression_digest(PAGE);
    let mut hex = String::new();
    for b in digest {
        write!(hex, "{b:02x}").unwrap();
    }
    let list = scratch.file("iwf.txt", format!("# IWF list (digests)\n{hex}\n"));
    let bundle = scratch.path().join("iwf.esb");
    let out = esafety(&[
        "compile",
        "--iwf",
        list.to_str().unwrap(),
        "-o",
        bundle.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    bundle.to_str().unwrap().to_owned()
}

#[test]
fn every_spelling_of_a_listed_page_is_caught_and_no_sibling_is() {
    assert!(CAUGHT.len() >= 30);
    let scratch = Scratch::new("iwf-spellings");
    let bundle = bundle(&scratch);
    // Standard input, one spelling per line (the tab and newline case goes
    // as an argument, since a newline ends a line).
    let (lines, args): (Vec<_>, Vec<_>) = CAUGHT
        .iter()
        .chain(NOT_CAUGHT)
        .partition(|(_, url)| !url.contains('\n'));
    let input: String = lines.iter().map(|(_, url)| format!("{url}\n")).collect();
    let out = esafety_stdin(&["classify", "--bundle", &bundle], Some(&input));
    assert!(out.status.success(), "{}", common::stderr(&out));
    let mut answers: Vec<(&str, String)> = lines
        .iter()
        .map(|(name, _)| *name)
        .zip(stdout(&out).lines().map(str::to_owned))
        .collect();
    for (name, url) in &args {
        let out = esafety(&["classify", "--bundle", &bundle, url]);
        assert!(out.status.success(), "{name}: {}", common::stderr(&out));
        answers.push((name, stdout(&out).trim_end().to_owned()));
    }
    assert_eq!(answers.len(), CAUGHT.len() + NOT_CAUGHT.len());
    let mut failures = Vec::new();
    for (name, answer) in &answers {
        let caught = answer.split('\t').nth(1) == Some("child-abuse");
        let want = CAUGHT.iter().any(|(n, _)| n == name);
        if caught != want {
            failures.push(format!("{name}: want caught={want}: {answer}"));
        }
        // A sensitive match names a digest id, never the URL.
        if caught {
            assert!(!answer.contains("\tiwf:evil"), "{name}: {answer}");
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
