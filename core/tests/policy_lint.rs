//! The standards linter: every code fires on a policy with that fault and
//! stays silent on a complete one.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers: a failure should panic with its message"
)]

use esafety::policy::{Finding, LintOptions, Severity, lint};

const TODAY: jiff::civil::Date = jiff::civil::date(2026, 11, 23);

const BASE: &str = r#"id = "pupils"
title = "Pupils' AUP"
audience = ["pupils"]
age = { min = 11, max = 16 }
settings = ["school"]
owner = "E-safety officer"
reviewed = 2026-09-01
review_interval_months = 12
signatures = ["user", "parent-carer"]
acceptable_use = ["Use the internet for learning."]
unacceptable_use = ["Do not try to get round the filter."]
sanctions = ["Loss of access."]
monitoring = ["All use is filtered and logged."]
reporting = ["The e-safety officer reviews reports weekly."]
report_concerns = "Tell any member of staff."
safe_search = true
default = "allow"

[[rules]]
id = "block-uksic"
action = "block"
categories = ["@uksic"]

[[rules]]
id = "block-adult"
action = "block"
categories = ["adult", "dating", "weapons", "circumvention", "social-networking", "chat"]
"#;

/// The categories of the `block-adult` rule of [`BASE`].
const BLOCK_ADULT: &str = "categories = [\"adult\", \"dating\", \"weapons\", \"circumvention\", \"social-networking\", \"chat\"]";

/// The `block-adult` rule of [`BASE`] without social networking and chat,
/// which then reach the `allow` default for 11- and 12-year-olds.
const ADULT_ONLY: &str = "categories = [\"adult\", \"dating\", \"weapons\", \"circumvention\"]";

fn run(text: &str) -> Vec<Finding> {
    lint("p.toml", text, LintOptions { today: TODAY })
}

fn codes(findings: &[Finding]) -> Vec<&str> {
    findings.iter().map(|f| f.code.as_str()).collect()
}

#[test]
fn complete_policy_has_no_findings() {
    let findings = run(BASE);
    assert!(findings.is_empty(), "{findings:#?}");
    let json = base_json();
    assert!(lint("p.json", &json, LintOptions { today: TODAY }).is_empty());
}

fn base_json() -> String {
    let doc: esafety::policy::PolicyDocument = toml::from_str(BASE).unwrap();
    serde_json::to_string_pretty(&doc).unwrap()
}

fn without(key: &str) -> String {
    BASE.lines()
        .filter(|l| !l.starts_with(&format!("{key} =")))
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

fn with_rules(extra: &str) -> String {
    format!("{BASE}\n{extra}")
}

#[test]
fn each_code_fires_with_its_line_severity_and_advice() {
    // (name, policy text, code, severity, line (0 = don't check), advice fragment)
    let cases: Vec<(&str, String, &str, Severity, usize, &str)> = vec![
        ("does not load", BASE.replace("default = \"allow\"", "default = \"maybe\""), "P000", Severity::Error, 17, "nothing else was checked: unknown variant `maybe`"),
        ("no audience", without("audience"), "P101", Severity::Error, 1, "add `audience`"),
        ("staff and pupils share", BASE.replace("[\"pupils\"]", "[\"pupils\", \"staff\"]"), "P102", Severity::Error, 3, "split it"),
        ("no age", without("age"), "P201", Severity::Error, 1, "add `age"),
        ("age beyond 18", BASE.replace("max = 16", "max = 25"), "P202", Severity::Warning, 4, "separate policy"),
        ("no signatures", without("signatures"), "P301", Severity::Error, 1, "signatures = [\"user\"]"),
        ("under 13 no carer", BASE.replace("[\"user\", \"parent-carer\"]", "[\"user\"]"), "P302", Severity::Warning, 9, "parent-carer"),
        ("no review date", without("reviewed"), "P401", Severity::Error, 1, "reviewed = YYYY-MM-DD"),
        ("interval too long", BASE.replace("review_interval_months = 12", "review_interval_months = 24"), "P402", Severity::Error, 8, "1..=12"),
        ("review overdue", BASE.replace("2026-09-01", "2025-11-01"), "P403", Severity::Error, 7, "review the policy"),
        ("review overdue by own interval", BASE.replace("review_interval_months = 12", "review_interval_months = 2"), "P403", Severity::Error, 7, "every 2 months"),
        ("review in the future", BASE.replace("2026-09-01", "2027-01-01"), "P404", Severity::Warning, 7, "after today"),
        ("no acceptable use", without("acceptable_use"), "P501", Severity::Error, 1, "add `acceptable_use`"),
        ("blank unacceptable use", BASE.replace("[\"Do not try to get round the filter.\"]", "[\" \"]"), "P502", Severity::Error, 11, "add `unacceptable_use`"),
        ("no sanctions", without("sanctions"), "P601", Severity::Error, 1, "add `sanctions`"),
        ("no monitoring", without("monitoring"), "P701", Severity::Error, 1, "add `monitoring`"),
        ("no reporting", without("reporting"), "P702", Severity::Error, 1, "add `reporting`"),
        ("no report concerns", without("report_concerns"), "P703", Severity::Error, 1, "report_concerns"),
        ("no owner", without("owner"), "P801", Severity::Error, 1, "e-safety officer"),
        ("no settings", without("settings"), "P802", Severity::Warning, 1, "add `settings`"),
        ("no title", without("title"), "P803", Severity::Warning, 1, "add one"),
        ("uksic reaches allow default", BASE.replace("categories = [\"@uksic\"]", "categories = [\"gambling\"]"), "P901", Severity::Error, 17, "`drugs`"),
        ("uksic let through by an earlier rule", BASE.replace("[[rules]]\nid = \"block-uksic\"", "[[rules]]\nid = \"allow-curriculum\"\naction = \"allow\"\nlists = [\"curriculum\"]\n\n[[rules]]\nid = \"block-uksic\""), "P901", Severity::Error, 20, "above it"),
        ("uksic blocked only in lessons", BASE.replace("categories = [\"@uksic\"]", "categories = [\"@uksic\"]\ntimes = [\"09:00-15:00\"]"), "P901", Severity::Error, 17, "@uksic"),
        ("uksic blocked only for the policy's ages", BASE.replace("categories = [\"@uksic\"]", "categories = [\"@uksic\"]\nage = { min = 11, max = 16 }"), "P901", Severity::Error, 17, "for users aged 0-10, 17 and requests that give no age"),
        ("uksic blocked for every child age but not for a request without one", BASE.replace("categories = [\"@uksic\"]", "categories = [\"@uksic\"]\nage = { min = 0, max = 17 }"), "P901", Severity::Error, 17, "reach the default `allow` for requests that give no age"),
        ("uksic warned for unknown ages by a rule", BASE.replace("categories = [\"@uksic\"]", "categories = [\"@uksic\"]\nage = { min = 0, max = 17 }") + "\n[[rules]]\nid = \"warn-rest\"\naction = \"warn\"\ncategories = [\"@uksic\"]\n", "P901", Severity::Error, 31, "rule `warn-rest` can warn `discrimination`, `drugs`, `extremism`, `gambling`, `malware-hacking`, `pornography`, `piracy`, `self-harm`, `violence` for requests that give no age"),
        ("public audience with children's ages", BASE.replace("[\"pupils\"]", "[\"public\"]").replace("categories = [\"@uksic\"]", "categories = [\"gambling\"]"), "P901", Severity::Error, 17, "`drugs`"),
        ("default lets under-13s chat", BASE.replace(BLOCK_ADULT, ADULT_ONLY), "P902", Severity::Error, 17, "the default `allow` would allow `social-networking` (blocked under 13), `chat` (blocked under 13) for users aged 11-12 and requests that give no age"),
        ("default lets children reach adult services", BASE.replace("[[rules]]\nid = \"block-adult\"", "[[rules]]\nid = \"block-adult\"\ngroups = [\"year-7\"]"), "P902", Severity::Error, 17, "`circumvention` (blocked under 18), `weapons` (blocked under 18), `adult` (blocked under 18), `dating` (blocked under 18) for users aged 11-16 and requests that give no age; `social-networking` (blocked under 13), `chat` (blocked under 13) for users aged 11-12 and requests that give no age"),
        ("default open to under-13s without an age only", BASE.replace(BLOCK_ADULT, ADULT_ONLY) + "\n[[rules]]\nid = \"block-social-under-13\"\naction = \"block\"\ncategories = [\"social-networking\", \"chat\"]\nage = { min = 11, max = 12 }\n", "P902", Severity::Error, 17, "add a rule with `action = \"block\"` and `categories = [\"social-networking\", \"chat\"]`"),
        ("public audience with children's ages and no safe search", BASE.replace("[\"pupils\"]", "[\"public\"]").replace("safe_search = true", "safe_search = false"), "P903", Severity::Warning, 16, "safe_search = true"),
        ("allow gambling for pupils", with_rules("[[rules]]\nid = \"x\"\naction = \"allow\"\ncategories = [\"gambling\", \"social-networking\"]\n"), "P902", Severity::Error, 30, "`gambling` (blocked under 18), `social-networking` (blocked under 13)"),
        ("no safe search", BASE.replace("safe_search = true", "safe_search = false"), "P903", Severity::Warning, 16, "safe_search = true"),
        ("shadowed rule", with_rules("[[rules]]\nid = \"block-betting\"\naction = \"block\"\ncategories = [\"gambling\"]\nage = { min = 12, max = 14 }\n"), "P950", Severity::Error, 30, "remove it"),
        ("shadowed by a broader allow", with_rules("[[rules]]\nid = \"games\"\naction = \"monitor\"\ncategories = [\"gaming\", \"streaming\"]\n\n[[rules]]\nid = \"games-in-lessons\"\naction = \"block\"\ncategories = [\"gaming\"]\ntimes = [\"09:00-12:00\"]\n"), "P950", Severity::Error, 35, "move it above `games`"),
        ("empty window", with_rules("[[rules]]\nid = \"x\"\naction = \"block\"\ncategories = [\"gaming\"]\ntimes = [\"09:00-09:00\"]\n"), "P951", Severity::Error, 30, "`09:00-09:00`"),
        ("overlapping windows", with_rules("[[rules]]\nid = \"x\"\naction = \"block\"\ncategories = [\"gaming\"]\ntimes = [\"09:00-12:00\", \"11:00-13:00\"]\n"), "P952", Severity::Warning, 30, "merge them"),
        ("contradictory windows", with_rules("[[rules]]\nid = \"games-lunch\"\naction = \"warn\"\ncategories = [\"gaming\"]\ntimes = [\"12:00-13:30\"]\n\n[[rules]]\nid = \"games-lessons\"\naction = \"block\"\ncategories = [\"gaming\"]\ntimes = [\"13:00-15:00\"]\n"), "P953", Severity::Warning, 36, "meet without overlapping"),
        ("age outside the policy", with_rules("[[rules]]\nid = \"x\"\naction = \"block\"\ncategories = [\"gaming\"]\nage = { min = 4, max = 7 }\n"), "P954", Severity::Error, 30, "never matches"),
        ("allow on content", with_rules("[[rules]]\nid = \"x\"\naction = \"allow\"\ncontent_limit = 50\n"), "P955", Severity::Error, 30, "make it `block`, `warn` or `monitor`"),
        ("content limit above the policy's", with_rules("[[rules]]\nid = \"x\"\naction = \"warn\"\ncontent_limit = 200\n").replace("default = \"allow\"", "content_limit = \"by-age\"\ndefault = \"allow\""), "P956", Severity::Error, 31, "give the rule a lower limit"),
    ];
    for (name, text, code, severity, line, advice) in &cases {
        let findings = run(text);
        let Some(f) = findings.iter().find(|f| f.code == *code) else {
            panic!("{name}: {code} did not fire: {findings:#?}");
        };
        assert_eq!(f.severity, *severity, "{name}: {f:?}");
        if *line != 0 {
            assert_eq!(f.line, *line, "{name}: {f:?}");
        }
        assert!(
            f.message.contains(advice),
            "{name}: `{advice}` not in {:?}",
            f.message
        );
    }
    // Every documented code has a case.
    let table = include_str!("../src/policy/lint/mod.rs");
    let documented: Vec<&str> = table
        .lines()
        .filter_map(|l| l.strip_prefix("//! | `P"))
        .filter_map(|l| l.get(..3))
        .collect();
    for d in documented {
        let code = format!("P{d}");
        assert!(cases.iter().any(|c| c.2 == code), "no case for {code}");
    }
}

#[test]
fn codes_do_not_fire_on_near_misses() {
    // (name, text, code that must not fire)
    let cases: Vec<(&str, String, &str)> = vec![
        ("staff policy needs no UKSIC rules", BASE.replace("[\"pupils\"]", "[\"staff\"]").replace("min = 11, max = 16", "min = 18, max = 99").replace("categories = [\"@uksic\"]", "categories = [\"gambling\"]"), "P901"),
        ("staff may monitor violence", BASE.replace("[\"pupils\"]", "[\"staff\"]").replace("min = 11, max = 16", "min = 18, max = 99") + "\n[[rules]]\nid = \"x\"\naction = \"monitor\"\ncategories = [\"violence\"]\n", "P902"),
        ("social for 13+ only", with_rules("[[rules]]\nid = \"x\"\naction = \"monitor\"\ncategories = [\"social-networking\"]\nage = { min = 13, max = 16 }\n"), "P902"),
        ("narrower rule first is not shadowed", BASE.replace("[[rules]]\nid = \"block-uksic\"", "[[rules]]\nid = \"allow-gaming-14\"\naction = \"allow\"\ncategories = [\"gaming\"]\nage = { min = 14, max = 16 }\n\n[[rules]]\nid = \"block-uksic\"") + "\n[[rules]]\nid = \"warn-gaming\"\naction = \"warn\"\ncategories = [\"gaming\"]\n", "P950"),
        ("windows that meet", with_rules("[[rules]]\nid = \"x\"\naction = \"block\"\ncategories = [\"gaming\"]\ntimes = [\"09:00-12:00\", \"12:00-13:00\"]\n"), "P952"),
        ("different categories, overlapping windows", with_rules("[[rules]]\nid = \"a\"\naction = \"warn\"\ncategories = [\"gaming\"]\ntimes = [\"12:00-13:30\"]\n\n[[rules]]\nid = \"b\"\naction = \"block\"\ncategories = [\"chat\"]\ntimes = [\"13:00-15:00\"]\n"), "P953"),
        ("different days, overlapping windows", with_rules("[[rules]]\nid = \"a\"\naction = \"warn\"\ncategories = [\"gaming\"]\ndays = [\"sat\"]\ntimes = [\"12:00-13:30\"]\n\n[[rules]]\nid = \"b\"\naction = \"block\"\ncategories = [\"gaming\"]\ndays = [\"mon\"]\ntimes = [\"13:00-15:00\"]\n"), "P953"),
        // Reviewer's L3b: no child (under 18) and no request without an age
        // can reach the warning for 18-year-olds.
        ("gambling warned for 18-year-olds only, after a block for children", BASE.replace("[\"pupils\"]", "[\"young-people\"]").replace("max = 16", "max = 18").replace("categories = [\"@uksic\"]", "categories = [\"@uksic\"]\nage = { min = 11, max = 17 }\n\n[[rules]]\nid = \"adults-gambling-warn\"\naction = \"warn\"\ncategories = [\"gambling\"]\nage = { min = 18, max = 18 }\n\n[[rules]]\nid = \"block-uksic-rest\"\naction = \"block\"\ncategories = [\"@uksic\"]"), "P901"),
        // Reviewer's L3: the same warning first.
        ("gambling warned for 18-year-olds only, before the block", BASE.replace("[\"pupils\"]", "[\"young-people\"]").replace("max = 16", "max = 18").replace("[[rules]]\nid = \"block-uksic\"", "[[rules]]\nid = \"adults-gambling-warn\"\naction = \"warn\"\ncategories = [\"gambling\"]\nage = { min = 18, max = 18 }\n\n[[rules]]\nid = \"block-uksic\""), "P901"),
        ("a warning shadowed for children by a blocking rule with the same group", BASE.replace("[[rules]]\nid = \"block-uksic\"", "[[rules]]\nid = \"block-gambling-staff-room\"\naction = \"block\"\ncategories = [\"gambling\"]\ngroups = [\"staff-room\"]\n\n[[rules]]\nid = \"warn-gambling-staff-room\"\naction = \"warn\"\ncategories = [\"gambling\"]\ngroups = [\"staff-room\"]\n\n[[rules]]\nid = \"block-uksic\""), "P901"),
        ("uksic blocked every day, all day", BASE.replace("categories = [\"@uksic\"]", "categories = [\"@uksic\"]\ndays = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\", \"sun\"]\ntimes = [\"00:00-12:00\", \"12:00-24:00\"]"), "P901"),
        ("public audience for adults needs no UKSIC rules", BASE.replace("[\"pupils\"]", "[\"public\"]").replace("min = 11, max = 16", "min = 18, max = 99").replace("categories = [\"@uksic\"]", "categories = [\"gambling\"]"), "P901"),
        ("social blocked under 13 and for unknown ages, monitored from 13", BASE.replace(BLOCK_ADULT, ADULT_ONLY) + "\n[[rules]]\nid = \"block-social-under-13\"\naction = \"block\"\ncategories = [\"social-networking\", \"chat\"]\nage = { min = 11, max = 12 }\n\n[[rules]]\nid = \"monitor-social-13-plus\"\naction = \"monitor\"\ncategories = [\"social-networking\", \"chat\"]\nage = { min = 13, max = 16 }\n\n[[rules]]\nid = \"block-social-age-unknown\"\naction = \"block\"\ncategories = [\"social-networking\", \"chat\"]\n", "P902"),
        ("a blocking default needs no blocking rules", BASE.replace("default = \"allow\"", "default = \"block\"").replace(BLOCK_ADULT, "categories = [\"gaming\"]"), "P902"),
        ("staff audience over 18 with an allow default", BASE.replace("[\"pupils\"]", "[\"staff\"]").replace("min = 11, max = 16", "min = 18, max = 99").replace(BLOCK_ADULT, "categories = [\"gaming\"]"), "P902"),
        ("reviewed exactly 12 months ago", BASE.replace("2026-09-01", "2025-11-23"), "P403"),
        ("16-year-olds sign for themselves", BASE.replace("min = 11", "min = 16").replace("[\"user\", \"parent-carer\"]", "[\"user\"]"), "P302"),
    ];
    for (name, text, code) in cases {
        let findings = run(&text);
        assert!(
            !codes(&findings).contains(&code),
            "{name}: {code} fired: {findings:#?}"
        );
    }
}

#[test]
fn findings_serialize_as_the_cli_contract() {
    let findings = run(&without("owner"));
    let report = esafety::policy::LintReport {
        file: "p.toml".into(),
        findings,
    };
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["file"], "p.toml");
    assert_eq!(json["findings"][0]["code"], "P801");
    assert_eq!(json["findings"][0]["severity"], "error");
    assert_eq!(json["findings"][0]["line"], 1);
}
