//! Rules indexed by what they test, so a check compares a rule only with
//! the rules that can cover or overlap it instead of with every earlier one.
//!
//! Each rule has a [`Profile`]: per dimension (categories, lists, groups,
//! days, device, age, times, hours of the day) either *unset* (the rule has
//! no such condition) or the keys it names. A [`RuleIndex`] keeps, per
//! dimension, the rules with the dimension unset and, per key, the rules
//! naming it, each list in insertion (rule) order. A query takes the one
//! dimension whose candidates are fewest and walks only those, so the cost
//! of a query is the number of rules that share the rule's rarest key (or
//! leave that dimension unset), not the number of rules.

use std::collections::HashMap;

use super::super::document::{CategoryRef, Device, Ident, RuleDoc};
use super::super::time::Day;
use crate::taxonomy::Category;

/// One value a condition names: a built-in category (after expanding
/// groups such as `@uksic`), a local category, list or group id, a day, a
/// device, or an hour of the day a time window touches (0..24).
///
/// A kind and number beside a name, every byte initialised, rather than an
/// enum: the enum's derived `==` let the optimiser compare a short
/// variant's padding (harmless, but valgrind's memcheck in the C suite
/// reports it as a jump on uninitialised bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Key<'a> {
    /// The id, for a local category, list or group; else empty.
    name: &'a str,
    /// The kind (high 32 bits) and the number of a category, day, device
    /// or hour (low 32 bits).
    code: u64,
}

const KIND_BUILTIN: u64 = 1 << 32;
const KIND_DAY: u64 = 2 << 32;
const KIND_DEVICE: u64 = 3 << 32;
const KIND_HOUR: u64 = 4 << 32;

impl<'a> Key<'a> {
    fn name(id: &'a str) -> Key<'a> {
        Key { name: id, code: 0 }
    }

    fn builtin(category: Category) -> Key<'a> {
        Key {
            name: "",
            code: KIND_BUILTIN | u64::from(category.bit()),
        }
    }

    fn day(day: Day) -> Key<'a> {
        Key {
            name: "",
            code: KIND_DAY | day as u64,
        }
    }

    fn device(device: Device) -> Key<'a> {
        Key {
            name: "",
            code: KIND_DEVICE | device as u64,
        }
    }

    fn hour(hour: u16) -> Key<'a> {
        Key {
            name: "",
            code: KIND_HOUR | u64::from(hour),
        }
    }
}

/// The dimensions, in [`Profile::dims`] order.
const CATEGORIES: usize = 0;
const LISTS: usize = 1;
const GROUPS: usize = 2;
const DAYS: usize = 3;
const DEVICE: usize = 4;
const AGE: usize = 5;
const TIMES: usize = 6;
const HOURS: usize = 7;
const DIMS: usize = 8;

/// The dimensions that decide whether one rule covers another
/// ([`super::rules::covers`]).
pub(super) const COVER: &[usize] = &[CATEGORIES, LISTS, GROUPS, DAYS, DEVICE, AGE, TIMES];
/// The dimensions of [`super::rules::conditions_cover`] (categories and
/// ages aside).
pub(super) const CONDITIONS: &[usize] = &[LISTS, GROUPS, DAYS, DEVICE, TIMES];
/// The dimensions that decide whether two timed rules can meet
/// ([`super::rules::conflicting_windows`]).
pub(super) const OVERLAP: &[usize] = &[CATEGORIES, LISTS, GROUPS, DAYS, DEVICE, HOURS];

/// What a rule names in one dimension.
#[derive(Debug, Clone)]
enum Named<'a> {
    /// No condition: the rule matches any value.
    Unset,
    /// A condition naming these keys (empty for a condition the index does
    /// not split by key, an age range or a set of windows).
    Keys(Vec<Key<'a>>),
}

/// What one rule tests, dimension by dimension.
#[derive(Debug, Clone)]
pub(super) struct Profile<'a> {
    dims: [Named<'a>; DIMS],
}

fn names(v: &Option<Vec<Ident>>) -> Named<'_> {
    match v {
        None => Named::Unset,
        Some(v) => Named::Keys(v.iter().map(|x| Key::name(x.as_str())).collect()),
    }
}

fn set_without_keys<T>(v: &Option<T>) -> Named<'static> {
    match v {
        None => Named::Unset,
        Some(_) => Named::Keys(Vec::new()),
    }
}

impl<'a> Profile<'a> {
    /// The profile of `rule`.
    pub(super) fn of(rule: &'a RuleDoc) -> Profile<'a> {
        let categories = match &rule.categories {
            None => Named::Unset,
            Some(refs) => {
                let mut keys: Vec<Key<'a>> = Vec::new();
                let named = refs.iter().flat_map(|r| match r {
                    CategoryRef::Local(id) => vec![Key::name(id.as_str())],
                    _ => r.builtins().into_iter().map(Key::builtin).collect(),
                });
                for k in named {
                    if !keys.contains(&k) {
                        keys.push(k);
                    }
                }
                Named::Keys(keys)
            }
        };
        let days = match &rule.days {
            None => Named::Unset,
            Some(days) => Named::Keys(days.iter().map(|d| Key::day(*d)).collect()),
        };
        let device = match rule.device {
            None => Named::Unset,
            Some(d) => Named::Keys(vec![Key::device(d)]),
        };
        let hours = match &rule.times {
            None => Named::Unset,
            Some(ws) => {
                let mut hours: Vec<Key<'a>> = Vec::new();
                for w in ws.iter().filter(|w| !w.is_empty()) {
                    let (s, e) = (w.start_minute(), w.end_minute());
                    // A window that does not run forwards is taken to touch
                    // every hour: the index may only ever widen a query.
                    let (first, last) = if s < e {
                        (s / 60, (e - 1) / 60)
                    } else {
                        (0, 23)
                    };
                    hours.extend((first..=last.min(23)).map(Key::hour));
                }
                hours.sort_unstable_by_key(|k| k.code);
                hours.dedup();
                Named::Keys(hours)
            }
        };
        Profile {
            dims: [
                categories,
                names(&rule.lists),
                names(&rule.groups),
                days,
                device,
                set_without_keys(&rule.age),
                set_without_keys(&rule.times),
                hours,
            ],
        }
    }
}

/// One dimension of the index.
#[derive(Debug, Default)]
struct Dimension<'a> {
    /// The rules without this condition, in order.
    unset: Vec<usize>,
    /// Per key, the rules naming it, in order.
    by_key: HashMap<Key<'a>, Vec<usize>>,
}

/// Candidates from one dimension: at most two sorted lists to merge.
enum Candidates<'i> {
    /// The dimension does not narrow the query.
    Any,
    /// The rules in either list (each sorted).
    Two(&'i [usize], &'i [usize]),
    /// The rules in the union of these lists (each sorted).
    Union(Vec<&'i [usize]>),
}

impl Candidates<'_> {
    fn len(&self) -> usize {
        match self {
            Candidates::Any => usize::MAX,
            Candidates::Two(a, b) => a.len() + b.len(),
            Candidates::Union(lists) => lists.iter().map(|l| l.len()).sum(),
        }
    }
}

/// Rules added in order, to be asked which of them can cover or meet a
/// later rule.
#[derive(Debug, Default)]
pub(super) struct RuleIndex<'a> {
    /// Every rule added, in order.
    all: Vec<usize>,
    dims: [Dimension<'a>; DIMS],
}

const EMPTY: &[usize] = &[];

impl<'a> RuleIndex<'a> {
    /// An empty index.
    pub(super) fn new() -> RuleIndex<'a> {
        RuleIndex::default()
    }

    /// Adds rule `i` (rules must be added in increasing order).
    pub(super) fn insert(&mut self, i: usize, profile: &Profile<'a>) {
        self.all.push(i);
        for (dim, named) in self.dims.iter_mut().zip(&profile.dims) {
            match named {
                Named::Unset => dim.unset.push(i),
                Named::Keys(keys) => {
                    for k in keys {
                        dim.by_key.entry(*k).or_default().push(i);
                    }
                }
            }
        }
    }

    fn posting(&self, dim: usize, key: &Key<'a>) -> &[usize] {
        self.dims
            .get(dim)
            .and_then(|d| d.by_key.get(key))
            .map_or(EMPTY, Vec::as_slice)
    }

    fn unset(&self, dim: usize) -> &[usize] {
        self.dims.get(dim).map_or(EMPTY, |d| d.unset.as_slice())
    }

    /// The rules that may cover a rule of `profile` in the dimensions
    /// `dims` ([`COVER`] or [`CONDITIONS`]), in increasing order: a
    /// superset of those whose condition is unset or names every key the
    /// rule's does, in every dimension.
    pub(super) fn may_cover(&self, profile: &Profile<'a>, dims: &[usize]) -> Vec<usize> {
        let mut best = Candidates::Any;
        for &dim in dims {
            let Some(named) = profile.dims.get(dim) else {
                continue;
            };
            let c = match named {
                // A rule with the condition cannot cover one without it.
                Named::Unset => Candidates::Two(self.unset(dim), EMPTY),
                Named::Keys(keys) => match keys
                    .iter()
                    .map(|k| self.posting(dim, k))
                    .min_by_key(|p| p.len())
                {
                    // A cover names every key, so the rarest one.
                    Some(rarest) => Candidates::Two(self.unset(dim), rarest),
                    None => Candidates::Any,
                },
            };
            if c.len() < best.len() {
                best = c;
            }
        }
        self.sorted(best)
    }

    /// The rules that may meet a rule of `profile` (some request matching
    /// both, in the dimensions [`OVERLAP`]), in increasing order: a
    /// superset of those whose condition is unset or shares a key with the
    /// rule's, in every dimension the rule sets.
    pub(super) fn may_meet(&self, profile: &Profile<'a>) -> Vec<usize> {
        let mut best = Candidates::Any;
        for &dim in OVERLAP {
            let Some(Named::Keys(keys)) = profile.dims.get(dim) else {
                continue;
            };
            let mut lists = vec![self.unset(dim)];
            lists.extend(keys.iter().map(|k| self.posting(dim, k)));
            let c = Candidates::Union(lists);
            if c.len() < best.len() {
                best = c;
            }
        }
        self.sorted(best)
    }

    fn sorted(&self, c: Candidates<'_>) -> Vec<usize> {
        match c {
            Candidates::Any => self.all.clone(),
            Candidates::Two(a, b) => {
                let mut out = Vec::with_capacity(a.len() + b.len());
                let (mut x, mut y) = (a.iter().peekable(), b.iter().peekable());
                loop {
                    match (x.peek(), y.peek()) {
                        (Some(&&p), Some(&&q)) if p <= q => {
                            out.push(p);
                            x.next();
                        }
                        (Some(_), Some(&&q)) => {
                            out.push(q);
                            y.next();
                        }
                        (Some(&&p), None) => {
                            out.push(p);
                            x.next();
                        }
                        (None, Some(&&q)) => {
                            out.push(q);
                            y.next();
                        }
                        (None, None) => break,
                    }
                }
                out.dedup();
                out
            }
            Candidates::Union(lists) => {
                let mut out: Vec<usize> = lists.concat();
                out.sort_unstable();
                out.dedup();
                out
            }
        }
    }
}
