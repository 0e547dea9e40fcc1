//! Acceptable Use Policies: documents, evaluation and the standards linter.
//!
//! An Acceptable Use Policy (AUP) says what a user, in a setting, on a
//! device, at a time, may do with a URL (STANDARD.md, "Acceptable use
//! policies"). esafety reads it from TOML or JSON ([`Policy::load`]),
//! evaluates a classified request against it ([`Policy::evaluate`]) and
//! checks it against the Manchester minimum standards ([`lint`](mod@lint)).
//!
//! The statutory baseline sits above every rule (DESIGN.md invariant 1):
//! a rule that tries to `allow`, `warn` or `monitor` `child-abuse` or
//! `terrorism` (named, or through `@statutory`) fails to load, and at
//! evaluation a statutory category always blocks with the rule `baseline`.
//!
//! ```
//! use esafety::policy::{Action, Policy};
//!
//! let policy = Policy::load("pupils.toml", r#"
//!     id = "pupils"
//!     audience = ["pupils"]
//!     default = "allow"
//!     [[rules]]
//!     id = "uksic"
//!     action = "block"
//!     categories = ["@uksic"]
//! "#)?;
//! assert_eq!(policy.rules()[0].id(), "uksic");
//!
//! let err = Policy::load("bad.toml", r#"
//!     id = "bad"
//!     default = "allow"
//!     [[rules]]
//!     id = "open"
//!     action = "allow"
//!     categories = ["terrorism"]
//! "#).unwrap_err();
//! assert!(err.to_string().starts_with("bad.toml:4:"), "{err}");
//! assert!(err.to_string().contains("statutory baseline"), "{err}");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod document;
mod engine;
mod error;
mod evaluate;
pub mod lint;
mod report;
mod safe_search;
mod schema;
mod time;

pub use document::{
    Action, AgeRange, AgeRangeDoc, Audience, CategoryRef, Device, Ident, PolicyDate,
    PolicyDocument, Rule, RuleDoc, Setting, Signatory,
};
pub use engine::{Context, Engine, EngineError};
pub use error::{LoadError, PolicyError};
pub use evaluate::{
    BASELINE, DEFAULT, DecidedBy, Decision, IWF_BLOCK_MESSAGE, Request, TERRORISM_BLOCK_MESSAGE,
};
pub use lint::LintReport;
pub use lint::{Finding, LintOptions, Severity, lint};
pub use report::DecisionReport;
pub use safe_search::{SafeSearch, SearchEngine, safe_search};
pub use schema::json_schema;
pub use time::{Day, TimeWindow, TimeWindowError, TimeZoneName};

use evaluate::CategoryCondition;

/// The format of a policy document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// TOML.
    Toml,
    /// JSON.
    Json,
}

impl Format {
    /// The format of `source` by its extension (`.json` → JSON, `.toml` →
    /// TOML), else by its content (a leading `{` → JSON).
    pub fn detect(source: &str, text: &str) -> Format {
        let lower = source.to_ascii_lowercase();
        if lower.ends_with(".json") {
            Format::Json
        } else if lower.ends_with(".toml") {
            Format::Toml
        } else if text
            .trim_start_matches('\u{feff}')
            .trim_start()
            .starts_with('{')
        {
            Format::Json
        } else {
            Format::Toml
        }
    }
}

/// A loaded, validated policy, ready to evaluate requests. Immutable,
/// `Send + Sync`; share it behind an `Arc`.
#[derive(Debug, Clone)]
pub struct Policy {
    doc: PolicyDocument,
    tz: TimeZoneName,
    rules: Vec<CompiledRule>,
    /// The first reason of every decision by the default, written once: it
    /// depends on the policy alone, and most requests end there.
    default_reason: String,
}

#[derive(Debug, Clone)]
pub(crate) struct CompiledRule {
    pub(crate) rule: Rule,
    pub(crate) categories: Option<CategoryCondition>,
    pub(crate) lists: Option<Vec<String>>,
    pub(crate) groups: Option<Vec<String>>,
    pub(crate) age: Option<AgeRange>,
    pub(crate) device: Option<Device>,
    pub(crate) days: Option<u8>,
    pub(crate) times: Option<Vec<TimeWindow>>,
}

impl CompiledRule {
    fn new(rule: &Rule) -> CompiledRule {
        let d = rule.doc();
        let categories = d.categories.as_ref().map(|refs| {
            let mut builtin = crate::CategorySet::EMPTY;
            let mut local = Vec::new();
            for r in refs {
                match r {
                    CategoryRef::Local(id) => local.push(id.clone()),
                    other => other.builtins().into_iter().for_each(|c| builtin.insert(c)),
                }
            }
            CategoryCondition { builtin, local }
        });
        let idents = |v: &Option<Vec<Ident>>| {
            v.as_ref()
                .map(|v| v.iter().map(|i| i.as_str().to_owned()).collect())
        };
        CompiledRule {
            rule: rule.clone(),
            categories,
            lists: idents(&d.lists),
            groups: idents(&d.groups),
            age: d.age,
            device: d.device,
            days: d
                .days
                .as_ref()
                .map(|days| days.iter().fold(0u8, |m, day| m | day.bit())),
            times: d.times.clone(),
        }
    }
}

impl Policy {
    /// Loads a policy, choosing TOML or JSON with [`Format::detect`].
    /// `source` names the document in errors (usually its path).
    ///
    /// # Errors
    ///
    /// [`PolicyError::Invalid`] naming `source`, line and column: the text is
    /// not valid TOML/JSON, a field is unknown or missing, a value is not
    /// allowed, or a rule tries to lower the statutory baseline.
    pub fn load(source: &str, text: &str) -> Result<Policy, PolicyError> {
        Policy::load_as(source, text, Format::detect(source, text))
    }

    /// Loads a policy in the given format.
    ///
    /// # Errors
    ///
    /// As [`Policy::load`].
    pub fn load_as(source: &str, text: &str, format: Format) -> Result<Policy, PolicyError> {
        Ok(Policy::from_document(parse_document(source, text, format)?))
    }

    /// Loads a TOML policy.
    ///
    /// # Errors
    ///
    /// As [`Policy::load`].
    pub fn from_toml_str(source: &str, text: &str) -> Result<Policy, PolicyError> {
        Policy::load_as(source, text, Format::Toml)
    }

    /// Loads a JSON policy.
    ///
    /// # Errors
    ///
    /// As [`Policy::load`].
    pub fn from_json_str(source: &str, text: &str) -> Result<Policy, PolicyError> {
        Policy::load_as(source, text, Format::Json)
    }

    /// A policy from a document already deserialized (and so validated).
    pub fn from_document(doc: PolicyDocument) -> Policy {
        let tz = doc.time_zone.clone().unwrap_or_default();
        let rules = doc.rules.iter().map(CompiledRule::new).collect();
        let default_reason = format!(
            "no rule matched; the policy default `{}` applies",
            doc.default
        );
        Policy {
            doc,
            tz,
            rules,
            default_reason,
        }
    }

    /// The document as written.
    pub fn document(&self) -> &PolicyDocument {
        &self.doc
    }

    /// The policy id.
    pub fn id(&self) -> &str {
        self.doc.id.as_str()
    }

    /// The rules, in order.
    pub fn rules(&self) -> &[Rule] {
        &self.doc.rules
    }

    /// The time zone of the rules' days and times.
    pub fn time_zone(&self) -> &TimeZoneName {
        &self.tz
    }
}

/// Adds the fix to serde's wording for missing and unknown fields.
fn with_help(message: String) -> String {
    if message.starts_with("missing field") {
        format!("{message}; add it")
    } else if message.starts_with("unknown field") {
        format!("{message}; remove it or correct its spelling")
    } else {
        message
    }
}

/// Reads a document, turning format errors into located [`PolicyError`]s.
pub(crate) fn parse_document(
    source: &str,
    text: &str,
    format: Format,
) -> Result<PolicyDocument, PolicyError> {
    let format = match format {
        Format::Toml => crate::document::Format::Toml,
        Format::Json => crate::document::Format::Json,
    };
    crate::document::read::<PolicyDocument>(text, format).map_err(|e| {
        PolicyError::Invalid(LoadError::new(
            source,
            text,
            e.offset(),
            with_help(e.message().to_owned()),
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn policy_is_send_and_sync() {
        assert_send_sync::<Policy>();
    }

    #[test]
    fn format_detection() {
        assert_eq!(Format::detect("a.json", "x"), Format::Json);
        assert_eq!(Format::detect("a.TOML", "{"), Format::Toml);
        assert_eq!(Format::detect("-", "  {\"id\":1}"), Format::Json);
        assert_eq!(Format::detect("-", "id = 'x'"), Format::Toml);
    }
}
