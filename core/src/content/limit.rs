//! Naughtiness limits: the number a page's content score must not exceed,
//! by audience as e2guardian suggests, or as a number.

use std::fmt;
use std::str::FromStr;

#[cfg(feature = "schema")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A content limit: a score over it blocks. e2guardian's guide
/// (`e2guardianf1.conf`, `naughtynesslimit`): "50 is for young children,
/// 100 for old children, 160 for young adults".
///
/// ```
/// use esafety::content::ContentLimit;
/// assert_eq!(ContentLimit::YoungChildren.points(), 50);
/// assert_eq!("older-children".parse::<ContentLimit>()?.points(), 100);
/// assert_eq!("75".parse::<ContentLimit>()?, ContentLimit::Points(75));
/// assert_eq!(ContentLimit::YoungAdults.to_string(), "young-adults (160)");
/// assert!("teens".parse::<ContentLimit>().is_err());
/// # Ok::<(), esafety::content::LimitError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ContentLimit {
    /// 50.
    YoungChildren,
    /// 100.
    OlderChildren,
    /// 160.
    YoungAdults,
    /// Any other limit.
    Points(u32),
}

/// A limit that is neither an audience nor a number.
///
/// ```
/// use esafety::content::ContentLimit;
/// let err = "-5".parse::<ContentLimit>().unwrap_err();
/// assert_eq!(err.to_string(), "`-5` is not a content limit; give `young-children` (50), `older-children` (100), `young-adults` (160) or a whole number of points");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{0}` is not a content limit; give `young-children` (50), `older-children` (100), `young-adults` (160) or a whole number of points"
)]
pub struct LimitError(String);

impl ContentLimit {
    /// The limit in points.
    ///
    /// ```
    /// use esafety::content::ContentLimit;
    /// assert_eq!(ContentLimit::Points(7).points(), 7);
    /// ```
    pub fn points(self) -> u32 {
        match self {
            ContentLimit::YoungChildren => 50,
            ContentLimit::OlderChildren => 100,
            ContentLimit::YoungAdults => 160,
            ContentLimit::Points(p) => p,
        }
    }

    /// The audience name, if the limit is one.
    ///
    /// ```
    /// use esafety::content::ContentLimit;
    /// assert_eq!(ContentLimit::YoungChildren.audience(), Some("young-children"));
    /// assert_eq!(ContentLimit::Points(50).audience(), None);
    /// ```
    pub fn audience(self) -> Option<&'static str> {
        match self {
            ContentLimit::YoungChildren => Some("young-children"),
            ContentLimit::OlderChildren => Some("older-children"),
            ContentLimit::YoungAdults => Some("young-adults"),
            ContentLimit::Points(_) => None,
        }
    }
}

impl fmt::Display for ContentLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.audience() {
            Some(a) => write!(f, "{a} ({})", self.points()),
            None => write!(f, "{}", self.points()),
        }
    }
}

impl FromStr for ContentLimit {
    type Err = LimitError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "young-children" => Ok(ContentLimit::YoungChildren),
            "older-children" => Ok(ContentLimit::OlderChildren),
            "young-adults" => Ok(ContentLimit::YoungAdults),
            t => t
                .parse::<u32>()
                .map(ContentLimit::Points)
                .map_err(|_| LimitError(s.to_owned())),
        }
    }
}

impl Serialize for ContentLimit {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.audience() {
            Some(a) => s.serialize_str(a),
            None => s.serialize_u32(self.points()),
        }
    }
}

impl<'de> Deserialize<'de> for ContentLimit {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = ContentLimit;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("`young-children`, `older-children`, `young-adults` or a whole number of points")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<ContentLimit, E> {
                v.parse().map_err(E::custom)
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<ContentLimit, E> {
                u32::try_from(v)
                    .map(ContentLimit::Points)
                    .map_err(|_| E::custom(LimitError(v.to_string())))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<ContentLimit, E> {
                u32::try_from(v)
                    .map(ContentLimit::Points)
                    .map_err(|_| E::custom(LimitError(v.to_string())))
            }
        }
        d.deserialize_any(Visitor)
    }
}

#[cfg(feature = "schema")]
impl JsonSchema for ContentLimit {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ContentLimit".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A content limit: a page whose content score is over it is blocked. `young-children` (50), `older-children` (100), `young-adults` (160), as e2guardian suggests, or a number of points.",
            "oneOf": [
                { "type": "string", "enum": ["young-children", "older-children", "young-adults"] },
                { "type": "integer", "minimum": 0, "maximum": u32::MAX }
            ]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_both_ways() {
        let v: ContentLimit = serde_json::from_str("\"young-adults\"").unwrap();
        assert_eq!(v, ContentLimit::YoungAdults);
        let v: ContentLimit = serde_json::from_str("42").unwrap();
        assert_eq!(v, ContentLimit::Points(42));
        assert!(serde_json::from_str::<ContentLimit>("-1").is_err());
        assert!(serde_json::from_str::<ContentLimit>("\"babies\"").is_err());
        assert_eq!(
            serde_json::to_string(&ContentLimit::OlderChildren).unwrap(),
            "\"older-children\""
        );
        assert_eq!(
            serde_json::to_string(&ContentLimit::Points(9)).unwrap(),
            "9"
        );
    }
}
