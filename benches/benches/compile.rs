//! Expression compile (issue 27, "Performance"): the time and peak heap of
//! building a bundle whose expressions are (1) one UT1
//! `strong_redirector`-style expression, (2) 1,000 and (3) 10,000
//! ordinary expressions, beside squidGuard 1.6 starting with the same
//! expression lists (`regcomp` of each line; its start-up without lists
//! subtracted) in the same run.
//!
//! The real UT1 lists are not on this machine (`$ESAFETY_DATA` holds
//! adblock-rust's peer lists only), so the `strong_redirector` expression
//! is generated in its shape: seven `.*`-joined search-engine alternatives
//! before fifty keywords, the shape that has no unanchored DFA within the
//! limits (every expression gets the anchored engine now, see
//! `esafety::bundle::RegexEngine`).
//! The ordinary expressions are UT1 `expressions`-style keyword
//! boundaries, `(^|[-/_.])WORD([-/_.]|$)`, each with its own word.
//!
//! `cargo bench -p esafety-benches --bench compile`

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

#[path = "expression_sets/mod.rs"]
mod expression_sets;

use criterion::{Criterion, criterion_group, criterion_main};
use esafety::bundle::{BundleBuilder, RegexEngine};
use esafety::lists::{Entry, EntryKind};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(size: usize) {
    let now = LIVE.fetch_add(size, Ordering::Relaxed) + size;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

// SAFETY: forwards to the system allocator and only counts sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        grew(new_size);
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Builds the bundle of `expressions`; its bytes and engines.
fn build(expressions: &[String]) -> (Vec<u8>, Vec<RegexEngine>) {
    let mut b = BundleBuilder::new();
    b.created(jiff::Timestamp::UNIX_EPOCH);
    let list = b.add_list("expressions", "adult").unwrap();
    for (i, e) in expressions.iter().enumerate() {
        b.add_entry(
            list,
            &Entry {
                kind: EntryKind::SquidGuardExpression(e.clone()),
                line: i + 1,
            },
        )
        .unwrap();
    }
    let engines = b.expressions().iter().map(|e| e.engine).collect();
    (b.build().unwrap(), engines)
}

/// squidGuard's start-up with `expressions` as its one expression list
/// (and with none), as wall time and peak resident set from
/// `/usr/bin/time`; `None` when squidGuard or time is missing.
fn squidguard(dir: &Path, expressions: &[String]) -> Option<(Duration, u64)> {
    if !Path::new("/usr/bin/time").exists() {
        return None;
    }
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir.join("db/x")).ok()?;
    std::fs::create_dir_all(dir.join("log")).ok()?;
    let mut text = expressions.join("\n");
    text.push('\n');
    std::fs::write(dir.join("db/x/expressions"), text).ok()?;
    let conf = format!(
        "dbhome {0}/db\nlogdir {0}/log\ndest x {{\n    expressionlist x/expressions\n}}\nacl {{\n    default {{\n        pass !x all\n        redirect http://blocked.invalid/\n    }}\n}}\n",
        dir.display()
    );
    std::fs::write(dir.join("sg.conf"), conf).ok()?;
    let start = Instant::now();
    let out = Command::new("/usr/bin/time")
        .args(["-f", "%M"])
        .arg("squidGuard")
        .arg("-c")
        .arg(dir.join("sg.conf"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .output()
        .ok()?;
    let took = start.elapsed();
    if !out.status.success() {
        return None;
    }
    let kib: u64 = String::from_utf8_lossy(&out.stderr)
        .lines()
        .last()?
        .trim()
        .parse()
        .ok()?;
    Some((took, kib))
}

fn bench(c: &mut Criterion) {
    let sets = expression_sets::sets();
    let scratch =
        std::env::temp_dir().join(format!("esafety-compile-bench-{}", std::process::id()));
    let baseline = squidguard(&scratch.join("none"), &[]);
    for (name, expressions) in &sets {
        // One build measured alone: its peak heap above what was live.
        let before = LIVE.load(Ordering::Relaxed);
        PEAK.store(before, Ordering::Relaxed);
        let start = Instant::now();
        let (bytes, engines) = build(expressions);
        let took = start.elapsed();
        let peak = PEAK.load(Ordering::Relaxed).saturating_sub(before);
        let anchored = engines
            .iter()
            .filter(|e| **e == RegexEngine::AnchoredDfa)
            .count();
        println!(
            "{name}: {} expressions ({anchored} anchored-dfa), one build {:.3} s, peak heap {:.1} MB, bundle {:.1} MB",
            expressions.len(),
            took.as_secs_f64(),
            peak as f64 / 1e6,
            bytes.len() as f64 / 1e6
        );
        match (squidguard(&scratch.join(name), expressions), baseline) {
            (Some((t, kib)), Some((t0, kib0))) => println!(
                "{name}: squidGuard start-up {:.3} s ({:.3} s without lists), peak RSS {:.1} MB ({:.1} MB without lists)",
                t.as_secs_f64(),
                t0.as_secs_f64(),
                kib as f64 / 1e3,
                kib0 as f64 / 1e3
            ),
            _ => println!("{name}: squidGuard not installed (scripts/setup.sh): no peer figure"),
        }
        let mut group = c.benchmark_group("compile");
        group.sample_size(10);
        group.measurement_time(Duration::from_secs(10));
        // A build of many seconds (1,000 ordinary expressions took 43-59 s
        // on the 2-core machine) is reported by the one build above;
        // criterion samples only the builds that fit a bench run.
        if took < Duration::from_secs(5) {
            group.bench_function(format!("esafety/{name}"), |b| {
                b.iter(|| black_box(build(black_box(expressions))))
            });
        }
        if baseline.is_some() {
            let dir = scratch.join(name);
            group.bench_function(format!("squidguard/{name}"), |b| {
                b.iter(|| black_box(squidguard(&dir, black_box(expressions))))
            });
        }
        group.finish();
    }
    let _ = std::fs::remove_dir_all(&scratch);
}

criterion_group!(benches, bench);
criterion_main!(benches);
