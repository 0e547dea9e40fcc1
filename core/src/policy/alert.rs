//! Alerts: which decisions must reach the designated safeguarding lead,
//! and how soon (STANDARD.md, "Features a filter is expected to have":
//! alerts when content is blocked).
//!
//! A statutory block (`child-abuse`, `terrorism`) always alerts,
//! [`AlertUrgency::Immediately`]; no policy can lower that (DESIGN.md
//! invariant 1). Any rule can ask for an alert with `alert = "<urgency>"`.

use std::fmt;

use serde::{Deserialize, Serialize};

/// How soon an alert must be acted on. The ids are those of the incident
/// model's route urgency (`esafety::incident::Urgency`), so an alert and
/// the incident it may become speak the same words.
///
/// ```
/// use esafety::policy::{AlertUrgency, Policy};
///
/// let policy = Policy::load("p.toml", r#"
///     id = "p"
///     default = "allow"
///     [[rules]]
///     id = "self-harm"
///     action = "block"
///     categories = ["self-harm"]
///     alert = "same-day"
/// "#)?;
/// assert_eq!(policy.rules()[0].doc().alert, Some(AlertUrgency::SameDay));
/// assert!(AlertUrgency::Immediately < AlertUrgency::AtReview);
/// assert_eq!(AlertUrgency::WithinOneWorkingDay.as_str(), "within-one-working-day");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum AlertUrgency {
    /// Now: the lead is told at once (every statutory block).
    Immediately,
    /// Before the end of the day.
    SameDay,
    /// Within one working day.
    WithinOneWorkingDay,
    /// At the next review of the logs.
    AtReview,
}

impl AlertUrgency {
    /// The stable id.
    ///
    /// ```
    /// use esafety::policy::AlertUrgency;
    ///
    /// assert_eq!(AlertUrgency::Immediately.as_str(), "immediately");
    /// assert_eq!(AlertUrgency::AtReview.to_string(), "at-review");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            AlertUrgency::Immediately => "immediately",
            AlertUrgency::SameDay => "same-day",
            AlertUrgency::WithinOneWorkingDay => "within-one-working-day",
            AlertUrgency::AtReview => "at-review",
        }
    }
}

impl fmt::Display for AlertUrgency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An alert raised by a decision.
///
/// ```
/// use esafety::classify::Classification;
/// use esafety::policy::{AlertUrgency, Policy, Request};
/// use esafety::{CanonicalUrl, Category};
///
/// let policy = Policy::load("p.toml", "id = \"p\"\ndefault = \"allow\"")?;
/// let url = CanonicalUrl::parse("https://unlawful.example/")?;
/// let class = Classification { categories: [Category::Terrorism].into_iter().collect(), matches: vec![] };
/// let decision = policy.evaluate(&Request::new(&url, "2026-03-02T10:00:00Z".parse()?), &class);
/// let alert = decision.alert.ok_or("a statutory block always alerts")?;
/// assert_eq!(alert.urgency, AlertUrgency::Immediately);
/// assert!(alert.reason.contains("`terrorism`"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Alert {
    /// How soon to act.
    pub urgency: AlertUrgency,
    /// Why the decision alerts, in words.
    pub reason: String,
}
