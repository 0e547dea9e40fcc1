//! `esafety_limits`: the host's override of core's `esafety::Limits`, and
//! the loaders that take one.
//!
//! The C face holds no copy of core's checks: a struct is turned into a
//! core `Limits` field by field and core validates it
//! (`Limits::validate`) before anything is read.

use std::ffi::c_char;

use esafety::Limits;
use esafety::policy::{Format, Policy};

use crate::bundle::{Backing, esafety_bundle};
use crate::error::{Failure, esafety_status};
use crate::input::{bytes_in, out_ptr, path_in, str_in};
use crate::panic::ffi_status;
use crate::policy::{TEXT_SOURCE, esafety_policy};

/// The bounds on what the library reads: core's `Limits`, one field each
/// (their documentation is core's, `esafety::Limits`). Start one from
/// `esafety_limits_default()`, which sets `struct_size` and the defaults,
/// then change the fields you need:
///
/// ```c
/// esafety_limits limits = esafety_limits_default();
/// limits.max_bundle_len = 64u << 20;
/// esafety_status s = esafety_bundle_from_file_with_limits(path, &limits, &bundle);
/// ```
///
/// Every value must be at least 1, and `max_include_depth` at most 64.
/// Anything else (a zeroed
/// struct included: its `struct_size` is 0) is `INVALID_PARAMETER`, and
/// nothing is loaded.
///
/// ABI growth: fields are only appended, and `struct_size` says which
/// version the caller was compiled with; a size the library does not know
/// is `INVALID_PARAMETER`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct esafety_limits {
    /// `sizeof(esafety_limits)` from the caller's header (set by
    /// `esafety_limits_default`).
    pub struct_size: usize,
    /// The largest list or phrase-list file read, in bytes (1 GiB).
    pub max_list_file_len: u64,
    /// The longest list line, in bytes (8 KiB).
    pub max_list_line_len: u64,
    /// The most entries one parse or compile produces (50,000,000).
    pub max_entries: u64,
    /// How deep `.Include`s nest (8; at most 64).
    pub max_include_depth: u64,
    /// The most `.Include` files one parse reads (1,024).
    pub max_include_files: u64,
    /// The largest document (policy, incident) read, in bytes (4 MiB).
    pub max_document_len: u64,
    /// The most rules a policy may have (100,000).
    pub max_policy_rules: u64,
    /// The largest bundle loaded, in bytes (1 GiB).
    pub max_bundle_len: u64,
    /// The largest metadata section of a bundle, in bytes (16 MiB).
    pub max_bundle_meta_len: u64,
}

/// The `struct_size` of every version of `esafety_limits` this library
/// reads (one so far).
const LIMITS_SIZES: [usize; 1] = [std::mem::size_of::<esafety_limits>()];

/// The defaults, core's `Limits::DEFAULT`, with this header's
/// `struct_size`.
#[unsafe(no_mangle)]
pub extern "C" fn esafety_limits_default() -> esafety_limits {
    let d = Limits::DEFAULT;
    let n = |v: usize| u64::try_from(v).unwrap_or(u64::MAX);
    esafety_limits {
        struct_size: std::mem::size_of::<esafety_limits>(),
        max_list_file_len: d.max_list_file_len,
        max_list_line_len: n(d.max_list_line_len),
        max_entries: n(d.max_entries),
        max_include_depth: n(d.max_include_depth),
        max_include_files: n(d.max_include_files),
        max_document_len: n(d.max_document_len),
        max_policy_rules: n(d.max_policy_rules),
        max_bundle_len: d.max_bundle_len,
        max_bundle_meta_len: d.max_bundle_meta_len,
    }
}

/// Reads `*limits` (not NULL) into core's `Limits`, which core validates.
///
/// # Safety
///
/// `limits` is NULL or points to a readable `esafety_limits` of at least
/// `struct_size` bytes, whose first field is `struct_size`.
pub(crate) unsafe fn limits_in(limits: *const esafety_limits) -> Result<Limits, Failure> {
    if limits.is_null() {
        return Err(Failure::new(
            esafety_status::NullParameter,
            "`limits` is NULL; pass esafety_limits_default(), or call the function without `_with_limits`",
        ));
    }
    // SAFETY: `limits` points to a readable struct whose first field is
    // `struct_size` (contract); only that field is read before it is
    // checked.
    let size = unsafe { limits.cast::<usize>().read_unaligned() };
    if !LIMITS_SIZES.contains(&size) {
        return Err(Failure::new(
            esafety_status::InvalidParameter,
            format!(
                "limits struct_size is `{size}`, not a size of esafety_limits this library reads ({}); start the struct from esafety_limits_default()",
                LIMITS_SIZES[0]
            ),
        ));
    }
    // SAFETY: `struct_size` is this version's size, so the whole struct is
    // readable (contract).
    let c = unsafe { limits.read_unaligned() };
    let too_big = |field: &str, value: u64| {
        Failure::new(
            esafety_status::InvalidParameter,
            format!("`{field}` is {value}, more than this platform can address; set it lower"),
        )
    };
    let size_of =
        |field: &str, value: u64| usize::try_from(value).map_err(|_| too_big(field, value));
    let mut out = Limits::default();
    out.max_list_file_len = c.max_list_file_len;
    out.max_list_line_len = size_of("max_list_line_len", c.max_list_line_len)?;
    out.max_entries = size_of("max_entries", c.max_entries)?;
    out.max_include_depth = size_of("max_include_depth", c.max_include_depth)?;
    out.max_include_files = size_of("max_include_files", c.max_include_files)?;
    out.max_document_len = size_of("max_document_len", c.max_document_len)?;
    out.max_policy_rules = size_of("max_policy_rules", c.max_policy_rules)?;
    out.max_bundle_len = c.max_bundle_len;
    out.max_bundle_meta_len = c.max_bundle_meta_len;
    out.validate()
        .map_err(|e| Failure::from_error(e.code().into(), &e))?;
    Ok(out)
}

/// `esafety_bundle_from_bytes` within `*limits` (`max_bundle_len`,
/// `max_bundle_meta_len`). Errors: as `esafety_bundle_from_bytes`, and
/// `NULL_PARAMETER` for a NULL `limits`, `INVALID_PARAMETER` for limits
/// that cannot be used (see `esafety_limits`), `TOO_LARGE` over them.
///
/// # Safety
///
/// `bytes` is NULL or points to `len` readable bytes; `limits` is NULL or
/// points to an `esafety_limits` from `esafety_limits_default()`; `out` is
/// NULL or points to a writable `esafety_bundle *`.
#[must_use]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn esafety_bundle_from_bytes_with_limits(
    bytes: *const u8,
    len: usize,
    limits: *const esafety_limits,
    out: *mut *mut esafety_bundle,
) -> esafety_status {
    ffi_status!({
        // SAFETY: `out` is NULL or a writable pointer (contract).
        let out = unsafe { out_ptr(out, "out") }?;
        *out = std::ptr::null_mut();
        // SAFETY: `limits` is NULL or a readable struct (contract).
        let limits = unsafe { limits_in(limits) }?;
        let max = usize::try_from(limits.max_bundle_len).unwrap_or(usize::MAX);
        // SAFETY: `bytes` is NULL or `len` readable bytes (contract); they
        // are copied before this function returns.
        let bytes = unsafe { bytes_in(bytes, len, "bytes", max) }?;
        crate::bundle::load(Backing::Owned(bytes.to_vec()), &limits, out)
    })
}

/// `esafety_bundle_from_file` within `*limits`: a file over
/// `max_bundle_len` is refused before it is mapped. Errors: as
/// `esafety_bundle_from_file`, and `NULL_PARAMETER` for a NULL `limits`,
/// `INVALID_PARAMETER` for limits that cannot be used.
///
/// # Safety
///
/// `path` is NULL or a NUL-terminated string; `limits` is NULL or points to
/// an `esafety_limits` from `esafety_limits_default()`; `out` is NULL or
/// points to a writable `esafety_bundle *`.
#[must_use]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn esafety_bundle_from_file_with_limits(
    path: *const c_char,
    limits: *const esafety_limits,
    out: *mut *mut esafety_bundle,
) -> esafety_status {
    ffi_status!({
        // SAFETY: `out` is NULL or a writable pointer (contract).
        let out = unsafe { out_ptr(out, "out") }?;
        *out = std::ptr::null_mut();
        // SAFETY: `limits` is NULL or a readable struct (contract).
        let limits = unsafe { limits_in(limits) }?;
        // SAFETY: `path` is NULL or NUL-terminated (contract).
        let path = unsafe { path_in(path, "path") }?;
        crate::bundle::load_file(path, &limits, out)
    })
}

/// `esafety_policy_from_text` within `*limits` (`max_document_len`,
/// `max_policy_rules`). Errors: as `esafety_policy_from_text`, and
/// `NULL_PARAMETER` for a NULL `limits`, `INVALID_PARAMETER` for limits
/// that cannot be used, `TOO_LARGE` over them.
///
/// # Safety
///
/// `text` is NULL or points to `len` readable bytes; `limits` is NULL or
/// points to an `esafety_limits` from `esafety_limits_default()`; `out` is
/// NULL or points to a writable `esafety_policy *`.
#[must_use]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn esafety_policy_from_text_with_limits(
    text: *const c_char,
    len: usize,
    limits: *const esafety_limits,
    out: *mut *mut esafety_policy,
) -> esafety_status {
    ffi_status!({
        // SAFETY: `out` is NULL or a writable pointer (contract).
        let out = unsafe { out_ptr(out, "out") }?;
        *out = std::ptr::null_mut();
        // SAFETY: `limits` is NULL or a readable struct (contract).
        let limits = unsafe { limits_in(limits) }?;
        // Core refuses a text over `max_document_len` (a `TOO_LARGE`
        // below); the boundary only bounds what it copies into a `str`.
        // SAFETY: `text` is NULL or `len` readable bytes (contract).
        let text = unsafe { str_in(text, len, "text", usize::MAX) }?;
        let policy = Policy::load_with_limits(
            TEXT_SOURCE,
            text,
            Format::detect(TEXT_SOURCE, text),
            &limits,
        )
        .map_err(|e| Failure::from_error(e.code().into(), &e))?;
        *out = Box::into_raw(Box::new(esafety_policy { policy }));
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_struct_is_core_s_defaults() {
        let c = esafety_limits_default();
        // SAFETY: a valid struct from this library.
        let limits = unsafe { limits_in(&c) }.unwrap();
        assert_eq!(limits, Limits::DEFAULT);
    }

    #[test]
    fn a_zeroed_or_bad_struct_is_refused() {
        // SAFETY: all-zero bytes are a valid esafety_limits.
        let zeroed: esafety_limits = unsafe { std::mem::zeroed() };
        let cases = [
            (
                "zeroed",
                zeroed,
                esafety_status::InvalidParameter,
                "struct_size is `0`",
            ),
            (
                "max_entries 0",
                esafety_limits {
                    max_entries: 0,
                    ..esafety_limits_default()
                },
                esafety_status::InvalidParameter,
                "`max_entries` is 0",
            ),
            (
                "include depth 1000",
                esafety_limits {
                    max_include_depth: 1000,
                    ..esafety_limits_default()
                },
                esafety_status::InvalidParameter,
                "`max_include_depth` is 1000, over 64",
            ),
        ];
        for (name, c, status, message) in cases {
            // SAFETY: a readable struct.
            let err = unsafe { limits_in(&c) }.unwrap_err();
            assert_eq!(err.status, status, "{name}: {}", err.message);
            assert!(err.message.contains(message), "{name}: {}", err.message);
        }
        // SAFETY: NULL is allowed.
        let err = unsafe { limits_in(std::ptr::null()) }.unwrap_err();
        assert_eq!(err.status, esafety_status::NullParameter);
    }
}
