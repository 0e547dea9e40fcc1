//! Memory after load: the esafety bundle for the 123k hosts (+ 10,000
//! synthetic IWF pages) vs an adblock-rust engine for the same hosts.
//! Counts live heap bytes with a counting global allocator, and prints the
//! resident set (`/proc/self/statm`) around each step.
//!
//! `cargo bench -p esafety-benches --bench classify_memory`

#[path = "classify_data/mod.rs"]
mod classify_data;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use adblock::Engine;
use adblock::lists::{FilterSet, ParseOptions};
use adblock::request::Request;
use esafety::bundle::Bundle;
use esafety::classify::Classifier;

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards to the system allocator and only counts sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size(), Ordering::Relaxed);
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
        LIVE.fetch_add(new_size, Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn live() -> usize {
    LIVE.load(Ordering::Relaxed)
}

fn rss_kib() -> usize {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: usize = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    pages * 4
}

fn mb(b: usize) -> f64 {
    b as f64 / 1e6
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // `cargo bench -- --list` / `cargo test --benches` probes
    }
    let data = classify_data::load();
    println!(
        "data: {}; {} hosts, {} synthetic iwf pages",
        data.source,
        data.hosts.len(),
        data.iwf.len()
    );

    let bytes = classify_data::bundle_bytes(&data);
    let before_load = live();
    let rss_before = rss_kib();
    let bundle = Bundle::from_bytes(bytes).unwrap();
    let heap = live() - before_load;
    let classifier = Classifier::new(bundle);
    let _ = classifier.classify_str("http://www.example.com/").unwrap();
    let total = classifier.bundle().as_bytes().len() + heap;
    println!(
        "esafety: bundle bytes {:.3} MB + heap added by load {:.3} MB = {:.3} MB in memory (RSS +{} KiB while loading)",
        mb(classifier.bundle().as_bytes().len()),
        mb(heap),
        mb(total),
        rss_kib().saturating_sub(rss_before)
    );

    let text = classify_data::adblock_rules(&data.hosts).join("\n");
    let text_len = text.capacity();
    let before_engine = live();
    let rss_before = rss_kib();
    let mut set = FilterSet::new(false);
    set.add_filter_list(text, ParseOptions::default());
    let engine = Engine::new_with_filter_set(set);
    let r = Request::new(
        "http://www.example.com/",
        "http://www.example.com/",
        "document",
        "GET",
    )
    .unwrap();
    let _ = engine.check_network_request(&r);
    // The list text was counted before and freed inside: add it back.
    let engine_heap = (live() + text_len).saturating_sub(before_engine);
    println!(
        "adblock-rust: engine heap {:.3} MB (RSS +{} KiB while building)",
        mb(engine_heap),
        rss_kib().saturating_sub(rss_before)
    );
    println!(
        "ratio adblock-rust / esafety: {:.1}x",
        engine_heap as f64 / total as f64
    );
    drop(engine);
    drop(classifier);
}
