//! Filtering and monitoring reports from decision records: the figures a
//! designated safeguarding lead reads (STANDARD.md, "Monitoring": logs
//! reviewed regularly, local trends seen, filtering that does not
//! unreasonably impact teaching).
//!
//! An [`Aggregator`] takes [`DecisionRecord`](crate::record::DecisionRecord)s
//! one at a time (it never holds them) and [`Aggregator::finish`] gives the
//! [`Summary`]: totals, blocked attempts by category, group, site and day,
//! the top blocked sites (digest ids for the statutory lists, never URLs),
//! flagged search terms, alerts with their incident drafts and the
//! escalation routes of the escalation profile, warning rates, over-blocking
//! signals, and the previous period beside this one. Reports read records;
//! they never decide again.
//!
//! Memory is bounded by what is distinct, not by the number of records:
//! one entry per day, group and site; one per blocked host up to
//! [`MAX_TRACKED_SITES`] and one per flagged search up to
//! [`MAX_TRACKED_TERMS`] (past those, further distinct ones are counted
//! together, and the summary says so); the first [`MAX_LISTED_ALERTS`]
//! alerts in full, the rest counted.
//!
//! ```
//! use esafety::policy::{Engine, Policy};
//! use esafety::record::{Identity, RecordOptions, record};
//! use esafety::report::{Aggregator, ReportOptions};
//!
//! let text = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/policies/secondary-pupils.toml"));
//! let engine = Engine::new(esafety::sample::bundle()?, Policy::load("secondary-pupils.toml", text)?);
//! let pupil = Identity { site: Some("school"), group: Some("pupils"), age: Some(14), ..Identity::default() };
//! let time = "2026-03-02T10:00:00Z".parse()?;
//! let mut report = Aggregator::new(ReportOptions::new(), esafety::EscalationProfile::national()?);
//! for url in ["https://www.bbc.co.uk/", "https://www.bet365.com/", "https://iwf-test.esafety.invalid/abuse/page-1.html"] {
//!     report.add(&record(&engine, url, &pupil, time, &RecordOptions::new()));
//! }
//! let summary = report.finish();
//! assert_eq!((summary.records, summary.blocked, summary.alerts), (3, 2, 1));
//! assert_eq!(summary.by_category.get("gambling"), Some(&1));
//! // The statutory block is there by its digest id, never its URL.
//! let json = serde_json::to_string(&summary)?;
//! assert!(json.contains("sha256:") && !json.contains("iwf-test"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod aggregate;
mod options;
mod summary;
mod view;

pub use aggregate::{Aggregator, MAX_LISTED_ALERTS, MAX_TRACKED_SITES, MAX_TRACKED_TERMS};
pub use options::{LessonTimes, OptionsError, ReportOptions};
pub use summary::{
    AlertEntry, DayCounts, OverBlocking, PeriodTotals, SearchTermCount, SiteCounts, SiteTally,
    Summary, UnblockedSite, WarnRates,
};

/// The service categories (DESIGN.md, "Category ids"): blocks of these
/// alone in lesson times are an over-blocking signal.
///
/// ```
/// assert!(esafety::report::SERVICE_CATEGORIES.contains(&"streaming"));
/// assert!(!esafety::report::SERVICE_CATEGORIES.contains(&"pornography"));
/// ```
pub const SERVICE_CATEGORIES: [&str; 8] = [
    "social-networking",
    "chat",
    "webmail",
    "gaming",
    "streaming",
    "dating",
    "file-sharing",
    "search",
];
