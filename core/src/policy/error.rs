//! The error type of [`crate::policy`].

use std::fmt;

/// A policy that could not be loaded.
///
/// Every load error names the source (file), the line and column (1-based)
/// and says in plain words what is wrong and what to do.
///
/// ```
/// use esafety::policy::{Policy, PolicyError};
///
/// let text = "id = \"Primary Pupils\"\ndefault = \"allow\"";
/// let err = Policy::load("primary.toml", text).unwrap_err();
/// assert!(matches!(err, PolicyError::Invalid(_)));
/// assert_eq!(
///     err.to_string(),
///     "primary.toml:1:6: bad identifier `Primary Pupils`; use 1 to 64 lowercase letters, \
///      digits, `-`, `_` or `.`, starting with a letter or digit"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PolicyError {
    /// The document is not valid TOML or JSON, has an unknown or missing
    /// field, or a value that is not allowed (unknown category, bad time
    /// window, bad time zone, a rule that tries to lower the statutory
    /// baseline, ...).
    #[error("{0}")]
    Invalid(LoadError),
}

impl PolicyError {
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
            PolicyError::Invalid(e) => e,
        }
    }
}

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
