//! [`DecisionRecord`]: one line of the decision log.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};

use super::search_terms::{SearchTerms, search_terms};
use super::time::RecordTime;
use super::{Identity, RecordOptions};
use crate::classify::Classification;
use crate::incident::{BlockFacts, Incident, IncidentDraft};
use crate::policy::{Action, Alert, BASELINE, Decision, Device, Policy};
use crate::url::{CanonicalUrl, UrlError};

/// The rule name of a fail-closed decision: the request could not be read
/// (its URL cannot be canonicalized), so it is blocked.
///
/// ```
/// assert_eq!(esafety::record::ERROR_RULE, esafety::policy::ERROR);
/// ```
pub const ERROR_RULE: &str = crate::policy::ERROR;

/// What `url` holds in the record of a statutory match without a digest id
/// (a classification built by hand): never the URL.
///
/// ```
/// assert_eq!(esafety::record::REDACTED_URL, "redacted");
/// ```
pub const REDACTED_URL: &str = "redacted";

/// One decision, as the decision log keeps it: who (site, client, user,
/// device, group, age), what (the URL, its categories and lists, the search
/// terms), when (the time in the policy's zone), and why (action, rule,
/// reasons, alert). One JSON object per line ([`DecisionRecord::to_json_line`]).
///
/// The field list is stable (README, "Decision records"); fields may be
/// added, so the struct is `#[non_exhaustive]`: build one with
/// [`super::record`] or read one with [`DecisionRecord::from_json_line`].
///
/// For a `child-abuse` or `terrorism` match `url` is the digest id of the
/// entry (`sha256:…`), never the URL; `search_terms` and `reasons` carry
/// nothing of the URL either (DESIGN.md invariant 2).
///
/// ```
/// use esafety::policy::{Action, Engine, Policy};
/// use esafety::record::{DecisionRecord, Identity, RecordOptions, record};
///
/// let text =
///     include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/policies/secondary-pupils.toml"));
/// let engine = Engine::new(esafety::sample::bundle()?, Policy::load("secondary-pupils.toml", text)?);
/// let identity = Identity { user: Some("alice"), group: Some("pupils"), age: Some(14), ..Identity::default() };
/// let rec = record(&engine, "https://www.bet365.com/", &identity, "2026-03-02T10:00:00Z".parse()?, &RecordOptions::new());
/// assert_eq!((rec.action, rec.rule.as_str()), (Action::Block, "block-uksic"));
/// assert_eq!(rec.url.as_deref(), Some("https://www.bet365.com/"));
/// assert_eq!(rec.lists, ["sample-gambling"]);
/// let line = rec.to_json_line();
/// assert!(line.starts_with(r#"{"time":"2026-03-02T10:00:00+00:00","site":null,"client_ip":null,"user":"alice""#), "{line}");
/// assert_eq!(DecisionRecord::from_json_line(&line)?, rec);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
#[cfg_attr(feature = "schema", schemars(title = "esafety decision record"))]
pub struct DecisionRecord {
    /// When the request was decided: RFC 3339 with the UTC offset of the
    /// policy's time zone.
    pub time: RecordTime,
    /// The site (the site file's `site`), if known.
    pub site: Option<String>,
    /// The client's IP address; null when unknown or left out.
    pub client_ip: Option<IpAddr>,
    /// The user name from the proxy's authentication, or its pseudonym
    /// (`pseudonym:` + 32 hex digits) when records are pseudonymised.
    pub user: Option<String>,
    /// The kind of device (`managed`, `byod`), if known.
    pub device: Option<Device>,
    /// The user's group the policy was evaluated for.
    pub group: Option<String>,
    /// The user's age in years, if known.
    pub age: Option<u8>,
    /// The id of the policy that decided.
    pub policy: Option<String>,
    /// The canonical URL; for a `child-abuse` or `terrorism` match the
    /// digest id of the entry (`sha256:` + 16 hex digits) instead; null
    /// when the URL could not be read (rule `error`).
    pub url: Option<String>,
    /// The ids of the URL's categories.
    pub categories: Vec<String>,
    /// `block`, `warn`, `allow` or `monitor`.
    pub action: Action,
    /// The rule that decided: a rule id, `baseline`, `default` or `error`.
    pub rule: String,
    /// The names of the lists that matched, sorted, each once.
    pub lists: Vec<String>,
    /// The search terms, when the URL is a search on a known site (never for
    /// a statutory match).
    pub search_terms: Option<SearchTerms>,
    /// The content scores of the request, when its content was scanned
    /// (the search terms, the page text), each judged at the limit that
    /// applied: the score, the limit, whether it crossed it, and the
    /// phrases and categories behind it. A search whose terms crossed the
    /// limit is blocked, so it is among a report's flagged searches.
    // Without the `content` feature nothing is scanned and the list is
    // always empty: no code to write it (the WebAssembly extension build).
    #[cfg_attr(
        feature = "content",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    #[cfg_attr(not(feature = "content"), serde(default, skip_serializing))]
    pub content: Vec<crate::policy::ContentFinding>,
    /// The alert the decision raises, if any.
    pub alert: Option<Alert>,
    /// Why: the rule, and each list, category and expression behind it (for
    /// a statutory match the digest id, never the URL).
    pub reasons: Vec<String>,
    /// For a statutory block: the incident draft the incident model makes of
    /// it (`esafety incident` reads it), ready for the lead to assess.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<serde_json::Value>"))]
    pub incident: Option<Incident>,
    /// Why the request could not be read (rule `error`), without the
    /// request itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The user chose to continue past the warning of a `warn` decision
    /// (on a proxy: through the warning page's proceed address, see
    /// [`super::ProceedKey`]); the request went ahead. Written only when
    /// true.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub proceeded: bool,
}

impl DecisionRecord {
    /// The record as one line of JSON, without the line break.
    ///
    /// ```
    /// use esafety::policy::{Engine, Policy};
    /// use esafety::record::{Identity, RecordOptions, record};
    ///
    /// let engine = Engine::new(esafety::sample::bundle()?, Policy::load("p.toml", "id = \"p\"\ndefault = \"allow\"")?);
    /// let rec = record(&engine, "https://www.bbc.co.uk/", &Identity::default(), "2026-03-02T10:00:00Z".parse()?, &RecordOptions::new());
    /// let line = rec.to_json_line();
    /// assert!(!line.contains('\n'));
    /// assert!(line.contains(r#""url":"https://www.bbc.co.uk/","categories":[],"action":"allow","rule":"default""#), "{line}");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_json_line(&self) -> String {
        // Every field serializes infallibly (strings, numbers, enums with
        // string ids): the error arm cannot happen, and if it did the
        // line would say so rather than be lost.
        serde_json::to_string(self).unwrap_or_else(|e| {
            format!(
                "{{\"time\":\"{}\",\"action\":\"{}\",\"rule\":\"{}\",\"error\":\"the record could not be written: {}\"}}",
                self.time,
                self.action,
                ERROR_RULE,
                e.to_string().replace(['"', '\\'], "'")
            )
        })
    }

    /// Marks a `warn` record as one the user continued past (`proceeded`,
    /// with a reason saying so); whether it did. Any other action is left
    /// as it is: only a warning can be continued past, never a block.
    ///
    /// ```
    /// use esafety::policy::{Action, Engine, Policy};
    /// use esafety::record::{Identity, RecordOptions, record};
    ///
    /// let text = "id = \"p\"\ndefault = \"allow\"\n[[rules]]\nid = \"warn-games\"\naction = \"warn\"\ncategories = [\"gaming\"]";
    /// let engine = Engine::new(esafety::sample::bundle()?, Policy::load("p.toml", text)?);
    /// let time = "2026-03-02T10:00:00Z".parse()?;
    /// let mut warned = record(&engine, "https://www.roblox.com/", &Identity::default(), time, &RecordOptions::new());
    /// assert_eq!(warned.action, Action::Warn);
    /// assert!(warned.mark_proceeded());
    /// assert!(warned.to_json_line().ends_with(r#","proceeded":true}"#));
    /// let mut blocked = record(&engine, "https://www.bet365.com/", &Identity::default(), time, &RecordOptions::new());
    /// assert!(!blocked.mark_proceeded() && !blocked.proceeded);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn mark_proceeded(&mut self) -> bool {
        if self.action != Action::Warn {
            return false;
        }
        if !self.proceeded {
            self.proceeded = true;
            self.reasons
                .push("the user chose to continue past the warning".to_owned());
        }
        true
    }

    /// Reads one record back from its JSON line.
    ///
    /// ```
    /// use esafety::record::DecisionRecord;
    ///
    /// let line = r#"{"time":"2026-03-02T10:00:00+00:00","site":"school","client_ip":"10.0.0.7","user":null,
    ///   "device":"managed","group":"pupils","age":14,"policy":"secondary-pupils","url":"https://www.bet365.com/",
    ///   "categories":["gambling"],"action":"block","rule":"block-uksic","lists":["gambling"],
    ///   "search_terms":null,"alert":null,"reasons":[]}"#;
    /// let rec = DecisionRecord::from_json_line(line)?;
    /// assert_eq!(rec.client_ip, Some("10.0.0.7".parse()?));
    /// let err = DecisionRecord::from_json_line(r#"{"time":"yesterday"}"#).unwrap_err();
    /// assert!(err.to_string().contains("bad time `yesterday`"), "{err}");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// The `serde_json` error: not JSON, a missing or unknown field, a
    /// value of the wrong kind.
    pub fn from_json_line(line: &str) -> Result<DecisionRecord, serde_json::Error> {
        serde_json::from_str(line)
    }

    /// The identity fields of a record (site, client, user as options ask,
    /// device, group, age) at `time`, with the decision fields empty.
    fn who(identity: &Identity<'_>, time: RecordTime, options: &RecordOptions) -> DecisionRecord {
        DecisionRecord {
            time,
            site: identity.site.map(str::to_owned),
            client_ip: identity.client_ip.filter(|_| options.keeps_client_ip()),
            user: identity.user.map(|u| options.user_field(u)),
            device: identity.device,
            group: identity.group.map(str::to_owned),
            age: identity.age,
            policy: None,
            url: None,
            categories: Vec::new(),
            action: Action::Block,
            rule: ERROR_RULE.to_owned(),
            lists: Vec::new(),
            search_terms: None,
            content: Vec::new(),
            alert: None,
            reasons: Vec::new(),
            incident: None,
            error: None,
            proceeded: false,
        }
    }

    /// The record of a decision (see [`super::record`], which classifies and
    /// decides too).
    ///
    /// ```
    /// use esafety::CanonicalUrl;
    /// use esafety::policy::{Context, Engine, Policy};
    /// use esafety::record::{DecisionRecord, Identity, RecordOptions};
    ///
    /// let engine = Engine::new(esafety::sample::bundle()?, Policy::load("p.toml", "id = \"p\"\ndefault = \"allow\"")?);
    /// let input = "https://www.bing.com/search?q=volcano+facts";
    /// let url = CanonicalUrl::parse(input)?;
    /// let time = "2026-03-02T10:00:00Z".parse()?;
    /// let classification = engine.classifier().classify(&url);
    /// let decision = engine.policy().evaluate(&esafety::policy::Request::new(&url, time), &classification);
    /// let rec = DecisionRecord::of_decision(input, &url, &classification, &decision, engine.policy(),
    ///     &Identity::default(), time, &RecordOptions::new());
    /// assert_eq!(rec.search_terms.map(|s| s.terms).as_deref(), Some("volcano facts"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[expect(
        clippy::too_many_arguments,
        reason = "the record joins everything a decision was made from"
    )]
    pub fn of_decision(
        input: &str,
        url: &CanonicalUrl,
        classification: &Classification<'_>,
        decision: &Decision,
        policy: &Policy,
        identity: &Identity<'_>,
        time: jiff::Timestamp,
        options: &RecordOptions,
    ) -> DecisionRecord {
        let when = RecordTime::in_zone(time, policy.time_zone().time_zone());
        let mut rec = DecisionRecord::who(identity, when, options);
        rec.policy = Some(policy.id().to_owned());
        rec.categories = decision.categories.clone();
        rec.action = decision.action;
        rec.rule = decision.rule.clone();
        let mut lists: Vec<String> = classification
            .matches
            .iter()
            .map(|m| m.list.to_owned())
            .collect();
        lists.sort_unstable();
        lists.dedup();
        rec.lists = lists;
        rec.alert = decision.alert.clone();
        if classification.categories.has_statutory() {
            // DESIGN.md invariant 2: nothing of the URL, only the digest id.
            let facts = BlockFacts::from_classification(classification, time);
            rec.url = Some(
                facts
                    .as_ref()
                    .and_then(|f| f.digest_id)
                    .map_or_else(|| REDACTED_URL.to_owned(), str::to_owned),
            );
            rec.reasons = if decision.rule == BASELINE {
                decision.reasons.clone()
            } else {
                Vec::new()
            };
            rec.incident = facts.and_then(|f| statutory_incident(f, identity));
        } else {
            rec.url = Some(url.as_str().to_owned());
            rec.search_terms = search_terms(input, url);
            rec.content = decision.content.clone();
            rec.reasons = decision.reasons.clone();
        }
        rec
    }

    /// The record of a request whose URL could not be read: blocked (fail
    /// closed) under the rule `error`, with no URL and an error text that
    /// does not repeat the request.
    ///
    /// ```
    /// use esafety::CanonicalUrl;
    /// use esafety::policy::Action;
    /// use esafety::record::{DecisionRecord, Identity, RecordOptions, RecordTime};
    ///
    /// let err = CanonicalUrl::parse("http://host.123/").unwrap_err();
    /// let time = RecordTime::parse("2026-03-02T10:00:00+00:00")?;
    /// let rec = DecisionRecord::unreadable(&err, &Identity::default(), time, &RecordOptions::new());
    /// assert_eq!((rec.action, rec.rule.as_str(), rec.url), (Action::Block, "error", None));
    /// let error = rec.error.as_deref().unwrap_or_default();
    /// assert!(error.starts_with("the url could not be read: invalid host") && !error.contains("host.123"), "{error}");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn unreadable(
        error: &UrlError,
        identity: &Identity<'_>,
        time: RecordTime,
        options: &RecordOptions,
    ) -> DecisionRecord {
        let mut rec = DecisionRecord::who(identity, time, options);
        let text = format!("the url could not be read: {}", describe_url_error(error));
        rec.reasons = Decision::error(&text).reasons;
        rec.error = Some(text);
        rec
    }
}

/// The incident draft of a statutory block for the user in `identity`;
/// `None` only if even the draft without the user cannot be made.
fn statutory_incident(facts: BlockFacts<'_>, identity: &Identity<'_>) -> Option<Incident> {
    let with_user = BlockFacts {
        group: identity.group,
        age: identity.age,
        device: identity.device.map(Device::as_str),
        ..facts.clone()
    };
    IncidentDraft::from_block(&with_user)
        .or_else(|_| IncidentDraft::from_block(&facts))
        .ok()
}

/// A [`UrlError`] in words that never repeat the request (a host may be a
/// listed one).
fn describe_url_error(error: &UrlError) -> &'static str {
    match error {
        UrlError::Empty => "the request line has no url",
        UrlError::TooLong { .. } => "the url is over the length limit",
        UrlError::UnsupportedScheme { .. } => "unsupported scheme",
        UrlError::EmptyHost => "empty host",
        UrlError::InvalidHost { .. } => "invalid host",
        UrlError::BadIdn { .. } => "invalid internationalized host",
        UrlError::InvalidPort { .. } => "invalid port",
    }
}
