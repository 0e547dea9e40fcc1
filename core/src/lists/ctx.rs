//! Shared plumbing of the parsers: splitting lines, collecting entries and
//! skipped lines, and wording reasons without leaking sensitive text.

use super::expression_digest;
use super::{Entry, EntryKind, Format, HostKey, ListError, ParseOptions, ParsedList, SkippedLine};
use crate::limits::Limit;

/// What is wrong with a line. Worded by [`Problem::describe`], which leaves
/// out the text of the line for a sensitive list.
#[derive(Debug)]
pub(crate) enum Problem<'a> {
    /// The line is not UTF-8.
    NotUtf8,
    /// The line is longer than the limit.
    TooLong { len: usize, max: usize },
    /// Not a host name.
    BadHost { text: &'a str, why: String },
    /// Not a URL.
    BadUrl { text: &'a str, why: String },
    /// A host with no dot.
    SingleLabel { text: &'a str },
    /// A wildcard the format does not support.
    Wildcard { text: &'a str },
    /// A URL or path in a list that holds only domains.
    PathInDomainList { text: &'a str },
    /// Not a regular expression.
    BadRegex { text: &'a str, why: String },
    /// Neither a host nor a URL, but regular-expression syntax, in a list
    /// read as plain (content never makes a list an expression list).
    RegexInPlain { text: &'a str },
    /// A regular expression in a sensitive list.
    RegexInSensitive,
    /// A hosts-file line without an address.
    HostsNoAddress { text: &'a str },
    /// Something that looks like a digest but is not 64 hex digits.
    BadDigest,
    /// An e2guardian directive this parser cannot follow.
    Directive { text: &'a str, help: &'static str },
}

impl Problem<'_> {
    /// The reason, in plain words, with what to do. For a sensitive list it
    /// never contains the text of the line.
    pub(crate) fn describe(&self, sensitive: bool) -> String {
        let q = |text: &str| {
            if sensitive {
                "the entry".to_owned()
            } else {
                format!("`{}`", truncate(text))
            }
        };
        let why = |why: &str| {
            if sensitive {
                String::new()
            } else {
                format!(" ({why})")
            }
        };
        match self {
            Problem::NotUtf8 => {
                "the line is not valid UTF-8; save the list as UTF-8 or remove the line".to_owned()
            }
            Problem::TooLong { len, max } => format!(
                "the line is {len} bytes long, over the {max}-byte limit `max_list_line_len`; remove or shorten it"
            ),
            Problem::BadHost { text, why: w } => format!(
                "{} is not a valid host name{}; fix or remove the line",
                q(text),
                why(w)
            ),
            Problem::BadUrl { text, why: w } => format!(
                "{} is not a valid URL{}; fix or remove the line",
                q(text),
                why(w)
            ),
            Problem::SingleLabel { text } => format!(
                "{} has no dot, so as a domain it would match a whole top-level domain; write the full domain name",
                q(text)
            ),
            Problem::Wildcard { text } => format!(
                "{} has a wildcard `*` this format does not support; list the domain instead (a domain entry covers its subdomains)",
                q(text)
            ),
            Problem::PathInDomainList { text } => format!(
                "{} has a path, but this list holds only domains; move it to a URL list",
                q(text)
            ),
            Problem::BadRegex { text, why: w } => format!(
                "{} is not a valid regular expression{}; fix or remove the line",
                q(text),
                why(w)
            ),
            Problem::RegexInPlain { text } => format!(
                "{} is not a host or URL but looks like a regular expression, and this list is read as plain; if it holds expressions, name the file `expressions` or give it as `squidguard-expressions:PATH`",
                q(text)
            ),
            Problem::RegexInSensitive => "a regular expression cannot be stored as a digest in a sensitive list; list the URLs instead".to_owned(),
            Problem::HostsNoAddress { text } => format!(
                "{} is not a hosts-file line `ADDRESS HOST…`; write it as `0.0.0.0 host`",
                q(text)
            ),
            Problem::BadDigest => "the entry looks like a SHA-256 digest but is not exactly 64 hex digits; fix or remove the line".to_owned(),
            Problem::Directive { text, help } => format!("{} {help}", q(text)),
        }
    }
}

/// Collects what a parser finds.
pub(crate) struct Sink<'o> {
    pub(crate) source: String,
    pub(crate) options: &'o ParseOptions,
    pub(crate) out: ParsedList,
    /// The `.Include` files read so far (repeats counted).
    pub(crate) include_files: usize,
    /// The entries produced so far.
    pub(crate) produced: usize,
    /// Where entries go as they are parsed (with the name of the file
    /// they are in); `None`: into [`ParsedList::entries`].
    pub(crate) emit: Option<Emit<'o>>,
}

/// A caller's sink for entries as they are parsed.
pub(crate) type Emit<'o> = &'o mut dyn FnMut(&str, Entry);

impl<'o> Sink<'o> {
    pub(crate) fn new(format: Format, source: &str, options: &'o ParseOptions) -> Sink<'o> {
        Sink {
            source: source.to_owned(),
            options,
            out: ParsedList {
                format,
                entries: Vec::new(),
                skipped: Vec::new(),
                ignored: 0,
                list_category: None,
                fragment_lines: Vec::new(),
            },
            include_files: 0,
            produced: 0,
            emit: None,
        }
    }

    /// Adds an entry; in a sensitive list it becomes a digest at once.
    pub(crate) fn entry(&mut self, line: usize, kind: EntryKind) -> Result<(), ListError> {
        if self.produced >= self.options.limits.max_entries {
            return Err(ListError::LimitExceeded {
                file: self.source.clone(),
                line,
                limit: Limit::Entries,
                max: self.options.limits.get(Limit::Entries),
                what: "entries, the files it includes counted",
            });
        }
        self.produced = self.produced.saturating_add(1);
        let kind = if self.options.sensitive {
            match kind {
                EntryKind::Domain(host) => {
                    let key = HostKey::of(&host);
                    let mut expr = host;
                    expr.push('/');
                    EntryKind::GatedDigest(expression_digest(&expr), key)
                }
                // A sensitive list is matched exactly, whatever its format:
                // a digest cannot be looked up case-folded, so a case-folding
                // entry keeps the case the list wrote it in.
                EntryKind::Url(expr)
                | EntryKind::UrlPrefix(expr)
                | EntryKind::UrlNoCase(expr)
                | EntryKind::UrlPrefixNoCase(expr)
                | EntryKind::UrlStringPrefix(expr)
                | EntryKind::UrlStringPrefixNoCase(expr)
                | EntryKind::SquidGuardUrl(expr) => {
                    // An expression is `host/path`: the host ends at the first `/`.
                    let host = expr.split('/').next().unwrap_or_default();
                    EntryKind::GatedDigest(expression_digest(&expr), HostKey::of(host))
                }
                EntryKind::Regex(_)
                | EntryKind::RegexNoCase(_)
                | EntryKind::SquidGuardExpression(_)
                | EntryKind::E2guardianExpression(_) => {
                    return self.skip(line, &Problem::RegexInSensitive);
                }
                kind @ (EntryKind::Digest(_) | EntryKind::GatedDigest(..)) => kind,
            }
        } else {
            match kind {
                EntryKind::UrlNoCase(expr) => EntryKind::UrlNoCase(fold_owned(expr)),
                EntryKind::UrlPrefixNoCase(expr) => EntryKind::UrlPrefixNoCase(fold_owned(expr)),
                EntryKind::UrlStringPrefixNoCase(expr) => {
                    EntryKind::UrlStringPrefixNoCase(fold_owned(expr))
                }
                EntryKind::SquidGuardUrl(expr) => EntryKind::SquidGuardUrl(fold_owned(expr)),
                kind => kind,
            }
        };
        let entry = Entry { kind, line };
        match self.emit.as_mut() {
            Some(emit) => emit(&self.source, entry),
            None => self.out.entries.push(entry),
        }
        Ok(())
    }

    /// Records a bad line, or fails in strict mode.
    ///
    /// The line's text is quoted only while the file has given more
    /// entries than bad lines: a file that is not a list (`/etc/passwd`
    /// given by mistake) has none of its lines printed, since its first
    /// line is bad before any entry and every later one is outnumbered.
    pub(crate) fn skip(&mut self, line: usize, problem: &Problem<'_>) -> Result<(), ListError> {
        let is_list = self.produced > self.out.skipped.len();
        let skipped = SkippedLine {
            source: self.source.clone(),
            line,
            reason: problem.describe(self.options.sensitive || !is_list),
        };
        if self.options.strict {
            return Err(ListError::BadLine(skipped));
        }
        self.out.skipped.push(skipped);
        Ok(())
    }

    /// Records that the entry of `line` dropped a `#fragment`.
    pub(crate) fn fragment(&mut self, line: usize) {
        self.out.fragment_lines.push(line);
    }

    /// Counts a line understood but deliberately not used.
    pub(crate) fn ignore(&mut self) {
        self.out.ignored = self.out.ignored.saturating_add(1);
    }

    /// Calls `f` with the 1-based number and trimmed text of every
    /// non-blank line of `bytes`; unreadable lines are skipped here.
    pub(crate) fn lines(
        &mut self,
        bytes: &[u8],
        mut f: impl FnMut(&mut Self, usize, &str) -> Result<(), ListError>,
    ) -> Result<(), ListError> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        for (i, raw) in bytes.split(|&b| b == b'\n').enumerate() {
            let line = i.saturating_add(1);
            let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
            if raw.len() > self.options.limits.max_list_line_len {
                self.skip(
                    line,
                    &Problem::TooLong {
                        len: raw.len(),
                        max: self.options.limits.max_list_line_len,
                    },
                )?;
                continue;
            }
            let Ok(text) = std::str::from_utf8(raw) else {
                self.skip(line, &Problem::NotUtf8)?;
                continue;
            };
            let text = text.trim();
            if text.is_empty() {
                continue;
            }
            f(self, line, text)?;
        }
        Ok(())
    }

    pub(crate) fn finish(self) -> ParsedList {
        self.out
    }
}

/// `expr` case-folded ([`super::fold_case`]), in place.
fn fold_owned(mut expr: String) -> String {
    expr.make_ascii_lowercase();
    expr
}

/// `text` without a `#fragment` (a browser never sends one: the page a
/// line with a fragment names is the line before it), and whether it had
/// one. Record it with [`Sink::fragment`] once the line is read.
pub(crate) fn without_fragment(text: &str) -> (&str, bool) {
    match text.split_once('#') {
        Some((before, _)) => (before, true),
        None => (text, false),
    }
}

/// `text` without a trailing comment that starts with whitespace and `#`.
pub(crate) fn strip_inline_comment(text: &str) -> &str {
    // Most lines have no `#` at all: one byte search instead of decoding
    // every character.
    if !text.as_bytes().contains(&b'#') {
        return text;
    }
    let mut prev_space = false;
    for (i, c) in text.char_indices() {
        if c == '#' && prev_space {
            return text.get(..i).unwrap_or(text).trim_end();
        }
        prev_space = c.is_whitespace();
    }
    text
}

/// The longest quote of a line in a reason, in characters.
const MAX_QUOTE_CHARS: usize = 100;

/// `text`, cut to [`MAX_QUOTE_CHARS`] characters with `…` if longer.
fn truncate(text: &str) -> String {
    match text.char_indices().nth(MAX_QUOTE_CHARS) {
        Some((cut, _)) => format!("{}…", text.get(..cut).unwrap_or(text)),
        None => text.to_owned(),
    }
}
