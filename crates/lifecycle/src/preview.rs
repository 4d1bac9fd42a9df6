//! What a deploy would change, before it runs: the program's template
//! against the deployed one, through infrac's diff (`infrac::diff`), which
//! predicts replacements from the schemas and marks broadened access.

use std::collections::{BTreeMap, BTreeSet};

use infrac::diff::{diff, render_text, Impact, RenderOptions, StackState};
use serde_json::Value;

use crate::locate::Locate;

/// A stack as deployed: its template, parameter values and tags.
#[derive(Clone, Debug, Default)]
pub struct Deployed {
    pub template: Value,
    pub parameters: BTreeMap<String, String>,
    pub tags: BTreeMap<String, String>,
}

/// The preview of one stack's change.
#[derive(Clone, Debug, Default)]
pub struct Preview {
    /// The diff, as shown to the user.
    pub text: String,
    pub empty: bool,
    /// IAM permissions or security-group access would broaden.
    pub broadening: bool,
    /// Logical IDs infrac predicts will be replaced.
    pub replaced: BTreeSet<String>,
}

/// Previews deploying `template` with `parameters` (secrets already
/// masked) and `tags` over `deployed` (none for a new stack).
pub fn preview(
    stack: &str,
    deployed: Option<&Deployed>,
    template: &Value,
    parameters: &BTreeMap<String, String>,
    tags: &BTreeMap<String, String>,
    locate: &dyn Locate,
    colour: bool,
) -> Preview {
    let old: Vec<StackState> = deployed
        .map(|d| StackState { name: stack.to_string(), template: d.template.clone(), parameters: d.parameters.clone() })
        .into_iter()
        .collect();
    let new = [StackState { name: stack.to_string(), template: template.clone(), parameters: parameters.clone() }];
    let changes = diff(&old, &new);
    let place = |stack: &str, logical_id: &str| locate.place(stack, logical_id);
    let mut text = render_text(&changes, &RenderOptions { color: colour, locate: Some(&place) });
    let old_tags = deployed.map(|d| d.tags.clone()).unwrap_or_default();
    let tags_changed = deployed.is_some() && &old_tags != tags;
    if tags_changed {
        text.push_str(&format!("Stack tags: {} -> {}\n", show_tags(&old_tags), show_tags(tags)));
    }
    let replaced = changes
        .stacks
        .iter()
        .flat_map(|s| &s.resources)
        .filter(|r| r.impact == Impact::Replace)
        .map(|r| r.logical_id.clone())
        .collect();
    Preview {
        text,
        empty: deployed.is_some() && changes.is_empty() && !tags_changed,
        broadening: changes.is_broadening(),
        replaced,
    }
}

fn show_tags(tags: &BTreeMap<String, String>) -> String {
    if tags.is_empty() {
        return "none".to_string();
    }
    tags.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(", ")
}
