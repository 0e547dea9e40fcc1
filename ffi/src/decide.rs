//! Deciding a request: classify the URL, evaluate the policy.

use std::borrow::Cow;
use std::ffi::c_char;

use esafety::policy::{Action, Context, Decision, DecisionReport, context};
use esafety::url::CanonicalUrl;

use crate::engine::{esafety_engine, rule_name};
use crate::error::{Failure, esafety_status};
use crate::input::{ESAFETY_MAX_NAME_LEN, handle_in, opt_str_in, out_ptr, url_text_in};
use crate::panic::ffi_status;
use crate::string::OutString;

/// What to do with a request, from the most to the least restrictive.
///
/// Zero is `ESAFETY_ACTION_BLOCK`: a decision that was never written (a
/// zeroed struct) blocks, never allows.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum esafety_action {
    /// Refuse it and show the block page (logged).
    Block = 0,
    /// Show a warning; the user may proceed (logged).
    Warn = 1,
    /// Let it through and flag it for review (logged).
    Monitor = 2,
    /// Let the request through.
    Allow = 3,
}

impl From<Action> for esafety_action {
    fn from(a: Action) -> Self {
        match a {
            Action::Allow => esafety_action::Allow,
            Action::Monitor => esafety_action::Monitor,
            Action::Warn => esafety_action::Warn,
            Action::Block => esafety_action::Block,
        }
    }
}

/// The kind of device a request comes from (`esafety_request.device`).
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum esafety_device {
    /// Not known: rules that name a device do not match.
    Unknown = 0,
    /// A device the setting owns and manages.
    Managed = 1,
    /// A personal device (bring your own device).
    Byod = 2,
}

/// One request to decide. Start from `ESAFETY_REQUEST_INIT` (C and C++:
/// `esafety_request r = ESAFETY_REQUEST_INIT;`) or `esafety_request_init`,
/// which set `struct_size` and the defaults (age -1, not known; no group,
/// device or RFC 3339 time), then fill in what you know: only `url` is
/// required.
///
/// ABI growth: new fields are only ever appended, and `struct_size` tells
/// the library which version of the struct the caller was compiled with. A
/// library reads only the fields `struct_size` covers; a `struct_size` it
/// does not know (0, a garbage value, or a newer header's larger struct) is
/// `ESAFETY_STATUS_INVALID_REQUEST` and the fail-closed block decision,
/// never a guess.
///
/// The struct and the buffers it points to are only read during the call.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct esafety_request {
    /// `sizeof(esafety_request)` from the header the caller was compiled
    /// with: set by `ESAFETY_REQUEST_INIT` and `esafety_request_init`.
    pub struct_size: usize,
    /// The URL as the user asked for it (`url_len` bytes, not
    /// NUL-terminated). Bytes that are not part of valid UTF-8, as a raw
    /// request line can carry, read as their `%XX` escapes: the same URL to
    /// canonicalization. Required: NULL is `NULL_PARAMETER`.
    pub url: *const c_char,
    /// The length of `url` in bytes (at most `ESAFETY_MAX_URL_LEN`).
    pub url_len: usize,
    /// The user's group (e.g. `staff`, `year-7`), `group_len` bytes of
    /// UTF-8; optional: `(NULL, 0)` means none.
    pub group: *const c_char,
    /// The length of `group` in bytes (at most `ESAFETY_MAX_NAME_LEN`).
    pub group_len: usize,
    /// The user's age in years, 0 to 255; negative means not known.
    pub age: i32,
    /// An `esafety_device` value (`ESAFETY_DEVICE_UNKNOWN` is 0).
    pub device: u32,
    /// When the request was made, in Unix seconds; used when
    /// `time_rfc3339` is NULL. Policies evaluate days and times in their
    /// own time zone.
    pub time: i64,
    /// When the request was made, as RFC 3339 text with an offset (e.g.
    /// `2026-03-02T10:00:00Z`); optional: `(NULL, 0)` means use `time`.
    pub time_rfc3339: *const c_char,
    /// The length of `time_rfc3339` in bytes (at most
    /// `ESAFETY_MAX_NAME_LEN`).
    pub time_rfc3339_len: usize,
}

/// The `struct_size` of every version of `esafety_request` this library
/// reads, oldest first (one so far: the first).
const REQUEST_SIZES: [usize; 1] = [std::mem::size_of::<esafety_request>()];

impl esafety_request {
    /// What `ESAFETY_REQUEST_INIT` and `esafety_request_init` give: this
    /// version's `struct_size`, no URL, group or RFC 3339 time, age not
    /// known (-1), device unknown, time 0.
    const INIT: esafety_request = esafety_request {
        struct_size: std::mem::size_of::<esafety_request>(),
        url: std::ptr::null(),
        url_len: 0,
        group: std::ptr::null(),
        group_len: 0,
        age: -1,
        device: 0,
        time: 0,
        time_rfc3339: std::ptr::null(),
        time_rfc3339_len: 0,
    };
}

/// Sets `*request` to the defaults `ESAFETY_REQUEST_INIT` gives (this
/// header's `struct_size`, age -1, everything else absent), for callers
/// that cannot use the macro (bindings from other languages). NULL is
/// `NULL_PARAMETER`.
///
/// # Safety
///
/// `request` is NULL or points to a writable `esafety_request`.
#[must_use]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn esafety_request_init(request: *mut esafety_request) -> esafety_status {
    ffi_status!({
        // SAFETY: `request` is NULL or writable (contract).
        let request = unsafe { out_ptr(request, "request") }?;
        *request = esafety_request::INIT;
        Ok(())
    })
}

/// The fixed-shape result of `esafety_decide`. It owns nothing.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct esafety_decision {
    /// What to do (an `esafety_action` value).
    pub action: esafety_action,
    /// Whether the decision must be logged (every block, warn and monitor,
    /// and allows from rules that ask for it).
    pub log: bool,
    /// Whether the visit is flagged for review (`monitor`).
    pub review: bool,
    /// The URL's categories as a bitset (`ESAFETY_CATEGORY_*`): bits 0..63,
    /// so a bundle's `local-` categories past the 32nd are only in the JSON
    /// result and in `esafety_classify_categories`.
    pub categories: u64,
    /// The id of the rule that decided, `baseline` (the statutory
    /// `child-abuse` / `terrorism` block) or `default`: NUL-terminated,
    /// owned by the engine and valid until it is freed. Never NULL after a
    /// successful call.
    pub rule: *const c_char,
    /// The length of `rule` in bytes, without the NUL.
    pub rule_len: usize,
}

impl esafety_decision {
    /// The fail-closed decision (the core's `Decision::error`) in C form:
    /// block, logged, rule `error`, no categories. Written to `*out` before
    /// anything else, so every error (and a panic) leaves a block there.
    const ERROR: esafety_decision = esafety_decision {
        action: esafety_action::Block,
        log: true,
        review: false,
        categories: 0,
        rule: ERROR_RULE.as_ptr(),
        rule_len: ERROR_RULE.count_bytes(),
    };
}

/// The rule name of the fail-closed decision, `esafety::policy::ERROR`.
const ERROR_RULE: &std::ffi::CStr = c"error";

/// Reads a request: the URL as text (not yet canonicalized) and the policy
/// context, read by the core's one request validator.
///
/// # Safety
///
/// `request` is NULL or points to a readable `esafety_request` whose
/// pointers are NULL or point to their lengths in readable bytes.
pub(crate) unsafe fn read_request<'r>(
    request: *const esafety_request,
) -> Result<(Cow<'r, str>, Context<'r>), Failure> {
    // SAFETY: `request` is NULL or a readable request (contract): its
    // first field, `struct_size`, is read before anything else.
    let size = unsafe { handle_in(request.cast::<usize>(), "request") }?;
    if !REQUEST_SIZES.contains(size) {
        return Err(Failure::new(
            esafety_status::InvalidRequest,
            format!(
                "request struct_size is `{size}`, not a size of esafety_request this library reads ({}); \
                 start the request from ESAFETY_REQUEST_INIT or esafety_request_init",
                REQUEST_SIZES.map(|s| s.to_string()).join(", ")
            ),
        ));
    }
    // SAFETY: `struct_size` is this version's size: the caller's struct
    // has every field of `esafety_request` (contract).
    let r = unsafe { handle_in(request, "request") }?;
    // SAFETY: the request's buffers are NULL or their lengths in readable
    // bytes (contract).
    let text = unsafe { url_text_in(r.url, r.url_len) }?;
    // SAFETY: as above.
    let group = unsafe { opt_str_in(r.group, r.group_len, "group", ESAFETY_MAX_NAME_LEN) }?;
    // SAFETY: as above.
    let rfc3339 = unsafe {
        opt_str_in(
            r.time_rfc3339,
            r.time_rfc3339_len,
            "time_rfc3339",
            ESAFETY_MAX_NAME_LEN,
        )
    }?;
    // The request's values are read by the core (one validator, one
    // wording for every face); a negative age is this face's "not known".
    let failed = |e: esafety::policy::RequestError| Failure::from_error(e.code().into(), &e);
    let age = match r.age {
        a if a < 0 => None,
        a => Some(context::age_from_years(i64::from(a)).map_err(failed)?),
    };
    let device = context::device_from_code(r.device).map_err(failed)?;
    let group = group.map(context::group).transpose().map_err(failed)?;
    let time = match rfc3339 {
        Some(t) => context::time_from_rfc3339(t),
        None => context::time_from_unix_seconds(r.time),
    }
    .map_err(failed)?;
    let context = Context {
        group,
        age,
        device,
        time,
    };
    Ok((text, context))
}

/// Reads a request and decides it.
///
/// # Safety
///
/// As [`read_request`].
unsafe fn decide<'r>(
    engine: &esafety_engine,
    request: *const esafety_request,
) -> Result<(Cow<'r, str>, CanonicalUrl, Decision), Failure> {
    // SAFETY: forwarded from this function's contract.
    let (text, context) = unsafe { read_request(request) }?;
    let url = CanonicalUrl::parse(&text).map_err(|e| Failure::from_error(e.code().into(), &e))?;
    let decision = engine.engine.decide(&url, context);
    Ok((text, url, decision))
}

/// Decides a request: canonicalizes and classifies the URL against the
/// engine's bundle and evaluates the engine's policy (the statutory
/// baseline first, then the rules in order, then the default). Writes the
/// action, log and review flags, categories and deciding rule to `*out`.
///
/// Errors: `NULL_PARAMETER` (`engine`, `request`, `request->url` or `out`
/// is NULL; `group` or `time_rfc3339` NULL with a non-zero length),
/// `TOO_LARGE`, `INVALID_UTF8` (`group`, `time_rfc3339`), `INVALID_URL`,
/// `INVALID_REQUEST` (a `struct_size` the library does not know, age over
/// 255, an unknown device, an unreadable or out-of-range time).
///
/// Fail closed: on every error (and on `PANIC`) `*out` holds the core's
/// error decision — `ESAFETY_ACTION_BLOCK`, `log` true, rule `error`, no
/// categories — so a caller that ignores the status still blocks. (Only
/// when `out` itself is NULL is there nothing to write.)
///
/// Thread-safe: any number of threads may decide with one engine at once.
///
/// # Safety
///
/// `engine` is NULL or a live engine; `request` is NULL or points to a
/// readable `esafety_request` whose pointers are NULL or point to their
/// lengths in readable bytes; `out` is NULL or points to a writable
/// `esafety_decision`.
#[must_use]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn esafety_decide(
    engine: *const esafety_engine,
    request: *const esafety_request,
    out: *mut esafety_decision,
) -> esafety_status {
    ffi_status!({
        // SAFETY: `out` is NULL or writable (contract).
        let out = unsafe { out_ptr(out, "out") }?;
        *out = esafety_decision::ERROR;
        // SAFETY: `engine` is NULL or a live engine (contract).
        let engine = unsafe { handle_in(engine, "engine") }?;
        // SAFETY: `request` is NULL or readable (contract).
        let (_, _, decision) = unsafe { decide(engine, request) }?;
        let rule = rule_name(engine, &decision);
        let bundle = engine.engine.classifier().bundle();
        let categories = decision
            .categories
            .iter()
            .filter_map(|id| bundle.category_from_id(id))
            .fold(0u64, |bits, c| {
                bits | 1u64.checked_shl(c.bit()).unwrap_or(0)
            });
        *out = esafety_decision {
            action: decision.action.into(),
            log: decision.log,
            review: decision.review,
            categories,
            rule: rule.as_ptr(),
            rule_len: rule.to_bytes().len(),
        };
        Ok(())
    })
}

/// Decides a request like `esafety_decide` and returns the report
/// `esafety check --json` prints, `{"url", "canonical", "action", "rule",
/// "categories", "reasons", "log", "review", "message", "safe_search"}`, as
/// new JSON text in `*out_json` (length in `*out_len` when not NULL; free
/// it with `esafety_string_free`). The reasons name each rule, list,
/// category and expression behind the decision.
///
/// Errors: as `esafety_decide`. Fail closed: on an error that leaves the
/// output pointers usable, `*out_json` is the core's error report (the
/// `check --json` line of `Decision::error`: `"action":"block"`,
/// `"rule":"error"`, the reason), so a caller that ignores the status
/// still blocks; it is NULL only when `out_json` is NULL or the report
/// could not be allocated.
///
/// # Safety
///
/// As `esafety_decide`, with `out_json` NULL or pointing to a writable
/// `char *` and `out_len` NULL or pointing to a writable `size_t`.
#[must_use]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn esafety_decide_json(
    engine: *const esafety_engine,
    request: *const esafety_request,
    out_json: *mut *mut c_char,
    out_len: *mut usize,
) -> esafety_status {
    ffi_status!({
        // SAFETY: `out_json` and `out_len` are NULL or writable (contract).
        let out = unsafe { OutString::new(out_json, out_len) }?;
        // SAFETY: `engine` is NULL or a live engine (contract).
        let decided = unsafe { handle_in(engine, "engine") }.and_then(|engine| {
            // SAFETY: `request` is NULL or readable (contract).
            unsafe { decide(engine, request) }
        });
        match decided {
            Ok((text, url, decision)) => {
                out.give_json(&DecisionReport::new(&text, url.as_str(), decision))
            }
            Err(failure) => {
                // The request's own text is not repeated: it may be what
                // could not be read.
                out.give_json(&DecisionReport::error("", &failure.message))?;
                Err(failure)
            }
        }
    })
}

/// A fixed NUL-terminated name for an `esafety_action` value (`"block"`,
/// `"warn"`, `"monitor"`, `"allow"`), or `"unknown"`. Static: never free
/// it.
#[unsafe(no_mangle)]
pub extern "C" fn esafety_action_name(action: u32) -> *const c_char {
    crate::panic::ffi_boundary!(c"unknown".as_ptr(), {
        match action {
            0 => c"block",
            1 => c"warn",
            2 => c"monitor",
            3 => c"allow",
            _ => c"unknown",
        }
        .as_ptr()
    })
}
