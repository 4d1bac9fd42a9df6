//! The deploy engine, `destroy` and `drift` against a scripted
//! CloudFormation: the states moto cannot produce (per-resource events,
//! failures, rollbacks, drift, `ListImports`, throttling), with an injected
//! clock so that every transcript is the same on every run.

use std::collections::BTreeMap;
use std::sync::atomic::AtomicBool;

use infrac::assets::images::Repository;
use infrac_lifecycle::clock::FakeClock;
use infrac_lifecycle::cloud::{CloudError, ErrorKind, PropertyDifference, ResourceDrift, StackOutput};
use infrac_lifecycle::deploy::{deploy, Approval, DeployOptions, StackOutcome};
use infrac_lifecycle::destroy::{destroy, DestroyOptions};
use infrac_lifecycle::drift::{drift, DriftOptions};
use infrac_lifecycle::locate::Locate;
use infrac_lifecycle::program::{BuiltStack, FileAsset, Program};
use infrac_lifecycle::publish::PublishOptions;
use infrac_lifecycle::testing::{Script, Scripted};
use infrac_lifecycle::ui::Recorder;
use infrac_lifecycle::{Failure, FailureKind, Session};
use serde_json::{json, Value};

/// Places every logical ID at a made-up line, to show where a real source
/// map's rendering goes.
struct FakePlaces;

impl Locate for FakePlaces {
    fn place(&self, _stack: &str, logical_id: &str) -> Option<String> {
        Some(format!("app.infra:{}", logical_id.len()))
    }

    fn failure(&self, stack: &str, logical_id: &str, status: &str, reason: &str) -> Option<String> {
        Some(format!(
            "error: {logical_id} {status}\n  --> app.infra:{} ({stack}.{logical_id})\n  = {reason}",
            logical_id.len()
        ))
    }

    fn drift(
        &self,
        stack: &str,
        logical_id: &str,
        property: Option<&str>,
        expected: Option<&str>,
        actual: Option<&str>,
    ) -> Option<String> {
        let at = property.map(|p| format!(" property {p}")).unwrap_or_default();
        let values = match (expected, actual) {
            (None, None) => String::new(),
            _ => format!("\n  = expected {expected:?}, actual {actual:?}"),
        };
        Some(format!("drift: {logical_id}\n  --> app.infra:{} ({stack}.{logical_id}{at}){values}", logical_id.len()))
    }
}

fn bucket_stack(name: &str, versioning: &str) -> Value {
    json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {
            "Logs": { "Type": "AWS::S3::Bucket", "Properties": { "VersioningConfiguration": { "Status": versioning } } },
            "Queue": { "Type": "AWS::SQS::Queue" }
        },
        "Outputs": { "LogsName": { "Value": { "Ref": "Logs" }, "Export": { "Name": format!("{name}-Logs") } } }
    })
}

fn program(stacks: Vec<BuiltStack>) -> Program {
    Program::new(stacks)
}

struct Run {
    ui: Recorder,
    result: Result<Vec<(String, StackOutcome)>, Failure>,
}

fn run_deploy(
    cloud: &Scripted,
    program: &Program,
    options: &DeployOptions,
    interactive: bool,
    answers: &[bool],
) -> Run {
    let clock = FakeClock::starting_at(1_765_000_000_000);
    let mut ui = Recorder::new(interactive);
    ui.answers = answers.to_vec();
    let interrupt = AtomicBool::new(false);
    let result = {
        let mut session = Session {
            cloud,
            containers: cloud,
            clock: &clock,
            ui: &mut ui,
            locate: &FakePlaces,
            interrupt: &interrupt,
            colour: false,
        };
        deploy(&mut session, program, options)
    };
    Run { ui, result }
}

fn yes() -> DeployOptions {
    DeployOptions { yes: true, ..Default::default() }
}

#[test]
fn a_new_stack_is_created_through_a_change_set() {
    let cloud = Scripted::new();
    let app = program(vec![BuiltStack::new("App", bucket_stack("App", "Enabled"), vec![])]);
    let run = run_deploy(&cloud, &app, &yes(), false, &[]);
    assert_eq!(run.result.unwrap(), [("App".to_string(), StackOutcome::Created)]);
    assert_eq!(cloud.status("App").as_deref(), Some("CREATE_COMPLETE"));
    assert_eq!(
        cloud.calls(),
        [
            "DescribeStacks App",
            "CreateChangeSet App CREATE",
            "DescribeChangeSet App infrac-1765000000000",
            "DescribeStackEvents App",
            "ExecuteChangeSet App infrac-1765000000000",
            "DescribeStackEvents App",
            "DescribeStacks App",
        ]
    );
    insta::assert_snapshot!(run.ui.transcript);
}

#[test]
fn progress_shows_one_line_per_event_without_a_terminal() {
    let cloud = Scripted::new().with_stack("App", &bucket_stack("App", "Enabled"), "CREATE_COMPLETE", vec![]);
    cloud.on_next_operation(
        Script::new("UPDATE_COMPLETE")
            .batch(&[("Logs", "AWS::S3::Bucket", "UPDATE_IN_PROGRESS", None)])
            .batch(&[("Logs", "AWS::S3::Bucket", "UPDATE_COMPLETE", None)])
            .batch(&[("App", "AWS::CloudFormation::Stack", "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", None)]),
    );
    let app = program(vec![BuiltStack::new("App", bucket_stack("App", "Suspended"), vec![])]);
    let run = run_deploy(&cloud, &app, &yes(), false, &[]);
    assert_eq!(run.result.unwrap(), [("App".to_string(), StackOutcome::Updated)]);
    assert!(cloud.template("App").unwrap().contains("Suspended"));
    insta::assert_snapshot!(run.ui.transcript);
}

#[test]
fn a_terminal_gets_a_status_block_redrawn_in_place() {
    let cloud = Scripted::new();
    cloud.on_next_operation(
        Script::new("CREATE_COMPLETE")
            .batch(&[
                ("Logs", "AWS::S3::Bucket", "CREATE_IN_PROGRESS", None),
                ("Queue", "AWS::SQS::Queue", "CREATE_IN_PROGRESS", None),
            ])
            .batch(&[("Queue", "AWS::SQS::Queue", "CREATE_COMPLETE", None)])
            .batch(&[("Logs", "AWS::S3::Bucket", "CREATE_COMPLETE", None)]),
    );
    let app = program(vec![BuiltStack::new("App", bucket_stack("App", "Enabled"), vec![])]);
    let run = run_deploy(&cloud, &app, &yes(), true, &[]);
    run.result.unwrap();
    // No line per event on a terminal: the block is redrawn, then cleared.
    assert!(!run.ui.transcript.contains("| CREATE_IN_PROGRESS"), "{}", run.ui.transcript);
    assert_eq!(run.ui.screens.last().unwrap(), &Vec::<String>::new(), "the block is cleared at the end");
    let screens: Vec<String> = run.ui.screens.iter().filter(|s| !s.is_empty()).map(|s| s.join("\n")).collect();
    insta::assert_snapshot!(screens.join("\n---\n"));
}

#[test]
fn a_failed_create_is_shown_at_the_failing_resource_and_recreated_next_time() {
    let cloud = Scripted::new();
    cloud.on_next_operation(
        Script::new("ROLLBACK_COMPLETE")
            .batch(&[
                ("Logs", "AWS::S3::Bucket", "CREATE_IN_PROGRESS", None),
                ("Queue", "AWS::SQS::Queue", "CREATE_IN_PROGRESS", None),
            ])
            .batch(&[
                ("Logs", "AWS::S3::Bucket", "CREATE_FAILED", Some("acme-logs already exists")),
                ("Queue", "AWS::SQS::Queue", "CREATE_FAILED", Some("Resource creation cancelled")),
            ])
            .batch(&[(
                "App",
                "AWS::CloudFormation::Stack",
                "ROLLBACK_IN_PROGRESS",
                Some("The following resource(s) failed to create: [Logs]."),
            )]),
    );
    let app = program(vec![BuiltStack::new("App", bucket_stack("App", "Enabled"), vec![])]);
    let run = run_deploy(&cloud, &app, &yes(), false, &[]);
    let failure = run.result.unwrap_err();
    assert_eq!(failure.kind, FailureKind::Failed);
    assert_eq!(failure.exit_code(), 1);
    assert_eq!(cloud.status("App").as_deref(), Some("ROLLBACK_COMPLETE"));
    insta::assert_snapshot!(format!("{}\n=== failure\n{}", run.ui.transcript, failure.message));

    // The next deploy deletes the empty stack and creates it again.
    let again = run_deploy(&cloud, &app, &yes(), false, &[]);
    assert_eq!(again.result.unwrap(), [("App".to_string(), StackOutcome::Created)]);
    assert!(again.ui.transcript.contains("empty after a failed create (ROLLBACK_COMPLETE)"), "{}", again.ui.transcript);
    assert_eq!(cloud.status("App").as_deref(), Some("CREATE_COMPLETE"));
}

#[test]
fn a_rolled_back_update_leaves_the_stack_as_it_was() {
    let cloud = Scripted::new().with_stack("App", &bucket_stack("App", "Enabled"), "UPDATE_COMPLETE", vec![]);
    cloud.on_next_operation(
        Script::new("UPDATE_ROLLBACK_COMPLETE")
            .batch(&[("Logs", "AWS::S3::Bucket", "UPDATE_FAILED", Some("Access Denied"))])
            .batch(&[("App", "AWS::CloudFormation::Stack", "UPDATE_ROLLBACK_IN_PROGRESS", None)]),
    );
    let app = program(vec![BuiltStack::new("App", bucket_stack("App", "Suspended"), vec![])]);
    let run = run_deploy(&cloud, &app, &yes(), false, &[]);
    let failure = run.result.unwrap_err();
    assert!(failure.message.contains("UPDATE_ROLLBACK_COMPLETE"), "{}", failure.message);
    assert!(failure.message.contains("as it was before"), "{}", failure.message);
    assert!(run.ui.transcript.contains("--> app.infra:4 (App.Logs)"), "{}", run.ui.transcript);
    assert!(cloud.template("App").unwrap().contains("Enabled"), "the template stays the old one");
}

#[test]
fn nothing_to_change_is_said_and_is_not_an_error() {
    let template = bucket_stack("App", "Enabled");
    let cloud = Scripted::new().with_stack("App", &template, "CREATE_COMPLETE", vec![]);
    let app = program(vec![BuiltStack::new("App", template, vec![])]);
    let run = run_deploy(&cloud, &app, &yes(), false, &[]);
    assert_eq!(run.result.unwrap(), [("App".to_string(), StackOutcome::Unchanged)]);
    assert_eq!(run.ui.transcript, "App: no changes\n");
    assert!(!cloud.calls().iter().any(|c| c.starts_with("CreateChangeSet")), "{:?}", cloud.calls());
}

#[test]
fn an_empty_change_set_is_no_changes_and_is_deleted() {
    // A parameter given with the value it has: the template is the same,
    // so only CloudFormation can tell; it says "didn't contain changes".
    let mut template = bucket_stack("App", "Enabled");
    template["Parameters"] = json!({ "Stage": { "Type": "String" } });
    let cloud = Scripted::new().with_stack("App", &template, "CREATE_COMPLETE", vec![]);
    let app = program(vec![BuiltStack::new("App", template, vec![])]);
    let mut options = yes();
    options.parameters.insert("App".into(), BTreeMap::from([("Stage".to_string(), "dev".to_string())]));
    let first = run_deploy(&cloud, &app, &options, false, &[]);
    assert_eq!(first.result.unwrap(), [("App".to_string(), StackOutcome::Updated)]);
    let second = run_deploy(&cloud, &app, &options, false, &[]);
    assert_eq!(second.result.unwrap(), [("App".to_string(), StackOutcome::Unchanged)]);
    assert!(cloud.pending_change_sets().is_empty(), "{:?}", cloud.pending_change_sets());
}

#[test]
fn approval_without_a_terminal_refuses_and_changes_nothing() {
    let cloud = Scripted::new().with_stack("App", &bucket_stack("App", "Enabled"), "CREATE_COMPLETE", vec![]);
    let app = program(vec![BuiltStack::new("App", bucket_stack("App", "Suspended"), vec![])]);
    let options = DeployOptions { approval: Approval::AnyChange, ..Default::default() };
    let run = run_deploy(&cloud, &app, &options, false, &[]);
    let failure = run.result.unwrap_err();
    assert_eq!(failure.exit_code(), 1);
    assert!(failure.message.contains("there is no terminal to ask"), "{}", failure.message);
    assert!(failure.message.contains("--yes"), "{}", failure.message);
    assert!(cloud.template("App").unwrap().contains("Enabled"));
    assert!(cloud.pending_change_sets().is_empty());
    assert!(!cloud.calls().iter().any(|c| c.starts_with("ExecuteChangeSet")));
}

#[test]
fn a_declined_create_leaves_no_stack_behind() {
    let cloud = Scripted::new();
    let app = program(vec![BuiltStack::new("App", bucket_stack("App", "Enabled"), vec![])]);
    let options = DeployOptions { approval: Approval::AnyChange, ..Default::default() };
    let run = run_deploy(&cloud, &app, &options, true, &[false]);
    assert!(run.result.unwrap_err().message.contains("declined"));
    assert!(run.ui.transcript.contains("? Deploy these changes to App?"), "{}", run.ui.transcript);
    assert!(cloud.calls().contains(&"DeleteStack App".to_string()), "the REVIEW_IN_PROGRESS stack is deleted too");
    assert!(cloud.pending_change_sets().is_empty());
}

#[test]
fn an_export_still_imported_is_kept_for_one_more_deploy() {
    let deployed = bucket_stack("Data", "Enabled");
    let outputs = vec![StackOutput {
        key: "LogsName".into(),
        value: "data-logs-123".into(),
        export_name: Some("Data-Logs".into()),
        description: None,
    }];
    let cloud = Scripted::new().with_stack("Data", &deployed, "CREATE_COMPLETE", outputs);
    cloud.imports("Data-Logs", &["App"]);
    let mut new = bucket_stack("Data", "Enabled");
    new.as_object_mut().unwrap().remove("Outputs");
    new["Resources"]["Queue"]["Properties"] = json!({ "DelaySeconds": 5 });
    let run = run_deploy(&cloud, &program(vec![BuiltStack::new("Data", new, vec![])]), &yes(), false, &[]);
    run.result.unwrap();
    assert!(run.ui.transcript.contains("App still imports it"), "{}", run.ui.transcript);
    let template: Value = serde_json::from_str(&cloud.template("Data").unwrap()).unwrap();
    assert_eq!(template["Outputs"]["LogsName"], json!({ "Value": "data-logs-123", "Export": { "Name": "Data-Logs" } }));
    assert!(cloud.calls().contains(&"ListImports Data-Logs".to_string()));
}

#[test]
fn throttling_is_waited_out() {
    let cloud = Scripted::new();
    let throttled = || CloudError::new(ErrorKind::Throttling, Some("Throttling"), "Rate exceeded");
    cloud.fail_next("DescribeChangeSet", throttled());
    cloud.fail_next("DescribeChangeSet", throttled());
    let app = program(vec![BuiltStack::new("App", bucket_stack("App", "Enabled"), vec![])]);
    let run = run_deploy(&cloud, &app, &yes(), false, &[]);
    assert_eq!(run.result.unwrap(), [("App".to_string(), StackOutcome::Created)]);
    let describes = cloud.calls().iter().filter(|c| c.starts_with("DescribeChangeSet")).count();
    assert_eq!(describes, 3);
}

#[test]
fn credentials_errors_are_environment_errors_with_advice() {
    let cloud = Scripted::new();
    cloud.fail_next(
        "DescribeStacks",
        CloudError::new(
            ErrorKind::Credentials,
            Some("ExpiredToken"),
            "The security token included in the request is expired",
        ),
    );
    let app = program(vec![BuiltStack::new("App", bucket_stack("App", "Enabled"), vec![])]);
    let failure = run_deploy(&cloud, &app, &yes(), false, &[]).result.unwrap_err();
    assert_eq!(failure.kind, FailureKind::Environment);
    assert_eq!(failure.exit_code(), 2);
    insta::assert_snapshot!(failure.message);
}

#[test]
fn a_stack_stuck_in_a_failed_rollback_is_refused_with_what_to_do() {
    let cloud = Scripted::new().with_stack("App", &bucket_stack("App", "Enabled"), "UPDATE_ROLLBACK_FAILED", vec![]);
    let app = program(vec![BuiltStack::new("App", bucket_stack("App", "Suspended"), vec![])]);
    let failure = run_deploy(&cloud, &app, &yes(), false, &[]).result.unwrap_err();
    assert!(failure.message.contains("continue-update-rollback"), "{}", failure.message);
    assert!(!cloud.calls().iter().any(|c| c.starts_with("CreateChangeSet")));
}

#[test]
fn parameters_are_given_kept_or_asked_for() {
    let mut template = bucket_stack("App", "Enabled");
    template["Parameters"] = json!({
        "Stage": { "Type": "String" },
        "Password": { "Type": "String", "NoEcho": true },
        "Size": { "Type": "Number", "Default": 3 }
    });
    let app = program(vec![BuiltStack::new("App", template.clone(), vec![])]);
    let cloud = Scripted::new();
    let failure = run_deploy(&cloud, &app, &yes(), false, &[]).result.unwrap_err();
    assert_eq!(failure.kind, FailureKind::Usage);
    assert!(
        failure.message.contains("--parameter App.Password=VALUE --parameter App.Stage=VALUE"),
        "{}",
        failure.message
    );

    let mut options = yes();
    options.parameters.insert(
        "App".into(),
        BTreeMap::from([("Stage".to_string(), "prod".to_string()), ("Password".to_string(), "hunter2".to_string())]),
    );
    let run = run_deploy(&cloud, &app, &options, false, &[]);
    run.result.unwrap();
    assert!(!run.ui.transcript.contains("hunter2"), "a secret is never shown: {}", run.ui.transcript);
    assert_eq!(cloud.parameters("App")["Password"], "hunter2");

    // Later deploys keep the values given before.
    let mut changed = template;
    changed["Resources"]["Queue"]["Properties"] = json!({ "DelaySeconds": 5 });
    let run = run_deploy(&cloud, &program(vec![BuiltStack::new("App", changed, vec![])]), &yes(), false, &[]);
    run.result.unwrap();
    assert_eq!(cloud.parameters("App")["Stage"], "prod");

    options.parameters.insert("App".into(), BTreeMap::from([("Stge".to_string(), "x".to_string())]));
    let failure = run_deploy(&cloud, &app, &options, false, &[]).result.unwrap_err();
    assert!(failure.message.contains("has no parameter `Stge`"), "{}", failure.message);
}

/// The bytes of a template sent without whitespace, as deploy sends it.
fn compact_len(text: &str) -> usize {
    serde_json::to_string(&serde_json::from_str::<serde_json::Value>(text).unwrap()).unwrap().len()
}

#[test]
fn a_template_whose_compact_form_fits_is_sent_inline() {
    let mut template = bucket_stack("App", "Enabled");
    for i in 0..450 {
        template["Resources"][format!("Queue{i:03}WithAFairlyLongLogicalIdentifier")] =
            json!({ "Type": "AWS::SQS::Queue", "Properties": { "DelaySeconds": 5 } });
    }
    let app = program(vec![BuiltStack::new("App", template, vec![])]);
    assert!(app.stacks[0].text.len() > 51_200 && compact_len(&app.stacks[0].text) <= 51_200);
    let cloud = Scripted::new().with_bucket(STAGING);
    let run = run_deploy(&cloud, &app, &yes(), false, &[]);
    assert_eq!(run.result.unwrap(), [("App".to_string(), StackOutcome::Created)]);
    assert!(cloud.uploads().is_empty(), "{:?}", cloud.uploads());
    assert!(cloud.objects(STAGING).is_empty());
}

#[test]
fn a_large_template_goes_through_the_template_bucket() {
    let mut template = bucket_stack("App", "Enabled");
    for i in 0..400 {
        template["Resources"][format!("Queue{i:03}WithAFairlyLongLogicalIdentifier")] = json!({ "Type": "AWS::SQS::Queue", "Properties": { "DelaySeconds": 5, "MessageRetentionPeriod": 1209600 } });
    }
    let app = program(vec![BuiltStack::new("App", template, vec![])]);
    assert!(compact_len(&app.stacks[0].text) > 51_200);
    // Without the staging bucket, the way out is named and nothing changes.
    let cloud = Scripted::new().with_bucket("my-templates");
    let failure = run_deploy(&cloud, &app, &yes(), false, &[]).result.unwrap_err();
    assert_eq!(failure.kind, FailureKind::Failed);
    assert!(failure.message.contains("infrac bootstrap"), "{}", failure.message);
    assert!(failure.message.contains("--template-bucket"), "{}", failure.message);
    assert_eq!(cloud.status("App"), None);

    let options = DeployOptions { template_bucket: Some("my-templates".into()), ..yes() };
    run_deploy(&cloud, &app, &options, false, &[]).result.unwrap();
    let uploads = cloud.uploads();
    assert_eq!(uploads.len(), 1);
    assert!(
        uploads[0].starts_with("https://my-templates.s3.us-east-1.amazonaws.com/infrac/templates/App-"),
        "{uploads:?}"
    );
}

#[test]
fn a_large_template_goes_through_the_staging_bucket_by_default() {
    let mut template = bucket_stack("App", "Enabled");
    for i in 0..600 {
        template["Resources"][format!("Queue{i:03}WithAFairlyLongLogicalIdentifier")] =
            json!({ "Type": "AWS::SQS::Queue", "Properties": { "DelaySeconds": 5 } });
    }
    let app = program(vec![BuiltStack::new("App", template, vec![])]);
    let text = app.stacks[0].text.clone();
    assert!(compact_len(&text) > 51_200);
    let cloud = Scripted::new().with_bucket(STAGING);
    let run = run_deploy(&cloud, &app, &yes(), false, &[]);
    assert_eq!(run.result.unwrap(), [("App".to_string(), StackOutcome::Created)]);
    let key = format!("infrac/templates/App-{}.json", infrac::assets::sha256_hex(text.as_bytes()));
    assert_eq!(cloud.objects(STAGING).get(&key).map(Vec::as_slice), Some(text.as_bytes()), "under its SHA-256");
    assert_eq!(cloud.uploads(), [format!("https://{STAGING}.s3.us-east-1.amazonaws.com/{key}")]);
    assert_eq!(cloud.template("App").as_deref(), Some(text.as_str()), "CloudFormation read it from there");
    assert!(run.ui.transcript.contains(&format!("s3://{STAGING}/{key}")), "{}", run.ui.transcript);

    // A project's own bucket, named in `infrac.toml`, takes it instead.
    let mut own = app.clone();
    own.staging.bucket = "acme-assets-${AWS::Region}".to_string();
    let cloud = Scripted::new().with_bucket("acme-assets-us-east-1");
    assert!(run_deploy(&cloud, &own, &yes(), false, &[]).result.is_ok());
    assert!(cloud.objects("acme-assets-us-east-1").contains_key(&key));
}

#[test]
fn stacks_deploy_in_order_and_are_destroyed_in_reverse() {
    let network = BuiltStack::new("Network", bucket_stack("Network", "Enabled"), vec![]);
    let app = BuiltStack::new("App", bucket_stack("App", "Enabled"), vec!["Network".into()]);
    let both = program(vec![network, app]);
    let cloud = Scripted::new();
    let run = run_deploy(&cloud, &both, &yes(), false, &[]);
    assert_eq!(
        run.result.unwrap(),
        [("Network".to_string(), StackOutcome::Created), ("App".to_string(), StackOutcome::Created)]
    );

    let clock = FakeClock::starting_at(1_765_000_100_000);
    let mut ui = Recorder::new(false);
    let interrupt = AtomicBool::new(false);
    let mut session = Session {
        cloud: &cloud,
        containers: &cloud,
        clock: &clock,
        ui: &mut ui,
        locate: &FakePlaces,
        interrupt: &interrupt,
        colour: false,
    };
    let options = DestroyOptions { stacks: vec!["Network".into()], yes: true, role_arn: None };
    let deleted = destroy(&mut session, &both, &options).unwrap();
    let order: Vec<&str> = deleted.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(order, ["App", "Network"], "App imports from Network, so it goes first");
    assert_eq!(cloud.status("App"), None);
    assert_eq!(cloud.status("Network"), None);
}

#[test]
fn destroy_says_what_a_retain_policy_keeps_and_asks_first() {
    let mut template = bucket_stack("App", "Enabled");
    template["Resources"]["Logs"]["DeletionPolicy"] = json!("Retain");
    let cloud = Scripted::new().with_stack("App", &template, "CREATE_COMPLETE", vec![]);
    let app = program(vec![BuiltStack::new("App", template, vec![])]);
    let clock = FakeClock::starting_at(1_765_000_000_000);
    let interrupt = AtomicBool::new(false);

    let mut ui = Recorder::new(false);
    let mut session = Session {
        cloud: &cloud,
        containers: &cloud,
        clock: &clock,
        ui: &mut ui,
        locate: &FakePlaces,
        interrupt: &interrupt,
        colour: false,
    };
    let failure = destroy(&mut session, &app, &DestroyOptions::default()).unwrap_err();
    assert!(failure.message.contains("--yes"), "{}", failure.message);
    assert!(cloud.status("App").is_some(), "nothing is deleted without confirmation");

    let mut ui = Recorder::new(true);
    ui.answers = vec![true];
    let mut session = Session {
        cloud: &cloud,
        containers: &cloud,
        clock: &clock,
        ui: &mut ui,
        locate: &FakePlaces,
        interrupt: &interrupt,
        colour: false,
    };
    let deleted = destroy(&mut session, &app, &DestroyOptions::default()).unwrap();
    assert_eq!(deleted[0].1.len(), 1);
    insta::assert_snapshot!(ui.transcript);
}

#[test]
fn a_failed_deletion_is_shown_at_the_resource() {
    let cloud = Scripted::new().with_stack("App", &bucket_stack("App", "Enabled"), "CREATE_COMPLETE", vec![]);
    cloud.on_next_operation(Script::new("DELETE_FAILED").batch(&[(
        "Logs",
        "AWS::S3::Bucket",
        "DELETE_FAILED",
        Some("The bucket you tried to delete is not empty"),
    )]));
    let app = program(vec![BuiltStack::new("App", bucket_stack("App", "Enabled"), vec![])]);
    let clock = FakeClock::starting_at(1_765_000_000_000);
    let interrupt = AtomicBool::new(false);
    let mut ui = Recorder::new(false);
    let mut session = Session {
        cloud: &cloud,
        containers: &cloud,
        clock: &clock,
        ui: &mut ui,
        locate: &FakePlaces,
        interrupt: &interrupt,
        colour: false,
    };
    let failure = destroy(&mut session, &app, &DestroyOptions { yes: true, ..Default::default() }).unwrap_err();
    assert_eq!(failure.exit_code(), 1);
    assert!(ui.transcript.contains("error: Logs DELETE_FAILED"), "{}", ui.transcript);
    assert!(ui.transcript.contains("not empty"), "{}", ui.transcript);
}

#[test]
fn drift_is_shown_at_the_property_and_fails_the_run() {
    let template = bucket_stack("App", "Enabled");
    let cloud = Scripted::new().with_stack("App", &template, "CREATE_COMPLETE", vec![]);
    cloud.drift(
        "App",
        vec![
            ResourceDrift {
                logical_id: "Logs".into(),
                physical_id: Some("app-logs".into()),
                resource_type: "AWS::S3::Bucket".into(),
                status: "MODIFIED".into(),
                differences: vec![PropertyDifference {
                    path: "/VersioningConfiguration/Status".into(),
                    expected: "Enabled".into(),
                    actual: "Suspended".into(),
                    kind: "NOT_EQUAL".into(),
                }],
            },
            ResourceDrift {
                logical_id: "Queue".into(),
                physical_id: None,
                resource_type: "AWS::SQS::Queue".into(),
                status: "DELETED".into(),
                differences: vec![],
            },
        ],
    );
    let app = program(vec![BuiltStack::new("App", template.clone(), vec![])]);
    let clock = FakeClock::starting_at(1_765_000_000_000);
    let interrupt = AtomicBool::new(false);
    let mut ui = Recorder::new(false);
    let mut session = Session {
        cloud: &cloud,
        containers: &cloud,
        clock: &clock,
        ui: &mut ui,
        locate: &FakePlaces,
        interrupt: &interrupt,
        colour: false,
    };
    assert!(drift(&mut session, &app, &DriftOptions::default()).unwrap());
    insta::assert_snapshot!(ui.transcript);

    let in_sync = Scripted::new().with_stack("App", &template, "CREATE_COMPLETE", vec![]);
    let mut ui = Recorder::new(false);
    let mut session = Session {
        cloud: &in_sync,
        containers: &in_sync,
        clock: &clock,
        ui: &mut ui,
        locate: &FakePlaces,
        interrupt: &interrupt,
        colour: false,
    };
    assert!(!drift(&mut session, &app, &DriftOptions::default()).unwrap());
    assert_eq!(ui.transcript, "✓ App: in sync (0 resources checked)\n");
}

#[test]
fn ctrl_c_before_execution_deletes_the_change_set() {
    let cloud = Scripted::new().with_stack("App", &bucket_stack("App", "Enabled"), "CREATE_COMPLETE", vec![]);
    let app = program(vec![BuiltStack::new("App", bucket_stack("App", "Suspended"), vec![])]);
    let clock = FakeClock::starting_at(1_765_000_000_000);
    let interrupt = AtomicBool::new(true);
    let mut ui = Recorder::new(false);
    let mut session = Session {
        cloud: &cloud,
        containers: &cloud,
        clock: &clock,
        ui: &mut ui,
        locate: &FakePlaces,
        interrupt: &interrupt,
        colour: false,
    };
    let failure = deploy(&mut session, &app, &yes()).unwrap_err();
    assert_eq!(failure.exit_code(), 130);
    assert!(failure.message.contains("nothing changed"), "{}", failure.message);
    assert!(cloud.pending_change_sets().is_empty());
    assert!(cloud.template("App").unwrap().contains("Enabled"));
}

#[test]
fn ctrl_c_during_an_update_leaves_it_to_cloudformation() {
    let cloud = Scripted::new().with_stack("App", &bucket_stack("App", "Enabled"), "CREATE_COMPLETE", vec![]);
    cloud.on_next_operation(
        Script::new("UPDATE_COMPLETE").batch(&[("Logs", "AWS::S3::Bucket", "UPDATE_IN_PROGRESS", None)]).batch(&[(
            "Logs",
            "AWS::S3::Bucket",
            "UPDATE_COMPLETE",
            None,
        )]),
    );
    let app = program(vec![BuiltStack::new("App", bucket_stack("App", "Suspended"), vec![])]);
    let clock = FakeClock::starting_at(1_765_000_000_000);
    let interrupt = AtomicBool::new(false);
    let mut ui = InterruptingUi { inner: Recorder::new(false), interrupt: &interrupt };
    let mut session = Session {
        cloud: &cloud,
        containers: &cloud,
        clock: &clock,
        ui: &mut ui,
        locate: &FakePlaces,
        interrupt: &interrupt,
        colour: false,
    };
    let failure = deploy(&mut session, &app, &yes()).unwrap_err();
    assert_eq!(failure.exit_code(), 130);
    assert!(failure.message.contains("CloudFormation goes on with the update"), "{}", failure.message);
    assert_eq!(cloud.status("App").as_deref(), Some("UPDATE_IN_PROGRESS"));
}

/// Presses Ctrl-C when the first resource event is shown.
struct InterruptingUi<'a> {
    inner: Recorder,
    interrupt: &'a AtomicBool,
}

impl infrac_lifecycle::ui::Ui for InterruptingUi<'_> {
    fn interactive(&self) -> bool {
        false
    }
    fn say(&mut self, text: &str) {
        if text.contains("UPDATE_IN_PROGRESS") && text.contains("Logs") {
            self.interrupt.store(true, std::sync::atomic::Ordering::SeqCst);
        }
        self.inner.say(text);
    }
    fn confirm(&mut self, question: &str) -> bool {
        self.inner.confirm(question)
    }
    fn status(&mut self, lines: &[String]) {
        self.inner.status(lines);
    }
}

// --- File assets ---------------------------------------------------------------

const STAGING: &str = "infrac-assets-123456789012-us-east-1";

/// A stack whose function's code is the asset `key`.
fn function_stack(name: &str, key: &str) -> BuiltStack {
    let template = json!({
        "Resources": {
            "Api": {
                "Type": "AWS::Lambda::Function",
                "Properties": {
                    "Runtime": "python3.12",
                    "Handler": "index.handler",
                    "Role": "arn:aws:iam::123456789012:role/lambda",
                    "Code": { "S3Bucket": { "Fn::Sub": "infrac-assets-${AWS::AccountId}-${AWS::Region}" }, "S3Key": key }
                }
            }
        }
    });
    BuiltStack::new(name, template, vec![]).with_assets(vec![key.to_string()])
}

fn with_assets(stacks: Vec<BuiltStack>, assets: &[(&str, &[u8])]) -> Program {
    let mut program = program(stacks);
    program.assets = assets
        .iter()
        .map(|(key, bytes)| FileAsset { key: key.to_string(), path: "src".to_string(), bytes: bytes.to_vec() })
        .collect();
    program
}

#[test]
fn assets_are_uploaded_before_any_change_set_and_only_once() {
    let cloud = Scripted::new().with_bucket(STAGING);
    let app = with_assets(vec![function_stack("App", "aaa.zip")], &[("aaa.zip", b"zip bytes")]);
    let run = run_deploy(&cloud, &app, &yes(), false, &[]);
    assert_eq!(run.result.unwrap(), [("App".to_string(), StackOutcome::Created)]);
    assert_eq!(cloud.objects(STAGING).get("aaa.zip").map(Vec::as_slice), Some(&b"zip bytes"[..]));
    let calls = cloud.calls();
    assert_eq!(
        calls[..4],
        [
            "GetCallerIdentity",
            &format!("ListObjectsV2 {STAGING}/aaa.zip"),
            &format!("PutObject {STAGING}/aaa.zip"),
            "DescribeStacks App"
        ]
    );
    assert!(run.ui.transcript.contains("asset src: uploaded aaa.zip (9 bytes)"), "{}", run.ui.transcript);

    // The same program again: the object is there, nothing is uploaded.
    let before = cloud.calls().len();
    let again = run_deploy(&cloud, &app, &yes(), false, &[]);
    assert!(again.result.is_ok());
    let calls = cloud.calls()[before..].to_vec();
    assert!(calls.contains(&format!("ListObjectsV2 {STAGING}/aaa.zip")), "{calls:?}");
    assert!(!calls.iter().any(|call| call.starts_with("PutObject")), "{calls:?}");
    assert!(again.ui.transcript.contains("1 asset already published"), "{}", again.ui.transcript);
}

#[test]
fn only_the_deployed_stacks_assets_are_published_each_once() {
    let cloud = Scripted::new().with_bucket(STAGING);
    let app = with_assets(
        vec![function_stack("Api", "api.zip"), function_stack("Also", "api.zip"), function_stack("Jobs", "jobs.zip")],
        &[("api.zip", b"api"), ("jobs.zip", b"jobs")],
    );
    let options = DeployOptions { stacks: vec!["Api".into(), "Also".into()], ..yes() };
    let run = run_deploy(&cloud, &app, &options, false, &[]);
    assert!(run.result.is_ok());
    assert_eq!(cloud.objects(STAGING).keys().collect::<Vec<_>>(), ["api.zip"]);
    assert_eq!(cloud.calls().iter().filter(|c| c.starts_with("PutObject")).count(), 1);
}

#[test]
fn a_missing_staging_bucket_fails_before_any_stack_and_says_to_bootstrap() {
    let cloud = Scripted::new();
    let app = with_assets(vec![function_stack("App", "aaa.zip")], &[("aaa.zip", b"zip")]);
    let run = run_deploy(&cloud, &app, &yes(), false, &[]);
    let failure = run.result.unwrap_err();
    assert_eq!(failure.kind, FailureKind::Failed);
    assert!(failure.message.contains(STAGING) && failure.message.contains("infrac bootstrap"), "{}", failure.message);
    assert_eq!(cloud.calls(), ["GetCallerIdentity", &format!("ListObjectsV2 {STAGING}/aaa.zip")]);
}

#[test]
fn an_upload_that_fails_changes_no_stack() {
    let cloud = Scripted::new().with_bucket(STAGING);
    cloud.fail_next("PutObject", CloudError::new(ErrorKind::AccessDenied, Some("AccessDenied"), "Access Denied"));
    let app = with_assets(
        vec![BuiltStack::new("First", bucket_stack("First", "Enabled"), vec![]), function_stack("App", "aaa.zip")],
        &[("aaa.zip", b"zip")],
    );
    let run = run_deploy(&cloud, &app, &yes(), false, &[]);
    assert_eq!(run.result.unwrap_err().kind, FailureKind::Environment);
    assert!(!cloud.calls().iter().any(|call| call.contains("ChangeSet") || call.starts_with("DescribeStacks")));
    assert_eq!(cloud.status("First"), None);
}

// --- Image assets --------------------------------------------------------------

/// A stack whose task runs the image tagged `tag`, built from `context`.
fn image_program(stacks: &[(&str, &str)], images: &[(&str, &str)]) -> Program {
    let uri =
        |tag: &str| format!("${{AWS::AccountId}}.dkr.ecr.${{AWS::Region}}.${{AWS::URLSuffix}}/infrac-assets:{tag}");
    let mut program = program(
        stacks
            .iter()
            .map(|(name, tag)| {
                let template = json!({
                    "Resources": { "Task": { "Type": "AWS::ECS::TaskDefinition", "Properties": {
                        "ContainerDefinitions": [{ "Name": "web", "Image": { "Fn::Sub": uri(tag) } }]
                    } } }
                });
                BuiltStack::new(name, template, vec![]).with_images(vec![tag.to_string()])
            })
            .collect(),
    );
    program.images = images
        .iter()
        .map(|(context, tag)| infrac::assets::images::Image {
            path: context.to_string(),
            options: Default::default(),
            tag: tag.to_string(),
            files: vec!["Dockerfile".to_string()],
            repository: Repository::Staging("infrac-assets".to_string()),
        })
        .collect();
    program
}

#[test]
fn images_are_built_and_pushed_before_any_change_set_and_only_once() {
    let cloud = Scripted::new().with_repository("infrac-assets");
    let app = image_program(&[("Web", "t1"), ("Api", "t2")], &[("web", "t1"), ("api", "t2")]);
    let run = run_deploy(&cloud, &app, &yes(), false, &[]);
    assert!(run.result.is_ok(), "{:?}", run.result);
    let registry = "123456789012.dkr.ecr.us-east-1.amazonaws.com";
    let calls = cloud.calls();
    let at = |call: &str| calls.iter().position(|c| c == call).unwrap_or_else(|| panic!("no {call}: {calls:?}"));
    // Checked, then one login, then each image built and pushed (the two
    // in parallel), before any stack.
    let login = at(&format!("login {registry} AWS"));
    assert!(at("DescribeImages infrac-assets:t1") < at("GetAuthorizationToken"), "{calls:?}");
    assert!(at("DescribeImages infrac-assets:t2") < at("GetAuthorizationToken"), "{calls:?}");
    assert!(at("GetAuthorizationToken") < login, "{calls:?}");
    for (context, tag) in [("web", "t1"), ("api", "t2")] {
        let build = at(&format!("build {context} {registry}/infrac-assets:{tag}"));
        assert!(login < build && build < at(&format!("push {registry}/infrac-assets:{tag}")), "{calls:?}");
        assert!(at(&format!("push {registry}/infrac-assets:{tag}")) < at("DescribeStacks Web"), "{calls:?}");
    }
    assert_eq!(calls.iter().filter(|c| c.starts_with("login")).count(), 1);
    let web = run.ui.transcript.find("image web: pushed").expect("web pushed");
    let api = run.ui.transcript.find("image api: pushed").expect("api pushed");
    assert!(web < api, "told in the program's order: {}", run.ui.transcript);
    assert!(
        run.ui.transcript.contains(&format!("image web: pushed {registry}/infrac-assets:t1")),
        "{}",
        run.ui.transcript
    );

    let before = cloud.calls().len();
    let again = run_deploy(&cloud, &app, &yes(), false, &[]);
    assert!(again.result.is_ok());
    let calls = cloud.calls()[before..].to_vec();
    assert!(
        !calls.iter().any(|c| c.starts_with("build") || c.starts_with("push") || c.starts_with("login")),
        "{calls:?}"
    );
    assert!(again.ui.transcript.contains("2 images already published"), "{}", again.ui.transcript);
}

#[test]
fn a_registry_override_takes_the_pushes() {
    let cloud = Scripted::new().with_repository("infrac-assets");
    let app = image_program(&[("Web", "t1")], &[("web", "t1")]);
    let publish = PublishOptions { registry: Some("127.0.0.1:5000".into()), ..Default::default() };
    let options = DeployOptions { publish, ..yes() };
    assert!(run_deploy(&cloud, &app, &options, false, &[]).result.is_ok());
    assert_eq!(cloud.pushed(), ["127.0.0.1:5000/infrac-assets:t1"]);
    assert!(cloud.calls().contains(&"login 127.0.0.1:5000 AWS".to_string()));

    // ECR never heard of that push; the registry itself is asked, and
    // holds the tag: nothing is built or pushed again.
    let before = cloud.calls().len();
    let again = run_deploy(&cloud, &app, &options, false, &[]);
    assert!(again.result.is_ok());
    let calls = cloud.calls()[before..].to_vec();
    assert!(calls.contains(&"DescribeImages infrac-assets:t1".to_string()), "{calls:?}");
    assert!(calls.contains(&"manifest 127.0.0.1:5000/infrac-assets:t1".to_string()), "{calls:?}");
    assert!(!calls.iter().any(|c| c.starts_with("build") || c.starts_with("push")), "{calls:?}");
    assert!(again.ui.transcript.contains("1 image already published"), "{}", again.ui.transcript);
}

#[test]
fn an_image_that_does_not_build_changes_no_stack() {
    let cloud = Scripted::new().with_repository("infrac-assets");
    cloud.fail_next("build", CloudError::new(ErrorKind::Service, None, "Dockerfile:2: unknown instruction: RUNN"));
    let app = image_program(&[("Web", "t1")], &[("web", "t1")]);
    let failure = run_deploy(&cloud, &app, &yes(), false, &[]).result.unwrap_err();
    assert_eq!(failure.kind, FailureKind::Failed);
    assert!(failure.message.contains("`web` did not build") && failure.message.contains("RUNN"), "{}", failure.message);
    assert!(!cloud.calls().iter().any(|call| call.starts_with("DescribeStacks") || call.starts_with("push")));
}

#[test]
fn a_missing_staging_repository_says_to_bootstrap() {
    let cloud = Scripted::new();
    let app = image_program(&[("Web", "t1")], &[("web", "t1")]);
    let failure = run_deploy(&cloud, &app, &yes(), false, &[]).result.unwrap_err();
    assert!(failure.message.contains("infrac bootstrap"), "{}", failure.message);
    assert_eq!(cloud.calls(), ["DescribeImages infrac-assets:t1"]);
}

/// `Images` holds the user's repository `Repo`; `App` runs the image
/// tagged `t1` from it.
fn own_repository_program() -> Program {
    let images = json!({ "Resources": { "Repo": { "Type": "AWS::ECR::Repository" } },
        "Outputs": { "RepoName": { "Value": { "Ref": "Repo" }, "Export": { "Name": "Images-Repo" } } } });
    let uri = "${AWS::AccountId}.dkr.ecr.${AWS::Region}.${AWS::URLSuffix}/${Var0}:t1";
    let app = json!({ "Resources": { "Task": { "Type": "AWS::ECS::TaskDefinition", "Properties": {
        "ContainerDefinitions": [{ "Name": "web", "Image": { "Fn::Sub": [uri, { "Var0": { "Fn::ImportValue": "Images-Repo" } }] } }]
    } } } });
    let mut program = program(vec![
        BuiltStack::new("Images", images, vec![]),
        BuiltStack::new("App", app, vec!["Images".into()]).with_images(vec!["t1".into()]),
    ]);
    program.images = vec![infrac::assets::images::Image {
        path: "web".into(),
        options: Default::default(),
        tag: "t1".into(),
        files: vec!["Dockerfile".into()],
        repository: Repository::Stack { stack: "Images".into(), logical_id: "Repo".into() },
    }];
    program
}

#[test]
fn an_image_for_the_users_repository_is_pushed_after_its_stack_and_before_the_one_that_runs_it() {
    // The scripted stack names the repository `images-repo`.
    let cloud = Scripted::new().with_repository("images-repo");
    let app = own_repository_program();
    let run = run_deploy(&cloud, &app, &yes(), false, &[]);
    assert!(run.result.is_ok(), "{:?}", run.result);
    let registry = "123456789012.dkr.ecr.us-east-1.amazonaws.com";
    let calls = cloud.calls();
    let at = |call: &str| calls.iter().position(|c| c == call).unwrap_or_else(|| panic!("no {call}: {calls:?}"));
    assert!(at("ExecuteChangeSet Images infrac-1765000000000") < at("ListStackResources Images"), "{calls:?}");
    assert!(at("ListStackResources Images") < at("DescribeImages images-repo:t1"), "{calls:?}");
    assert!(at(&format!("push {registry}/images-repo:t1")) < at("CreateChangeSet App CREATE"), "{calls:?}");
    assert_eq!(cloud.pushed(), [format!("{registry}/images-repo:t1")]);
    assert!(!calls.iter().any(|c| c.contains("infrac-assets")), "the staging repository is not used: {calls:?}");

    // Deployed again: the repository holds the tag, nothing is pushed.
    let before = cloud.calls().len();
    assert!(run_deploy(&cloud, &app, &yes(), false, &[]).result.is_ok());
    assert!(!cloud.calls()[before..].iter().any(|c| c.starts_with("build") || c.starts_with("push")));
}

#[test]
fn an_image_for_a_repository_whose_stack_is_not_deployed_says_so() {
    let cloud = Scripted::new();
    let app = own_repository_program();
    let options = DeployOptions { stacks: vec!["App".into()], ..yes() };
    // `--stack App` deploys Images too; a program that skips it cannot.
    let mut only_app = app.clone();
    only_app.stacks.remove(0);
    only_app.stacks[0].depends_on.clear();
    let failure = run_deploy(&cloud, &only_app, &options, false, &[]).result.unwrap_err();
    assert!(failure.message.contains("the stack Images, which is not deployed"), "{}", failure.message);
    assert!(failure.message.contains("infrac deploy --stack Images"), "{}", failure.message);
    assert_eq!(cloud.status("App"), None);
}

/// A container tool whose builds take a while, counting how many run at
/// once; pushes go nowhere.
struct SlowBuilds {
    running: std::sync::atomic::AtomicUsize,
    most: std::sync::atomic::AtomicUsize,
}

impl infrac_lifecycle::containers::Containers for SlowBuilds {
    fn build(
        &self,
        request: &infrac_lifecycle::containers::BuildRequest,
        output: &mut dyn FnMut(&str),
    ) -> Result<(), String> {
        use std::sync::atomic::Ordering::SeqCst;
        let now = self.running.fetch_add(1, SeqCst) + 1;
        self.most.fetch_max(now, SeqCst);
        output(&format!("STEP 1/1: FROM scratch ({})", request.context));
        std::thread::sleep(std::time::Duration::from_millis(100));
        self.running.fetch_sub(1, SeqCst);
        if request.context == "broken" {
            return Err("exit status 1".into());
        }
        Ok(())
    }

    fn login(&self, _: &str, _: &str, _: &str) -> Result<(), String> {
        Ok(())
    }

    fn exists(&self, _: &str) -> Result<bool, String> {
        Ok(false)
    }

    fn push(&self, _: &str) -> Result<(), String> {
        Ok(())
    }
}

fn publish_with(
    cloud: &Scripted,
    containers: &SlowBuilds,
    program: &Program,
    interactive: bool,
) -> (Recorder, Result<infrac_lifecycle::publish::Published, Failure>) {
    let clock = FakeClock::starting_at(1_765_000_000_000);
    let mut ui = Recorder::new(interactive);
    let interrupt = AtomicBool::new(false);
    let result = {
        let mut session = Session {
            cloud,
            containers,
            clock: &clock,
            ui: &mut ui,
            locate: &FakePlaces,
            interrupt: &interrupt,
            colour: false,
        };
        let stacks: Vec<&BuiltStack> = program.stacks.iter().collect();
        infrac_lifecycle::publish::publish(&mut session, program, &stacks, &PublishOptions::default())
    };
    (ui, result)
}

#[test]
fn images_build_in_parallel_four_at_a_time_and_are_told_in_order() {
    let contexts = ["a", "b", "c", "d", "e", "f"];
    let stacks: Vec<(&str, &str)> = contexts.iter().map(|c| (*c, *c)).collect();
    let images: Vec<(&str, &str)> = contexts.iter().map(|c| (*c, *c)).collect();
    let app = image_program(&stacks, &images);
    let cloud = Scripted::new().with_repository("infrac-assets");
    let tool = SlowBuilds { running: Default::default(), most: Default::default() };
    let started = std::time::Instant::now();
    let (ui, result) = publish_with(&cloud, &tool, &app, false);
    assert_eq!(result.unwrap().pushed, contexts);
    assert_eq!(tool.most.load(std::sync::atomic::Ordering::SeqCst), 4, "at most four at once, and four");
    assert!(started.elapsed() < std::time::Duration::from_millis(550), "six 100 ms builds, four at a time");
    let told: Vec<&str> = ui.transcript.lines().filter(|l| l.starts_with("image ")).collect();
    let expected: Vec<String> = contexts
        .iter()
        .map(|c| format!("image {c}: pushed 123456789012.dkr.ecr.us-east-1.amazonaws.com/infrac-assets:{c}"))
        .collect();
    assert_eq!(told, expected, "in the program's order, one line each: the build output is collapsed");
    assert!(!ui.transcript.contains("STEP"), "{}", ui.transcript);
}

#[test]
fn a_build_streams_into_the_status_block_and_is_shown_in_full_when_it_fails() {
    let app = image_program(&[("Web", "t1"), ("Bad", "t2")], &[("web", "t1"), ("broken", "t2")]);
    let cloud = Scripted::new().with_repository("infrac-assets");
    let tool = SlowBuilds { running: Default::default(), most: Default::default() };
    let (ui, result) = publish_with(&cloud, &tool, &app, true);
    let failure = result.unwrap_err();
    assert_eq!(failure.kind, FailureKind::Failed);
    assert!(
        failure.message.contains("the image in `broken` did not build")
            && failure.message.contains("STEP 1/1: FROM scratch (broken)")
            && failure.message.contains("exit status 1"),
        "{}",
        failure.message
    );
    let shown: Vec<&String> = ui.screens.iter().flatten().collect();
    assert!(shown.iter().any(|line| *line == "image web: STEP 1/1: FROM scratch (web)"), "{shown:?}");
    assert_eq!(ui.screens.last().map(Vec::len), Some(0), "the status block is cleared at the end");
    assert!(ui.transcript.contains("image web: pushed"), "the other image still went: {}", ui.transcript);
}

#[test]
fn every_asset_that_cannot_be_checked_is_reported_before_anything_is_uploaded() {
    let cloud = Scripted::new();
    let app = with_assets(
        vec![function_stack("Api", "api.zip"), function_stack("Jobs", "jobs.zip")],
        &[("api.zip", b"api"), ("jobs.zip", b"jobs")],
    );
    let run = run_deploy(&cloud, &app, &yes(), false, &[]);
    let failure = run.result.unwrap_err();
    assert!(failure.message.contains("infrac bootstrap") && failure.message.contains("--staging-bucket"));
    assert!(!cloud.calls().iter().any(|c| c.starts_with("PutObject") || c.starts_with("DescribeStacks")));
}

#[test]
fn a_projects_own_bucket_and_repository_take_the_assets_and_images() {
    let cloud = Scripted::new().with_bucket("acme-assets-us-east-1").with_repository("acme/images");
    let mut app = with_assets(vec![function_stack("App", "aaa.zip")], &[("aaa.zip", b"zip")]);
    let images = image_program(&[("Web", "t1")], &[("web", "t1")]);
    app.stacks.extend(images.stacks);
    app.images = images.images;
    app.images[0].repository = Repository::Staging("acme/images".into());
    app.staging =
        infrac::assets::Staging { bucket: "acme-assets-${AWS::Region}".into(), repository: "acme/images".into() };
    let run = run_deploy(&cloud, &app, &yes(), false, &[]);
    assert!(run.result.is_ok(), "{:?}", run.result);
    assert!(cloud.objects("acme-assets-us-east-1").contains_key("aaa.zip"));
    assert_eq!(cloud.pushed(), ["123456789012.dkr.ecr.us-east-1.amazonaws.com/acme/images:t1"]);
    assert!(!cloud.calls().iter().any(|c| c.contains(STAGING) || c.contains("infrac-assets")), "{:?}", cloud.calls());
}

#[test]
fn ctrl_c_while_publishing_starts_nothing_more_and_deploys_nothing() {
    let cloud = Scripted::new().with_bucket(STAGING);
    let app = with_assets(vec![function_stack("App", "aaa.zip")], &[("aaa.zip", b"zip")]);
    let clock = FakeClock::starting_at(1_765_000_000_000);
    let mut ui = Recorder::new(false);
    let interrupt = AtomicBool::new(true);
    let mut session = Session {
        cloud: &cloud,
        containers: &cloud,
        clock: &clock,
        ui: &mut ui,
        locate: &FakePlaces,
        interrupt: &interrupt,
        colour: false,
    };
    let failure = deploy(&mut session, &app, &yes()).unwrap_err();
    assert_eq!(failure.kind, FailureKind::Interrupted);
    assert!(failure.message.contains("asset src: not published"), "{}", failure.message);
    assert!(!cloud.calls().iter().any(|c| c.starts_with("PutObject") || c.starts_with("DescribeStacks")));
}
