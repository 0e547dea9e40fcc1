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

mod alert;
mod content;
pub mod context;
mod document;
mod engine;
mod error;
mod evaluate;
mod fail_closed;
pub(crate) mod guarantee;
#[cfg(feature = "lint")]
pub mod lint;
mod report;
mod safe_search;
#[cfg(feature = "schema")]
mod schema;
mod time;

pub use alert::{Alert, AlertUrgency};
pub use content::{
    CONTENT, CONTENT_BLOCK_MESSAGE, CONTENT_LIMIT_UNAVAILABLE, ContentFinding, ContentLimitSetting,
    ContentPhrase, ContentSource,
};
pub use context::RequestError;
pub use document::{
    Action, AgeRange, AgeRangeDoc, Audience, CategoryRef, Device, Ident, PolicyDate,
    PolicyDocument, Rule, RuleDoc, Setting, Signatory,
};
pub use engine::{Context, Engine, EngineError};
pub use error::{LoadError, PolicyError, PolicyErrorKind};
pub use evaluate::{
    BASELINE, DEFAULT, DecidedBy, Decision, IWF_BLOCK_MESSAGE, Request, TERRORISM_BLOCK_MESSAGE,
};
pub use fail_closed::{ERROR, ERROR_BLOCK_MESSAGE, MAX_ECHO_LEN, echo_prefix};
#[cfg(feature = "lint")]
pub use lint::LintReport;
#[cfg(feature = "lint")]
pub use lint::{Finding, LintOptions, Severity, lint};
pub use report::DecisionReport;
pub use safe_search::{SafeSearch, SearchEngine, safe_search};
#[cfg(feature = "schema")]
pub use schema::json_schema;
#[cfg(feature = "schema")]
#[cfg(feature = "incident")]
pub(crate) use schema::schema_text;
pub use time::{Day, TimeWindow, TimeWindowError, TimeZoneName};

use evaluate::CategoryCondition;

/// The format of a policy document.
///
/// ```
/// use esafety::policy::{Format, Policy};
///
/// let text = r#"{"id": "staff", "audience": ["staff"], "default": "allow"}"#;
/// let policy = Policy::load_as("staff-policy", text, Format::Json)?;
/// assert_eq!(policy.id(), "staff");
/// assert!(Policy::load_as("staff-policy", text, Format::Toml).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// TOML.
    Toml,
    /// JSON.
    Json,
}

impl Format {
    /// The format of `source` by its extension (`.json` → JSON, `.toml` →
    /// TOML), else by its content (a leading `{`, after any byte-order mark
    /// and white space → JSON). The extension wins, in any letter case.
    ///
    /// ```
    /// use esafety::policy::Format;
    ///
    /// assert_eq!(Format::detect("policies/staff.json", ""), Format::Json);
    /// assert_eq!(Format::detect("POLICIES/STAFF.TOML", "{"), Format::Toml);
    /// // No extension (e.g. standard input): the content decides.
    /// assert_eq!(Format::detect("-", "\u{feff}\n  {\"id\": \"staff\"}"), Format::Json);
    /// assert_eq!(Format::detect("-", "id = \"staff\""), Format::Toml);
    /// ```
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
///
/// ```
/// use std::sync::Arc;
/// use esafety::policy::Policy;
///
/// let text =
///     include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/policies/secondary-pupils.toml"));
/// let policy = Arc::new(Policy::load("secondary-pupils.toml", text)?);
/// let for_worker = Arc::clone(&policy);
/// let worker = std::thread::spawn(move || for_worker.rules().len());
/// assert_eq!(worker.join().map_err(|_| "the worker thread panicked")?, 9);
/// assert_eq!(policy.id(), "secondary-pupils");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// Cloning is cheap: the document and its compiled rules are shared behind
/// an `Arc`, never copied, so every engine over one policy holds it once.
///
/// ```
/// use esafety::policy::Policy;
///
/// let policy = Policy::load("p.toml", "id = \"p\"\ndefault = \"allow\"")?;
/// let copy = policy.clone();
/// assert!(std::ptr::eq(policy.document(), copy.document()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Policy {
    parts: std::sync::Arc<PolicyParts>,
}

/// What a loaded policy holds.
#[derive(Debug)]
struct PolicyParts {
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
    pub(crate) content_limit: Option<ContentLimitSetting>,
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
            content_limit: d.content_limit,
        }
    }
}

impl Policy {
    /// Loads a policy, choosing TOML or JSON with [`Format::detect`].
    /// `source` names the document in errors (usually its path).
    ///
    /// ```
    /// use esafety::policy::{Action, Policy};
    ///
    /// let text =
    ///     include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/policies/secondary-pupils.toml"));
    /// let policy = Policy::load("policies/secondary-pupils.toml", text)?;
    /// assert_eq!(policy.document().default, Action::Allow);
    ///
    /// let err = Policy::load("pupils.toml", "id = \"pupils\"\ndefault = \"allwo\"").unwrap_err();
    /// assert!(err.to_string().starts_with("pupils.toml:2:11: unknown variant `allwo`"), "{err}");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A [`PolicyError`] naming `source`, line and column, of the kind of
    /// problem: [`PolicyError::Syntax`] (not valid TOML/JSON),
    /// [`PolicyError::Schema`] (a field is unknown or missing, a value is not
    /// allowed), [`PolicyError::Baseline`] (a rule tries to lower the
    /// statutory baseline) or [`PolicyError::Time`] (a bad date, time window
    /// or time zone).
    pub fn load(source: &str, text: &str) -> Result<Policy, PolicyError> {
        Policy::load_as(source, text, Format::detect(source, text))
    }

    /// Loads a policy in the given format, whatever `source` is called.
    ///
    /// ```
    /// use esafety::policy::{Format, Policy};
    ///
    /// // A policy kept in a database column: the name has no extension.
    /// let text = "id = \"library\"\ndefault = \"allow\"";
    /// let policy = Policy::load_as("db:policy/7", text, Format::Toml)?;
    /// assert_eq!(policy.id(), "library");
    ///
    /// let err = Policy::load_as("export.txt", "id = \"library\"", Format::Json).unwrap_err();
    /// assert_eq!(err.to_string(), "export.txt:1:1: not valid JSON: expected value; fix the syntax");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Policy::load`].
    pub fn load_as(source: &str, text: &str, format: Format) -> Result<Policy, PolicyError> {
        Policy::load_with_limits(source, text, format, &crate::Limits::DEFAULT)
    }

    /// [`Policy::load_as`] within other [`Limits`](crate::Limits): a
    /// document over [`Limits::max_document_len`](crate::Limits::max_document_len)
    /// bytes is refused before it is parsed, one with more rules than
    /// [`Limits::max_policy_rules`](crate::Limits::max_policy_rules) after.
    /// [`Policy::load`] and [`Policy::load_as`] use the defaults.
    ///
    /// ```
    /// use esafety::policy::{Format, Policy, PolicyErrorKind};
    /// use esafety::Limits;
    /// let text = "id = \"p\"\ndefault = \"allow\"\n[[rules]]\nid = \"a\"\naction = \"block\"\ncategories = [\"gambling\"]\n";
    /// let mut limits = Limits::default();
    /// limits.max_policy_rules = 0;
    /// let err = Policy::load_with_limits("p.toml", text, Format::Toml, &limits).unwrap_err();
    /// assert_eq!(err.kind(), PolicyErrorKind::Limit);
    /// assert!(err.to_string().contains("`max_policy_rules`"), "{err}");
    /// limits.max_document_len = 10;
    /// let err = Policy::load_with_limits("p.toml", text, Format::Toml, &limits).unwrap_err();
    /// assert!(err.to_string().starts_with("p.toml:1:1: the policy is"), "{err}");
    /// assert!(Policy::load_with_limits("p.toml", text, Format::Toml, &Limits::default()).is_ok());
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Policy::load`], and [`PolicyError::Limit`].
    pub fn load_with_limits(
        source: &str,
        text: &str,
        format: Format,
        limits: &crate::Limits,
    ) -> Result<Policy, PolicyError> {
        let limit_error = |message: String| {
            PolicyError::new(
                PolicyErrorKind::Limit,
                LoadError::new(source, text, 0, message),
            )
        };
        if text.len() > limits.max_document_len {
            return Err(limit_error(format!(
                "the policy is {} bytes, over {}, the limit `max_document_len`; split it into smaller policies, or raise the limit (`Limits::max_document_len`)",
                text.len(),
                limits.max_document_len
            )));
        }
        let document = parse_document(source, text, format)?;
        if document.rules.len() > limits.max_policy_rules {
            return Err(limit_error(format!(
                "the policy has {} rules, over {}, the limit `max_policy_rules`; merge rules that share an action, or raise the limit (`Limits::max_policy_rules`)",
                document.rules.len(),
                limits.max_policy_rules
            )));
        }
        Ok(Policy::from_document(document))
    }

    /// Loads a TOML policy.
    ///
    /// ```
    /// use esafety::policy::Policy;
    ///
    /// let err = Policy::from_toml_str("youth-club.toml", r#"
    /// id = "youth-club"
    /// default = "allow"
    /// [[rules]]
    /// id = "chat-monitored"
    /// action = "monitor"
    /// categories = ["chat", "@statutory"]
    /// "#).unwrap_err();
    /// assert_eq!((err.load_error().line(), err.load_error().column()), (4, 1));
    /// assert!(err.to_string().contains("tries to monitor `child-abuse` (via `@statutory`)"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Policy::load`].
    pub fn from_toml_str(source: &str, text: &str) -> Result<Policy, PolicyError> {
        Policy::load_as(source, text, Format::Toml)
    }

    /// Loads a JSON policy.
    ///
    /// ```
    /// use esafety::policy::{Action, Policy};
    ///
    /// let policy = Policy::from_json_str("staff.json", r#"{
    ///     "id": "staff",
    ///     "default": "allow",
    ///     "rules": [{"id": "warn-gambling", "action": "warn", "categories": ["gambling"]}]
    /// }"#)?;
    /// assert_eq!(policy.rules()[0].doc().action, Action::Warn);
    ///
    /// let text = r#"{"id": "staff", "default": "allow", "colour": 1}"#;
    /// let err = Policy::from_json_str("staff.json", text).unwrap_err();
    /// // JSON errors are where serde_json stopped: here the key's closing quote.
    /// assert!(err.to_string().starts_with("staff.json:1:44: unknown field `colour`"), "{err}");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Policy::load`].
    pub fn from_json_str(source: &str, text: &str) -> Result<Policy, PolicyError> {
        Policy::load_as(source, text, Format::Json)
    }

    /// A policy from a document already deserialized (and so validated).
    ///
    /// ```
    /// use esafety::policy::{Policy, PolicyDocument};
    ///
    /// let doc: PolicyDocument = serde_json::from_str(r#"{"id": "staff", "default": "allow"}"#)?;
    /// let policy = Policy::from_document(doc);
    /// assert_eq!(policy.id(), "staff");
    /// assert_eq!(policy.time_zone().name(), "Europe/London"); // the default zone
    ///
    /// // Deserializing validates: a rule cannot lower the statutory baseline.
    /// let bad = r#"{"id": "x", "default": "block",
    ///     "rules": [{"id": "r", "action": "allow", "categories": ["terrorism"]}]}"#;
    /// assert!(serde_json::from_str::<PolicyDocument>(bad).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_document(doc: PolicyDocument) -> Policy {
        let tz = doc.time_zone.clone().unwrap_or_default();
        let rules = doc.rules.iter().map(CompiledRule::new).collect();
        let default_reason = format!(
            "no rule matched; the policy default `{}` applies",
            doc.default
        );
        Policy {
            parts: std::sync::Arc::new(PolicyParts {
                doc,
                tz,
                rules,
                default_reason,
            }),
        }
    }

    /// The policy as the JSON document every build of esafety reads (the
    /// WebAssembly extension build reads JSON policies only): what
    /// `esafety compile-policy` writes. It loads back, as JSON, to the same
    /// document, and so to the same decisions.
    ///
    /// ```
    /// use esafety::policy::{Format, Policy};
    ///
    /// let text =
    ///     include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/policies/secondary-pupils.toml"));
    /// let policy = Policy::load("secondary-pupils.toml", text)?;
    /// let json = policy.to_json()?;
    /// assert!(json.starts_with("{\n  \"id\": \"secondary-pupils\","), "{json}");
    /// let back = Policy::load_as("secondary-pupils.json", &json, Format::Json)?;
    /// assert_eq!(back.document(), policy.document());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// Only if serialization fails, which the document types do not do.
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string_pretty(&self.parts.doc)
    }

    /// The document as written.
    ///
    /// ```
    /// use esafety::policy::{AgeRange, Audience, Policy};
    ///
    /// let text =
    ///     include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/policies/secondary-pupils.toml"));
    /// let doc = Policy::load("secondary-pupils.toml", text)?.document().clone();
    /// assert_eq!(doc.audience, [Audience::Pupils]);
    /// assert_eq!(doc.age, AgeRange::new(11, 16));
    /// assert_eq!(doc.review_interval_months, 12);
    /// assert!(doc.safe_search);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn document(&self) -> &PolicyDocument {
        &self.parts.doc
    }

    /// The policy id.
    ///
    /// ```
    /// use esafety::policy::Policy;
    ///
    /// let policy = Policy::load("p.toml", "id = \"sixth-form\"\ndefault = \"allow\"")?;
    /// assert_eq!(policy.id(), "sixth-form");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn id(&self) -> &str {
        self.parts.doc.id.as_str()
    }

    /// The rules, in order.
    ///
    /// ```
    /// use esafety::policy::{Action, Policy};
    ///
    /// let text =
    ///     include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/policies/secondary-pupils.toml"));
    /// let policy = Policy::load("secondary-pupils.toml", text)?;
    /// let rules = policy.rules();
    /// assert_eq!(rules.len(), 9);
    /// assert_eq!(rules[0].id(), "block-uksic");
    /// assert_eq!(rules[8].id(), "monitor-streaming-byod");
    /// assert_eq!(rules[8].doc().action, Action::Monitor);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn rules(&self) -> &[Rule] {
        &self.parts.doc.rules
    }

    /// The time zone of the rules' days and times: the document's
    /// `time_zone`, or `Europe/London` when it gives none.
    ///
    /// ```
    /// use esafety::policy::Policy;
    ///
    /// let policy = Policy::load("p.toml", "id = \"p\"\ndefault = \"allow\"")?;
    /// assert_eq!(policy.time_zone().name(), "Europe/London");
    ///
    /// let text = "id = \"p\"\ndefault = \"allow\"\ntime_zone = \"Europe/Dublin\"";
    /// let policy = Policy::load("p.toml", text)?;
    /// assert_eq!(policy.time_zone().name(), "Europe/Dublin");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn time_zone(&self) -> &TimeZoneName {
        &self.parts.tz
    }
}

/// Adds the fix to serde's wording for missing and unknown fields (an
/// unknown field close to a known one already names it: `did you mean`).
fn with_help(message: String) -> String {
    if message.starts_with("missing field") {
        format!("{message}; add it")
    } else if message.starts_with("unknown field") && !message.contains("; did you mean") {
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
    let name = format.name();
    error::clear_violation();
    crate::document::read::<PolicyDocument>(text, format).map_err(|e| {
        let (kind, message) = match e.kind() {
            // The parser's words say what it expected, not that the text is
            // not a document of the chosen format at all.
            crate::document::ErrorKind::Syntax => (
                PolicyErrorKind::Syntax,
                format!("not valid {name}: {}; fix the syntax", e.message()),
            ),
            crate::document::ErrorKind::Data => (
                error::take_kind(e.message()),
                with_help(e.message().to_owned()),
            ),
        };
        PolicyError::new(kind, LoadError::new(source, text, e.offset(), message))
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
