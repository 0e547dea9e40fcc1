//! `esafety lint` on large policies (issue 31, "Policies"): generated
//! children's policies of 1k, 10k and 100k rules linted by the indexed
//! checks, and, as the peer, the old pairwise algorithm (`lint_pairwise`,
//! quadratic) at 1k and 8k rules in the same run. The old algorithm took
//! 13 s for 8,000 rules and 6 min 18 s for 76,663.
//!
//! `cargo bench -p esafety-benches --bench policy_lint`

use std::fmt::Write as _;
use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use esafety::policy::LintOptions;
use esafety::policy::lint::{lint, lint_pairwise};

const CATEGORIES: &[&str] = &[
    "gambling",
    "drugs",
    "chat",
    "social-networking",
    "gaming",
    "search",
    "streaming",
    "webmail",
];
const ACTIONS: &[&str] = &["block", "block", "warn", "allow", "monitor"];
const DAYS: &[&str] = &["mon", "tue", "wed", "thu", "fri"];

/// A small deterministic generator (the same policy every run).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        usize::try_from(self.0 >> 33).unwrap_or(0) % n.max(1)
    }

    fn pick<'a>(&mut self, pool: &[&'a str]) -> &'a str {
        pool.get(self.below(pool.len())).copied().unwrap_or("block")
    }
}

/// A secondary-pupils policy with `n` rules after a top `@uksic` block:
/// one class group per 20 rules, one or two categories each, and (for
/// some) days, a device, an age band and lesson windows.
fn policy(n: usize) -> String {
    let mut rng = Lcg(31);
    let mut t = String::from(include_str!("../../policies/secondary-pupils.toml"));
    if let Some(cut) = t.find("[[rules]]") {
        t.truncate(cut);
    }
    t.push_str("[[rules]]\nid = \"block-uksic\"\naction = \"block\"\ncategories = [\"@uksic\"]\n");
    let groups = (n / 20).max(1);
    for k in 0..n {
        let _ = write!(
            t,
            "\n[[rules]]\nid = \"r{k}\"\naction = \"{}\"\ncategories = [\"{}\"",
            rng.pick(ACTIONS),
            rng.pick(CATEGORIES)
        );
        if rng.below(2) == 0 {
            let _ = write!(t, ", \"{}\"", rng.pick(CATEGORIES));
        }
        let _ = writeln!(t, "]\ngroups = [\"class-{}\"]", rng.below(groups));
        if rng.below(3) == 0 {
            let _ = writeln!(t, "days = [\"{}\", \"{}\"]", rng.pick(DAYS), rng.pick(DAYS));
        }
        if rng.below(4) == 0 {
            let _ = writeln!(
                t,
                "device = \"{}\"",
                if rng.below(2) == 0 { "managed" } else { "byod" }
            );
        }
        if rng.below(4) == 0 {
            let min = 11 + rng.below(5);
            let _ = writeln!(t, "age = {{ min = {min}, max = {} }}", min + rng.below(3));
        }
        if rng.below(2) == 0 {
            let start = 8 + rng.below(8);
            let _ = writeln!(
                t,
                "times = [\"{start:02}:00-{:02}:30\"]",
                start + rng.below(2)
            );
        }
    }
    t
}

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
