//! TOML into a [`Node`] tree, through the `toml` crate's spanned parse.

use ::toml::Spanned;
use ::toml::de::{DeTable, DeValue};

use super::{DocumentError, ErrorKind, Key, Node, Span, Value};

/// Tables and arrays nested deeper than this are an error rather than a
/// deep recursion (no policy or incident file needs more than 4).
const MAX_DEPTH: usize = 128;

/// Parses a TOML document into its root table.
pub(crate) fn parse(text: &str) -> Result<Node<'_>, DocumentError> {
    let root = DeTable::parse(text).map_err(|e| {
        DocumentError::new(
            ErrorKind::Syntax,
            e.span().map_or(0, |s| s.start),
            e.message().trim_end().trim_end_matches('.'),
        )
    })?;
    let span = span_of(&root);
    let table = table(root.into_inner(), 0)?;
    Ok(Node { span, value: table })
}

fn span_of<T>(spanned: &Spanned<T>) -> Span {
    let s = spanned.span();
    Span {
        start: s.start,
        end: s.end,
    }
}

fn table(t: DeTable<'_>, depth: usize) -> Result<Value<'_>, DocumentError> {
    let mut entries = Vec::with_capacity(t.len());
    for (key, value) in t {
        let key = Key {
            span: span_of(&key),
            name: key.into_inner(),
        };
        entries.push((key, node(value, depth)?));
    }
    Ok(Value::Table(entries))
}

fn node(value: Spanned<DeValue<'_>>, depth: usize) -> Result<Node<'_>, DocumentError> {
    let span = span_of(&value);
    let nested = || {
        if depth >= MAX_DEPTH {
            Err(DocumentError::new(
                ErrorKind::Syntax,
                span.start,
                format!("tables and arrays nested more than {MAX_DEPTH} deep"),
            ))
        } else {
            Ok(depth + 1)
        }
    };
    let value = match value.into_inner() {
        DeValue::String(s) => Value::String(s),
        DeValue::Integer(i) => {
            let digits = i.as_str();
            match i64::from_str_radix(digits, i.radix()) {
                Ok(n) => Value::Integer(n),
                Err(_) => {
                    return Err(DocumentError::new(
                        ErrorKind::Syntax,
                        span.start,
                        "integer number overflowed",
                    ));
                }
            }
        }
        DeValue::Float(f) => match f.as_str().parse::<f64>() {
            Ok(x) if x.is_finite() || f.as_str().contains("inf") => Value::Float(x),
            _ => {
                return Err(DocumentError::new(
                    ErrorKind::Syntax,
                    span.start,
                    "floating-point number overflowed",
                ));
            }
        },
        DeValue::Boolean(b) => Value::Bool(b),
        DeValue::Datetime(d) => Value::Datetime(d.to_string().into_boxed_str()),
        DeValue::Array(items) => {
            let depth = nested()?;
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                out.push(node(item, depth)?);
            }
            Value::Array(out)
        }
        DeValue::Table(t) => table(t, nested()?)?,
    };
    Ok(Node { span, value })
}
