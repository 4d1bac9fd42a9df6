//! `infrac destroy`: deletes the program's stacks, dependents before the
//! stacks they import from, after confirmation, and says what stays behind
//! because of a retain policy.

use serde_json::Value;

use crate::clock::elapsed;
use crate::deploy::{delete_and_wait, poll};
use crate::program::Program;
use crate::{Failure, Session};

#[derive(Clone, Debug, Default)]
pub struct DestroyOptions {
    /// Stacks to delete (with the stacks that import from them); empty for all.
    pub stacks: Vec<String>,
    /// Delete without asking.
    pub yes: bool,
    pub role_arn: Option<String>,
}

/// A resource that outlives its stack.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Retained {
    pub logical_id: String,
    pub resource_type: String,
    pub physical_id: Option<String>,
    /// `Retain`, `RetainExceptOnCreate` or `Snapshot` (a snapshot stays).
    pub policy: String,
}

/// Deletes the stacks; returns, per deleted stack, what stayed behind.
pub fn destroy(
    session: &mut Session<'_>,
    program: &Program,
    options: &DestroyOptions,
) -> Result<Vec<(String, Vec<Retained>)>, Failure> {
    let selected =
        program.with_dependents(&options.stacks).map_err(|unknown| Failure::unknown_stacks(&unknown, program))?;
    let mut deployed = Vec::new();
    for stack in selected.iter().rev() {
        match poll(session, |cloud| cloud.describe_stack(&stack.name))? {
            Some(_) => deployed.push(stack.name.clone()),
            None => session.ui.say(&format!("{}: not deployed", stack.name)),
        }
    }
    if deployed.is_empty() {
        session.ui.say("nothing to delete");
        return Ok(Vec::new());
    }
    let listing = deployed.join(", ");
    if !options.yes {
        if !session.ui.interactive() {
            return Err(Failure::deploy(format!(
                "not deleted: deleting {listing} needs confirmation, and there is no terminal to ask; run again with `--yes`"
            )));
        }
        if !session.ui.confirm(&format!("Delete {listing} and their resources (retained ones stay)?")) {
            return Err(Failure::deploy("not deleted: declined".to_string()));
        }
    }
    let mut results = Vec::new();
    for name in deployed {
        let retained = retained_resources(session, &name)?;
        let started = session.clock.now_ms();
        delete_and_wait(session, &name, options.role_arn.as_deref())?;
        session.ui.say(&format!("✓ {name}: deleted in {}", elapsed(session.clock.now_ms() - started)));
        for r in &retained {
            let physical = r.physical_id.as_deref().map(|p| format!(", {p}")).unwrap_or_default();
            let what = if r.policy == "Snapshot" { "a snapshot stays" } else { "stays" };
            session.ui.say(&format!(
                "  {what}: {} ({}{physical}), DeletionPolicy {}",
                r.logical_id, r.resource_type, r.policy
            ));
        }
        results.push((name, retained));
    }
    Ok(results)
}

/// The resources of a deployed stack whose `DeletionPolicy` keeps them (or
/// a snapshot of them) when the stack is deleted.
fn retained_resources(session: &mut Session<'_>, stack: &str) -> Result<Vec<Retained>, Failure> {
    let text = poll(session, |cloud| cloud.get_template(stack))?;
    let template: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    let mut retained: Vec<Retained> = template
        .get("Resources")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(id, resource)| {
            let policy = resource.get("DeletionPolicy").and_then(Value::as_str)?;
            matches!(policy, "Retain" | "RetainExceptOnCreate" | "Snapshot").then(|| Retained {
                logical_id: id.clone(),
                resource_type: resource.get("Type").and_then(Value::as_str).unwrap_or_default().to_string(),
                physical_id: None,
                policy: policy.to_string(),
            })
        })
        .collect();
    if !retained.is_empty() {
        if let Ok(resources) = session.cloud.stack_resources(stack) {
            for r in &mut retained {
                r.physical_id =
                    resources.iter().find(|x| x.logical_id == r.logical_id).and_then(|x| x.physical_id.clone());
            }
        }
    }
    Ok(retained)
}
