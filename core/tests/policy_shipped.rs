//! The shipped policies in `policies/`: each loads, is lint-clean, and makes
//! the representative decisions an e-safety officer would expect.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers: a failure should panic with its message"
)]

use std::path::PathBuf;

use esafety::classify::Classifier;
use esafety::policy::{Action, Context, Device, LintOptions, Policy, lint};
use esafety::url::CanonicalUrl;

const SHIPPED: &[&str] = &[
    "primary-pupils",
    "secondary-pupils",
    "sixth-form",
    "staff",
    "library-childrens-area",
    "childrens-home",
    "youth-club",
];

fn path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../policies")
        .join(format!("{name}.toml"))
}

fn load(name: &str) -> Policy {
    let p = path(name);
    let text = std::fs::read_to_string(&p).unwrap();
    Policy::load(&p.display().to_string(), &text).unwrap_or_else(|e| panic!("{e}"))
}

/// The policy as `esafety compile-policy` writes it, loaded back as JSON
/// (the only form the WebAssembly extension build reads).
fn load_compiled(name: &str) -> Policy {
    let json = load(name).to_json().unwrap();
    let policy = Policy::load_as(
        &format!("{name}.json"),
        &json,
        esafety::policy::Format::Json,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(policy.document(), load(name).document(), "{name}");
    policy
}

#[test]
fn every_shipped_policy_is_lint_clean() {
    let options = LintOptions {
        today: jiff::civil::date(2026, 11, 23),
    };
    for name in SHIPPED {
        let p = path(name);
        let text = std::fs::read_to_string(&p).unwrap();
        let findings = lint(&format!("{name}.toml"), &text, options);
        assert!(findings.is_empty(), "{name}: {findings:#?}");
    }
}

#[test]
fn every_toml_policy_in_the_folder_is_shipped() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../policies");
    let mut found: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().into_string().unwrap();
            name.strip_suffix(".toml").map(str::to_owned)
        })
        .collect();
    found.sort();
    let mut want: Vec<String> = SHIPPED.iter().map(|s| s.to_string()).collect();
    want.sort();
    assert_eq!(found, want);
}

struct Case {
    name: &'static str,
    policy: &'static str,
    url: &'static str,
    group: Option<&'static str>,
    age: Option<u8>,
    device: Option<Device>,
    /// RFC 3339; 2026-03-02 is a Monday (GMT), 2026-03-07 a Saturday.
    at: &'static str,
    action: Action,
    rule: &'static str,
}

const MON_LESSON: &str = "2026-03-02T10:00:00Z";
const MON_LUNCH: &str = "2026-03-02T12:45:00Z";
const MON_EVENING: &str = "2026-03-02T19:00:00Z";
const SAT_NOON: &str = "2026-03-07T12:00:00Z";
const SUMMER_LESSON_BST: &str = "2026-06-15T07:50:00Z"; // 08:50 BST, Monday
const NIGHT: &str = "2026-03-03T23:30:00Z";

macro_rules! case {
    ($name:literal, $policy:literal, $url:literal, $group:expr, $age:expr, $device:expr, $at:expr => $action:ident, $rule:literal) => {
        Case {
            name: $name,
            policy: $policy,
            url: $url,
            group: $group,
            age: $age,
            device: $device,
            at: $at,
            action: Action::$action,
            rule: $rule,
        }
    };
}

const M: Option<Device> = Some(Device::Managed);
const B: Option<Device> = Some(Device::Byod);

fn cases() -> Vec<Case> {
    vec![
        // primary pupils (4-11)
        case!("primary gambling", "primary-pupils", "https://www.bet365.com/", Some("pupils"), Some(9), M, MON_LESSON => Block, "block-uksic"),
        case!("primary porn at the weekend", "primary-pupils", "http://pornhub.com/", Some("pupils"), Some(10), B, SAT_NOON => Block, "block-uksic"),
        case!("primary social media", "primary-pupils", "https://www.instagram.com/", Some("pupils"), Some(10), M, MON_LUNCH => Block, "block-social-and-chat"),
        case!("primary game in a lesson", "primary-pupils", "https://www.roblox.com/", Some("pupils"), Some(8), M, MON_LESSON => Block, "block-games-in-lessons"),
        case!("primary game at lunch", "primary-pupils", "https://www.roblox.com/", Some("pupils"), Some(8), M, MON_LUNCH => Monitor, "monitor-games-clubs"),
        case!("primary game in a BST lesson", "primary-pupils", "https://www.roblox.com/", Some("pupils"), Some(8), M, SUMMER_LESSON_BST => Block, "block-games-in-lessons"),
        case!("primary streaming on byod", "primary-pupils", "https://vimeo.com/1", Some("pupils"), Some(8), B, MON_LESSON => Monitor, "monitor-streaming-byod"),
        case!("primary streaming managed", "primary-pupils", "https://vimeo.com/1", Some("pupils"), Some(8), M, MON_LESSON => Allow, "default"),
        case!("primary education site", "primary-pupils", "https://www.bbc.co.uk/bitesize", Some("pupils"), Some(8), M, MON_LESSON => Allow, "default"),
        case!("primary vpn", "primary-pupils", "https://nordvpn.com/", Some("pupils"), Some(11), M, MON_LESSON => Block, "block-adult-services"),
        // secondary pupils (11-16)
        case!("secondary 12 social", "secondary-pupils", "https://www.tiktok.com/", Some("pupils"), Some(12), B, MON_LUNCH => Block, "block-social-under-13"),
        case!("secondary 14 social in lesson", "secondary-pupils", "https://www.tiktok.com/", Some("pupils"), Some(14), B, MON_LESSON => Block, "block-distractions-in-lessons"),
        case!("secondary 14 social at lunch", "secondary-pupils", "https://www.tiktok.com/", Some("pupils"), Some(14), B, MON_LUNCH => Monitor, "monitor-social-13-plus"),
        case!("secondary social age unknown", "secondary-pupils", "https://www.tiktok.com/", Some("pupils"), None, B, MON_LUNCH => Block, "block-social-age-unknown"),
        case!("secondary games at lunch", "secondary-pupils", "https://store.steampowered.com/", Some("pupils"), Some(15), M, MON_LUNCH => Warn, "warn-games-breaks"),
        case!("secondary games saturday", "secondary-pupils", "https://store.steampowered.com/", Some("pupils"), Some(15), B, SAT_NOON => Warn, "warn-games-breaks"),
        case!("secondary self-harm", "secondary-pupils", "https://sanctioned-suicide.net/", Some("pupils"), Some(15), M, MON_EVENING => Block, "block-uksic"),
        case!("secondary file sharing", "secondary-pupils", "https://wetransfer.com/", Some("pupils"), Some(15), M, MON_LESSON => Warn, "warn-file-sharing"),
        case!("secondary weapons", "secondary-pupils", "https://www.armslist.com/", Some("pupils"), Some(16), M, MON_LESSON => Block, "block-adult-services"),
        // sixth form (16-18)
        case!("sixth form social", "sixth-form", "https://twitter.com/", Some("students"), Some(17), B, MON_LESSON => Monitor, "monitor-social-and-chat"),
        case!("sixth form game in study time", "sixth-form", "https://www.epicgames.com/", Some("students"), Some(17), M, MON_LESSON => Warn, "warn-games-study-time"),
        case!("sixth form game in the evening", "sixth-form", "https://www.epicgames.com/", Some("students"), Some(17), M, MON_EVENING => Allow, "default"),
        case!("sixth form piracy", "sixth-form", "https://thepiratebay.org/", Some("students"), Some(18), B, MON_EVENING => Block, "block-uksic"),
        case!("sixth form dating", "sixth-form", "https://tinder.com/", Some("students"), Some(18), B, MON_EVENING => Block, "block-adult-services"),
        // staff
        case!("staff gambling", "staff", "https://www.bet365.com/", Some("staff"), Some(40), M, MON_LESSON => Block, "block-illegal-and-offensive"),
        case!("staff safeguarding research", "staff", "https://sanctioned-suicide.net/", Some("staff"), Some(40), M, MON_LESSON => Monitor, "monitor-safeguarding-research"),
        case!("staff social", "staff", "https://www.facebook.com/", Some("staff"), Some(30), M, MON_LESSON => Allow, "default"),
        case!("staff game in the day", "staff", "https://www.roblox.com/", Some("staff"), Some(30), M, MON_LESSON => Warn, "warn-games-school-day"),
        case!("staff game at the weekend", "staff", "https://www.roblox.com/", Some("staff"), Some(30), B, SAT_NOON => Allow, "default"),
        case!("staff file sharing byod", "staff", "https://mega.nz/", Some("staff"), Some(30), B, MON_LESSON => Monitor, "monitor-file-sharing-byod"),
        case!("staff child abuse", "staff", "http://iwf-test.esafety.invalid/abuse/page-1.html", Some("staff"), Some(30), M, MON_LESSON => Block, "baseline"),
        // library children's area (4-15)
        case!("library 9 social", "library-childrens-area", "https://www.snapchat.com/", None, Some(9), M, SAT_NOON => Block, "block-social-under-13"),
        case!("library 14 social", "library-childrens-area", "https://www.snapchat.com/", None, Some(14), M, SAT_NOON => Monitor, "monitor-social-13-plus"),
        case!("library social no card", "library-childrens-area", "https://www.snapchat.com/", None, None, B, SAT_NOON => Block, "block-social-age-unknown"),
        case!("library games on wifi", "library-childrens-area", "https://www.roblox.com/", None, Some(12), B, SAT_NOON => Monitor, "monitor-games-wifi"),
        case!("library webmail", "library-childrens-area", "https://outlook.live.com/", None, Some(12), M, SAT_NOON => Warn, "warn-file-sharing"),
        case!("library terrorism", "library-childrens-area", "http://terror-test.esafety.invalid/propaganda/video-1.html", None, Some(12), M, SAT_NOON => Block, "baseline"),
        // children's home (8-17)
        case!("home 15 social evening", "childrens-home", "https://www.instagram.com/", None, Some(15), B, MON_EVENING => Monitor, "monitor-social-13-plus"),
        case!("home 15 social night", "childrens-home", "https://www.instagram.com/", None, Some(15), B, NIGHT => Block, "block-overnight"),
        case!("home streaming night", "childrens-home", "https://www.netflix.com/", None, Some(16), M, NIGHT => Block, "block-overnight"),
        case!("home streaming evening", "childrens-home", "https://www.netflix.com/", None, Some(16), M, MON_EVENING => Allow, "default"),
        case!("home 10 chat", "childrens-home", "https://discord.com/", None, Some(10), B, MON_EVENING => Block, "block-social-under-13"),
        case!("home drugs", "childrens-home", "https://erowid.org/", None, Some(16), B, MON_EVENING => Block, "block-uksic"),
        // youth club (11-18)
        case!("club games in session", "youth-club", "https://www.roblox.com/", None, Some(14), B, MON_EVENING => Allow, "allow-games-sessions"),
        case!("club games saturday", "youth-club", "https://www.roblox.com/", None, Some(14), B, SAT_NOON => Warn, "warn-games-outside-sessions"),
        case!("club 17 social", "youth-club", "https://www.instagram.com/", None, Some(17), B, MON_EVENING => Monitor, "monitor-social-13-plus"),
        case!("club 12 chat", "youth-club", "https://telegram.org/", None, Some(12), B, MON_EVENING => Block, "block-social-under-13"),
        case!("club extremism", "youth-club", "https://stormfront.org/", None, Some(18), B, MON_EVENING => Block, "block-uksic"),
    ]
}

#[test]
fn representative_decisions_for_every_shipped_policy() {
    let classifier = Classifier::new(esafety::sample::bundle().unwrap());
    let mut seen = std::collections::BTreeSet::new();
    for case in cases() {
        seen.insert(case.policy);
        for policy in [load(case.policy), load_compiled(case.policy)] {
            let url = CanonicalUrl::parse(case.url).unwrap();
            let classification = classifier.classify(&url);
            let context = Context {
                group: case.group,
                age: case.age,
                device: case.device,
                time: case.at.parse().unwrap(),
            };
            let request = esafety::Request {
                url: &url,
                group: context.group,
                age: context.age,
                device: context.device,
                time: context.time,
                content: &[],
            };
            let decision = policy.evaluate(&request, &classification);
            assert_eq!(
                (decision.action, decision.rule.as_str()),
                (case.action, case.rule),
                "{}: {:#?}",
                case.name,
                decision
            );
            assert!(!decision.reasons.is_empty(), "{}", case.name);
            assert_eq!(decision.log, case.action != Action::Allow, "{}", case.name);
        }
    }
    assert_eq!(seen.len(), SHIPPED.len(), "every shipped policy has cases");
}

#[test]
fn safe_search_is_enforced_by_childrens_policies() {
    let classifier = Classifier::new(esafety::sample::bundle().unwrap());
    let url = CanonicalUrl::parse("https://www.google.com/search?q=volcanoes").unwrap();
    let time = MON_LESSON.parse().unwrap();
    for name in SHIPPED {
        let policy = load(name);
        let d = policy.evaluate(
            &esafety::Request::new(&url, time).age(15),
            &classifier.classify(&url),
        );
        let rewritten = d.safe_search.map(|s| s.url);
        if policy.document().safe_search {
            assert_eq!(
                rewritten.as_deref(),
                Some("https://www.google.com/search?q=volcanoes&safe=active"),
                "{name}"
            );
        } else {
            assert_eq!(rewritten, None, "{name}");
        }
    }
}
