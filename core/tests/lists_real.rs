//! The real peer lists (ESAFETY_DATA, default `../shared/data`) parse with
//! sensible counts. Skipped with a printed note when the data is absent.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test helpers fail loudly"
)]

use std::collections::HashSet;
use std::path::PathBuf;

use esafety::lists::{EntryKind, Format, ParseOptions, ParsedList, detect, parse};

fn data_dir() -> Option<PathBuf> {
    let base = std::env::var_os("ESAFETY_DATA").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/data"),
        PathBuf::from,
    );
    let dir = base.join("peer-lists");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "note: {} is absent; skipping the real-list tests",
            dir.display()
        );
        None
    }
}

fn load(name: &str) -> Option<(Format, ParsedList)> {
    let dir = data_dir()?;
    let bytes = std::fs::read(dir.join(name)).unwrap();
    let format = detect(&bytes);
    let parsed = parse(format, name, &bytes, &ParseOptions::new()).unwrap();
    Some((format, parsed))
}

fn domains(parsed: &ParsedList) -> HashSet<&str> {
    parsed
        .entries
        .iter()
        .filter_map(|e| match &e.kind {
            EntryKind::Domain(d) => Some(d.as_str()),
            _ => None,
        })
        .collect()
}

fn count(parsed: &ParsedList, f: fn(&EntryKind) -> bool) -> usize {
    parsed.entries.iter().filter(|e| f(&e.kind)).count()
}

/// `(file, expected format, domain entries within [lo, hi], max skipped)`.
const CASES: &[(&str, Format, usize, usize, usize)] = &[
    ("easylist.txt", Format::Adblock, 46_500, 47_300, 20),
    ("easyprivacy.txt", Format::Adblock, 42_500, 43_000, 20),
    (
        "spam404-main-blacklist.txt",
        Format::Adblock,
        5_600,
        5_700,
        5,
    ),
    ("malwaredomains.txt", Format::Plain, 26_700, 26_900, 10),
    (
        "disconnect-simple-malware.txt",
        Format::Plain,
        2_400,
        2_460,
        3,
    ),
    (
        "malwaredomainlist_justhosts.txt",
        Format::Adblock,
        1_090,
        1_110,
        3,
    ),
];

#[test]
fn real_lists_parse_with_sensible_counts() {
    for &(name, format, lo, hi, max_skipped) in CASES {
        let Some((detected, parsed)) = load(name) else {
            return;
        };
        let n = count(&parsed, |k| matches!(k, EntryKind::Domain(_)));
        eprintln!(
            "{name}: {detected} domains={n} unique={} prefixes={} urls={} ignored={} skipped={}",
            domains(&parsed).len(),
            count(&parsed, |k| matches!(k, EntryKind::UrlPrefix(_))),
            count(&parsed, |k| matches!(k, EntryKind::Url(_))),
            parsed.ignored,
            parsed.skipped.len()
        );
        for s in parsed.skipped.iter().take(5) {
            eprintln!("  {s}");
        }
        assert_eq!(detected, format, "{name}: detected format");
        assert!(
            (lo..=hi).contains(&n),
            "{name}: {n} domain entries, expected {lo}..={hi}"
        );
        assert!(
            parsed.skipped.len() <= max_skipped,
            "{name}: {} skipped lines",
            parsed.skipped.len()
        );
    }
}

#[test]
fn easylist_counts_other_syntax_as_ignored_not_entries() {
    let Some((_, parsed)) = load("easylist.txt") else {
        return;
    };
    // EasyList is mostly cosmetic and generic rules: tens of thousands of
    // them are counted, none becomes an entry.
    assert!(parsed.ignored > 20_000, "ignored {}", parsed.ignored);
    // Every `||host^` line with no options is a domain entry.
    let dir = data_dir().unwrap();
    let text = std::fs::read_to_string(dir.join("easylist.txt")).unwrap();
    let plain_host_rules = text
        .lines()
        .filter(|l| {
            l.strip_prefix("||")
                .and_then(|r| r.strip_suffix('^'))
                .is_some_and(|h| !h.contains(['/', '*', '^', '$', '|']))
        })
        .count();
    let n = count(&parsed, |k| matches!(k, EntryKind::Domain(_)));
    assert!(
        n >= plain_host_rules,
        "{n} domains < {plain_host_rules} `||host^` rules"
    );
}

#[test]
fn union_of_host_lists_is_about_123k_unique_hosts() {
    let mut all = HashSet::new();
    for name in [
        "easylist.txt",
        "easyprivacy.txt",
        "spam404-main-blacklist.txt",
        "malwaredomains.txt",
        "disconnect-simple-malware.txt",
        "malwaredomainlist_justhosts.txt",
    ] {
        let Some((_, parsed)) = load(name) else {
            return;
        };
        all.extend(domains(&parsed).into_iter().map(str::to_owned));
    }
    eprintln!("unique hosts: {}", all.len());
    assert!(
        (122_500..=124_500).contains(&all.len()),
        "{} unique hosts",
        all.len()
    );
}

#[test]
fn top500_urls_parse_as_plain_pages() {
    let Some((format, parsed)) = load("top500-sitelist.txt") else {
        return;
    };
    assert_eq!(format, Format::Plain);
    eprintln!(
        "top500: entries={} skipped={}",
        parsed.entries.len(),
        parsed.skipped.len()
    );
    assert!(parsed.entries.len() >= 20_000);
    assert!(parsed.skipped.len() < 100);
}
