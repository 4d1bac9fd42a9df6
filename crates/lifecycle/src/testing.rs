//! A scripted CloudFormation for tests: a [`Cloud`] that keeps stacks in
//! memory, applies change sets, and plays back scripted event streams,
//! failures, rollbacks and drift — what moto cannot produce.
//!
//! By default an executed change set succeeds at once with the stack's two
//! events, as moto does; [`Scripted::on_next_operation`] scripts the next
//! execution or deletion instead: batches of resource events, one batch per
//! poll, and the status the stack settles in.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Mutex, MutexGuard};

use serde_json::Value;

use crate::cloud::*;

/// One scripted operation: what the stack's events say, poll by poll.
#[derive(Clone, Debug, Default)]
pub struct Script {
    /// Each batch is revealed by one `DescribeStackEvents`:
    /// `(logical ID, resource type, status, reason)`.
    pub batches: Vec<Vec<(String, String, String, Option<String>)>>,
    /// The status the stack settles in once every batch was seen.
    pub final_status: String,
}

impl Script {
    pub fn new(final_status: &str) -> Script {
        Script { batches: Vec::new(), final_status: final_status.to_string() }
    }

    /// Adds a batch of events, each `(logical ID, type, status, reason)`.
    pub fn batch(mut self, events: &[(&str, &str, &str, Option<&str>)]) -> Script {
        self.batches.push(
            events
                .iter()
                .map(|(id, ty, status, reason)| {
                    (id.to_string(), ty.to_string(), status.to_string(), reason.map(str::to_string))
                })
                .collect(),
        );
        self
    }
}

#[derive(Clone, Debug)]
struct ScriptedStack {
    description: StackDescription,
    template: String,
    /// Newest first, as CloudFormation returns them.
    events: Vec<StackEvent>,
    /// The operation under way, if any: batches still to reveal.
    running: Option<(Script, Option<Applied>)>,
}

/// What an execution leaves once it succeeds.
#[derive(Clone, Debug)]
struct Applied {
    template: String,
    parameters: BTreeMap<String, String>,
    tags: BTreeMap<String, String>,
}

#[derive(Clone, Debug)]
struct PendingChangeSet {
    request: ChangeSetRequest,
    description: ChangeSetDescription,
}

#[derive(Default)]
struct State {
    stacks: BTreeMap<String, ScriptedStack>,
    change_sets: BTreeMap<(String, String), PendingChangeSet>,
    scripts: VecDeque<Script>,
    errors: BTreeMap<String, VecDeque<CloudError>>,
    imports: BTreeMap<String, Vec<String>>,
    drifts: BTreeMap<String, Vec<ResourceDrift>>,
    drift_polls: BTreeMap<String, u32>,
    uploads: BTreeMap<String, String>,
    /// Buckets that exist, and the objects in them by bucket and key.
    buckets: BTreeMap<String, BTreeMap<String, Vec<u8>>>,
    /// ECR repositories that exist, and the tags in them.
    repositories: BTreeMap<String, Vec<String>>,
    /// Images built and pushed, by full reference.
    built: Vec<String>,
    /// What every build prints, line by line.
    build_output: Vec<String>,
    pushed: Vec<String>,
    calls: Vec<String>,
    next_event: i64,
    /// `Replacement` values to put in change sets, by logical ID.
    replacements: BTreeMap<String, String>,
}

/// The scripted cloud.
#[derive(Default)]
pub struct Scripted {
    state: Mutex<State>,
}

/// Event timestamps start here and advance a second per event.
const EPOCH: i64 = 1_765_000_000_000;

impl Scripted {
    pub fn new() -> Scripted {
        Scripted::default()
    }

    /// A stack that exists already, with this template, status and outputs.
    pub fn with_stack(self, name: &str, template: &Value, status: &str, outputs: Vec<StackOutput>) -> Scripted {
        {
            let mut state = self.lock();
            let description = StackDescription {
                name: name.to_string(),
                id: format!("arn:aws:cloudformation:us-east-1:123456789012:stack/{name}/1"),
                status: status.to_string(),
                outputs,
                ..Default::default()
            };
            let text = infrac::backend::to_text(template);
            state.stacks.insert(
                name.to_string(),
                ScriptedStack { description, template: text, events: Vec::new(), running: None },
            );
        }
        self
    }

    /// Scripts the next change-set execution or stack deletion.
    pub fn on_next_operation(&self, script: Script) {
        self.lock().scripts.push_back(script);
    }

    /// Makes the next call of `method` (its API name, e.g. `DescribeStacks`) fail.
    pub fn fail_next(&self, method: &str, error: CloudError) {
        self.lock().errors.entry(method.to_string()).or_default().push_back(error);
    }

    /// `ListImports` answers these importers for `export`.
    pub fn imports(&self, export: &str, stacks: &[&str]) {
        self.lock().imports.insert(export.to_string(), stacks.iter().map(|s| s.to_string()).collect());
    }

    /// Drift detection on `stack` finds these resources.
    pub fn drift(&self, stack: &str, drifts: Vec<ResourceDrift>) {
        self.lock().drifts.insert(stack.to_string(), drifts);
    }

    /// Change sets say this resource is replaced (`True`, `Conditional`).
    pub fn replacement(&self, logical_id: &str, value: &str) {
        self.lock().replacements.insert(logical_id.to_string(), value.to_string());
    }

    /// A bucket that exists (the staging bucket, once bootstrapped).
    pub fn with_bucket(self, bucket: &str) -> Scripted {
        self.lock().buckets.entry(bucket.to_string()).or_default();
        self
    }

    /// An ECR repository that exists (the staging repository, once
    /// bootstrapped). Pushing to `registry/NAME:TAG` adds the tag.
    pub fn with_repository(self, name: &str) -> Scripted {
        self.lock().repositories.entry(name.to_string()).or_default();
        self
    }

    /// Every build prints these lines before it succeeds or fails.
    pub fn build_output(&self, lines: &[&str]) {
        self.lock().build_output = lines.iter().map(|line| line.to_string()).collect();
    }

    /// Image references pushed, in order.
    pub fn pushed(&self) -> Vec<String> {
        self.lock().pushed.clone()
    }

    /// The keys of the objects in `bucket`, and their bytes.
    pub fn objects(&self, bucket: &str) -> BTreeMap<String, Vec<u8>> {
        self.lock().buckets.get(bucket).cloned().unwrap_or_default()
    }

    /// Every call made, in order, with its main arguments.
    pub fn calls(&self) -> Vec<String> {
        self.lock().calls.clone()
    }

    /// A stack's status now, if it exists.
    pub fn status(&self, stack: &str) -> Option<String> {
        self.lock().stacks.get(stack).map(|s| s.description.status.clone())
    }

    /// The template a stack has now.
    pub fn template(&self, stack: &str) -> Option<String> {
        self.lock().stacks.get(stack).map(|s| s.template.clone())
    }

    /// The parameter values a stack has now.
    pub fn parameters(&self, stack: &str) -> BTreeMap<String, String> {
        self.lock().stacks.get(stack).map(|s| s.description.parameters.clone()).unwrap_or_default()
    }

    /// Change sets created and not executed or deleted.
    pub fn pending_change_sets(&self) -> Vec<String> {
        self.lock().change_sets.keys().map(|(stack, name)| format!("{stack}/{name}")).collect()
    }

    /// Templates uploaded to S3, by URL.
    pub fn uploads(&self) -> Vec<String> {
        self.lock().uploads.keys().cloned().collect()
    }

    /// The state; publishing calls in from several threads at once.
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn enter(&self, method: &str, detail: &str) -> CloudResult<()> {
        let mut state = self.lock();
        state.calls.push(if detail.is_empty() { method.to_string() } else { format!("{method} {detail}") });
        match state.errors.get_mut(method).and_then(VecDeque::pop_front) {
            Some(error) => Err(error),
            None => Ok(()),
        }
    }
}

fn missing(stack: &str) -> CloudError {
    CloudError::refused("ValidationError", format!("Stack with id {stack} does not exist"))
}

impl State {
    fn event(&mut self, stack: &str, logical_id: &str, resource_type: &str, status: &str, reason: Option<String>) {
        self.next_event += 1;
        let event = StackEvent {
            id: format!("event-{}", self.next_event),
            timestamp_ms: EPOCH + self.next_event * 1_000,
            logical_id: logical_id.to_string(),
            physical_id: None,
            resource_type: resource_type.to_string(),
            status: status.to_string(),
            reason,
        };
        if let Some(found) = self.stacks.get_mut(stack) {
            found.events.insert(0, event);
        }
    }

    fn stack_event(&mut self, stack: &str, status: &str, reason: Option<&str>) {
        self.event(stack, stack, "AWS::CloudFormation::Stack", status, reason.map(str::to_string));
    }

    /// Reveals the next batch of the running operation, or settles it.
    fn advance(&mut self, stack: &str) {
        let Some(running) = self.stacks.get_mut(stack).and_then(|s| s.running.take()) else { return };
        let (mut script, applied) = running;
        if !script.batches.is_empty() {
            let batch = script.batches.remove(0);
            for (logical_id, resource_type, status, reason) in batch {
                self.event(stack, &logical_id, &resource_type, &status, reason);
            }
            if let Some(found) = self.stacks.get_mut(stack) {
                found.running = Some((script, applied));
            }
            return;
        }
        let status = script.final_status.clone();
        self.stack_event(stack, &status, None);
        if status == "DELETE_COMPLETE" {
            self.stacks.remove(stack);
            return;
        }
        if let Some(found) = self.stacks.get_mut(stack) {
            found.description.status = status.clone();
            if let (Some(applied), true) = (applied, status.ends_with("_COMPLETE") && !status.contains("ROLLBACK")) {
                found.template = applied.template;
                found.description.parameters = applied.parameters;
                found.description.tags = applied.tags;
            }
        }
    }
}

fn resources(template: &str) -> serde_json::Map<String, Value> {
    serde_json::from_str::<Value>(template)
        .ok()
        .and_then(|t| t.get("Resources").and_then(Value::as_object).cloned())
        .unwrap_or_default()
}

impl Cloud for Scripted {
    fn identity(&self) -> CloudResult<Identity> {
        self.enter("GetCallerIdentity", "")?;
        Ok(Identity {
            account: "123456789012".into(),
            arn: "arn:aws:iam::123456789012:user/test".into(),
            region: "us-east-1".into(),
        })
    }

    fn describe_stack(&self, stack: &str) -> CloudResult<Option<StackDescription>> {
        self.enter("DescribeStacks", stack)?;
        Ok(self.lock().stacks.get(stack).map(|s| s.description.clone()))
    }

    fn get_template(&self, stack: &str) -> CloudResult<String> {
        self.enter("GetTemplate", stack)?;
        self.lock().stacks.get(stack).map(|s| s.template.clone()).ok_or_else(|| missing(stack))
    }

    fn stack_resources(&self, stack: &str) -> CloudResult<Vec<StackResource>> {
        self.enter("ListStackResources", stack)?;
        let state = self.lock();
        let found = state.stacks.get(stack).ok_or_else(|| missing(stack))?;
        Ok(resources(&found.template)
            .iter()
            .map(|(id, body)| StackResource {
                logical_id: id.clone(),
                physical_id: Some(format!("{}-{}", stack.to_lowercase(), id.to_lowercase())),
                resource_type: body.get("Type").and_then(Value::as_str).unwrap_or_default().to_string(),
                status: "CREATE_COMPLETE".into(),
            })
            .collect())
    }

    fn stack_events(&self, stack: &str, after_id: Option<&str>) -> CloudResult<Vec<StackEvent>> {
        self.enter("DescribeStackEvents", stack)?;
        let mut state = self.lock();
        state.advance(stack);
        let Some(found) = state.stacks.get(stack) else {
            // A deleted stack's events are gone with it (by name).
            return Err(missing(stack));
        };
        let mut events = Vec::new();
        for event in &found.events {
            if Some(event.id.as_str()) == after_id {
                break;
            }
            events.push(event.clone());
        }
        Ok(events)
    }

    fn create_change_set(&self, request: &ChangeSetRequest) -> CloudResult<String> {
        let kind = match request.kind {
            ChangeSetKind::Create => "CREATE",
            ChangeSetKind::Update => "UPDATE",
        };
        self.enter("CreateChangeSet", &format!("{} {kind}", request.stack))?;
        let mut state = self.lock();
        let body = match &request.template {
            TemplateSource::Body(body) => body.clone(),
            TemplateSource::Url(url) => state.uploads.get(url).cloned().unwrap_or_default(),
        };
        let existing = state.stacks.get(&request.stack).cloned();
        match (request.kind, &existing) {
            (ChangeSetKind::Create, Some(_)) => {
                return Err(CloudError::refused("ValidationError", format!("Stack [{}] already exists", request.stack)))
            }
            (ChangeSetKind::Update, None) => return Err(missing(&request.stack)),
            _ => {}
        }
        let old = existing.as_ref().map(|s| resources(&s.template)).unwrap_or_default();
        let new = resources(&body);
        let mut changes = Vec::new();
        let replacement = |id: &str| state.replacements.get(id).cloned();
        for (id, resource) in &new {
            let resource_type = resource.get("Type").and_then(Value::as_str).unwrap_or_default().to_string();
            let action = match old.get(id) {
                None => "Add",
                Some(before) if before != resource => "Modify",
                Some(_) => continue,
            };
            changes.push(ResourceChange {
                action: action.into(),
                logical_id: id.clone(),
                resource_type,
                replacement: if action == "Modify" { replacement(id).or(Some("False".into())) } else { None },
            });
        }
        for (id, resource) in &old {
            if !new.contains_key(id) {
                changes.push(ResourceChange {
                    action: "Remove".into(),
                    logical_id: id.clone(),
                    resource_type: resource.get("Type").and_then(Value::as_str).unwrap_or_default().to_string(),
                    replacement: None,
                });
            }
        }
        let parameters: BTreeMap<String, String> = request
            .parameters
            .iter()
            .filter_map(|(k, v)| match v {
                ParameterValue::Value(v) => Some((k.clone(), v.clone())),
                ParameterValue::UsePrevious => {
                    existing.as_ref().and_then(|s| s.description.parameters.get(k)).map(|v| (k.clone(), v.clone()))
                }
            })
            .collect();
        let unchanged = existing.as_ref().is_some_and(|s| {
            changes.is_empty() && s.description.parameters == parameters && s.description.tags == request.tags
        });
        let id = format!("arn:aws:cloudformation:us-east-1:123456789012:changeSet/{}/1", request.name);
        let description = ChangeSetDescription {
            id: id.clone(),
            status: if unchanged { "FAILED".into() } else { "CREATE_COMPLETE".into() },
            status_reason: unchanged.then(|| {
                "The submitted information didn't contain changes. Submit different information to create a change set."
                    .to_string()
            }),
            execution_status: Some(if unchanged { "UNAVAILABLE".into() } else { "AVAILABLE".into() }),
            changes,
        };
        if existing.is_none() {
            let description = StackDescription {
                name: request.stack.clone(),
                id: format!("arn:aws:cloudformation:us-east-1:123456789012:stack/{}/1", request.stack),
                status: "REVIEW_IN_PROGRESS".into(),
                ..Default::default()
            };
            state.stacks.insert(
                request.stack.clone(),
                ScriptedStack { description, template: "{}".into(), events: Vec::new(), running: None },
            );
            state.stack_event(&request.stack, "REVIEW_IN_PROGRESS", Some("User Initiated"));
        }
        let mut request = request.clone();
        request.template = TemplateSource::Body(body);
        state
            .change_sets
            .insert((request.stack.clone(), request.name.clone()), PendingChangeSet { request, description });
        Ok(id)
    }

    fn describe_change_set(&self, stack: &str, change_set: &str) -> CloudResult<ChangeSetDescription> {
        self.enter("DescribeChangeSet", &format!("{stack} {change_set}"))?;
        self.lock()
            .change_sets
            .get(&(stack.to_string(), change_set.to_string()))
            .map(|c| c.description.clone())
            .ok_or_else(|| CloudError::refused("ChangeSetNotFound", format!("ChangeSet [{change_set}] does not exist")))
    }

    fn execute_change_set(&self, stack: &str, change_set: &str) -> CloudResult<()> {
        self.enter("ExecuteChangeSet", &format!("{stack} {change_set}"))?;
        let mut state = self.lock();
        let Some(pending) = state.change_sets.remove(&(stack.to_string(), change_set.to_string())) else {
            return Err(CloudError::refused("ChangeSetNotFound", format!("ChangeSet [{change_set}] does not exist")));
        };
        let creating = pending.request.kind == ChangeSetKind::Create;
        let (in_progress, complete) = if creating {
            ("CREATE_IN_PROGRESS", "CREATE_COMPLETE")
        } else {
            ("UPDATE_IN_PROGRESS", "UPDATE_COMPLETE")
        };
        let TemplateSource::Body(template) = pending.request.template.clone() else { unreachable!("stored as a body") };
        let previous = state.stacks.get(stack).map(|s| s.description.parameters.clone()).unwrap_or_default();
        let parameters = pending
            .request
            .parameters
            .iter()
            .filter_map(|(k, v)| match v {
                ParameterValue::Value(v) => Some((k.clone(), v.clone())),
                ParameterValue::UsePrevious => previous.get(k).map(|v| (k.clone(), v.clone())),
            })
            .collect();
        let applied = Applied { template, parameters, tags: pending.request.tags.clone() };
        let script = state.scripts.pop_front().unwrap_or_else(|| Script::new(complete));
        if let Some(found) = state.stacks.get_mut(stack) {
            found.description.status = in_progress.to_string();
            found.running = Some((script, Some(applied)));
        }
        state.stack_event(stack, in_progress, Some("User Initiated"));
        Ok(())
    }

    fn delete_change_set(&self, stack: &str, change_set: &str) -> CloudResult<()> {
        self.enter("DeleteChangeSet", &format!("{stack} {change_set}"))?;
        self.lock().change_sets.remove(&(stack.to_string(), change_set.to_string()));
        Ok(())
    }

    fn delete_stack(&self, stack: &str, _client_token: &str, _role_arn: Option<&str>) -> CloudResult<()> {
        self.enter("DeleteStack", stack)?;
        let mut state = self.lock();
        if !state.stacks.contains_key(stack) {
            return Ok(());
        }
        let script = state.scripts.pop_front().unwrap_or_else(|| Script::new("DELETE_COMPLETE"));
        state.stack_event(stack, "DELETE_IN_PROGRESS", Some("User Initiated"));
        if let Some(found) = state.stacks.get_mut(stack) {
            found.description.status = "DELETE_IN_PROGRESS".into();
            found.running = Some((script, None));
        }
        Ok(())
    }

    fn list_imports(&self, export_name: &str) -> CloudResult<Vec<String>> {
        self.enter("ListImports", export_name)?;
        Ok(self.lock().imports.get(export_name).cloned().unwrap_or_default())
    }

    fn detect_drift(&self, stack: &str) -> CloudResult<String> {
        self.enter("DetectStackDrift", stack)?;
        if !self.lock().stacks.contains_key(stack) {
            return Err(missing(stack));
        }
        Ok(format!("drift-{stack}"))
    }

    fn drift_detection_status(&self, detection_id: &str) -> CloudResult<DriftDetection> {
        self.enter("DescribeStackDriftDetectionStatus", detection_id)?;
        let mut state = self.lock();
        let polls = state.drift_polls.entry(detection_id.to_string()).or_default();
        *polls += 1;
        if *polls == 1 {
            return Ok(DriftDetection {
                status: "DETECTION_IN_PROGRESS".into(),
                stack_drift_status: None,
                reason: None,
            });
        }
        let stack = detection_id.trim_start_matches("drift-");
        let drifted = state.drifts.get(stack).is_some_and(|d| d.iter().any(|r| r.status != "IN_SYNC"));
        Ok(DriftDetection {
            status: "DETECTION_COMPLETE".into(),
            stack_drift_status: Some(if drifted { "DRIFTED" } else { "IN_SYNC" }.into()),
            reason: None,
        })
    }

    fn resource_drifts(&self, stack: &str) -> CloudResult<Vec<ResourceDrift>> {
        self.enter("DescribeStackResourceDrifts", stack)?;
        Ok(self.lock().drifts.get(stack).cloned().unwrap_or_default())
    }

    fn upload_template(&self, bucket: &str, key: &str, body: &str) -> CloudResult<String> {
        self.enter("PutObject", &format!("{bucket}/{key}"))?;
        let url = format!("https://{bucket}.s3.us-east-1.amazonaws.com/{key}");
        let mut state = self.lock();
        let Some(objects) = state.buckets.get_mut(bucket) else { return Err(no_such_bucket(bucket)) };
        objects.insert(key.to_string(), body.as_bytes().to_vec());
        state.uploads.insert(url.clone(), body.to_string());
        Ok(url)
    }

    fn object_exists(&self, bucket: &str, key: &str) -> CloudResult<bool> {
        self.enter("ListObjectsV2", &format!("{bucket}/{key}"))?;
        match self.lock().buckets.get(bucket) {
            Some(objects) => Ok(objects.contains_key(key)),
            None => Err(no_such_bucket(bucket)),
        }
    }

    fn image_exists(&self, repository: &str, tag: &str) -> CloudResult<bool> {
        self.enter("DescribeImages", &format!("{repository}:{tag}"))?;
        match self.lock().repositories.get(repository) {
            Some(tags) => Ok(tags.iter().any(|t| t == tag)),
            None => Err(CloudError::refused(
                "RepositoryNotFoundException",
                format!("The repository with name '{repository}' does not exist"),
            )),
        }
    }

    fn registry_login(&self) -> CloudResult<RegistryLogin> {
        self.enter("GetAuthorizationToken", "")?;
        Ok(RegistryLogin {
            registry: "123456789012.dkr.ecr.us-east-1.amazonaws.com".into(),
            username: "AWS".into(),
            password: "token".into(),
        })
    }

    fn put_object(&self, bucket: &str, key: &str, body: &[u8]) -> CloudResult<()> {
        self.enter("PutObject", &format!("{bucket}/{key}"))?;
        match self.lock().buckets.get_mut(bucket) {
            Some(objects) => {
                objects.insert(key.to_string(), body.to_vec());
                Ok(())
            }
            None => Err(no_such_bucket(bucket)),
        }
    }
}

impl crate::containers::Containers for Scripted {
    fn build(&self, request: &crate::containers::BuildRequest, output: &mut dyn FnMut(&str)) -> Result<(), String> {
        let lines = self.lock().build_output.clone();
        for line in &lines {
            output(line);
        }
        self.enter("build", &format!("{} {}", request.context, request.image)).map_err(|e| e.message)?;
        self.lock().built.push(request.image.clone());
        Ok(())
    }

    fn login(&self, registry: &str, username: &str, _password: &str) -> Result<(), String> {
        self.enter("login", &format!("{registry} {username}")).map_err(|e| e.message)
    }

    fn exists(&self, image: &str) -> Result<bool, String> {
        self.enter("manifest", image).map_err(|e| e.message)?;
        Ok(self.lock().pushed.iter().any(|pushed| pushed == image))
    }

    fn push(&self, image: &str) -> Result<(), String> {
        self.enter("push", image).map_err(|e| e.message)?;
        let mut state = self.lock();
        if !state.built.iter().any(|built| built == image) {
            return Err(format!("{image}: no such image was built"));
        }
        state.pushed.push(image.to_string());
        // Pushes to a registry override never reach ECR (as with moto).
        if image.starts_with("123456789012.dkr.ecr.") {
            let (repository, tag) = image.rsplit_once(':').unwrap_or((image, ""));
            let repository = repository.split_once('/').map_or(repository, |(_, name)| name).to_string();
            state.repositories.entry(repository).or_default().push(tag.to_string());
        }
        Ok(())
    }
}

fn no_such_bucket(bucket: &str) -> CloudError {
    CloudError::refused("NoSuchBucket", format!("The specified bucket does not exist: {bucket}"))
}
