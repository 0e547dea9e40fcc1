//! JSON (RFC 8259) into a [`Node`] tree with the span of every key and value.
//!
//! It accepts exactly what `serde_json` accepts (no comments, no trailing
//! commas, no leading zeros, no lone surrogates, nesting below 128 levels),
//! and words its errors as `serde_json` does, so moving the document readers
//! to one tree changed no message a user sees. `tests.rs` and the
//! `document_json` fuzz target compare the two.

use std::borrow::Cow;

use super::{DocumentError, ErrorKind, Key, Node, Span, Value};

/// `serde_json`'s recursion limit: 127 nested arrays or objects are read,
/// the 128th is an error.
const MAX_DEPTH: usize = 128;

/// Parses one JSON value, with only whitespace around it.
pub(crate) fn parse(text: &str) -> Result<Node<'_>, DocumentError> {
    let mut parser = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        depth: 0,
    };
    parser.skip_whitespace();
    let node = parser.value()?;
    parser.skip_whitespace();
    if parser.pos < parser.bytes.len() {
        return Err(parser.error("trailing characters"));
    }
    Ok(node)
}

struct Parser<'t> {
    text: &'t str,
    bytes: &'t [u8],
    pos: usize,
    depth: usize,
}

impl<'t> Parser<'t> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn error(&self, message: &str) -> DocumentError {
        DocumentError::new(ErrorKind::Syntax, self.pos, message)
    }

    /// The text between two positions the parser stopped at (always ASCII
    /// boundaries, so always char boundaries).
    fn slice(&self, start: usize, end: usize) -> &'t str {
        self.text.get(start..end).unwrap_or_default()
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn value(&mut self) -> Result<Node<'t>, DocumentError> {
        let start = self.pos;
        let value = match self.peek() {
            None => return Err(self.error("EOF while parsing a value")),
            Some(b'{') => self.object()?,
            Some(b'[') => self.array()?,
            Some(b'"') => Value::String(self.string()?),
            Some(b't') => self.literal("true", Value::Bool(true))?,
            Some(b'f') => self.literal("false", Value::Bool(false))?,
            Some(b'n') => self.literal("null", Value::Null)?,
            Some(b'-' | b'0'..=b'9') => self.number()?,
            Some(_) => return Err(self.error("expected value")),
        };
        Ok(Node {
            span: Span {
                start,
                end: self.pos,
            },
            value,
        })
    }

    fn literal(&mut self, word: &str, value: Value<'t>) -> Result<Value<'t>, DocumentError> {
        for expected in word.bytes() {
            match self.peek() {
                Some(b) if b == expected => self.pos += 1,
                Some(_) => return Err(self.error("expected ident")),
                None => return Err(self.error("EOF while parsing a value")),
            }
        }
        Ok(value)
    }

    fn enter(&mut self) -> Result<(), DocumentError> {
        self.depth += 1;
        if self.depth >= MAX_DEPTH {
            return Err(self.error("recursion limit exceeded"));
        }
        Ok(())
    }

    fn array(&mut self) -> Result<Value<'t>, DocumentError> {
        self.enter()?;
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.pos += 1;
        } else {
            loop {
                items.push(self.value()?);
                if self.after_item(b']', "expected `,` or `]`", "EOF while parsing a list")? {
                    break;
                }
            }
        }
        self.depth -= 1;
        Ok(Value::Array(items))
    }

    fn object(&mut self) -> Result<Value<'t>, DocumentError> {
        self.enter()?;
        self.pos += 1;
        let mut entries = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.pos += 1;
        } else {
            loop {
                match self.peek() {
                    Some(b'"') => {}
                    Some(_) => return Err(self.error("key must be a string")),
                    None => return Err(self.error("EOF while parsing an object")),
                }
                let key_start = self.pos;
                let name = self.string()?;
                let key = Key {
                    name,
                    span: Span {
                        start: key_start,
                        end: self.pos,
                    },
                };
                self.skip_whitespace();
                match self.peek() {
                    Some(b':') => self.pos += 1,
                    Some(_) => return Err(self.error("expected `:`")),
                    None => return Err(self.error("EOF while parsing an object")),
                }
                self.skip_whitespace();
                entries.push((key, self.value()?));
                if self.after_item(b'}', "expected `,` or `}`", "EOF while parsing an object")? {
                    break;
                }
            }
        }
        self.depth -= 1;
        Ok(Value::Table(entries))
    }

    /// After an array item or object entry: `,` and more to come (`false`),
    /// or the closing bracket (`true`).
    fn after_item(&mut self, close: u8, expected: &str, eof: &str) -> Result<bool, DocumentError> {
        self.skip_whitespace();
        match self.peek() {
            Some(b',') => {
                self.pos += 1;
                self.skip_whitespace();
                if self.peek() == Some(close) {
                    return Err(self.error("trailing comma"));
                }
                Ok(false)
            }
            Some(b) if b == close => {
                self.pos += 1;
                Ok(true)
            }
            Some(_) => Err(self.error(expected)),
            None => Err(self.error(eof)),
        }
    }

    /// A string, at its opening quote; borrowed from the text unless it has
    /// escapes.
    fn string(&mut self) -> Result<Cow<'t, str>, DocumentError> {
        self.pos += 1;
        let start = self.pos;
        let mut owned: Option<String> = None;
        let mut run = start;
        loop {
            match self.peek() {
                None => return Err(self.error("EOF while parsing a string")),
                Some(b'"') => {
                    let tail = self.slice(run, self.pos);
                    self.pos += 1;
                    return Ok(match owned {
                        None => Cow::Borrowed(tail),
                        Some(mut s) => {
                            s.push_str(tail);
                            Cow::Owned(s)
                        }
                    });
                }
                Some(b'\\') => {
                    let s = owned.get_or_insert_with(String::new);
                    s.push_str(self.slice(run, self.pos));
                    self.pos += 1;
                    self.escape(s)?;
                    run = self.pos;
                }
                Some(0..=0x1F) => {
                    return Err(self.error(
                        "control character (\\u0000-\\u001F) found while parsing a string",
                    ));
                }
                Some(_) => self.pos += 1,
            }
        }
    }

    /// One escape, after its backslash.
    fn escape(&mut self, out: &mut String) -> Result<(), DocumentError> {
        let c = match self.peek() {
            None => return Err(self.error("EOF while parsing a string")),
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.pos += 1;
                return self.unicode_escape(out);
            }
            Some(_) => return Err(self.error("invalid escape")),
        };
        self.pos += 1;
        out.push(c);
        Ok(())
    }

    fn hex4(&mut self) -> Result<u32, DocumentError> {
        let mut n = 0;
        for _ in 0..4 {
            let digit = match self.peek() {
                None => return Err(self.error("EOF while parsing a string")),
                Some(b) => char::from(b)
                    .to_digit(16)
                    .ok_or_else(|| self.error("invalid escape"))?,
            };
            n = n << 4 | digit;
            self.pos += 1;
        }
        Ok(n)
    }

    /// `\uXXXX`, after the `u`: a UTF-16 unit, or a surrogate pair.
    fn unicode_escape(&mut self, out: &mut String) -> Result<(), DocumentError> {
        let first = self.hex4()?;
        let code = match first {
            0xDC00..=0xDFFF => return Err(self.error("lone leading surrogate in hex escape")),
            0xD800..=0xDBFF => {
                match (self.peek(), self.bytes.get(self.pos + 1)) {
                    (Some(b'\\'), Some(b'u')) => self.pos += 2,
                    (None, _) | (Some(b'\\'), None) => {
                        return Err(self.error("EOF while parsing a string"));
                    }
                    _ => return Err(self.error("unexpected end of hex escape")),
                }
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(self.error("lone leading surrogate in hex escape"));
                }
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            }
            n => n,
        };
        let c = char::from_u32(code).ok_or_else(|| self.error("invalid unicode code point"))?;
        out.push(c);
        Ok(())
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`: an `i64`,
    /// else a `u64`, else a float (as `serde_json` reads integers too large
    /// for 64 bits), kept as its text.
    fn number(&mut self) -> Result<Value<'t>, DocumentError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => {
                self.pos += 1;
                if let Some(b'0'..=b'9') = self.peek() {
                    return Err(self.error("invalid number"));
                }
            }
            Some(b'1'..=b'9') => self.digits(),
            Some(_) => return Err(self.error("invalid number")),
            None => return Err(self.error("EOF while parsing a value")),
        }
        let mut integer = true;
        if self.peek() == Some(b'.') {
            integer = false;
            self.pos += 1;
            match self.peek() {
                Some(b'0'..=b'9') => self.digits(),
                Some(_) => return Err(self.error("invalid number")),
                None => return Err(self.error("EOF while parsing a value")),
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            integer = false;
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            match self.peek() {
                Some(b'0'..=b'9') => self.digits(),
                Some(_) => return Err(self.error("invalid number")),
                None => return Err(self.error("EOF while parsing a value")),
            }
        }
        let text = self.slice(start, self.pos);
        // `serde_json` reads `-0` as the float -0.0.
        if integer && text != "-0" {
            if let Ok(n) = text.parse::<i64>() {
                return Ok(Value::Integer(n));
            }
            if let Ok(n) = text.parse::<u64>() {
                return Ok(Value::Unsigned(n));
            }
        }
        if super::number::float_overflows(text) {
            return Err(DocumentError::new(
                ErrorKind::Syntax,
                start,
                "number out of range",
            ));
        }
        Ok(Value::Float(text))
    }
}
