//! Classifying a URL against a bundle.

use std::ffi::c_char;

use esafety::classify::ClassificationReport;

use crate::bundle::esafety_bundle;
use crate::canonicalize::url_in;
use crate::error::esafety_status;
use crate::input::{handle_in, out_ptr};
use crate::panic::ffi_status;
use crate::string::OutString;

/// The fixed-shape result of `esafety_classify`.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct esafety_classification {
    /// The URL's categories as a bitset: test bits with the
    /// `ESAFETY_CATEGORY_*` macros. Bits 32..63 are the bundle's first 32
    /// `local-` categories; a bundle may define more, and
    /// `esafety_classify_categories` gives every one as an index.
    pub categories: u64,
    /// How many list entries matched (the JSON result lists them).
    pub match_count: usize,
}

/// Canonicalizes `url` (`url_len` bytes; bytes that are not UTF-8 read as
/// their `%XX` escapes) and classifies it against
/// `bundle`, writing the categories and the number of matches to `*out`.
///
/// Errors: `NULL_PARAMETER` (`bundle`, `url` or `out` is NULL),
/// `TOO_LARGE`, `INVALID_URL`. On error `*out` is zeroed.
///
/// Thread-safe: any number of threads may classify with one bundle at once.
///
/// # Safety
///
/// `bundle` is NULL or a live bundle; `url` is NULL or points to `url_len`
/// readable bytes; `out` is NULL or points to a writable
/// `esafety_classification`.
#[must_use]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn esafety_classify(
    bundle: *const esafety_bundle,
    url: *const c_char,
    url_len: usize,
    out: *mut esafety_classification,
) -> esafety_status {
    ffi_status!({
        // SAFETY: `out` is NULL or writable (contract).
        let out = unsafe { out_ptr(out, "out") }?;
        *out = esafety_classification::default();
        // SAFETY: `bundle` is NULL or a live bundle (contract).
        let bundle = unsafe { handle_in(bundle, "bundle") }?;
        // SAFETY: `url` is NULL or `url_len` readable bytes (contract).
        let (_, canonical) = unsafe { url_in(url, url_len) }?;
        let c = bundle.classifier.classify(&canonical);
        *out = esafety_classification {
            categories: c.categories.bits(),
            match_count: c.matches.len(),
        };
        Ok(())
    })
}

/// Classifies `url` against `bundle` and returns the report `esafety
/// classify --json` prints, `{"url", "canonical", "categories": [ids],
/// "matches": [{"list", "category", "expression"}]}`, as new JSON text in
/// `*out_json` (length in `*out_len` when not NULL). Free it with
/// `esafety_string_free`. A match on a sensitive list (`child-abuse`,
/// `terrorism`) shows a digest id, never the listed URL.
///
/// Errors: as `esafety_classify`; on error `*out_json` is NULL.
///
/// # Safety
///
/// `bundle` is NULL or a live bundle; `url` is NULL or points to `url_len`
/// readable bytes; `out_json` is NULL or points to a writable `char *`;
/// `out_len` is NULL or points to a writable `size_t`.
#[must_use]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn esafety_classify_json(
    bundle: *const esafety_bundle,
    url: *const c_char,
    url_len: usize,
    out_json: *mut *mut c_char,
    out_len: *mut usize,
) -> esafety_status {
    ffi_status!({
        // SAFETY: `out_json` and `out_len` are NULL or writable (contract).
        let out = unsafe { OutString::new(out_json, out_len) }?;
        // SAFETY: `bundle` is NULL or a live bundle (contract).
        let bundle = unsafe { handle_in(bundle, "bundle") }?;
        // SAFETY: `url` is NULL or `url_len` readable bytes (contract).
        let (text, canonical) = unsafe { url_in(url, url_len) }?;
        let c = bundle.classifier.classify(&canonical);
        out.give_json(&ClassificationReport::new(&text, &canonical, &c))
    })
}
