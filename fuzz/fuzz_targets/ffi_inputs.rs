//! Arbitrary bytes through the C API, as a C caller would pass them: a
//! bundle, a policy, an incident, a URL to canonicalize, classify and
//! decide (with arbitrary request fields), a policy to lint. Every call
//! returns a status and never `ESAFETY_STATUS_PANIC` (a panic would mean a
//! core bug reached the boundary; libFuzzer's panic hook reports it first).
#![no_main]

use std::ffi::c_char;
use std::ptr::{null, null_mut};
use std::sync::OnceLock;

use esafety_c as c;
use libfuzzer_sys::fuzz_target;

const POLICY: &str = include_str!("../../ffi/tests/fixtures/policy.toml");

struct Handles {
    bundle: *mut c::esafety_bundle,
    engine: *mut c::esafety_engine,
}

// SAFETY: libesafety handles are immutable and documented thread-safe.
unsafe impl Send for Handles {}
// SAFETY: as above.
unsafe impl Sync for Handles {}

fn handles() -> &'static Handles {
    static H: OnceLock<Handles> = OnceLock::new();
    H.get_or_init(|| {
        let mut bundle = null_mut();
        let mut policy = null_mut();
        let mut engine = null_mut();
        // SAFETY: writable out pointers; a valid policy buffer.
        unsafe {
            assert_eq!(c::esafety_bundle_sample(&mut bundle), c::esafety_status::Ok);
            assert_eq!(
                c::esafety_policy_from_text(POLICY.as_ptr().cast(), POLICY.len(), &mut policy),
                c::esafety_status::Ok
            );
            assert_eq!(
                c::esafety_engine_new(bundle, policy, &mut engine),
                c::esafety_status::Ok
            );
            c::esafety_policy_free(policy);
        }
        Handles { bundle, engine }
    })
}

fn ok(status: c::esafety_status) {
    assert_ne!(status, c::esafety_status::Panic);
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let h = handles();
    let p = rest.as_ptr().cast::<c_char>();
    let n = rest.len();
    let mut json: *mut c_char = null_mut();
    // SAFETY: `p` points to `n` readable bytes; every out pointer is
    // writable; handles are live; every returned string is freed once.
    unsafe {
        match selector % 6 {
            0 => {
                let mut b = null_mut();
                ok(c::esafety_bundle_from_bytes(rest.as_ptr(), n, &mut b));
                c::esafety_bundle_free(b);
            }
            1 => {
                let mut pol = null_mut();
                ok(c::esafety_policy_from_text(p, n, &mut pol));
                c::esafety_policy_free(pol);
                let mut summary = c::esafety_lint_summary::default();
                ok(c::esafety_lint_policy(
                    p,
                    n,
                    null(),
                    0,
                    1_772_445_600,
                    &mut summary,
                    &mut json,
                    null_mut(),
                ));
            }
            2 => {
                let mut severity = 0u32;
                ok(c::esafety_assess_incident(
                    p,
                    n,
                    null(),
                    0,
                    &mut severity,
                    &mut json,
                    null_mut(),
                ));
            }
            3 => {
                ok(c::esafety_canonicalize_json(p, n, &mut json, null_mut()));
                let mut out = c::esafety_classification::default();
                ok(c::esafety_classify(h.bundle, p, n, &mut out));
            }
            _ => {
                // The first bytes choose the request fields, the rest is the URL.
                let (head, url) = rest.split_at(rest.len().min(8));
                let b = |i: usize| head.get(i).copied().unwrap_or(0);
                let group = "staff";
                let at = "2026-03-02T10:00:00Z";
                let req = c::esafety_request {
                    // Mostly this library's size; sometimes a size it must
                    // refuse (and block on).
                    struct_size: if b(7) & 0x02 == 0 {
                        std::mem::size_of::<c::esafety_request>()
                    } else {
                        usize::from(b(6))
                    },
                    url: url.as_ptr().cast(),
                    url_len: url.len(),
                    group: if b(0) & 1 == 1 {
                        group.as_ptr().cast()
                    } else {
                        null()
                    },
                    group_len: if b(0) & 1 == 1 { group.len() } else { 0 },
                    age: i32::from(b(1) as i8) * 3,
                    device: u32::from(b(2) % 4),
                    time: i64::from_le_bytes([b(3), b(4), b(5), b(6), 0, 0, 0, b(7) & 0x81]),
                    time_rfc3339: if b(0) & 2 == 2 {
                        at.as_ptr().cast()
                    } else {
                        null()
                    },
                    time_rfc3339_len: if b(0) & 2 == 2 { at.len() } else { 0 },
                };
                let mut d = std::mem::MaybeUninit::<c::esafety_decision>::uninit();
                ok(c::esafety_decide(h.engine, &req, d.as_mut_ptr()));
                ok(c::esafety_decide_json(
                    h.engine,
                    &req,
                    &mut json,
                    null_mut(),
                ));
            }
        }
        c::esafety_string_free(json);
    }
});
