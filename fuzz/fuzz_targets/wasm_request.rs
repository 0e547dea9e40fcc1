//! The Rust half of the WebAssembly face's request reader
//! (`esafety_wasm::reader`), without JavaScript: what wasm/js/decide.js's
//! fast path writes into WebAssembly memory (numbers, bytes and a url
//! length, here arbitrary: checked, never trusted) and what the
//! field-by-field path reads (values of every JavaScript type, throwing
//! getters and `ownKeys` traps). Never a panic; and a plain request written
//! in decide.js's layout reads back to the same request, or the same
//! error, as the same fields read one by one.
#![no_main]

use std::borrow::Cow;

use esafety_wasm::reader::{self, Fields, Keys, Value};
use libfuzzer_sys::arbitrary::{Arbitrary, Result, Unstructured};
use libfuzzer_sys::fuzz_target;

fn number_text(n: f64) -> String {
    n.to_string()
}

fn value<'a>(u: &mut Unstructured<'a>) -> Result<Value<'a>> {
    Ok(match u.int_in_range(0..=5u8)? {
        0 => Value::Absent,
        1 => Value::Text(Cow::Borrowed(<&str>::arbitrary(u)?)),
        2 => Value::Number(f64::arbitrary(u)?),
        3 => Value::Date(f64::arbitrary(u)?),
        4 => Value::Other,
        _ => Value::Unreadable,
    })
}

fn fields<'a>(u: &mut Unstructured<'a>) -> Result<Fields<'a>> {
    let keys = match u.int_in_range(0..=7u8)? {
        0 => Keys::Unknown(Cow::Borrowed(<&str>::arbitrary(u)?)),
        1 => Keys::Unreadable,
        _ => Keys::Fields,
    };
    Ok(Fields {
        keys,
        url: value(u)?,
        time: value(u)?,
        group: value(u)?,
        age: value(u)?,
        device: value(u)?,
    })
}

/// `fields` as decide.js's `readRequest` writes a plain request, or `None`
/// for a request it leaves to the field-by-field path.
fn scratch(fields: &Fields<'_>) -> Option<([f64; 5], Vec<u8>, i32)> {
    if fields.keys != Keys::Fields {
        return None;
    }
    let Value::Text(url) = &fields.url else {
        return None;
    };
    let millis = match fields.time {
        Value::Number(n) | Value::Date(n) => n,
        _ => return None,
    };
    let mut bytes = Vec::new();
    let mut text = |v: &Value<'_>| -> Option<f64> {
        match v {
            Value::Absent => Some(-1.0),
            Value::Text(s) => {
                bytes.extend_from_slice(s.as_bytes());
                Some(s.len() as f64)
            }
            _ => None,
        }
    };
    let group_len = text(&fields.group)?;
    let device_len = text(&fields.device)?;
    let (has_age, age) = match fields.age {
        Value::Absent => (0.0, 0.0),
        Value::Number(n) => (1.0, n),
        _ => return None,
    };
    bytes.extend_from_slice(url.as_bytes());
    let url_len = i32::try_from(url.len()).ok()?;
    Some((
        [millis, has_age, age, group_len, device_len],
        bytes,
        url_len,
    ))
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    // What a buggy or hostile fast path could write.
    if let (Ok(numbers), Ok(url_len), Ok(bytes)) = (
        <[f64; 5]>::arbitrary(&mut u),
        i32::arbitrary(&mut u),
        <&[u8]>::arbitrary(&mut u),
    ) && let Some(read) = reader::from_scratch(numbers, bytes, url_len)
    {
        let _ = reader::read(read, number_text);
    }
    // Fields of any type, read one by one; and, when plain, through the
    // fast path's layout: the same answer.
    let Ok(fields) = fields(&mut u) else {
        return;
    };
    let slow = reader::read(fields.clone(), number_text);
    if let Some((numbers, bytes, url_len)) = scratch(&fields) {
        let read = reader::from_scratch(numbers, &bytes, url_len);
        let Some(read) = read else {
            panic!("decide.js's layout did not read back: {fields:?}");
        };
        let fast = reader::read(read, number_text);
        assert_eq!(
            fast, slow,
            "fast and field-by-field reads differ for {fields:?}"
        );
    }
});
