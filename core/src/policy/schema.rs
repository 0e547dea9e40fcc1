//! The JSON Schema of a policy document, generated from the serde structs.

use schemars::generate::SchemaSettings;
use schemars::transform::RecursiveTransform;

use super::document::PolicyDocument;

/// The JSON Schema of [`PolicyDocument`], pretty-printed with a final
/// newline: the text of `policies/schema/policy.schema.json`, which editors
/// use to validate policies (a test keeps the checked-in copy current).
///
/// The descriptions are the types' and fields' doc comments without their
/// Rust examples, which mean nothing to a policy author.
///
/// ```
/// let schema: serde_json::Value = serde_json::from_str(&esafety::policy::json_schema())?;
/// assert_eq!(schema["additionalProperties"], false);
/// assert!(schema["required"].as_array().is_some_and(|r| r.iter().any(|f| f == "default")));
/// let action = schema["$defs"]["Action"]["description"].as_str().unwrap_or_default();
/// assert_eq!(action, "What a rule (or the default) does with a request.");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn json_schema() -> String {
    schema_text::<PolicyDocument>()
}

/// The JSON Schema of `T` as the schema files hold it: doc comments without
/// their examples, pretty-printed with a final newline.
pub(crate) fn schema_text<T: schemars::JsonSchema>() -> String {
    let schema = SchemaSettings::default()
        .with_transform(RecursiveTransform(
            drop_examples as fn(&mut schemars::Schema),
        ))
        .into_generator()
        .into_root_schema_for::<T>();
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

/// Removes the fenced code blocks from a schema's `description`.
fn drop_examples(schema: &mut schemars::Schema) {
    if let Some(serde_json::Value::String(description)) = schema.get_mut("description") {
        *description = without_code_blocks(description);
    }
}

/// `text` without its fenced code blocks (from a line starting with three
/// backticks to the next such line), and without the blank lines they
/// leave behind.
fn without_code_blocks(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_block = false;
    for line in text.split('\n') {
        if line.trim_start().starts_with("```") {
            in_block = !in_block;
            continue;
        }
        if !in_block {
            out.push_str(line);
            out.push('\n');
        }
    }
    // A block between two paragraphs leaves two blank lines: keep one.
    while out.contains("\n\n\n") {
        out = out.replace("\n\n\n", "\n\n");
    }
    out.trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::without_code_blocks;

    #[test]
    fn code_blocks_are_dropped_and_prose_kept() {
        let cases = [
            ("no block", "One line.\n\nTwo.", "One line.\n\nTwo."),
            (
                "trailing block",
                "Summary.\n\n```\nlet x = 1;\n```",
                "Summary.",
            ),
            (
                "block between paragraphs",
                "Summary.\n\n```rust\nassert!(true);\n```\n\nMore.",
                "Summary.\n\nMore.",
            ),
            ("two blocks", "A.\n```\n1\n```\nB.\n```\n2\n```", "A.\nB."),
        ];
        for (name, text, want) in cases {
            assert_eq!(without_code_blocks(text), want, "{name}");
        }
    }
}
