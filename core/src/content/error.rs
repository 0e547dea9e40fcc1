//! Errors of phrase-list loading and scanner building.

use std::fmt;

/// A phrase-list line e2guardian reads as nothing, or as something other
/// than it looks: each says what e2guardian does with it and what to do.
///
/// The line is still read exactly as e2guardian reads it (that is what
/// keeps scores equal); with [`PhraseOptions::strict`](super::PhraseOptions::strict)
/// the first problem is an error instead.
///
/// ```
/// use esafety::content::{ListKind, PhraseList, PhraseOptions};
/// let list = PhraseList::parse("weighted", b"<porn><40>\n<x-rated><30>\nfoo\n", ListKind::Weighted, &PhraseOptions::new())?;
/// let problems: Vec<String> = list.problems().iter().map(ToString::to_string).collect();
/// assert_eq!(problems.len(), 2);
/// assert!(problems[0].starts_with("weighted:2: `x-rated` can never match"), "{}", problems[0]);
/// assert!(problems[1].starts_with("weighted:3: `foo` is not a phrase"), "{}", problems[1]);
/// # Ok::<(), esafety::content::ContentError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineProblem {
    /// The file the line is in.
    pub source: String,
    /// The 1-based line number.
    pub line: usize,
    /// What e2guardian does with the line, and what to do.
    pub reason: String,
}

impl fmt::Display for LineProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.source, self.line, self.reason)
    }
}

/// Why phrase lists could not be loaded or a scanner built.
///
/// ```
/// use esafety::content::{ContentError, ListKind, PhraseList, PhraseOptions};
/// let err = PhraseList::parse("weighted", b"#time: 9 0 17 0 01234\n<x><5>\n", ListKind::Weighted, &PhraseOptions::new()).unwrap_err();
/// assert!(matches!(err, ContentError::TimeLimit { line: 1, .. }));
/// assert!(err.to_string().starts_with("weighted:1: `#time:`"), "{err}");
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ContentError {
    /// A phrase-list file could not be read
    /// ([`PhraseList::read_file`](super::PhraseList::read_file)).
    #[error("cannot read phrase list `{file}`: {error}")]
    ListRead {
        /// The file.
        file: String,
        /// Why (in the message, so not also the `source()`).
        error: crate::file::FileError,
    },
    /// A line has a [`LineProblem`] and [`PhraseOptions::strict`](super::PhraseOptions::strict) is set.
    #[error("{0}")]
    BadLine(LineProblem),
    /// A weight that does not fit in 32 bits.
    #[error(
        "{file}:{line}: the weight in `{text}` does not fit in 32 bits; give a weight between -2147483648 and 2147483647"
    )]
    BadWeight {
        /// The file.
        file: String,
        /// The 1-based line number.
        line: usize,
        /// The line.
        text: String,
    },
    /// A per-cent weight that is not at the end of its line: e2guardian
    /// strips `<N%>` only when `N × limit / 100` is not 0, so the line's
    /// phrases would depend on the limit.
    #[error(
        "{file}:{line}: `{text}` has its per-cent weight before the end of the line, so e2guardian reads different phrases for different limits; put the weight last, as in `<a>,<b><10%>`"
    )]
    PercentForm {
        /// The file.
        file: String,
        /// The 1-based line number.
        line: usize,
        /// The line.
        text: String,
    },
    /// A `#time:` directive: e2guardian applies the phrases after it only
    /// at some times of day, by its own clock.
    #[error(
        "{file}:{line}: `#time:` limits phrases to times of day by the filter's clock, which esafety does not do (a decision's time comes with the request); remove the line, or split the list and choose between the parts with a policy rule's `times`"
    )]
    TimeLimit {
        /// The file.
        file: String,
        /// The 1-based line number.
        line: usize,
    },
    /// `.Include` directives nest deeper than
    /// [`PhraseOptions::max_include_depth`](super::PhraseOptions::max_include_depth).
    #[error("{file}:{line}: `.Include` nests more than {max} levels deep; flatten the includes")]
    IncludeTooDeep {
        /// The including file.
        file: String,
        /// The line of the `.Include`.
        line: usize,
        /// The depth limit.
        max: usize,
    },
    /// An `.Include` of a file that is already being read.
    #[error(
        "{file}:{line}: `.Include<{path}>` includes a file that is already being read (an include cycle); remove the `.Include`"
    )]
    IncludeCycle {
        /// The including file.
        file: String,
        /// The line of the `.Include`.
        line: usize,
        /// The included path.
        path: String,
    },
    /// An `.Include` names a file that could not be read (e2guardian then
    /// refuses to start).
    #[error(
        "{file}:{line}: cannot read `.Include<{path}>` (as `{tried}`): {error}; check that the path exists and is readable"
    )]
    IncludeRead {
        /// The including file.
        file: String,
        /// The line of the `.Include`.
        line: usize,
        /// The included path, as e2guardian reads it (lowercased).
        path: String,
        /// The path given to the loader.
        tried: String,
        /// What went wrong (in the message, so not also the `source()`).
        error: std::io::Error,
    },
    /// An `.Include` names a file outside the including file's folder and
    /// [`PhraseOptions::allow_include_outside`](super::PhraseOptions::allow_include_outside)
    /// is off.
    #[error(
        "{file}:{line}: `.Include<{path}>` names a file outside the folder of `{file}`; move the list below that folder, or allow it (`--allow-include-outside`, `PhraseOptions::allow_include_outside`)"
    )]
    IncludeOutside {
        /// The including file.
        file: String,
        /// The line of the `.Include`.
        line: usize,
        /// The path as written.
        path: String,
    },
    /// An `.Include` in a list parsed without a loader.
    #[error(
        "{file}:{line}: `.Include<{path}>` cannot be followed here; parse with `PhraseList::parse_with_includes` (the CLI does)"
    )]
    IncludeUnfollowed {
        /// The including file.
        file: String,
        /// The line of the `.Include`.
        line: usize,
        /// The included path.
        path: String,
    },
    /// A category id that is not one of esafety's.
    #[error(
        "`{id}` is not an esafety category id; use a built-in id such as `pornography` or a `local-` id"
    )]
    UnknownCategory {
        /// The id.
        id: String,
    },
    /// A phrase list mapped to a statutory category.
    #[error(
        "phrase lists cannot carry `{id}`: the statutory categories come only from the IWF and police-assessed lists (and a phrase would be plaintext in every explanation); map the list to another category"
    )]
    StatutoryCategory {
        /// The id.
        id: String,
    },
    /// The phrase automaton could not be built.
    #[error("the phrase automaton cannot be built ({0}); use fewer or shorter phrases")]
    Automaton(String),
}
