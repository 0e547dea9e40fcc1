//! Safe Browsing URL canonicalization.

use std::borrow::Cow;
use std::ffi::c_char;

use esafety::url::{CanonicalUrl, CanonicalizeReport};

use crate::error::{Failure, esafety_status};
use crate::input::url_text_in;
use crate::panic::ffi_status;
use crate::string::OutString;

/// Reads and canonicalizes a required URL argument; the text returned is
/// the URL with any bytes that are not UTF-8 written `%XX`.
///
/// # Safety
///
/// `url` is NULL or points to `url_len` readable bytes.
pub(crate) unsafe fn url_in<'a>(
    url: *const c_char,
    url_len: usize,
) -> Result<(Cow<'a, str>, CanonicalUrl), Failure> {
    // SAFETY: forwarded from this function's contract.
    let text = unsafe { url_text_in(url, url_len) }?;
    let canonical =
        CanonicalUrl::parse(&text).map_err(|e| Failure::from_error(e.code().into(), &e))?;
    Ok((text, canonical))
}

/// Canonicalizes `url` (`url_len` bytes; a byte that is not part of valid
/// UTF-8 reads as its `%XX` escape, as on the wire) the Safe Browsing way and
/// returns the canonical URL as a new NUL-terminated string in `*out`
/// (its length, without the NUL, in `*out_len` when that is not NULL).
/// Free it with `esafety_string_free`.
///
/// Errors: `NULL_PARAMETER` (`url` or `out` is NULL), `TOO_LARGE` (over
/// `ESAFETY_MAX_URL_LEN`), `INVALID_URL` (empty, an
/// unsupported scheme such as `javascript:`, a bad host or port). On error
/// `*out` is NULL.
///
/// # Safety
///
/// `url` is NULL or points to `url_len` readable bytes; `out` is NULL or
/// points to a writable `char *`; `out_len` is NULL or points to a writable
/// `size_t`.
#[must_use]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn esafety_canonicalize(
    url: *const c_char,
    url_len: usize,
    out: *mut *mut c_char,
    out_len: *mut usize,
) -> esafety_status {
    ffi_status!({
        // SAFETY: `out` and `out_len` are NULL or writable (contract).
        let out = unsafe { OutString::new(out, out_len) }?;
        // SAFETY: `url` is NULL or `url_len` readable bytes (contract).
        let (_, canonical) = unsafe { url_in(url, url_len) }?;
        out.give(canonical.as_str().to_owned())
    })
}

/// Canonicalizes `url` and returns the report `esafety canonicalize --json`
/// prints, `{"input", "canonical", "expressions": [..]}`, as new JSON text
/// in `*out_json` (length in `*out_len` when not NULL). Free it with
/// `esafety_string_free`.
///
/// Errors: as `esafety_canonicalize`.
///
/// # Safety
///
/// As `esafety_canonicalize`.
#[must_use]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn esafety_canonicalize_json(
    url: *const c_char,
    url_len: usize,
    out_json: *mut *mut c_char,
    out_len: *mut usize,
) -> esafety_status {
    ffi_status!({
        // SAFETY: `out_json` and `out_len` are NULL or writable (contract).
        let out = unsafe { OutString::new(out_json, out_len) }?;
        // SAFETY: `url` is NULL or `url_len` readable bytes (contract).
        let (text, canonical) = unsafe { url_in(url, url_len) }?;
        out.give_json(&CanonicalizeReport::new(&text, &canonical))
    })
}
