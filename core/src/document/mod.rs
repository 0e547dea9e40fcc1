//! Reading the text documents a user writes — policies, incident files,
//! escalation profiles, bundle metadata — from TOML or JSON.
//!
//! Both formats are first read into one tree (`Node`) that keeps the byte
//! span of every key and value, and the serde types are then read from that
//! tree by one deserializer (`de`). So each document type has one serde
//! instance whatever the format (the WebAssembly package is about a third
//! smaller than with a serde instance per format and per `toml` access
//! type), and an error in either format points at the key or value it is
//! about.
//!
//! Both have their own private parsers, written for the size of the
//! WebAssembly package (the crates they replace were most of what reading
//! documents cost): `toml` accepts exactly what the `toml` crate (1.x,
//! TOML 1.1) accepts, with the same values and spans, and `json` exactly
//! what `serde_json` accepts (RFC 8259). Differential tests against those
//! crates (named cases, the toml-test corpus, proptests) and the `document`
//! fuzz target check both.

mod de;
mod json;
mod number;
mod toml;

use std::borrow::Cow;
use std::fmt;

use serde::de::DeserializeOwned;

/// The language a document is written in.
///
/// ```
/// use esafety::document::{Format, read};
/// // One reader for both: the same value from either language.
/// let a: std::collections::BTreeMap<String, u8> = read("age = 14", Format::Toml)?;
/// let b: std::collections::BTreeMap<String, u8> = read(r#"{"age": 14}"#, Format::Json)?;
/// assert_eq!(a, b);
/// # Ok::<(), esafety::document::DocumentError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// TOML 1.1 (as the `toml` crate 1.x reads it).
    Toml,
    /// JSON (RFC 8259).
    Json,
}

/// A byte range of the document text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Span {
    pub(crate) start: usize,
    pub(crate) end: usize,
}

/// One value of a document and where it is.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node<'t> {
    pub(crate) span: Span,
    pub(crate) value: Value<'t>,
}

/// A key of a table and where it is.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Key<'t> {
    pub(crate) name: Cow<'t, str>,
    pub(crate) span: Span,
}

/// The values both formats share, plus JSON's `null` and TOML's date-times.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value<'t> {
    /// JSON `null` (TOML has none).
    Null,
    Bool(bool),
    /// An integer that fits `i64`.
    Integer(i64),
    /// A JSON integer above `i64::MAX` that fits `u64`.
    Unsigned(u64),
    /// A number with a fraction or an exponent, or TOML's `inf`, as the
    /// document writes it (`7.5`, `1_000e3`, `-inf`). No document field takes
    /// a fraction, so it is never converted: the readers only check that it
    /// does not overflow an `f64` (`number.rs`), as `serde_json` and the
    /// `toml` crate do, and a type asking for it is told it is a float.
    Float(&'t str),
    String(Cow<'t, str>),
    /// A TOML offset or local date-time, date or time, as its text
    /// (`2026-09-01`, `1979-05-27T07:32:00Z`): read as a string only by
    /// types that ask for any value (dates, timestamps), never by a plain
    /// string field.
    Datetime(Box<str>),
    Array(Vec<Node<'t>>),
    /// Entries in document order for JSON (duplicates kept, so that serde
    /// reports them), in key order for TOML (which has no duplicates).
    Table(Vec<(Key<'t>, Node<'t>)>),
}

/// Why a document could not be read.
///
/// ```
/// use esafety::document::{ErrorKind, Format, read};
/// type Doc = std::collections::BTreeMap<String, u8>;
/// assert_eq!(read::<Doc>("age = = 1", Format::Toml).unwrap_err().kind(), ErrorKind::Syntax);
/// assert_eq!(read::<Doc>("age = 300", Format::Toml).unwrap_err().kind(), ErrorKind::Data);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The text is not TOML (or not JSON).
    Syntax,
    /// The text is TOML (or JSON) but not a valid document of its type: an
    /// unknown or missing field, a value of the wrong type or not allowed.
    Data,
}

/// A document that could not be read: what is wrong and where.
///
/// ```
/// use esafety::document::{Format, read};
/// let text = "name = \"x\"\nage = \"fourteen\"\n";
/// #[derive(serde::Deserialize, Debug)]
/// struct Person { name: String, age: u8 }
/// let err = read::<Person>(text, Format::Toml).unwrap_err();
/// // It points at the value that is wrong, not at the document.
/// assert_eq!(err.line_column(text), (2, 7));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentError {
    kind: ErrorKind,
    offset: usize,
    message: String,
}

impl DocumentError {
    pub(crate) fn new(kind: ErrorKind, offset: usize, message: impl Into<String>) -> Self {
        DocumentError {
            kind,
            offset,
            message: message.into(),
        }
    }

    /// Whether the text is not TOML or JSON at all, or is but is not valid.
    ///
    /// ```
    /// use esafety::document::{ErrorKind, Format, read};
    /// let syntax = read::<u32>("a = ", Format::Toml).unwrap_err();
    /// assert_eq!(syntax.kind(), ErrorKind::Syntax);
    /// let data = read::<u32>("\"seven\"", Format::Json).unwrap_err();
    /// assert_eq!(data.kind(), ErrorKind::Data);
    /// ```
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The byte offset in the text the error is about.
    ///
    /// ```
    /// use esafety::document::{Format, read};
    /// let text = "[1, 2, x]";
    /// let err = read::<Vec<u8>>(text, Format::Json).unwrap_err();
    /// assert_eq!(text.get(err.offset()..), Some("x]"));
    /// ```
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The 1-based line and column (in characters) of [`Self::offset`].
    ///
    /// ```
    /// use esafety::document::{Format, read};
    /// // `tru` breaks off at the end of line 2; columns count characters,
    /// // not bytes (`é` is one column, two bytes).
    /// let text = "{\n  \"é\": tru\n}";
    /// let err = read::<serde_json::Value>(text, Format::Json).unwrap_err();
    /// assert_eq!(err.line_column(text), (2, 11));
    /// ```
    pub fn line_column(&self, text: &str) -> (usize, usize) {
        line_column(text, self.offset)
    }

    /// What is wrong, in plain words, without the location.
    ///
    /// ```
    /// use esafety::document::{Format, read};
    /// let err = read::<Vec<u8>>("[1, 300]", Format::Json).unwrap_err();
    /// assert!(!err.message().contains("byte"), "{}", err.message());
    /// assert_eq!(err.to_string(), format!("byte {}: {}", err.offset(), err.message()));
    /// ```
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for DocumentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "byte {}: {}", self.offset, self.message)
    }
}

impl std::error::Error for DocumentError {}

/// Reads a `T` from `text` in `format`.
///
/// Not part of the stable API: the document readers of [`crate::policy`]
/// and [`crate::incident`] use it, and the fuzz targets reach it here.
///
/// ```
/// use esafety::document::{Format, read};
/// let v: serde_json::Value = read("a = [1, 2]\nb.c = 'x'\n", Format::Toml)?;
/// assert_eq!(v, serde_json::json!({"a": [1, 2], "b": {"c": "x"}}));
/// let err = read::<serde_json::Value>("{\"a\": [1,]}", Format::Json).unwrap_err();
/// assert_eq!(err.line_column("{\"a\": [1,]}"), (1, 10));
/// # Ok::<(), esafety::document::DocumentError>(())
/// ```
///
/// # Errors
///
/// A [`DocumentError`] when the text is not in `format`
/// ([`ErrorKind::Syntax`]) or not a valid `T` ([`ErrorKind::Data`]).
pub fn read<T: DeserializeOwned>(text: &str, format: Format) -> Result<T, DocumentError> {
    let root = match format {
        Format::Toml => toml::parse(text)?,
        Format::Json => json::parse(text)?,
    };
    de::from_node(&root)
}

/// A JSON text read by esafety's parser as a `serde_json::Value`, floats
/// converted as `serde_json` converts them (the documents themselves never
/// convert one; see [`read`]). For the tests and fuzz targets that compare
/// the parser with `serde_json`.
///
/// ```
/// let v = esafety::document::json_value(r#"{"a": [1, 2.5, "x"]}"#)?;
/// assert_eq!(v, serde_json::json!({"a": [1, 2.5, "x"]}));
/// assert!(esafety::document::json_value("[1e400]").is_err());
/// # Ok::<(), esafety::document::DocumentError>(())
/// ```
///
/// # Errors
///
/// The [`DocumentError`] of a text that is not JSON.
#[doc(hidden)]
pub fn json_value(text: &str) -> Result<serde_json::Value, DocumentError> {
    fn convert(node: &Node<'_>) -> serde_json::Value {
        use serde_json::Value as J;
        match &node.value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Integer(n) => J::from(*n),
            Value::Unsigned(n) => J::from(*n),
            Value::Float(x) => x
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
                .map_or(J::Null, J::Number),
            Value::String(s) => J::String(s.to_string()),
            Value::Datetime(d) => J::String(d.to_string()),
            Value::Array(items) => J::Array(items.iter().map(convert).collect()),
            // Later duplicates win, as in `serde_json::Value`.
            Value::Table(entries) => J::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.name.to_string(), convert(v)))
                    .collect(),
            ),
        }
    }
    Ok(convert(&json::parse(text)?))
}

/// The tree esafety reads from a TOML text, as an outline with the byte span
/// of every key and value (floats as written). Not part of the stable
/// API: the `document` fuzz target compares it with the `toml` crate's
/// reading of the same text.
///
/// ```
/// let outline = esafety::document::toml_outline("a = [1, 'x']").unwrap();
/// assert_eq!(
///     outline,
///     "table 0..0\n  key \"a\" 0..1\n  array 4..12\n    integer 1 5..6\n    string \"x\" 8..11\n"
/// );
/// assert!(esafety::document::toml_outline("a = ").is_err());
/// ```
///
/// # Errors
///
/// The [`DocumentError`] of a text that is not TOML.
#[doc(hidden)]
pub fn toml_outline(text: &str) -> Result<String, DocumentError> {
    let root = toml::parse(text)?;
    let mut out = String::new();
    write_outline(&root, 0, &mut out);
    Ok(out)
}

fn write_outline(node: &Node<'_>, indent: usize, out: &mut String) {
    use std::fmt::Write as _;
    let pad = "  ".repeat(indent);
    let Span { start, end } = node.span;
    // Writing to a `String` cannot fail.
    let _ = match &node.value {
        Value::Table(entries) => {
            let _ = writeln!(out, "{pad}table {start}..{end}");
            for (key, value) in entries {
                let _ = writeln!(
                    out,
                    "{pad}  key {:?} {}..{}",
                    key.name, key.span.start, key.span.end
                );
                write_outline(value, indent + 1, out);
            }
            Ok(())
        }
        Value::Array(items) => {
            let _ = writeln!(out, "{pad}array {start}..{end}");
            for item in items {
                write_outline(item, indent + 1, out);
            }
            Ok(())
        }
        Value::Null => writeln!(out, "{pad}null {start}..{end}"),
        Value::Bool(b) => writeln!(out, "{pad}boolean {b} {start}..{end}"),
        Value::Integer(n) => writeln!(out, "{pad}integer {n} {start}..{end}"),
        Value::Unsigned(n) => writeln!(out, "{pad}integer {n} {start}..{end}"),
        Value::Float(x) => writeln!(out, "{pad}float {x} {start}..{end}"),
        Value::String(s) => writeln!(out, "{pad}string {s:?} {start}..{end}"),
        Value::Datetime(d) => writeln!(out, "{pad}datetime {d} {start}..{end}"),
    };
}

/// JSON text as the tree (for a reader that walks it itself, such as the
/// bundle metadata's).
pub(crate) fn parse_json(text: &str) -> Result<Node<'_>, DocumentError> {
    json::parse(text)
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

#[cfg(test)]
mod tests;
#[cfg(test)]
mod toml_tests;
