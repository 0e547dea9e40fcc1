//! Bundle bytes: round trips, determinism, hostile input, and invariant 2
//! (no plaintext sensitive entry in the bytes or in `Debug`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test helpers outside #[test] functions: a panic is a test failure"
)]

use esafety::Category;
use esafety::bundle::{
    BuildError, Bundle, BundleBuilder, BundleError, FORMAT_VERSION, ListRole, reseal_checksum,
};
use esafety::classify::Classifier;
use esafety::lists::{Entry, EntryKind};
use proptest::prelude::*;

fn entry(kind: EntryKind, line: usize) -> Entry {
    Entry { kind, line }
}

/// A small bundle with one of everything.
fn small() -> Vec<u8> {
    let mut b = BundleBuilder::new();
    b.created(jiff::Timestamp::from_second(1_700_000_000).unwrap());
    let g = b.add_list("bets", "gambling").unwrap();
    b.set_date(g, "2026-03-01").unwrap();
    b.add_entry(g, &entry(EntryKind::Domain("bet.example".into()), 1))
        .unwrap();
    b.add_entry(
        g,
        &entry(EntryKind::Url("shop.example/bet/page.html".into()), 2),
    )
    .unwrap();
    b.add_entry(
        g,
        &entry(EntryKind::UrlPrefix("shop.example/casino/".into()), 3),
    )
    .unwrap();
    b.add_entry(g, &entry(EntryKind::Regex("roulette".into()), 4))
        .unwrap();
    let l = b.add_list("exams", "local-exam-mode").unwrap();
    b.add_entry(l, &entry(EntryKind::Domain("answers.example".into()), 1))
        .unwrap();
    let i = b.add_list("iwf", "child-abuse").unwrap();
    b.add_entry(
        i,
        &entry(
            EntryKind::Url("iwf-test.esafety.invalid/secret/page-7.html".into()),
            1,
        ),
    )
    .unwrap();
    let a = b.add_allow_list("allow").unwrap();
    b.add_entry(a, &entry(EntryKind::Domain("ok.bet.example".into()), 1))
        .unwrap();
    b.build().unwrap()
}

#[test]
fn round_trip_keeps_metadata() {
    let bytes = small();
    let bundle = Bundle::from_bytes(bytes.clone()).unwrap();
    assert_eq!(bundle.version(), FORMAT_VERSION);
    assert_eq!(bundle.created().as_second(), 1_700_000_000);
    let names: Vec<&str> = bundle.lists().iter().map(|l| l.name()).collect();
    assert_eq!(names, ["bets", "exams", "iwf", "allow"]);
    let bets = &bundle.lists()[0];
    assert_eq!(
        (
            bets.category(),
            bets.category_id(),
            bets.entries(),
            bets.date()
        ),
        (Some(Category::Gambling), "gambling", 4, Some("2026-03-01"))
    );
    assert_eq!(bundle.lists()[1].category_id(), "local-exam-mode");
    assert!(bundle.lists()[2].is_sensitive());
    assert_eq!(bundle.lists()[3].role(), ListRole::Allow);
    assert_eq!(bundle.local_categories(), ["local-exam-mode"]);
    let c = bundle.counts();
    assert_eq!(
        (
            c.domains,
            c.urls,
            c.prefixes,
            c.digests,
            c.regexes,
            c.gated_hosts
        ),
        (3, 1, 1, 1, 1, 1)
    );
    assert_eq!(bundle.sizes().total, bytes.len());
    assert_eq!(bundle.as_bytes(), &bytes[..]);
    // Borrowed bytes load the same.
    let borrowed = Bundle::from_bytes(&bytes[..]).unwrap();
    assert_eq!(borrowed.lists().len(), 4);
}

#[test]
fn builds_are_deterministic() {
    assert_eq!(small(), small());
    assert_eq!(
        esafety::sample::bundle_bytes(),
        esafety::sample::bundle_bytes()
    );
}

#[test]
fn every_truncation_is_an_error() {
    let bytes = small();
    for len in 0..bytes.len() {
        assert!(Bundle::from_bytes(&bytes[..len]).is_err(), "length {len}");
    }
}

/// CRC-32C (Castagnoli), bit by bit.
fn crc32c(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0x82F6_3B78
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// The byte ranges of the hosts and paths `fst` sections (kinds 2 and 3 in
/// the section table, see `esafety::bundle::format`).
fn fst_ranges(bytes: &[u8]) -> Vec<std::ops::Range<usize>> {
    let count = u32::from_le_bytes(bytes[40..44].try_into().unwrap()) as usize;
    (0..count)
        .filter_map(|i| {
            let at = 48 + 24 * i;
            let kind = u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap());
            let offset = u64::from_le_bytes(bytes[at + 8..at + 16].try_into().unwrap()) as usize;
            let len = u64::from_le_bytes(bytes[at + 16..at + 24].try_into().unwrap()) as usize;
            matches!(kind, 2 | 3).then_some(offset..offset + len)
        })
        .collect()
}

/// Recomputes the `fst` checksum footer (the masked CRC-32C `fst::raw`
/// writes in its last four bytes) of each range.
fn reseal_fsts(bytes: &mut [u8], ranges: &[std::ops::Range<usize>]) {
    for r in ranges {
        let end = r.end - 4;
        let sum = crc32c(&bytes[r.start..end]);
        let masked = sum.rotate_right(15).wrapping_add(0xA282_EAD8);
        bytes[end..r.end].copy_from_slice(&masked.to_le_bytes());
    }
}

const FLIP_URLS: [&str; 6] = [
    "http://bet.example/",
    "http://a.ok.bet.example/x",
    "http://shop.example/casino/x",
    "http://shop.example/bet/page.html?q",
    "http://iwf-test.esafety.invalid/secret/page-7.html",
    "http://x.test/roulette",
];

#[test]
fn the_fst_checksum_helper_matches_fst() {
    let bytes = small();
    let ranges = fst_ranges(&bytes);
    assert_eq!(ranges.len(), 2);
    let mut resealed = bytes.clone();
    reseal_fsts(&mut resealed, &ranges);
    assert_eq!(
        resealed, bytes,
        "recomputed fst checksums differ from fst's"
    );
    // And after an edit, fst's own `verify` accepts the new footer.
    let mut m = bytes.clone();
    m[ranges[0].start + 20] ^= 0x10;
    reseal_fsts(&mut m, &ranges);
    let f = fst::raw::Fst::new(m[ranges[0].clone()].to_vec()).unwrap();
    assert!(f.verify().is_ok());
}

#[test]
fn a_bit_flip_in_every_byte_is_an_error_or_harmless_even_with_the_checksums_fixed() {
    let bytes = small();
    // Where the fsts are in the intact bundle: their footers are resealed
    // there, so a flip inside an fst gets past both fst's CRC-32C and the
    // bundle's XXH3-64 and reaches the classifier's fst reader.
    let ranges = fst_ranges(&bytes);
    let mut loaded = 0;
    for i in 0..bytes.len() {
        let in_fst = ranges.iter().any(|r| r.contains(&i));
        // Every bit inside the fsts, one bit elsewhere.
        let bits = if in_fst { 0..8 } else { (i % 8)..(i % 8 + 1) };
        for bit in bits {
            let mut m = bytes.clone();
            m[i] ^= 1 << bit;
            assert!(
                Bundle::from_bytes(m.clone()).is_err(),
                "byte {i} bit {bit} passed the checksum"
            );
            reseal_fsts(&mut m, &ranges);
            reseal_checksum(&mut m);
            if let Ok(b) = Bundle::from_bytes(m) {
                loaded += 1;
                let c = Classifier::new(b);
                for u in FLIP_URLS {
                    let _ = c.classify_str(u).unwrap();
                }
            }
        }
    }
    // Most fst node flips load (only the header and footer are checked up
    // front): the classification above really ran on corrupt nodes.
    let fst_bits: usize = ranges.iter().map(|r| r.len() * 8).sum();
    assert!(loaded > fst_bits / 2, "{loaded} of {fst_bits}");
}

#[test]
fn hostile_fst_nodes_are_no_match_not_a_panic() {
    let bytes = small();
    let ranges = fst_ranges(&bytes);
    let hosts = ranges[0].clone();
    let nodes = hosts.start + 16..hosts.end - 20;
    type Fill = fn(usize) -> u8;
    let fill: [(&str, Fill); 6] = [
        ("all 0x00: AnyTrans with a count byte", |_| 0x00),
        ("all 0xff: OneTransNext", |_| 0xff),
        ("all 0x3f: AnyTrans with 63 transitions", |_| 0x3f),
        ("all 0xbf: OneTrans with 15-byte sizes", |_| 0xbf),
        ("all 0x7f: final AnyTrans", |_| 0x7f),
        ("pseudo-random", |i| {
            (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15).to_le_bytes()[7]
        }),
    ];
    let mut fst_panicked = 0;
    for (name, f) in fill {
        let mut m = bytes.clone();
        for i in nodes.clone() {
            m[i] = f(i);
        }
        reseal_fsts(&mut m, &ranges);
        reseal_checksum(&mut m);
        // The header and footer are intact: it loads.
        // Garbage nodes may "match" anything, but only through list sets
        // the metadata defines.
        let c = Classifier::new(Bundle::from_bytes(m.clone()).unwrap());
        let lists = ["bets", "exams", "iwf", "allow"];
        for u in FLIP_URLS {
            let r = c.classify_str(u).unwrap();
            assert!(
                r.matches.iter().all(|m| lists.contains(&m.list)),
                "{name}: {u}: {r:?}"
            );
        }
        // The same bytes through the fst crate's decoder.
        let section = m[hosts.clone()].to_vec();
        let lookups = std::panic::catch_unwind(move || {
            let map = fst::Map::new(section).unwrap();
            for key in ["elpmaxe.teb", "elpmaxe.srewsna", "x"] {
                let _ = map.get(key);
            }
        });
        fst_panicked += usize::from(lookups.is_err());
    }
    assert!(fst_panicked > 0, "no fill made fst panic: the test is moot");
}

#[test]
fn header_errors_say_what_to_do() {
    let bytes = small();
    let mut newer = bytes.clone();
    newer[12..16].copy_from_slice(&(FORMAT_VERSION + 1).to_le_bytes());
    reseal_checksum(&mut newer);
    let err = Bundle::from_bytes(newer).unwrap_err();
    assert_eq!(
        err,
        BundleError::UnsupportedVersion {
            found: FORMAT_VERSION + 1,
            supported: FORMAT_VERSION
        }
    );
    let msg = err.to_string();
    assert!(
        msg.contains("upgrade esafety") && msg.contains("recompile the bundle"),
        "{msg}"
    );

    let mut magic = bytes.clone();
    magic[0] = b'X';
    assert_eq!(
        Bundle::from_bytes(magic).unwrap_err(),
        BundleError::BadMagic
    );

    let mut endian = bytes.clone();
    endian[8..12].copy_from_slice(&0x0102_0304u32.to_be_bytes());
    assert_eq!(
        Bundle::from_bytes(endian).unwrap_err(),
        BundleError::WrongEndianness
    );

    let mut corrupt = bytes.clone();
    let last = corrupt.len() - 1;
    corrupt[last] ^= 0xff;
    let err = Bundle::from_bytes(corrupt).unwrap_err();
    assert!(matches!(err, BundleError::ChecksumMismatch { .. }));
    assert!(err.to_string().contains("corrupt"), "{err}");

    let mut longer = bytes.clone();
    longer.push(0);
    assert!(matches!(
        Bundle::from_bytes(longer).unwrap_err(),
        BundleError::LengthMismatch { .. }
    ));
    assert!(matches!(
        Bundle::from_bytes(&b"ESAF"[..]).unwrap_err(),
        BundleError::TooShort { len: 4 }
    ));
}

#[test]
fn hostile_sections_are_errors() {
    let bytes = small();
    // Point the first section past the end, then at the header, then make
    // its length overflow.
    for (field, value) in [
        (56usize, u64::MAX - 3),
        (56, 0),
        (64, u64::MAX),
        (56, 1_000_000),
    ] {
        let mut m = bytes.clone();
        m[field..field + 8].copy_from_slice(&value.to_le_bytes());
        reseal_checksum(&mut m);
        let err = Bundle::from_bytes(m).unwrap_err();
        assert!(
            matches!(err, BundleError::Section { .. }),
            "{field}={value}: {err}"
        );
    }
}

#[test]
fn sensitive_entries_never_appear_in_plaintext() {
    let mut b = BundleBuilder::new();
    let iwf = b.add_list("iwf", "child-abuse").unwrap();
    let ter = b.add_list("ter", "terrorism").unwrap();
    let pages = [
        (
            iwf,
            EntryKind::Url("iwf-test.esafety.invalid/hidden/page-1.html".into()),
        ),
        (
            iwf,
            EntryKind::Url("cdn.iwf-secret.example/img/0001.jpg?k=v".into()),
        ),
        (
            iwf,
            EntryKind::Domain("whole-site.iwf-other.example".into()),
        ),
        (
            iwf,
            EntryKind::UrlPrefix("prefix.iwf-third.example/dir/".into()),
        ),
        (
            ter,
            EntryKind::Url("terror-test.esafety.invalid/propaganda/video-1.html".into()),
        ),
    ];
    for (i, (list, kind)) in pages.iter().enumerate() {
        b.add_entry(*list, &entry(kind.clone(), i + 1)).unwrap();
    }
    let debug_builder = format!("{b:?}");
    let bytes = b.build().unwrap();
    let bundle = Bundle::from_bytes(bytes.clone()).unwrap();
    let c = Classifier::new(bundle);
    let hit = c
        .classify_str("http://iwf-test.esafety.invalid/hidden/page-1.html")
        .unwrap();
    let debug = format!("{c:?} {:?} {hit:?}", c.bundle());
    let needles = [
        "iwf-test.esafety.invalid/hidden/page-1.html",
        "iwf-test.esafety.invalid",
        "iwf-test",
        "hidden",
        "page-1.html",
        "cdn.iwf-secret.example",
        "iwf-secret",
        "img/0001",
        "0001.jpg",
        "k=v",
        "whole-site",
        "iwf-other",
        "iwf-third",
        "prefix.",
        "terror-test",
        "propaganda",
        "video-1",
    ];
    for n in needles {
        assert!(
            !bytes
                .windows(n.len())
                .any(|w| w.eq_ignore_ascii_case(n.as_bytes())),
            "bytes contain `{n}`"
        );
        assert!(!debug.contains(n), "Debug shows `{n}`: {debug}");
        assert!(!debug_builder.contains(n), "builder Debug shows `{n}`");
    }
    assert_eq!(hit.matches.len(), 1);
    assert!(
        hit.matches[0].expression.starts_with("sha256:") && hit.matches[0].expression.len() == 23
    );
    // Errors for a bad sensitive line do not repeat it.
    let mut b = BundleBuilder::new();
    let iwf = b.add_list("iwf", "child-abuse").unwrap();
    let err = b
        .add_entry(
            iwf,
            &entry(EntryKind::Url("http://secret-bad-host:99999/x".into()), 9),
        )
        .unwrap_err();
    assert!(!err.to_string().contains("secret-bad-host"), "{err}");
    assert!(err.to_string().contains("line 9"), "{err}");
    let err = b
        .add_entry(iwf, &entry(EntryKind::Regex("secret-regex".into()), 10))
        .unwrap_err();
    assert!(!err.to_string().contains("secret-regex"), "{err}");
}

#[test]
fn builder_errors_name_list_line_and_fix() {
    let mut b = BundleBuilder::new();
    let l = b.add_list("vendor", "gambling").unwrap();
    let err = b
        .add_entry(l, &entry(EntryKind::Regex("(unclosed".into()), 42))
        .unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.starts_with("list `vendor` line 42: regex `(unclosed` does not compile"),
        "{msg}"
    );
    assert!(msg.ends_with("fix or remove the line"), "{msg}");
    // A regex whose DFA exceeds the size limit is refused with its line.
    let err = b
        .add_entry(l, &entry(EntryKind::Regex("(?:x{1000}){1000}".into()), 43))
        .unwrap_err();
    assert!(
        err.to_string().starts_with("list `vendor` line 43"),
        "{err}"
    );
    let err = b
        .add_entry(l, &entry(EntryKind::Domain("bad host!".into()), 44))
        .unwrap_err();
    assert!(
        err.to_string().contains("line 44") && err.to_string().contains("`bad host!`"),
        "{err}"
    );
    assert!(matches!(
        b.add_list("vendor", "drugs"),
        Err(BuildError::ListName { .. })
    ));
    let err = b.add_list("x", "gamblin").unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown category `gamblin`; use a built-in id (e.g. `gambling`) or `local-<name>`"
    );
    assert!(matches!(
        b.set_date(l, "March"),
        Err(BuildError::BadDate { .. })
    ));
}

#[test]
fn sample_bundle_loads_and_names_its_lists() {
    let bundle = esafety::sample::bundle().unwrap();
    assert!(bundle.lists().len() >= 22);
    for l in bundle.lists() {
        assert!(l.entries() > 0, "{}", l.name());
    }
    assert!(bundle.counts().gated_hosts >= 4);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Random entry sets round-trip: everything added is found again, and
    /// the bytes reload to the same metadata.
    #[test]
    fn random_bundles_round_trip(
        domains in proptest::collection::btree_set("[a-z]{1,6}\\.[a-z]{2,3}", 0..40),
        urls in proptest::collection::btree_set("[a-z]{1,6}\\.[a-z]{2,3}/[a-z]{1,5}(\\?[a-z]=[0-9])?", 0..20),
        secret in proptest::collection::btree_set("[a-z]{1,6}\\.[a-z]{2,3}/[a-z]{1,5}", 0..10),
    ) {
        let mut b = BundleBuilder::new();
        let g = b.add_list("g", "gambling").unwrap();
        let u = b.add_list("u", "drugs").unwrap();
        let s = b.add_list("s", "child-abuse").unwrap();
        for d in &domains { b.add_entry(g, &entry(EntryKind::Domain(d.clone()), 1)).unwrap(); }
        for x in &urls { b.add_entry(u, &entry(EntryKind::Url(x.clone()), 1)).unwrap(); }
        for x in &secret { b.add_entry(s, &entry(EntryKind::Url(x.clone()), 1)).unwrap(); }
        let bytes = b.build().unwrap();
        let bundle = Bundle::from_bytes(bytes.clone()).unwrap();
        prop_assert_eq!(bundle.lists()[0].entries(), domains.len() as u64);
        prop_assert_eq!(bundle.counts().digests, secret.len() as u64);
        let c = Classifier::new(bundle);
        for d in &domains {
            prop_assert!(c.classify_str(d).unwrap().categories.contains(Category::Gambling), "{}", d);
        }
        for x in &urls {
            prop_assert!(c.classify_str(x).unwrap().categories.contains(Category::Drugs), "{}", x);
        }
        for x in &secret {
            prop_assert!(c.classify_str(x).unwrap().categories.contains(Category::ChildAbuse), "{}", x);
        }
        // Reload from a copy: identical classification.
        let again = Classifier::new(Bundle::from_bytes(bytes.to_vec()).unwrap());
        for d in domains.iter().chain(&urls) {
            prop_assert_eq!(c.classify_str(d).unwrap(), again.classify_str(d).unwrap());
        }
    }
}

/// A bundle of two lists at one path key: a string prefix in one, a
/// boundary prefix in the other.
fn string_prefix_bundle() -> Vec<u8> {
    let mut b = BundleBuilder::new();
    let ads = b.add_list("ads", "local-ads").unwrap();
    b.add_entry(
        ads,
        &entry(EntryKind::UrlStringPrefixNoCase("a.example/key".into()), 1),
    )
    .unwrap();
    let dir = b.add_list("dir", "adult").unwrap();
    b.add_entry(dir, &entry(EntryKind::UrlPrefix("a.example/key".into()), 1))
        .unwrap();
    b.build().unwrap()
}

/// The metadata records the string-prefix subset only when there is one
/// (a bundle without string prefixes has the bytes it had before), and the
/// loader checks it as it checks `folded_sets`: a subset naming a set or a
/// list that does not exist, or out of order, is an error.
#[test]
fn string_prefix_sets_are_recorded_and_checked() {
    assert!(
        !small()
            .windows(b"string_prefix_sets".len())
            .any(|w| w == b"string_prefix_sets")
    );
    let bytes = string_prefix_bundle();
    let field = br#""string_prefix_sets":[[1,[0]]]"#;
    let at = bytes
        .windows(field.len())
        .position(|w| w == field)
        .expect("the subset of list set 1 is list 0");
    let c = Classifier::new(Bundle::from_bytes(bytes.clone()).unwrap());
    let lists = |url: &str| -> Vec<&str> {
        c.classify_str(url)
            .unwrap()
            .matches
            .iter()
            .map(|m| m.list)
            .collect()
    };
    assert_eq!(lists("http://a.example/keyXYZ"), ["ads"]);
    assert_eq!(lists("http://a.example/key/x"), ["ads", "dir"]);
    // Same-length edits: an unknown set, the empty set 0, a list outside
    // the set.
    for bad in [
        &br#""string_prefix_sets":[[7,[0]]]"#[..],
        br#""string_prefix_sets":[[0,[0]]]"#,
        br#""string_prefix_sets":[[1,[5]]]"#,
    ] {
        let mut edited = bytes.clone();
        edited[at..at + field.len()].copy_from_slice(bad);
        assert!(reseal_checksum(&mut edited));
        let err = Bundle::from_bytes(edited).unwrap_err();
        assert!(
            err.to_string().contains("string-prefix list set"),
            "{}: {err}",
            String::from_utf8_lossy(bad)
        );
    }
}

/// The loader refuses a regex input the builder does not write: an older
/// build matched some expressions against the host squidGuard chops
/// (`"input":"squidguard"`); such a bundle is corrupt or from another
/// version, and loading it would apply its expressions to a different
/// text, so it is an error naming the input, never a silent fallback.
#[test]
fn a_regex_input_the_builder_does_not_write_is_refused() {
    let build = |pattern: &str| {
        let mut b = BundleBuilder::new();
        let list = b.add_list("words", "adult").unwrap();
        b.add_entry(list, &entry(EntryKind::Regex(pattern.into()), 1))
            .unwrap();
        b.build().unwrap()
    };
    // Same-length edits: bytes of the pattern become bytes of the input.
    let bytes = build("roulette1234567");
    let field = br#""pattern":"roulette1234567","input":"url""#;
    let at = bytes
        .windows(field.len())
        .position(|w| w == field)
        .expect("the builder writes the `url` input");
    Bundle::from_bytes(bytes.clone()).unwrap();
    for (name, bad) in [
        (
            "squidguard",
            &br#""pattern":"roulette","input":"squidguard""#[..],
        ),
        ("unknown", br#""pattern":"roulette12","input":"anything""#),
        ("case", br#""pattern":"roulette1234567","input":"URL""#),
    ] {
        let mut edited = bytes.clone();
        edited[at..at + field.len()].copy_from_slice(bad);
        assert!(reseal_checksum(&mut edited), "{name}");
        let err = Bundle::from_bytes(edited).unwrap_err();
        let BundleError::Section { section, reason } = &err else {
            panic!("{name}: {err:?}");
        };
        assert_eq!(*section, "meta", "{name}");
        assert!(
            reason.contains("corrupt or from another esafety version"),
            "{name}: {err}"
        );
    }
}

/// A version 3 bundle stored e2guardian expressions with the `url`
/// input, which version 4 reads as squidGuard's meaning (no trailing `/`
/// chopped): it is refused with the message that says to recompile,
/// never read with a meaning its lists did not have.
#[test]
fn a_version_3_bundle_is_refused_with_a_recompile_message() {
    let mut older = esafety::sample::bundle_bytes();
    older[12..16].copy_from_slice(&3u32.to_le_bytes());
    let err = Bundle::from_bytes(older).unwrap_err();
    assert_eq!(
        err,
        BundleError::UnsupportedVersion {
            found: 3,
            supported: FORMAT_VERSION
        }
    );
    assert_eq!(FORMAT_VERSION, 5);
    assert!(
        err.to_string()
            .contains("recompile the bundle with this esafety's `esafety compile`"),
        "{err}"
    );
}

/// squidGuard and e2guardian expressions are written with inputs of
/// their own (`url`, `e2guardian`), each in automata of their own; an
/// automaton whose expressions name different inputs is refused.
#[test]
fn e2guardian_expressions_have_an_input_of_their_own() {
    let mut b = BundleBuilder::new();
    let sg = b.add_list("expressions", "adult").unwrap();
    let e2 = b.add_list("bannedregexpurllist", "adult").unwrap();
    b.add_entry(
        sg,
        &entry(EntryKind::SquidGuardExpression("\\.exe$".into()), 1),
    )
    .unwrap();
    b.add_entry(
        e2,
        &entry(EntryKind::E2guardianExpression("\\.exe$".into()), 1),
    )
    .unwrap();
    b.add_entry(
        e2,
        &entry(EntryKind::E2guardianExpression("roulette1234567".into()), 2),
    )
    .unwrap();
    let bytes = b.build().unwrap();
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains(r#""pattern":"\\.exe$","ignore_case":true,"input":"url""#));
    assert!(text.contains(r#""pattern":"\\.exe$","ignore_case":true,"input":"e2guardian""#));
    let classifier = Classifier::new(Bundle::from_bytes(bytes.clone()).unwrap());
    let lists = |url: &str| -> Vec<String> {
        let c = classifier.classify_str(url).unwrap();
        let mut lists: Vec<String> = c.matches.iter().map(|m| m.list.to_owned()).collect();
        lists.sort();
        lists
    };
    assert_eq!(
        lists("http://files.example/setup.exe"),
        ["bannedregexpurllist", "expressions"]
    );
    assert_eq!(
        lists("http://files.example/setup.exe/"),
        ["bannedregexpurllist"]
    );
    // One e2guardian expression's input edited to `url` (same length):
    // its automaton now mixes inputs.
    let field = br#""pattern":"roulette1234567","ignore_case":true,"input":"e2guardian""#;
    let bad = br#""pattern":"roulette12345678901234","ignore_case":true,"input":"url""#;
    assert_eq!(field.len(), bad.len());
    let at = bytes
        .windows(field.len())
        .position(|w| w == field)
        .expect("the builder writes the `e2guardian` input");
    let mut edited = bytes.clone();
    edited[at..at + field.len()].copy_from_slice(bad);
    assert!(reseal_checksum(&mut edited));
    let err = Bundle::from_bytes(edited).unwrap_err();
    assert!(err.to_string().contains("different inputs"), "{err}");
}

/// Version 5 added sparse automata, which a version 4 esafety cannot
/// read; versions are matched exactly, so a version 4 bundle is refused
/// with the message that says to recompile.
#[test]
fn a_version_4_bundle_is_refused_with_a_recompile_message() {
    let mut older = esafety::sample::bundle_bytes();
    older[12..16].copy_from_slice(&4u32.to_le_bytes());
    let err = Bundle::from_bytes(older).unwrap_err();
    assert_eq!(
        err,
        BundleError::UnsupportedVersion {
            found: 4,
            supported: FORMAT_VERSION
        }
    );
    assert!(
        err.to_string()
            .contains("recompile the bundle with this esafety's `esafety compile`"),
        "{err}"
    );
}

/// An automaton's layout is what its metadata says: sparse bytes named
/// dense fail regex-automata's validation and the bundle is refused,
/// naming the regex section.
#[test]
fn an_automaton_read_in_the_wrong_layout_is_refused() {
    let mut b = BundleBuilder::new();
    b.automata(esafety::bundle::AutomatonLayout::Sparse);
    let list = b.add_list("words", "adult").unwrap();
    b.add_entry(list, &entry(EntryKind::Regex("roulette[0-9]+".into()), 1))
        .unwrap();
    let bytes = b.build().unwrap();
    Bundle::from_bytes(bytes.clone()).unwrap();
    // The field, blanked to JSON whitespace of the same length: the
    // automaton is then read as dense.
    let field = br#""sparse":true,"#;
    let at = bytes
        .windows(field.len())
        .position(|w| w == field)
        .expect("the builder names a sparse automaton");
    let mut edited = bytes.clone();
    edited[at..at + field.len()].fill(b' ');
    assert!(reseal_checksum(&mut edited));
    let err = Bundle::from_bytes(edited).unwrap_err();
    assert!(
        matches!(
            &err,
            BundleError::Section {
                section: "regex",
                ..
            }
        ),
        "{err:?}"
    );
}
