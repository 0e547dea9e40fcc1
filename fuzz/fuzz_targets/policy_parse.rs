//! Arbitrary bytes as a policy, in TOML and in JSON, and through the
//! linter: `Ok` or `Err`, never a panic (DESIGN.md invariant 4). A policy
//! that loads is also evaluated once, so evaluation is fuzzed too.
#![no_main]

use esafety::Category;
use esafety::classify::{Classification, Match};
use esafety::policy::{Format, LintOptions, Policy, Request, lint};
use esafety::url::CanonicalUrl;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let url = CanonicalUrl::parse("https://www.google.com/search?q=x");
    for format in [Format::Toml, Format::Json] {
        if let (Ok(policy), Ok(url)) = (Policy::load_as("fuzz", text, format), &url) {
            let classification = Classification {
                categories: [Category::Gaming, Category::Terrorism]
                    .into_iter()
                    .collect(),
                matches: vec![Match {
                    list: "l",
                    category: Category::Gaming,
                    category_id: "gaming",
                    expression: "e/".into(),
                }],
            };
            let time =
                jiff::Timestamp::from_second(1_772_445_600).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
            let d = policy.evaluate(&Request::new(url, time).age(12), &classification);
            assert_eq!(d.rule, "baseline");
        }
    }
    let _ = lint(
        "fuzz.toml",
        text,
        LintOptions {
            today: jiff::civil::date(2026, 11, 23),
        },
    );
    let _ = lint(
        "fuzz.json",
        text,
        LintOptions {
            today: jiff::civil::date(2026, 11, 23),
        },
    );
});
