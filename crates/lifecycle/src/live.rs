//! The deployed state of the program's stacks, for `infrac diff --live`.

use serde_json::Value;

use crate::deploy::poll;
use crate::preview::Deployed;
use crate::program::Program;
use crate::{Failure, Session};

/// Each stack of the program (and of `names`, when given) with what is
/// deployed under its name, if anything.
pub fn deployed_stacks(
    session: &mut Session<'_>,
    program: &Program,
    names: &[String],
) -> Result<Vec<(String, Option<Deployed>)>, Failure> {
    let selected = program.with_dependencies(names).map_err(|unknown| Failure::unknown_stacks(&unknown, program))?;
    let mut states = Vec::new();
    for stack in selected {
        let name = stack.name.as_str();
        let deployed = match poll(session, |cloud| cloud.describe_stack(name))? {
            Some(found) if found.status != "REVIEW_IN_PROGRESS" => {
                let text = poll(session, |cloud| cloud.get_template(name))?;
                let template: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
                Some(Deployed { template, parameters: found.parameters, tags: found.tags })
            }
            _ => None,
        };
        states.push((stack.name.clone(), deployed));
    }
    Ok(states)
}
