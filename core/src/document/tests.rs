#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests: a failure should panic with its message"
)]

use std::collections::BTreeMap;

use serde::Deserialize;

use super::*;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[expect(dead_code, reason = "the fields are read, not used")]
struct Doc {
    name: String,
    #[serde(default)]
    age: u8,
    #[serde(default)]
    tags: Vec<Tag>,
    #[serde(default)]
    inner: Option<Inner>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Tag {
    Red,
    Blue,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[expect(dead_code, reason = "the field is read, not used")]
struct Inner {
    flag: bool,
}

/// A date field read by [`date_text`].
#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct Dated {
    #[serde(deserialize_with = "reviewed")]
    reviewed: String,
}

fn reviewed<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    date_text(d, "a date `YYYY-MM-DD`")
}

/// Where an error is, as `line:column`, its kind and its message.
fn located<T: DeserializeOwned + fmt::Debug>(
    text: &str,
    format: Format,
) -> (String, ErrorKind, String) {
    let e = read::<T>(text, format).unwrap_err();
    let (l, c) = e.line_column(text);
    (format!("{l}:{c}"), e.kind(), e.message().to_owned())
}

#[test]
fn line_column_counts_from_one_in_characters() {
    let text = "a = 1\nbé = 2\n";
    assert_eq!(line_column(text, 0), (1, 1));
    assert_eq!(line_column(text, 6), (2, 1));
    assert_eq!(line_column(text, 9), (2, 3));
    // Inside `é`: the character it is in.
    assert_eq!(line_column(text, 8), (2, 2));
    assert_eq!(line_column(text, 999), (3, 1));
}

#[test]
fn json_offsets_are_the_byte_serde_json_names() {
    // (name, text, line, serde_json's column, offset)
    let cases: &[(&str, &str, usize, usize, usize)] = &[
        ("first byte", "x", 1, 1, 0),
        ("before the first byte of a line", "{\n", 2, 0, 2),
        ("second line", "{\n  \"a\"", 2, 5, 6),
        ("past the end", "{}", 1, 9, 2),
        ("a line that is not there", "{}", 7, 1, 2),
    ];
    for (name, text, line, column, offset) in cases {
        assert_eq!(json_offset(text, *line, *column), *offset, "{name}");
    }
}

#[cfg(feature = "toml")]
#[test]
fn toml_data_errors_point_at_the_key_or_value() {
    // (name, text, line:column, message)
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "unknown field",
            "name = 'a'\ncolour = 1\n",
            "2:1",
            "unknown field `colour`, expected one of `name`, `age`, `tags`, `inner`",
        ),
        (
            "wrong type",
            "name = 5\n",
            "1:8",
            "invalid type: integer `5`, expected a string",
        ),
        (
            "out of range",
            "name = 'a'\nage = 300\n",
            "2:7",
            "invalid value: integer `300`, expected u8",
        ),
        (
            "bad array element",
            "name = 'a'\ntags = ['red', 'green']\n",
            "2:16",
            "unknown variant `green`, expected `red` or `blue`",
        ),
        (
            "nested table field",
            "name = 'a'\n[inner]\nflag = 'yes'\n",
            "3:8",
            "invalid type: string \"yes\", expected a boolean",
        ),
        (
            "missing field in nested table",
            "name = 'a'\n[inner]\n",
            "2:1",
            "missing field `flag`",
        ),
        (
            "missing top-level field",
            "age = 3\n",
            "1:1",
            "missing field `name`",
        ),
        (
            // The crate hands a date literal over as a table.
            "a date is not a string",
            "name = 2026-01-01\n",
            "1:8",
            "invalid type: map, expected a string",
        ),
        (
            "a table is not an array",
            "name = 'a'\ntags = {red = 1}\n",
            "2:8",
            "invalid type: map, expected a sequence",
        ),
        (
            "a float is not an integer",
            "name = 'a'\nage = 7.5\n",
            "2:7",
            "invalid type: floating point `7.5`, expected u8",
        ),
        (
            "a bool is not a table",
            "name = 'a'\ninner = true\n",
            "2:9",
            "invalid type: boolean `true`, expected struct Inner",
        ),
        (
            "a misspelt field gets the closest",
            "name = 'a'\ntagz = []\n",
            "2:1",
            "unknown field `tagz`, expected one of `name`, `age`, `tags`, `inner`; \
             did you mean `tags`?",
        ),
        (
            "a misspelt variant gets the closest",
            "name = 'a'\ntags = ['bleu']\n",
            "2:9",
            "unknown variant `bleu`, expected `red` or `blue`; did you mean `blue`?",
        ),
    ];
    let wrong: Vec<String> = cases
        .iter()
        .filter_map(|(name, text, at, message)| {
            let got = located::<Doc>(text, Format::Toml);
            let want = (at.to_string(), ErrorKind::Data, message.to_string());
            (got != want).then(|| format!("{name}: got {got:?}, want {want:?}"))
        })
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn json_data_errors_are_where_serde_json_stopped() {
    // (name, text, line:column, message). serde_json names the last byte
    // it read: the end of the value or key the error is about.
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "unknown field",
            "{\"name\": \"a\",\n \"colour\": 1}",
            "2:9",
            "unknown field `colour`, expected one of `name`, `age`, `tags`, `inner`",
        ),
        (
            "wrong type",
            "{\"name\": true}",
            "1:13",
            "invalid type: boolean `true`, expected a string",
        ),
        (
            "a name that is not a string",
            "{\"name\": \"a\", \"tags\": [\"red\", 1]}",
            "1:31",
            "invalid type: expected one of the names this field takes, as a string",
        ),
        (
            "duplicate field",
            "{\"name\": \"a\",\n\"name\": \"b\"}",
            "2:6",
            "duplicate field `name`",
        ),
        (
            "null is not a string",
            "{\"name\": null}",
            "1:13",
            "invalid type: null, expected a string",
        ),
        (
            "not a table",
            "5",
            "1:1",
            "invalid type: integer `5`, expected struct Doc",
        ),
        (
            "a string is not an integer",
            "{\"name\": \"a\", \"age\": \"7\"}",
            "1:24",
            "invalid type: string \"7\", expected u8",
        ),
        (
            "a float is not an integer",
            "{\"name\": \"a\", \"age\": 7.50}",
            "1:25",
            "invalid type: floating point `7.5`, expected u8",
        ),
        (
            "columns count characters",
            "{\"name\": \"é\", \"age\": \"7\"}",
            "1:24",
            "invalid type: string \"7\", expected u8",
        ),
        (
            "a misspelt field gets the closest",
            "{\"name\": \"a\", \"agee\": 1}",
            "1:20",
            "unknown field `agee`, expected one of `name`, `age`, `tags`, `inner`; \
             did you mean `age`?",
        ),
    ];
    let wrong: Vec<String> = cases
        .iter()
        .filter_map(|(name, text, at, message)| {
            let got = located::<Doc>(text, Format::Json);
            let want = (at.to_string(), ErrorKind::Data, message.to_string());
            (got != want).then(|| format!("{name}: got {got:?}, want {want:?}"))
        })
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn syntax_errors_are_syntax_in_both_formats() {
    // (name, format, text, line:column)
    let cases: &[(&str, Format, &str, &str)] = &[
        ("json trailing comma", Format::Json, "{\"a\": [1,]}", "1:10"),
        ("json cut short", Format::Json, "{\n  \"a\": tru\n}", "3:1"),
        ("json trailing text", Format::Json, "{} x", "1:4"),
        (
            "json overflowing float",
            Format::Json,
            "{\"a\": 1e309}",
            "1:11",
        ),
        #[cfg(feature = "toml")]
        ("toml no value", Format::Toml, "a = \n", "1:5"),
        #[cfg(feature = "toml")]
        ("toml duplicate key", Format::Toml, "a = 1\na = 2\n", "2:1"),
    ];
    let wrong: Vec<String> = cases
        .iter()
        .filter_map(|(name, format, text, at)| {
            let (l, kind, message) = located::<BTreeMap<String, serde_json::Value>>(text, *format);
            let fine = (l.as_str(), kind) == (*at, ErrorKind::Syntax)
                && !message.ends_with('.')
                && !message.contains(" at line ");
            (!fine).then(|| format!("{name}: got {l} {kind:?} {message:?}, want {at}"))
        })
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[cfg(feature = "toml")]
#[test]
fn deep_toml_nesting_is_an_error_not_a_deep_recursion() {
    let text = format!("a = {}{}", "[".repeat(5000), "]".repeat(5000));
    let e = read::<BTreeMap<String, serde_json::Value>>(&text, Format::Toml).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Syntax, "{e}");
}

#[test]
fn deep_json_nesting_is_an_error_not_a_deep_recursion() {
    let text = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    let e = read::<serde_json::Value>(&text, Format::Json).unwrap_err();
    assert_eq!(e.message(), "recursion limit exceeded");
}

#[test]
fn the_closest_expected_name_is_a_misspelling_or_nothing() {
    // (message, suggestion)
    let cases: &[(&str, Option<&str>)] = &[
        ("unknown field `colur`, expected `colour`", Some("colour")),
        (
            "unknown field `defualt`, expected one of `id`, `default`, `rules`",
            Some("default"),
        ),
        (
            "unknown variant `alow`, expected one of `block`, `allow`",
            Some("allow"),
        ),
        // Nothing close: no guess.
        (
            "unknown field `colour`, expected one of `id`, `default`",
            None,
        ),
        ("unknown field `x`, expected one of `id`, `default`", None),
        ("unknown field `x`, there are no fields", None),
        ("missing field `id`", None),
        ("invalid type: integer `5`, expected a string", None),
    ];
    for (message, want) in cases {
        assert_eq!(closest_expected(message), *want, "{message}");
    }
}

#[cfg(feature = "toml")]
#[test]
fn a_date_is_a_string_or_a_toml_date_and_nothing_else() {
    let ok = |text: &str| read::<Dated>(text, Format::Toml).map(|d| d.reviewed);
    assert_eq!(ok("reviewed = 2026-09-01").unwrap(), "2026-09-01");
    assert_eq!(ok("reviewed = \"2026-09-01\"").unwrap(), "2026-09-01");
    // Date-times keep their text for the reader of the field to refuse.
    assert_eq!(
        ok("reviewed = 2026-09-01T10:00:00Z").unwrap(),
        "2026-09-01T10:00:00Z"
    );
    // (name, text, line:column) — each refused as not a date.
    let refused: &[(&str, &str, &str)] = &[
        (
            "a one-entry table",
            "reviewed = {x = \"2026-09-01\"}",
            "1:12",
        ),
        (
            "the crate's key with more beside it",
            "reviewed = {\"$__toml_private_datetime\" = \"2026-09-01\", y = 1}",
            "1:12",
        ),
        ("an empty table", "reviewed = {}", "1:12"),
        ("an integer", "reviewed = 20260901", "1:12"),
        ("an array", "reviewed = [2026-09-01]", "1:12"),
    ];
    for (name, text, at) in refused {
        let (l, kind, message) = located::<Dated>(text, Format::Toml);
        assert_eq!(
            (l.as_str(), kind),
            (*at, ErrorKind::Data),
            "{name}: {message}"
        );
        assert!(
            message.starts_with("invalid type: ")
                && message.ends_with("expected a date `YYYY-MM-DD`"),
            "{name}: {message}"
        );
    }
}

#[test]
fn a_json_date_is_a_string() {
    let d = read::<Dated>("{\"reviewed\": \"2026-09-01\"}", Format::Json).unwrap();
    assert_eq!(d.reviewed, "2026-09-01");
    let (_, kind, message) =
        located::<Dated>("{\"reviewed\": {\"x\": \"2026-09-01\"}}", Format::Json);
    assert_eq!(kind, ErrorKind::Data);
    assert_eq!(message, "invalid type: map, expected a date `YYYY-MM-DD`");
}

#[cfg(not(feature = "toml"))]
#[test]
fn without_the_toml_feature_toml_is_refused_with_the_fix() {
    let (at, kind, message) = located::<Doc>("name = 'a'", Format::Toml);
    assert_eq!((at.as_str(), kind), ("1:1", ErrorKind::Syntax));
    assert!(
        message.contains("convert the document to JSON"),
        "{message}"
    );
}
