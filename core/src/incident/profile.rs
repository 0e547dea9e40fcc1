//! Escalation profiles: who to call for each route, in one area
//! (STANDARD.md, "Incidents": "routes are decided by the model and filled in
//! from a local escalation profile").
//!
//! A profile is TOML:
//!
//! ```toml
//! [profile]
//! id = "manchester"
//! name = "Manchester"
//!
//! [routes.lado]
//! name = "Manchester Local Area Designated Officer (LADO)"
//! phone = "0161 203 2393"
//! ```
//!
//! A route the profile leaves out is filled from the shipped national
//! default, and the assessment says so.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::ids::RouteId;

/// The national default profile (England), shipped with the library.
pub const NATIONAL_TOML: &str = include_str!("../../../policies/escalation/national.toml");
/// The Manchester profile, shipped with the library.
pub const MANCHESTER_TOML: &str = include_str!("../../../policies/escalation/manchester.toml");

/// The shipped profiles by name, for `--profile NAME`.
pub const SHIPPED: &[(&str, &str)] =
    &[("national", NATIONAL_TOML), ("manchester", MANCHESTER_TOML)];

/// Why a profile could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProfileError {
    /// The TOML is malformed or is not a valid profile.
    #[error("{file}{line}:{column}: {message}")]
    Parse {
        /// The file name and a colon, or empty.
        file: String,
        /// 1-based line (0 when not known).
        line: usize,
        /// 1-based column (0 when not known).
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// No shipped profile has this name.
    #[error("no shipped escalation profile `{0}`; use one of {names} or give the path of a profile TOML file", names = shipped_names())]
    UnknownShipped(String),
    /// The national default lacks a route (a bug in the shipped file).
    #[error(
        "the national default profile has no contact for route `{0}`; add `[routes.{0}]` to policies/escalation/national.toml"
    )]
    NationalIncomplete(RouteId),
}

fn shipped_names() -> String {
    SHIPPED
        .iter()
        .map(|(n, _)| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// How to reach one route.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// Who it is.
    pub name: String,
    /// A telephone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<Phone>,
    /// A web page or reporting form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub web: Option<WebAddress>,
    /// An email address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// When it is open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours: Option<String>,
    /// What to do out of those hours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub out_of_hours: Option<String>,
    /// Anything else to know.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// True when the contact is a local one the setting must fill in (for
    /// example "your designated safeguarding lead").
    #[serde(default, skip_serializing_if = "is_false")]
    pub local: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// A telephone number: digits, spaces, `+`, `-`, `(` and `)`, at least
/// three digits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Phone(String);

impl Phone {
    /// The number as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Phone {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Phone, D::Error> {
        let s = String::deserialize(d)?;
        let ok_chars = s
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')'));
        let digits = s.chars().filter(char::is_ascii_digit).count();
        if ok_chars && digits >= 3 {
            Ok(Phone(s))
        } else {
            Err(serde::de::Error::custom(format!(
                "phone `{}` is not a telephone number; use digits and spaces, e.g. `0161 255 8250`",
                s.chars().take(40).collect::<String>()
            )))
        }
    }
}

/// A web address: `https://` or `http://` and no spaces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct WebAddress(String);

impl WebAddress {
    /// The address as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for WebAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for WebAddress {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<WebAddress, D::Error> {
        let s = String::deserialize(d)?;
        let scheme = s.starts_with("https://") || s.starts_with("http://");
        if scheme && s.len() > 8 && !s.chars().any(char::is_whitespace) {
            Ok(WebAddress(s))
        } else {
            Err(serde::de::Error::custom(format!(
                "web `{}` is not a web address; write it in full, starting `https://`",
                s.chars().take(60).collect::<String>()
            )))
        }
    }
}

/// Where a route's contact came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ContactSource {
    /// The profile in use.
    Profile,
    /// The national default, because the profile has no contact for the route.
    NationalDefault,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfileFile {
    profile: ProfileMeta,
    #[serde(default)]
    routes: BTreeMap<RouteId, Contact>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfileMeta {
    id: String,
    name: String,
    #[serde(default)]
    description: Option<String>,
}

/// An escalation profile with every route resolved: the profile's own
/// contacts, and the national default's for the routes it leaves out.
///
/// ```
/// use esafety::incident::{ContactSource, EscalationProfile, RouteId};
/// let manchester = EscalationProfile::shipped("manchester")?;
/// let (lado, source) = manchester.contact(RouteId::Lado);
/// assert_eq!(lado.phone.as_ref().map(|p| p.as_str()), Some("0161 203 2393"));
/// assert_eq!(source, ContactSource::Profile);
/// let (_, source) = manchester.contact(RouteId::Iwf);
/// assert_eq!(source, ContactSource::NationalDefault);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EscalationProfile {
    id: String,
    name: String,
    description: Option<String>,
    contacts: BTreeMap<RouteId, (Contact, ContactSource)>,
}

impl EscalationProfile {
    /// The shipped national default.
    ///
    /// # Errors
    ///
    /// Only if the shipped file is broken, which the tests rule out.
    pub fn national() -> Result<EscalationProfile, ProfileError> {
        static NATIONAL: OnceLock<Result<EscalationProfile, ProfileError>> = OnceLock::new();
        NATIONAL
            .get_or_init(|| {
                let file = parse_file(NATIONAL_TOML, "national.toml:")?;
                let mut contacts = BTreeMap::new();
                for route in RouteId::ALL {
                    let contact = file
                        .routes
                        .get(route)
                        .ok_or(ProfileError::NationalIncomplete(*route))?;
                    contacts.insert(*route, (contact.clone(), ContactSource::Profile));
                }
                Ok(EscalationProfile {
                    id: file.profile.id,
                    name: file.profile.name,
                    description: file.profile.description,
                    contacts,
                })
            })
            .clone()
    }

    /// A shipped profile by name (`national`, `manchester`).
    ///
    /// # Errors
    ///
    /// [`ProfileError::UnknownShipped`] for any other name.
    pub fn shipped(name: &str) -> Result<EscalationProfile, ProfileError> {
        if name == "national" {
            return EscalationProfile::national();
        }
        let (_, text) = SHIPPED
            .iter()
            .find(|(n, _)| *n == name)
            .ok_or_else(|| ProfileError::UnknownShipped(name.chars().take(64).collect()))?;
        EscalationProfile::from_toml_named(text, &format!("{name}.toml"))
    }

    /// Load a profile from TOML text; routes it leaves out come from the
    /// national default.
    ///
    /// # Errors
    ///
    /// [`ProfileError::Parse`] with line and column for malformed TOML, an
    /// unknown field or route id, a bad phone number or web address.
    pub fn from_toml(text: &str) -> Result<EscalationProfile, ProfileError> {
        EscalationProfile::from_toml_named(text, "")
    }

    /// As [`EscalationProfile::from_toml`], naming `file` in errors.
    ///
    /// # Errors
    ///
    /// As [`EscalationProfile::from_toml`].
    pub fn from_toml_named(text: &str, file: &str) -> Result<EscalationProfile, ProfileError> {
        let prefix = if file.is_empty() {
            String::new()
        } else {
            format!("{file}:")
        };
        let parsed = parse_file(text, &prefix)?;
        let national = EscalationProfile::national()?;
        let mut contacts = BTreeMap::new();
        for route in RouteId::ALL {
            let entry = match parsed.routes.get(route) {
                Some(c) => (c.clone(), ContactSource::Profile),
                None => (
                    national.contact(*route).0.clone(),
                    ContactSource::NationalDefault,
                ),
            };
            contacts.insert(*route, entry);
        }
        Ok(EscalationProfile {
            id: parsed.profile.id,
            name: parsed.profile.name,
            description: parsed.profile.description,
            contacts,
        })
    }

    /// The profile's id (`national`, `manchester`).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The profile's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The profile's description.
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }

    /// The contact for a route and where it came from.
    pub fn contact(&self, route: RouteId) -> (&Contact, ContactSource) {
        match self.contacts.get(&route) {
            Some((c, s)) => (c, *s),
            None => (fallback_contact(route), ContactSource::NationalDefault),
        }
    }
}

/// Every profile is built with all routes, so this is never reached; it
/// keeps `contact` total without a panic.
fn fallback_contact(_route: RouteId) -> &'static Contact {
    static UNKNOWN: Contact = Contact {
        name: String::new(),
        phone: None,
        web: None,
        email: None,
        hours: None,
        out_of_hours: None,
        notes: None,
        local: true,
    };
    &UNKNOWN
}

fn parse_file(text: &str, prefix: &str) -> Result<ProfileFile, ProfileError> {
    let file: ProfileFile =
        crate::document::read(text, crate::document::Format::Toml).map_err(|err| {
            let (line, column) = err.line_column(text);
            ProfileError::Parse {
                file: prefix.to_owned(),
                line,
                column,
                message: err.message().to_owned(),
            }
        })?;
    if let Some((route, _)) = file.routes.iter().find(|(_, c)| c.name.trim().is_empty()) {
        return Err(ProfileError::Parse {
            file: prefix.to_owned(),
            line: 0,
            column: 0,
            message: format!("[routes.{route}] has an empty `name`; say who to contact"),
        });
    }
    Ok(file)
}
