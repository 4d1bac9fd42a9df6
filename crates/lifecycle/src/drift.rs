//! `infrac drift`: runs CloudFormation's drift detection on each deployed
//! stack and shows every drifted resource and property at the `.infra`
//! line that declared it.

use std::time::Duration;

use crate::deploy::{poll, POLL};
use crate::program::Program;
use crate::{Failure, Session};

#[derive(Clone, Debug, Default)]
pub struct DriftOptions {
    /// Stacks to check; empty for all.
    pub stacks: Vec<String>,
}

/// How long detection may take before the command gives up.
const DETECTION_TIMEOUT: Duration = Duration::from_secs(15 * 60);

/// Checks the stacks; returns whether anything drifted.
pub fn drift(session: &mut Session<'_>, program: &Program, options: &DriftOptions) -> Result<bool, Failure> {
    let selected = program.named(&options.stacks).map_err(|unknown| Failure::unknown_stacks(&unknown, program))?;
    let mut any_drift = false;
    for stack in selected {
        let name = stack.name.as_str();
        if poll(session, |cloud| cloud.describe_stack(name))?.is_none() {
            session.ui.say(&format!("{name}: not deployed"));
            continue;
        }
        let detection = poll(session, |cloud| cloud.detect_drift(name))?;
        let started = session.clock.now_ms();
        let status = loop {
            let status = poll(session, |cloud| cloud.drift_detection_status(&detection))?;
            if status.status != "DETECTION_IN_PROGRESS" {
                break status;
            }
            if session.interrupted() {
                return Err(Failure::interrupted(format!("{name}: stopped waiting for drift detection")));
            }
            if session.clock.now_ms() - started > DETECTION_TIMEOUT.as_millis() as i64 {
                return Err(Failure::deploy(format!("{name}: drift detection did not finish in 15 minutes")));
            }
            session.clock.sleep(POLL);
        };
        if status.status == "DETECTION_FAILED" {
            // Some resources could not be checked; the others were.
            let reason = status.reason.as_deref().unwrap_or("no reason given");
            session.ui.say(&format!("warning: {name}: drift detection could not check every resource: {reason}"));
        }
        let drifts = poll(session, |cloud| cloud.resource_drifts(name))?;
        let drifted: Vec<_> = drifts.iter().filter(|d| matches!(d.status.as_str(), "MODIFIED" | "DELETED")).collect();
        if drifted.is_empty() {
            session.ui.say(&format!("✓ {name}: in sync ({} resources checked)", drifts.len()));
            continue;
        }
        any_drift = true;
        for resource in &drifted {
            if resource.status == "DELETED" || resource.differences.is_empty() {
                let shown = session.locate.drift(name, &resource.logical_id, None, None, None).unwrap_or_else(|| {
                    format!(
                        "drift: {} ({}) was deleted or changed outside CloudFormation",
                        resource.logical_id, resource.resource_type
                    )
                });
                session.ui.say(&shown);
                continue;
            }
            for difference in &resource.differences {
                let expected = (!difference.expected.is_empty()).then_some(difference.expected.as_str());
                let actual = (!difference.actual.is_empty()).then_some(difference.actual.as_str());
                let shown = session
                    .locate
                    .drift(name, &resource.logical_id, Some(&difference.path), expected, actual)
                    .unwrap_or_else(|| {
                        format!(
                            "drift: {} ({}) {}: expected {}, actual {}",
                            resource.logical_id,
                            resource.resource_type,
                            difference.path,
                            shown_value(&difference.expected),
                            shown_value(&difference.actual)
                        )
                    });
                session.ui.say(&shown);
            }
        }
        session.ui.say(&format!("✗ {name}: {} of {} resources drifted", drifted.len(), drifts.len()));
    }
    Ok(any_drift)
}

fn shown_value(value: &str) -> String {
    if value.is_empty() {
        "nothing".to_string()
    } else {
        format!("`{value}`")
    }
}
