//! [`LogLines`]: the lines of a decision log, read in place from a bounded
//! buffer.
//!
//! A report reads gigabytes of records and keeps almost nothing of them.
//! Reading each line into a `String` (`BufRead::read_line`) copies every
//! byte once more and ends the whole log at the first byte that is not
//! UTF-8. `LogLines` hands out each line as a slice of its own buffer, so
//! a line is parsed where it was read, and a line that is not text is one
//! bad line like any other (the JSON reader refuses it), never the end of
//! the log. Memory is bounded: a line longer than the cap is skipped and
//! reported as [`LogLine::TooLong`], and the buffer never grows past the
//! cap.

use std::io::{self, Read};

/// The longest log line [`LogLines`] reads by default: 16 MiB (a record
/// holds at most one URL of [`crate::Limits::MAX_URL_LEN`] and its
/// explanations, far less than this).
///
/// ```
/// use esafety::record::{LogLine, LogLines, MAX_LOG_LINE_LEN};
///
/// let long = vec![b'x'; MAX_LOG_LINE_LEN + 1];
/// let mut lines = LogLines::new(&long[..]);
/// assert_eq!(lines.next_line()?, Some((1, LogLine::TooLong { len: MAX_LOG_LINE_LEN + 1 })));
/// # Ok::<(), std::io::Error>(())
/// ```
pub const MAX_LOG_LINE_LEN: usize = 16 * 1024 * 1024;

/// How much is read at a time.
const CHUNK: usize = 1 << 20;

/// One line of a log, without its line ending.
///
/// ```
/// use esafety::record::{LogLine, LogLines};
///
/// let mut lines = LogLines::new(&b"{}\n0123456789\n"[..]).with_max_line_len(4);
/// assert_eq!(lines.next_line()?, Some((1, LogLine::Text(&b"{}"[..]))));
/// assert_eq!(lines.next_line()?, Some((2, LogLine::TooLong { len: 10 })));
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug, PartialEq, Eq)]
pub enum LogLine<'a> {
    /// The line's bytes (a trailing `\r` is kept; JSON reads it as space).
    Text(&'a [u8]),
    /// The line was longer than the cap and was skipped; `len` is its
    /// length in bytes.
    TooLong {
        /// The line's length in bytes.
        len: usize,
    },
}

/// The lines of a log read from `R`, each a slice of one reused buffer.
///
/// ```
/// use esafety::record::{LogLine, LogLines};
///
/// let mut lines = LogLines::new(&b"{\"a\":1}\n\xff\n\nlast"[..]);
/// assert_eq!(lines.next_line()?, Some((1, LogLine::Text(&b"{\"a\":1}"[..]))));
/// assert_eq!(lines.next_line()?, Some((2, LogLine::Text(&b"\xff"[..]))));
/// assert_eq!(lines.next_line()?, Some((3, LogLine::Text(&b""[..]))));
/// assert_eq!(lines.next_line()?, Some((4, LogLine::Text(&b"last"[..]))));
/// assert_eq!(lines.next_line()?, None);
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug)]
pub struct LogLines<R> {
    reader: R,
    buf: Vec<u8>,
    /// Where the next line starts in `buf`.
    start: usize,
    /// Where the bytes read end in `buf`.
    end: usize,
    /// Where the search for the next `\n` goes on (bytes before it, from
    /// `start`, hold none).
    searched: usize,
    /// The 1-based number of the last line handed out.
    number: usize,
    eof: bool,
    max_line_len: usize,
}

impl<R: Read> LogLines<R> {
    /// Lines of `reader`, each at most [`MAX_LOG_LINE_LEN`] bytes.
    ///
    /// ```
    /// use esafety::record::LogLines;
    ///
    /// let mut lines = LogLines::new(&b"one\ntwo\n"[..]);
    /// assert!(lines.next_line()?.is_some());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn new(reader: R) -> LogLines<R> {
        LogLines {
            reader,
            buf: Vec::new(),
            start: 0,
            end: 0,
            searched: 0,
            number: 0,
            eof: false,
            max_line_len: MAX_LOG_LINE_LEN,
        }
    }

    /// The same, with lines longer than `max` bytes skipped and reported
    /// as [`LogLine::TooLong`] (at least 1 byte).
    ///
    /// ```
    /// use esafety::record::{LogLine, LogLines};
    ///
    /// let mut lines = LogLines::new(&b"short\nmuch too long\nok"[..]).with_max_line_len(5);
    /// assert_eq!(lines.next_line()?, Some((1, LogLine::Text(&b"short"[..]))));
    /// assert_eq!(lines.next_line()?, Some((2, LogLine::TooLong { len: 13 })));
    /// assert_eq!(lines.next_line()?, Some((3, LogLine::Text(&b"ok"[..]))));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    #[must_use]
    pub fn with_max_line_len(mut self, max: usize) -> LogLines<R> {
        self.max_line_len = max.max(1);
        self
    }

    /// The next line and its 1-based number, `None` at the end of the log,
    /// or the error of the reader. A last line without a line ending is a
    /// line.
    ///
    /// ```
    /// use esafety::record::{LogLine, LogLines};
    ///
    /// let mut lines = LogLines::new(&b"a\r\nb"[..]);
    /// assert_eq!(lines.next_line()?, Some((1, LogLine::Text(&b"a\r"[..]))));
    /// assert_eq!(lines.next_line()?, Some((2, LogLine::Text(&b"b"[..]))));
    /// assert_eq!(lines.next_line()?, None);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn next_line(&mut self) -> io::Result<Option<(usize, LogLine<'_>)>> {
        // Bytes of an over-long line already thrown away.
        let mut skipped = 0usize;
        loop {
            let pending = self.buf.get(self.searched..self.end).unwrap_or_default();
            if let Some(at) = memchr::memchr(b'\n', pending) {
                let newline = self.searched + at;
                return Ok(Some(self.hand_out(newline, newline + 1, skipped)));
            }
            self.searched = self.end;
            if self.eof {
                if self.start == self.end && skipped == 0 {
                    return Ok(None);
                }
                return Ok(Some(self.hand_out(self.end, self.end, skipped)));
            }
            // No line ending in what is buffered: make room and read more.
            let partial = self.end - self.start;
            if partial > self.max_line_len {
                // The line is over the cap: drop what is held of it and
                // read on to its end.
                skipped += partial;
                self.start = 0;
                self.end = 0;
                self.searched = 0;
            } else if self.start > 0 {
                self.buf.copy_within(self.start..self.end, 0);
                self.end = partial;
                self.start = 0;
                self.searched = partial;
            }
            if self.end == self.buf.len() {
                let grown = (self.buf.len() * 2)
                    .max(CHUNK)
                    .min(self.max_line_len.saturating_add(CHUNK));
                self.buf.resize(grown.max(self.end + 1), 0);
            }
            let room = self.buf.get_mut(self.end..).unwrap_or_default();
            match self.reader.read(room) {
                Ok(0) => self.eof = true,
                Ok(n) => self.end += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }
}

impl<R> LogLines<R> {
    /// Hands out the line from `start` to `end` (with `skipped` bytes of it
    /// already thrown away) and goes on at `next`.
    fn hand_out(&mut self, end: usize, next: usize, skipped: usize) -> (usize, LogLine<'_>) {
        let start = self.start;
        self.start = next;
        self.searched = next;
        self.number += 1;
        let len = skipped + (end - start);
        if skipped > 0 || len > self.max_line_len {
            return (self.number, LogLine::TooLong { len });
        }
        let line = self.buf.get(start..end).unwrap_or_default();
        (self.number, LogLine::Text(line))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that hands out at most `step` bytes per read.
    struct Trickle<'a> {
        data: &'a [u8],
        step: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            let n = self.step.min(out.len()).min(self.data.len());
            let (now, rest) = self.data.split_at(n);
            out[..n].copy_from_slice(now);
            self.data = rest;
            Ok(n)
        }
    }

    /// Every line, as owned text for comparison.
    fn all(mut lines: LogLines<impl Read>) -> Vec<(usize, Result<Vec<u8>, usize>)> {
        let mut out = Vec::new();
        while let Some((n, line)) = lines.next_line().unwrap() {
            out.push((
                n,
                match line {
                    LogLine::Text(t) => Ok(t.to_vec()),
                    LogLine::TooLong { len } => Err(len),
                },
            ));
        }
        out
    }

    /// The reference: split on `\n`, a trailing empty piece dropped.
    fn oracle(data: &[u8], max: usize) -> Vec<(usize, Result<Vec<u8>, usize>)> {
        let mut pieces: Vec<&[u8]> = data.split(|b| *b == b'\n').collect();
        if pieces.last().is_some_and(|p| p.is_empty()) {
            pieces.pop();
        }
        pieces
            .into_iter()
            .enumerate()
            .map(|(i, p)| {
                (
                    i + 1,
                    if p.len() > max {
                        Err(p.len())
                    } else {
                        Ok(p.to_vec())
                    },
                )
            })
            .collect()
    }

    #[test]
    fn named_cases() {
        let cases: &[(&str, &[u8], usize)] = &[
            ("empty log", b"", 8),
            ("one line with its ending", b"abc\n", 8),
            ("one line without", b"abc", 8),
            ("empty lines", b"\n\n\n", 8),
            ("not utf-8 is a line like any other", b"\xff\xfe\n{}\n", 8),
            ("line at the cap", b"12345678\nx", 8),
            ("line one over the cap", b"123456789\nx", 8),
            ("over-long last line", b"x\n123456789", 8),
            (
                "over-long first line then short",
                b"aaaaaaaaaaaaaaaaaaaaaaaa\nb\n",
                8,
            ),
        ];
        for (name, data, max) in cases {
            for step in [1, 2, 3, 7, 4096] {
                let got = all(LogLines::new(Trickle { data, step }).with_max_line_len(*max));
                assert_eq!(got, oracle(data, *max), "{name}, {step}-byte reads");
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn lines_are_the_split_of_the_log(
            data in proptest::collection::vec(proptest::sample::select(vec![b'a', b'\n', b'\r', 0xff]), 0..300),
            step in 1usize..40,
            max in 1usize..30,
        ) {
            let got = all(LogLines::new(Trickle { data: &data, step }).with_max_line_len(max));
            proptest::prop_assert_eq!(got, oracle(&data, max));
        }
    }
}
