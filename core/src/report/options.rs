//! What a report covers: the period, the site, lesson times, how many top
//! entries to list.

use jiff::civil::{Date, Time, Weekday};

/// Options that cannot make a report.
///
/// ```
/// use esafety::report::{LessonTimes, OptionsError, ReportOptions};
///
/// let err = ReportOptions::new().with_period(Some("2026-03-09".parse()?), Some("2026-03-02".parse()?)).unwrap_err();
/// assert!(matches!(err, OptionsError::PeriodReversed { .. }));
/// assert_eq!(err.to_string(), "the period ends (`2026-03-02`) before it starts (`2026-03-09`); give --from before --to");
/// assert!(LessonTimes::parse("lunch").is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OptionsError {
    /// `to` is before `from`.
    #[error("the period ends (`{to}`) before it starts (`{from}`); give --from before --to")]
    PeriodReversed {
        /// The first day.
        from: Date,
        /// The last day.
        to: Date,
    },
    /// Lesson times that are not `HH:MM-HH:MM` with the start first.
    #[error("bad lesson times `{text}`: {reason}; write them as `08:45-15:30`")]
    BadLessonTimes {
        /// What was given.
        text: String,
        /// What is wrong.
        reason: String,
    },
}

/// The school day's lesson times, Monday to Friday, in the records' local
/// time: a block of a service category alone in them may stop teaching.
///
/// ```
/// use esafety::report::LessonTimes;
///
/// let lessons = LessonTimes::parse("09:00-15:00")?;
/// assert!(lessons.contains("2026-03-02T10:00".parse()?)); // a Monday
/// assert!(!lessons.contains("2026-03-07T10:00".parse()?)); // a Saturday
/// assert!(!lessons.contains("2026-03-02T15:00".parse()?));
/// assert_eq!(LessonTimes::default(), LessonTimes::parse("08:45-15:30")?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LessonTimes {
    start: Time,
    end: Time,
}

impl Default for LessonTimes {
    fn default() -> Self {
        LessonTimes {
            start: Time::constant(8, 45, 0, 0),
            end: Time::constant(15, 30, 0, 0),
        }
    }
}

impl LessonTimes {
    /// Reads `HH:MM-HH:MM` (start before end).
    ///
    /// ```
    /// use esafety::report::LessonTimes;
    ///
    /// assert!(LessonTimes::parse("08:30-15:15").is_ok());
    /// let err = LessonTimes::parse("15:00-09:00").unwrap_err();
    /// assert!(err.to_string().contains("the start is not before the end"), "{err}");
    /// ```
    ///
    /// # Errors
    ///
    /// [`OptionsError::BadLessonTimes`]: not two times, or the start not
    /// before the end.
    pub fn parse(text: &str) -> Result<LessonTimes, OptionsError> {
        let bad = |reason: &str| OptionsError::BadLessonTimes {
            text: text.to_owned(),
            reason: reason.to_owned(),
        };
        let (start, end) = text
            .split_once('-')
            .ok_or_else(|| bad("no `-` between the start and the end"))?;
        let time = |t: &str| {
            t.trim()
                .parse::<Time>()
                .map_err(|_| bad(&format!("`{}` is not a time", t.trim())))
        };
        let (start, end) = (time(start)?, time(end)?);
        if start >= end {
            return Err(bad("the start is not before the end"));
        }
        Ok(LessonTimes { start, end })
    }

    /// Whether `local` (a record's local date and time) is in lesson time:
    /// Monday to Friday, from the start up to (not including) the end.
    ///
    /// ```
    /// use esafety::report::LessonTimes;
    ///
    /// assert!(LessonTimes::default().contains("2026-03-03T08:45".parse()?));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn contains(&self, local: jiff::civil::DateTime) -> bool {
        let weekday = !matches!(local.weekday(), Weekday::Saturday | Weekday::Sunday);
        weekday && local.time() >= self.start && local.time() < self.end
    }
}

/// What a report covers.
///
/// ```
/// use esafety::report::ReportOptions;
///
/// let options = ReportOptions::new()
///     .with_period(Some("2026-03-02".parse()?), Some("2026-03-08".parse()?))?
///     .with_site(Some("north-academy".to_owned()));
/// assert_eq!(options.previous_period().map(|(f, t)| (f.to_string(), t.to_string())),
///     Some(("2026-02-23".to_owned(), "2026-03-01".to_owned())));
/// assert_eq!(options.site(), Some("north-academy"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportOptions {
    from: Option<Date>,
    to: Option<Date>,
    site: Option<String>,
    lessons: LessonTimes,
    top: Option<usize>,
}

/// How many top blocked sites and flagged search terms a summary lists
/// unless told otherwise.
const DEFAULT_TOP: usize = 20;

impl ReportOptions {
    /// Every record, every site, the default lesson times, the top 20.
    ///
    /// ```
    /// let options = esafety::report::ReportOptions::new();
    /// assert_eq!((options.from(), options.to(), options.top()), (None, None, 20));
    /// ```
    pub fn new() -> ReportOptions {
        ReportOptions::default()
    }

    /// Only records on days `from` to `to` (both included, in each record's
    /// local date); either may be open.
    ///
    /// ```
    /// use esafety::report::ReportOptions;
    ///
    /// let options = ReportOptions::new().with_period(Some("2026-03-02".parse()?), None)?;
    /// assert_eq!(options.from().map(|d| d.to_string()).as_deref(), Some("2026-03-02"));
    /// assert_eq!(options.previous_period(), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`OptionsError::PeriodReversed`] when `to` is before `from`.
    pub fn with_period(
        mut self,
        from: Option<Date>,
        to: Option<Date>,
    ) -> Result<ReportOptions, OptionsError> {
        if let (Some(from), Some(to)) = (from, to)
            && to < from
        {
            return Err(OptionsError::PeriodReversed { from, to });
        }
        self.from = from;
        self.to = to;
        Ok(self)
    }

    /// Only the records of site `site` (`None`: every site).
    ///
    /// ```
    /// let options = esafety::report::ReportOptions::new().with_site(Some("south".to_owned()));
    /// assert_eq!(options.site(), Some("south"));
    /// ```
    pub fn with_site(mut self, site: Option<String>) -> ReportOptions {
        self.site = site;
        self
    }

    /// The lesson times of the over-blocking signal.
    ///
    /// ```
    /// use esafety::report::{LessonTimes, ReportOptions};
    ///
    /// let lessons = LessonTimes::parse("09:00-15:00")?;
    /// assert_eq!(ReportOptions::new().with_lesson_times(lessons).lesson_times(), lessons);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_lesson_times(mut self, lessons: LessonTimes) -> ReportOptions {
        self.lessons = lessons;
        self
    }

    /// How many top blocked sites and flagged search terms to list (at
    /// least 1).
    ///
    /// ```
    /// assert_eq!(esafety::report::ReportOptions::new().with_top(5).top(), 5);
    /// assert_eq!(esafety::report::ReportOptions::new().with_top(0).top(), 1);
    /// ```
    pub fn with_top(mut self, top: usize) -> ReportOptions {
        self.top = Some(top.max(1));
        self
    }

    /// The first day, if any.
    ///
    /// ```
    /// assert_eq!(esafety::report::ReportOptions::new().from(), None);
    /// ```
    pub fn from(&self) -> Option<Date> {
        self.from
    }

    /// The last day, if any.
    ///
    /// ```
    /// assert_eq!(esafety::report::ReportOptions::new().to(), None);
    /// ```
    pub fn to(&self) -> Option<Date> {
        self.to
    }

    /// The site, if only one.
    ///
    /// ```
    /// assert_eq!(esafety::report::ReportOptions::new().site(), None);
    /// ```
    pub fn site(&self) -> Option<&str> {
        self.site.as_deref()
    }

    /// The lesson times.
    ///
    /// ```
    /// use esafety::report::{LessonTimes, ReportOptions};
    /// assert_eq!(ReportOptions::new().lesson_times(), LessonTimes::default());
    /// ```
    pub fn lesson_times(&self) -> LessonTimes {
        self.lessons
    }

    /// How many top entries to list.
    ///
    /// ```
    /// assert_eq!(esafety::report::ReportOptions::new().top(), 20);
    /// ```
    pub fn top(&self) -> usize {
        self.top.unwrap_or(DEFAULT_TOP)
    }

    /// The period of the same length just before this one, when both ends
    /// are given.
    ///
    /// ```
    /// use esafety::report::ReportOptions;
    ///
    /// let one_day = ReportOptions::new().with_period(Some("2026-03-02".parse()?), Some("2026-03-02".parse()?))?;
    /// assert_eq!(one_day.previous_period().map(|(f, t)| (f.to_string(), t.to_string())),
    ///     Some(("2026-03-01".to_owned(), "2026-03-01".to_owned())));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn previous_period(&self) -> Option<(Date, Date)> {
        let (from, to) = (self.from?, self.to?);
        let days = from.until(to).ok()?.get_days();
        let last = from.yesterday().ok()?;
        let first = last.checked_sub(jiff::Span::new().days(days)).ok()?;
        Some((first, last))
    }
}

/// `HH:MM-HH:MM`, as [`LessonTimes::parse`] reads it.
///
/// ```
/// assert_eq!(esafety::report::LessonTimes::default().to_string(), "08:45-15:30");
/// ```
impl std::fmt::Display for LessonTimes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:02}:{:02}-{:02}:{:02}",
            self.start.hour(),
            self.start.minute(),
            self.end.hour(),
            self.end.minute()
        )
    }
}
