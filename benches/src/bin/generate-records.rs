//! `generate-records N [SEED]`: N decision records (JSON Lines) on standard
//! output for the `esafety report` scale bench (benches/report-scale.sh).
//!
//! The records are real: a pool of requests (ordinary, UKSIC, service,
//! search and the sample statutory entries) is decided through the engine
//! with the shipped policies for three sites and four groups; each output
//! line is a pool record at its own time (over 60 days), so the report
//! sees many days, sites, groups, hosts and alerts.

use std::io::{BufWriter, Write};

use esafety::policy::{Device, Engine, Policy};
use esafety::record::{DecisionRecord, Identity, RecordOptions, RecordTime, record};

const POLICIES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../policies");

const URLS: &[&str] = &[
    "https://www.bbc.co.uk/news",
    "https://www.bet365.com/en",
    "https://www.roblox.com/games",
    "https://www.bing.com/search?q=volcano+facts",
    "https://www.youtube.com/results?search_query=fight+videos",
    "https://www.pornhub.com/",
    "https://iwf-test.esafety.invalid/abuse/page-1.html",
    "http://terror-test.esafety.invalid/propaganda/video-1.html",
    "https://www.youtube.com/watch?v=x",
    "https://www.wikipedia.org/wiki/Volcano",
    "https://www.facebook.com/",
    "https://discord.com/app",
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let n: u64 = args
        .next()
        .ok_or("usage: generate-records N [SEED]")?
        .parse()?;
    let mut state: u64 = args
        .next()
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(0x2545_f491_4f6c_dd1d);
    let bundle = esafety::sample::bundle()?;
    let load = |file: &str| -> Result<Engine<Vec<u8>>, Box<dyn std::error::Error>> {
        let text = std::fs::read_to_string(format!("{POLICIES}/{file}"))?;
        Ok(Engine::new(bundle.clone(), Policy::load(file, &text)?))
    };
    let engines = [
        ("pupils", 14, load("secondary-pupils.toml")?),
        ("sixth-form", 17, load("sixth-form.toml")?),
        ("primary", 9, load("primary-pupils.toml")?),
        ("staff", 40, load("staff.toml")?),
    ];
    let mut pool: Vec<DecisionRecord> = Vec::new();
    let start: jiff::Timestamp = "2026-01-05T08:00:00Z".parse()?;
    for site in ["north-academy", "south-academy", "east-primary"] {
        for (group, age, engine) in &engines {
            for device in [Device::Managed, Device::Byod] {
                for (i, url) in URLS.iter().enumerate() {
                    // A few distinct hosts per site: the top-sites map sees
                    // more than the pool's hosts.
                    let url = url.replace("www.bbc.co.uk", &format!("www{i}.{site}.example"));
                    let who = Identity {
                        site: Some(site),
                        user: Some(group),
                        device: Some(device),
                        group: Some(group),
                        age: Some(*age),
                        ..Identity::default()
                    };
                    pool.push(record(engine, &url, &who, start, &RecordOptions::new()));
                }
            }
        }
    }
    let mut next = || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        state >> 33
    };
    let out = std::io::stdout().lock();
    let mut out = BufWriter::with_capacity(1 << 20, out);
    let len = pool.len() as u64;
    for _ in 0..n {
        let Some(template) = pool.get((next() % len) as usize) else {
            continue;
        };
        let mut rec = template.clone();
        let seconds = (next() % 60) as i64 * 86_400 + (next() % 36_000) as i64;
        let at = start.checked_add(jiff::SignedDuration::from_secs(seconds))?;
        rec.time = RecordTime::with_offset(at, template.time.offset());
        out.write_all(rec.to_json_line().as_bytes())?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}
