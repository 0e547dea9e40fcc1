//! Policies acting on content: the policy's own `content_limit` (by age
//! band or fixed), rules with a `content_limit` condition, search terms
//! scored like page text, what a decision says about it, and the lint
//! findings of limits that cannot be applied.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers: a failure should panic with its message"
)]

use esafety::Category;
use esafety::classify::Classification;
use esafety::content::{
    ContentMatches, ListKind, PhraseList, PhraseOptions, Scanner, ScannerBuilder,
};
use esafety::policy::{
    Action, CONTENT, CONTENT_BLOCK_MESSAGE, ContentSource, DecidedBy, LintOptions, Policy, Request,
    Severity, lint,
};
use esafety::url::CanonicalUrl;

const PHRASES: &str = r#"
#listcategory: "Gambling"
< poker ><60>
< casino ><110>
< jackpot ><170>
#listcategory: "Pornography"
<xxxbanned>
#listcategory: "GoodPhrases"
< responsible gambling ><-200>
"#;

const EXCEPTIONS: &str = "<gamcare>\n";

fn scanner() -> Scanner {
    let options = PhraseOptions::new();
    let weighted =
        PhraseList::parse("weighted", PHRASES.as_bytes(), ListKind::Weighted, &options).unwrap();
    let exceptions = PhraseList::parse(
        "exception",
        EXCEPTIONS.as_bytes(),
        ListKind::Exception,
        &options,
    )
    .unwrap();
    let mut b = ScannerBuilder::new();
    b.add_list(weighted);
    b.add_list(exceptions);
    b.build().unwrap()
}

/// The policy's own limit by age band, over a category rule.
const BY_AGE: &str = r#"
id = "school"
age = { min = 4, max = 18 }
default = "allow"
content_limit = "by-age"

[[rules]]
id = "block-gambling"
action = "block"
categories = ["gambling"]
"#;

/// No limit of the policy's own: rules act on content.
const RULES: &str = r#"
id = "club"
age = { min = 11, max = 18 }
default = "allow"

[[rules]]
id = "monitor-staff-content"
action = "monitor"
groups = ["staff"]
content_limit = 30

[[rules]]
id = "warn-content-managed"
action = "warn"
device = "managed"
content_limit = "young-children"

[[rules]]
id = "block-content"
action = "block"
content_limit = "by-age"
"#;

const FIXED: &str = r#"
id = "fixed"
default = "allow"
content_limit = 100
content_message = "Blocked for what it says."
"#;

#[derive(Clone, Copy)]
enum Text {
    None,
    Page(&'static str),
    Search(&'static str),
    Both(&'static str, &'static str),
}

struct Case {
    name: &'static str,
    policy: &'static str,
    url: &'static str,
    categories: &'static [Category],
    group: Option<&'static str>,
    age: Option<u8>,
    managed: bool,
    text: Text,
    action: Action,
    rule: &'static str,
    /// (source, score, limit, crossed) of each content finding.
    content: &'static [(ContentSource, i64, u32, bool)],
}

const P: ContentSource = ContentSource::Page;
const S: ContentSource = ContentSource::SearchTerms;

const fn case(name: &'static str, policy: &'static str, text: Text) -> Case {
    Case {
        name,
        policy,
        url: "https://site.example/page",
        categories: &[],
        group: None,
        age: None,
        managed: false,
        text,
        action: Action::Allow,
        rule: "default",
        content: &[],
    }
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            age: Some(9),
            ..case(
                "nothing_scanned_no_content_limit_applies",
                BY_AGE,
                Text::None,
            )
        },
        Case {
            age: Some(9),
            action: Action::Block,
            rule: CONTENT,
            content: &[(P, 60, 50, true)],
            ..case(
                "young_child_over_50_blocked_by_policy_limit",
                BY_AGE,
                Text::Page("<p>poker night</p>"),
            )
        },
        Case {
            age: Some(10),
            content: &[(P, 0, 50, false)],
            ..case(
                "clean_page_allowed_with_its_score",
                BY_AGE,
                Text::Page("<p>volcanoes erupt</p>"),
            )
        },
        Case {
            age: Some(13),
            content: &[(P, 60, 100, false)],
            ..case(
                "older_child_60_within_100",
                BY_AGE,
                Text::Page("<p>poker night</p>"),
            )
        },
        Case {
            age: Some(13),
            action: Action::Block,
            rule: CONTENT,
            content: &[(P, 110, 100, true)],
            ..case(
                "older_child_110_over_100",
                BY_AGE,
                Text::Page("<p>casino night</p>"),
            )
        },
        Case {
            age: Some(17),
            content: &[(P, 110, 160, false)],
            ..case(
                "young_adult_110_within_160",
                BY_AGE,
                Text::Page("<p>casino night</p>"),
            )
        },
        Case {
            age: Some(17),
            action: Action::Block,
            rule: CONTENT,
            content: &[(P, 170, 160, true)],
            ..case(
                "young_adult_170_over_160",
                BY_AGE,
                Text::Page("<p>jackpot</p>"),
            )
        },
        Case {
            action: Action::Block,
            rule: CONTENT,
            content: &[(P, 60, 50, true)],
            ..case(
                "no_age_counts_as_youngest_of_policy",
                BY_AGE,
                Text::Page("<p>poker night</p>"),
            )
        },
        Case {
            age: Some(17),
            action: Action::Block,
            rule: CONTENT,
            content: &[(P, 0, 160, true)],
            ..case(
                "banned_phrase_blocks_under_any_limit",
                BY_AGE,
                Text::Page("<p>xxxbanned</p>"),
            )
        },
        Case {
            age: Some(9),
            content: &[(P, 0, 50, false)],
            ..case(
                "exception_phrase_allows",
                BY_AGE,
                Text::Page("<p>jackpot casino gamcare</p>"),
            )
        },
        Case {
            age: Some(9),
            content: &[(P, -140, 50, false)],
            ..case(
                "negative_weights_take_off",
                BY_AGE,
                Text::Page("<p>poker responsible gambling</p>"),
            )
        },
        Case {
            age: Some(9),
            url: "https://www.google.com/search?q=poker+tips",
            action: Action::Block,
            rule: CONTENT,
            content: &[(S, 60, 50, true)],
            ..case(
                "search_terms_scored_like_text",
                BY_AGE,
                Text::Search("poker tips"),
            )
        },
        Case {
            age: Some(13),
            url: "https://www.google.com/search?q=casino",
            action: Action::Block,
            rule: CONTENT,
            content: &[(P, 0, 100, false), (S, 110, 100, true)],
            ..case(
                "search_terms_push_over_when_page_is_clean",
                BY_AGE,
                Text::Both("<p>results</p>", "casino"),
            )
        },
        Case {
            age: Some(9),
            categories: &[Category::Terrorism],
            action: Action::Block,
            rule: "baseline",
            ..case(
                "baseline_comes_before_content",
                BY_AGE,
                Text::Page("<p>poker</p>"),
            )
        },
        Case {
            age: Some(13),
            categories: &[Category::Gambling],
            action: Action::Block,
            rule: "block-gambling",
            content: &[(P, 60, 100, false)],
            ..case(
                "category_rule_still_decides_within_limit",
                BY_AGE,
                Text::Page("<p>poker</p>"),
            )
        },
        Case {
            group: Some("staff"),
            age: Some(30),
            action: Action::Monitor,
            rule: "monitor-staff-content",
            content: &[(P, 60, 30, true)],
            ..case("rule_limit_for_a_group", RULES, Text::Page("<p>poker</p>"))
        },
        Case {
            age: Some(13),
            managed: true,
            action: Action::Warn,
            rule: "warn-content-managed",
            content: &[(P, 60, 50, true)],
            ..case(
                "rule_limit_by_audience_name",
                RULES,
                Text::Page("<p>poker</p>"),
            )
        },
        Case {
            age: Some(13),
            content: &[(P, 60, 100, false)],
            ..case(
                "rule_by_age_within_band_falls_through",
                RULES,
                Text::Page("<p>poker</p>"),
            )
        },
        Case {
            age: Some(13),
            action: Action::Block,
            rule: "block-content",
            content: &[(P, 110, 100, true)],
            ..case(
                "rule_by_age_over_band_blocks",
                RULES,
                Text::Page("<p>casino</p>"),
            )
        },
        Case {
            age: Some(13),
            ..case(
                "rule_limit_without_content_never_matches",
                RULES,
                Text::None,
            )
        },
        Case {
            age: Some(5),
            content: &[(P, 60, 100, false)],
            ..case("fixed_limit_ignores_age", FIXED, Text::Page("<p>poker</p>"))
        },
        Case {
            action: Action::Block,
            rule: CONTENT,
            content: &[(P, 110, 100, true)],
            ..case(
                "fixed_limit_blocks_over_it",
                FIXED,
                Text::Page("<p>casino</p>"),
            )
        },
    ]
}

fn scan(scanner: &Scanner, text: Text) -> Vec<ContentMatches> {
    match text {
        Text::None => vec![],
        Text::Page(p) => vec![scanner.scan(p.as_bytes())],
        Text::Search(s) => vec![scanner.scan_search_terms(&[s])],
        Text::Both(p, s) => vec![scanner.scan(p.as_bytes()), scanner.scan_search_terms(&[s])],
    }
}

#[test]
fn content_limits_decide_as_the_table_says() {
    let scanner = scanner();
    let time = "2026-03-02T10:00:00Z".parse().unwrap();
    let mut failures = Vec::new();
    for c in cases() {
        let policy = Policy::load("p.toml", c.policy).unwrap();
        let url = CanonicalUrl::parse(c.url).unwrap();
        let scanned = scan(&scanner, c.text);
        let refs: Vec<&ContentMatches> = scanned.iter().collect();
        let mut request = Request::new(&url, time).content(&refs);
        request.group = c.group;
        request.age = c.age;
        if c.managed {
            request.device = Some(esafety::policy::Device::Managed);
        }
        let class = Classification {
            categories: c.categories.iter().copied().collect(),
            matches: vec![],
        };
        let d = policy.evaluate(&request, &class);
        let got: Vec<(ContentSource, i64, u32, bool)> = d
            .content
            .iter()
            .map(|f| (f.source, f.score, f.limit, f.crossed))
            .collect();
        if d.action != c.action || d.rule != c.rule || got != c.content {
            failures.push(format!(
                "{}: got {:?} `{}` {got:?}, want {:?} `{}` {:?}; reasons {:?}",
                c.name, d.action, d.rule, c.action, c.rule, c.content, d.reasons
            ));
        }
        // Every decision by content explains the phrases behind it.
        if d.content.iter().any(|f| f.crossed) && (d.rule == CONTENT || d.rule.contains("content"))
        {
            let crossed = d.content.iter().find(|f| f.crossed).unwrap();
            if !d.reasons.iter().any(|r| r == &crossed.explanation) {
                failures.push(format!(
                    "{}: the reasons {:?} do not explain {:?}",
                    c.name, d.reasons, crossed
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn content_block_explains_phrases_and_categories() {
    let scanner = scanner();
    let policy = Policy::load("p.toml", BY_AGE).unwrap();
    let url = CanonicalUrl::parse("https://cards.example/").unwrap();
    let page = scanner.scan(b"<p>poker night</p>");
    let content = [&page];
    let request = Request::new(&url, "2026-03-02T10:00:00Z".parse().unwrap())
        .age(9)
        .content(&content);
    let d = policy.evaluate(&request, &Classification::default());
    assert_eq!(d.decided_by, DecidedBy::Content);
    assert!(d.log);
    assert_eq!(d.message.as_deref(), Some(CONTENT_BLOCK_MESSAGE));
    assert_eq!(
        d.reasons,
        [
            "the policy's content limit `by-age` blocks content that crosses it",
            "page: content score 60 is over the limit 50 in the smart (folded) pass: `< poker >` +60 (gambling); categories: gambling 60",
        ]
    );
    let f = &d.content[0];
    assert_eq!(f.categories.get("gambling"), Some(&60));
    assert_eq!(f.phrases.len(), 1);
    assert_eq!(
        (
            f.phrases[0].phrase.as_str(),
            f.phrases[0].kind.as_str(),
            f.phrases[0].weight,
            f.phrases[0].count
        ),
        ("< poker >", "weighted", 60, 1)
    );
    // The policy's own message, when it gives one.
    let fixed = Policy::load("f.toml", FIXED).unwrap();
    let casino = scanner.scan(b"<p>casino</p>");
    let content = [&casino];
    let request = Request::new(&url, "2026-03-02T10:00:00Z".parse().unwrap()).content(&content);
    let d = fixed.evaluate(&request, &Classification::default());
    assert_eq!(d.message.as_deref(), Some("Blocked for what it says."));
    // The JSON every face prints carries the content scores.
    let json = serde_json::to_value(esafety::policy::DecisionReport::new(
        url.as_str(),
        url.as_str(),
        d,
    ))
    .unwrap();
    assert_eq!(json["content"][0]["score"], 110);
    assert_eq!(json["content"][0]["source"], "page");
    assert_eq!(json["content"][0]["phrases"][0]["phrase"], "< casino >");
}

/// (name, policy text, code expected or `None` for no content finding)
const LINT_CASES: &[(&str, &str, Option<&str>)] = &[
    (
        "allow_on_content_is_an_error",
        "id = \"p\"\ndefault = \"block\"\n[[rules]]\nid = \"open\"\naction = \"allow\"\ncontent_limit = 50\n",
        Some("P955"),
    ),
    (
        "rule_limit_above_policy_limit_is_never_applied",
        "id = \"p\"\ndefault = \"allow\"\ncontent_limit = 50\n[[rules]]\nid = \"late\"\naction = \"warn\"\ncontent_limit = 80\n",
        Some("P956"),
    ),
    (
        "rule_limit_equal_to_policy_limit_is_never_applied",
        "id = \"p\"\ndefault = \"allow\"\ncontent_limit = \"older-children\"\n[[rules]]\nid = \"same\"\naction = \"monitor\"\ncontent_limit = 100\n",
        Some("P956"),
    ),
    (
        "by_age_rule_under_by_age_policy_is_never_applied",
        "id = \"p\"\nage = { min = 4, max = 18 }\ndefault = \"allow\"\ncontent_limit = \"by-age\"\n[[rules]]\nid = \"same\"\naction = \"warn\"\ncontent_limit = \"by-age\"\n",
        Some("P956"),
    ),
    (
        "rule_limit_below_policy_limit_is_applied",
        "id = \"p\"\ndefault = \"allow\"\ncontent_limit = 100\n[[rules]]\nid = \"early\"\naction = \"warn\"\ncontent_limit = 40\n",
        None,
    ),
    (
        "rule_limit_below_by_age_for_older_ages_is_applied",
        "id = \"p\"\nage = { min = 4, max = 18 }\ndefault = \"allow\"\ncontent_limit = \"by-age\"\n[[rules]]\nid = \"teens\"\naction = \"warn\"\nage = { min = 13, max = 18 }\ncontent_limit = 60\n",
        None,
    ),
    (
        "fixed_rule_limit_over_every_band_of_its_ages",
        "id = \"p\"\nage = { min = 4, max = 18 }\ndefault = \"allow\"\ncontent_limit = \"by-age\"\n[[rules]]\nid = \"little\"\naction = \"warn\"\nage = { min = 4, max = 10 }\ncontent_limit = 60\n",
        Some("P956"),
    ),
    (
        "rule_without_policy_limit_is_applied",
        "id = \"p\"\ndefault = \"allow\"\n[[rules]]\nid = \"any\"\naction = \"block\"\ncontent_limit = 50\n",
        None,
    ),
];

#[test]
fn lint_reports_content_limits_that_cannot_be_applied() {
    let options = LintOptions {
        today: jiff::civil::date(2026, 11, 23),
    };
    let mut failures = Vec::new();
    for (name, text, want) in LINT_CASES {
        let findings = lint("p.toml", text, options);
        let got: Vec<&str> = findings
            .iter()
            .filter(|f| f.code == "P955" || f.code == "P956")
            .map(|f| f.code.as_str())
            .collect();
        let want: Vec<&str> = want.iter().copied().collect();
        if got != want {
            failures.push(format!("{name}: got {got:?}, want {want:?}: {findings:?}"));
        }
        for f in findings
            .iter()
            .filter(|f| f.code == "P955" || f.code == "P956")
        {
            let rule_line = text
                .lines()
                .collect::<Vec<_>>()
                .iter()
                .rposition(|l| *l == "[[rules]]")
                .unwrap()
                + 2; // the `id` line
            if f.severity != Severity::Error || f.line != rule_line {
                failures.push(format!(
                    "{name}: {f:?} should be an error on the rule's line"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn content_rules_do_not_shadow_later_rules() {
    // A rule that acts only on content does not match every request, so a
    // later category rule is still reachable (no P950).
    let text = "id = \"p\"\ndefault = \"allow\"\n[[rules]]\nid = \"content\"\naction = \"block\"\ncontent_limit = 50\n[[rules]]\nid = \"all\"\naction = \"block\"\n";
    let findings = lint(
        "p.toml",
        text,
        LintOptions {
            today: jiff::civil::date(2026, 11, 23),
        },
    );
    assert!(findings.iter().all(|f| f.code != "P950"), "{findings:?}");
    // And the other way round: an earlier rule without conditions covers it.
    let text = "id = \"p\"\ndefault = \"allow\"\n[[rules]]\nid = \"all\"\naction = \"block\"\n[[rules]]\nid = \"content\"\naction = \"block\"\ncontent_limit = 50\n";
    let findings = lint(
        "p.toml",
        text,
        LintOptions {
            today: jiff::civil::date(2026, 11, 23),
        },
    );
    assert!(findings.iter().any(|f| f.code == "P950"), "{findings:?}");
}

#[test]
fn bad_content_limits_fail_to_load_with_the_fix() {
    let cases = [
        (
            "content_limit = \"teens\"\n",
            "`teens` is not a content limit; give `by-age`",
        ),
        (
            "content_limit = -3\n",
            "`-3` is not a content limit; a limit is 0 or more points",
        ),
        (
            "content_limit = 5000000000\n",
            "`5000000000` is not a content limit; give a number of points up to 4294967295",
        ),
        (
            "content_limit = true\n",
            "expected `by-age`, `young-children`, `older-children`, `young-adults` or a whole number of points",
        ),
    ];
    for (line, want) in cases {
        let text = format!("id = \"p\"\ndefault = \"allow\"\n{line}");
        let err = Policy::load("p.toml", &text).unwrap_err().to_string();
        assert!(err.starts_with("p.toml:3:"), "{err}");
        assert!(err.contains(want), "{line}: {err}");
    }
}

#[test]
fn shipped_policies_name_content_limits_and_lint_clean() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../policies");
    let options = LintOptions {
        today: jiff::civil::date(2026, 11, 23),
    };
    for name in [
        "primary-pupils",
        "secondary-pupils",
        "sixth-form",
        "youth-club",
        "childrens-home",
        "library-childrens-area",
        "staff",
    ] {
        let text = std::fs::read_to_string(dir.join(format!("{name}.toml"))).unwrap();
        let policy = Policy::load(name, &text).unwrap();
        let doc = policy.document();
        let names_one = doc.content_limit.is_some()
            || doc.rules.iter().any(|r| r.doc().content_limit.is_some());
        assert!(names_one, "{name} names no content limit");
        let errors: Vec<_> = lint(name, &text, options)
            .into_iter()
            .filter(|f| f.severity == Severity::Error)
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:?}");
    }
}
