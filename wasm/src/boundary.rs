//! Arguments checked at the boundary: every value a caller passes is read
//! here by type, with a coded error for the wrong type, before any of it
//! reaches the core.
//!
//! wasm-bindgen's own conversions trust the declared types: a number passed
//! where a `&str` is declared is read from a bogus address (a `memory access
//! out of bounds` trap) and an `ArrayBuffer` passed as `&[u8]` reads as 0
//! bytes. So the exports take `JsValue`s and read them with the functions
//! below. Reading a value can run caller code (a Proxy trap, a getter, an
//! overridden method); every such JavaScript function is imported with
//! `catch` (wasm/js/boundary.js), so a caller's exception comes back as a
//! value and never unwinds through WebAssembly frames.

use wasm_bindgen::prelude::*;

use crate::error::{Code, Failure};

#[wasm_bindgen(module = "/js/boundary.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = dateTime)]
    fn date_time(value: &JsValue) -> Result<f64, JsValue>;
    #[wasm_bindgen(catch, js_name = ownKeys)]
    fn own_keys(value: &JsValue) -> Result<js_sys::Array, JsValue>;
    #[cfg(feature = "full")]
    #[wasm_bindgen(catch, js_name = ownEntries)]
    fn own_entries(value: &JsValue) -> Result<js_sys::Array, JsValue>;
    #[wasm_bindgen(catch, js_name = shareOf)]
    fn share_of(value: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = bytesOf)]
    fn bytes_of(value: &JsValue) -> Result<JsValue, JsValue>;
    #[cfg(any(feature = "full", feature = "dnr"))]
    #[wasm_bindgen(catch, js_name = plainCopy)]
    fn plain_copy(value: &JsValue) -> Result<JsValue, JsValue>;
}

fn argument(message: String) -> Failure {
    Failure::new(Code::InvalidArgument, message)
}

/// The JavaScript type of `value`, for a message (`typeof`, which runs no
/// caller code; `null` is `null`).
fn type_name(value: &JsValue) -> String {
    if value.is_null() {
        return "null".to_owned();
    }
    value.js_typeof().as_string().unwrap_or_default()
}

/// Whether an optional argument is given (`undefined` and `null` are not).
pub(crate) fn given(value: &JsValue) -> bool {
    !value.is_undefined() && !value.is_null()
}

/// A string argument named `name`.
pub(crate) fn string(value: &JsValue, name: &str) -> Result<String, Failure> {
    value.as_string().ok_or_else(|| {
        argument(format!(
            "`{name}` must be a string, not {}",
            type_name(value)
        ))
    })
}

/// An optional string argument named `name` (`undefined` and `null`: none).
pub(crate) fn optional_string(value: &JsValue, name: &str) -> Result<Option<String>, Failure> {
    if given(value) {
        string(value, name).map(Some)
    } else {
        Ok(None)
    }
}

/// An optional whole-number argument named `name` (`undefined` and
/// `null`: none): a number that is an integer from 0 to 4294967295, never
/// rounded or wrapped.
#[cfg(feature = "dnr")]
pub(crate) fn optional_u32(value: &JsValue, name: &str) -> Result<Option<u32>, Failure> {
    if !given(value) {
        return Ok(None);
    }
    let Some(number) = value.as_f64() else {
        return Err(argument(format!(
            "`{name}` must be a number, not {}",
            type_name(value)
        )));
    };
    if number.fract() != 0.0 || !(0.0..=f64::from(u32::MAX)).contains(&number) {
        return Err(argument(format!(
            "`{name}` must be a whole number from 0 to {}, not {}",
            u32::MAX,
            js_number(number)
        )));
    }
    // INVARIANT: a whole number in `0..=u32::MAX`, so the cast is exact.
    Ok(Some(number as u32))
}

/// An argument named `name` that must be an instance of the exported
/// class `class` (a `Bundle`, a `Policy`): a second handle on it, so the
/// caller's stays theirs. wasm-bindgen's own `&Bundle` argument threw a
/// plain `Error` before entering WebAssembly, and reading a `JsValue` as
/// the class takes the caller's object; instead the value's
/// `__esafetyShare()` gives a new handle (any exception caught), which is
/// read as the class only if it is one.
pub(crate) fn instance<T: wasm_bindgen::convert::TryFromJsValue>(
    value: &JsValue,
    name: &str,
    class: &str,
) -> Result<T, Failure> {
    let wrong = || {
        argument(format!(
            "`{name}` must be a {class}, not {}",
            type_name(value)
        ))
    };
    let shared = share_of(value).map_err(|_| wrong())?;
    T::try_from_js_value(shared).map_err(|_| wrong())
}

/// The JavaScript name of a limit: its core name in camel case
/// (`max_bundle_len` is `maxBundleLen`).
#[cfg(feature = "limits")]
fn camel(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The `limits` field of an options argument named `name` (`{limits:
/// {maxBundleLen, …}}`; no options, or no `limits`: the defaults), read by
/// type: each field a whole number, no unknown field; core then checks the
/// values (`Limits::validate`). Errors are `invalid-argument`.
#[cfg(feature = "limits")]
pub(crate) fn limits(options: &JsValue, name: &str) -> Result<esafety::Limits, Failure> {
    use esafety::limits::Limit;
    let mut out = esafety::Limits::default();
    if !given(options) {
        return Ok(out);
    }
    if !options.is_object() {
        return Err(argument(format!(
            "`{name}` must be an object, not {}",
            type_name(options)
        )));
    }
    let get = |object: &JsValue, key: &str, what: &str| {
        js_sys::Reflect::get(object, &JsValue::from_str(key))
            .map_err(|_| argument(format!("cannot read `{what}`")))
    };
    let unknown = |object: &JsValue, what: &str, known: &[String]| -> Result<(), Failure> {
        let keys =
            keys(object).ok_or_else(|| argument(format!("cannot read the keys of `{what}`")))?;
        match keys
            .iter()
            .map(|k| k.as_string().unwrap_or_default())
            .find(|k| !known.iter().any(|n| n == k))
        {
            Some(key) => Err(argument(format!(
                "`{what}` has no field `{key}`; the fields are {}",
                known
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
            None => Ok(()),
        }
    };
    unknown(options, name, &["limits".to_owned()])?;
    let limits = get(options, "limits", &format!("{name}.limits"))?;
    if !given(&limits) {
        return Ok(out);
    }
    let what = format!("{name}.limits");
    if !limits.is_object() {
        return Err(argument(format!(
            "`{what}` must be an object, not {}",
            type_name(&limits)
        )));
    }
    let names: Vec<(Limit, String)> = Limit::SETTABLE
        .iter()
        .map(|&l| (l, camel(l.name())))
        .collect();
    let known: Vec<String> = names.iter().map(|(_, n)| n.clone()).collect();
    unknown(&limits, &what, &known)?;
    for (limit, key) in &names {
        let field = format!("{what}.{key}");
        let value = get(&limits, key, &field)?;
        if value.is_undefined() {
            continue;
        }
        let number = value
            .as_f64()
            .filter(|n| n.fract() == 0.0 && (0.0..=9_007_199_254_740_991.0).contains(n));
        let Some(number) = number else {
            return Err(argument(format!(
                "`{field}` must be a whole number of at least 1, not {}",
                if let Some(n) = value.as_f64() {
                    js_number(n)
                } else {
                    type_name(&value)
                }
            )));
        };
        // A whole number from 0 to 2^53 - 1: exact as a u64.
        out.set(*limit, number as u64)
            .map_err(|e| Failure::new(e.code(), e))?;
    }
    out.validate().map_err(|e| Failure::new(e.code(), e))?;
    Ok(out)
}

/// The `limits` field of an options argument named `name`, in a build
/// without the `limits` feature (the extension build): such a build reads
/// with the core's defaults (`Limits::DEFAULT`) and says so to a caller
/// that sets any, rather than silently reading with other bounds than
/// asked. No options, `{}`, or `limits` undefined or null: the defaults.
/// Errors are `invalid-argument`.
#[cfg(not(feature = "limits"))]
pub(crate) fn limits(options: &JsValue, name: &str) -> Result<esafety::Limits, Failure> {
    if !given(options) {
        return Ok(esafety::Limits::DEFAULT);
    }
    if !options.is_object() {
        return Err(argument(format!(
            "`{name}` must be an object, not {}",
            type_name(options)
        )));
    }
    let keys =
        keys(options).ok_or_else(|| argument(format!("cannot read the keys of `{name}`")))?;
    for key in keys.iter() {
        let key = key.as_string().unwrap_or_default();
        if key != "limits" {
            return Err(argument(format!(
                "`{name}` has no field `{key}`; the field is `limits`"
            )));
        }
        let value = js_sys::Reflect::get(options, &JsValue::from_str(&key))
            .map_err(|_| argument(format!("cannot read `{name}.limits`")))?;
        if given(&value) {
            return Err(argument(format!(
                "`{name}.limits` cannot be set in this build, which reads with the default limits \
                 (the extension build has no `limits` feature); use the full build (`esafety`) to set \
                 them, or leave `limits` out"
            )));
        }
    }
    Ok(esafety::Limits::DEFAULT)
}

/// A number as JavaScript writes it (`String(n)`: `NaN`, `1.5`, `1e+21`):
/// it came from JavaScript, and Rust's float formatting is about 8 KB of
/// the gzipped `.wasm` (no `{}` of an `f64` anywhere in this crate).
pub(crate) fn js_number(n: f64) -> String {
    js_sys::Number::from(n)
        .to_string_with_radix(10)
        .map(String::from)
        .unwrap_or_default()
}

/// The bytes of a bytes argument named `name`: a `Uint8Array` (or any typed
/// array or `DataView`: its bytes) or an `ArrayBuffer`, copied.
pub(crate) fn bytes(value: &JsValue, name: &str) -> Result<Vec<u8>, Failure> {
    let view =
        bytes_of(value).map_err(|_| argument(format!("cannot read the bytes of `{name}`")))?;
    if view.is_null() {
        return Err(argument(format!(
            "`{name}` must be a Uint8Array or an ArrayBuffer, not {}",
            type_name(value)
        )));
    }
    Ok(view.unchecked_into::<js_sys::Uint8Array>().to_vec())
}

/// The time value (epoch milliseconds) of a `Date`, read from the date
/// itself (never by a `getTime` a subclass overrides); `None` for anything
/// that is not a `Date`.
pub(crate) fn date_millis(value: &JsValue) -> Option<f64> {
    date_time(value).ok()
}

/// `Object.keys(value)`, or `None` when a trap or getter throws.
pub(crate) fn keys(value: &JsValue) -> Option<js_sys::Array> {
    own_keys(value).ok()
}

/// `Object.entries(value)` of the argument named `name`.
#[cfg(feature = "full")]
pub(crate) fn entries(value: &JsValue, name: &str) -> Result<js_sys::Array, Failure> {
    own_entries(value).map_err(|_| argument(format!("cannot read the entries of `{name}`")))
}

/// A structured clone of the argument named `name`, for reading with serde:
/// the clone has no Proxy traps or getters left to run.
#[cfg(any(feature = "full", feature = "dnr"))]
pub(crate) fn plain(value: &JsValue, name: &str, code: Code) -> Result<JsValue, Failure> {
    plain_copy(value).map_err(|_| {
        Failure::new(
            code,
            format!("cannot read `{name}`: give plain data (objects, arrays, strings, numbers)"),
        )
    })
}

/// The first own key of the object `copy` (a [`plain`] copy) that is not
/// in `known`: serde-wasm-bindgen reads only the fields it knows, so a
/// misspelt one would be dropped without a word.
#[cfg(any(feature = "full", feature = "record"))]
pub(crate) fn unknown_key(copy: &JsValue, known: &[&str]) -> Option<String> {
    if !copy.is_object() {
        return None;
    }
    keys(copy)?
        .iter()
        .map(|k| k.as_string().unwrap_or_default())
        .find(|k| !known.contains(&k.as_str()))
}

/// A list of strings argument named `name`: an array whose every element
/// is a string.
#[cfg(feature = "full")]
pub(crate) fn strings(value: &JsValue, name: &str) -> Result<Vec<String>, Failure> {
    let copy = plain(value, name, Code::InvalidArgument)?;
    if !js_sys::Array::is_array(&copy) {
        return Err(argument(format!(
            "`{name}` must be an array of strings, not {}",
            type_name(value)
        )));
    }
    copy.unchecked_into::<js_sys::Array>()
        .iter()
        .enumerate()
        .map(|(i, item)| string(&item, &format!("{name}[{i}]")))
        .collect()
}
