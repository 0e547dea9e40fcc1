//! [`Engine`]: a bundle and a policy together, classifying and deciding in
//! one call. The C and WebAssembly faces wrap this type.

use jiff::Timestamp;

use super::Policy;
use super::document::Device;
use super::evaluate::{Decision, Request};
use super::report::DecisionReport;
use crate::bundle::Bundle;
use crate::classify::Classifier;
#[cfg(feature = "content")]
use crate::content::{ContentMatches, Scanner};
use crate::url::{CanonicalUrl, UrlError};

/// Why [`Engine::check`] could not decide.
///
/// ```
/// use esafety::policy::{Context, Engine, EngineError, Policy};
/// use esafety::UrlError;
///
/// let policy = Policy::load("p.toml", "id = \"p\"\ndefault = \"allow\"")?;
/// let engine = Engine::new(esafety::sample::bundle()?, policy);
/// let context = Context::at("2026-03-02T10:00:00Z".parse()?);
/// let err = engine.check("mailto:head@school.example", context).unwrap_err();
/// assert_eq!(err, EngineError::Url(UrlError::UnsupportedScheme { scheme: "mailto".into() }));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EngineError {
    /// The URL could not be canonicalized.
    #[error(transparent)]
    Url(#[from] UrlError),
}

/// The request context besides the URL: who, on what, when.
///
/// ```
/// use esafety::policy::{Context, Device};
///
/// let context = Context {
///     group: Some("year-9"),
///     age: Some(14),
///     device: Some(Device::Byod),
///     ..Context::at("2026-03-02T10:00:00Z".parse()?)
/// };
/// assert_eq!(context.time.to_string(), "2026-03-02T10:00:00Z");
/// assert_eq!(context.device, Some(Device::Byod));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
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

impl<'a> Context<'a> {
    /// The request for `url` in this context, with no content scanned: the
    /// one place a context becomes what a policy evaluates.
    pub(crate) fn request<'r>(self, url: &'r CanonicalUrl) -> Request<'r>
    where
        'a: 'r,
    {
        Request {
            group: self.group,
            age: self.age,
            device: self.device,
            ..Request::new(url, self.time)
        }
    }

    /// A context at `time` with no group, age or device.
    ///
    /// ```
    /// use esafety::policy::Context;
    ///
    /// let time: jiff::Timestamp = "2026-03-02T10:00:00Z".parse()?;
    /// let context = Context::at(time);
    /// assert_eq!(context.time, time);
    /// assert!(context.group.is_none() && context.age.is_none() && context.device.is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn at(time: Timestamp) -> Context<'static> {
        Context {
            group: None,
            age: None,
            device: None,
            time,
        }
    }

    /// A context at the system time `time` (from [`std::time::SystemTime::now`]
    /// in a host: the core itself never reads the clock), with no group, age
    /// or device.
    ///
    /// ```
    /// use std::time::{Duration, SystemTime};
    /// use esafety::policy::Context;
    ///
    /// let at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_772_445_600);
    /// assert_eq!(Context::at_system(at)?.time.to_string(), "2026-03-02T10:00:00Z");
    /// # Ok::<(), esafety::policy::RequestError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`RequestError::TimeOutOfRange`](super::RequestError::TimeOutOfRange)
    /// outside the years -9999 to 9999.
    pub fn at_system(time: std::time::SystemTime) -> Result<Context<'static>, super::RequestError> {
        super::context::time_from_system(time).map(Context::at)
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
    ///
    /// Both are cheap to clone (their loaded parts are shared behind an
    /// `Arc`): make any number of engines over one bundle, or one policy,
    /// without validating or copying either again.
    ///
    /// ```
    /// use esafety::policy::{Action, Context, Engine, Policy};
    ///
    /// let text =
    ///     include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/policies/secondary-pupils.toml"));
    /// let policy = Policy::load("secondary-pupils.toml", text)?;
    /// let engine = Engine::new(esafety::sample::bundle()?, policy);
    /// // Monday 12:45 in London: lunch, so games get a warning, not a block.
    /// let context = Context::at("2026-03-02T12:45:00Z".parse()?);
    /// let report = engine.check("https://www.roblox.com/", context)?;
    /// assert_eq!(report.action, Action::Warn);
    /// assert_eq!(report.rule, "warn-games-breaks");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(bundle: Bundle<B>, policy: Policy) -> Engine<B> {
        Engine {
            classifier: Classifier::new(bundle),
            policy,
        }
    }

    /// The classifier.
    ///
    /// ```
    /// use esafety::policy::{Engine, Policy};
    ///
    /// let policy = Policy::load("p.toml", "id = \"p\"\ndefault = \"allow\"")?;
    /// let engine = Engine::new(esafety::sample::bundle()?, policy);
    /// let c = engine.classifier().classify_str("https://www.youtube.com/watch?v=abc")?;
    /// assert_eq!(c.matches[0].list, "sample-streaming");
    /// assert_eq!(c.matches[0].category_id, "streaming");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn classifier(&self) -> &Classifier<B> {
        &self.classifier
    }

    /// The policy.
    ///
    /// ```
    /// use esafety::policy::{Engine, Policy};
    ///
    /// let text =
    ///     include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/policies/secondary-pupils.toml"));
    /// let policy = Policy::load("secondary-pupils.toml", text)?;
    /// let engine = Engine::new(esafety::sample::bundle()?, policy);
    /// assert_eq!(engine.policy().id(), "secondary-pupils");
    /// assert_eq!(engine.policy().rules()[0].id(), "block-uksic");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Classifies a canonical URL and evaluates the request.
    ///
    /// ```
    /// use esafety::policy::{Action, Context, DecidedBy, Engine, Policy};
    /// use esafety::CanonicalUrl;
    ///
    /// let text =
    ///     include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/policies/secondary-pupils.toml"));
    /// let policy = Policy::load("secondary-pupils.toml", text)?;
    /// let engine = Engine::new(esafety::sample::bundle()?, policy);
    /// let url = CanonicalUrl::parse("https://www.instagram.com/")?;
    /// let after_school = Context::at("2026-03-02T16:30:00Z".parse()?);
    /// let year_7 = engine.decide(&url, Context { age: Some(12), ..after_school });
    /// assert_eq!((year_7.action, year_7.decided_by), (Action::Block, DecidedBy::Rule(2)));
    /// assert_eq!(year_7.rule, "block-social-under-13");
    /// let year_10 = engine.decide(&url, Context { age: Some(14), ..after_school });
    /// assert_eq!(year_10.rule, "monitor-social-13-plus");
    /// assert_eq!(year_10.action, Action::Monitor);
    /// assert!(year_10.review);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn decide(&self, url: &CanonicalUrl, context: Context<'_>) -> Decision {
        let classification = self.classifier.classify(url);
        self.policy.evaluate(&context.request(url), &classification)
    }

    /// [`Engine::decide`] with the request's content already scanned (page
    /// text, search terms, typed text: [`Scanner::scan`],
    /// [`Scanner::scan_search_terms`], [`ContentStream::finish`](crate::content::ContentStream::finish)),
    /// for the policy's and its rules' `content_limit`s.
    ///
    /// ```
    /// use esafety::content::{ListKind, PhraseList, PhraseOptions, ScannerBuilder};
    /// use esafety::policy::{Action, CONTENT, Context, Engine, Policy};
    /// use esafety::CanonicalUrl;
    ///
    /// let list = PhraseList::parse("w", b"< poker ><60>\n", ListKind::Weighted, &PhraseOptions::new())?;
    /// let scanner = ScannerBuilder::new().add_list(list).build()?;
    /// let text = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/policies/primary-pupils.toml"));
    /// let engine = Engine::new(esafety::sample::bundle()?, Policy::load("primary-pupils.toml", text)?);
    /// let url = CanonicalUrl::parse("https://www.bbc.co.uk/news")?;
    /// let mut stream = scanner.stream();
    /// stream.feed(b"<p>Poker ");
    /// stream.feed(b"night</p>");
    /// let page = stream.finish();
    /// let context = Context { age: Some(8), ..Context::at("2026-03-02T10:00:00Z".parse()?) };
    /// let decision = engine.decide_scanned(&url, context, &[&page]);
    /// assert_eq!((decision.action, decision.rule.as_str()), (Action::Block, CONTENT));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[cfg(feature = "content")]
    pub fn decide_scanned(
        &self,
        url: &CanonicalUrl,
        context: Context<'_>,
        content: &[&ContentMatches],
    ) -> Decision {
        let classification = self.classifier.classify(url);
        let request = Request {
            content,
            ..context.request(url)
        };
        self.policy.evaluate(&request, &classification)
    }

    /// Canonicalizes `input` and decides it with its content: the page text
    /// `page` when it was scanned (whole, or streamed in pieces), and, scanned
    /// here by `scanner` (in builds with
    /// decision records, feature `incident`) the URL's search terms
    /// ([`crate::record::search_terms`]), scored as e2guardian scores
    /// them. Returns the `check --json` report every face prints, with the
    /// content scores.
    ///
    /// ```
    /// use esafety::content::{ListKind, PhraseList, PhraseOptions, ScannerBuilder};
    /// use esafety::policy::{Action, CONTENT, ContentSource, Context, Engine, Policy};
    ///
    /// let list = PhraseList::parse("w", b"#listcategory: \"Gambling\"\n< poker ><60>\n", ListKind::Weighted, &PhraseOptions::new())?;
    /// let scanner = ScannerBuilder::new().add_list(list).build()?;
    /// let text = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/policies/primary-pupils.toml"));
    /// let engine = Engine::new(esafety::sample::bundle()?, Policy::load("primary-pupils.toml", text)?);
    /// let context = Context { age: Some(8), ..Context::at("2026-03-02T10:00:00Z".parse()?) };
    /// let search = engine.check_with_content("https://www.google.com/search?q=poker+tips", context, &scanner, None)?;
    /// assert_eq!((search.action, search.rule.as_str()), (Action::Block, CONTENT));
    /// assert_eq!((search.content[0].source, search.content[0].score), (ContentSource::SearchTerms, 60));
    /// let text = scanner.scan(b"<p>volcanoes</p>");
    /// let page = engine.check_with_content("https://www.bbc.co.uk/", context, &scanner, Some(&text))?;
    /// assert_eq!((page.action, page.content[0].score), (Action::Allow, 0));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Engine::check`].
    #[cfg(feature = "content")]
    pub fn check_with_content(
        &self,
        input: &str,
        context: Context<'_>,
        scanner: &Scanner,
        page: Option<&ContentMatches>,
    ) -> Result<DecisionReport, EngineError> {
        let url = CanonicalUrl::parse(input)?;
        #[cfg(feature = "incident")]
        let terms = crate::record::search_terms(input, &url)
            .map(|t| scanner.scan_search_terms(&[t.terms.as_str()]));
        #[cfg(not(feature = "incident"))]
        let terms: Option<ContentMatches> = {
            // Search terms are read by the record module (feature `incident`).
            let _ = scanner;
            None
        };
        let content: Vec<&ContentMatches> = page.into_iter().chain(terms.as_ref()).collect();
        let decision = self.decide_scanned(&url, context, &content);
        Ok(DecisionReport::new(input, url.as_str(), decision))
    }

    /// Canonicalizes `input`, classifies and decides it, and returns the
    /// `check --json` report every face prints.
    ///
    /// ```
    /// use esafety::policy::{Action, Context, Device, Engine, Policy};
    ///
    /// let text =
    ///     include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/policies/secondary-pupils.toml"));
    /// let policy = Policy::load("secondary-pupils.toml", text)?;
    /// let engine = Engine::new(esafety::sample::bundle()?, policy);
    /// let at_ten = Context::at("2026-03-02T10:00:00Z".parse()?);
    /// let context = Context { device: Some(Device::Byod), ..at_ten };
    /// let report = engine.check("HTTPS://WWW.YouTube.com/watch?v=abc", context)?;
    /// assert_eq!(report.canonical, "https://www.youtube.com/watch?v=abc");
    /// assert_eq!(report.action, Action::Monitor);
    /// assert_eq!(report.rule, "monitor-streaming-byod");
    /// assert_eq!(report.safe_search.as_deref(), Some("https://restrict.youtube.com/watch?v=abc"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`EngineError::Url`] when `input` cannot be canonicalized. A filter
    /// should treat that as a block (fail closed): every address a browser
    /// opens, up to [`crate::url::MAX_INPUT_LEN`], can be canonicalized, so
    /// the error means input that is not a web address.
    pub fn check(&self, input: &str, context: Context<'_>) -> Result<DecisionReport, EngineError> {
        let url = CanonicalUrl::parse(input)?;
        let decision = self.decide(&url, context);
        Ok(DecisionReport::new(input, url.as_str(), decision))
    }

    /// [`Engine::check`], with an input that cannot be decided answered by
    /// the fail-closed [`Decision::error`] (block, rule
    /// [`ERROR`](super::ERROR)) instead of an error: what a filter
    /// that must answer every request calls.
    ///
    /// ```
    /// use esafety::policy::{Action, Context, ERROR, Engine, Policy};
    ///
    /// let policy = Policy::load("p.toml", "id = \"p\"\ndefault = \"allow\"")?;
    /// let engine = Engine::new(esafety::sample::bundle()?, policy);
    /// let context = Context::at("2026-03-02T10:00:00Z".parse()?);
    /// let report = engine.check_or_block("http://[::1/", context);
    /// assert_eq!((report.action, report.rule.as_str()), (Action::Block, ERROR));
    /// assert_eq!(engine.check_or_block("https://www.bbc.co.uk/", context).action, Action::Allow);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn check_or_block(&self, input: &str, context: Context<'_>) -> DecisionReport {
        self.check(input, context)
            .unwrap_or_else(|e| DecisionReport::error(input, e))
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

    #[test]
    fn engines_share_one_bundle_and_one_policy() {
        // A proxy serving many groups makes one engine per policy over one
        // bundle: each must hold the same parts, not a copy (before the
        // parts were shared, each engine re-validated the bytes and held
        // its own copy of the regex automaton and of the compiled policy).
        let bundle = crate::sample::bundle().unwrap();
        let policy = Policy::load("p.toml", "id = \"p\"\ndefault = \"allow\"").unwrap();
        let engines: Vec<Engine> = (0..64)
            .map(|_| Engine::new(bundle.clone(), policy.clone()))
            .collect();
        for engine in &engines {
            let shared = engine.classifier().bundle();
            assert!(std::ptr::eq(shared.as_bytes(), bundle.as_bytes()));
            assert!(std::ptr::eq(shared.lists(), bundle.lists()));
            assert!(std::ptr::eq(engine.policy().document(), policy.document()));
        }
    }
}
