//! The error type of [`crate::policy`].

use std::fmt;

/// A policy that could not be loaded, by kind of problem.
///
/// Every load error names the source (file), the line and column (1-based)
/// and says in plain words what is wrong and what to do; the variant says
/// which kind of problem it is, so a caller (an admin console, a policy
/// editor) can match it rather than the text. [`PolicyError::load_error`]
/// gives the location and message whatever the kind.
///
/// ```
/// use esafety::policy::{Policy, PolicyError};
///
/// let text = "id = \"Primary Pupils\"\ndefault = \"allow\"";
/// let err = Policy::load("primary.toml", text).unwrap_err();
/// assert!(matches!(err, PolicyError::Schema(_)));
/// assert_eq!(
///     err.to_string(),
///     "primary.toml:1:6: bad identifier `Primary Pupils`; use 1 to 64 lowercase letters, \
///      digits, `-`, `_` or `.`, starting with a letter or digit"
/// );
///
/// let lowered = "id = \"p\"\ndefault = \"block\"\n[[rules]]\nid = \"r\"\n\
///                action = \"allow\"\ncategories = [\"terrorism\"]";
/// let err = Policy::load("p.toml", lowered).unwrap_err();
/// assert!(matches!(err, PolicyError::Baseline(_)));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PolicyError {
    /// The text is not valid TOML or JSON at all.
    #[error("{0}")]
    Syntax(LoadError),
    /// The text is TOML or JSON but not a valid policy: an unknown or
    /// missing field, a value of the wrong type, an unknown category or
    /// device, a bad identifier, an empty condition list, two rules with
    /// one id.
    #[error("{0}")]
    Schema(LoadError),
    /// A rule tries to lower the statutory baseline (to allow, warn about
    /// or monitor `child-abuse` or `terrorism`): DESIGN.md invariant 1.
    #[error("{0}")]
    Baseline(LoadError),
    /// A date, time window or time zone that cannot be applied: a window
    /// that is not `HH:MM-HH:MM` or crosses midnight, an unknown IANA zone,
    /// a date that is not `YYYY-MM-DD`.
    #[error("{0}")]
    Time(LoadError),
    /// A bound of [`Limits`](crate::Limits) exceeded: a document over
    /// [`Limits::max_document_len`](crate::Limits::max_document_len) bytes
    /// (refused before it is parsed) or with more rules than
    /// [`Limits::max_policy_rules`](crate::Limits::max_policy_rules).
    #[error("{0}")]
    Limit(LoadError),
}

/// The kind of a [`PolicyError`], without its location.
///
/// ```
/// use esafety::policy::{Policy, PolicyErrorKind};
///
/// let err = Policy::load("p.toml", "id = \"p\"\ndefault = ").unwrap_err();
/// assert_eq!(err.kind(), PolicyErrorKind::Syntax);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PolicyErrorKind {
    /// See [`PolicyError::Syntax`].
    Syntax,
    /// See [`PolicyError::Schema`].
    Schema,
    /// See [`PolicyError::Baseline`].
    Baseline,
    /// See [`PolicyError::Time`].
    Time,
    /// See [`PolicyError::Limit`].
    Limit,
}

impl PolicyError {
    /// A policy error of `kind` at `location`.
    pub(crate) fn new(kind: PolicyErrorKind, location: LoadError) -> PolicyError {
        match kind {
            PolicyErrorKind::Syntax => PolicyError::Syntax(location),
            PolicyErrorKind::Schema => PolicyError::Schema(location),
            PolicyErrorKind::Baseline => PolicyError::Baseline(location),
            PolicyErrorKind::Time => PolicyError::Time(location),
            PolicyErrorKind::Limit => PolicyError::Limit(location),
        }
    }

    /// Which kind of problem this is.
    ///
    /// ```
    /// use esafety::policy::{Policy, PolicyErrorKind};
    ///
    /// let kind = |text: &str| Policy::load("p.toml", text).unwrap_err().kind();
    /// assert_eq!(kind("id = \"p\"\ndefault = \"allwo\""), PolicyErrorKind::Schema);
    /// assert_eq!(
    ///     kind("id = \"p\"\ndefault = \"allow\"\ntime_zone = \"Europe/Londno\""),
    ///     PolicyErrorKind::Time
    /// );
    /// ```
    pub fn kind(&self) -> PolicyErrorKind {
        match self {
            PolicyError::Syntax(_) => PolicyErrorKind::Syntax,
            PolicyError::Schema(_) => PolicyErrorKind::Schema,
            PolicyError::Baseline(_) => PolicyErrorKind::Baseline,
            PolicyError::Time(_) => PolicyErrorKind::Time,
            PolicyError::Limit(_) => PolicyErrorKind::Limit,
        }
    }

    /// Where and why loading failed.
    ///
    /// ```
    /// use esafety::policy::Policy;
    ///
    /// let err = Policy::load("staff.toml", "id = \"staff\"\ndefault = \"allwo\"").unwrap_err();
    /// let e = err.load_error();
    /// assert_eq!((e.source_name(), e.line(), e.column()), ("staff.toml", 2, 11));
    /// assert!(e.message().starts_with("unknown variant `allwo`, expected one of `block`"));
    /// ```
    pub fn load_error(&self) -> &LoadError {
        match self {
            PolicyError::Syntax(e)
            | PolicyError::Schema(e)
            | PolicyError::Baseline(e)
            | PolicyError::Time(e)
            | PolicyError::Limit(e) => e,
        }
    }
}

/// The kind of the last problem a policy's own checks found while serde
/// read the document on this thread, with its message.
///
/// serde hands a type's check failure to the format's error as text only
/// (`Error::custom`), so the kind travels beside it: a check records it
/// with [`violation`], and [`parse_document`](super::parse_document) takes
/// it back when the read fails with that same message. One slot per thread:
/// it never grows, and a failure whose message is not the recorded one (the
/// format's own words) is [`PolicyErrorKind::Schema`].
mod last_violation {
    use std::cell::RefCell;

    use super::PolicyErrorKind;

    thread_local! {
        static LAST: RefCell<Option<(PolicyErrorKind, String)>> = const { RefCell::new(None) };
    }

    /// Records a check's failure of `kind`; returns `message` for serde.
    pub(crate) fn violation(kind: PolicyErrorKind, message: String) -> String {
        LAST.with(|last| *last.borrow_mut() = Some((kind, message.clone())));
        message
    }

    /// Forgets what an earlier read recorded.
    pub(crate) fn clear() {
        LAST.with(|last| *last.borrow_mut() = None);
    }

    /// The kind of the failure worded `message`, and forgets it.
    pub(crate) fn take_kind(message: &str) -> PolicyErrorKind {
        let recorded = LAST.with(|last| last.borrow_mut().take());
        match recorded {
            Some((kind, text)) if message.starts_with(text.trim_end().trim_end_matches('.')) => {
                kind
            }
            _ => PolicyErrorKind::Schema,
        }
    }
}

pub(crate) use last_violation::{clear as clear_violation, take_kind, violation};

/// Where and why a policy failed to load.
///
/// It displays as `source:line:column: message`, the form editors and CI
/// logs link to.
///
/// ```
/// use esafety::policy::Policy;
///
/// let err = Policy::load("pupils.toml", "id = \"pupils\"\naudience = [\"pupils\"]").unwrap_err();
/// let e = err.load_error();
/// assert_eq!(e.to_string(), "pupils.toml:1:1: missing field `default`; add it");
/// let parts = format!("{}:{}:{}: {}", e.source_name(), e.line(), e.column(), e.message());
/// assert_eq!(e.to_string(), parts);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    source: String,
    line: usize,
    column: usize,
    message: String,
}

impl LoadError {
    pub(crate) fn new(source: &str, text: &str, offset: usize, message: String) -> Self {
        let (line, column) = crate::document::line_column(text, offset);
        LoadError {
            source: source.to_owned(),
            line,
            column,
            message,
        }
    }

    /// The name of the source (usually a file path) as given to the loader.
    ///
    /// ```
    /// use esafety::policy::Policy;
    ///
    /// let err = Policy::load("/etc/esafety/policies/staff.toml", "id = \"staff\"").unwrap_err();
    /// assert_eq!(err.load_error().source_name(), "/etc/esafety/policies/staff.toml");
    /// ```
    pub fn source_name(&self) -> &str {
        &self.source
    }

    /// The 1-based line of the problem.
    ///
    /// ```
    /// use esafety::policy::Policy;
    ///
    /// let err = Policy::load("p.toml", r#"id = "p"
    /// default = "allow"
    ///
    /// [[rules]]
    /// id = "r"
    /// action = "block"
    /// categories = ["gamblin"]
    /// "#).unwrap_err();
    /// assert_eq!(err.load_error().line(), 7);
    /// assert!(err.load_error().message().starts_with("unknown category `gamblin`"));
    /// ```
    pub fn line(&self) -> usize {
        self.line
    }

    /// The 1-based column (in characters) of the problem.
    ///
    /// ```
    /// use esafety::policy::Policy;
    ///
    /// // The curly quotes are 3 bytes each in UTF-8, but one character each.
    /// let text = "id = \"p\"\ndefault = \"allow\"\n\
    ///             monitoring = [\"Use is “filtered” and logged\", true]";
    /// let err = Policy::load("p.toml", text).unwrap_err();
    /// assert_eq!((err.load_error().line(), err.load_error().column()), (3, 47));
    /// ```
    pub fn column(&self) -> usize {
        self.column
    }

    /// What is wrong, in plain words, without the location.
    ///
    /// ```
    /// use esafety::policy::Policy;
    ///
    /// let text = "id = \"p\"\ndefault = \"allow\"\ntime_zone = \"Europe/Londno\"";
    /// let err = Policy::load("p.toml", text).unwrap_err();
    /// assert_eq!(
    ///     err.load_error().message(),
    ///     "unknown time zone `Europe/Londno`; use an IANA time zone name such as `Europe/London`"
    /// );
    /// ```
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.source, self.line, self.column, self.message
        )
    }
}

#[cfg(test)]
mod tests {
    use super::PolicyErrorKind::{self, Baseline, Schema, Syntax, Time};
    use crate::policy::Policy;

    const HEAD: &str = "id = \"p\"\ndefault = \"allow\"\n";

    fn rule(body: &str) -> String {
        format!("{HEAD}[[rules]]\nid = \"r\"\n{body}\n")
    }

    #[test]
    fn each_problem_has_its_kind() {
        let cases: &[(&str, String, PolicyErrorKind)] = &[
            ("toml not toml", format!("{HEAD}default = "), Syntax),
            ("toml duplicate key", format!("{HEAD}id = \"q\""), Syntax),
            ("unknown field", format!("{HEAD}colour = 1"), Schema),
            ("missing field", "id = \"p\"".to_owned(), Schema),
            (
                "bad identifier",
                "id = \"P P\"\ndefault = \"allow\"".to_owned(),
                Schema,
            ),
            ("unknown action", rule("action = \"allwo\""), Schema),
            (
                "unknown category",
                rule("action = \"block\"\ncategories = [\"gamblin\"]"),
                Schema,
            ),
            (
                "empty condition",
                rule("action = \"block\"\ncategories = []"),
                Schema,
            ),
            ("wrong type", format!("{HEAD}safe_search = \"yes\""), Schema),
            (
                "reviewed is a table",
                format!("{HEAD}reviewed = {{x = \"2026-09-01\"}}"),
                Schema,
            ),
            (
                "allow terrorism",
                rule("action = \"allow\"\ncategories = [\"terrorism\"]"),
                Baseline,
            ),
            (
                "warn child-abuse",
                rule("action = \"warn\"\ncategories = [\"child-abuse\"]"),
                Baseline,
            ),
            (
                "monitor @statutory",
                rule("action = \"monitor\"\ncategories = [\"@statutory\"]"),
                Baseline,
            ),
            (
                "bad time window",
                rule("action = \"block\"\ntimes = [\"9-12\"]"),
                Time,
            ),
            (
                "window across midnight",
                rule("action = \"block\"\ntimes = [\"22:00-06:00\"]"),
                Time,
            ),
            (
                "unknown zone",
                format!("{HEAD}time_zone = \"Europe/Londno\""),
                Time,
            ),
            (
                "bad reviewed date",
                format!("{HEAD}reviewed = \"01/09/2026\""),
                Time,
            ),
        ];
        for (name, text, want) in cases {
            let err = Policy::load("p.toml", text).expect_err(name);
            assert_eq!(err.kind(), *want, "{name}: {err}");
            assert!(err.to_string().starts_with("p.toml:"), "{name}: {err}");
        }
    }

    #[test]
    fn json_problems_have_the_same_kinds() {
        let cases: &[(&str, &str, PolicyErrorKind)] = &[
            ("not json", r#"{"id": "p","#, Syntax),
            (
                "unknown field",
                r#"{"id": "p", "default": "allow", "colour": 1}"#,
                Schema,
            ),
            (
                "allow terrorism",
                r#"{"id": "p", "default": "allow",
                    "rules": [{"id": "r", "action": "allow", "categories": ["terrorism"]}]}"#,
                Baseline,
            ),
            (
                "unknown zone",
                r#"{"id": "p", "default": "allow", "time_zone": "Mars/Olympus"}"#,
                Time,
            ),
        ];
        for (name, text, want) in cases {
            let err = Policy::load("p.json", text).expect_err(name);
            assert_eq!(err.kind(), *want, "{name}: {err}");
        }
    }

    #[test]
    fn an_earlier_violation_does_not_colour_a_later_error() {
        // A time problem is recorded, then a load fails for a schema reason:
        // the record of the first must not make the second a time error.
        let time = Policy::load("a.toml", &format!("{HEAD}time_zone = \"Nowhere/Zone\""));
        assert_eq!(time.map(|_| ()).unwrap_err().kind(), Time);
        let schema = Policy::load("b.toml", &format!("{HEAD}colour = 1"));
        assert_eq!(schema.map(|_| ()).unwrap_err().kind(), Schema);
        // And a successful load after a failure is unaffected.
        assert!(Policy::load("c.toml", HEAD).is_ok());
    }

    #[test]
    fn the_kind_and_the_location_survive_together() {
        let text = rule("action = \"block\"\ntimes = [\"08:00-09:00\", \"25:00-26:00\"]");
        let err = Policy::load("p.toml", &text).unwrap_err();
        let crate::policy::PolicyError::Time(location) = &err else {
            panic!("not a time error: {err:?}");
        };
        assert_eq!(location.line(), 6);
        assert!(location.message().contains("25:00"), "{err}");
    }
}
