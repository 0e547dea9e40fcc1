//! Policies, the engine and the linter: `Policy.fromToml` / `fromJson` /
//! `load`, `new Engine(bundle, policy)`, `engine.decide(request)`,
//! `lintPolicy(text, today)`.

use std::sync::Arc;

#[cfg(feature = "full")]
use esafety::policy::lint::{LintOptions, LintReport};
use esafety::policy::{Format, PolicyError};
use wasm_bindgen::prelude::*;

use esafety::url::CanonicalUrl;

use crate::boundary;
use crate::bundle::{Bundle, SharedBytes};
use crate::decision::Fields;
use crate::error::{Code, Failure};
#[cfg(feature = "full")]
use crate::request::date;
use crate::request::{JsRequest, with_scratch};
use crate::to_js;

/// An Acceptable Use Policy, loaded and validated (a rule that tries to
/// lower the statutory baseline fails to load).
#[wasm_bindgen]
#[derive(Clone)]
pub struct Policy {
    inner: Arc<esafety::policy::Policy>,
}

fn policy_failure(e: PolicyError) -> Failure {
    let (line, column) = (e.load_error().line(), e.load_error().column());
    Failure::new(e.code(), e).at(line, column)
}

fn load(
    text: &JsValue,
    source: &JsValue,
    options: &JsValue,
    format: Option<Format>,
) -> Result<Policy, JsValue> {
    let limits = boundary::limits(options, "options")?;
    let text = &boundary::string(text, "text")?;
    let source = boundary::optional_string(source, "source")?;
    let default_name = match format {
        Some(Format::Json) => "policy.json",
        Some(Format::Toml) => "policy.toml",
        None => "policy",
    };
    let source = source.unwrap_or_else(|| default_name.to_owned());
    let format = format.unwrap_or_else(|| Format::detect(&source, text));
    let policy = esafety::policy::Policy::load_with_limits(&source, text, format, &limits)
        .map_err(policy_failure)?;
    Ok(Policy {
        inner: Arc::new(policy),
    })
}

#[wasm_bindgen]
impl Policy {
    /// A second handle on this policy (its loaded parts shared, nothing
    /// copied): how the boundary reads a `Policy` argument without taking
    /// the caller's (`boundary::instance`). Not API.
    #[wasm_bindgen(js_name = __esafetyShare, skip_typescript)]
    pub fn share(&self) -> Policy {
        self.clone()
    }

    /// Loads a policy from TOML text. `source` names it in error messages
    /// (default `policy.toml`).
    ///
    /// Throws an `Error` with code `invalid-policy` and `line`/`column`
    /// when the text does not load; `options.limits` overrides the core's
    /// bounds (`maxDocumentLen`, `maxPolicyRules`; see `Limits`).
    ///
    /// Full build only: the extension build reads JSON policies
    /// (`esafety compile-policy` writes them).
    #[cfg(feature = "full")]
    #[wasm_bindgen(js_name = fromToml)]
    pub fn from_toml(
        #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "string")] source: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "LoadOptions")] options: JsValue,
    ) -> Result<Policy, JsValue> {
        load(&text, &source, &options, Some(Format::Toml))
    }

    /// Loads a policy from JSON text. `source` names it in error messages
    /// (default `policy.json`).
    ///
    /// Throws an `Error` with code `invalid-policy` and `line`/`column`
    /// when the text does not load; `options.limits` overrides the core's
    /// bounds (`maxDocumentLen`, `maxPolicyRules`; see `Limits`).
    #[wasm_bindgen(js_name = fromJson)]
    pub fn from_json(
        #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "string")] source: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "LoadOptions")] options: JsValue,
    ) -> Result<Policy, JsValue> {
        load(&text, &source, &options, Some(Format::Json))
    }

    /// Loads a policy from TOML or JSON text, chosen by the extension of
    /// `source` (`.toml`, `.json`), else by the text (a leading `{` is JSON).
    ///
    /// Throws an `Error` with code `invalid-policy` and `line`/`column`
    /// when the text does not load; `options.limits` overrides the core's
    /// bounds (`maxDocumentLen`, `maxPolicyRules`; see `Limits`).
    pub fn load(
        #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "string")] source: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "LoadOptions")] options: JsValue,
    ) -> Result<Policy, JsValue> {
        load(&text, &source, &options, None)
    }

    /// The policy id.
    #[wasm_bindgen(getter)]
    pub fn id(&self) -> String {
        self.inner.id().to_owned()
    }

    /// The ids of the policy's rules, in order.
    #[wasm_bindgen(js_name = ruleIds)]
    pub fn rule_ids(&self) -> Vec<String> {
        self.inner
            .rules()
            .iter()
            .map(|r| r.id().to_owned())
            .collect()
    }

    /// The policy as the JSON the extension build reads, as
    /// `esafety compile-policy` writes it (full build only).
    ///
    /// Throws an `Error` with code `invalid-policy` if it cannot be written.
    #[cfg(feature = "full")]
    #[wasm_bindgen(js_name = toJson)]
    pub fn to_json(&self) -> Result<String, JsValue> {
        Ok(self.inner.to_json().map_err(|e| {
            Failure::new(
                Code::InvalidPolicy,
                format!("cannot write the policy as JSON: {e}"),
            )
        })?)
    }
}

/// A bundle and a policy together: classifies and decides in one call.
/// Immutable; make a new one to change the bundle or the policy.
#[wasm_bindgen]
pub struct Engine {
    inner: esafety::policy::Engine<SharedBytes>,
}

impl Engine {
    /// The core engine, for the other exports.
    #[cfg_attr(
        not(any(feature = "dnr", feature = "full")),
        expect(
            dead_code,
            reason = "used by the dnr feature's export and the full build's content decisions"
        )
    )]
    pub(crate) fn core(&self) -> &esafety::policy::Engine<SharedBytes> {
        &self.inner
    }
}

#[wasm_bindgen]
impl Engine {
    /// An engine deciding with `policy` over `bundle`. Neither argument is
    /// consumed: both stay usable, and the engine shares their loaded parts
    /// (nothing is validated or copied again).
    ///
    /// Throws an `Error` with code `invalid-argument` when `bundle` is not
    /// a `Bundle` or `policy` not a `Policy` (checked here, by the
    /// boundary: wasm-bindgen's own check threw a plain `Error`).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "Bundle")] bundle: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Policy")] policy: JsValue,
    ) -> Result<Engine, JsValue> {
        let bundle = boundary::instance::<Bundle>(&bundle, "bundle", "Bundle")?;
        let policy = boundary::instance::<Policy>(&policy, "policy", "Policy")?;
        Ok(Engine {
            inner: esafety::policy::Engine::new(
                bundle.classifier.bundle().clone(),
                (*policy.inner).clone(),
            ),
        })
    }

    /// Decides one request `{url, time, group?, age?, device?}`: the
    /// `esafety check --json` line `{url, canonical, action, rule,
    /// categories, reasons, log, review, message, safe_search}`.
    ///
    /// `time` is an RFC 3339 string with an offset, epoch milliseconds or a
    /// `Date`; the engine never reads the clock.
    ///
    /// Throws an `Error` with code `invalid-request` for a malformed request
    /// and `invalid-url` when `url` is not a URL. A filter should block on
    /// either (fail closed): every address a browser opens, up to 2 MiB,
    /// is a URL here.
    #[wasm_bindgen(unchecked_return_type = "DecisionReport")]
    pub fn decide(
        &self,
        #[wasm_bindgen(unchecked_param_type = "DecideRequest")] request: JsValue,
    ) -> Result<JsValue, JsValue> {
        with_scratch(|scratch| -> Result<JsValue, JsValue> {
            let request = JsRequest::read(&request, scratch)?;
            // `Engine::check` in two steps, so that the report's fields are
            // borrowed rather than copied into a `DecisionReport`.
            let url = CanonicalUrl::parse(&request.request.url)
                .map_err(|e| Failure::new(Code::InvalidUrl, e))?;
            let decision = self.inner.decide(&url, request.context());
            let fields = Fields::new(&request.request.url, url.as_str(), &decision);
            let object = crate::decision::to_object(&fields, request.url_value.as_ref());
            // Only statutory blocks and rules that ask for one alert: the
            // common case pays nothing.
            if let Some(alert) = &decision.alert {
                js_sys::Reflect::set(&object, &JsValue::from_str("alert"), &to_js(alert)?)
                    .map_err(|_| {
                        Failure::new(Code::InvalidArgument, "cannot set `alert` on the result")
                    })?;
            }
            Ok(object)
        })
    }

    /// Classifies `url` against the engine's bundle, as `Bundle.classify`.
    #[wasm_bindgen(unchecked_return_type = "ClassificationReport")]
    pub fn classify(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] url: JsValue,
    ) -> Result<JsValue, JsValue> {
        let url = boundary::string(&url, "url")?;
        let report = self
            .inner
            .classifier()
            .report(&url)
            .map_err(|e| Failure::new(Code::InvalidUrl, e))?;
        Ok(to_js(&report)?)
    }

    /// The record of one request (the `record` module binds it).
    #[cfg(feature = "record")]
    pub(crate) fn record_for(
        &self,
        url: &str,
        identity: &esafety::record::Identity<'_>,
        time: jiff::Timestamp,
        options: &esafety::record::RecordOptions,
    ) -> esafety::record::DecisionRecord {
        esafety::record::record(&self.inner, url, identity, time, options)
    }

    /// The id of the engine's policy.
    #[wasm_bindgen(getter, js_name = policyId)]
    pub fn policy_id(&self) -> String {
        self.inner.policy().id().to_owned()
    }
}

/// Lints a policy against the minimum standards: the `esafety lint --json`
/// line `{file, findings: [{code, severity, line, message}]}`. A policy that
/// does not load gives one `P000` finding rather than an exception.
///
/// `today` (`YYYY-MM-DD`, or a `Date` / epoch milliseconds read as a UTC
/// date) is the date review deadlines are checked against; `file` names the
/// policy in the report and chooses TOML or JSON by its extension (default
/// `policy.toml`, or `policy.json` for text starting with `{`).
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = lintPolicy, unchecked_return_type = "LintReport")]
pub fn lint_policy(
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string | number | Date")] today: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "string")] file: JsValue,
) -> Result<JsValue, JsValue> {
    let text = &boundary::string(&text, "text")?;
    let file = boundary::optional_string(&file, "file")?;
    let today = date(&today)?;
    let file = file.unwrap_or_else(|| match Format::detect("", text) {
        Format::Json => "policy.json".to_owned(),
        Format::Toml => "policy.toml".to_owned(),
    });
    let findings = esafety::policy::lint(&file, text, LintOptions { today });
    Ok(to_js(&LintReport { file, findings })?)
}
