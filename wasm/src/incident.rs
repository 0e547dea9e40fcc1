//! Incidents: `assessIncident(incident, profile?)`, `escalationProfiles()`.

use esafety::Limits;
use esafety::incident::{AssessmentReport, EscalationProfile, Incident, IncidentError, assess};
use wasm_bindgen::prelude::*;

use crate::error::{Code, Failure};
use crate::to_js;

fn incident_failure(e: IncidentError) -> Failure {
    let line = e.line();
    // `invalid-incident`, or `too-large` over `max_document_len`.
    let failure = Failure::new(e.code(), e);
    match line {
        Some(l) => failure.at(l, 0),
        None => failure,
    }
}

/// Reads an incident given as JSON or TOML text (chosen by the content) or
/// as an object in the incident file shape.
fn read_incident(value: &JsValue, limits: &Limits) -> Result<Incident, Failure> {
    if let Some(text) = value.as_string() {
        return Incident::from_bytes_auto_with_limits(text.as_bytes(), limits)
            .map_err(incident_failure);
    }
    if value.is_object() {
        // The core reads the record (and words its errors); pretty JSON so
        // that an error's line points at one field.
        let json = js_sys::JSON::stringify_with_replacer_and_space(
            value,
            &JsValue::NULL,
            &JsValue::from_f64(2.0),
        )
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| {
            Failure::new(
                Code::InvalidIncident,
                "the incident object cannot be written as JSON (a cycle or a BigInt?)",
            )
        })?;
        return Incident::from_json_with_limits(&json, limits).map_err(incident_failure);
    }
    Err(Failure::new(
        Code::InvalidIncident,
        "an incident must be an object or JSON or TOML text",
    ))
}

/// Reads the escalation profile argument: absent (`national`), a shipped
/// name, or `{toml, file?}` with a profile's TOML text.
fn read_profile(value: &JsValue, limits: &Limits) -> Result<EscalationProfile, Failure> {
    if value.is_undefined() || value.is_null() {
        return EscalationProfile::national().map_err(|e| Failure::new(Code::UnknownProfile, e));
    }
    if let Some(name) = value.as_string() {
        return EscalationProfile::shipped(&name)
            .map_err(|e| Failure::new(Code::UnknownProfile, e));
    }
    if value.is_object() {
        let get = |key: &str| {
            js_sys::Reflect::get(value, &JsValue::from_str(key))
                .ok()
                .and_then(|v| v.as_string())
        };
        if let Some(text) = get("toml") {
            let file = get("file").unwrap_or_else(|| "profile.toml".to_owned());
            // `invalid-profile`, or `too-large` over `max_document_len`.
            return EscalationProfile::from_toml_with_limits(&text, &file, limits)
                .map_err(|e| Failure::new(e.code(), e));
        }
    }
    Err(Failure::new(
        Code::UnknownProfile,
        "an escalation profile must be a shipped profile name or `{toml, file?}`",
    ))
}

/// Assesses an incident: the `esafety incident --json` report `{severity,
/// routes, actions, explanation, route_details, prohibited, judgements,
/// review, log_missing, profile}`.
///
/// `incident` is an object in the incident file shape, or its JSON or TOML
/// text. `profile` is a shipped escalation profile name (default
/// `national`; see `escalationProfiles()`), or `{toml, file?}` with the text
/// of a local profile (routes it leaves out come from `national`).
///
/// `options.limits` overrides the core's `Limits` as for the `Policy`
/// loaders: `maxDocumentLen` bounds the incident (its text, or the JSON an
/// object is written as) and a profile's TOML text.
///
/// Throws an `Error` with code `invalid-incident` (with `line` when known)
/// when the record is not valid, `unknown-profile` for a profile name that
/// is not shipped, `invalid-profile` for a profile text that does not
/// load, `too-large` for an incident or profile text over
/// `maxDocumentLen`, and `invalid-argument` for options that cannot be
/// used.
#[wasm_bindgen(js_name = assessIncident, unchecked_return_type = "AssessmentReport")]
pub fn assess_incident(
    #[wasm_bindgen(unchecked_param_type = "Incident | string")] incident: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "string | { toml: string; file?: string }")]
    profile: Option<JsValue>,
    #[wasm_bindgen(unchecked_optional_param_type = "LoadOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let limits = crate::boundary::limits(&options, "options")?;
    let incident = read_incident(&incident, &limits)?;
    let profile = read_profile(&profile.unwrap_or(JsValue::UNDEFINED), &limits)?;
    Ok(to_js(&AssessmentReport::new(&assess(&incident, &profile)))?)
}

/// The names of the escalation profiles shipped in the package.
#[wasm_bindgen(js_name = escalationProfiles)]
pub fn escalation_profiles() -> Vec<String> {
    esafety::incident::SHIPPED
        .iter()
        .map(|(name, _)| (*name).to_owned())
        .collect()
}
