//! CloudFormation's quotas on a whole template, checked on the emitted JSON.
//!
//! The checker cannot see these: they depend on the final template (how many
//! entries each section has, how large the text is), so they run after the
//! backend. Logical ID rules are the checker's (`E0501`, `E0502`); per-property
//! limits such as a bucket name's 63 characters come from the resource schemas
//! (`E0409`).
//!
//! The quotas are those cfn-lint checks, from
//! <https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html>.

use serde_json::Value;

use crate::diagnostics::facts::{LimitedText, Section};
use crate::diagnostics::{builder as diag, Diagnostic};
use crate::source::Span;

/// Entries a template section may hold.
pub const MAX_RESOURCES: usize = 500;
pub const MAX_PARAMETERS: usize = 200;
pub const MAX_OUTPUTS: usize = 200;
pub const MAX_MAPPINGS: usize = 200;
/// Bytes of a template's or an output's `Description`.
pub const MAX_DESCRIPTION_BYTES: usize = 1024;
/// Bytes of a template body passed inline (`--template-body`); above it, the
/// template must be uploaded to S3 first. `infrac deploy` sends the body
/// without whitespace, so that is the size measured against this.
pub const MAX_INLINE_BODY_BYTES: usize = 51_200;
/// Bytes of a template body uploaded to S3 (cfn-lint's figure for "1 MB").
pub const MAX_BODY_BYTES: usize = 1_000_000;

/// Checks one stack's template. `text_len` is the length in bytes of the text
/// that is written (`backend::to_text`, what goes to S3 when the body is too
/// large to send inline); every diagnostic points at `at`, usually the start
/// of the stack's file.
pub fn check(template: &Value, text_len: usize, at: Span) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for (key, section, limit) in [
        ("Resources", Section::Resources, MAX_RESOURCES),
        ("Parameters", Section::Parameters, MAX_PARAMETERS),
        ("Outputs", Section::Outputs, MAX_OUTPUTS),
        ("Mappings", Section::Mappings, MAX_MAPPINGS),
    ] {
        let count = template.get(key).and_then(Value::as_object).map_or(0, |entries| entries.len());
        if count > limit {
            diagnostics.push(diag::too_many(at, section, count, limit));
        }
    }

    if let Some(description) = template.get("Description").and_then(Value::as_str) {
        if description.len() > MAX_DESCRIPTION_BYTES {
            let text = LimitedText::TemplateDescription;
            diagnostics.push(diag::text_too_long(at, text, description.len(), MAX_DESCRIPTION_BYTES));
        }
    }
    if let Some(outputs) = template.get("Outputs").and_then(Value::as_object) {
        for (id, output) in outputs {
            let Some(description) = output.get("Description").and_then(Value::as_str) else { continue };
            if description.len() > MAX_DESCRIPTION_BYTES {
                let text = LimitedText::OutputDescription(id);
                diagnostics.push(diag::text_too_long(at, text, description.len(), MAX_DESCRIPTION_BYTES));
            }
        }
    }

    // The compact form is never longer than the written text, so it is only
    // worth computing when the text is over the limit.
    let inline_len = if text_len > MAX_INLINE_BODY_BYTES {
        serde_json::to_string(template).map_or(text_len, |compact| compact.len())
    } else {
        text_len
    };
    if text_len > MAX_BODY_BYTES {
        diagnostics.push(diag::template_too_large(at, text_len, MAX_BODY_BYTES));
    } else if inline_len > MAX_INLINE_BODY_BYTES {
        diagnostics.push(diag::template_needs_upload(at, inline_len, MAX_INLINE_BODY_BYTES));
    }
    diagnostics
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Map, Value};

    use super::*;
    use crate::diagnostics::Code;
    use crate::source::{FileId, SourceMap};

    fn at() -> Span {
        let mut sources = SourceMap::new();
        let file: FileId = sources.add("t.infra".to_string(), String::new());
        Span::new(file, 0..0)
    }

    fn section(count: usize) -> Value {
        let entries: Map<String, Value> = (0..count).map(|i| (format!("E{i}"), json!({}))).collect();
        Value::Object(entries)
    }

    fn codes(template: &Value, text_len: usize) -> Vec<Code> {
        check(template, text_len, at()).iter().map(|d| d.code).collect()
    }

    #[test]
    fn counts_each_section() {
        assert_eq!(codes(&json!({ "Resources": section(500) }), 10), []);
        assert_eq!(codes(&json!({ "Resources": section(501) }), 10), [Code::TemplateQuota]);
        for name in ["Parameters", "Outputs", "Mappings"] {
            assert_eq!(codes(&json!({ name: section(200) }), 10), [], "{name}");
            assert_eq!(codes(&json!({ name: section(201) }), 10), [Code::TemplateQuota], "{name}");
        }
    }

    #[test]
    fn descriptions() {
        let long = "x".repeat(1025);
        assert_eq!(codes(&json!({ "Description": "x".repeat(1024) }), 10), []);
        assert_eq!(codes(&json!({ "Description": long }), 10), [Code::TemplateQuota]);
        assert_eq!(codes(&json!({ "Outputs": { "A": { "Description": long } } }), 10), [Code::TemplateQuota]);
    }

    /// A template whose text without whitespace is `len` bytes.
    fn compact_of(len: usize) -> Value {
        let template = json!({ "M": "a".repeat(len - 8) });
        assert_eq!(serde_json::to_string(&template).unwrap().len(), len);
        template
    }

    #[test]
    fn body_size() {
        // Inline is judged on the body as sent, without whitespace; the
        // 1 MB limit on the text as written and uploaded.
        assert_eq!(codes(&compact_of(51_200), 90_000), []);
        assert_eq!(codes(&compact_of(51_201), 51_201), [Code::TemplateNeedsS3]);
        assert_eq!(codes(&compact_of(51_201), 1_000_000), [Code::TemplateNeedsS3]);
        assert_eq!(codes(&compact_of(100), 1_000_001), [Code::TemplateTooLarge]);
    }
}
