//! Loading policies: located, plain-words errors; TOML and JSON agree; the
//! checked-in JSON Schema is current.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers: a failure should panic with its message"
)]

use esafety::Category;
use esafety::classify::{Classification, Match};
use esafety::policy::{Device, Policy, Request, json_schema};
use esafety::url::CanonicalUrl;

const BASE: &str = "id = \"x\"\ndefault = \"allow\"\n";

#[test]
fn load_errors_name_file_line_column_and_the_fix() {
    // (name, text after BASE, line, column, message fragments)
    let cases: &[(&str, &str, usize, usize, &[&str])] = &[
        (
            "unknown field",
            "colour = \"red\"\n",
            3,
            1,
            &["unknown field `colour`", "remove it"],
        ),
        (
            "unknown rule field",
            "[[rules]]\nid = \"a\"\naction = \"block\"\nwhen = 1\n",
            6,
            1,
            &["unknown field `when`"],
        ),
        (
            "unknown category lists the valid ids",
            "[[rules]]\nid = \"a\"\naction = \"block\"\ncategories = [\"gamblin\"]\n",
            6,
            15,
            &["unknown category `gamblin`", "gambling", "local-<name>"],
        ),
        (
            "bad local id",
            "[[rules]]\nid = \"a\"\naction = \"block\"\ncategories = [\"local-\"]\n",
            6,
            15,
            &["unknown category `local-`"],
        ),
        (
            "allow child-abuse",
            "[[rules]]\nid = \"a\"\naction = \"allow\"\ncategories = [\"child-abuse\"]\n",
            3,
            1,
            &[
                "tries to allow `child-abuse`",
                "statutory baseline",
                "remove `child-abuse`",
            ],
        ),
        (
            "warn terrorism",
            "[[rules]]\nid = \"a\"\naction = \"warn\"\ncategories = [\"gaming\", \"terrorism\"]\n",
            3,
            1,
            &["tries to warn `terrorism`"],
        ),
        (
            "monitor via @statutory",
            "[[rules]]\nid = \"a\"\naction = \"monitor\"\ncategories = [\"@statutory\"]\n",
            3,
            1,
            &["(via `@statutory`)"],
        ),
        (
            "window crosses midnight",
            "[[rules]]\nid = \"a\"\naction = \"block\"\ntimes = [\"22:00-06:00\"]\n",
            6,
            10,
            &[
                "bad time window `22:00-06:00`",
                "`22:00-24:00` and `00:00-06:00`",
            ],
        ),
        (
            "window garbage",
            "[[rules]]\nid = \"a\"\naction = \"block\"\ntimes = [\"lunch\"]\n",
            6,
            10,
            &["bad time window `lunch`", "HH:MM-HH:MM"],
        ),
        (
            "bad time zone",
            "time_zone = \"Europe/Lundon\"\n",
            3,
            13,
            &["unknown time zone `Europe/Lundon`", "Europe/London"],
        ),
        (
            "bad action",
            "[[rules]]\nid = \"a\"\naction = \"deny\"\n",
            5,
            10,
            &["unknown variant `deny`"],
        ),
        (
            "bad day",
            "[[rules]]\nid = \"a\"\naction = \"block\"\ndays = [\"monday\"]\n",
            6,
            9,
            &["unknown variant `monday`"],
        ),
        (
            "bad device",
            "[[rules]]\nid = \"a\"\naction = \"block\"\ndevice = \"phone\"\n",
            6,
            10,
            &["unknown variant `phone`"],
        ),
        (
            "empty age range",
            "age = { min = 12, max = 4 }\n",
            3,
            7,
            &["age range 12-4 is empty"],
        ),
        (
            "empty condition list",
            "[[rules]]\nid = \"a\"\naction = \"block\"\ngroups = []\n",
            3,
            1,
            &["`groups` is empty", "could never match"],
        ),
        (
            // Located at the duplicate (the second `[[rules]]`), not at the
            // first rule, and naming the rule it repeats.
            "duplicate rule ids",
            "[[rules]]\nid = \"a\"\naction = \"block\"\n[[rules]]\nid = \"a\"\naction = \"allow\"\n",
            6,
            1,
            &[
                "two rules have the id `a`",
                "this rule (rule 2) and rule 1 above it",
                "give each rule a unique id",
            ],
        ),
        (
            "duplicate rule ids further down",
            "[[rules]]\nid = \"a\"\naction = \"block\"\n[[rules]]\nid = \"b\"\naction = \"block\"\n[[rules]]\nid = \"b\"\naction = \"allow\"\n",
            9,
            1,
            &[
                "two rules have the id `b`",
                "this rule (rule 3) and rule 2 above it",
            ],
        ),
        (
            "bad rule id",
            "[[rules]]\nid = \"Block All\"\naction = \"block\"\n",
            4,
            6,
            &["bad identifier `Block All`"],
        ),
        (
            "bad date",
            "reviewed = \"01/09/2026\"\n",
            3,
            12,
            &["bad date `01/09/2026`", "YYYY-MM-DD"],
        ),
        (
            "toml syntax says so and what to do",
            "audience = [\"pupils\"\n",
            3,
            21,
            &["not valid TOML: ", "; fix the syntax"],
        ),
    ];
    let mut wrong = Vec::new();
    for (name, tail, line, column, _) in cases {
        let err = Policy::load("p.toml", &format!("{BASE}{tail}")).expect_err(name);
        let e = err.load_error();
        if (e.line(), e.column()) != (*line, *column) {
            wrong.push(format!("{name}: {}:{}", e.line(), e.column()));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
    for (name, tail, line, column, fragments) in cases {
        let text = format!("{BASE}{tail}");
        let err = Policy::load("p.toml", &text).expect_err(name);
        let e = err.load_error();
        assert_eq!(
            (e.source_name(), e.line(), e.column()),
            ("p.toml", *line, *column),
            "{name}: {err}"
        );
        assert!(
            err.to_string()
                .starts_with(&format!("p.toml:{line}:{column}: ")),
            "{name}: {err}"
        );
        for f in *fragments {
            assert!(e.message().contains(f), "{name}: `{f}` not in {err}");
        }
    }
}

#[test]
fn missing_required_fields_are_errors() {
    let err = Policy::load("p.toml", "id = \"x\"\n").unwrap_err();
    assert!(
        err.to_string().contains("missing field `default`; add it"),
        "{err}"
    );
    let err = Policy::load("p.json", "{\"default\": \"allow\"}").unwrap_err();
    assert!(err.to_string().contains("missing field `id`"), "{err}");
}

#[test]
fn json_errors_are_located_too() {
    let text = "{\n  \"id\": \"x\",\n  \"default\": \"allow\",\n  \"rules\": [\n    {\"id\": \"a\", \"action\": \"allow\", \"categories\": [\"terrorism\"]}\n  ]\n}\n";
    let err = Policy::load("p.json", text).unwrap_err();
    // The error points at the rule object that tries to lower the
    // baseline: at its closing `}`, where serde_json stopped reading it.
    assert_eq!(
        (err.load_error().line(), err.load_error().column()),
        (5, 63),
        "{err}"
    );
    assert!(err.to_string().starts_with("p.json:5:63: "), "{err}");
    assert!(err.to_string().contains("statutory baseline"), "{err}");
    let err = Policy::load(
        "p.json",
        "{\"id\": \"x\", \"default\": \"allow\", \"colour\": 1}",
    )
    .unwrap_err();
    assert!(err.to_string().contains("unknown field `colour`"), "{err}");
    // A duplicate rule id points at the second rule object (its `}`).
    let text = "{\"id\": \"x\", \"default\": \"allow\", \"rules\": [\n  {\"id\": \"a\", \"action\": \"block\"},\n  {\"id\": \"a\", \"action\": \"warn\"}\n]}\n";
    let err = Policy::load("p.json", text).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("p.json:3:31: two rules have the id `a`"),
        "{err}"
    );
    let err = Policy::load("p.json", "{\"id\": \"x\",}").unwrap_err();
    assert!(
        err.to_string()
            .starts_with("p.json:1:12: not valid JSON: trailing comma"),
        "{err}"
    );
    assert!(err.to_string().ends_with("; fix the syntax"), "{err}");
}

#[test]
fn toml_dates_and_string_dates_both_load() {
    let a = Policy::load("a.toml", &format!("{BASE}reviewed = 2026-09-01\n")).unwrap();
    let b = Policy::load("b.toml", &format!("{BASE}reviewed = \"2026-09-01\"\n")).unwrap();
    assert_eq!(a.document(), b.document());
    assert_eq!(
        a.document().reviewed.unwrap().0,
        jiff::civil::date(2026, 9, 1)
    );
}

fn classification(cats: &[(&'static str, Category)]) -> Classification<'static> {
    Classification {
        categories: cats.iter().map(|(_, c)| *c).collect(),
        matches: cats
            .iter()
            .map(|(id, c)| Match {
                list: "l",
                category: *c,
                category_id: id,
                expression: "e.example/".into(),
            })
            .collect(),
    }
}

#[test]
fn toml_and_json_of_the_same_policy_evaluate_identically() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../policies");
    let url = CanonicalUrl::parse("https://www.google.com/search?q=x").unwrap();
    let classifications = [
        classification(&[]),
        classification(&[("gambling", Category::Gambling)]),
        classification(&[("social-networking", Category::SocialNetworking)]),
        classification(&[("gaming", Category::Gaming)]),
        classification(&[("streaming", Category::Streaming), ("chat", Category::Chat)]),
        classification(&[("child-abuse", Category::ChildAbuse)]),
    ];
    let times = [
        "2026-03-02T10:00:00Z",
        "2026-03-02T12:45:00Z",
        "2026-03-07T23:30:00Z",
    ];
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("toml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let from_toml = Policy::load("p.toml", &text).unwrap();
        let json = serde_json::to_string_pretty(from_toml.document()).unwrap();
        let from_json = Policy::load("p.json", &json).unwrap();
        assert_eq!(
            from_toml.document(),
            from_json.document(),
            "{}",
            path.display()
        );
        for c in &classifications {
            for t in times {
                for age in [None, Some(9), Some(14), Some(17), Some(40)] {
                    for device in [None, Some(Device::Managed), Some(Device::Byod)] {
                        let mut r = Request::new(&url, t.parse().unwrap());
                        r.age = age;
                        r.device = device;
                        r.group = Some("pupils");
                        assert_eq!(
                            from_toml.evaluate(&r, c),
                            from_json.evaluate(&r, c),
                            "{}",
                            path.display()
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn checked_in_schema_is_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../policies/schema/policy.schema.json");
    let fresh = json_schema();
    if std::env::var_os("ESAFETY_BLESS").is_some() {
        std::fs::write(&path, &fresh).unwrap();
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        checked_in == fresh,
        "policies/schema/policy.schema.json is out of date; regenerate it with \
         `ESAFETY_BLESS=1 cargo test -p esafety --test policy_load checked_in_schema_is_current`"
    );
}

#[test]
fn schema_rejects_unknown_fields_and_requires_id_and_default() {
    let schema: serde_json::Value = serde_json::from_str(&json_schema()).unwrap();
    assert_eq!(schema["additionalProperties"], false);
    let required: Vec<&str> = schema["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(required, ["id", "default"]);
    let text = json_schema();
    assert!(
        text.contains("\"gambling\"") && text.contains("^local-"),
        "category ids are in the schema"
    );
}
