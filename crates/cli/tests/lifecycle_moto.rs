//! The lifecycle end to end: the real `infrac` binary against moto's
//! CloudFormation on 127.0.0.1, through `AWS_ENDPOINT_URL`, as a user runs
//! it (no terminal: stdin is closed).
//!
//! moto is a Python server; `.ci/lifecycle-moto.sh` installs it, starts it
//! and runs these tests with `INFRAC_MOTO_ENDPOINT` set. In a plain
//! `cargo test` they are ignored (and listed as such). What moto cannot do
//! (per-resource events, failures, rollbacks, drift, `ListImports`) is
//! tested against a scripted CloudFormation in `crates/lifecycle/tests/`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn endpoint() -> String {
    std::env::var("INFRAC_MOTO_ENDPOINT").expect("INFRAC_MOTO_ENDPOINT: run through .ci/lifecycle-moto.sh")
}

/// A fresh folder for one test's project.
struct Project {
    dir: PathBuf,
}

impl Project {
    fn new(name: &str) -> Project {
        let dir = std::env::temp_dir().join(format!("infrac-moto-{}", std::process::id())).join(name);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create project folder");
        Project { dir }
    }

    fn write(&self, file: &str, text: &str) {
        std::fs::write(self.dir.join(file), text).expect("write program");
    }

    fn infrac(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_infrac"))
            .args(args)
            .current_dir(&self.dir)
            .env("AWS_ENDPOINT_URL", endpoint())
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_REGION", "us-east-1")
            .env("AWS_CONFIG_FILE", "/dev/null")
            .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env_remove("AWS_PROFILE")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .output()
            .expect("run infrac")
    }
}

impl Project {
    /// `infrac` with pushes going to the test registry.
    fn infrac_with(&self, args: &[&str], registry: &str) -> Output {
        Command::new(env!("CARGO_BIN_EXE_infrac"))
            .args(args)
            .current_dir(&self.dir)
            .env("INFRAC_REGISTRY_HOST", registry)
            .env("AWS_ENDPOINT_URL", endpoint())
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_REGION", "us-east-1")
            .env("AWS_CONFIG_FILE", "/dev/null")
            .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env_remove("AWS_PROFILE")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .output()
            .expect("run infrac")
    }
}

impl Drop for Project {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn text(output: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

fn succeeds(output: Output) -> String {
    let shown = text(&output);
    assert!(output.status.success(), "expected success, got {:?}:\n{shown}", output.status.code());
    shown
}

fn exit_code(output: &Output) -> Option<i32> {
    output.status.code()
}

fn queue_program(stack: &str, visibility: u32, name_suffix: &str) -> String {
    format!(
        "stack {stack} {{\n  resource jobs: AWS::SQS::Queue {{\n    QueueName: \"{}-jobs{name_suffix}\"\n    VisibilityTimeout: {visibility}\n  }}\n\n  output jobs_url = jobs.QueueUrl\n}}\n",
        stack.to_lowercase()
    )
}

#[test]
#[ignore = "needs moto: run by .ci/lifecycle-moto.sh"]
fn a_new_project_deploys_and_a_second_deploy_has_nothing_to_do() {
    let project = Project::new("fresh");
    succeeds(project.infrac(&["init", "--name", "moto-fresh"]));
    let first = succeeds(project.infrac(&["deploy", "--yes"]));
    assert!(first.contains("✓ MotoFresh: created"), "{first}");
    assert!(Path::new(&project.dir).join("out/MotoFresh.template.json").is_file(), "deploy writes the build");
    let second = succeeds(project.infrac(&["deploy", "--yes"]));
    assert!(second.contains("MotoFresh: no changes"), "{second}");
    // `--fail` exits 1 on any difference: the deployed stack is the program.
    succeeds(project.infrac(&["diff", "--live", "--fail"]));
    succeeds(project.infrac(&["destroy", "--yes"]));
}

#[test]
#[ignore = "needs moto: run by .ci/lifecycle-moto.sh"]
fn changes_in_place_and_replacements_are_told_apart() {
    let project = Project::new("changes");
    project.write("app.infra", &queue_program("MotoChanges", 30, ""));
    succeeds(project.infrac(&["deploy", "--yes"]));

    project.write("app.infra", &queue_program("MotoChanges", 60, ""));
    let in_place = project.infrac(&["diff", "--live", "--fail"]);
    assert_eq!(exit_code(&in_place), Some(1), "--fail exits 1 on a difference: {}", text(&in_place));
    let shown = text(&in_place);
    assert!(shown.contains("VisibilityTimeout: 30 → 60"), "{shown}");
    assert!(!shown.contains("replace"), "an in-place change: {shown}");
    let deployed = succeeds(project.infrac(&["deploy", "--yes"]));
    assert!(deployed.contains("✓ MotoChanges: updated"), "{deployed}");

    project.write("app.infra", &queue_program("MotoChanges", 60, "-v2"));
    let replacing = succeeds(project.infrac(&["diff", "--live"]));
    assert!(replacing.contains("requires replacement"), "QueueName is create-only: {replacing}");
    let deployed = succeeds(project.infrac(&["deploy", "--yes"]));
    assert!(deployed.contains("replace"), "the deploy's preview says so too: {deployed}");
    succeeds(project.infrac(&["destroy", "--yes"]));
}

#[test]
#[ignore = "needs moto: run by .ci/lifecycle-moto.sh"]
fn approval_without_a_terminal_refuses_and_changes_nothing() {
    let project = Project::new("approval");
    project.write("app.infra", &queue_program("MotoApproval", 30, ""));
    succeeds(project.infrac(&["deploy", "--yes"]));
    project.write("app.infra", &queue_program("MotoApproval", 45, ""));
    let refused = project.infrac(&["deploy", "--require-approval", "any-change"]);
    assert_eq!(exit_code(&refused), Some(1), "{}", text(&refused));
    assert!(text(&refused).contains("there is no terminal to ask"), "{}", text(&refused));
    let live = succeeds(project.infrac(&["diff", "--live"]));
    assert!(live.contains("VisibilityTimeout: 30 → 45"), "still to do, so nothing changed: {live}");
    succeeds(project.infrac(&["destroy", "--yes"]));
}

/// Two stacks in the manifest's order. (moto registers no outputs or
/// exports for a stack created through a change set, so a cross-stack
/// import cannot resolve there; the order that imports impose is tested
/// against the scripted CloudFormation, in `crates/lifecycle/tests/engine.rs`.)
#[test]
#[ignore = "needs moto: run by .ci/lifecycle-moto.sh"]
fn stacks_deploy_in_order_and_are_destroyed_in_reverse() {
    let project = Project::new("multi");
    project.write(
        "app.infra",
        "stack MotoData {\n  resource table: AWS::SQS::Queue {}\n}\n\nstack MotoApi {\n  resource api: AWS::SQS::Queue {}\n}\n",
    );
    let deployed = succeeds(project.infrac(&["deploy", "--yes"]));
    let data = deployed.find("✓ MotoData: created").expect(&deployed);
    let api = deployed.find("✓ MotoApi: created").expect(&deployed);
    assert!(data < api, "{deployed}");
    let destroyed = succeeds(project.infrac(&["destroy", "--yes"]));
    let api = destroyed.find("✓ MotoApi: deleted").expect(&destroyed);
    let data = destroyed.find("✓ MotoData: deleted").expect(&destroyed);
    assert!(api < data, "{destroyed}");
    let again = succeeds(project.infrac(&["destroy", "--yes"]));
    assert!(again.contains("nothing to delete"), "{again}");
}

#[test]
#[ignore = "needs moto: run by .ci/lifecycle-moto.sh"]
fn destroy_says_what_a_retain_policy_keeps() {
    let project = Project::new("retain");
    project.write(
        "app.infra",
        "stack MotoRetain {\n  @deletion_policy(\"Retain\")\n  @update_replace_policy(\"Retain\")\n  resource archive: AWS::S3::Bucket {\n    BucketName: \"infrac-moto-retained-archive\"\n  }\n}\n",
    );
    succeeds(project.infrac(&["deploy", "--yes"]));
    let destroyed = succeeds(project.infrac(&["destroy", "--yes"]));
    assert!(destroyed.contains("stays: Archive (AWS::S3::Bucket"), "{destroyed}");
    assert!(destroyed.contains("DeletionPolicy Retain"), "{destroyed}");
}

#[test]
#[ignore = "needs moto: run by .ci/lifecycle-moto.sh"]
fn a_missing_parameter_is_a_usage_error_and_a_given_one_is_used() {
    let project = Project::new("params");
    project.write(
        "app.infra",
        "stack MotoParams {\n  param stage: string\n\n  resource jobs: AWS::SQS::Queue {\n    QueueName: \"moto-params-${stage}\"\n  }\n}\n",
    );
    let missing = project.infrac(&["deploy", "--yes"]);
    assert_eq!(exit_code(&missing), Some(2), "{}", text(&missing));
    assert!(text(&missing).contains("--parameter MotoParams.Stage=VALUE"), "{}", text(&missing));
    let deployed = succeeds(project.infrac(&["deploy", "--yes", "--parameter", "MotoParams.Stage=dev"]));
    assert!(deployed.contains("created"), "{deployed}");
    succeeds(project.infrac(&["destroy", "--yes"]));
}

#[test]
#[ignore = "needs moto: run by .ci/lifecycle-moto.sh"]
fn a_stack_removed_from_the_program_shows_as_deleted() {
    let project = Project::new("removed");
    project.write(
        "app.infra",
        "stack MotoKept {\n  resource jobs: AWS::SQS::Queue {}\n}\n\nstack MotoGone {\n  resource jobs: AWS::SQS::Queue {}\n}\n",
    );
    succeeds(project.infrac(&["deploy", "--yes"]));
    project.write("app.infra", "stack MotoKept {\n  resource jobs: AWS::SQS::Queue {}\n}\n");
    let live = project.infrac(&["diff", "--live", "--fail"]);
    assert_eq!(exit_code(&live), Some(1), "{}", text(&live));
    let shown = text(&live);
    assert!(shown.contains("MotoGone"), "{shown}");
    assert!(shown.contains("[-] AWS::SQS::Queue Jobs"), "{shown}");
    assert!(shown.contains("Stack MotoKept: no differences"), "{shown}");
    project.write(
        "app.infra",
        "stack MotoKept {\n  resource jobs: AWS::SQS::Queue {}\n}\n\nstack MotoGone {\n  resource jobs: AWS::SQS::Queue {}\n}\n",
    );
    succeeds(project.infrac(&["destroy", "--yes"]));
}

/// An object of moto's S3, read with a plain HTTP request: moto checks no
/// signature, but finds the service in the `Authorization` header's scope.
/// `None` when it answers anything but 200.
fn s3_object(bucket: &str, key: &str) -> Option<Vec<u8>> {
    use std::io::{Read, Write};
    let endpoint = endpoint();
    let host = endpoint.trim_start_matches("http://").trim_end_matches('/');
    let mut stream = std::net::TcpStream::connect(host).expect("connect to moto");
    let scope = "Credential=testing/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0";
    let request = format!(
        "GET /{bucket}/{key} HTTP/1.1\r\nHost: {host}\r\nAuthorization: AWS4-HMAC-SHA256 {scope}\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).expect("request");
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).expect("read the answer");
    let end = answer.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&answer[..end]).to_string();
    if !head.starts_with("HTTP/1.1 200") {
        return None;
    }
    assert!(!head.to_ascii_lowercase().contains("transfer-encoding: chunked"), "{head}");
    Some(answer[end + 4..].to_vec())
}

const STAGING_BUCKET: &str = "infrac-assets-123456789012-us-east-1";

/// A Lambda function whose code is the folder `src/`.
const FUNCTION_PROGRAM: &str = "stack MotoAssets {\n  resource api: lambda.Function {\n    runtime: \"python3.12\"\n    code: asset(\"./src\")\n  }\n}\n";

#[test]
#[ignore = "needs moto: run by .ci/lifecycle-moto.sh"]
fn a_function_ships_its_folder_once() {
    let project = Project::new("assets");
    std::fs::create_dir_all(project.dir.join("src")).expect("create src");
    project.write("src/index.py", "def handler(event, context):\n    return 'hello'\n");
    project.write("app.infra", FUNCTION_PROGRAM);
    // Without the staging bucket, nothing is deployed and the way out is named.
    let refused = project.infrac(&["deploy", "--yes"]);
    assert_eq!(exit_code(&refused), Some(1), "{}", text(&refused));
    assert!(text(&refused).contains("infrac bootstrap"), "{}", text(&refused));
    assert!(!text(&refused).contains("MotoAssets: created"), "{}", text(&refused));

    let bootstrapped = succeeds(project.infrac(&["bootstrap", "--yes"]));
    assert!(bootstrapped.contains("✓ InfracStaging: created"), "{bootstrapped}");
    let again = succeeds(project.infrac(&["bootstrap", "--yes"]));
    assert!(again.contains("InfracStaging: no changes"), "{again}");
    let first = succeeds(project.infrac(&["deploy", "--yes"]));
    assert!(first.contains("✓ MotoAssets: created"), "{first}");
    let template: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(project.dir.join("out/MotoAssets.template.json")).expect("the template"),
    )
    .expect("JSON");
    let key = template["Resources"]["ApiFunction"]["Properties"]["Code"]["S3Key"].as_str().expect("a key").to_string();
    assert!(first.contains(&format!("uploaded {key}")), "{first}");
    let packaged = std::fs::read(project.dir.join("out/assets").join(&key)).expect("the packaged asset");
    assert_eq!(s3_object(STAGING_BUCKET, &key), Some(packaged), "the object is in S3 under the template's key");

    // Unchanged code: nothing to upload.
    let second = succeeds(project.infrac(&["deploy", "--yes"]));
    assert!(!second.contains("uploaded"), "{second}");
    assert!(second.contains("1 asset already published"), "{second}");
    // `publish` alone finds it there too.
    let published = succeeds(project.infrac(&["publish"]));
    assert!(published.contains("1 asset already published"), "{published}");
    succeeds(project.infrac(&["destroy", "--yes"]));
}

#[test]
#[ignore = "needs moto: run by .ci/lifecycle-moto.sh"]
fn a_project_publishes_to_its_own_bucket_named_in_infrac_toml() {
    let project = Project::new("own-bucket");
    // The project's bucket, made by a stack of its own (no bootstrap).
    std::fs::create_dir_all(project.dir.join("bucket")).expect("create bucket/");
    project.write(
        "bucket/app.infra",
        "stack MotoOwnBucket {\n  resource assets: AWS::S3::Bucket {\n    BucketName: \"moto-own-assets-${aws.region}\"\n  }\n}\n",
    );
    succeeds(project.infrac(&["deploy", "--yes", "bucket/app.infra"]));

    std::fs::create_dir_all(project.dir.join("src")).expect("create src");
    project.write("src/index.py", "def handler(event, context):\n    return 'own'\n");
    project.write("app.infra", &FUNCTION_PROGRAM.replace("MotoAssets", "MotoOwnAssets"));
    project.write("infrac.toml", "[staging]\nbucket = \"moto-own-assets-${AWS::Region}\"\n");
    let first = succeeds(project.infrac(&["deploy", "--yes"]));
    assert!(first.contains("✓ MotoOwnAssets: created"), "{first}");
    let template: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(project.dir.join("out/MotoOwnAssets.template.json")).expect("the template"),
    )
    .expect("JSON");
    let code = &template["Resources"]["ApiFunction"]["Properties"]["Code"];
    assert_eq!(
        code["S3Bucket"]["Fn::Sub"], "moto-own-assets-${AWS::Region}",
        "the template names the project's bucket"
    );
    let key = code["S3Key"].as_str().expect("a key");
    let packaged = std::fs::read(project.dir.join("out/assets").join(key)).expect("the packaged asset");
    assert_eq!(s3_object("moto-own-assets-us-east-1", key), Some(packaged));
    assert_eq!(s3_object(STAGING_BUCKET, key), None, "not the staging bucket");
    let second = succeeds(project.infrac(&["deploy", "--yes"]));
    assert!(second.contains("1 asset already published") && !second.contains("uploaded"), "{second}");
    succeeds(project.infrac(&["destroy", "--yes"]));
}

#[test]
#[ignore = "needs moto: run by .ci/lifecycle-moto.sh"]
fn a_template_over_the_body_limit_goes_through_the_staging_bucket() {
    let project = Project::new("large");
    let mut program = String::from("stack MotoLarge {\n");
    for i in 0..420 {
        program.push_str(&format!(
            "  resource queue{i:03}: AWS::SQS::Queue {{\n    DelaySeconds: 5\n    Tags: [{{ Key: \"purpose\", Value: \"a queue among many, so that the template is large ({i})\" }}]\n  }}\n"
        ));
    }
    program.push_str("}\n");
    project.write("app.infra", &program);
    succeeds(project.infrac(&["bootstrap", "--yes"]));
    let deployed = succeeds(project.infrac(&["deploy", "--yes"]));
    let text = std::fs::read(project.dir.join("out/MotoLarge.template.json")).expect("the template");
    assert!(text.len() > 51_200, "{} bytes", text.len());
    assert!(deployed.contains("✓ MotoLarge: created"), "{deployed}");
    let hash = sha256(&text);
    let key = format!("infrac/templates/MotoLarge-{hash}.json");
    assert!(deployed.contains(&format!("s3://{STAGING_BUCKET}/{key}")), "{deployed}");
    assert_eq!(s3_object(STAGING_BUCKET, &key), Some(text), "uploaded under its SHA-256");
    succeeds(project.infrac(&["destroy", "--yes"]));
}

/// The SHA-256 of `bytes` in lower-case hex, as the compiler's.
fn sha256(bytes: &[u8]) -> String {
    infrac::assets::sha256_hex(bytes)
}

/// The registry that takes the pushes in `registry_*` tests
/// (`.ci/images-podman.sh` starts one): moto serves the ECR API, not a
/// registry.
fn test_registry() -> String {
    std::env::var("INFRAC_TEST_REGISTRY").expect("INFRAC_TEST_REGISTRY: run through .ci/images-podman.sh")
}

/// A tag list from the test registry (Docker Registry HTTP API v2).
fn registry_tags(registry: &str, repository: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(registry).expect("connect to the registry");
    write!(stream, "GET /v2/{repository}/tags/list HTTP/1.1\r\nHost: {registry}\r\nConnection: close\r\n\r\n")
        .expect("request");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("read the answer");
    answer
}

#[test]
#[ignore = "needs moto, podman and a registry: run by .ci/images-podman.sh"]
fn registry_an_image_is_built_from_its_context_and_pushed_under_its_hash() {
    let project = Project::new("images");
    std::fs::create_dir_all(project.dir.join("web")).expect("create web");
    project.write("web/Dockerfile", "FROM scratch\nCOPY index.html /index.html\n");
    project.write("web/index.html", "<h1>hello</h1>\n");
    project.write("web/.dockerignore", "*.log\n");
    project.write("web/debug.log", "left out of the context\n");
    project.write(
        "app.infra",
        "stack MotoImages {\n  resource task: AWS::ECS::TaskDefinition {\n    ContainerDefinitions: [{ Name: \"web\", Image: docker_image(\"./web\"), Memory: 128 }]\n  }\n}\n",
    );
    let registry = test_registry();
    let deploy = |project: &Project| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_infrac"));
        command
            .args(["deploy", "--yes", "--container-tool", "podman"])
            .current_dir(&project.dir)
            .env("INFRAC_REGISTRY_HOST", &registry)
            .env("AWS_ENDPOINT_URL", endpoint())
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_REGION", "us-east-1")
            .env("AWS_CONFIG_FILE", "/dev/null")
            .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null());
        command.output().expect("run infrac")
    };
    succeeds(project.infrac(&["bootstrap", "--yes"]));
    let first = succeeds(deploy(&project));
    let template: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(project.dir.join("out/MotoImages.template.json")).expect("the template"),
    )
    .expect("JSON");
    let image = template["Resources"]["Task"]["Properties"]["ContainerDefinitions"][0]["Image"]["Fn::Sub"]
        .as_str()
        .expect("the image URI")
        .to_string();
    let tag = image.rsplit(':').next().expect("a tag").to_string();
    assert!(first.contains(&format!("pushed {registry}/infrac-assets:{tag}")), "{first}");
    assert!(first.contains("✓ MotoImages: created"), "{first}");
    assert!(registry_tags(&registry, "infrac-assets").contains(&tag), "the registry holds the content-hash tag");

    // An ignored file changes nothing: the same tag, and the template is
    // unchanged; moto's ECR never heard of the push, so the registry itself
    // is asked, and nothing is built or pushed.
    project.write("web/debug.log", "still left out\n");
    let second = succeeds(deploy(&project));
    assert!(second.contains("MotoImages: no changes"), "{second}");
    assert!(second.contains("1 image already published"), "{second}");
    assert!(!second.contains("pushed"), "{second}");
}

#[test]
#[ignore = "needs moto, podman and a registry: run by .ci/images-podman.sh"]
fn registry_an_image_goes_to_the_users_repository_of_another_stack() {
    let project = Project::new("own-images");
    std::fs::create_dir_all(project.dir.join("web")).expect("create web");
    project.write("web/Dockerfile", "FROM scratch\nCOPY index.html /index.html\n");
    project.write("web/index.html", "<h1>own</h1>\n");
    project.write(
        "app.infra",
        "stack MotoRepos {\n  resource web: AWS::ECR::Repository {\n    RepositoryName: \"moto/web\"\n  }\n}\n\nstack MotoRuns {\n  resource task: AWS::ECS::TaskDefinition {\n    ContainerDefinitions: [{ Name: \"web\", Image: docker_image(\"./web\", { repository: MotoRepos.web }), Memory: 128 }]\n  }\n}\n",
    );
    let registry = test_registry();
    // moto registers no exports for a stack made through a change set, so
    // `MotoRuns` (which imports the repository's name) cannot deploy there:
    // the repository's stack is deployed, then the image published for
    // `MotoRuns` alone, which looks the repository up in that stack.
    succeeds(project.infrac(&["deploy", "--yes", "--stack", "MotoRepos"]));
    let publish = ["publish", "--stack", "MotoRuns", "--container-tool", "podman"];
    let published = succeeds(project.infrac_with(&publish, &registry));
    assert!(published.contains(&format!("pushed {registry}/moto/web:")), "{published}");
    assert!(registry_tags(&registry, "moto/web").contains("\"tags\""), "the registry holds the repository");
    let again = succeeds(project.infrac_with(&publish, &registry));
    assert!(again.contains("1 image already published") && !again.contains("pushed"), "{again}");
    succeeds(project.infrac(&["destroy", "--yes"]));
}
