//! Strings the library hands to C: NUL-terminated UTF-8 with an explicit
//! length, freed with `esafety_string_free`.

use std::ffi::{CString, c_char};

use crate::error::{Failure, esafety_status};
use crate::input::out_ptr;

/// Where a returned string goes: checked before the work is done, filled
/// after it succeeded.
pub(crate) struct OutString<'a> {
    ptr: &'a mut *mut c_char,
    len: Option<&'a mut usize>,
}

impl<'a> OutString<'a> {
    /// Checks the output pointers and sets `*out = NULL`, `*out_len = 0` so
    /// that a failure leaves nothing to free.
    ///
    /// # Safety
    ///
    /// `out` is NULL or points to a writable `char *`; `out_len` is NULL or
    /// points to a writable `size_t`.
    pub(crate) unsafe fn new(
        out: *mut *mut c_char,
        out_len: *mut usize,
    ) -> Result<OutString<'a>, Failure> {
        // SAFETY: forwarded from this function's contract.
        let ptr = unsafe { out_ptr(out, "out") }?;
        *ptr = std::ptr::null_mut();
        // SAFETY: `out_len` is NULL or a writable `size_t` (contract).
        let mut len = unsafe { out_len.as_mut() };
        if let Some(len) = len.as_deref_mut() {
            *len = 0;
        }
        Ok(OutString { ptr, len })
    }

    /// Hands `text` to the caller.
    pub(crate) fn give(self, text: String) -> Result<(), Failure> {
        let n = text.len();
        let text = CString::new(text).map_err(|_| {
            Failure::new(
                esafety_status::Panic,
                "internal error: a result contained a NUL byte; please report this",
            )
        })?;
        *self.ptr = text.into_raw();
        if let Some(len) = self.len {
            *len = n;
        }
        Ok(())
    }

    /// Hands `value` to the caller as compact JSON.
    pub(crate) fn give_json<T: serde::Serialize + ?Sized>(self, value: &T) -> Result<(), Failure> {
        let text = serde_json::to_string(value).map_err(|e| {
            Failure::new(
                esafety_status::Panic,
                format!("internal error: a result could not be written as JSON ({e}); please report this"),
            )
        })?;
        self.give(text)
    }
}

/// Frees a string returned by this library (a JSON result or a canonical
/// URL). `NULL` is a no-op.
///
/// # Safety
///
/// `s` is NULL or a string returned by a libesafety function and not yet
/// freed. Do not pass any other pointer, and do not free it twice.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn esafety_string_free(s: *mut c_char) {
    crate::panic::ffi_boundary!((), {
        if !s.is_null() {
            // SAFETY: `s` came from `CString::into_raw` in `OutString::give`
            // and has not been freed (contract).
            drop(unsafe { CString::from_raw(s) });
        }
    })
}
