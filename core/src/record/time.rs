//! [`RecordTime`]: an instant with the UTC offset of the policy's zone at
//! that instant, written RFC 3339 (`2026-06-02T11:00:00+01:00`).

use std::fmt;

use jiff::Timestamp;
use jiff::tz::Offset;
#[cfg(feature = "schema")]
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// When a decision was made, in the local time of the policy that made it.
///
/// ```
/// use esafety::record::RecordTime;
///
/// let zone = esafety::tzdb::time_zone("Europe/London")?;
/// let summer = RecordTime::in_zone("2026-06-02T10:00:00Z".parse()?, &zone);
/// assert_eq!(summer.to_string(), "2026-06-02T11:00:00+01:00");
/// let winter = RecordTime::in_zone("2026-03-02T10:00:00Z".parse()?, &zone);
/// assert_eq!(winter.to_string(), "2026-03-02T10:00:00+00:00");
/// let read: RecordTime = serde_json::from_str("\"2026-06-02T11:00:00+01:00\"")?;
/// assert_eq!(read, summer);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RecordTime {
    instant: Timestamp,
    offset_seconds: i32,
}

impl RecordTime {
    /// `instant` with the offset `zone` has then.
    ///
    /// ```
    /// use esafety::record::RecordTime;
    ///
    /// let zone = esafety::tzdb::time_zone("Asia/Kolkata")?;
    /// let t = RecordTime::in_zone("2026-03-02T10:00:00Z".parse()?, &zone);
    /// assert_eq!(t.to_string(), "2026-03-02T15:30:00+05:30");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn in_zone(instant: Timestamp, zone: &crate::tzdb::Zone) -> RecordTime {
        RecordTime::with_offset(instant, zone.to_offset(instant))
    }

    /// `instant` written with `offset`.
    ///
    /// ```
    /// use esafety::record::RecordTime;
    ///
    /// let t = RecordTime::with_offset("2026-03-02T10:00:00Z".parse()?, jiff::tz::Offset::UTC);
    /// assert_eq!(t.to_string(), "2026-03-02T10:00:00+00:00");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_offset(instant: Timestamp, offset: Offset) -> RecordTime {
        RecordTime {
            instant,
            offset_seconds: offset.seconds(),
        }
    }

    /// The instant.
    ///
    /// ```
    /// use esafety::record::RecordTime;
    ///
    /// let t: RecordTime = serde_json::from_str("\"2026-06-02T11:00:00+01:00\"")?;
    /// assert_eq!(t.instant().to_string(), "2026-06-02T10:00:00Z");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn instant(self) -> Timestamp {
        self.instant
    }

    /// The UTC offset it is written with.
    ///
    /// ```
    /// use esafety::record::RecordTime;
    ///
    /// let t: RecordTime = serde_json::from_str("\"2026-06-02T11:00:00+01:00\"")?;
    /// assert_eq!(t.offset().seconds(), 3600);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn offset(self) -> Offset {
        Offset::from_seconds(self.offset_seconds).unwrap_or(Offset::UTC)
    }

    /// Reads RFC 3339 text, keeping its offset (`Z` is `+00:00`).
    ///
    /// ```
    /// use esafety::record::RecordTime;
    ///
    /// let t = RecordTime::parse("2026-03-02T10:00:00Z")?;
    /// assert_eq!(t.to_string(), "2026-03-02T10:00:00+00:00");
    /// assert!(RecordTime::parse("2026-03-02T10:00:00").is_err()); // no offset
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A [`crate::datetime::DateTimeError`] for text that is not an RFC 3339
    /// time with an offset.
    pub fn parse(text: &str) -> Result<RecordTime, crate::datetime::DateTimeError> {
        let instant = crate::datetime::parse_timestamp(text)?;
        Ok(RecordTime::with_offset(instant, written_offset(text)))
    }
}

/// The offset at the end of RFC 3339 text that parsed: `Z`, or `±HH:MM`.
fn written_offset(text: &str) -> Offset {
    let bytes = text.as_bytes();
    let Some(start) = bytes.len().checked_sub(6) else {
        return Offset::UTC;
    };
    let tail = bytes.get(start..).unwrap_or_default();
    let sign = match tail.first() {
        Some(b'+') => 1,
        Some(b'-') => -1,
        _ => return Offset::UTC,
    };
    let digit = |i: usize| tail.get(i).map_or(0, |b| i32::from(b.wrapping_sub(b'0')));
    let seconds = sign * ((digit(1) * 10 + digit(2)) * 3600 + (digit(4) * 10 + digit(5)) * 60);
    Offset::from_seconds(seconds).unwrap_or(Offset::UTC)
}

/// The longest text a [`RecordTime`] is: `YYYY-MM-DDTHH:MM:SS.nnnnnnnnn+HH:MM`.
const TEXT_LEN: usize = 35;

/// A record time's RFC 3339 text in a fixed buffer: a record is written for
/// every decision, so its time is written without an allocation or the
/// formatting machinery (the Squid helper's profile showed `Display` at
/// 5.6% of its time). [`RecordTime::fmt_general`] is the reference it must
/// equal (`fast_text_equals_the_general_text`).
struct Text {
    bytes: [u8; TEXT_LEN],
    len: usize,
}

impl Text {
    fn push(&mut self, b: u8) {
        if let Some(slot) = self.bytes.get_mut(self.len) {
            *slot = b;
            self.len += 1;
        }
    }

    /// `value` in exactly `width` decimal digits (`value < 10^width`).
    fn digits(&mut self, value: u32, width: u32) {
        let mut div = 10u32.pow(width.saturating_sub(1));
        for _ in 0..width {
            // INVARIANT: `(value / div) % 10` is one decimal digit.
            self.push(b'0' + ((value / div) % 10) as u8);
            div /= 10;
        }
    }

    fn as_str(&self) -> &str {
        std::str::from_utf8(self.bytes.get(..self.len).unwrap_or_default()).unwrap_or_default()
    }
}

impl RecordTime {
    /// The text, for a local year of 0 to 9999 (the general path writes
    /// the others).
    fn text(&self) -> Option<Text> {
        let offset = self.offset();
        let local = offset.to_datetime(self.instant);
        let year = u32::try_from(local.year()).ok().filter(|y| *y <= 9999)?;
        let mut t = Text {
            bytes: [0; TEXT_LEN],
            len: 0,
        };
        t.digits(year, 4);
        t.push(b'-');
        t.digits(u32::from(local.month().unsigned_abs()), 2);
        t.push(b'-');
        t.digits(u32::from(local.day().unsigned_abs()), 2);
        t.push(b'T');
        t.digits(u32::from(local.hour().unsigned_abs()), 2);
        t.push(b':');
        t.digits(u32::from(local.minute().unsigned_abs()), 2);
        t.push(b':');
        t.digits(u32::from(local.second().unsigned_abs()), 2);
        let nanos = local.subsec_nanosecond().unsigned_abs();
        if nanos != 0 {
            t.push(b'.');
            t.digits(nanos, 9);
            while t.len > 0 && t.bytes.get(t.len - 1) == Some(&b'0') {
                t.len -= 1;
            }
        }
        let seconds = offset.seconds();
        t.push(if seconds < 0 { b'-' } else { b'+' });
        let minutes = seconds.unsigned_abs() / 60;
        t.digits(minutes / 60, 2);
        t.push(b':');
        t.digits(minutes % 60, 2);
        Some(t)
    }

    /// The text through `write!`: every year, and the reference the fixed
    /// buffer is tested against.
    fn fmt_general(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let offset = self.offset();
        let local = offset.to_datetime(self.instant);
        let seconds = offset.seconds();
        let sign = if seconds < 0 { '-' } else { '+' };
        let minutes = seconds.unsigned_abs() / 60;
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            local.year(),
            local.month(),
            local.day(),
            local.hour(),
            local.minute(),
            local.second()
        )?;
        let nanos = local.subsec_nanosecond();
        if nanos != 0 {
            let text = format!("{nanos:09}");
            write!(f, ".{}", text.trim_end_matches('0'))?;
        }
        write!(f, "{sign}{:02}:{:02}", minutes / 60, minutes % 60)
    }
}

impl fmt::Display for RecordTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.text() {
            Some(text) => f.write_str(text.as_str()),
            None => self.fmt_general(f),
        }
    }
}

impl Serialize for RecordTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.text() {
            Some(text) => s.serialize_str(text.as_str()),
            None => s.collect_str(self),
        }
    }
}

impl<'de> Deserialize<'de> for RecordTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // A visitor rather than `Cow<str>`, whose `Deserialize` always
        // copies: a report reads a time from every line.
        struct Visit;
        impl serde::de::Visitor<'_> for Visit {
            type Value = RecordTime;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an RFC 3339 time")
            }

            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<RecordTime, E> {
                RecordTime::parse(text).map_err(|e| {
                    E::custom(format!(
                        "bad time `{}` ({e}); write it RFC 3339 with an offset, e.g. `2026-03-02T10:00:00+00:00`",
                        text.chars().take(64).collect::<String>()
                    ))
                })
            }
        }
        d.deserialize_str(Visit)
    }
}

#[cfg(feature = "schema")]
impl JsonSchema for RecordTime {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "RecordTime".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "RFC 3339 time with the UTC offset of the policy's zone at that time.",
            "type": "string",
            "format": "date-time"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The general path alone, as text.
    struct General(RecordTime);
    impl fmt::Display for General {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            self.0.fmt_general(f)
        }
    }

    proptest::proptest! {
        #[test]
        fn fast_text_equals_the_general_text(
            second in -377_705_116_800i64..=253_402_207_199,
            nanos in proptest::prop_oneof![proptest::strategy::Just(0i32), 0i32..1_000_000_000, proptest::strategy::Just(500_000_000), proptest::strategy::Just(1_000)],
            offset in -93_599i32..=93_599,
        ) {
            let Ok(instant) = Timestamp::new(second, nanos) else { return Ok(()) };
            let Ok(offset) = Offset::from_seconds(offset) else { return Ok(()) };
            let t = RecordTime::with_offset(instant, offset);
            let general = General(t).to_string();
            proptest::prop_assert_eq!(t.to_string(), general.clone());
            proptest::prop_assert_eq!(serde_json::to_string(&t).unwrap(), format!("\"{general}\""));
        }
    }

    #[test]
    fn fast_and_general_text_at_the_edges() {
        let cases = [
            ("epoch", 0, 0, 0),
            ("fraction", 1_772_445_600, 250_000_000, 19_800),
            ("one nanosecond", 1_772_445_600, 1, -14_400),
            ("odd offset seconds", 0, 0, -75),
            ("year 0", -62_167_219_200, 0, 0),
            ("before year 0", -62_167_219_201, 0, 0),
            ("year 9999", 253_402_207_199, 999_999_999, 0),
        ];
        for (name, second, nanos, offset) in cases {
            let t = RecordTime::with_offset(
                Timestamp::new(second, nanos).unwrap(),
                Offset::from_seconds(offset).unwrap(),
            );
            assert_eq!(t.to_string(), General(t).to_string(), "{name}");
        }
    }

    #[test]
    fn round_trips_offsets_and_fractions() {
        for text in [
            "2026-03-02T10:00:00+00:00",
            "2026-06-02T11:00:00+01:00",
            "2026-06-02T05:00:00-04:00",
            "2026-03-02T15:30:00.25+05:30",
            "1970-01-01T00:00:00+00:00",
        ] {
            let t = RecordTime::parse(text).unwrap();
            assert_eq!(t.to_string(), text);
        }
        assert_eq!(
            RecordTime::parse("2026-03-02T10:00:00z")
                .unwrap()
                .to_string(),
            "2026-03-02T10:00:00+00:00"
        );
    }
}
