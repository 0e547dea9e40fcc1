//! Incident severity, escalation and the incident log (STANDARD.md,
//! "Incidents").
//!
//! An [`Incident`] holds the facts (read from TOML or JSON in the incident
//! file format of DESIGN.md); [`assess`] turns them and an
//! [`EscalationProfile`] into an [`Assessment`]: severity, routes in the
//! order to act with the profile's contacts, mandatory and prohibited
//! actions, the judgements the standard leaves to a person, the policy
//! review triggered, and an explanation citing the standard.
//! [`AssessmentReport`] is the `incident --json` shape every face prints;
//! [`Assessment::action_sheet`] is the plain-text sheet.
//!
//! ```
//! use esafety::incident::{assess, AssessmentReport, EscalationProfile, Incident, Severity};
//! let incident = Incident::from_bytes_auto(br#"{
//!   "kind": "nude-image-sharing",
//!   "setting": "school",
//!   "people": [{"role": "child", "involvement": "victim", "age": 15}],
//!   "risk_factors": ["adult-involved"]
//! }"#)?;
//! let profile = EscalationProfile::shipped("manchester")?;
//! let report = AssessmentReport::new(&assess(&incident, &profile));
//! assert_eq!(report.severity, Severity::Critical);
//! assert_eq!(report.routes[0].id(), "police");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod assess;
mod draft;
mod facts;
mod ids;
mod log;
mod profile;
mod report;
mod rules;
mod sheet;

pub use assess::{
    Assessment, Explanation, Item, Judgement, PolicyReview, ReviewScope, RouteStep, assess,
};
pub use draft::{BlockFacts, DraftError, IncidentDraft};
pub use facts::{FilterBlock, Format, Incident, IncidentError, LogFields, Person};
pub use ids::{
    IdentifiedBy, Involvement, Kind, Obligation, PoliceOutcome, RiskFactor, Role, RouteId, Setting,
    Severity, StaffConcern, UnknownId, Urgency,
};
pub use log::{IncidentLog, LogError, LogField, LogLineError, LogRecord, missing_log_fields};
pub use profile::{
    Contact, ContactSource, EscalationProfile, MANCHESTER_TOML, NATIONAL_TOML, Phone, ProfileError,
    SHIPPED, WebAddress,
};
pub use report::AssessmentReport;
pub use rules::Rule;
