//! Assessing an incident: severity and escalation routes.

use std::ffi::c_char;

use esafety::Limits;
use esafety::incident::{AssessmentReport, EscalationProfile, Incident, Severity};

use crate::error::{Failure, esafety_status};
use crate::input::{ESAFETY_MAX_INCIDENT_LEN, ESAFETY_MAX_NAME_LEN, opt_str_in, str_in};
use crate::limits::{esafety_limits, limits_in};
use crate::panic::ffi_status;
use crate::string::OutString;

/// How serious an incident is, ordered from least to most serious.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum esafety_severity {
    /// `low`: handled internally under the acceptable use policy.
    Low = 0,
    /// `medium`.
    Medium = 1,
    /// `high`.
    High = 2,
    /// `critical`: act immediately (police, IWF, CEOP, ...).
    Critical = 3,
}

impl From<Severity> for esafety_severity {
    fn from(s: Severity) -> Self {
        match s {
            Severity::Low => esafety_severity::Low,
            Severity::Medium => esafety_severity::Medium,
            Severity::High => esafety_severity::High,
            Severity::Critical => esafety_severity::Critical,
        }
    }
}

/// Assesses an incident record and returns what to do as the JSON that
/// `esafety incident --json` prints: `{"severity", "routes": [ids],
/// "actions", "explanation", "route_details", "prohibited", "judgements",
/// "review", "log_missing", "profile"}`, as new text in `*out_json` (length
/// in `*out_len` when not NULL; free it with `esafety_string_free`).
///
/// `incident` is `incident_len` bytes of the incident record in the format
/// of the project's DESIGN.md (JSON; TOML is accepted too). `profile`
/// names a shipped escalation profile (`national` or `manchester`) whose
/// contacts fill in the routes; `(NULL, 0)` means `national`.
/// `out_severity` may be NULL; otherwise it receives the severity as an
/// `esafety_severity` value.
///
/// Errors: `NULL_PARAMETER`, `TOO_LARGE` (over
/// `ESAFETY_MAX_INCIDENT_LEN`), `INVALID_UTF8`, `INVALID_INCIDENT` (syntax,
/// unknown field or id; the message names line and column),
/// `UNKNOWN_PROFILE`.
///
/// # Safety
///
/// `incident` is NULL or points to `incident_len` readable bytes;
/// `profile` is NULL or points to `profile_len` readable bytes;
/// `out_severity` is NULL or points to a writable `uint32_t`; `out_json` is
/// NULL or points to a writable `char *`; `out_len` is NULL or points to a
/// writable `size_t`.
#[must_use]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn esafety_assess_incident(
    incident: *const c_char,
    incident_len: usize,
    profile: *const c_char,
    profile_len: usize,
    out_severity: *mut u32,
    out_json: *mut *mut c_char,
    out_len: *mut usize,
) -> esafety_status {
    // SAFETY: the caller's contract is this function's.
    unsafe {
        assess(
            incident,
            incident_len,
            profile,
            profile_len,
            None,
            out_severity,
            out_json,
            out_len,
        )
    }
}

/// `esafety_assess_incident` within `*limits`: the incident record is
/// refused over `max_document_len` (in place of `ESAFETY_MAX_INCIDENT_LEN`)
/// with `TOO_LARGE`. Errors: as `esafety_assess_incident`, and
/// `NULL_PARAMETER` for a NULL `limits`, `INVALID_PARAMETER` for limits
/// that cannot be used (see `esafety_limits`).
///
/// # Safety
///
/// As `esafety_assess_incident`; `limits` is NULL or points to an
/// `esafety_limits` from `esafety_limits_default()`.
#[must_use]
#[unsafe(no_mangle)]
#[allow(
    clippy::too_many_arguments,
    reason = "the C signature: the inputs, the limits and three outputs"
)]
pub unsafe extern "C" fn esafety_assess_incident_with_limits(
    incident: *const c_char,
    incident_len: usize,
    profile: *const c_char,
    profile_len: usize,
    limits: *const esafety_limits,
    out_severity: *mut u32,
    out_json: *mut *mut c_char,
    out_len: *mut usize,
) -> esafety_status {
    // SAFETY: the caller's contract is this function's, `limits` besides.
    unsafe {
        assess(
            incident,
            incident_len,
            profile,
            profile_len,
            Some(limits),
            out_severity,
            out_json,
            out_len,
        )
    }
}

/// The two entry points: `limits` is `None` for the defaults with the
/// `ESAFETY_MAX_INCIDENT_LEN` boundary, else the caller's (maybe NULL)
/// pointer.
///
/// # Safety
///
/// As `esafety_assess_incident_with_limits`.
#[allow(
    clippy::too_many_arguments,
    reason = "the C signature: the inputs, the limits and three outputs"
)]
unsafe fn assess(
    incident: *const c_char,
    incident_len: usize,
    profile: *const c_char,
    profile_len: usize,
    limits: Option<*const esafety_limits>,
    out_severity: *mut u32,
    out_json: *mut *mut c_char,
    out_len: *mut usize,
) -> esafety_status {
    ffi_status!({
        // SAFETY: `out_json` and `out_len` are NULL or writable (contract).
        let out = unsafe { OutString::new(out_json, out_len) }?;
        // SAFETY: `out_severity` is NULL or writable (contract).
        let mut severity_out = unsafe { out_severity.as_mut() };
        if let Some(s) = severity_out.as_deref_mut() {
            *s = esafety_severity::Low as u32;
        }
        let (limits, boundary) = match limits {
            // SAFETY: `limits` is NULL or a readable struct (contract).
            Some(limits) => (unsafe { limits_in(limits) }?, usize::MAX),
            None => (Limits::default(), ESAFETY_MAX_INCIDENT_LEN),
        };
        // Core refuses a record over `max_document_len` (a `TOO_LARGE`);
        // with limits the boundary only bounds what it reads as a `str`.
        // SAFETY: `incident` is NULL or `incident_len` readable bytes.
        let text = unsafe { str_in(incident, incident_len, "incident", boundary) }?;
        // SAFETY: `profile` is NULL or `profile_len` readable bytes.
        let name = unsafe { opt_str_in(profile, profile_len, "profile", ESAFETY_MAX_NAME_LEN) }?
            .unwrap_or("national");
        let profile = EscalationProfile::shipped(name)
            .map_err(|e| Failure::from_error(e.code().into(), &e))?;
        let incident = Incident::from_bytes_auto_with_limits(text.as_bytes(), &limits)
            .map_err(|e| Failure::from_error(e.code().into(), &e))?;
        let report = AssessmentReport::new(&esafety::incident::assess(&incident, &profile));
        if let Some(s) = severity_out {
            *s = esafety_severity::from(report.severity) as u32;
        }
        out.give_json(&report)
    })
}
