//! The stable ids of the incident file and the assessment (DESIGN.md,
//! "Incident file"): every enum here reads and writes its kebab-case id and
//! rejects anything else with the list of ids it expected.

use std::fmt;
use std::str::FromStr;

/// An id that is not one of the ids a field accepts.
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
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            /// Every id, in declaration order.
            pub const IDS: &'static [&'static str] = &[$($id,)*];

            /// The stable kebab-case id.
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
    pub fn is_serious(self) -> bool {
        self >= Severity::High
    }
}

id_enum! {
    /// How soon a route must be taken. Ordered from most to least urgent.
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
