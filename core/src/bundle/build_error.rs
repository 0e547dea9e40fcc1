//! The error of building a bundle ([`super::BundleBuilder`]): a list, an
//! entry or an expression that cannot go into one. Loading a bundle fails
//! with a [`super::BundleError`] instead, so a caller matches the two apart.

/// An error building a bundle: what is wrong with a list or an entry, and
/// what to do.
///
/// Messages never contain an entry of a sensitive list.
///
/// ```
/// use esafety::bundle::{BuildError, BundleBuilder};
///
/// let mut b = BundleBuilder::new();
/// let err = b.add_list("odds", "gamblin").unwrap_err();
/// assert!(matches!(err, BuildError::UnknownCategory { .. }));
/// assert!(err.to_string().contains("use a built-in id"), "{err}");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// A category id is neither built in nor a valid `local-` id.
    #[error("unknown category `{id}`; use a built-in id (e.g. `gambling`) or `local-<name>`")]
    UnknownCategory {
        /// The id given.
        id: String,
    },
    /// More `local-` categories than a bundle can hold.
    #[error(
        "too many local categories: a bundle holds at most {max}; merge some `local-` categories"
    )]
    TooManyLocalCategories {
        /// The limit.
        max: usize,
    },
    /// Two lists have the same name, or a name is empty.
    #[error("list name `{name}` is empty or already used; give every list a distinct name")]
    ListName {
        /// The name given.
        name: String,
    },
    /// A list name that is not a list name (see
    /// [`is_list_name`](super::is_list_name)): a path, a name with spaces
    /// or other characters, or one over the length limit.
    #[error(
        "`{name}` is not a list name; name a list with lowercase letters, digits, `-`, `_` and `.` (at most 64), never a file path"
    )]
    NotAListName {
        /// The name given.
        name: String,
    },
    /// More lists than a bundle can hold.
    #[error("too many source lists (at most {max}); merge some lists")]
    TooManyLists {
        /// The limit.
        max: usize,
    },
    /// A [`ListId`](super::ListId) from another builder.
    #[error("list id {id} does not belong to this builder; use the id `add_list` returned")]
    UnknownList {
        /// The id.
        id: usize,
    },
    /// A list date that is not `YYYY-MM-DD`.
    #[error("list `{list}`: {}", bad_date(.date))]
    BadDate {
        /// The list.
        list: String,
        /// The date given.
        date: String,
    },
    /// An entry that cannot be compiled. For a sensitive list the reason
    /// never repeats the entry.
    #[error("list `{list}` line {line}: {reason}")]
    Entry {
        /// The list.
        list: String,
        /// The 1-based line of the entry.
        line: usize,
        /// What is wrong and what to do.
        reason: String,
    },
    /// A valid regular expression that no bounded automaton can apply:
    /// even its anchored DFA exceeds the limit (see [`RegexEngine`](super::RegexEngine)). An
    /// error, not a skipped line: a rule that cannot be applied must not
    /// silently stop applying.
    #[error(
        "list `{list}` line {line}: the expression needs a DFA larger than {limit} bytes even when anchored, so no bounded automaton can apply it; simplify it (fewer `.*` between alternatives, smaller counted repetitions) or remove the line"
    )]
    RegexTooComplex {
        /// The list.
        list: String,
        /// The 1-based line of the expression.
        line: usize,
        /// The limit in bytes.
        limit: usize,
    },
    /// The builder was given more entries than
    /// [`Limits::max_entries`](crate::Limits::max_entries), over all its
    /// lists and their includes: one compile's total, not one parse's.
    #[error(
        "{list}:{line}: the compile goes over {max} entries over all its lists, the limit `{limit}`; compile fewer lists into one bundle, or raise the limit (`Limits::{limit}`)"
    )]
    LimitExceeded {
        /// The list whose entry went over.
        list: String,
        /// The 1-based line of that entry in its file.
        line: usize,
        /// The limit exceeded ([`Limit::Entries`](crate::limits::Limit::Entries)).
        limit: crate::limits::Limit,
        /// Its value.
        max: u64,
    },
    /// A part of the bundle would exceed what the format can address.
    #[error("bundle too large: {what}; split the lists into several bundles")]
    TooLarge {
        /// What overflowed.
        what: &'static str,
    },
    /// A part of the bundle could not be encoded (a bug in esafety: the
    /// builder checks what it encodes).
    #[error("bundle section `{section}` could not be written: {reason}; please report this")]
    Encode {
        /// The section.
        section: &'static str,
        /// The encoder's message.
        reason: String,
    },
}

impl BuildError {
    pub(crate) fn encode(
        section: super::format::SectionKind,
        reason: impl Into<String>,
    ) -> BuildError {
        BuildError::Encode {
            section: section.name(),
            reason: reason.into(),
        }
    }

    /// The error's kind on every face: [`ErrorCode::TooLarge`] for a
    /// bundle the format cannot address, else [`ErrorCode::InvalidArgument`]
    /// (a list or entry the caller passed).
    ///
    /// [`ErrorCode::TooLarge`]: crate::ErrorCode::TooLarge
    /// [`ErrorCode::InvalidArgument`]: crate::ErrorCode::InvalidArgument
    ///
    /// ```
    /// use esafety::ErrorCode;
    /// use esafety::bundle::BundleBuilder;
    ///
    /// let err = BundleBuilder::new().add_list("", "gambling").unwrap_err();
    /// assert_eq!(err.code(), ErrorCode::InvalidArgument);
    /// ```
    pub fn code(&self) -> crate::ErrorCode {
        match self {
            BuildError::TooLarge { .. }
            | BuildError::TooManyLists { .. }
            | BuildError::LimitExceeded { .. } => crate::ErrorCode::TooLarge,
            BuildError::Encode { .. } => crate::ErrorCode::Internal,
            _ => crate::ErrorCode::InvalidArgument,
        }
    }
}

/// A list date's error in the one wording of dates ([`crate::datetime::BadDate`]).
fn bad_date(date: &str) -> String {
    match crate::datetime::read_date(date) {
        Err(e) => e.to_string(),
        // Only a caller-made `BadDate` holds a date that reads.
        Ok(_) => format!("bad date `{date}`"),
    }
}
