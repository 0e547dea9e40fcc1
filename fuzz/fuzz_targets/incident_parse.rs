//! Arbitrary bytes through the incident file parser (format sniffed from the
//! content), and through the extension-chosen parsers: Ok or Err, never a
//! panic. Whatever parses is assessed, serialized and parsed back.
#![no_main]

use esafety::incident::{AssessmentReport, EscalationProfile, Incident, LogRecord, assess};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = Incident::from_named_bytes("incident.json", data);
    let _ = Incident::from_named_bytes("incident.toml", data);
    let _ = EscalationProfile::from_toml(&String::from_utf8_lossy(data));
    let _ = esafety::incident::IncidentLog::read_log(data);
    if let Ok(incident) = Incident::from_bytes_auto(data) {
        if let Ok(profile) = EscalationProfile::national() {
            let a = assess(&incident, &profile);
            let _ = AssessmentReport::new(&a).to_json_line();
            let _ = a.action_sheet();
            let _ = LogRecord::from_incident(&incident, Some(&a)).validate();
        }
        let json = incident.to_json().expect("an incident serializes");
        let back = Incident::from_json(&json).expect("an incident's JSON parses");
        assert_eq!(back, incident, "round trip");
    }
});
