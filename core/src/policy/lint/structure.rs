//! The rule checks that compare rules with each other (P950, P953, and the
//! walks of P901/P902), through a [`RuleIndex`] so each rule meets only the
//! earlier rules that can cover or overlap it.
//!
//! The findings are those of comparing every rule with every earlier one
//! (the test-only `pairwise` oracle, checked against this in a proptest);
//! only the order of the work differs.

use std::collections::HashMap;

use super::super::document::{Action, RuleDoc};
use super::super::time::TimeWindow;
use super::index::{CONDITIONS, COVER, Profile, RuleIndex};
use super::rules::{
    Reach, always_holds, builtin_set, conditions_cover, conflicting_windows, covers,
    has_only_empty_windows, may_match_age,
};
use crate::taxonomy::{Category, CategorySet};

/// How the rule checks find the earlier rules a rule is compared with.
pub(super) trait RuleSearch {
    /// The first earlier live rule that covers rule `j` (P950).
    fn first_cover(&self, j: usize) -> Option<usize>;
    /// The earlier live rules whose windows conflict with rule `j`'s
    /// (P953), in order, with the first pair of windows that meet.
    fn conflicts(&self, j: usize) -> Vec<(usize, TimeWindow, TimeWindow)>;
    /// Marks rule `j` live: later rules are compared with it.
    fn insert(&mut self, j: usize);
    /// Where a request in category `c` of `age` ends up (P901, P902).
    fn reach(&mut self, c: Category, age: Option<u8>) -> Reach;
}

/// The indexed search: near-linear in the number of rules.
pub(super) struct Indexed<'a> {
    rules: &'a [&'a RuleDoc],
    profiles: Vec<Profile<'a>>,
    /// Live rules, for P950.
    live: RuleIndex<'a>,
    /// Live rules with `times`, for P953.
    timed: RuleIndex<'a>,
    /// Each rule's built-in categories (`None`: any category).
    categories: Vec<Option<CategorySet>>,
    /// The walks already made, by the rules a walk passes through.
    walks: HashMap<Vec<usize>, Reach>,
}

impl<'a> Indexed<'a> {
    /// A search over `rules`, none live yet.
    pub(super) fn new(rules: &'a [&'a RuleDoc]) -> Indexed<'a> {
        Indexed {
            rules,
            profiles: rules.iter().map(|r| Profile::of(r)).collect(),
            live: RuleIndex::new(),
            timed: RuleIndex::new(),
            categories: rules
                .iter()
                .map(|r| r.categories.as_deref().map(builtin_set))
                .collect(),
            walks: HashMap::new(),
        }
    }

    fn rule(&self, i: usize) -> Option<&'a RuleDoc> {
        self.rules.get(i).copied()
    }

    /// The walk of [`super::pairwise`]'s `reach` over the rules that can
    /// match the request (`path`), with the blocking rules met so far
    /// indexed.
    fn walk(&self, path: &[usize]) -> Reach {
        let mut blocks = RuleIndex::new();
        for &i in path {
            let (Some(d), Some(profile)) = (self.rule(i), self.profiles.get(i)) else {
                continue;
            };
            if d.action == Action::Block {
                if always_holds(d) {
                    return Reach::Blocked;
                }
                blocks.insert(i, profile);
            } else if !blocks
                .may_cover(profile, CONDITIONS)
                .into_iter()
                .filter_map(|b| self.rule(b))
                .any(|b| conditions_cover(b, d))
            {
                return Reach::Rule(i);
            }
        }
        Reach::Default
    }
}

impl RuleSearch for Indexed<'_> {
    fn first_cover(&self, j: usize) -> Option<usize> {
        let (rj, profile) = (self.rule(j)?, self.profiles.get(j)?);
        self.live
            .may_cover(profile, COVER)
            .into_iter()
            .find(|&i| self.rule(i).is_some_and(|ri| covers(ri, rj)))
    }

    fn conflicts(&self, j: usize) -> Vec<(usize, TimeWindow, TimeWindow)> {
        let (Some(rj), Some(profile)) = (self.rule(j), self.profiles.get(j)) else {
            return Vec::new();
        };
        if rj.times.is_none() {
            return Vec::new();
        }
        self.timed
            .may_meet(profile)
            .into_iter()
            .filter_map(|i| {
                let ri = self.rule(i)?;
                conflicting_windows(ri, rj).map(|(a, b)| (i, a, b))
            })
            .collect()
    }

    fn insert(&mut self, j: usize) {
        let (Some(rj), Some(profile)) = (self.rule(j), self.profiles.get(j)) else {
            return;
        };
        self.live.insert(j, profile);
        if rj.times.is_some() {
            self.timed.insert(j, profile);
        }
    }

    fn reach(&mut self, c: Category, age: Option<u8>) -> Reach {
        let path: Vec<usize> = self
            .rules
            .iter()
            .enumerate()
            .filter(|&(i, d)| {
                self.categories
                    .get(i)
                    .is_some_and(|cats| cats.as_ref().is_none_or(|s| s.contains(c)))
                    && may_match_age(d, age)
                    && !has_only_empty_windows(d)
            })
            .map(|(i, _)| i)
            .collect();
        if let Some(&known) = self.walks.get(&path) {
            return known;
        }
        let found = self.walk(&path);
        self.walks.insert(path, found);
        found
    }
}
