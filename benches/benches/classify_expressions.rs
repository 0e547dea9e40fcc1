//! Classification with squidGuard expressions beside squidGuard itself
//! (issue 27, "Performance"), and the two automaton layouts side by side
//! (dense and sparse DFAs: bundle size and classify speed), in one run.
//!
//! For each expression set of `expression_sets` (one UT1
//! `strong_redirector`-style expression, 1,000 and 10,000 ordinary
//! UT1-style keyword expressions):
//!
//! - **esafety**: the set as one squidGuard `expressions` list, built in
//!   each [`AutomatonLayout`]; its build time, regex section and bundle
//!   size, load time, and `Classifier::classify_str` over the 20,603 URLs
//!   of `top500-sitelist.txt` (median of 3 timed passes, as lines/s, and
//!   a criterion group);
//! - **squidGuard 1.6**: the same list as its one `expressionlist`, fed
//!   the same URLs as Squid redirector lines (`squidGuard -c conf <
//!   input`); its lines/s between its log's "ready for requests" and
//!   "stopped" stamps (start-up and list loading excluded). squidGuard
//!   tries every expression of a list per URL (`regexec` in turn), so
//!   with thousands of expressions it is given the first
//!   `ESAFETY_SG_URLS` URLs (default: all for up to 1,000 expressions,
//!   2,000 beyond), enough for a run of seconds.
//!
//! Both answer the same URLs, and the run prints where they disagree
//! (esafety matches the canonical `host/path?query` with `%XX` decoded,
//! squidGuard the URL as Squid sent it, scheme and port stripped).
//!
//! `cargo bench -p esafety-benches --bench classify_expressions`. Without
//! squidGuard (Debian `squidguard`, scripts/setup.sh) its half is skipped
//! and said so.

#[path = "classify_data/mod.rs"]
mod classify_data;
#[path = "expression_sets/mod.rs"]
mod expression_sets;

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use esafety::bundle::{AutomatonLayout, Bundle, BundleBuilder};
use esafety::classify::Classifier;
use esafety::lists::{Entry, EntryKind};

/// The bundle of `expressions` as one squidGuard `expressions` list.
fn build(expressions: &[String], layout: AutomatonLayout) -> Vec<u8> {
    let mut b = BundleBuilder::new();
    b.created(jiff::Timestamp::UNIX_EPOCH);
    b.automata(layout);
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
    b.build().unwrap()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

/// Whether `classifier` blocks each of `urls`.
fn blocked(classifier: &Classifier, urls: &[String]) -> Vec<bool> {
    urls.iter()
        .map(|u| {
            classifier
                .classify_str(u)
                .map(|c| !c.matches.is_empty())
                .unwrap_or(true)
        })
        .collect()
}

/// One pass of `classify_str` over `urls`: its time.
fn pass(classifier: &Classifier, urls: &[String]) -> Duration {
    let t = Instant::now();
    let mut n = 0usize;
    for u in urls {
        if let Ok(c) = classifier.classify_str(u) {
            n += c.matches.len();
        }
    }
    black_box(n);
    t.elapsed()
}

/// squidGuard with `expressions` as its one expression list over the
/// redirector lines of `urls`: its lines/s between the log's "ready for
/// requests" and "stopped" stamps, and whether it blocked each URL.
/// `None` when squidGuard is missing or fails.
fn squidguard(dir: &Path, expressions: &[String], urls: &[String]) -> Option<(f64, Vec<bool>)> {
    Command::new("squidGuard").arg("-v").output().ok()?;
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
    let mut input = String::new();
    for u in urls {
        let _ = writeln!(input, "{u} 127.0.0.1/- - GET");
    }
    std::fs::write(dir.join("input.txt"), input).ok()?;
    let out = Command::new("squidGuard")
        .arg("-c")
        .arg(dir.join("sg.conf"))
        .stdin(std::fs::File::open(dir.join("input.txt")).ok()?)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let answers: Vec<bool> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| l.starts_with("OK"))
        .collect();
    if answers.len() != urls.len() {
        return None;
    }
    let log = std::fs::read_to_string(dir.join("log/squidGuard.log")).ok()?;
    let stamp = |marker: &str| -> Option<f64> {
        let at = log.rfind(marker)? + marker.len();
        let rest = log.get(at..)?;
        rest.split(')').next()?.trim().parse().ok()
    };
    let start = stamp("ready for requests (")?;
    let stop = stamp("stopped (")?;
    Some((urls.len() as f64 / (stop - start).max(1e-6), answers))
}

fn bench(c: &mut Criterion) {
    let data = classify_data::load();
    let urls: Vec<String> = data
        .urls
        .iter()
        .filter(|u| !u.trim().is_empty())
        .cloned()
        .collect();
    println!("data: {}; {} URLs", data.source, urls.len());
    let scratch = std::env::temp_dir().join(format!(
        "esafety-classify-expressions-{}",
        std::process::id()
    ));
    let sg_urls: Option<usize> = std::env::var("ESAFETY_SG_URLS")
        .ok()
        .and_then(|s| s.parse().ok());
    for (name, expressions) in expression_sets::sets() {
        let mut group = c.benchmark_group(format!("classify_expressions/{name}"));
        group.throughput(Throughput::Elements(urls.len() as u64));
        group.sample_size(10);
        group.measurement_time(Duration::from_secs(8));
        let mut answers: Vec<(AutomatonLayout, Vec<bool>)> = Vec::new();
        for layout in [AutomatonLayout::Sparse, AutomatonLayout::Dense] {
            let t = Instant::now();
            let bytes = build(&expressions, layout);
            let built = t.elapsed();
            let t = Instant::now();
            let bundle = Bundle::from_bytes(bytes).unwrap();
            let loaded = t.elapsed();
            let sizes = bundle.sizes();
            let classifier = Classifier::new(bundle);
            let passes: Vec<f64> = (0..3)
                .map(|_| urls.len() as f64 / pass(&classifier, &urls).as_secs_f64())
                .collect();
            println!(
                "{name} {}: {} expressions, build {:.3} s, regex section {:.2} MB, bundle {:.2} MB, load {:.1} ms, classify_str {:.0} lines/s (median of 3 passes)",
                layout.id(),
                expressions.len(),
                built.as_secs_f64(),
                sizes.regex as f64 / 1e6,
                sizes.total as f64 / 1e6,
                loaded.as_secs_f64() * 1e3,
                median(passes),
            );
            answers.push((layout, blocked(&classifier, &urls)));
            group.bench_function(format!("esafety_{}", layout.id()), |b| {
                b.iter(|| black_box(pass(&classifier, &urls)))
            });
        }
        group.finish();
        if let [(_, sparse), (_, dense)] = &answers[..] {
            assert_eq!(sparse, dense, "{name}: the layouts block different URLs");
        }
        let esafety = answers.first().map(|(_, a)| a.clone()).unwrap_or_default();
        let n = sg_urls
            .unwrap_or(if expressions.len() > 1_000 {
                2_000
            } else {
                urls.len()
            })
            .min(urls.len());
        let sg_input = urls.get(..n).unwrap_or_default();
        let runs: Vec<(f64, Vec<bool>)> = (0..3)
            .map_while(|_| squidguard(&scratch.join(name), &expressions, sg_input))
            .collect();
        let Some((_, sg_blocked)) = runs.first() else {
            println!(
                "{name}: squidGuard not installed or failed (scripts/setup.sh): no peer figure"
            );
            continue;
        };
        let both = (0..n)
            .filter(|&i| esafety.get(i) == Some(&true) && sg_blocked.get(i) == Some(&true))
            .count();
        let only = |ours: bool| -> Vec<&str> {
            (0..n)
                .filter(|&i| esafety.get(i) == Some(&ours) && sg_blocked.get(i) == Some(&!ours))
                .filter_map(|i| urls.get(i).map(String::as_str))
                .collect()
        };
        let (esafety_only, sg_only) = (only(true), only(false));
        println!(
            "{name} squidGuard: {:.0} lines/s over {n} URLs (median of {} runs, log stamps); blocked by both {both}, esafety only {} {:?}, squidGuard only {} {:?}",
            median(runs.iter().map(|(r, _)| *r).collect()),
            runs.len(),
            esafety_only.len(),
            esafety_only.iter().take(3).collect::<Vec<_>>(),
            sg_only.len(),
            sg_only.iter().take(3).collect::<Vec<_>>(),
        );
    }
    let _ = std::fs::remove_dir_all(&scratch);
}

criterion_group!(benches, bench);
criterion_main!(benches);
