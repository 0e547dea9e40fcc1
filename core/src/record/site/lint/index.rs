//! Entries indexed by what they match, so the site checks compare an
//! entry only with the earlier entries that can shadow it or share an
//! address with it, instead of with every earlier one.
//!
//! CIDR ranges either nest or are apart, so the ranges that overlap a
//! range `r` are its ancestors (one per shorter prefix: at most 33 or 129
//! lookups) and the ranges between its first and last address (one
//! ordered range query). Users are looked up by name.

use std::collections::{BTreeMap, HashMap};
use std::net::IpAddr;

use crate::record::site::{Cidr, ClientEntry};

/// The entries added so far (in increasing order), by what they match.
///
/// An entry can shadow another only if it has no condition the other
/// lacks, so entries are kept apart by which of `ip` and `user` they set.
#[derive(Debug, Default)]
pub(super) struct EntryIndex<'a> {
    /// The entries with neither `ip` nor `user`.
    catch_all: Vec<usize>,
    /// Per range (first address, prefix), the entries listing it.
    by_range: Ranges,
    /// Per range, the entries with `ip` and no `user` listing it.
    ip_only: Ranges,
    /// Per user, the entries with `user` and no `ip` naming them.
    user_only: Users<'a>,
    /// Per range, the entries with both listing it.
    both_by_range: Ranges,
    /// Per user, the entries with both naming them.
    both_by_user: Users<'a>,
}

type Ranges = BTreeMap<(IpAddr, u8), Vec<usize>>;
type Users<'a> = HashMap<&'a str, Vec<usize>>;

/// Pushes `i` unless it is already last (an entry listing a key twice).
fn push_once(list: &mut Vec<usize>, i: usize) {
    if list.last() != Some(&i) {
        list.push(i);
    }
}

fn add_ranges(map: &mut Ranges, i: usize, entry: &ClientEntry) {
    for r in entry.ranges() {
        push_once(map.entry((r.network(), r.prefix())).or_default(), i);
    }
}

fn add_users<'a>(map: &mut Users<'a>, i: usize, entry: &'a ClientEntry) {
    for u in entry.users() {
        push_once(map.entry(u.as_str()).or_default(), i);
    }
}

/// The entries in `map` listing a range that covers `r` (`r` itself
/// included).
fn covering<'m>(map: &'m Ranges, r: &Cidr) -> Vec<&'m [usize]> {
    (0..=r.prefix())
        .filter_map(|p| Cidr::truncated(r.network(), p))
        .filter_map(|a| map.get(&(a.network(), a.prefix())))
        .map(Vec::as_slice)
        .collect()
}

/// Of the ranges (or users) of one entry, the one with the fewest
/// candidates in `map`: every one must be matched, so any one narrows.
fn rarest<'m, T>(items: &[T], lookup: impl Fn(&T) -> Vec<&'m [usize]>) -> Vec<&'m [usize]> {
    items
        .iter()
        .map(lookup)
        .min_by_key(|lists| lists.iter().map(|l| l.len()).sum::<usize>())
        .unwrap_or_default()
}

impl<'a> EntryIndex<'a> {
    /// Adds entry `i` (entries must be added in increasing order).
    pub(super) fn insert(&mut self, i: usize, entry: &'a ClientEntry) {
        add_ranges(&mut self.by_range, i, entry);
        match (&entry.ranges, &entry.users) {
            (None, None) => self.catch_all.push(i),
            (Some(_), None) => add_ranges(&mut self.ip_only, i, entry),
            (None, Some(_)) => add_users(&mut self.user_only, i, entry),
            (Some(_), Some(_)) => {
                add_ranges(&mut self.both_by_range, i, entry);
                add_users(&mut self.both_by_user, i, entry);
            }
        }
    }

    /// The earlier entries that may match every client `entry` matches
    /// (a superset of those [`super::shadows`] accepts), in increasing
    /// order: the catch-alls, and of the entries whose conditions `entry`
    /// also has, those listing a range covering its rarest range or
    /// naming its rarest user.
    pub(super) fn may_shadow(&self, entry: &ClientEntry) -> Vec<usize> {
        let user_only = |u: &String| {
            self.user_only
                .get(u.as_str())
                .map(|v| vec![v.as_slice()])
                .unwrap_or_default()
        };
        let both_user = |u: &String| {
            self.both_by_user
                .get(u.as_str())
                .map(|v| vec![v.as_slice()])
                .unwrap_or_default()
        };
        let mut lists = vec![self.catch_all.as_slice()];
        if entry.users.is_none() {
            lists.extend(rarest(entry.ranges(), |r| covering(&self.ip_only, r)));
        } else if entry.ranges.is_none() {
            lists.extend(rarest(entry.users(), user_only));
        } else {
            lists.extend(rarest(entry.ranges(), |r| covering(&self.ip_only, r)));
            lists.extend(rarest(entry.users(), user_only));
            let (ranges, users) = (
                rarest(entry.ranges(), |r| covering(&self.both_by_range, r)),
                rarest(entry.users(), both_user),
            );
            let count = |l: &[&[usize]]| l.iter().map(|x| x.len()).sum::<usize>();
            lists.extend(if count(&users) < count(&ranges) {
                users
            } else {
                ranges
            });
        }
        sorted_union(&lists)
    }

    /// The earlier entries listing a range that overlaps one of `ranges`,
    /// in increasing order (exactly those).
    pub(super) fn meeting(&self, ranges: &[Cidr]) -> Vec<usize> {
        let mut lists: Vec<&[usize]> = Vec::new();
        for r in ranges {
            lists.extend(covering(&self.by_range, r));
            // Every range whose first address lies in `r` is inside it or,
            // with the same first address and a shorter prefix, covers it.
            lists.extend(
                self.by_range
                    .range((r.network(), 0)..=(r.last(), u8::MAX))
                    .map(|(_, v)| v.as_slice()),
            );
        }
        sorted_union(&lists)
    }
}

fn sorted_union(lists: &[&[usize]]) -> Vec<usize> {
    let mut out: Vec<usize> = lists.concat();
    out.sort_unstable();
    out.dedup();
    out
}

/// The pairs `(a, b)`, `a < b`, of positions in `ranges` whose ranges
/// overlap, in increasing order; O(m log m) for m ranges, plus the pairs.
///
/// Sorted by first address and then prefix, a range comes after every
/// range that covers it, and the ranges a range covers follow it in one
/// run; so a stack of the ranges covering the current one holds exactly
/// the earlier-sorted ranges it overlaps.
pub(super) fn overlapping_pairs(ranges: &[Cidr]) -> Vec<(usize, usize)> {
    let mut order: Vec<usize> = (0..ranges.len()).collect();
    order.sort_unstable_by_key(|&k| ranges.get(k).map(|r| (r.network(), r.prefix(), k)));
    let mut stack: Vec<(usize, &Cidr)> = Vec::new();
    let mut pairs = Vec::new();
    for k in order {
        let Some(r) = ranges.get(k) else { continue };
        while stack.last().is_some_and(|(_, top)| !top.covers(r)) {
            stack.pop();
        }
        pairs.extend(stack.iter().map(|&(s, _)| (s.min(k), s.max(k))));
        stack.push((k, r));
    }
    pairs.sort_unstable();
    pairs
}
