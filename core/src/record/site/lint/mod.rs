//! The site-file linter: overlapping ranges, entries that can never match,
//! a missing catch-all.
//!
//! | code | severity | finding |
//! |---|---|---|
//! | `S000` | error | the site file does not load |
//! | `S001` | warning | two entries' ranges overlap: the addresses in both go to the first |
//! | `S002` | error | an entry can never match: an earlier entry matches every client it would |
//! | `S003` | warning | no catch-all entry: clients nothing matches get the default policy with no group, age or device |
//! | `S004` | warning | one entry lists ranges that overlap each other |
//! | `S005` | error | an entry's policy cannot be read or does not load ([`lint_with_policies`]) |
//!
//! **Cost.** Entries are indexed by range and by user, so each entry is
//! compared only with the earlier catch-alls, the earlier entries listing
//! a range covering one of its ranges or naming one of its users (S002),
//! and the earlier entries whose ranges overlap its own (S001):
//! O(n·(log n + k)) for n entries, k the largest such candidate set, plus
//! the findings, not O(n²). The overlapping ranges within one entry are found by sorting
//! them (O(m log m) for m ranges). Measured with the `lint` bench
//! (`cargo bench -p esafety-benches --bench site_lint`).

#[cfg(test)]
mod differential;
mod index;
#[cfg(any(test, feature = "fuzzing"))]
mod pairwise;

use index::{EntryIndex, overlapping_pairs};

use super::{Cidr, ClientEntry, Site};
use crate::policy::{Finding, Severity};

fn finding(code: &str, severity: Severity, line: usize, message: String) -> Finding {
    Finding {
        code: code.to_owned(),
        severity,
        line,
        message,
    }
}

/// Whether `earlier` matches every client `later` matches.
fn shadows(earlier: &ClientEntry, later: &ClientEntry) -> bool {
    let ip_covered = match (&earlier.ranges, &later.ranges) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(e), Some(l)) => l.iter().all(|r| e.iter().any(|big| big.covers(r))),
    };
    let user_covered = match (&earlier.users, &later.users) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(e), Some(l)) => l.iter().all(|u| e.contains(u)),
    };
    ip_covered && user_covered
}

/// Lints a site file. `source` names it in findings.
///
/// ```
/// use esafety::record::site::lint;
///
/// let findings = lint("site.toml", r#"site = "s"
/// [[clients]]
/// ip = ["10.0.0.0/8"]
/// group = "pupils"
/// [[clients]]
/// ip = ["10.0.9.0/24"]
/// group = "lab"
/// "#);
/// let codes: Vec<&str> = findings.iter().map(|f| f.code.as_str()).collect();
/// // Sorted by line: the missing catch-all is about the whole file (line 1).
/// assert_eq!(codes, ["S003", "S002"]);
/// assert_eq!(findings[1].line, 5);
/// assert!(findings[1].message.contains("entry 2 (line 5) can never match"), "{}", findings[1].message);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn lint(source: &str, text: &str) -> Vec<Finding> {
    lint_by(source, text, lint_site)
}

/// [`lint`] by the old quadratic algorithm: every entry compared with every
/// earlier one, and every pair of an entry's ranges. The oracle of the
/// indexed checks (test builds and the `fuzzing` feature only).
///
/// ```
/// use esafety::record::site::{lint, lint_pairwise};
///
/// let text = "site = \"s\"\n[[clients]]\nip = [\"10.0.0.0/8\"]\n[[clients]]\nip = [\"10.0.9.0/24\", \"10.0.9.7\"]\n";
/// let findings = lint_pairwise("site.toml", text);
/// assert_eq!(findings, lint("site.toml", text));
/// let codes: Vec<&str> = findings.iter().map(|f| f.code.as_str()).collect();
/// assert_eq!(codes, ["S003", "S004", "S002"]);
/// ```
#[cfg(any(test, feature = "fuzzing"))]
pub fn lint_pairwise(source: &str, text: &str) -> Vec<Finding> {
    lint_by(source, text, |site| pairwise::check(site).findings)
}

fn lint_by(source: &str, text: &str, checks: impl Fn(&Site) -> Vec<Finding>) -> Vec<Finding> {
    match Site::from_toml_str(source, text) {
        Ok(site) => checks(&site),
        Err(super::SiteError::Invalid { line, message, .. }) => vec![finding(
            "S000",
            Severity::Error,
            line,
            format!("the site file does not load, so nothing else was checked: {message}"),
        )],
        Err(err) => vec![finding(
            "S000",
            Severity::Error,
            1,
            format!("the site file does not load, so nothing else was checked: {err}"),
        )],
    }
}

/// [`lint`], and each entry's policy must load: `read` returns the text of a
/// policy given its path as written (relative to the site file).
///
/// ```
/// use esafety::record::site::lint_with_policies;
///
/// let text = "site = \"s\"\n[[clients]]\npolicy = \"staff.toml\"\n";
/// let findings = lint_with_policies("site.toml", text, |path| match path {
///     "staff.toml" => Ok("id = \"staff\"\ndefault = \"allwo\"\n".to_owned()),
///     other => Err(format!("no file {other}")),
/// });
/// let s005 = findings.iter().find(|f| f.code == "S005").ok_or("no S005")?;
/// assert_eq!(s005.line, 2);
/// assert!(s005.message.contains("staff.toml:2:11: unknown variant `allwo`"), "{}", s005.message);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn lint_with_policies(
    source: &str,
    text: &str,
    mut read: impl FnMut(&str) -> Result<String, String>,
) -> Vec<Finding> {
    let mut out = lint(source, text);
    if let Ok(site) = Site::from_toml_str(source, text) {
        for (index, entry) in site.clients().iter().enumerate() {
            let Some(path) = entry.policy() else { continue };
            let problem = match read(path) {
                Err(e) => Some(format!("cannot read it: {e}")),
                Ok(policy) => crate::policy::Policy::load(path, &policy)
                    .err()
                    .map(|e| e.to_string()),
            };
            if let Some(problem) = problem {
                out.push(finding(
                    "S005",
                    Severity::Error,
                    entry.line(),
                    format!(
                        "entry {} (line {}): its policy `{path}` cannot be used, so its clients could not be decided: {problem}",
                        index + 1,
                        entry.line()
                    ),
                ));
            }
        }
        out.sort_by_key(|f| f.line);
    }
    out
}

/// Lints a loaded site.
fn lint_site(site: &Site) -> Vec<Finding> {
    check(site).findings
}

/// The findings of [`lint_site`] and the work done to find them.
struct Checked {
    findings: Vec<Finding>,
    /// Entry pairs compared: [`shadows`] calls and entries searched for
    /// the ranges two entries share (read by the tests that the work is
    /// near-linear).
    #[cfg_attr(not(test), expect(dead_code, reason = "counted for the tests"))]
    comparisons: u64,
}

/// The checks through an [`EntryIndex`]: each entry is compared only with
/// the earlier entries that can match every client it would (S002) or
/// share an address with it (S001).
fn check(site: &Site) -> Checked {
    let mut out = Vec::new();
    let mut comparisons = 0u64;
    let clients = site.clients();
    let mut index = EntryIndex::default();
    for (j, later) in clients.iter().enumerate() {
        for (a, b) in overlapping_pairs(later.ranges()) {
            if let (Some(ra), Some(rb)) = (later.ranges().get(a), later.ranges().get(b)) {
                out.push(s004(j, later, ra, rb));
            }
        }
        let first = index
            .may_shadow(later)
            .into_iter()
            .filter_map(|i| clients.get(i).map(|e| (i, e)))
            .find(|(_, earlier)| {
                comparisons += 1;
                shadows(earlier, later)
            });
        if let Some((i, earlier)) = first {
            out.push(s002(j, later, i, earlier));
        } else {
            for i in index.meeting(later.ranges()) {
                let Some(earlier) = clients.get(i) else {
                    continue;
                };
                comparisons += 1;
                if let Some((re, rl)) = first_overlap(earlier, later) {
                    out.push(s001(j, later, i, earlier, re, rl));
                }
            }
        }
        index.insert(j, later);
    }
    finish(clients, &mut out);
    Checked {
        findings: out,
        comparisons,
    }
}

/// The first range of `earlier` (in its order) that overlaps a range of
/// `later`, and the first such range of `later`.
fn first_overlap<'e>(
    earlier: &'e ClientEntry,
    later: &'e ClientEntry,
) -> Option<(&'e Cidr, &'e Cidr)> {
    earlier.ranges().iter().find_map(|re| {
        later
            .ranges()
            .iter()
            .find(|rl| re.overlaps(rl))
            .map(|rl| (re, rl))
    })
}

fn s004(j: usize, later: &ClientEntry, ra: &Cidr, rb: &Cidr) -> Finding {
    finding(
        "S004",
        Severity::Warning,
        later.line(),
        format!(
            "entry {} (line {}) lists `{ra}` and `{rb}`, which overlap; keep the wider one",
            j + 1,
            later.line()
        ),
    )
}

fn s002(j: usize, later: &ClientEntry, i: usize, earlier: &ClientEntry) -> Finding {
    finding(
        "S002",
        Severity::Error,
        later.line(),
        format!(
            "entry {} (line {}) can never match: entry {} (line {}) comes first and matches every client it would; move it above entry {} or remove it",
            j + 1,
            later.line(),
            i + 1,
            earlier.line(),
            i + 1
        ),
    )
}

fn s001(
    j: usize,
    later: &ClientEntry,
    i: usize,
    earlier: &ClientEntry,
    re: &Cidr,
    rl: &Cidr,
) -> Finding {
    finding(
        "S001",
        Severity::Warning,
        later.line(),
        format!(
            "`{rl}` of entry {} (line {}) overlaps `{re}` of entry {} (line {}): clients in both get entry {}; narrow one of them if that is not meant",
            j + 1,
            later.line(),
            i + 1,
            earlier.line(),
            i + 1
        ),
    )
}

/// S003, and the findings in file order (a stable sort: within a line, in
/// the order found).
fn finish(clients: &[ClientEntry], out: &mut Vec<Finding>) {
    if !clients.iter().any(ClientEntry::is_catch_all) {
        out.push(finding(
            "S003",
            Severity::Warning,
            1,
            "no entry matches every client: a client no entry matches gets the default policy (`--policy`) with no group, age or device; add a last `[[clients]]` with neither `ip` nor `user` to say what they get".to_owned(),
        ));
    }
    // In file order, as editors show them.
    out.sort_by_key(|f| f.line);
}
