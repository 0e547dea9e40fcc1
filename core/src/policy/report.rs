//! [`DecisionReport`]: the `esafety check --json` line, shared by every face.

use serde::{Deserialize, Serialize};

use super::document::Action;
use super::evaluate::Decision;
use super::safe_search::SafeSearch;

/// One decision as DESIGN.md's `check --json` prints it:
/// `{url, canonical, action, rule, categories, reasons, log, review, message, safe_search}`.
/// The CLI, the C face and the WebAssembly face all serialize this type, so
/// they print the same JSON for the same request.
///
/// ```
/// use esafety::policy::{Action, Decision, DecidedBy, DecisionReport};
/// let decision = Decision {
///     action: Action::Warn,
///     rule: "warn-gaming".into(),
///     decided_by: DecidedBy::Rule(0),
///     categories: vec!["gaming".into()],
///     log: true,
///     review: false,
///     reasons: vec!["rule `warn-gaming` (warn) matched".into()],
///     message: None,
///     safe_search: None,
///     alert: None,
///     content: vec![],
/// };
/// let report = DecisionReport::new("games.example", "http://games.example/", decision);
/// let json = serde_json::to_string(&report)?;
/// assert!(json.starts_with(r#"{"url":"games.example","canonical":"http://games.example/","action":"warn","rule":"warn-gaming","categories":["gaming"]"#));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionReport {
    /// The URL as the user gave it.
    pub url: String,
    /// Its canonical form.
    pub canonical: String,
    /// `block`, `warn`, `allow` or `monitor`.
    pub action: Action,
    /// The rule id that decided, `baseline` or `default`.
    pub rule: String,
    /// The category ids of the URL.
    pub categories: Vec<String>,
    /// Why (rule, list, category, expression).
    pub reasons: Vec<String>,
    /// Whether the decision must be logged.
    pub log: bool,
    /// Whether the visit is flagged for review.
    pub review: bool,
    /// The block or warning page text, if any.
    pub message: Option<String>,
    /// The safe-search URL to use instead, if safe search is enforced.
    pub safe_search: Option<String>,
    /// The alert the decision raises (every statutory block; rules with
    /// `alert`); absent when none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alert: Option<super::alert::Alert>,
    /// The content scores (page, search terms), when content was scanned.
    // Without the `content` feature nothing is scanned and the list is
    // always empty: no code to write it (the WebAssembly extension build).
    #[cfg_attr(
        feature = "content",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    #[cfg_attr(not(feature = "content"), serde(default, skip_serializing))]
    pub content: Vec<super::content::ContentFinding>,
}

impl DecisionReport {
    /// The report of `decision` for `url` (as given) and its canonical form.
    ///
    /// ```
    /// use esafety::CanonicalUrl;
    /// use esafety::policy::{Action, DEFAULT, DecidedBy, Decision, DecisionReport, safe_search};
    ///
    /// let input = "www.google.co.uk/search?q=volcanoes";
    /// let url = CanonicalUrl::parse(input)?;
    /// let decision = Decision {
    ///     action: Action::Allow,
    ///     rule: DEFAULT.into(),
    ///     decided_by: DecidedBy::Default,
    ///     categories: vec!["search".into()],
    ///     log: false,
    ///     review: false,
    ///     reasons: vec!["no rule matched; the policy default `allow` applies".into()],
    ///     message: None,
    ///     safe_search: safe_search(url.as_str()),
    ///     alert: None,
    ///     content: vec![],
    /// };
    /// let report = DecisionReport::new(input, url.as_str(), decision);
    /// assert_eq!(report.url, input);
    /// assert_eq!(report.canonical, "http://www.google.co.uk/search?q=volcanoes");
    /// // The report keeps the safe-search URL only, not the engine or header.
    /// let safe = report.safe_search.as_deref();
    /// assert_eq!(safe, Some("http://www.google.co.uk/search?q=volcanoes&safe=active"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(url: &str, canonical: &str, decision: Decision) -> DecisionReport {
        DecisionReport {
            url: url.to_owned(),
            canonical: canonical.to_owned(),
            action: decision.action,
            rule: decision.rule,
            categories: decision.categories,
            reasons: decision.reasons,
            log: decision.log,
            review: decision.review,
            message: decision.message,
            safe_search: decision.safe_search.map(|s: SafeSearch| s.url),
            alert: decision.alert,
            content: decision.content,
        }
    }
}
