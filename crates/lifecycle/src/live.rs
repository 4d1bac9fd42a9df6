//! The deployed state of the program's stacks, for `infrac diff --live`.

use serde_json::Value;

use crate::deploy::poll;
use crate::preview::Deployed;
use crate::{Failure, Session};

/// What is deployed under each of `stacks`' names, if anything (a stack
/// only in review, made by an unexecuted create, counts as nothing).
pub fn deployed_stacks(
    session: &mut Session<'_>,
    stacks: &[String],
) -> Result<Vec<(String, Option<Deployed>)>, Failure> {
    let mut states = Vec::new();
    for name in stacks {
        let deployed = match poll(session, |cloud| cloud.describe_stack(name))? {
            Some(found) if found.status != "REVIEW_IN_PROGRESS" => {
                let text = poll(session, |cloud| cloud.get_template(name))?;
                let template: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
                Some(Deployed { template, parameters: found.parameters, tags: found.tags })
            }
            _ => None,
        };
        states.push((name.clone(), deployed));
    }
    Ok(states)
}
