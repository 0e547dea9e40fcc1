//! The incident model against the standard's flowcharts (STANDARD.md,
//! "Incidents"): one table per branch, each case named after its scenario,
//! boundary cases for every UKCIS factor and every LADO test, profile
//! substitution and filter-block drafts.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails loudly on an unexpected error"
)]

use esafety::Category;
use esafety::incident::{
    Assessment, AssessmentReport, BlockFacts, ContactSource, DraftError, EscalationProfile,
    Incident, IncidentDraft, Kind, Obligation, ReviewScope, RiskFactor, Role, RouteId, Severity,
    StaffConcern, Urgency, assess,
};

fn national() -> EscalationProfile {
    EscalationProfile::national().unwrap()
}

fn route(a: &Assessment, id: &str) -> Option<(Urgency, Obligation)> {
    a.routes
        .iter()
        .find(|r| r.route.id() == id)
        .map(|r| (r.urgency, r.obligation))
}

fn ids(a: &Assessment) -> Vec<&'static str> {
    a.routes.iter().map(|r| r.route.id()).collect()
}

/// One scenario of a flowchart branch.
struct Case {
    name: &'static str,
    toml: &'static str,
    severity: Severity,
    /// Routes that must be present and required.
    required: &'static [&'static str],
    /// Routes that must be present only as something to consider.
    consider: &'static [&'static str],
    /// Routes that must be absent.
    absent: &'static [&'static str],
    /// Substrings of some mandatory action.
    actions: &'static [&'static str],
    /// Substrings of some prohibited action.
    prohibited: &'static [&'static str],
    /// Substrings of some judgement.
    judgements: &'static [&'static str],
}

const NONE: &[&str] = &[];

fn run(cases: &[Case]) {
    let profile = national();
    let mut failures = Vec::new();
    for case in cases {
        let incident = Incident::from_toml(case.toml)
            .unwrap_or_else(|e| panic!("{}: fixture does not parse: {e}", case.name));
        let a = assess(&incident, &profile);
        let mut fail =
            |what: String| failures.push(format!("{}: {what}\n  routes: {:?}", case.name, ids(&a)));
        if a.severity != case.severity {
            fail(format!("severity {} (want {})", a.severity, case.severity));
        }
        for r in case.required {
            match route(&a, r) {
                Some((_, Obligation::Required)) => {}
                other => fail(format!("route `{r}` should be required, is {other:?}")),
            }
        }
        for r in case.consider {
            match route(&a, r) {
                Some((_, Obligation::Consider)) => {}
                other => fail(format!("route `{r}` should be to consider, is {other:?}")),
            }
        }
        for r in case.absent {
            if route(&a, r).is_some() {
                fail(format!("route `{r}` should be absent"));
            }
        }
        for s in case.actions {
            if !a.actions.iter().any(|i| i.text.contains(s)) {
                fail(format!("no action containing {s:?}"));
            }
        }
        for s in case.prohibited {
            if !a.prohibited.iter().any(|i| i.text.contains(s)) {
                fail(format!("no prohibition containing {s:?}"));
            }
        }
        for s in case.judgements {
            if !a.judgements.iter().any(|j| j.question.contains(s)) {
                fail(format!("no judgement containing {s:?}"));
            }
        }
        // Every route is explained and cites the standard.
        for r in &a.routes {
            if !a.explanation.iter().any(|e| e.route == Some(r.route)) {
                fail(format!("route `{}` is not explained", r.route));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn illegal_material_branch() {
    run(&[
        Case {
            name: "pupil distributes abuse images by email on the school network",
            toml: r#"
                kind = "child-sexual-abuse-material"
                deliberate = true
                setting = "school"
                identified_by = "staff-observation"
                people = [{ role = "child", involvement = "instigator", age = 14 }]
            "#,
            severity: Severity::Critical,
            required: &["police", "iwf", "dsl", "senior-leadership"],
            consider: &["childrens-social-care", "ceop"],
            absent: &["police-emergency", "counter-terrorism", "lado", "hr"],
            actions: &[
                "preserve the evidence and the hardware",
                "Await the police response",
            ],
            prohibited: &["view, copy, forward or print", "Do not investigate further"],
            judgements: &["wider harm", "If they judge it not illegal"],
        },
        Case {
            name: "abuse images of a pupil found online after an adult coerced her",
            toml: r#"
                kind = "child-sexual-abuse-material"
                identified_by = "disclosure"
                risk_factors = ["coercion"]
                people = [{ role = "child", involvement = "victim", age = 13 }]
            "#,
            severity: Severity::Critical,
            required: &["police", "ceop", "iwf", "parents"],
            consider: &["childrens-social-care"],
            absent: &["counter-terrorism"],
            actions: &["Support the child"],
            prohibited: &["greater risk"],
            judgements: &[],
        },
        Case {
            name: "terrorist material open on a library computer",
            toml: r#"
                kind = "terrorist-material"
                setting = "library"
                identified_by = "staff-observation"
            "#,
            severity: Severity::Critical,
            required: &["police", "counter-terrorism", "senior-leadership"],
            consider: NONE,
            absent: &["iwf", "ceop", "lado"],
            actions: &["preserve the evidence"],
            prohibited: &["view, copy, forward or print"],
            judgements: &["filter should have blocked it"],
        },
        Case {
            name: "criminally racist material posted by a pupil",
            toml: r#"
                kind = "criminally-racist-material"
                deliberate = true
                people = [{ role = "child", involvement = "instigator", age = 15 }]
            "#,
            severity: Severity::High,
            required: &["police", "senior-leadership", "parents", "internal"],
            consider: NONE,
            absent: &["iwf", "ceop", "counter-terrorism"],
            actions: &[],
            prohibited: &["view, copy, forward or print"],
            judgements: &["themselves at risk"],
        },
        Case {
            name: "material that may breach the Obscene Publications Act on a shared drive",
            toml: r#"kind = "obscene-material""#,
            severity: Severity::High,
            required: &["police"],
            consider: NONE,
            absent: &["iwf", "counter-terrorism"],
            actions: &[],
            prohibited: &["Do not delete anything"],
            judgements: &[],
        },
        Case {
            name: "child groomed in a chat room by an adult",
            toml: r#"
                kind = "grooming"
                setting = "youth-club"
                people = [
                  { role = "child", involvement = "victim", age = 12 },
                  { role = "external-adult", involvement = "instigator" },
                ]
            "#,
            severity: Severity::Critical,
            required: &["police", "ceop", "dsl", "parents"],
            consider: &["childrens-social-care"],
            absent: &["iwf", "police-emergency"],
            actions: &[],
            prohibited: &["view, copy, forward or print"],
            judgements: &[],
        },
        Case {
            name: "groomed child arranging to meet the adult tonight",
            toml: r#"
                kind = "grooming"
                risk_factors = ["immediate-risk"]
                people = [{ role = "child", involvement = "victim", age = 13 }]
            "#,
            severity: Severity::Critical,
            required: &["police-emergency", "police", "ceop"],
            consider: NONE,
            absent: &[],
            actions: &["Stay with the child"],
            prohibited: &[],
            judgements: &[],
        },
        Case {
            name: "other criminal conduct suspected: a pupil selling drugs through the school network",
            toml: r#"
                kind = "other"
                criminal_conduct = true
                people = [{ role = "child", involvement = "instigator", age = 16 }]
            "#,
            severity: Severity::High,
            required: &["police", "internal"],
            consider: NONE,
            absent: &["iwf", "ceop"],
            actions: &[],
            prohibited: &["Do not investigate further"],
            judgements: &[],
        },
        Case {
            name: "pupil breaks into the school MIS with a stolen password (criminal hacking)",
            toml: HACKING_CRIMINAL,
            severity: Severity::High,
            required: &["police", "senior-leadership", "parents", "internal"],
            consider: NONE,
            absent: &["iwf", "ceop", "counter-terrorism"],
            actions: &["Await the police response"],
            prohibited: &["Do not investigate further"],
            judgements: &["If they judge it not illegal"],
        },
        Case {
            name: "the police treat an AUP breach as illegal",
            toml: AUP_BREACH_POLICE_ILLEGAL,
            severity: Severity::High,
            required: &["police", "senior-leadership", "internal"],
            consider: NONE,
            absent: &["iwf", "ceop", "counter-terrorism"],
            actions: &["Await the police response"],
            prohibited: &["Do not investigate further"],
            judgements: &[],
        },
        Case {
            name: "filter blocks a child-abuse page, recorded as inappropriate content",
            toml: CHILD_ABUSE_BLOCK,
            severity: Severity::Critical,
            required: &["police", "iwf", "dsl", "senior-leadership"],
            consider: &["ceop"],
            absent: &["counter-terrorism"],
            actions: &["Await the police response"],
            prohibited: &["view, copy, forward or print"],
            judgements: &[],
        },
        Case {
            name: "filter blocks a terrorism page, recorded as an AUP breach",
            toml: TERRORISM_BLOCK,
            severity: Severity::Critical,
            required: &["police", "counter-terrorism", "senior-leadership"],
            consider: NONE,
            absent: &["iwf", "ceop"],
            actions: &["Await the police response"],
            prohibited: &["view, copy, forward or print"],
            judgements: &[],
        },
        Case {
            name: "police judge the reported material not illegal: return to internal procedures",
            toml: r#"
                kind = "obscene-material"
                police_outcome = "not-illegal"
                deliberate = true
                people = [{ role = "child", involvement = "instigator", age = 15 }]
            "#,
            severity: Severity::Medium,
            required: &["internal", "dsl"],
            consider: &["parents"],
            absent: &["police", "iwf", "ceop", "counter-terrorism"],
            actions: &["Sanction under the AUP", "Debrief"],
            prohibited: &[],
            judgements: &[],
        },
        Case {
            name: "abuse images point to abuse at home: wider harm",
            toml: r#"
                kind = "child-sexual-abuse-material"
                wider_harm = true
                people = [{ role = "child", involvement = "victim", age = 10 }]
            "#,
            severity: Severity::Critical,
            required: &["police", "iwf", "ceop", "childrens-social-care"],
            consider: NONE,
            absent: &[],
            actions: &[],
            prohibited: &[],
            judgements: &[],
        },
    ]);
}

const HACKING_CRIMINAL: &str = r#"
    kind = "hacking"
    deliberate = true
    setting = "school"
    identified_by = "staff-observation"
    criminal_conduct = true
    people = [{ role = "child", involvement = "instigator", age = 15 }]
"#;

const AUP_BREACH_POLICE_ILLEGAL: &str = r#"
    kind = "aup-breach"
    deliberate = true
    police_outcome = "illegal"
    people = [{ role = "child", involvement = "instigator", age = 16 }]
"#;

const CHILD_ABUSE_BLOCK: &str = r#"
    kind = "inappropriate-content"
    identified_by = "filter-alert"
    deliberate = false
    people = [{ role = "child", involvement = "instigator", age = 12 }]
    filter_block = { category = "child-abuse", list = "iwf", digest_id = "sha256:9f86d081884c7d65", device = "managed" }
"#;

const TERRORISM_BLOCK: &str = r#"
    kind = "aup-breach"
    identified_by = "filter-alert"
    deliberate = true
    people = [{ role = "child", involvement = "instigator", age = 16 }]
    filter_block = { category = "terrorism", list = "ctiru" }
"#;

const STAFF_UNSUITABLE: &str = r#"
    kind = "other"
    identified_by = "parent-report"
    staff_concerns = ["unsuitable-to-work-with-children"]
    people = [
      { role = "staff", involvement = "instigator" },
      { role = "child", involvement = "victim", age = 15 },
    ]
"#;

const STAFF_CLEARED_BY_POLICE_LADO: &str = r#"
    kind = "obscene-material"
    police_outcome = "not-illegal"
    deliberate = true
    staff_concerns = ["risk-of-harm"]
    people = [{ role = "staff", involvement = "instigator" }]
"#;

/// The "inappropriate but legal" branch is for legal incidents with no LADO
/// referral (STANDARD.md, "Incidents"): illegal material waits for the
/// police ("do not investigate further ... await the police response") and
/// a member of staff meeting a LADO test goes to the LADO ("Otherwise,
/// disciplinary / HR procedures"). Before the fix, each of these also got
/// "Sanction under the AUP", "Debrief the people involved", the
/// "Was it deliberate?" question and an `internal` route "inappropriate but
/// legal: report to the e-safety officer", beside the prohibitions.
#[test]
fn illegal_or_lado_incidents_skip_the_inappropriate_but_legal_steps() {
    use esafety::incident::Rule;
    let cases: &[(&str, &str)] = &[
        ("criminal hacking by a pupil", HACKING_CRIMINAL),
        (
            "other criminal conduct",
            "kind = \"other\"\ncriminal_conduct = true",
        ),
        (
            "AUP breach the police treat as illegal",
            AUP_BREACH_POLICE_ILLEGAL,
        ),
        (
            "child-abuse block recorded as inappropriate content",
            CHILD_ABUSE_BLOCK,
        ),
        ("terrorism block recorded as an AUP breach", TERRORISM_BLOCK),
        ("staff messaging a pupil: LADO test (d)", STAFF_UNSUITABLE),
        (
            "police cleared it, but a LADO test holds",
            STAFF_CLEARED_BY_POLICE_LADO,
        ),
    ];
    let mut failures = Vec::new();
    for (name, toml) in cases {
        let a = assess(&Incident::from_toml(toml).unwrap(), &national());
        let legal_steps: Vec<&str> = a
            .actions
            .iter()
            .filter(|i| i.rule == Rule::InappropriateLegal)
            .map(|i| i.text.as_str())
            .chain(
                a.judgements
                    .iter()
                    .filter(|j| j.rule == Rule::InappropriateLegal)
                    .map(|j| j.question.as_str()),
            )
            .chain(
                a.routes
                    .iter()
                    .filter(|r| r.rules.contains(&Rule::InappropriateLegal))
                    .map(|r| r.route.id()),
            )
            .collect();
        if !legal_steps.is_empty() {
            failures.push(format!(
                "{name}: inappropriate-but-legal steps {legal_steps:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The LADO holds the AUP procedure back; it does not cancel it.
    let a = assess(&Incident::from_toml(STAFF_UNSUITABLE).unwrap(), &national());
    assert_eq!(
        route(&a, "internal"),
        Some((Urgency::AtReview, Obligation::Required))
    );
    // Where the branch does apply it is unchanged: the police cleared the
    // material, or a member of staff is involved below the LADO threshold.
    for toml in [
        "kind = \"obscene-material\"\npolice_outcome = \"not-illegal\"\ndeliberate = true",
        "kind = \"aup-breach\"\ndeliberate = true\npeople = [{ role = \"staff\", involvement = \"instigator\" }]",
    ] {
        let a = assess(&Incident::from_toml(toml).unwrap(), &national());
        assert!(
            a.actions.iter().any(|i| i.text == "Sanction under the AUP"),
            "{toml}: {:?}",
            a.actions
        );
    }
}

#[test]
fn staff_branch() {
    run(&[
        Case {
            name: "member of staff viewing pornography on a work laptop, no LADO test",
            toml: r#"
                kind = "inappropriate-content"
                deliberate = true
                identified_by = "monitoring-alert"
                people = [{ role = "staff", involvement = "instigator" }]
            "#,
            severity: Severity::Medium,
            required: &["hr", "senior-leadership", "internal"],
            consider: NONE,
            absent: &["lado", "police"],
            actions: &["Sanction under the AUP"],
            prohibited: &[],
            judgements: &["threshold is harm, not significant harm"],
        },
        Case {
            name: "member of staff messaging a pupil privately: may not be suitable",
            toml: STAFF_UNSUITABLE,
            severity: Severity::High,
            required: &[
                "lado",
                "senior-leadership",
                "hr",
                "dsl",
                "parents",
                "internal",
            ],
            consider: NONE,
            absent: &["police"],
            actions: &[],
            prohibited: &["before the LADO advises"],
            judgements: &["Could this be criminal conduct?"],
        },
        Case {
            name: "member of staff found with abuse images on a school laptop",
            toml: r#"
                kind = "child-sexual-abuse-material"
                identified_by = "monitoring-alert"
                people = [{ role = "staff", involvement = "instigator" }]
            "#,
            severity: Severity::Critical,
            required: &["police", "iwf", "ceop", "lado", "senior-leadership", "hr"],
            consider: NONE,
            absent: &["parents"],
            actions: &[],
            prohibited: &["view, copy, forward or print", "before the LADO advises"],
            judgements: &["test (b) is taken to hold"],
        },
        Case {
            name: "volunteer harmed a child",
            toml: r#"
                kind = "cyberbullying"
                staff_concerns = ["harmed-child"]
                people = [{ role = "volunteer", involvement = "instigator" }]
            "#,
            severity: Severity::Critical,
            required: &["lado", "hr"],
            consider: NONE,
            absent: &[],
            actions: &[],
            prohibited: &[],
            judgements: &[],
        },
    ]);
}

#[test]
fn nude_image_branch() {
    run(&[
        Case {
            name: "nude images shared between two 15-year-olds, no UKCIS factor",
            toml: r#"
                kind = "nude-image-sharing"
                identified_by = "disclosure"
                people = [
                  { role = "child", involvement = "instigator", age = 15 },
                  { role = "child", involvement = "victim", age = 15 },
                ]
            "#,
            severity: Severity::Medium,
            required: &["dsl", "internal", "parents"],
            consider: &["childrens-social-care", "iwf"],
            absent: &["police", "police-emergency", "ceop"],
            actions: &["Secure the devices"],
            prohibited: &["view, copy, forward or print the images"],
            judgements: &[
                "MAY manage this internally",
                "designated safeguarding lead's judgement",
            ],
        },
        Case {
            name: "pupil blackmailed for more nude images",
            toml: r#"
                kind = "nude-image-sharing"
                risk_factors = ["coercion"]
                people = [{ role = "child", involvement = "victim", age = 14 }]
            "#,
            severity: Severity::Critical,
            required: &["police", "ceop", "dsl"],
            consider: &["childrens-social-care"],
            absent: &[],
            actions: &[],
            prohibited: &[],
            judgements: &["AND/OR"],
        },
        Case {
            name: "adult asks a pupil for nude images (adult involved from the people)",
            toml: r#"
                kind = "nude-image-sharing"
                people = [
                  { role = "child", involvement = "victim", age = 14 },
                  { role = "external-adult", involvement = "instigator" },
                ]
            "#,
            severity: Severity::Critical,
            required: &["police", "ceop"],
            consider: NONE,
            absent: &[],
            actions: &[],
            prohibited: &[],
            judgements: &[],
        },
        Case {
            name: "images shared by a 12-year-old, sexual acts not yet known",
            toml: r#"
                kind = "nude-image-sharing"
                people = [{ role = "child", involvement = "instigator", age = 12 }]
            "#,
            severity: Severity::Medium,
            required: &["internal"],
            consider: NONE,
            absent: &["police"],
            actions: &[],
            prohibited: &[],
            judgements: &["UKCIS factor 4"],
        },
    ]);
}

#[test]
fn child_victim_and_instigator_branches() {
    run(&[
        Case {
            name: "child bullied on social media by classmates",
            toml: r#"
                kind = "cyberbullying"
                identified_by = "parent-report"
                people = [
                  { role = "child", involvement = "victim", age = 11 },
                  { role = "child", involvement = "instigator", age = 12 },
                ]
            "#,
            severity: Severity::Medium,
            required: &["dsl", "parents", "internal"],
            consider: &["childrens-social-care"],
            absent: &["police", "lado"],
            actions: &["Support the child", "Keep the evidence"],
            prohibited: &["greater risk"],
            judgements: &["greater risk", "themselves at risk"],
        },
        Case {
            name: "child sends abusive messages again (persistent instigator)",
            toml: r#"
                kind = "cyberbullying"
                persistent = true
                people = [{ role = "child", involvement = "instigator", age = 13 }]
            "#,
            severity: Severity::Medium,
            required: &["internal", "dsl", "parents"],
            consider: NONE,
            absent: &["police"],
            actions: &[],
            prohibited: &[],
            judgements: &["themselves at risk"],
        },
        Case {
            name: "child's first minor AUP breach: parents only if serious or persistent",
            toml: r#"
                kind = "aup-breach"
                deliberate = true
                people = [{ role = "child", involvement = "instigator", age = 10 }]
            "#,
            severity: Severity::Low,
            required: &["internal", "dsl"],
            consider: &["parents"],
            absent: &["police", "childrens-social-care"],
            actions: &["Sanction under the AUP"],
            prohibited: &[],
            judgements: &["serious or persistent"],
        },
        Case {
            name: "child discloses self-harm content and self-harming",
            toml: r#"
                kind = "self-harm"
                identified_by = "disclosure"
                people = [{ role = "child", involvement = "victim", age = 14 }]
            "#,
            severity: Severity::High,
            required: &["dsl", "parents", "senior-leadership"],
            consider: &["childrens-social-care"],
            absent: &["police-emergency"],
            actions: &["Support the child"],
            prohibited: &["greater risk"],
            judgements: &["immediate risk"],
        },
    ]);
}

#[test]
fn inappropriate_but_legal_branch() {
    run(&[
        Case {
            name: "accidental access to an unsuitable page during a lesson",
            toml: r#"
                kind = "inappropriate-content"
                deliberate = false
                identified_by = "staff-observation"
                people = [{ role = "child", involvement = "witness", age = 9 }]
            "#,
            severity: Severity::Low,
            required: &["internal"],
            consider: NONE,
            absent: &["police", "dsl", "parents", "senior-leadership"],
            actions: &[
                "e-safety officer",
                "Review what happened",
                "Debrief",
                "Monitor",
            ],
            prohibited: &[],
            judgements: &["filter should have blocked it"],
        },
        Case {
            name: "filter blocks a gambling page: a block outside the statutory lists stays legal",
            toml: r#"
                kind = "inappropriate-content"
                identified_by = "filter-alert"
                deliberate = true
                filter_block = { category = "gambling", list = "bets" }
            "#,
            severity: Severity::Low,
            required: &["internal"],
            consider: NONE,
            absent: &["police", "iwf", "counter-terrorism"],
            actions: &["Sanction under the AUP", "Debrief"],
            prohibited: &[],
            judgements: &[],
        },
        Case {
            name: "deliberate AUP breach: pupil on a gaming site in class",
            toml: r#"
                kind = "aup-breach"
                deliberate = true
            "#,
            severity: Severity::Low,
            required: &["internal"],
            consider: NONE,
            absent: &["police", "dsl"],
            actions: &["Sanction under the AUP"],
            prohibited: &[],
            judgements: &[],
        },
        Case {
            name: "pupil uses a proxy to get round the filter (hacking)",
            toml: r#"
                kind = "hacking"
                identified_by = "filter-alert"
                people = [{ role = "child", involvement = "instigator", age = 16 }]
            "#,
            severity: Severity::Medium,
            required: &["internal"],
            consider: &["parents"],
            absent: &["police"],
            actions: &["Sanction under the AUP if it was deliberate"],
            prohibited: &[],
            judgements: &[
                "Was it deliberate?",
                "does not show whether the access was deliberate",
            ],
        },
    ]);
}

#[test]
fn route_order_is_the_order_to_act() {
    let incident = Incident::from_toml(
        r#"
        kind = "grooming"
        risk_factors = ["immediate-risk"]
        people = [{ role = "child", involvement = "victim", age = 13 }]
        "#,
    )
    .unwrap();
    let a = assess(&incident, &national());
    assert_eq!(ids(&a).first(), Some(&"police-emergency"));
    let required: Vec<_> = a
        .routes
        .iter()
        .filter(|r| r.obligation == Obligation::Required)
        .map(|r| r.urgency)
        .collect();
    let mut sorted = required.clone();
    sorted.sort();
    assert_eq!(required, sorted, "required routes are ordered by urgency");
    let first_consider = a
        .routes
        .iter()
        .position(|r| r.obligation == Obligation::Consider);
    if let Some(i) = first_consider {
        assert!(
            a.routes[i..]
                .iter()
                .all(|r| r.obligation == Obligation::Consider)
        );
    }
}

#[test]
fn serious_incident_triggers_review_of_all_policies() {
    let cases = [
        (
            "child-sexual-abuse-material",
            ReviewScope::AllEsafetyAndAcceptableUsePolicies,
        ),
        ("self-harm", ReviewScope::AllEsafetyAndAcceptableUsePolicies),
        ("aup-breach", ReviewScope::AcceptableUsePolicy),
        ("cyberbullying", ReviewScope::AcceptableUsePolicy),
    ];
    for (kind, scope) in cases {
        let incident = Incident::from_toml(&format!("kind = \"{kind}\"")).unwrap();
        let a = assess(&incident, &national());
        assert_eq!(a.review.scope, scope, "{kind}");
    }
}

fn nude_with(factors: &[RiskFactor]) -> Incident {
    let mut i = Incident::new(Kind::NudeImageSharing);
    i.people = vec![esafety::incident::Person {
        role: Role::Child,
        involvement: esafety::incident::Involvement::Victim,
        age: Some(15),
        name: None,
    }];
    i.risk_factors = factors.to_vec();
    i
}

#[test]
fn every_ukcis_factor_alone_triggers_immediate_referral() {
    let profile = national();
    for factor in RiskFactor::ALL {
        let a = assess(&nude_with(&[*factor]), &profile);
        let police = route(&a, "police");
        let care = route(&a, "childrens-social-care");
        assert!(
            matches!(police, Some((Urgency::Immediately, _))),
            "{factor}: police at once, got {police:?}"
        );
        assert!(
            matches!(care, Some((Urgency::Immediately, _))),
            "{factor}: children's social care at once, got {care:?}"
        );
        assert!(
            [police, care]
                .iter()
                .any(|r| matches!(r, Some((_, Obligation::Required)))),
            "{factor}: at least one of police / social care is required"
        );
        assert!(
            a.severity >= Severity::High,
            "{factor}: severity {}",
            a.severity
        );
        assert!(
            a.judgements.iter().any(|j| j.question.contains("AND/OR")),
            "{factor}: the police and/or social care choice is left to the DSL"
        );
        assert!(
            a.explanation
                .iter()
                .any(|e| e.rule == esafety::incident::Rule::NudeReferral),
            "{factor}: cites the UKCIS referral rule"
        );
    }
    let none = assess(&nude_with(&[]), &profile);
    assert_eq!(route(&none, "police"), None, "no factor: no police");
    assert!(
        !matches!(
            route(&none, "childrens-social-care"),
            Some((_, Obligation::Required))
        ),
        "no factor: social care is not required"
    );
    assert_eq!(
        route(&none, "internal").map(|r| r.1),
        Some(Obligation::Required),
        "no factor: managed internally"
    );
    assert!(
        none.judgements
            .iter()
            .any(|j| j.question.contains("judgement, not a certainty")),
        "no factor: the assessment says internal management is a judgement for the DSL"
    );
    // Immediate risk alone also means 999.
    let immediate = assess(&nude_with(&[RiskFactor::ImmediateRisk]), &profile);
    assert_eq!(ids(&immediate).first(), Some(&"police-emergency"));
}

fn staff_with(concerns: &[StaffConcern]) -> Incident {
    let mut i = Incident::new(Kind::Other);
    i.people = vec![esafety::incident::Person {
        role: Role::Staff,
        involvement: esafety::incident::Involvement::Instigator,
        age: None,
        name: None,
    }];
    i.staff_concerns = concerns.to_vec();
    i
}

#[test]
fn every_lado_test_alone_refers_to_the_lado() {
    let profile = national();
    for concern in StaffConcern::ALL {
        let a = assess(&staff_with(&[*concern]), &profile);
        assert_eq!(
            route(&a, "lado").map(|r| r.1),
            Some(Obligation::Required),
            "{concern}: LADO"
        );
        assert!(
            a.severity >= Severity::High,
            "{concern}: severity {}",
            a.severity
        );
        let lado_pos = ids(&a).iter().position(|r| *r == "lado").unwrap();
        let hr_pos = ids(&a).iter().position(|r| *r == "hr").unwrap();
        assert!(lado_pos < hr_pos, "{concern}: LADO before HR");
        assert_eq!(route(&a, "hr").map(|r| r.0), Some(Urgency::AtReview));
    }
    let none = assess(&staff_with(&[]), &profile);
    assert_eq!(route(&none, "lado"), None, "no test: no LADO");
    assert_eq!(
        route(&none, "hr"),
        Some((Urgency::WithinOneWorkingDay, Obligation::Required)),
        "no test: HR"
    );
    assert_eq!(none.severity, Severity::Medium);
}

#[test]
fn staff_concern_without_a_listed_staff_member_still_goes_to_the_lado() {
    let mut i = Incident::new(Kind::Other);
    i.staff_concerns = vec![StaffConcern::RiskOfHarm];
    let a = assess(&i, &national());
    assert_eq!(route(&a, "lado").map(|r| r.1), Some(Obligation::Required));
}

#[test]
fn manchester_profile_substitutes_local_numbers() {
    let manchester = EscalationProfile::shipped("manchester").unwrap();
    let incident = Incident::from_toml(
        r#"
        kind = "nude-image-sharing"
        risk_factors = ["developmentally-unusual"]
        staff_concerns = ["risk-of-harm"]
        people = [{ role = "child", involvement = "victim", age = 14 }]
        "#,
    )
    .unwrap();
    let a = assess(&incident, &manchester);
    let step = |id: RouteId| a.routes.iter().find(|r| r.route == id).unwrap();
    let care = step(RouteId::ChildrensSocialCare);
    assert_eq!(
        care.contact.phone.as_ref().unwrap().as_str(),
        "0161 255 8250"
    );
    assert!(care.contact.name.contains("First Response Team"));
    assert_eq!(care.contact_source, ContactSource::Profile);
    let lado = step(RouteId::Lado);
    assert_eq!(
        lado.contact.phone.as_ref().unwrap().as_str(),
        "0161 203 2393"
    );
    let police = step(RouteId::Police);
    assert_eq!(police.contact.phone.as_ref().unwrap().as_str(), "101");
    assert_eq!(police.contact_source, ContactSource::NationalDefault);
    assert!(a.explanation.iter().any(|e| e.because
        == "profile `manchester` has no contact for `police`: the national default is used"));
    let sheet = a.action_sheet();
    assert!(sheet.contains("0161 255 8250") && sheet.contains("0161 203 2393"));
    assert!(sheet.contains("(national default)"));
    // The same incident on the national profile has no local numbers.
    let n = assess(&incident, &national());
    let lado = n.routes.iter().find(|r| r.route == RouteId::Lado).unwrap();
    assert!(lado.contact.local && lado.contact.phone.is_none());
    assert!(!n.action_sheet().contains("0161"));
}

#[test]
fn report_has_the_design_json_shape() {
    let incident = Incident::from_json(
        r#"{"kind": "child-sexual-abuse-material", "deliberate": true, "setting": "school",
            "identified_by": "staff-observation",
            "people": [{"role": "child", "involvement": "instigator", "age": 14}]}"#,
    )
    .unwrap();
    let report = AssessmentReport::new(&assess(&incident, &national()));
    let v: serde_json::Value = serde_json::from_str(&report.to_json_line().unwrap()).unwrap();
    assert_eq!(v["severity"], "critical");
    let routes: Vec<&str> = v["routes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert!(routes.contains(&"police") && routes.contains(&"iwf"));
    assert!(
        v["actions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a.is_string())
    );
    assert!(
        v["explanation"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e.as_str().unwrap().contains("STANDARD.md"))
    );
    assert_eq!(v["route_details"][0]["route"], "police");
    assert_eq!(v["route_details"][0]["urgency"], "immediately");
    assert_eq!(v["route_details"][0]["obligation"], "required");
    assert_eq!(v["route_details"][0]["contact"]["phone"], "101");
    assert!(
        v["prohibited"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p.as_str().unwrap().contains("view, copy, forward or print"))
    );
    assert_eq!(
        v["review"]["scope"],
        "all-esafety-and-acceptable-use-policies"
    );
    assert!(v["judgements"][0]["who"].is_string());
    assert_eq!(
        v["log_missing"],
        serde_json::json!(["description", "actions_taken", "conclusion"])
    );
}

fn block(category: Category) -> BlockFacts<'static> {
    BlockFacts {
        category,
        list: "iwf",
        digest_id: Some("sha256:9f86d081884c7d65"),
        group: Some("pupils"),
        age: Some(14),
        role: None,
        device: Some("byod"),
        setting: None,
        at: "2026-03-02T10:15:00Z".parse().unwrap(),
    }
}

#[test]
fn filter_blocks_become_incident_drafts() {
    let csam = IncidentDraft::from_block(&block(Category::ChildAbuse)).unwrap();
    assert_eq!(csam.kind, Kind::ChildSexualAbuseMaterial);
    assert_eq!(
        csam.identified_by,
        Some(esafety::incident::IdentifiedBy::FilterAlert)
    );
    assert_eq!(csam.deliberate, None);
    assert_eq!(csam.people.len(), 1);
    assert_eq!(csam.people[0].role, Role::Child);
    assert_eq!(csam.people[0].age, Some(14));
    let fb = csam.filter_block.as_ref().unwrap();
    assert_eq!(fb.digest_id.as_deref(), Some("sha256:9f86d081884c7d65"));
    let description = csam.log.description.as_deref().unwrap();
    assert!(
        description.contains("sha256:9f86d081884c7d65")
            && description.contains("2026-03-02T10:15:00Z")
    );
    let a = assess(&csam, &national());
    assert_eq!(a.severity, Severity::Critical);
    assert!(ids(&a).contains(&"police") && ids(&a).contains(&"iwf"));
    assert!(
        a.judgements
            .iter()
            .any(|j| j.question.contains("deliberate"))
    );

    let mut t = block(Category::Terrorism);
    t.list = "ctiru";
    t.age = Some(35);
    t.role = Some(Role::Staff);
    let terror = IncidentDraft::from_block(&t).unwrap();
    assert_eq!(terror.kind, Kind::TerroristMaterial);
    assert_eq!(terror.people[0].role, Role::Staff);
    let a = assess(&terror, &national());
    assert!(ids(&a).contains(&"counter-terrorism"));

    let mut adult_unknown = block(Category::Terrorism);
    adult_unknown.age = Some(40);
    let d = IncidentDraft::from_block(&adult_unknown).unwrap();
    assert!(
        d.people.is_empty(),
        "an adult of unknown role is not guessed"
    );
    let a = assess(&d, &national());
    assert!(
        a.judgements
            .iter()
            .any(|j| j.question.contains("user, device, time"))
    );
    // The draft round-trips through the incident file format.
    let json = csam.to_json().unwrap();
    assert_eq!(Incident::from_json(&json).unwrap(), csam);
}

#[test]
fn filter_block_drafts_refuse_other_categories_and_urls() {
    let err = IncidentDraft::from_block(&block(Category::Gambling)).unwrap_err();
    assert_eq!(err, DraftError::NotAnIncident("gambling".into()));
    assert!(
        err.to_string()
            .contains("only `child-abuse` and `terrorism`")
    );
    let mut b = block(Category::ChildAbuse);
    b.digest_id = Some("http://bad.example/abuse/page.jpg");
    let err = IncidentDraft::from_block(&b).unwrap_err();
    assert_eq!(err, DraftError::NotAnId("digest_id"));
    assert!(
        !err.to_string().contains("bad.example"),
        "the URL is never echoed"
    );
    let mut b = block(Category::ChildAbuse);
    b.list = "bad.example/x";
    assert_eq!(
        IncidentDraft::from_block(&b).unwrap_err(),
        DraftError::NotAnId("list")
    );
    let mut b = block(Category::ChildAbuse);
    b.age = Some(200);
    assert_eq!(
        IncidentDraft::from_block(&b).unwrap_err(),
        DraftError::Age(200)
    );
    // A child is under 18, as in an incident file: the age is not dropped.
    let mut b = block(Category::ChildAbuse);
    b.role = Some(Role::Child);
    b.age = Some(30);
    let err = IncidentDraft::from_block(&b).unwrap_err();
    assert_eq!(err, DraftError::ChildAge(30));
    assert!(err.to_string().contains("not a child"), "{err}");
    b.age = Some(17);
    let draft = IncidentDraft::from_block(&b).unwrap();
    assert_eq!(draft.people[0].age, Some(17));
}

#[test]
fn classification_adapter_takes_the_statutory_match_and_never_a_url() {
    use esafety::classify::{Classification, Match};
    let at = "2026-03-02T10:15:00Z".parse().unwrap();
    let m = |list, category, category_id, expression: &str| Match {
        list,
        category,
        category_id,
        expression: expression.to_owned(),
    };
    let c = Classification {
        categories: [
            Category::Gambling,
            Category::Terrorism,
            Category::ChildAbuse,
        ]
        .into_iter()
        .collect(),
        matches: vec![
            m("bets", Category::Gambling, "gambling", "bet.example/"),
            m(
                "ctiru",
                Category::Terrorism,
                "terrorism",
                "sha256:aaaaaaaaaaaaaaaa",
            ),
            m(
                "iwf",
                Category::ChildAbuse,
                "child-abuse",
                "sha256:bbbbbbbbbbbbbbbb",
            ),
        ],
    };
    let facts = BlockFacts::from_classification(&c, at).unwrap();
    assert_eq!((facts.category, facts.list), (Category::ChildAbuse, "iwf"));
    assert_eq!(facts.digest_id, Some("sha256:bbbbbbbbbbbbbbbb"));
    let incident = IncidentDraft::from_block(&BlockFacts {
        age: Some(12),
        ..facts
    })
    .unwrap();
    assert_eq!(incident.kind, Kind::ChildSexualAbuseMaterial);

    let only_gambling = Classification {
        categories: [Category::Gambling].into_iter().collect(),
        matches: vec![m("bets", Category::Gambling, "gambling", "bet.example/")],
    };
    assert!(BlockFacts::from_classification(&only_gambling, at).is_none());

    // A statutory match whose expression is a URL expression (a list
    // compiled without digests) is refused, and the URL is not echoed.
    let leaky = Classification {
        categories: [Category::ChildAbuse].into_iter().collect(),
        matches: vec![m(
            "local",
            Category::ChildAbuse,
            "child-abuse",
            "bad.example/x.jpg",
        )],
    };
    let facts = BlockFacts::from_classification(&leaky, at).unwrap();
    let err = IncidentDraft::from_block(&facts).unwrap_err();
    assert_eq!(err, DraftError::NotAnId("digest_id"));
    assert!(!err.to_string().contains("bad.example"));
    let host_only = BlockFacts {
        digest_id: Some("bad.example"),
        ..facts
    };
    assert_eq!(
        IncidentDraft::from_block(&host_only).unwrap_err(),
        DraftError::NotAnId("digest_id")
    );
}
