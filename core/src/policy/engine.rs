//! [`Engine`]: a bundle and a policy together, classifying and deciding in
//! one call. The C and WebAssembly faces wrap this type.

use jiff::Timestamp;

use super::Policy;
use super::document::Device;
use super::evaluate::{Decision, Request};
use super::report::DecisionReport;
use crate::bundle::Bundle;
use crate::classify::Classifier;
use crate::url::{CanonicalUrl, UrlError};

/// Why [`Engine::check`] could not decide.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EngineError {
    /// The URL could not be canonicalized.
    #[error(transparent)]
    Url(#[from] UrlError),
}

/// The request context besides the URL: who, on what, when.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The user's group, if known.
    pub group: Option<&'a str>,
    /// The user's age, if known.
    pub age: Option<u8>,
    /// The kind of device, if known.
    pub device: Option<Device>,
    /// When the request was made (the core never reads the clock).
    pub time: Timestamp,
}

impl Context<'_> {
    /// A context at `time` with no group, age or device.
    pub fn at(time: Timestamp) -> Context<'static> {
        Context {
            group: None,
            age: None,
            device: None,
            time,
        }
    }
}

/// A classifier and a policy: classify + evaluate in one call.
///
/// Immutable and `Send + Sync` (when the bundle bytes are); share it behind
/// an `Arc` and swap the `Arc` to change bundle or policy.
///
/// ```
/// use esafety::policy::{Action, Context, Engine, Policy};
///
/// let policy = Policy::load("p.toml", r#"
///     id = "p"
///     default = "allow"
///     [[rules]]
///     id = "no-gambling"
///     action = "block"
///     categories = ["gambling"]
/// "#)?;
/// let engine = Engine::new(esafety::sample::bundle()?, policy);
/// let report = engine.check("https://www.bet365.com/", Context::at("2026-03-02T10:00:00Z".parse()?))?;
/// assert_eq!(report.action, Action::Block);
/// assert_eq!(report.rule, "no-gambling");
/// assert_eq!(report.categories, ["gambling"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Engine<B = Vec<u8>> {
    classifier: Classifier<B>,
    policy: Policy,
}

impl<B: AsRef<[u8]>> Engine<B> {
    /// An engine over `bundle` deciding with `policy`.
    pub fn new(bundle: Bundle<B>, policy: Policy) -> Engine<B> {
        Engine {
            classifier: Classifier::new(bundle),
            policy,
        }
    }

    /// The classifier.
    pub fn classifier(&self) -> &Classifier<B> {
        &self.classifier
    }

    /// The policy.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Classifies a canonical URL and evaluates the request.
    pub fn decide(&self, url: &CanonicalUrl, context: Context<'_>) -> Decision {
        let classification = self.classifier.classify(url);
        let request = Request {
            url,
            group: context.group,
            age: context.age,
            device: context.device,
            time: context.time,
        };
        self.policy.evaluate(&request, &classification)
    }

    /// Canonicalizes `input`, classifies and decides it, and returns the
    /// `check --json` report every face prints.
    ///
    /// # Errors
    ///
    /// [`EngineError::Url`] when `input` cannot be canonicalized.
    pub fn check(&self, input: &str, context: Context<'_>) -> Result<DecisionReport, EngineError> {
        let url = CanonicalUrl::parse(input)?;
        let decision = self.decide(&url, context);
        Ok(DecisionReport::new(input, url.as_str(), decision))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn engine_is_send_and_sync() {
        assert_send_sync::<Engine<Vec<u8>>>();
    }
}
