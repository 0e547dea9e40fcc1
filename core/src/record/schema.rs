//! The JSON Schemas of decision records and site files.

use super::DecisionRecord;
#[cfg(all(feature = "schema", feature = "toml"))]
use super::site::SiteDocument;

/// The JSON Schema of [`DecisionRecord`]: the text of
/// `policies/schema/record.schema.json` (a test keeps the checked-in copy
/// current).
///
/// ```
/// let schema: serde_json::Value = serde_json::from_str(&esafety::record::record_json_schema())?;
/// assert_eq!(schema["title"], "esafety decision record");
/// for field in ["time", "site", "client_ip", "user", "device", "group", "age", "url",
///               "categories", "action", "rule", "lists", "search_terms", "alert"] {
///     assert!(schema["properties"][field].is_object(), "{field}");
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn record_json_schema() -> String {
    crate::policy::schema_text::<DecisionRecord>()
}

/// The JSON Schema of a site file ([`SiteDocument`]): the text of
/// `policies/schema/site.schema.json`.
///
/// ```
/// let schema: serde_json::Value = serde_json::from_str(&esafety::record::site_json_schema())?;
/// assert_eq!(schema["title"], "esafety site file");
/// assert_eq!(schema["additionalProperties"], false);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[cfg(all(feature = "schema", feature = "toml"))]
pub fn site_json_schema() -> String {
    crate::policy::schema_text::<SiteDocument>()
}
