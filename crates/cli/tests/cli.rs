//! End-to-end tests of the `infrac` binary: every verb, option and exit code.
//!
//! Each test writes its inputs into its own temporary directory and runs the
//! binary there, so file names in diagnostics are short and relative. Exit
//! codes: 0 success (warnings allowed), 1 program errors, 2 usage or I/O
//! errors; 101 would be a panic, which no test may ever see.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use infrac::check::builtins;
use infrac::diagnostics::Code;
use serde_json::Value as Json;

/// A valid program using params, lets, interpolation, L1 resources,
/// attributes, `json(...)`, doc comments and an exported output.
const CATS_VS_DOGS: &str = r#"//! Cats vs Dogs.

/// The deployment stage.
@allowed(["dev", "prod"])
param stage: string = "dev"

let name = "catsdogs-${stage}"

resource logs: AWS::S3::Bucket {
  BucketName: "${name}-logs"
  VersioningConfiguration: { Status: "Enabled" }
}

resource dead: AWS::SQS::Queue {
  QueueName: "${name}-dead"
}

resource jobs: AWS::SQS::Queue {
  RedrivePolicy: json({ deadLetterTargetArn: dead.Arn, maxReceiveCount: 3 })
}

@export("${aws.stack_name}-logs")
output logs_arn = logs.Arn
output jobs_url = jobs
"#;

/// One undefined name at line 2, columns 15..18.
const UNDEFINED_NAME: &str = "resource b: AWS::S3::Bucket {\n  BucketName: nme\n}\n";

/// Only a warning: an unused parameter.
const UNUSED_PARAM: &str = "param unused: string = \"x\"\n\nresource b: AWS::S3::Bucket {}\n";

const ANSI_ESCAPE: &str = "\u{1b}[";

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// A fresh directory under the system temp dir, removed when dropped.
struct TempDir {
    path: PathBuf,
}

impl TempDir {
    fn new(test: &str) -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let unique = format!("infrac-cli-{test}-{}-{}", std::process::id(), COUNTER.fetch_add(1, Ordering::SeqCst));
        let path = std::env::temp_dir().join(unique);
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("create temp dir");
        TempDir { path }
    }

    fn path(&self) -> &Path {
        &self.path
    }

    /// Writes `text` to `name` inside the directory (creating parents).
    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.path.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create parent dir");
        }
        std::fs::write(&path, text).expect("write input");
        path
    }

    fn join(&self, name: &str) -> PathBuf {
        self.path.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

fn infrac() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_infrac"));
    // Colour must come only from `--color`, never from the environment.
    command.env_remove("NO_COLOR").env_remove("CLICOLOR_FORCE").env_remove("CLICOLOR");
    command
}

/// Runs `infrac ARGS` inside `dir`.
fn run(dir: &TempDir, args: &[&str]) -> Output {
    infrac().args(args).current_dir(dir.path()).output().expect("run infrac")
}

/// Runs `infrac ARGS` from the crate root (for verbs that read no files).
fn run_here(args: &[&str]) -> Output {
    infrac().args(args).output().expect("run infrac")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8")
}

/// Asserts the exit code, showing both streams when it is wrong.
#[track_caller]
fn assert_exit(output: &Output, expected: i32) {
    assert_eq!(
        output.status.code(),
        Some(expected),
        "expected exit code {expected}\n--- stdout\n{}\n--- stderr\n{}",
        stdout(output),
        stderr(output)
    );
    assert!(!stderr(output).contains("panicked"), "infrac panicked:\n{}", stderr(output));
}

/// The names of the entries of `dir`, sorted; empty if it does not exist.
fn entries(dir: &Path) -> Vec<String> {
    let Ok(read) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut names: Vec<String> =
        read.map(|e| e.expect("dir entry").file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

fn read_json(path: &Path) -> Json {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}\n{text}", path.display()))
}

/// Parses stdout of `--error-format json` as one JSON object per line.
fn json_lines(output: &Output) -> Vec<Json> {
    stdout(output)
        .lines()
        .map(|line| {
            let value: Json = serde_json::from_str(line).unwrap_or_else(|e| panic!("not a JSON line ({e}): {line}"));
            assert!(value.is_object(), "not a JSON object: {line}");
            value
        })
        .collect()
}

fn keys(value: &Json) -> Vec<&str> {
    value.as_object().expect("an object").keys().map(String::as_str).collect()
}

// ---------------------------------------------------------------------------
// build
// ---------------------------------------------------------------------------

/// A Lambda function whose code is the folder `src/` next to it.
const FUNCTION_FROM_FOLDER: &str = r#"resource api: lambda.Function {
  runtime: "python3.12"
  code: asset("./src")
}
"#;

/// Builds the project in `dir` into `out`; the one packaged asset's key
/// and bytes, checked against the template and manifest.
fn build_asset(dir: &TempDir, project: &str) -> (String, Vec<u8>) {
    let output = run(dir, &["build", &format!("{project}/app.infra"), "-o", &format!("{project}/out")]);
    assert_exit(&output, 0);
    let out = dir.join(project).join("out");
    let manifest = read_json(&out.join("manifest.json"));
    let asset = &manifest["assets"][0];
    let key = asset["destination"]["key"].as_str().expect("a key").to_string();
    assert_eq!(manifest["assets"].as_array().map(Vec::len), Some(1));
    assert_eq!(asset["path"], format!("{project}/src"));
    assert_eq!(asset["file"], format!("assets/{key}"));
    assert_eq!(manifest["stacks"][0]["assets"], serde_json::json!([key]));
    let template = read_json(&out.join("App.template.json"));
    assert_eq!(template["Resources"]["ApiFunction"]["Properties"]["Code"]["S3Key"], key.as_str());
    let bytes = std::fs::read(out.join("assets").join(&key)).expect("the packaged asset");
    assert_eq!(asset["size"], bytes.len());
    (key, bytes)
}

#[test]
fn build_packages_a_folder_into_the_same_zip_wherever_it_is() {
    let dir = TempDir::new("build-asset");
    for project in ["a", "b"] {
        dir.write(&format!("{project}/app.infra"), FUNCTION_FROM_FOLDER);
    }
    // The same files, written in another order, the copy's a day older.
    dir.write("a/src/index.py", "def handler(event, context):\n    return 1\n");
    dir.write("a/src/lib/util.py", "X = 1\n");
    dir.write("b/src/lib/util.py", "X = 1\n");
    dir.write("b/src/index.py", "def handler(event, context):\n    return 1\n");
    let yesterday = std::time::SystemTime::now() - std::time::Duration::from_secs(86_400);
    for file in ["b/src/index.py", "b/src/lib/util.py"] {
        let file = std::fs::File::options().write(true).open(dir.join(file)).expect("open");
        file.set_modified(yesterday).expect("set the modification time");
    }
    let (key_a, zip_a) = build_asset(&dir, "a");
    assert!(key_a.ends_with(".zip"), "{key_a}");
    let (key_again, zip_again) = build_asset(&dir, "a");
    let (key_b, zip_b) = build_asset(&dir, "b");
    assert_eq!((&key_again, &zip_again), (&key_a, &zip_a), "the same folder twice");
    assert_eq!((&key_b, &zip_b), (&key_a, &zip_a), "a copy with other dates");

    dir.write("b/src/lib/util.py", "X = 2\n");
    let (key_changed, _) = build_asset(&dir, "b");
    assert_ne!(key_changed, key_a, "a changed file");
    // Both versions stay in `out/assets/`, each under its own hash.
    assert_eq!(entries(&dir.join("b/out/assets")).len(), 2);
}

/// A function from a folder and a task whose image is built from another.
const FUNCTION_AND_IMAGE: &str = r#"resource api: lambda.Function {
  runtime: "python3.12"
  code: asset("./src")
}

resource task: AWS::ECS::TaskDefinition {
  ContainerDefinitions: [{ Name: "web", Image: docker_image("./web"), Memory: 128 }]
}
"#;

#[test]
fn the_project_names_its_own_bucket_and_repository_in_infrac_toml_or_flags() {
    let dir = TempDir::new("build-own-staging");
    dir.write("p/app.infra", FUNCTION_AND_IMAGE);
    dir.write("p/src/index.py", "def handler(event, context):\n    return 1\n");
    dir.write("p/web/Dockerfile", "FROM scratch\n");
    let built = |dir: &TempDir, extra: &[&str]| {
        let mut args = vec!["build", "p/app.infra", "-o", "p/out"];
        args.extend_from_slice(extra);
        assert_exit(&run(dir, &args), 0);
        let template = read_json(&dir.join("p/out/App.template.json"));
        let properties = &template["Resources"];
        let bucket = properties["ApiFunction"]["Properties"]["Code"]["S3Bucket"]["Fn::Sub"].clone();
        let image = properties["Task"]["Properties"]["ContainerDefinitions"][0]["Image"]["Fn::Sub"].clone();
        let manifest = read_json(&dir.join("p/out/manifest.json"));
        assert_eq!(manifest["assets"][0]["destination"]["bucket"], bucket, "the manifest agrees");
        assert_eq!(manifest["images"][0]["destination"]["image"], image, "the manifest agrees");
        (bucket.as_str().expect("a bucket").to_string(), image.as_str().expect("an image").to_string())
    };
    let (bucket, image) = built(&dir, &[]);
    assert_eq!(bucket, "infrac-assets-${AWS::AccountId}-${AWS::Region}");
    assert!(
        image.contains(".amazonaws.com/infrac-assets:") || image.contains("${AWS::URLSuffix}/infrac-assets:"),
        "{image}"
    );
    let tag = image.rsplit(':').next().expect("a tag").to_string();

    // `infrac.toml` beside the entry file, not in the folder infrac runs in.
    dir.write("p/infrac.toml", "[staging]\nbucket = \"acme-assets-${AWS::Region}\"\nrepository = \"acme/images\"\n");
    let (bucket, image) = built(&dir, &[]);
    assert_eq!(bucket, "acme-assets-${AWS::Region}");
    assert_eq!(image, format!("${{AWS::AccountId}}.dkr.ecr.${{AWS::Region}}.${{AWS::URLSuffix}}/acme/images:{tag}"));

    // The flags win over the file.
    let (bucket, image) = built(&dir, &["--staging-bucket", "team-bucket", "--staging-repository", "team/web"]);
    assert_eq!(bucket, "team-bucket");
    assert!(image.ends_with(&format!("/team/web:{tag}")), "{image}");

    // A name S3 or ECR would refuse, or a typo in the file, is a usage error.
    let output = run(&dir, &["build", "p/app.infra", "-o", "p/out", "--staging-bucket", "Team_Bucket"]);
    assert_exit(&output, 2);
    assert!(stderr(&output).contains("is not an S3 bucket name"), "{}", stderr(&output));
    dir.write("p/infrac.toml", "[staging]\nbuckett = \"x\"\n");
    let output = run(&dir, &["check", "p/app.infra"]);
    assert_exit(&output, 2);
    assert!(stderr(&output).contains("unknown setting `staging.buckett`"), "{}", stderr(&output));
}

#[test]
fn build_reports_a_missing_asset_at_the_call() {
    let dir = TempDir::new("build-asset-missing");
    dir.write("app.infra", FUNCTION_FROM_FOLDER);
    dir.write("src/.keep", "");
    std::fs::remove_file(dir.join("src/.keep")).expect("remove");
    let output = run(&dir, &["build", "app.infra", "-o", "out"]);
    assert_exit(&output, 1);
    let err = stderr(&output);
    assert!(
        err.contains("E0225") && err.contains("app.infra:3:15") && err.contains("the folder holds no file"),
        "{err}"
    );
    assert!(!dir.join("out").exists(), "nothing is written");
}

#[test]
fn build_writes_template_and_manifest() {
    let dir = TempDir::new("build-ok");
    dir.write("cats-vs-dogs.infra", CATS_VS_DOGS);
    let output = run(&dir, &["build", "cats-vs-dogs.infra", "-o", "out"]);
    assert_exit(&output, 0);
    assert_eq!(stderr(&output), "", "a clean build prints no diagnostics");

    // Exactly the template, its source map and the manifest: no temporary files left behind.
    let out = dir.join("out");
    assert_eq!(entries(&out), ["CatsVsDogs.sources.json", "CatsVsDogs.template.json", "manifest.json"]);

    let template = read_json(&out.join("CatsVsDogs.template.json"));
    assert_eq!(keys(&template), ["AWSTemplateFormatVersion", "Description", "Parameters", "Resources", "Outputs"]);
    assert_eq!(template["AWSTemplateFormatVersion"], "2010-09-09");
    assert_eq!(template["Description"], "Cats vs Dogs.");
    let stage = &template["Parameters"]["Stage"];
    assert_eq!(stage["Type"], "String");
    assert_eq!(stage["Default"], "dev");
    assert_eq!(stage["Description"], "The deployment stage.");
    assert_eq!(stage["AllowedValues"], serde_json::json!(["dev", "prod"]));
    // Resources and outputs in declaration order, logical IDs in PascalCase.
    assert_eq!(keys(&template["Resources"]), ["Logs", "Dead", "Jobs"]);
    assert_eq!(template["Resources"]["Logs"]["Type"], "AWS::S3::Bucket");
    assert_eq!(
        template["Resources"]["Logs"]["Properties"]["BucketName"],
        serde_json::json!({"Fn::Sub": "catsdogs-${Stage}-logs"})
    );
    assert_eq!(template["Resources"]["Logs"]["Properties"]["VersioningConfiguration"]["Status"], "Enabled");
    assert_eq!(template["Resources"]["Jobs"]["Type"], "AWS::SQS::Queue");
    let redrive = template["Resources"]["Jobs"]["Properties"]["RedrivePolicy"].to_string();
    assert!(redrive.contains("${Dead.Arn}"), "RedrivePolicy must reference Dead.Arn: {redrive}");
    assert_eq!(keys(&template["Outputs"]), ["LogsArn", "JobsUrl"]);
    assert_eq!(template["Outputs"]["LogsArn"]["Value"], serde_json::json!({"Fn::GetAtt": ["Logs", "Arn"]}));
    assert_eq!(
        template["Outputs"]["LogsArn"]["Export"]["Name"],
        serde_json::json!({"Fn::Sub": "${AWS::StackName}-logs"})
    );
    assert_eq!(template["Outputs"]["JobsUrl"]["Value"], serde_json::json!({"Ref": "Jobs"}));

    let manifest = read_json(&out.join("manifest.json"));
    assert_eq!(manifest["version"], 1);
    let stacks = manifest["stacks"].as_array().expect("manifest.stacks is a list");
    assert_eq!(stacks.len(), 1);
    assert_eq!(stacks[0]["name"], "CatsVsDogs");
    assert_eq!(stacks[0]["template"], "CatsVsDogs.template.json");
    assert_eq!(stacks[0]["source"], "cats-vs-dogs.infra");
    assert_eq!(stacks[0]["parameters"], serde_json::json!(["Stage"]));
    assert!(stacks[0]["depends_on"].is_array());

    // Files end with a newline, like any text file.
    let text = std::fs::read_to_string(out.join("CatsVsDogs.template.json")).unwrap();
    assert!(text.ends_with("}\n"));
}

#[test]
fn build_output_is_byte_identical_across_runs() {
    let dir = TempDir::new("build-deterministic");
    dir.write("cats-vs-dogs.infra", CATS_VS_DOGS);
    dir.write("other-stack.infra", UNUSED_PARAM);
    let first = run(&dir, &["build", "cats-vs-dogs.infra", "other-stack.infra", "-o", "one"]);
    let second = run(&dir, &["build", "cats-vs-dogs.infra", "other-stack.infra", "-o", "two"]);
    assert_exit(&first, 0);
    assert_exit(&second, 0);
    assert_eq!(stderr(&first), stderr(&second), "diagnostics differ between runs");
    let names = entries(&dir.join("one"));
    assert_eq!(
        names,
        [
            "CatsVsDogs.sources.json",
            "CatsVsDogs.template.json",
            "OtherStack.sources.json",
            "OtherStack.template.json",
            "manifest.json"
        ]
    );
    assert_eq!(names, entries(&dir.join("two")));
    for name in &names {
        let a = std::fs::read(dir.join("one").join(name)).unwrap();
        let b = std::fs::read(dir.join("two").join(name)).unwrap();
        assert!(a == b, "{name} differs between two runs");
    }
    // A rebuild into the same directory overwrites with the same bytes.
    let before = std::fs::read(dir.join("one/CatsVsDogs.template.json")).unwrap();
    assert_exit(&run(&dir, &["build", "cats-vs-dogs.infra", "other-stack.infra", "-o", "one"]), 0);
    assert_eq!(entries(&dir.join("one")), names);
    assert!(before == std::fs::read(dir.join("one/CatsVsDogs.template.json")).unwrap());
}

#[test]
fn build_names_stack_after_file_not_directory() {
    let dir = TempDir::new("build-stack-name");
    dir.write("nested/dir.name/cats-vs-dogs.infra", CATS_VS_DOGS);
    let output = run(&dir, &["build", "nested/dir.name/cats-vs-dogs.infra", "-o", "deep/out/dir"]);
    assert_exit(&output, 0);
    // The output directory is created, with its parents.
    assert_eq!(
        entries(&dir.join("deep/out/dir")),
        ["CatsVsDogs.sources.json", "CatsVsDogs.template.json", "manifest.json"]
    );
    let manifest = read_json(&dir.join("deep/out/dir/manifest.json"));
    assert_eq!(manifest["stacks"][0]["name"], "CatsVsDogs");
    assert_eq!(manifest["stacks"][0]["source"], "nested/dir.name/cats-vs-dogs.infra");
}

#[test]
fn build_with_errors_exits_1_and_writes_nothing() {
    let dir = TempDir::new("build-errors");
    dir.write("bad.infra", UNDEFINED_NAME);
    dir.write("cats-vs-dogs.infra", CATS_VS_DOGS);

    // An existing, empty output directory stays empty...
    std::fs::create_dir(dir.join("existing")).unwrap();
    let output = run(&dir, &["build", "bad.infra", "-o", "existing"]);
    assert_exit(&output, 1);
    assert!(stderr(&output).contains("E0201"), "{}", stderr(&output));
    assert_eq!(entries(&dir.join("existing")), Vec::<String>::new());

    // ...a missing one is not even created...
    let output = run(&dir, &["build", "bad.infra", "-o", "missing"]);
    assert_exit(&output, 1);
    assert!(!dir.join("missing").exists(), "build with errors created its output directory");

    // ...and one bad file stops the good files' templates too.
    let output = run(&dir, &["build", "cats-vs-dogs.infra", "bad.infra", "-o", "existing"]);
    assert_exit(&output, 1);
    assert_eq!(entries(&dir.join("existing")), Vec::<String>::new());

    // The same with JSON diagnostics.
    let output = run(&dir, &["--error-format", "json", "build", "cats-vs-dogs.infra", "bad.infra", "-o", "existing"]);
    assert_exit(&output, 1);
    assert_eq!(json_lines(&output).len(), 1);
    assert_eq!(entries(&dir.join("existing")), Vec::<String>::new());
}

#[test]
fn build_with_errors_leaves_previous_output_alone() {
    let dir = TempDir::new("build-errors-previous");
    dir.write("cats-vs-dogs.infra", CATS_VS_DOGS);
    assert_exit(&run(&dir, &["build", "cats-vs-dogs.infra", "-o", "out"]), 0);
    let before = std::fs::read(dir.join("out/CatsVsDogs.template.json")).unwrap();
    dir.write("cats-vs-dogs.infra", &format!("{CATS_VS_DOGS}\noutput broken = nope\n"));
    assert_exit(&run(&dir, &["build", "cats-vs-dogs.infra", "-o", "out"]), 1);
    assert_eq!(entries(&dir.join("out")), ["CatsVsDogs.sources.json", "CatsVsDogs.template.json", "manifest.json"]);
    assert!(before == std::fs::read(dir.join("out/CatsVsDogs.template.json")).unwrap());
}

#[test]
fn build_two_files_with_the_same_stack_name_is_an_error() {
    let dir = TempDir::new("build-duplicate-stack");
    dir.write("a/cats-vs-dogs.infra", CATS_VS_DOGS);
    dir.write("b/cats_vs_dogs.infra", CATS_VS_DOGS);
    let output =
        run(&dir, &["--error-format", "json", "build", "a/cats-vs-dogs.infra", "b/cats_vs_dogs.infra", "-o", "out"]);
    assert_exit(&output, 1);
    let codes: Vec<Json> = json_lines(&output).iter().map(|d| d["code"].clone()).collect();
    assert!(codes.contains(&Json::from(Code::DuplicateStack.as_str())), "{codes:?}");
    assert!(!dir.join("out").exists());
}

#[test]
fn build_warnings_alone_exit_0_and_write() {
    let dir = TempDir::new("build-warnings");
    dir.write("only-warnings.infra", UNUSED_PARAM);
    let output = run(&dir, &["build", "only-warnings.infra", "-o", "out"]);
    assert_exit(&output, 0);
    let err = stderr(&output);
    assert!(err.contains("W0201"), "{err}");
    assert!(err.contains("1 warning"), "{err}");
    assert!(!err.contains("could not compile"), "{err}");
    assert_eq!(entries(&dir.join("out")), ["OnlyWarnings.sources.json", "OnlyWarnings.template.json", "manifest.json"]);
}

#[test]
fn build_missing_input_exits_2() {
    let dir = TempDir::new("build-missing-input");
    dir.write("cats-vs-dogs.infra", CATS_VS_DOGS);
    let output = run(&dir, &["build", "cats-vs-dogs.infra", "does-not-exist.infra", "-o", "out"]);
    assert_exit(&output, 2);
    assert!(stderr(&output).contains("does-not-exist.infra"), "the error names the file: {}", stderr(&output));
    assert!(!dir.join("out").exists(), "nothing is written when an input is missing");
}

#[test]
fn build_into_a_regular_file_exits_2() {
    let dir = TempDir::new("build-unwritable");
    dir.write("cats-vs-dogs.infra", CATS_VS_DOGS);
    dir.write("taken", "not a directory");
    let output = run(&dir, &["build", "cats-vs-dogs.infra", "-o", "taken"]);
    assert_exit(&output, 2);
    assert!(stderr(&output).contains("taken"), "the error names the output: {}", stderr(&output));
    assert_eq!(std::fs::read_to_string(dir.join("taken")).unwrap(), "not a directory");

    // A path below a regular file cannot be created either.
    let output = run(&dir, &["build", "cats-vs-dogs.infra", "-o", "taken/out"]);
    assert_exit(&output, 2);
    assert_eq!(entries(dir.path()), ["cats-vs-dogs.infra", "taken"]);
}

#[test]
fn build_non_utf8_input_exits_2() {
    let dir = TempDir::new("build-non-utf8");
    std::fs::write(dir.join("latin1.infra"), b"// caf\xe9\nresource b: AWS::S3::Bucket {}\n").unwrap();
    let output = run(&dir, &["build", "latin1.infra", "-o", "out"]);
    assert_exit(&output, 2);
    assert!(stderr(&output).contains("latin1.infra"), "{}", stderr(&output));
    assert!(!dir.join("out").exists());
}

// ---------------------------------------------------------------------------
// check
// ---------------------------------------------------------------------------

#[test]
fn check_valid_program_exits_0_and_writes_nothing() {
    let dir = TempDir::new("check-ok");
    dir.write("cats-vs-dogs.infra", CATS_VS_DOGS);
    let output = run(&dir, &["check", "cats-vs-dogs.infra"]);
    assert_exit(&output, 0);
    assert_eq!(stdout(&output), "");
    assert_eq!(stderr(&output), "");
    assert_eq!(entries(dir.path()), ["cats-vs-dogs.infra"]);
}

#[test]
fn check_errors_exit_1() {
    let dir = TempDir::new("check-errors");
    dir.write("bad.infra", UNDEFINED_NAME);
    let output = run(&dir, &["check", "bad.infra"]);
    assert_exit(&output, 1);
    let err = stderr(&output);
    assert!(err.contains("E0201"), "{err}");
    assert!(err.contains("bad.infra:2:15"), "the report points at the name: {err}");
    assert!(err.contains("nme"), "{err}");
    assert!(err.contains("infrac explain E0201"), "{err}");
    assert!(err.contains("could not compile due to 1 error"), "{err}");
    assert_eq!(stdout(&output), "", "human diagnostics go to stderr");
    assert_eq!(entries(dir.path()), ["bad.infra"]);
}

#[test]
fn check_reports_errors_of_every_file() {
    let dir = TempDir::new("check-several");
    dir.write("one.infra", UNDEFINED_NAME);
    dir.write("two.infra", "output x = missing_thing\n");
    let output = run(&dir, &["--error-format", "json", "check", "one.infra", "two.infra"]);
    assert_exit(&output, 1);
    let files: Vec<String> = json_lines(&output).iter().map(|d| d["file"].as_str().unwrap().to_string()).collect();
    assert!(files.contains(&"one.infra".to_string()) && files.contains(&"two.infra".to_string()), "{files:?}");
}

#[test]
fn check_warnings_alone_exit_0() {
    let dir = TempDir::new("check-warnings");
    dir.write("warn.infra", UNUSED_PARAM);
    let output = run(&dir, &["check", "warn.infra"]);
    assert_exit(&output, 0);
    let err = stderr(&output);
    assert!(err.contains("W0201") && err.contains("Warning"), "{err}");
    assert!(err.contains("warning: 1 warning emitted"), "{err}");
}

#[test]
fn check_missing_input_exits_2() {
    let dir = TempDir::new("check-missing");
    let output = run(&dir, &["check", "nope.infra"]);
    assert_exit(&output, 2);
    assert!(stderr(&output).contains("nope.infra"), "{}", stderr(&output));
    // A directory is not a readable program either.
    std::fs::create_dir(dir.join("folder.infra")).unwrap();
    assert_exit(&run(&dir, &["check", "folder.infra"]), 2);
}

#[test]
fn check_output_is_deterministic() {
    let dir = TempDir::new("check-deterministic");
    dir.write("bad.infra", "resource a: AWS::S3::Bucket { BucketName: x }\nresource b: AWS::S3::Bucket { BucketName: y }\noutput o = z\noutput p = a.Nope\n");
    let first = run(&dir, &["check", "bad.infra"]);
    let second = run(&dir, &["check", "bad.infra"]);
    assert_exit(&first, 1);
    assert_eq!(stderr(&first), stderr(&second));
}

#[test]
fn a_project_needs_no_file_names() {
    let dir = TempDir::new("project-defaults");
    assert_exit(&run(&dir, &["init", "--template", "worker", "--name", "night-jobs"]), 0);
    assert_eq!(entries(dir.path()), [".github", ".gitignore", "README.md", "app.infra"]);
    assert!(std::fs::read_to_string(dir.join("app.infra")).unwrap().contains("stack NightJobs"));
    assert_exit(&run(&dir, &["check"]), 0);
    assert_exit(&run(&dir, &["fmt", "--check", "."]), 0);
    assert_exit(&run(&dir, &["build"]), 0);
    assert_eq!(entries(&dir.join("out")), ["NightJobs.sources.json", "NightJobs.template.json", "manifest.json"]);
    // Against the build just made, nothing differs.
    let diff = run(&dir, &["diff", "--fail"]);
    assert_exit(&diff, 0);
    // A second init would overwrite: refused, and nothing is touched.
    let again = run(&dir, &["init"]);
    assert_exit(&again, 2);
    assert!(stderr(&again).contains("already has"), "{}", stderr(&again));
}

#[test]
fn init_lists_its_templates_and_refuses_an_unknown_one() {
    let dir = TempDir::new("init-list");
    let listing = stdout(&run(&dir, &["init", "--list"]));
    for template in infrac::init::templates() {
        assert!(listing.contains(template.name), "{listing}");
    }
    let unknown = run(&dir, &["init", "--template", "wroker"]);
    assert_exit(&unknown, 2);
    assert!(stderr(&unknown).contains("did you mean `worker`?"), "{}", stderr(&unknown));
    assert_eq!(entries(dir.path()), Vec::<String>::new());
}

#[test]
fn offline_diff_shows_changes_against_the_last_build() {
    let dir = TempDir::new("offline-diff");
    dir.write("app.infra", "resource logs: AWS::S3::Bucket {}\n");
    // No build yet: every stack is new, and said so.
    let first = run(&dir, &["diff"]);
    assert_exit(&first, 0);
    assert!(stderr(&first).contains("no earlier build"), "{}", stderr(&first));
    assert!(stdout(&first).contains("[+] AWS::S3::Bucket Logs"), "{}", stdout(&first));
    assert_exit(&run(&dir, &["build"]), 0);
    dir.write("app.infra", "resource logs: AWS::S3::Bucket {\n  BucketName: \"acme-logs\"\n}\n");
    let changed = run(&dir, &["--color", "never", "diff", "--fail"]);
    assert_exit(&changed, 1);
    let text = stdout(&changed);
    assert!(text.contains("BucketName"), "{text}");
    assert!(text.contains("requires replacement"), "{text}");
    assert!(text.contains("app.infra:1"), "each resource at its place: {text}");
    let json = run(&dir, &["--error-format", "json", "diff"]);
    assert_exit(&json, 0);
    let data: Json = serde_json::from_str(&stdout(&json)).expect("diff JSON");
    assert_eq!(data["stacks"][0]["name"], "App");
    // A named build folder must exist.
    assert_exit(&run(&dir, &["diff", "--against", "nowhere"]), 2);
}

#[test]
fn lifecycle_commands_without_aws_configuration_exit_2() {
    let dir = TempDir::new("no-aws");
    dir.write("app.infra", "resource logs: AWS::S3::Bucket {}\n");
    let output = infrac()
        .args(["deploy", "--yes"])
        .current_dir(dir.path())
        .env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_REGION")
        .env_remove("AWS_PROFILE")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .expect("run infrac");
    assert_exit(&output, 2);
    assert!(stderr(&output).contains("no AWS region is configured"), "{}", stderr(&output));
}

// ---------------------------------------------------------------------------
// usage errors
// ---------------------------------------------------------------------------

#[test]
fn bad_usage_exits_2() {
    let dir = TempDir::new("usage");
    dir.write("cats-vs-dogs.infra", CATS_VS_DOGS);
    let cases: &[&[&str]] = &[
        &["--bogus", "check", "cats-vs-dogs.infra"],
        &["check", "--bogus", "cats-vs-dogs.infra"],
        &["--error-format", "xml", "check", "cats-vs-dogs.infra"],
        &["--color", "sometimes", "check", "cats-vs-dogs.infra"],
        &[],
        &["frobnicate"],
        // No files, and no `app.infra` to default to.
        &["check"],
        &["build", "-o", "out"],
        &["deploy"],
        &["explain"],
    ];
    for args in cases {
        let output = run(&dir, args);
        assert_eq!(output.status.code(), Some(2), "`infrac {}` should exit 2\n{}", args.join(" "), stderr(&output));
        assert!(!stderr(&output).is_empty(), "`infrac {}` should say what is wrong", args.join(" "));
    }
    assert_eq!(entries(dir.path()), ["cats-vs-dogs.infra"], "usage errors write nothing");
}

// ---------------------------------------------------------------------------
// --error-format json
// ---------------------------------------------------------------------------

#[test]
fn json_diagnostics_have_every_field_with_exact_positions() {
    let dir = TempDir::new("json-exact");
    dir.write("bad.infra", UNDEFINED_NAME);
    let output = run(&dir, &["--error-format", "json", "check", "bad.infra"]);
    assert_exit(&output, 1);
    assert_eq!(stderr(&output), "", "JSON mode prints nothing else");
    let text = stdout(&output);
    assert!(text.ends_with('\n'));
    let lines = json_lines(&output);
    assert_eq!(lines.len(), 1, "one line per diagnostic:\n{text}");
    let d = &lines[0];
    for field in ["code", "severity", "message", "file", "line", "column", "end_line", "end_column", "labels", "help"] {
        assert!(d.get(field).is_some(), "missing field `{field}` in {d}");
    }
    assert_eq!(d["code"], "E0201");
    assert_eq!(d["severity"], "error");
    assert!(d["message"].as_str().unwrap().contains("nme"), "{d}");
    assert_eq!(d["file"], "bad.infra");
    assert_eq!(
        (&d["line"], &d["column"], &d["end_line"], &d["end_column"]),
        (&2.into(), &15.into(), &2.into(), &18.into())
    );
    assert!(d["help"].is_null() || d["help"].is_string(), "{d}");
    let labels = d["labels"].as_array().expect("labels is a list");
    let primary: Vec<&Json> = labels.iter().filter(|l| l["primary"] == true).collect();
    assert_eq!(primary.len(), 1, "exactly one primary label: {d}");
    let label = primary[0];
    assert_eq!(label["file"], "bad.infra");
    assert_eq!(
        (&label["line"], &label["column"], &label["end_line"], &label["end_column"]),
        (&2.into(), &15.into(), &2.into(), &18.into())
    );
    assert!(label["message"].is_string());
}

#[test]
fn json_columns_count_characters_not_bytes() {
    let dir = TempDir::new("json-columns");
    // `ü`, `ñ` and `ï` are two bytes each; the name starts at character 31.
    dir.write("wide.infra", "resource b: AWS::S3::Bucket {\n  Tags: [{ Key: \"ünï\", Value: nme }]\n}\n");
    let output = run(&dir, &["--error-format", "json", "check", "wide.infra"]);
    assert_exit(&output, 1);
    let lines = json_lines(&output);
    assert_eq!(lines.len(), 1, "{}", stdout(&output));
    assert_eq!(lines[0]["code"], "E0201");
    assert_eq!((&lines[0]["line"], &lines[0]["column"]), (&2.into(), &31.into()));
    assert_eq!((&lines[0]["end_line"], &lines[0]["end_column"]), (&2.into(), &34.into()));
}

#[test]
fn json_one_line_per_diagnostic_including_warnings() {
    let dir = TempDir::new("json-many");
    dir.write(
        "many.infra",
        "param unused: string = \"x\"\nresource a: AWS::S3::Bucket { BucketName: x }\noutput o = zz\n",
    );
    let output = run(&dir, &["--error-format", "json", "check", "many.infra"]);
    assert_exit(&output, 1);
    let lines = json_lines(&output);
    assert_eq!(lines.len(), stdout(&output).lines().count());
    let got: Vec<(String, String, u64)> = lines
        .iter()
        .map(|d| {
            (d["code"].as_str().unwrap().into(), d["severity"].as_str().unwrap().into(), d["line"].as_u64().unwrap())
        })
        .collect();
    // Sorted by position.
    assert_eq!(
        got,
        [
            ("W0201".into(), "warning".into(), 1),
            ("E0201".into(), "error".into(), 2),
            ("E0201".into(), "error".into(), 3)
        ]
    );

    // Warnings alone: exit 0, still reported.
    dir.write("warn.infra", UNUSED_PARAM);
    let output = run(&dir, &["--error-format", "json", "check", "warn.infra"]);
    assert_exit(&output, 0);
    let lines = json_lines(&output);
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["severity"], "warning");
    assert_eq!(lines[0]["code"], "W0201");

    // Nothing to say: no output at all.
    dir.write("fine.infra", CATS_VS_DOGS);
    let output = run(&dir, &["--error-format", "json", "check", "fine.infra"]);
    assert_exit(&output, 0);
    assert_eq!(stdout(&output), "");
}

// ---------------------------------------------------------------------------
// --color
// ---------------------------------------------------------------------------

#[test]
fn color_always_emits_ansi_and_never_does_not() {
    let dir = TempDir::new("color");
    dir.write("bad.infra", UNDEFINED_NAME);
    let always = run(&dir, &["--color", "always", "check", "bad.infra"]);
    assert_exit(&always, 1);
    assert!(stderr(&always).contains(ANSI_ESCAPE), "--color always must colour:\n{}", stderr(&always));

    let never = run(&dir, &["--color", "never", "check", "bad.infra"]);
    assert_exit(&never, 1);
    assert!(!stderr(&never).contains('\u{1b}'), "--color never must not colour:\n{}", stderr(&never));
    assert!(stderr(&never).contains("E0201"));

    // `auto` does not colour when stderr is not a terminal (as here).
    let auto = run(&dir, &["check", "bad.infra"]);
    assert!(!stderr(&auto).contains('\u{1b}'));

    // The option is global: it may come after the verb too.
    let after = run(&dir, &["check", "bad.infra", "--color", "always"]);
    assert_exit(&after, 1);
    assert!(stderr(&after).contains(ANSI_ESCAPE));

    // JSON never contains colour.
    let json = run(&dir, &["--color", "always", "--error-format", "json", "check", "bad.infra"]);
    assert!(!stdout(&json).contains('\u{1b}'));
}

// ---------------------------------------------------------------------------
// explain
// ---------------------------------------------------------------------------

#[test]
fn explain_prints_the_page() {
    let output = run_here(&["explain", "E0201"]);
    assert_exit(&output, 0);
    let page = stdout(&output);
    assert!(page.contains("E0201"), "{page}");
    assert!(
        page.contains(Code::UndefinedName.explanation().trim()),
        "the page is the catalogue's explanation:\n{page}"
    );
}

#[test]
fn explain_ignores_case() {
    let upper = run_here(&["explain", "E0201"]);
    let lower = run_here(&["explain", "e0201"]);
    assert_exit(&lower, 0);
    assert_eq!(stdout(&upper), stdout(&lower));
    let warning = run_here(&["explain", "w0201"]);
    assert_exit(&warning, 0);
    assert!(stdout(&warning).contains("W0201"));
}

#[test]
fn explain_prints_a_function_page() {
    for function in builtins::ALL {
        let output = run_here(&["explain", function.name]);
        assert_exit(&output, 0);
        assert_eq!(stdout(&output), function.page(), "`explain {}` prints the registry's page", function.name);
    }
    let page = stdout(&run_here(&["explain", "join"]));
    assert!(page.starts_with("# `join`\n") && page.contains("join(separator, list)"), "{page}");
}

#[test]
fn explain_suggests_a_function_for_a_near_miss() {
    for (wanted, suggestion) in [("jion", "join"), ("JSON", "json"), ("lenght", "length")] {
        let output = run_here(&["explain", wanted]);
        assert_exit(&output, 2);
        assert_eq!(stdout(&output), "");
        let err = stderr(&output);
        assert!(
            err.contains(&format!("`{wanted}`")) && err.contains(&format!("did you mean `{suggestion}`?")),
            "{err}"
        );
    }
}

#[test]
fn explain_unknown_code_exits_2() {
    for code in ["E9999", "E020", "E02011", "nonsense", ""] {
        let output = run_here(&["explain", code]);
        assert_exit(&output, 2);
        assert_eq!(stdout(&output), "", "`explain {code}`");
        if !code.is_empty() {
            assert!(stderr(&output).contains(code), "the error names `{code}`: {}", stderr(&output));
        }
    }
}

#[test]
fn explain_every_code() {
    for code in Code::ALL {
        let output = run_here(&["explain", code.as_str()]);
        assert_exit(&output, 0);
        assert!(stdout(&output).contains(code.as_str()), "the page of {} names its code", code.as_str());
    }
}

#[test]
fn explain_list_lists_every_code_then_every_function() {
    let output = run_here(&["explain", "--list"]);
    assert_exit(&output, 0);
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), Code::ALL.len() + builtins::ALL.len(), "one line per code and function:\n{text}");
    let (code_lines, function_lines) = lines.split_at(Code::ALL.len());
    for (line, function) in function_lines.iter().zip(builtins::ALL) {
        assert!(line.starts_with(&format!("{} ", function.name)), "`{line}` should start with `{}`", function.name);
        assert!(line.ends_with(function.doc.summary), "`{line}` should carry the summary of `{}`", function.name);
    }
    for (line, code) in code_lines.iter().zip(Code::ALL) {
        assert!(line.starts_with(code.as_str()), "`{line}` should start with {}", code.as_str());
        assert!(line.contains(code.title()), "`{line}` should carry the title `{}`", code.title());
    }
    // Codes are unique and in code order.
    let listed: Vec<&str> = lines.iter().filter_map(|line| line.split_whitespace().next()).collect();
    for pair in listed.windows(2) {
        assert!(pair[0] < pair[1], "`explain --list` shows {} before {}", pair[0], pair[1]);
    }
}

#[test]
fn closed_stdout_does_not_panic() {
    // `infrac explain --list | head -1`: the reader goes away before infrac
    // writes. infrac may fail, but it must not panic (exit 101).
    for args in [&["explain", "--list"][..], &["explain", "E0201"][..]] {
        let mut child = infrac().args(args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("spawn");
        drop(child.stdout.take());
        let output = child.wait_with_output().expect("wait");
        let err = stderr(&output);
        assert!(
            output.status.code() != Some(101) && !err.contains("panicked"),
            "`infrac {}` with a closed stdout panicked:\n{err}",
            args.join(" ")
        );
    }
}

// ---------------------------------------------------------------------------
// --help and --version
// ---------------------------------------------------------------------------

#[test]
fn help_mentions_every_verb() {
    for args in [&["--help"][..], &["-h"][..], &["help"][..]] {
        let output = run_here(args);
        assert_exit(&output, 0);
        let text = stdout(&output);
        for word in ["build", "check", "explain", "--error-format", "--color"] {
            assert!(text.contains(word), "`infrac {}` should mention {word}:\n{text}", args.join(" "));
        }
    }
    let output = run_here(&["build", "--help"]);
    assert_exit(&output, 0);
    assert!(stdout(&output).contains("--out"));
}

#[test]
fn version_prints_the_version() {
    let output = run_here(&["-V"]);
    assert_exit(&output, 0);
    assert_eq!(stdout(&output).trim(), format!("infrac {}", env!("CARGO_PKG_VERSION")));
    // The long form also names the embedded schema data.
    let output = run_here(&["--version"]);
    assert_exit(&output, 0);
    let text = stdout(&output);
    assert!(text.starts_with(&format!("infrac {} (CloudFormation schemas of 20", env!("CARGO_PKG_VERSION"))), "{text}");
    assert!(text.contains("from cfn-lint"), "{text}");
}

#[test]
fn explain_prints_a_construct_page() {
    let output = run_here(&["explain", "s3.Bucket"]);
    assert_exit(&output, 0);
    let page = stdout(&output);
    assert_eq!(page, infrac::stdlib::docs::describe("s3.Bucket").unwrap());
    for section in ["# s3.Bucket", "## Properties", "## Attributes", "## Resources it creates", "`AWS::S3::Bucket`"] {
        assert!(page.contains(section), "the page has {section}:\n{page}");
    }
}

#[test]
fn explain_unknown_construct_suggests_one() {
    let output = run_here(&["explain", "s3.Buckt"]);
    assert_exit(&output, 2);
    assert!(stderr(&output).contains("did you mean `s3.Bucket`?"), "{}", stderr(&output));
}

#[test]
fn standard_library_needs_no_import() {
    let dir = TempDir::new("std-no-import");
    dir.write("site.infra", "resource site: s3.Bucket {}\noutput bucket = site\n");
    let output = run(&dir, &["build", "site.infra", "-o", "out"]);
    assert_exit(&output, 0);
    let template = std::fs::read_to_string(dir.join("out/Site.template.json")).unwrap();
    assert!(template.contains("\"SiteBucket\""), "{template}");
    assert!(template.contains("\"Ref\": \"SiteBucket\""), "the instance as a value is its primary output: {template}");
}

#[test]
fn lsp_speaks_the_language_server_protocol_on_stdio() {
    use std::io::Write;
    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }
    let mut child = infrac()
        .arg("lsp")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start infrac lsp");
    let messages = [
        r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}"#,
        r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#,
        r#"{"jsonrpc":"2.0","id":2,"method":"shutdown"}"#,
        r#"{"jsonrpc":"2.0","method":"exit"}"#,
    ];
    let input: String = messages.iter().map(|m| frame(m)).collect();
    child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("write to the server");
    let output = child.wait_with_output().expect("wait for infrac lsp");
    assert_exit(&output, 0);
    let answer = stdout(&output);
    assert!(answer.contains(r#""id":1"#) && answer.contains("capabilities"), "{answer}");
    assert!(answer.contains("hoverProvider") && answer.contains("completionProvider"), "{answer}");
    assert!(answer.contains(r#""id":2"#), "shutdown is answered: {answer}");
}

// --- infrac import -----------------------------------------------------------

/// A YAML template with short forms, a condition, a mapping read by region,
/// an implied and a needed `DependsOn`, a comment above a resource (kept)
/// and one after a value (lost).
const IMPORTED_TEMPLATE: &str = r#"AWSTemplateFormatVersion: "2010-09-09"
Description: Queues for the import test.
Parameters:
  Stage:
    Type: String
    AllowedValues: [dev, prod]
    Default: dev
Mappings:
  RegionConfig:
    eu-west-1: { Retention: 345600 }
    us-east-1: { Retention: 1209600 }
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
Resources:
  # The dead-letter queue.
  DeadLetters:
    Type: AWS::SQS::Queue
    Condition: IsProd
  Jobs:
    Type: AWS::SQS::Queue
    DependsOn: [Audit]
    Properties:
      QueueName: !Sub "${AWS::StackName}-jobs-${Stage}" # one per stage
      MessageRetentionPeriod: !FindInMap [RegionConfig, !Ref "AWS::Region", Retention]
  Audit:
    Type: AWS::SQS::Queue
Outputs:
  JobsArn:
    Value: !GetAtt Jobs.Arn
    Export:
      Name: !Join ["-", [!Ref "AWS::StackName", jobs]]
"#;

#[test]
fn import_writes_one_template_to_stdout_and_it_builds_back() {
    let dir = TempDir::new("import-stdout");
    dir.write("queues.yaml", IMPORTED_TEMPLATE);
    let output = run(&dir, &["import", "queues.yaml"]);
    assert_exit(&output, 0);
    let program = stdout(&output);
    assert!(program.contains("let is_prod = stage == \"prod\""), "{program}");
    assert!(program.contains("@depends_on(audit)"), "{program}");
    assert!(program.contains("lookup(region_config, aws.region, \"Retention\")"), "{program}");
    // The comment above a resource is kept; the one after a value is lost,
    // and said so, at its line.
    assert!(program.contains("// The dead-letter queue.\n@when(is_prod)\nresource dead_letters"), "{program}");
    let errors = stderr(&output);
    assert!(
        errors.contains("warning[I0201]: 1 YAML comment cannot be kept") && errors.contains("queues.yaml:23:1"),
        "{errors}"
    );
    // The program builds back to the template.
    dir.write("queues.infra", &program);
    assert_exit(&run(&dir, &["build", "queues.infra", "-o", "out"]), 0);
    let built: Json =
        serde_json::from_str(&std::fs::read_to_string(dir.join("out/Queues.template.json")).expect("built"))
            .expect("JSON");
    let original = infrac::cfn_yaml::read(IMPORTED_TEMPLATE, infrac::cfn_yaml::Tags::CloudFormation).expect("YAML");
    assert_eq!(infrac::normalise::differences(&original.to_json(), &built), Vec::<String>::new());
}

#[test]
fn import_writes_each_template_into_the_folder() {
    let dir = TempDir::new("import-out");
    dir.write("queues.yaml", IMPORTED_TEMPLATE);
    dir.write("topic.json", r#"{ "Resources": { "Alerts": { "Type": "AWS::SNS::Topic" } } }"#);
    let output = run(&dir, &["import", "queues.yaml", "topic.json", "-o", "programs"]);
    assert_exit(&output, 0);
    assert!(stdout(&output).is_empty());
    let topic = std::fs::read_to_string(dir.join("programs/topic.infra")).expect("topic.infra written");
    assert_eq!(topic, "resource alerts: AWS::SNS::Topic {}\n");
    assert!(dir.join("programs/queues.infra").is_file());
}

#[test]
fn import_of_a_bad_template_reports_its_line_and_writes_nothing() {
    let dir = TempDir::new("import-bad");
    dir.write("good.json", r#"{ "Resources": { "Alerts": { "Type": "AWS::SNS::Topic" } } }"#);
    dir.write(
        "bad.yaml",
        "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Ref Missing\n",
    );
    let output = run(&dir, &["import", "good.json", "bad.yaml", "-o", "programs"]);
    assert_exit(&output, 1);
    let errors = stderr(&output);
    assert!(errors.contains("error[I0103]: no parameter or resource named `Missing`"), "{errors}");
    assert!(errors.contains("--> bad.yaml:5:19"), "{errors}");
    assert!(!dir.join("programs").exists(), "nothing is written when a template has errors");
    // Invalid YAML and an unknown intrinsic, as JSON diagnostics.
    dir.write("broken.yaml", "Resources: [\n");
    dir.write("unknown.json", "{\n  \"Resources\": {\n    \"A\": { \"Type\": \"AWS::SNS::Topic\", \"Properties\": { \"TopicName\": { \"Fn::Nope\": 1 } } }\n  }\n}\n");
    for (file, code) in [("broken.yaml", "I0101"), ("unknown.json", "I0102")] {
        let output = run(&dir, &["--error-format", "json", "import", file]);
        assert_exit(&output, 1);
        let line: Json = serde_json::from_str(stdout(&output).lines().next().expect("a diagnostic")).expect("JSON");
        assert_eq!(line["code"], code, "{line}");
        assert_eq!(line["file"], file);
        assert!(line["line"].as_u64().is_some() && line["column"].as_u64().is_some(), "{line}");
    }
}

#[test]
fn import_usage_and_file_errors_exit_2() {
    let dir = TempDir::new("import-usage");
    dir.write("a.json", r#"{ "Resources": { "A": { "Type": "AWS::SNS::Topic" } } }"#);
    dir.write("b.json", r#"{ "Resources": { "B": { "Type": "AWS::SNS::Topic" } } }"#);
    let output = run(&dir, &["import", "a.json", "b.json"]);
    assert_exit(&output, 2);
    assert!(stderr(&output).contains("-o DIR"), "{}", stderr(&output));
    assert_exit(&run(&dir, &["import", "missing.yaml"]), 2);
    assert_exit(&run(&dir, &["import"]), 2);
}

#[test]
fn import_with_constructs_reports_a_vpc_left_alone_on_stderr() {
    let dir = TempDir::new("import-constructs-vpc");
    let mut sources = infrac::source::SourceMap::new();
    let file = sources.add("net.infra", "resource net: ec2.Vpc { flow_logs: false }\noutput id = net\n");
    let template = infrac::compile(&mut sources, &[file]).stacks.remove(0).template;
    // The same resources under the names a person would give them.
    let renamed = serde_json::to_string_pretty(&template).expect("JSON").replace("\"Net", "\"");
    dir.write("net.json", &renamed);
    let output = run(&dir, &["import", "--constructs", "net.json"]);
    assert_exit(&output, 0);
    assert!(stdout(&output).contains("resource vpc: AWS::EC2::VPC"), "{}", stdout(&output));
    let report = stderr(&output);
    assert!(
        report.contains("note[I0203]: `Vpc`, `InternetGateway`, `GatewayAttachment` and 16 more could be `ec2.Vpc`"),
        "{report}"
    );
    assert!(report.contains("only the logical IDs differ from the construct's: raising would replace 19 resources"));
    assert!(report.contains("--> net.json:"), "{report}");
}

#[test]
fn import_with_constructs_raises_a_bucket_and_its_policy() {
    let dir = TempDir::new("import-constructs");
    let mut sources = infrac::source::SourceMap::new();
    let file = sources.add("site.infra", "resource site: s3.Bucket {}\noutput arn = site.arn\n");
    let template = infrac::compile(&mut sources, &[file]).stacks.remove(0).template;
    dir.write("site.json", &serde_json::to_string_pretty(&template).expect("JSON"));
    let output = run(&dir, &["import", "--constructs", "site.json"]);
    assert_exit(&output, 0);
    assert_eq!(stdout(&output), "resource site: s3.Bucket {}\n\noutput arn = site.arn\n");
    assert!(stderr(&output).contains("note[I0202]: `SiteBucket` and `SitePolicy` raised"), "{}", stderr(&output));
}
