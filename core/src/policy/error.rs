//! The error type of [`crate::policy`].

use std::fmt;

/// A policy that could not be loaded.
///
/// Every load error names the source (file), the line and column (1-based)
/// and says in plain words what is wrong and what to do.
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
    pub fn load_error(&self) -> &LoadError {
        match self {
            PolicyError::Invalid(e) => e,
        }
    }
}

/// Where and why a policy failed to load.
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
    pub fn source_name(&self) -> &str {
        &self.source
    }

    /// The 1-based line of the problem.
    pub fn line(&self) -> usize {
        self.line
    }

    /// The 1-based column (in characters) of the problem.
    pub fn column(&self) -> usize {
        self.column
    }

    /// What is wrong, in plain words, without the location.
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
