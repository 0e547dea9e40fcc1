//! Who, what, when: decision records, search terms, and the site file that
//! says who a client is.
//!
//! The standard asks a filter to identify the user, the device and the time
//! of each attempt and to log it with the search term (STANDARD.md,
//! "Features a filter is expected to have" and "Monitoring"). Here:
//!
//! - [`DecisionRecord`]: one decision as one JSON line (JSON Lines), with a
//!   JSON Schema ([`record_json_schema`], `policies/schema/record.schema.json`)
//!   and a stable field list; [`read_records`] reads a log back.
//! - [`record`]: classify, decide and record one request for an
//!   [`Identity`], with [`RecordOptions`] to pseudonymise users
//!   ([`PseudonymKey`]) or leave client addresses out.
//! - [`search_terms`]: the terms of a search on Google, Bing, DuckDuckGo,
//!   Yahoo, YouTube, Ecosia and others.
//! - [`ProceedKey`], [`ProceedLink`], [`ProceedPasses`]: warn and proceed
//!   on a proxy (the warning page's proceed address and the one request it
//!   lets through, recorded as `proceeded`).
//! - [`site`]: the site file mapping IP ranges and user names to a policy,
//!   group, age and device; its linter; and the squidGuard `src` import.
//!
//! Reports read records; they never decide again.
//!
//! ```
//! use esafety::policy::{Action, AlertUrgency, Engine, Policy};
//! use esafety::record::{Identity, RecordOptions, record};
//!
//! let text =
//!     include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/policies/secondary-pupils.toml"));
//! let engine = Engine::new(esafety::sample::bundle()?, Policy::load("secondary-pupils.toml", text)?);
//! let pupil = Identity {
//!     site: Some("example-school"),
//!     client_ip: Some("10.1.2.3".parse()?),
//!     group: Some("pupils"),
//!     age: Some(14),
//!     ..Identity::default()
//! };
//! let time = "2026-03-02T10:00:00Z".parse()?;
//! let rec = record(&engine, "https://iwf-test.esafety.invalid/abuse/page-1.html", &pupil, time, &RecordOptions::new());
//! assert_eq!((rec.action, rec.rule.as_str()), (Action::Block, "baseline"));
//! // The digest id, never the URL or its host (DESIGN.md invariant 2).
//! assert!(rec.url.as_deref().is_some_and(|u| u.starts_with("sha256:")));
//! assert!(!rec.to_json_line().contains("iwf-test"));
//! assert_eq!(rec.alert.map(|a| a.urgency), Some(AlertUrgency::Immediately));
//! assert!(rec.incident.is_some());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod decision_record;
mod jsonl;
mod log_lines;
mod proceed;
mod pseudonym;
#[cfg(feature = "schema")]
mod schema;
mod search_terms;
#[cfg(feature = "toml")]
pub mod site;
mod time;

use std::net::IpAddr;

pub use decision_record::{DecisionRecord, ERROR_RULE, REDACTED_URL};
pub use jsonl::{ReadError, read_records};
pub use log_lines::{LogLine, LogLines, MAX_LOG_LINE_LEN};
pub use proceed::{
    MAX_PASSES, MIN_PROCEED_KEY_LEN, PASS_SECONDS, PROCEED_HOST, ProceedError, ProceedKey,
    ProceedLink, ProceedPasses,
};
pub use pseudonym::{KeyError, MIN_KEY_LEN, PSEUDONYM_PREFIX, PseudonymKey};
#[cfg(feature = "schema")]
pub use schema::record_json_schema;
#[cfg(all(feature = "schema", feature = "toml"))]
pub use schema::site_json_schema;
pub use search_terms::{MAX_TERMS_CHARS, SearchSite, SearchTerms, search_terms, search_terms_of};
pub use time::RecordTime;

use crate::classify::Classifier;
use crate::policy::{Context, DecisionReport, Device, Engine, Policy, Request};
use crate::url::{CanonicalUrl, UrlError};

/// Who made a request, as far as the caller knows: the site, the client's
/// address, the user name from the proxy's authentication, and the device,
/// group and age the site file (or the caller) gives them.
///
/// ```
/// use esafety::policy::Device;
/// use esafety::record::Identity;
///
/// let staff = Identity { user: Some("alice"), group: Some("staff"), age: Some(40), ..Identity::default() };
/// let context = staff.context("2026-03-02T10:00:00Z".parse()?);
/// assert_eq!((context.group, context.age, context.device), (Some("staff"), Some(40), None));
/// let pupil = Identity { device: Some(Device::Managed), ..staff };
/// assert_eq!(pupil.context("2026-03-02T10:00:00Z".parse()?).device, Some(Device::Managed));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Identity<'a> {
    /// The site's name (the site file's `site`).
    pub site: Option<&'a str>,
    /// The client's IP address.
    pub client_ip: Option<IpAddr>,
    /// The user name the proxy authenticated.
    pub user: Option<&'a str>,
    /// The kind of device.
    pub device: Option<Device>,
    /// The user's group.
    pub group: Option<&'a str>,
    /// The user's age in years.
    pub age: Option<u8>,
}

impl<'a> Identity<'a> {
    /// The policy context of this identity at `time`.
    ///
    /// ```
    /// use esafety::record::Identity;
    ///
    /// let context = Identity { group: Some("pupils"), ..Identity::default() }.context("2026-03-02T10:00:00Z".parse()?);
    /// assert_eq!(context.group, Some("pupils"));
    /// assert_eq!(context.time.to_string(), "2026-03-02T10:00:00Z");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn context(&self, time: jiff::Timestamp) -> Context<'a> {
        Context {
            group: self.group,
            age: self.age,
            device: self.device,
            time,
        }
    }
}

/// What a record keeps of the identity.
///
/// ```
/// use esafety::policy::{Engine, Policy};
/// use esafety::record::{Identity, PseudonymKey, RecordOptions, record};
///
/// let engine = Engine::new(esafety::sample::bundle()?, Policy::load("p.toml", "id = \"p\"\ndefault = \"allow\"")?);
/// let who = Identity { client_ip: Some("10.0.0.9".parse()?), user: Some("alice"), ..Identity::default() };
/// let options = RecordOptions::new()
///     .with_pseudonyms(PseudonymKey::new(&[42u8; 32])?)
///     .without_client_ip();
/// let rec = record(&engine, "https://www.bbc.co.uk/", &who, "2026-03-02T10:00:00Z".parse()?, &options);
/// assert_eq!(rec.client_ip, None);
/// assert!(rec.user.as_deref().is_some_and(|u| u.starts_with("pseudonym:")));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct RecordOptions {
    pseudonyms: Option<PseudonymKey>,
    client_ip: bool,
    #[cfg(feature = "content")]
    phrases: Option<crate::content::Scanner>,
}

impl Default for RecordOptions {
    fn default() -> Self {
        RecordOptions::new()
    }
}

impl RecordOptions {
    /// Keep everything: user names as given, client addresses.
    ///
    /// ```
    /// use esafety::record::RecordOptions;
    ///
    /// let options = RecordOptions::new();
    /// assert!(options.keeps_client_ip() && !options.pseudonymises_users());
    /// ```
    pub fn new() -> RecordOptions {
        RecordOptions {
            pseudonyms: None,
            client_ip: true,
            #[cfg(feature = "content")]
            phrases: None,
        }
    }

    /// Write users as keyed-hash pseudonyms ([`PseudonymKey::pseudonym`]).
    ///
    /// ```
    /// use esafety::record::{PseudonymKey, RecordOptions};
    ///
    /// let options = RecordOptions::new().with_pseudonyms(PseudonymKey::new(&[1u8; 16])?);
    /// assert!(options.pseudonymises_users());
    /// # Ok::<(), esafety::record::KeyError>(())
    /// ```
    pub fn with_pseudonyms(mut self, key: PseudonymKey) -> RecordOptions {
        self.pseudonyms = Some(key);
        self
    }

    /// Scores each request's search terms with `scanner` (e2guardian's
    /// phrase lists) before deciding, so that the policy's and its rules'
    /// `content_limit`s act on them; the record carries the score
    /// ([`DecisionRecord::content`]).
    ///
    /// ```
    /// use esafety::content::{ListKind, PhraseList, PhraseOptions, ScannerBuilder};
    /// use esafety::policy::{Action, Engine, Policy};
    /// use esafety::record::{Identity, RecordOptions, record};
    ///
    /// let list = PhraseList::parse("w", b"#listcategory: \"Gambling\"\n< poker ><60>\n", ListKind::Weighted, &PhraseOptions::new())?;
    /// let scanner = ScannerBuilder::new().add_list(list).build()?;
    /// let text = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/policies/primary-pupils.toml"));
    /// let engine = Engine::new(esafety::sample::bundle()?, Policy::load("primary-pupils.toml", text)?);
    /// let pupil = Identity { age: Some(8), ..Identity::default() };
    /// let options = RecordOptions::new().with_phrases(scanner);
    /// let time = "2026-03-02T10:00:00Z".parse()?;
    /// let rec = record(&engine, "https://www.google.com/search?q=poker+tips", &pupil, time, &options);
    /// assert_eq!((rec.action, rec.rule.as_str()), (Action::Block, "content"));
    /// assert_eq!(rec.search_terms.map(|s| s.terms).as_deref(), Some("poker tips"));
    /// assert_eq!((rec.content[0].score, rec.content[0].limit), (60, 50));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[cfg(feature = "content")]
    pub fn with_phrases(mut self, scanner: crate::content::Scanner) -> RecordOptions {
        self.phrases = Some(scanner);
        self
    }

    /// Leave client addresses out of records (`client_ip` is null).
    ///
    /// ```
    /// use esafety::record::RecordOptions;
    ///
    /// assert!(!RecordOptions::new().without_client_ip().keeps_client_ip());
    /// ```
    pub fn without_client_ip(mut self) -> RecordOptions {
        self.client_ip = false;
        self
    }

    /// Whether records keep client addresses.
    ///
    /// ```
    /// use esafety::record::RecordOptions;
    ///
    /// assert!(RecordOptions::default().keeps_client_ip());
    /// ```
    pub fn keeps_client_ip(&self) -> bool {
        self.client_ip
    }

    /// Whether records write users as pseudonyms.
    ///
    /// ```
    /// use esafety::record::RecordOptions;
    ///
    /// assert!(!RecordOptions::default().pseudonymises_users());
    /// ```
    pub fn pseudonymises_users(&self) -> bool {
        self.pseudonyms.is_some()
    }

    /// The `user` field for `user`.
    fn user_field(&self, user: &str) -> String {
        match &self.pseudonyms {
            Some(key) => key.pseudonym(user),
            None => user.to_owned(),
        }
    }
}

/// A request decided and recorded: the report the face answers with (or
/// why the URL could not be read; then the record is a fail-closed block)
/// and the record for the log.
///
/// ```
/// use esafety::policy::{Action, Engine, Policy};
/// use esafety::record::{Identity, RecordOptions, check};
///
/// let engine = Engine::new(esafety::sample::bundle()?, Policy::load("p.toml", "id = \"p\"\ndefault = \"allow\"")?);
/// let checked = check(&engine, "https://www.bbc.co.uk/", &Identity::default(), "2026-03-02T10:00:00Z".parse()?, &RecordOptions::new());
/// let report = checked.outcome?;
/// assert_eq!((report.action, checked.record.action), (Action::Allow, Action::Allow));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Checked {
    /// The `check --json` report, or the URL error (a face blocks on it).
    pub outcome: Result<DecisionReport, UrlError>,
    /// The decision record.
    pub record: DecisionRecord,
}

/// Canonicalizes, classifies and decides `input` for `identity` at `time`:
/// the report and the record. Never without a record: a URL that cannot be
/// read gives a blocked record with the rule `error` (fail closed).
///
/// ```
/// use esafety::policy::{Action, Engine, Policy};
/// use esafety::record::{Identity, RecordOptions, check};
///
/// let engine = Engine::new(esafety::sample::bundle()?, Policy::load("p.toml", "id = \"p\"\ndefault = \"allow\"")?);
/// let time = "2026-03-02T10:00:00Z".parse()?;
/// let checked = check(&engine, "mailto:head@school.example", &Identity::default(), time, &RecordOptions::new());
/// assert!(checked.outcome.is_err());
/// assert_eq!((checked.record.action, checked.record.rule.as_str()), (Action::Block, "error"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn check<B: AsRef<[u8]>>(
    engine: &Engine<B>,
    input: &str,
    identity: &Identity<'_>,
    time: jiff::Timestamp,
    options: &RecordOptions,
) -> Checked {
    check_with(
        engine.classifier(),
        engine.policy(),
        input,
        identity,
        time,
        options,
    )
}

/// [`check`] with a classifier and a policy apart: one bundle (classifier)
/// serving several policies, as a proxy for pupils and staff does.
///
/// ```
/// use esafety::classify::Classifier;
/// use esafety::policy::{Action, Policy};
/// use esafety::record::{Identity, RecordOptions, check_with};
///
/// let classifier = Classifier::new(esafety::sample::bundle()?);
/// let pupils = Policy::load("pupils.toml", "id = \"pupils\"\ndefault = \"allow\"\n[[rules]]\nid = \"no-games\"\naction = \"block\"\ncategories = [\"gaming\"]")?;
/// let staff = Policy::load("staff.toml", "id = \"staff\"\ndefault = \"allow\"")?;
/// let time = "2026-03-02T10:00:00Z".parse()?;
/// let options = RecordOptions::new();
/// let url = "https://www.roblox.com/";
/// let who = Identity::default();
/// assert_eq!(check_with(&classifier, &pupils, url, &who, time, &options).record.action, Action::Block);
/// assert_eq!(check_with(&classifier, &staff, url, &who, time, &options).record.action, Action::Allow);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn check_with<B: AsRef<[u8]>>(
    classifier: &Classifier<B>,
    policy: &Policy,
    input: &str,
    identity: &Identity<'_>,
    time: jiff::Timestamp,
    options: &RecordOptions,
) -> Checked {
    match CanonicalUrl::parse(input) {
        Ok(url) => {
            let classification = classifier.classify(&url);
            #[cfg(feature = "content")]
            let terms = options.phrases.as_ref().and_then(|scanner| {
                search_terms(input, &url).map(|t| scanner.scan_search_terms(&[t.terms.as_str()]))
            });
            #[cfg(feature = "content")]
            let content: Vec<&crate::content::ContentMatches> = terms.iter().collect();
            let request = Request {
                url: &url,
                group: identity.group,
                age: identity.age,
                device: identity.device,
                time,
                #[cfg(feature = "content")]
                content: &content,
            };
            let decision = policy.evaluate(&request, &classification);
            let record = DecisionRecord::of_decision(
                input,
                &url,
                &classification,
                &decision,
                policy,
                identity,
                time,
                options,
            );
            Checked {
                outcome: Ok(DecisionReport::new(input, url.as_str(), decision)),
                record,
            }
        }
        Err(e) => {
            let zone = policy.time_zone().time_zone();
            let mut record =
                DecisionRecord::unreadable(&e, identity, RecordTime::in_zone(time, zone), options);
            record.policy = Some(policy.id().to_owned());
            Checked {
                outcome: Err(e),
                record,
            }
        }
    }
}

/// The record of [`check`] alone.
///
/// ```
/// use esafety::policy::{Action, Engine, Policy};
/// use esafety::record::{Identity, RecordOptions, record};
///
/// let engine = Engine::new(esafety::sample::bundle()?, Policy::load("p.toml", "id = \"p\"\ndefault = \"allow\"")?);
/// let time = "2026-03-02T10:00:00Z".parse()?;
/// let rec = record(&engine, "mailto:head@school.example", &Identity::default(), time, &RecordOptions::new());
/// assert_eq!((rec.action, rec.rule.as_str()), (Action::Block, "error"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn record<B: AsRef<[u8]>>(
    engine: &Engine<B>,
    input: &str,
    identity: &Identity<'_>,
    time: jiff::Timestamp,
    options: &RecordOptions,
) -> DecisionRecord {
    check(engine, input, identity, time, options).record
}
