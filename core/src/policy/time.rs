//! Days, time windows and time zones in policy rules.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A day of the week in a rule's `days` condition: `mon` ... `sun`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Day {
    /// Monday.
    Mon,
    /// Tuesday.
    Tue,
    /// Wednesday.
    Wed,
    /// Thursday.
    Thu,
    /// Friday.
    Fri,
    /// Saturday.
    Sat,
    /// Sunday.
    Sun,
}

impl Day {
    /// The day of a civil date-time.
    pub fn of(weekday: jiff::civil::Weekday) -> Day {
        use jiff::civil::Weekday as W;
        match weekday {
            W::Monday => Day::Mon,
            W::Tuesday => Day::Tue,
            W::Wednesday => Day::Wed,
            W::Thursday => Day::Thu,
            W::Friday => Day::Fri,
            W::Saturday => Day::Sat,
            W::Sunday => Day::Sun,
        }
    }

    /// The bit of this day in a 7-bit day mask (Monday = bit 0).
    pub(crate) fn bit(self) -> u8 {
        1u8 << (self as u8)
    }
}

/// A time window within one day, `HH:MM-HH:MM`, start inclusive and end
/// exclusive, in the policy's time zone. `24:00` may end a window. A window
/// cannot cross midnight: write `22:00-24:00` and `00:00-06:00` instead.
///
/// ```
/// use esafety::policy::TimeWindow;
/// let w: TimeWindow = "08:30-15:30".parse()?;
/// assert_eq!((w.start_minute(), w.end_minute()), (510, 930));
/// assert!(w.contains(600));
/// assert!(!w.contains(930));
/// assert!("15:30-08:30".parse::<TimeWindow>().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TimeWindow {
    start: u16,
    end: u16,
}

/// Why a time window did not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct TimeWindowError(String);

impl TimeWindow {
    /// A window from minutes after midnight (`end` at most 1440).
    pub fn from_minutes(start: u16, end: u16) -> Option<TimeWindow> {
        (start <= end && end <= 1440).then_some(TimeWindow { start, end })
    }

    /// Minutes after midnight at which the window opens.
    pub fn start_minute(self) -> u16 {
        self.start
    }

    /// Minutes after midnight at which the window closes (exclusive).
    pub fn end_minute(self) -> u16 {
        self.end
    }

    /// Whether the window is empty (opens and closes at the same minute).
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// Whether `minute` (after midnight) falls in the window.
    pub fn contains(self, minute: u16) -> bool {
        self.start <= minute && minute < self.end
    }

    /// Whether two windows share at least one minute.
    pub fn overlaps(self, other: TimeWindow) -> bool {
        self.start < other.end && other.start < self.end
    }
}

fn parse_clock(s: &str) -> Option<u16> {
    let (h, m) = s.split_once(':')?;
    if h.len() != 2 || m.len() != 2 || !h.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let h: u16 = h.parse().ok()?;
    let m: u16 = m.parse().ok()?;
    if m >= 60 || h > 24 || (h == 24 && m != 0) {
        return None;
    }
    Some(h * 60 + m)
}

impl FromStr for TimeWindow {
    type Err = TimeWindowError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = |why: &str| {
            TimeWindowError(format!(
                "bad time window `{s}`: {why}; write it as `HH:MM-HH:MM`, e.g. `08:30-15:30`"
            ))
        };
        let (a, b) = s
            .split_once('-')
            .ok_or_else(|| bad("there is no `-` between start and end"))?;
        let start = parse_clock(a.trim())
            .ok_or_else(|| bad("the start is not a time from 00:00 to 24:00"))?;
        let end = parse_clock(b.trim())
            .ok_or_else(|| bad("the end is not a time from 00:00 to 24:00"))?;
        if start == 1440 {
            return Err(bad("a window cannot start at 24:00"));
        }
        if end < start {
            return Err(TimeWindowError(format!(
                "bad time window `{s}`: the end is before the start and a window cannot cross midnight; \
                 split it into `{a}-24:00` and `00:00-{b}`",
                a = a.trim(),
                b = b.trim()
            )));
        }
        Ok(TimeWindow { start, end })
    }
}

impl fmt::Display for TimeWindow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:02}:{:02}-{:02}:{:02}",
            self.start / 60,
            self.start % 60,
            self.end / 60,
            self.end % 60
        )
    }
}

impl Serialize for TimeWindow {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for TimeWindow {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = Cow::<'de, str>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for TimeWindow {
    fn schema_name() -> Cow<'static, str> {
        "TimeWindow".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "description": "A window within one day, `HH:MM-HH:MM`, start inclusive, end exclusive, in the policy time zone; it cannot cross midnight.",
            "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]-(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$"
        })
    }
}

/// A named IANA time zone (e.g. `Europe/London`), resolved against the tz
/// database built into the library ([`crate::tzdb`]; the host's zoneinfo is
/// not read).
#[derive(Debug, Clone)]
pub struct TimeZoneName {
    name: String,
    tz: jiff::tz::TimeZone,
}

impl TimeZoneName {
    /// Resolves an IANA time zone name.
    ///
    /// # Errors
    ///
    /// When the name is not in the bundled tz database.
    pub fn new(name: &str) -> Result<TimeZoneName, String> {
        match crate::tzdb::time_zone(name) {
            Ok(tz) => Ok(TimeZoneName {
                name: name.to_owned(),
                tz,
            }),
            Err(e) => Err(e.to_string()),
        }
    }

    /// The name as written.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The resolved time zone.
    pub fn time_zone(&self) -> &jiff::tz::TimeZone {
        &self.tz
    }
}

impl Default for TimeZoneName {
    fn default() -> Self {
        match crate::tzdb::time_zone("Europe/London") {
            Ok(tz) => TimeZoneName {
                name: "Europe/London".to_owned(),
                tz,
            },
            // The bundled database always holds Europe/London; UTC keeps
            // this total if it ever did not.
            Err(_) => TimeZoneName {
                name: "UTC".to_owned(),
                tz: jiff::tz::TimeZone::UTC,
            },
        }
    }
}

impl PartialEq for TimeZoneName {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for TimeZoneName {}

impl Serialize for TimeZoneName {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.name)
    }
}

impl<'de> Deserialize<'de> for TimeZoneName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = Cow::<'de, str>::deserialize(d)?;
        TimeZoneName::new(&s).map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for TimeZoneName {
    fn schema_name() -> Cow<'static, str> {
        "TimeZoneName".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "description": "An IANA time zone name, e.g. `Europe/London`.",
            "examples": ["Europe/London"]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Case = (&'static str, &'static str, Result<(u16, u16), &'static str>);

    #[test]
    fn time_windows_parse_or_explain() {
        let cases: &[Case] = &[
            ("school day", "08:30-15:30", Ok((510, 930))),
            ("to midnight", "22:00-24:00", Ok((1320, 1440))),
            (
                "empty is allowed (the linter reports it)",
                "09:00-09:00",
                Ok((540, 540)),
            ),
            ("spaces", "08:00 - 09:00", Ok((480, 540))),
            (
                "crosses midnight",
                "22:00-06:00",
                Err("cannot cross midnight"),
            ),
            ("no dash", "0830", Err("no `-`")),
            ("hour 25", "08:00-25:00", Err("the end is not a time")),
            ("minute 60", "08:60-09:00", Err("the start is not a time")),
            ("start at 24", "24:00-24:00", Err("cannot start at 24:00")),
            ("one digit", "8:00-9:00", Err("the start is not a time")),
        ];
        for (name, input, want) in cases {
            let got = input.parse::<TimeWindow>();
            match (got, want) {
                (Ok(w), Ok((s, e))) => {
                    assert_eq!((w.start_minute(), w.end_minute()), (*s, *e), "{name}")
                }
                (Err(e), Err(msg)) => assert!(e.to_string().contains(msg), "{name}: {e}"),
                (got, want) => panic!("{name}: got {got:?}, want {want:?}"),
            }
        }
    }

    #[test]
    fn time_zones_resolve_from_the_bundled_database() {
        assert!(TimeZoneName::new("Europe/London").is_ok());
        let e = TimeZoneName::new("Europe/Lundon").unwrap_err();
        assert!(e.contains("unknown time zone `Europe/Lundon`"), "{e}");
    }
}
