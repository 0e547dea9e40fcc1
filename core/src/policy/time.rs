//! Days, time windows and time zones in policy rules.

#[cfg(feature = "schema")]
use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

#[cfg(feature = "schema")]
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A day of the week in a rule's `days` condition: `mon` ... `sun`.
///
/// ```
/// use esafety::policy::{Day, Policy};
///
/// let policy = Policy::load("weekend.toml", r#"
///     id = "weekend"
///     default = "allow"
///     [[rules]]
///     id = "weekend-gaming"
///     action = "monitor"
///     categories = ["gaming"]
///     days = ["sat", "sun"]
/// "#)?;
/// assert_eq!(policy.rules()[0].doc().days, Some(vec![Day::Sat, Day::Sun]));
/// assert!(Day::Mon < Day::Sun); // ordered Monday first
/// assert!(serde_json::from_str::<Day>(r#""saturday""#).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
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
    ///
    /// ```
    /// use esafety::policy::Day;
    ///
    /// // The first day of the autumn term, 2026.
    /// let first_day = jiff::civil::date(2026, 9, 7);
    /// assert_eq!(Day::of(first_day.weekday()), Day::Mon);
    /// assert_eq!(Day::of(jiff::civil::Weekday::Sunday), Day::Sun);
    /// ```
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
///
/// ```
/// use esafety::policy::TimeWindow;
///
/// let err = "22:00-06:00".parse::<TimeWindow>().unwrap_err();
/// assert!(err.to_string().contains("cannot cross midnight"), "{err}");
/// assert!(err.to_string().contains("split it into `22:00-24:00` and `00:00-06:00`"), "{err}");
/// let err = "8:40-12:30".parse::<TimeWindow>().unwrap_err();
/// assert!(err.to_string().contains("the start is not a time"), "{err}");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct TimeWindowError(String);

impl TimeWindow {
    /// A window from minutes after midnight: `start` before 1440 (24:00
    /// may only end a window, as in the text form), `end` from `start` to
    /// 1440.
    ///
    /// ```
    /// use esafety::policy::TimeWindow;
    /// let lunch = TimeWindow::from_minutes(12 * 60 + 30, 13 * 60 + 20).ok_or("not a window")?;
    /// assert_eq!(lunch, "12:30-13:20".parse()?);
    /// assert_eq!(TimeWindow::from_minutes(22 * 60, 1440).map(|w| w.to_string()).as_deref(), Some("22:00-24:00"));
    /// assert_eq!(TimeWindow::from_minutes(600, 540), None); // ends before it starts
    /// assert_eq!(TimeWindow::from_minutes(1440, 1440), None); // would not read back
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_minutes(start: u16, end: u16) -> Option<TimeWindow> {
        (start < 1440 && start <= end && end <= 1440).then_some(TimeWindow { start, end })
    }

    /// Minutes after midnight at which the window opens.
    ///
    /// ```
    /// use esafety::policy::TimeWindow;
    ///
    /// let morning: TimeWindow = "08:40-12:30".parse()?;
    /// assert_eq!(morning.start_minute(), 8 * 60 + 40);
    /// assert!(morning.contains(morning.start_minute())); // the start is inclusive
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn start_minute(self) -> u16 {
        self.start
    }

    /// Minutes after midnight at which the window closes (exclusive).
    ///
    /// ```
    /// use esafety::policy::TimeWindow;
    ///
    /// let morning: TimeWindow = "08:40-12:30".parse()?;
    /// assert_eq!(morning.end_minute(), 12 * 60 + 30);
    /// assert!(!morning.contains(morning.end_minute())); // the end is exclusive
    /// assert_eq!("22:00-24:00".parse::<TimeWindow>()?.end_minute(), 1440);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn end_minute(self) -> u16 {
        self.end
    }

    /// Whether the window is empty (opens and closes at the same minute).
    ///
    /// ```
    /// use esafety::policy::TimeWindow;
    ///
    /// // An empty window parses (the linter reports it, P951) but never applies.
    /// let empty: TimeWindow = "09:00-09:00".parse()?;
    /// assert!(empty.is_empty());
    /// assert!(!empty.contains(9 * 60));
    /// assert!(!"09:00-09:01".parse::<TimeWindow>()?.is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// Whether `minute` (after midnight) falls in the window.
    ///
    /// ```
    /// use esafety::policy::TimeWindow;
    ///
    /// let afternoon: TimeWindow = "13:20-15:20".parse()?;
    /// assert!(afternoon.contains(13 * 60 + 20)); // 13:20, the first lesson minute
    /// assert!(afternoon.contains(15 * 60 + 19)); // 15:19
    /// assert!(!afternoon.contains(15 * 60 + 20)); // 15:20, the end is exclusive
    /// assert!(!afternoon.contains(12 * 60 + 45)); // lunch
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn contains(self, minute: u16) -> bool {
        self.start <= minute && minute < self.end
    }

    /// Whether two windows share at least one minute (an empty window has
    /// none to share).
    ///
    /// ```
    /// use esafety::policy::TimeWindow;
    ///
    /// let morning: TimeWindow = "08:40-12:30".parse()?;
    /// let lunch: TimeWindow = "12:30-13:20".parse()?;
    /// let club: TimeWindow = "12:00-13:00".parse()?;
    /// assert!(!morning.overlaps(lunch)); // they meet at 12:30 but share no minute
    /// assert!(morning.overlaps(club) && club.overlaps(lunch));
    /// let empty: TimeWindow = "10:00-10:00".parse()?;
    /// assert!(!empty.overlaps(morning) && !morning.overlaps(empty)); // no minute to share
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn overlaps(self, other: TimeWindow) -> bool {
        !self.is_empty() && !other.is_empty() && self.start < other.end && other.start < self.end
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
        crate::document::parse_str(d, |s| {
            s.parse().map_err(|e: TimeWindowError| {
                super::error::violation(super::PolicyErrorKind::Time, e.to_string())
            })
        })
    }
}

#[cfg(feature = "schema")]
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
///
/// ```
/// use esafety::policy::{Policy, TimeZoneName};
///
/// let policy = Policy::load("p.toml", "id = \"p\"\ndefault = \"allow\"\n")?;
/// assert_eq!(policy.time_zone().name(), "Europe/London"); // the default
/// assert_eq!(*policy.time_zone(), TimeZoneName::default());
/// // Looked up and compared ignoring case; the name is kept as written.
/// let lower = TimeZoneName::new("europe/london")?;
/// assert_eq!((lower.name(), lower == TimeZoneName::default()), ("europe/london", true));
///
/// let err = Policy::load("p.toml", r#"
///     id = "p"
///     time_zone = "Europe/Lundon"
///     default = "allow"
/// "#).unwrap_err();
/// assert!(err.to_string().contains("unknown time zone `Europe/Lundon`"), "{err}");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct TimeZoneName {
    name: String,
    tz: crate::tzdb::Zone,
}

impl TimeZoneName {
    /// Resolves an IANA time zone name.
    ///
    /// ```
    /// use esafety::policy::TimeZoneName;
    ///
    /// let belfast = TimeZoneName::new("Europe/Belfast")?;
    /// assert_eq!(belfast.name(), "Europe/Belfast");
    /// let err = TimeZoneName::new("London").unwrap_err();
    /// assert!(err.starts_with("unknown time zone `London`"), "{err}");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
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
    ///
    /// ```
    /// use esafety::policy::TimeZoneName;
    ///
    /// // Names resolve ignoring ASCII case; `name` keeps the spelling given.
    /// let tz = TimeZoneName::new("europe/london")?;
    /// assert_eq!(tz.name(), "europe/london");
    /// assert_eq!(tz.time_zone().iana_name(), "Europe/London");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The resolved time zone.
    ///
    /// ```
    /// use esafety::policy::TimeZoneName;
    ///
    /// let london = TimeZoneName::new("Europe/London")?;
    /// // 07:45 UTC is 08:45 in summer (BST) and 07:45 in winter (GMT).
    /// let summer: jiff::Timestamp = "2026-07-01T07:45:00Z".parse()?;
    /// let winter: jiff::Timestamp = "2026-12-01T07:45:00Z".parse()?;
    /// assert_eq!(london.time_zone().to_datetime(summer).hour(), 8);
    /// assert_eq!(london.time_zone().to_datetime(winter).hour(), 7);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn time_zone(&self) -> &crate::tzdb::Zone {
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
                tz: crate::tzdb::Zone::utc(),
            },
        }
    }
}

/// Names are compared ignoring ASCII case, as the database looks them up:
/// `europe/london` and `Europe/London` are one zone.
impl PartialEq for TimeZoneName {
    fn eq(&self, other: &Self) -> bool {
        self.name.eq_ignore_ascii_case(&other.name)
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
        crate::document::parse_str(d, |s| {
            TimeZoneName::new(s)
                .map_err(|e| super::error::violation(super::PolicyErrorKind::Time, e))
        })
    }
}

#[cfg(feature = "schema")]
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

    proptest::proptest! {
        /// Every window `from_minutes` makes reads back from its text form,
        /// and every pair of minutes it refuses has no text form either.
        #[test]
        fn from_minutes_agrees_with_the_text_form(start in 0u16..1500, end in 0u16..1500) {
            let text = format!("{:02}:{:02}-{:02}:{:02}", start / 60, start % 60, end / 60, end % 60);
            let parsed = text.parse::<TimeWindow>().ok();
            proptest::prop_assert_eq!(TimeWindow::from_minutes(start, end), parsed);
            if let Some(w) = parsed {
                proptest::prop_assert_eq!(w.to_string(), text);
            }
        }
    }

    proptest::proptest! {
        /// `overlaps` is true exactly when some minute is in both windows.
        #[test]
        fn overlaps_means_a_shared_minute(a in 0u16..1440, b in 0u16..=1440, c in 0u16..1440, d in 0u16..=1440) {
            let (Some(x), Some(y)) = (
                TimeWindow::from_minutes(a.min(b), a.max(b)),
                TimeWindow::from_minutes(c.min(d), c.max(d)),
            ) else {
                return Ok(());
            };
            let shared = (0..1440).any(|m| x.contains(m) && y.contains(m));
            proptest::prop_assert_eq!(x.overlaps(y), shared, "{} and {}", x, y);
        }
    }

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
