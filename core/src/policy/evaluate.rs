//! Evaluating a request against a policy: [`Request`] → [`Decision`].

use std::fmt::Write as _;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::alert::{Alert, AlertUrgency};
use super::content::ContentFinding;
use super::document::{Action, Device};
use super::safe_search::{SafeSearch, may_be_engine_host, safe_search};
use super::{CompiledRule, Policy};
use crate::classify::{Classification, Match};
#[cfg(feature = "content")]
use crate::content::ContentMatches;
use crate::taxonomy::{Category, CategorySet};
use crate::url::CanonicalUrl;

/// The rule name of a decision made by the statutory baseline.
///
/// ```
/// use esafety::classify::Classification;
/// use esafety::policy::{Action, BASELINE, Policy, Request};
/// use esafety::{CanonicalUrl, Category};
///
/// // A rule without conditions matches every request, but the baseline comes first.
/// let policy = Policy::load("open.toml", r#"
///     id = "open"
///     default = "allow"
///     [[rules]]
///     id = "allow-everything"
///     action = "allow"
/// "#)?;
/// let url = CanonicalUrl::parse("https://unlawful.example/")?;
/// let categories = [Category::Terrorism].into_iter().collect();
/// let class = Classification { categories, matches: vec![] };
/// let decision = policy.evaluate(&Request::new(&url, "2026-03-02T10:00:00Z".parse()?), &class);
/// assert_eq!((decision.action, decision.rule.as_str()), (Action::Block, BASELINE));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub const BASELINE: &str = "baseline";
/// The rule name of a decision made by the policy default.
///
/// ```
/// use esafety::policy::{Action, Context, DEFAULT, Engine, Policy};
///
/// let text =
///     include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/policies/secondary-pupils.toml"));
/// let policy = Policy::load("secondary-pupils.toml", text)?;
/// let engine = Engine::new(esafety::sample::bundle()?, policy);
/// let context = Context::at("2026-03-02T10:00:00Z".parse()?);
/// let report = engine.check("https://www.bbc.co.uk/bitesize", context)?;
/// assert_eq!((report.action, report.rule.as_str()), (Action::Allow, DEFAULT));
/// assert_eq!(report.reasons, ["no rule matched; the policy default `allow` applies"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub const DEFAULT: &str = "default";

/// The IWF's recommended block-page wording (STANDARD.md, "IWF URL list facts").
///
/// Every `child-abuse` decision carries it as its message, whatever the
/// policy's own block messages say.
///
/// ```
/// use esafety::classify::Classification;
/// use esafety::policy::{IWF_BLOCK_MESSAGE, Policy, Request};
/// use esafety::{CanonicalUrl, Category};
///
/// let text = "id = \"p\"\ndefault = \"block\"\ndefault_message = \"Blocked.\"";
/// let policy = Policy::load("p.toml", text)?;
/// let url = CanonicalUrl::parse("https://images.example/")?;
/// let categories = [Category::ChildAbuse].into_iter().collect();
/// let class = Classification { categories, matches: vec![] };
/// let decision = policy.evaluate(&Request::new(&url, "2026-03-02T10:00:00Z".parse()?), &class);
/// assert_eq!(decision.message.as_deref(), Some(IWF_BLOCK_MESSAGE));
/// assert!(IWF_BLOCK_MESSAGE.contains("Internet Watch Foundation"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub const IWF_BLOCK_MESSAGE: &str = "Access has been denied by your internet access provider because this page may \
contain indecent images of children as identified by the Internet Watch Foundation.";

/// The block-page wording for the police-assessed terrorism list.
///
/// ```
/// use esafety::classify::Classification;
/// use esafety::policy::{Policy, Request, TERRORISM_BLOCK_MESSAGE};
/// use esafety::{CanonicalUrl, Category};
///
/// let policy = Policy::load("p.toml", "id = \"p\"\ndefault = \"allow\"")?;
/// let url = CanonicalUrl::parse("https://video.example/")?;
/// let categories = [Category::Terrorism].into_iter().collect();
/// let class = Classification { categories, matches: vec![] };
/// let decision = policy.evaluate(&Request::new(&url, "2026-03-02T10:00:00Z".parse()?), &class);
/// assert_eq!(decision.message.as_deref(), Some(TERRORISM_BLOCK_MESSAGE));
/// let reason = "statutory baseline: `terrorism` is always blocked for every audience";
/// assert_eq!(decision.reasons, [reason]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub const TERRORISM_BLOCK_MESSAGE: &str = "Access has been denied because this page is on the police-assessed list \
of unlawful terrorist content.";

/// Who is asking for what, where, when: everything [`Policy::evaluate`]
/// needs besides the classification. The time is an argument; the core never
/// reads the clock (DESIGN.md invariant 5).
///
/// ```
/// use esafety::classify::Classifier;
/// use esafety::policy::{Action, Device, Policy, Request};
/// use esafety::CanonicalUrl;
///
/// let text =
///     include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/policies/secondary-pupils.toml"));
/// let policy = Policy::load("secondary-pupils.toml", text)?;
/// let classifier = Classifier::new(esafety::sample::bundle()?);
/// let url = CanonicalUrl::parse("https://www.youtube.com/watch?v=abc")?;
/// let request = Request::new(&url, "2026-03-02T10:00:00Z".parse()?).age(15).device(Device::Byod);
/// let decision = policy.evaluate(&request, &classifier.classify(&url));
/// assert_eq!(decision.action, Action::Monitor);
/// assert_eq!(decision.rule, "monitor-streaming-byod");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// The canonical URL.
    pub url: &'a CanonicalUrl,
    /// The user's group (e.g. `pupils`, `staff`, `year-7`), if known.
    /// Matched against a rule's `groups` ignoring ASCII case and
    /// surrounding whitespace: a directory that spells it `Pupils` is the
    /// policy's `pupils` (identifiers in a policy are lowercase), not a
    /// group no rule names.
    pub group: Option<&'a str>,
    /// The user's age in years, if known.
    pub age: Option<u8>,
    /// The kind of device, if known.
    pub device: Option<Device>,
    /// When the request was made.
    pub time: Timestamp,
    /// The request's content, scanned: the page's text
    /// ([`Scanner::scan`](crate::content::Scanner::scan)), its search terms
    /// ([`Scanner::scan_search_terms`](crate::content::Scanner::scan_search_terms)),
    /// or both. Empty when nothing was scanned: then no content limit
    /// applies.
    #[cfg(feature = "content")]
    pub content: &'a [&'a ContentMatches],
}

impl<'a> Request<'a> {
    /// A request for `url` at `time` with no user group, age or device.
    ///
    /// ```
    /// use esafety::policy::Request;
    /// use esafety::CanonicalUrl;
    ///
    /// let url = CanonicalUrl::parse("www.bbc.co.uk/bitesize")?;
    /// let request = Request::new(&url, "2026-03-02T10:00:00Z".parse()?);
    /// assert_eq!(request.url.as_str(), "http://www.bbc.co.uk/bitesize");
    /// assert!(request.group.is_none() && request.age.is_none() && request.device.is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(url: &'a CanonicalUrl, time: Timestamp) -> Request<'a> {
        Request {
            url,
            group: None,
            age: None,
            device: None,
            time,
            #[cfg(feature = "content")]
            content: &[],
        }
    }

    /// Sets the user group.
    ///
    /// ```
    /// use esafety::classify::Classifier;
    /// use esafety::policy::{Action, Policy, Request};
    /// use esafety::CanonicalUrl;
    ///
    /// let policy = Policy::load("p.toml", r#"
    ///     id = "school"
    ///     default = "allow"
    ///     [[rules]]
    ///     id = "staff-streaming"
    ///     action = "allow"
    ///     categories = ["streaming"]
    ///     groups = ["staff"]
    ///     [[rules]]
    ///     id = "block-streaming"
    ///     action = "block"
    ///     categories = ["streaming"]
    /// "#)?;
    /// let classifier = Classifier::new(esafety::sample::bundle()?);
    /// let url = CanonicalUrl::parse("https://www.youtube.com/")?;
    /// let class = classifier.classify(&url);
    /// let request = Request::new(&url, "2026-03-02T10:00:00Z".parse()?);
    /// assert_eq!(policy.evaluate(&request.group("staff"), &class).rule, "staff-streaming");
    /// assert_eq!(policy.evaluate(&request.group("year-8"), &class).action, Action::Block);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn group(mut self, group: &'a str) -> Request<'a> {
        self.group = Some(group);
        self
    }

    /// Sets the user's age in years.
    ///
    /// ```
    /// use esafety::classify::Classifier;
    /// use esafety::policy::{Action, Policy, Request};
    /// use esafety::CanonicalUrl;
    ///
    /// let text =
    ///     include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/policies/secondary-pupils.toml"));
    /// let policy = Policy::load("secondary-pupils.toml", text)?;
    /// let classifier = Classifier::new(esafety::sample::bundle()?);
    /// let url = CanonicalUrl::parse("https://www.instagram.com/")?;
    /// let class = classifier.classify(&url);
    /// let request = Request::new(&url, "2026-03-02T16:30:00Z".parse()?); // after school
    /// assert_eq!(policy.evaluate(&request.age(12), &class).rule, "block-social-under-13");
    /// assert_eq!(policy.evaluate(&request.age(14), &class).action, Action::Monitor);
    /// // Without an age, no age rule matches.
    /// assert_eq!(policy.evaluate(&request, &class).rule, "block-social-age-unknown");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn age(mut self, age: u8) -> Request<'a> {
        self.age = Some(age);
        self
    }

    /// Sets the device kind.
    ///
    /// ```
    /// use esafety::classify::Classifier;
    /// use esafety::policy::{Action, Device, Policy, Request};
    /// use esafety::CanonicalUrl;
    ///
    /// let text =
    ///     include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/policies/secondary-pupils.toml"));
    /// let policy = Policy::load("secondary-pupils.toml", text)?;
    /// let classifier = Classifier::new(esafety::sample::bundle()?);
    /// let url = CanonicalUrl::parse("https://www.netflix.com/")?;
    /// let class = classifier.classify(&url);
    /// let request = Request::new(&url, "2026-03-02T10:00:00Z".parse()?);
    /// assert_eq!(policy.evaluate(&request.device(Device::Byod), &class).action, Action::Monitor);
    /// assert_eq!(policy.evaluate(&request.device(Device::Managed), &class).action, Action::Allow);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn device(mut self, device: Device) -> Request<'a> {
        self.device = Some(device);
        self
    }

    /// Sets the request's scanned content (page text, search terms), for
    /// the policy's and its rules' `content_limit`s.
    ///
    /// ```
    /// use esafety::classify::Classification;
    /// use esafety::content::{ListKind, PhraseList, PhraseOptions, ScannerBuilder};
    /// use esafety::policy::{Action, CONTENT, Policy, Request};
    /// use esafety::CanonicalUrl;
    ///
    /// let list = PhraseList::parse("w", b"#listcategory: \"Gambling\"\n< poker ><60>\n", ListKind::Weighted, &PhraseOptions::new())?;
    /// let scanner = ScannerBuilder::new().add_list(list).build()?;
    /// let policy = Policy::load("p.toml", "id = \"p\"\ndefault = \"allow\"\ncontent_limit = \"by-age\"\n")?;
    /// let url = CanonicalUrl::parse("https://cards.example/")?;
    /// let page = scanner.scan(b"<p>poker night</p>");
    /// let content = [&page];
    /// let request = Request::new(&url, "2026-03-02T10:00:00Z".parse()?).content(&content);
    /// let none = Classification::default();
    /// // 60 points: over the young children's 50, within the older children's 100.
    /// let child = policy.evaluate(&request.age(9), &none);
    /// assert_eq!((child.action, child.rule.as_str()), (Action::Block, CONTENT));
    /// assert_eq!(child.content[0].score, 60);
    /// assert_eq!(child.content[0].categories.get("gambling"), Some(&60));
    /// assert!(child.reasons[1].contains("`< poker >` +60 (gambling)"), "{:?}", child.reasons);
    /// let teen = policy.evaluate(&request.age(13), &none);
    /// assert_eq!(teen.action, Action::Allow);
    /// assert_eq!((teen.content[0].limit, teen.content[0].crossed), (100, false));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[cfg(feature = "content")]
    pub fn content(mut self, content: &'a [&'a ContentMatches]) -> Request<'a> {
        self.content = content;
        self
    }
}

/// What decided a request.
///
/// ```
/// use esafety::policy::{Context, DecidedBy, Engine, Policy};
/// use esafety::CanonicalUrl;
///
/// let text =
///     include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/policies/secondary-pupils.toml"));
/// let policy = Policy::load("secondary-pupils.toml", text)?;
/// let engine = Engine::new(esafety::sample::bundle()?, policy);
/// let context = Context::at("2026-03-02T10:00:00Z".parse()?);
/// let decision = engine.decide(&CanonicalUrl::parse("https://www.bet365.com/")?, context);
/// assert_eq!(decision.decided_by, DecidedBy::Rule(0));
/// assert_eq!(engine.policy().rules()[0].id(), decision.rule);
/// let decision = engine.decide(&CanonicalUrl::parse("https://www.bbc.co.uk/news")?, context);
/// assert_eq!(decision.decided_by, DecidedBy::Default);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DecidedBy {
    /// The statutory baseline (`child-abuse`, `terrorism`).
    Baseline,
    /// The rule at this index of [`Policy::rules`].
    Rule(usize),
    /// The policy default.
    Default,
    /// The policy's own `content_limit`: the request's content crossed it
    /// (rule [`super::CONTENT`]).
    Content,
    /// Nothing: the request could not be decided and is blocked
    /// ([`Decision::error`], rule [`super::ERROR`]).
    Error,
}

/// The outcome of [`Policy::evaluate`]; it explains itself (DESIGN.md
/// invariant 3).
///
/// ```
/// use esafety::policy::{Action, Context, Engine, Policy};
/// use esafety::CanonicalUrl;
///
/// let text =
///     include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/policies/secondary-pupils.toml"));
/// let policy = Policy::load("secondary-pupils.toml", text)?;
/// let engine = Engine::new(esafety::sample::bundle()?, policy);
/// let url = CanonicalUrl::parse("https://www.bet365.com/")?;
/// let decision = engine.decide(&url, Context::at("2026-03-02T10:00:00Z".parse()?));
/// assert_eq!((decision.action, decision.rule.as_str()), (Action::Block, "block-uksic"));
/// assert_eq!(decision.categories, ["gambling"]);
/// assert!(decision.log && !decision.review);
/// let reason = "category `gambling` from list `sample-gambling` matched `bet365.com/`";
/// assert_eq!(decision.reasons[1], reason);
/// assert!(decision.message.is_some_and(|m| m.starts_with("This page is blocked")));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    /// What to do.
    pub action: Action,
    /// The id of the rule that decided, or `baseline` or `default`.
    pub rule: String,
    /// What decided, structurally. Not in the JSON form, where `rule`
    /// says the same by id (a rule index means nothing without the
    /// policy): a decision read back from JSON has [`DecidedBy::Default`]
    /// here, so compare such decisions without this field.
    #[serde(skip, default = "default_decided_by")]
    pub decided_by: DecidedBy,
    /// The ids of the URL's categories, built-in ones first in bit order.
    pub categories: Vec<String>,
    /// Whether the decision must be logged (every block, warn and monitor,
    /// and allows from rules with `log = true`).
    pub log: bool,
    /// Whether the visit is flagged for review (`monitor`).
    pub review: bool,
    /// Why: the rule, and each list, category and expression behind it.
    pub reasons: Vec<String>,
    /// The text for the block or warning page, if the policy gives one.
    pub message: Option<String>,
    /// The safe-search form of the URL, when the policy enforces safe
    /// search and the request is not blocked.
    pub safe_search: Option<SafeSearch>,
    /// The alert this decision raises: every statutory block, and the
    /// decisions of rules with `alert`. A decision that alerts is logged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alert: Option<Alert>,
    /// The request's content scores, one per text scanned (page, search
    /// terms), judged at the limit that decided (a rule's or the policy's
    /// `content_limit`), else at the policy's limit, else at the request's
    /// age band ([`ContentLimitSetting::for_age`](super::ContentLimitSetting::for_age)).
    /// Empty when no content was scanned.
    // Without the `content` feature nothing is scanned and the list is
    // always empty: no code to write it (the WebAssembly extension build).
    #[cfg_attr(
        feature = "content",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    #[cfg_attr(not(feature = "content"), serde(default, skip_serializing))]
    pub content: Vec<ContentFinding>,
}

fn default_decided_by() -> DecidedBy {
    DecidedBy::Default
}

/// The id of every category in a classification, in bit order.
pub(crate) fn category_ids(c: &Classification<'_>) -> Vec<String> {
    c.categories
        .iter()
        .map(|cat| match cat.builtin_id() {
            Some(id) => id.to_owned(),
            None => c
                .matches
                .iter()
                .find(|m| m.category == cat)
                .map_or_else(|| cat.to_string(), |m| m.category_id.to_owned()),
        })
        .collect()
}

/// Whether a request's group is a rule's `group` (a lowercase identifier):
/// directories and sign-in systems spell group names their own way, and a
/// group that matched no rule would silently fall through to the default.
fn same_group(rule_group: &str, request_group: &str) -> bool {
    rule_group.eq_ignore_ascii_case(request_group.trim())
}

fn describe(m: &Match<'_>) -> String {
    format!(
        "category `{}` from list `{}` matched `{}`",
        m.category_id, m.list, m.expression
    )
}

/// The local time of a request in the policy time zone, computed once.
pub(super) struct Clock {
    day_bit: u8,
    minute: u16,
}

impl Policy {
    /// Decides what `request` may do with a URL classified as
    /// `classification`.
    ///
    /// The statutory baseline comes first: a `child-abuse` or `terrorism`
    /// category always blocks. Then the first rule whose conditions all hold
    /// decides; if none does, the policy default. Total and deterministic:
    /// the same inputs give the same decision.
    ///
    /// ```
    /// use esafety::classify::{Classification, Match};
    /// use esafety::policy::{Action, Policy, Request};
    /// use esafety::url::CanonicalUrl;
    /// use esafety::Category;
    ///
    /// let policy = Policy::from_toml_str("example.toml", r#"
    ///     id = "example"
    ///     default = "allow"
    ///     [[rules]]
    ///     id = "no-gambling"
    ///     action = "block"
    ///     categories = ["gambling"]
    /// "#)?;
    /// let url = CanonicalUrl::parse("http://bet.example/")?;
    /// let classification = Classification {
    ///     categories: [Category::Gambling].into_iter().collect(),
    ///     matches: vec![Match {
    ///         list: "gambling",
    ///         category: Category::Gambling,
    ///         category_id: "gambling",
    ///         expression: "bet.example/".to_owned(),
    ///     }],
    /// };
    /// let time = "2026-03-02T10:00:00Z".parse()?;
    /// let decision = policy.evaluate(&Request::new(&url, time), &classification);
    /// assert_eq!(decision.action, Action::Block);
    /// assert_eq!(decision.rule, "no-gambling");
    /// assert_eq!(decision.categories, ["gambling"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn evaluate(&self, request: &Request<'_>, classification: &Classification<'_>) -> Decision {
        let categories = category_ids(classification);
        if classification.categories.has_statutory() {
            return self.baseline(classification, categories);
        }
        let content = self.policy_content(request);
        // Without the `content` feature nothing is scanned (and no policy
        // with a content limit loads): the content block is left out of
        // such a build (the WebAssembly extension build's size).
        if cfg!(feature = "content")
            && self.parts.doc.content_limit.is_some()
            && content.iter().any(|f| f.crossed)
        {
            return self.content_block(request, classification, categories, content);
        }
        let mut clock = None;
        for (index, rule) in self.parts.rules.iter().enumerate() {
            if self.rule_matches(rule, request, classification, &mut clock) {
                return self.decide_by_rule(
                    index,
                    rule,
                    request,
                    classification,
                    categories,
                    content,
                );
            }
        }
        let action = self.parts.doc.default;
        let mut reasons = Vec::with_capacity(1 + classification.matches.len());
        reasons.push(self.parts.default_reason.clone());
        reasons.extend(classification.matches.iter().map(describe));
        self.finish(
            action,
            DEFAULT.to_owned(),
            DecidedBy::Default,
            categories,
            action.must_log(),
            reasons,
            self.parts.doc.default_message.clone(),
            None,
            request,
        )
        .with_content(content)
    }

    /// The request's content judged at the policy's `content_limit`, or,
    /// in a policy without one, at the request's age band.
    fn policy_content(&self, request: &Request<'_>) -> Vec<ContentFinding> {
        #[cfg(feature = "content")]
        {
            let doc = &self.parts.doc;
            let setting = doc
                .content_limit
                .unwrap_or(super::ContentLimitSetting::ByAge);
            self.judge_content(request, setting)
        }
        #[cfg(not(feature = "content"))]
        {
            let _ = request;
            Vec::new()
        }
    }

    /// The request's content judged at `setting` for the request's age.
    #[cfg(feature = "content")]
    fn judge_content(
        &self,
        request: &Request<'_>,
        setting: super::ContentLimitSetting,
    ) -> Vec<ContentFinding> {
        let limit = setting.limit(request.age, self.parts.doc.age).points();
        request
            .content
            .iter()
            .map(|m| super::content::judge(m, limit))
            .collect()
    }

    /// The decision of the policy's own `content_limit`: only called when
    /// the policy has one and some content crossed it.
    fn content_block(
        &self,
        request: &Request<'_>,
        classification: &Classification<'_>,
        categories: Vec<String>,
        content: Vec<ContentFinding>,
    ) -> Decision {
        let doc = &self.parts.doc;
        let limit = doc.content_limit.map(|s| s.to_string()).unwrap_or_default();
        let mut reasons = vec![format!(
            "the policy's content limit `{limit}` blocks content that crosses it"
        )];
        reasons.extend(
            content
                .iter()
                .filter(|f| f.crossed)
                .map(|f| f.explanation.clone()),
        );
        reasons.extend(classification.matches.iter().map(describe));
        let message = doc
            .content_message
            .clone()
            .unwrap_or_else(|| super::CONTENT_BLOCK_MESSAGE.to_owned());
        self.finish(
            Action::Block,
            super::CONTENT.to_owned(),
            DecidedBy::Content,
            categories,
            true,
            reasons,
            Some(message),
            None,
            request,
        )
        .with_content(content)
    }

    fn baseline(&self, classification: &Classification<'_>, categories: Vec<String>) -> Decision {
        let mut reasons = Vec::new();
        for m in classification
            .matches
            .iter()
            .filter(|m| m.category.is_statutory())
        {
            reasons.push(format!(
                "statutory baseline: `{}` is always blocked for every audience; list `{}` matched `{}`",
                m.category_id, m.list, m.expression
            ));
        }
        if reasons.is_empty() {
            // A classification built by hand may carry the category without a match.
            for c in classification
                .categories
                .iter()
                .filter(|c| c.is_statutory())
            {
                reasons.push(format!(
                    "statutory baseline: `{c}` is always blocked for every audience"
                ));
            }
        }
        let (message, statutory) = if classification.categories.contains(Category::ChildAbuse) {
            (IWF_BLOCK_MESSAGE, "child-abuse")
        } else {
            (TERRORISM_BLOCK_MESSAGE, "terrorism")
        };
        let alert = Alert {
            urgency: AlertUrgency::Immediately,
            reason: format!(
                "statutory block on `{statutory}`: tell the designated safeguarding lead now; \
                 do not open, copy or forward the page"
            ),
        };
        Decision {
            action: Action::Block,
            rule: BASELINE.to_owned(),
            decided_by: DecidedBy::Baseline,
            categories,
            log: true,
            review: false,
            reasons,
            message: Some(message.to_owned()),
            safe_search: None,
            alert: Some(alert),
            content: Vec::new(),
        }
    }

    /// Whether every condition of `rule` holds for `req` classified as
    /// `class` (also the basis of [`Policy::possible_actions`]).
    pub(super) fn rule_matches(
        &self,
        rule: &CompiledRule,
        req: &Request<'_>,
        class: &Classification<'_>,
        clock: &mut Option<Clock>,
    ) -> bool {
        if let Some(cats) = &rule.categories {
            let builtin_hit = !class.categories.intersection(&cats.builtin).is_empty();
            let local_hit = !cats.local.is_empty()
                && class
                    .matches
                    .iter()
                    .any(|m| cats.local.iter().any(|l| l == m.category_id));
            if !(builtin_hit || local_hit) {
                return false;
            }
        }
        if let Some(lists) = &rule.lists
            && !class
                .matches
                .iter()
                .any(|m| lists.iter().any(|l| l == m.list))
        {
            return false;
        }
        if let Some(groups) = &rule.groups {
            match req.group {
                Some(g) if groups.iter().any(|x| same_group(x, g)) => {}
                _ => return false,
            }
        }
        if let Some(range) = rule.age {
            match req.age {
                Some(a) if range.contains(a) => {}
                _ => return false,
            }
        }
        if let Some(device) = rule.device
            && req.device != Some(device)
        {
            return false;
        }
        if rule.days.is_some() || rule.times.is_some() {
            let now = clock.get_or_insert_with(|| {
                let dt = self.parts.tz.time_zone().to_datetime(req.time);
                let minute =
                    u16::try_from(i32::from(dt.hour()) * 60 + i32::from(dt.minute())).unwrap_or(0);
                Clock {
                    day_bit: super::time::Day::of(dt.weekday()).bit(),
                    minute,
                }
            });
            if let Some(days) = rule.days
                && days & now.day_bit == 0
            {
                return false;
            }
            if let Some(times) = &rule.times
                && !times.iter().any(|w| w.contains(now.minute))
            {
                return false;
            }
        }
        if let Some(setting) = rule.content_limit {
            return self.content_crosses(req, setting);
        }
        true
    }

    /// Whether some of the request's content crosses `setting` (none was
    /// scanned: no).
    fn content_crosses(&self, req: &Request<'_>, setting: super::ContentLimitSetting) -> bool {
        #[cfg(feature = "content")]
        {
            let limit = setting.limit(req.age, self.parts.doc.age).points();
            req.content.iter().any(|m| m.judge(limit).blocks())
        }
        #[cfg(not(feature = "content"))]
        {
            // No such rule loads in this build (`ContentLimitSetting`).
            let _ = (req, setting);
            false
        }
    }

    fn decide_by_rule(
        &self,
        index: usize,
        rule: &CompiledRule,
        request: &Request<'_>,
        class: &Classification<'_>,
        categories: Vec<String>,
        policy_content: Vec<ContentFinding>,
    ) -> Decision {
        let doc = rule.rule.doc();
        let mut first = format!("rule `{}` ({}) matched", doc.id, doc.action);
        let mut conditions = Vec::new();
        if let Some(g) = request.group.filter(|_| rule.groups.is_some()) {
            conditions.push(format!("group `{g}`"));
        }
        if let (Some(a), Some(r)) = (request.age, rule.age) {
            conditions.push(format!("age {a} in {r}"));
        }
        if let Some(d) = rule.device {
            conditions.push(format!("device `{}`", d.as_str()));
        }
        if rule.days.is_some() || rule.times.is_some() {
            conditions.push(format!("time in {}", self.parts.tz.name()));
        }
        if let Some(l) = rule.content_limit {
            conditions.push(format!("content over `{l}`"));
        }
        if !conditions.is_empty() {
            let _ = write!(first, " for {}", conditions.join(", "));
        }
        if let Some(d) = &doc.description {
            let _ = write!(first, ": {d}");
        }
        let mut reasons = Vec::with_capacity(1 + class.matches.len());
        reasons.push(first);
        let relevant = |m: &&Match<'_>| {
            let by_cat = rule.categories.as_ref().is_none_or(|c| {
                (m.category.bit() < 32 && c.builtin.contains(m.category))
                    || c.local.iter().any(|l| l == m.category_id)
            });
            let by_list = rule
                .lists
                .as_ref()
                .is_none_or(|ls| ls.iter().any(|l| l == m.list));
            by_cat && by_list
        };
        reasons.extend(class.matches.iter().filter(relevant).map(describe));
        let content = match rule.content_limit {
            #[cfg(feature = "content")]
            Some(setting) => {
                let judged = self.judge_content(request, setting);
                reasons.extend(
                    judged
                        .iter()
                        .filter(|f| f.crossed)
                        .map(|f| f.explanation.clone()),
                );
                judged
            }
            _ => policy_content,
        };
        if class.matches.is_empty() && rule.content_limit.is_none() {
            reasons.push("the URL is on no list".to_owned());
        }
        let alert = doc.alert.map(|urgency| Alert {
            urgency,
            reason: format!("rule `{}` asks for a {urgency} alert", doc.id),
        });
        self.finish(
            doc.action,
            doc.id.as_str().to_owned(),
            DecidedBy::Rule(index),
            categories,
            doc.action.must_log() || doc.log || alert.is_some(),
            reasons,
            doc.message.clone(),
            alert,
            request,
        )
        .with_content(content)
    }

    #[expect(
        clippy::too_many_arguments,
        reason = "one private constructor for every decision"
    )]
    fn finish(
        &self,
        action: Action,
        rule: String,
        decided_by: DecidedBy,
        categories: Vec<String>,
        log: bool,
        mut reasons: Vec<String>,
        message: Option<String>,
        alert: Option<Alert>,
        request: &Request<'_>,
    ) -> Decision {
        let safe = if self.parts.doc.safe_search
            && action != Action::Block
            && may_be_engine_host(request.url.host())
        {
            safe_search(request.url.as_str())
        } else {
            None
        };
        if let Some(s) = &safe {
            reasons.push(format!(
                "safe search enforced for {}: use `{}`",
                s.engine.as_str(),
                s.url
            ));
        }
        Decision {
            action,
            rule,
            decided_by,
            categories,
            log,
            review: action == Action::Monitor,
            reasons,
            message,
            safe_search: safe,
            alert,
            content: Vec::new(),
        }
    }
}

impl Decision {
    fn with_content(mut self, content: Vec<ContentFinding>) -> Decision {
        self.content = content;
        self
    }
}

/// The built-in part of a category condition, and its local ids.
#[derive(Debug, Clone)]
pub(crate) struct CategoryCondition {
    pub(crate) builtin: CategorySet,
    pub(crate) local: Vec<String>,
}
