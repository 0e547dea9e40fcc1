//! The `incident --json` shape (DESIGN.md, "Command-line contract"), shared
//! by every face: `{"severity", "routes": [ids], "actions": [..],
//! "explanation": [..]}` and the richer fields after them.

use serde::Serialize;

use super::assess::{Assessment, Judgement, PolicyReview, RouteStep};
use super::ids::{RouteId, Severity};
use super::log::LogField;

/// An assessment as the faces print it.
///
/// ```
/// use esafety::incident::{assess, AssessmentReport, EscalationProfile, Incident};
/// let incident = Incident::from_json(r#"{"kind": "aup-breach", "deliberate": true}"#)?;
/// let report = AssessmentReport::new(&assess(&incident, &EscalationProfile::national()?));
/// let json: serde_json::Value = serde_json::to_value(&report)?;
/// assert_eq!(json["severity"], "low");
/// assert_eq!(json["routes"][0], "internal");
/// assert!(json["actions"].as_array().is_some_and(|a| !a.is_empty()));
/// assert!(json["explanation"][0].as_str().is_some_and(|e| e.contains("STANDARD.md")));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssessmentReport {
    /// `critical`, `high`, `medium` or `low`.
    pub severity: Severity,
    /// Route ids in the order to act.
    pub routes: Vec<RouteId>,
    /// What must be done, in words.
    pub actions: Vec<String>,
    /// Why, one line per reason, each citing the standard.
    pub explanation: Vec<String>,
    /// Each route with its urgency, obligation, contact and reasons.
    pub route_details: Vec<RouteStep>,
    /// What must not be done.
    pub prohibited: Vec<String>,
    /// Decisions the standard leaves to a person.
    pub judgements: Vec<Judgement>,
    /// The policy review the incident triggers.
    pub review: PolicyReview,
    /// Incident-log fields still to complete (their keys).
    pub log_missing: Vec<&'static str>,
    /// The escalation profile the contacts come from.
    pub profile: String,
}

impl AssessmentReport {
    /// The report of an assessment.
    ///
    /// ```
    /// use esafety::incident::{assess, AssessmentReport, EscalationProfile, Incident, Kind};
    /// use esafety::incident::{RouteId, Severity};
    /// let a = assess(&Incident::new(Kind::Hacking), &EscalationProfile::shipped("manchester")?);
    /// let report = AssessmentReport::new(&a);
    /// assert_eq!(report.severity, Severity::Medium);
    /// assert_eq!(report.routes, [RouteId::Internal]);
    /// let all = ["description", "people", "identified_by", "actions_taken", "conclusion"];
    /// assert_eq!(report.log_missing, all);
    /// assert_eq!(report.profile, "manchester");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(a: &Assessment) -> AssessmentReport {
        AssessmentReport {
            severity: a.severity,
            routes: a.routes.iter().map(|r| r.route).collect(),
            actions: a.actions.iter().map(|i| i.text.clone()).collect(),
            explanation: a.explanation.iter().map(|e| e.line()).collect(),
            route_details: a.routes.clone(),
            prohibited: a.prohibited.iter().map(|i| i.text.clone()).collect(),
            judgements: a.judgements.clone(),
            review: a.review.clone(),
            log_missing: a.log_missing.iter().map(|f| LogField::key(*f)).collect(),
            profile: a.profile.clone(),
        }
    }

    /// The report as one line of JSON.
    ///
    /// ```
    /// use esafety::incident::{assess, AssessmentReport, EscalationProfile, Incident};
    /// let incident = Incident::from_json(r#"{"kind": "aup-breach", "deliberate": true}"#)?;
    /// let line = AssessmentReport::new(&assess(&incident, &EscalationProfile::national()?))
    ///     .to_json_line()?;
    /// assert!(!line.contains('\n'));
    /// assert!(line.starts_with(r#"{"severity":"low","routes":["internal"],"actions":["#));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// Only if serialization fails, which the types here do not do.
    pub fn to_json_line(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string(self)
    }
}
