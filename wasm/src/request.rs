//! Reading a decision request from a JavaScript object: `{url, time, group?,
//! age?, device?}`. The time is always an argument (DESIGN.md invariant 5):
//! an ISO 8601 / RFC 3339 string with an offset, epoch milliseconds, or a
//! `Date`.

use esafety::policy::Device;
use jiff::Timestamp;
use wasm_bindgen::{JsCast, JsValue};

use crate::error::{Code, Failure};

/// A request read from JavaScript, owning its strings.
#[derive(Debug)]
pub(crate) struct JsRequest {
    pub(crate) url: String,
    pub(crate) group: Option<String>,
    pub(crate) age: Option<u8>,
    pub(crate) device: Option<Device>,
    pub(crate) time: Timestamp,
}

const FIELDS: [&str; 5] = ["url", "time", "group", "age", "device"];

fn bad(message: String) -> Failure {
    Failure::new(Code::InvalidRequest, message)
}

/// Reads one field; `undefined` and `null` are absent.
fn field(object: &JsValue, name: &str) -> Result<Option<JsValue>, Failure> {
    let value = js_sys::Reflect::get(object, &JsValue::from_str(name))
        .map_err(|_| bad(format!("cannot read request field `{name}`")))?;
    Ok((!value.is_undefined() && !value.is_null()).then_some(value))
}

fn string_field(object: &JsValue, name: &str) -> Result<Option<String>, Failure> {
    match field(object, name)? {
        None => Ok(None),
        Some(v) => v
            .as_string()
            .map(Some)
            .ok_or_else(|| bad(format!("request field `{name}` must be a string"))),
    }
}

impl JsRequest {
    /// Reads `{url, time, group?, age?, device?}`; unknown fields are errors
    /// (a misspelt `grop` must not silently decide for nobody).
    pub(crate) fn read(object: &JsValue) -> Result<JsRequest, Failure> {
        if !object.is_object() {
            return Err(bad(
                "a request must be an object `{url, time, group?, age?, device?}`".to_owned(),
            ));
        }
        for key in js_sys::Object::keys(object.unchecked_ref::<js_sys::Object>()).iter() {
            let key = key.as_string().unwrap_or_default();
            if !FIELDS.contains(&key.as_str()) {
                return Err(bad(format!(
                    "unknown request field `{}`; the fields are url, time, group, age and device",
                    key.chars().take(64).collect::<String>()
                )));
            }
        }
        let url = string_field(object, "url")?
            .ok_or_else(|| bad("request field `url` is missing".to_owned()))?;
        let time = match field(object, "time")? {
            Some(t) => timestamp(&t)?,
            None => {
                return Err(bad(
                    "request field `time` is missing; pass the time of the request (e.g. `Date.now()`), esafety never reads the clock".to_owned(),
                ));
            }
        };
        let group = string_field(object, "group")?;
        let age = match field(object, "age")? {
            None => None,
            Some(v) => Some(age(&v)?),
        };
        let device = match string_field(object, "device")? {
            None => None,
            Some(d) => Some(d.parse::<Device>().map_err(bad)?),
        };
        Ok(JsRequest {
            url,
            group,
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

fn age(value: &JsValue) -> Result<u8, Failure> {
    let n = value
        .as_f64()
        .ok_or_else(|| bad("request field `age` must be a number of years".to_owned()))?;
    if n.fract() != 0.0 || !(0.0..=255.0).contains(&n) {
        return Err(bad(format!(
            "request field `age` is {n}; give a whole number of years from 0 to 255"
        )));
    }
    // In range and whole, checked above.
    Ok(n as u8)
}

/// A time given as an ISO 8601 / RFC 3339 string with an offset (`Z` or
/// `+01:00`), as epoch milliseconds, or as a `Date`.
pub(crate) fn timestamp(value: &JsValue) -> Result<Timestamp, Failure> {
    if let Some(s) = value.as_string() {
        return s.parse::<Timestamp>().map_err(|e| {
            bad(format!(
                "time `{}` is not an ISO 8601 time with an offset ({e}); write it as `2026-03-02T10:00:00Z` or pass epoch milliseconds",
                s.chars().take(64).collect::<String>()
            ))
        });
    }
    let millis = if let Some(date) = value.dyn_ref::<js_sys::Date>() {
        date.get_time()
    } else if let Some(n) = value.as_f64() {
        n
    } else {
        return Err(bad(
            "time must be an ISO 8601 string, epoch milliseconds or a Date".to_owned(),
        ));
    };
    if !millis.is_finite() || millis.fract() != 0.0 {
        return Err(bad(format!(
            "time {millis} is not a whole number of epoch milliseconds"
        )));
    }
    // Whole and finite; out-of-range values are rejected by jiff below
    // (the `as` conversion saturates, it never wraps).
    Timestamp::from_millisecond(millis as i64).map_err(|e| {
        bad(format!(
            "time {millis} ms is out of range ({e}); pass a time between the years -9999 and 9999"
        ))
    })
}

/// A date `YYYY-MM-DD` (for the linter's review deadlines), or a `Date` /
/// epoch milliseconds taken as a UTC date.
pub(crate) fn date(value: &JsValue) -> Result<jiff::civil::Date, Failure> {
    if let Some(s) = value.as_string() {
        return s.parse::<jiff::civil::Date>().map_err(|e| {
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
