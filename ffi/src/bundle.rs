//! `esafety_bundle`: a loaded, validated category bundle.

use std::path::Path;
use std::sync::Arc;

use esafety::Limits;
use esafety::bundle::Bundle;
use esafety::classify::Classifier;
use esafety::file::FileError;
use esafety::limits::Limit;

use crate::error::{Failure, esafety_status};
use crate::input::{ESAFETY_MAX_BUNDLE_LEN, bytes_in, out_ptr, path_in};
use crate::panic::ffi_status;

/// The bytes under a bundle: a private copy or a read-only memory map.
pub(crate) enum Backing {
    Owned(Vec<u8>),
    Mapped(memmap2::Mmap),
}

impl AsRef<[u8]> for Backing {
    fn as_ref(&self) -> &[u8] {
        match self {
            Backing::Owned(bytes) => bytes,
            Backing::Mapped(map) => map,
        }
    }
}

/// The bytes under a bundle, shared between the bundle handle and every
/// engine made from it (each holds a zero-copy view over the same bytes).
#[derive(Clone)]
pub(crate) struct SharedBytes(pub(crate) Arc<Backing>);

impl AsRef<[u8]> for SharedBytes {
    #[inline]
    fn as_ref(&self) -> &[u8] {
        (*self.0).as_ref()
    }
}

/// A compiled category bundle (`esafety compile` output), loaded and
/// validated.
///
/// Immutable and thread-safe: one bundle may be used from any number of
/// threads at once. An engine made from it keeps its own reference, so the
/// bundle may be freed (`esafety_bundle_free`) right after
/// `esafety_engine_new`.
pub struct esafety_bundle {
    pub(crate) classifier: Classifier<SharedBytes>,
}

pub(crate) fn load(
    backing: Backing,
    limits: &Limits,
    out: &mut *mut esafety_bundle,
) -> Result<(), Failure> {
    let bytes = SharedBytes(Arc::new(backing));
    let bundle = Bundle::from_bytes_with_limits(bytes, limits)
        .map_err(|e| Failure::from_error(e.code().into(), &e))?;
    *out = Box::into_raw(Box::new(esafety_bundle {
        classifier: Classifier::new(bundle),
    }));
    Ok(())
}

/// Opens the bundle file at `path` with core's opener (a regular file within
/// `limits.max_bundle_len`: a device, FIFO or directory is refused at once)
/// and maps it read-only.
pub(crate) fn load_file(
    path: &Path,
    limits: &Limits,
    out: &mut *mut esafety_bundle,
) -> Result<(), Failure> {
    let (file, len) = esafety::file::open_regular_file(path, Limit::BundleLen, limits)
        .map_err(|e| file_failure("bundle", path, &e))?;
    let backing = if len == 0 {
        // An empty file cannot be mapped; it is simply not a bundle.
        Backing::Owned(Vec::new())
    } else {
        // SAFETY: the map is read-only and private to this bundle. The
        // caller promises (header) not to modify or truncate the file
        // while the bundle is alive, which is what memmap2 requires for
        // the mapped bytes to stay valid and unchanged.
        let map = unsafe { memmap2::Mmap::map(&file) }.map_err(|e| {
            Failure::new(
                esafety_status::Io,
                format!("cannot map bundle `{}`: {e}", path.display()),
            )
        })?;
        Backing::Mapped(map)
    };
    load(backing, limits, out)
}

/// A file core's opener refused, as a status and a message naming it:
/// `TOO_LARGE` over its limit, `IO` otherwise.
pub(crate) fn file_failure(what: &str, path: &Path, err: &FileError) -> Failure {
    let status = match err {
        FileError::TooLarge { .. } => esafety_status::TooLarge,
        _ => esafety_status::Io,
    };
    Failure::new(
        status,
        format!("cannot read {what} `{}`: {err}", path.display()),
    )
}

/// Loads a bundle from `len` bytes at `bytes`, which are copied: the
/// caller's buffer may be freed as soon as this returns.
///
/// On success `*out` is a new bundle to free with `esafety_bundle_free`;
/// on failure it is NULL. Errors: `NULL_PARAMETER` (`bytes` or `out` is
/// NULL; `(NULL, 0)` included), `TOO_LARGE` (`len` over
/// `ESAFETY_MAX_BUNDLE_LEN`), `INVALID_BUNDLE` (truncated, corrupted or of
/// another format version; an empty buffer included).
///
/// # Safety
///
/// `bytes` is NULL or points to `len` readable bytes; `out` is NULL or
/// points to a writable `esafety_bundle *`.
#[must_use]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn esafety_bundle_from_bytes(
    bytes: *const u8,
    len: usize,
    out: *mut *mut esafety_bundle,
) -> esafety_status {
    ffi_status!({
        // SAFETY: `out` is NULL or a writable pointer (contract).
        let out = unsafe { out_ptr(out, "out") }?;
        *out = std::ptr::null_mut();
        // SAFETY: `bytes` is NULL or `len` readable bytes (contract); they
        // are copied before this function returns.
        let bytes = unsafe { bytes_in(bytes, len, "bytes", ESAFETY_MAX_BUNDLE_LEN) }?;
        load(Backing::Owned(bytes.to_vec()), &Limits::DEFAULT, out)
    })
}

/// Loads a bundle from `len` bytes at `bytes` only if `signature` is the
/// signature of exactly these bytes by `public_key`: verify, then load, so
/// that a filter configured with a key never holds an unverified bundle.
/// `signature` is the text of the bundle's `.sig` file
/// (`esafety compile --sign` writes it) and `public_key` the text of the
/// publisher's `.pub` file (`esafety keygen`), each `*_len` bytes of
/// UTF-8. The bytes are copied: the caller's buffers may be freed as soon
/// as this returns.
///
/// On success `*out` is a new bundle to free with `esafety_bundle_free`;
/// on failure it is NULL, and a filter keeps its current engine. Errors:
/// `NULL_PARAMETER` (`bytes`, `signature`, `public_key` or `out` is NULL;
/// `(NULL, 0)` included), `TOO_LARGE` (`len` over
/// `ESAFETY_MAX_BUNDLE_LEN`, a text over 4096 bytes), `INVALID_UTF8`,
/// `INVALID_SIGNATURE` (an unsigned bundle, that is an empty signature; a
/// text that is not esafety's format; a bundle signed by another key; any
/// byte of the bundle or the signature changed), `INVALID_BUNDLE` (signed
/// by the key, but not a bundle this library reads), with the reason in
/// `esafety_last_error_message`.
///
/// # Safety
///
/// `bytes`, `signature` and `public_key` are NULL or point to `len`,
/// `signature_len` and `public_key_len` readable bytes; `out` is NULL or
/// points to a writable `esafety_bundle *`.
#[must_use]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn esafety_bundle_from_verified_bytes(
    bytes: *const u8,
    len: usize,
    signature: *const std::ffi::c_char,
    signature_len: usize,
    public_key: *const std::ffi::c_char,
    public_key_len: usize,
    out: *mut *mut esafety_bundle,
) -> esafety_status {
    use esafety::signing::{MAX_TEXT_LEN, verified_bundle};
    ffi_status!({
        // SAFETY: `out` is NULL or a writable pointer (contract).
        let out = unsafe { out_ptr(out, "out") }?;
        *out = std::ptr::null_mut();
        // SAFETY: `bytes` is NULL or `len` readable bytes (contract); they
        // are copied before this function returns.
        let bytes = unsafe { bytes_in(bytes, len, "bytes", ESAFETY_MAX_BUNDLE_LEN) }?;
        // SAFETY: `signature` is NULL or `signature_len` readable bytes
        // (contract).
        let signature =
            unsafe { crate::input::str_in(signature, signature_len, "signature", MAX_TEXT_LEN) }?;
        // SAFETY: `public_key` is NULL or `public_key_len` readable bytes
        // (contract).
        let key = unsafe {
            crate::input::str_in(public_key, public_key_len, "public_key", MAX_TEXT_LEN)
        }?;
        let shared = SharedBytes(Arc::new(Backing::Owned(bytes.to_vec())));
        let bundle = verified_bundle(shared, signature, key, &esafety::Limits::DEFAULT)
            .map_err(|e| Failure::from_error(e.code().into(), &e))?;
        *out = Box::into_raw(Box::new(esafety_bundle {
            classifier: Classifier::new(bundle),
        }));
        Ok(())
    })
}

/// Loads a bundle from the file at `path` (NUL-terminated), memory-mapped
/// read-only: loading is fast and the lookup structures are shared with
/// the page cache.
///
/// The file must not be modified or truncated while the bundle (or an
/// engine made from it) is alive: to update a bundle, write a new file and
/// `rename()` it over the old one, then load it into a new engine.
///
/// On success `*out` is a new bundle to free with `esafety_bundle_free`;
/// on failure it is NULL. Errors: `NULL_PARAMETER`, `TOO_LARGE` (path over
/// `ESAFETY_MAX_PATH_LEN`, file over `ESAFETY_MAX_BUNDLE_LEN`), `IO` (the
/// file cannot be opened or mapped, or is a directory, device or FIFO:
/// refused at once, never read), `INVALID_BUNDLE`.
///
/// # Safety
///
/// `path` is NULL or a NUL-terminated string; `out` is NULL or points to a
/// writable `esafety_bundle *`.
#[must_use]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn esafety_bundle_from_file(
    path: *const std::ffi::c_char,
    out: *mut *mut esafety_bundle,
) -> esafety_status {
    ffi_status!({
        // SAFETY: `out` is NULL or a writable pointer (contract).
        let out = unsafe { out_ptr(out, "out") }?;
        *out = std::ptr::null_mut();
        // SAFETY: `path` is NULL or NUL-terminated (contract).
        let path = unsafe { path_in(path, "path") }?;
        load_file(path, &esafety::Limits::DEFAULT, out)
    })
}

/// Loads the small sample bundle built into the library (synthetic lists,
/// the same as the CLI uses without `--bundle`), for examples and tests.
///
/// On success `*out` is a new bundle to free with `esafety_bundle_free`.
/// Errors: `NULL_PARAMETER`; `INVALID_BUNDLE` would be a bug in the library.
///
/// # Safety
///
/// `out` is NULL or points to a writable `esafety_bundle *`.
#[must_use]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn esafety_bundle_sample(out: *mut *mut esafety_bundle) -> esafety_status {
    ffi_status!({
        // SAFETY: `out` is NULL or a writable pointer (contract).
        let out = unsafe { out_ptr(out, "out") }?;
        *out = std::ptr::null_mut();
        let bytes = esafety::sample::try_bundle_bytes()
            .map_err(|e| Failure::from_error(e.code().into(), &e))?;
        load(Backing::Owned(bytes), &Limits::DEFAULT, out)
    })
}

/// The bytes of a loaded bundle (for example to save the sample bundle to a
/// file): `*out` points to `*out_len` bytes owned by the bundle, valid until
/// it is freed. Never free them.
///
/// Errors: `NULL_PARAMETER` (`bundle`, `out` or `out_len` is NULL).
///
/// # Safety
///
/// `bundle` is NULL or a live bundle; `out` is NULL or points to a
/// writable `const uint8_t *`; `out_len` is NULL or points to a writable
/// `size_t`.
#[must_use]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn esafety_bundle_bytes(
    bundle: *const esafety_bundle,
    out: *mut *const u8,
    out_len: *mut usize,
) -> esafety_status {
    ffi_status!({
        // SAFETY: `out` is NULL or writable (contract).
        let out = unsafe { out_ptr(out, "out") }?;
        *out = std::ptr::null();
        // SAFETY: `out_len` is NULL or writable (contract).
        let out_len = unsafe { out_ptr(out_len, "out_len") }?;
        *out_len = 0;
        // SAFETY: `bundle` is NULL or a live bundle (contract).
        let bundle = unsafe { crate::input::handle_in(bundle, "bundle") }?;
        let bytes = bundle.classifier.bundle().as_bytes();
        *out = bytes.as_ptr();
        *out_len = bytes.len();
        Ok(())
    })
}

/// Frees a bundle. `NULL` is a no-op. Engines made from it stay valid.
///
/// # Safety
///
/// `bundle` is NULL or a bundle from this library not yet freed, and no
/// other thread is using it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn esafety_bundle_free(bundle: *mut esafety_bundle) {
    crate::panic::ffi_boundary!((), {
        if !bundle.is_null() {
            // SAFETY: `bundle` came from `Box::into_raw` in `load` and is
            // freed once (contract).
            drop(unsafe { Box::from_raw(bundle) });
        }
    })
}

/// Checks that `bundle`'s bytes are signed by `public_key`: `signature` is
/// the text of the bundle's `.sig` file (`esafety compile --sign` writes
/// it), `public_key` the text of the publisher's `.pub` file
/// (`esafety keygen`), each `len` bytes of UTF-8. A filter configured with
/// a key calls this after loading a bundle and before `esafety_engine_new`,
/// and keeps its current engine when it fails.
///
/// Returns `OK` when the signature is the key's over exactly these bytes.
/// Errors: `NULL_PARAMETER`; `INVALID_UTF8`; `TOO_LARGE` (a text over
/// 4096 bytes); `INVALID_SIGNATURE` (a text that is not esafety's format,
/// a bundle signed by another key, or bytes changed after signing), with
/// the reason in `esafety_last_error`.
///
/// # Safety
///
/// `bundle` is NULL or a live bundle; `signature` and `public_key` are NULL
/// or point to `signature_len` and `public_key_len` readable bytes.
#[unsafe(no_mangle)]
#[must_use]
pub unsafe extern "C" fn esafety_bundle_verify(
    bundle: *const esafety_bundle,
    signature: *const std::ffi::c_char,
    signature_len: usize,
    public_key: *const std::ffi::c_char,
    public_key_len: usize,
) -> esafety_status {
    use esafety::signing::{MAX_TEXT_LEN, PublicKey, verify_detached};
    ffi_status!({
        // SAFETY: `bundle` is NULL or a live bundle (contract).
        let bundle = unsafe { crate::input::handle_in(bundle, "bundle") }?;
        // SAFETY: `signature` is NULL or `signature_len` readable bytes
        // (contract).
        let signature =
            unsafe { crate::input::str_in(signature, signature_len, "signature", MAX_TEXT_LEN) }?;
        // SAFETY: `public_key` is NULL or `public_key_len` readable bytes
        // (contract).
        let key = unsafe {
            crate::input::str_in(public_key, public_key_len, "public_key", MAX_TEXT_LEN)
        }?;
        let failure =
            |e: esafety::signing::SignatureError| Failure::from_error(e.code().into(), &e);
        let key = PublicKey::parse(key).map_err(failure)?;
        verify_detached(bundle.classifier.bundle().as_bytes(), signature, &key).map_err(failure)
    })
}
