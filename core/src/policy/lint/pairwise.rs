//! The old pairwise rule checks, kept as the oracle of the indexed ones
//! (`lint_pairwise`, compared with `lint` in a proptest and timed beside it
//! in the `policy_lint` bench): every rule against every earlier one, and a
//! scan of the text per rule for its line. Quadratic; test builds only.

use super::super::document::{Action, RuleDoc};
use super::super::time::TimeWindow;
use super::rules::{
    Reach, always_holds, builtin_set, conditions_cover, conflicting_windows, covers,
    has_only_empty_windows, may_match_age,
};
use super::structure::RuleSearch;
use crate::taxonomy::Category;

/// Every earlier live rule, one by one.
pub(super) struct Pairwise<'a> {
    rules: &'a [&'a RuleDoc],
    live: Vec<bool>,
}

impl<'a> Pairwise<'a> {
    /// A search over `rules`, none live yet.
    pub(super) fn new(rules: &'a [&'a RuleDoc]) -> Pairwise<'a> {
        Pairwise {
            rules,
            live: vec![false; rules.len()],
        }
    }

    fn earlier(&self, j: usize) -> impl Iterator<Item = (usize, &'a RuleDoc)> + '_ {
        self.rules
            .iter()
            .copied()
            .enumerate()
            .take(j)
            .filter(|(i, _)| self.live.get(*i).copied().unwrap_or(false))
    }
}

impl RuleSearch for Pairwise<'_> {
    fn first_cover(&self, j: usize) -> Option<usize> {
        let rj = self.rules.get(j)?;
        self.earlier(j)
            .find(|(_, ri)| covers(ri, rj))
            .map(|(i, _)| i)
    }

    fn conflicts(&self, j: usize) -> Vec<(usize, TimeWindow, TimeWindow)> {
        let Some(rj) = self.rules.get(j) else {
            return Vec::new();
        };
        self.earlier(j)
            .filter_map(|(i, ri)| conflicting_windows(ri, rj).map(|(a, b)| (i, a, b)))
            .collect()
    }

    fn insert(&mut self, j: usize) {
        if let Some(l) = self.live.get_mut(j) {
            *l = true;
        }
    }

    /// Walks the rules in order, as the engine does, for a URL in category
    /// `c` alone (on a list no `lists` condition names) and a request of
    /// `age` (`None`: it gives none), with any group, device, day and time.
    ///
    /// A rule that may match such a request and does not block is reached
    /// unless one earlier blocking rule matches every request it would
    /// (joint cover by several rules is not modelled, so this errs towards
    /// a finding). A blocking rule with no other condition ends the walk.
    fn reach(&mut self, c: Category, age: Option<u8>) -> Reach {
        let mut blocks: Vec<&RuleDoc> = Vec::new();
        for (i, d) in self.rules.iter().enumerate() {
            if !may_match_category(d, c) || !may_match_age(d, age) || has_only_empty_windows(d) {
                continue;
            }
            if d.action == Action::Block {
                if always_holds(d) {
                    return Reach::Blocked;
                }
                blocks.push(d);
            } else if !blocks.iter().any(|b| conditions_cover(b, d)) {
                return Reach::Rule(i);
            }
        }
        Reach::Default
    }
}

/// The old line search: the first `id` line from line `from` quoting `id`,
/// scanning the text for each rule.
pub(super) fn rule_line(lines: &[&str], id: &str, from: usize) -> usize {
    let dq = format!("\"{id}\"");
    let sq = format!("'{id}'");
    lines
        .iter()
        .enumerate()
        .skip(from.saturating_sub(1))
        .find(|(_, l)| super::lines::is_key(l, "id") && (l.contains(&dq) || l.contains(&sq)))
        .map_or(from.max(1), |(i, _)| i + 1)
}

fn may_match_category(d: &RuleDoc, c: Category) -> bool {
    d.categories
        .as_ref()
        .is_none_or(|refs| builtin_set(refs).contains(c))
}
