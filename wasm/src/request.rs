//! Reading a decision request from a JavaScript object: `{url, time, group?,
//! age?, device?}`. The time is always an argument (DESIGN.md invariant 5):
//! an RFC 3339 string with an offset, epoch milliseconds, or a
//! `Date`.

use std::borrow::Cow;
use std::cell::RefCell;

#[cfg(any(feature = "full", feature = "record"))]
use esafety::policy::{RequestError, context};
#[cfg(any(feature = "full", feature = "record"))]
use jiff::Timestamp;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::boundary::{self, given};
use crate::error::{Code, Failure};
use crate::reader::{self, FIELDS, Fields, Keys, Request, Value};

/// A request read from JavaScript. The strings borrow the scratch buffer
/// the fast path wrote them into, or are owned when read field by field.
#[derive(Debug)]
pub(crate) struct JsRequest<'a> {
    pub(crate) request: Request<'a>,
    /// `url` as the JavaScript string given, handed back in the result;
    /// `None` when the fast path read it (wasm/js/decide.js keeps it).
    pub(crate) url_value: Option<JsValue>,
}

#[wasm_bindgen(module = "/js/decide.js")]
extern "C" {
    /// Reads a plain request in one call into the scratch at `numbers_at`
    /// (five f64) and `bytes_at` (`bytes_len` bytes) of `memory` (see
    /// wasm/js/decide.js): the UTF-8 length of the url, or [`SLOW`].
    #[wasm_bindgen(js_name = readRequest)]
    fn read_plain_request(
        request: &JsValue,
        memory: &JsValue,
        numbers_at: u32,
        bytes_at: u32,
        bytes_len: u32,
    ) -> i32;
}

thread_local! {
    /// This module's `WebAssembly.Memory`, fetched once.
    static MEMORY: JsValue = wasm_bindgen::memory();
}

/// `readRequest`'s answer for a request it does not read.
const SLOW: i32 = -1;

/// Bytes of UTF-8 the fast path can take (url, group and device together);
/// a longer request is read field by field.
const SCRATCH_BYTES: usize = 16 * 1024;

/// Where `readRequest` writes a request: see wasm/js/decide.js for the
/// layout of `numbers`. Rust only ever reads `bytes` (the JavaScript side
/// relies on it to skip rewriting an unchanged group and device).
#[derive(Debug)]
pub(crate) struct Scratch {
    numbers: [f64; 5],
    bytes: Vec<u8>,
}

thread_local! {
    /// The one scratch buffer, made once.
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch {
        numbers: [0.0; 5],
        bytes: vec![0; SCRATCH_BYTES],
    });
}

/// Runs `f` with the scratch buffer, or with `None` should it be in use
/// (`decide` calling `decide`, which it does not do): then the request is
/// read field by field.
pub(crate) fn with_scratch<R>(f: impl FnOnce(Option<&mut Scratch>) -> R) -> R {
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut scratch) => f(Some(&mut scratch)),
        Err(_) => f(None),
    })
}

/// What separates the keys in [`unknown_key`]'s one-call `join`: a character
/// no real field name contains (a key that does contain it is caught by the
/// count check and read one by one).
const KEY_SEPARATOR: &str = "\u{1f}";

#[wasm_bindgen]
extern "C" {
    /// A request object as JavaScript passes it. Its fields are read with
    /// property getters, one call each, rather than `Reflect.get` with a key
    /// string made per call: `decide` runs per navigation, and these calls
    /// across the boundary were most of its cost.
    pub(crate) type RawRequest;

    #[wasm_bindgen(method, getter, structural, catch)]
    fn url(this: &RawRequest) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, getter, structural, catch)]
    fn time(this: &RawRequest) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, getter, structural, catch)]
    fn group(this: &RawRequest) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, getter, structural, catch)]
    fn age(this: &RawRequest) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, getter, structural, catch)]
    fn device(this: &RawRequest) -> Result<JsValue, JsValue>;
}

/// A request value the core's validator refused, with its wording.
#[cfg(any(feature = "full", feature = "record"))]
pub(crate) fn rejected(e: RequestError) -> Failure {
    Failure::new(e.code(), e)
}

/// A value sorted by type for the reader: each check is a `typeof` (no
/// caller code), a `Date` is read by its time value.
fn value_of(read: Result<JsValue, JsValue>) -> Value<'static> {
    let Ok(value) = read else {
        return Value::Unreadable;
    };
    if !given(&value) {
        Value::Absent
    } else if let Some(n) = value.as_f64() {
        Value::Number(n)
    } else if let Some(s) = value.as_string() {
        Value::Text(Cow::Owned(s))
    } else if let Some(millis) = boundary::date_millis(&value) {
        Value::Date(millis)
    } else {
        Value::Other
    }
}

/// The first own enumerable key of `object` that is not a request field, in
/// `Object.keys` order.
fn unknown_key(object: &JsValue) -> Keys<'static> {
    let Some(keys) = boundary::keys(object) else {
        return Keys::Unreadable;
    };
    let count = keys.length() as usize;
    if count == 0 {
        return Keys::Fields;
    }
    // One `join` and one string copy instead of a call per key (the keys
    // are strings: `join` runs no caller code on them).
    if let Some(joined) = keys.join(KEY_SEPARATOR).as_string() {
        let parts: Vec<&str> = joined.split(KEY_SEPARATOR).collect();
        if parts.len() == count {
            return match parts.into_iter().find(|k| !FIELDS.contains(k)) {
                Some(k) => Keys::Unknown(Cow::Owned(k.to_owned())),
                None => Keys::Fields,
            };
        }
    }
    // A key contains the separator: read them one by one.
    match keys
        .iter()
        .map(|k| k.as_string().unwrap_or_default())
        .find(|k| !FIELDS.contains(&k.as_str()))
    {
        Some(k) => Keys::Unknown(Cow::Owned(k)),
        None => Keys::Fields,
    }
}

impl<'a> JsRequest<'a> {
    /// Reads `{url, time, group?, age?, device?}`; unknown fields are errors
    /// (a misspelt `grop` must not silently decide for nobody). A plain
    /// request is read in one call into `scratch`; anything else field by
    /// field. Both end in the reader's checks.
    pub(crate) fn read(
        value: &JsValue,
        scratch: Option<&'a mut Scratch>,
    ) -> Result<JsRequest<'a>, Failure> {
        let Some(Scratch { numbers, bytes }) = scratch else {
            return JsRequest::read_fields(value);
        };
        // The JavaScript side writes through these addresses during the
        // call, as it would through the views wasm-bindgen makes for
        // `&mut [f64]` and `&mut [u8]` (which cost two allocations a call).
        // Addresses fit in u32 on wasm32; anywhere else, the slow path.
        let (Ok(numbers_at), Ok(bytes_at), Ok(bytes_len)) = (
            u32::try_from(numbers.as_mut_ptr() as usize),
            u32::try_from(bytes.as_mut_ptr() as usize),
            u32::try_from(bytes.len()),
        ) else {
            return JsRequest::read_fields(value);
        };
        let url_len = MEMORY
            .with(|memory| read_plain_request(value, memory, numbers_at, bytes_at, bytes_len));
        if url_len == SLOW {
            return JsRequest::read_fields(value);
        }
        let bytes: &'a [u8] = bytes;
        match reader::from_scratch(*numbers, bytes, url_len) {
            Some(fields) => Ok(JsRequest {
                request: reader::read(fields, boundary::js_number)?,
                url_value: None,
            }),
            None => JsRequest::read_fields(value),
        }
    }

    /// Reads the request one field at a time, as JavaScript code would.
    fn read_fields(value: &JsValue) -> Result<JsRequest<'a>, Failure> {
        if !value.is_object() {
            return Err(Failure::new(
                Code::InvalidRequest,
                "a request must be an object `{url, time, group?, age?, device?}`",
            ));
        }
        let keys = unknown_key(value);
        let object = value.unchecked_ref::<RawRequest>();
        let url_value = RawRequest::url(object);
        let url = value_of(url_value.clone());
        let fields = Fields {
            keys,
            url,
            time: value_of(RawRequest::time(object)),
            group: value_of(RawRequest::group(object)),
            age: value_of(RawRequest::age(object)),
            device: value_of(RawRequest::device(object)),
        };
        Ok(JsRequest {
            request: reader::read(fields, boundary::js_number)?,
            url_value: url_value.ok(),
        })
    }

    /// The core's request context.
    pub(crate) fn context(&self) -> esafety::policy::Context<'_> {
        self.request.context()
    }
}

/// An age in whole years, 0 to 255 (read by the core).
#[cfg(any(feature = "full", feature = "record"))]
pub(crate) fn age(n: f64) -> Result<u8, Failure> {
    context::age_from_number(n, &boundary::js_number(n)).map_err(rejected)
}

/// A time given as an RFC 3339 string with an offset (`Z` or
/// `+01:00`), as epoch milliseconds, or as a `Date`.
#[cfg(any(feature = "full", feature = "record"))]
pub(crate) fn timestamp(value: &JsValue) -> Result<Timestamp, Failure> {
    // A number first: `Date.now()` is the common case, and each check is a
    // call into JavaScript (a number is never a string or a `Date`).
    let number = value.as_f64();
    if number.is_none()
        && let Some(s) = value.as_string()
    {
        return context::time_from_rfc3339(&s).map_err(rejected);
    }
    let Some(millis) = number.or_else(|| boundary::date_millis(value)) else {
        return Err(Failure::new(
            Code::InvalidRequest,
            "time must be an RFC 3339 string, epoch milliseconds or a Date",
        ));
    };
    from_millis(millis)
}

/// A time given as epoch milliseconds (read by the core).
#[cfg(any(feature = "full", feature = "record"))]
fn from_millis(millis: f64) -> Result<Timestamp, Failure> {
    context::time_from_unix_millis(millis, &boundary::js_number(millis)).map_err(rejected)
}

/// A date `YYYY-MM-DD` (for the linter's review deadlines), or a `Date` /
/// epoch milliseconds taken as a UTC date (the linter's, full build only).
#[cfg(feature = "full")]
pub(crate) fn date(value: &JsValue) -> Result<jiff::civil::Date, Failure> {
    if let Some(s) = value.as_string() {
        return esafety::datetime::parse_date(&s).map_err(|e| {
            Failure::new(
                Code::InvalidArgument,
                format!(
                    "today `{}` is not a date ({e}); write it as `2026-03-02`",
                    s.chars().take(64).collect::<String>()
                ),
            )
        });
    }
    let ts = timestamp(value).map_err(|e| Failure::new(Code::InvalidArgument, e.message()))?;
    Ok(ts.to_zoned_datetime(jiff::tz::TimeZone::UTC).date())
}
