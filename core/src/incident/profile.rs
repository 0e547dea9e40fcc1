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
///
/// ```
/// use esafety::incident::{EscalationProfile, NATIONAL_TOML};
/// assert!(NATIONAL_TOML.contains("[routes.police-emergency]"));
/// assert_eq!(EscalationProfile::from_toml(NATIONAL_TOML)?, EscalationProfile::national()?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub const NATIONAL_TOML: &str = include_str!("../../policies/escalation/national.toml");
/// The Manchester profile, shipped with the library.
///
/// ```
/// use esafety::incident::{ContactSource, EscalationProfile, MANCHESTER_TOML, RouteId};
/// let manchester = EscalationProfile::from_toml(MANCHESTER_TOML)?;
/// assert_eq!(manchester, EscalationProfile::shipped("manchester")?);
/// assert_eq!(manchester.contact(RouteId::ChildrensSocialCare).1, ContactSource::Profile);
/// assert_eq!(manchester.contact(RouteId::Police).1, ContactSource::NationalDefault);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub const MANCHESTER_TOML: &str = include_str!("../../policies/escalation/manchester.toml");

/// The shipped profiles by name, for `--profile NAME`.
///
/// ```
/// use esafety::incident::{EscalationProfile, SHIPPED};
/// let names: Vec<&str> = SHIPPED.iter().map(|(name, _)| *name).collect();
/// assert_eq!(names, ["national", "manchester"]);
/// for (name, _) in SHIPPED {
///     assert_eq!(EscalationProfile::shipped(name)?.id(), *name);
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub const SHIPPED: &[(&str, &str)] =
    &[("national", NATIONAL_TOML), ("manchester", MANCHESTER_TOML)];

/// Why a profile could not be loaded.
///
/// ```
/// use esafety::incident::{EscalationProfile, ProfileError};
/// let err = EscalationProfile::from_toml_named(r#"[profile]
/// id = "northshire"
/// name = "Northshire"
///
/// [routes.lado]
/// name = "Northshire LADO"
/// phone = "ask reception"
/// "#, "northshire.toml").unwrap_err();
/// assert!(matches!(err, ProfileError::Parse { line: 7, column: 9, .. }));
/// assert!(err.to_string().starts_with(
///     "northshire.toml:7:9: phone `ask reception` is not a telephone number"));
/// let err = EscalationProfile::shipped("northshire").unwrap_err();
/// assert_eq!(err, ProfileError::UnknownShipped("northshire".into()));
/// ```
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
    /// The profile is longer than
    /// [`Limits::max_document_len`](crate::Limits::max_document_len) bytes
    /// (default 4 MiB): refused before it is parsed.
    #[error(
        "{}the escalation profile is {len} bytes, over {max}, the limit `{limit}`; give a smaller profile",
        if .file.is_empty() { String::new() } else { format!("{} ", .file) }
    )]
    TooLarge {
        /// The file name and a colon, or empty.
        file: String,
        /// Its length in bytes.
        len: usize,
        /// The limit exceeded ([`Limit::DocumentLen`](crate::limits::Limit::DocumentLen)).
        limit: crate::limits::Limit,
        /// Its value.
        max: usize,
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
///
/// ```
/// use esafety::incident::{EscalationProfile, RouteId};
/// let national = EscalationProfile::national()?;
/// let (emergency, _) = national.contact(RouteId::PoliceEmergency);
/// assert_eq!(emergency.phone.as_ref().map(|p| p.as_str()), Some("999"));
/// assert!(!emergency.local);
/// let (dsl, _) = national.contact(RouteId::Dsl);
/// assert!(dsl.local && dsl.phone.is_none());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// Who it is (never empty).
    #[serde(deserialize_with = "contact_name")]
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
///
/// ```
/// use esafety::incident::EscalationProfile;
/// let with_phone = |phone: &str| EscalationProfile::from_toml(&format!(
///     "[profile]\nid = \"northshire\"\nname = \"Northshire\"\n\
///      [routes.lado]\nname = \"Northshire LADO\"\nphone = \"{phone}\"\n"));
/// assert!(with_phone("01632 960000").is_ok());
/// assert!(with_phone("+44 (0)1632 960-999").is_ok());
/// assert!(with_phone("12").is_err());
/// let err = with_phone("01632 LADO").unwrap_err();
/// assert!(err.to_string().contains("phone `01632 LADO` is not a telephone number"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Phone(String);

impl Phone {
    /// The number as written.
    ///
    /// ```
    /// use esafety::incident::{EscalationProfile, RouteId};
    /// let manchester = EscalationProfile::shipped("manchester")?;
    /// let (social_care, _) = manchester.contact(RouteId::ChildrensSocialCare);
    /// let phone = social_care.phone.as_ref().ok_or("no phone")?;
    /// assert_eq!(phone.as_str(), "0161 255 8250");
    /// assert_eq!(phone.to_string(), phone.as_str());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
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

/// A web address: `https://` or `http://`, then the rest of the address,
/// with no spaces.
///
/// ```
/// use esafety::incident::EscalationProfile;
/// let with_web = |web: &str| EscalationProfile::from_toml(&format!(
///     "[profile]\nid = \"northshire\"\nname = \"Northshire\"\n\
///      [routes.lado]\nname = \"Northshire LADO\"\nweb = \"{web}\"\n"));
/// assert!(with_web("https://www.gov.uk/find-local-council").is_ok());
/// assert!(with_web("https://").is_err());
/// let err = with_web("www.gov.uk/find-local-council").unwrap_err();
/// assert!(err.to_string().contains("is not a web address; write it in full"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct WebAddress(String);

impl WebAddress {
    /// The address as written.
    ///
    /// ```
    /// use esafety::incident::{EscalationProfile, RouteId};
    /// let national = EscalationProfile::national()?;
    /// let (police, _) = national.contact(RouteId::Police);
    /// let web = police.web.as_ref().ok_or("no web address")?;
    /// assert_eq!(web.as_str(), "https://www.police.uk/");
    /// assert_eq!(web.to_string(), web.as_str());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
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
        let rest = s
            .strip_prefix("https://")
            .or_else(|| s.strip_prefix("http://"));
        if rest.is_some_and(|r| !r.is_empty()) && !s.chars().any(char::is_whitespace) {
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
///
/// ```
/// use esafety::incident::{ContactSource, EscalationProfile, RouteId};
/// let manchester = EscalationProfile::shipped("manchester")?;
/// assert_eq!(manchester.contact(RouteId::Lado).1, ContactSource::Profile);
/// assert_eq!(manchester.contact(RouteId::Dsl).1, ContactSource::NationalDefault);
/// let json = serde_json::to_string(&ContactSource::NationalDefault)?;
/// assert_eq!(json, "\"national-default\"");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
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
    /// ```
    /// use esafety::incident::{ContactSource, EscalationProfile, RouteId};
    /// let national = EscalationProfile::national()?;
    /// assert_eq!(national.id(), "national");
    /// // It has a contact of its own for every route.
    /// assert!(RouteId::ALL.iter().all(|r| national.contact(*r).1 == ContactSource::Profile));
    /// assert!(national.contact(RouteId::Lado).0.local);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// Only if the shipped file is broken, which the tests rule out.
    pub fn national() -> Result<EscalationProfile, ProfileError> {
        static NATIONAL: OnceLock<Result<EscalationProfile, ProfileError>> = OnceLock::new();
        NATIONAL
            .get_or_init(|| {
                let file = parse_file(NATIONAL_TOML, "national.toml:", &crate::Limits::DEFAULT)?;
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
    /// ```
    /// use esafety::incident::{EscalationProfile, ProfileError};
    /// assert_eq!(EscalationProfile::shipped("manchester")?.name(), "Manchester");
    /// let err = EscalationProfile::shipped("Manchester").unwrap_err();
    /// assert!(matches!(err, ProfileError::UnknownShipped(_)));
    /// assert!(err.to_string().contains("use one of `national`, `manchester`"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
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
    /// ```
    /// use esafety::incident::{ContactSource, EscalationProfile, RouteId};
    /// let northshire = EscalationProfile::from_toml(r#"
    /// [profile]
    /// id = "northshire"
    /// name = "Northshire"
    ///
    /// [routes.lado]
    /// name = "Northshire LADO"
    /// phone = "01632 960000"
    /// "#)?;
    /// let (lado, source) = northshire.contact(RouteId::Lado);
    /// assert_eq!((lado.name.as_str(), source), ("Northshire LADO", ContactSource::Profile));
    /// assert_eq!(northshire.contact(RouteId::Police).1, ContactSource::NationalDefault);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
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
    /// ```
    /// use esafety::incident::EscalationProfile;
    /// let text = "[profile]\nid = \"northshire\"\nname = \"Northshire\"\n\n\
    ///             [routes.ladoo]\nname = \"Northshire LADO\"\n";
    /// let err = EscalationProfile::from_toml_named(text, "northshire.toml").unwrap_err();
    /// assert!(err.to_string().starts_with("northshire.toml:5:9: unknown route `ladoo`"));
    /// ```
    ///
    /// # Errors
    ///
    /// As [`EscalationProfile::from_toml`].
    pub fn from_toml_named(text: &str, file: &str) -> Result<EscalationProfile, ProfileError> {
        EscalationProfile::from_toml_with_limits(text, file, &crate::Limits::DEFAULT)
    }

    /// [`EscalationProfile::from_toml_named`] within `limits`
    /// (`max_document_len`, checked before the text is parsed).
    ///
    /// ```
    /// use esafety::incident::{EscalationProfile, ProfileError};
    /// use esafety::{ErrorCode, Limits};
    /// let text = "[profile]\nid = \"northshire\"\nname = \"Northshire\"\n";
    /// let mut limits = Limits::default();
    /// limits.max_document_len = text.len();
    /// assert!(EscalationProfile::from_toml_with_limits(text, "n.toml", &limits).is_ok());
    /// limits.max_document_len = 10;
    /// let err = EscalationProfile::from_toml_with_limits(text, "n.toml", &limits).unwrap_err();
    /// assert!(matches!(err, ProfileError::TooLarge { max: 10, .. }));
    /// assert_eq!(err.code(), ErrorCode::TooLarge);
    /// assert!(err.to_string().starts_with("n.toml: the escalation profile is 48 bytes, over 10"), "{err}");
    /// ```
    ///
    /// # Errors
    ///
    /// As [`EscalationProfile::from_toml`]; [`ProfileError::TooLarge`] over
    /// `limits.max_document_len`.
    pub fn from_toml_with_limits(
        text: &str,
        file: &str,
        limits: &crate::Limits,
    ) -> Result<EscalationProfile, ProfileError> {
        let prefix = if file.is_empty() {
            String::new()
        } else {
            format!("{file}:")
        };
        let parsed = parse_file(text, &prefix, limits)?;
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
    ///
    /// ```
    /// use esafety::incident::EscalationProfile;
    /// assert_eq!(EscalationProfile::shipped("manchester")?.id(), "manchester");
    /// // The id comes from `[profile]`, not from the file name.
    /// let text = "[profile]\nid = \"northshire\"\nname = \"Northshire\"\n";
    /// assert_eq!(EscalationProfile::from_toml_named(text, "copy.toml")?.id(), "northshire");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The profile's name.
    ///
    /// ```
    /// use esafety::incident::EscalationProfile;
    /// assert_eq!(EscalationProfile::national()?.name(), "National default (England)");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The profile's description, if it has one.
    ///
    /// ```
    /// use esafety::incident::EscalationProfile;
    /// let manchester = EscalationProfile::shipped("manchester")?;
    /// assert!(manchester.description().is_some_and(|d| d.contains("First Response Team")));
    /// let text = "[profile]\nid = \"northshire\"\nname = \"Northshire\"\n";
    /// assert_eq!(EscalationProfile::from_toml(text)?.description(), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }

    /// The contact for a route and where it came from.
    ///
    /// ```
    /// use esafety::incident::{ContactSource, EscalationProfile, RouteId};
    /// let manchester = EscalationProfile::shipped("manchester")?;
    /// let (social_care, source) = manchester.contact(RouteId::ChildrensSocialCare);
    /// assert_eq!(social_care.name, "Manchester First Response Team (children's social care)");
    /// assert_eq!(source, ContactSource::Profile);
    /// let (emergency, source) = manchester.contact(RouteId::PoliceEmergency);
    /// assert_eq!(emergency.phone.as_ref().map(|p| p.as_str()), Some("999"));
    /// assert_eq!(source, ContactSource::NationalDefault);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
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

fn parse_file(
    text: &str,
    prefix: &str,
    limits: &crate::Limits,
) -> Result<ProfileFile, ProfileError> {
    let max = limits.max_document_len;
    if text.len() > max {
        return Err(ProfileError::TooLarge {
            file: prefix.to_owned(),
            len: text.len(),
            limit: crate::limits::Limit::DocumentLen,
            max,
        });
    }
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
    Ok(file)
}

/// A contact's `name`, refused when empty while it is read, so that the
/// error points at the value.
fn contact_name<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let name = String::deserialize(d)?;
    if name.trim().is_empty() {
        return Err(serde::de::Error::custom(
            "the contact's `name` is empty; say who to contact",
        ));
    }
    Ok(name)
}
