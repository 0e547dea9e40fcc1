//! The metadata reader against the serde derive it replaced (still derived
//! in tests): builder output, every shape of value, and mutations of both
//! are read alike, errors in the same words at the same place.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "tests: a failure should panic with its message"
)]

use proptest::prelude::*;
use serde_json::{Value as J, json};

use super::*;
use crate::document::{Format, line_column};

/// The old reading: serde's derive through the document reader.
fn by_serde(text: &str) -> Result<J, (usize, String)> {
    crate::document::read::<Meta>(text, Format::Json)
        .map(|m| serde_json::to_value(m).unwrap())
        .map_err(|e| (e.offset(), e.message().to_owned()))
}

fn by_hand(text: &str) -> Result<J, (usize, String)> {
    read(text).map(|m| serde_json::to_value(m).unwrap())
}

fn agree(text: &str) {
    let (ours, theirs) = (by_hand(text), by_serde(text));
    let at = |r: &Result<J, (usize, String)>| match r {
        Err((offset, _)) => Some(line_column(text, *offset)),
        Ok(_) => None,
    };
    assert_eq!(
        ours,
        theirs,
        "{text}: at {:?} / {:?}",
        at(&ours),
        at(&theirs)
    );
}

fn sample_json() -> J {
    json!({
        "lists": [
            {"name": "bets", "category": "gambling", "entries": 3, "date": "2026-11-30"},
            {"name": "ok", "category": null, "entries": 18446744073709551615u64, "date": null},
            {"name": "iwf", "category": "child-abuse", "entries": 0}
        ],
        "local_categories": ["school-blocked"],
        "list_sets": [[0], [0, 1], []],
        "folded_sets": [[1, [0]]],
        "string_prefix_sets": [[0, [1, 2]]],
        "gate_seed": 18446744073709551615u64,
        "gate_hashes": 4294967295u32,
        "ungated_digests": false,
        "regexes": [
            {"list": 0, "pattern": "poker[0-9]+", "input": "url"},
            {"list": 65535, "pattern": "(^|/)casino", "ignore_case": true, "input": "squidguard"}
        ],
        "automata": [
            {"offset": 0, "len": 4000, "anchored": false, "patterns": [0]},
            {"offset": 4000, "len": 18446744073709551615u64, "anchored": true, "patterns": [1, 4294967295u32]}
        ],
        "counts": {"domains": 1, "urls": 2, "prefixes": 3, "digests": 4, "regexes": 2, "gated_hosts": 0, "host_prefixes": 5}
    })
}

/// The metadata section of bundle bytes: the JSON object that starts
/// `{"lists":`.
fn meta_text(bundle: &[u8]) -> String {
    let start = bundle.windows(9).position(|w| w == b"{\"lists\":").unwrap();
    let mut values = serde_json::Deserializer::from_slice(&bundle[start..]).into_iter::<J>();
    values.next().unwrap().unwrap();
    String::from_utf8(bundle[start..start + values.byte_offset()].to_vec()).unwrap()
}

#[test]
fn builder_output_reads_alike() {
    use crate::bundle::BundleBuilder;
    use crate::lists::{Entry, EntryKind};
    let mut b = BundleBuilder::new();
    let bets = b.add_list("bets", "gambling").unwrap();
    b.set_date(bets, "2026-11-30").unwrap();
    let ads = b.add_list("ads", "malware-hacking").unwrap();
    let kinds = [
        (bets, EntryKind::Domain("bet.example".into())),
        (
            bets,
            EntryKind::UrlPrefixNoCase("casino.example/Poker/".into()),
        ),
        (bets, EntryKind::RegexNoCase("roulette[0-9]+".into())),
        (ads, EntryKind::UrlStringPrefix("ads.example/track_".into())),
        (ads, EntryKind::Regex("banner/[a-z]+".into())),
        (
            ads,
            EntryKind::UrlPrefixNoCase("casino.example/poker/".into()),
        ),
    ];
    for (line, (list, kind)) in kinds.into_iter().enumerate() {
        b.add_entry(
            list,
            &Entry {
                kind,
                line: line + 1,
            },
        )
        .unwrap();
    }
    let built = b.build().unwrap();
    let sample = crate::sample::bundle_bytes();
    let mut texts = vec![
        meta_text(&built),
        meta_text(&sample),
        sample_json().to_string(),
        serde_json::to_string_pretty(&sample_json()).unwrap(),
    ];
    let mut without_optional = sample_json();
    without_optional
        .as_object_mut()
        .unwrap()
        .remove("string_prefix_sets");
    texts.push(without_optional.to_string());
    for text in &texts {
        agree(text);
        assert!(by_hand(text).is_ok(), "{text}");
    }
    // The builder's bundle has every optional part, and loads.
    let built_meta: J = serde_json::from_str(&texts[0]).unwrap();
    assert_ne!(built_meta["folded_sets"], json!([]), "{built_meta}");
    assert_ne!(built_meta["string_prefix_sets"], J::Null, "{built_meta}");
    assert!(crate::bundle::Bundle::from_bytes(built).is_ok());
}

#[test]
fn damaged_metadata_reads_alike() {
    let with = |f: &dyn Fn(&mut J)| {
        let mut v = sample_json();
        f(&mut v);
        v.to_string()
    };
    let cases: Vec<(&str, String)> = vec![
        ("not json", "{".to_owned()),
        ("an array", "[]".to_owned()),
        (
            "missing lists",
            with(&|v| {
                v.as_object_mut().unwrap().remove("lists");
            }),
        ),
        (
            "missing counts",
            with(&|v| {
                v.as_object_mut().unwrap().remove("counts");
            }),
        ),
        ("unknown field", with(&|v| v["extra"] = json!(1))),
        (
            "unknown list field",
            with(&|v| v["lists"][0]["extra"] = json!(1)),
        ),
        (
            "missing list name",
            with(&|v| {
                v["lists"][0].as_object_mut().unwrap().remove("name");
            }),
        ),
        (
            "negative entries",
            with(&|v| v["lists"][0]["entries"] = json!(-1)),
        ),
        (
            "float entries",
            with(&|v| v["lists"][0]["entries"] = json!(1.5)),
        ),
        (
            "string entries",
            with(&|v| v["lists"][0]["entries"] = json!("3")),
        ),
        (
            "u16 overflow",
            with(&|v| v["list_sets"][0][0] = json!(65536)),
        ),
        (
            "u32 overflow",
            with(&|v| v["gate_hashes"] = json!(4294967296u64)),
        ),
        (
            "set not a pair",
            with(&|v| v["folded_sets"][0] = json!([1])),
        ),
        (
            "set a triple",
            with(&|v| v["folded_sets"][0] = json!([1, [0], 2])),
        ),
        (
            "set an object",
            with(&|v| v["folded_sets"][0] = json!({"a": 1})),
        ),
        ("lists an object", with(&|v| v["lists"] = json!({}))),
        (
            "category a number",
            with(&|v| v["lists"][0]["category"] = json!(7)),
        ),
        (
            "ignore_case a string",
            with(&|v| v["regexes"][0]["ignore_case"] = json!("yes")),
        ),
        ("ungated null", with(&|v| v["ungated_digests"] = J::Null)),
        ("counts an array", with(&|v| v["counts"] = json!([1, 2]))),
        (
            "count missing",
            with(&|v| {
                v["counts"].as_object_mut().unwrap().remove("gated_hosts");
            }),
        ),
        (
            "string_prefix_sets null",
            with(&|v| v["string_prefix_sets"] = J::Null),
        ),
        (
            "duplicate field",
            sample_json()
                .to_string()
                .replacen('{', "{\"gate_hashes\":1,", 1),
        ),
    ];
    for (case, text) in &cases {
        let ours = by_hand(text);
        assert!(ours.is_err(), "{case}: accepted");
        assert_eq!(ours, by_serde(text), "{case}");
    }
}

/// A value of another kind, or an edge of a number's range.
fn replacement() -> impl Strategy<Value = J> {
    prop_oneof![
        Just(J::Null),
        any::<bool>().prop_map(J::Bool),
        any::<i64>().prop_map(J::from),
        any::<u64>().prop_map(J::from),
        prop_oneof![
            Just(65535u64),
            Just(65536),
            Just(4294967295),
            Just(4294967296)
        ]
        .prop_map(J::from),
        "[a-z]{0,3}".prop_map(J::String),
        Just(json!([])),
        Just(json!([1, [2]])),
        Just(json!({})),
        Just(json!(0.5)),
    ]
}

/// Every path to a value in `v`.
fn paths(v: &J, at: Vec<J>, out: &mut Vec<Vec<J>>) {
    out.push(at.clone());
    match v {
        J::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let mut p = at.clone();
                p.push(J::from(i));
                paths(item, p, out);
            }
        }
        J::Object(map) => {
            for (k, item) in map {
                let mut p = at.clone();
                p.push(J::from(k.clone()));
                paths(item, p, out);
            }
        }
        _ => {}
    }
}

fn at_path<'v>(v: &'v mut J, path: &[J]) -> &'v mut J {
    path.iter().fold(v, |v, step| match step {
        J::String(k) => &mut v[k.as_str()],
        step => &mut v[step.as_u64().unwrap() as usize],
    })
}

proptest! {
    /// Any one value replaced, removed, or joined by an unknown key: both
    /// readers accept it alike or refuse it in the same words at the same
    /// place.
    #[test]
    fn mutations_read_alike(pick in any::<prop::sample::Index>(), new in replacement(), how in 0..3u8) {
        let mut v = sample_json();
        let mut all = Vec::new();
        paths(&v, Vec::new(), &mut all);
        let path = pick.get(&all).clone();
        match how {
            0 => *at_path(&mut v, &path) = new,
            1 => {
                if let Some((last, parent)) = path.split_last() {
                    match (at_path(&mut v, parent), last) {
                        (J::Object(map), J::String(k)) => { map.remove(k); }
                        (J::Array(items), i) => { items.remove(i.as_u64().unwrap() as usize); }
                        _ => {}
                    }
                }
            }
            _ => {
                if let J::Object(map) = at_path(&mut v, &path) {
                    map.insert("unexpected".to_owned(), new);
                }
            }
        }
        let text = v.to_string();
        prop_assert_eq!(by_hand(&text), by_serde(&text), "{}", text);
    }
}
