//! Reading the times and dates people write: a request's time
//! (`2026-03-02T10:00:00Z`), a policy's review date and the linter's
//! "today" (`2026-09-01`), an incident's `occurred_at`.
//!
//! Every face reads them here, so the CLI's `--at`, the C library's
//! `time_rfc3339`, the WebAssembly package's `time` and a policy file accept
//! the same texts and say the same about the ones they refuse. The values
//! are `jiff`'s; the reading is the core's own, for two reasons: the
//! messages say what is wrong in the words of this format, and the
//! WebAssembly package does not carry `jiff`'s general ISO 8601 / Temporal
//! parser and its error texts (about a tenth of the package).
//!
//! Decided by measurement (gzip -9 of the optimized WebAssembly package,
//! wasm/README.md, "Size and speed"): reading with `jiff`'s
//! `Timestamp::from_str` cost 36 KB (389 to 353 KB when this reader
//! replaced it), more than the margin of the extension build's 250 KiB
//! goal. Speed is not at stake (a request's time comes from JavaScript as
//! epoch milliseconds; texts are read once per request on the CLI and C
//! faces). Messages: these say what is wrong in the words of this format
//! (`February 2026 has 28 days, so there is no day 29`), one wording for
//! every face, where `jiff`'s describe its general parser. A differential
//! proptest (`datetime/tests.rs`) and the `datetime` fuzz target check that
//! what this reads `jiff` reads alike.
//!
//! A **timestamp** is an RFC 3339 date-time with a UTC offset:
//!
//! ```text
//! YYYY-MM-DD ( T | t | space ) hh [ :mm [ :ss [ ( . | , ) 1 to 9 digits ] ] ] offset
//! offset = Z | z | ( + | - ) hh [ [:] mm [ [:] ss ] ]
//! ```
//!
//! as `jiff` reads it: a leap second (`:60`) is read as `:59`, an offset
//! may be up to ±25:59:59, and `-00:00` is UTC. ISO 8601's basic format
//! (`20260302T100000Z`), six-digit years and bracketed annotations
//! (`[Europe/London]`) are refused: write the offset. A **date** is
//! `YYYY-MM-DD`. Years run from 0000 to 9999.
//!
//! ```
//! use esafety::datetime::{parse_date, parse_timestamp};
//! let at = parse_timestamp("2026-03-02T10:00:00+01:00")?;
//! assert_eq!(at.to_string(), "2026-03-02T09:00:00Z");
//! assert_eq!(parse_date("2026-09-01")?.to_string(), "2026-09-01");
//! let err = parse_timestamp("2026-02-29T10:00:00Z").unwrap_err();
//! assert_eq!(err.to_string(), "February 2026 has 28 days, so there is no day 29");
//! # Ok::<(), esafety::datetime::DateTimeError>(())
//! ```

use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Time};
use jiff::tz::Offset;

/// Why a text is not a timestamp or a date. The message says what is
/// wrong; the caller says what was being read (`--at`, `time`, …).
///
/// ```
/// use esafety::datetime::{DateTimeError, parse_timestamp};
/// let err = parse_timestamp("2026-03-02T10:00:00").unwrap_err();
/// assert_eq!(err, DateTimeError::NoOffset);
/// assert_eq!(err.to_string(), "it has no UTC offset such as `Z` or `+01:00`");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateTimeError {
    /// Something other than what the format has at this character.
    #[error("expected {expected} at character {at}, found {found}")]
    Syntax {
        /// 1-based character position.
        at: usize,
        /// What the format has there.
        expected: &'static str,
        /// What the text has there (`the end` at the end).
        found: String,
    },
    /// A field out of its range, such as month 13.
    #[error("{field} {value} is not from {min} to {max}")]
    Range {
        /// The field: `month`, `hour`, `offset minute`, …
        field: &'static str,
        /// Its value.
        value: u32,
        /// The smallest it may be.
        min: u32,
        /// The largest it may be.
        max: u32,
    },
    /// A day the month does not have.
    #[error("{month} {year:04} has {days} days, so there is no day {day}")]
    NoSuchDay {
        /// The month's English name.
        month: &'static str,
        /// The year.
        year: i16,
        /// The days the month has.
        days: i8,
        /// The day asked for.
        day: i8,
    },
    /// A date-time without a UTC offset, which could be any of 27 hours.
    #[error("it has no UTC offset such as `Z` or `+01:00`")]
    NoOffset,
    /// More than nine digits of a second.
    #[error("a fraction of a second has at most 9 digits (nanoseconds)")]
    LongFraction,
    /// A valid date-time whose instant is outside the years 0000 to 9999
    /// once its offset is applied (such as `9999-12-31T23:59:59-05:00`).
    #[error("the instant is outside the years 0000 to 9999 that esafety represents")]
    OutOfRange,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Reads an RFC 3339 timestamp (see the module docs).
///
/// ```
/// use esafety::datetime::parse_timestamp;
/// let cases = [
///     ("2026-03-02T10:00:00Z", "2026-03-02T10:00:00Z"),
///     ("2026-03-02 10:00+01:00", "2026-03-02T09:00:00Z"),
///     ("2026-03-02t10:00:00.5z", "2026-03-02T10:00:00.5Z"),
///     ("2026-03-02T23:59:60Z", "2026-03-02T23:59:59Z"),
/// ];
/// for (text, want) in cases {
///     assert_eq!(parse_timestamp(text)?.to_string(), want, "{text}");
/// }
/// assert!(parse_timestamp("20260302T100000Z").is_err());
/// # Ok::<(), esafety::datetime::DateTimeError>(())
/// ```
///
/// # Errors
///
/// A [`DateTimeError`] saying what is wrong.
pub fn parse_timestamp(text: &str) -> Result<Timestamp, DateTimeError> {
    let mut r = Reader::new(text);
    let date = r.date()?;
    match r.peek() {
        Some(b'T' | b't' | b' ') => r.pos += 1,
        None => return Err(r.syntax("`T` and a time after the date")),
        Some(_) => return Err(r.syntax("`T` or a space between the date and the time")),
    }
    let time = r.time()?;
    let offset = r.offset()?;
    r.end()?;
    offset
        .to_timestamp(DateTime::from_parts(date, time))
        .map_err(|_| DateTimeError::OutOfRange)
}

/// Reads a date `YYYY-MM-DD`.
///
/// ```
/// use esafety::datetime::{DateTimeError, parse_date};
/// assert_eq!(parse_date("2024-02-29")?, jiff::civil::date(2024, 2, 29));
/// assert_eq!(
///     parse_date("2026-13-01").unwrap_err(),
///     DateTimeError::Range { field: "month", value: 13, min: 1, max: 12 },
/// );
/// assert!(parse_date("2026-09-01T10:00:00Z").is_err());
/// # Ok::<(), DateTimeError>(())
/// ```
///
/// # Errors
///
/// A [`DateTimeError`] saying what is wrong.
pub fn parse_date(text: &str) -> Result<Date, DateTimeError> {
    let mut r = Reader::new(text);
    let date = r.date()?;
    r.end()?;
    Ok(date)
}

/// A text that is not a date `YYYY-MM-DD`, in the one wording every reader
/// of a date uses (a policy's `reviewed`, a bundle list's date, the
/// linter's "today").
///
/// ```
/// use esafety::datetime::{BadDate, read_date};
/// assert_eq!(read_date("2026-09-01")?, jiff::civil::date(2026, 9, 1));
/// let err: BadDate = read_date("01/09/2026").unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "bad date `01/09/2026` (expected a four-digit year (`YYYY-MM-DD`) at character 3, \
///      found `/`); write it as `YYYY-MM-DD`, e.g. `2026-09-01`"
/// );
/// # Ok::<(), BadDate>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("bad date `{text}` ({reason}); write it as `YYYY-MM-DD`, e.g. `2026-09-01`")]
pub struct BadDate {
    /// The text, as given.
    pub text: String,
    /// What is wrong with it.
    pub reason: DateTimeError,
}

/// Reads a date `YYYY-MM-DD`, refusing anything else in the [`BadDate`]
/// wording.
///
/// ```
/// use esafety::datetime::read_date;
/// assert_eq!(read_date("2024-02-29")?.to_string(), "2024-02-29");
/// let err = read_date("2026-02-29").unwrap_err();
/// assert!(err.to_string().contains("February 2026 has 28 days"), "{err}");
/// # Ok::<(), esafety::datetime::BadDate>(())
/// ```
///
/// # Errors
///
/// A [`BadDate`] naming the text and what is wrong with it.
pub fn read_date(text: &str) -> Result<Date, BadDate> {
    parse_date(text).map_err(|reason| BadDate {
        text: text.to_owned(),
        reason,
    })
}

struct Reader<'t> {
    text: &'t str,
    bytes: &'t [u8],
    pos: usize,
}

impl<'t> Reader<'t> {
    fn new(text: &'t str) -> Reader<'t> {
        Reader {
            text,
            bytes: text.as_bytes(),
            pos: 0,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn syntax(&self, expected: &'static str) -> DateTimeError {
        let before = self.text.get(..self.pos).unwrap_or_default();
        let found = match self.text.get(self.pos..).and_then(|s| s.chars().next()) {
            None => "the end".to_owned(),
            Some(c) => format!("`{}`", c.escape_debug()),
        };
        DateTimeError::Syntax {
            at: before.chars().count() + 1,
            expected,
            found,
        }
    }

    fn expect(&mut self, byte: u8, expected: &'static str) -> Result<(), DateTimeError> {
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.syntax(expected))
        }
    }

    /// `n` ASCII digits as a number.
    fn digits(&mut self, n: usize, expected: &'static str) -> Result<u32, DateTimeError> {
        let mut value = 0u32;
        for _ in 0..n {
            match self.peek() {
                Some(d @ b'0'..=b'9') => {
                    value = value * 10 + u32::from(d - b'0');
                    self.pos += 1;
                }
                _ => return Err(self.syntax(expected)),
            }
        }
        Ok(value)
    }

    fn end(&self) -> Result<(), DateTimeError> {
        match self.peek() {
            None => Ok(()),
            Some(_) => Err(self.syntax("the end")),
        }
    }

    fn date(&mut self) -> Result<Date, DateTimeError> {
        let year = self.digits(4, "a four-digit year (`YYYY-MM-DD`)")?;
        self.expect(b'-', "`-` after the year (`YYYY-MM-DD`)")?;
        let month = self.digits(2, "a two-digit month (`YYYY-MM-DD`)")?;
        self.expect(b'-', "`-` after the month (`YYYY-MM-DD`)")?;
        let day = self.digits(2, "a two-digit day (`YYYY-MM-DD`)")?;
        let month = in_range("month", month, 1, 12)?;
        let day = in_range("day", day, 1, 31)?;
        // Four digits: 0..=9999 fits i16.
        let year = i16::try_from(year).map_err(|_| DateTimeError::OutOfRange)?;
        let first = Date::new(year, month, 1).map_err(|_| DateTimeError::OutOfRange)?;
        let days = first.days_in_month();
        if day > days {
            return Err(DateTimeError::NoSuchDay {
                month: MONTHS
                    .get(usize::from(month.unsigned_abs()).saturating_sub(1))
                    .copied()
                    .unwrap_or("the month"),
                year,
                days,
                day,
            });
        }
        Date::new(year, month, day).map_err(|_| DateTimeError::OutOfRange)
    }

    fn time(&mut self) -> Result<Time, DateTimeError> {
        let hour = in_range("hour", self.digits(2, "a two-digit hour")?, 0, 23)?;
        let (mut minute, mut second, mut nanos) = (0, 0, 0);
        if self.peek() == Some(b':') {
            self.pos += 1;
            minute = in_range("minute", self.digits(2, "a two-digit minute")?, 0, 59)?;
            if self.peek() == Some(b':') {
                self.pos += 1;
                // RFC 3339 allows a leap second; like jiff, read it as :59.
                second = in_range("second", self.digits(2, "a two-digit second")?, 0, 60)?.min(59);
                if let Some(b'.' | b',') = self.peek() {
                    self.pos += 1;
                    nanos = self.fraction()?;
                }
            }
        }
        Time::new(hour, minute, second, nanos).map_err(|_| DateTimeError::OutOfRange)
    }

    /// One to nine digits after the decimal sign, as nanoseconds.
    fn fraction(&mut self) -> Result<i32, DateTimeError> {
        let mut nanos = 0i32;
        let mut digits = 0;
        while let Some(d @ b'0'..=b'9') = self.peek() {
            if digits == 9 {
                return Err(DateTimeError::LongFraction);
            }
            nanos = nanos * 10 + i32::from(d - b'0');
            digits += 1;
            self.pos += 1;
        }
        if digits == 0 {
            return Err(self.syntax("digits of a second after the decimal sign"));
        }
        for _ in digits..9 {
            nanos *= 10;
        }
        Ok(nanos)
    }

    fn offset(&mut self) -> Result<Offset, DateTimeError> {
        let sign = match self.peek() {
            Some(b'Z' | b'z') => {
                self.pos += 1;
                return Ok(Offset::UTC);
            }
            Some(b'+') => 1,
            Some(b'-') => -1,
            None => return Err(DateTimeError::NoOffset),
            Some(_) => return Err(self.syntax("`Z` or a UTC offset such as `+01:00`")),
        };
        self.pos += 1;
        let hours = in_range(
            "offset hour",
            self.digits(2, "a two-digit offset hour")?,
            0,
            25,
        )?;
        let mut seconds = i32::from(hours) * 3600;
        // Minutes and then seconds, both with a colon before them
        // (`+01:00:30`) or neither (`+010030`).
        let mut colons = None;
        for (field, unit) in [("offset minute", 60), ("offset second", 1)] {
            let colon = self.peek() == Some(b':');
            let next = self.bytes.get(self.pos + usize::from(colon));
            if !matches!(next, Some(b'0'..=b'9')) {
                if colon {
                    self.pos += 1;
                    return Err(self.syntax("two digits after `:` in the offset"));
                }
                break;
            }
            if *colons.get_or_insert(colon) != colon {
                return Err(self.syntax(if colon {
                    "the end of the offset (its minutes had no `:`)"
                } else {
                    "`:` before the offset's seconds (its minutes had one)"
                }));
            }
            self.pos += usize::from(colon);
            let value = in_range(field, self.digits(2, "two digits in the offset")?, 0, 59)?;
            seconds += i32::from(value) * unit;
        }
        Offset::from_seconds(sign * seconds).map_err(|_| DateTimeError::OutOfRange)
    }
}

/// `value` as an `i8` field when it is in `min..=max`.
fn in_range(field: &'static str, value: u32, min: u32, max: u32) -> Result<i8, DateTimeError> {
    if (min..=max).contains(&value) {
        i8::try_from(value).map_err(|_| DateTimeError::OutOfRange)
    } else {
        Err(DateTimeError::Range {
            field,
            value,
            min,
            max,
        })
    }
}

#[cfg(test)]
mod tests;
