//! TOML (1.1) into a [`Node`] tree with the span of every key and value.
//!
//! It accepts exactly what the `toml` crate (1.x) accepts and reads the same
//! values and the same spans from it, so moving off the crate (36 KB of the
//! gzipped WebAssembly package; this parser is 13 KB) changed no document
//! that loads. The crate's rules are followed where they are its own rather
//! than the specification's: a value that is several bare words
//! (`1979-05-27 07:32:00`) is one value, a line break may come between a
//! key, its `=` and its value in an inline table, and a dotted key may add
//! to a table that a header made implicitly. `toml_tests.rs` compares the
//! two on named cases, the toml-test corpus and generated documents, and so
//! does the `document` fuzz target.
//!
//! Spans: a key's is its text (quotes included), a scalar's its text, an
//! array's or inline table's from its bracket to the closing one, a
//! `[table]`'s or `[[array]]` element's its header, an array of tables' its
//! first header, and a table that only dotted keys or a longer header made
//! has the span of the key that first made it. The root's is `0..0`.
//!
//! Like the crate it refuses arrays and inline tables nested more than 80
//! deep and dotted keys of more than 80 parts; as before, it also refuses
//! tables and arrays nested more than 128 deep (counting tables that
//! headers and dotted keys make), so that nothing reads the tree with a
//! deep recursion. Integers must fit `i64`; floats must be finite or
//! written `inf` (`nan` is refused).

use std::borrow::Cow;

use super::{DocumentError, ErrorKind, Key, Node, Span, Value};

/// Tables and arrays nested deeper than this are an error rather than a
/// deep recursion (no policy or incident file needs more than 4).
const MAX_DEPTH: usize = 128;
const TOO_DEEP: &str = "tables and arrays nested more than 128 deep";
const CR: &str = "a carriage return must be followed by a line feed";
const CONTROL_IN_LITERAL: &str = "control characters are not allowed in a literal string";

/// The `toml` crate's limits: arrays and inline tables nested in a value,
/// and the parts of a dotted key.
const MAX_VALUE_DEPTH: usize = 80;
const MAX_KEY_PARTS: usize = 80;

/// Parses a TOML document into its root table.
pub(crate) fn parse(text: &str) -> Result<Node<'_>, DocumentError> {
    let mut cur = Cursor::new(text);
    let mut doc = Document {
        root: Table::new(0, Span::default()),
        current: Table::new(0, Span::default()),
        header: None,
    };
    // The keys of the line being read (a buffer, to save allocations).
    let mut keys = Vec::new();
    doc.read(&mut cur, &mut keys).map_err(|e| *e)?;
    Ok(table_node(doc.root))
}

/// An error, boxed: it is passed up through many `?`, and a pointer is
/// cheaper to pass (in code) than the error.
type Error = Box<DocumentError>;

#[inline(never)]
fn error(offset: usize, message: &'static str) -> Error {
    Box::new(DocumentError::new(ErrorKind::Syntax, offset, message))
}

/// An error whose message quotes a key: its parts, joined.
#[inline(never)]
fn error_about(offset: usize, parts: &[&str]) -> Error {
    Box::new(DocumentError::new(
        ErrorKind::Syntax,
        offset,
        parts.concat(),
    ))
}

/// A container at `level` (0 for the root's entries) is too deep.
fn check_depth(level: usize, offset: usize) -> Result<(), Error> {
    if level >= MAX_DEPTH {
        return Err(error(offset, TOO_DEEP));
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Tokens: those of the `toml_parser` lexer, which the crate's grammar is
// written over (a bare word runs to the next token character, so `1.5` is
// three tokens and `+inf` one).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Dot,
    Equals,
    Comma,
    OpenBracket,
    CloseBracket,
    OpenBrace,
    CloseBrace,
    /// Spaces and tabs.
    Whitespace,
    /// `#` to the end of the line (not the line break).
    Comment,
    /// `\n`, `\r\n`, or a lone `\r` (an error where it is read).
    Newline,
    Basic,
    Literal,
    MlBasic,
    MlLiteral,
    /// Anything else up to the next token character: a bare key, number,
    /// boolean or date-time, or something that is none of them.
    Bare,
    Eof,
}

#[derive(Debug, Clone, Copy)]
struct Token {
    kind: Kind,
    start: usize,
    end: usize,
}

/// The first position at or after `from` whose byte is `stop`, else the end.
fn find(b: &[u8], from: usize, stop: fn(u8) -> bool) -> usize {
    let mut i = from;
    while let Some(&c) = b.get(i) {
        if stop(c) {
            return i;
        }
        i += 1;
    }
    b.len().max(from)
}

fn starts_with(b: &[u8], at: usize, prefix: &[u8]) -> bool {
    b.get(at..).is_some_and(|s| s.starts_with(prefix))
}

/// The token at `pos`. A string that is not closed ends at its line break
/// (single-line) or at the end of the text; its decoder reports it.
fn lex(b: &[u8], pos: usize) -> Token {
    let at = |i: usize| b.get(i).copied();
    let (kind, end) = match at(pos) {
        None => (Kind::Eof, pos),
        Some(b'.') => (Kind::Dot, pos + 1),
        Some(b'=') => (Kind::Equals, pos + 1),
        Some(b',') => (Kind::Comma, pos + 1),
        Some(b'[') => (Kind::OpenBracket, pos + 1),
        Some(b']') => (Kind::CloseBracket, pos + 1),
        Some(b'{') => (Kind::OpenBrace, pos + 1),
        Some(b'}') => (Kind::CloseBrace, pos + 1),
        Some(b' ' | b'\t') => {
            let end = b
                .get(pos..)
                .and_then(|s| s.iter().position(|&c| c != b' ' && c != b'\t'))
                .map_or(b.len(), |i| pos + i);
            (Kind::Whitespace, end)
        }
        Some(b'#') => (Kind::Comment, find(b, pos, |c| c == b'\r' || c == b'\n')),
        Some(b'\r') if at(pos + 1) == Some(b'\n') => (Kind::Newline, pos + 2),
        Some(b'\r' | b'\n') => (Kind::Newline, pos + 1),
        Some(b'\'') if starts_with(b, pos, b"'''") => {
            let end = b
                .get(pos + 3..)
                .and_then(|s| s.windows(3).position(|w| w == b"'''"))
                .map_or(b.len(), |i| pos + 3 + i + 3);
            (Kind::MlLiteral, extra_quotes(b, end, b'\''))
        }
        Some(b'\'') => {
            let end = find(b, pos + 1, |c| c == b'\'' || c == b'\n');
            (
                Kind::Literal,
                if at(end) == Some(b'\'') { end + 1 } else { end },
            )
        }
        Some(b'"') if starts_with(b, pos, b"\"\"\"") => {
            let mut i = pos + 3;
            let end = loop {
                match at(i) {
                    None => break b.len(),
                    Some(b'\\') => {
                        i += 1;
                        if let Some(b'\\' | b'"') = at(i) {
                            i += 1;
                        }
                    }
                    Some(b'"') if starts_with(b, i, b"\"\"\"") => break i + 3,
                    Some(_) => i += 1,
                }
            };
            (Kind::MlBasic, extra_quotes(b, end, b'"'))
        }
        Some(b'"') => {
            let mut i = pos + 1;
            let end = loop {
                match at(i) {
                    None | Some(b'\n') => break i.min(b.len()),
                    Some(b'"') => break i + 1,
                    Some(b'\\') => {
                        i += 1;
                        if let Some(b'\\' | b'"') = at(i) {
                            i += 1;
                        }
                    }
                    Some(_) => i += 1,
                }
            };
            (Kind::Basic, end)
        }
        Some(_) => (
            Kind::Bare,
            find(b, pos, |c| {
                matches!(
                    c,
                    b'.' | b'='
                        | b','
                        | b'['
                        | b']'
                        | b'{'
                        | b'}'
                        | b' '
                        | b'\t'
                        | b'#'
                        | b'\r'
                        | b'\n'
                )
            }),
        ),
    };
    Token {
        kind,
        start: pos,
        end,
    }
}

/// A multi-line string's closing delimiter takes up to two more quotes
/// (`"""a"""""` is `a""`).
fn extra_quotes(b: &[u8], mut end: usize, quote: u8) -> usize {
    for _ in 0..2 {
        if b.get(end) == Some(&quote) {
            end += 1;
        }
    }
    end
}

fn is_key(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::Basic | Kind::Literal | Kind::MlBasic | Kind::MlLiteral | Kind::Bare
    )
}

// ---------------------------------------------------------------------------
// The grammar: lines, headers, dotted keys and values.

struct Cursor<'t> {
    text: &'t str,
    bytes: &'t [u8],
    /// The next token, not yet taken.
    ahead: Token,
    /// Arrays and inline tables open around the current position.
    value_depth: usize,
}

impl<'t> Cursor<'t> {
    fn new(text: &'t str) -> Self {
        let bytes = text.as_bytes();
        // A byte-order mark is skipped (spans still count its bytes).
        let start = if bytes.starts_with(b"\xEF\xBB\xBF") {
            3
        } else {
            0
        };
        Cursor {
            text,
            bytes,
            ahead: lex(bytes, start),
            value_depth: 0,
        }
    }

    #[inline(never)]
    fn bump(&mut self) -> Token {
        let t = self.ahead;
        self.ahead = lex(self.bytes, t.end);
        t
    }

    fn at(&self, i: usize) -> Option<u8> {
        self.bytes.get(i).copied()
    }

    /// The text between two token or ASCII boundaries.
    fn slice(&self, start: usize, end: usize) -> &'t str {
        self.text.get(start..end).unwrap_or_default()
    }

    fn skip_whitespace(&mut self) {
        if self.ahead.kind == Kind::Whitespace {
            self.bump();
        }
    }

    /// Whitespace, line breaks and comments (inside arrays and inline
    /// tables).
    fn skip_blank(&mut self) -> Result<(), Error> {
        loop {
            match self.ahead.kind {
                Kind::Whitespace => {}
                Kind::Newline => self.newline(self.ahead)?,
                Kind::Comment => self.comment(self.ahead)?,
                _ => return Ok(()),
            }
            self.bump();
        }
    }

    fn newline(&self, t: Token) -> Result<(), Error> {
        if t.end - t.start == 1 && self.at(t.start) == Some(b'\r') {
            return Err(error(t.end, CR));
        }
        Ok(())
    }

    /// A comment may hold tabs and any character but control characters.
    fn comment(&self, t: Token) -> Result<(), Error> {
        self.plain(
            t.start,
            t.end,
            false,
            "control characters are not allowed in comments",
        )
    }

    /// Text that is taken as written (comments, literal strings): tabs and
    /// any character but control characters, and line breaks if `lines`.
    fn plain(
        &self,
        start: usize,
        end: usize,
        lines: bool,
        message: &'static str,
    ) -> Result<(), Error> {
        for i in start..end {
            match self.at(i) {
                Some(b'\r') if lines && !(i + 1 < end && self.at(i + 1) == Some(b'\n')) => {
                    return Err(error(i + 1, CR));
                }
                Some(b'\n' | b'\r') if lines => {}
                Some(c) if !(c == b'\t' || (b' '..=b'~').contains(&c) || c >= 0x80) => {
                    return Err(error(i, message));
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// After a key-value pair or a header: whitespace, then a comment, a
    /// line break or the end.
    fn line_end(&mut self) -> Result<(), Error> {
        self.skip_whitespace();
        match self.ahead.kind {
            Kind::Newline | Kind::Eof => Ok(()),
            Kind::Comment => {
                let t = self.bump();
                self.comment(t)
            }
            _ => Err(error(
                self.ahead.start,
                "expected the end of the line (a line break or a `#` comment)",
            )),
        }
    }

    /// `[a.b]` or `[[a.b]]`, after its first `[`: its keys into `keys`,
    /// its span, and whether it is an array of tables.
    fn header(&mut self, open: Token, keys: &mut Vec<Key<'t>>) -> Result<(Span, bool), Error> {
        let array = self.ahead.kind == Kind::OpenBracket;
        if array {
            self.bump();
        }
        self.skip_whitespace();
        let first = self.bump();
        if !is_key(first.kind) {
            return Err(error(first.start, "expected a table name after `[`"));
        }
        self.dotted_key(first, keys)?;
        let (close, missing) = if array {
            ("]]", "expected `]]` to close the array of tables header")
        } else {
            ("]", "expected `]` to close the table header")
        };
        let mut end = self.ahead.start;
        for _ in 0..close.len() {
            let t = self.bump();
            if t.kind != Kind::CloseBracket {
                return Err(error(t.start, missing));
            }
            end = t.end;
        }
        self.line_end()?;
        Ok((
            Span {
                start: open.start,
                end,
            },
            array,
        ))
    }

    /// A key, dotted or not, from its first part (and the whitespace after
    /// it): its parts, in `keys` (emptied first).
    fn dotted_key(&mut self, first: Token, keys: &mut Vec<Key<'t>>) -> Result<(), Error> {
        keys.clear();
        keys.push(self.key_part(first)?);
        loop {
            self.skip_whitespace();
            if self.ahead.kind != Kind::Dot {
                return Ok(());
            }
            self.bump();
            self.skip_whitespace();
            let t = self.bump();
            if !is_key(t.kind) {
                return Err(error(t.start, "expected a key after `.`"));
            }
            if keys.len() >= MAX_KEY_PARTS {
                return Err(error(t.start, "a dotted key with more than 80 parts"));
            }
            keys.push(self.key_part(t)?);
        }
    }

    /// One part of a key: a bare key, or a one-line string.
    fn key_part(&self, t: Token) -> Result<Key<'t>, Error> {
        let name = match t.kind {
            Kind::Basic => self.basic(t)?,
            Kind::Literal => self.literal(t)?,
            Kind::Bare => {
                for i in t.start..t.end {
                    if let Some(c) = self.at(i)
                        && !(c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
                    {
                        return Err(error(
                            i,
                            "a bare key may hold only ASCII letters, digits, `-` and `_`: \
                             put other keys in quotes",
                        ));
                    }
                }
                Cow::Borrowed(self.slice(t.start, t.end))
            }
            Kind::MlBasic | Kind::MlLiteral => {
                return Err(error(t.start, "a key cannot be a multi-line string"));
            }
            _ => return Err(error(t.start, "expected a key")),
        };
        Ok(Key {
            name,
            span: Span {
                start: t.start,
                end: t.end,
            },
        })
    }

    fn expect_equals(&mut self) -> Result<(), Error> {
        let t = self.bump();
        if t.kind != Kind::Equals {
            return Err(error(t.start, "expected `=` after the key"));
        }
        Ok(())
    }

    /// A value whose container is at `level`.
    fn value(&mut self, level: usize) -> Result<Node<'t>, Error> {
        let t = self.bump();
        self.value_from(t, level)
    }

    fn value_from(&mut self, t: Token, level: usize) -> Result<Node<'t>, Error> {
        let value = match t.kind {
            Kind::Basic => Value::String(self.basic(t)?),
            Kind::Literal => Value::String(self.literal(t)?),
            Kind::MlBasic => Value::String(self.ml_basic(t)?),
            Kind::MlLiteral => Value::String(self.ml_literal(t)?),
            Kind::OpenBracket => return self.array(t, level),
            Kind::OpenBrace => return self.inline_table(t, level),
            Kind::Bare | Kind::Dot => return self.bare_value(t),
            Kind::Equals => return Err(error(t.start, "expected a value, found a second `=`")),
            _ => return Err(error(t.start, "expected a value")),
        };
        Ok(Node {
            span: Span {
                start: t.start,
                end: t.end,
            },
            value,
        })
    }

    /// Entering an array or inline table at `level`.
    fn enter(&mut self, open: Token, level: usize) -> Result<(), Error> {
        check_depth(level, open.start)?;
        self.value_depth += 1;
        if self.value_depth > MAX_VALUE_DEPTH {
            return Err(error(
                open.start,
                "arrays and inline tables nested more than 80 deep",
            ));
        }
        Ok(())
    }

    fn array(&mut self, open: Token, level: usize) -> Result<Node<'t>, Error> {
        self.enter(open, level)?;
        let mut items = Vec::new();
        let close = self.items(open, level, &mut items)?;
        self.value_depth -= 1;
        Ok(Node {
            span: Span {
                start: open.start,
                end: close.end,
            },
            value: Value::Array(items),
        })
    }

    /// An array's items, after its `[`: the closing `]`.
    fn items(
        &mut self,
        open: Token,
        level: usize,
        items: &mut Vec<Node<'t>>,
    ) -> Result<Token, Error> {
        // Where an unclosed array is reported: after its last item or comma.
        let mut last = open.end;
        loop {
            self.skip_blank()?;
            let t = self.bump();
            match t.kind {
                Kind::CloseBracket => return Ok(t),
                Kind::Eof => return Err(error(last, "unclosed array: expected `]`")),
                Kind::Comma => return Err(error(t.start, "expected a value before `,`")),
                _ => {}
            }
            let item = self.value_from(t, level + 1)?;
            last = item.span.end;
            items.push(item);
            self.skip_blank()?;
            let t = self.bump();
            match t.kind {
                Kind::Comma => last = t.end,
                Kind::CloseBracket => return Ok(t),
                Kind::Eof => return Err(error(last, "unclosed array: expected `,` or `]`")),
                _ => return Err(error(t.start, "expected `,` or `]` after an array item")),
            }
        }
    }

    /// `{ a = 1, b.c = 2 }`: line breaks and comments may come between
    /// its tokens, and a comma after the last pair (TOML 1.1).
    fn inline_table(&mut self, open: Token, level: usize) -> Result<Node<'t>, Error> {
        self.enter(open, level)?;
        let mut table = Table::new(level + 1, Span::default());
        let mut keys = Vec::new();
        let close = self.pairs(open, &mut table, &mut keys);
        drop(keys);
        let close = close?;
        self.value_depth -= 1;
        table.span = Span {
            start: open.start,
            end: close.end,
        };
        Ok(table_node(table))
    }

    /// An inline table's pairs, after its `{`: the closing `}`.
    fn pairs(
        &mut self,
        open: Token,
        table: &mut Table<'t>,
        keys: &mut Vec<Key<'t>>,
    ) -> Result<Token, Error> {
        let mut last = open.end;
        loop {
            self.skip_blank()?;
            let t = self.bump();
            match t.kind {
                Kind::CloseBrace => return Ok(t),
                Kind::Eof => return Err(error(last, "unclosed inline table: expected `}`")),
                kind if is_key(kind) => {}
                _ => return Err(error(t.start, "expected a key or `}`")),
            }
            self.dotted_key(t, keys)?;
            self.skip_blank()?;
            self.expect_equals()?;
            self.skip_blank()?;
            let (parent, key) = parent_for(table, keys)?;
            let value = self.value(parent.level)?;
            last = value.span.end;
            parent.push(key.clone(), Item::Value(value));
            self.skip_blank()?;
            let t = self.bump();
            match t.kind {
                Kind::Comma => last = t.end,
                Kind::CloseBrace => return Ok(t),
                Kind::Eof => return Err(error(last, "unclosed inline table: expected `}`")),
                _ => return Err(error(t.start, "expected `,` or `}` after a value")),
            }
        }
    }

    // -- strings ------------------------------------------------------------

    /// `"…"`: its escapes decoded.
    fn basic(&self, t: Token) -> Result<Cow<'t, str>, Error> {
        if t.end < t.start + 2 || self.at(t.end - 1) != Some(b'"') {
            return Err(error(
                t.end,
                "unclosed string: expected `\"` before the end of the line",
            ));
        }
        self.unescape(t.start + 1, t.end - 1, false)
    }

    /// `'…'`: as written.
    fn literal(&self, t: Token) -> Result<Cow<'t, str>, Error> {
        if t.end < t.start + 2 || self.at(t.end - 1) != Some(b'\'') {
            return Err(error(
                t.end,
                "unclosed string: expected `'` before the end of the line",
            ));
        }
        self.plain(t.start + 1, t.end - 1, false, CONTROL_IN_LITERAL)?;
        Ok(Cow::Borrowed(self.slice(t.start + 1, t.end - 1)))
    }

    /// Where a multi-line string's text starts and ends: after its opening
    /// delimiter and a line break right after it, before its closing one.
    fn ml_body(&self, t: Token, quote: &[u8]) -> Result<(usize, usize), Error> {
        let mut start = t.start + 3;
        if self.at(start) == Some(b'\n') {
            start += 1;
        } else if starts_with(self.bytes, start, b"\r\n") {
            start += 2;
        }
        if t.end < start + 3 || !starts_with(self.bytes, t.end - 3, quote) {
            let message = if quote == b"'''" {
                "unclosed multi-line string: expected `'''`"
            } else {
                "unclosed multi-line string: expected `\"\"\"`"
            };
            return Err(error(t.end, message));
        }
        Ok((start, t.end - 3))
    }

    /// `"""…"""`: escapes decoded, a line-ending backslash trims the line
    /// break and whitespace after it, `\r\n` kept as written.
    fn ml_basic(&self, t: Token) -> Result<Cow<'t, str>, Error> {
        let (start, end) = self.ml_body(t, b"\"\"\"")?;
        self.unescape(start, end, true)
    }

    /// `'''…'''`: as written.
    fn ml_literal(&self, t: Token) -> Result<Cow<'t, str>, Error> {
        let (start, end) = self.ml_body(t, b"'''")?;
        self.plain(start, end, true, CONTROL_IN_LITERAL)?;
        Ok(Cow::Borrowed(self.slice(start, end)))
    }

    /// The text of a basic string between `start` and `end`, its escapes
    /// decoded; borrowed if it has none.
    fn unescape(&self, start: usize, end: usize, multiline: bool) -> Result<Cow<'t, str>, Error> {
        let at = |i: usize| if i < end { self.at(i) } else { None };
        let mut out: Option<String> = None;
        let mut run = start;
        let mut i = start;
        while let Some(c) = at(i) {
            match c {
                b'\\' => {
                    let s = out.get_or_insert_with(String::new);
                    s.push_str(self.slice(run, i));
                    i += 1;
                    if multiline && matches!(at(i), Some(b' ' | b'\t' | b'\r' | b'\n')) {
                        i = self.line_ending_backslash(i, end)?;
                    } else {
                        i = self.escape(i, end, s)?;
                    }
                    run = i;
                }
                b'\r' if multiline => {
                    if at(i + 1) != Some(b'\n') {
                        return Err(error(i + 1, CR));
                    }
                    i += 2;
                }
                b'\n' | b'"' if multiline => i += 1,
                b'\t' | b' '..=b'~' | 0x80.. => i += 1,
                _ => {
                    return Err(error(
                        i,
                        "control characters must be escaped in a string \
                         (`\\t`, `\\n`, `\\u0001` …)",
                    ));
                }
            }
        }
        let tail = self.slice(run, end);
        Ok(match out {
            None => Cow::Borrowed(tail),
            Some(mut s) => {
                s.push_str(tail);
                Cow::Owned(s)
            }
        })
    }

    /// One escape, after its backslash at `i - 1`; where it ends.
    fn escape(&self, i: usize, end: usize, out: &mut String) -> Result<usize, Error> {
        let c = match if i < end { self.at(i) } else { None } {
            None => {
                return Err(error(
                    i,
                    "expected an escape after `\\` (the closing quote is escaped, \
                     so the string is not closed)",
                ));
            }
            Some(b'b') => '\u{8}',
            Some(b't') => '\t',
            Some(b'n') => '\n',
            Some(b'f') => '\u{c}',
            Some(b'r') => '\r',
            Some(b'e') => '\u{1b}',
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'x') => return self.hex_escape(i + 1, end, 2, out),
            Some(b'u') => return self.hex_escape(i + 1, end, 4, out),
            Some(b'U') => return self.hex_escape(i + 1, end, 8, out),
            Some(_) => {
                return Err(error(
                    i,
                    "unknown escape: expected one of \\b \\t \\n \\f \\r \\e \\\" \\\\ \
                     \\xHH \\uHHHH \\UHHHHHHHH",
                ));
            }
        };
        out.push(c);
        Ok(i + 1)
    }

    /// `\xHH`, `\uHHHH` or `\UHHHHHHHH`, its digits at `i`.
    fn hex_escape(
        &self,
        i: usize,
        end: usize,
        digits: usize,
        out: &mut String,
    ) -> Result<usize, Error> {
        let hex = self
            .slice(i, (i + digits).min(end))
            .get(..digits)
            .filter(|h| h.bytes().all(|c| c.is_ascii_hexdigit()));
        let Some(code) = hex.and_then(|h| u32::try_from(i64::from_str_radix(h, 16).ok()?).ok())
        else {
            let bad = (i..end)
                .find(|&j| !self.at(j).is_some_and(|c| c.is_ascii_hexdigit()))
                .unwrap_or(end);
            return Err(error(
                bad,
                "too few hexadecimal digits: \\xHH, \\uHHHH and \\UHHHHHHHH take 2, 4 and 8",
            ));
        };
        let c = char::from_u32(code).ok_or_else(|| {
            error(
                i,
                "the escape is not a Unicode scalar value (a surrogate, or above 10FFFF)",
            )
        })?;
        out.push(c);
        Ok(i + digits)
    }

    /// A backslash at the end of a line (whitespace may follow it): the line
    /// break and all whitespace and line breaks after it are left out.
    fn line_ending_backslash(&self, mut i: usize, end: usize) -> Result<usize, Error> {
        let at = |i: usize| if i < end { self.at(i) } else { None };
        while let Some(b' ' | b'\t') = at(i) {
            i += 1;
        }
        match at(i) {
            Some(b'\n') => i += 1,
            Some(b'\r') if at(i + 1) == Some(b'\n') => i += 2,
            Some(b'\r') => {
                return Err(error(i + 1, CR));
            }
            _ => {
                return Err(error(
                    i,
                    "unknown escape: a `\\` followed by whitespace must end its line",
                ));
            }
        }
        loop {
            match at(i) {
                Some(b' ' | b'\t' | b'\n') => i += 1,
                Some(b'\r') if at(i + 1) == Some(b'\n') => i += 2,
                Some(b'\r') => {
                    return Err(error(i + 1, CR));
                }
                _ => return Ok(i),
            }
        }
    }

    // -- bare values --------------------------------------------------------

    /// A number, boolean or date-time. As in the crate it is the bare word
    /// and the dots and bare words right after it, and one space or tab and
    /// a bare word after that (`1979-05-27 07:32:00`, and `1 2`, which is
    /// then not a value).
    fn bare_value(&mut self, first: Token) -> Result<Node<'t>, Error> {
        let mut end = first.end;
        loop {
            match self.ahead.kind {
                Kind::Dot | Kind::Bare => end = self.bump().end,
                Kind::Whitespace => {
                    let next = lex(self.bytes, self.ahead.end);
                    if next.kind != Kind::Bare {
                        break;
                    }
                    end = next.end;
                    self.ahead = lex(self.bytes, next.end);
                }
                _ => break,
            }
        }
        let value = scalar(self.slice(first.start, end))
            .map_err(|(offset, message)| error(first.start + offset, message))?;
        Ok(Node {
            span: Span {
                start: first.start,
                end,
            },
            value,
        })
    }
}

/// A bare value's error: where in it, and what.
type Bad = (usize, &'static str);

const NOT_A_VALUE: &str = "expected a value (a number, `true`, `false`, `inf` or a date, \
                           in lowercase); a string must be in quotes";
const OVERFLOW: &str = "integer number overflowed";
const UNDERSCORE: &str = "`_` may only go between two digits";
const LEADING_ZERO: &str = "a number cannot start with `0` (leading zeros are not allowed)";

/// A bare value as the `toml_parser` decoder and the `toml` crate read it.
fn scalar(raw: &str) -> Result<Value<'_>, Bad> {
    let b = raw.as_bytes();
    let first = b.first().copied().unwrap_or_default();
    // Only a date-time (which starts with a digit) may have a space.
    if !first.is_ascii_digit() && b.contains(&b' ') {
        return Err((0, NOT_A_VALUE));
    }
    match first {
        b'0'..=b'9' => number(raw, 0),
        b'+' | b'-' => match b.get(1).copied() {
            Some(b'0'..=b'9') => number(raw, 1),
            Some(b'+' | b'-') => Err((1, "a number can have only one sign")),
            Some(b'_') => Err((1, UNDERSCORE)),
            Some(b'.') => Err((1, "expected a digit before `.`")),
            Some(b'i' | b'I' | b'n' | b'N') => word(raw, 1),
            _ => Err((0, NOT_A_VALUE)),
        },
        b't' | b'T' | b'f' | b'F' | b'i' | b'I' | b'n' | b'N' => word(raw, 0),
        b'_' => Err((0, UNDERSCORE)),
        b'.' => Err((0, "expected a digit before `.`")),
        _ => Err((0, NOT_A_VALUE)),
    }
}

/// `true`, `false`, `inf` or `nan`, after `sign` bytes (`nan` is refused,
/// as it was before esafety had its own parser).
fn word(raw: &str, sign: usize) -> Result<Value<'_>, Bad> {
    let word = raw.get(sign..).unwrap_or_default();
    Ok(match word {
        "true" if sign == 0 => Value::Bool(true),
        "false" if sign == 0 => Value::Bool(false),
        "inf" => Value::Float(raw),
        "nan" => return Err((0, "`nan` (not a number) is not supported")),
        _ => return Err((0, NOT_A_VALUE)),
    })
}

/// A number or date-time: `raw` starts with a digit after `sign` bytes.
fn number(raw: &str, sign: usize) -> Result<Value<'_>, Bad> {
    let b = raw.as_bytes();
    let value = b.get(sign..).unwrap_or_default();
    if value.first() == Some(&b'0')
        && let Some(prefix @ (b'x' | b'X' | b'o' | b'O' | b'b' | b'B' | b'd' | b'D')) =
            value.get(1).copied()
    {
        return radix(raw, sign, prefix);
    }
    let mut digits = 0;
    digit_run(value, &mut digits, false);
    if digits == value.len() {
        if value.len() > 1 && value.first() == Some(&b'0') {
            return Err((sign, LEADING_ZERO));
        }
        return integer(raw, sign);
    }
    let rest = value.get(digits..).unwrap_or_default();
    match rest.first() {
        Some(b'-' | b':') => datetime(raw).map(|text| Value::Datetime(text.into_boxed_str())),
        _ if rest.contains(&b' ') => Err((0, NOT_A_VALUE)),
        _ if rest.iter().any(|c| matches!(c, b'.' | b'e' | b'E')) => float(raw, sign),
        Some(b'_') if value.first() == Some(&b'0') => Err((sign, LEADING_ZERO)),
        Some(b'_') => integer(raw, sign),
        _ => Err((sign + digits, NOT_A_VALUE)),
    }
}

/// Where a `_` is not between two digits (hexadecimal ones if `hex`).
fn check_underscores(b: &[u8], hex: bool) -> Result<(), usize> {
    let digit = |c: Option<&u8>| {
        c.is_some_and(|c| {
            if hex {
                c.is_ascii_hexdigit()
            } else {
                c.is_ascii_digit()
            }
        })
    };
    for (i, c) in b.iter().enumerate() {
        if *c == b'_' && !(digit(i.checked_sub(1).and_then(|j| b.get(j))) && digit(b.get(i + 1))) {
            return Err(i);
        }
    }
    Ok(())
}

fn without_underscores(s: &str) -> String {
    let bytes: Vec<u8> = s.bytes().filter(|&c| c != b'_').collect();
    String::from_utf8(bytes).unwrap_or_default()
}

/// A decimal integer: a sign, then digits with single `_` between them.
fn integer(raw: &str, sign: usize) -> Result<Value<'static>, Bad> {
    let b = raw.as_bytes();
    if let Some(i) = b
        .iter()
        .skip(sign)
        .position(|c| !(c.is_ascii_digit() || *c == b'_'))
    {
        return Err((sign + i, "expected a digit in the integer"));
    }
    check_underscores(b, false).map_err(|i| (i, UNDERSCORE))?;
    without_underscores(raw)
        .parse::<i64>()
        .map(Value::Integer)
        .map_err(|_| (0, OVERFLOW))
}

/// `0x…`, `0o…` or `0b…` (lowercase, unsigned).
fn radix(raw: &str, sign: usize, prefix: u8) -> Result<Value<'static>, Bad> {
    if raw.contains(' ') {
        return Err((0, NOT_A_VALUE));
    }
    if sign > 0 {
        return Err((
            0,
            "a hexadecimal, octal or binary integer cannot have a sign",
        ));
    }
    let (base, digit_name): (u32, &str) = match prefix {
        b'x' => (16, "expected hexadecimal digits after `0x`"),
        b'o' => (8, "expected octal digits (0-7) after `0o`"),
        b'b' => (2, "expected binary digits (0 or 1) after `0b`"),
        b'd' | b'D' => return Err((0, "a decimal integer has no prefix: leave out `0d`")),
        _ => return Err((1, "write the prefix in lowercase: `0x`, `0o` or `0b`")),
    };
    let digits = raw.get(2..).unwrap_or_default();
    let b = digits.as_bytes();
    if b.is_empty() {
        return Err((2, digit_name));
    }
    if let Some(i) = b
        .iter()
        .position(|&c| c != b'_' && !char::from(c).is_digit(base))
    {
        return Err((2 + i, digit_name));
    }
    check_underscores(b, true).map_err(|i| (2 + i, UNDERSCORE))?;
    i64::from_str_radix(&without_underscores(digits), base)
        .map(Value::Integer)
        .map_err(|_| (0, OVERFLOW))
}

/// A float: digits (no leading zero), then a fraction, an exponent or both.
fn float(raw: &str, sign: usize) -> Result<Value<'_>, Bad> {
    let b = raw.as_bytes();
    let at = |i: usize| b.get(i).copied();
    // Digits and underscores from `i`: how many digits, and where they end.
    let digits = |mut i: usize| {
        let (_, n) = digit_run(b, &mut i, true);
        (n, i)
    };
    let (n, mut i) = digits(sign);
    if n > 1 && at(sign) == Some(b'0') {
        return Err((sign, LEADING_ZERO));
    }
    if at(i) == Some(b'.') {
        let (n, end) = digits(i + 1);
        if n == 0 {
            return Err((i + 1, "expected a digit after `.`"));
        }
        i = end;
    }
    if let Some(b'e' | b'E') = at(i) {
        i += 1;
        if let Some(b'+' | b'-') = at(i) {
            i += 1;
        }
        let (n, end) = digits(i);
        if n == 0 {
            return Err((i, "expected digits in the exponent"));
        }
        i = end;
    }
    if i < b.len() {
        return Err((i, "expected a digit, `.` or an exponent in the float"));
    }
    check_underscores(b, false).map_err(|i| (i, UNDERSCORE))?;
    if super::number::float_overflows(raw) {
        return Err((0, "floating-point number overflowed"));
    }
    Ok(Value::Float(raw))
}

/// A run of digits (and underscores, if `underscores`) at `*i`, which it
/// moves past them: their value (saturating) and how many digits.
#[inline(never)]
fn digit_run(b: &[u8], i: &mut usize, underscores: bool) -> (u32, usize) {
    let (mut n, mut count) = (0u32, 0);
    while let Some(&c) = b.get(*i) {
        if c.is_ascii_digit() {
            n = n.saturating_mul(10).saturating_add(u32::from(c - b'0'));
            count += 1;
        } else if !(underscores && c == b'_') {
            break;
        }
        *i += 1;
    }
    (n, count)
}

/// A date-time field of `len` digits at `*i`: its value.
#[inline(never)]
fn field(b: &[u8], i: &mut usize, len: usize, message: &'static str) -> Result<u32, Bad> {
    let start = *i;
    match digit_run(b, i, false) {
        (n, count) if count == len => Ok(n),
        _ => Err((start, message)),
    }
}

/// A date-time as `toml_datetime` reads it (`1979-05-27T07:32:00Z`,
/// `1979-05-27 07:32`, `1979-05-27`, `07:32:00.5`), written as its
/// `Display` writes it: `T` between date and time, `Z` in capitals, the
/// fraction cut to nanoseconds without trailing zeros, `-00:00` as
/// `+00:00`.
fn datetime(raw: &str) -> Result<String, Bad> {
    const DATE: &str = "invalid date: expected YYYY-MM-DD";
    const TIME: &str = "invalid time: expected HH:MM, HH:MM:SS or HH:MM:SS.fraction";
    const OFFSET: &str = "invalid offset: expected `Z`, `+HH:MM` or `-HH:MM` \
                          (hours 00 to 23, minutes 00 to 59)";
    let b = raw.as_bytes();
    let at = |i: usize| b.get(i).copied();
    let digits = |i: &mut usize, len: usize, message: &'static str| field(b, i, len, message);
    let expect = |i: &mut usize, c: u8, message: &'static str| {
        if at(*i) == Some(c) {
            *i += 1;
            Ok(())
        } else {
            Err((*i, message))
        }
    };
    // The text is written as `Display` writes it: these bytes become `T`,
    // `Z` and `+`, and this range of the fraction is left out.
    let mut out = b.to_vec();
    let mut set = |i: usize, c: u8| {
        if let Some(b) = out.get_mut(i) {
            *b = c;
        }
    };
    let mut cut = 0..0;
    let mut i = 0;
    digit_run(b, &mut i, false);
    let date = match at(i) {
        Some(b'-') => true,
        Some(b':') => false,
        _ => return Err((i, "expected a date (YYYY-MM-DD) or a time (HH:MM:SS)")),
    };
    i = 0;
    if date {
        let year = digits(&mut i, 4, DATE)?;
        expect(&mut i, b'-', DATE)?;
        let month_at = i;
        let month = digits(&mut i, 2, DATE)?;
        expect(&mut i, b'-', DATE)?;
        let day_at = i;
        let day = digits(&mut i, 2, DATE)?;
        if !(1..=12).contains(&month) {
            return Err((month_at, "invalid date: the month must be 01 to 12"));
        }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        let days = match month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        if !(1..=days).contains(&day) {
            return Err((day_at, "invalid date: no such day in that month"));
        }
        match at(i) {
            None => return Ok(raw.to_owned()),
            Some(b'T' | b't' | b' ') => set(i, b'T'),
            Some(_) => return Err((i, "invalid date-time: expected `T` between date and time")),
        }
        i += 1;
    }
    let time_at = i;
    let hour = digits(&mut i, 2, TIME)?;
    expect(&mut i, b':', TIME)?;
    let minute_at = i;
    let minute = digits(&mut i, 2, TIME)?;
    if hour > 23 {
        return Err((time_at, "invalid time: the hour must be 00 to 23"));
    }
    if minute > 59 {
        return Err((minute_at, "invalid time: the minute must be 00 to 59"));
    }
    if at(i) == Some(b':') {
        i += 1;
        let second_at = i;
        if digits(&mut i, 2, TIME)? > 60 {
            return Err((second_at, "invalid time: the second must be 00 to 60"));
        }
        if at(i) == Some(b'.') {
            i += 1;
            // Nanoseconds: nine digits at most, without trailing zeros.
            let fraction_at = i;
            if digit_run(b, &mut i, false).1 == 0 {
                return Err((i, TIME));
            }
            let mut end = i.min(fraction_at + 9);
            while end > fraction_at + 1 && at(end - 1) == Some(b'0') {
                end -= 1;
            }
            cut = end..i;
        }
    }
    if date {
        match at(i) {
            None => {}
            Some(b'Z' | b'z') => {
                set(i, b'Z');
                i += 1;
            }
            Some(b'+' | b'-') => {
                let sign_at = i;
                i += 1;
                let offset_at = i;
                let hours = digits(&mut i, 2, OFFSET)?;
                expect(&mut i, b':', OFFSET)?;
                let minutes = digits(&mut i, 2, OFFSET)?;
                if hours > 23 || minutes > 59 {
                    return Err((offset_at, OFFSET));
                }
                // `-00:00` is written `+00:00`.
                if hours + minutes == 0 {
                    set(sign_at, b'+');
                }
            }
            Some(_) => return Err((i, OFFSET)),
        }
    }
    if i < b.len() {
        return Err((i, "unexpected characters after the date-time"));
    }
    out.drain(cut);
    Ok(String::from_utf8(out).unwrap_or_default())
}

// ---------------------------------------------------------------------------
// Tables: the crate's rules for defining and extending them.

/// A table being built.
struct Table<'t> {
    /// In the order they were added (sorted by key when it is finished).
    entries: Vec<Entry<'t>>,
    /// Once there are `INDEXED` entries: an open-addressing hash index of
    /// them (position + 1, 0 for a free slot), at most half full.
    index: Vec<u32>,
    span: Span,
    /// The level of its entries (0 for the root's).
    level: usize,
    /// Made by a longer header or a dotted key, not defined yet.
    implicit: bool,
    /// Made or added to by a dotted key: no header may define it.
    dotted: bool,
}

/// Tables with fewer entries are searched one entry after another.
const INDEXED: usize = 16;

struct Entry<'t> {
    name: Cow<'t, str>,
    key: Span,
    item: Item<'t>,
}

enum Item<'t> {
    /// A scalar, an array or an inline table: complete, and closed to
    /// headers and dotted keys.
    Value(Node<'t>),
    Table(Table<'t>),
    /// An array of tables, with the span of its first header.
    Tables(Span, Vec<Table<'t>>),
}

/// FNV-1a.
fn hash(name: &str) -> usize {
    let mut h: u32 = 0x811c_9dc5;
    for b in name.bytes() {
        h = (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
    }
    h as usize
}

impl<'t> Table<'t> {
    #[inline(never)]
    fn new(level: usize, span: Span) -> Self {
        Table {
            entries: Vec::new(),
            index: Vec::new(),
            span,
            level,
            implicit: false,
            dotted: false,
        }
    }

    /// The position of the entry named `name`.
    fn find(&self, name: &str) -> Option<usize> {
        if self.index.is_empty() {
            return self.entries.iter().position(|e| e.name == name);
        }
        let mask = self.index.len() - 1;
        let mut i = hash(name) & mask;
        loop {
            let position = usize::try_from(self.index.get(i)?.checked_sub(1)?).ok()?;
            if self.entries.get(position)?.name == name {
                return Some(position);
            }
            i = (i + 1) & mask;
        }
    }

    fn get_mut(&mut self, name: &str) -> Option<&mut Entry<'t>> {
        let position = self.find(name)?;
        self.entries.get_mut(position)
    }

    /// Adds an entry whose name is not in the table yet.
    fn push(&mut self, key: Key<'t>, item: Item<'t>) {
        self.entries.push(Entry {
            name: key.name,
            key: key.span,
            item,
        });
        let n = self.entries.len();
        if n < INDEXED {
            return;
        }
        if n * 2 > self.index.len() {
            self.index = vec![0; (n * 4).next_power_of_two()];
            for position in 0..n {
                self.place(position);
            }
        } else {
            self.place(n - 1);
        }
    }

    fn place(&mut self, position: usize) {
        let (Some(entry), Ok(slot)) = (self.entries.get(position), u32::try_from(position + 1))
        else {
            return;
        };
        let mask = self.index.len().wrapping_sub(1);
        let mut i = hash(&entry.name) & mask;
        while let Some(free) = self.index.get_mut(i) {
            if *free == 0 {
                *free = slot;
                return;
            }
            i = (i + 1) & mask;
        }
    }
}

fn describe(value: &Value<'_>) -> &'static str {
    match value {
        Value::String(_) => "a string",
        Value::Integer(_) | Value::Unsigned(_) => "an integer",
        Value::Float(_) => "a float",
        Value::Bool(_) => "a boolean",
        Value::Datetime(_) => "a date-time",
        Value::Array(_) => "an array",
        Value::Table(_) => "an inline table",
        Value::Null => "a value",
    }
}

/// The table that `path` names under `table`, made implicitly where it is
/// missing. Through an array of tables it goes into the last one; a dotted
/// key (`dotted`) cannot go into a table that a header defined.
fn descend<'a, 't>(
    mut table: &'a mut Table<'t>,
    path: &[Key<'t>],
    dotted: bool,
) -> Result<&'a mut Table<'t>, Error> {
    for part in path {
        let name = part.name.as_ref();
        let at = part.span.start;
        if table.find(name).is_none() {
            check_depth(table.level, at)?;
            let mut new = Table::new(table.level + 1, part.span);
            new.implicit = true;
            new.dotted = dotted;
            table.push(part.clone(), Item::Table(new));
        }
        let entry = table.get_mut(name).ok_or_else(|| error(at, LOST))?;
        table = match &mut entry.item {
            Item::Tables(_, tables) => tables.last_mut().ok_or_else(|| error(at, LOST))?,
            Item::Table(t) => {
                if dotted {
                    if !t.implicit {
                        return Err(error_about(
                            at,
                            &[
                                "table `",
                                name,
                                "` is defined by a header: a dotted key cannot add to it",
                            ],
                        ));
                    }
                    t.dotted = true;
                }
                t
            }
            Item::Value(node) => {
                return Err(error_about(
                    at,
                    &[
                        "cannot add to `",
                        name,
                        "`: it is ",
                        describe(&node.value),
                        ", not a table",
                    ],
                ));
            }
        };
    }
    Ok(table)
}

/// The table that a key-value pair's key (the last of `keys`) goes into,
/// checked for the key, and the key.
fn parent_for<'a, 'k, 't>(
    table: &'a mut Table<'t>,
    keys: &'k [Key<'t>],
) -> Result<(&'a mut Table<'t>, &'k Key<'t>), Error> {
    let Some((key, path)) = keys.split_last() else {
        return Err(error(0, LOST));
    };
    let dotted = !path.is_empty();
    let parent = descend(table, path, dotted)?;
    if let Some(last) = path.last()
        && !parent.implicit
    {
        // Through an array of tables, into its last table.
        return Err(error_about(
            last.span.start,
            &[
                "`",
                &last.name,
                "` is an array of tables: a dotted key cannot add to it",
            ],
        ));
    }
    if parent.find(&key.name).is_some() {
        return Err(error_about(
            key.span.start,
            &[
                "duplicate key `",
                &key.name,
                "`: a key can be defined only once",
            ],
        ));
    }
    Ok((parent, key))
}

/// A `[table]` or `[[array]]` header.
struct Header<'t> {
    keys: Vec<Key<'t>>,
    span: Span,
    array: bool,
}

/// As the crate builds it: the table under the current header is kept
/// apart and put into the tree at the next header or at the end.
struct Document<'t> {
    root: Table<'t>,
    current: Table<'t>,
    header: Option<Header<'t>>,
}

impl<'t> Document<'t> {
    /// The lines of the document.
    fn read(&mut self, cur: &mut Cursor<'t>, keys: &mut Vec<Key<'t>>) -> Result<(), Error> {
        loop {
            let t = cur.bump();
            match t.kind {
                Kind::Eof => return self.finish_table(),
                Kind::Whitespace => {}
                Kind::Newline => cur.newline(t)?,
                Kind::Comment => cur.comment(t)?,
                Kind::OpenBracket => {
                    self.finish_table()?;
                    let (span, array) = cur.header(t, keys)?;
                    self.header = Some(Header {
                        keys: std::mem::take(keys),
                        span,
                        array,
                    });
                    self.start_table()?;
                }
                Kind::Basic | Kind::Literal | Kind::MlBasic | Kind::MlLiteral | Kind::Bare => {
                    cur.dotted_key(t, keys)?;
                    cur.expect_equals()?;
                    cur.skip_whitespace();
                    let (parent, key) = parent_for(&mut self.current, keys)?;
                    let value = cur.value(parent.level)?;
                    parent.push(key.clone(), Item::Value(value));
                    cur.line_end()?;
                }
                _ => {
                    return Err(error(
                        t.start,
                        "expected a key, a `[table]` header or a `#` comment",
                    ));
                }
            }
        }
    }

    /// After a header: the table it names, made current.
    fn start_table(&mut self) -> Result<(), Error> {
        let Document {
            root,
            current,
            header,
        } = self;
        let Some(Header { keys, span, array }) = header else {
            return Err(error(0, LOST));
        };
        let (span, array) = (*span, *array);
        let Some((key, path)) = keys.split_last() else {
            return Err(error(span.start, LOST));
        };
        let parent = descend(root, path, false)?;
        let level = parent.level;
        let name = key.name.as_ref();
        let at = key.span.start;
        let existing = parent.get_mut(name);
        let mut table = if array {
            match existing.map(|e| &e.item) {
                None => check_depth(level, span.start)?,
                Some(Item::Tables(..)) => {}
                Some(Item::Table(_)) => {
                    return Err(error_about(
                        at,
                        &[
                            "`",
                            name,
                            "` is a table: it cannot also be an array of tables",
                        ],
                    ));
                }
                Some(Item::Value(node)) => {
                    return Err(error_about(
                        at,
                        &[
                            "`",
                            name,
                            "` is ",
                            describe(&node.value),
                            ": `[[…]]` cannot add to it",
                        ],
                    ));
                }
            }
            check_depth(level + 1, span.start)?;
            Table::new(level + 2, span)
        } else {
            match existing {
                None => {
                    check_depth(level, span.start)?;
                    // Its place, filled when the next header comes.
                    parent.push(key.clone(), Item::Table(Table::new(level + 1, span)));
                    Table::new(level + 1, span)
                }
                Some(entry) => match &mut entry.item {
                    // Made by a longer header: defined now, with this key.
                    Item::Table(t) if t.implicit && !t.dotted => {
                        entry.key = key.span;
                        std::mem::replace(t, Table::new(level + 1, span))
                    }
                    Item::Table(t) if t.implicit => {
                        return Err(error_about(
                            at,
                            &["table `", name, "` is already defined by dotted keys"],
                        ));
                    }
                    Item::Table(_) => {
                        return Err(error_about(at, &["table `", name, "` is defined twice"]));
                    }
                    Item::Tables(..) => {
                        return Err(error_about(
                            at,
                            &["`", name, "` is an array of tables: add to it with `[[…]]`"],
                        ));
                    }
                    Item::Value(node) => {
                        return Err(error_about(
                            at,
                            &["`", name, "` is already ", describe(&node.value)],
                        ));
                    }
                },
            }
        };
        table.implicit = false;
        table.dotted = false;
        table.span = span;
        *current = table;
        Ok(())
    }

    /// Before a header and at the end: the current table put in its place.
    fn finish_table(&mut self) -> Result<(), Error> {
        let Document {
            root,
            current,
            header,
        } = self;
        let Some(Header { keys, span, array }) = header else {
            // The lines before the first header are the root.
            *root = std::mem::replace(current, Table::new(0, Span::default()));
            return Ok(());
        };
        let Some((key, path)) = keys.split_last() else {
            return Err(error(span.start, LOST));
        };
        let parent = descend(root, path, false)?;
        let table = std::mem::replace(current, Table::new(0, Span::default()));
        match (parent.get_mut(&key.name), *array) {
            (Some(entry), false) => entry.item = Item::Table(table),
            (
                Some(Entry {
                    item: Item::Tables(_, tables),
                    ..
                }),
                true,
            ) => tables.push(table),
            (None, true) => parent.push(key.clone(), Item::Tables(*span, vec![table])),
            _ => return Err(error(key.span.start, LOST)),
        }
        *header = None;
        Ok(())
    }
}

const LOST: &str = "internal error: a table was lost";

/// The finished table as a node, its entries in key order.
fn table_node(table: Table<'_>) -> Node<'_> {
    let mut entries = table.entries;
    crate::sorted::sort_by(&mut entries, |a, b| a.name.cmp(&b.name));
    let entries = entries
        .into_iter()
        .map(|entry| {
            let key = Key {
                name: entry.name,
                span: entry.key,
            };
            let node = match entry.item {
                Item::Value(node) => node,
                Item::Table(t) => table_node(t),
                Item::Tables(span, tables) => Node {
                    span,
                    value: Value::Array(tables.into_iter().map(table_node).collect()),
                },
            };
            (key, node)
        })
        .collect();
    Node {
        span: table.span,
        value: Value::Table(entries),
    }
}
