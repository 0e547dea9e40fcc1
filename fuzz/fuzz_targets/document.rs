//! Arbitrary text through the document reader that policies, incident
//! files, escalation profiles and bundle metadata go through.
//!
//! JSON: esafety's parser must accept exactly what `serde_json` accepts and
//! read the same value (floats exactly: this crate builds `serde_json` with
//! `float_roundtrip`, whose parser is correctly rounded as ours is), and fail
//! on the same line or the next.
//! TOML: Ok or Err, never a panic, and it accepts what the `toml` crate
//! accepts (the same parser, read into the spanned tree).
#![no_main]

use esafety::document::{Format, read};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

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

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let ours = read::<Value>(text, Format::Json);
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
    let ours = read::<Value>(text, Format::Toml);
    let theirs = toml::from_str::<toml::Table>(text);
    if let (Err(e), Ok(_)) = (&ours, &theirs) {
        // Only the nesting limit may refuse what the toml crate reads.
        assert!(e.message().contains("nested more than"), "{text:?}: {e}");
    }
});
