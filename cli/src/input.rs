//! Input and output plumbing shared by the subcommands.
//!
//! URL inputs are bytes, from arguments or standard input, and standard
//! input is streamed: one line is read, answered, and forgotten before the
//! next, through a fixed buffer, with every line capped at
//! [`esafety::url::MAX_LINE_LEN`] bytes. Memory does not grow with the
//! input, and a filter over a live log answers each line as it arrives
//! (the output is flushed whenever no more input is waiting).

use std::ffi::OsString;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::PathBuf;

use anyhow::Context;
use esafety::url::{MAX_INPUT_LEN, MAX_LINE_LEN, escape_invalid_utf8};

/// The size of the buffer standard input is read through.
const READ_BUFFER: usize = 64 * 1024;

/// The size of the buffer standard output is written through (it is
/// flushed when full and whenever no more input is waiting).
pub(crate) const WRITE_BUFFER: usize = 64 * 1024;

/// Reads a document a user wrote (a policy, site file, incident file,
/// escalation profile) as UTF-8, with core's opener: a regular file within
/// `Limits::max_document_len` (a device, FIFO or directory is refused at
/// once, never waited on or read to the end).
pub(crate) fn read_document(path: &std::path::Path) -> io::Result<String> {
    let bytes = read_document_bytes(path)?;
    String::from_utf8(bytes).map_err(|_| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            "stream did not contain valid UTF-8",
        )
    })
}

/// [`read_document`]'s bytes, not yet checked to be UTF-8.
pub(crate) fn read_document_bytes(path: &std::path::Path) -> io::Result<Vec<u8>> {
    let limits = esafety::Limits::default();
    Ok(esafety::file::read_regular_file(
        path,
        esafety::limits::Limit::DocumentLen,
        &limits,
    )?)
}

/// How many bytes of an over-long line are kept to echo in its error
/// (the echo itself is cut shorter by [`esafety::policy::echo_prefix`]).
const KEPT_PREFIX: usize = 1024;

/// One input of a command.
pub(crate) enum Input<'a> {
    /// A URL (or what should be one) as text: bytes that are not UTF-8
    /// written `%XX` ([`escape_invalid_utf8`]).
    Url(&'a str),
    /// A line that cannot be read as one input: it is longer than
    /// [`MAX_LINE_LEN`].
    TooLong(TooLong<'a>),
}

/// A line over [`MAX_LINE_LEN`]: its number, length and first bytes.
pub(crate) struct TooLong<'a> {
    /// The line number (from 1).
    pub(crate) line: usize,
    /// Its length in bytes, without the line ending.
    pub(crate) len: usize,
    /// Its first bytes as text (invalid UTF-8 escaped), to echo.
    pub(crate) prefix: &'a str,
}

impl std::fmt::Display for TooLong<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "line {} is {} bytes long, over the limit of {MAX_LINE_LEN} bytes (a url is at most \
             {MAX_INPUT_LEN}); it was skipped: give one url per line",
            self.line, self.len
        )
    }
}

/// Calls `each` for every input of a command: each argument (as bytes), or
/// when there are none each non-blank line of standard input as it is
/// read. `out` is flushed before a read that would wait for more input.
///
/// # Errors
///
/// The first error of `each`, or a read error of standard input (naming
/// the line).
pub(crate) fn for_each_input<W: Write>(
    args: Vec<OsString>,
    out: &mut W,
    mut each: impl FnMut(Input<'_>, &mut W) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    if !args.is_empty() {
        for arg in &args {
            let text = escape_invalid_utf8(arg.as_encoded_bytes());
            each(Input::Url(&text), out)?;
        }
        return Ok(());
    }
    let mut lines = LineReader::new(io::stdin().lock(), MAX_LINE_LEN);
    loop {
        let number = lines.number() + 1;
        let line = lines
            .next_line(|| out.flush())
            .with_context(|| format!("reading standard input, line {number}"))?;
        let Some(line) = line else {
            return Ok(());
        };
        match line {
            Line::Text(bytes) => {
                if bytes.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                let text = escape_invalid_utf8(bytes);
                each(Input::Url(&text), out)?;
            }
            Line::TooLong {
                number,
                len,
                prefix,
            } => {
                let prefix = escape_invalid_utf8(prefix);
                let too_long = TooLong {
                    line: number,
                    len,
                    prefix: &prefix,
                };
                each(Input::TooLong(too_long), out)?;
            }
        }
    }
}

/// One line from a [`LineReader`], without its `\n` or `\r\n`.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Line<'a> {
    /// A line of at most the reader's cap.
    Text(&'a [u8]),
    /// A line over the cap: its number, length and first bytes (the rest
    /// was discarded as it was read).
    TooLong {
        /// The line number (from 1).
        number: usize,
        /// Its length in bytes, without the line ending.
        len: usize,
        /// Its first bytes (at most [`KEPT_PREFIX`]).
        prefix: &'a [u8],
    },
}

/// Reads lines of bytes through a fixed buffer, holding at most `max`
/// bytes of a line: memory is bounded whatever the input.
pub(crate) struct LineReader<R> {
    reader: BufReader<R>,
    line: Vec<u8>,
    max: usize,
    number: usize,
    /// Whether the last line read ended with `\n` (not at the end of the
    /// input).
    terminated: bool,
}

impl<R: Read> LineReader<R> {
    /// A reader of lines of at most `max` bytes from `reader`.
    pub(crate) fn new(reader: R, max: usize) -> Self {
        LineReader {
            reader: BufReader::with_capacity(READ_BUFFER, reader),
            line: Vec::new(),
            max,
            number: 0,
            terminated: false,
        }
    }

    /// How many lines have been read.
    pub(crate) fn number(&self) -> usize {
        self.number
    }

    /// Whether the last line read ended with a line ending (`false` for a
    /// last line the input stopped in the middle of).
    pub(crate) fn terminated(&self) -> bool {
        self.terminated
    }

    /// The next line, or `None` at the end of the input (a last line
    /// without a line ending is a line). `before_wait` runs before every
    /// read that may block because no input is buffered (so that answers
    /// written so far reach a reader that waits for them).
    ///
    /// # Errors
    ///
    /// A read error (an interrupted read is retried), or the error of
    /// `before_wait`.
    pub(crate) fn next_line(
        &mut self,
        mut before_wait: impl FnMut() -> io::Result<()>,
    ) -> io::Result<Option<Line<'_>>> {
        self.line.clear();
        // One byte over the cap is held too: it may be the `\r` of `\r\n`.
        let hold = self.max.saturating_add(1);
        let mut len = 0usize;
        let mut last = None;
        let mut any = false;
        self.terminated = false;
        loop {
            if self.reader.buffer().is_empty() {
                before_wait()?;
            }
            let available = match self.reader.fill_buf() {
                Ok(available) => available,
                Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
                Err(err) => return Err(err),
            };
            if available.is_empty() {
                if !any {
                    return Ok(None);
                }
                break;
            }
            any = true;
            let (chunk, used, end) = match available.iter().position(|&b| b == b'\n') {
                Some(i) => (available.get(..i).unwrap_or_default(), i + 1, true),
                None => (available, available.len(), false),
            };
            if let Some(&b) = chunk.last() {
                last = Some(b);
            }
            len = len.saturating_add(chunk.len());
            let room = if len <= hold {
                chunk.len()
            } else {
                // Over the cap: keep only a prefix to echo.
                let room = KEPT_PREFIX.saturating_sub(self.line.len()).min(chunk.len());
                self.line.truncate(KEPT_PREFIX);
                room
            };
            self.line
                .extend_from_slice(chunk.get(..room).unwrap_or_default());
            self.reader.consume(used);
            if end {
                self.terminated = true;
                break;
            }
        }
        self.number += 1;
        // `\r\n`: the `\r` is part of the line ending, not of the line.
        if last == Some(b'\r') {
            len -= 1;
            if self.line.len() > len {
                self.line.truncate(len);
            }
        }
        if len > self.max {
            self.line.truncate(KEPT_PREFIX);
            return Ok(Some(Line::TooLong {
                number: self.number,
                len,
                prefix: &self.line,
            }));
        }
        Ok(Some(Line::Text(&self.line)))
    }
}

/// Whether an error chain ends in a broken pipe (the reader went away:
/// `esafety classify | head` is not a failure).
pub(crate) fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// `--policy` and `--bundle`: what every deciding command loads.
#[derive(clap::Args, Debug)]
pub(crate) struct EngineArgs {
    /// The policy (TOML or JSON).
    #[arg(long, value_name = "POLICY")]
    pub(crate) policy: PathBuf,
    /// A compiled bundle (default: the built-in sample bundle).
    #[arg(long, value_name = "BUNDLE")]
    pub(crate) bundle: Option<PathBuf>,
    /// Load the bundle and the policy only if BUNDLE.sig and POLICY.sig are
    /// their signatures by this public key (`esafety keygen`).
    #[arg(long, value_name = "PUBLIC_KEY")]
    pub(crate) verify: Option<PathBuf>,
}

impl EngineArgs {
    /// Reads the policy and the bundle (default: the built-in sample
    /// bundle) into an engine; with `--verify`, only if both are signed by
    /// that key.
    pub(crate) fn load(&self) -> anyhow::Result<esafety::policy::Engine> {
        let source = self.policy.display().to_string();
        let text = read_document(&self.policy)
            .with_context(|| format!("cannot read policy `{source}`"))?;
        if let Some(key) = &self.verify {
            let key = crate::cmd::sign::read_public_key(key)?;
            crate::cmd::sign::verify_file(&self.policy, text.as_bytes(), &key)?;
        }
        let policy = esafety::policy::Policy::load(&source, &text)?;
        let bundle =
            crate::cmd::classify::load_bundle(self.bundle.as_deref(), self.verify.as_deref())?;
        Ok(esafety::policy::Engine::new(bundle, policy))
    }
}

/// `--group`, `--age`, `--device`: who is asking.
#[derive(clap::Args, Debug)]
pub(crate) struct UserArgs {
    /// The user's group, e.g. `pupils` or `staff`.
    #[arg(long, value_name = "G")]
    pub(crate) group: Option<String>,
    /// The user's age in years.
    #[arg(long, value_name = "N", value_parser = parse_age)]
    pub(crate) age: Option<u8>,
    /// The kind of device.
    #[arg(long, value_name = "managed|byod", value_parser = parse_device)]
    pub(crate) device: Option<esafety::policy::Device>,
}

impl UserArgs {
    /// The decision context for a request made at `time`.
    pub(crate) fn context(&self, time: jiff::Timestamp) -> esafety::policy::Context<'_> {
        esafety::policy::Context {
            group: self.group.as_deref(),
            age: self.age,
            device: self.device,
            time,
        }
    }
}

// The user's values are read by the core's request validator, so `--age`,
// `--device` and `--at` are refused with the words every face uses.

/// Parses `--age N`.
fn parse_age(s: &str) -> Result<u8, String> {
    let years = s.trim().parse::<i64>().map_err(|_| {
        esafety::policy::RequestError::Age {
            given: format!("`{}`", esafety::policy::echo_prefix(s)),
        }
        .to_string()
    })?;
    esafety::policy::context::age_from_years(years).map_err(|e| e.to_string())
}

/// Parses `--device managed|byod`.
pub(crate) fn parse_device(s: &str) -> Result<esafety::policy::Device, String> {
    esafety::policy::context::device_from_name(s).map_err(|e| e.to_string())
}

/// Parses `--at RFC3339`.
pub(crate) fn parse_time(s: &str) -> Result<jiff::Timestamp, String> {
    esafety::policy::context::time_from_rfc3339(s).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every line of `input` through a [`LineReader`] of cap `max`, as
    /// text (`TooLong(number, len, prefix)` for an over-long line).
    fn read_all(input: &[u8], max: usize) -> Vec<String> {
        let mut reader = LineReader::new(input, max);
        let mut lines = Vec::new();
        while let Some(line) = reader.next_line(|| Ok(())).unwrap() {
            lines.push(match line {
                Line::Text(bytes) => escape_invalid_utf8(bytes).into_owned(),
                Line::TooLong {
                    number,
                    len,
                    prefix,
                } => {
                    format!("TooLong({number}, {len}, {})", escape_invalid_utf8(prefix))
                }
            });
        }
        lines
    }

    #[test]
    fn url_lines_are_bytes_with_invalid_utf8_escaped() {
        let input: &[u8] = b"http://a.test/\xff\r\n\nhttp://b.test/\xc3\xa9\nlast";
        assert_eq!(
            read_all(input, 100),
            ["http://a.test/%FF", "", "http://b.test/\u{e9}", "last"]
        );
    }

    #[test]
    fn line_cap() {
        // (name, input, cap, lines)
        let cases: &[(&str, &[u8], usize, &[&str])] = &[
            ("at the cap", b"abcd\nx\n", 4, &["abcd", "x"]),
            ("at the cap with cr", b"abcd\r\nx", 4, &["abcd", "x"]),
            (
                "over the cap",
                b"abcde\nx\n",
                4,
                &["TooLong(1, 5, abcde)", "x"],
            ),
            (
                "over, last line",
                b"x\nabcdef",
                4,
                &["x", "TooLong(2, 6, abcdef)"],
            ),
            ("cr is no part of the line", b"abcd\r\n", 4, &["abcd"]),
            ("over with cr", b"abcde\r\n", 4, &["TooLong(1, 5, abcde)"]),
            (
                "over with cr, long",
                b"abcdefgh\r\n",
                4,
                &["TooLong(1, 8, abcdefgh)"],
            ),
            ("empty lines", b"\n\n", 4, &["", ""]),
            ("no input", b"", 4, &[]),
        ];
        for &(name, input, max, want) in cases {
            assert_eq!(read_all(input, max), want, "{name}");
        }
    }

    #[test]
    fn an_over_long_line_keeps_only_a_prefix() {
        // Longer than the read buffer, so it arrives in many reads.
        let mut input = vec![b'a'; 5 * READ_BUFFER];
        input.extend_from_slice(b"\nnext\n");
        let mut reader = LineReader::new(input.as_slice(), 1000);
        match reader.next_line(|| Ok(())).unwrap() {
            Some(Line::TooLong {
                number,
                len,
                prefix,
            }) => {
                assert_eq!(
                    (number, len, prefix.len()),
                    (1, 5 * READ_BUFFER, KEPT_PREFIX)
                );
            }
            other => panic!("{other:?}"),
        }
        assert!(
            reader.line.capacity() <= 2 * READ_BUFFER,
            "{}",
            reader.line.capacity()
        );
        assert_eq!(
            reader.next_line(|| Ok(())).unwrap(),
            Some(Line::Text(b"next"))
        );
        assert_eq!(reader.next_line(|| Ok(())).unwrap(), None);
    }

    #[test]
    fn waits_are_announced_only_when_nothing_is_buffered() {
        let input: &[u8] = b"a\nb\nc\n";
        let mut reader = LineReader::new(input, 10);
        let mut waits = 0;
        while reader
            .next_line(|| {
                waits += 1;
                Ok(())
            })
            .unwrap()
            .is_some()
        {}
        // One read fills the buffer with all three lines; one more finds
        // the end.
        assert_eq!(waits, 2);
    }
}
