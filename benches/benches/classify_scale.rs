//! Scale: 5,000,000 synthetic domains + 500,000 URL prefixes (the size of
//! the largest real category lists). Opt-in, as it takes a while and about
//! a gigabyte: `ESAFETY_SCALE=1 cargo bench -p esafety-benches --bench classify_scale`.
//!
//! Reports compile time (from the text of a UT1-style `domains` and `urls`
//! file to bundle bytes: parsing, adding entries, building), peak memory
//! (VmHWM), bundle bytes per domain, load time and the median
//! classification time.

use std::hint::black_box;
use std::time::{Duration, Instant};

use esafety::bundle::{Bundle, BundleBuilder};
use esafety::classify::Classifier;
use esafety::lists::{Format, ParseOptions, parse};

const DOMAINS: usize = 5_000_000;
const PREFIXES: usize = 500_000;

/// User + system CPU seconds of this process so far (`/proc/self/stat`),
/// a fairer figure than wall time on a shared machine.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<u64> = after
        .split_whitespace()
        .map(|x| x.parse().unwrap_or(0))
        .collect();
    // Fields 14 and 15 (utime, stime) are the 12th and 13th after `)`.
    (f.get(11).copied().unwrap_or(0) + f.get(12).copied().unwrap_or(0)) as f64 / 100.0
}

fn status_kib(field: &str) -> usize {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// A deterministic pseudo-random word from `i` (splitmix64).
fn word(i: u64, len: usize) -> String {
    let mut x = i.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut s = String::with_capacity(len);
    for _ in 0..len {
        x ^= x >> 30;
        x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
        x ^= x >> 27;
        s.push(char::from(b'a' + (x % 26) as u8));
    }
    s
}

const TLDS: [&str; 8] = ["com", "net", "org", "co.uk", "de", "ru", "info", "xyz"];

fn domain(i: usize) -> String {
    format!("{}{}.{}", word(i as u64, 6), i % 1000, TLDS[i % TLDS.len()])
}

/// The `i`th URL prefix, `host/dir/` (a squidGuard `urls` line).
fn url_prefix(i: usize) -> String {
    let host = format!("{}.{}", word(i as u64 ^ 0xABCDEF, 7), TLDS[i % TLDS.len()]);
    format!("{host}/{}/", word(i as u64, 5))
}

fn main() {
    if std::env::var_os("ESAFETY_SCALE").is_none() {
        println!("classify_scale: skipped (set ESAFETY_SCALE=1 to run; needs ~1 GB and a minute)");
        return;
    }
    // The list text, as `esafety compile` reads it from a UT1 category
    // folder (a `domains` and a `urls` file). Making up the synthetic text
    // is not part of compiling, so it is not timed; reading it is.
    let mut domains_text = String::with_capacity(DOMAINS * 16);
    for i in 0..DOMAINS {
        domains_text.push_str(&domain(i));
        domains_text.push('\n');
    }
    let mut urls_text = String::with_capacity(PREFIXES * 24);
    for i in 0..PREFIXES {
        urls_text.push_str(&url_prefix(i));
        urls_text.push('\n');
    }

    // Compile: list text → parsed entries → builder → bundle bytes, the
    // whole of what a user waits for (less reading the files).
    let cpu0 = cpu_seconds();
    let t = Instant::now();
    // (wall, CPU seconds of every thread) per phase.
    let mut parsing = (Duration::ZERO, 0.0);
    let mut adding = (Duration::ZERO, 0.0);
    let mut b = BundleBuilder::new();
    for (name, format, text, expected) in [
        (
            "adult/domains",
            Format::SquidGuardDomains,
            &domains_text,
            DOMAINS,
        ),
        ("adult/urls", Format::SquidGuardUrls, &urls_text, PREFIXES),
    ] {
        let list = b.add_list(&name.replace('/', "-"), "adult").unwrap();
        let (t, cpu) = (Instant::now(), cpu_seconds());
        let parsed = parse(format, name, text.as_bytes(), &ParseOptions::new()).unwrap();
        parsing.0 += t.elapsed();
        parsing.1 += cpu_seconds() - cpu;
        assert!(parsed.skipped.is_empty(), "{:?}", parsed.skipped.first());
        assert_eq!(parsed.entries.len(), expected);
        let (t, cpu) = (Instant::now(), cpu_seconds());
        b.add_entries(list, &parsed.entries).unwrap();
        drop(parsed);
        adding.0 += t.elapsed();
        adding.1 += cpu_seconds() - cpu;
    }
    let (t_build, cpu_build) = (Instant::now(), cpu_seconds());
    let bytes = b.build().unwrap();
    drop(b);
    let build = (t_build.elapsed(), cpu_seconds() - cpu_build);
    let compile = t.elapsed();
    println!(
        "compile from list text: {:.2?} wall, {:.2} s CPU (parsing {:.2?} / {:.2} s CPU, adding entries {:.2?} / {:.2} s CPU, build {:.2?} / {:.2} s CPU); peak RSS {} MiB; load average {}",
        compile,
        cpu_seconds() - cpu0,
        parsing.0,
        parsing.1,
        adding.0,
        adding.1,
        build.0,
        build.1,
        status_kib("VmHWM:") / 1024,
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .split_whitespace()
            .next()
            .unwrap_or("?")
    );
    drop((domains_text, urls_text));
    let mut loads = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        black_box(Bundle::from_bytes(&bytes[..]).unwrap());
        loads.push(t.elapsed());
    }
    loads.sort();
    let load = loads[loads.len() / 2];
    let bundle = Bundle::from_bytes(&bytes[..]).unwrap();
    let sizes = bundle.sizes();
    println!(
        "bundle: {} bytes ({:.2} bytes per domain entry; hosts fst {}, paths fst {}); load from bytes {:.2?} (median of 5)",
        sizes.total,
        sizes.total as f64 / DOMAINS as f64,
        sizes.hosts,
        sizes.paths,
        load
    );
    let classifier = Classifier::new(bundle);
    let urls: Vec<String> = (0..200_000usize)
        .map(|i| match i % 4 {
            0 => format!("http://www.{}/index.html?x={i}", domain(i * 25 % DOMAINS)),
            1 => format!("https://unlisted{i}.example.org/a/b/c.html"),
            2 => {
                let j = i * 3 % PREFIXES;
                format!(
                    "http://{}.{}/{}/deep/page{i}.html",
                    word(j as u64 ^ 0xABCDEF, 7),
                    TLDS[j % TLDS.len()],
                    word(j as u64, 5)
                )
            }
            _ => format!("https://cdn{i}.{}/img.png", word(i as u64 + 77, 9)),
        })
        .collect();
    let mut blocked = 0usize;
    let mut samples = Vec::with_capacity(urls.len());
    for u in &urls {
        let t = Instant::now();
        let c = classifier.classify_str(u).unwrap();
        samples.push(t.elapsed().as_nanos());
        blocked += usize::from(!c.matches.is_empty());
        black_box(c);
    }
    samples.sort_unstable();
    println!(
        "classify_str over {} URLs ({} blocked, expected {}): median {} ns, p90 {} ns, p99 {} ns",
        urls.len(),
        blocked,
        urls.len() / 2,
        samples[samples.len() / 2],
        samples[samples.len() * 9 / 10],
        samples[samples.len() * 99 / 100]
    );
    println!("peak RSS overall {} MiB", status_kib("VmHWM:") / 1024);
}
