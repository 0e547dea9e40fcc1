//! Decisions per second through the C API (`esafety_decide`, called through
//! its `extern "C"` ABI exactly as a C program calls it) vs the Rust API
//! (`CanonicalUrl::parse` + `Engine::decide`), on the same URLs, bundle,
//! policy and context, in the same run (issue 7, "Performance": the C face
//! should cost at most 10% over the Rust core).
//!
//! Data: the URLs of `top500-sitelist.txt` against the classify bench's
//! bundle (123,283 real hosts + 10,000 synthetic IWF pages; see
//! `classify_data`), decided by `policies/secondary-pupils.toml` for a
//! pupil aged 14 on a managed device on a school-day morning. The bundle is
//! also written to `$CARGO_TARGET_DIR/ffi-bench.esb` (or
//! `ESAFETY_FFI_BENCH_BUNDLE`) so the C program `ffi/bench/bench_decide.c`
//! can be run on the same bundle.
//!
//! `cargo bench -p esafety-benches --bench ffi_vs_rust`

#[path = "classify_data/mod.rs"]
mod classify_data;

use std::ffi::c_char;
use std::hint::black_box;
use std::path::PathBuf;
use std::time::Instant;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use esafety::bundle::Bundle;
use esafety::policy::{Context, Device, Engine, Policy};
use esafety::url::CanonicalUrl;
use esafety_c as c;

const POLICY: &str = "policies/secondary-pupils.toml";
const AT: &str = "2026-03-02T10:00:00Z";
/// `AT` in Unix seconds: what a C filter passes (`time(NULL)`).
const AT_UNIX: i64 = 1_772_445_600;
const GROUP: &str = "pupils";
const AGE: u8 = 14;

fn request(url: &str) -> c::esafety_request {
    c::esafety_request {
        // What `ESAFETY_REQUEST_INIT` sets in C.
        struct_size: std::mem::size_of::<c::esafety_request>(),
        url: url.as_ptr().cast::<c_char>(),
        url_len: url.len(),
        group: GROUP.as_ptr().cast::<c_char>(),
        group_len: GROUP.len(),
        age: i32::from(AGE),
        device: c::esafety_device::Managed as u32,
        time: AT_UNIX,
        time_rfc3339: std::ptr::null(),
        time_rfc3339_len: 0,
    }
}

/// One pass of the Rust API over `urls` (a separate function so that
/// `valgrind --tool=callgrind --toggle-collect=*rust_pass*` can count it).
#[inline(never)]
fn rust_pass(engine: &Engine, context: Context<'_>, urls: &[String]) {
    for u in urls {
        if let Ok(url) = CanonicalUrl::parse(u) {
            black_box(engine.decide(&url, context));
        }
    }
}

/// One pass of the C API over `urls`, as a C caller makes it.
#[inline(never)]
fn c_api_pass(engine: *const c::esafety_engine, urls: &[String]) {
    for u in urls {
        let req = request(u);
        let mut d = std::mem::MaybeUninit::<c::esafety_decision>::uninit();
        // SAFETY: a live engine, a request over live buffers, a writable out.
        black_box(unsafe { c::esafety_decide(engine, &req, d.as_mut_ptr()) });
    }
}

fn bench(cr: &mut Criterion) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let data = classify_data::load();
    println!("data: {}", data.source);
    let bytes = classify_data::bundle_bytes(&data);
    let out = std::env::var_os("ESAFETY_FFI_BENCH_BUNDLE").map_or_else(
        || {
            let target = std::env::var_os("CARGO_TARGET_DIR")
                .map_or_else(|| root.join("target"), PathBuf::from);
            target.join("ffi-bench.esb")
        },
        PathBuf::from,
    );
    match std::fs::write(&out, &bytes) {
        Ok(()) => println!(
            "bundle for ffi/bench/bench_decide.c: {} ({} bytes)",
            out.display(),
            bytes.len()
        ),
        Err(e) => println!("could not write {}: {e}", out.display()),
    }
    let policy_text = std::fs::read_to_string(root.join(POLICY)).unwrap();

    // The Rust API.
    let engine = Engine::new(
        Bundle::from_bytes(bytes.clone()).unwrap(),
        Policy::load(POLICY, &policy_text).unwrap(),
    );
    let context = Context {
        group: Some(GROUP),
        age: Some(AGE),
        device: Some(Device::Managed),
        time: AT.parse().unwrap(),
    };
    assert_eq!(context.time.as_second(), AT_UNIX);

    // The C API, through its extern "C" functions.
    let mut cbundle = std::ptr::null_mut();
    let mut cpolicy = std::ptr::null_mut();
    let mut cengine = std::ptr::null_mut();
    // SAFETY: valid buffers with their lengths and writable out pointers.
    unsafe {
        assert_eq!(
            c::esafety_bundle_from_bytes(bytes.as_ptr(), bytes.len(), &mut cbundle),
            c::esafety_status::Ok
        );
        assert_eq!(
            c::esafety_policy_from_text(
                policy_text.as_ptr().cast(),
                policy_text.len(),
                &mut cpolicy
            ),
            c::esafety_status::Ok
        );
        assert_eq!(
            c::esafety_engine_new(cbundle, cpolicy, &mut cengine),
            c::esafety_status::Ok
        );
        c::esafety_bundle_free(cbundle);
        c::esafety_policy_free(cpolicy);
    }

    // Both faces must make the same decision for every URL.
    let urls = &data.urls;
    let mut blocked = 0usize;
    let mut invalid = 0usize;
    for u in urls {
        let rust = CanonicalUrl::parse(u)
            .ok()
            .map(|url| engine.decide(&url, context));
        let req = request(u);
        let mut d = std::mem::MaybeUninit::<c::esafety_decision>::uninit();
        // SAFETY: live engine, a request over live buffers, writable out.
        let status = unsafe { c::esafety_decide(cengine, &req, d.as_mut_ptr()) };
        match rust {
            Some(rust) => {
                assert_eq!(status, c::esafety_status::Ok, "{u}");
                // SAFETY: esafety_decide returned OK, so it wrote `d`.
                let d = unsafe { d.assume_init() };
                assert_eq!(d.action, rust.action.into(), "{u}");
                // SAFETY: `rule` is a NUL-terminated string owned by the engine.
                let rule = unsafe { std::ffi::CStr::from_ptr(d.rule) };
                assert_eq!(rule.to_str().unwrap(), rust.rule, "{u}");
                blocked += usize::from(d.action == c::esafety_action::Block);
            }
            None => {
                assert_eq!(status, c::esafety_status::InvalidUrl, "{u}");
                invalid += 1;
            }
        }
    }
    println!(
        "{} urls: {blocked} blocked, {invalid} not URLs; C and Rust agree on every decision",
        urls.len()
    );

    // A quick whole-stream timing of each, printed as decisions/s (criterion
    // below gives the careful figures).
    for round in 0..2 {
        let t = Instant::now();
        rust_pass(&engine, context, urls);
        let rust = t.elapsed();
        let t = Instant::now();
        c_api_pass(cengine, urls);
        let capi = t.elapsed();
        let per_s = |d: std::time::Duration| urls.len() as f64 / d.as_secs_f64();
        println!(
            "round {round}: rust {:.0} decisions/s, c api {:.0} decisions/s, c api costs {:+.1}%",
            per_s(rust),
            per_s(capi),
            (capi.as_secs_f64() / rust.as_secs_f64() - 1.0) * 100.0
        );
    }

    // ESAFETY_FFI_BENCH_PASSES_ONLY=1: stop here (for an instruction count of
    // the two passes above under callgrind, which the machine's load cannot
    // disturb; see ffi/README.md).
    if std::env::var_os("ESAFETY_FFI_BENCH_PASSES_ONLY").is_some() {
        // SAFETY: made above, freed once, no other user.
        unsafe { c::esafety_engine_free(cengine) };
        return;
    }

    let mut group = cr.benchmark_group("ffi_vs_rust");
    group.throughput(Throughput::Elements(urls.len() as u64));
    group.sample_size(20);
    group.bench_function("rust_decide", |b| {
        b.iter(|| rust_pass(&engine, context, urls))
    });
    group.bench_function("c_api_decide", |b| b.iter(|| c_api_pass(cengine, urls)));
    group.finish();
    // SAFETY: made above, freed once, no other user.
    unsafe { c::esafety_engine_free(cengine) };
}

criterion_group!(benches, bench);
criterion_main!(benches);
