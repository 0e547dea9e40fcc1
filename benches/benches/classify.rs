//! Classification throughput: esafety vs adblock-rust vs a bare `fst::Set`
//! floor, on the same URLs and hosts, in the same run (issue 4,
//! "Performance").
//!
//! Data: the 20,603 URLs of `top500-sitelist.txt` against the 123,283
//! unique hosts of the `||host^` lines of easylist, easyprivacy and spam404
//! plus malwaredomains, disconnect-simple-malware and
//! malwaredomainlist_justhosts (from `$ESAFETY_DATA/peer-lists`, else
//! generated), plus 10,000 synthetic IWF pages in the esafety bundle.
//!
//! `cargo bench -p esafety-benches --bench classify`

#[path = "classify_data/mod.rs"]
mod classify_data;

use std::hint::black_box;
use std::time::Instant;

use adblock::Engine;
use adblock::lists::{FilterSet, ParseOptions};
use adblock::request::Request;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use esafety::bundle::Bundle;
use esafety::classify::Classifier;
use esafety::url::CanonicalUrl;

fn median_ns(mut samples: Vec<u128>) -> u128 {
    samples.sort_unstable();
    samples.get(samples.len() / 2).copied().unwrap_or(0)
}

fn bench(c: &mut Criterion) {
    let data = classify_data::load();
    println!("data: {}", data.source);
    println!(
        "urls: {}, hosts: {}, synthetic iwf pages: {}",
        data.urls.len(),
        data.hosts.len(),
        data.iwf.len()
    );

    // esafety
    let t = Instant::now();
    let bytes = classify_data::bundle_bytes(&data);
    let compile = t.elapsed();
    let t = Instant::now();
    let bundle = Bundle::from_bytes(bytes.clone()).unwrap();
    let load = t.elapsed();
    let sizes = bundle.sizes();
    println!(
        "esafety bundle: {} bytes total (hosts fst {}, digests {}, gate {}, meta {}); compile {:.2?}, load {:.2?}",
        sizes.total, sizes.hosts, sizes.digests, sizes.gate, sizes.meta, compile, load
    );
    let classifier = Classifier::new(bundle);
    let canonical: Vec<Option<CanonicalUrl>> = data
        .urls
        .iter()
        .map(|u| CanonicalUrl::parse(u).ok())
        .collect();
    let bad = canonical.iter().filter(|c| c.is_none()).count();
    let esafety_blocked: Vec<bool> = data
        .urls
        .iter()
        .map(|u| {
            classifier
                .classify_str(u)
                .map(|c| !c.matches.is_empty())
                .unwrap_or(false)
        })
        .collect();

    // adblock-rust
    let t = Instant::now();
    let mut filter_set = FilterSet::new(false);
    filter_set.add_filter_list(
        classify_data::adblock_rules(&data.hosts).join("\n"),
        ParseOptions::default(),
    );
    let engine = Engine::new_with_filter_set(filter_set);
    println!("adblock-rust engine built in {:.2?}", t.elapsed());
    let requests: Vec<Option<Request>> = data
        .urls
        .iter()
        .map(|u| Request::new(u, u, "document", "GET").ok())
        .collect();
    let adblock_blocked: Vec<bool> = requests
        .iter()
        .map(|r| {
            r.as_ref()
                .is_some_and(|r| engine.check_network_request(r).should_block())
        })
        .collect();

    // bare fst floor
    // The generated hosts are unique but not in byte order; fst needs them sorted.
    let mut sorted_hosts = data.hosts.clone();
    sorted_hosts.sort_unstable();
    let set = fst::Set::from_iter(sorted_hosts.iter()).unwrap();
    println!("fst floor set: {} bytes", set.as_fst().as_bytes().len());
    let mut buf = String::new();
    let fst_blocked: Vec<bool> = data
        .urls
        .iter()
        .map(|u| {
            let h = classify_data::crude_host(u, &mut buf);
            classify_data::fst_floor_blocks(&set, h)
        })
        .collect();

    let count = |v: &[bool]| v.iter().filter(|b| **b).count();
    println!(
        "blocked URLs: esafety {}, adblock-rust {}, fst floor {} (esafety: {} inputs not URLs)",
        count(&esafety_blocked),
        count(&adblock_blocked),
        count(&fst_blocked),
        bad
    );
    let disagree: Vec<&str> = data
        .urls
        .iter()
        .zip(esafety_blocked.iter().zip(&adblock_blocked))
        .filter(|(_, (a, b))| a != b)
        .map(|(u, _)| u.as_str())
        .take(10)
        .collect();
    println!("esafety/adblock disagreements (first 10): {disagree:?}");
    assert_eq!(
        esafety_blocked, adblock_blocked,
        "esafety and adblock-rust block different URLs"
    );
    assert_eq!(
        esafety_blocked, fst_blocked,
        "esafety and the fst floor block different URLs"
    );

    // Per-URL latency medians (one timer pair per URL; includes ~20 ns of
    // timer overhead).
    let per_url = |f: &dyn Fn(usize)| {
        let mut samples = Vec::with_capacity(data.urls.len() * 3);
        for _ in 0..3 {
            for i in 0..data.urls.len() {
                let t = Instant::now();
                f(i);
                samples.push(t.elapsed().as_nanos());
            }
        }
        median_ns(samples)
    };
    println!(
        "per-URL median (3 passes): esafety classify_str {} ns, esafety classify (pre-canonicalized) {} ns, adblock request+check {} ns, adblock check {} ns, fst floor {} ns",
        per_url(&|i| {
            black_box(classifier.classify_str(&data.urls[i]).ok());
        }),
        per_url(&|i| {
            if let Some(u) = &canonical[i] {
                black_box(classifier.classify(u));
            }
        }),
        per_url(&|i| {
            if let Ok(r) = Request::new(&data.urls[i], &data.urls[i], "document", "GET") {
                black_box(engine.check_network_request(&r).should_block());
            }
        }),
        per_url(&|i| {
            if let Some(r) = &requests[i] {
                black_box(engine.check_network_request(r).should_block());
            }
        }),
        per_url(&|i| {
            let mut buf = String::new();
            let h = classify_data::crude_host(&data.urls[i], &mut buf);
            black_box(classify_data::fst_floor_blocks(&set, h));
        }),
    );

    let mut g = c.benchmark_group("classify_top500");
    g.throughput(Throughput::Elements(data.urls.len() as u64));
    g.sample_size(10);
    g.bench_function("esafety_classify_str", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for u in &data.urls {
                if let Ok(c) = classifier.classify_str(u) {
                    n += c.matches.len();
                }
            }
            black_box(n)
        })
    });
    g.bench_function("esafety_classify_canonical", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for u in canonical.iter().flatten() {
                n += classifier.classify(u).matches.len();
            }
            black_box(n)
        })
    });
    g.bench_function("adblock_request_and_check", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for u in &data.urls {
                if let Ok(r) = Request::new(u, u, "document", "GET") {
                    n += usize::from(engine.check_network_request(&r).should_block());
                }
            }
            black_box(n)
        })
    });
    g.bench_function("adblock_check_only", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for r in requests.iter().flatten() {
                n += usize::from(engine.check_network_request(r).should_block());
            }
            black_box(n)
        })
    });
    g.bench_function("fst_floor", |b| {
        let mut buf = String::new();
        b.iter(|| {
            let mut n = 0usize;
            for u in &data.urls {
                let h = classify_data::crude_host(u, &mut buf);
                n += usize::from(classify_data::fst_floor_blocks(&set, h));
            }
            black_box(n)
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
