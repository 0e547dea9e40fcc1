//! libesafety: the C face of esafety.
//!
//! It holds no decision logic: every function converts C arguments into a
//! call of the `esafety` core crate and the core's result into a small C
//! struct or the JSON text of the core's report types (the same JSON the
//! CLI prints with `--json`). The header `include/esafety.h` is generated
//! from this crate by cbindgen (`ffi/cbindgen.toml`) and checked in.
//!
//! `unsafe` lives only in this crate; each block says why it is sound in a
//! `// SAFETY:` comment. Every exported body runs inside the panic boundary
//! ([`panic`]).
#![deny(unsafe_op_in_unsafe_fn)]
#![deny(clippy::undocumented_unsafe_blocks)]
#![allow(
    non_camel_case_types,
    reason = "C type names (`esafety_status`) are part of the C API"
)]

mod bundle;
mod canonicalize;
mod categories;
mod classify;
mod decide;
mod engine;
mod error;
mod incident;
mod input;
mod limits;
mod lint;
mod panic;
mod policy;
mod record;
mod record_struct;
mod scan;
mod string;

pub use bundle::{
    esafety_bundle, esafety_bundle_bytes, esafety_bundle_free, esafety_bundle_from_bytes,
    esafety_bundle_from_file, esafety_bundle_from_verified_bytes, esafety_bundle_sample,
    esafety_bundle_verify,
};
pub use canonicalize::{esafety_canonicalize, esafety_canonicalize_json};
pub use categories::*;
pub use classify::{esafety_classification, esafety_classify, esafety_classify_json};
pub use decide::{
    esafety_action, esafety_action_name, esafety_decide, esafety_decide_json, esafety_decision,
    esafety_device, esafety_request, esafety_request_init,
};
pub use engine::{esafety_engine, esafety_engine_free, esafety_engine_new};
pub use error::{
    esafety_last_error, esafety_last_error_message, esafety_status, esafety_status_name,
};
pub use incident::{
    esafety_assess_incident, esafety_assess_incident_with_limits, esafety_severity,
};
pub use input::{
    ESAFETY_MAX_BUNDLE_LEN, ESAFETY_MAX_INCIDENT_LEN, ESAFETY_MAX_NAME_LEN, ESAFETY_MAX_PATH_LEN,
    ESAFETY_MAX_POLICY_LEN, ESAFETY_MAX_URL_LEN,
};
pub use limits::{
    esafety_bundle_from_bytes_with_limits, esafety_bundle_from_file_with_limits, esafety_limits,
    esafety_limits_default, esafety_policy_from_text_with_limits,
};
pub use lint::{esafety_lint_policy, esafety_lint_summary};
pub use policy::{
    esafety_policy, esafety_policy_free, esafety_policy_from_file, esafety_policy_from_text,
};
pub use record::{
    ESAFETY_MAX_KEY_LEN, esafety_identity, esafety_record_json, esafety_search_terms_json,
};
pub use record_struct::{
    esafety_alert_urgency, esafety_content_category, esafety_content_finding,
    esafety_content_phrase, esafety_content_source, esafety_record, esafety_record_free,
    esafety_record_new, esafety_record_new_scanned, esafety_text,
};
pub use scan::{
    ESAFETY_MAX_PHRASE_LISTS, ESAFETY_MAX_SCAN_LEN, esafety_decide_content_json, esafety_scan,
    esafety_scan_result, esafety_scan_stream, esafety_scan_stream_feed, esafety_scan_stream_finish,
    esafety_scan_stream_free, esafety_scan_stream_new, esafety_scanner, esafety_scanner_free,
    esafety_scanner_new, esafety_verdict,
};
pub use string::esafety_string_free;

/// The major version of the library this header belongs to.
pub const ESAFETY_VERSION_MAJOR: u32 = 0;
/// The minor version of the library this header belongs to.
pub const ESAFETY_VERSION_MINOR: u32 = 1;
/// The patch version of the library this header belongs to.
pub const ESAFETY_VERSION_PATCH: u32 = 0;

/// The version of the library actually linked, as a static NUL-terminated
/// string `"MAJOR.MINOR.PATCH"` (compare it with the `ESAFETY_VERSION_*`
/// macros of the header you compiled against). Never free it.
#[unsafe(no_mangle)]
pub extern "C" fn esafety_version() -> *const std::ffi::c_char {
    panic::ffi_boundary!(c"".as_ptr(), {
        const VERSION: &std::ffi::CStr = match std::ffi::CStr::from_bytes_with_nul(
            concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes(),
        ) {
            Ok(v) => v,
            Err(_) => c"",
        };
        VERSION.as_ptr()
    })
}

/// The version of the library actually linked as one number,
/// `MAJOR * 10000 + MINOR * 100 + PATCH` (compare it with
/// `ESAFETY_VERSION_NUMBER`).
#[unsafe(no_mangle)]
pub extern "C" fn esafety_version_number() -> u32 {
    panic::ffi_boundary!(0, { ESAFETY_VERSION_NUMBER })
}

/// `ESAFETY_VERSION_MAJOR * 10000 + ESAFETY_VERSION_MINOR * 100 +
/// ESAFETY_VERSION_PATCH`: the header's version as one number.
pub const ESAFETY_VERSION_NUMBER: u32 = 100;

#[cfg(test)]
#[allow(
    clippy::undocumented_unsafe_blocks,
    reason = "tests pass valid pointers, or NULL where the function under test accepts it"
)]
mod tests {
    use super::*;

    #[test]
    fn version_macros_match_the_crate_version() {
        assert_eq!(
            ESAFETY_VERSION_MAJOR.to_string(),
            env!("CARGO_PKG_VERSION_MAJOR")
        );
        assert_eq!(
            ESAFETY_VERSION_MINOR.to_string(),
            env!("CARGO_PKG_VERSION_MINOR")
        );
        assert_eq!(
            ESAFETY_VERSION_PATCH.to_string(),
            env!("CARGO_PKG_VERSION_PATCH")
        );
        assert_eq!(
            ESAFETY_VERSION_NUMBER,
            ESAFETY_VERSION_MAJOR * 10_000 + ESAFETY_VERSION_MINOR * 100 + ESAFETY_VERSION_PATCH
        );
        let v = unsafe { std::ffi::CStr::from_ptr(esafety_version()) };
        assert_eq!(v.to_str().unwrap(), env!("CARGO_PKG_VERSION"));
        assert_eq!(esafety_version_number(), ESAFETY_VERSION_NUMBER);
    }
}
