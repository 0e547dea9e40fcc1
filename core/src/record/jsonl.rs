//! Reading a decision log (JSON Lines) back.

use std::io::BufRead;

use super::DecisionRecord;

/// A line of a decision log that is not a record, or a log that cannot be
/// read.
///
/// ```
/// use esafety::record::{ReadError, read_records};
///
/// let log = "{\"time\": 7}\n";
/// let err = read_records("decisions.jsonl", log.as_bytes()).next().ok_or("no line")?.unwrap_err();
/// assert!(matches!(err, ReadError::Record { line: 1, .. }));
/// assert!(err.to_string().starts_with("decisions.jsonl:1:"), "{err}");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReadError {
    /// The log could not be read.
    #[error("{source_name}: cannot read the log: {error}")]
    Io {
        /// The log's name.
        source_name: String,
        /// What the system said.
        error: std::io::Error,
    },
    /// A line is not a decision record.
    #[error(
        "{source_name}:{line}:{column}: not a decision record: {message}; each line must be one JSON object as policies/schema/record.schema.json describes"
    )]
    Record {
        /// The log's name.
        source_name: String,
        /// The 1-based line.
        line: usize,
        /// The 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// A line is longer than the reader's cap ([`super::LogLines`]) and
    /// was skipped unread.
    #[error(
        "{source_name}:{line}: not a decision record: the line is {len} bytes, over the {max}-byte cap; a record line is far shorter, so this is not a decision log or it is damaged"
    )]
    TooLong {
        /// The log's name.
        source_name: String,
        /// The 1-based line.
        line: usize,
        /// The line's length in bytes.
        len: usize,
        /// The cap.
        max: usize,
    },
}

/// The records of a decision log, one per non-empty line, each with its
/// error naming the log, line and column. A bad line does not end the
/// reading: the next item is the next line.
///
/// ```
/// use esafety::policy::{Engine, Policy};
/// use esafety::record::{Identity, RecordOptions, read_records, record};
///
/// let engine = Engine::new(esafety::sample::bundle()?, Policy::load("p.toml", "id = \"p\"\ndefault = \"allow\"")?);
/// let time = "2026-03-02T10:00:00Z".parse()?;
/// let mut log = String::new();
/// for url in ["https://www.bbc.co.uk/", "https://www.bet365.com/"] {
///     log.push_str(&record(&engine, url, &Identity::default(), time, &RecordOptions::new()).to_json_line());
///     log.push('\n');
/// }
/// log.push_str("not json\n");
/// let read: Vec<_> = read_records("decisions.jsonl", log.as_bytes()).collect();
/// assert_eq!(read.len(), 3);
/// assert_eq!(read[1].as_ref().map(|r| r.categories.clone()).ok(), Some(vec!["gambling".to_owned()]));
/// let err = read[2].as_ref().unwrap_err().to_string();
/// assert!(err.starts_with("decisions.jsonl:3:2: not a decision record"), "{err}");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn read_records<'a, R: BufRead + 'a>(
    source: &'a str,
    reader: R,
) -> impl Iterator<Item = Result<DecisionRecord, ReadError>> + 'a {
    let mut failed = false;
    reader.lines().enumerate().filter_map(move |(index, line)| {
        if failed {
            return None;
        }
        let line = match line {
            Ok(line) => line,
            Err(error) => {
                failed = true;
                return Some(Err(ReadError::Io {
                    source_name: source.to_owned(),
                    error,
                }));
            }
        };
        if line.trim().is_empty() {
            return None;
        }
        Some(
            DecisionRecord::from_json_line(&line)
                .map_err(|e| ReadError::record(source, index + 1, &e)),
        )
    })
}

impl ReadError {
    /// The error of line `line` (1-based) of the log `source`, which is not
    /// a record for the reason `error` gives.
    ///
    /// ```
    /// use esafety::record::{DecisionRecord, ReadError};
    ///
    /// let err = DecisionRecord::from_json_line("{\"time\": 7}").unwrap_err();
    /// let err = ReadError::record("decisions.jsonl", 12, &err);
    /// assert!(err.to_string().starts_with("decisions.jsonl:12:"), "{err}");
    /// assert!(matches!(err, ReadError::Record { line: 12, .. }));
    /// ```
    pub fn record(source: &str, line: usize, error: &serde_json::Error) -> ReadError {
        ReadError::Record {
            source_name: source.to_owned(),
            line,
            column: error.column().max(1),
            message: error
                .to_string()
                .split(" at line ")
                .next()
                .unwrap_or_default()
                .to_owned(),
        }
    }

    /// The error of line `line` (1-based) of the log `source`, `len` bytes
    /// long, over [`super::MAX_LOG_LINE_LEN`].
    ///
    /// ```
    /// use esafety::record::ReadError;
    ///
    /// let err = ReadError::too_long("decisions.jsonl", 3, 20_000_000);
    /// assert!(err.to_string().starts_with("decisions.jsonl:3: not a decision record"), "{err}");
    /// assert!(matches!(err, ReadError::TooLong { line: 3, len: 20_000_000, .. }));
    /// ```
    pub fn too_long(source: &str, line: usize, len: usize) -> ReadError {
        ReadError::TooLong {
            source_name: source.to_owned(),
            line,
            len,
            max: super::MAX_LOG_LINE_LEN,
        }
    }
}
