//! Live progress of a stack operation, from its event stream: one line per
//! event (the form used without a terminal: CI logs, pipes, tests) and a
//! status block redrawn in place on a terminal.

use std::collections::BTreeMap;

use crate::clock::{elapsed, time_of_day};
use crate::cloud::StackEvent;
use crate::locate::Locate;

/// What has happened so far to one stack.
pub struct Progress {
    stack: String,
    started_ms: i64,
    /// Resources to go through, the stack itself included.
    total: usize,
    done: usize,
    finished: BTreeMap<String, ()>,
    in_progress: BTreeMap<String, String>,
    failures: Vec<StackEvent>,
    status: String,
}

/// Reasons CloudFormation gives to resources it stopped because another one
/// failed: noise next to the real cause.
const CONSEQUENTIAL: [&str; 3] =
    ["Resource creation cancelled", "Resource update cancelled", "Resource deletion cancelled"];

impl Progress {
    /// `total` counts the resources the change touches and the stack itself.
    pub fn new(stack: &str, total: usize, started_ms: i64) -> Progress {
        Progress {
            stack: stack.to_string(),
            started_ms,
            total: total.max(1),
            done: 0,
            finished: BTreeMap::new(),
            in_progress: BTreeMap::new(),
            failures: Vec::new(),
            status: String::new(),
        }
    }

    /// Takes one event into account (events arrive oldest first).
    pub fn record(&mut self, event: &StackEvent) {
        let is_stack = event.resource_type == "AWS::CloudFormation::Stack" && event.logical_id == self.stack;
        if is_stack {
            self.status = event.status.clone();
        }
        if event.status.ends_with("_IN_PROGRESS") {
            if !is_stack {
                self.in_progress.insert(event.logical_id.clone(), event.resource_type.clone());
            }
            return;
        }
        self.in_progress.remove(&event.logical_id);
        if event.status.ends_with("_FAILED") && !CONSEQUENTIAL.iter().any(|c| event.reason.as_deref() == Some(*c)) {
            self.failures.push(event.clone());
        }
        let key = if is_stack { String::new() } else { event.logical_id.clone() };
        if self.finished.insert(key, ()).is_none() {
            self.done = (self.done + 1).min(self.total);
        }
    }

    /// The failures that caused the others, oldest first.
    pub fn failures(&self) -> &[StackEvent] {
        &self.failures
    }

    /// One event as a line: `App | 3/12 | 14:03:27 | CREATE_COMPLETE | AWS::S3::Bucket | Logs (app.infra:9)`.
    /// Call after [`Progress::record`].
    pub fn line(&self, event: &StackEvent, locate: &dyn Locate) -> String {
        let is_stack = event.resource_type == "AWS::CloudFormation::Stack" && event.logical_id == self.stack;
        let place = if is_stack { None } else { locate.place(&self.stack, &event.logical_id) };
        let place = place.map(|p| format!(" ({p})")).unwrap_or_default();
        let reason = match &event.reason {
            Some(reason) if event.status.ends_with("_FAILED") => format!(": {reason}"),
            _ => String::new(),
        };
        format!(
            "{} | {}/{} | {} | {:<28} | {} | {}{place}{reason}",
            self.stack,
            self.done,
            self.total,
            time_of_day(event.timestamp_ms),
            event.status,
            event.resource_type,
            event.logical_id
        )
    }

    /// The terminal's status block at `now_ms`.
    pub fn screen(&self, now_ms: i64) -> Vec<String> {
        const WIDTH: usize = 20;
        let filled = self.done * WIDTH / self.total;
        let bar = format!("{}{}", "█".repeat(filled), "·".repeat(WIDTH - filled));
        let status = if self.status.is_empty() { "STARTING" } else { &self.status };
        let mut lines = vec![format!(
            "{} {status} [{bar}] {}/{} {}",
            self.stack,
            self.done,
            self.total,
            elapsed(now_ms - self.started_ms)
        )];
        for (logical_id, resource_type) in &self.in_progress {
            lines.push(format!("  … {logical_id} ({resource_type})"));
        }
        for failure in &self.failures {
            lines.push(format!(
                "  ✗ {} ({}): {}",
                failure.logical_id,
                failure.resource_type,
                failure.reason.as_deref().unwrap_or(&failure.status)
            ));
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::locate::NoPlaces;

    fn event(n: i64, logical_id: &str, resource_type: &str, status: &str, reason: Option<&str>) -> StackEvent {
        StackEvent {
            id: format!("e{n}"),
            timestamp_ms: 1_765_000_000_000 + n * 1_000,
            logical_id: logical_id.to_string(),
            physical_id: None,
            resource_type: resource_type.to_string(),
            status: status.to_string(),
            reason: reason.map(str::to_string),
        }
    }

    #[test]
    fn counts_each_resource_once_and_keeps_only_the_causes_of_failure() {
        let mut progress = Progress::new("App", 3, 1_765_000_000_000);
        let events = [
            event(1, "App", "AWS::CloudFormation::Stack", "CREATE_IN_PROGRESS", Some("User Initiated")),
            event(2, "Logs", "AWS::S3::Bucket", "CREATE_IN_PROGRESS", None),
            event(3, "Queue", "AWS::SQS::Queue", "CREATE_IN_PROGRESS", None),
            event(4, "Logs", "AWS::S3::Bucket", "CREATE_FAILED", Some("logs already exists")),
            event(5, "Queue", "AWS::SQS::Queue", "CREATE_FAILED", Some("Resource creation cancelled")),
        ];
        let mut lines = Vec::new();
        for e in &events {
            progress.record(e);
            lines.push(progress.line(e, &NoPlaces));
        }
        assert_eq!(progress.failures().len(), 1);
        assert_eq!(progress.failures()[0].logical_id, "Logs");
        assert_eq!(
            lines[3],
            "App | 1/3 | 05:46:44 | CREATE_FAILED                | AWS::S3::Bucket | Logs: logs already exists"
        );
        assert!(lines[4].starts_with("App | 2/3 |"), "{}", lines[4]);
        let screen = progress.screen(1_765_000_065_000);
        assert_eq!(screen[0], "App CREATE_IN_PROGRESS [█████████████·······] 2/3 1m05s");
        assert_eq!(screen[1], "  ✗ Logs (AWS::S3::Bucket): logs already exists");
    }
}
