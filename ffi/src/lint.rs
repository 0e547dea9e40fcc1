//! Linting a policy against the minimum standards.

use std::ffi::c_char;

use esafety::policy::lint::LintReport;
use esafety::policy::{LintOptions, Severity, lint};

use crate::error::{Failure, esafety_status};
use crate::input::{ESAFETY_MAX_NAME_LEN, ESAFETY_MAX_POLICY_LEN, opt_str_in, out_ptr, str_in};
use crate::panic::ffi_status;
use crate::policy::TEXT_SOURCE;
use crate::string::OutString;

/// How many findings of each severity `esafety_lint_policy` found.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct esafety_lint_summary {
    /// Findings of severity `error`: the policy falls short of the
    /// standards (or does not load: code `P000`).
    pub errors: usize,
    /// Findings of severity `warning`.
    pub warnings: usize,
}

/// Lints a policy (`text_len` bytes of TOML or JSON) against the minimum
/// standards and returns the report `esafety lint --json` prints,
/// `{"file", "findings": [{"code", "severity", "line", "message"}]}`, as
/// new JSON text in `*out_json` (length in `*out_len` when not NULL; free
/// it with `esafety_string_free`), and the counts in `*out_summary`.
///
/// `file` (optional; `(NULL, 0)` gives `<policy>`) is the name the report
/// uses. `today` is the date review deadlines are checked against, as Unix
/// seconds (its UTC date is used; the library never reads the clock).
///
/// A policy that is found wanting, or that does not even load (finding
/// `P000`), is still `ESAFETY_STATUS_OK`: the findings say what is wrong.
/// Errors: `NULL_PARAMETER` (`text`, `out_summary` or `out_json` is NULL),
/// `TOO_LARGE` (over `ESAFETY_MAX_POLICY_LEN`; `file` over
/// `ESAFETY_MAX_NAME_LEN`), `INVALID_UTF8`, `INVALID_PARAMETER` (`today`
/// out of range).
///
/// # Safety
///
/// `text` is NULL or points to `text_len` readable bytes; `file` is NULL
/// or points to `file_len` readable bytes; `out_summary` is NULL or points
/// to a writable `esafety_lint_summary`; `out_json` is NULL or points to a
/// writable `char *`; `out_len` is NULL or points to a writable `size_t`.
#[must_use]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn esafety_lint_policy(
    text: *const c_char,
    text_len: usize,
    file: *const c_char,
    file_len: usize,
    today: i64,
    out_summary: *mut esafety_lint_summary,
    out_json: *mut *mut c_char,
    out_len: *mut usize,
) -> esafety_status {
    ffi_status!({
        // SAFETY: `out_summary` is NULL or writable (contract).
        let summary = unsafe { out_ptr(out_summary, "out_summary") }?;
        *summary = esafety_lint_summary::default();
        // SAFETY: `out_json` and `out_len` are NULL or writable (contract).
        let out = unsafe { OutString::new(out_json, out_len) }?;
        // SAFETY: `text` is NULL or `text_len` readable bytes (contract).
        let text = unsafe { str_in(text, text_len, "text", ESAFETY_MAX_POLICY_LEN) }?;
        // SAFETY: `file` is NULL or `file_len` readable bytes (contract).
        let file = unsafe { opt_str_in(file, file_len, "file", ESAFETY_MAX_NAME_LEN) }?
            .unwrap_or(TEXT_SOURCE);
        let today = jiff::Timestamp::from_second(today).map_err(|e| {
            Failure::new(
                esafety_status::InvalidParameter,
                format!(
                    "`today` ({today}) is not a time jiff can represent: {e}; pass Unix seconds"
                ),
            )
        })?;
        let today = jiff::tz::TimeZone::UTC.to_datetime(today).date();
        let findings = lint(file, text, LintOptions { today });
        let errors = findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count();
        let report = LintReport {
            file: file.to_owned(),
            findings,
        };
        out.give_json(&report)?;
        *summary = esafety_lint_summary {
            errors,
            warnings: report.findings.len().saturating_sub(errors),
        };
        Ok(())
    })
}
