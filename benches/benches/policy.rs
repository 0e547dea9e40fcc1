//! Classify + evaluate (issue 5, "Performance"): the real URL stream
//! (`top500-sitelist.txt`, from `$ESAFETY_DATA/peer-lists`, else generated)
//! decided under the secondary-pupils policy, beside classify alone, on
//! two bundles: the built-in sample bundle and a bundle of the peer-list
//! hosts (123k hosts + 10k synthetic IWF pages, as in the classify bench).
//! Goal: median <= 1.5 µs per request for classify + evaluate.
//!
//! `cargo bench -p esafety-benches --bench policy`

#[path = "classify_data/mod.rs"]
mod classify_data;

use std::hint::black_box;
use std::time::Instant;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use esafety::bundle::Bundle;
use esafety::classify::Classifier;
use esafety::policy::{Device, Policy, Request};
use esafety::url::CanonicalUrl;

fn median_ns(mut samples: Vec<u128>) -> u128 {
    samples.sort_unstable();
    samples.get(samples.len() / 2).copied().unwrap_or(0)
}

fn bench(c: &mut Criterion) {
    let data = classify_data::load();
    println!("data: {}; urls: {}", data.source, data.urls.len());
    let policy_path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../policies/secondary-pupils.toml"
    );
    let policy = Policy::load(policy_path, &std::fs::read_to_string(policy_path).unwrap()).unwrap();
    let urls: Vec<CanonicalUrl> = data
        .urls
        .iter()
        .filter_map(|u| CanonicalUrl::parse(u).ok())
        .collect();
    let time: jiff::Timestamp = "2026-03-02T10:00:00Z".parse().unwrap();
    let n = urls.len() as u64;

    let bundles = [
        ("sample", esafety::sample::bundle().unwrap()),
        (
            "peer-hosts",
            Bundle::from_bytes(classify_data::bundle_bytes(&data)).unwrap(),
        ),
    ];
    for (name, bundle) in bundles {
        let classifier = Classifier::new(bundle);
        let mut actions = std::collections::BTreeMap::<&str, usize>::new();
        for u in &urls {
            let r = Request::new(u, time)
                .group("pupils")
                .age(14)
                .device(Device::Managed);
            *actions
                .entry(policy.evaluate(&r, &classifier.classify(u)).action.as_str())
                .or_default() += 1;
        }
        println!("{name}: decisions over the stream: {actions:?}");

        // Per-request medians, timed one request at a time.
        let mut alone = Vec::with_capacity(urls.len());
        let mut both = Vec::with_capacity(urls.len());
        for u in &urls {
            let t = Instant::now();
            black_box(classifier.classify(black_box(u)));
            alone.push(t.elapsed().as_nanos());
            let t = Instant::now();
            let r = Request::new(u, time)
                .group("pupils")
                .age(14)
                .device(Device::Managed);
            black_box(policy.evaluate(&r, &classifier.classify(black_box(u))));
            both.push(t.elapsed().as_nanos());
        }
        println!(
            "{name}: per-request median: classify {} ns, classify + evaluate {} ns (goal <= 1500 ns)",
            median_ns(alone),
            median_ns(both)
        );

        let mut g = c.benchmark_group(format!("policy/{name}"));
        g.sample_size(10);
        g.throughput(Throughput::Elements(n));
        g.bench_function("classify", |b| {
            b.iter(|| {
                for u in &urls {
                    black_box(classifier.classify(black_box(u)));
                }
            })
        });
        g.bench_function("classify+evaluate", |b| {
            b.iter(|| {
                for u in &urls {
                    let r = Request::new(u, time)
                        .group("pupils")
                        .age(14)
                        .device(Device::Managed);
                    black_box(policy.evaluate(&r, &classifier.classify(black_box(u))));
                }
            })
        });
        g.bench_function("canonicalize+classify+evaluate", |b| {
            b.iter(|| {
                for u in &data.urls {
                    if let Ok(u) = CanonicalUrl::parse(black_box(u)) {
                        let r = Request::new(&u, time)
                            .group("pupils")
                            .age(14)
                            .device(Device::Managed);
                        black_box(policy.evaluate(&r, &classifier.classify(&u)));
                    }
                }
            })
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
