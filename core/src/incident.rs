//! Incident severity, escalation and the incident log.
