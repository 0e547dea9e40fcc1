//! The JSON Schema of a policy document, generated from the serde structs.

use super::document::PolicyDocument;

/// The JSON Schema of [`PolicyDocument`], pretty-printed with a final
/// newline: the text of `policies/schema/policy.schema.json`, which editors
/// use to validate policies (a test keeps the checked-in copy current).
///
/// ```
/// let schema: serde_json::Value = serde_json::from_str(&esafety::policy::json_schema())?;
/// assert_eq!(schema["additionalProperties"], false);
/// assert!(schema["required"].as_array().is_some_and(|r| r.iter().any(|f| f == "default")));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(PolicyDocument);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}
