//! `esafety lint` on large policies (issue 31, "Policies"): generated
//! children's policies of 1k, 10k and 100k rules linted by the indexed
//! checks, and, as the peer, the old pairwise algorithm (`lint_pairwise`,
//! quadratic) at 1k and 8k rules in the same run. The old algorithm took
//! 13 s for 8,000 rules and 6 min 18 s for 76,663.
//!
//! `cargo bench -p esafety-benches --bench policy_lint`
//!
//! The same policy through the CLI (the generator is not committed data):
//! `cargo run --release -p esafety-benches --bin generate-policy 32600 >
//! p.toml && esafety lint p.toml` (32,600 rules is the most of these that
//! fit the 4 MiB `max_document_len`).

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use esafety::policy::LintOptions;
use esafety::policy::lint::{lint, lint_pairwise};
use esafety_benches::policy_gen::policy;

fn bench(c: &mut Criterion) {
    let options = LintOptions {
        today: jiff::civil::date(2026, 11, 23),
    };
    let mut group = c.benchmark_group("policy_lint");
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(5));
    for n in [1_000usize, 10_000, 100_000] {
        let text = policy(n);
        let findings = lint("generated.toml", &text, options);
        println!(
            "indexed, {n} rules: {} lines, {} findings",
            text.lines().count(),
            findings.len()
        );
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::new("indexed", n), &text, |b, text| {
            b.iter(|| black_box(lint("generated.toml", black_box(text), options)))
        });
    }
    for n in [1_000usize, 8_000] {
        let text = policy(n);
        let same = lint_pairwise("generated.toml", &text, options)
            == lint("generated.toml", &text, options);
        println!("pairwise, {n} rules: same findings as indexed: {same}");
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::new("pairwise", n), &text, |b, text| {
            b.iter(|| black_box(lint_pairwise("generated.toml", black_box(text), options)))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
