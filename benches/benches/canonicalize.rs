//! Safe Browsing canonicalization plus every lookup expression,
//! canonicalization alone, and its general path alone (no fast path for
//! canonical-shaped inputs), against `url::Url::parse` alone (the peer),
//! over the same stream of real URLs:
//! `$ESAFETY_DATA/peer-lists/top500-sitelist.txt` (20,603 URLs), or
//! generated URLs when that file is absent.
//!
//! `cargo bench -p esafety-benches --bench canonicalize`

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use esafety::url::CanonicalUrl;

/// The URL stream, and where it came from.
fn urls() -> (Vec<String>, String) {
    let path = esafety_benches::data_dir().join("peer-lists/top500-sitelist.txt");
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            let urls: Vec<String> = text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(str::to_owned)
                .collect();
            (urls, path.display().to_string())
        }
        Err(_) => (generated(), "generated URLs (no ESAFETY_DATA)".to_owned()),
    }
}

/// A deterministic mix of URL shapes, for machines without the data.
fn generated() -> Vec<String> {
    let hosts = [
        "example.com",
        "www.example.co.uk",
        "a.b.c.d.example.org",
        "news.example.net",
    ];
    let paths = [
        "/",
        "/en-gb/",
        "/a/b/c.html",
        "/search?q=term&x=1",
        "/p/%7Euser/index.php?id=42",
    ];
    (0..20_000)
        .map(|i| {
            let host = hosts[i % hosts.len()];
            let path = paths[(i / hosts.len()) % paths.len()];
            format!(
                "http://{host}{path}{}",
                if i % 7 == 0 { "#top" } else { "" }
            )
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let (urls, source) = urls();
    let ours_ok = urls
        .iter()
        .filter(|u| CanonicalUrl::parse(u).is_ok())
        .count();
    let peer_ok = urls.iter().filter(|u| url::Url::parse(u).is_ok()).count();
    let expressions: usize = urls
        .iter()
        .filter_map(|u| CanonicalUrl::parse(u).ok())
        .map(|u| u.expressions().count())
        .sum();
    eprintln!(
        "canonicalize: {} URLs from {source}; esafety parses {ours_ok} ({expressions} expressions), url::Url::parse {peer_ok}",
        urls.len()
    );

    let mut group = c.benchmark_group("canonicalize");
    group.sample_size(10);
    group.throughput(Throughput::Elements(urls.len() as u64));
    group.bench_function("esafety_canonicalize_plus_expressions", |b| {
        b.iter(|| {
            for input in &urls {
                if let Ok(url) = CanonicalUrl::parse(black_box(input)) {
                    for expression in url.expressions() {
                        black_box(expression.host());
                        black_box(expression.path());
                    }
                    black_box(&url);
                }
            }
        });
    });
    // Canonicalization alone, then the general path alone (what every
    // input took before the fast path for canonical-shaped inputs).
    group.bench_function("esafety_canonicalize", |b| {
        b.iter(|| {
            for input in &urls {
                let _ = black_box(CanonicalUrl::parse(black_box(input)));
            }
        });
    });
    group.bench_function("esafety_canonicalize_general_path", |b| {
        b.iter(|| {
            for input in &urls {
                let _ = black_box(CanonicalUrl::parse_general(black_box(input)));
            }
        });
    });
    group.bench_function("url_parse", |b| {
        b.iter(|| {
            for input in &urls {
                let _ = black_box(url::Url::parse(black_box(input)));
            }
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
