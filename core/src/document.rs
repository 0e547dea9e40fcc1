//! Reading the text documents a user writes — policies, incident files,
//! escalation profiles, incident-log lines — from TOML (the `toml` crate,
//! feature `toml`) or JSON (`serde_json`), into their serde types.
//!
//! The crates do the reading; this layer only words what they report the
//! way every esafety message is worded: a [`DocumentError`] says whether the
//! text is not TOML/JSON at all ([`ErrorKind::Syntax`]) or not a valid
//! document ([`ErrorKind::Data`]), gives the 1-based line and column (in
//! characters) of the key or value it is about — the `toml` crate's span,
//! or the place `serde_json` stopped reading — and adds the closest
//! spelling to an unknown field or variant (`did you mean ...`).
//!
//! A TOML date or date-time literal reaches a type as the `toml` crate hands
//! it over (a one-entry table under the crate's own key); [`date_text`] reads
//! that, or a string, and nothing else, for the types that accept a date
//! written either way (a policy's `reviewed`, an incident's `occurred_at`).

use std::fmt;

use serde::de::DeserializeOwned;

/// The language a document is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// TOML 1.1, as the `toml` crate reads it.
    Toml,
    /// JSON (RFC 8259), as `serde_json` reads it.
    Json,
}

impl Format {
    /// The language's name in messages.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Format::Toml => "TOML",
            Format::Json => "JSON",
        }
    }
}

/// Why a document could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ErrorKind {
    /// The text is not TOML (or not JSON).
    Syntax,
    /// The text is TOML (or JSON) but not a valid document of its type: an
    /// unknown or missing field, a value of the wrong type or not allowed.
    Data,
}

/// A document that could not be read: what is wrong and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DocumentError {
    kind: ErrorKind,
    offset: usize,
    message: String,
}

impl DocumentError {
    /// Whether the text is not TOML or JSON at all, or is but is not valid.
    pub(crate) fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The byte offset in the text the error is about.
    pub(crate) fn offset(&self) -> usize {
        self.offset
    }

    /// The 1-based line and column (in characters) of [`Self::offset`].
    #[cfg(feature = "incident")]
    pub(crate) fn line_column(&self, text: &str) -> (usize, usize) {
        line_column(text, self.offset)
    }

    /// What is wrong, in plain words, without the location.
    pub(crate) fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for DocumentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "byte {}: {}", self.offset, self.message)
    }
}

/// Reads a `T` from `text` in `format`.
///
/// Without the `toml` feature a TOML text is refused with a
/// [`ErrorKind::Syntax`] error that says to convert it to JSON.
pub(crate) fn read<T: DeserializeOwned>(text: &str, format: Format) -> Result<T, DocumentError> {
    match format {
        Format::Toml => read_toml(text),
        Format::Json => read_json(text),
    }
}

#[cfg(feature = "toml")]
fn read_toml<T: DeserializeOwned>(text: &str) -> Result<T, DocumentError> {
    let error = |kind: ErrorKind, e: toml::de::Error| DocumentError {
        kind,
        offset: e.span().map_or(0, |s| s.start),
        message: worded(e.message()),
    };
    // Parsing first tells a text that is not TOML from one that is but is
    // not a valid `T`.
    let document = toml::de::Deserializer::parse(text).map_err(|e| error(ErrorKind::Syntax, e))?;
    T::deserialize(document).map_err(|e| error(ErrorKind::Data, e))
}

#[cfg(not(feature = "toml"))]
fn read_toml<T: DeserializeOwned>(_text: &str) -> Result<T, DocumentError> {
    Err(DocumentError {
        kind: ErrorKind::Syntax,
        offset: 0,
        message: "this build of esafety reads JSON documents only (it was built without the \
                  `toml` feature); convert the document to JSON (`esafety compile-policy` does \
                  it for a policy)"
            .to_owned(),
    })
}

fn read_json<T: DeserializeOwned>(text: &str) -> Result<T, DocumentError> {
    serde_json::from_str(text).map_err(|e| {
        // serde_json's Display is "{message} at line {l} column {c}"; the
        // location is put back as every other esafety location is written.
        let full = e.to_string();
        let mut message = match full.rfind(" at line ") {
            Some(i) => full.get(..i).unwrap_or(&full),
            None => &full,
        };
        let kind = if e.is_data() {
            ErrorKind::Data
        } else if message == "expected value"
            && serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok()
        {
            // The text is JSON: serde_json reports a value that is not a
            // string where a field takes one of a set of names (an enum) as
            // "expected value", a syntax error.
            message = "invalid type: expected one of the names this field takes, as a string";
            ErrorKind::Data
        } else {
            ErrorKind::Syntax
        };
        DocumentError {
            kind,
            offset: json_offset(text, e.line(), e.column()),
            message: worded(message),
        }
    })
}

/// The byte offset of `serde_json`'s `line` and `column`: the column is
/// 1-based and counts bytes, and names the last byte read (0 before the
/// first byte of a line).
fn json_offset(text: &str, line: usize, column: usize) -> usize {
    let line_start = if line <= 1 {
        0
    } else {
        text.match_indices('\n')
            .nth(line - 2)
            .map_or(text.len(), |(i, _)| i + 1)
    };
    line_start
        .saturating_add(column.saturating_sub(1))
        .min(text.len())
}

/// A crate's message in esafety's words: no final period, and the closest
/// spelling added to an unknown field or variant.
fn worded(message: &str) -> String {
    let message = message.trim_end().trim_end_matches('.');
    match closest_expected(message) {
        Some(suggestion) => format!("{message}; did you mean `{suggestion}`?"),
        None => message.to_owned(),
    }
}

/// For serde's "unknown field `x`, expected one of `a`, `b`" (and "unknown
/// variant"), the expected name closest to `x`, if one is close enough to
/// be a misspelling of it.
fn closest_expected(message: &str) -> Option<&str> {
    let rest = message
        .strip_prefix("unknown field `")
        .or_else(|| message.strip_prefix("unknown variant `"))?;
    let (found, expected) = rest.split_once("`, expected ")?;
    let candidates = expected.split('`').skip(1).step_by(2);
    let (best, distance) = candidates
        .map(|c| (c, strsim::damerau_levenshtein(found, c)))
        .min_by_key(|(_, d)| *d)?;
    // One edit in three characters, and at least one: `colur` → `colour`,
    // not `x` → `id`.
    let limit = (best.chars().count().max(found.chars().count()) / 3).max(1);
    (distance > 0 && distance <= limit).then_some(best)
}

/// The 1-based line and column (in characters) of byte `offset` in `text`.
pub(crate) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset = offset.saturating_sub(1);
    }
    let before = text.get(..offset).unwrap_or_default();
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    (line, column)
}

/// Reads a date or date-time as its text: a string, or a TOML date or
/// date-time literal (which the `toml` crate hands over as a one-entry table
/// under its own key). Any other value, a table of any other shape
/// included, is refused as `expecting` says.
pub(crate) fn date_text<'de, D: serde::Deserializer<'de>>(
    d: D,
    expecting: &'static str,
) -> Result<String, D::Error> {
    struct Text(&'static str);

    impl<'de> serde::de::Visitor<'de> for Text {
        type Value = String;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(self.0)
        }

        fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<String, E> {
            Ok(s.to_owned())
        }

        #[cfg(feature = "toml")]
        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<String, A::Error> {
            use serde::Deserialize as _;
            // The crate's own reading of its literal: it refuses a table
            // whose first key is not the crate's date-time key.
            let datetime = toml::value::Datetime::deserialize(
                serde::de::value::MapAccessDeserializer::new(&mut map),
            )
            .map_err(|_: A::Error| {
                serde::de::Error::invalid_type(serde::de::Unexpected::Map, &self)
            })?;
            if map.next_key::<serde::de::IgnoredAny>()?.is_some() {
                return Err(serde::de::Error::invalid_type(
                    serde::de::Unexpected::Map,
                    &self,
                ));
            }
            Ok(datetime.to_string())
        }
    }

    d.deserialize_any(Text(expecting))
}

/// Reads a string and turns it into a `T` with `parse` while the
/// deserializer still holds the value, so that the error of `parse` is
/// located at the value itself. (An error raised after `deserialize`
/// returns is located by the `toml` crate at whatever holds the value: for
/// an array element, the whole array.)
pub(crate) fn parse_str<'de, D, T, F>(d: D, parse: F) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    F: FnOnce(&str) -> Result<T, String>,
{
    struct Str<F>(F);

    impl<'de, T, F: FnOnce(&str) -> Result<T, String>> serde::de::Visitor<'de> for Str<F> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }

        fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<T, E> {
            (self.0)(s).map_err(E::custom)
        }
    }

    d.deserialize_str(Str(parse))
}

/// Reads a table as a `T` and checks it into a `U` with `check` while the
/// deserializer still holds the table, so that the error of `check` is
/// located at the table (see [`parse_str`]). `expecting` names the table
/// for a value that is not one.
pub(crate) fn check_table<'de, D, T, U, F>(
    d: D,
    expecting: &'static str,
    check: F,
) -> Result<U, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
    F: FnOnce(T) -> Result<U, String>,
{
    struct Table<T, F>(&'static str, F, std::marker::PhantomData<T>);

    impl<'de, T, U, F> serde::de::Visitor<'de> for Table<T, F>
    where
        T: serde::Deserialize<'de>,
        F: FnOnce(T) -> Result<U, String>,
    {
        type Value = U;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(self.0)
        }

        fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<U, A::Error> {
            let table = T::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
            (self.1)(table).map_err(serde::de::Error::custom)
        }
    }

    d.deserialize_map(Table(expecting, check, std::marker::PhantomData))
}

#[cfg(test)]
mod tests;
