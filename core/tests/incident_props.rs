//! Properties of the assessment: total (any combination of facts gives an
//! assessment, never a panic) and monotone (adding a UKCIS risk factor or a
//! LADO test never lowers the severity or removes a route).
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails loudly on an unexpected error"
)]

use esafety::incident::{
    AssessmentReport, EscalationProfile, IdentifiedBy, Incident, Involvement, Kind, Obligation,
    Person, PoliceOutcome, RiskFactor, Role, RouteId, Setting, StaffConcern, assess,
};
use proptest::prelude::*;
use proptest::sample::{select, subsequence};

fn person() -> impl Strategy<Value = Person> {
    (
        select(Role::ALL),
        select(Involvement::ALL),
        proptest::option::of(0u8..=120),
    )
        .prop_map(|(role, involvement, age)| Person {
            role,
            involvement,
            // A child is under 18 (the parser rejects anything else).
            age: if role == Role::Child {
                age.map(|a| a % 18)
            } else {
                age
            },
            name: None,
        })
}

fn incident() -> impl Strategy<Value = Incident> {
    (
        (
            select(Kind::ALL),
            proptest::option::of(any::<bool>()),
            proptest::option::of(select(Setting::ALL)),
            proptest::option::of(select(IdentifiedBy::ALL)),
            proptest::collection::vec(person(), 0..5),
        ),
        (
            subsequence(RiskFactor::ALL.to_vec(), 0..=RiskFactor::ALL.len()),
            subsequence(StaffConcern::ALL.to_vec(), 0..=StaffConcern::ALL.len()),
            proptest::option::of(any::<bool>()),
            proptest::option::of(any::<bool>()),
            proptest::option::of(any::<bool>()),
            proptest::option::of(select(PoliceOutcome::ALL)),
        ),
    )
        .prop_map(
            |(
                (kind, deliberate, setting, identified_by, people),
                (
                    risk_factors,
                    staff_concerns,
                    wider_harm,
                    criminal_conduct,
                    persistent,
                    police_outcome,
                ),
            )| {
                let mut i = Incident::new(kind);
                i.deliberate = deliberate;
                i.setting = setting;
                i.identified_by = identified_by;
                i.people = people;
                i.risk_factors = risk_factors;
                i.staff_concerns = staff_concerns;
                i.wider_harm = wider_harm;
                i.criminal_conduct = criminal_conduct;
                i.persistent = persistent;
                i.police_outcome = police_outcome;
                i
            },
        )
}

fn profiles() -> Vec<EscalationProfile> {
    vec![
        EscalationProfile::national().unwrap(),
        EscalationProfile::shipped("manchester").unwrap(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn assessment_is_total_and_well_formed(i in incident()) {
        for profile in profiles() {
            let a = assess(&i, &profile);
            prop_assert!(!a.routes.is_empty(), "every incident goes somewhere");
            let mut seen: Vec<RouteId> = a.routes.iter().map(|r| r.route).collect();
            seen.sort();
            seen.dedup();
            prop_assert_eq!(seen.len(), a.routes.len(), "routes are unique");
            for r in &a.routes {
                prop_assert!(!r.contact.name.is_empty());
                prop_assert!(!r.because.is_empty() && !r.rules.is_empty());
                prop_assert!(a.explanation.iter().any(|e| e.route == Some(r.route)));
            }
            prop_assert!(a.explanation.iter().any(|e| e.route.is_none()), "severity explained");
            prop_assert!(!a.actions.is_empty());
            // Required routes come first, each group by urgency.
            let keys: Vec<_> = a.routes.iter().map(|r| (std::cmp::Reverse(r.obligation), r.urgency, r.route)).collect();
            let mut sorted = keys.clone();
            sorted.sort();
            prop_assert_eq!(keys, sorted);
            // A child at immediate risk always means 999 first.
            if i.risk_factors.contains(&RiskFactor::ImmediateRisk) {
                prop_assert_eq!(a.routes[0].route, RouteId::PoliceEmergency);
            }
            // The report serializes in the DESIGN.md shape.
            let v = serde_json::to_value(AssessmentReport::new(&a)).unwrap();
            prop_assert!(v["severity"].is_string() && v["routes"].is_array());
            prop_assert!(v["actions"].is_array() && v["explanation"].is_array());
            prop_assert!(!a.action_sheet().is_empty());
        }
    }

    #[test]
    fn adding_a_risk_factor_never_lowers_severity_or_removes_a_route(
        i in incident(),
        extra in select(RiskFactor::ALL),
    ) {
        let profile = EscalationProfile::national().unwrap();
        let before = assess(&i, &profile);
        let mut more = i.clone();
        if !more.risk_factors.contains(&extra) {
            more.risk_factors.push(extra);
        }
        let after = assess(&more, &profile);
        prop_assert!(after.severity >= before.severity, "{} -> {} adding {}", before.severity, after.severity, extra);
        for r in &before.routes {
            let kept = after.routes.iter().find(|a| a.route == r.route);
            prop_assert!(kept.is_some(), "adding {} removed route {}", extra, r.route);
            if r.obligation == Obligation::Required {
                prop_assert_eq!(kept.map(|k| k.obligation), Some(Obligation::Required), "adding {} weakened {}", extra, r.route);
            }
        }
    }

    #[test]
    fn adding_a_staff_concern_never_lowers_severity_or_removes_a_route(
        i in incident(),
        extra in select(StaffConcern::ALL),
    ) {
        let profile = EscalationProfile::national().unwrap();
        let before = assess(&i, &profile);
        let mut more = i.clone();
        if !more.staff_concerns.contains(&extra) {
            more.staff_concerns.push(extra);
        }
        let after = assess(&more, &profile);
        prop_assert!(after.severity >= before.severity, "{} -> {} adding {}", before.severity, after.severity, extra);
        for r in &before.routes {
            let kept = after.routes.iter().find(|a| a.route == r.route);
            prop_assert!(kept.is_some(), "adding {} removed route {}", extra, r.route);
            if r.obligation == Obligation::Required {
                prop_assert_eq!(kept.map(|k| k.obligation), Some(Obligation::Required), "adding {} weakened {}", extra, r.route);
            }
        }
    }

    #[test]
    fn incident_files_round_trip(i in incident()) {
        let mut normal = i.clone();
        normal.risk_factors.sort();
        normal.staff_concerns.sort();
        let json = normal.to_json().unwrap();
        prop_assert_eq!(Incident::from_json(&json).unwrap(), normal.clone());
        let toml = toml::to_string(&normal).unwrap();
        prop_assert_eq!(Incident::from_toml(&toml).unwrap(), normal);
    }

    #[test]
    fn arbitrary_bytes_never_panic_the_parser(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        let _ = Incident::from_bytes_auto(&bytes);
    }
}
