//! The indexed rule checks against the pairwise oracle: on generated
//! policies small enough for the old quadratic algorithm, `lint` gives
//! exactly the findings `lint_pairwise` does.

use std::fmt::Write as _;

use proptest::prelude::*;

use super::{LintOptions, lint, lint_pairwise};

const CATEGORIES: &[&str] = &[
    "gambling",
    "drugs",
    "pornography",
    "@uksic",
    "chat",
    "social-networking",
    "adult",
    "search",
    "local-exam",
    "local-quiz",
];
const NAMES: &[&str] = &["a", "b", "c"];
const DAYS: &[&str] = &["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const ACTIONS: &[&str] = &["block", "warn", "allow", "monitor"];

/// One generated rule, as choices to render.
#[derive(Debug, Clone)]
struct RuleChoice {
    action: usize,
    categories: Option<Vec<usize>>,
    lists: Option<Vec<usize>>,
    groups: Option<Vec<usize>>,
    age: Option<(u8, u8)>,
    device: Option<bool>,
    days: Option<Vec<usize>>,
    times: Option<Vec<(u16, u16)>>,
}

fn some_of(n: usize, max: usize) -> impl Strategy<Value = Option<Vec<usize>>> {
    prop::option::of(prop::collection::vec(0..n, 1..=max))
}

fn rule() -> impl Strategy<Value = RuleChoice> {
    (
        0..ACTIONS.len(),
        some_of(CATEGORIES.len(), 3),
        some_of(NAMES.len(), 2),
        some_of(NAMES.len(), 2),
        prop::option::of((0u8..20, 0u8..8)),
        prop::option::of(any::<bool>()),
        prop::option::of(prop_oneof![
            prop::collection::vec(0..DAYS.len(), 1..=3),
            Just((0..DAYS.len()).collect::<Vec<_>>()),
        ]),
        prop::option::of(prop::collection::vec((0u16..24, 0u16..6), 1..=3)),
    )
        .prop_map(
            |(action, categories, lists, groups, age, device, days, times)| RuleChoice {
                action,
                categories,
                lists,
                groups,
                age: age.map(|(min, span)| (min, min.saturating_add(span))),
                device,
                days,
                times: times.map(|ws| {
                    ws.into_iter()
                        .map(|(h, span)| (h * 60, (h * 60 + span * 90).min(24 * 60)))
                        .collect()
                }),
            },
        )
}

fn quoted(pool: &[&str], picks: &[usize]) -> String {
    let items: Vec<String> = picks
        .iter()
        .filter_map(|&i| pool.get(i))
        .map(|s| format!("\"{s}\""))
        .collect();
    format!("[{}]", items.join(", "))
}

fn clock(minute: u16) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

/// A policy's TOML text: a header (children's or not) and the rules.
fn render(children: bool, age: Option<(u8, u8)>, default: usize, rules: &[RuleChoice]) -> String {
    let mut t = String::from("id = \"generated\"\ntitle = \"Generated\"\n");
    let _ = writeln!(
        t,
        "audience = [\"{}\"]",
        if children { "pupils" } else { "staff" }
    );
    if let Some((min, max)) = age {
        let _ = writeln!(t, "age = {{ min = {min}, max = {max} }}");
    }
    let _ = writeln!(
        t,
        "default = \"{}\"",
        ACTIONS.get(default).copied().unwrap_or("block")
    );
    for (k, r) in rules.iter().enumerate() {
        let _ = writeln!(t, "\n[[rules]]\nid = \"r{k}\"");
        let _ = writeln!(
            t,
            "action = \"{}\"",
            ACTIONS.get(r.action).copied().unwrap_or("block")
        );
        if let Some(c) = &r.categories {
            let _ = writeln!(t, "categories = {}", quoted(CATEGORIES, c));
        }
        if let Some(l) = &r.lists {
            let _ = writeln!(t, "lists = {}", quoted(NAMES, l));
        }
        if let Some(g) = &r.groups {
            let _ = writeln!(t, "groups = {}", quoted(NAMES, g));
        }
        if let Some((min, max)) = r.age {
            let _ = writeln!(t, "age = {{ min = {min}, max = {max} }}");
        }
        if let Some(managed) = r.device {
            let _ = writeln!(
                t,
                "device = \"{}\"",
                if managed { "managed" } else { "byod" }
            );
        }
        if let Some(d) = &r.days {
            let _ = writeln!(t, "days = {}", quoted(DAYS, d));
        }
        if let Some(ws) = &r.times {
            let ws: Vec<String> = ws
                .iter()
                .map(|&(s, e)| format!("\"{}-{}\"", clock(s), clock(e)))
                .collect();
            let _ = writeln!(t, "times = [{}]", ws.join(", "));
        }
    }
    t
}

fn options() -> LintOptions {
    LintOptions {
        today: jiff::civil::date(2026, 11, 23),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn indexed_lint_finds_what_the_pairwise_oracle_finds(
        children in any::<bool>(),
        age in prop::option::of((0u8..20, 0u8..10)),
        default in 0..ACTIONS.len(),
        rules in prop::collection::vec(rule(), 0..40),
    ) {
        let age = age.map(|(min, span)| (min, min.saturating_add(span)));
        let text = render(children, age, default, &rules);
        let indexed = lint("generated.toml", &text, options());
        let pairwise = lint_pairwise("generated.toml", &text, options());
        prop_assert_eq!(indexed, pairwise, "{}", text);
    }
}

/// Named cases where an index could lose a finding: covers and overlaps
/// through each dimension, with rules the index files under other keys.
#[test]
fn named_cases_agree_with_the_pairwise_oracle() {
    let rule = |action: usize| RuleChoice {
        action,
        categories: None,
        lists: None,
        groups: None,
        age: None,
        device: None,
        days: None,
        times: None,
    };
    let cases: Vec<(&str, Vec<RuleChoice>)> = vec![
        ("no rules", vec![]),
        (
            "an unconditioned rule covers a later grouped one",
            vec![
                rule(0),
                RuleChoice {
                    groups: Some(vec![1]),
                    ..rule(1)
                },
            ],
        ),
        (
            "a two-group rule covers a one-group rule",
            vec![
                RuleChoice {
                    groups: Some(vec![0, 1]),
                    ..rule(0)
                },
                RuleChoice {
                    groups: Some(vec![1]),
                    ..rule(2)
                },
            ],
        ),
        (
            "@uksic covers gambling",
            vec![
                RuleChoice {
                    categories: Some(vec![3]),
                    ..rule(0)
                },
                RuleChoice {
                    categories: Some(vec![0]),
                    ..rule(1)
                },
            ],
        ),
        (
            "timed rules of other actions meet in one hour",
            vec![
                RuleChoice {
                    times: Some(vec![(540, 630)]),
                    groups: Some(vec![0]),
                    ..rule(0)
                },
                RuleChoice {
                    times: Some(vec![(600, 700)]),
                    ..rule(2)
                },
            ],
        ),
        (
            "windows that touch do not meet",
            vec![
                RuleChoice {
                    times: Some(vec![(540, 600)]),
                    ..rule(0)
                },
                RuleChoice {
                    times: Some(vec![(600, 660)]),
                    ..rule(2)
                },
            ],
        ),
        (
            "a dead rule covers nothing",
            vec![
                RuleChoice {
                    times: Some(vec![(540, 540)]),
                    ..rule(0)
                },
                RuleChoice {
                    times: Some(vec![(540, 600)]),
                    ..rule(2)
                },
            ],
        ),
    ];
    for (name, rules) in cases {
        for children in [false, true] {
            let text = render(children, Some((11, 16)), 2, &rules);
            let indexed = lint("named.toml", &text, options());
            let pairwise = lint_pairwise("named.toml", &text, options());
            assert_eq!(indexed, pairwise, "{name}:\n{text}");
        }
    }
}
