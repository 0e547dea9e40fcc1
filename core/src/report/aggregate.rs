//! [`Aggregator`]: records in, one at a time; a [`Summary`] out.

use std::collections::{BTreeMap, HashMap};

use jiff::civil::{Date, DateTime};

use super::SERVICE_CATEGORIES;
use super::options::ReportOptions;
use super::summary::{
    AlertEntry, DayCounts, OverBlocking, PeriodTotals, SearchTermCount, SiteTally, Summary,
    UnblockedSite, WarnRates,
};
use super::view::{IncidentView, RecordView, Text};
use crate::incident::{EscalationProfile, Incident, assess};
use crate::policy::Action;
use crate::record::{DecisionRecord, ERROR_RULE, REDACTED_URL};
use crate::taxonomy::Category;

/// At most this many distinct blocked sites are counted one by one; blocks
/// of further sites are counted together (`untracked_site_blocks`). About
/// 100 bytes each: 100 MB at the bound.
///
/// ```
/// assert_eq!(esafety::report::MAX_TRACKED_SITES, 1_000_000);
/// ```
pub const MAX_TRACKED_SITES: usize = 1_000_000;

/// At most this many distinct flagged search terms are counted one by one.
///
/// ```
/// assert_eq!(esafety::report::MAX_TRACKED_TERMS, 200_000);
/// ```
pub const MAX_TRACKED_TERMS: usize = 200_000;

/// At most this many alerts are listed in full (with incident draft and
/// routes); the rest are counted.
///
/// ```
/// assert_eq!(esafety::report::MAX_LISTED_ALERTS, 1_000);
/// ```
pub const MAX_LISTED_ALERTS: usize = 1_000;

/// The group or site of a record that names none.
const UNKNOWN: &str = "unknown";

/// One blocked site while aggregating.
#[derive(Debug, Default)]
struct SiteState {
    blocked: u64,
    statutory: bool,
    categories: Vec<String>,
    /// The first block's time (seconds), for the blocked-then-allowed signal.
    first_block: i64,
    /// Non-statutory blocks for a category.
    category_blocks: u64,
    /// Allowed requests with no category after the first block.
    allowed_after: u64,
}

/// An alert kept for the summary, assessed when the summary is made.
#[derive(Debug)]
struct PendingAlert {
    entry: AlertEntry,
    incident: Option<Incident>,
}

/// Streaming aggregation of decision records into a [`Summary`]: memory
/// grows with distinct days, groups, sites and terms (each bounded, see
/// the module docs), never with the number of records.
///
/// ```
/// use esafety::record::DecisionRecord;
/// use esafety::report::{Aggregator, ReportOptions};
///
/// let options = ReportOptions::new().with_period(Some("2026-03-02".parse()?), Some("2026-03-02".parse()?))?;
/// let mut report = Aggregator::new(options, esafety::EscalationProfile::national()?);
/// for (day, action) in [("2026-03-01", "block"), ("2026-03-02", "block"), ("2026-03-02", "allow"), ("2026-03-03", "block")] {
///     let line = format!(r#"{{"time":"{day}T10:00:00+00:00","site":null,"client_ip":null,"user":null,"device":null,
///       "group":"pupils","age":null,"policy":"p","url":"https://www.bet365.com/","categories":["gambling"],
///       "action":"{action}","rule":"r","lists":[],"search_terms":null,"alert":null,"reasons":[]}}"#);
///     report.add(&DecisionRecord::from_json_line(&line)?);
/// }
/// report.add_bad_record();
/// let summary = report.finish();
/// assert_eq!((summary.records, summary.blocked, summary.outside, summary.bad_records), (2, 1, 2, 1));
/// assert_eq!(summary.previous.map(|p| (p.records, p.blocked)), Some((1, 1)));
/// // Blocked, then allowed with no category? Here the allow still names gambling: no signal.
/// assert!(summary.over_blocking.blocked_then_allowed.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Aggregator {
    options: ReportOptions,
    previous_period: Option<(Date, Date)>,
    profile: EscalationProfile,
    summary: Summary,
    previous: Option<PeriodTotals>,
    sites: HashMap<String, SiteState>,
    terms: HashMap<String, u64>,
    alerts: Vec<PendingAlert>,
    /// The counts of each local date, keyed by the date while counting
    /// (logs of several sites are not in time order: comparing dates is
    /// cheaper than formatting a day and comparing its text, per record)
    /// and turned into `summary.daily`'s text keys once, in `finish`.
    days: BTreeMap<Date, DayCounts>,
}

impl Aggregator {
    /// An empty report over `options`, routing alerts through `profile`.
    ///
    /// ```
    /// use esafety::report::{Aggregator, ReportOptions};
    ///
    /// let summary = Aggregator::new(ReportOptions::new(), esafety::EscalationProfile::shipped("manchester")?).finish();
    /// assert_eq!(summary.profile, "manchester");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(options: ReportOptions, profile: EscalationProfile) -> Aggregator {
        let previous_period = options.previous_period();
        let summary = Summary {
            from: options.from().map(|d| d.to_string()),
            to: options.to().map(|d| d.to_string()),
            site: options.site().map(str::to_owned),
            profile: profile.id().to_owned(),
            records: 0,
            blocked: 0,
            warned: 0,
            allowed: 0,
            monitored: 0,
            fail_closed: 0,
            alerts: 0,
            alerts_by_urgency: BTreeMap::new(),
            bad_records: 0,
            outside: 0,
            by_category: BTreeMap::new(),
            by_group: BTreeMap::new(),
            by_site: BTreeMap::new(),
            daily: BTreeMap::new(),
            top_blocked_sites: Vec::new(),
            distinct_blocked_sites: 0,
            untracked_site_blocks: 0,
            flagged_search_terms: Vec::new(),
            untracked_search_terms: 0,
            alert_details: Vec::new(),
            warn_rates: WarnRates::default(),
            over_blocking: OverBlocking {
                lesson_times: options.lesson_times().to_string(),
                ..OverBlocking::default()
            },
            previous: None,
        };
        Aggregator {
            previous: previous_period.map(|(from, to)| PeriodTotals {
                from: from.to_string(),
                to: to.to_string(),
                ..PeriodTotals::default()
            }),
            previous_period,
            options,
            profile,
            summary,
            sites: HashMap::new(),
            terms: HashMap::new(),
            alerts: Vec::new(),
            days: BTreeMap::new(),
        }
    }

    /// Counts a line that was not a record (the caller reports where).
    ///
    /// ```
    /// use esafety::report::{Aggregator, ReportOptions};
    ///
    /// let mut report = Aggregator::new(ReportOptions::new(), esafety::EscalationProfile::national()?);
    /// report.add_bad_record();
    /// assert_eq!(report.finish().bad_records, 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add_bad_record(&mut self) {
        self.summary.bad_records += 1;
    }

    /// Counts one record: in the period and site, in the previous period,
    /// or outside.
    ///
    /// ```
    /// use esafety::record::DecisionRecord;
    /// use esafety::report::{Aggregator, ReportOptions};
    ///
    /// let line = r#"{"time":"2026-03-02T10:00:00+00:00","site":"north","client_ip":null,"user":null,"device":null,
    ///   "group":null,"age":null,"policy":"p","url":"https://www.bbc.co.uk/","categories":[],
    ///   "action":"allow","rule":"default","lists":[],"search_terms":null,"alert":null,"reasons":[]}"#;
    /// let mut report = Aggregator::new(ReportOptions::new().with_site(Some("south".to_owned())), esafety::EscalationProfile::national()?);
    /// report.add(&DecisionRecord::from_json_line(line)?);
    /// let summary = report.finish();
    /// assert_eq!((summary.records, summary.outside), (0, 1));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add(&mut self, record: &DecisionRecord) {
        self.add_view(&RecordView::of(record));
    }

    /// Reads one line of a decision log and counts it: what
    /// [`DecisionRecord::from_json_line`] then [`Aggregator::add`] do, with
    /// the same errors and the same counts, without copying the record out
    /// of the line (a report reads millions). The line is bytes, as
    /// [`crate::record::LogLines`] reads them: one that is not UTF-8 is an
    /// error like any other bad line.
    ///
    /// ```
    /// use esafety::report::{Aggregator, ReportOptions};
    ///
    /// let line = r#"{"time":"2026-03-02T10:00:00+00:00","site":null,"client_ip":null,"user":null,"device":null,
    ///   "group":"pupils","age":null,"policy":"p","url":"https://www.bet365.com/","categories":["gambling"],
    ///   "action":"block","rule":"r","lists":[],"search_terms":null,"alert":null,"reasons":[]}"#;
    /// let mut report = Aggregator::new(ReportOptions::new(), esafety::EscalationProfile::national()?);
    /// report.add_json_line(line)?;
    /// assert!(report.add_json_line(r#"{"time":"yesterday"}"#).is_err());
    /// assert!(report.add_json_line(b"{\"time\":\"\xff\"}").is_err());
    /// let summary = report.finish();
    /// assert_eq!((summary.records, summary.blocked, summary.bad_records), (1, 1, 0));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// The `serde_json` error of a line that is not a record (nothing is
    /// counted; the caller reports it and may call
    /// [`Aggregator::add_bad_record`]).
    pub fn add_json_line(&mut self, line: impl AsRef<[u8]>) -> Result<(), serde_json::Error> {
        let view = RecordView::from_json_line(line.as_ref())?;
        self.add_view(&view);
        Ok(())
    }

    /// Counts one record, read or built.
    fn add_view(&mut self, record: &RecordView<'_>) {
        if let Some(site) = self.options.site()
            && record.site.as_deref() != Some(site)
        {
            self.summary.outside += 1;
            return;
        }
        let local = record.time.offset().to_datetime(record.time.instant());
        let date = local.date();
        if let (Some(previous), Some((from, to))) = (&mut self.previous, self.previous_period)
            && from <= date
            && date <= to
        {
            count_previous(previous, record);
            self.summary.outside += 1;
            return;
        }
        let before = self.options.from().is_some_and(|from| date < from);
        let after = self.options.to().is_some_and(|to| date > to);
        if before || after {
            self.summary.outside += 1;
            return;
        }
        self.count(record, local);
    }

    /// Counts a record of the period.
    fn count(&mut self, record: &RecordView<'_>, local: DateTime) {
        let s = &mut self.summary;
        let group = record.group.as_deref().unwrap_or(UNKNOWN);
        let site_name = record.site.as_deref().unwrap_or(UNKNOWN);
        let blocked = record.action == Action::Block;
        let proceeded = record.action == Action::Warn && record.proceeded;
        let warned = record.action == Action::Warn && !record.proceeded;
        s.records += 1;
        match record.action {
            Action::Block => s.blocked += 1,
            Action::Warn if proceeded => s.warn_rates.proceeded += 1,
            Action::Warn => s.warned += 1,
            Action::Allow => s.allowed += 1,
            Action::Monitor => s.monitored += 1,
        }
        if blocked && &*record.rule == ERROR_RULE {
            s.fail_closed += 1;
        }
        let day = self.days.entry(local.date()).or_default();
        if !s.by_site.contains_key(site_name) {
            s.by_site.insert(site_name.to_owned(), Default::default());
        }
        let Some(site) = s.by_site.get_mut(site_name) else {
            return;
        };
        day.records += 1;
        site.records += 1;
        if let Some(alert) = &record.alert {
            s.alerts += 1;
            day.alerts += 1;
            site.alerts += 1;
            *s.alerts_by_urgency.entry(alert.urgency).or_default() += 1;
        }
        if blocked {
            day.blocked += 1;
            site.blocked += 1;
            add_one(&mut s.by_group, group);
            add_one(&mut day.by_group, group);
            for category in &record.categories {
                add_one(&mut s.by_category, category);
                add_one(&mut day.by_category, category);
                add_one(&mut site.by_category, category);
            }
            if is_service_only(&record.categories) && self.options.lesson_times().contains(local) {
                let signals = &mut s.over_blocking;
                signals.service_blocks_in_lessons += 1;
                for category in &record.categories {
                    add_one(&mut signals.service_blocks_by_category, category);
                }
            }
        }
        if warned {
            day.warned += 1;
            site.warned += 1;
            add_one(&mut s.warn_rates.by_group, group);
            for category in &record.categories {
                add_one(&mut s.warn_rates.by_category, category);
            }
        }
        if proceeded {
            add_one(&mut s.warn_rates.proceeded_by_group, group);
            for category in &record.categories {
                add_one(&mut s.warn_rates.proceeded_by_category, category);
            }
        }
        self.count_site(record);
        self.count_terms(record);
        self.keep_alert(record);
    }

    /// The blocked-site tallies and the blocked-then-allowed signal.
    fn count_site(&mut self, record: &RecordView<'_>) {
        let Some(key) = site_key(record) else { return };
        let when = record.time.instant().as_second();
        if record.action == Action::Block {
            let statutory = is_statutory(record);
            if !self.sites.contains_key(key) {
                if self.sites.len() >= MAX_TRACKED_SITES {
                    self.summary.untracked_site_blocks += 1;
                    return;
                }
                self.sites.insert(
                    key.to_owned(),
                    SiteState {
                        first_block: when,
                        ..SiteState::default()
                    },
                );
            }
            let Some(site) = self.sites.get_mut(key) else {
                return;
            };
            site.blocked += 1;
            site.statutory |= statutory;
            site.first_block = site.first_block.min(when);
            if !statutory && !record.categories.is_empty() {
                site.category_blocks += 1;
            }
            for category in &record.categories {
                if let Err(at) = site
                    .categories
                    .binary_search_by(|c| c.as_str().cmp(category))
                {
                    site.categories.insert(at, category.to_string());
                }
            }
        } else if record.action == Action::Allow
            && record.categories.is_empty()
            && let Some(site) = self.sites.get_mut(key)
            && site.category_blocks > 0
            && when > site.first_block
        {
            site.allowed_after += 1;
        }
    }

    /// The flagged search terms.
    fn count_terms(&mut self, record: &RecordView<'_>) {
        let Some(terms) = &record.search_terms else {
            return;
        };
        let flagged = record.action != Action::Allow || record.alert.is_some();
        if !flagged || is_statutory(record) {
            return;
        }
        if let Some(count) = self.terms.get_mut(&*terms.terms) {
            *count += 1;
        } else if self.terms.len() < MAX_TRACKED_TERMS {
            self.terms.insert(terms.terms.to_string(), 1);
        } else {
            self.summary.untracked_search_terms += 1;
        }
    }

    /// Keeps the first alerts in full.
    fn keep_alert(&mut self, record: &RecordView<'_>) {
        let Some(alert) = &record.alert else { return };
        if self.alerts.len() >= MAX_LISTED_ALERTS {
            return;
        }
        self.alerts.push(PendingAlert {
            entry: AlertEntry {
                time: record.time.to_string(),
                site: record.site.as_deref().map(str::to_owned),
                user: record.user.as_deref().map(str::to_owned),
                group: record.group.as_deref().map(str::to_owned),
                age: record.age,
                urgency: alert.urgency,
                reason: alert.reason.to_string(),
                target: site_key(record).map(str::to_owned),
                categories: record.categories.iter().map(|c| c.to_string()).collect(),
                rule: record.rule.to_string(),
                incident: None,
                routes: Vec::new(),
            },
            incident: record.incident.as_ref().map(IncidentView::to_incident),
        });
    }

    /// The summary: top lists sorted and cut, alerts assessed.
    ///
    /// ```
    /// use esafety::report::{Aggregator, ReportOptions};
    ///
    /// let summary = Aggregator::new(ReportOptions::new().with_top(3), esafety::EscalationProfile::national()?).finish();
    /// assert!(summary.top_blocked_sites.is_empty() && summary.previous.is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn finish(self) -> Summary {
        let Aggregator {
            options,
            profile,
            mut summary,
            previous,
            sites,
            terms,
            alerts,
            days,
            ..
        } = self;
        summary.daily = days
            .into_iter()
            .map(|(date, counts)| (date.to_string(), counts))
            .collect();
        let top = options.top();
        summary.distinct_blocked_sites = sites.len() as u64;
        let mut unblocked: Vec<UnblockedSite> = sites
            .iter()
            .filter(|(_, s)| s.allowed_after > 0)
            .map(|(site, s)| UnblockedSite {
                site: site.clone(),
                blocked: s.category_blocks,
                allowed_after: s.allowed_after,
            })
            .collect();
        unblocked.sort_by(|a, b| (b.blocked, &a.site).cmp(&(a.blocked, &b.site)));
        unblocked.truncate(top);
        summary.over_blocking.blocked_then_allowed = unblocked;
        let mut tallies: Vec<SiteTally> = sites
            .into_iter()
            .map(|(site, s)| SiteTally {
                site,
                blocked: s.blocked,
                statutory: s.statutory,
                categories: s.categories,
            })
            .collect();
        tallies.sort_by(|a, b| (b.blocked, &a.site).cmp(&(a.blocked, &b.site)));
        tallies.truncate(top);
        summary.top_blocked_sites = tallies;
        let mut terms: Vec<SearchTermCount> = terms
            .into_iter()
            .map(|(terms, count)| SearchTermCount { terms, count })
            .collect();
        terms.sort_by(|a, b| (b.count, &a.terms).cmp(&(a.count, &b.terms)));
        terms.truncate(top);
        summary.flagged_search_terms = terms;
        summary.warn_rates.warned = summary.warned;
        summary.warn_rates.rate = if summary.records == 0 {
            0.0
        } else {
            summary.warned as f64 / summary.records as f64
        };
        summary.warn_rates.proceed_rate = if summary.warned == 0 {
            0.0
        } else {
            summary.warn_rates.proceeded as f64 / summary.warned as f64
        };
        summary.alert_details = alerts
            .into_iter()
            .map(|pending| {
                let mut entry = pending.entry;
                if let Some(incident) = pending.incident {
                    entry.routes = assess(&incident, &profile).routes;
                    entry.incident = Some(incident);
                }
                entry
            })
            .collect();
        summary.previous = previous;
        summary
    }
}

/// Counts a record of the previous period.
fn count_previous(previous: &mut PeriodTotals, record: &RecordView<'_>) {
    previous.records += 1;
    match record.action {
        Action::Block => {
            previous.blocked += 1;
            for category in &record.categories {
                add_one(&mut previous.by_category, category);
            }
        }
        Action::Warn if !record.proceeded => previous.warned += 1,
        Action::Warn => {}
        Action::Allow | Action::Monitor => {}
    }
    if record.alert.is_some() {
        previous.alerts += 1;
    }
}

/// Adds one to `key`'s count.
fn add_one(map: &mut BTreeMap<String, u64>, key: &str) {
    if let Some(count) = map.get_mut(key) {
        *count += 1;
    } else {
        map.insert(key.to_owned(), 1);
    }
}

/// Whether the record is of a statutory category.
fn is_statutory(record: &RecordView<'_>) -> bool {
    record
        .categories
        .iter()
        .any(|c| Category::from_id(c).is_some_and(Category::is_statutory))
}

/// Whether every category is a service category (and there is one).
fn is_service_only(categories: &[Text<'_>]) -> bool {
    !categories.is_empty()
        && categories
            .iter()
            .all(|c| SERVICE_CATEGORIES.contains(&&**c))
}

/// What a report names a record's site by: for a statutory record the
/// digest id (`sha256:…`) and nothing else (a record that holds anything
/// else there is shown as [`REDACTED_URL`], DESIGN.md invariant 2); for
/// others the URL's host. `None` when the record has no URL.
fn site_key<'r>(record: &'r RecordView<'_>) -> Option<&'r str> {
    let url = record.url.as_deref()?;
    if is_statutory(record) {
        let digest = url.starts_with("sha256:")
            && url.len() <= 40
            && url.bytes().skip(7).all(|b| b.is_ascii_hexdigit());
        return Some(if digest { url } else { REDACTED_URL });
    }
    if url.starts_with("sha256:") || url == REDACTED_URL {
        return Some(url);
    }
    let rest = memchr::memmem::find(url.as_bytes(), b"://")
        .and_then(|at| url.get(at + 3..))
        .unwrap_or(url);
    let host = rest.split(['/', '?']).next().unwrap_or(rest);
    Some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(categories: &[&str], url: &str) -> DecisionRecord {
        let line = serde_json::json!({
            "time": "2026-03-02T10:00:00+00:00", "site": null, "client_ip": null, "user": null,
            "device": null, "group": null, "age": null, "policy": "p", "url": url,
            "categories": categories, "action": "block", "rule": "baseline", "lists": [],
            "search_terms": null, "alert": null, "reasons": []
        });
        DecisionRecord::from_json_line(&line.to_string()).unwrap()
    }

    #[test]
    fn site_key_cases() {
        let cases = [
            (
                "host of a plain url",
                &["gambling"][..],
                "https://www.bet365.com/en?x=1",
                "www.bet365.com",
            ),
            (
                "host with a port",
                &["gambling"][..],
                "http://bet.example:8080/",
                "bet.example:8080",
            ),
            (
                "statutory digest id",
                &["child-abuse"][..],
                "sha256:00112233445566aa",
                "sha256:00112233445566aa",
            ),
            (
                "statutory plaintext is redacted",
                &["terrorism"][..],
                "https://bad.example/x",
                REDACTED_URL,
            ),
            (
                "statutory with a forged digest",
                &["child-abuse"][..],
                "sha256:bad.example/",
                REDACTED_URL,
            ),
        ];
        for (name, categories, url, want) in cases {
            assert_eq!(
                site_key(&RecordView::of(&rec(categories, url))),
                Some(want),
                "{name}"
            );
        }
    }
}
