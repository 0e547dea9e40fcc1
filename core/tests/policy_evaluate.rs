//! Evaluation: conditions, the statutory baseline, explanations, and
//! properties (total, deterministic, the baseline cannot be lowered).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers: a failure should panic with its message"
)]

use esafety::Category;
use esafety::classify::{Classification, Match};
use esafety::policy::{Action, DecidedBy, Device, Policy, Request};
use esafety::taxonomy::LocalCategory;
use esafety::url::CanonicalUrl;
use proptest::prelude::*;

const POLICY: &str = r#"
id = "test"
time_zone = "Europe/London"
default = "allow"
default_message = "ok"
safe_search = true

[[rules]]
id = "exam-mode"
action = "block"
categories = ["local-exam-mode"]
message = "Exam in progress."

[[rules]]
id = "staff-curriculum"
action = "allow"
lists = ["curriculum"]
groups = ["staff"]
log = true

[[rules]]
id = "young-social"
action = "block"
categories = ["social-networking"]
age = { min = 0, max = 12 }

[[rules]]
id = "lessons"
action = "warn"
categories = ["gaming"]
days = ["mon", "tue", "wed", "thu", "fri"]
times = ["09:00-12:00"]
device = "managed"

[[rules]]
id = "monitor-gaming"
action = "monitor"
categories = ["gaming"]
"#;

/// (name, classification, group, age, device, time, action, rule)
type EvalCase = (
    &'static str,
    Classification<'static>,
    Option<&'static str>,
    Option<u8>,
    Option<Device>,
    &'static str,
    Action,
    &'static str,
);

fn m(list: &'static str, cat: Category, id: &'static str) -> Match<'static> {
    Match {
        list,
        category: cat,
        category_id: id,
        expression: format!("{id}.example/"),
    }
}

fn class(matches: Vec<Match<'static>>) -> Classification<'static> {
    Classification {
        categories: matches.iter().map(|m| m.category).collect(),
        matches,
    }
}

#[test]
fn conditions_decide_in_order() {
    let policy = Policy::load("t.toml", POLICY).unwrap();
    let exam = Category::Local(LocalCategory::new(0).unwrap());
    let url = CanonicalUrl::parse("http://x.example/").unwrap();
    // Monday 2026-06-15 10:30 BST = 09:30 UTC; 08:30 UTC = 09:30 BST.
    let cases: Vec<EvalCase> = vec![
        (
            "local category",
            class(vec![m("exams", exam, "local-exam-mode")]),
            None,
            None,
            None,
            "2026-06-15T09:30:00Z",
            Action::Block,
            "exam-mode",
        ),
        (
            "list + group",
            class(vec![m("curriculum", Category::Gaming, "gaming")]),
            Some("staff"),
            None,
            None,
            "2026-06-15T09:30:00Z",
            Action::Allow,
            "staff-curriculum",
        ),
        (
            "group as a directory spells it (case)",
            class(vec![m("curriculum", Category::Gaming, "gaming")]),
            Some("Staff"),
            None,
            None,
            "2026-06-15T09:30:00Z",
            Action::Allow,
            "staff-curriculum",
        ),
        (
            "group with surrounding spaces",
            class(vec![m("curriculum", Category::Gaming, "gaming")]),
            Some(" STAFF\t"),
            None,
            None,
            "2026-06-15T09:30:00Z",
            Action::Allow,
            "staff-curriculum",
        ),
        (
            "a longer group is not the group",
            class(vec![m("curriculum", Category::Gaming, "gaming")]),
            Some("staffroom"),
            None,
            None,
            "2026-06-15T09:30:00Z",
            Action::Monitor,
            "monitor-gaming",
        ),
        (
            "list, wrong group",
            class(vec![m("curriculum", Category::Gaming, "gaming")]),
            Some("pupils"),
            None,
            Some(Device::Managed),
            "2026-06-15T09:30:00Z",
            Action::Warn,
            "lessons",
        ),
        (
            "age 12",
            class(vec![m(
                "s",
                Category::SocialNetworking,
                "social-networking",
            )]),
            None,
            Some(12),
            None,
            "2026-06-15T09:30:00Z",
            Action::Block,
            "young-social",
        ),
        (
            "age 13",
            class(vec![m(
                "s",
                Category::SocialNetworking,
                "social-networking",
            )]),
            None,
            Some(13),
            None,
            "2026-06-15T09:30:00Z",
            Action::Allow,
            "default",
        ),
        (
            "age unknown",
            class(vec![m(
                "s",
                Category::SocialNetworking,
                "social-networking",
            )]),
            None,
            None,
            None,
            "2026-06-15T09:30:00Z",
            Action::Allow,
            "default",
        ),
        (
            "lesson, managed, BST",
            class(vec![m("g", Category::Gaming, "gaming")]),
            None,
            None,
            Some(Device::Managed),
            "2026-06-15T08:30:00Z",
            Action::Warn,
            "lessons",
        ),
        (
            "before lesson in BST (07:30 UTC = 08:30 BST)",
            class(vec![m("g", Category::Gaming, "gaming")]),
            None,
            None,
            Some(Device::Managed),
            "2026-06-15T07:30:00Z",
            Action::Monitor,
            "monitor-gaming",
        ),
        (
            "end is exclusive",
            class(vec![m("g", Category::Gaming, "gaming")]),
            None,
            None,
            Some(Device::Managed),
            "2026-01-12T12:00:00Z",
            Action::Monitor,
            "monitor-gaming",
        ),
        (
            "GMT lesson",
            class(vec![m("g", Category::Gaming, "gaming")]),
            None,
            None,
            Some(Device::Managed),
            "2026-01-12T11:59:00Z",
            Action::Warn,
            "lessons",
        ),
        (
            "byod in lesson",
            class(vec![m("g", Category::Gaming, "gaming")]),
            None,
            None,
            Some(Device::Byod),
            "2026-06-15T09:30:00Z",
            Action::Monitor,
            "monitor-gaming",
        ),
        (
            "saturday",
            class(vec![m("g", Category::Gaming, "gaming")]),
            None,
            None,
            Some(Device::Managed),
            "2026-06-13T09:30:00Z",
            Action::Monitor,
            "monitor-gaming",
        ),
        (
            "unclassified",
            class(vec![]),
            None,
            None,
            None,
            "2026-06-13T09:30:00Z",
            Action::Allow,
            "default",
        ),
        (
            "baseline beats everything",
            class(vec![m("curriculum", Category::Terrorism, "terrorism")]),
            Some("staff"),
            None,
            None,
            "2026-06-13T09:30:00Z",
            Action::Block,
            "baseline",
        ),
    ];
    for (name, c, group, age, device, at, action, rule) in cases {
        let mut r = Request::new(&url, at.parse().unwrap());
        r.group = group;
        r.age = age;
        r.device = device;
        let d = policy.evaluate(&r, &c);
        assert_eq!(
            (d.action, d.rule.as_str()),
            (action, rule),
            "{name}: {d:#?}"
        );
    }
}

#[test]
fn decisions_explain_themselves() {
    let policy = Policy::load("t.toml", POLICY).unwrap();
    let url = CanonicalUrl::parse("https://www.bing.com/search?q=x").unwrap();
    let r = Request::new(&url, "2026-06-13T09:30:00Z".parse().unwrap()).device(Device::Managed);
    let d = policy.evaluate(
        &r,
        &class(vec![m("sample-gaming", Category::Gaming, "gaming")]),
    );
    assert_eq!(d.decided_by, DecidedBy::Rule(4));
    assert!(d.review && d.log);
    assert_eq!(d.reasons[0], "rule `monitor-gaming` (monitor) matched");
    assert_eq!(
        d.reasons[1],
        "category `gaming` from list `sample-gaming` matched `gaming.example/`"
    );
    assert_eq!(
        d.safe_search.as_ref().unwrap().url,
        "https://www.bing.com/search?q=x&adlt=strict"
    );
    assert!(d.reasons[2].contains("safe search enforced"));

    let d = policy.evaluate(
        &r,
        &class(vec![m("sample-iwf", Category::ChildAbuse, "child-abuse")]),
    );
    assert_eq!(d.decided_by, DecidedBy::Baseline);
    assert_eq!(
        d.message.as_deref(),
        Some(esafety::policy::IWF_BLOCK_MESSAGE)
    );
    assert!(
        d.reasons[0].contains("statutory baseline") && d.reasons[0].contains("sample-iwf"),
        "{:?}",
        d.reasons
    );
    assert_eq!(d.safe_search, None, "a blocked request gets no rewrite");

    let d = policy.evaluate(&r, &class(vec![]));
    assert_eq!(
        d.reasons[0],
        "no rule matched; the policy default `allow` applies"
    );
    assert_eq!(d.message.as_deref(), Some("ok"));
    assert!(!d.log);
    let d = policy.evaluate(
        &r.group("staff"),
        &class(vec![m("curriculum", Category::Search, "search")]),
    );
    assert!(d.log, "log = true forces logging of an allow");
}

const ACTIONS: [&str; 4] = ["block", "warn", "allow", "monitor"];

fn category_ids() -> Vec<&'static str> {
    let mut v: Vec<&str> = Category::BUILTIN
        .iter()
        .filter_map(|c| c.builtin_id())
        .collect();
    v.extend(["@uksic", "@statutory", "local-x"]);
    v
}

prop_compose! {
    fn arb_rule(i: usize)(
        action in 0..4usize,
        cats in proptest::option::of(proptest::collection::vec(0..25usize, 1..4)),
        age in proptest::option::of((0u8..30, 0u8..30)),
        device in proptest::option::of(any::<bool>()),
        times in proptest::option::of((0u16..1440, 0u16..1440)),
        group in proptest::option::of(any::<bool>()),
    ) -> String {
        let ids = category_ids();
        let mut s = format!("[[rules]]\nid = \"r{i}\"\naction = \"{}\"\n", ACTIONS[action]);
        if let Some(c) = cats {
            let list: Vec<String> = c.iter().map(|k| format!("\"{}\"", ids[k % ids.len()])).collect();
            s += &format!("categories = [{}]\n", list.join(", "));
        }
        if let Some((a, b)) = age { s += &format!("age = {{ min = {}, max = {} }}\n", a.min(b), a.max(b)); }
        if let Some(d) = device { s += &format!("device = \"{}\"\n", if d { "managed" } else { "byod" }); }
        if let Some((a, b)) = times {
            let (a, b) = (a.min(b), a.max(b));
            s += &format!("times = [\"{:02}:{:02}-{:02}:{:02}\"]\n", a / 60, a % 60, b / 60, b % 60);
        }
        if let Some(g) = group { s += &format!("groups = [\"{}\"]\n", if g { "pupils" } else { "staff" }); }
        s
    }
}

fn arb_policy() -> impl Strategy<Value = String> {
    (0..4usize, proptest::collection::vec(0..8usize, 0..6)).prop_flat_map(|(default, idx)| {
        let rules: Vec<_> = idx.iter().enumerate().map(|(i, _)| arb_rule(i)).collect();
        rules.prop_map(move |rules| {
            format!(
                "id = \"p\"\ndefault = \"{}\"\n{}",
                ACTIONS[default],
                rules.join("\n")
            )
        })
    })
}

fn arb_classification() -> impl Strategy<Value = Classification<'static>> {
    proptest::collection::vec(0..23usize, 0..4).prop_map(|ks| {
        let matches = ks
            .into_iter()
            .map(|k| match Category::BUILTIN.get(k) {
                Some(c) => m("l", *c, c.builtin_id().unwrap()),
                None => m(
                    "l",
                    Category::Local(LocalCategory::new(0).unwrap()),
                    "local-x",
                ),
            })
            .collect();
        class(matches)
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// No generated policy lowers the baseline: either it fails to load
    /// (saying so) or a statutory category blocks with rule `baseline`.
    #[test]
    fn no_policy_lowers_the_baseline(text in arb_policy(), c in arb_classification(), age in proptest::option::of(0u8..30), secs in 0i64..2_000_000_000) {
        let url = CanonicalUrl::parse("http://x.example/").unwrap();
        match Policy::load("p.toml", &text) {
            Err(e) => prop_assert!(!e.to_string().is_empty()),
            Ok(policy) => {
                let mut r = Request::new(&url, jiff::Timestamp::from_second(secs).unwrap()).group("pupils");
                r.age = age;
                let d = policy.evaluate(&r, &c);
                if c.categories.has_statutory() {
                    prop_assert_eq!(d.action, Action::Block);
                    prop_assert_eq!(d.rule.as_str(), "baseline");
                }
            }
        }
    }

    /// A non-block rule naming a statutory category never loads.
    #[test]
    fn statutory_allow_never_loads(action in 1..4usize, which in 0..3usize, rest in proptest::collection::vec(0..22usize, 0..3)) {
        let mut cats: Vec<String> = rest.iter().map(|k| format!("\"{}\"", Category::BUILTIN[*k].builtin_id().unwrap())).collect();
        cats.push(["\"child-abuse\"", "\"terrorism\"", "\"@statutory\""][which].to_owned());
        let text = format!("id = \"p\"\ndefault = \"block\"\n[[rules]]\nid = \"r\"\naction = \"{}\"\ncategories = [{}]\n", ACTIONS[action], cats.join(", "));
        let err = Policy::load("p.toml", &text).unwrap_err();
        prop_assert!(err.to_string().contains("statutory baseline"), "{}", err);
    }

    /// Evaluation is total (never panics) and deterministic for arbitrary
    /// requests, and the rule it names exists.
    #[test]
    fn evaluation_is_total_and_deterministic(
        text in arb_policy(),
        c in arb_classification(),
        group in proptest::option::of("[a-z]{1,8}"),
        age in proptest::option::of(any::<u8>()),
        device in proptest::option::of(any::<bool>()),
        secs in -377_705_116_800i64..253_402_207_200,
    ) {
        let Ok(policy) = Policy::load("p.toml", &text) else { return Ok(()) };
        let url = CanonicalUrl::parse("https://www.google.com/search?q=a").unwrap();
        let r = Request {
            url: &url,
            group: group.as_deref(),
            age,
            device: device.map(|b| if b { Device::Managed } else { Device::Byod }),
            time: jiff::Timestamp::from_second(secs).unwrap(),
            content: &[],
        };
        let a = policy.evaluate(&r, &c);
        let b = policy.evaluate(&r, &c);
        prop_assert_eq!(&a, &b);
        prop_assert!(!a.reasons.is_empty());
        prop_assert!(a.rule == "baseline" || a.rule == "default" || policy.rules().iter().any(|x| x.id() == a.rule));
        prop_assert_eq!(a.log, a.action != Action::Allow || a.log);
    }
}
