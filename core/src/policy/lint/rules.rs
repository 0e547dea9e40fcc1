//! What one rule's conditions say about another's: the predicates both the
//! indexed checks ([`super::structure`]) and the pairwise oracle compare
//! rules with.

use super::super::document::{CategoryRef, RuleDoc};
use super::super::time::TimeWindow;
use crate::taxonomy::CategorySet;

pub(super) fn builtin_set(refs: &[CategoryRef]) -> CategorySet {
    refs.iter().flat_map(CategoryRef::builtins).collect()
}

pub(super) fn locals(refs: &[CategoryRef]) -> Vec<&str> {
    refs.iter()
        .filter_map(|r| match r {
            CategoryRef::Local(id) => Some(id.as_str()),
            _ => None,
        })
        .collect()
}

/// The age a request gives, if any (a rule with an `age` does not match a
/// request without one).
pub(super) type RequestAge = Option<u8>;

/// What lets a category through: a rule (its index) or, for `None`, the
/// default.
pub(super) type Culprit = Option<usize>;

/// Where a request in one category, of one age (or none), can end up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Reach {
    /// Every such request is blocked by a rule.
    Blocked,
    /// Some such request is decided by this rule (its index), which does
    /// not block.
    Rule(usize),
    /// Some such request reaches the default (whatever it is).
    Default,
}

/// Whether a rule's age condition holds for a request of `age`: a request
/// without an age matches only a rule without one (as in the engine).
pub(super) fn may_match_age(d: &RuleDoc, age: Option<u8>) -> bool {
    match (d.age, age) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(r), Some(a)) => r.contains(a),
    }
}

pub(super) fn has_only_empty_windows(d: &RuleDoc) -> bool {
    d.times
        .as_ref()
        .is_some_and(|ts| ts.iter().all(|w| w.is_empty()))
}

/// Whether the conditions other than category and age hold for every
/// request: no list, group or device condition (a request may be on another
/// list, in no group, from an unknown device, with no content scanned), and
/// days and times that cover the whole week.
pub(super) fn always_holds(d: &RuleDoc) -> bool {
    let all_week = d
        .days
        .as_ref()
        .is_none_or(|days| days.iter().fold(0u8, |m, day| m | day.bit()) == 0x7f);
    let all_day = d
        .times
        .as_ref()
        .is_none_or(|ts| merged(ts).iter().any(|&(s, e)| s == 0 && e >= 24 * 60));
    d.lists.is_none()
        && d.groups.is_none()
        && d.device.is_none()
        && d.content_limit.is_none()
        && all_week
        && all_day
}

pub(super) fn subset<T: PartialEq>(inner: &Option<Vec<T>>, outer: &Option<Vec<T>>) -> bool {
    match (outer, inner) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(o), Some(i)) => i.iter().all(|x| o.contains(x)),
    }
}

pub(super) fn intersects<T: PartialEq>(a: &Option<Vec<T>>, b: &Option<Vec<T>>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a.iter().any(|x| b.contains(x)),
        _ => true,
    }
}

/// The minutes covered by a set of windows, merged.
pub(super) fn merged(ws: &[TimeWindow]) -> Vec<(u16, u16)> {
    let mut v: Vec<(u16, u16)> = ws
        .iter()
        .filter(|w| !w.is_empty())
        .map(|w| (w.start_minute(), w.end_minute()))
        .collect();
    crate::sorted::sort(&mut v);
    let mut out: Vec<(u16, u16)> = Vec::new();
    for (s, e) in v {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

/// Whether every request rule `j` matches is matched by rule `i`.
pub(super) fn covers(i: &RuleDoc, j: &RuleDoc) -> bool {
    let cats = match (&i.categories, &j.categories) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(ci), Some(cj)) => {
            let (bi, bj) = (builtin_set(ci), builtin_set(cj));
            let li = locals(ci);
            bi.intersection(&bj) == bj && locals(cj).iter().all(|l| li.contains(l))
        }
    };
    let age = match (i.age, j.age) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(a), Some(b)) => a.covers(b),
    };
    cats && age && conditions_cover(i, j)
}

/// Whether rule `i`'s list, group, device, content, day and time conditions hold for
/// every request rule `j`'s do (categories and ages aside).
pub(super) fn conditions_cover(i: &RuleDoc, j: &RuleDoc) -> bool {
    let device = i.device.is_none() || i.device == j.device;
    // Content over one limit is over every lower one, but per-cent weights
    // move with the limit: only the same limit is sure to cover.
    let content = i.content_limit.is_none() || i.content_limit == j.content_limit;
    let times = match (&i.times, &j.times) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(ti), Some(tj)) => {
            let cover = merged(ti);
            merged(tj)
                .iter()
                .all(|(s, e)| cover.iter().any(|(cs, ce)| cs <= s && e <= ce))
        }
    };
    subset(&j.lists, &i.lists)
        && subset(&j.groups, &i.groups)
        && device
        && content
        && subset(&j.days, &i.days)
        && times
}

/// Whether some request could match both rules, ignoring their times.
pub(super) fn may_overlap(a: &RuleDoc, b: &RuleDoc) -> bool {
    let cats = match (&a.categories, &b.categories) {
        (Some(ca), Some(cb)) => {
            !builtin_set(ca).intersection(&builtin_set(cb)).is_empty()
                || locals(ca).iter().any(|l| locals(cb).contains(l))
        }
        _ => true,
    };
    let age = match (a.age, b.age) {
        (Some(x), Some(y)) => x.intersect(y).is_some(),
        _ => true,
    };
    let device = a.device.is_none() || b.device.is_none() || a.device == b.device;
    cats && intersects(&a.lists, &b.lists)
        && intersects(&a.groups, &b.groups)
        && age
        && device
        && intersects(&a.days, &b.days)
}

/// The first pair of windows, one of each rule, that share a minute (rule
/// `i`'s first, in the order they are written).
pub(super) fn window_overlap(i: &RuleDoc, j: &RuleDoc) -> Option<(TimeWindow, TimeWindow)> {
    let (Some(ti), Some(tj)) = (&i.times, &j.times) else {
        return None;
    };
    ti.iter()
        .find_map(|a| tj.iter().find(|b| a.overlaps(**b)).map(|b| (*a, *b)))
}

/// Whether rule `j` (later) draws a P953 against rule `i` (earlier): other
/// actions, both timed, some request for both, and a shared minute.
pub(super) fn conflicting_windows(i: &RuleDoc, j: &RuleDoc) -> Option<(TimeWindow, TimeWindow)> {
    if i.action == j.action || !may_overlap(i, j) {
        return None;
    }
    window_overlap(i, j)
}
