//! What a policy decides for a whole range of classifications at once.
//!
//! The declarativeNetRequest export ([`crate::export::dnr`]) turns a
//! bundle key into a browser rule only when *every* URL that matches the
//! key is blocked: a URL on the key's lists may be on other lists too, and
//! the first rule that matches the union decides. A policy's category and
//! list conditions only ask whether the classification *intersects* them,
//! so they are monotone: a rule that matches a classification matches every
//! larger one. That makes one walk over the rules enough to bound the
//! decision of every classification `C` with `at_least ⊆ C ⊆ at_most`
//! ([`Policy::possible_actions`]); the tests check it against every such
//! `C` decided one by one.

use jiff::Timestamp;

use super::document::Action;
use super::evaluate::Request;
use super::{CompiledRule, Policy};
use crate::classify::Classification;

/// A set of [`Action`]s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Actions(u8);

impl Actions {
    fn bit(action: Action) -> u8 {
        match action {
            Action::Block => 1,
            Action::Warn => 2,
            Action::Allow => 4,
            Action::Monitor => 8,
        }
    }

    /// The set holding only `action`.
    pub(crate) fn only(action: Action) -> Actions {
        Actions(Actions::bit(action))
    }

    fn insert(&mut self, action: Action) {
        self.0 |= Actions::bit(action);
    }

    /// The set with `action` added.
    pub(crate) fn with(mut self, action: Action) -> Actions {
        self.insert(action);
        self
    }

    /// Whether `action` is in the set.
    pub(crate) fn contains(self, action: Action) -> bool {
        self.0 & Actions::bit(action) != 0
    }

    /// Whether the set is exactly `{action}`.
    pub(crate) fn is_only(self, action: Action) -> bool {
        self.0 == Actions::bit(action)
    }
}

/// How far [`Policy::next_time_change`] looks ahead: a week and a day, so
/// that every day-of-week condition has turned over once.
const LOOK_AHEAD_MINUTES: i64 = 8 * 24 * 60;

impl Policy {
    /// Every action this policy can take for `request` when its URL is
    /// classified as any `C` between `at_least` and `at_most` (by their
    /// matches: lists and categories). Sound: the decision of each such `C`
    /// is in the set; when `at_least` and `at_most` are the same it is
    /// exactly that decision. `at_most` must include `at_least`; a
    /// statutory category in `at_least` always blocks (the baseline), and
    /// `at_most` should hold no statutory list, since the baseline decides
    /// those alone.
    pub(crate) fn possible_actions(
        &self,
        request: &Request<'_>,
        at_least: &Classification<'_>,
        at_most: &Classification<'_>,
    ) -> Actions {
        if at_least.categories.has_statutory() {
            return Actions::only(Action::Block);
        }
        let mut out = Actions::default();
        let mut clock = None;
        for rule in &self.parts.rules {
            // Monotone conditions: no match for the largest means none for
            // any; a match for the smallest means every one stops here.
            if !self.rule_matches(rule, request, at_most, &mut clock) {
                continue;
            }
            out.insert(rule.rule.doc().action);
            if self.rule_matches(rule, request, at_least, &mut clock) {
                return out;
            }
        }
        out.insert(self.parts.doc.default);
        out
    }

    /// The first whole minute after `request.time` (looking up to eight
    /// days ahead) at which a rule's day or time condition stops or starts
    /// holding for `request` with a classification up to `at_most`; `None`
    /// when no rule's conditions depend on the time. Decisions at a fixed
    /// context can only change at such a minute.
    pub(crate) fn next_time_change(
        &self,
        request: &Request<'_>,
        at_most: &Classification<'_>,
    ) -> Option<Timestamp> {
        let timed: Vec<&CompiledRule> = self
            .parts
            .rules
            .iter()
            .filter(|r| r.days.is_some() || r.times.is_some())
            .collect();
        if timed.is_empty() {
            return None;
        }
        let state = |time: Timestamp| -> Vec<bool> {
            let at = Request { time, ..*request };
            let mut clock = None;
            timed
                .iter()
                .map(|r| self.rule_matches(r, &at, at_most, &mut clock))
                .collect()
        };
        let now = state(request.time);
        let minute = request.time.as_second().div_euclid(60);
        (1..=LOOK_AHEAD_MINUTES)
            .filter_map(|m| Timestamp::from_second((minute + m) * 60).ok())
            .find(|&t| state(t) != now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Category;
    use crate::classify::Match;
    use crate::policy::Device;
    use crate::url::CanonicalUrl;
    use proptest::prelude::*;

    /// The lists of the model bundle: (name, category id).
    const LISTS: [(&str, &str); 5] = [
        ("bets", "gambling"),
        ("games", "gaming"),
        ("social", "social-networking"),
        ("chat", "chat"),
        ("exams", "local-exams"),
    ];

    fn category(id: &str) -> Category {
        Category::from_id(id).unwrap_or(Category::Local(
            crate::taxonomy::LocalCategory::new(0).expect("one local category"),
        ))
    }

    /// The classification of a URL on the lists whose bits are set in `mask`.
    fn classification(mask: u8) -> Classification<'static> {
        let matches: Vec<Match<'static>> = LISTS
            .iter()
            .enumerate()
            .filter(|(i, _)| mask & (1 << i) != 0)
            .map(|(_, &(list, id))| Match {
                list,
                category: category(id),
                category_id: id,
                expression: String::new(),
            })
            .collect();
        Classification {
            categories: matches.iter().map(|m| m.category).collect(),
            matches,
        }
    }

    const ACTIONS: [&str; 4] = ["block", "warn", "allow", "monitor"];
    const CATEGORY_REFS: [&str; 6] = [
        "gambling",
        "gaming",
        "social-networking",
        "chat",
        "local-exams",
        "@uksic",
    ];

    /// One rule of a generated policy, as JSON.
    fn rule() -> impl Strategy<Value = serde_json::Value> {
        (
            0..4usize,
            prop::option::of(prop::sample::subsequence(CATEGORY_REFS.to_vec(), 1..3)),
            prop::option::of(prop::sample::subsequence(
                vec!["bets", "games", "exams"],
                1..2,
            )),
            prop::option::of(prop::sample::select(vec!["pupils", "staff"])),
            prop::option::of((8u8..14, 0u8..4)),
            prop::option::of(prop::sample::select(vec!["managed", "byod"])),
            prop::option::of(prop::sample::select(vec![
                "08:40-12:30",
                "13:00-13:05",
                "23:00-24:00",
            ])),
            prop::option::of(prop::sample::subsequence(vec!["mon", "sat"], 1..2)),
        )
            .prop_map(|(a, cats, lists, group, age, device, times, days)| {
                let mut r = serde_json::json!({ "id": "r", "action": ACTIONS[a] });
                if let Some(c) = cats {
                    r["categories"] = serde_json::json!(c);
                }
                if let Some(l) = lists {
                    r["lists"] = serde_json::json!(l);
                }
                if let Some(g) = group {
                    r["groups"] = serde_json::json!([g]);
                }
                if let Some((min, span)) = age {
                    r["age"] = serde_json::json!({ "min": min, "max": min + span });
                }
                if let Some(d) = device {
                    r["device"] = serde_json::json!(d);
                }
                if let Some(t) = times {
                    r["times"] = serde_json::json!([t]);
                }
                if let Some(d) = days {
                    r["days"] = serde_json::json!(d);
                }
                r
            })
    }

    fn policy() -> impl Strategy<Value = Policy> {
        (prop::collection::vec(rule(), 0..6), 0..4usize).prop_map(|(mut rules, default)| {
            for (i, r) in rules.iter_mut().enumerate() {
                r["id"] = serde_json::json!(format!("r{i}"));
            }
            let doc = serde_json::json!({ "id": "p", "default": ACTIONS[default], "rules": rules });
            Policy::from_json_str("p.json", &doc.to_string()).expect("a generated policy loads")
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// The reference is the policy itself: every classification between
        /// the bounds, decided one by one, gets an action in the set, and
        /// equal bounds give exactly the decision.
        #[test]
        fn possible_actions_bound_every_classification_between(
            policy in policy(),
            at_least in 0u8..32,
            extra in 0u8..32,
            group in prop::option::of(prop::sample::select(vec!["pupils", "Staff", "guests"])),
            age in prop::option::of(7u8..16),
            device in prop::option::of(prop::sample::select(vec![Device::Managed, Device::Byod])),
            minute in 0i64..(14 * 1440),
        ) {
            let url = CanonicalUrl::parse("http://x.example/").unwrap();
            let time = Timestamp::from_second(1_772_409_600 + minute * 60).unwrap(); // from Monday 2026-03-02
            let mut request = Request::new(&url, time);
            request.group = group;
            request.age = age;
            request.device = device;
            let at_most = at_least | extra;
            let set = policy.possible_actions(&request, &classification(at_least), &classification(at_most));
            for mask in 0..32u8 {
                if mask & at_least != at_least || mask & !at_most != 0 {
                    continue;
                }
                let action = policy.evaluate(&request, &classification(mask)).action;
                prop_assert!(set.contains(action), "{mask:05b} decided {action}, not in {set:?}");
            }
            let exact = policy.possible_actions(&request, &classification(at_least), &classification(at_least));
            prop_assert!(exact.is_only(policy.evaluate(&request, &classification(at_least)).action));
        }

        /// Between a time and the next change the rules say, no
        /// classification's decision changes.
        #[test]
        fn decisions_hold_until_the_next_time_change(
            policy in policy(),
            minute in 0i64..(7 * 1440),
            probe in 0u32..1000,
        ) {
            let url = CanonicalUrl::parse("http://x.example/").unwrap();
            let time = Timestamp::from_second(1_772_409_600 + minute * 60 + 17).unwrap();
            let request = Request::new(&url, time).group("pupils").age(12).device(Device::Managed);
            let all = classification(31);
            let Some(change) = policy.next_time_change(&request, &all) else {
                for mask in 0..32u8 {
                    let later = Request { time: time + jiff::SignedDuration::from_hours(i64::from(probe % 200)), ..request };
                    prop_assert_eq!(policy.evaluate(&later, &classification(mask)).action, policy.evaluate(&request, &classification(mask)).action);
                }
                return Ok(());
            };
            prop_assert!(change > time);
            let span = change.as_second() - time.as_second();
            let before = Request { time: time + jiff::SignedDuration::from_secs(i64::from(probe) * span / 1000), ..request };
            prop_assert!(before.time < change);
            for mask in 0..32u8 {
                prop_assert_eq!(
                    policy.evaluate(&before, &classification(mask)).action,
                    policy.evaluate(&request, &classification(mask)).action,
                    "{:05b} changed before {}", mask, change
                );
            }
        }
    }

    #[test]
    fn statutory_lower_bound_always_blocks() {
        let policy = Policy::load("p.toml", "id = \"p\"\ndefault = \"allow\"").unwrap();
        let url = CanonicalUrl::parse("http://x.example/").unwrap();
        let request = Request::new(&url, Timestamp::UNIX_EPOCH);
        let mut c = classification(0);
        c.categories.insert(Category::ChildAbuse);
        assert!(
            policy
                .possible_actions(&request, &c, &c)
                .is_only(Action::Block)
        );
    }

    #[test]
    fn a_timed_rule_changes_at_its_window_edge() {
        let policy = Policy::load(
            "p.toml",
            "id = \"p\"\ndefault = \"allow\"\n[[rules]]\nid = \"lessons\"\naction = \"block\"\ncategories = [\"gaming\"]\ntimes = [\"08:40-12:30\"]\n",
        )
        .unwrap();
        let url = CanonicalUrl::parse("http://x.example/").unwrap();
        // 2026-03-02 10:00 GMT: the window ends at 12:30 Europe/London.
        let request = Request::new(&url, "2026-03-02T10:00:00Z".parse().unwrap());
        let change = policy.next_time_change(&request, &classification(31));
        assert_eq!(change, Some("2026-03-02T12:30:00Z".parse().unwrap()));
        // In summer time the same edge is an hour earlier in UTC.
        let request = Request::new(&url, "2026-06-15T10:00:00Z".parse().unwrap());
        let change = policy.next_time_change(&request, &classification(31));
        assert_eq!(change, Some("2026-06-15T11:30:00Z".parse().unwrap()));
    }
}
