//! Shared data for the classification benches: the real URL stream and
//! host lists from `$ESAFETY_DATA/peer-lists` (see `esafety_benches::data_dir`),
//! or generated stand-ins when they are absent; plus synthetic IWF pages.

#![allow(dead_code, reason = "each bench binary uses part of this module")]

use std::collections::BTreeSet;
use std::path::Path;

use esafety::bundle::BundleBuilder;
use esafety::lists::{Entry, EntryKind};

/// The benchmark inputs.
pub struct Data {
    /// Where the data came from.
    pub source: String,
    /// Page URLs to classify.
    pub urls: Vec<String>,
    /// Unique hosts to block.
    pub hosts: Vec<String>,
    /// Synthetic sensitive pages (`host/path`).
    pub iwf: Vec<String>,
}

/// `||host^` rules with nothing else on the line.
fn adblock_hosts(text: &str, out: &mut BTreeSet<String>) {
    for line in text.lines() {
        let line = line.trim();
        if let Some(host) = line.strip_prefix("||").and_then(|l| l.strip_suffix('^'))
            && !host.is_empty()
            && !host.contains(['/', '^', '$', '*', '|'])
        {
            out.insert(host.to_ascii_lowercase());
        }
    }
}

/// One host per line; `#`, `!` and `[` lines and lines with spaces skipped.
fn plain_hosts(text: &str, out: &mut BTreeSet<String>) {
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty()
            || line.starts_with(['#', '!', '['])
            || line.contains(char::is_whitespace)
        {
            continue;
        }
        out.insert(line.to_ascii_lowercase());
    }
}

/// 10,000 synthetic IWF-style pages on 2,000 reserved hosts.
pub fn synthetic_iwf(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            format!(
                "iwf-bench-{}.esafety.invalid/content/{}/page-{i}.html",
                i % 2000,
                i % 7
            )
        })
        .collect()
}

/// Loads the real data, or generates a stand-in.
pub fn load() -> Data {
    let dir = esafety_benches::data_dir().join("peer-lists");
    match load_real(&dir) {
        Some(d) => d,
        None => generated(),
    }
}

fn load_real(dir: &Path) -> Option<Data> {
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).ok();
    let urls: Vec<String> = read("top500-sitelist.txt")?
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    let mut hosts = BTreeSet::new();
    for f in [
        "easylist.txt",
        "easyprivacy.txt",
        "spam404-main-blacklist.txt",
    ] {
        adblock_hosts(&read(f)?, &mut hosts);
    }
    for f in [
        "malwaredomains.txt",
        "disconnect-simple-malware.txt",
        "malwaredomainlist_justhosts.txt",
    ] {
        plain_hosts(&read(f)?, &mut hosts);
    }
    Some(Data {
        source: format!("{} (top500-sitelist + 6 host lists)", dir.display()),
        urls,
        hosts: hosts.into_iter().collect(),
        iwf: synthetic_iwf(10_000),
    })
}

/// A deterministic stand-in: 120,000 hosts and 20,000 URLs, a fifth of
/// them on listed hosts.
fn generated() -> Data {
    let hosts: Vec<String> = (0..120_000u64)
        .map(|i| {
            format!(
                "h{:x}.example{}.test",
                i.wrapping_mul(2654435761) % 1_000_003,
                i % 97
            )
        })
        .collect();
    let urls = (0..20_000usize)
        .map(|i| {
            if i % 5 == 0 {
                format!("http://www.{}/path/{i}?q={i}", hosts[i * 3 % hosts.len()])
            } else {
                format!("https://site{i}.unlisted.test/a/b/c{i}.html?x={i}")
            }
        })
        .collect();
    Data {
        source: "generated (ESAFETY_DATA/peer-lists not found)".into(),
        urls,
        hosts,
        iwf: synthetic_iwf(10_000),
    }
}

/// Compiles the bench bundle: every host as a domain entry (one list), and
/// the synthetic IWF pages as a `child-abuse` list.
pub fn bundle_bytes(data: &Data) -> Vec<u8> {
    let mut b = BundleBuilder::new();
    let hosts = b.add_list("hosts", "malware-hacking").unwrap();
    for (i, h) in data.hosts.iter().enumerate() {
        b.add_entry(
            hosts,
            &Entry {
                kind: EntryKind::Domain(h.clone()),
                line: i + 1,
            },
        )
        .unwrap();
    }
    let iwf = b.add_list("iwf-synthetic", "child-abuse").unwrap();
    for (i, u) in data.iwf.iter().enumerate() {
        b.add_entry(
            iwf,
            &Entry {
                kind: EntryKind::Url(u.clone()),
                line: i + 1,
            },
        )
        .unwrap();
    }
    b.build().unwrap()
}

/// The crude host of a URL for the bare-`fst` floor: between `://` and the
/// first `/`, `?`, `#` or `:`, after any `@`, lowercased in place.
pub fn crude_host<'a>(url: &'a str, buf: &'a mut String) -> &'a str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = authority
        .split(':')
        .next()
        .unwrap_or(authority)
        .trim_end_matches('.');
    if host.bytes().any(|b| b.is_ascii_uppercase()) {
        buf.clear();
        buf.push_str(host);
        buf.make_ascii_lowercase();
        buf.as_str()
    } else {
        host
    }
}

/// Whether `host` or a label-boundary suffix of it is in `set`.
pub fn fst_floor_blocks(set: &fst::Set<Vec<u8>>, host: &str) -> bool {
    if set.contains(host) {
        return true;
    }
    host.match_indices('.')
        .any(|(i, _)| set.contains(&host[i + 1..]))
}

/// `||host^` rules for adblock-rust.
pub fn adblock_rules(hosts: &[String]) -> Vec<String> {
    hosts.iter().map(|h| format!("||{h}^")).collect()
}
