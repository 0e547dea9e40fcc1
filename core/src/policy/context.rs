//! Reading a request's context (who, on what, when) from what a face was
//! given: one validator and one wording for the CLI, the Squid helper, the
//! C library and the WebAssembly package.
//!
//! Each face receives the values in its own types (a C `int32_t` age, a
//! JavaScript number, a command-line string) and hands them to these
//! functions; what counts as a valid age, device, group or time, and what
//! the error says, is decided here.
//!
//! ```
//! use esafety::policy::context;
//! assert_eq!(context::age_from_years(14)?, 14);
//! assert_eq!(
//!     context::age_from_years(256).unwrap_err().to_string(),
//!     "`age` is 256; give a whole number of years from 0 to 255, or none if it is not known",
//! );
//! let time = context::time_from_rfc3339("2026-03-02T10:00:00Z")?;
//! assert_eq!(time, context::time_from_unix_seconds(1_772_445_600)?);
//! # Ok::<(), esafety::policy::RequestError>(())
//! ```

use std::time::SystemTime;

use jiff::Timestamp;

use super::document::Device;
use crate::ErrorCode;

/// The longest group name a request may carry, in bytes.
///
/// ```
/// use esafety::policy::context::{MAX_GROUP_LEN, group};
/// assert!(group(&"a".repeat(MAX_GROUP_LEN)).is_ok());
/// assert!(group(&"a".repeat(MAX_GROUP_LEN + 1)).is_err());
/// ```
pub const MAX_GROUP_LEN: usize = 1024;

/// How many bytes of a caller's value an error repeats.
const QUOTE_LEN: usize = 64;

/// A request context value that cannot be read.
///
/// ```
/// use esafety::ErrorCode;
/// use esafety::policy::{RequestError, context};
/// let err = context::device_from_name("laptop").unwrap_err();
/// assert!(matches!(err, RequestError::Device { .. }));
/// assert_eq!(err.code(), ErrorCode::InvalidRequest);
/// assert_eq!(err.to_string(), "`device` is `laptop`; use `managed` or `byod`, or none if it is not known");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RequestError {
    /// An age that is not a whole number of years from 0 to 255.
    #[error(
        "`age` is {given}; give a whole number of years from 0 to 255, or none if it is not known"
    )]
    Age {
        /// The value as given.
        given: String,
    },
    /// A device that is not `managed` or `byod` (or its C code).
    #[error("`device` is `{given}`; use `managed` or `byod`, or none if it is not known")]
    Device {
        /// The value as given.
        given: String,
    },
    /// A group name longer than [`MAX_GROUP_LEN`].
    #[error("`group` is {len} bytes long, over the limit of {max}; use a shorter group name")]
    GroupTooLong {
        /// Its length in bytes.
        len: usize,
        /// [`MAX_GROUP_LEN`].
        max: usize,
    },
    /// No time was given.
    #[error(
        "`time` is missing; pass the time of the request (such as `2026-03-02T10:00:00Z`): esafety never reads the clock"
    )]
    TimeMissing,
    /// A time text that is not RFC 3339 with an offset.
    #[error(
        "`time` `{given}` is not an RFC 3339 time ({reason}); write it like `2026-03-02T10:00:00Z`"
    )]
    TimeText {
        /// The text as given (its first bytes).
        given: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A number of seconds or milliseconds that is not a whole number.
    #[error("`time` {given} is not a whole number of {unit} since 1970")]
    TimeNotWhole {
        /// The value as given.
        given: String,
        /// `seconds` or `milliseconds`.
        unit: &'static str,
    },
    /// A time outside the years -9999 to 9999.
    #[error("`time` {given} is out of range; give a time between the years -9999 and 9999")]
    TimeOutOfRange {
        /// The value as given.
        given: String,
    },
}

impl RequestError {
    /// The error's kind: always [`ErrorCode::InvalidRequest`].
    ///
    /// ```
    /// use esafety::{ErrorCode, policy::context};
    /// assert_eq!(context::age_from_years(-2).unwrap_err().code(), ErrorCode::InvalidRequest);
    /// ```
    pub fn code(&self) -> ErrorCode {
        ErrorCode::InvalidRequest
    }
}

fn quote(text: &str) -> String {
    let mut end = text.len().min(QUOTE_LEN);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let kept = text.get(..end).unwrap_or_default();
    if end < text.len() {
        format!("{kept}…")
    } else {
        kept.to_owned()
    }
}

/// An age given as a whole number of years.
///
/// # Errors
///
/// [`RequestError::Age`] outside 0 to 255.
///
/// ```
/// use esafety::policy::context::age_from_years;
/// assert_eq!(age_from_years(0)?, 0);
/// assert!(age_from_years(-1).is_err() && age_from_years(300).is_err());
/// # Ok::<(), esafety::policy::RequestError>(())
/// ```
pub fn age_from_years(years: i64) -> Result<u8, RequestError> {
    u8::try_from(years).map_err(|_| RequestError::Age {
        given: years.to_string(),
    })
}

/// An age given as a number that may have a fraction (a JavaScript
/// number); `written` is how the caller writes it, for the message.
///
/// # Errors
///
/// [`RequestError::Age`] when it is not whole or outside 0 to 255.
///
/// ```
/// use esafety::policy::context::age_from_number;
/// assert_eq!(age_from_number(14.0, "14")?, 14);
/// let err = age_from_number(14.5, "14.5").unwrap_err();
/// assert!(err.to_string().starts_with("`age` is 14.5;"));
/// assert!(age_from_number(f64::NAN, "NaN").is_err());
/// # Ok::<(), esafety::policy::RequestError>(())
/// ```
pub fn age_from_number(years: f64, written: &str) -> Result<u8, RequestError> {
    if years.fract() != 0.0 || !(0.0..=255.0).contains(&years) {
        return Err(RequestError::Age {
            given: quote(written),
        });
    }
    // Whole and from 0 to 255, checked above.
    Ok(years as u8)
}

/// A device given by name: `managed` or `byod`.
///
/// # Errors
///
/// [`RequestError::Device`] for any other name.
///
/// ```
/// use esafety::policy::{Device, context::device_from_name};
/// assert_eq!(device_from_name("byod")?, Device::Byod);
/// assert!(device_from_name("BYOD").is_err());
/// # Ok::<(), esafety::policy::RequestError>(())
/// ```
pub fn device_from_name(name: &str) -> Result<Device, RequestError> {
    match name {
        "managed" => Ok(Device::Managed),
        "byod" => Ok(Device::Byod),
        _ => Err(RequestError::Device { given: quote(name) }),
    }
}

/// A device given by its C code: 0 not known, 1 managed, 2 byod
/// (`esafety_device`).
///
/// # Errors
///
/// [`RequestError::Device`] for any other number.
///
/// ```
/// use esafety::policy::{Device, context::device_from_code};
/// assert_eq!(device_from_code(0)?, None);
/// assert_eq!(device_from_code(2)?, Some(Device::Byod));
/// assert!(device_from_code(3).is_err());
/// # Ok::<(), esafety::policy::RequestError>(())
/// ```
pub fn device_from_code(code: u32) -> Result<Option<Device>, RequestError> {
    match code {
        0 => Ok(None),
        1 => Ok(Some(Device::Managed)),
        2 => Ok(Some(Device::Byod)),
        _ => Err(RequestError::Device {
            given: code.to_string(),
        }),
    }
}

/// A group name: at most [`MAX_GROUP_LEN`] bytes.
///
/// # Errors
///
/// [`RequestError::GroupTooLong`] for a longer one.
///
/// ```
/// assert_eq!(esafety::policy::context::group("pupils")?, "pupils");
/// # Ok::<(), esafety::policy::RequestError>(())
/// ```
pub fn group(name: &str) -> Result<&str, RequestError> {
    if name.len() > MAX_GROUP_LEN {
        return Err(RequestError::GroupTooLong {
            len: name.len(),
            max: MAX_GROUP_LEN,
        });
    }
    Ok(name)
}

/// A time given as RFC 3339 text with a UTC offset.
///
/// # Errors
///
/// [`RequestError::TimeText`] naming what is wrong.
///
/// ```
/// use esafety::policy::context::time_from_rfc3339;
/// assert_eq!(time_from_rfc3339("2026-03-02T10:00:00+00:00")?.to_string(), "2026-03-02T10:00:00Z");
/// let err = time_from_rfc3339("2026-03-02T10:00:00").unwrap_err();
/// assert!(err.to_string().contains("no UTC offset"), "{err}");
/// # Ok::<(), esafety::policy::RequestError>(())
/// ```
pub fn time_from_rfc3339(text: &str) -> Result<Timestamp, RequestError> {
    crate::datetime::parse_timestamp(text).map_err(|e| RequestError::TimeText {
        given: quote(text),
        reason: e.to_string(),
    })
}

/// A time given as whole seconds since 1970 (Unix time).
///
/// # Errors
///
/// [`RequestError::TimeOutOfRange`] outside the years -9999 to 9999.
///
/// ```
/// use esafety::policy::context::time_from_unix_seconds;
/// assert_eq!(time_from_unix_seconds(0)?.to_string(), "1970-01-01T00:00:00Z");
/// assert!(time_from_unix_seconds(i64::MAX).is_err());
/// # Ok::<(), esafety::policy::RequestError>(())
/// ```
pub fn time_from_unix_seconds(seconds: i64) -> Result<Timestamp, RequestError> {
    Timestamp::from_second(seconds).map_err(|_| RequestError::TimeOutOfRange {
        given: format!("{seconds} s"),
    })
}

/// A time given as milliseconds since 1970 that may have a fraction (a
/// JavaScript number such as `Date.now()`); `written` is how the caller
/// writes it, for the message.
///
/// # Errors
///
/// [`RequestError::TimeNotWhole`] or [`RequestError::TimeOutOfRange`].
///
/// ```
/// use esafety::policy::context::time_from_unix_millis;
/// assert_eq!(time_from_unix_millis(1_772_445_600_000.0, "1772445600000")?.to_string(), "2026-03-02T10:00:00Z");
/// assert!(time_from_unix_millis(0.5, "0.5").is_err());
/// assert!(time_from_unix_millis(f64::INFINITY, "Infinity").is_err());
/// # Ok::<(), esafety::policy::RequestError>(())
/// ```
pub fn time_from_unix_millis(millis: f64, written: &str) -> Result<Timestamp, RequestError> {
    if !millis.is_finite() || millis.fract() != 0.0 {
        return Err(RequestError::TimeNotWhole {
            given: quote(written),
            unit: "milliseconds",
        });
    }
    // Whole and finite; `as` saturates, and jiff refuses what is out of range.
    Timestamp::from_millisecond(millis as i64).map_err(|_| RequestError::TimeOutOfRange {
        given: format!("{} ms", quote(written)),
    })
}

/// A time given as a [`SystemTime`] (what a Rust host reads from its
/// clock: the core never reads it itself).
///
/// # Errors
///
/// [`RequestError::TimeOutOfRange`] outside the years -9999 to 9999.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use esafety::policy::context::time_from_system;
/// let at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_772_445_600);
/// assert_eq!(time_from_system(at)?.to_string(), "2026-03-02T10:00:00Z");
/// # Ok::<(), esafety::policy::RequestError>(())
/// ```
pub fn time_from_system(time: SystemTime) -> Result<Timestamp, RequestError> {
    Timestamp::try_from(time).map_err(|_| RequestError::TimeOutOfRange {
        given: format!("{time:?}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages() {
        let cases: [(&str, f64, Option<u8>); 7] = [
            ("zero", 0.0, Some(0)),
            ("fourteen", 14.0, Some(14)),
            ("max", 255.0, Some(255)),
            ("over", 256.0, None),
            ("negative", -1.0, None),
            ("fraction", 1.5, None),
            ("nan", f64::NAN, None),
        ];
        for (name, n, want) in cases {
            assert_eq!(age_from_number(n, "n").ok(), want, "{name}");
            if n.fract() == 0.0 {
                assert_eq!(age_from_years(n as i64).ok(), want, "{name}");
            }
        }
    }

    #[test]
    fn long_values_are_quoted_short() {
        let long = "x".repeat(10_000);
        let err = device_from_name(&long).unwrap_err().to_string();
        assert!(err.len() < 200, "{err}");
        let err = time_from_rfc3339(&long).unwrap_err().to_string();
        assert!(err.len() < 400, "{err}");
    }
}
