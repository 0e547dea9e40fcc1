//! Status codes and the thread-local last-error message.

use std::cell::RefCell;
use std::ffi::{CString, c_char};
use std::fmt;

/// The status every fallible libesafety function returns.
///
/// The numbers are part of the ABI: they never change meaning, a retired
/// code is kept (as a comment) and never reused, and new codes are only
/// added. Treat a value you do not know as an error. After any status other
/// than `ESAFETY_STATUS_OK`, `esafety_last_error` explains it.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum esafety_status {
    /// Success.
    Ok = 0,
    /// A pointer argument that must not be NULL was NULL (this includes a
    /// required input buffer passed as `(NULL, 0)`).
    NullParameter = 1,
    /// An argument was out of range: an unknown enum value or a bad
    /// combination of arguments.
    InvalidParameter = 2,
    /// A text argument other than a URL was not valid UTF-8 (for example a
    /// buffer cut in the middle of a character). URLs are bytes: what is
    /// not UTF-8 in one reads as its `%XX` escapes.
    InvalidUtf8 = 3,
    /// The URL could not be canonicalized.
    InvalidUrl = 4,
    /// The bundle bytes are truncated, corrupted, hostile or of a format
    /// version this library does not read.
    InvalidBundle = 5,
    /// The policy document could not be loaded (syntax, unknown field,
    /// unknown category, or an attempt to lower the statutory baseline).
    InvalidPolicy = 6,
    /// The request context was invalid (for example an unreadable time).
    InvalidRequest = 7,
    /// The incident record could not be read or is not a valid incident.
    InvalidIncident = 8,
    /// The escalation profile name is not one this library ships.
    UnknownProfile = 9,
    /// A file could not be opened or mapped.
    Io = 10,
    /// An input was larger than the documented `ESAFETY_MAX_*` limit.
    TooLarge = 11,
    /// An escalation profile text could not be loaded.
    InvalidProfile = 12,
    /// A signature or public key was refused: not esafety's format, made by
    /// another key, or not matching the bundle (it was changed after
    /// signing).
    InvalidSignature = 13,
    /// A phrase list could not be loaded (a line e2guardian's format
    /// cannot apply here, an include cycle, a statutory category).
    InvalidPhrases = 14,
    /// An internal error (a Rust panic) was caught at the boundary. The
    /// library is still usable; please report it with the last-error text.
    Panic = 99,
}

impl esafety_status {
    /// A fixed, NUL-terminated name for the status.
    fn name(self) -> &'static std::ffi::CStr {
        match self {
            esafety_status::Ok => c"ESAFETY_STATUS_OK",
            esafety_status::NullParameter => c"ESAFETY_STATUS_NULL_PARAMETER",
            esafety_status::InvalidParameter => c"ESAFETY_STATUS_INVALID_PARAMETER",
            esafety_status::InvalidUtf8 => c"ESAFETY_STATUS_INVALID_UTF8",
            esafety_status::InvalidUrl => c"ESAFETY_STATUS_INVALID_URL",
            esafety_status::InvalidBundle => c"ESAFETY_STATUS_INVALID_BUNDLE",
            esafety_status::InvalidPolicy => c"ESAFETY_STATUS_INVALID_POLICY",
            esafety_status::InvalidRequest => c"ESAFETY_STATUS_INVALID_REQUEST",
            esafety_status::InvalidIncident => c"ESAFETY_STATUS_INVALID_INCIDENT",
            esafety_status::UnknownProfile => c"ESAFETY_STATUS_UNKNOWN_PROFILE",
            esafety_status::Io => c"ESAFETY_STATUS_IO",
            esafety_status::TooLarge => c"ESAFETY_STATUS_TOO_LARGE",
            esafety_status::InvalidProfile => c"ESAFETY_STATUS_INVALID_PROFILE",
            esafety_status::InvalidSignature => c"ESAFETY_STATUS_INVALID_SIGNATURE",
            esafety_status::InvalidPhrases => c"ESAFETY_STATUS_INVALID_PHRASES",
            esafety_status::Panic => c"ESAFETY_STATUS_PANIC",
        }
    }

    /// Every status, for tests.
    #[cfg(test)]
    pub(crate) const ALL: &'static [esafety_status] = &[
        esafety_status::Ok,
        esafety_status::NullParameter,
        esafety_status::InvalidParameter,
        esafety_status::InvalidUtf8,
        esafety_status::InvalidUrl,
        esafety_status::InvalidBundle,
        esafety_status::InvalidPolicy,
        esafety_status::InvalidRequest,
        esafety_status::InvalidIncident,
        esafety_status::UnknownProfile,
        esafety_status::Io,
        esafety_status::TooLarge,
        esafety_status::InvalidProfile,
        esafety_status::InvalidSignature,
        esafety_status::InvalidPhrases,
        esafety_status::Panic,
    ];

    /// The status with this number, if there is one.
    fn from_u32(value: u32) -> Option<esafety_status> {
        Some(match value {
            0 => esafety_status::Ok,
            1 => esafety_status::NullParameter,
            2 => esafety_status::InvalidParameter,
            3 => esafety_status::InvalidUtf8,
            4 => esafety_status::InvalidUrl,
            5 => esafety_status::InvalidBundle,
            6 => esafety_status::InvalidPolicy,
            7 => esafety_status::InvalidRequest,
            8 => esafety_status::InvalidIncident,
            9 => esafety_status::UnknownProfile,
            10 => esafety_status::Io,
            11 => esafety_status::TooLarge,
            12 => esafety_status::InvalidProfile,
            13 => esafety_status::InvalidSignature,
            14 => esafety_status::InvalidPhrases,
            99 => esafety_status::Panic,
            _ => return None,
        })
    }
}

/// The status of a core error kind: the same number (the core's
/// `ErrorCode` is the one list of error kinds; this enum spells it for C).
impl From<esafety::ErrorCode> for esafety_status {
    fn from(code: esafety::ErrorCode) -> esafety_status {
        // Every code has its status (a test checks it); a code added to
        // the core but not yet here would be reported as an internal error.
        esafety_status::from_u32(code.number()).unwrap_or(esafety_status::Panic)
    }
}

/// A failed call: the status to return and the message to leave behind.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) status: esafety_status,
    pub(crate) message: String,
}

impl Failure {
    pub(crate) fn new(status: esafety_status, message: impl Into<String>) -> Failure {
        Failure {
            status,
            message: message.into(),
        }
    }

    /// A failure from a core error: its `Display` text and that of every
    /// `source()` below it, joined by `: `.
    pub(crate) fn from_error(status: esafety_status, error: &dyn std::error::Error) -> Failure {
        let mut message = error.to_string();
        let mut source = error.source();
        while let Some(inner) = source {
            let text = inner.to_string();
            if !message.contains(&text) {
                message.push_str(": ");
                message.push_str(&text);
            }
            source = inner.source();
        }
        Failure::new(status, message)
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

thread_local! {
    /// The message of the last failed call on this thread; empty after a
    /// successful one.
    static LAST_ERROR: RefCell<CString> = RefCell::new(CString::default());
}

/// Records `message` as this thread's last error.
pub(crate) fn set_last_error(message: &str) {
    // An interior NUL cannot cross into C; show it as the replacement
    // character instead of truncating the message there.
    let text = CString::new(message.replace('\0', "\u{FFFD}")).unwrap_or_default();
    // `try_with` fails only while the thread is being torn down; there is
    // nobody left to read the message then.
    let _ = LAST_ERROR.try_with(|slot| {
        if let Ok(mut slot) = slot.try_borrow_mut() {
            *slot = text;
        }
    });
}

/// Clears this thread's last error.
pub(crate) fn clear_last_error() {
    let _ = LAST_ERROR.try_with(|slot| {
        if let Ok(mut slot) = slot.try_borrow_mut()
            && !slot.as_bytes().is_empty()
        {
            *slot = CString::default();
        }
    });
}

/// Turns the outcome of a call body into its status, recording the message.
pub(crate) fn finish(result: Result<(), Failure>) -> esafety_status {
    match result {
        Ok(()) => {
            clear_last_error();
            esafety_status::Ok
        }
        Err(failure) => {
            set_last_error(&failure.message);
            failure.status
        }
    }
}

/// Copies the calling thread's last error message into `buf`.
///
/// Writes at most `buf_len` bytes including a terminating NUL (the message
/// is cut to fit, always NUL-terminated when `buf_len > 0`) and returns the
/// length of the whole message in bytes, without the NUL, like `snprintf`:
/// a return value `>= buf_len` means the copy was truncated. Pass
/// `(NULL, 0)` to ask only for the length. A NULL `buf` with a non-zero
/// `buf_len` writes nothing. Returns 0 when the last call on this thread
/// succeeded (or none was made).
///
/// The message belongs to the calling thread: each thread sees the outcome
/// of its own last call. It is set by every function that returns an
/// `esafety_status` (cleared on success) and left untouched by the others
/// (`esafety_*_free`, `esafety_version`, `esafety_status_name`,
/// `esafety_last_error*`).
///
/// # Safety
///
/// `buf` is NULL or points to `buf_len` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn esafety_last_error(buf: *mut c_char, buf_len: usize) -> usize {
    crate::panic::ffi_boundary!(0, {
        LAST_ERROR
            .try_with(|slot| {
                let Ok(message) = slot.try_borrow() else {
                    return 0;
                };
                let bytes = message.as_bytes();
                if !buf.is_null() && buf_len > 0 {
                    let n = bytes.len().min(buf_len - 1);
                    // SAFETY: `buf` is non-NULL and, by this function's
                    // contract, points to `buf_len > n` writable bytes; the
                    // source is `n <= bytes.len()` bytes of our own CString,
                    // which cannot overlap the caller's buffer.
                    unsafe {
                        std::ptr::copy_nonoverlapping(bytes.as_ptr(), buf.cast::<u8>(), n);
                        *buf.add(n) = 0;
                    }
                }
                bytes.len()
            })
            .unwrap_or(0)
    })
}

/// The calling thread's last error message as a NUL-terminated string
/// (empty after a successful call), and its length in bytes (without the
/// NUL) in `*len` when `len` is not NULL.
///
/// Lifetime: the pointer stays valid until the calling thread next calls a
/// libesafety function that returns an `esafety_status` (which replaces or
/// clears the message), or exits. Copy the text if you need it longer. Do
/// not free it.
///
/// # Safety
///
/// `len` is NULL or points to a writable `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn esafety_last_error_message(len: *mut usize) -> *const c_char {
    crate::panic::ffi_boundary!(c"".as_ptr(), {
        let (ptr, n) = LAST_ERROR
            .try_with(|slot| match slot.try_borrow() {
                // The CString's heap buffer does not move until the next
                // status-returning call replaces the CString.
                Ok(message) => (message.as_ptr(), message.as_bytes().len()),
                Err(_) => (c"".as_ptr(), 0),
            })
            .unwrap_or((c"".as_ptr(), 0));
        if !len.is_null() {
            // SAFETY: `len` is non-NULL and, by this function's contract,
            // points to a writable `size_t`.
            unsafe { *len = n };
        }
        ptr
    })
}

/// A fixed NUL-terminated name for `status` (for example
/// `"ESAFETY_STATUS_INVALID_URL"`), or `"ESAFETY_STATUS_UNKNOWN"` for a
/// number this library does not define. The string is static: never free
/// it.
#[unsafe(no_mangle)]
pub extern "C" fn esafety_status_name(status: u32) -> *const c_char {
    crate::panic::ffi_boundary!(c"ESAFETY_STATUS_UNKNOWN".as_ptr(), {
        esafety_status::from_u32(status)
            .map_or(c"ESAFETY_STATUS_UNKNOWN", esafety_status::name)
            .as_ptr()
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
    fn every_status_round_trips_through_its_number_and_name() {
        for &status in esafety_status::ALL {
            assert_eq!(esafety_status::from_u32(status as u32), Some(status));
            let name = status.name().to_str().unwrap();
            assert!(name.starts_with("ESAFETY_STATUS_"), "{name}");
        }
        assert_eq!(esafety_status::from_u32(12345), None);
    }

    #[test]
    fn every_core_error_code_is_a_status_with_its_number() {
        for &code in esafety::ErrorCode::ALL {
            let status = esafety_status::from(code);
            assert_eq!(status as u32, code.number(), "{code}");
            assert_ne!(status, esafety_status::Ok);
        }
        // And every status but OK is a core code.
        for &status in esafety_status::ALL {
            if status != esafety_status::Ok {
                assert!(
                    esafety::ErrorCode::from_number(status as u32).is_some(),
                    "{status:?}"
                );
            }
        }
    }

    #[test]
    fn last_error_is_set_cut_and_cleared() {
        assert_eq!(
            finish(Err(Failure::new(esafety_status::Io, "abc\0def"))),
            esafety_status::Io
        );
        let mut buf = [0x55 as c_char; 4];
        let n = unsafe { esafety_last_error(buf.as_mut_ptr(), buf.len()) };
        assert_eq!(n, "abc\u{FFFD}def".len());
        assert_eq!(buf.map(|b| b as u8), *b"abc\0");
        assert_eq!(unsafe { esafety_last_error(std::ptr::null_mut(), 99) }, n);
        assert_eq!(finish(Ok(())), esafety_status::Ok);
        assert_eq!(unsafe { esafety_last_error(std::ptr::null_mut(), 0) }, 0);
    }
}
