//! The C face of esafety. Holds no decision logic: every function forwards
//! to the core crate. `unsafe` lives only here, each block with a
//! `// SAFETY:` comment.

/// The library version as a NUL-terminated string with static lifetime.
#[unsafe(no_mangle)]
pub extern "C" fn esafety_version() -> *const std::ffi::c_char {
    c"0.1.0".as_ptr()
}
