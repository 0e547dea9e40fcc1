//! The metadata reader: builder output reads back as written, and each
//! shape the builder never writes is refused in `serde_json`'s words at its
//! line and column.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "tests: a failure should panic with its message"
)]

use serde_json::{Value as J, json};

use super::*;

fn sample_json() -> J {
    json!({
        "lists": [
            {"name": "bets", "category": "gambling", "entries": 3, "date": "2026-11-30"},
            {"name": "ok", "category": null, "entries": 18446744073709551615u64, "date": null},
            {"name": "iwf", "category": "child-abuse", "entries": 0, "date": null}
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

#[cfg(feature = "compile")]
#[test]
fn builder_output_reads_back_as_written() {
    let sample = crate::sample::bundle_bytes();
    let text = meta_text(&sample);
    let meta = read(&text).unwrap();
    assert_eq!(serde_json::to_string(&meta).unwrap(), text);
}

#[test]
fn every_field_shape_reads_back() {
    let text = sample_json().to_string();
    let meta = read(&text).unwrap();
    assert_eq!(serde_json::to_value(&meta).unwrap(), sample_json());
    // `string_prefix_sets` and `ignore_case` may be absent (and are not
    // written when empty or false); an optional field may be absent.
    let mut without = sample_json();
    without
        .as_object_mut()
        .unwrap()
        .remove("string_prefix_sets");
    without["lists"][2].as_object_mut().unwrap().remove("date");
    let meta = read(&without.to_string()).unwrap();
    assert!(meta.string_prefix_sets.is_empty());
    assert!(!meta.regexes[0].ignore_case);
    assert_eq!(meta.lists[2].date, None);
}

#[test]
fn shapes_the_builder_never_writes_are_refused_where_they_are() {
    // (name, change to the sample, message)
    type Change = fn(&mut J);
    let cases: &[(&str, Change, &str)] = &[
        (
            "unknown field",
            |j| j["colour"] = json!(1),
            "unknown field `colour`, expected one of `lists`, `local_categories`, `list_sets`, \
             `folded_sets`, `string_prefix_sets`, `gate_seed`, `gate_hashes`, `ungated_digests`, \
             `regexes`, `automata`, `counts` at line 1 column 163",
        ),
        (
            "missing field",
            |j| {
                j.as_object_mut().unwrap().remove("counts");
            },
            "missing field `counts` at line 1 column ",
        ),
        (
            "a list id over u16",
            |j| j["regexes"][0]["list"] = json!(65536),
            "invalid value: integer `65536`, expected u16",
        ),
        (
            "a negative count",
            |j| j["counts"]["urls"] = json!(-1),
            "invalid value: integer `-1`, expected u64",
        ),
        (
            "a float count",
            |j| j["counts"]["urls"] = json!(1.5),
            "invalid type: floating point `1.5`, expected u64",
        ),
        (
            "a set pair of three",
            |j| j["folded_sets"][0] = json!([1, [0], 2]),
            "trailing characters",
        ),
        (
            "a set pair of one",
            |j| j["folded_sets"][0] = json!([1]),
            "invalid length 1, expected a tuple of size 2",
        ),
        (
            "a name that is not a string",
            |j| j["lists"][0]["name"] = json!(7),
            "invalid type: integer `7`, expected a string",
        ),
        (
            "an unknown list field",
            |j| j["lists"][0]["url"] = json!("x"),
            "unknown field `url`, expected one of `name`, `category`, `entries`, `date`",
        ),
    ];
    for (name, change, message) in cases {
        let mut j = sample_json();
        change(&mut j);
        let err = read(&j.to_string()).unwrap_err();
        assert!(
            err.starts_with("not valid metadata JSON: "),
            "{name}: {err}"
        );
        assert!(err.contains(message), "{name}: {err}");
        assert!(err.contains(" at line 1 column "), "{name}: {err}");
    }
    let err = read("{\"lists\": [").unwrap_err();
    assert!(
        err.contains("EOF while parsing a list at line 1 column 11"),
        "{err}"
    );
}
