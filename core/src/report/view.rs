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
    pub(super) site: Option<Text<'a>>,
    // Read (and so checked) as the record reads them; not counted.
    #[expect(dead_code, reason = "checked as the record checks it, not counted")]
    pub(super) client_ip: Option<IpAddr>,
    #[serde(borrow)]
    pub(super) user: Option<Text<'a>>,
    #[expect(dead_code, reason = "checked as the record checks it, not counted")]
    pub(super) device: Option<Device>,
    #[serde(borrow)]
    pub(super) group: Option<Text<'a>>,
    pub(super) age: Option<u8>,
    #[serde(borrow)]
    #[expect(dead_code, reason = "checked as the record checks it, not counted")]
    pub(super) policy: Option<Text<'a>>,
    #[serde(borrow)]
    pub(super) url: Option<Text<'a>>,
    #[serde(borrow)]
    pub(super) categories: Vec<Text<'a>>,
    pub(super) action: Action,
    #[serde(borrow)]
    pub(super) rule: Text<'a>,
    #[expect(dead_code, reason = "checked as the record checks it, not counted")]
    pub(super) lists: Strings,
    #[serde(borrow)]
    pub(super) search_terms: Option<SearchTermsView<'a>>,
    #[serde(default)]
    #[expect(dead_code, reason = "checked as the record checks it, not counted")]
    pub(super) content: Vec<crate::policy::ContentFinding>,
    #[serde(borrow)]
    pub(super) alert: Option<AlertView<'a>>,
    #[expect(dead_code, reason = "checked as the record checks it, not counted")]
    pub(super) reasons: Strings,
    #[serde(default)]
    pub(super) incident: Option<IncidentView<'a>>,
    #[serde(default, borrow)]
    #[expect(dead_code, reason = "checked as the record checks it, not counted")]
    pub(super) error: Option<Text<'a>>,
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
    pub(super) terms: Text<'a>,
}

/// [`crate::policy::Alert`], borrowed.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AlertView<'a> {
    pub(super) urgency: AlertUrgency,
    #[serde(borrow)]
    pub(super) reason: Text<'a>,
}

impl<'a> RecordView<'a> {
    /// Reads one JSON line: an error exactly when
    /// [`DecisionRecord::from_json_line`] gives one (and when the line is
    /// not UTF-8, which a `&str` cannot be).
    pub(super) fn from_json_line(line: &'a [u8]) -> Result<RecordView<'a>, serde_json::Error> {
        // One check of the whole line is cheaper than serde_json's check
        // of each string in it (a profile had it at an eighth of the
        // time); a line that is not UTF-8 is read as bytes so that its
        // error is serde_json's own, at its column.
        match std::str::from_utf8(line) {
            Ok(text) => serde_json::from_str(text),
            Err(_) => serde_json::from_slice(line),
        }
    }

    /// The view of a record built or read whole.
    pub(super) fn of(record: &'a DecisionRecord) -> RecordView<'a> {
        let borrow = |s: &'a Option<String>| s.as_deref().map(|s| Text(Cow::Borrowed(s)));
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
                .map(|c| Text(Cow::Borrowed(c.as_str())))
                .collect(),
            action: record.action,
            rule: Text(Cow::Borrowed(record.rule.as_str())),
            lists: Strings,
            content: Vec::new(),
            search_terms: record.search_terms.as_ref().map(|s| SearchTermsView {
                site: s.site,
                terms: Text(Cow::Borrowed(s.terms.as_str())),
            }),
            alert: record.alert.as_ref().map(|a| AlertView {
                urgency: a.urgency,
                reason: Text(Cow::Borrowed(a.reason.as_str())),
            }),
            reasons: Strings,
            incident: record.incident.as_ref().map(IncidentView::Of),
            error: None,
            proceeded: record.proceeded,
        }
    }
}

/// A record's incident draft: read from a line (boxed, so that the view
/// the reader builds and moves for every line stays small: most lines have
/// no incident) or borrowed from a record.
#[derive(Debug)]
pub(super) enum IncidentView<'a> {
    /// Read from a JSON line.
    Read(Box<Incident>),
    /// Borrowed from a [`DecisionRecord`].
    Of(&'a Incident),
}

impl IncidentView<'_> {
    /// The incident, owned.
    pub(super) fn to_incident(&self) -> Incident {
        match self {
            IncidentView::Read(incident) => (**incident).clone(),
            IncidentView::Of(incident) => (*incident).clone(),
        }
    }
}

impl<'de> Deserialize<'de> for IncidentView<'_> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Box::<Incident>::deserialize(d).map(IncidentView::Read)
    }
}

/// A JSON string, borrowed from the line when it has no escapes (serde's
/// own `Cow<str>` borrows only as a field of its own, not inside an
/// `Option` or a `Vec`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Text<'a>(pub(super) Cow<'a, str>);

impl std::ops::Deref for Text<'_> {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> serde::de::Visitor<'de> for Visit<'a> {
            type Value = Text<'a>;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string")
            }

            fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Text<'a>, E> {
                Ok(Text(Cow::Borrowed(v)))
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Text<'a>, E> {
                Ok(Text(Cow::Owned(v.to_owned())))
            }

            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Text<'a>, E> {
                Ok(Text(Cow::Owned(v)))
            }
        }
        d.deserialize_str(Visit(std::marker::PhantomData))
    }
}

/// A JSON array of strings, checked and not kept (`lists`, `reasons`).
#[derive(Debug)]
pub(super) struct Strings;

impl<'de> Deserialize<'de> for Strings {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Strings;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a sequence")
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Strings, A::Error> {
                while seq.next_element::<AnyStr>()?.is_some() {}
                Ok(Strings)
            }
        }
        d.deserialize_seq(Visit)
    }
}

/// A JSON string, checked and not kept.
struct AnyStr;

impl<'de> Deserialize<'de> for AnyStr {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl serde::de::Visitor<'_> for Visit {
            type Value = AnyStr;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string")
            }

            fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<AnyStr, E> {
                Ok(AnyStr)
            }
        }
        d.deserialize_str(Visit)
    }
}
