//! The native half of the WASM-vs-native benchmark (`wasm/bench/decide.mjs`
//! runs both in one run): decisions per second of `esafety::policy::Engine`
//! over a stream of URLs, with the same bundle, policy, request context and
//! time as the Node half.
//!
//! ```sh
//! cargo run --release -p esafety-wasm --example decide_stream -- \
//!     --urls ../shared/data/peer-lists/top500-sitelist.txt \
//!     --policy policies/secondary-pupils.toml [--bundle B.esb] [--seconds 3]
//! ```
//!
//! Prints one JSON object: `{"urls", "decisions", "seconds",
//! "decisions_per_second", "actions": {"block": n, ...}, "errors"}`; the
//! action counts of one pass let the caller check both halves decided alike.

use std::collections::BTreeMap;
use std::error::Error;
use std::hint::black_box;
use std::time::Instant;

use esafety::policy::{Context, Device, Engine, Policy};

struct Args {
    urls: String,
    policy: String,
    bundle: Option<String>,
    seconds: f64,
    time: String,
}

fn args() -> Result<Args, Box<dyn Error>> {
    let mut a = Args {
        urls: String::new(),
        policy: String::new(),
        bundle: None,
        seconds: 3.0,
        time: "2026-03-02T10:00:00Z".to_owned(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("`{flag}` needs a value"));
        match flag.as_str() {
            "--urls" => a.urls = value()?,
            "--policy" => a.policy = value()?,
            "--bundle" => a.bundle = Some(value()?),
            "--seconds" => a.seconds = value()?.parse()?,
            "--time" => a.time = value()?,
            other => return Err(format!("unknown argument `{other}`").into()),
        }
    }
    if a.urls.is_empty() || a.policy.is_empty() {
        return Err("usage: decide_stream --urls FILE --policy FILE [--bundle FILE] [--seconds S] [--time RFC3339]".into());
    }
    Ok(a)
}

fn main() -> Result<(), Box<dyn Error>> {
    let a = args()?;
    let text = std::fs::read_to_string(&a.urls)?;
    let urls: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let policy = Policy::load(&a.policy, &std::fs::read_to_string(&a.policy)?)?;
    let bundle = match &a.bundle {
        Some(path) => esafety::bundle::Bundle::from_bytes(std::fs::read(path)?)?,
        None => esafety::sample::bundle()?,
    };
    let engine = Engine::new(bundle, policy);
    let context = Context {
        group: Some("pupils"),
        age: Some(14),
        device: Some(Device::Managed),
        time: a.time.parse()?,
    };

    // One pass to count the actions (and warm up).
    let mut actions: BTreeMap<&'static str, u64> = BTreeMap::new();
    let mut errors = 0u64;
    for url in &urls {
        match engine.check(url, context) {
            Ok(report) => *actions.entry(report.action.as_str()).or_default() += 1,
            Err(_) => errors += 1,
        }
    }

    let mut decisions = 0u64;
    let start = Instant::now();
    while start.elapsed().as_secs_f64() < a.seconds {
        for url in &urls {
            // The report every face returns (the `check --json` object).
            let _ = black_box(engine.check(black_box(url), context));
        }
        decisions += urls.len() as u64;
    }
    let seconds = start.elapsed().as_secs_f64();
    let out = serde_json::json!({
        "urls": urls.len(),
        "decisions": decisions,
        "seconds": seconds,
        "decisions_per_second": decisions as f64 / seconds,
        "actions": actions,
        "errors": errors,
    });
    println!("{out}");
    Ok(())
}
