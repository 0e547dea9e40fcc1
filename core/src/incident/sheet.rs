//! The plain-text action sheet: what a member of staff reads and follows.

use std::fmt::Write as _;

use super::assess::{Assessment, RouteStep};
use super::ids::{Obligation, RouteId};
use super::profile::ContactSource;

fn who(route: RouteId) -> &'static str {
    match route {
        RouteId::Dsl => "designated safeguarding lead",
        RouteId::SeniorLeadership => "senior leadership",
        RouteId::Lado => "LADO",
        RouteId::Police => "police",
        RouteId::Internal => "e-safety officer",
        _ => route.id(),
    }
}

fn contact_line(step: &RouteStep) -> String {
    let c = &step.contact;
    let mut parts = vec![c.name.clone()];
    if let Some(p) = &c.phone {
        parts.push(format!("phone {p}"));
    }
    if let Some(w) = &c.web {
        parts.push(w.to_string());
    }
    if let Some(e) = &c.email {
        parts.push(e.clone());
    }
    if let Some(h) = &c.hours {
        parts.push(h.clone());
    }
    let mut line = parts.join(" | ");
    if c.local {
        line.push_str(" (fill in locally)");
    } else if step.contact_source == ContactSource::NationalDefault {
        line.push_str(" (national default)");
    }
    line
}

impl Assessment {
    /// A plain-text action sheet: severity, what to do now in order with
    /// contacts, what must not be done, the judgements left to a person,
    /// the log fields to complete, the review triggered and why.
    ///
    /// ```
    /// use esafety::incident::{assess, EscalationProfile, Incident};
    /// let incident = Incident::from_toml("kind = \"grooming\"")?;
    /// let sheet = assess(&incident, &EscalationProfile::national()?).action_sheet();
    /// assert!(sheet.contains("SEVERITY: CRITICAL"));
    /// assert!(sheet.contains("phone 101"));
    /// assert!(sheet.contains("MUST NOT"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn action_sheet(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "INCIDENT ACTION SHEET: {}", self.kind);
        let _ = writeln!(s, "SEVERITY: {}", self.severity.id().to_ascii_uppercase());
        let _ = writeln!(s, "Contacts from profile: {}", self.profile);
        let required: Vec<&RouteStep> = self
            .routes
            .iter()
            .filter(|r| r.obligation == Obligation::Required)
            .collect();
        let consider: Vec<&RouteStep> = self
            .routes
            .iter()
            .filter(|r| r.obligation == Obligation::Consider)
            .collect();
        if !self.prohibited.is_empty() {
            let _ = writeln!(s, "\nYOU MUST NOT");
            for p in &self.prohibited {
                let _ = writeln!(s, "  - {}", p.text);
            }
        }
        let _ = writeln!(s, "\nDO NOW, IN THIS ORDER");
        for (i, r) in required.iter().enumerate() {
            let _ = writeln!(
                s,
                "{:>2}. [{}] {}: {}",
                i.saturating_add(1),
                r.urgency.label(),
                r.route,
                contact_line(r)
            );
            for because in &r.because {
                let _ = writeln!(s, "      why: {because}");
            }
            if let Some(n) = &r.contact.notes {
                let _ = writeln!(s, "      note: {n}");
            }
            if let Some(o) = &r.contact.out_of_hours {
                let _ = writeln!(s, "      out of hours: {o}");
            }
        }
        let _ = writeln!(s, "\nALSO DO");
        for a in &self.actions {
            let _ = writeln!(s, "  - {}", a.text);
        }
        if !consider.is_empty() {
            let _ = writeln!(s, "\nCONSIDER (a judgement, see below)");
            for r in consider {
                let _ = writeln!(
                    s,
                    "  - [{}] {}: {}",
                    r.urgency.label(),
                    r.route,
                    contact_line(r)
                );
                for because in &r.because {
                    let _ = writeln!(s, "      why: {because}");
                }
            }
        }
        if !self.judgements.is_empty() {
            let _ = writeln!(s, "\nJUDGEMENTS LEFT TO A PERSON");
            for j in &self.judgements {
                let _ = writeln!(s, "  - {}: {}", who(j.who), j.question);
            }
        }
        let _ = writeln!(s, "\nINCIDENT LOG");
        if self.log_missing.is_empty() {
            let _ = writeln!(s, "  All five required fields are filled in.");
        } else {
            let _ = writeln!(s, "  Still to complete:");
            for f in &self.log_missing {
                let _ = writeln!(s, "  - {f}");
            }
        }
        let _ = writeln!(s, "\nPOLICY REVIEW\n  {}", self.review.text);
        let _ = writeln!(s, "\nWHY (the standard behind each step)");
        for e in &self.explanation {
            let _ = writeln!(s, "  - {}", e.line());
        }
        s
    }
}
