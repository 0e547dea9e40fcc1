//! Chromium's declarativeNetRequest rule, as `updateDynamicRules` and a
//! static ruleset file take it (camelCase JSON; only the fields esafety
//! writes).

use serde::{Deserialize, Serialize};

/// One declarativeNetRequest rule.
///
/// ```
/// use esafety::export::dnr::{ActionType, ResourceType, Rule, RuleCondition};
///
/// let rule = Rule::new(7, 1, ActionType::Block, RuleCondition {
///     request_domains: Some(vec!["bet365.com".into()]),
///     ..RuleCondition::every_request()
/// });
/// let json = serde_json::to_value(&rule)?;
/// assert_eq!(json["action"]["type"], "block");
/// assert_eq!(json["condition"]["requestDomains"][0], "bet365.com");
/// assert_eq!(json["condition"]["resourceTypes"].as_array().map(Vec::len), Some(ResourceType::ALL.len()));
/// assert!(json["condition"].get("urlFilter").is_none());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Rule {
    /// The rule id (at least 1, unique in its ruleset).
    pub id: u32,
    /// The priority (at least 1); among matching rules the highest wins,
    /// and at equal priority `allow` beats `block`.
    pub priority: u32,
    /// What the browser does with a matching request.
    pub action: RuleAction,
    /// Which requests match.
    pub condition: RuleCondition,
}

impl Rule {
    /// A rule with this id, priority, action and condition.
    ///
    /// ```
    /// use esafety::export::dnr::{ActionType, Rule, RuleCondition};
    /// let rule = Rule::new(1, 2, ActionType::Allow, RuleCondition::every_request());
    /// assert_eq!((rule.id, rule.priority, rule.action.kind), (1, 2, ActionType::Allow));
    /// ```
    pub fn new(id: u32, priority: u32, action: ActionType, condition: RuleCondition) -> Rule {
        Rule {
            id,
            priority,
            action: RuleAction { kind: action },
            condition,
        }
    }
}

/// A rule's action.
///
/// ```
/// use esafety::export::dnr::{ActionType, RuleAction};
/// let action: RuleAction = serde_json::from_str(r#"{"type": "allow"}"#)?;
/// assert_eq!(action.kind, ActionType::Allow);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleAction {
    /// The action type.
    #[serde(rename = "type")]
    pub kind: ActionType,
}

/// The actions esafety's rules take.
///
/// ```
/// use esafety::export::dnr::ActionType;
/// assert_eq!(serde_json::to_string(&ActionType::Block)?, r#""block""#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ActionType {
    /// Cancel the request (a page or frame shows the browser's "blocked"
    /// error; the extension sends a blocked page to its block page).
    Block,
    /// Let the request through whatever lower-priority rules say.
    Allow,
}

/// A rule's condition. A request matches when every field given matches.
///
/// ```
/// use esafety::export::dnr::RuleCondition;
/// let c = RuleCondition { url_filter: Some("||example.com/page.html|".into()), ..RuleCondition::every_request() };
/// assert_eq!(
///     serde_json::to_string(&c)?,
///     r#"{"urlFilter":"||example.com/page.html|","resourceTypes":["main_frame","sub_frame","stylesheet","script","image","font","object","xmlhttprequest","ping","csp_report","media","websocket","webtransport","webbundle","other"]}"#
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RuleCondition {
    /// An Adblock-style pattern over the request URL (`||` domain anchor,
    /// `|` start or end anchor, `^` separator, `*` wildcard).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url_filter: Option<String>,
    /// An RE2 regular expression over the request URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regex_filter: Option<String>,
    /// Whether `url_filter` or `regex_filter` is case-sensitive (Chromium's
    /// default is `false`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_url_filter_case_sensitive: Option<bool>,
    /// Hosts whose requests match, each with its subdomains.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_domains: Option<Vec<String>>,
    /// The request types the rule applies to. esafety's rules list every
    /// type: without the list, Chromium leaves out `main_frame`.
    pub resource_types: Vec<ResourceType>,
}

impl RuleCondition {
    /// A condition every request of every type matches (the fields to
    /// narrow it are left empty).
    ///
    /// ```
    /// use esafety::export::dnr::{ResourceType, RuleCondition};
    /// let c = RuleCondition::every_request();
    /// assert!(c.url_filter.is_none() && c.request_domains.is_none());
    /// assert!(c.resource_types.contains(&ResourceType::MainFrame));
    /// ```
    pub fn every_request() -> RuleCondition {
        RuleCondition {
            url_filter: None,
            regex_filter: None,
            is_url_filter_case_sensitive: None,
            request_domains: None,
            resource_types: ResourceType::ALL.to_vec(),
        }
    }
}

/// The request types of declarativeNetRequest.
///
/// ```
/// use esafety::export::dnr::ResourceType;
/// assert_eq!(serde_json::to_string(&ResourceType::Xmlhttprequest)?, r#""xmlhttprequest""#);
/// assert_eq!(serde_json::to_string(&ResourceType::MainFrame)?, r#""main_frame""#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResourceType {
    /// A top-level page.
    MainFrame,
    /// A page in a frame.
    SubFrame,
    /// A style sheet.
    Stylesheet,
    /// A script.
    Script,
    /// An image.
    Image,
    /// A web font.
    Font,
    /// `<object>` or `<embed>` content.
    Object,
    /// `fetch()` and `XMLHttpRequest`.
    Xmlhttprequest,
    /// `navigator.sendBeacon` and `<a ping>`.
    Ping,
    /// A Content-Security-Policy violation report.
    CspReport,
    /// Audio or video.
    Media,
    /// A WebSocket handshake.
    Websocket,
    /// A WebTransport handshake.
    Webtransport,
    /// A web bundle.
    Webbundle,
    /// Anything else.
    Other,
}

impl ResourceType {
    /// Every type, so that a rule applies to every request.
    ///
    /// ```
    /// assert_eq!(esafety::export::dnr::ResourceType::ALL.len(), 15);
    /// ```
    pub const ALL: [ResourceType; 15] = [
        ResourceType::MainFrame,
        ResourceType::SubFrame,
        ResourceType::Stylesheet,
        ResourceType::Script,
        ResourceType::Image,
        ResourceType::Font,
        ResourceType::Object,
        ResourceType::Xmlhttprequest,
        ResourceType::Ping,
        ResourceType::CspReport,
        ResourceType::Media,
        ResourceType::Websocket,
        ResourceType::Webtransport,
        ResourceType::Webbundle,
        ResourceType::Other,
    ];
}
