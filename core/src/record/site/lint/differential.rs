//! The indexed site checks against the pairwise oracle: on generated site
//! files, `lint_site` gives exactly the findings of comparing every pair
//! of entries, and on a large one it compares far fewer pairs.

use std::fmt::Write as _;

use proptest::prelude::*;

use super::{check, pairwise};
use crate::record::site::Site;

/// Nested and disjoint ranges of both families, a host among them.
const RANGES: &[&str] = &[
    "0.0.0.0/0",
    "10.0.0.0/8",
    "10.0.0.0/16",
    "10.0.9.0/24",
    "10.0.9.7",
    "10.1.0.0/16",
    "11.0.0.0/8",
    "192.168.0.0/24",
    "192.168.0.128/25",
    "::/0",
    "2001:db8::/32",
    "2001:db8:10::/48",
    "::ffff:10.0.0.0/104",
];
const USERS: &[&str] = &["alice", "bob", "carol"];

/// One generated entry: indices into [`RANGES`] and [`USERS`].
type EntryChoice = (Option<Vec<usize>>, Option<Vec<usize>>);

fn entry() -> impl Strategy<Value = EntryChoice> {
    (
        prop::option::of(prop::collection::vec(0..RANGES.len(), 1..=4)),
        prop::option::of(prop::collection::vec(0..USERS.len(), 1..=2)),
    )
}

fn render(entries: &[EntryChoice]) -> String {
    let mut t = String::from("site = \"generated\"\n");
    for (ranges, users) in entries {
        t.push_str("\n[[clients]]\n");
        let quoted = |pool: &[&str], picks: &[usize]| {
            picks
                .iter()
                .filter_map(|&k| pool.get(k))
                .map(|s| format!("\"{s}\""))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if let Some(r) = ranges {
            let _ = writeln!(t, "ip = [{}]", quoted(RANGES, r));
        }
        if let Some(u) = users {
            let _ = writeln!(t, "user = [{}]", quoted(USERS, u));
        }
        t.push_str("group = \"g\"\n");
    }
    t
}

/// A school of `n` entries: a /28 per class across 10.0.0.0/8, every 7th
/// a host inside an earlier class (S001), every 11th a repeat of an
/// earlier class (S002), every 13th a class shared with its own host
/// (S004), every 5th by user; a catch-all last.
pub(crate) fn school(n: usize) -> String {
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

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn indexed_site_lint_finds_what_the_pairwise_one_does(
        entries in prop::collection::vec(entry(), 0..24),
    ) {
        let text = render(&entries);
        let site = Site::from_toml_str("g.toml", &text).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(check(&site).findings, pairwise::check(&site).findings, "{}", text);
    }
}

#[test]
fn indexed_site_lint_matches_the_pairwise_one_on_a_generated_school() {
    let site = Site::from_toml_str("school.toml", &school(2_000));
    let site = site.map_err(|e| e.to_string());
    assert_eq!(site.as_ref().map(|s| s.clients().len()), Ok(2_001));
    let Ok(site) = site else { return };
    let (indexed, pairwise) = (check(&site), pairwise::check(&site));
    assert_eq!(indexed.findings, pairwise.findings);
    for code in ["S001", "S002", "S004"] {
        assert!(
            indexed.findings.iter().any(|f| f.code == code),
            "no {code} in the generated school"
        );
    }
}

/// The work is near-linear: 10,000 entries take under 3 comparisons
/// each (the pairwise checks make one per pair, about 50 million).
#[test]
fn site_lint_compares_an_entry_with_few_others() {
    let site = Site::from_toml_str("school.toml", &school(10_000)).map_err(|e| e.to_string());
    let Ok(site) = site else {
        panic!("{site:?}");
    };
    let checked = check(&site);
    println!(
        "indexed: {} comparisons for 10,001 entries",
        checked.comparisons
    );
    assert!(
        checked.comparisons < 30_000,
        "{} comparisons for 10,001 entries",
        checked.comparisons
    );
    let small = Site::from_toml_str("school.toml", &school(1_000)).map_err(|e| e.to_string());
    let Ok(small) = small else {
        panic!("{small:?}");
    };
    assert!(pairwise::check(&small).comparisons > 400_000);
}
