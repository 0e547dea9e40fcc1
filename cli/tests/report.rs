//! `esafety report`: the JSON summary against an independent count over a
//! generated log with known totals; no statutory (IWF, terrorism) URL or
//! host in any output byte of a log the Squid helper wrote from requests
//! to listed URLs; bad lines reported by file and line and skipped; the
//! HTML page opened, shot and printed by real headless Chromium.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice,
    reason = "test helpers: a failure should panic with its message"
)]

mod common;

use std::collections::BTreeMap;
use std::process::Command;

use common::{Scratch, esafety, esafety_stdin, stderr, stdout};
use esafety::policy::{Action, Engine, Policy};
use esafety::record::{DecisionRecord, Identity, RecordOptions, record};
use serde_json::Value;

const POLICIES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../policies");

/// The URLs of the generated log: allowed, UKSIC, service, search,
/// statutory (the sample IWF and terrorism lists).
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
];

/// Every plaintext piece of the sample statutory lists' entries.
const STATUTORY_PLAINTEXT: &[&str] = &[
    "iwf-test",
    "terror-test",
    "198.51.100.7",
    "propaganda",
    "abuse/page",
];

fn engine(file: &str) -> Engine<Vec<u8>> {
    let path = format!("{POLICIES}/{file}");
    let text = std::fs::read_to_string(&path).unwrap();
    Engine::new(
        esafety::sample::bundle().unwrap(),
        Policy::load(file, &text).unwrap(),
    )
}

/// A deterministic generator (LCG): `n` records over two sites, two groups,
/// ten days from 2026-02-23, hours 7 to 18.
fn generate(n: usize) -> Vec<DecisionRecord> {
    let pupils = engine("secondary-pupils.toml");
    let staff = engine("staff.toml");
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |m: u64| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) % m
    };
    (0..n)
        .map(|_| {
            let site = ["north-academy", "south-academy"][next(2) as usize];
            let is_staff = next(4) == 0;
            let url = URLS[next(URLS.len() as u64) as usize];
            let day = 23 + next(10);
            let (month, day) = if day > 28 { (3, day - 28) } else { (2, day) };
            let time: jiff::Timestamp = format!(
                "2026-{month:02}-{day:02}T{:02}:{:02}:00Z",
                7 + next(12),
                next(60)
            )
            .parse()
            .unwrap();
            let who = Identity {
                site: Some(site),
                group: Some(if is_staff { "staff" } else { "pupils" }),
                age: Some(if is_staff { 40 } else { 14 }),
                // Streaming on a personal device is monitored: a flagged search.
                device: Some(esafety::policy::Device::Byod),
                ..Identity::default()
            };
            let engine = if is_staff { &staff } else { &pupils };
            let mut rec = record(engine, url, &who, time, &RecordOptions::new());
            // A third of the warnings: the request that went ahead after
            // the user chose to continue (a proxy's proceed address).
            if rec.action == Action::Warn && next(3) == 0 {
                assert!(rec.mark_proceeded());
            }
            rec
        })
        .collect()
}

/// The log's text: one record a line, with bad lines after every 500th.
fn log_text(records: &[DecisionRecord]) -> (String, usize) {
    let mut text = String::new();
    let mut bad = 0;
    for (i, r) in records.iter().enumerate() {
        text.push_str(&r.to_json_line());
        text.push('\n');
        if i % 500 == 499 {
            text.push_str("{\"time\": \"not a time\"}\n");
            bad += 1;
        }
    }
    (text, bad)
}

/// The figures counted straight from the records, apart from the report.
struct Count {
    records: u64,
    blocked: u64,
    warned: u64,
    proceeded: u64,
    alerts: u64,
    by_category: BTreeMap<String, u64>,
    by_group: BTreeMap<String, u64>,
    by_site_blocked: BTreeMap<String, u64>,
    daily_blocked: BTreeMap<String, u64>,
}

fn count<'a>(records: impl Iterator<Item = &'a DecisionRecord>) -> Count {
    let mut c = Count {
        records: 0,
        blocked: 0,
        warned: 0,
        proceeded: 0,
        alerts: 0,
        by_category: BTreeMap::new(),
        by_group: BTreeMap::new(),
        by_site_blocked: BTreeMap::new(),
        daily_blocked: BTreeMap::new(),
    };
    for r in records {
        c.records += 1;
        c.alerts += u64::from(r.alert.is_some());
        c.warned += u64::from(r.action == Action::Warn && !r.proceeded);
        c.proceeded += u64::from(r.action == Action::Warn && r.proceeded);
        if r.action == Action::Block {
            c.blocked += 1;
            for cat in &r.categories {
                *c.by_category.entry(cat.clone()).or_default() += 1;
            }
            *c.by_group.entry(r.group.clone().unwrap()).or_default() += 1;
            *c.by_site_blocked
                .entry(r.site.clone().unwrap())
                .or_default() += 1;
            *c.daily_blocked
                .entry(r.time.to_string()[..10].to_owned())
                .or_default() += 1;
        }
    }
    c
}

fn as_map(v: &Value) -> BTreeMap<String, u64> {
    v.as_object()
        .unwrap()
        .iter()
        .map(|(k, n)| (k.clone(), n.as_u64().unwrap()))
        .collect()
}

fn report_json(args: &[&str]) -> Value {
    let out = esafety(&[&["report", "--json"], args].concat());
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

fn check_against(json: &Value, want: &Count, case: &str) {
    assert_eq!(json["records"], want.records, "{case}: records");
    assert_eq!(json["blocked"], want.blocked, "{case}: blocked");
    assert_eq!(json["warned"], want.warned, "{case}: warned");
    assert_eq!(json["alerts"], want.alerts, "{case}: alerts");
    assert_eq!(
        json["warn_rates"]["proceeded"], want.proceeded,
        "{case}: proceeded"
    );
    assert_eq!(
        as_map(&json["by_category"]),
        want.by_category,
        "{case}: by_category"
    );
    assert_eq!(as_map(&json["by_group"]), want.by_group, "{case}: by_group");
    let sites: BTreeMap<String, u64> = json["by_site"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v["blocked"].as_u64().unwrap()))
        .filter(|(_, n)| *n > 0)
        .collect();
    assert_eq!(sites, want.by_site_blocked, "{case}: by_site");
    let daily: BTreeMap<String, u64> = json["daily"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v["blocked"].as_u64().unwrap()))
        .filter(|(_, n)| *n > 0)
        .collect();
    assert_eq!(daily, want.daily_blocked, "{case}: daily");
}

#[test]
fn json_summary_equals_an_independent_count() {
    let scratch = Scratch::new("report-count");
    let records = generate(4000);
    let (text, bad) = log_text(&records);
    let log = scratch.file("decisions.jsonl", &text);
    let log = log.to_str().unwrap();
    let in_period = |r: &&DecisionRecord| {
        let day = &r.time.to_string()[..10];
        ("2026-02-28"..="2026-03-04").contains(&day)
    };
    let previous = |r: &&DecisionRecord| {
        let day = &r.time.to_string()[..10];
        ("2026-02-23"..="2026-02-27").contains(&day)
    };
    let cases: Vec<(&str, Vec<&str>, Count)> = vec![
        ("every record", vec!["--log", log], count(records.iter())),
        (
            "one period",
            vec!["--log", log, "--from", "2026-02-28", "--to", "2026-03-04"],
            count(records.iter().filter(in_period)),
        ),
        (
            "one site",
            vec!["--log", log, "--site", "south-academy"],
            count(
                records
                    .iter()
                    .filter(|r| r.site.as_deref() == Some("south-academy")),
            ),
        ),
    ];
    assert!(
        cases[0].2.warned > 0 && cases[0].2.proceeded > 0,
        "the generated log has warnings and requests that went ahead after one"
    );
    for (case, args, want) in &cases {
        let json = report_json(args);
        check_against(&json, want, case);
        assert_eq!(json["bad_records"], bad as u64, "{case}: bad_records");
    }
    // The previous period beside this one.
    let json = report_json(&cases[1].1);
    let before = count(records.iter().filter(previous));
    assert_eq!(json["previous"]["records"], before.records);
    assert_eq!(json["previous"]["blocked"], before.blocked);
    assert_eq!(as_map(&json["previous"]["by_category"]), before.by_category);
    assert_eq!(json["previous"]["from"], "2026-02-23");
    // Two logs are one report.
    let (half_a, half_b) = records.split_at(1500);
    let a = scratch.file("a.jsonl", log_text(half_a).0);
    let b = scratch.file("b.jsonl", log_text(half_b).0);
    let json = report_json(&["--log", a.to_str().unwrap(), "--log", b.to_str().unwrap()]);
    check_against(&json, &cases[0].2, "two logs");
    // Top blocked sites: exact counts, statutory ones by digest id.
    let json = report_json(&["--log", log]);
    let top = json["top_blocked_sites"].as_array().unwrap();
    let statutory: Vec<&Value> = top.iter().filter(|s| s["statutory"] == true).collect();
    assert!(!statutory.is_empty());
    assert!(
        statutory
            .iter()
            .all(|s| s["site"].as_str().unwrap().starts_with("sha256:"))
    );
    let bet365 = records
        .iter()
        .filter(|r| {
            r.action == Action::Block && r.url.as_deref().is_some_and(|u| u.contains("bet365"))
        })
        .count() as u64;
    let row = top.iter().find(|s| s["site"] == "www.bet365.com").unwrap();
    assert_eq!(row["blocked"], bet365);
    // Flagged search terms: the video search is monitored for pupils.
    let terms = json["flagged_search_terms"].as_array().unwrap();
    let monitored = records
        .iter()
        .filter(|r| {
            r.action == Action::Monitor
                && r.search_terms
                    .as_ref()
                    .is_some_and(|t| t.terms == "fight videos")
        })
        .count() as u64;
    assert!(monitored > 0);
    assert_eq!(
        terms
            .iter()
            .find(|t| t["terms"] == "fight videos")
            .map(|t| t["count"].clone()),
        Some(monitored.into()),
        "{terms:?}"
    );
    assert!(
        !terms.iter().any(|t| t["terms"] == "volcano facts"),
        "{terms:?}"
    );
    // Alerts carry incident drafts and routes.
    let alert = json["alert_details"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["incident"].is_object())
        .unwrap();
    let routes: Vec<&str> = alert["routes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["route"].as_str().unwrap())
        .collect();
    assert!(routes.contains(&"dsl"), "{routes:?}");
}

#[test]
fn statutory_urls_never_appear_in_any_output_byte() {
    let scratch = Scratch::new("report-statutory");
    let policy = format!("{POLICIES}/secondary-pupils.toml");
    let log = scratch.path().join("decisions.jsonl");
    let log = log.to_str().unwrap();
    // Requests to every sample statutory entry, in the helper's protocol,
    // as Squid sends them, with searches and ordinary blocks between.
    let mut lines = String::new();
    for url in [
        "http://iwf-test.esafety.invalid/abuse/page-1.html",
        "http://iwf-test.esafety.invalid/abuse/page-2.html?id=7",
        "http://cdn.iwf-test.esafety.invalid/img/0001.jpg",
        "http://terror-test.esafety.invalid/propaganda/video-1.html",
        "http://198.51.100.7/terror-test/x",
        "https://www.bet365.com/",
        "https://www.google.com/search?q=poker+tips",
    ] {
        for n in 0..3 {
            lines.push_str(&format!("{url} 10.0.0.{n} pupil{n}\n"));
        }
    }
    let helper = esafety_stdin(
        &[
            "squid-helper",
            "--policy",
            &policy,
            "--format",
            "%URI %>a %un",
            "--group",
            "pupils",
            "--age",
            "14",
            "--log",
            log,
        ],
        Some(&lines),
    );
    assert!(helper.status.success(), "{}", stderr(&helper));
    let written = std::fs::read_to_string(log).unwrap();
    assert_eq!(written.lines().count(), 21);
    assert!(written.contains("sha256:"));
    let html = scratch.path().join("report.html");
    let outputs = [
        esafety(&["report", "--log", log, "--json"]),
        esafety(&["report", "--log", log, "--csv"]),
        esafety(&["report", "--log", log, "-o", html.to_str().unwrap()]),
    ];
    let page = std::fs::read(&html).unwrap();
    let mut bytes = page.clone();
    for out in &outputs {
        assert!(out.status.success(), "{}", stderr(out));
        bytes.extend_from_slice(&out.stdout);
        bytes.extend_from_slice(&out.stderr);
    }
    let all = String::from_utf8(bytes).unwrap();
    for plain in STATUTORY_PLAINTEXT {
        assert!(!all.contains(plain), "`{plain}` in a report output");
    }
    let json: Value = serde_json::from_slice(&outputs[0].stdout).unwrap();
    assert_eq!(json["records"], 21);
    assert_eq!(json["by_category"]["child-abuse"], 9);
    assert_eq!(json["by_category"]["terrorism"], 6);
    assert!(
        String::from_utf8(page)
            .unwrap()
            .contains("Statutory list entry sha256:")
    );
}

#[test]
fn a_statutory_record_holding_a_url_is_redacted() {
    // A record edited by hand (or by a tool that does not know the rule)
    // with the URL of a statutory entry: the report names it `redacted`.
    let scratch = Scratch::new("report-forged");
    let line = r#"{"time":"2026-03-02T10:00:00+00:00","site":null,"client_ip":null,"user":null,"device":null,"group":"pupils","age":14,"policy":"p","url":"http://iwf-test.esafety.invalid/abuse/page-1.html","categories":["child-abuse"],"action":"block","rule":"baseline","lists":["iwf"],"search_terms":null,"alert":null,"reasons":[]}"#;
    let log = scratch.file("forged.jsonl", format!("{line}\n"));
    let out = esafety(&["report", "--json", "--log", log.to_str().unwrap()]);
    let text = stdout(&out);
    assert!(!text.contains("iwf-test"), "{text}");
    assert!(text.contains(r#""site":"redacted""#), "{text}");
}

#[test]
fn bad_records_are_reported_by_line_and_skipped() {
    let scratch = Scratch::new("report-bad");
    let records = generate(3);
    let text = format!(
        "{}\nnot json\n{}\n{{\"time\":\"2026-03-02T10:00:00+00:00\"}}\n\n{}\n",
        records[0].to_json_line(),
        records[1].to_json_line(),
        records[2].to_json_line()
    );
    let log = scratch.file("decisions.jsonl", text);
    let log = log.to_str().unwrap();
    let out = esafety(&["report", "--json", "--log", log]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    let cases = [("line 2", ":2:2: not a decision record"), ("line 4", ":4:")];
    for (name, want) in cases {
        assert!(
            err.contains(&format!("decisions.jsonl{want}")),
            "{name}: {err}"
        );
    }
    assert_eq!(err.lines().count(), 2, "{err}");
    let json: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        (json["records"].as_u64(), json["bad_records"].as_u64()),
        (Some(3), Some(2))
    );
}

/// A line that is not UTF-8 and a line over the 16 MiB cap are two bad
/// lines like any other: reported by line, skipped, and the records after
/// them counted (before, the first non-UTF-8 byte ended the whole report).
#[test]
fn lines_that_are_not_text_or_too_long_are_bad_lines_not_the_end() {
    let scratch = Scratch::new("report-bytes");
    let records = generate(3);
    let mut bytes = Vec::new();
    bytes.extend_from_slice(records[0].to_json_line().as_bytes());
    bytes.extend_from_slice(b"\n");
    bytes.extend_from_slice(records[1].to_json_line().as_bytes());
    // A record-like line whose user name has a byte that is not UTF-8.
    bytes.extend_from_slice(b"\n{\"time\":\"2026-03-02T10:00:00+00:00\",\"user\":\"\xff\"}\n");
    bytes.extend(std::iter::repeat_n(
        b' ',
        esafety::record::MAX_LOG_LINE_LEN + 1,
    ));
    bytes.extend_from_slice(b"\n");
    bytes.extend_from_slice(records[2].to_json_line().as_bytes());
    bytes.extend_from_slice(b"\n");
    let log = scratch.file("decisions.jsonl", bytes);
    let out = esafety(&["report", "--json", "--log", log.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    let cases = [
        ("not utf-8", "decisions.jsonl:3:"),
        (
            "over the cap",
            "decisions.jsonl:4: not a decision record: the line is 16777217 bytes",
        ),
    ];
    for (name, want) in cases {
        assert!(err.contains(want), "{name}: {err}");
    }
    assert_eq!(err.lines().count(), 2, "{err}");
    let json: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        (json["records"].as_u64(), json["bad_records"].as_u64()),
        (Some(3), Some(2))
    );
}

#[test]
fn bad_usage_exits_2() {
    let scratch = Scratch::new("report-usage");
    let log = scratch.file("empty.jsonl", "");
    let log = log.to_str().unwrap();
    let cases: [(&str, Vec<&str>, &str); 4] = [
        ("no output", vec!["report", "--log", log], "required"),
        (
            "missing log",
            vec!["report", "--json", "--log", "/nonexistent/x.jsonl"],
            "cannot open log `/nonexistent/x.jsonl`",
        ),
        (
            "reversed period",
            vec![
                "report",
                "--json",
                "--log",
                log,
                "--from",
                "2026-03-09",
                "--to",
                "2026-03-02",
            ],
            "before it starts",
        ),
        (
            "bad lesson times",
            vec!["report", "--json", "--log", log, "--lesson-times", "9-3pm"],
            "bad lesson times `9-3pm`",
        ),
    ];
    for (name, args, want) in cases {
        let out = esafety(&args);
        assert_eq!(out.status.code(), Some(2), "{name}");
        assert!(stderr(&out).contains(want), "{name}: {}", stderr(&out));
    }
}

/// Runs headless Chromium on `page` with `args`; its stdout.
fn chromium(page: &std::path::Path, args: &[String]) -> String {
    let profile = page.with_file_name(format!("chromium-profile-{}", args.len()));
    let out = Command::new("chromium")
        .args([
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium (scripts/setup.sh installs it)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_html_report_in_chromium() {
    let scratch = Scratch::new("report-chromium");
    let records = generate(600);
    let log = scratch.file("decisions.jsonl", log_text(&records).0);
    let page = scratch.path().join("report.html");
    let out = esafety(&[
        "report",
        "--log",
        log.to_str().unwrap(),
        "-o",
        page.to_str().unwrap(),
        "--from",
        "2026-02-28",
        "--to",
        "2026-03-04",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(
        !html.contains("http://") || !html.contains("<link"),
        "no network resources"
    );
    assert!(!html.contains("<script"), "no scripts");
    let want = count(
        records
            .iter()
            .filter(|r| ("2026-02-28"..="2026-03-04").contains(&&r.time.to_string()[..10])),
    );

    let dom = chromium(&page, &["--dump-dom".to_owned()]);
    let cases = [
        (
            "blocked figure",
            format!(
                r#"id="figure-blocked"><span class="value">{}</span>"#,
                want.blocked
            ),
        ),
        (
            "records figure",
            format!(
                r#"id="figure-records"><span class="value">{}</span>"#,
                want.records
            ),
        ),
        (
            "alerts figure",
            format!(
                r#"id="figure-alerts"><span class="value">{}</span>"#,
                want.alerts
            ),
        ),
        (
            "gambling row",
            format!(
                r#"<th scope="row">gambling</th><td class="n">{}</td>"#,
                want.by_category["gambling"]
            ),
        ),
        ("period", "2026-02-28 to 2026-03-04".to_owned()),
        ("previous period", "2026-02-23 to 2026-02-27".to_owned()),
    ];
    for (name, text) in cases {
        assert!(
            dom.contains(&text),
            "{name}: `{text}` not in the page Chromium read"
        );
    }
    // Charts: one SVG per chart (daily, category, group, site), each with a
    // table behind it and a caption naming it.
    assert_eq!(dom.matches("<svg").count(), 4, "charts");
    for id in ["chart-daily", "chart-category", "chart-group", "chart-site"] {
        assert!(dom.contains(&format!(r#"aria-labelledby="{id}""#)), "{id}");
    }
    for id in [
        "table-daily",
        "table-category",
        "table-group",
        "table-sites",
    ] {
        assert!(dom.contains(&format!(r#"id="{id}""#)), "{id}");
    }
    assert!(
        dom.contains("<h1>") && dom.matches("<h2").count() >= 8,
        "headings"
    );

    for (name, width, height) in [("desktop", 1280, 900), ("a4", 794, 1123)] {
        let shot = scratch.path().join(format!("report-{name}.png"));
        chromium(
            &page,
            &[
                format!("--screenshot={}", shot.display()),
                format!("--window-size={width},{height}"),
            ],
        );
        let png = std::fs::read(&shot).unwrap();
        assert!(
            png.starts_with(b"\x89PNG") && png.len() > 10_000,
            "{name} screenshot"
        );
    }
    let pdf = scratch.path().join("report.pdf");
    chromium(
        &page,
        &[
            format!("--print-to-pdf={}", pdf.display()),
            "--no-pdf-header-footer".to_owned(),
        ],
    );
    let bytes = std::fs::read(&pdf).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    let pages = text.matches("/Type /Page").count() - text.matches("/Type /Pages").count();
    assert!(bytes.starts_with(b"%PDF") && pages > 0, "{pages} pages");
}
