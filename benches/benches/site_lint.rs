//! `esafety site lint` on large site files (issue 31, "Policies"):
//! generated schools of 10k and 100k `[[clients]]` entries linted by the
//! indexed checks and, as the peer, by the old all-pairs algorithm
//! (`lint_pairwise`, quadratic) at 1k and 10k entries in the same run.
//!
//! `cargo bench -p esafety-benches --bench site_lint`

use std::fmt::Write as _;
use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use esafety::record::site::{lint, lint_pairwise};

/// A school of `n` entries (as core's differential test generates): a /28
/// per class across 10.0.0.0/8, every 7th a host inside an earlier class
/// (S001), every 11th a repeat of an earlier class (S002), every 13th a
/// class listed with its own host (S004), every 5th by user; a catch-all
/// last.
fn school(n: usize) -> String {
    let class = |k: usize| {
        format!(
            "10.{}.{}.{}/28",
            (k >> 12) & 255,
            (k >> 4) & 255,
            (k & 15) << 4
        )
    };
    let host = |k: usize| {
        format!(
            "10.{}.{}.{}",
            (k >> 12) & 255,
            (k >> 4) & 255,
            ((k & 15) << 4) + 3
        )
    };
    let mut t = String::from("site = \"school\"\n");
    for k in 0..n {
        t.push_str("[[clients]]\n");
        if k % 5 == 4 {
            let _ = writeln!(t, "user = [\"u{k}\", \"staff{}\"]", k % 40);
        } else if k % 7 == 6 {
            let _ = writeln!(t, "ip = [\"{}\"]", host(k / 2));
        } else if k % 11 == 10 {
            let _ = writeln!(t, "ip = [\"{}\"]", class(k / 3));
        } else if k % 13 == 12 {
            let _ = writeln!(t, "ip = [\"{}\", \"{}\"]", class(k), host(k));
        } else {
            let _ = writeln!(t, "ip = [\"{}\"]", class(k));
        }
    }
    t.push_str("[[clients]]\ngroup = \"guests\"\n");
    t
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("site_lint");
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(5));
    for n in [1_000usize, 10_000, 100_000] {
        let text = school(n);
        let findings = lint("school.toml", &text);
        println!(
            "indexed, {n} entries: {} bytes, {} findings",
            text.len(),
            findings.len()
        );
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::new("indexed", n), &text, |b, text| {
            b.iter(|| black_box(lint("school.toml", black_box(text))))
        });
    }
    for n in [1_000usize, 10_000] {
        let text = school(n);
        let same = lint_pairwise("school.toml", &text) == lint("school.toml", &text);
        println!("pairwise, {n} entries: same findings as indexed: {same}");
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::new("pairwise", n), &text, |b, text| {
            b.iter(|| black_box(lint_pairwise("school.toml", black_box(text))))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
