//! Arbitrary text through the document reader that policies, incident
//! files, escalation profiles and bundle metadata go through.
//!
//! JSON: esafety's parser must accept exactly what `serde_json` accepts and
//! read the same value (floats exactly: this crate builds `serde_json` with
//! `float_roundtrip`, whose parser is correctly rounded as ours is), and fail
//! on the same line or the next.
//! TOML: esafety's parser must accept exactly what the `toml` crate (the
//! parser it replaced) accepts, read as esafety read it before (integers in
//! `i64`, floats finite or `inf`, nothing nested more than 128 deep), and
//! give the same tree: the same values and keys, in the same order, with
//! the same spans (compared as outlines).
#![no_main]

use std::fmt::Write as _;

use esafety::document::{Format, json_value, read, toml_outline};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) if x.is_f64() || y.is_f64() => {
            x.as_f64() == y.as_f64()
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|((k, x), (l, y))| k == l && same(x, y))
        }
        _ => a == b,
    }
}

/// The `toml` crate's reading, outlined as `esafety::document::toml_outline`
/// outlines esafety's (as esafety's `document/toml.rs` read the crate's
/// tree before it had its own parser).
fn crate_outline(text: &str) -> Result<String, String> {
    let root = DeTable::parse(text).map_err(|e| e.to_string())?;
    let mut out = String::new();
    let span = root.span();
    writeln!(out, "table {}..{}", span.start, span.end).unwrap();
    table(root.into_inner(), 0, 0, text, &mut out)?;
    Ok(out)
}

fn table(
    t: DeTable<'_>,
    depth: usize,
    indent: usize,
    text: &str,
    out: &mut String,
) -> Result<(), String> {
    let pad = "  ".repeat(indent);
    for (key, value) in t {
        let span = key.span();
        writeln!(out, "{pad}  key {:?} {}..{}", key.get_ref(), span.start, span.end).unwrap();
        node(value, depth, indent + 1, text, out)?;
    }
    Ok(())
}

fn node(
    value: Spanned<DeValue<'_>>,
    depth: usize,
    indent: usize,
    text: &str,
    out: &mut String,
) -> Result<(), String> {
    let pad = "  ".repeat(indent);
    let span = value.span();
    let (start, end) = (span.start, span.end);
    let nested = || {
        if depth >= 128 {
            Err("tables and arrays nested more than 128 deep".to_owned())
        } else {
            Ok(depth + 1)
        }
    };
    match value.into_inner() {
        DeValue::String(s) => writeln!(out, "{pad}string {s:?} {start}..{end}").unwrap(),
        DeValue::Integer(i) => {
            let n = i64::from_str_radix(i.as_str(), i.radix())
                .map_err(|_| "integer number overflowed".to_owned())?;
            writeln!(out, "{pad}integer {n} {start}..{end}").unwrap();
        }
        DeValue::Float(f) => match f.as_str().replace('_', "").parse::<f64>() {
            Ok(x) if x.is_finite() || f.as_str().contains("inf") => {
                // As written: esafety keeps a float's text, underscores and all.
                writeln!(out, "{pad}float {} {start}..{end}", &text[start..end]).unwrap();
            }
            _ => return Err("floating-point number overflowed".to_owned()),
        },
        DeValue::Boolean(b) => writeln!(out, "{pad}boolean {b} {start}..{end}").unwrap(),
        DeValue::Datetime(d) => writeln!(out, "{pad}datetime {d} {start}..{end}").unwrap(),
        DeValue::Array(items) => {
            let depth = nested()?;
            writeln!(out, "{pad}array {start}..{end}").unwrap();
            for item in items {
                node(item, depth, indent + 1, text, out)?;
            }
        }
        DeValue::Table(t) => {
            let depth = nested()?;
            writeln!(out, "{pad}table {start}..{end}").unwrap();
            table(t, depth, indent, text, out)?;
        }
    }
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let ours = json_value(text);
    let theirs = serde_json::from_str::<Value>(text);
    match (&ours, &theirs) {
        (Ok(a), Ok(b)) => assert!(same(a, b), "{text:?}: {a} against serde_json's {b}"),
        // serde_json names the line after the character it stopped on,
        // esafety the line of that character: they may differ by one. In a
        // bad `\u` escape serde_json reads the four "hex digits" first (so
        // `"\u"\` + two newlines is its line 3, esafety's line 1): it may
        // also be as many lines later as those four bytes hold.
        (Err(a), Err(b)) => {
            assert!(a.offset() <= text.len(), "{text:?}: {a}");
            let ours = a.line_column(text).0;
            let read_ahead = text.as_bytes().get(a.offset()..).unwrap_or_default();
            let ahead = read_ahead.iter().take(5).filter(|&&c| c == b'\n').count();
            assert!(
                ours <= b.line() + 1 && b.line() <= ours + 1 + ahead,
                "{text:?}: {a} / {b}"
            );
        }
        _ => panic!("{text:?}: esafety {ours:?}, serde_json {theirs:?}"),
    }
    match (toml_outline(text), crate_outline(text)) {
        (Ok(ours), Ok(theirs)) => assert_eq!(ours, theirs, "{text:?}"),
        (Err(e), Err(_)) => assert!(e.offset() <= text.len(), "{text:?}: {e}"),
        (ours, theirs) => panic!("{text:?}: esafety {ours:?}, the toml crate {theirs:?}"),
    }
    // And through the reader, as documents are read.
    let _ = read::<Value>(text, Format::Toml);
});
