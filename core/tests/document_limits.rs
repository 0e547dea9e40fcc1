//! Issue 31: every document a user writes is under
//! `Limits::max_document_len` (default 4 MiB), as policies were: incident
//! files, site files (and their lint) and escalation profiles were parsed
//! at any length.
#![cfg(feature = "incident")]
#![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "tests")]

use esafety::Limits;
use esafety::incident::{EscalationProfile, Format, Incident, IncidentError, ProfileError};
use esafety::limits::Limit;
use esafety::record::site::{Site, SiteError, lint};

const MAX: usize = Limits::DEFAULT.max_document_len;

/// A named reader: the message of its too-large error, or `None`.
type Case<'a> = (&'static str, Box<dyn Fn() -> Option<String> + 'a>);

/// A valid TOML document of `body`, padded with a comment to `len` bytes.
fn padded(body: &str, len: usize) -> String {
    let mut text = format!("{body}#");
    text.push_str(&"x".repeat(len - text.len() - 1));
    text.push('\n');
    assert_eq!(text.len(), len);
    text
}

#[test]
fn each_document_reader_refuses_one_byte_over_max_document_len() {
    let incident = "kind = \"hacking\"\n";
    let site = "site = \"north\"\n";
    let profile = "[profile]\nid = \"northshire\"\nname = \"Northshire\"\n";
    // At the limit each reads; one byte over, each refuses with its typed
    // error naming the limit.
    assert!(Incident::from_toml(&padded(incident, MAX)).is_ok());
    assert!(Site::from_toml_str("site.toml", &padded(site, MAX)).is_ok());
    assert!(EscalationProfile::from_toml(&padded(profile, MAX)).is_ok());

    let over = padded(incident, MAX + 1);
    let cases: [Case<'_>; 4] = [
        (
            "incident text",
            Box::new(|| match Incident::from_toml(&over) {
                Err(
                    e @ IncidentError::TooLarge {
                        len,
                        max: MAX,
                        limit: Limit::DocumentLen,
                        ..
                    },
                ) if len == MAX + 1 => Some(e.to_string()),
                _ => None,
            }),
        ),
        (
            "incident file",
            Box::new(
                || match Incident::from_named_bytes("2026-03-02.toml", over.as_bytes()) {
                    Err(e @ IncidentError::TooLarge { .. }) => {
                        assert_eq!(e.code(), esafety::ErrorCode::TooLarge);
                        assert!(e.to_string().starts_with("2026-03-02.toml: "), "{e}");
                        Some(e.to_string())
                    }
                    _ => None,
                },
            ),
        ),
        (
            "site file",
            Box::new(
                || match Site::from_toml_str("site.toml", &padded(site, MAX + 1)) {
                    Err(e @ SiteError::TooLarge { max: MAX, .. }) => Some(e.to_string()),
                    _ => None,
                },
            ),
        ),
        (
            "escalation profile",
            Box::new(|| {
                match EscalationProfile::from_toml_named(&padded(profile, MAX + 1), "n.toml") {
                    Err(e @ ProfileError::TooLarge { max: MAX, .. }) => {
                        assert_eq!(e.code(), esafety::ErrorCode::TooLarge);
                        Some(e.to_string())
                    }
                    _ => None,
                }
            }),
        ),
    ];
    for (name, read) in cases {
        let message = read().unwrap_or_else(|| panic!("{name}: not refused as too large"));
        assert!(
            message.contains("the limit `max_document_len`"),
            "{name}: {message}"
        );
        assert!(
            message.contains(&format!("{} bytes", MAX + 1)),
            "{name}: {message}"
        );
    }
    // Bytes in either format, too.
    assert!(matches!(
        Incident::from_bytes(over.as_bytes(), Format::Toml),
        Err(IncidentError::TooLarge { .. })
    ));
    // The site linter says why the file does not load.
    let findings = lint("site.toml", &padded(site, MAX + 1));
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0].code, "S000");
    assert!(
        findings[0].message.contains("`max_document_len`"),
        "{}",
        findings[0].message
    );
}
