//! [`RecordView`]: a decision record as the aggregation reads it, borrowed
//! from its JSON line (or from a [`DecisionRecord`]) instead of copied.
//!
//! A report reads millions of lines and keeps nothing of most of them:
//! reading each into an owned [`DecisionRecord`] (a dozen strings and
//! vectors, every reason copied) cost more than the counting. The view has
//! the same fields with the same types, strings borrowed where the JSON has
//! no escapes, so a line is a record exactly when it is a view (a test
//! checks both readings on the same lines) and the counts are the same.

use std::borrow::Cow;
use std::net::IpAddr;

use serde::Deserialize;

use crate::incident::Incident;
use crate::policy::{Action, AlertUrgency, Device};
use crate::record::{DecisionRecord, RecordTime, SearchSite};

/// The fields of a [`DecisionRecord`], borrowed.
#[derive(Debug, Deserialize)]
pub(super) struct RecordView<'a> {
    pub(super) time: RecordTime,
    #[serde(borrow)]
    pub(super) site: Option<Cow<'a, str>>,
    // Read (and so checked) as the record reads them; not counted.
    #[expect(dead_code, reason = "checked as the record checks it, not counted")]
    pub(super) client_ip: Option<IpAddr>,
    #[serde(borrow)]
    pub(super) user: Option<Cow<'a, str>>,
    #[expect(dead_code, reason = "checked as the record checks it, not counted")]
    pub(super) device: Option<Device>,
    #[serde(borrow)]
    pub(super) group: Option<Cow<'a, str>>,
    pub(super) age: Option<u8>,
    #[serde(borrow)]
    #[expect(dead_code, reason = "checked as the record checks it, not counted")]
    pub(super) policy: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(super) url: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(super) categories: Vec<Cow<'a, str>>,
    pub(super) action: Action,
    #[serde(borrow)]
    pub(super) rule: Cow<'a, str>,
    #[serde(borrow)]
    #[expect(dead_code, reason = "checked as the record checks it, not counted")]
    pub(super) lists: Vec<Cow<'a, str>>,
    #[serde(borrow)]
    pub(super) search_terms: Option<SearchTermsView<'a>>,
    #[serde(borrow)]
    pub(super) alert: Option<AlertView<'a>>,
    #[serde(borrow)]
    #[expect(dead_code, reason = "checked as the record checks it, not counted")]
    pub(super) reasons: Vec<Cow<'a, str>>,
    #[serde(default)]
    pub(super) incident: Option<Cow<'a, Incident>>,
    #[serde(default, borrow)]
    #[expect(dead_code, reason = "checked as the record checks it, not counted")]
    pub(super) error: Option<Cow<'a, str>>,
    #[serde(default)]
    pub(super) proceeded: bool,
}

/// [`crate::record::SearchTerms`], borrowed.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SearchTermsView<'a> {
    #[expect(dead_code, reason = "checked as the record checks it, not counted")]
    pub(super) site: SearchSite,
    #[serde(borrow)]
    pub(super) terms: Cow<'a, str>,
}

/// [`crate::policy::Alert`], borrowed.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AlertView<'a> {
    pub(super) urgency: AlertUrgency,
    #[serde(borrow)]
    pub(super) reason: Cow<'a, str>,
}

impl<'a> RecordView<'a> {
    /// Reads one JSON line: an error exactly when
    /// [`DecisionRecord::from_json_line`] gives one.
    pub(super) fn from_json_line(line: &'a str) -> Result<RecordView<'a>, serde_json::Error> {
        serde_json::from_str(line)
    }

    /// The view of a record built or read whole.
    pub(super) fn of(record: &'a DecisionRecord) -> RecordView<'a> {
        let borrow = |s: &'a Option<String>| s.as_deref().map(Cow::Borrowed);
        RecordView {
            time: record.time,
            site: borrow(&record.site),
            client_ip: record.client_ip,
            user: borrow(&record.user),
            device: record.device,
            group: borrow(&record.group),
            age: record.age,
            policy: borrow(&record.policy),
            url: borrow(&record.url),
            categories: record
                .categories
                .iter()
                .map(|c| Cow::Borrowed(c.as_str()))
                .collect(),
            action: record.action,
            rule: Cow::Borrowed(record.rule.as_str()),
            lists: Vec::new(),
            search_terms: record.search_terms.as_ref().map(|s| SearchTermsView {
                site: s.site,
                terms: Cow::Borrowed(s.terms.as_str()),
            }),
            alert: record.alert.as_ref().map(|a| AlertView {
                urgency: a.urgency,
                reason: Cow::Borrowed(a.reason.as_str()),
            }),
            reasons: Vec::new(),
            incident: record.incident.as_ref().map(Cow::Borrowed),
            error: None,
            proceeded: record.proceeded,
        }
    }
}
