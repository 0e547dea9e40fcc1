//! The Rust half of reading a decision request: from the field values
//! JavaScript gave (already sorted by type, `request` reads them) to the
//! core's request, every value checked by the core's validators
//! (`esafety::policy::context`). It touches no JavaScript, so that the
//! fuzz target `wasm_request` drives it from arbitrary input on any
//! platform.
//!
//! Two ways in: [`Fields`] read one getter at a time, and
//! [`from_scratch`], the bytes and numbers wasm/js/decide.js wrote into
//! WebAssembly memory for a plain request (lengths it wrote are checked,
//! never trusted). Both end in [`read`], so both give the same request or
//! the same error.

use std::borrow::Cow;

use esafety::policy::{Device, RequestError, context};
use jiff::Timestamp;

use crate::error::{Code, Failure};

/// One field of a request as JavaScript gave it, sorted by type.
///
/// ```
/// use esafety_wasm::reader::Value;
///
/// assert_ne!(Value::Absent, Value::Number(0.0));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    /// `undefined` or `null`.
    Absent,
    /// A string.
    Text(Cow<'a, str>),
    /// A number.
    Number(f64),
    /// A `Date`, by its time value (epoch milliseconds).
    Date(f64),
    /// Anything else (an object, a boolean, ...).
    Other,
    /// Reading it threw (a getter or a Proxy trap).
    Unreadable,
}

/// What the request object's own keys say.
///
/// ```
/// use esafety_wasm::reader::Keys;
///
/// assert_eq!(Keys::Fields, Keys::Fields);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Keys<'a> {
    /// Only request fields.
    Fields,
    /// The first key, in `Object.keys` order, that is not a request field.
    Unknown(Cow<'a, str>),
    /// Listing them threw (a Proxy's `ownKeys` trap).
    Unreadable,
}

/// A request `{url, time, group?, age?, device?}` as JavaScript gave it.
///
/// ```
/// use esafety_wasm::reader::{Fields, Keys, Value};
///
/// let fields = Fields {
///     url: Value::Text("http://example.com/".into()),
///     time: Value::Number(1_772_445_600_000.0),
///     ..Fields::default()
/// };
/// assert_eq!(fields.keys, Keys::Fields);
/// assert_eq!(fields.group, Value::Absent);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Fields<'a> {
    /// The object's own keys.
    pub keys: Keys<'a>,
    /// `url`.
    pub url: Value<'a>,
    /// `time`.
    pub time: Value<'a>,
    /// `group`.
    pub group: Value<'a>,
    /// `age`.
    pub age: Value<'a>,
    /// `device`.
    pub device: Value<'a>,
}

impl Default for Fields<'_> {
    fn default() -> Self {
        Fields {
            keys: Keys::Fields,
            url: Value::Absent,
            time: Value::Absent,
            group: Value::Absent,
            age: Value::Absent,
            device: Value::Absent,
        }
    }
}

/// A request read and checked: what the core decides on.
///
/// ```
/// use esafety_wasm::reader::{self, Fields, Value};
///
/// let request = reader::read(
///     Fields {
///         url: Value::Text("http://example.com/".into()),
///         time: Value::Text("2026-03-02T10:00:00Z".into()),
///         age: Value::Number(12.0),
///         ..Fields::default()
///     },
///     |n| n.to_string(),
/// )?;
/// assert_eq!(request.url, "http://example.com/");
/// assert_eq!(request.age, Some(12));
/// # Ok::<(), esafety_wasm::Failure>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Request<'a> {
    /// The URL as given.
    pub url: Cow<'a, str>,
    /// The user's group.
    pub group: Option<Cow<'a, str>>,
    /// The user's age in whole years.
    pub age: Option<u8>,
    /// The kind of device.
    pub device: Option<Device>,
    /// When.
    pub time: Timestamp,
}

impl Request<'_> {
    /// The core's request context.
    pub fn context(&self) -> esafety::policy::Context<'_> {
        esafety::policy::Context {
            group: self.group.as_deref(),
            age: self.age,
            device: self.device,
            time: self.time,
        }
    }
}

/// The field names, in the order they are checked.
pub const FIELDS: [&str; 5] = ["url", "time", "group", "age", "device"];

fn bad(message: String) -> Failure {
    Failure::new(Code::InvalidRequest, message)
}

fn rejected(e: RequestError) -> Failure {
    Failure::new(e.code(), e)
}

fn unreadable(name: &str) -> Failure {
    bad(format!("cannot read request field `{name}`"))
}

/// A string field: `None` when absent.
fn text<'a>(value: Value<'a>, name: &str) -> Result<Option<Cow<'a, str>>, Failure> {
    match value {
        Value::Absent => Ok(None),
        Value::Text(s) => Ok(Some(s)),
        Value::Unreadable => Err(unreadable(name)),
        Value::Number(_) | Value::Date(_) | Value::Other => {
            Err(bad(format!("request field `{name}` must be a string")))
        }
    }
}

/// Checks `fields` and reads them into a request; the first problem, in
/// the order keys, `url`, `time`, `group`, `age`, `device`, is the error.
/// `number_text` writes a number for a message (the WebAssembly face uses
/// JavaScript's own `String(n)`; Rust's float formatting is 8 KB of it).
///
/// # Errors
///
/// A [`Failure`] with code `invalid-request` (an unknown or unreadable
/// field, a field of the wrong type, a time or age out of range, an
/// unknown device) or `invalid-argument` for what the core's validators
/// refuse with that code.
///
/// ```
/// use esafety_wasm::reader::{self, Fields, Keys, Value};
///
/// let error = reader::read(
///     Fields { keys: Keys::Unreadable, ..Fields::default() },
///     |n| n.to_string(),
/// )
/// .unwrap_err();
/// assert_eq!(error.code().id(), "invalid-request");
/// assert_eq!(error.message(), "cannot read the fields of the request");
/// ```
pub fn read(fields: Fields<'_>, number_text: fn(f64) -> String) -> Result<Request<'_>, Failure> {
    match fields.keys {
        Keys::Fields => {}
        Keys::Unknown(key) => {
            return Err(bad(format!(
                "unknown request field `{}`; the fields are url, time, group, age and device",
                key.chars().take(64).collect::<String>()
            )));
        }
        Keys::Unreadable => return Err(bad("cannot read the fields of the request".to_owned())),
    }
    let url = match fields.url {
        Value::Absent => return Err(bad("request field `url` is missing".to_owned())),
        other => text(other, "url")?.unwrap_or_default(),
    };
    let time = match fields.time {
        Value::Number(millis) | Value::Date(millis) => {
            context::time_from_unix_millis(millis, &number_text(millis)).map_err(rejected)?
        }
        Value::Text(s) => context::time_from_rfc3339(&s).map_err(rejected)?,
        Value::Absent => return Err(rejected(RequestError::TimeMissing)),
        Value::Unreadable => return Err(unreadable("time")),
        Value::Other => {
            return Err(bad(
                "time must be an RFC 3339 string, epoch milliseconds or a Date".to_owned(),
            ));
        }
    };
    let group = text(fields.group, "group")?;
    let age = match fields.age {
        Value::Absent => None,
        Value::Number(n) => Some(context::age_from_number(n, &number_text(n)).map_err(rejected)?),
        Value::Unreadable => return Err(unreadable("age")),
        Value::Text(_) | Value::Date(_) | Value::Other => {
            return Err(bad(
                "request field `age` must be a number of years".to_owned()
            ));
        }
    };
    let device = text(fields.device, "device")?
        .as_deref()
        .map(context::device_from_name)
        .transpose()
        .map_err(rejected)?;
    Ok(Request {
        url,
        group,
        age,
        device,
        time,
    })
}

/// The fields of a plain request as wasm/js/decide.js's `readRequest`
/// wrote them: `numbers` = time in epoch milliseconds, 1 if an age is given
/// (else 0), the age, the UTF-8 lengths of `group` and `device` (-1: not
/// given); `bytes` = group, device and url one after the other; `url_len`
/// the url's UTF-8 length. `None` when the lengths do not fit the bytes or
/// a text is not UTF-8: then the request is read field by field.
///
/// ```
/// use esafety_wasm::reader::{self, Value};
///
/// let bytes = b"pupilsmanagedhttp://example.com/";
/// let fields = reader::from_scratch([0.0, 1.0, 12.0, 6.0, 7.0], bytes, 19)
///     .ok_or("bad scratch")?;
/// assert_eq!(fields.group, Value::Text("pupils".into()));
/// assert_eq!(fields.device, Value::Text("managed".into()));
/// assert_eq!(fields.url, Value::Text("http://example.com/".into()));
/// assert_eq!(fields.age, Value::Number(12.0));
/// assert!(reader::from_scratch([0.0; 5], bytes, 1000).is_none());
/// # Ok::<(), &str>(())
/// ```
pub fn from_scratch(numbers: [f64; 5], bytes: &[u8], url_len: i32) -> Option<Fields<'_>> {
    let [millis, has_age, age, group_len, device_len] = numbers;
    let mut rest = bytes;
    let mut take = |len: f64| -> Option<Value<'_>> {
        if len < 0.0 {
            return Some(Value::Absent);
        }
        // `as` saturates (NaN is 0); a fraction is a length JavaScript did
        // not write.
        if len.fract() != 0.0 {
            return None;
        }
        let len = usize::try_from(len as i64).ok()?;
        let (text, tail) = rest.split_at_checked(len)?;
        rest = tail;
        std::str::from_utf8(text)
            .ok()
            .map(|s| Value::Text(Cow::Borrowed(s)))
    };
    let group = take(group_len)?;
    let device = take(device_len)?;
    let url = match take(f64::from(url_len))? {
        Value::Absent => return None,
        url => url,
    };
    Some(Fields {
        keys: Keys::Fields,
        url,
        time: Value::Number(millis),
        group,
        age: if has_age == 0.0 {
            Value::Absent
        } else {
            Value::Number(age)
        },
        device,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: f64 = 1_772_445_600_000.0; // 2026-03-02T10:00:00Z

    fn text(s: &str) -> Value<'_> {
        Value::Text(Cow::Borrowed(s))
    }

    fn plain<'a>() -> Fields<'a> {
        Fields {
            url: text("http://example.com/"),
            time: Value::Number(T),
            ..Fields::default()
        }
    }

    fn fmt(n: f64) -> String {
        n.to_string()
    }

    #[test]
    fn reads_fields() {
        let cases: Vec<(&str, Fields<'_>, Result<(), &str>)> = vec![
            ("plain", plain(), Ok(())),
            (
                "date time",
                Fields {
                    time: Value::Date(T),
                    ..plain()
                },
                Ok(()),
            ),
            (
                "text time",
                Fields {
                    time: text("2026-03-02T10:00:00Z"),
                    ..plain()
                },
                Ok(()),
            ),
            (
                "unknown key",
                Fields {
                    keys: Keys::Unknown("grop".into()),
                    ..plain()
                },
                Err(
                    "unknown request field `grop`; the fields are url, time, group, age and device",
                ),
            ),
            (
                "unreadable keys",
                Fields {
                    keys: Keys::Unreadable,
                    ..plain()
                },
                Err("cannot read the fields of the request"),
            ),
            (
                "no url",
                Fields {
                    url: Value::Absent,
                    ..plain()
                },
                Err("request field `url` is missing"),
            ),
            (
                "url number",
                Fields {
                    url: Value::Number(1.0),
                    ..plain()
                },
                Err("request field `url` must be a string"),
            ),
            (
                "url getter throws",
                Fields {
                    url: Value::Unreadable,
                    ..plain()
                },
                Err("cannot read request field `url`"),
            ),
            (
                "time object",
                Fields {
                    time: Value::Other,
                    ..plain()
                },
                Err("time must be an RFC 3339 string, epoch milliseconds or a Date"),
            ),
            (
                "time getter throws",
                Fields {
                    time: Value::Unreadable,
                    ..plain()
                },
                Err("cannot read request field `time`"),
            ),
            (
                "age text",
                Fields {
                    age: text("14"),
                    ..plain()
                },
                Err("request field `age` must be a number of years"),
            ),
            (
                "group date",
                Fields {
                    group: Value::Date(T),
                    ..plain()
                },
                Err("request field `group` must be a string"),
            ),
            (
                "device getter throws",
                Fields {
                    device: Value::Unreadable,
                    ..plain()
                },
                Err("cannot read request field `device`"),
            ),
        ];
        for (name, fields, want) in cases {
            let got = read(fields, fmt);
            match want {
                Ok(()) => assert!(got.is_ok(), "{name}: {got:?}"),
                Err(message) => {
                    let e = got.expect_err(name);
                    assert_eq!(e.code(), Code::InvalidRequest, "{name}");
                    assert_eq!(e.message(), message, "{name}");
                }
            }
        }
    }

    #[test]
    fn scratch_lengths_are_checked() {
        let bytes = b"pupilsmanagedhttp://example.com/";
        let cases: Vec<(&str, [f64; 5], i32, bool)> = vec![
            ("as written", [T, 1.0, 12.0, 6.0, 7.0], 19, true),
            ("no group or device", [T, 0.0, 0.0, -1.0, -1.0], 32, true),
            ("url past the end", [T, 0.0, 0.0, 6.0, 7.0], 20, false),
            ("group past the end", [T, 0.0, 0.0, 1e9, 7.0], 19, false),
            ("fractional length", [T, 0.0, 0.0, 5.5, 7.0], 19, false),
            ("NaN length", [T, 0.0, 0.0, f64::NAN, 7.0], 19, false),
            (
                "infinite length",
                [T, 0.0, 0.0, f64::INFINITY, 7.0],
                19,
                false,
            ),
            ("negative url length", [T, 0.0, 0.0, 6.0, 7.0], -1, false),
            ("empty url", [T, 0.0, 0.0, -1.0, -1.0], 0, true),
        ];
        for (name, numbers, url_len, some) in cases {
            assert_eq!(
                from_scratch(numbers, bytes, url_len).is_some(),
                some,
                "{name}"
            );
        }
        // A length that splits a UTF-8 character.
        assert!(from_scratch([T, 0.0, 0.0, 1.0, -1.0], "é".as_bytes(), 1).is_none());
    }

    #[test]
    fn scratch_and_fields_read_alike() {
        let bytes = b"pupilsmanagedhttp://example.com/";
        let fast = from_scratch([T, 1.0, 12.0, 6.0, 7.0], bytes, 19).map(|f| read(f, fmt));
        let slow = read(
            Fields {
                group: text("pupils"),
                device: text("managed"),
                age: Value::Number(12.0),
                ..plain()
            },
            fmt,
        );
        assert_eq!(fast, Some(slow));
    }
}
