//! `infrac deploy`: each stack of the program, in deploy order, through a
//! change set: preview, approval, execution, live progress.
//!
//! First the file assets every stack needs are uploaded (`publish`), so an
//! asset that cannot be published changes no stack. Per stack: a stack left empty by a failed create is deleted first; the
//! change is previewed with infrac's own diff (replacements from the
//! schemas, IAM and security-group broadening); a change set is created and
//! waited for ("nothing to change" is not an error); approval is asked
//! according to [`Approval`]; the change set is executed and its events are
//! followed until the stack settles. A failure is shown at the `.infra`
//! line of the first resource that failed. Exports another stack still
//! imports are kept for one more deploy (the CDK's "deadly embrace" cannot
//! happen). Ctrl-C deletes a change set that was not executed; an update
//! already running is left to CloudFormation, and said so.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use serde_json::Value;

use crate::clock::elapsed;
use crate::cloud::{
    no_changes_reason, ChangeSetKind, ChangeSetRequest, Cloud, CloudError, ErrorKind, ParameterValue, StackDescription,
    StackEvent, TemplateSource,
};
use crate::preview::{preview, Deployed, Preview};
use crate::program::{BuiltStack, Program};
use crate::progress::Progress;
use crate::{Failure, Session};

/// CloudFormation's limit for a template passed in the request body.
pub const TEMPLATE_BODY_LIMIT: usize = 51_200;

/// When a deploy stops to ask.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Approval {
    Never,
    /// When IAM permissions or security-group access broaden.
    #[default]
    Broadening,
    AnyChange,
}

#[derive(Clone, Debug, Default)]
pub struct DeployOptions {
    /// Stacks to deploy (with the stacks they depend on); empty for all.
    pub stacks: Vec<String>,
    pub approval: Approval,
    /// Approve without asking (`--yes`).
    pub yes: bool,
    /// Parameter values per stack.
    pub parameters: BTreeMap<String, BTreeMap<String, String>>,
    pub tags: BTreeMap<String, String>,
    pub role_arn: Option<String>,
    /// Where templates over [`TEMPLATE_BODY_LIMIT`] are uploaded.
    pub template_bucket: Option<String>,
    /// Where images are pushed.
    pub publish: crate::publish::PublishOptions,
}

/// What happened to one stack.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StackOutcome {
    Created,
    Updated,
    Unchanged,
}

/// How often the engine asks CloudFormation how things are going.
pub const POLL: Duration = Duration::from_secs(2);

/// Deploys the program's stacks; stops at the first stack that fails.
pub fn deploy(
    session: &mut Session<'_>,
    program: &Program,
    options: &DeployOptions,
) -> Result<Vec<(String, StackOutcome)>, Failure> {
    let stacks =
        program.with_dependencies(&options.stacks).map_err(|unknown| Failure::unknown_stacks(&unknown, program))?;
    crate::publish::publish_staged(session, program, &stacks, &options.publish)?;
    let mut outcomes = Vec::new();
    for stack in stacks {
        crate::publish::publish_own(session, program, stack, &options.publish)?;
        let outcome = deploy_stack(session, program, stack, options)?;
        outcomes.push((stack.name.clone(), outcome));
    }
    Ok(outcomes)
}

fn deploy_stack(
    session: &mut Session<'_>,
    program: &Program,
    stack: &BuiltStack,
    options: &DeployOptions,
) -> Result<StackOutcome, Failure> {
    let name = stack.name.as_str();
    let mut existing = session.cloud.describe_stack(name).map_err(Failure::cloud)?;
    if let Some(found) = &existing {
        if is_empty_after_failed_create(&found.status) {
            session.ui.say(&format!(
                "{name}: the stack is empty after a failed create ({}); deleting it before creating it again",
                found.status
            ));
            delete_and_wait(session, name, options.role_arn.as_deref())?;
            existing = None;
        } else {
            refuse_unsettled(name, found)?;
        }
    }

    let deployed = match &existing {
        Some(found) => {
            let template_text = session.cloud.get_template(name).map_err(Failure::cloud)?;
            let template = serde_json::from_str(&template_text).unwrap_or(Value::Null);
            Some(Deployed { template, parameters: found.parameters.clone(), tags: found.tags.clone() })
        }
        None => None,
    };

    let mut template = stack.template.clone();
    if let Some(found) = &existing {
        keep_imported_exports(session, stack, found, &mut template)?;
    }
    let parameters = parameter_values(stack, existing.as_ref(), options)?;
    let shown_parameters = shown_parameters(stack, &parameters, existing.as_ref());

    let preview =
        preview(name, deployed.as_ref(), &template, &shown_parameters, &options.tags, session.locate, session.colour);
    if deployed.is_some() && preview.empty {
        session.ui.say(&format!("{name}: no changes"));
        return Ok(StackOutcome::Unchanged);
    }

    let text = infrac::backend::to_text(&template);
    let source = template_source(session, program, name, &text, options)?;
    let kind = if existing.is_some() { ChangeSetKind::Update } else { ChangeSetKind::Create };
    let now = session.clock.now_ms();
    let change_set = format!("infrac-{now}");
    let request = ChangeSetRequest {
        stack: name.to_string(),
        name: change_set.clone(),
        kind,
        template: source,
        parameters: parameters
            .iter()
            .map(|(key, value)| {
                let value = match value {
                    Some(value) => ParameterValue::Value(value.clone()),
                    None => ParameterValue::UsePrevious,
                };
                (key.clone(), value)
            })
            .collect(),
        tags: options.tags.clone(),
        role_arn: options.role_arn.clone(),
        client_token: format!("infrac-{name}-{now}"),
    };
    let pending = PendingChangeSet { stack: name, change_set: &change_set, kind };

    match session.cloud.create_change_set(&request) {
        Ok(_) => {}
        Err(error) if error.is_no_changes() => {
            session.ui.say(&format!("{name}: no changes"));
            return Ok(StackOutcome::Unchanged);
        }
        Err(error) => return Err(Failure::cloud(error)),
    }
    let description = match wait_for_change_set(session, &pending) {
        Ok(ChangeSetState::Ready(description)) => description,
        Ok(ChangeSetState::NoChanges) => {
            pending.discard(session);
            session.ui.say(&format!("{name}: no changes"));
            return Ok(StackOutcome::Unchanged);
        }
        Err(failure) => {
            pending.discard(session);
            return Err(failure);
        }
    };

    session.ui.say(&preview.text);
    for note in cloudformation_disagrees(&preview, &description.changes) {
        session.ui.say(&note);
    }
    if let Err(failure) = approve(session, name, &preview, options) {
        pending.discard(session);
        return Err(failure);
    }
    if session.interrupted() {
        pending.discard(session);
        return Err(Failure::interrupted(format!(
            "{name}: stopped before deploying; the change set was deleted, nothing changed"
        )));
    }

    let marker = latest_event_id(session, name);
    let started = session.clock.now_ms();
    if let Err(error) = session.cloud.execute_change_set(name, &change_set) {
        // An emulator such as moto applies the change set inside this call,
        // so a resource that cannot be made fails it here.
        return Err(Failure::deploy(format!("{name}: CloudFormation could not apply the change: {error}")));
    }
    let total = description.changes.len() + 1;
    let verb = if kind == ChangeSetKind::Create { "created" } else { "updated" };
    let settled = follow(session, name, marker, total, started, Operation::Deploy)?;
    let took = elapsed(session.clock.now_ms() - started);
    match settled.status.as_str() {
        "CREATE_COMPLETE" | "UPDATE_COMPLETE" | "IMPORT_COMPLETE" => {
            session.ui.say(&format!("✓ {name}: {verb} in {took}"));
            for output in &settled.outputs {
                let export = output.export_name.as_deref().map(|e| format!(" (exported as {e})")).unwrap_or_default();
                session.ui.say(&format!("  {} = {}{export}", output.key, output.value));
            }
            Ok(if kind == ChangeSetKind::Create { StackOutcome::Created } else { StackOutcome::Updated })
        }
        status => {
            let what_now = match status {
                "ROLLBACK_COMPLETE" => "the stack was rolled back and is empty; the next `infrac deploy` deletes it and creates it again",
                "UPDATE_ROLLBACK_COMPLETE" => "the update was rolled back: the stack is as it was before this deploy",
                "UPDATE_ROLLBACK_FAILED" => "the rollback failed too: continue it (`aws cloudformation continue-update-rollback`) before deploying again",
                _ => "see the stack's events in the CloudFormation console",
            };
            Err(Failure::deploy(format!("{name}: deploy failed after {took} ({status}): {what_now}")))
        }
    }
}

/// A change set created but not executed: deleted if the deploy stops.
struct PendingChangeSet<'a> {
    stack: &'a str,
    change_set: &'a str,
    kind: ChangeSetKind,
}

impl PendingChangeSet<'_> {
    /// Deletes the change set and, for a stack it would have created, the
    /// empty `REVIEW_IN_PROGRESS` stack CloudFormation made for it.
    fn discard(&self, session: &mut Session<'_>) {
        let _ = session.cloud.delete_change_set(self.stack, self.change_set);
        if self.kind == ChangeSetKind::Create {
            let token = format!("infrac-discard-{}-{}", self.stack, session.clock.now_ms());
            let _ = session.cloud.delete_stack(self.stack, &token, None);
        }
    }
}

enum ChangeSetState {
    Ready(crate::cloud::ChangeSetDescription),
    NoChanges,
}

fn wait_for_change_set(session: &mut Session<'_>, pending: &PendingChangeSet<'_>) -> Result<ChangeSetState, Failure> {
    loop {
        let description = poll(session, |cloud| cloud.describe_change_set(pending.stack, pending.change_set))?;
        match description.status.as_str() {
            "CREATE_PENDING" | "CREATE_IN_PROGRESS" => {}
            "FAILED" => {
                let reason = description.status_reason.clone().unwrap_or_default();
                if no_changes_reason(&reason) {
                    return Ok(ChangeSetState::NoChanges);
                }
                return Err(Failure::deploy(format!("{}: CloudFormation refused the change: {reason}", pending.stack)));
            }
            _ => return Ok(ChangeSetState::Ready(description)),
        }
        if session.interrupted() {
            return Err(Failure::interrupted(format!(
                "{}: stopped while CloudFormation prepared the change; the change set was deleted, nothing changed",
                pending.stack
            )));
        }
        session.clock.sleep(POLL);
    }
}

fn approve(session: &mut Session<'_>, stack: &str, preview: &Preview, options: &DeployOptions) -> Result<(), Failure> {
    let why = match options.approval {
        Approval::Never => return Ok(()),
        Approval::Broadening if !preview.broadening => return Ok(()),
        Approval::Broadening => "these changes broaden IAM permissions or security-group access",
        Approval::AnyChange => "every change needs approval (--require-approval any-change)",
    };
    if options.yes {
        return Ok(());
    }
    if !session.ui.interactive() {
        return Err(Failure::deploy(format!(
            "{stack}: not deployed: {why}, and there is no terminal to ask; review the diff above and run again with `--yes`, or with `--require-approval never`"
        )));
    }
    if session.ui.confirm(&format!("Deploy these changes to {stack}? ({why})")) {
        Ok(())
    } else {
        Err(Failure::deploy(format!("{stack}: not deployed: the change was declined; the change set was deleted")))
    }
}

/// Notes where CloudFormation's own change set predicts a replacement that
/// infrac's preview did not (a real service knows more than the schemas).
fn cloudformation_disagrees(preview: &Preview, changes: &[crate::cloud::ResourceChange]) -> Vec<String> {
    changes
        .iter()
        .filter(|c| c.replacement.as_deref() == Some("True") && !preview.replaced.contains(&c.logical_id))
        .map(|c| format!("  note: CloudFormation says {} ({}) will be replaced", c.logical_id, c.resource_type))
        .collect()
}

/// Which operation a stack's events belong to, for the failure message.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Operation {
    Deploy,
    Destroy,
}

/// Follows a stack's events from `marker` until the stack settles, showing
/// progress; returns the settled stack (an empty description once deleted).
/// The first failing resource is rendered at its `.infra` line.
pub(crate) fn follow(
    session: &mut Session<'_>,
    stack: &str,
    mut marker: Option<String>,
    total: usize,
    started: i64,
    operation: Operation,
) -> Result<StackDescription, Failure> {
    let mut progress = Progress::new(stack, total, started);
    loop {
        // Once deleted, a stack's events are gone with it.
        let mut events = poll(session, |cloud| match cloud.stack_events(stack, marker.as_deref()) {
            Err(error) if error.is_missing_stack() => Ok(Vec::new()),
            other => other,
        })?;
        events.reverse();
        if let Some(newest) = events.last() {
            marker = Some(newest.id.clone());
        }
        for event in &events {
            progress.record(event);
            if !session.ui.interactive() {
                session.ui.say(&progress.line(event, session.locate));
            }
        }
        if session.ui.interactive() {
            let screen = progress.screen(session.clock.now_ms());
            session.ui.status(&screen);
        }
        let described = poll(session, |cloud| cloud.describe_stack(stack))?;
        let settled = match described {
            None => Some(StackDescription {
                name: stack.to_string(),
                status: "DELETE_COMPLETE".into(),
                ..Default::default()
            }),
            Some(found) if !found.status.ends_with("_IN_PROGRESS") => Some(found),
            Some(_) => None,
        };
        if let Some(settled) = settled {
            if session.ui.interactive() {
                session.ui.status(&[]);
            }
            report_failures(session, stack, progress.failures(), operation);
            return Ok(settled);
        }
        if session.interrupted() {
            let what = match operation {
                Operation::Deploy => "the update",
                Operation::Destroy => "the deletion",
            };
            return Err(Failure::interrupted(format!(
                "{stack}: stopped waiting; CloudFormation goes on with {what} (follow it in the console, or run the command again once it settles)"
            )));
        }
        session.clock.sleep(POLL);
    }
}

fn report_failures(session: &mut Session<'_>, stack: &str, failures: &[StackEvent], operation: Operation) {
    let Some(first) = failures.first() else { return };
    let verb = match operation {
        Operation::Deploy => "could not be deployed",
        Operation::Destroy => "could not be deleted",
    };
    let reason = first.reason.as_deref().unwrap_or(&first.status);
    let rendered = session.locate.failure(stack, &first.logical_id, &first.status, reason).unwrap_or_else(|| {
        format!("error: {} ({}) {verb} ({}): {reason}", first.logical_id, first.resource_type, first.status)
    });
    session.ui.say(&rendered);
    for other in &failures[1..] {
        session.ui.say(&format!(
            "  also failed: {} ({}): {}",
            other.logical_id,
            other.resource_type,
            other.reason.as_deref().unwrap_or(&other.status)
        ));
    }
}

/// The newest event of a stack, so that following starts after it.
pub(crate) fn latest_event_id(session: &mut Session<'_>, stack: &str) -> Option<String> {
    session.cloud.stack_events(stack, None).ok().and_then(|events| events.first().map(|e| e.id.clone()))
}

/// Calls `call`, waiting and trying again while AWS throttles (after the
/// SDK's own retries have given up).
pub(crate) fn poll<T>(
    session: &mut Session<'_>,
    call: impl Fn(&dyn Cloud) -> Result<T, CloudError>,
) -> Result<T, Failure> {
    let mut wait = POLL;
    for _ in 0..6 {
        match call(session.cloud) {
            Err(error) if error.kind == ErrorKind::Throttling => {
                session.clock.sleep(wait);
                wait *= 2;
            }
            other => return other.map_err(Failure::cloud),
        }
    }
    call(session.cloud).map_err(Failure::cloud)
}

pub(crate) fn delete_and_wait(session: &mut Session<'_>, stack: &str, role_arn: Option<&str>) -> Result<(), Failure> {
    let marker = latest_event_id(session, stack);
    let token = format!("infrac-delete-{stack}-{}", session.clock.now_ms());
    session.cloud.delete_stack(stack, &token, role_arn).map_err(Failure::cloud)?;
    let started = session.clock.now_ms();
    let settled = follow(session, stack, marker, 1, started, Operation::Destroy)?;
    if settled.status == "DELETE_COMPLETE" {
        Ok(())
    } else {
        Err(Failure::deploy(format!("{stack}: could not be deleted ({})", settled.status)))
    }
}

fn is_empty_after_failed_create(status: &str) -> bool {
    matches!(status, "ROLLBACK_COMPLETE" | "ROLLBACK_FAILED" | "CREATE_FAILED" | "REVIEW_IN_PROGRESS")
}

/// A stack that is busy or stuck cannot take a change set.
fn refuse_unsettled(stack: &str, found: &StackDescription) -> Result<(), Failure> {
    let status = found.status.as_str();
    let what_now = if status.ends_with("_IN_PROGRESS") {
        "another operation is running on it; wait until it finishes, then deploy again"
    } else if status == "UPDATE_ROLLBACK_FAILED" {
        "its last rollback failed; continue the rollback (`aws cloudformation continue-update-rollback --stack-name <name>`, skipping the resources that cannot roll back), then deploy again"
    } else if status == "DELETE_FAILED" {
        "its deletion failed; run `infrac destroy` again or delete it in the console, then deploy again"
    } else {
        return Ok(());
    };
    let reason = found.status_reason.as_deref().map(|r| format!(" ({r})")).unwrap_or_default();
    Err(Failure::deploy(format!("{stack}: cannot deploy now: the stack is {status}{reason}: {what_now}")))
}

/// The value of every template parameter: given (`--parameter`), kept from
/// the deployed stack (`None`: `UsePreviousValue`), or left to its default.
fn parameter_values(
    stack: &BuiltStack,
    existing: Option<&StackDescription>,
    options: &DeployOptions,
) -> Result<BTreeMap<String, Option<String>>, Failure> {
    let given = options.parameters.get(&stack.name).cloned().unwrap_or_default();
    let defaults = stack.parameter_defaults();
    let unknown: Vec<&String> = given.keys().filter(|k| !defaults.contains_key(*k)).collect();
    if let Some(first) = unknown.first() {
        let known: Vec<&str> = defaults.keys().map(String::as_str).collect();
        let listing = if known.is_empty() { "it has none".to_string() } else { format!("it has {}", known.join(", ")) };
        return Err(Failure::usage(format!("stack {} has no parameter `{first}`; {listing}", stack.name)));
    }
    let mut values = BTreeMap::new();
    let mut missing = Vec::new();
    for (key, default) in &defaults {
        if let Some(value) = given.get(key) {
            values.insert(key.clone(), Some(value.clone()));
        } else if existing.is_some_and(|e| e.parameters.contains_key(key)) {
            values.insert(key.clone(), None);
        } else if default.is_none() {
            missing.push(key.clone());
        }
    }
    if !missing.is_empty() {
        let flags: Vec<String> = missing.iter().map(|m| format!("--parameter {}.{m}=VALUE", stack.name)).collect();
        return Err(Failure::usage(format!(
            "stack {} needs a value for {}: pass {}",
            stack.name,
            missing.join(", "),
            flags.join(" ")
        )));
    }
    Ok(values)
}

/// Parameter values as the preview shows them: secrets masked, kept values
/// as deployed.
fn shown_parameters(
    stack: &BuiltStack,
    values: &BTreeMap<String, Option<String>>,
    existing: Option<&StackDescription>,
) -> BTreeMap<String, String> {
    let secrets = stack.secret_parameters();
    let defaults = stack.parameter_defaults();
    let mut shown = BTreeMap::new();
    for (key, default) in defaults {
        let value = match values.get(&key) {
            Some(Some(value)) => Some(value.clone()),
            Some(None) => existing.and_then(|e| e.parameters.get(&key).cloned()),
            None => default,
        };
        if let Some(value) = value {
            shown.insert(key.clone(), if secrets.contains(&key) { "****".to_string() } else { value });
        }
    }
    shown
}

/// Keeps in `template` every export the deployed stack has, the new
/// template drops, and another stack still imports: as a literal output of
/// its current value, so CloudFormation need not delete it.
fn keep_imported_exports(
    session: &mut Session<'_>,
    stack: &BuiltStack,
    deployed: &StackDescription,
    template: &mut Value,
) -> Result<(), Failure> {
    let exported_now: BTreeSet<String> =
        crate::program::exports_of(template).values().map(|n| n.replace("${AWS::StackName}", &stack.name)).collect();
    let unresolved_sub = template
        .get("Outputs")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .any(|(_, o)| o.get("Export").and_then(|e| e.get("Name")).is_some_and(|n| !n.is_string()));
    for output in &deployed.outputs {
        let Some(export) = &output.export_name else { continue };
        if exported_now.contains(export) || unresolved_sub {
            continue;
        }
        let importers = match session.cloud.list_imports(export) {
            Ok(importers) => importers,
            Err(error) if matches!(error.kind, ErrorKind::Service | ErrorKind::Refused) => {
                session.ui.say(&format!(
                    "warning: {}: cannot tell whether another stack imports `{export}` ({error}); it is removed as the program says",
                    stack.name
                ));
                continue;
            }
            Err(error) => return Err(Failure::cloud(error)),
        };
        let importers: Vec<String> = importers.into_iter().filter(|s| s != &stack.name).collect();
        if importers.is_empty() {
            continue;
        }
        session.ui.say(&format!(
            "warning: {} no longer exports `{export}`, but {} still import{} it: the export is kept for this deploy with its current value; once {} no longer import{} it, the next deploy removes it",
            stack.name,
            importers.join(", "),
            if importers.len() == 1 { "s" } else { "" },
            if importers.len() == 1 { "it" } else { "they" },
            if importers.len() == 1 { "s" } else { "" },
        ));
        let outputs =
            template.as_object_mut().map(|t| t.entry("Outputs").or_insert_with(|| Value::Object(Default::default())));
        if let Some(Value::Object(outputs)) = outputs {
            let mut key = output.key.clone();
            while outputs.contains_key(&key) {
                key.push_str("Kept");
            }
            outputs.insert(key, serde_json::json!({ "Value": output.value, "Export": { "Name": export } }));
        }
    }
    Ok(())
}

/// Where CloudFormation reads the template: in the request (without
/// whitespace), or, when even that is over [`TEMPLATE_BODY_LIMIT`], from S3: `--template-bucket`, else the staging
/// bucket, under the SHA-256 of the text (an unchanged template is not
/// uploaded again).
fn template_source(
    session: &mut Session<'_>,
    program: &Program,
    stack: &str,
    text: &str,
    options: &DeployOptions,
) -> Result<TemplateSource, Failure> {
    // The limit counts the bytes sent, so the body goes without the written
    // file's indentation; over it, the file itself is uploaded.
    let compact = serde_json::from_str::<serde_json::Value>(text)
        .ok()
        .and_then(|template| serde_json::to_string(&template).ok())
        .unwrap_or_else(|| text.to_string());
    if compact.len() <= TEMPLATE_BODY_LIMIT {
        return Ok(TemplateSource::Body(compact));
    }
    let key = format!("infrac/templates/{stack}-{}.json", infrac::assets::sha256_hex(text.as_bytes()));
    let bucket = match &options.template_bucket {
        Some(bucket) => bucket.clone(),
        None => {
            let identity = session.cloud.identity().map_err(Failure::cloud)?;
            crate::publish::bucket_name(&program.staging.bucket, &identity)
        }
    };
    let too_large = |error: CloudError| {
        if !error.is_missing_bucket() {
            return Failure::cloud(error);
        }
        Failure::deploy(format!(
            "{stack}: the template is {} bytes, over CloudFormation's {TEMPLATE_BODY_LIMIT}-byte limit for a template sent in the request, so it goes through S3, but the bucket `{bucket}` does not exist; run `infrac bootstrap` once in this account and region, or pass `--template-bucket BUCKET` (an S3 bucket in the same region)",
            text.len()
        ))
    };
    let url = session.cloud.upload_template(&bucket, &key, text).map_err(too_large)?;
    session.ui.say(&format!("{stack}: the template ({} bytes) goes through s3://{bucket}/{key}", text.len()));
    Ok(TemplateSource::Url(url))
}
