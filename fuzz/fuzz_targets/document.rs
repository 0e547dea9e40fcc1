//! Arbitrary text through the document loaders besides policies and
//! incidents (which `policy_parse` and `incident_parse` fuzz): escalation
//! profiles, site files and decision-record logs. Documents are read by the
//! `toml` crate and `serde_json` (the hand-written parsers this target once
//! compared with them are gone); what is fuzzed here is esafety's layer on
//! top: the located messages, the date reading, the checks. `Ok` or a typed
//! error naming file, line and column, never a panic.
#![no_main]

use esafety::incident::EscalationProfile;
use esafety::record::read_records;
use esafety::record::site::Site;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Record logs are bytes: every line is read or reported.
    for record in read_records("fuzz.jsonl", data) {
        let _ = record.map_err(|e| e.to_string());
    }
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(e) = EscalationProfile::from_toml_named(text, "fuzz.toml") {
        let _ = e.to_string();
    }
    if let Err(e) = Site::from_toml_str("fuzz-site.toml", text) {
        let message = e.to_string();
        assert!(message.starts_with("fuzz-site.toml"), "{message}");
    }
});
