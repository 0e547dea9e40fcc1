//! `esafety_policy`: a loaded, validated Acceptable Use Policy.

use std::ffi::c_char;

use esafety::policy::Policy;

use crate::error::{Failure, esafety_status};
use crate::input::{ESAFETY_MAX_POLICY_LEN, out_ptr, path_in, str_in};
use crate::panic::ffi_status;

/// An Acceptable Use Policy (TOML or JSON), loaded and validated.
///
/// Immutable and thread-safe: one policy may be used from any number of
/// threads at once. An engine made from it keeps its own reference, so the
/// policy may be freed (`esafety_policy_free`) right after
/// `esafety_engine_new`.
pub struct esafety_policy {
    pub(crate) policy: Policy,
}

/// The name policy text passed as bytes has in error messages.
pub(crate) const TEXT_SOURCE: &str = "<policy>";

fn load(source: &str, text: &str, out: &mut *mut esafety_policy) -> Result<(), Failure> {
    let policy =
        Policy::load(source, text).map_err(|e| Failure::from_error(e.code().into(), &e))?;
    *out = Box::into_raw(Box::new(esafety_policy { policy }));
    Ok(())
}

/// Reads a policy file as UTF-8 text with core's opener: a regular file of
/// at most `limits.max_document_len` bytes (a device, FIFO or directory is
/// refused at once).
pub(crate) fn read_policy_file(
    path: &std::path::Path,
    limits: &esafety::Limits,
) -> Result<String, Failure> {
    let bytes = esafety::file::read_regular_file(path, esafety::limits::Limit::DocumentLen, limits)
        .map_err(|e| crate::bundle::file_failure("policy", path, &e))?;
    String::from_utf8(bytes).map_err(|e| {
        Failure::new(
            esafety_status::InvalidUtf8,
            format!(
                "policy `{}` is not valid UTF-8 at byte {}; save it as UTF-8",
                path.display(),
                e.utf8_error().valid_up_to()
            ),
        )
    })
}

/// Loads a policy from `len` bytes of UTF-8 text at `text`: TOML, or JSON
/// when the text starts with `{`. The text is not kept: the caller's buffer
/// may be freed as soon as this returns.
///
/// On success `*out` is a new policy to free with `esafety_policy_free`;
/// on failure it is NULL and the last error names the line and column and
/// what is wrong. Errors: `NULL_PARAMETER`, `TOO_LARGE` (over
/// `ESAFETY_MAX_POLICY_LEN`), `INVALID_UTF8`, `INVALID_POLICY` (syntax,
/// unknown or missing field, bad value, or a rule that tries to allow
/// `child-abuse` or `terrorism`).
///
/// # Safety
///
/// `text` is NULL or points to `len` readable bytes; `out` is NULL or
/// points to a writable `esafety_policy *`.
#[must_use]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn esafety_policy_from_text(
    text: *const c_char,
    len: usize,
    out: *mut *mut esafety_policy,
) -> esafety_status {
    ffi_status!({
        // SAFETY: `out` is NULL or a writable pointer (contract).
        let out = unsafe { out_ptr(out, "out") }?;
        *out = std::ptr::null_mut();
        // SAFETY: `text` is NULL or `len` readable bytes (contract).
        let text = unsafe { str_in(text, len, "text", ESAFETY_MAX_POLICY_LEN) }?;
        load(TEXT_SOURCE, text, out)
    })
}

/// Loads a policy from the file at `path` (NUL-terminated): JSON if the
/// name ends in `.json`, TOML if `.toml`, else by content.
///
/// On success `*out` is a new policy to free with `esafety_policy_free`;
/// on failure it is NULL. Errors: `NULL_PARAMETER`, `TOO_LARGE`, `IO`,
/// `INVALID_UTF8`, `INVALID_POLICY` (the message names the file, line and
/// column).
///
/// # Safety
///
/// `path` is NULL or a NUL-terminated string; `out` is NULL or points to a
/// writable `esafety_policy *`.
#[must_use]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn esafety_policy_from_file(
    path: *const c_char,
    out: *mut *mut esafety_policy,
) -> esafety_status {
    ffi_status!({
        // SAFETY: `out` is NULL or a writable pointer (contract).
        let out = unsafe { out_ptr(out, "out") }?;
        *out = std::ptr::null_mut();
        // SAFETY: `path` is NULL or NUL-terminated (contract).
        let path = unsafe { path_in(path, "path") }?;
        let text = read_policy_file(path, &esafety::Limits::DEFAULT)?;
        load(&path.display().to_string(), &text, out)
    })
}

/// Frees a policy. `NULL` is a no-op. Engines made from it stay valid.
///
/// # Safety
///
/// `policy` is NULL or a policy from this library not yet freed, and no
/// other thread is using it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn esafety_policy_free(policy: *mut esafety_policy) {
    crate::panic::ffi_boundary!((), {
        if !policy.is_null() {
            // SAFETY: `policy` came from `Box::into_raw` in `load` and is
            // freed once (contract).
            drop(unsafe { Box::from_raw(policy) });
        }
    })
}
