#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests: a failure should panic with its message"
)]

use std::collections::BTreeMap;

use proptest::prelude::*;
use serde::Deserialize;

use super::*;

fn json(text: &str) -> Result<serde_json::Value, DocumentError> {
    super::json_value(text)
}

/// Where an error is, as `line:column`, and its message.
fn located(text: &str, format: Format) -> (String, ErrorKind, String) {
    let e = read::<serde_json::Value>(text, format).unwrap_err();
    let (l, c) = e.line_column(text);
    (format!("{l}:{c}"), e.kind(), e.message().to_owned())
}

#[test]
fn line_column_counts_from_one() {
    let text = "a = 1\nbé = 2\n";
    assert_eq!(line_column(text, 0), (1, 1));
    assert_eq!(line_column(text, 6), (2, 1));
    assert_eq!(line_column(text, 9), (2, 3));
    assert_eq!(line_column(text, 999), (3, 1));
}

#[test]
fn json_values_match_serde_json() {
    let cases: &[(&str, &str)] = &[
        ("empty object", "{}"),
        ("empty array", " [ ] "),
        (
            "scalars",
            r#"[true, false, null, 0, -0, 1, -1, 1.5, -2e3, 1E+2, 0.25e-1]"#,
        ),
        ("i64 bounds", "[9223372036854775807, -9223372036854775808]"),
        ("u64 above i64", "18446744073709551615"),
        ("beyond u64 is a float", "18446744073709551616"),
        ("escapes", r#""a\"b\\c\/d\b\f\n\r\t""#),
        ("unicode escapes", r#""\u00e9\u4e2d\ud83d\ude00""#),
        ("raw utf-8", "\"é中😀\""),
        ("nested", r#"{"a": {"b": [1, {"c": []}]}, "d": "e"}"#),
        ("duplicate keys: last wins", r#"{"a": 1, "a": 2}"#),
        (
            "whitespace everywhere",
            " \t\r\n{ \"a\" \n:\t[ 1 , 2 ] } \n",
        ),
        (
            "126 levels",
            &format!("{}{}", "[".repeat(126), "]".repeat(126)),
        ),
    ];
    for (name, text) in cases {
        let ours = json(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let theirs: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_eq!(ours, theirs, "{name}");
    }
}

#[test]
fn json_syntax_errors_are_located_and_worded_as_serde_json() {
    // (name, text, line:column, message)
    let cases: &[(&str, &str, &str, &str)] = &[
        ("empty", "", "1:1", "EOF while parsing a value"),
        ("bare word", "nope", "1:2", "expected ident"),
        ("stray character", "{\"a\": x}", "1:7", "expected value"),
        (
            "trailing comma in array",
            "[1,\n ]",
            "2:2",
            "trailing comma",
        ),
        (
            "trailing comma in object",
            "{\"a\":1,}",
            "1:8",
            "trailing comma",
        ),
        ("missing colon", "{\"a\" 1}", "1:6", "expected `:`"),
        ("key not a string", "{a: 1}", "1:2", "key must be a string"),
        ("missing comma", "[1 2]", "1:4", "expected `,` or `]`"),
        (
            "missing brace",
            "{\"a\": 1",
            "1:8",
            "EOF while parsing an object",
        ),
        (
            "unterminated string",
            "\"abc",
            "1:5",
            "EOF while parsing a string",
        ),
        ("bad escape", r#""\x""#, "1:3", "invalid escape"),
        ("bad hex", r#""\u00g0""#, "1:6", "invalid escape"),
        (
            "lone trailing surrogate",
            r#""\udc00""#,
            "1:8",
            "lone leading surrogate in hex escape",
        ),
        (
            "lone leading surrogate",
            r#""\ud800\u0041""#,
            "1:14",
            "lone leading surrogate in hex escape",
        ),
        (
            "leading surrogate then text",
            r#""\ud800ab""#,
            "1:8",
            "unexpected end of hex escape",
        ),
        (
            "control character",
            "\"a\u{1}\"",
            "1:3",
            "control character (\\u0000-\\u001F) found while parsing a string",
        ),
        ("leading zero", "01", "1:2", "invalid number"),
        ("bare minus", "-", "1:2", "EOF while parsing a value"),
        (
            "dot without digits",
            "1.",
            "1:3",
            "EOF while parsing a value",
        ),
        ("exponent without digits", "1e+x", "1:4", "invalid number"),
        ("out of range", "[1e400]", "1:2", "number out of range"),
        ("trailing characters", "{} {}", "1:4", "trailing characters"),
        ("comment", "// x\n{}", "1:1", "expected value"),
        (
            "128 levels",
            &"[".repeat(128),
            "1:128",
            "recursion limit exceeded",
        ),
    ];
    for (name, text, at, message) in cases {
        let (where_, kind, got) = located(text, Format::Json);
        assert_eq!(kind, ErrorKind::Syntax, "{name}");
        assert_eq!((where_.as_str(), got.as_str()), (*at, *message), "{name}");
        assert!(
            serde_json::from_str::<serde_json::Value>(text).is_err(),
            "{name}: serde_json accepts it"
        );
    }
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct Doc {
    name: String,
    #[serde(default)]
    age: Option<u8>,
    #[serde(default)]
    tags: Vec<Tag>,
    #[serde(default)]
    inner: Option<Inner>,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(rename_all = "lowercase")]
enum Tag {
    Red,
    Blue,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct Inner {
    flag: bool,
}

#[test]
fn data_errors_point_at_the_key_or_value() {
    // (name, format, text, line:column, message)
    let cases: &[(&str, Format, &str, &str, &str)] = &[
        (
            "unknown field (TOML)",
            Format::Toml,
            "name = 'a'\ncolour = 1\n",
            "2:1",
            "unknown field `colour`, expected one of `name`, `age`, `tags`, `inner`",
        ),
        (
            "unknown field (JSON)",
            Format::Json,
            "{\"name\": \"a\",\n \"colour\": 1}",
            "2:2",
            "unknown field `colour`, expected one of `name`, `age`, `tags`, `inner`",
        ),
        (
            "wrong type (TOML)",
            Format::Toml,
            "name = 5\n",
            "1:8",
            "invalid type: integer `5`, expected a string",
        ),
        (
            "wrong type (JSON)",
            Format::Json,
            "{\"name\": true}",
            "1:10",
            "invalid type: boolean `true`, expected a string",
        ),
        (
            "out of range",
            Format::Toml,
            "name = 'a'\nage = 300\n",
            "2:7",
            "invalid value: integer `300`, expected u8",
        ),
        (
            "bad array element",
            Format::Toml,
            "name = 'a'\ntags = ['red', 'green']\n",
            "2:16",
            "unknown variant `green`, expected `red` or `blue`",
        ),
        (
            "bad element (JSON)",
            Format::Json,
            "{\"name\": \"a\", \"tags\": [\"red\", 1]}",
            "1:31",
            "invalid type: integer `1`, expected enum Tag",
        ),
        (
            "nested table field",
            Format::Toml,
            "name = 'a'\n[inner]\nflag = 'yes'\n",
            "3:8",
            "invalid type: string \"yes\", expected a boolean",
        ),
        (
            "missing field in nested table",
            Format::Toml,
            "name = 'a'\n[inner]\n",
            "2:1",
            "missing field `flag`",
        ),
        (
            "missing top-level field",
            Format::Toml,
            "age = 3\n",
            "1:1",
            "missing field `name`",
        ),
        (
            "duplicate field (JSON)",
            Format::Json,
            "{\"name\": \"a\",\n\"name\": \"b\"}",
            "2:1",
            "duplicate field `name`",
        ),
        (
            "a date is not a string",
            Format::Toml,
            "name = 2026-01-01\n",
            "1:8",
            "invalid type: datetime, expected a string",
        ),
        (
            "null is not a string",
            Format::Json,
            "{\"name\": null}",
            "1:10",
            "invalid type: unit value, expected a string",
        ),
        (
            "not a table",
            Format::Json,
            "5",
            "1:1",
            "invalid type: integer `5`, expected struct Doc",
        ),
        (
            "an array is not a table",
            Format::Json,
            "[\"a\"]",
            "1:1",
            "invalid type: sequence, expected struct Doc",
        ),
        (
            "a table is not an array",
            Format::Toml,
            "name = 'a'\ntags = {red = 1}\n",
            "2:8",
            "invalid type: map, expected a sequence",
        ),
        (
            "a string is not an integer",
            Format::Json,
            "{\"name\": \"a\", \"age\": \"7\"}",
            "1:22",
            "invalid type: string \"7\", expected u8",
        ),
        (
            "a float is not an integer",
            Format::Toml,
            "name = 'a'\nage = 7.5\n",
            "2:7",
            "invalid type: floating point `7.5`, expected u8",
        ),
        (
            "a bool is not a table",
            Format::Toml,
            "name = 'a'\ninner = true\n",
            "2:9",
            "invalid type: boolean `true`, expected struct Inner",
        ),
    ];
    for (name, format, text, at, message) in cases {
        let e = read::<Doc>(text, *format).unwrap_err();
        let (l, c) = e.line_column(text);
        assert_eq!(e.kind(), ErrorKind::Data, "{name}");
        assert_eq!(
            (format!("{l}:{c}"), e.message()),
            (at.to_string(), *message),
            "{name}"
        );
    }
}

#[test]
fn toml_syntax_errors_are_located() {
    let (at, kind, message) = located("a = 1\nb = \n", Format::Toml);
    assert_eq!((at.as_str(), kind), ("2:5", ErrorKind::Syntax), "{message}");
    let (at, kind, message) = located("a = 1\na = 2\n", Format::Toml);
    assert_eq!((at.as_str(), kind), ("2:1", ErrorKind::Syntax));
    assert!(message.contains("duplicate key"), "{message}");
}

#[test]
fn toml_and_json_read_the_same_values() {
    let toml = "name = 'a'\nage = 7\ntags = ['red', 'blue']\n[inner]\nflag = true\n";
    let json_text = r#"{"name": "a", "age": 7, "tags": ["red", "blue"], "inner": {"flag": true}}"#;
    let a: Doc = read(toml, Format::Toml).unwrap();
    let b: Doc = read(json_text, Format::Json).unwrap();
    assert_eq!(a, b);
    assert_eq!(a.tags, vec![Tag::Red, Tag::Blue]);
}

#[test]
fn toml_values_match_the_toml_crate() {
    let text = "i = 0x1F\no = 0o17\nb = 0b101\nn = -3_000\n\
                s = \"\"\"\nmulti\nline\"\"\"\nl = 'lit'\nd = 1979-05-27T07:32:00Z\nld = 1979-05-27\n\
                t = 07:32:00\n[a.b]\nc = [1, [2, 3]]\n[[arr]]\nx = 1\n[[arr]]\nx = 2\n";
    let ours: serde_json::Value = read(text, Format::Toml).unwrap();
    let theirs: ::toml::Table = ::toml::from_str(text).unwrap();
    let mut theirs = serde_json::to_value(&theirs).unwrap();
    // Date-times are read as their text.
    for (key, text) in [
        ("d", "1979-05-27T07:32:00Z"),
        ("ld", "1979-05-27"),
        ("t", "07:32:00"),
    ] {
        assert_eq!(ours[key], text);
        theirs[key] = text.into();
    }
    assert_eq!(ours, theirs);
}

/// No document field takes a fraction: a float, in either format, is
/// refused by every type (an `f64` included), quoted as the document
/// writes it, at its line and column; it is never converted.
#[test]
fn floats_are_refused_as_written() {
    let cases: &[(&str, &str, Format, &str, &str)] = &[
        (
            "toml age",
            "age = 7.5\n",
            Format::Toml,
            "1:7",
            "invalid type: floating point `7.5`, expected u8",
        ),
        (
            "toml underscores",
            "age = 1_000.5e-3\n",
            Format::Toml,
            "1:7",
            "invalid type: floating point `1_000.5e-3`, expected u8",
        ),
        (
            "toml inf",
            "age = -inf\n",
            Format::Toml,
            "1:7",
            "invalid type: floating point `-inf`, expected u8",
        ),
        (
            "json age",
            "{\"age\": 7.50}",
            Format::Json,
            "1:9",
            "invalid type: floating point `7.50`, expected u8",
        ),
        (
            "json exponent",
            "{\n \"age\": -1E+2}",
            Format::Json,
            "2:9",
            "invalid type: floating point `-1E+2`, expected u8",
        ),
    ];
    for (case, text, format, at, message) in cases {
        let e = read::<BTreeMap<String, u8>>(text, *format).unwrap_err();
        let (l, c) = e.line_column(text);
        assert_eq!(
            (format!("{l}:{c}"), e.kind(), e.message()),
            (at.to_string(), ErrorKind::Data, *message),
            "{case}"
        );
        // Even a type that takes any number.
        let e = read::<BTreeMap<String, f64>>(text, *format).unwrap_err();
        assert!(
            e.message().starts_with("invalid type: floating point `"),
            "{case}: {e}"
        );
    }
    // A float that overflows is not a number at all, as serde_json says.
    let e = read::<BTreeMap<String, u8>>("{\"age\": 1e309}", Format::Json).unwrap_err();
    assert_eq!(
        (e.kind(), e.message()),
        (ErrorKind::Syntax, "number out of range")
    );
    let e = read::<BTreeMap<String, u8>>("age = 1e309", Format::Toml).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Syntax, "{e}");
}

#[test]
fn deep_toml_nesting_is_an_error_not_a_deep_recursion() {
    let text = format!("a = {}{}", "[".repeat(200), "]".repeat(200));
    let (_, kind, message) = located(&text, Format::Toml);
    assert_eq!(kind, ErrorKind::Syntax);
    assert!(
        message.contains("nested") || message.contains("recursion"),
        "{message}"
    );
}

#[test]
fn maps_and_enums_with_data() {
    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "lowercase")]
    enum Shape {
        Circle(u8),
        Square { side: u8 },
    }
    let v: BTreeMap<String, Shape> = read(
        r#"{"a": {"circle": 3}, "b": {"square": {"side": 2}}}"#,
        Format::Json,
    )
    .unwrap();
    assert_eq!(v["a"], Shape::Circle(3));
    assert_eq!(v["b"], Shape::Square { side: 2 });
    let e = read::<BTreeMap<String, Shape>>("[a]\ncircle = 1\nsquare = {side = 2}\n", Format::Toml)
        .unwrap_err();
    assert_eq!(
        e.line_column("[a]\ncircle = 1\nsquare = {side = 2}\n"),
        (1, 1)
    );
}

/// JSON values shaped to reach every branch of the parser.
fn arb_json() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<u64>().prop_map(serde_json::Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(serde_json::Value::from),
        any::<String>().prop_map(serde_json::Value::String),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
            prop::collection::btree_map(any::<String>(), inner, 0..6)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

/// The same value. Floats must be equal: the tests build `serde_json` with
/// `float_roundtrip`, so its parser is correctly rounded, as `str::parse`
/// (ours) is. (Its default parser is not: CI's proptest found it reading
/// `1.02783042488543e-309` one unit low and `2.2038018066136666e-296`
/// more than one unit away.)
fn same(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value as J;
    match (a, b) {
        (J::Number(x), J::Number(y)) if x.is_f64() || y.is_f64() => x.as_f64() == y.as_f64(),
        (J::Array(x), J::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y))
        }
        (J::Object(x), J::Object(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|((k, x), (l, y))| k == l && same(x, y))
        }
        _ => a == b,
    }
}

/// The cases CI's proptest found, where `serde_json`'s default float
/// parser is not correctly rounded: with `float_roundtrip` both read the
/// value the text names, and one unit apart counts as a difference.
#[test]
fn floats_serde_json_misread_by_default_read_back_exactly() {
    for (name, text, value) in [
        (
            "subnormal",
            "[1.02783042488543e-309]",
            1.02783042488543e-309,
        ),
        (
            "normal",
            "[2.2038018066136666e-296]",
            2.2038018066136666e-296f64,
        ),
    ] {
        let ours = json(text).unwrap();
        let theirs: serde_json::Value = serde_json::from_str(text).unwrap();
        assert!(same(&ours, &theirs), "{name}: {ours} vs {theirs}");
        assert_eq!(ours[0].as_f64(), Some(value), "{name}");
        let next = f64::from_bits(value.to_bits() + 1);
        assert!(!same(&ours, &serde_json::json!([next])), "{name}");
    }
}

/// A fuzz crash (the `document` target): in a bad `\u` escape esafety
/// names the byte that is not a hex digit, on its line; serde_json reads
/// four bytes on first and names line 3.
#[test]
fn a_bad_unicode_escape_is_named_where_it_goes_wrong() {
    let text = "\"\\u\"\\\n\n;=;=;";
    let e = json(text).unwrap_err();
    assert_eq!(e.offset(), 3, "{e}");
    assert_eq!(e.line_column(text).0, 1, "{e}");
    let theirs = serde_json::from_str::<serde_json::Value>(text).unwrap_err();
    assert_eq!(theirs.line(), 3, "{theirs}");
}

proptest! {
    #[test]
    fn serialized_json_reads_back_as_serde_json_reads_it(v in arb_json(), pretty in any::<bool>()) {
        let text = if pretty { serde_json::to_string_pretty(&v) } else { serde_json::to_string(&v) }.unwrap();
        let ours = json(&text).unwrap();
        let theirs: serde_json::Value = serde_json::from_str(&text).unwrap();
        prop_assert!(same(&ours, &theirs), "{text}: {ours} vs {theirs}");
    }

    #[test]
    fn json_accepts_what_serde_json_accepts(text in r#"[\[\]{}",:0-9eE.+\- a-z\\]{0,24}"#) {
        let ours = json(&text);
        let theirs = serde_json::from_str::<serde_json::Value>(&text);
        match (&ours, &theirs) {
            (Ok(a), Ok(b)) => prop_assert!(same(a, b), "{text}"),
            (Err(_), Err(_)) => {}
            _ => prop_assert!(false, "{text:?}: ours {ours:?}, serde_json {theirs:?}"),
        }
    }

    #[test]
    fn json_errors_are_on_the_line_serde_json_names(
        v in arb_json(),
        cut in any::<prop::sample::Index>(),
    ) {
        // A pretty document cut short: both must fail, on the same line.
        let text = serde_json::to_string_pretty(&v).unwrap();
        let end = cut.index(text.len().max(1));
        let Some(text) = text.get(..end) else { return Ok(()) };
        match (json(text), serde_json::from_str::<serde_json::Value>(text)) {
            (Err(ours), Err(theirs)) => {
                prop_assert_eq!(ours.line_column(text).0, theirs.line(), "{:?}", text);
            }
            (Ok(_), Ok(_)) => {}
            (ours, theirs) => prop_assert!(false, "{text:?}: ours {ours:?}, serde_json {theirs:?}"),
        }
    }
}

#[test]
fn very_deep_nesting_is_an_error_in_both_formats() {
    for depth in [1_000, 100_000] {
        let toml = format!("a = {}{}", "[".repeat(depth), "]".repeat(depth));
        assert!(
            read::<serde_json::Value>(&toml, Format::Toml).is_err(),
            "TOML {depth}"
        );
        let toml = format!("a = {}1{}", "{b = ".repeat(depth), "}".repeat(depth));
        assert!(
            read::<serde_json::Value>(&toml, Format::Toml).is_err(),
            "TOML tables {depth}"
        );
        let toml = format!("{} = 1", vec!["k"; depth].join("."));
        assert!(
            read::<serde_json::Value>(&toml, Format::Toml).is_err(),
            "TOML dotted {depth}"
        );
        let json = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        assert!(
            read::<serde_json::Value>(&json, Format::Json).is_err(),
            "JSON {depth}"
        );
    }
}
