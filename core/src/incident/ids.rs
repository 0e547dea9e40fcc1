//! The stable ids of the incident file and the assessment (DESIGN.md,
//! "Incident file"): every enum here reads and writes its kebab-case id and
//! rejects anything else with the list of ids it expected.

use std::fmt;
use std::str::FromStr;

/// An id that is not one of the ids a field accepts.
///
/// ```
/// use esafety::incident::Kind;
/// let err = "sexting".parse::<Kind>().unwrap_err();
/// let message = err.to_string();
/// assert!(message.starts_with("unknown kind `sexting`: expected one of `child-sexual-abuse"));
/// assert!(message.ends_with("`aup-breach`, `other`"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} `{given}`: expected one of {expected}")]
pub struct UnknownId {
    what: &'static str,
    given: String,
    expected: String,
}

impl UnknownId {
    fn new(what: &'static str, given: &str, ids: &[&str]) -> UnknownId {
        let expected = ids
            .iter()
            .map(|id| format!("`{id}`"))
            .collect::<Vec<_>>()
            .join(", ");
        // Echo at most 64 characters of the input: an id is short, and a
        // message must stay one readable line.
        let given: String = given.chars().take(64).collect();
        UnknownId {
            what,
            given,
            expected,
        }
    }

    /// What the id was for (`kind`, `route`, ...).
    ///
    /// ```
    /// use esafety::incident::{RouteId, Urgency};
    /// assert_eq!("999".parse::<RouteId>().unwrap_err().what(), "route");
    /// assert_eq!("urgent".parse::<Urgency>().unwrap_err().what(), "urgency");
    /// ```
    pub fn what(&self) -> &'static str {
        self.what
    }
}

macro_rules! id_enum {
    (
        $(#[$meta:meta])*
        $name:ident, $what:literal {
            $( $(#[$doc:meta])* $variant:ident = $id:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$doc])* $variant, )*
        }

        impl $name {
            /// Every value, in declaration order.
            ///
            /// ```
            /// use esafety::incident::{Severity, Urgency};
            /// use Severity::{Critical, High, Low, Medium};
            /// assert_eq!(Severity::ALL, [Low, Medium, High, Critical]);
            /// assert_eq!(Urgency::ALL.first(), Some(&Urgency::Immediately));
            /// ```
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            /// Every id, in declaration order.
            ///
            /// ```
            /// use esafety::incident::Urgency;
            /// let ids = ["immediately", "same-day", "within-one-working-day", "at-review"];
            /// assert_eq!(Urgency::IDS, ids);
            /// for (value, id) in Urgency::ALL.iter().zip(Urgency::IDS) {
            ///     assert_eq!(value.id(), *id);
            /// }
            /// ```
            pub const IDS: &'static [&'static str] = &[$($id,)*];

            /// The stable kebab-case id.
            ///
            /// ```
            /// use esafety::incident::RouteId;
            /// assert_eq!(RouteId::ChildrensSocialCare.id(), "childrens-social-care");
            /// let route: RouteId = "childrens-social-care".parse()?;
            /// assert_eq!(route, RouteId::ChildrensSocialCare);
            /// assert_eq!(RouteId::Lado.to_string(), "lado");
            /// # Ok::<(), Box<dyn std::error::Error>>(())
            /// ```
            pub fn id(self) -> &'static str {
                match self {
                    $( $name::$variant => $id, )*
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.id())
            }
        }

        impl FromStr for $name {
            type Err = UnknownId;

            fn from_str(s: &str) -> Result<Self, UnknownId> {
                match s {
                    $( $id => Ok($name::$variant), )*
                    _ => Err(UnknownId::new($what, s, $name::IDS)),
                }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.id())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct Visitor;
                impl serde::de::Visitor<'_> for Visitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        write!(f, "a {} id (one of {})", $what, $name::IDS.join(", "))
                    }
                    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<$name, E> {
                        v.parse().map_err(|e: UnknownId| E::custom(e))
                    }
                }
                d.deserialize_str(Visitor)
            }
        }
    };
}

id_enum! {
    /// What happened (DESIGN.md `kind`).
    ///
    /// ```
    /// use esafety::incident::{Incident, Kind};
    /// let incident = Incident::from_json(r#"{"kind": "grooming"}"#)?;
    /// assert_eq!(incident.kind, Kind::Grooming);
    /// assert_eq!("terrorist-material".parse::<Kind>()?, Kind::TerroristMaterial);
    /// assert_eq!(Kind::AupBreach.to_string(), "aup-breach");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    Kind, "kind" {
        /// Child sexual abuse images or video (illegal material).
        ChildSexualAbuseMaterial = "child-sexual-abuse-material",
        /// Unlawful terrorist material (illegal material).
        TerroristMaterial = "terrorist-material",
        /// Criminally racist material (illegal material).
        CriminallyRacistMaterial = "criminally-racist-material",
        /// Material that may breach the Obscene Publications Act (illegal material).
        ObsceneMaterial = "obscene-material",
        /// Grooming or unwanted sexual contact from an adult (illegal conduct).
        Grooming = "grooming",
        /// Nude or semi-nude images shared by children (UKCIS).
        NudeImageSharing = "nude-image-sharing",
        /// Bullying through technology.
        Cyberbullying = "cyberbullying",
        /// Self-harm or suicide content, or a disclosure of self-harm.
        SelfHarm = "self-harm",
        /// Hacking, or circumventing the filter or other controls.
        Hacking = "hacking",
        /// Inappropriate but legal content, reached deliberately or by accident.
        InappropriateContent = "inappropriate-content",
        /// Another breach of the acceptable use policy.
        AupBreach = "aup-breach",
        /// Anything else.
        Other = "other",
    }
}

impl Kind {
    /// Whether the kind is illegal material or conduct in the standard's
    /// first flowchart (STANDARD.md, "Incidents": illegal material).
    ///
    /// ```
    /// use esafety::incident::Kind;
    /// assert!(Kind::TerroristMaterial.is_illegal_material());
    /// assert!(Kind::Grooming.is_illegal_material());
    /// assert!(!Kind::NudeImageSharing.is_illegal_material());
    /// assert!(!Kind::Cyberbullying.is_illegal_material());
    /// ```
    pub fn is_illegal_material(self) -> bool {
        matches!(
            self,
            Kind::ChildSexualAbuseMaterial
                | Kind::TerroristMaterial
                | Kind::CriminallyRacistMaterial
                | Kind::ObsceneMaterial
                | Kind::Grooming
        )
    }
}

id_enum! {
    /// Where it happened (DESIGN.md `setting`).
    ///
    /// ```
    /// use esafety::incident::{Incident, Setting};
    /// let incident = Incident::from_json(r#"{"kind": "other", "setting": "childrens-home"}"#)?;
    /// assert_eq!(incident.setting, Some(Setting::ChildrensHome));
    /// assert!(Incident::from_json(r#"{"kind": "other", "setting": "home"}"#).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    Setting, "setting" {
        /// A school, pupil referral unit or hospital school.
        School = "school",
        /// A public library.
        Library = "library",
        /// A children's home.
        ChildrensHome = "childrens-home",
        /// A youth club.
        YouthClub = "youth-club",
        /// A Sure Start or other children's centre.
        ChildrensCentre = "childrens-centre",
        /// Anywhere else.
        Other = "other",
    }
}

id_enum! {
    /// How the incident came to light (DESIGN.md `identified_by`).
    ///
    /// ```
    /// use esafety::incident::{IdentifiedBy, Incident};
    /// let incident = Incident::from_json(r#"{"kind": "hacking", "identified_by": "filter-alert"}"#)?;
    /// assert_eq!(incident.identified_by, Some(IdentifiedBy::FilterAlert));
    /// assert_eq!(IdentifiedBy::FilterAlert.id(), "filter-alert");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    IdentifiedBy, "identified_by" {
        /// A filter blocked a request and raised an alert.
        FilterAlert = "filter-alert",
        /// Monitoring of network use raised an alert.
        MonitoringAlert = "monitoring-alert",
        /// A member of staff saw it.
        StaffObservation = "staff-observation",
        /// A child told someone.
        Disclosure = "disclosure",
        /// A parent or carer reported it.
        ParentReport = "parent-report",
        /// Some other way.
        Other = "other",
    }
}

id_enum! {
    /// A person's role (DESIGN.md `people[].role`).
    ///
    /// ```
    /// use esafety::incident::{Incident, Role};
    /// let incident = Incident::from_json(r#"{"kind": "cyberbullying", "people": [
    ///   {"role": "child", "involvement": "victim", "age": 12}]}"#)?;
    /// assert_eq!(incident.people.first().map(|p| p.role), Some(Role::Child));
    /// // A child is under 18: the file is refused otherwise.
    /// assert!(Incident::from_json(r#"{"kind": "other", "people": [
    ///   {"role": "child", "involvement": "victim", "age": 19}]}"#).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    Role, "role" {
        /// A child or young person (under 18): a pupil, a service user.
        Child = "child",
        /// A member of staff.
        Staff = "staff",
        /// A volunteer.
        Volunteer = "volunteer",
        /// An adult from outside the setting.
        ExternalAdult = "external-adult",
        /// A parent or carer.
        Parent = "parent",
    }
}

id_enum! {
    /// How a person was involved (DESIGN.md `people[].involvement`).
    ///
    /// ```
    /// use esafety::incident::{Incident, Involvement, Role};
    /// let incident = Incident::from_json(r#"{"kind": "cyberbullying", "people": [
    ///   {"role": "child", "involvement": "instigator", "age": 14}]}"#)?;
    /// assert!(incident.has(Role::Child, Involvement::Instigator));
    /// assert_eq!("victim".parse::<Involvement>()?, Involvement::Victim);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    Involvement, "involvement" {
        /// Harmed, targeted or exposed.
        Victim = "victim",
        /// Did it.
        Instigator = "instigator",
        /// Saw it or was told about it.
        Witness = "witness",
    }
}

id_enum! {
    /// The UKCIS factors that make nude-image sharing an immediate referral
    /// (STANDARD.md, "Incidents": nudes and semi-nudes shared by children).
    ///
    /// ```
    /// use esafety::incident::{assess, EscalationProfile, Incident, RouteId, Severity};
    /// let profile = EscalationProfile::national()?;
    /// let sharing = |risk: &str| Incident::from_json(&format!(r#"{{"kind": "nude-image-sharing",
    ///   "people": [{{"role": "child", "involvement": "victim", "age": 15}}], "risk_factors": [{risk}]}}"#));
    /// // Any one factor makes it an immediate referral to the police.
    /// let coerced = assess(&sharing(r#""coercion""#)?, &profile);
    /// assert_eq!(coerced.severity, Severity::Critical);
    /// assert!(coerced.routes.iter().any(|r| r.route == RouteId::Police || r.route == RouteId::PoliceEmergency));
    /// assert!(assess(&sharing("")?, &profile).severity < Severity::Critical);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    RiskFactor, "risk factor" {
        /// (1) An adult is involved.
        AdultInvolved = "adult-involved",
        /// (2) Coercion, blackmail or grooming, or doubt about capacity to consent.
        Coercion = "coercion",
        /// (3) The acts shown are unusual for the child's developmental stage, or violent.
        DevelopmentallyUnusual = "developmentally-unusual",
        /// (4) Sexual acts are shown and a child in them is under 13.
        Under13 = "under-13",
        /// (5) A child is at immediate risk of harm (e.g. suicidal or self-harming).
        ImmediateRisk = "immediate-risk",
    }
}

id_enum! {
    /// The four LADO tests for a member of staff or volunteer
    /// (STANDARD.md, "Incidents": a member of staff involved).
    ///
    /// ```
    /// use esafety::incident::{assess, EscalationProfile, Incident, RouteId};
    /// let incident = Incident::from_json(r#"{"kind": "inappropriate-content",
    ///   "people": [{"role": "staff", "involvement": "instigator"}],
    ///   "staff_concerns": ["unsuitable-to-work-with-children"]}"#)?;
    /// // Any of the four tests means a referral to the LADO.
    /// let assessment = assess(&incident, &EscalationProfile::national()?);
    /// assert!(assessment.routes.iter().any(|r| r.route == RouteId::Lado));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    StaffConcern, "staff concern" {
        /// (a) Harmed or may have harmed a child.
        HarmedChild = "harmed-child",
        /// (b) Possibly committed a criminal offence against or related to a child.
        OffenceAgainstChild = "offence-against-child",
        /// (c) Behaved in a way that indicates they may pose a risk of harm.
        RiskOfHarm = "risk-of-harm",
        /// (d) Behaved in a way that indicates they may not be suitable to work with children.
        UnsuitableToWorkWithChildren = "unsuitable-to-work-with-children",
    }
}

id_enum! {
    /// What the police said about material reported to them
    /// (STANDARD.md, "Incidents": "If the police judge it not illegal,
    /// return to internal procedures").
    ///
    /// ```
    /// use esafety::incident::{assess, EscalationProfile, Incident, RouteId};
    /// let reported = |outcome: &str| Incident::from_json(&format!(
    ///   r#"{{"kind": "criminally-racist-material", "police_outcome": "{outcome}"}}"#));
    /// let profile = EscalationProfile::national()?;
    /// let pending = assess(&reported("pending")?, &profile);
    /// let not_illegal = assess(&reported("not-illegal")?, &profile);
    /// assert!(pending.routes.iter().any(|r| r.route == RouteId::Police));
    /// assert!(not_illegal.routes.iter().all(|r| r.route != RouteId::Police));
    /// // The police judge illegality: their `illegal` makes any kind illegal.
    /// let breach = Incident::from_json(r#"{"kind": "aup-breach", "police_outcome": "illegal"}"#)?;
    /// assert!(assess(&breach, &profile).routes.iter().any(|r| r.route == RouteId::Police));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    PoliceOutcome, "police outcome" {
        /// Reported, no answer yet.
        Pending = "pending",
        /// The police treat it as illegal.
        Illegal = "illegal",
        /// The police judged it not illegal.
        NotIllegal = "not-illegal",
    }
}

id_enum! {
    /// Where to escalate (DESIGN.md, "Incident route ids"). Declaration
    /// order breaks ties between routes of the same urgency.
    ///
    /// ```
    /// use esafety::incident::RouteId;
    /// assert_eq!(RouteId::ALL.first(), Some(&RouteId::PoliceEmergency));
    /// assert!(RouteId::PoliceEmergency < RouteId::Dsl); // ordered as declared
    /// assert_eq!("childrens-social-care".parse::<RouteId>()?, RouteId::ChildrensSocialCare);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    RouteId, "route" {
        /// Call 999: a child is at immediate risk.
        PoliceEmergency = "police-emergency",
        /// Report to the police (non-emergency).
        Police = "police",
        /// Report to CEOP (online sexual abuse, grooming).
        Ceop = "ceop",
        /// Report to the Internet Watch Foundation (child sexual abuse images online).
        Iwf = "iwf",
        /// Report terrorist content to counter-terrorism policing.
        CounterTerrorism = "counter-terrorism",
        /// Refer to the Local Authority Designated Officer.
        Lado = "lado",
        /// Refer to children's social care.
        ChildrensSocialCare = "childrens-social-care",
        /// The designated safeguarding lead.
        Dsl = "dsl",
        /// The head teacher, manager or senior leadership team.
        SeniorLeadership = "senior-leadership",
        /// The child's parents or carers.
        Parents = "parents",
        /// Disciplinary / HR procedures.
        Hr = "hr",
        /// Internal procedures: the e-safety officer, the AUP and its sanctions.
        Internal = "internal",
    }
}

id_enum! {
    /// How serious an incident is. Ordered: `Low < Medium < High < Critical`.
    ///
    /// ```
    /// use esafety::incident::{assess, EscalationProfile, Incident, Severity};
    /// let incident = Incident::from_json(r#"{"kind": "child-sexual-abuse-material"}"#)?;
    /// assert_eq!(assess(&incident, &EscalationProfile::national()?).severity, Severity::Critical);
    /// assert!(Severity::Low < Severity::Medium && Severity::High < Severity::Critical);
    /// assert_eq!(serde_json::to_string(&Severity::High)?, "\"high\"");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    Severity, "severity" {
        /// Inappropriate but legal, handled under the AUP.
        Low = "low",
        /// Needs the designated safeguarding lead or HR, handled in the setting.
        Medium = "medium",
        /// Serious: an outside referral, or a review of all policies.
        High = "high",
        /// Illegal material or a child at risk: outside agencies at once.
        Critical = "critical",
    }
}

impl Severity {
    /// Whether this is a serious incident, which triggers a review of all
    /// e-safety and acceptable-use policies (STANDARD.md, "Incidents").
    ///
    /// ```
    /// use esafety::incident::Severity;
    /// assert!(Severity::Critical.is_serious());
    /// assert!(Severity::High.is_serious());
    /// assert!(!Severity::Medium.is_serious());
    /// ```
    pub fn is_serious(self) -> bool {
        self >= Severity::High
    }
}

id_enum! {
    /// How soon a route must be taken. Ordered from most to least urgent.
    ///
    /// ```
    /// use esafety::incident::{assess, EscalationProfile, Incident, Urgency};
    /// let incident = Incident::from_json(r#"{"kind": "terrorist-material"}"#)?;
    /// let routes = assess(&incident, &EscalationProfile::national()?).routes;
    /// // Routes come in the order to act: the most urgent first.
    /// assert!(routes.windows(2).all(|w| w[0].urgency <= w[1].urgency));
    /// assert!(Urgency::Immediately < Urgency::AtReview);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    Urgency, "urgency" {
        /// Now, before anything else.
        Immediately = "immediately",
        /// Today.
        SameDay = "same-day",
        /// By the end of the next working day.
        WithinOneWorkingDay = "within-one-working-day",
        /// When the incident is reviewed.
        AtReview = "at-review",
    }
}

impl Urgency {
    /// Words for an action sheet.
    ///
    /// ```
    /// use esafety::incident::Urgency;
    /// assert_eq!(Urgency::SameDay.label(), "today");
    /// assert_eq!(Urgency::SameDay.id(), "same-day");
    /// assert_eq!(Urgency::WithinOneWorkingDay.label(), "within one working day");
    /// ```
    pub fn label(self) -> &'static str {
        match self {
            Urgency::Immediately => "immediately",
            Urgency::SameDay => "today",
            Urgency::WithinOneWorkingDay => "within one working day",
            Urgency::AtReview => "at review",
        }
    }
}

id_enum! {
    /// Whether the standard requires a route or leaves it to a person's judgement.
    ///
    /// ```
    /// use esafety::incident::{assess, EscalationProfile, Incident, Obligation, RouteId};
    /// let incident = Incident::from_json(r#"{"kind": "child-sexual-abuse-material"}"#)?;
    /// let routes = assess(&incident, &EscalationProfile::national()?).routes;
    /// let iwf = routes.iter().find(|r| r.route == RouteId::Iwf).ok_or("no IWF route")?;
    /// assert_eq!(iwf.obligation, Obligation::Required);
    /// assert_eq!("consider".parse::<Obligation>()?, Obligation::Consider);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    Obligation, "obligation" {
        /// A person decides whether to take it (see the assessment's judgements).
        Consider = "consider",
        /// The standard requires it.
        Required = "required",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_unknown_lists_expected() {
        for k in Kind::ALL {
            assert_eq!(k.id().parse::<Kind>().unwrap(), *k);
        }
        let err = "x".parse::<Kind>().unwrap_err().to_string();
        assert!(err.starts_with("unknown kind `x`: expected one of `child-sexual-abuse-material`"));
        assert!(Severity::Critical > Severity::High && Severity::Medium > Severity::Low);
        assert!(Urgency::Immediately < Urgency::AtReview);
    }
}
