//! Checked conversion of C arguments: NULL pointers, sizes over the
//! documented limits and invalid UTF-8 become a [`Failure`], never a crash.

use std::borrow::Cow;
use std::ffi::{CStr, c_char};
use std::path::Path;

use crate::error::{Failure, esafety_status};

/// The longest URL accepted, in bytes (2 MiB): the core's limit, which is
/// Chromium's, so that every address a browser can open can be checked.
pub const ESAFETY_MAX_URL_LEN: usize = 2_097_152;

// The boundary must not refuse a URL the core would check.
const _: () = assert!(ESAFETY_MAX_URL_LEN == esafety::url::MAX_INPUT_LEN);

/// The longest short text argument accepted (a user group, a time, a
/// profile or file name), in bytes.
pub const ESAFETY_MAX_NAME_LEN: usize = 1_024;

/// The longest policy document accepted, in bytes (4 MiB).
pub const ESAFETY_MAX_POLICY_LEN: usize = 4_194_304;

// The boundary's policy and bundle limits are the core's defaults
// (`esafety::Limits`), so a document the C face accepts is one core reads.
const _: () = assert!(ESAFETY_MAX_POLICY_LEN == esafety::Limits::DEFAULT.max_document_len);

/// The longest incident record accepted, in bytes (1 MiB).
pub const ESAFETY_MAX_INCIDENT_LEN: usize = 1_048_576;

/// The largest bundle accepted, from bytes or from a file, in bytes (1 GiB).
pub const ESAFETY_MAX_BUNDLE_LEN: usize = 1_073_741_824;

const _: () = assert!(ESAFETY_MAX_BUNDLE_LEN as u64 == esafety::Limits::DEFAULT.max_bundle_len);

/// The longest file path accepted, in bytes, without its NUL.
pub const ESAFETY_MAX_PATH_LEN: usize = 4_096;

/// A required input buffer. `(NULL, len)` is `NULL_PARAMETER` for every
/// `len`, including 0: the library never reads a NULL pointer, and a
/// required input is never empty by omission. `(ptr, 0)` is an empty
/// buffer.
///
/// # Safety
///
/// `ptr` is NULL or points to `len` readable bytes that stay valid and
/// unmodified for `'a`.
pub(crate) unsafe fn bytes_in<'a>(
    ptr: *const u8,
    len: usize,
    what: &str,
    max: usize,
) -> Result<&'a [u8], Failure> {
    if ptr.is_null() {
        return Err(Failure::new(
            esafety_status::NullParameter,
            format!("`{what}` is NULL; pass a pointer to the input (even when its length is 0)"),
        ));
    }
    if len > max {
        return Err(Failure::new(
            esafety_status::TooLarge,
            format!("`{what}` is {len} bytes, over the limit of {max} bytes"),
        ));
    }
    // SAFETY: `ptr` is non-NULL, `u8` needs no alignment, `len <= max`
    // keeps the size under `isize::MAX`, and the caller promises `len`
    // readable bytes that outlive `'a`.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// A required UTF-8 text buffer (not NUL-terminated; `len` bytes).
///
/// # Safety
///
/// As [`bytes_in`].
pub(crate) unsafe fn str_in<'a>(
    ptr: *const c_char,
    len: usize,
    what: &str,
    max: usize,
) -> Result<&'a str, Failure> {
    // SAFETY: forwarded from this function's contract.
    let bytes = unsafe { bytes_in(ptr.cast::<u8>(), len, what, max) }?;
    utf8(bytes, what)
}

/// An optional UTF-8 text buffer: `(NULL, 0)` means absent; NULL with a
/// non-zero length is `NULL_PARAMETER` (a caller bug, not an absence).
///
/// # Safety
///
/// As [`bytes_in`].
pub(crate) unsafe fn opt_str_in<'a>(
    ptr: *const c_char,
    len: usize,
    what: &str,
    max: usize,
) -> Result<Option<&'a str>, Failure> {
    if ptr.is_null() {
        if len == 0 {
            return Ok(None);
        }
        return Err(Failure::new(
            esafety_status::NullParameter,
            format!(
                "`{what}` is NULL with length {len}; pass (NULL, 0) for none, or a pointer to the text"
            ),
        ));
    }
    // SAFETY: forwarded from this function's contract.
    unsafe { str_in(ptr, len, what, max) }.map(Some)
}

/// A required URL buffer, read as the bytes a request carries: a byte that
/// is not part of valid UTF-8 is written `%XX`
/// ([`esafety::url::escape_invalid_utf8`]), which canonicalizes as the raw
/// byte would. A proxy that copies a request line off the network gets the
/// decision the CLI and the Squid helper make for the same bytes, instead
/// of an error every caller would have to handle its own way.
///
/// # Safety
///
/// As [`bytes_in`].
pub(crate) unsafe fn url_text_in<'a>(
    ptr: *const c_char,
    len: usize,
) -> Result<Cow<'a, str>, Failure> {
    // SAFETY: forwarded from this function's contract.
    let bytes = unsafe { bytes_in(ptr.cast::<u8>(), len, "url", ESAFETY_MAX_URL_LEN) }?;
    Ok(match ascii(bytes) {
        Some(text) => Cow::Borrowed(text),
        None => esafety::url::escape_invalid_utf8(bytes),
    })
}

/// `bytes` as text when they are all ASCII. Nearly every URL is, and
/// `is_ascii` checks a word at a time: about a tenth of the instructions of
/// a full UTF-8 validation, which was most of the C face's cost per
/// decision.
fn ascii(bytes: &[u8]) -> Option<&str> {
    if bytes.is_ascii() {
        // SAFETY: ASCII bytes are valid UTF-8.
        Some(unsafe { std::str::from_utf8_unchecked(bytes) })
    } else {
        None
    }
}

fn utf8<'a>(bytes: &'a [u8], what: &str) -> Result<&'a str, Failure> {
    if let Some(text) = ascii(bytes) {
        return Ok(text);
    }
    std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        let how = if e.error_len().is_none() {
            "the text ends in the middle of a character (truncated buffer?)"
        } else {
            "an invalid byte sequence"
        };
        Failure::new(
            esafety_status::InvalidUtf8,
            format!("`{what}` is not valid UTF-8: {how} at byte {at}; pass UTF-8 text"),
        )
    })
}

/// A required NUL-terminated file path. Read at most
/// [`ESAFETY_MAX_PATH_LEN`] + 1 bytes looking for the NUL.
///
/// # Safety
///
/// `ptr` is NULL or points to a NUL-terminated string, or to at least
/// `ESAFETY_MAX_PATH_LEN + 1` readable bytes, valid for `'a`.
pub(crate) unsafe fn path_in<'a>(ptr: *const c_char, what: &str) -> Result<&'a Path, Failure> {
    if ptr.is_null() {
        return Err(Failure::new(
            esafety_status::NullParameter,
            format!("`{what}` is NULL; pass a NUL-terminated file path"),
        ));
    }
    let mut len = 0;
    loop {
        if len > ESAFETY_MAX_PATH_LEN {
            return Err(Failure::new(
                esafety_status::TooLarge,
                format!(
                    "`{what}` has no NUL within {ESAFETY_MAX_PATH_LEN} bytes; pass a shorter, NUL-terminated path"
                ),
            ));
        }
        // SAFETY: the caller promises readable bytes up to and including
        // the NUL, and we stop at the NUL or after the limit.
        if unsafe { *ptr.add(len) } == 0 {
            break;
        }
        len += 1;
    }
    // SAFETY: we just found the NUL at `ptr + len`, inside the readable
    // bytes the caller promised.
    let text = unsafe { CStr::from_ptr(ptr) };
    to_path(text.to_bytes(), what)
}

#[cfg(unix)]
fn to_path<'a>(bytes: &'a [u8], _what: &str) -> Result<&'a Path, Failure> {
    use std::os::unix::ffi::OsStrExt;
    Ok(Path::new(std::ffi::OsStr::from_bytes(bytes)))
}

#[cfg(not(unix))]
fn to_path<'a>(bytes: &'a [u8], what: &str) -> Result<&'a Path, Failure> {
    utf8(bytes, what).map(Path::new)
}

/// A required output pointer, checked before any work is done.
///
/// # Safety
///
/// `ptr` is NULL or points to a writable, properly aligned `T`.
pub(crate) unsafe fn out_ptr<'a, T>(ptr: *mut T, what: &str) -> Result<&'a mut T, Failure> {
    // SAFETY: the caller promises a NULL or a valid, writable `T`; `as_mut`
    // handles the NULL.
    unsafe { ptr.as_mut() }.ok_or_else(|| {
        Failure::new(
            esafety_status::NullParameter,
            format!("`{what}` is NULL; pass a pointer to where the result goes"),
        )
    })
}

/// A required handle.
///
/// # Safety
///
/// `ptr` is NULL or a live handle of type `T` made by this library.
pub(crate) unsafe fn handle_in<'a, T>(ptr: *const T, what: &str) -> Result<&'a T, Failure> {
    // SAFETY: the caller promises NULL or a live handle; `as_ref` handles
    // the NULL.
    unsafe { ptr.as_ref() }.ok_or_else(|| {
        Failure::new(
            esafety_status::NullParameter,
            format!("`{what}` is NULL; pass a handle made by its esafety_*_new/from_* function"),
        )
    })
}

#[cfg(test)]
#[allow(
    clippy::undocumented_unsafe_blocks,
    reason = "tests pass valid pointers, or NULL where the function under test accepts it"
)]
mod tests {
    use super::*;

    #[test]
    fn null_and_empty_buffers() {
        let e = unsafe { bytes_in(std::ptr::null(), 0, "url", 10) }.unwrap_err();
        assert_eq!(e.status, esafety_status::NullParameter);
        assert!(e.message.contains("`url` is NULL"), "{e}");
        let empty = unsafe { bytes_in(b"x".as_ptr(), 0, "url", 10) }.unwrap();
        assert!(empty.is_empty());
        assert_eq!(
            unsafe { opt_str_in(std::ptr::null(), 0, "group", 10) }.unwrap(),
            None
        );
        let e = unsafe { opt_str_in(std::ptr::null(), 3, "group", 10) }.unwrap_err();
        assert_eq!(e.status, esafety_status::NullParameter);
    }

    #[test]
    fn too_large_and_bad_utf8() {
        let e = unsafe { bytes_in(b"abc".as_ptr(), 3, "url", 2) }.unwrap_err();
        assert_eq!(e.status, esafety_status::TooLarge);
        let cut = "é".as_bytes();
        let e = unsafe { str_in(cut.as_ptr().cast(), 1, "url", 10) }.unwrap_err();
        assert_eq!(e.status, esafety_status::InvalidUtf8);
        assert!(e.message.contains("truncated"), "{e}");
        let e = unsafe { str_in(b"a\xffb".as_ptr().cast(), 3, "url", 10) }.unwrap_err();
        assert!(e.message.contains("invalid byte sequence at byte 1"), "{e}");
    }

    #[test]
    fn urls_are_bytes_with_invalid_utf8_escaped() {
        let cases: [(&str, &[u8], &str); 4] = [
            (
                "ascii is borrowed as it is",
                b"http://a.test/%ff",
                "http://a.test/%ff",
            ),
            (
                "valid utf-8 is kept",
                "http://caf\u{e9}.test/".as_bytes(),
                "http://caf\u{e9}.test/",
            ),
            (
                "an invalid byte is escaped",
                b"http://a\xff.com/",
                "http://a%FF.com/",
            ),
            ("a cut character is escaped", b"http://b\xc3", "http://b%C3"),
        ];
        for (name, bytes, want) in cases {
            let got = unsafe { url_text_in(bytes.as_ptr().cast(), bytes.len()) }.unwrap();
            assert_eq!(got, want, "{name}");
        }
        assert!(matches!(
            unsafe { url_text_in(b"http://a.test/".as_ptr().cast(), 14) }.unwrap(),
            Cow::Borrowed(_)
        ));
        let e =
            unsafe { url_text_in(b"abc".as_ptr().cast(), ESAFETY_MAX_URL_LEN + 1) }.unwrap_err();
        assert_eq!(e.status, esafety_status::TooLarge);
        let e = unsafe { url_text_in(std::ptr::null(), 0) }.unwrap_err();
        assert_eq!(e.status, esafety_status::NullParameter);
    }

    #[test]
    fn paths() {
        let p = unsafe { path_in(c"/tmp/x.esb".as_ptr(), "path") }.unwrap();
        assert_eq!(p, Path::new("/tmp/x.esb"));
        let long = std::ffi::CString::new(vec![b'a'; ESAFETY_MAX_PATH_LEN + 1]).unwrap();
        let e = unsafe { path_in(long.as_ptr(), "path") }.unwrap_err();
        assert_eq!(e.status, esafety_status::TooLarge);
    }
}
