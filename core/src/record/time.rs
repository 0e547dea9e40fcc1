//! [`RecordTime`]: an instant with the UTC offset of the policy's zone at
//! that instant, written RFC 3339 (`2026-06-02T11:00:00+01:00`).

use std::borrow::Cow;
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

impl fmt::Display for RecordTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
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

impl Serialize for RecordTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for RecordTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = Cow::<'de, str>::deserialize(d)?;
        RecordTime::parse(&text).map_err(|e| {
            serde::de::Error::custom(format!(
                "bad time `{}` ({e}); write it RFC 3339 with an offset, e.g. `2026-03-02T10:00:00+00:00`",
                text.chars().take(64).collect::<String>()
            ))
        })
    }
}

#[cfg(feature = "schema")]
impl JsonSchema for RecordTime {
    fn schema_name() -> Cow<'static, str> {
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
