//! Content limits in a policy: how a page's (or a search's) content score
//! takes part in a decision.
//!
//! A policy acts on content in two ways, both written as a
//! [`ContentLimitSetting`]:
//!
//! - the policy's own `content_limit`: content over it is blocked right
//!   after the statutory baseline and before any rule (rule id
//!   [`CONTENT`]), whatever the rules would say;
//! - a rule's `content_limit`: a condition, true when content was scanned
//!   and crosses that limit, so a rule can warn on or monitor content
//!   for some groups, ages, devices or times and block it for others.
//!
//! "Crosses" is e2guardian's verdict at that limit
//! ([`ContentMatches::judge`](crate::content::ContentMatches::judge)): a
//! score over the limit, or a banned phrase, and no exception phrase.
//!
//! A limit is an audience (`young-children` 50, `older-children` 100,
//! `young-adults` 160: e2guardian's suggested `naughtynesslimit`s), a
//! number of points, or `by-age`: the audience of the request's age band
//! ([`ContentLimitSetting::for_age`]).
//!
//! ```
//! use esafety::policy::{ContentLimitSetting, Policy};
//! use esafety::content::ContentLimit;
//!
//! let policy = Policy::load("p.toml", r#"
//!     id = "p"
//!     default = "allow"
//!     content_limit = "by-age"
//!     [[rules]]
//!     id = "monitor-strong-content"
//!     action = "monitor"
//!     content_limit = 30
//! "#)?;
//! assert_eq!(policy.document().content_limit, Some(ContentLimitSetting::ByAge));
//! let rule = policy.rules()[0].doc();
//! assert_eq!(rule.content_limit, Some(ContentLimitSetting::Limit(ContentLimit::Points(30))));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::BTreeMap;
use std::fmt;

#[cfg(feature = "schema")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::document::AgeRange;
use crate::content::ContentLimit;

/// The rule name of a decision made by the policy's own `content_limit`.
///
/// ```
/// assert_eq!(esafety::policy::CONTENT, "content");
/// ```
pub const CONTENT: &str = "content";

/// The block-page wording of a decision made by the policy's own
/// `content_limit`, when the policy gives no `content_message`.
///
/// ```
/// assert!(esafety::policy::CONTENT_BLOCK_MESSAGE.contains("content"));
/// ```
pub const CONTENT_BLOCK_MESSAGE: &str = "This page is blocked because of what it contains: its content \
crossed the limit set for you. If you think this is wrong, tell a member of staff.";

/// A content limit as a policy or rule writes it: `by-age`, an audience
/// (`young-children`, `older-children`, `young-adults`) or a number of
/// points.
///
/// A policy naming one loads only in a build of esafety with content
/// scanning (feature `content`): without it the limit could never be
/// applied, and the policy would silently never block on content. Such a
/// build refuses any `content_limit`, well-formed or not, with
/// [`CONTENT_LIMIT_UNAVAILABLE`].
///
/// ```
/// use esafety::policy::ContentLimitSetting;
/// use esafety::content::ContentLimit;
/// let by_age: ContentLimitSetting = serde_json::from_str("\"by-age\"")?;
/// assert_eq!(by_age, ContentLimitSetting::ByAge);
/// let fixed: ContentLimitSetting = serde_json::from_str("\"older-children\"")?;
/// assert_eq!(fixed, ContentLimitSetting::Limit(ContentLimit::OlderChildren));
/// assert_eq!(serde_json::to_string(&ContentLimitSetting::Limit(ContentLimit::Points(70)))?, "70");
/// assert!(serde_json::from_str::<ContentLimitSetting>("\"teens\"").is_err());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ContentLimitSetting {
    /// The audience of the request's age band ([`ContentLimitSetting::for_age`]).
    ByAge,
    /// This limit for every request.
    Limit(ContentLimit),
}

impl ContentLimitSetting {
    /// The age band's audience, as e2guardian's guide names them: under 11
    /// young children (50), 11 to 15 older children (100), 16 and over
    /// young adults (160). A request without an age counts as the youngest
    /// age of the policy's `age` range, or, in a policy without one, as a
    /// young child: the strictest limit when nothing says otherwise.
    ///
    /// ```
    /// use esafety::policy::{AgeRange, ContentLimitSetting};
    /// use esafety::content::ContentLimit;
    /// let band = |age, range| ContentLimitSetting::for_age(age, range);
    /// assert_eq!(band(Some(9), None), ContentLimit::YoungChildren);
    /// assert_eq!(band(Some(11), None), ContentLimit::OlderChildren);
    /// assert_eq!(band(Some(15), None), ContentLimit::OlderChildren);
    /// assert_eq!(band(Some(16), None), ContentLimit::YoungAdults);
    /// assert_eq!(band(None, AgeRange::new(11, 16)), ContentLimit::OlderChildren);
    /// assert_eq!(band(None, None), ContentLimit::YoungChildren);
    /// ```
    pub fn for_age(age: Option<u8>, policy_ages: Option<AgeRange>) -> ContentLimit {
        match age.or(policy_ages.map(AgeRange::min)) {
            Some(a) if a >= 16 => ContentLimit::YoungAdults,
            Some(a) if a >= 11 => ContentLimit::OlderChildren,
            _ => ContentLimit::YoungChildren,
        }
    }

    /// The limit for a request of `age` under a policy for `policy_ages`.
    ///
    /// ```
    /// use esafety::policy::ContentLimitSetting;
    /// use esafety::content::ContentLimit;
    /// assert_eq!(ContentLimitSetting::ByAge.limit(Some(17), None), ContentLimit::YoungAdults);
    /// let fixed = ContentLimitSetting::Limit(ContentLimit::Points(20));
    /// assert_eq!(fixed.limit(Some(17), None), ContentLimit::Points(20));
    /// ```
    pub fn limit(self, age: Option<u8>, policy_ages: Option<AgeRange>) -> ContentLimit {
        match self {
            ContentLimitSetting::ByAge => ContentLimitSetting::for_age(age, policy_ages),
            ContentLimitSetting::Limit(l) => l,
        }
    }
}

impl fmt::Display for ContentLimitSetting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ContentLimitSetting::ByAge => f.write_str("by-age"),
            ContentLimitSetting::Limit(l) => l.fmt(f),
        }
    }
}

impl Serialize for ContentLimitSetting {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            ContentLimitSetting::ByAge => s.serialize_str("by-age"),
            ContentLimitSetting::Limit(l) => l.serialize(s),
        }
    }
}

#[cfg(feature = "content")]
impl<'de> Deserialize<'de> for ContentLimitSetting {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = ContentLimitSetting;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(
                    "`by-age`, `young-children`, `older-children`, `young-adults` or a whole number of points",
                )
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<ContentLimitSetting, E> {
                if v.trim() == "by-age" {
                    return Ok(ContentLimitSetting::ByAge);
                }
                match v.parse::<ContentLimit>() {
                    Ok(l) => Ok(ContentLimitSetting::Limit(l)),
                    Err(_) => Err(E::custom(format!(
                        "`{v}` is not a content limit; give `by-age`, `young-children` (50), `older-children` (100), `young-adults` (160) or a whole number of points"
                    ))),
                }
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<ContentLimitSetting, E> {
                match u32::try_from(v) {
                    Ok(p) => Ok(ContentLimitSetting::Limit(ContentLimit::Points(p))),
                    Err(_) => Err(E::custom(format!(
                        "`{v}` is not a content limit; give a number of points up to {}",
                        u32::MAX
                    ))),
                }
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<ContentLimitSetting, E> {
                match u64::try_from(v) {
                    Ok(u) => self.visit_u64(u),
                    Err(_) => Err(E::custom(format!(
                        "`{v}` is not a content limit; a limit is 0 or more points"
                    ))),
                }
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// Why a policy naming a content limit does not load in a build without
/// content scanning: the limit could never be applied, and the policy
/// would silently never block on content.
///
/// ```
/// assert!(esafety::policy::CONTENT_LIMIT_UNAVAILABLE.contains("feature `content`"));
/// ```
pub const CONTENT_LIMIT_UNAVAILABLE: &str = "a content limit cannot be applied: this build of esafety has no \
content scanning (feature `content`); use a build with it, or remove `content_limit`";

/// Without content scanning no content limit can be applied, whatever it
/// says: the value is read past (so that the error has the position of the
/// document's reader) and refused, with no parsing of limits in the build
/// (the WebAssembly extension build's size, wasm/README.md).
#[cfg(not(feature = "content"))]
impl<'de> Deserialize<'de> for ContentLimitSetting {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        serde::de::IgnoredAny::deserialize(d)?;
        Err(serde::de::Error::custom(CONTENT_LIMIT_UNAVAILABLE))
    }
}

#[cfg(feature = "schema")]
impl JsonSchema for ContentLimitSetting {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ContentLimitSetting".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A content limit: content whose score is over it (or that has a banned phrase) crosses it. `by-age` (the request's age band: under 11 `young-children`, 11-15 `older-children`, 16 and over `young-adults`), `young-children` (50), `older-children` (100), `young-adults` (160), as e2guardian suggests, or a number of points.",
            "oneOf": [
                { "type": "string", "enum": ["by-age", "young-children", "older-children", "young-adults"] },
                { "type": "integer", "minimum": 0, "maximum": u32::MAX }
            ]
        })
    }
}

/// What was scanned.
///
/// ```
/// use esafety::policy::ContentSource;
/// assert_eq!(serde_json::to_string(&ContentSource::SearchTerms)?, "\"search-terms\"");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum ContentSource {
    /// The page's text.
    Page,
    /// The search terms in the URL.
    SearchTerms,
}

impl fmt::Display for ContentSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ContentSource::Page => "page",
            ContentSource::SearchTerms => "search terms",
        })
    }
}

/// One phrase behind a content score, as a decision shows it.
///
/// ```
/// use esafety::policy::ContentPhrase;
/// let p = ContentPhrase { phrase: "< poker >".into(), kind: "weighted".into(), weight: 60, count: 2, score: 60, category: Some("gambling".into()) };
/// assert!(serde_json::to_string(&p)?.starts_with(r#"{"phrase":"< poker >","kind":"weighted","weight":60"#));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub struct ContentPhrase {
    /// The phrase (or combination) as listed, e.g. `< poker >`.
    pub phrase: String,
    /// `weighted`, `banned` or `exception`.
    pub kind: String,
    /// Its weight (0 for banned and exception phrases).
    pub weight: i64,
    /// How often it was found.
    pub count: u32,
    /// What it added to the score.
    pub score: i64,
    /// The esafety category of its list, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
}

/// A content score in a decision: what was scanned, the score, the limit it
/// was judged at, whether it crossed it, and the phrases and categories
/// behind it.
///
/// ```
/// use std::collections::BTreeMap;
/// use esafety::policy::{ContentFinding, ContentSource};
/// let f = ContentFinding {
///     source: ContentSource::Page, score: 12, limit: 50, crossed: false,
///     explanation: "content score 12 is within the limit 50".into(),
///     categories: BTreeMap::new(), phrases: vec![],
/// };
/// assert_eq!(serde_json::to_string(&f)?, r#"{"source":"page","score":12,"limit":50,"crossed":false,"explanation":"content score 12 is within the limit 50","categories":{},"phrases":[]}"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub struct ContentFinding {
    /// What was scanned.
    pub source: ContentSource,
    /// The score e2guardian would log.
    pub score: i64,
    /// The limit it was judged at.
    pub limit: u32,
    /// Whether it crossed the limit (over it, or a banned phrase).
    pub crossed: bool,
    /// The score in words.
    pub explanation: String,
    /// The positive score per esafety category.
    pub categories: BTreeMap<String, i64>,
    /// The phrases behind the verdict, those that decided first.
    pub phrases: Vec<ContentPhrase>,
}

#[cfg(feature = "content")]
pub(crate) use scanned::judge;

#[cfg(feature = "content")]
mod scanned {
    use super::{ContentFinding, ContentPhrase, ContentSource};
    use crate::content::{ContentMatches, HitKind};

    /// `matches` judged at `limit`, as a decision shows it.
    pub(crate) fn judge(matches: &ContentMatches, limit: u32) -> ContentFinding {
        let score = matches.judge(limit);
        let source = if matches.is_search_terms() {
            ContentSource::SearchTerms
        } else {
            ContentSource::Page
        };
        let phrases = score
            .hits
            .iter()
            .map(|h| ContentPhrase {
                phrase: h.phrase.clone(),
                kind: match h.kind {
                    HitKind::Weighted => "weighted",
                    HitKind::Banned => "banned",
                    HitKind::Exception => "exception",
                }
                .to_owned(),
                weight: h.weight,
                count: h.count,
                score: h.score,
                category: h.category.clone(),
            })
            .collect();
        ContentFinding {
            source,
            score: score.score,
            limit,
            crossed: score.blocks(),
            explanation: format!("{source}: {}", score.explain()),
            categories: score.categories.clone(),
            phrases,
        }
    }
}
