//! The old site checks, kept as the oracle of the indexed ones (compared
//! in `differential`): every entry against every earlier one, and every
//! pair of an entry's ranges. Quadratic; test builds only.

use super::{Checked, finish, first_overlap, s001, s002, s004, shadows};
use crate::record::site::Site;

/// The findings of comparing all pairs, and the pairs compared.
pub(super) fn check(site: &Site) -> Checked {
    let mut out = Vec::new();
    let mut comparisons = 0u64;
    let clients = site.clients();
    for (j, later) in clients.iter().enumerate() {
        let ranges = later.ranges();
        for (a, ra) in ranges.iter().enumerate() {
            for rb in ranges.iter().skip(a + 1) {
                if ra.overlaps(rb) {
                    out.push(s004(j, later, ra, rb));
                }
            }
        }
        let mut unreachable = false;
        for (i, earlier) in clients.iter().enumerate().take(j) {
            comparisons += 1;
            if shadows(earlier, later) {
                out.push(s002(j, later, i, earlier));
                unreachable = true;
                break;
            }
        }
        if unreachable {
            continue;
        }
        for (i, earlier) in clients.iter().enumerate().take(j) {
            comparisons += 1;
            if let Some((re, rl)) = first_overlap(earlier, later) {
                out.push(s001(j, later, i, earlier, re, rl));
            }
        }
    }
    finish(clients, &mut out);
    Checked {
        findings: out,
        comparisons,
    }
}
