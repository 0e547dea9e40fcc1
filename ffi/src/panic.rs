//! The panic boundary: no Rust panic ever unwinds into C (DESIGN.md
//! invariant 4).
//!
//! Every `extern "C"` body runs inside [`ffi_boundary!`] (functions that
//! return a plain value: on a panic they return the given fallback) or
//! [`ffi_status!`] (functions that return an `esafety_status`: on a panic
//! they return `ESAFETY_STATUS_PANIC` and leave the panic message as the
//! thread's last error). This relies on `panic = "unwind"`, which the
//! workspace release profile keeps; with `panic = "abort"` a panic would
//! abort the host instead.

use std::any::Any;

/// The text of a panic payload.
pub(crate) fn panic_message(payload: &(dyn Any + Send)) -> String {
    let what = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("no message");
    format!(
        "internal error: esafety panicked ({what}); the library is still usable, please report this with the input that caused it"
    )
}

/// Runs a body that returns a plain value; on a panic, returns `$fallback`.
macro_rules! ffi_boundary {
    ($fallback:expr, $body:block) => {
        match ::std::panic::catch_unwind(::std::panic::AssertUnwindSafe(|| $body)) {
            Ok(value) => value,
            Err(payload) => {
                $crate::error::set_last_error(&$crate::panic::panic_message(&*payload));
                $fallback
            }
        }
    };
}

/// Runs a body of type `Result<(), Failure>` and returns its
/// `esafety_status`, recording the last-error message; a panic becomes
/// `ESAFETY_STATUS_PANIC`.
macro_rules! ffi_status {
    ($body:block) => {
        match ::std::panic::catch_unwind(::std::panic::AssertUnwindSafe(
            || -> ::std::result::Result<(), $crate::error::Failure> { $body },
        )) {
            Ok(result) => $crate::error::finish(result),
            Err(payload) => {
                $crate::error::set_last_error(&$crate::panic::panic_message(&*payload));
                $crate::error::esafety_status::Panic
            }
        }
    };
}

pub(crate) use {ffi_boundary, ffi_status};

#[cfg(test)]
#[allow(
    clippy::undocumented_unsafe_blocks,
    reason = "tests pass valid pointers, or NULL where the function under test accepts it"
)]
mod tests {
    use crate::error::{esafety_last_error, esafety_status};

    fn boom(on: bool) -> esafety_status {
        ffi_status!({
            if on {
                panic!("boom at the boundary");
            }
            Ok(())
        })
    }

    #[test]
    fn a_panic_becomes_the_panic_status_with_its_message() {
        assert_eq!(boom(true), esafety_status::Panic);
        let mut buf = vec![0 as std::ffi::c_char; 256];
        let n = unsafe { esafety_last_error(buf.as_mut_ptr(), buf.len()) };
        let text: Vec<u8> = buf[..n].iter().map(|&b| b as u8).collect();
        let text = String::from_utf8(text).unwrap();
        assert!(text.contains("boom at the boundary"), "{text}");
        assert_eq!(boom(false), esafety_status::Ok);
    }

    #[test]
    fn a_panic_in_a_value_function_returns_the_fallback() {
        let v: usize = ffi_boundary!(7, {
            if std::hint::black_box(true) {
                panic!("value boom");
            }
            1
        });
        assert_eq!(v, 7);
    }
}
