//! Scanning text against e2guardian phrase lists (`esafety::content`): a
//! scanner built once from list files, whole texts, and texts that arrive
//! in pieces.

use std::ffi::c_char;

use esafety::content::{
    ContentMatches, ContentStream, PhraseList, PhraseOptions, Scanner, ScannerBuilder, Verdict,
};

use crate::error::{Failure, esafety_status};
use crate::input::{bytes_in, handle_in, out_ptr, path_in};
use crate::panic::ffi_status;
use crate::string::OutString;

/// The most text one `esafety_scan` or `esafety_scan_stream_feed` call
/// takes, in bytes (1 GiB); a stream takes any number of pieces.
pub const ESAFETY_MAX_SCAN_LEN: usize = 1_073_741_824;

/// The most phrase-list files one scanner is built from.
pub const ESAFETY_MAX_PHRASE_LISTS: usize = 4_096;

/// Block or allow. Zero is `ESAFETY_VERDICT_BLOCK`: a result that was
/// never written (a zeroed struct) blocks, never allows.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum esafety_verdict {
    /// Over the limit, or a banned phrase (or an error).
    Block = 0,
    /// Within the limit, or an exception phrase.
    Allow = 1,
}

/// The fixed-shape result of a scan. It owns nothing.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct esafety_scan_result {
    /// Block or allow (an `esafety_verdict` value).
    pub verdict: esafety_verdict,
    /// e2guardian's score (the naughtiness it logs): the highest positive
    /// total of a pass, or if none is positive the lowest negative one.
    pub score: i64,
    /// The limit judged against.
    pub limit: u32,
}

impl esafety_scan_result {
    /// What `*out_result` holds until a scan succeeds: block.
    const ERROR: esafety_scan_result = esafety_scan_result {
        verdict: esafety_verdict::Block,
        score: 0,
        limit: 0,
    };
}

/// A phrase scanner: e2guardian's exception, banned and weighted phrase
/// lists compiled once. Immutable and thread-safe: any number of threads
/// may scan with one scanner at once.
pub struct esafety_scanner {
    scanner: Scanner,
}

impl esafety_scanner {
    /// The core's scanner.
    pub(crate) fn scanner(&self) -> &Scanner {
        &self.scanner
    }
}

/// A text being scanned in pieces (`esafety_scan_stream_new`). One thread
/// at a time.
pub struct esafety_scan_stream {
    stream: ContentStream,
}

/// Builds a scanner from `paths_len` phrase-list files (NUL-terminated
/// paths) as e2guardian reads them, with e2guardian's default options
/// (both passes, case folded, each phrase once per pass). A file whose
/// name starts with `exception` is an exception list, `banned` a banned
/// list, any other a weighted list; `.Include<path>` lines are read from
/// the file system.
///
/// On success `*out` is a new scanner to free with `esafety_scanner_free`;
/// on failure it is NULL. Errors: `NULL_PARAMETER` (`paths`, one of them,
/// or `out`), `INVALID_PARAMETER` (no paths, or more than
/// `ESAFETY_MAX_PHRASE_LISTS`), `TOO_LARGE` (a path over
/// `ESAFETY_MAX_PATH_LEN`), `IO` (a file or an include cannot be read),
/// `INVALID_PHRASES` (a list esafety refuses: the message names file and
/// line).
///
/// # Safety
///
/// `paths` is NULL or points to `paths_len` pointers, each NULL or a
/// NUL-terminated string; `out` is NULL or points to a writable
/// `esafety_scanner *`.
#[must_use]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn esafety_scanner_new(
    paths: *const *const c_char,
    paths_len: usize,
    out: *mut *mut esafety_scanner,
) -> esafety_status {
    ffi_status!({
        // SAFETY: `out` is NULL or writable (contract).
        let out = unsafe { out_ptr(out, "out") }?;
        *out = std::ptr::null_mut();
        if paths_len == 0 || paths_len > ESAFETY_MAX_PHRASE_LISTS {
            return Err(Failure::new(
                esafety_status::InvalidParameter,
                format!(
                    "`paths_len` is {paths_len}; pass from 1 to {ESAFETY_MAX_PHRASE_LISTS} phrase-list files"
                ),
            ));
        }
        if paths.is_null() {
            return Err(Failure::new(
                esafety_status::NullParameter,
                "`paths` is NULL; pass an array of NUL-terminated paths",
            ));
        }
        let mut builder = ScannerBuilder::new();
        let options = PhraseOptions::new();
        for i in 0..paths_len {
            // SAFETY: `i < paths_len` and `paths` points to `paths_len`
            // readable pointers (contract).
            let ptr = unsafe { *paths.add(i) };
            // SAFETY: each path is NULL or NUL-terminated (contract).
            let path = unsafe { path_in(ptr, "paths[i]") }?;
            // Core's loader: regular files within `max_list_file_len` (a
            // FIFO or a device is refused, never waited on or read), the
            // kind from the file name, includes followed.
            let list = PhraseList::read_file(path, &options, &esafety::Limits::DEFAULT)
                .map_err(|e| Failure::from_error(e.code().into(), &e))?;
            builder.add_list(list);
        }
        let scanner = builder
            .build()
            .map_err(|e| Failure::from_error(e.code().into(), &e))?;
        *out = Box::into_raw(Box::new(esafety_scanner { scanner }));
        Ok(())
    })
}

/// Frees a scanner. NULL is ignored. Streams made from it stay usable.
///
/// # Safety
///
/// `scanner` is NULL or a pointer from `esafety_scanner_new` not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn esafety_scanner_free(scanner: *mut esafety_scanner) {
    crate::panic::ffi_boundary!((), {
        if !scanner.is_null() {
            // SAFETY: a live pointer from `Box::into_raw` (contract).
            drop(unsafe { Box::from_raw(scanner) });
        }
    });
}

/// Judges what a scan found: the fixed result, and the JSON report
/// `esafety scan --json` prints when `out_json` is not NULL.
fn give(
    matches: &ContentMatches,
    limit: u32,
    result: &mut esafety_scan_result,
    json: Option<OutString<'_>>,
) -> Result<(), Failure> {
    let score = matches.judge(limit);
    if let Some(json) = json {
        json.give_json(&score)?;
    }
    *result = esafety_scan_result {
        verdict: match score.verdict {
            Verdict::Allow => esafety_verdict::Allow,
            Verdict::Block => esafety_verdict::Block,
        },
        score: score.score,
        limit,
    };
    Ok(())
}

/// The optional JSON output of a scan: nothing when `out_json` is NULL.
///
/// # Safety
///
/// As [`OutString::new`].
unsafe fn json_out<'a>(
    out_json: *mut *mut c_char,
    out_len: *mut usize,
) -> Result<Option<OutString<'a>>, Failure> {
    if out_json.is_null() {
        return Ok(None);
    }
    // SAFETY: forwarded from this function's contract.
    unsafe { OutString::new(out_json, out_len) }.map(Some)
}

/// Scans `text_len` bytes of text (a page body as it came, any encoding)
/// and judges it against `limit` (e2guardian's naughtiness limit: 50 young
/// children, 100 older children, 160 young adults).
///
/// `*out_result` is set to block before anything else, so every error
/// leaves a block there. When `out_json` is not NULL it receives the
/// report `esafety scan --json` prints, `{"score", "verdict", "reason",
/// "limit", "pass", "categories", "hits": [{"phrase", "weight", "count",
/// ...}]}` (length in `*out_len` when not NULL; free it with
/// `esafety_string_free`). Errors: `NULL_PARAMETER` (`scanner`, `text` or
/// `out_result`), `TOO_LARGE` (over `ESAFETY_MAX_SCAN_LEN`).
///
/// # Safety
///
/// `scanner` is NULL or a live scanner; `text` is NULL or points to
/// `text_len` readable bytes; `out_result` is NULL or writable; `out_json`
/// is NULL or points to a writable `char *`; `out_len` is NULL or points
/// to a writable `size_t`.
#[must_use]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn esafety_scan(
    scanner: *const esafety_scanner,
    text: *const u8,
    text_len: usize,
    limit: u32,
    out_result: *mut esafety_scan_result,
    out_json: *mut *mut c_char,
    out_len: *mut usize,
) -> esafety_status {
    ffi_status!({
        // SAFETY: `out_result` is NULL or writable (contract).
        let result = unsafe { out_ptr(out_result, "out_result") }?;
        *result = esafety_scan_result::ERROR;
        // SAFETY: `out_json` and `out_len` are NULL or writable (contract).
        let json = unsafe { json_out(out_json, out_len) }?;
        // SAFETY: `scanner` is NULL or live (contract).
        let scanner = unsafe { handle_in(scanner, "scanner") }?;
        // SAFETY: `text` is NULL or `text_len` readable bytes (contract).
        let text = unsafe { bytes_in(text, text_len, "text", ESAFETY_MAX_SCAN_LEN) }?;
        give(&scanner.scanner.scan(text), limit, result, json)
    })
}

/// Starts a text that arrives in pieces (a proxied body): feed it with
/// `esafety_scan_stream_feed`, judge it with `esafety_scan_stream_finish`.
/// A phrase split between pieces counts as in the whole text; the result
/// is the one `esafety_scan` gives for the pieces joined.
///
/// On success `*out` is a new stream (free it with
/// `esafety_scan_stream_finish` or `esafety_scan_stream_free`); on failure
/// NULL. Errors: `NULL_PARAMETER`.
///
/// # Safety
///
/// `scanner` is NULL or a live scanner; `out` is NULL or points to a
/// writable `esafety_scan_stream *`.
#[must_use]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn esafety_scan_stream_new(
    scanner: *const esafety_scanner,
    out: *mut *mut esafety_scan_stream,
) -> esafety_status {
    ffi_status!({
        // SAFETY: `out` is NULL or writable (contract).
        let out = unsafe { out_ptr(out, "out") }?;
        *out = std::ptr::null_mut();
        // SAFETY: `scanner` is NULL or live (contract).
        let scanner = unsafe { handle_in(scanner, "scanner") }?;
        *out = Box::into_raw(Box::new(esafety_scan_stream {
            stream: scanner.scanner.stream(),
        }));
        Ok(())
    })
}

/// Scans the next `len` bytes of a stream's text. Errors:
/// `NULL_PARAMETER`, `TOO_LARGE` (one piece over `ESAFETY_MAX_SCAN_LEN`).
///
/// # Safety
///
/// `stream` is NULL or a live stream not used by another thread at once;
/// `bytes` is NULL or points to `len` readable bytes.
#[must_use]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn esafety_scan_stream_feed(
    stream: *mut esafety_scan_stream,
    bytes: *const u8,
    len: usize,
) -> esafety_status {
    ffi_status!({
        // SAFETY: `stream` is NULL or live and not shared (contract).
        let stream = unsafe { out_ptr(stream, "stream") }?;
        // SAFETY: `bytes` is NULL or `len` readable bytes (contract).
        let bytes = unsafe { bytes_in(bytes, len, "bytes", ESAFETY_MAX_SCAN_LEN) }?;
        stream.stream.feed(bytes);
        Ok(())
    })
}

/// Ends a stream, frees it, and judges its text against `limit`, as
/// `esafety_scan` does (same outputs, same fail-closed `*out_result`). The
/// stream is freed whatever the status, except when it is NULL.
///
/// # Safety
///
/// `stream` is NULL or a live stream, not used again after this call;
/// the outputs as for `esafety_scan`.
#[must_use]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn esafety_scan_stream_finish(
    stream: *mut esafety_scan_stream,
    limit: u32,
    out_result: *mut esafety_scan_result,
    out_json: *mut *mut c_char,
    out_len: *mut usize,
) -> esafety_status {
    ffi_status!({
        let owned = if stream.is_null() {
            None
        } else {
            // SAFETY: a live pointer from `Box::into_raw`, never used
            // again (contract).
            Some(unsafe { Box::from_raw(stream) })
        };
        // SAFETY: `out_result` is NULL or writable (contract).
        let result = unsafe { out_ptr(out_result, "out_result") }?;
        *result = esafety_scan_result::ERROR;
        // SAFETY: `out_json` and `out_len` are NULL or writable (contract).
        let json = unsafe { json_out(out_json, out_len) }?;
        let Some(owned) = owned else {
            return Err(Failure::new(
                esafety_status::NullParameter,
                "`stream` is NULL; pass a stream from `esafety_scan_stream_new`",
            ));
        };
        give(&owned.stream.finish(), limit, result, json)
    })
}

/// Frees a stream without judging it. NULL is ignored.
///
/// # Safety
///
/// `stream` is NULL or a live stream, not used again after this call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn esafety_scan_stream_free(stream: *mut esafety_scan_stream) {
    crate::panic::ffi_boundary!((), {
        if !stream.is_null() {
            // SAFETY: a live pointer from `Box::into_raw` (contract).
            drop(unsafe { Box::from_raw(stream) });
        }
    });
}

/// Decides a request like `esafety_decide_json`, with its content scored
/// by `scanner` for the policy's and its rules' `content_limit`s: the page
/// text `page` (`page_len` bytes, any encoding; NULL: no page text, only
/// the URL) and the URL's search terms, both as e2guardian scores them.
/// The report has `"content": [{"source": "page"|"search-terms", "score",
/// "limit", "crossed", "explanation", "categories", "phrases"}]`. All the
/// deciding is the core's (`Engine::check_with_content`).
///
/// Errors: as `esafety_decide_json`, and `NULL_PARAMETER` (`scanner`),
/// `TOO_LARGE` (`page` over `ESAFETY_MAX_SCAN_LEN`). Fail closed: on an
/// error that leaves the output pointers usable, `*out_json` is the core's
/// error report (`"action":"block"`, `"rule":"error"`).
///
/// # Safety
///
/// As `esafety_decide_json`, with `scanner` NULL or a live scanner and
/// `page` NULL or pointing to `page_len` readable bytes.
#[must_use]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn esafety_decide_content_json(
    engine: *const crate::engine::esafety_engine,
    request: *const crate::decide::esafety_request,
    scanner: *const esafety_scanner,
    page: *const u8,
    page_len: usize,
    out_json: *mut *mut c_char,
    out_len: *mut usize,
) -> esafety_status {
    ffi_status!({
        // SAFETY: `out_json` and `out_len` are NULL or writable (contract).
        let out = unsafe { OutString::new(out_json, out_len) }?;
        let decided = (|| {
            // SAFETY: `engine` is NULL or a live engine (contract).
            let engine = unsafe { handle_in(engine, "engine") }?;
            // SAFETY: `scanner` is NULL or live (contract).
            let scanner = unsafe { handle_in(scanner, "scanner") }?;
            // SAFETY: `request` is NULL or readable (contract).
            let (text, context) = unsafe { crate::decide::read_request(request) }?;
            let page = if page.is_null() {
                None
            } else {
                // SAFETY: `page` is `page_len` readable bytes (contract).
                let bytes = unsafe { bytes_in(page, page_len, "page", ESAFETY_MAX_SCAN_LEN) }?;
                Some(scanner.scanner.scan(bytes))
            };
            engine
                .engine
                .check_with_content(&text, context, &scanner.scanner, page.as_ref())
                .map_err(|e| match e {
                    esafety::policy::EngineError::Url(u) => {
                        Failure::from_error(u.code().into(), &u)
                    }
                    other => Failure::new(esafety_status::InvalidUrl, other.to_string()),
                })
        })();
        match decided {
            Ok(report) => out.give_json(&report),
            Err(failure) => {
                out.give_json(&esafety::policy::DecisionReport::error(
                    "",
                    &failure.message,
                ))?;
                Err(failure)
            }
        }
    })
}
