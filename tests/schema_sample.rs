//! Generated resources: for a deterministic sample of resource types (every
//! fifth type name), build the smallest resource the schema allows (its
//! required properties, one option of each required alternative, recursively
//! for nested objects) and check that infrac accepts it with no errors.
//!
//! With `INFRAC_SCHEMA_SAMPLE_DIR=DIR cargo test --test schema_sample`, the
//! generated programs are also written to `DIR/*.infra`, one per type;
//! `.ci/schema-sample.sh` compiles them and runs cfn-lint over the templates.
//! Types cfn-lint rejects for a rule the schema does not express are listed in
//! [`CFN_LINT_EXCLUSIONS`] with the reason, and are not written.

#[path = "support/synth.rs"]
mod synth;

use std::fmt::Write;

use infrac::diagnostics::{render, Code};
use infrac::schema;
use infrac::schema::validate::{self, pattern_matches, Field, Node, NodeValue, Options};
use infrac::source::{SourceMap, Span};
use synth::{generate, Synth};

/// Every how-many-th type name (sorted) is sampled.
const STRIDE: usize = 5;

/// The sampled type names.
fn sample() -> Vec<&'static str> {
    schema::type_names().step_by(STRIDE).collect()
}

/// Sampled types whose minimal resource cfn-lint rejects for a rule the schema
/// does not express (cfn-lint's own extension schemas), with the reason.
/// They are still compiled by infrac, but not written for cfn-lint.
const CFN_LINT_EXCLUSIONS: &[(&str, &str)] = &[
    // cfn-lint checks templates against us-east-1 unless told otherwise.
    ("AMZN::SDC::Deployment", "not available in us-east-1"),
    ("AWS::DeviceFarm::TestGridProject", "not available in us-east-1"),
    ("AWS::DynamoDB::Backup", "not available in us-east-1"),
    ("AWS::IoTManagedIntegrations::ProvisioningProfile", "not available in us-east-1"),
    ("AWS::NetworkManager::Connection", "not available in us-east-1"),
    // Rules from cfn-lint's own extension schemas, which the embedded data does not carry.
    ("AWS::AppStream::Fleet", "InstanceType must be a known AppStream instance type (E3621)"),
    (
        "AWS::CodePipeline::Pipeline",
        "stage and action names must be unique and the first stage a Source (E3002, E3700)",
    ),
    ("AWS::SageMaker::InferenceExperiment", "InstanceType must be a known SageMaker instance type (E3642)"),
    ("AWS::SSM::Document", "Content must be an SSM document with `schemaVersion` (E3051)"),
    ("AWS::Logs::Transformer", "each processor must set one property (minProperties, dropped by the generator)"),
    // Data the generator (tools/cfn-spec/generate.py) drops: `enumCaseInsensitive` holds the
    // allowed values themselves, and `required` inside a top-level `allOf`.
    ("AWS::Batch::ComputeEnvironment", "Type's case-insensitive enum is missing from the data"),
    ("AWS::EC2::IPAMPool", "AddressFamily's case-insensitive enum is missing from the data"),
    ("AWS::EC2::NetworkAclEntry", "RuleAction's case-insensitive enum is missing from the data"),
    ("AWS::ElasticLoadBalancing::LoadBalancer", "Listeners.Protocol's case-insensitive enum is missing from the data"),
    (
        "AWS::CloudWatch::MetricStream",
        "FirehoseArn, RoleArn and OutputFormat are required in an `allOf` the data drops",
    ),
];

// --- the tests ------------------------------------------------------------------

fn compile(name: &str, text: &str) -> (bool, String, Vec<Code>) {
    let mut sources = SourceMap::new();
    let file = sources.add(name.to_string(), text.to_string());
    let compilation = infrac::compile(&mut sources, &[file]);
    let rendered = render::plain(&sources, &compilation.diagnostics);
    let codes = compilation.diagnostics.iter().map(|d| d.code).collect();
    (compilation.has_errors(), rendered, codes)
}

/// `AWS::S3::Bucket` -> `aws-s3-bucket.infra`.
fn file_name(type_name: &str) -> String {
    format!("{}.infra", type_name.replace("::", "-").to_ascii_lowercase())
}

#[test]
fn minimal_resources_compile() {
    let out_dir = std::env::var_os("INFRAC_SCHEMA_SAMPLE_DIR").map(std::path::PathBuf::from);
    if let Some(dir) = &out_dir {
        std::fs::create_dir_all(dir).expect("the sample directory can be created");
    }
    let types = sample();
    let mut compiled = 0;
    let mut skipped: Vec<(&str, String)> = Vec::new();
    let mut warned: Vec<(&str, Vec<Code>)> = Vec::new();
    let mut failures = String::new();
    let mut written = 0;
    for type_name in &types {
        let resource = schema::resource_type(type_name).expect("sampled names exist");
        let program = match (Synth { resource }).program() {
            Ok(program) => program,
            Err(why) => {
                skipped.push((type_name, why));
                continue;
            }
        };
        let name = file_name(type_name);
        let (errors, rendered, codes) = compile(&name, &program);
        compiled += 1;
        if errors {
            writeln!(failures, "--- {type_name}\n{program}{rendered}").unwrap();
            continue;
        }
        if !codes.is_empty() {
            warned.push((type_name, codes));
        }
        if let Some(dir) = &out_dir {
            if !CFN_LINT_EXCLUSIONS.iter().any(|(excluded, _)| excluded == type_name) {
                std::fs::write(dir.join(&name), &program).expect("the sample program can be written");
                written += 1;
            }
        }
    }
    eprintln!(
        "schema sample: {} types sampled, {compiled} compiled, {} skipped (cannot synthesize), {} with warnings, {written} written",
        types.len(),
        skipped.len(),
        warned.len()
    );
    for (type_name, why) in &skipped {
        eprintln!("  skipped {type_name}: {why}");
    }
    for (type_name, codes) in &warned {
        eprintln!("  warned {type_name}: {codes:?}");
    }
    assert!(failures.is_empty(), "minimal resources that infrac rejects:\n{failures}");
    assert!(types.len() >= 300, "the sample has {} types", types.len());
    assert!(skipped.len() * 10 <= types.len(), "more than a tenth of the sample cannot be synthesized");
}

/// Every exclusion names a sampled type, so that the list does not rot.
#[test]
fn exclusions_are_sampled_types() {
    let types = sample();
    for (type_name, reason) in CFN_LINT_EXCLUSIONS {
        assert!(types.contains(type_name), "{type_name} is excluded ({reason}) but not sampled");
    }
}

/// A type missing from a `--region` the user targets is a warning.
#[test]
fn region_availability() {
    let mut sources = SourceMap::new();
    let file = sources.add("farm.infra", "resource farm: AWS::DeviceFarm::Project { Name: \"app\" }\n");
    let type_span = Span::new(file, 15..39);
    let name = Field {
        key: "Name".to_string(),
        key_span: Span::new(file, 42..46),
        value: Node { span: Span::new(file, 48..53), value: NodeValue::String("app".to_string()) },
    };
    let body = Node { span: Span::new(file, 40..55), value: NodeValue::Object(vec![name]) };
    // Device Farm exists only in us-west-2.
    let farm = schema::resource_type("AWS::DeviceFarm::Project").expect("the data has Device Farm");
    let check = |regions: &[&str]| {
        let options = Options { regions: regions.iter().map(|r| r.to_string()).collect(), ..Default::default() };
        validate::check_properties(farm, type_span, &body, &options)
    };
    assert_eq!(check(&[]), []);
    assert_eq!(check(&["us-west-2"]), []);
    let diagnostics = check(&["us-west-2", "eu-west-1", "eu-west-2"]);
    assert_eq!(diagnostics.iter().map(|d| d.code).collect::<Vec<_>>(), [Code::UnavailableResourceType]);
    assert!(!diagnostics[0].is_error());
    let rendered = render::plain(&sources, &diagnostics);
    assert!(rendered.contains("not available in `eu-west-1` and `eu-west-2`"), "{rendered}");
}

#[test]
fn the_generator_matches_its_patterns() {
    for pattern in [
        r"^[a-zA-Z0-9_-]+$",
        r"^arn:aws[-a-z0-9]*:connect:[-a-z0-9]*:[0-9]{12}:instance/[-a-zA-Z0-9]*$",
        r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$",
        r"^[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$",
        r"^[^\/#:\n]{1,64}$",
        r"^(none|whitelist|allExcept|all)$",
    ] {
        let generated = generate::from_pattern(pattern, 1).unwrap_or_else(|| panic!("{pattern}"));
        assert_eq!(pattern_matches(pattern, &generated), Some(true), "{pattern} -> {generated:?}");
    }
}
