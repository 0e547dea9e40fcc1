//! A bundle and a policy as Chromium declarativeNetRequest (DNR) rules.
//!
//! An extension installed by policy decides every request itself, with a
//! blocking `webRequest` listener and the engine. One installed without
//! policy has no blocking listener in Manifest V3; what it can do before a
//! request is sent is give the browser DNR rules. [`rules`] writes them for
//! one user (group, age, device) at one time:
//!
//! - A bundle key becomes a `block` rule only when the policy blocks
//!   **every** URL that matches it, whatever other lists that URL is also
//!   on ([`Policy`]'s conditions are monotone, so one walk over its rules
//!   bounds the decision of every such URL). Domain entries become
//!   `requestDomains` lists (many hosts per rule), URL and prefix entries
//!   `urlFilter`s with the same matching rules as the classifier, regex
//!   entries `regexFilter`s where RE2 reads the pattern alike.
//! - Allow amendments become `allow` rules of a higher priority, when the
//!   policy does not block a URL that is on no list.
//! - A policy that blocks URLs on no list (a "default block" policy) gets
//!   one rule blocking everything, and `allow` rules above it for the keys
//!   every URL of which it allows.
//! - Sensitive lists (`child-abuse`, `terrorism`) are never written: the
//!   bundle holds only their digests, and a rule would need the address.
//!   Keys whose decision is a warning, depends on other lists, or is not
//!   expressible are left to the engine too, and [`DnrExport::coverage`]
//!   and [`DnrExport::not_covered`] say so list by list.
//!
//! Rules hold for the time given until [`DnrExport::valid_until`], the
//! next minute a rule's day or time window opens or closes; the extension
//! writes them again then.
//!
//! ```
//! use esafety::export::dnr::{self, ActionType, Coverage, DnrOptions};
//! use esafety::policy::{Context, Device, Engine, Policy};
//!
//! let text = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/policies/secondary-pupils.toml"));
//! let engine = Engine::new(esafety::sample::bundle()?, Policy::load("secondary-pupils.toml", text)?);
//! let context = Context { group: Some("pupils"), age: Some(14), device: Some(Device::Managed), ..Context::at("2026-03-02T10:00:00Z".parse()?) };
//! let export = dnr::rules(&engine, context, &DnrOptions::default())?;
//! // Gambling is blocked for every pupil: its hosts are in a block rule.
//! let blocked = export.rules.iter().filter(|r| r.action.kind == ActionType::Block);
//! assert!(blocked.flat_map(|r| r.condition.request_domains.iter().flatten()).any(|d| d == "bet365.com"));
//! // The IWF list is not, and the coverage says why.
//! let iwf = export.coverage.iter().find(|c| c.list == "sample-iwf").ok_or("no iwf coverage")?;
//! assert_eq!(iwf.coverage, Coverage::Sensitive);
//! // The lesson-time rule ends at 12:30 Europe/London: write the rules again then.
//! assert_eq!(export.valid_until.map(|t| t.to_string()).as_deref(), Some("2026-03-02T12:30:00Z"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod filter;
mod regex;
mod rule;

use std::collections::HashMap;

use jiff::Timestamp;
use serde::Serialize;

pub use rule::{ActionType, ResourceType, Rule, RuleAction, RuleCondition};

use crate::ErrorCode;
use crate::bundle::{Bundle, BundleError, ListRole, RegexInput};
use crate::classify::{Classification, Match};
use crate::policy::guarantee::Actions;
use crate::policy::{Action, Context, Engine, Policy, Request};
use crate::url::CanonicalUrl;
use filter::{Filters, KeyForm};

/// What declarativeNetRequest allows an extension, per kind of ruleset
/// (Chromium's documented limits).
///
/// ```
/// use esafety::export::dnr::DnrLimits;
/// assert_eq!(DnrLimits::DYNAMIC.rules, 30_000);
/// assert_eq!(DnrLimits::SESSION.rules, 5_000);
/// assert_eq!(DnrLimits::DYNAMIC.regex_rules, 1_000);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DnrLimits {
    /// The most rules.
    pub rules: usize,
    /// The most rules with a `regexFilter`.
    pub regex_rules: usize,
}

impl DnrLimits {
    /// Dynamic rules (`updateDynamicRules`): 30,000 "safe" rules (`block`
    /// and `allow`, all esafety writes) since Chrome 121, of which 1,000
    /// may use a regex.
    ///
    /// ```
    /// use esafety::export::dnr::DnrLimits;
    /// assert_eq!((DnrLimits::DYNAMIC.rules, DnrLimits::DYNAMIC.regex_rules), (30_000, 1_000));
    /// ```
    pub const DYNAMIC: DnrLimits = DnrLimits {
        rules: 30_000,
        regex_rules: 1_000,
    };
    /// Session rules (`updateSessionRules`): 5,000.
    ///
    /// ```
    /// assert_eq!(esafety::export::dnr::DnrLimits::SESSION.rules, 5_000);
    /// ```
    pub const SESSION: DnrLimits = DnrLimits {
        rules: 5_000,
        regex_rules: 1_000,
    };
    /// Static rulesets in the manifest: 30,000 rules guaranteed across the
    /// enabled rulesets (more only if other extensions leave room).
    ///
    /// ```
    /// assert_eq!(esafety::export::dnr::DnrLimits::STATIC_GUARANTEED.rules, 30_000);
    /// ```
    pub const STATIC_GUARANTEED: DnrLimits = DnrLimits {
        rules: 30_000,
        regex_rules: 1_000,
    };
}

/// The largest declarativeNetRequest rule id: Chrome's rule `id` is an
/// `integer`, a 32-bit signed one.
///
/// ```
/// assert_eq!(esafety::export::dnr::MAX_RULE_ID, 2_147_483_647);
/// ```
pub const MAX_RULE_ID: u32 = 0x7FFF_FFFF;

/// How [`rules`] writes its rules.
///
/// ```
/// use esafety::export::dnr::{DnrLimits, DnrOptions};
/// let options = DnrOptions { first_rule_id: 100, ..DnrOptions::default() };
/// assert_eq!(options.limits, DnrLimits::DYNAMIC);
/// assert_eq!(options.domains_per_rule, 10_000);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DnrOptions {
    /// The limits to stay within (default: [`DnrLimits::DYNAMIC`]).
    pub limits: DnrLimits,
    /// The id of the first rule; the others follow (at least 1).
    pub first_rule_id: u32,
    /// The most hosts in one rule's `requestDomains` (at least 1).
    pub domains_per_rule: usize,
}

impl Default for DnrOptions {
    fn default() -> DnrOptions {
        DnrOptions {
            limits: DnrLimits::DYNAMIC,
            first_rule_id: 1,
            domains_per_rule: 10_000,
        }
    }
}

/// Why [`rules`] wrote no rules.
///
/// ```
/// use esafety::export::dnr::{self, DnrLimits, DnrOptions, ExportError};
/// use esafety::policy::{Context, Engine, Policy};
///
/// let policy = Policy::load("p.toml", "id = \"p\"\ndefault = \"allow\"\n[[rules]]\nid = \"b\"\naction = \"block\"\ncategories = [\"@uksic\"]")?;
/// let engine = Engine::new(esafety::sample::bundle()?, policy);
/// let options = DnrOptions { limits: DnrLimits { rules: 1, regex_rules: 1 }, ..DnrOptions::default() };
/// let err = dnr::rules(&engine, Context::at("2026-03-02T10:00:00Z".parse()?), &options).unwrap_err();
/// assert!(matches!(err, ExportError::TooManyRules { limit: 1, .. }));
/// assert!(err.to_string().contains("install the extension by policy"), "{err}");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ExportError {
    /// The bundle's maps could not be read to the end.
    #[error("the bundle cannot be exported: {0}")]
    Bundle(#[from] BundleError),
    /// More rules than the limits allow.
    #[error(
        "the rules for this policy and user need {needed} declarativeNetRequest rules, more than the {limit} allowed; install the extension by policy (it then decides every request with the engine), or compile the lists it blocks as domains, which share rules"
    )]
    TooManyRules {
        /// Rules needed.
        needed: usize,
        /// The limit.
        limit: usize,
    },
    /// More regex rules than the limits allow.
    #[error(
        "the rules for this policy and user need {needed} regex rules, more than the {limit} allowed; install the extension by policy, or replace regex entries with domain or URL entries"
    )]
    TooManyRegexRules {
        /// Regex rules needed.
        needed: usize,
        /// The limit.
        limit: usize,
    },
    /// An option that cannot be used.
    #[error("{0}")]
    Options(String),
}

impl ExportError {
    /// The error's kind: [`ErrorCode::InvalidBundle`] for a bundle that
    /// cannot be read, [`ErrorCode::TooLarge`] for rules over the limits,
    /// [`ErrorCode::InvalidArgument`] for options that cannot be used.
    ///
    /// ```
    /// use esafety::ErrorCode;
    /// use esafety::export::dnr::ExportError;
    /// let err = ExportError::TooManyRules { needed: 40_000, limit: 30_000 };
    /// assert_eq!(err.code(), ErrorCode::TooLarge);
    /// ```
    pub fn code(&self) -> ErrorCode {
        match self {
            ExportError::Bundle(e) => e.code(),
            ExportError::TooManyRules { .. } | ExportError::TooManyRegexRules { .. } => {
                ErrorCode::TooLarge
            }
            ExportError::Options(_) => ErrorCode::InvalidArgument,
        }
    }
}

/// How much of a list the rules cover.
///
/// ```
/// use esafety::export::dnr::Coverage;
/// assert_eq!(serde_json::to_string(&Coverage::Sensitive)?, r#""sensitive""#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Coverage {
    /// Every entry the policy blocks (or, for an allow amendment, lets
    /// through) for this user is a rule.
    Rules,
    /// Some entries are rules, some are left to the engine.
    Partly,
    /// The policy blocks none of its entries for this user at this time:
    /// there is nothing to block.
    NotBlocked,
    /// None of its entries can be a rule; the engine checks them.
    Engine,
    /// A sensitive list (`child-abuse`, `terrorism`): never written as
    /// rules; the engine checks it.
    Sensitive,
}

/// One list's part in the rules.
///
/// ```
/// use esafety::export::dnr::{self, Coverage, DnrOptions};
/// use esafety::policy::{Context, Engine, Policy};
/// let policy = Policy::load("p.toml", "id = \"p\"\ndefault = \"allow\"\n[[rules]]\nid = \"b\"\naction = \"block\"\ncategories = [\"gambling\"]")?;
/// let engine = Engine::new(esafety::sample::bundle()?, policy);
/// let export = dnr::rules(&engine, Context::at("2026-03-02T10:00:00Z".parse()?), &DnrOptions::default())?;
/// let gambling = export.coverage.iter().find(|c| c.category == "gambling").ok_or("no gambling")?;
/// assert_eq!((gambling.coverage, gambling.engine_only), (Coverage::Rules, 0));
/// let streaming = export.coverage.iter().find(|c| c.category == "streaming").ok_or("no streaming")?;
/// assert_eq!(streaming.coverage, Coverage::NotBlocked);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListCoverage {
    /// The list name.
    pub list: String,
    /// Its category id (`allow` for an allow amendment).
    pub category: String,
    /// How much of it the rules cover.
    pub coverage: Coverage,
    /// Its entries as the bundle counts them.
    pub entries: u64,
    /// Keys of the list written as rules (or covered by a rule that
    /// blocks everything).
    pub in_rules: u64,
    /// Keys the policy does not block for this user at this time.
    pub not_blocked: u64,
    /// Keys left to the engine: a warning, a decision that depends on the
    /// list's other entries' lists, or a key no rule can express.
    pub engine_only: u64,
}

/// The rules and what they cover.
///
/// ```
/// use esafety::export::dnr::{self, DnrOptions};
/// use esafety::policy::{Context, Engine, Policy};
/// let policy = Policy::load("p.toml", "id = \"p\"\ndefault = \"block\"")?;
/// let engine = Engine::new(esafety::sample::bundle()?, policy);
/// let export = dnr::rules(&engine, Context::at("2026-03-02T10:00:00Z".parse()?), &DnrOptions::default())?;
/// // A policy that blocks what is on no list: one rule blocks every request.
/// assert!(export.blocks_unlisted);
/// assert_eq!(export.valid_until, None);
/// assert_eq!(export.coverage.len(), esafety::sample::bundle()?.lists().len());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DnrExport {
    /// The rules, with ids from [`DnrOptions::first_rule_id`].
    pub rules: Vec<Rule>,
    /// How many of them have a `regexFilter`.
    pub regex_rules: usize,
    /// Whether one rule blocks every request (the policy blocks URLs on
    /// no list for this user now), with `allow` rules above it.
    pub blocks_unlisted: bool,
    /// When the rules stop holding: the next minute a rule's day or time
    /// condition changes (`null`: they hold until the bundle, the policy
    /// or the user changes).
    pub valid_until: Option<Timestamp>,
    /// Every list of the bundle, in bundle order.
    pub coverage: Vec<ListCoverage>,
    /// What the rules leave to the engine, one sentence per list or
    /// difference; with [`SPELLING_DIFFERENCES`] and [`ENGINE_ONLY`], what
    /// an install without policy does not guarantee.
    pub not_covered: Vec<String>,
}

/// How DNR rules match differently from the engine (every one tested in
/// Chromium): DNR reads the URL as the browser spells it, the engine
/// after Safe Browsing canonicalization.
///
/// ```
/// assert!(esafety::export::dnr::SPELLING_DIFFERENCES.iter().any(|s| s.contains("port")));
/// ```
pub const SPELLING_DIFFERENCES: &[&str] = &[
    "URL and prefix entries are matched as the browser spells the address: a path with percent-escapes the engine would decode (`/%70age.html` for `/page.html`), doubled slashes (`//`), a host written with a trailing dot, or an explicit non-default port gets past a rule, though the engine blocks it; domain entries match every such spelling",
    "a URL entry whose host has more than five labels also matches its subdomains (the engine's Safe Browsing lookups try that host only)",
    "a regex entry with `^` may also match inside the address's `scheme://`",
    "an e2guardian expression whose match ends with the address's final `/` (`a/$`) also matches there; e2guardian, which the engine follows, chops that `/` off first",
];

/// What only the engine does, which an install without policy therefore
/// does only for top-level pages, after the request has started (the
/// extension then replaces the page with the block page).
///
/// ```
/// assert!(esafety::export::dnr::ENGINE_ONLY.iter().any(|s| s.contains("child-abuse")));
/// ```
pub const ENGINE_ONLY: &[&str] = &[
    "child-abuse (IWF) and terrorism lists: the bundle holds them only as digests, and a rule would need the address in plaintext",
    "warnings (the page needs a click to continue), decisions that depend on the time of day between two writes of the rules, and entries whose decision depends on the other lists a URL is on",
    "monitoring (`monitor` decisions are not recorded) and safe-search rewriting",
];

/// The rules for `context` (user and time) under `engine`'s bundle and
/// policy. See the [module docs](self).
///
/// ```
/// use esafety::export::dnr::{self, DnrOptions};
/// use esafety::policy::{Context, Engine, Policy};
/// let policy = Policy::load("p.toml", "id = \"p\"\ndefault = \"allow\"\n[[rules]]\nid = \"b\"\naction = \"block\"\ncategories = [\"gambling\"]")?;
/// let engine = Engine::new(esafety::sample::bundle()?, policy);
/// let options = DnrOptions { first_rule_id: 100, ..DnrOptions::default() };
/// let export = dnr::rules(&engine, Context::at("2026-03-02T10:00:00Z".parse()?), &options)?;
/// assert_eq!(export.rules.first().map(|r| r.id), Some(100));
/// assert!(!export.blocks_unlisted);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// [`ExportError::TooManyRules`] or [`ExportError::TooManyRegexRules`] when
/// they do not fit `options.limits` (never a partial set of rules),
/// [`ExportError::Bundle`] when the bundle's maps do not decode, and
/// [`ExportError::Options`] for a first rule id of 0 or over
/// [`MAX_RULE_ID`] (or one that leaves no room for the rules' ids), or no
/// domains per rule.
pub fn rules<B: AsRef<[u8]>>(
    engine: &Engine<B>,
    context: Context<'_>,
    options: &DnrOptions,
) -> Result<DnrExport, ExportError> {
    if options.first_rule_id > MAX_RULE_ID {
        return Err(ExportError::Options(format!(
            "the first rule id is {}, over {MAX_RULE_ID}, the largest id declarativeNetRequest takes; give a smaller one",
            options.first_rule_id
        )));
    }
    if options.first_rule_id == 0 {
        return Err(ExportError::Options(
            "the first rule id is 0; declarativeNetRequest rule ids start at 1".to_owned(),
        ));
    }
    if options.domains_per_rule == 0 {
        return Err(ExportError::Options(
            "0 domains per rule; give at least 1".to_owned(),
        ));
    }
    let bundle = engine.classifier().bundle();
    let url = CanonicalUrl::parse("http://dnr-export.invalid/")
        .map_err(|e| ExportError::Options(e.to_string()))?;
    // Declarative rules cannot read a page: no content, so content limits
    // never apply.
    let request = context.request(&url);
    let mut plan = Plan::new(bundle, engine.policy(), request);
    plan.walk(bundle)?;
    plan.finish(bundle, engine.policy(), &request, options)
}

/// The URLs of a path key, by how they continue it (see `Plan::path_key`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    SameCase,
    OtherCase,
    SameCaseOff,
    OtherCaseOff,
}

impl Class {
    /// Whether a filter of `form` (case-sensitive or not) matches the URLs
    /// of this class.
    fn matched_by(self, form: KeyForm, case_sensitive: bool) -> bool {
        let any_continuation = form == KeyForm::StringPrefix;
        match self {
            Class::SameCase => true,
            Class::OtherCase => !case_sensitive,
            Class::SameCaseOff => any_continuation,
            Class::OtherCaseOff => any_continuation && !case_sensitive,
        }
    }
}

/// What the rules do with the URLs of one key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Outcome {
    /// A `block` rule.
    Block,
    /// An `allow` rule.
    Allow,
    /// Blocked by the rule that blocks everything; no rule of its own.
    BlockedByAll,
    /// Not blocked: nothing to do.
    NotBlocked,
    /// Left to the engine.
    Engine,
}

/// The export being planned: the outcome of each list set, and the rules'
/// contents grouped by outcome and case.
struct Plan<'b, 'p> {
    policy: &'p Policy,
    request: Request<'p>,
    lists: &'b [crate::bundle::ListInfo],
    /// Every non-statutory block list, as one classification: the most a
    /// URL can be on besides a sensitive list.
    at_most: Classification<'b>,
    has_allow_lists: bool,
    /// What the policy does with a URL on no list (or on an allow list).
    unlisted: Actions,
    blocks_unlisted: bool,
    outcomes: HashMap<Vec<u16>, Outcome>,
    block_domains: Vec<String>,
    allow_domains: Vec<String>,
    /// (filter, case-sensitive, outcome).
    filters: Vec<(String, bool, Outcome)>,
    /// (regexFilter, case-sensitive, outcome).
    regexes: Vec<(String, bool, Outcome)>,
    /// Per list: in rules, not blocked, engine only.
    counts: Vec<[u64; 3]>,
    /// Per list: why keys could not be rules (first reason, and how many).
    inexpressible: Vec<Option<(String, u64)>>,
}

impl<'b, 'p> Plan<'b, 'p> {
    fn new<B: AsRef<[u8]>>(
        bundle: &'b Bundle<B>,
        policy: &'p Policy,
        request: Request<'p>,
    ) -> Plan<'b, 'p> {
        let lists = bundle.lists();
        let blockable: Vec<u16> = (0..lists.len())
            .filter_map(|i| u16::try_from(i).ok())
            .filter(|&i| {
                lists.get(usize::from(i)).is_some_and(|l| {
                    l.role() == ListRole::Block && l.category().is_some_and(|c| !c.is_statutory())
                })
            })
            .collect();
        let at_most = classification(lists, &blockable);
        let none = Classification::default();
        let unlisted = policy.possible_actions(&request, &none, &none);
        Plan {
            policy,
            request,
            lists,
            at_most,
            has_allow_lists: lists.iter().any(|l| l.role() == ListRole::Allow),
            unlisted,
            blocks_unlisted: unlisted.is_only(Action::Block),
            outcomes: HashMap::new(),
            block_domains: Vec::new(),
            allow_domains: Vec::new(),
            filters: Vec::new(),
            regexes: Vec::new(),
            counts: vec![[0; 3]; lists.len()],
            inexpressible: vec![None; lists.len()],
        }
    }

    /// The outcome for URLs that are on exactly the lists `set` (and on
    /// any others).
    fn outcome(&mut self, set: &[u16]) -> Outcome {
        if let Some(&o) = self.outcomes.get(set) {
            return o;
        }
        let allowed = set.iter().any(|&l| {
            self.lists
                .get(usize::from(l))
                .is_some_and(|l| l.role() == ListRole::Allow)
        });
        let outcome = if allowed {
            // An allow amendment drops every other non-statutory match: the
            // URL is decided as one on no list.
            if self.blocks_unlisted {
                Outcome::BlockedByAll
            } else if self.unlisted.contains(Action::Block) || self.unlisted.contains(Action::Warn)
            {
                Outcome::Engine
            } else {
                Outcome::Allow
            }
        } else {
            let at_least = classification(self.lists, set);
            let mut actions = self
                .policy
                .possible_actions(&self.request, &at_least, &self.at_most);
            if self.blocks_unlisted {
                if self.has_allow_lists {
                    // The URL may also be on an allow amendment, and then
                    // it is blocked as a URL on no list.
                    actions = actions.with(Action::Block);
                }
                if !actions.contains(Action::Block) && !actions.contains(Action::Warn) {
                    Outcome::Allow
                } else if actions.is_only(Action::Block) {
                    Outcome::BlockedByAll
                } else {
                    Outcome::Engine
                }
            } else if actions.is_only(Action::Block) {
                Outcome::Block
            } else {
                // Not blocked whatever else it is on. A URL on exactly these
                // lists that the policy lets through needs no rule: one also
                // on another list is blocked by that list's rule, or that
                // list is reported as left to the engine.
                let exact = self
                    .policy
                    .possible_actions(&self.request, &at_least, &at_least);
                if exact.contains(Action::Block) || exact.contains(Action::Warn) {
                    Outcome::Engine
                } else {
                    Outcome::NotBlocked
                }
            }
        };
        self.outcomes.insert(set.to_vec(), outcome);
        outcome
    }

    /// Counts one key of the lists `set` with `outcome`.
    fn count(&mut self, set: &[u16], outcome: Outcome) {
        let slot = match outcome {
            Outcome::Block | Outcome::Allow | Outcome::BlockedByAll => 0,
            Outcome::NotBlocked => 1,
            Outcome::Engine => 2,
        };
        for &l in set {
            if let Some(c) = self
                .counts
                .get_mut(usize::from(l))
                .and_then(|c| c.get_mut(slot))
            {
                *c += 1;
            }
        }
    }

    /// Counts one key of `set` that no rule can express, and why.
    fn inexpressible(&mut self, set: &[u16], reason: &str) {
        for &l in set {
            if let Some(c) = self
                .counts
                .get_mut(usize::from(l))
                .and_then(|c| c.get_mut(2))
            {
                *c += 1;
            }
            if let Some(slot) = self.inexpressible.get_mut(usize::from(l)) {
                match slot {
                    Some((_, n)) => *n += 1,
                    None => *slot = Some((reason.to_owned(), 1)),
                }
            }
        }
    }

    fn walk<B: AsRef<[u8]>>(&mut self, bundle: &Bundle<B>) -> Result<(), ExportError> {
        let sets = &bundle.list_sets;
        let mut hosts: Vec<(String, usize)> = Vec::new();
        bundle.for_each_host(|host, set, _| {
            if set != 0 {
                hosts.push((host.to_owned(), set));
            }
        })?;
        for (host, set) in hosts {
            let lists = sets.get(set).map(<[u16]>::to_vec).unwrap_or_default();
            let outcome = self.outcome(&lists);
            self.count(&lists, outcome);
            self.domain(host, outcome);
        }
        let mut paths: Vec<(String, usize, usize)> = Vec::new();
        bundle.for_each_path(|key, exact, prefix| paths.push((key.to_owned(), exact, prefix)))?;
        for (key, exact, prefix) in paths {
            if exact != 0 {
                self.path_key(bundle, &key, exact, false);
            }
            if prefix != 0 {
                self.path_key(bundle, &key, prefix, true);
            }
        }
        for r in &bundle.regexes {
            let set = [r.list];
            let outcome = self.outcome(&set);
            match outcome {
                Outcome::Block | Outcome::Allow => match regex::regex_filter(
                    &r.pattern,
                    RegexInput::from_id(&r.input) == Some(RegexInput::E2guardian),
                ) {
                    Ok(filter) => {
                        self.count(&set, outcome);
                        self.regexes.push((filter, !r.ignore_case, outcome));
                    }
                    Err(why) => {
                        let reason = format!("the regex {why}, which RE2 may read otherwise");
                        self.inexpressible(&set, &reason);
                    }
                },
                other => self.count(&set, other),
            }
        }
        Ok(())
    }

    fn domain(&mut self, host: String, outcome: Outcome) {
        match outcome {
            Outcome::Block => self.block_domains.push(host),
            Outcome::Allow => self.allow_domains.push(host),
            _ => {}
        }
    }

    /// The rules for one path key held by list set `set`, exact or as a
    /// prefix. Of the set, the lists in `folded_sets` hold the key
    /// ignoring case, and for a prefix those in `string_sets` as an
    /// Adblock string prefix. A URL that matches the key is in one of four
    /// classes, each on a subset of the set's lists: same case on a path
    /// boundary (every list), other case (the case-ignoring ones), same
    /// case off a boundary (the string prefixes), other case off a boundary
    /// (both). Filters are added from the smallest class up, each with its
    /// class's outcome, wherever the filters so far would not already give
    /// a class its outcome; a filter matches its class and larger ones,
    /// whose outcome is the same or `allow`, which outranks `block`.
    fn path_key<B: AsRef<[u8]>>(
        &mut self,
        bundle: &Bundle<B>,
        key: &str,
        set: usize,
        prefix: bool,
    ) {
        let all = bundle
            .list_sets
            .get(set)
            .map(<[u16]>::to_vec)
            .unwrap_or_default();
        let all_outcome = self.outcome(&all);
        if key.find('/').is_some_and(|i| key.get(i..) == Some("/")) {
            // `host/`: every URL on the host, in any case and continuation.
            self.count(&all, all_outcome);
            self.domain(key.trim_end_matches('/').to_owned(), all_outcome);
            return;
        }
        let folded = bundle
            .folded_sets
            .get(set)
            .map(<[u16]>::to_vec)
            .unwrap_or_default();
        let strings = if prefix {
            bundle
                .string_sets
                .get(set)
                .map(<[u16]>::to_vec)
                .unwrap_or_default()
        } else {
            Vec::new()
        };
        let both: Vec<u16> = strings
            .iter()
            .copied()
            .filter(|l| folded.contains(l))
            .collect();
        let boundary = if prefix {
            KeyForm::BoundaryPrefix
        } else {
            KeyForm::Exact
        };
        // (class, the lists its URLs are on, form, case-sensitive), smallest first.
        let classes = [
            (Class::OtherCaseOff, both, KeyForm::StringPrefix, false),
            (Class::SameCaseOff, strings, KeyForm::StringPrefix, true),
            (Class::OtherCase, folded, boundary, false),
            (Class::SameCase, all, boundary, true),
        ];
        let mut added: Vec<(KeyForm, bool, Outcome)> = Vec::new();
        for (class, lists, form, case_sensitive) in &classes {
            if lists.is_empty() {
                continue;
            }
            let outcome = self.outcome(lists);
            if !matches!(outcome, Outcome::Block | Outcome::Allow) {
                continue;
            }
            let winner = added
                .iter()
                .filter(|(f, cs, _)| class.matched_by(*f, *cs))
                .map(|&(_, _, o)| o)
                .max_by_key(|&o| o == Outcome::Allow);
            if winner != Some(outcome) {
                added.push((*form, *case_sensitive, outcome));
            }
        }
        let all = &classes[3].1;
        for (form, case_sensitive, outcome) in added {
            match filter::filters(key, form) {
                Ok(Filters::Domain(host)) => self.domain(host, outcome),
                Ok(Filters::UrlFilters(list)) => {
                    for f in list {
                        self.filters.push((f, case_sensitive, outcome));
                    }
                }
                Err(why) => {
                    let all = all.clone();
                    self.inexpressible(&all, &why);
                    return;
                }
            }
        }
        let all = all.clone();
        self.count(&all, all_outcome);
    }

    fn finish<B: AsRef<[u8]>>(
        self,
        bundle: &Bundle<B>,
        policy: &Policy,
        request: &Request<'_>,
        options: &DnrOptions,
    ) -> Result<DnrExport, ExportError> {
        let mut built: Vec<(u32, ActionType, RuleCondition)> = Vec::new();
        let (block_priority, allow_priority) = (1, 2);
        if self.blocks_unlisted {
            built.push((
                block_priority,
                ActionType::Block,
                RuleCondition::every_request(),
            ));
        }
        let action_of = |o: Outcome| match o {
            Outcome::Allow => Some((allow_priority, ActionType::Allow)),
            Outcome::Block => Some((block_priority, ActionType::Block)),
            _ => None,
        };
        for (domains, outcome) in [
            (&self.block_domains, Outcome::Block),
            (&self.allow_domains, Outcome::Allow),
        ] {
            let Some((priority, action)) = action_of(outcome) else {
                continue;
            };
            let mut sorted = domains.clone();
            sorted.sort_unstable();
            sorted.dedup();
            for chunk in sorted.chunks(options.domains_per_rule) {
                built.push((
                    priority,
                    action,
                    RuleCondition {
                        request_domains: Some(chunk.to_vec()),
                        ..RuleCondition::every_request()
                    },
                ));
            }
        }
        let mut filters = self.filters.clone();
        filters.sort();
        filters.dedup();
        for (f, case_sensitive, outcome) in filters {
            let Some((priority, action)) = action_of(outcome) else {
                continue;
            };
            built.push((
                priority,
                action,
                RuleCondition {
                    url_filter: Some(f),
                    is_url_filter_case_sensitive: Some(case_sensitive),
                    ..RuleCondition::every_request()
                },
            ));
        }
        let regex_rules = self.regexes.len();
        for (f, case_sensitive, outcome) in &self.regexes {
            let Some((priority, action)) = action_of(*outcome) else {
                continue;
            };
            built.push((
                priority,
                action,
                RuleCondition {
                    regex_filter: Some(f.clone()),
                    is_url_filter_case_sensitive: Some(*case_sensitive),
                    ..RuleCondition::every_request()
                },
            ));
        }
        if regex_rules > options.limits.regex_rules {
            return Err(ExportError::TooManyRegexRules {
                needed: regex_rules,
                limit: options.limits.regex_rules,
            });
        }
        if built.len() > options.limits.rules {
            return Err(ExportError::TooManyRules {
                needed: built.len(),
                limit: options.limits.rules,
            });
        }
        // declarativeNetRequest rule ids are 32-bit signed integers
        // (Chrome's `integer`): the last id must be at most `i32::MAX`.
        let last = u32::try_from(built.len().saturating_sub(1))
            .ok()
            .and_then(|n| options.first_rule_id.checked_add(n))
            .filter(|&last| last <= MAX_RULE_ID);
        if last.is_none() {
            return Err(ExportError::Options(format!(
                "rule ids from {} for {} rules would pass {MAX_RULE_ID}, the largest id declarativeNetRequest takes; give a smaller first rule id",
                options.first_rule_id,
                built.len()
            )));
        }
        let rules = built
            .into_iter()
            .zip(options.first_rule_id..)
            .map(|((priority, action, condition), id)| Rule::new(id, priority, action, condition))
            .collect();
        let (coverage, not_covered) = self.coverage(bundle);
        Ok(DnrExport {
            rules,
            regex_rules,
            blocks_unlisted: self.blocks_unlisted,
            valid_until: policy.next_time_change(request, &self.at_most),
            coverage,
            not_covered,
        })
    }

    fn coverage<B: AsRef<[u8]>>(&self, bundle: &Bundle<B>) -> (Vec<ListCoverage>, Vec<String>) {
        let mut coverage = Vec::new();
        let mut not_covered = Vec::new();
        for (i, list) in bundle.lists().iter().enumerate() {
            let [in_rules, not_blocked, engine_only] =
                self.counts.get(i).copied().unwrap_or_default();
            let name = list.name();
            let category = list.category_id();
            let summary = if list.is_sensitive() {
                not_covered.push(format!(
                    "`{name}` ({category}, {} entries): held only as digests, never written as rules; checked by the engine for top-level pages only, after the request has started",
                    list.entries()
                ));
                Coverage::Sensitive
            } else if engine_only == 0 && in_rules == 0 {
                Coverage::NotBlocked
            } else if engine_only == 0 {
                Coverage::Rules
            } else {
                let mut s = format!(
                    "`{name}` ({category}): {engine_only} of its keys are checked by the engine for top-level pages only, after the request has started"
                );
                match self.inexpressible.get(i).and_then(Option::as_ref) {
                    Some((why, n)) => s.push_str(&format!(" ({n} cannot be written as rules: {why}; the others are warned, or decided by the time or by the other lists a URL is on)")),
                    None => s.push_str(" (a warning, or a decision that depends on the time or on the other lists a URL is on)"),
                }
                not_covered.push(s);
                if in_rules == 0 {
                    Coverage::Engine
                } else {
                    Coverage::Partly
                }
            };
            coverage.push(ListCoverage {
                list: name.to_owned(),
                category: category.to_owned(),
                coverage: summary,
                entries: list.entries(),
                in_rules,
                not_blocked,
                engine_only,
            });
        }
        if self.blocks_unlisted {
            not_covered.push("the policy blocks pages on no list for this user now, so one rule blocks every request and `allow` rules let through only what it allows whatever else a URL is on".to_owned());
        }
        (coverage, not_covered)
    }
}

/// A classification of a URL on exactly `set` (list ids of `lists`), with
/// empty expressions: what the policy's conditions look at.
fn classification<'b>(lists: &'b [crate::bundle::ListInfo], set: &[u16]) -> Classification<'b> {
    let matches: Vec<Match<'b>> = set
        .iter()
        .filter_map(|&l| lists.get(usize::from(l)))
        .filter(|l| l.role() == ListRole::Block)
        .filter_map(|l| {
            Some(Match {
                list: l.name(),
                category: l.category()?,
                category_id: l.category_id(),
                expression: String::new(),
            })
        })
        .collect();
    Classification {
        categories: matches.iter().map(|m| m.category).collect(),
        matches,
    }
}
