//! The declarativeNetRequest export (`esafety::export::dnr::rules`) over
//! untrusted lists and bundles: `Ok` or a typed error, never a panic, and
//! what it writes is what Chromium can take.
//!
//! The first byte picks a mode:
//! - 0–3: the rest is the text of one list (plain, Adblock, squidGuard
//!   `urls`, squidGuard `expressions`), compiled with an allow list of its
//!   first line beside the sample lists' categories, then exported under a
//!   policy that blocks, warns and allows by category, list and time;
//! - 4: the sample bundle with the rest applied as (offset, xor) patches,
//!   resealed, then exported.
//!
//! Every export must: give rule ids from `first_rule_id` on, distinct;
//! count its regex rules right; write every `regexFilter` in syntax the
//! `regex` crate (an RE2-like syntax: no look-around, no backreferences)
//! parses; and survive a JSON round trip unchanged.
#![no_main]

use std::collections::HashSet;
use std::sync::OnceLock;

use esafety::bundle::{Bundle, BundleBuilder, reseal_checksum};
use esafety::export::dnr::{self, DnrOptions};
use esafety::lists::{Format, ParseOptions, parse};
use esafety::policy::{Context, Engine, Policy};
use libfuzzer_sys::fuzz_target;

const POLICY: &str = r#"
id = "dnr-fuzz"
default = "allow"
time_zone = "Europe/London"

[[rules]]
id = "warn-gaming-lessons"
action = "warn"
categories = ["gaming"]
days = ["mon", "tue", "wed", "thu", "fri"]
times = ["09:00-12:00"]

[[rules]]
id = "block-fuzzed-list"
action = "block"
lists = ["fuzzed"]

[[rules]]
id = "block-categories"
action = "block"
categories = ["gambling", "adult", "pornography", "streaming"]
"#;

fn policy() -> &'static Policy {
    static POLICY_CELL: OnceLock<Policy> = OnceLock::new();
    POLICY_CELL.get_or_init(|| Policy::load("dnr-fuzz.toml", POLICY).expect("the policy loads"))
}

const FORMATS: [(Format, &str); 4] = [
    (Format::Plain, "gambling"),
    (Format::Adblock, "adult"),
    (Format::SquidGuardUrls, "adult"),
    (Format::SquidGuardExpressions, "pornography"),
];

/// A bundle of the fuzzed list (and an allow list of its first line).
fn list_bundle(format: Format, category: &str, text: &[u8]) -> Option<Vec<u8>> {
    let options = ParseOptions::new();
    let parsed = parse(format, "fuzzed", text, &options).ok()?;
    let mut b = BundleBuilder::new();
    let id = b.add_list("fuzzed", category).ok()?;
    b.add_entries(id, &parsed.entries).ok()?;
    if let Some(first) = text.split(|&c| c == b'\n').next() {
        if let Ok(allow) = parse(Format::Plain, "allow", first, &options) {
            let allow_id = b.add_allow_list("allow").ok()?;
            b.add_entries(allow_id, &allow.entries).ok()?;
        }
    }
    b.build().ok()
}

fn export(bytes: Vec<u8>) {
    let Ok(bundle) = Bundle::from_bytes(bytes) else {
        return;
    };
    let engine = Engine::new(bundle, policy().clone());
    let first_rule_id = 7;
    let options = DnrOptions {
        first_rule_id,
        ..DnrOptions::default()
    };
    for at in ["2026-03-02T10:00:00Z", "2026-03-07T20:00:00Z"] {
        let context = Context::at(at.parse().expect("a timestamp"));
        let Ok(export) = dnr::rules(&engine, context, &options) else {
            continue;
        };
        let mut ids = HashSet::new();
        let mut regex_rules = 0;
        for rule in &export.rules {
            assert!(
                rule.id >= first_rule_id,
                "rule id {} below the first",
                rule.id
            );
            assert!(ids.insert(rule.id), "rule id {} twice", rule.id);
            if let Some(filter) = &rule.condition.regex_filter {
                regex_rules += 1;
                if let Err(e) = regex::RegexBuilder::new(filter).size_limit(1 << 24).build() {
                    assert!(
                        matches!(e, regex::Error::CompiledTooBig(_)),
                        "regexFilter `{filter}` does not parse: {e}"
                    );
                }
            }
        }
        assert_eq!(export.regex_rules, regex_rules, "regex rule count");
        let json = serde_json::to_string(&export.rules).expect("rules serialize");
        let back: Vec<dnr::Rule> = serde_json::from_str(&json).expect("rules deserialize");
        assert_eq!(back, export.rules, "JSON round trip");
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    match mode % 5 {
        4 => {
            let mut bytes = esafety::sample::bundle_bytes();
            for patch in rest.chunks_exact(3) {
                let at = usize::from(u16::from_le_bytes([patch[0], patch[1]])) % bytes.len();
                bytes[at] ^= patch[2];
            }
            reseal_checksum(&mut bytes);
            export(bytes);
        }
        m => {
            let (format, category) = FORMATS[usize::from(m)];
            if let Some(bytes) = list_bundle(format, category, rest) {
                export(bytes);
            }
        }
    }
});
