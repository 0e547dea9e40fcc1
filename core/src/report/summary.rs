//! [`Summary`]: the figures of a report (`esafety report --json`).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::incident::{Incident, RouteStep};
use crate::policy::AlertUrgency;

/// The figures of one report. Maps are sorted by key, lists by count
/// (most first) and then key: the same records give the same bytes.
///
/// ```
/// use esafety::report::{Aggregator, ReportOptions};
///
/// let summary = Aggregator::new(ReportOptions::new(), esafety::EscalationProfile::national()?).finish();
/// assert_eq!((summary.records, summary.blocked, summary.alerts, summary.bad_records), (0, 0, 0, 0));
/// let json = serde_json::to_value(&summary)?;
/// assert!(json["by_category"].as_object().is_some_and(|m| m.is_empty()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Summary {
    /// The first day of the period, if given (`YYYY-MM-DD`).
    pub from: Option<String>,
    /// The last day of the period, if given.
    pub to: Option<String>,
    /// The site the report is limited to, if any.
    pub site: Option<String>,
    /// The escalation profile the alerts' routes come from.
    pub profile: String,
    /// Records in the period (and site).
    pub records: u64,
    /// Of them, blocked (every rule, the fail-closed `error` rule included).
    pub blocked: u64,
    /// Warned.
    pub warned: u64,
    /// Allowed.
    pub allowed: u64,
    /// Monitored (allowed and flagged for review).
    pub monitored: u64,
    /// Blocked because the request could not be read (rule `error`).
    pub fail_closed: u64,
    /// Records that raised an alert.
    pub alerts: u64,
    /// Of the alerts, how many by urgency.
    pub alerts_by_urgency: BTreeMap<AlertUrgency, u64>,
    /// Lines that were not records (reported and skipped).
    pub bad_records: u64,
    /// Records outside the period or the site (not counted above; the
    /// previous period's are in `previous`).
    pub outside: u64,
    /// Blocked records by category id (a record of two categories counts
    /// in both).
    pub by_category: BTreeMap<String, u64>,
    /// Blocked records by group (`unknown` when the record has none).
    pub by_group: BTreeMap<String, u64>,
    /// Per site (`unknown` when the record has none).
    pub by_site: BTreeMap<String, SiteCounts>,
    /// Per local day (`YYYY-MM-DD`).
    pub daily: BTreeMap<String, DayCounts>,
    /// The most blocked sites: host names, and digest ids (`sha256:…`) for
    /// the statutory lists.
    pub top_blocked_sites: Vec<SiteTally>,
    /// Distinct blocked sites seen.
    pub distinct_blocked_sites: u64,
    /// Blocks of sites past [`super::MAX_TRACKED_SITES`] distinct ones,
    /// counted together (not in `top_blocked_sites`).
    pub untracked_site_blocks: u64,
    /// The search terms of blocked, warned, monitored or alerting
    /// requests, most frequent first.
    pub flagged_search_terms: Vec<SearchTermCount>,
    /// Flagged searches past [`super::MAX_TRACKED_TERMS`] distinct terms.
    pub untracked_search_terms: u64,
    /// The first [`super::MAX_LISTED_ALERTS`] alerts in log order, each with
    /// its incident draft and routes.
    pub alert_details: Vec<AlertEntry>,
    /// Warnings against all decisions.
    pub warn_rates: WarnRates,
    /// Signals that filtering may stop teaching.
    pub over_blocking: OverBlocking,
    /// The period of the same length before this one (when `from` and
    /// `to` are both given).
    pub previous: Option<PeriodTotals>,
}

/// The counts of one site.
///
/// ```
/// let counts = esafety::report::SiteCounts::default();
/// assert_eq!((counts.records, counts.blocked), (0, 0));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct SiteCounts {
    /// Records.
    pub records: u64,
    /// Blocked.
    pub blocked: u64,
    /// Warned.
    pub warned: u64,
    /// Alerts.
    pub alerts: u64,
    /// Blocked by category id.
    pub by_category: BTreeMap<String, u64>,
}

/// The counts of one day.
///
/// ```
/// let day = esafety::report::DayCounts::default();
/// assert!(day.by_category.is_empty() && day.by_group.is_empty());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct DayCounts {
    /// Records.
    pub records: u64,
    /// Blocked.
    pub blocked: u64,
    /// Warned.
    pub warned: u64,
    /// Alerts.
    pub alerts: u64,
    /// Blocked by category id.
    pub by_category: BTreeMap<String, u64>,
    /// Blocked by group.
    pub by_group: BTreeMap<String, u64>,
}

/// One blocked site and how often.
///
/// ```
/// use esafety::report::SiteTally;
/// let site = SiteTally { site: "sha256:0011223344556677".to_owned(), blocked: 3, statutory: true, categories: vec!["child-abuse".to_owned()] };
/// assert!(site.statutory);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SiteTally {
    /// The host, or for a statutory list the digest id.
    pub site: String,
    /// Blocked requests.
    pub blocked: u64,
    /// Whether it is on a statutory list.
    pub statutory: bool,
    /// The categories it was blocked for, sorted.
    pub categories: Vec<String>,
}

/// One flagged search and how often.
///
/// ```
/// let term = esafety::report::SearchTermCount { terms: "how to".to_owned(), count: 2 };
/// assert_eq!(term.count, 2);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SearchTermCount {
    /// The terms.
    pub terms: String,
    /// How many flagged requests searched them.
    pub count: u64,
}

/// One alert: when, who, why, the incident draft of a statutory block and
/// the escalation routes its assessment gives.
///
/// ```
/// use esafety::report::{Aggregator, ReportOptions};
/// use esafety::record::DecisionRecord;
///
/// let line = r#"{"time":"2026-03-02T10:00:00+00:00","site":"school","client_ip":null,"user":null,"device":null,
///   "group":"pupils","age":14,"policy":"p","url":"https://self-harm.example/","categories":["self-harm"],
///   "action":"block","rule":"block-uksic","lists":["self-harm"],"search_terms":null,
///   "alert":{"urgency":"same-day","reason":"self-harm content"},"reasons":[]}"#;
/// let mut report = Aggregator::new(ReportOptions::new(), esafety::EscalationProfile::national()?);
/// report.add(&DecisionRecord::from_json_line(line)?);
/// let summary = report.finish();
/// let alert = &summary.alert_details[0];
/// assert_eq!((alert.reason.as_str(), alert.incident.is_none()), ("self-harm content", true));
/// assert!(alert.routes.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlertEntry {
    /// The record's time (RFC 3339 with its offset).
    pub time: String,
    /// The site.
    pub site: Option<String>,
    /// The user (or pseudonym) as recorded.
    pub user: Option<String>,
    /// The group.
    pub group: Option<String>,
    /// The age.
    pub age: Option<u8>,
    /// How soon to act.
    pub urgency: AlertUrgency,
    /// Why it alerts.
    pub reason: String,
    /// The site: the host, or the digest id of a statutory entry.
    pub target: Option<String>,
    /// The categories.
    pub categories: Vec<String>,
    /// The rule that decided.
    pub rule: String,
    /// The incident draft (statutory blocks).
    pub incident: Option<Incident>,
    /// The routes of the draft's assessment under the escalation profile,
    /// in the order to act.
    pub routes: Vec<RouteStep>,
}

/// Warnings shown against decisions, and how often users continued past
/// them: a record marked `proceeded` (the Squid helper's warning page and
/// proceed address, `record::ProceedKey`) is a request that went ahead
/// after a warning. It counts here, not among the warnings shown.
///
/// ```
/// let rates = esafety::report::WarnRates::default();
/// assert_eq!(rates.rate, 0.0);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct WarnRates {
    /// Warned records.
    pub warned: u64,
    /// `warned / records` (0 when there are none).
    pub rate: f64,
    /// Warned records by category id.
    pub by_category: BTreeMap<String, u64>,
    /// Warned records by group.
    pub by_group: BTreeMap<String, u64>,
    /// Requests that went ahead after a warning (records marked
    /// `proceeded`).
    pub proceeded: u64,
    /// `proceeded / warned` (0 when nothing was warned): the share of
    /// warnings users continued past.
    pub proceed_rate: f64,
    /// Proceeded requests by category id.
    pub proceeded_by_category: BTreeMap<String, u64>,
    /// Proceeded requests by group.
    pub proceeded_by_group: BTreeMap<String, u64>,
}

/// Signals that filtering may unreasonably stop teaching.
///
/// ```
/// let signals = esafety::report::OverBlocking::default();
/// assert_eq!(signals.service_blocks_in_lessons, 0);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct OverBlocking {
    /// The lesson times used (`HH:MM-HH:MM`, Monday to Friday).
    pub lesson_times: String,
    /// Blocks in lesson times whose categories are all service categories
    /// ([`super::SERVICE_CATEGORIES`]).
    pub service_blocks_in_lessons: u64,
    /// Of them, by category id.
    pub service_blocks_by_category: BTreeMap<String, u64>,
    /// Sites blocked for a category and later allowed with no category
    /// (what a local allow amendment or a list correction does), most
    /// blocked first, at most the report's top count.
    pub blocked_then_allowed: Vec<UnblockedSite>,
}

/// A site blocked and later allowed.
///
/// ```
/// let site = esafety::report::UnblockedSite { site: "www.youtube.com".to_owned(), blocked: 4, allowed_after: 9 };
/// assert!(site.allowed_after > site.blocked);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnblockedSite {
    /// The host.
    pub site: String,
    /// Blocked requests before it was allowed.
    pub blocked: u64,
    /// Requests allowed after its first block.
    pub allowed_after: u64,
}

/// The totals of the previous period.
///
/// ```
/// let previous = esafety::report::PeriodTotals::default();
/// assert_eq!(previous.records, 0);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct PeriodTotals {
    /// The first day.
    pub from: String,
    /// The last day.
    pub to: String,
    /// Records.
    pub records: u64,
    /// Blocked.
    pub blocked: u64,
    /// Warned.
    pub warned: u64,
    /// Alerts.
    pub alerts: u64,
    /// Blocked by category id.
    pub by_category: BTreeMap<String, u64>,
}
