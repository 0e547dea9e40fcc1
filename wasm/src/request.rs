//! Reading a decision request from a JavaScript object: `{url, time, group?,
//! age?, device?}`. The time is always an argument (DESIGN.md invariant 5):
//! an RFC 3339 string with an offset, epoch milliseconds, or a
//! `Date`.

use std::borrow::Cow;
use std::cell::RefCell;

use esafety::policy::{Device, RequestError, context};
use jiff::Timestamp;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::error::{Code, Failure};

/// A request read from JavaScript. The strings borrow the scratch buffer
/// the fast path wrote them into, or are owned when read field by field.
#[derive(Debug)]
pub(crate) struct JsRequest<'a> {
    pub(crate) url: Cow<'a, str>,
    /// `url` as the JavaScript string given, handed back in the result;
    /// `None` when the fast path read it (wasm/js/decide.js keeps it).
    pub(crate) url_value: Option<JsValue>,
    pub(crate) group: Option<Cow<'a, str>>,
    pub(crate) age: Option<u8>,
    pub(crate) device: Option<Device>,
    pub(crate) time: Timestamp,
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

const FIELDS: [&str; 5] = ["url", "time", "group", "age", "device"];

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

fn bad(message: String) -> Failure {
    Failure::new(Code::InvalidRequest, message)
}

/// A request value the core's validator refused, with its wording.
fn rejected(e: RequestError) -> Failure {
    Failure::new(e.code(), e)
}

/// Whether a field value counts as given (`undefined` and `null` are absent).
fn given(value: &JsValue) -> bool {
    !value.is_undefined() && !value.is_null()
}

/// One field read by `getter`; `undefined` and `null` are absent.
fn field(
    object: &RawRequest,
    name: &str,
    getter: fn(&RawRequest) -> Result<JsValue, JsValue>,
) -> Result<Option<JsValue>, Failure> {
    let value = getter(object).map_err(|_| bad(format!("cannot read request field `{name}`")))?;
    Ok(given(&value).then_some(value))
}

/// A string field. The string is tried first: each check is a call into
/// JavaScript, and a given field is usually a string.
fn string_field(
    object: &RawRequest,
    name: &str,
    getter: fn(&RawRequest) -> Result<JsValue, JsValue>,
) -> Result<Option<String>, Failure> {
    let value = getter(object).map_err(|_| bad(format!("cannot read request field `{name}`")))?;
    match value.as_string() {
        Some(s) => Ok(Some(s)),
        None if given(&value) => Err(bad(format!("request field `{name}` must be a string"))),
        None => Ok(None),
    }
}

/// The first own enumerable key of `object` that is not a request field, in
/// `Object.keys` order.
fn unknown_key(object: &js_sys::Object) -> Option<String> {
    let keys = js_sys::Object::keys(object);
    let count = keys.length() as usize;
    if count == 0 {
        return None;
    }
    // One `join` and one string copy instead of a call per key.
    if let Some(joined) = keys.join(KEY_SEPARATOR).as_string() {
        let parts: Vec<&str> = joined.split(KEY_SEPARATOR).collect();
        if parts.len() == count {
            return parts
                .into_iter()
                .find(|k| !FIELDS.contains(k))
                .map(str::to_owned);
        }
    }
    // A key contains the separator: read them one by one.
    keys.iter()
        .map(|k| k.as_string().unwrap_or_default())
        .find(|k| !FIELDS.contains(&k.as_str()))
}

impl<'a> JsRequest<'a> {
    /// Reads `{url, time, group?, age?, device?}`; unknown fields are errors
    /// (a misspelt `grop` must not silently decide for nobody). A plain
    /// request is read in one call into `scratch`; anything else field by
    /// field, which words the error.
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
        let [millis, has_age, age_value, group_len, device_len] = *numbers;
        let bytes: &'a [u8] = bytes;
        let mut rest = bytes;
        let mut take = |len: f64| -> Option<Option<&'a str>> {
            if len < 0.0 {
                return Some(None);
            }
            // A length the JavaScript side wrote; checked, never trusted.
            let len = usize::try_from(len as i64).ok()?;
            let (text, tail) = rest.split_at_checked(len)?;
            rest = tail;
            std::str::from_utf8(text).ok().map(Some)
        };
        let (Some(group), Some(device), Some(Some(url))) =
            (take(group_len), take(device_len), take(f64::from(url_len)))
        else {
            return JsRequest::read_fields(value);
        };
        let time = from_millis(millis)?;
        let age = if has_age == 0.0 {
            None
        } else {
            Some(age(age_value)?)
        };
        let device = device
            .map(context::device_from_name)
            .transpose()
            .map_err(rejected)?;
        Ok(JsRequest {
            url: Cow::Borrowed(url),
            url_value: None,
            group: group.map(Cow::Borrowed),
            age,
            device,
            time,
        })
    }

    /// Reads the request one field at a time, as JavaScript code would,
    /// and says exactly what is wrong with it.
    fn read_fields(value: &JsValue) -> Result<JsRequest<'a>, Failure> {
        if !value.is_object() {
            return Err(bad(
                "a request must be an object `{url, time, group?, age?, device?}`".to_owned(),
            ));
        }
        if let Some(key) = unknown_key(value.unchecked_ref::<js_sys::Object>()) {
            return Err(bad(format!(
                "unknown request field `{}`; the fields are url, time, group, age and device",
                key.chars().take(64).collect::<String>()
            )));
        }
        let object = value.unchecked_ref::<RawRequest>();
        let url_value = RawRequest::url(object)
            .map_err(|_| bad("cannot read request field `url`".to_owned()))?;
        let url = match url_value.as_string() {
            Some(s) => s,
            None if given(&url_value) => {
                return Err(bad("request field `url` must be a string".to_owned()));
            }
            None => return Err(bad("request field `url` is missing".to_owned())),
        };
        // Numbers are tried first (`Date.now()`, an age): one call each.
        let time = RawRequest::time(object)
            .map_err(|_| bad("cannot read request field `time`".to_owned()))?;
        let time = match time.as_f64() {
            Some(millis) => from_millis(millis)?,
            None if given(&time) => timestamp(&time)?,
            None => {
                return Err(rejected(RequestError::TimeMissing));
            }
        };
        let group = string_field(object, "group", RawRequest::group)?;
        let age = match field(object, "age", RawRequest::age)? {
            None => None,
            Some(v) => Some(age(v.as_f64().ok_or_else(|| {
                bad("request field `age` must be a number of years".to_owned())
            })?)?),
        };
        let device = string_field(object, "device", RawRequest::device)?
            .as_deref()
            .map(context::device_from_name)
            .transpose()
            .map_err(rejected)?;
        Ok(JsRequest {
            url: Cow::Owned(url),
            url_value: Some(url_value),
            group: group.map(Cow::Owned),
            age,
            device,
            time,
        })
    }

    /// The core's request context.
    pub(crate) fn context(&self) -> esafety::policy::Context<'_> {
        esafety::policy::Context {
            group: self.group.as_deref(),
            age: self.age,
            device: self.device,
            time: self.time,
        }
    }
}

/// A number as JavaScript writes it (`String(n)`: `NaN`, `1.5`, `1e+21`):
/// it came from JavaScript, and Rust's float formatting is about 8 KB of
/// the gzipped `.wasm`.
fn js_number(n: f64) -> String {
    js_sys::Number::from(n)
        .to_string_with_radix(10)
        .map(String::from)
        .unwrap_or_default()
}

/// An age in whole years, 0 to 255 (read by the core).
fn age(n: f64) -> Result<u8, Failure> {
    context::age_from_number(n, &js_number(n)).map_err(rejected)
}

/// A time given as an RFC 3339 string with an offset (`Z` or
/// `+01:00`), as epoch milliseconds, or as a `Date`.
pub(crate) fn timestamp(value: &JsValue) -> Result<Timestamp, Failure> {
    // A number first: `Date.now()` is the common case, and each check is a
    // call into JavaScript (a number is never a string or a `Date`).
    let number = value.as_f64();
    if number.is_none()
        && let Some(s) = value.as_string()
    {
        return context::time_from_rfc3339(&s).map_err(rejected);
    }
    let millis = if let Some(n) = number {
        n
    } else if let Some(date) = value.dyn_ref::<js_sys::Date>() {
        date.get_time()
    } else {
        return Err(bad(
            "time must be an RFC 3339 string, epoch milliseconds or a Date".to_owned(),
        ));
    };
    from_millis(millis)
}

/// A time given as epoch milliseconds (read by the core).
fn from_millis(millis: f64) -> Result<Timestamp, Failure> {
    context::time_from_unix_millis(millis, &js_number(millis)).map_err(rejected)
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
    let ts = timestamp(value).map_err(|e| Failure::new(Code::InvalidArgument, e.message_text()))?;
    Ok(ts.to_zoned_datetime(jiff::tz::TimeZone::UTC).date())
}
