//! `esafety_engine`: a bundle and a policy, ready to decide requests.

use std::ffi::CString;

use esafety::policy::{BASELINE, DEFAULT, DecidedBy, Decision, Engine};

use crate::bundle::{SharedBytes, esafety_bundle};
use crate::error::{Failure, esafety_status};
use crate::input::{handle_in, out_ptr};
use crate::panic::ffi_status;
use crate::policy::esafety_policy;

/// A bundle and a policy together: what a filter uses to decide requests.
///
/// Immutable and thread-safe: one engine may decide requests from any
/// number of threads at once. Hot reload: build a new engine, swap the
/// pointer your threads read (atomically), and free the old one when no
/// thread uses it any more.
pub struct esafety_engine {
    pub(crate) engine: Engine<SharedBytes>,
    /// The names a decision's rule can have, NUL-terminated: what
    /// `esafety_decision.rule` points into. The policy's rule ids by rule
    /// index, then `baseline`, then `default`.
    pub(crate) rule_names: Vec<CString>,
}

/// Makes an engine from a bundle and a policy. The engine keeps its own
/// references to both: `bundle` and `policy` may be freed (or used for
/// other engines) right after this returns.
///
/// On success `*out` is a new engine to free with `esafety_engine_free`;
/// on failure it is NULL. Errors: `NULL_PARAMETER`.
///
/// # Safety
///
/// `bundle` and `policy` are NULL or live handles; `out` is NULL or points
/// to a writable `esafety_engine *`.
#[must_use]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn esafety_engine_new(
    bundle: *const esafety_bundle,
    policy: *const esafety_policy,
    out: *mut *mut esafety_engine,
) -> esafety_status {
    ffi_status!({
        // SAFETY: `out` is NULL or writable (contract).
        let out = unsafe { out_ptr(out, "out") }?;
        *out = std::ptr::null_mut();
        // SAFETY: `bundle` is NULL or a live bundle (contract).
        let bundle = unsafe { handle_in(bundle, "bundle") }?;
        // SAFETY: `policy` is NULL or a live policy (contract).
        let policy = unsafe { handle_in(policy, "policy") }?;
        let rule_names = policy
            .policy
            .rules()
            .iter()
            .map(|r| r.id())
            .chain([BASELINE, DEFAULT])
            .map(|id| {
                CString::new(id).map_err(|_| {
                    Failure::new(
                        esafety_status::InvalidPolicy,
                        format!(
                            "rule id `{}` contains a NUL byte; rename the rule",
                            id.escape_default()
                        ),
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        // The engine shares the bundle's and the policy's loaded parts
        // (reference counts): nothing is re-validated or copied.
        *out = Box::into_raw(Box::new(esafety_engine {
            engine: Engine::new(bundle.classifier.bundle().clone(), policy.policy.clone()),
            rule_names,
        }));
        Ok(())
    })
}

/// Frees an engine. `NULL` is a no-op.
///
/// # Safety
///
/// `engine` is NULL or an engine from this library not yet freed, and no
/// other thread is using it (nor any `esafety_decision.rule` from it).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn esafety_engine_free(engine: *mut esafety_engine) {
    crate::panic::ffi_boundary!((), {
        if !engine.is_null() {
            // SAFETY: `engine` came from `Box::into_raw` in
            // `esafety_engine_new` and is freed once (contract).
            drop(unsafe { Box::from_raw(engine) });
        }
    })
}

/// The NUL-terminated name of the rule that made `decision`, owned by
/// `engine`, and its length.
pub(crate) fn rule_name<'e>(engine: &'e esafety_engine, decision: &Decision) -> &'e std::ffi::CStr {
    let n = engine.rule_names.len();
    let index = match decision.decided_by {
        DecidedBy::Rule(i) => Some(i),
        DecidedBy::Baseline => n.checked_sub(2),
        DecidedBy::Default => n.checked_sub(1),
        DecidedBy::Error => return c"error",
        DecidedBy::Content => return c"content",
    };
    let by_index = index
        .and_then(|i| engine.rule_names.get(i))
        .filter(|name| name.as_bytes() == decision.rule.as_bytes());
    by_index
        .or_else(|| {
            engine
                .rule_names
                .iter()
                .find(|name| name.as_bytes() == decision.rule.as_bytes())
        })
        .map_or(c"", |name| name.as_c_str())
}
