//! The rules of the standard that the assessment cites. Each quote is the
//! standard's own words (STANDARD.md, "Incidents" and the AUP minimum
//! standards), so an explanation can be checked against the text.

use serde::Serialize;

macro_rules! rules {
    ($( $(#[$doc:meta])* $variant:ident = $id:literal, $section:literal, $quote:literal; )*) => {
        /// A rule of the standard behind a route, an action or a judgement.
        ///
        /// ```
        /// use esafety::incident::Rule;
        /// let json = serde_json::to_value(Rule::StaffThreshold)?;
        /// assert_eq!(json, serde_json::json!({
        ///     "id": "staff-threshold",
        ///     "section": "Incidents: a member of staff involved",
        ///     "quote": "The threshold is harm, not significant harm.",
        /// }));
        /// # Ok::<(), Box<dyn std::error::Error>>(())
        /// ```
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Rule {
            $( $(#[$doc])* $variant, )*
        }

        impl Rule {
            /// Every rule.
            ///
            /// ```
            /// use esafety::incident::Rule;
            /// use std::collections::BTreeSet;
            /// assert!(Rule::ALL.contains(&Rule::SeriousReview));
            /// let ids: BTreeSet<&str> = Rule::ALL.iter().map(|r| r.id()).collect();
            /// assert_eq!(ids.len(), Rule::ALL.len()); // every id is distinct
            /// ```
            pub const ALL: &'static [Rule] = &[$(Rule::$variant,)*];

            /// A stable id for the rule.
            ///
            /// ```
            /// use esafety::incident::Rule;
            /// assert_eq!(Rule::IllegalIwf.id(), "illegal-iwf");
            /// assert_eq!(Rule::PoliceNotIllegal.id(), "police-not-illegal");
            /// ```
            pub fn id(self) -> &'static str {
                match self { $( Rule::$variant => $id, )* }
            }

            /// Where in the standard the rule is (STANDARD.md section and branch).
            ///
            /// ```
            /// use esafety::incident::Rule;
            /// assert_eq!(Rule::StaffLado.section(), "Incidents: a member of staff involved");
            /// assert_eq!(Rule::SeriousReview.section(), "Incidents");
            /// ```
            pub fn section(self) -> &'static str {
                match self { $( Rule::$variant => $section, )* }
            }

            /// The standard's words.
            ///
            /// ```
            /// use esafety::incident::Rule;
            /// assert_eq!(
            ///     Rule::PoliceNotIllegal.quote(),
            ///     "If the police judge it not illegal, return to internal procedures."
            /// );
            /// ```
            pub fn quote(self) -> &'static str {
                match self { $( Rule::$variant => $quote, )* }
            }
        }
    };
}

rules! {
    /// Illegal material: hands off, preserve the evidence.
    IllegalHandsOff = "illegal-hands-off", "Incidents: illegal material",
        "do not investigate further and do not view, copy, forward or print the material; secure and preserve the evidence and hardware";
    /// Illegal material: report to the police.
    IllegalPolice = "illegal-police", "Incidents: illegal material",
        "report to the police (999 where a child is at immediate risk)";
    /// Illegal material: CEOP.
    IllegalCeop = "illegal-ceop", "Incidents: illegal material",
        "to CEOP for online sexual abuse or grooming";
    /// Illegal material: IWF.
    IllegalIwf = "illegal-iwf", "Incidents: illegal material",
        "to the IWF for child sexual abuse images online";
    /// Illegal material: counter-terrorism.
    IllegalCounterTerrorism = "illegal-counter-terrorism", "Incidents: illegal material",
        "to counter-terrorism reporting for terrorist content";
    /// Illegal material: senior leadership, wait for the police.
    IllegalSeniorLeadership = "illegal-senior-leadership", "Incidents: illegal material",
        "inform senior leadership; await the police response";
    /// Illegal material: the police judged it not illegal.
    PoliceNotIllegal = "police-not-illegal", "Incidents: illegal material",
        "If the police judge it not illegal, return to internal procedures.";
    /// Wider harm: children's social care.
    WiderHarm = "wider-harm", "Incidents: illegal material",
        "An incident can point to wider harm (abuse at home, peer abuse): refer to children's social care as well.";
    /// Staff: the LADO tests.
    StaffLado = "staff-lado", "Incidents: a member of staff involved",
        "refer to the Local Authority Designated Officer (LADO) where the person has";
    /// Staff: the LADO threshold.
    StaffThreshold = "staff-threshold", "Incidents: a member of staff involved",
        "The threshold is harm, not significant harm.";
    /// Staff: otherwise HR.
    StaffHr = "staff-hr", "Incidents: a member of staff involved",
        "Otherwise, disciplinary / HR procedures.";
    /// Nude images: the five factors.
    NudeReferral = "nude-referral", "Incidents: nudes and semi-nudes shared by children",
        "refer at once to the police and/or children's social care if";
    /// Nude images: otherwise internal.
    NudeInternal = "nude-internal", "Incidents: nudes and semi-nudes shared by children",
        "Otherwise the setting may manage it internally, and escalate later.";
    /// A child as victim.
    ChildVictim = "child-victim", "Incidents: a child as victim",
        "support, the designated safeguarding lead, parents informed unless that puts the child at greater risk";
    /// A child as instigator.
    ChildInstigator = "child-instigator", "Incidents: a child as instigator",
        "sanctions under the AUP; parents informed if serious or persistent; the designated safeguarding lead considers whether the child is themselves at risk";
    /// Inappropriate but legal.
    InappropriateLegal = "inappropriate-legal", "Incidents: inappropriate but legal",
        "report to the e-safety officer, review, sanction under the AUP, debrief, review the policy, monitor";
    /// The incident log.
    IncidentLog = "incident-log", "Incidents",
        "Every incident log entry records: (1) a description of the incident, (2) the people involved, (3) how it was identified, (4) what actions were taken and by whom, (5) the conclusion.";
    /// The review after a serious incident.
    SeriousReview = "serious-review", "Incidents",
        "After a serious incident, all e-safety and acceptable-use policies are reviewed as soon as possible.";
    /// The AUP review after an incident.
    AupReview = "aup-review", "Acceptable use policies (Manchester minimum standards)",
        "be reviewed at least every 12 months, and sooner after new technology or an incident";
    /// Reporting content the filter missed.
    FilterReport = "filter-report", "Filtering: features a filter is expected to have",
        "a way for users to report wrongly blocked or unblocked content";
    /// Identifying the user behind a filter alert.
    FilterIdentify = "filter-identify", "Filtering: features a filter is expected to have",
        "identification of user, device, time";
    /// The e-safety officer and the designated safeguarding lead.
    EsafetyOfficer = "esafety-officer", "Acceptable use policies (Manchester minimum standards)",
        "An e-safety officer (ideally someone who already holds safeguarding responsibility) owns the AUP, the incident log and the training log.";
    /// Local contacts come from the escalation profile.
    LocalProfile = "local-profile", "Incidents",
        "routes are decided by the model and filled in from a local escalation profile";
}

impl Rule {
    /// A one-line citation: `STANDARD.md, <section>: "<quote>"`.
    ///
    /// ```
    /// use esafety::incident::Rule;
    /// assert_eq!(Rule::StaffThreshold.cite(), concat!(
    ///     "STANDARD.md, Incidents: a member of staff involved: ",
    ///     r#""The threshold is harm, not significant harm.""#,
    /// ));
    /// ```
    pub fn cite(self) -> String {
        format!("STANDARD.md, {}: \"{}\"", self.section(), self.quote())
    }
}

impl Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Rule", 3)?;
        st.serialize_field("id", self.id())?;
        st.serialize_field("section", self.section())?;
        st.serialize_field("quote", self.quote())?;
        st.end()
    }
}
