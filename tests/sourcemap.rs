//! The source map (`src/sourcemap.rs`, `<Stack>.sources.json`): which
//! declaration each logical ID of a template comes from, and the
//! diagnostics `infrac deploy` and `infrac drift` build from it.
//!
//! Each program's map is snapshotted in a readable form: every logical ID
//! with its path, the text at the recorded location (so that a wrong span
//! shows), the library's declaration and the properties.

mod support;

use infrac::diagnostics::{render, Code};
use infrac::source::SourceMap;
use infrac::sourcemap::{self, SourceLocation, StackSourceMap};

/// Compiles `files`, every one an entry, and returns the source map of
/// every stack, read back from its JSON.
fn maps(files: &[(&str, &str)]) -> (SourceMap, Vec<StackSourceMap>) {
    let files: Vec<(String, String)> = files.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect();
    let mut sources = SourceMap::new();
    let ids: Vec<_> = files.iter().map(|(name, text)| sources.add(name.clone(), text.clone())).collect();
    let compilation = infrac::compile(&mut sources, &ids);
    assert!(
        compilation.diagnostics.is_empty(),
        "the program should compile cleanly:\n{}",
        render::plain(&sources, &compilation.diagnostics)
    );
    let maps = infrac::source_map(&sources, &compilation)
        .into_iter()
        .map(|(name, json)| {
            let map = StackSourceMap::from_json(&json).expect("a source map reads back");
            assert_eq!(name, format!("{}.sources.json", map.stack));
            assert_eq!(map.to_json(), json, "the JSON round-trips");
            map
        })
        .collect();
    (sources, maps)
}

/// The source map as a reviewer reads it.
fn describe(sources: &SourceMap, maps: &[StackSourceMap]) -> String {
    let at = |location: &SourceLocation| {
        let (_, file) = sources.files().find(|(_, f)| f.name == location.file).expect("a file of the build");
        let text = &file.text[location.start as usize..location.end as usize];
        format!("{}:{}:{} `{text}`", location.file, location.line, location.column)
    };
    let mut out = String::new();
    for map in maps {
        out.push_str(&format!("stack {}\n", map.stack));
        for (section, entries) in
            [("parameter", &map.parameters), ("resource", &map.resources), ("output", &map.outputs)]
        {
            for (id, declaration) in entries.iter() {
                out.push_str(&format!("  {section} {id}: {} at {}\n", declaration.path, at(&declaration.at)));
                if let Some((construct, location)) = &declaration.library {
                    out.push_str(&format!("    created by {construct} at {}\n", at(location)));
                }
                for (name, location) in &declaration.properties {
                    out.push_str(&format!("    {name} at {}\n", at(location)));
                }
            }
        }
    }
    out
}

#[track_caller]
fn snapshot(name: &str, files: &[(&str, &str)]) {
    let (sources, maps) = maps(files);
    insta::assert_snapshot!(name, describe(&sources, &maps));
}

#[test]
fn plain_resource() {
    snapshot(
        "plain_resource",
        &[(
            "app.infra",
            r#"/// Where the logs go.
param retention: number = 30

resource logs: AWS::Logs::LogGroup {
  RetentionInDays: retention
  LogGroupClass: "STANDARD"
}

output logs_arn = logs.Arn
"#,
        )],
    );
}

#[test]
fn looped_resource() {
    snapshot(
        "looped_resource",
        &[(
            "app.infra",
            r#"resource queue: AWS::SQS::Queue for name, timeout in { orders: 60, billing: 300 } {
  VisibilityTimeout: timeout
}

resource topic: AWS::SNS::Topic for n in range(2) {}
"#,
        )],
    );
}

/// What a standard-library construct creates is the user's instance's
/// doing; properties an `@override` sets are where the user wrote them.
#[test]
fn construct_instance() {
    snapshot(
        "construct_instance",
        &[(
            "app.infra",
            r#"@override("bucket", { ObjectLockEnabled: false })
resource site: s3.Bucket {
  versioned: false
}
"#,
        )],
    );
}

/// A user's construct holding a library one, itself holding another: the
/// innermost declaration in the user's code is the one shown.
#[test]
fn nested_instance() {
    snapshot(
        "nested_instance",
        &[(
            "app.infra",
            r#"construct Worker {
  param code: string

  resource fn: lambda.Function {
    runtime: "python3.12"
    code: code
  }

  resource marker: AWS::SSM::Parameter {
    Type: "String"
    Value: fn.name
  }
}

resource jobs: Worker for name in ["a"] {
  code: "def handler(event, context):\n    return name\n"
}
"#,
        )],
    );
}

/// Two stacks in one file, a third, in another, built from a library
/// construct (an environment); the export a cross-stack reference makes is
/// shown at the reference.
#[test]
fn multi_stack_program() {
    snapshot(
        "multi_stack_program",
        &[
            (
                "app.infra",
                r#"stack Network {
  resource vpc: AWS::EC2::VPC {
    CidrBlock: "10.0.0.0/16"
  }
}

stack Service {
  resource group: AWS::EC2::SecurityGroup {
    GroupDescription: "the service"
    VpcId: Network.vpc
  }
}
"#,
            ),
            (
                "logs.infra",
                r#"stack Logs: logs.LogGroup {
  retention_days: 7
}
"#,
            ),
        ],
    );
}

/// The file format itself, for the tools that read it.
#[test]
fn json_format() {
    let (_, maps) = maps(&[(
        "app.infra",
        r#"resource queue: sqs.Queue {
  dead_letter: false
}
"#,
    )]);
    insta::assert_snapshot!("json_format", infrac::backend::to_text(&maps[0].to_json()));
}

#[test]
fn the_manifest_names_each_source_map() {
    let mut sources = SourceMap::new();
    let file = sources.add("app.infra", "resource logs: AWS::S3::Bucket {}\n");
    let compilation = infrac::compile(&mut sources, &[file]);
    let outputs = infrac::build_outputs(&sources, &compilation);
    let names: Vec<&str> = outputs.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, ["App.template.json", "App.sources.json", "manifest.json"]);
    let manifest: serde_json::Value = serde_json::from_str(&outputs[2].1).expect("JSON");
    assert_eq!(manifest["stacks"][0]["sources"], "App.sources.json");
}

/// What the deploy tool does: it has the source map's JSON and the files on
/// disk, and nothing of the build.
fn reload(files: &[(&str, &str)]) -> (StackSourceMap, SourceMap, impl FnMut(&str) -> Result<String, String>) {
    let (_, maps) = maps(files);
    let json = maps[0].to_json();
    let map = StackSourceMap::from_json(&json).expect("reads back");
    let owned: Vec<(String, String)> = files.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect();
    let read = move |path: &str| owned.iter().find(|(n, _)| n == path).map(|(_, t)| t.clone()).ok_or("missing".into());
    (map, SourceMap::new(), read)
}

#[test]
fn a_deploy_failure_is_shown_at_the_property_the_reason_names() {
    let program = "resource logs: AWS::S3::Bucket {\n  BucketName: \"my-logs\"\n  VersioningConfiguration: { Status: \"Enabled\" }\n}\n";
    let (map, mut sources, mut read) = reload(&[("app.infra", program)]);
    let reason = "Properties validation failed for resource Logs with message: #/BucketName: my-logs already exists";
    let diagnostic = sourcemap::deploy_failure(&map, &mut sources, &mut read, "Logs", "CREATE_FAILED", reason)
        .expect("the source map knows Logs");
    assert_eq!(diagnostic.code, Code::DeployFailed);
    let rendered = render::plain(&sources, &[diagnostic]);
    insta::assert_snapshot!("deploy_failure_at_property", rendered);
    assert!(rendered.contains("app.infra:2:3"), "at the line of BucketName:\n{rendered}");
}

#[test]
fn a_failure_inside_a_construct_is_shown_at_the_instance_with_the_library_line() {
    let program = "resource jobs: sqs.Queue {\n  dead_letter: false\n}\n";
    let (map, mut sources, mut read) = reload(&[("app.infra", program)]);
    let diagnostic =
        sourcemap::deploy_failure(&map, &mut sources, &mut read, "JobsQueue", "CREATE_FAILED", "Rate exceeded")
            .expect("the source map knows JobsQueue");
    assert_eq!(diagnostic.primary.span.file, sources.find("app.infra").expect("loaded"));
    insta::assert_snapshot!("deploy_failure_in_construct", render::plain(&sources, &[diagnostic]));
}

#[test]
fn drift_is_shown_at_the_property_or_the_declaration() {
    let program = "resource jobs: AWS::SQS::Queue {\n  VisibilityTimeout: 60\n}\n";
    let (map, mut sources, mut read) = reload(&[("app.infra", program)]);
    let written =
        sourcemap::drift(&map, &mut sources, &mut read, "Jobs", Some("/VisibilityTimeout"), Some("60"), Some("300"))
            .expect("known");
    let defaulted =
        sourcemap::drift(&map, &mut sources, &mut read, "Jobs", Some("/DelaySeconds"), Some("0"), Some("5"))
            .expect("known");
    let deleted = sourcemap::drift(&map, &mut sources, &mut read, "Jobs", None, None, None).expect("known");
    assert_eq!(sources.get(written.primary.span.file).line_col(written.primary.span.start), (2, 3));
    assert_eq!(sources.get(defaulted.primary.span.file).line_col(defaulted.primary.span.start), (1, 10));
    insta::assert_snapshot!("drift", render::plain(&sources, &[written, defaulted, deleted]));
}

#[test]
fn an_unknown_logical_id_or_an_edited_file_gives_no_location() {
    let program = "resource logs: AWS::S3::Bucket {}\n";
    let (map, mut sources, _) = reload(&[("app.infra", program)]);
    let mut unchanged = |_: &str| Ok(program.to_string());
    assert!(sourcemap::deploy_failure(&map, &mut sources, &mut unchanged, "Other", "CREATE_FAILED", "x").is_none());
    let mut edited = |_: &str| Ok(format!("// a new first line\n{program}"));
    let mut fresh = SourceMap::new();
    assert!(sourcemap::deploy_failure(&map, &mut fresh, &mut edited, "Logs", "CREATE_FAILED", "x").is_none());
    let mut missing = |_: &str| Err("gone".to_string());
    let mut fresh = SourceMap::new();
    assert!(sourcemap::deploy_failure(&map, &mut fresh, &mut missing, "Logs", "CREATE_FAILED", "x").is_none());
}

#[test]
fn property_names_in_cloudformation_reasons() {
    assert_eq!(sourcemap::property_named_in("#/BucketName: failed validation"), Some("BucketName"));
    assert_eq!(
        sourcemap::property_named_in("Value of property {/VpcConfig/SubnetIds} does not match type"),
        Some("VpcConfig")
    );
    assert_eq!(sourcemap::property_named_in("Rate exceeded"), None);
}

/// The `## Example` of each page of an `E06xx` code is a program and what
/// `infrac deploy` or `infrac drift` shows for it; both are real: the
/// program compiles cleanly (as does the one under `## How to fix`) and the
/// text is the rendering of the diagnostic the source map gives.
#[test]
fn explanation_pages_of_deploy_codes_show_real_output() {
    let code_block = |section: &str, language: &str| -> String {
        let start = section.find(&format!("```{language}\n")).expect("a code block") + language.len() + 4;
        let rest = &section[start..];
        rest[..rest.find("```").expect("closed")].to_string()
    };
    let section = |page: &'static str, title: &str| -> &'static str {
        let start = page.find(&format!("## {title}\n")).expect("the section");
        let rest = &page[start + 1..];
        &rest[..rest.find("\n## ").unwrap_or(rest.len())]
    };
    for code in Code::ALL.iter().filter(|c| c.is_reported_after_build()) {
        let page = code.explanation();
        let example = section(page, "Example");
        let program = code_block(example, "infra");
        let fix = code_block(section(page, "How to fix"), "infra");
        maps(&[("example.infra", &fix)]);
        let (map, mut sources, mut read) = reload(&[("example.infra", &program)]);
        let diagnostic = match code {
            Code::DeployFailed => {
                sourcemap::deploy_failure(&map, &mut sources, &mut read, "Logs", "CREATE_FAILED", "logs already exists")
            }
            Code::ResourceDrifted => sourcemap::drift(
                &map,
                &mut sources,
                &mut read,
                "Jobs",
                Some("/VisibilityTimeout"),
                Some("60"),
                Some("300"),
            ),
            other => panic!("{} needs a case here", other.as_str()),
        }
        .expect("the example's logical ID is in its source map");
        assert_eq!(diagnostic.code, *code);
        let rendered = render::plain(&sources, &[diagnostic]);
        let shown = code_block(example, "text");
        assert_eq!(shown, rendered, "{}: the page's output is not what infrac shows", code.as_str());
    }
}
