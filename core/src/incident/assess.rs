//! The assessment: the standard's incident flowcharts (STANDARD.md,
//! "Incidents") as one pure function from facts and a profile to what to do.
//!
//! Each flowchart branch is a function below that adds routes, actions,
//! prohibitions and judgements. Severity is the highest any branch raises it
//! to and routes are the union of what the branches add, so a fact that
//! makes an incident worse (a UKCIS risk factor, a LADO test) can only raise
//! the severity and add routes, never lower or remove them.

use std::collections::BTreeMap;

use serde::Serialize;

use super::facts::Incident;
use super::ids::{
    IdentifiedBy, Involvement, Kind, Obligation, PoliceOutcome, RiskFactor, Role, RouteId,
    Severity, StaffConcern, Urgency,
};
use super::log::{LogField, missing_log_fields};
use super::profile::{Contact, ContactSource, EscalationProfile};
use super::rules::Rule;

/// What to do about an incident.
///
/// ```
/// use esafety::incident::{assess, EscalationProfile, Incident, LogField, Severity};
/// let incident = Incident::from_toml(r#"
/// kind = "cyberbullying"
/// identified_by = "disclosure"
/// people = [{ role = "child", involvement = "victim", age = 12 }]
/// "#)?;
/// let a = assess(&incident, &EscalationProfile::national()?);
/// assert_eq!(a.severity, Severity::Medium);
/// let routes: Vec<&str> = a.routes.iter().map(|r| r.route.id()).collect();
/// assert_eq!(routes, ["dsl", "parents", "childrens-social-care"]);
/// use LogField::{ActionsTaken, Conclusion, Description};
/// assert_eq!(a.log_missing, [Description, ActionsTaken, Conclusion]);
/// assert_eq!(a.profile, "national");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assessment {
    /// What happened (from the incident).
    pub kind: Kind,
    /// How serious it is.
    pub severity: Severity,
    /// Where to escalate, in the order to act: required routes by urgency,
    /// then the routes a person must consider.
    pub routes: Vec<RouteStep>,
    /// What must be done.
    pub actions: Vec<Item>,
    /// What must not be done.
    pub prohibited: Vec<Item>,
    /// Where the standard leaves the decision to a person, who and what.
    pub judgements: Vec<Judgement>,
    /// The policy review the incident triggers.
    pub review: PolicyReview,
    /// Why: each route and the severity, with the rule of the standard behind it.
    pub explanation: Vec<Explanation>,
    /// The incident-log fields still to complete.
    pub log_missing: Vec<LogField>,
    /// The id of the escalation profile the contacts come from.
    pub profile: String,
}

/// One route to take.
///
/// ```
/// use esafety::incident::{assess, ContactSource, EscalationProfile, Incident, Obligation};
/// use esafety::incident::{RouteId, Rule, Urgency};
/// let incident = Incident::from_toml(r#"
/// kind = "aup-breach"
/// people = [{ role = "staff", involvement = "instigator" }]
/// staff_concerns = ["risk-of-harm"]
/// "#)?;
/// let a = assess(&incident, &EscalationProfile::shipped("manchester")?);
/// let lado = a.routes.iter().find(|r| r.route == RouteId::Lado).ok_or("no LADO route")?;
/// assert_eq!(lado.urgency, Urgency::WithinOneWorkingDay);
/// assert_eq!(lado.obligation, Obligation::Required);
/// assert_eq!(lado.contact.phone.as_ref().map(|p| p.as_str()), Some("0161 203 2393"));
/// assert_eq!(lado.contact_source, ContactSource::Profile);
/// assert_eq!(lado.rules, [Rule::StaffLado]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RouteStep {
    /// The route.
    pub route: RouteId,
    /// How soon.
    pub urgency: Urgency,
    /// Whether the standard requires it or a person decides.
    pub obligation: Obligation,
    /// Who to contact and how, from the profile.
    pub contact: Contact,
    /// Whether the contact came from the profile or the national default.
    pub contact_source: ContactSource,
    /// Why this route, in plain words.
    pub because: Vec<String>,
    /// The rules behind it.
    pub rules: Vec<Rule>,
}

/// An action to take or to avoid, and the rule behind it.
///
/// ```
/// use esafety::incident::{assess, EscalationProfile, Incident, Kind, Rule};
/// let a = assess(&Incident::new(Kind::TerroristMaterial), &EscalationProfile::national()?);
/// assert!(a.actions[0].text.starts_with("Secure and preserve the evidence"));
/// assert_eq!(a.actions[0].rule, Rule::IllegalHandsOff);
/// assert!(a.prohibited.iter().any(|i| i.text.starts_with("Do not delete anything")));
/// assert!(a.prohibited.iter().all(|i| i.rule == Rule::IllegalHandsOff));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    /// What to do (or not do).
    pub text: String,
    /// The rule behind it.
    pub rule: Rule,
}

/// A decision the standard leaves to a person.
///
/// ```
/// use esafety::incident::{assess, EscalationProfile, Incident, Kind, RouteId, Rule};
/// let a = assess(&Incident::new(Kind::NudeImageSharing), &EscalationProfile::national()?);
/// let j = &a.judgements[0];
/// assert_eq!((j.who, j.rule), (RouteId::Dsl, Rule::NudeInternal));
/// assert!(j.question.contains("the setting MAY manage this internally"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Judgement {
    /// Who decides (usually the designated safeguarding lead).
    pub who: RouteId,
    /// What they decide.
    pub question: String,
    /// The rule behind it.
    pub rule: Rule,
}

/// Which policies an incident sends back for review.
///
/// ```
/// use esafety::incident::{assess, EscalationProfile, Incident, Kind, ReviewScope};
/// let profile = EscalationProfile::national()?;
/// let grooming = assess(&Incident::new(Kind::Grooming), &profile);
/// assert_eq!(grooming.review.scope, ReviewScope::AllEsafetyAndAcceptableUsePolicies);
/// let breach = assess(&Incident::new(Kind::AupBreach), &profile);
/// assert_eq!(breach.review.scope, ReviewScope::AcceptableUsePolicy);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReviewScope {
    /// All e-safety and acceptable-use policies (a serious incident).
    AllEsafetyAndAcceptableUsePolicies,
    /// The acceptable use policy the incident concerns.
    AcceptableUsePolicy,
}

/// The policy review an incident triggers.
///
/// ```
/// use esafety::incident::{assess, EscalationProfile, Incident};
/// let incident = Incident::from_json(r#"{"kind": "hacking", "deliberate": true}"#)?;
/// let review = assess(&incident, &EscalationProfile::national()?).review;
/// assert!(review.text.contains("sooner than its 12-monthly review"));
/// let json = serde_json::to_value(&review)?;
/// assert_eq!(json["scope"], "acceptable-use-policy");
/// assert_eq!(json["rule"]["id"], "aup-review");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyReview {
    /// Which policies.
    pub scope: ReviewScope,
    /// What to do, in plain words.
    pub text: String,
    /// The rule behind it.
    pub rule: Rule,
}

/// One reason in the explanation.
///
/// The reasons for the severity come first, then those for each route in
/// the order to act.
///
/// ```
/// use esafety::incident::{assess, EscalationProfile, Incident, Kind, RouteId, Rule};
/// let a = assess(&Incident::new(Kind::AupBreach), &EscalationProfile::shipped("manchester")?);
/// let e = &a.explanation;
/// assert_eq!(e[0].route, None);
/// assert_eq!(e[0].because, "low: `aup-breach`: inappropriate but legal, handled under the AUP");
/// assert_eq!((e[1].route, e[1].rule), (Some(RouteId::Internal), Rule::InappropriateLegal));
/// assert_eq!(e[2].rule, Rule::LocalProfile);
/// assert!(e[2].because.contains("profile `manchester` has no contact for `internal`"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Explanation {
    /// The route it explains, or `None` for the severity.
    pub route: Option<RouteId>,
    /// Why, in plain words, naming the facts.
    pub because: String,
    /// The rule of the standard.
    pub rule: Rule,
}

impl Explanation {
    /// One line: the route or severity, the reason and the citation.
    ///
    /// ```
    /// use esafety::incident::{Explanation, RouteId, Rule};
    /// let e = Explanation {
    ///     route: Some(RouteId::Iwf),
    ///     because: "child sexual abuse images online are reported to the IWF".into(),
    ///     rule: Rule::IllegalIwf,
    /// };
    /// assert_eq!(e.line(), concat!(
    ///     "iwf: child sexual abuse images online are reported to the IWF (STANDARD.md, ",
    ///     r#"Incidents: illegal material: "to the IWF for child sexual abuse images online")"#,
    /// ));
    /// let severity = Explanation { route: None, ..e };
    /// assert!(severity.line().starts_with("severity: "));
    /// ```
    pub fn line(&self) -> String {
        let head = self
            .route
            .map_or_else(|| "severity".to_owned(), |r| r.id().to_owned());
        format!("{head}: {} ({})", self.because, self.rule.cite())
    }
}

/// A route as the branches build it: urgency, obligation, and each reason
/// with its rule.
type RouteEntry = (Urgency, Obligation, Vec<(String, Rule)>);

#[derive(Default)]
struct Builder {
    severity: Option<(Severity, Vec<(String, Rule)>)>,
    routes: BTreeMap<RouteId, RouteEntry>,
    actions: Vec<Item>,
    prohibited: Vec<Item>,
    judgements: Vec<Judgement>,
}

impl Builder {
    fn raise(&mut self, severity: Severity, because: impl Into<String>, rule: Rule) {
        let reason = (because.into(), rule);
        match &mut self.severity {
            Some((current, reasons)) if *current == severity => reasons.push(reason),
            Some((current, _)) if *current > severity => {}
            _ => self.severity = Some((severity, vec![reason])),
        }
    }

    fn severity(&self) -> Severity {
        self.severity.as_ref().map_or(Severity::Low, |(s, _)| *s)
    }

    fn route(
        &mut self,
        route: RouteId,
        urgency: Urgency,
        obligation: Obligation,
        because: impl Into<String>,
        rule: Rule,
    ) {
        let reason = (because.into(), rule);
        let entry = self
            .routes
            .entry(route)
            .or_insert((urgency, obligation, Vec::new()));
        entry.0 = entry.0.min(urgency);
        entry.1 = entry.1.max(obligation);
        if !entry.2.contains(&reason) {
            entry.2.push(reason);
        }
    }

    fn must(&mut self, route: RouteId, urgency: Urgency, because: impl Into<String>, rule: Rule) {
        self.route(route, urgency, Obligation::Required, because, rule);
    }

    fn consider(
        &mut self,
        route: RouteId,
        urgency: Urgency,
        because: impl Into<String>,
        rule: Rule,
    ) {
        self.route(route, urgency, Obligation::Consider, because, rule);
    }

    fn action(&mut self, text: impl Into<String>, rule: Rule) {
        push_unique(
            &mut self.actions,
            Item {
                text: text.into(),
                rule,
            },
        );
    }

    fn prohibit(&mut self, text: impl Into<String>, rule: Rule) {
        push_unique(
            &mut self.prohibited,
            Item {
                text: text.into(),
                rule,
            },
        );
    }

    fn judge(&mut self, who: RouteId, question: impl Into<String>, rule: Rule) {
        let j = Judgement {
            who,
            question: question.into(),
            rule,
        };
        if !self.judgements.contains(&j) {
            self.judgements.push(j);
        }
    }
}

fn push_unique(items: &mut Vec<Item>, item: Item) {
    if !items.iter().any(|i| i.text == item.text) {
        items.push(item);
    }
}

/// Facts derived once from the incident.
struct Facts<'a> {
    incident: &'a Incident,
    kind: Kind,
    /// The illegal material the incident concerns, if any: `kind` itself, or
    /// what a statutory filter block names (see [`blocked_material`]).
    material: Option<Kind>,
    cleared: bool,
    illegal: bool,
    child_victim: bool,
    child_instigator: bool,
    staff_instigator: bool,
    adult_instigator: bool,
}

impl<'a> Facts<'a> {
    fn new(incident: &'a Incident) -> Facts<'a> {
        let cleared = incident.police_outcome == Some(PoliceOutcome::NotIllegal);
        let staff_instigator = incident.has(Role::Staff, Involvement::Instigator)
            || incident.has(Role::Volunteer, Involvement::Instigator);
        let material = if incident.kind.is_illegal_material() {
            Some(incident.kind)
        } else {
            blocked_material(incident)
        };
        // The police are the ones who judge illegality (STANDARD.md,
        // "Incidents": "await the police response. If the police judge it
        // not illegal, return to internal procedures"), so their `illegal`
        // makes any kind illegal, as their `not-illegal` clears any kind.
        let police_illegal = incident.police_outcome == Some(PoliceOutcome::Illegal);
        Facts {
            incident,
            kind: incident.kind,
            material,
            cleared,
            illegal: (material.is_some()
                || incident.criminal_conduct == Some(true)
                || police_illegal)
                && !cleared,
            child_victim: incident.has(Role::Child, Involvement::Victim),
            child_instigator: incident.has(Role::Child, Involvement::Instigator),
            staff_instigator,
            adult_instigator: staff_instigator
                || incident.has(Role::ExternalAdult, Involvement::Instigator)
                || incident.has(Role::Parent, Involvement::Instigator),
        }
    }

    fn risk(&self, f: RiskFactor) -> bool {
        self.incident.has_risk(f)
    }

    /// The UKCIS factors that hold, explicit or implied by the people
    /// (an adult instigator is an adult involved).
    fn ukcis_factors(&self) -> Vec<RiskFactor> {
        let mut v = self.incident.risk_factors.clone();
        if self.adult_instigator && !v.contains(&RiskFactor::AdultInvolved) {
            v.push(RiskFactor::AdultInvolved);
        }
        crate::sorted::sort(&mut v);
        v
    }

    /// The LADO tests that hold, explicit or implied: child sexual abuse
    /// material, grooming or nude images of children by a member of staff
    /// is a possible offence related to a child (test b).
    fn staff_concerns(&self) -> Vec<StaffConcern> {
        let mut v = self.incident.staff_concerns.clone();
        let implied = self.staff_instigator
            && matches!(
                self.kind,
                Kind::ChildSexualAbuseMaterial | Kind::Grooming | Kind::NudeImageSharing
            );
        if implied && !v.contains(&StaffConcern::OffenceAgainstChild) {
            v.push(StaffConcern::OffenceAgainstChild);
        }
        crate::sorted::sort(&mut v);
        v
    }

    fn staff_involved(&self) -> bool {
        self.staff_instigator || !self.incident.staff_concerns.is_empty()
    }

    /// Whether the "inappropriate but legal" branch applies. The standard
    /// gives it for legal material only: illegal material is "do not
    /// investigate further ... await the police response", and only "if the
    /// police judge it not illegal, return to internal procedures". For
    /// staff, the LADO is referred to when a test holds and "otherwise,
    /// disciplinary / HR procedures" follow, so its steps (sanction,
    /// debrief, ask whether it was deliberate) would be the internal
    /// investigation the referral puts on hold. Staff below the LADO
    /// threshold still get it, beside HR.
    fn inappropriate_but_legal(&self) -> bool {
        !self.illegal && self.staff_concerns().is_empty()
    }
}

/// The illegal material a filter block names: the IWF list is "child sexual
/// abuse content" and the police-assessed list "unlawful terrorist content"
/// (STANDARD.md, "Filtering": "Illegal content, non-negotiable"), so a block
/// on `child-abuse` or `terrorism` is illegal material whatever `kind` the
/// record gives, as [`crate::incident::IncidentDraft::from_block`] drafts it.
fn blocked_material(incident: &Incident) -> Option<Kind> {
    let block = incident.filter_block.as_ref()?;
    match crate::taxonomy::Category::from_id(&block.category)? {
        crate::taxonomy::Category::ChildAbuse => Some(Kind::ChildSexualAbuseMaterial),
        crate::taxonomy::Category::Terrorism => Some(Kind::TerroristMaterial),
        _ => None,
    }
}

/// Assess an incident: severity, routes in the order to act with the
/// profile's contacts, mandatory and prohibited actions, the judgements left
/// to a person, the policy review and the explanation.
///
/// Total: every combination of facts gives an assessment.
///
/// The "inappropriate but legal" steps (sanction under the AUP, debrief)
/// are for legal incidents with no LADO referral only. Illegal material
/// (an illegal `kind`, `criminal_conduct`, a `child-abuse` or `terrorism`
/// filter block, or `police_outcome = "illegal"`) waits for the police, and
/// a LADO referral for the LADO, before any internal procedure.
///
/// ```
/// use esafety::incident::{assess, EscalationProfile, Incident, RouteId, Rule, Severity};
/// let incident = Incident::from_toml(r#"
/// kind = "child-sexual-abuse-material"
/// deliberate = true
/// setting = "school"
/// identified_by = "staff-observation"
/// people = [{ role = "child", involvement = "instigator", age = 14 }]
/// "#)?;
/// let a = assess(&incident, &EscalationProfile::national()?);
/// assert_eq!(a.severity, Severity::Critical);
/// let routes: Vec<RouteId> = a.routes.iter().map(|r| r.route).collect();
/// assert!(routes.contains(&RouteId::Police) && routes.contains(&RouteId::Iwf));
/// assert!(a.prohibited.iter().any(|p| p.text.contains("view, copy, forward or print")));
/// // Hacking that is a crime is not handled under the AUP first.
/// let hacking = Incident::from_toml("kind = \"hacking\"\ncriminal_conduct = true\n")?;
/// let a = assess(&hacking, &EscalationProfile::national()?);
/// assert_eq!(a.routes[0].route, RouteId::Police);
/// assert!(a.actions.iter().all(|i| i.rule != Rule::InappropriateLegal));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn assess(incident: &Incident, profile: &EscalationProfile) -> Assessment {
    let f = Facts::new(incident);
    let mut b = Builder::default();

    if f.illegal {
        illegal_material(&f, &mut b);
    }
    if f.cleared {
        police_cleared(&f, &mut b);
    }
    if f.kind == Kind::NudeImageSharing {
        nude_images(&f, &mut b);
    } else {
        other_risk_factors(&f, &mut b);
    }
    if f.risk(RiskFactor::ImmediateRisk) {
        immediate_risk(&mut b);
    }
    match f.kind {
        Kind::Cyberbullying => cyberbullying(&mut b),
        Kind::SelfHarm => self_harm(&mut b),
        Kind::InappropriateContent | Kind::AupBreach | Kind::Hacking | Kind::Other => {
            if f.inappropriate_but_legal() {
                inappropriate_legal(&f, &mut b);
            } else if !f.illegal {
                // A LADO referral puts the AUP procedure on hold rather than
                // cancelling it, and keeps the `internal` route the incident
                // had without the LADO test (a LADO test adds, never
                // removes, a route).
                b.must(
                    RouteId::Internal,
                    Urgency::AtReview,
                    "the e-safety officer's review and any sanction under the AUP follow only on the LADO's advice",
                    Rule::StaffLado,
                );
            }
        }
        _ => {}
    }
    if f.kind == Kind::Other && f.incident.criminal_conduct.is_none() && !f.illegal {
        b.judge(
            RouteId::Dsl,
            "Could this be criminal conduct? If so, record `criminal_conduct = true`: it is then treated as illegal (police)",
            Rule::IllegalPolice,
        );
    }
    wider_harm(&f, &mut b);
    if f.staff_involved() {
        staff(&f, &mut b);
    }
    if f.child_victim {
        child_victim(&mut b);
    }
    filter_and_identification(&f, &mut b);
    // Branches that depend on the severity reached so far come last.
    if f.child_instigator {
        child_instigator(&f, &mut b);
    }
    serious(&mut b);
    b.action(
        "Record the incident in the incident log: a description, the people involved, how it was identified, what actions were taken and by whom, and the conclusion",
        Rule::IncidentLog,
    );
    finish(b, incident, profile)
}

fn illegal_material(f: &Facts<'_>, b: &mut Builder) {
    use Urgency::{Immediately, SameDay};
    let what = match (f.material, &f.incident.filter_block) {
        (Some(_), _) if f.kind.is_illegal_material() => {
            format!("`{}` is illegal material", f.kind)
        }
        (Some(m), Some(block)) => format!(
            "the filter blocked `{}` content (list `{}`): `{m}` is illegal material",
            block.category, block.list
        ),
        _ if f.incident.police_outcome == Some(PoliceOutcome::Illegal) => {
            "the police treat it as illegal".to_owned()
        }
        _ => "criminal conduct is suspected".to_owned(),
    };
    let severity = match f.material {
        Some(Kind::ChildSexualAbuseMaterial | Kind::TerroristMaterial | Kind::Grooming) => {
            Severity::Critical
        }
        _ => Severity::High,
    };
    b.raise(severity, what.clone(), Rule::IllegalPolice);
    b.must(
        RouteId::Police,
        Immediately,
        format!("{what}: report it to the police"),
        Rule::IllegalPolice,
    );
    b.must(
        RouteId::Dsl,
        Immediately,
        "the designated safeguarding lead makes and records the referrals",
        Rule::EsafetyOfficer,
    );
    b.must(
        RouteId::SeniorLeadership,
        Immediately,
        "illegal material: inform senior leadership",
        Rule::IllegalSeniorLeadership,
    );
    match f.material {
        Some(Kind::ChildSexualAbuseMaterial) => {
            b.must(
                RouteId::Iwf,
                SameDay,
                "child sexual abuse images online are reported to the IWF (give the web address, never the images)",
                Rule::IllegalIwf,
            );
            let sexual_abuse = f.child_victim
                || f.adult_instigator
                || f.risk(RiskFactor::AdultInvolved)
                || f.risk(RiskFactor::Coercion);
            if sexual_abuse {
                b.must(
                    RouteId::Ceop,
                    Immediately,
                    "a child is being sexually abused or exploited online (a child victim, an adult involved or coercion)",
                    Rule::IllegalCeop,
                );
            } else {
                b.consider(
                    RouteId::Ceop,
                    SameDay,
                    "report to CEOP if the images show the online sexual abuse of a child you know of",
                    Rule::IllegalCeop,
                );
                b.judge(
                    RouteId::Dsl,
                    "Do the images show the online sexual abuse of a child you know of, or was a child groomed or coerced into making them? If so, report to CEOP as well",
                    Rule::IllegalCeop,
                );
            }
        }
        Some(Kind::Grooming) => b.must(
            RouteId::Ceop,
            Immediately,
            "grooming is reported to CEOP",
            Rule::IllegalCeop,
        ),
        Some(Kind::TerroristMaterial) => b.must(
            RouteId::CounterTerrorism,
            Immediately,
            "terrorist content is reported to counter-terrorism policing",
            Rule::IllegalCounterTerrorism,
        ),
        _ => {}
    }
    b.action(
        "Secure and preserve the evidence and the hardware: keep the device, account and any storage safe and out of use until the police advise",
        Rule::IllegalHandsOff,
    );
    b.action(
        "Await the police response before any internal procedure (sanctions, interviews) goes ahead",
        Rule::IllegalSeniorLeadership,
    );
    b.prohibit(
        "Do not view, copy, forward or print the material, not even to show a colleague or to report it",
        Rule::IllegalHandsOff,
    );
    b.prohibit(
        "Do not investigate further: do not search the device, question the people involved about the material or confront anyone",
        Rule::IllegalHandsOff,
    );
    b.prohibit(
        "Do not delete anything, wipe or reset the device, or give it back",
        Rule::IllegalHandsOff,
    );
    if f.incident.police_outcome.is_none()
        || f.incident.police_outcome == Some(PoliceOutcome::Pending)
    {
        b.judge(
            RouteId::Police,
            "The police judge whether the material is illegal. If they judge it not illegal, return to internal procedures (record `police_outcome = \"not-illegal\"` and assess again)",
            Rule::PoliceNotIllegal,
        );
    }
}

fn police_cleared(f: &Facts<'_>, b: &mut Builder) {
    b.raise(
        Severity::Medium,
        format!("the police judged the `{}` not illegal", f.kind),
        Rule::PoliceNotIllegal,
    );
    b.must(
        RouteId::Internal,
        Urgency::WithinOneWorkingDay,
        "the police judged it not illegal: return to internal procedures",
        Rule::PoliceNotIllegal,
    );
    b.must(
        RouteId::Dsl,
        Urgency::SameDay,
        "the designated safeguarding lead records the police response and leads the internal procedure",
        Rule::EsafetyOfficer,
    );
    if f.inappropriate_but_legal() {
        inappropriate_legal(f, b);
    }
}

fn factor_words(f: RiskFactor) -> &'static str {
    match f {
        RiskFactor::AdultInvolved => "an adult is involved",
        RiskFactor::Coercion => {
            "there is coercion, blackmail or grooming, or doubt about capacity to consent"
        }
        RiskFactor::DevelopmentallyUnusual => {
            "the acts shown are unusual for the child's developmental stage, or violent"
        }
        RiskFactor::Under13 => "sexual acts are shown and a child in them is under 13",
        RiskFactor::ImmediateRisk => "a child is at immediate risk of harm",
    }
}

fn nude_images(f: &Facts<'_>, b: &mut Builder) {
    use Urgency::{AtReview, Immediately, SameDay, WithinOneWorkingDay};
    let factors = f.ukcis_factors();
    b.prohibit(
        "Do not view, copy, forward or print the images, and do not ask a child to send, show or delete them",
        Rule::IllegalHandsOff,
    );
    b.action(
        "Secure the devices involved and preserve the evidence until the designated safeguarding lead decides",
        Rule::IllegalHandsOff,
    );
    b.consider(
        RouteId::Iwf,
        AtReview,
        "if an image is online, the young person can have it taken down with Report Remove (Childline and the IWF)",
        Rule::IllegalIwf,
    );
    let under13_age = f.incident.children().any(|p| p.age.is_some_and(|a| a < 13));
    if under13_age && !factors.contains(&RiskFactor::Under13) {
        b.judge(
            RouteId::Dsl,
            "A child under 13 is involved: if the images show sexual acts, UKCIS factor 4 holds and the incident is referred at once (record `under-13`)",
            Rule::NudeReferral,
        );
    }
    if factors.is_empty() {
        b.raise(
            Severity::Medium,
            "nude images shared by children with no UKCIS risk factor recorded",
            Rule::NudeInternal,
        );
        b.must(
            RouteId::Dsl,
            SameDay,
            "the designated safeguarding lead decides how the setting manages it",
            Rule::NudeInternal,
        );
        b.must(
            RouteId::Internal,
            WithinOneWorkingDay,
            "no UKCIS risk factor is recorded: the setting may manage it internally",
            Rule::NudeInternal,
        );
        b.judge(
            RouteId::Dsl,
            "No UKCIS risk factor is recorded, so the setting MAY manage this internally and escalate later; this is the designated safeguarding lead's judgement, not a certainty. Check each factor: an adult involved; coercion, blackmail or grooming, or doubt about capacity to consent; acts unusual for the child's developmental stage, or violent; sexual acts with a child under 13; a child at immediate risk of harm. If any holds, refer at once to the police and/or children's social care",
            Rule::NudeInternal,
        );
        return;
    }
    let words: Vec<&str> = factors.iter().map(|x| factor_words(*x)).collect();
    let because = format!("UKCIS: {}", words.join("; "));
    let critical = factors.iter().any(|x| {
        matches!(
            x,
            RiskFactor::AdultInvolved
                | RiskFactor::Coercion
                | RiskFactor::Under13
                | RiskFactor::ImmediateRisk
        )
    });
    b.raise(
        if critical {
            Severity::Critical
        } else {
            Severity::High
        },
        because.clone(),
        Rule::NudeReferral,
    );
    let police_needed = factors.iter().any(|x| {
        matches!(
            x,
            RiskFactor::AdultInvolved | RiskFactor::Coercion | RiskFactor::Under13
        )
    });
    let social_care_needed = factors.iter().any(|x| {
        matches!(
            x,
            RiskFactor::DevelopmentallyUnusual | RiskFactor::Under13 | RiskFactor::ImmediateRisk
        )
    });
    let obligation = |needed: bool| {
        if needed {
            Obligation::Required
        } else {
            Obligation::Consider
        }
    };
    b.route(
        RouteId::Police,
        Immediately,
        obligation(police_needed),
        format!("{because}: refer at once to the police and/or children's social care"),
        Rule::NudeReferral,
    );
    b.route(
        RouteId::ChildrensSocialCare,
        Immediately,
        obligation(social_care_needed),
        format!("{because}: refer at once to the police and/or children's social care"),
        Rule::NudeReferral,
    );
    if factors.contains(&RiskFactor::AdultInvolved) || factors.contains(&RiskFactor::Coercion) {
        b.must(
            RouteId::Ceop,
            Immediately,
            "an adult involved, or coercion or blackmail, is online sexual abuse or grooming",
            Rule::IllegalCeop,
        );
    }
    b.must(
        RouteId::Dsl,
        Immediately,
        "the designated safeguarding lead makes the referral",
        Rule::NudeReferral,
    );
    b.must(
        RouteId::Internal,
        AtReview,
        "support for the children and any sanctions follow once the police or children's social care advise",
        Rule::NudeInternal,
    );
    b.judge(
        RouteId::Dsl,
        "The standard says refer at once to the police AND/OR children's social care: the designated safeguarding lead decides whether one or both (the routes marked required follow from the factors recorded)",
        Rule::NudeReferral,
    );
}

fn other_risk_factors(f: &Facts<'_>, b: &mut Builder) {
    if f.risk(RiskFactor::AdultInvolved) || f.risk(RiskFactor::Coercion) {
        b.raise(
            Severity::High,
            "an adult is involved, or there is coercion, blackmail or grooming",
            Rule::IllegalCeop,
        );
        b.consider(
            RouteId::Ceop,
            Urgency::SameDay,
            "an adult involved or coercion may be online sexual abuse or grooming",
            Rule::IllegalCeop,
        );
        b.judge(
            RouteId::Dsl,
            "An adult is involved or there is coercion: is this grooming or online sexual abuse? If so, treat it as illegal (kind `grooming`): police and CEOP",
            Rule::IllegalCeop,
        );
    }
    if f.risk(RiskFactor::DevelopmentallyUnusual) || f.risk(RiskFactor::Under13) {
        b.raise(
            Severity::Medium,
            "a risk factor about the child's age or development is recorded",
            Rule::NudeReferral,
        );
        b.must(
            RouteId::Dsl,
            Urgency::SameDay,
            "a risk factor about the child's age or development is recorded",
            Rule::ChildVictim,
        );
    }
}

fn immediate_risk(b: &mut Builder) {
    b.raise(
        Severity::Critical,
        "a child is at immediate risk of harm",
        Rule::IllegalPolice,
    );
    b.must(
        RouteId::PoliceEmergency,
        Urgency::Immediately,
        "a child is at immediate risk of harm: call 999",
        Rule::IllegalPolice,
    );
    b.must(
        RouteId::Dsl,
        Urgency::Immediately,
        "a child is at immediate risk of harm",
        Rule::NudeReferral,
    );
    b.action(
        "Stay with the child, or make sure a member of staff does, until help arrives",
        Rule::ChildVictim,
    );
}

fn cyberbullying(b: &mut Builder) {
    b.raise(Severity::Medium, "cyberbullying", Rule::ChildVictim);
    b.must(
        RouteId::Dsl,
        Urgency::SameDay,
        "bullying: the designated safeguarding lead supports the child bullied",
        Rule::ChildVictim,
    );
    b.action(
        "Keep the evidence of the bullying (messages, screenshots the child already has, dates); do not forward it further",
        Rule::IllegalHandsOff,
    );
}

fn self_harm(b: &mut Builder) {
    b.raise(
        Severity::High,
        "self-harm or suicide: a child may be at risk of harm",
        Rule::ChildVictim,
    );
    b.must(
        RouteId::Dsl,
        Urgency::Immediately,
        "self-harm or suicide: the designated safeguarding lead supports the child",
        Rule::ChildVictim,
    );
    b.must(
        RouteId::Parents,
        Urgency::SameDay,
        "parents are informed unless that puts the child at greater risk",
        Rule::ChildVictim,
    );
    b.judge(
        RouteId::Dsl,
        "Is the child at immediate risk of harm (suicidal or self-harming now)? If so call 999 and record `immediate-risk`",
        Rule::NudeReferral,
    );
    b.judge(
        RouteId::Dsl,
        "Would telling the parents put the child at greater risk? If so, do not inform them",
        Rule::ChildVictim,
    );
    b.prohibit(
        "Do not inform the parents where that would put the child at greater risk",
        Rule::ChildVictim,
    );
    b.action("Support the child", Rule::ChildVictim);
}

fn inappropriate_legal(f: &Facts<'_>, b: &mut Builder) {
    let severity = if f.kind == Kind::Hacking {
        Severity::Medium
    } else {
        Severity::Low
    };
    b.raise(
        severity,
        format!(
            "`{}`: inappropriate but legal, handled under the AUP",
            f.kind
        ),
        Rule::InappropriateLegal,
    );
    b.must(
        RouteId::Internal,
        Urgency::WithinOneWorkingDay,
        "inappropriate but legal: report to the e-safety officer",
        Rule::InappropriateLegal,
    );
    b.action(
        "Report it to the e-safety officer",
        Rule::InappropriateLegal,
    );
    b.action(
        "Review what happened and how (including whether the filter should have stopped it)",
        Rule::InappropriateLegal,
    );
    match f.incident.deliberate {
        Some(true) => b.action("Sanction under the AUP", Rule::InappropriateLegal),
        Some(false) => {}
        None => {
            b.action(
                "Sanction under the AUP if it was deliberate",
                Rule::InappropriateLegal,
            );
            b.judge(
                RouteId::Internal,
                "Was it deliberate? Accidental access needs support and a filter check; deliberate access is sanctioned under the AUP",
                Rule::InappropriateLegal,
            );
        }
    }
    b.action("Debrief the people involved", Rule::InappropriateLegal);
    b.action("Monitor use afterwards", Rule::InappropriateLegal);
}

fn wider_harm(f: &Facts<'_>, b: &mut Builder) {
    match f.incident.wider_harm {
        Some(true) => {
            b.raise(
                Severity::High,
                "the incident points to wider harm",
                Rule::WiderHarm,
            );
            let urgency = if f.risk(RiskFactor::ImmediateRisk) {
                Urgency::Immediately
            } else {
                Urgency::SameDay
            };
            b.must(
                RouteId::ChildrensSocialCare,
                urgency,
                "the incident points to wider harm (abuse at home, peer abuse)",
                Rule::WiderHarm,
            );
        }
        Some(false) => {}
        None => {
            let relevant = f.illegal
                || matches!(
                    f.kind,
                    Kind::NudeImageSharing | Kind::Cyberbullying | Kind::SelfHarm
                )
                || f.child_victim;
            if relevant {
                b.consider(
                    RouteId::ChildrensSocialCare,
                    Urgency::SameDay,
                    "consider whether the incident points to wider harm (abuse at home, peer abuse)",
                    Rule::WiderHarm,
                );
                b.judge(
                    RouteId::Dsl,
                    "Does the incident point to wider harm (abuse at home, peer abuse)? If so, refer to children's social care as well (record `wider_harm = true`)",
                    Rule::WiderHarm,
                );
            }
        }
    }
}

fn concern_words(c: StaffConcern) -> &'static str {
    match c {
        StaffConcern::HarmedChild => "(a) harmed or may have harmed a child",
        StaffConcern::OffenceAgainstChild => {
            "(b) possibly committed a criminal offence against or related to a child"
        }
        StaffConcern::RiskOfHarm => "(c) may pose a risk of harm",
        StaffConcern::UnsuitableToWorkWithChildren => {
            "(d) may not be suitable to work with children"
        }
    }
}

fn staff(f: &Facts<'_>, b: &mut Builder) {
    let concerns = f.staff_concerns();
    if concerns.is_empty() {
        b.raise(
            Severity::Medium,
            "a member of staff or volunteer is involved; no LADO test recorded",
            Rule::StaffHr,
        );
        b.must(
            RouteId::SeniorLeadership,
            Urgency::SameDay,
            "a member of staff or volunteer is involved",
            Rule::StaffHr,
        );
        b.must(
            RouteId::Hr,
            Urgency::WithinOneWorkingDay,
            "no LADO test is recorded: disciplinary / HR procedures",
            Rule::StaffHr,
        );
        b.judge(
            RouteId::SeniorLeadership,
            "None of the four LADO tests is recorded. Check each: has the person (a) harmed or may have harmed a child, (b) possibly committed a criminal offence against or related to a child, (c) behaved in a way that indicates they may pose a risk of harm, (d) behaved in a way that indicates they may not be suitable to work with children? The threshold is harm, not significant harm: if any holds, refer to the LADO",
            Rule::StaffThreshold,
        );
        return;
    }
    let words: Vec<&str> = concerns.iter().map(|c| concern_words(*c)).collect();
    let because = format!("LADO test: the person has {}", words.join("; "));
    let grave = concerns.iter().any(|c| {
        matches!(
            c,
            StaffConcern::HarmedChild | StaffConcern::OffenceAgainstChild
        )
    });
    b.raise(
        if grave {
            Severity::Critical
        } else {
            Severity::High
        },
        because.clone(),
        Rule::StaffLado,
    );
    b.must(
        RouteId::Lado,
        if grave {
            Urgency::SameDay
        } else {
            Urgency::WithinOneWorkingDay
        },
        format!("{because} (the threshold is harm, not significant harm)"),
        Rule::StaffLado,
    );
    b.must(
        RouteId::SeniorLeadership,
        Urgency::Immediately,
        "an allegation about a member of staff or volunteer goes to the head teacher or manager",
        Rule::StaffLado,
    );
    b.must(
        RouteId::Hr,
        Urgency::AtReview,
        "disciplinary / HR procedures follow only on the LADO's advice",
        Rule::StaffHr,
    );
    b.prohibit(
        "Do not investigate the allegation yourself or warn the member of staff before the LADO advises",
        Rule::StaffLado,
    );
    if f.incident.staff_concerns.len() < concerns.len() {
        b.judge(
            RouteId::Lado,
            format!(
                "LADO test (b) is taken to hold because a member of staff or volunteer is the instigator of `{}`; the LADO confirms",
                f.kind
            ),
            Rule::StaffLado,
        );
    }
}

fn child_victim(b: &mut Builder) {
    b.raise(Severity::Medium, "a child is a victim", Rule::ChildVictim);
    b.must(
        RouteId::Dsl,
        Urgency::SameDay,
        "a child as victim: the designated safeguarding lead",
        Rule::ChildVictim,
    );
    b.must(
        RouteId::Parents,
        Urgency::SameDay,
        "a child as victim: parents are informed unless that puts the child at greater risk",
        Rule::ChildVictim,
    );
    b.action("Support the child", Rule::ChildVictim);
    b.prohibit(
        "Do not inform the parents where that would put the child at greater risk",
        Rule::ChildVictim,
    );
    b.judge(
        RouteId::Dsl,
        "Would telling the parents put the child at greater risk? If so, do not inform them",
        Rule::ChildVictim,
    );
}

fn child_instigator(f: &Facts<'_>, b: &mut Builder) {
    b.raise(
        Severity::Low,
        "a child is the instigator",
        Rule::ChildInstigator,
    );
    let persistent = f.incident.persistent == Some(true);
    if persistent {
        b.raise(
            Severity::Medium,
            "a child's conduct is persistent",
            Rule::ChildInstigator,
        );
    }
    let after_police = if f.illegal {
        " once the police have responded"
    } else {
        ""
    };
    b.must(
        RouteId::Internal,
        Urgency::WithinOneWorkingDay,
        format!("a child as instigator: sanctions under the AUP{after_police}"),
        Rule::ChildInstigator,
    );
    b.must(
        RouteId::Dsl,
        Urgency::WithinOneWorkingDay,
        "a child as instigator: the designated safeguarding lead considers whether the child is themselves at risk",
        Rule::ChildInstigator,
    );
    b.judge(
        RouteId::Dsl,
        "Is the child who did this themselves at risk (exploited, coerced, harmed at home)?",
        Rule::ChildInstigator,
    );
    let serious = b.severity().is_serious();
    let parents_required = b
        .routes
        .get(&RouteId::Parents)
        .is_some_and(|(_, o, _)| *o == Obligation::Required);
    if parents_required && !serious && !persistent {
        return;
    }
    if serious || persistent {
        b.must(
            RouteId::Parents,
            Urgency::SameDay,
            if persistent {
                "a child as instigator, persistent: parents are informed"
            } else {
                "a child as instigator, serious: parents are informed"
            },
            Rule::ChildInstigator,
        );
    } else {
        b.consider(
            RouteId::Parents,
            Urgency::AtReview,
            "a child as instigator: parents are informed if it is serious or persistent",
            Rule::ChildInstigator,
        );
        b.judge(
            RouteId::Dsl,
            "Is the child's conduct serious or persistent? If so, inform the parents",
            Rule::ChildInstigator,
        );
    }
}

fn filter_and_identification(f: &Facts<'_>, b: &mut Builder) {
    let content = matches!(
        f.kind,
        Kind::ChildSexualAbuseMaterial
            | Kind::TerroristMaterial
            | Kind::CriminallyRacistMaterial
            | Kind::ObsceneMaterial
            | Kind::InappropriateContent
    );
    match f.incident.identified_by {
        Some(IdentifiedBy::FilterAlert) => {
            if f.incident.people.is_empty() {
                b.judge(
                    RouteId::Dsl,
                    "Who was using the device is not recorded: identify the user from the filter log (user, device, time)",
                    Rule::FilterIdentify,
                );
            }
            if f.incident.deliberate.is_none() {
                b.judge(
                    RouteId::Dsl,
                    "A filter block alone does not show whether the access was deliberate: find out before any sanction",
                    Rule::InappropriateLegal,
                );
            }
        }
        Some(_) if content => {
            b.judge(
                RouteId::Internal,
                "The material was reached without a filter alert: check whether the filter should have blocked it and report it to the filtering provider as wrongly unblocked",
                Rule::FilterReport,
            );
        }
        _ => {}
    }
}

fn serious(b: &mut Builder) {
    if b.severity().is_serious() {
        b.must(
            RouteId::SeniorLeadership,
            Urgency::SameDay,
            "a serious incident: senior leadership leads the review of all e-safety and acceptable-use policies",
            Rule::SeriousReview,
        );
    }
}

fn finish(b: Builder, incident: &Incident, profile: &EscalationProfile) -> Assessment {
    let severity = b.severity();
    let mut explanation = Vec::new();
    match &b.severity {
        Some((s, reasons)) => {
            for (because, rule) in reasons {
                explanation.push(Explanation {
                    route: None,
                    because: format!("{s}: {because}"),
                    rule: *rule,
                });
            }
        }
        None => explanation.push(Explanation {
            route: None,
            because: "low: nothing in the facts raises it".to_owned(),
            rule: Rule::InappropriateLegal,
        }),
    }
    let mut steps: Vec<(RouteStep, Vec<(String, Rule)>)> = b
        .routes
        .into_iter()
        .map(|(route, (urgency, obligation, reasons))| {
            let (contact, contact_source) = profile.contact(route);
            let mut rules: Vec<Rule> = Vec::new();
            for (_, rule) in &reasons {
                if !rules.contains(rule) {
                    rules.push(*rule);
                }
            }
            let step = RouteStep {
                route,
                urgency,
                obligation,
                contact: contact.clone(),
                contact_source,
                because: reasons.iter().map(|(b, _)| b.clone()).collect(),
                rules,
            };
            (step, reasons)
        })
        .collect();
    crate::sorted::sort_by_key(&mut steps, |(r, _)| {
        (std::cmp::Reverse(r.obligation), r.urgency, r.route)
    });
    let mut routes = Vec::with_capacity(steps.len());
    for (r, reasons) in steps {
        for (because, rule) in reasons {
            explanation.push(Explanation {
                route: Some(r.route),
                because,
                rule,
            });
        }
        if r.contact_source == ContactSource::NationalDefault {
            explanation.push(Explanation {
                route: Some(r.route),
                because: format!(
                    "profile `{}` has no contact for `{}`: the national default is used",
                    profile.id(),
                    r.route
                ),
                rule: Rule::LocalProfile,
            });
        }
        routes.push(r);
    }
    let review = if severity.is_serious() {
        PolicyReview {
            scope: ReviewScope::AllEsafetyAndAcceptableUsePolicies,
            text: "A serious incident: review all e-safety and acceptable-use policies as soon as possible".to_owned(),
            rule: Rule::SeriousReview,
        }
    } else {
        PolicyReview {
            scope: ReviewScope::AcceptableUsePolicy,
            text: "Review the acceptable use policy in the light of the incident, sooner than its 12-monthly review".to_owned(),
            rule: Rule::AupReview,
        }
    };
    Assessment {
        kind: incident.kind,
        severity,
        routes,
        actions: b.actions,
        prohibited: b.prohibited,
        judgements: b.judgements,
        review,
        explanation,
        log_missing: missing_log_fields(incident),
        profile: profile.id().to_owned(),
    }
}
