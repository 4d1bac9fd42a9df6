//! Functions that bring the user's own files into a deployment: `asset`
//! and `docker_image`.
//! What is read, packaged and uploaded is the `assets` module's and the
//! command line's business; here a path becomes the value a template holds.

use super::{Arity, Builtin, Call, Doc};
use crate::assets;
use crate::assets::images::{self, BuildOptions, Repository, REGISTRY};
use crate::check::eval::deploy;
use crate::check::value::{Ty, Val};
use crate::check::Checker;
use crate::diagnostics::builder as diag;
use crate::diagnostics::facts::{CompileTimeNeed, Kind, Origin};
use crate::hir::{Intrinsic, Value};
use crate::modules::{normalize, parent, within};
use crate::source::Span;

pub(super) const ASSET: Builtin = Builtin {
    name: "asset",
    arity: Arity::exactly(1),
    doc: Doc {
        signatures: &["asset(path)"],
        summary: "a file or folder of the project, uploaded to S3 at deploy time",
        description: "The object `{ S3Bucket, S3Key }` where `infrac deploy` uploads the file or folder at \
            `path`, relative to the file that calls `asset`: the shape of `AWS::Lambda::Function`'s `Code`, \
            and what `lambda.Function`'s `code` takes; in an AWS SAM resource's `CodeUri`, `ContentUri` or \
            `DefinitionUri` it becomes SAM's `{ Bucket, Key }`. A folder is zipped (entries sorted, dated 1980-01-01, \
            mode 755, so the same files give the same zip on any machine), a file is kept as it is; the key \
            is the SHA-256 of that content plus its extension (`.zip` for a folder), so a changed file is a \
            new key and an unchanged one uploads nothing. The bucket is the staging bucket \
            `infrac-assets-ACCOUNT-REGION` that `infrac bootstrap` creates. `infrac build` writes the \
            packaged asset to `out/assets/` and lists it in `manifest.json`. The path must be known at \
            compile time and stay inside the project (the folder of the file given on the command line).",
        example: r#"//# file: app.infra
resource function: AWS::Lambda::Function {
  Runtime: "python3.12"
  Handler: "index.handler"
  Role: "arn:aws:iam::123456789012:role/lambda"
  Code: asset("./src")
}
//# file: src/index.py
def handler(event, context):
    return "hello"
"#,
    },
    implementation: asset,
};

fn asset(checker: &mut Checker<'_>, call: &Call<'_>) -> Val {
    let span = call.arg_span(0);
    let Some(path) = checker.compile_time_string(&call.values[0], span, CompileTimeNeed::Argument(ASSET.name)) else {
        return Val::Error;
    };
    let Some(key) = checker.package_asset(&path, span) else { return Val::Error };
    let bucket = Value::intrinsic(Intrinsic::Sub(checker.assets.staging.bucket.clone(), Vec::new()));
    Val::Object(vec![
        ("S3Bucket".to_string(), deploy(Ty::String, bucket, Origin::Function(ASSET.name))),
        ("S3Key".to_string(), Val::Str(key)),
    ])
}

impl Checker<'_> {
    /// Packages the asset `path` names, relative to the file of `span`,
    /// once per program; its object key, or `None` when it was reported.
    fn package_asset(&mut self, path: &str, span: Span) -> Option<String> {
        let resolved = self.resolve_asset_path(path, span)?;
        let found = match self.assets.by_path.get(&resolved) {
            Some(found) => found.clone(),
            None => {
                let found = (self.assets.read)(&resolved).map(|source| {
                    let asset = assets::package(&resolved, source);
                    let key = asset.key.clone();
                    self.assets.packaged.push(asset);
                    key
                });
                self.assets.by_path.insert(resolved, found.clone());
                found
            }
        };
        found.map_err(|error| self.report(diag::asset_not_found(span, path, &error))).ok()
    }

    /// `path` relative to the file of `span`, or `None` when it leaves the
    /// project (reported).
    fn resolve_asset_path(&mut self, path: &str, span: Span) -> Option<String> {
        let module = self.modules.iter().find(|module| module.file_id == span.file)?;
        let resolved = normalize(&format!("{}/{path}", parent(&module.path)));
        let inside = self.modules.iter().filter(|m| m.is_entry).any(|entry| within(parent(&entry.path), &resolved));
        if !inside {
            self.report(diag::asset_outside_root(span, path));
            return None;
        }
        Some(resolved)
    }
}

/// The AWS SAM properties that take an S3 location as `{ Bucket, Key,
/// Version }` rather than `Code`'s `{ S3Bucket, S3Key, S3ObjectVersion }`.
const SAM_LOCATIONS: &[(&str, &str)] = &[
    ("AWS::Serverless::Function", "CodeUri"),
    ("AWS::Serverless::LayerVersion", "ContentUri"),
    ("AWS::Serverless::Api", "DefinitionUri"),
    ("AWS::Serverless::HttpApi", "DefinitionUri"),
    ("AWS::Serverless::StateMachine", "DefinitionUri"),
];

/// Gives `asset(...)` (the shape of `AWS::Lambda::Function.Code`) the shape
/// SAM wants where a SAM resource takes an S3 location, so that `CodeUri:
/// asset("./src")` works; any object written with `Code`'s keys there is
/// renamed alike, since SAM would refuse it as it is.
pub(in crate::check) fn sam_locations(cfn_type: &str, properties: &mut [(String, Value)]) {
    let Some((_, property)) = SAM_LOCATIONS.iter().find(|(ty, _)| *ty == cfn_type) else { return };
    for (name, value) in properties.iter_mut() {
        let Value::Object(entries) = value else { continue };
        if name != property || !entries.iter().any(|(key, _)| key == "S3Bucket") {
            continue;
        }
        for (key, _) in entries.iter_mut() {
            let renamed = match key.as_str() {
                "S3Bucket" => "Bucket",
                "S3Key" => "Key",
                "S3ObjectVersion" => "Version",
                _ => continue,
            };
            *key = renamed.to_string();
        }
    }
}

pub(super) const DOCKER_IMAGE: Builtin = Builtin {
    name: "docker_image",
    arity: Arity::between(1, 2),
    doc: Doc {
        signatures: &["docker_image(path)", "docker_image(path, settings)"],
        summary: "an image built from a folder of the project, pushed to ECR at deploy time",
        description: "The URI of the image `infrac deploy` builds from the folder at `path` (relative to the \
            file that calls `docker_image`) and pushes to the staging repository `infrac-assets` that \
            `infrac bootstrap` creates: `ACCOUNT.dkr.ecr.REGION.amazonaws.com/infrac-assets:TAG`, a \
            deploy-time string for wherever an image URI is wanted. The tag is the SHA-256 of the build \
            context as Docker receives it (the files `.dockerignore` does not leave out, with the \
            Dockerfile) and of the settings, so an unchanged context is neither rebuilt nor pushed. \
            `settings` is an object known at compile time with any of `dockerfile` (the Dockerfile's path \
            in the context), `build_args` (an object of strings), `target` (a stage) and `platform` (such \
            as `\"linux/arm64\"`) and `repository`, an `ecr.Repository` (or `AWS::ECR::Repository`) of \
            another stack to push to instead of the staging repository: that stack is deployed first, \
            and the image pushed before the stack that runs it. The path must stay inside the project.",
        example: r#"//# file: app.infra
resource task: AWS::ECS::TaskDefinition {
  RequiresCompatibilities: ["FARGATE"]
  NetworkMode: "awsvpc"
  Cpu: "256"
  Memory: "512"
  ContainerDefinitions: [
    {
      Name: "web"
      Image: docker_image("./web", { platform: "linux/arm64", build_args: { MODE: "production" } })
    },
  ]
}
//# file: web/Dockerfile
FROM scratch
COPY index.html /
//# file: web/index.html
<h1>hello</h1>
"#,
    },
    implementation: docker_image,
};

const ECR_REPOSITORY: &str = "AWS::ECR::Repository";

/// The settings `docker_image` takes.
const IMAGE_SETTINGS: &[&str] = &["dockerfile", "build_args", "target", "platform", "repository"];

fn docker_image(checker: &mut Checker<'_>, call: &Call<'_>) -> Val {
    let span = call.arg_span(0);
    let need = CompileTimeNeed::Argument(DOCKER_IMAGE.name);
    let Some(path) = checker.compile_time_string(&call.values[0], span, need) else { return Val::Error };
    let mut settings = call.values.get(1).cloned();
    // The repository is a deploy-time value among compile-time settings.
    let repository = match &mut settings {
        Some(Val::Object(entries)) => {
            entries.iter().position(|(key, _)| key == "repository").map(|at| entries.remove(at).1)
        }
        _ => None,
    };
    let Some(options) = settings
        .as_ref()
        .map_or(Some(BuildOptions::default()), |settings| checker.image_settings(settings, call.arg_span(1)))
    else {
        return Val::Error;
    };
    let (repository, name) = match repository {
        None => {
            let name = checker.assets.staging.repository.clone();
            (Repository::Staging(name.clone()), Val::Str(name))
        }
        Some(value) => match checker.user_repository(&value, call.arg_span(1)) {
            Some(repository) => (repository, value),
            None => return Val::Error,
        },
    };
    let Some(tag) = checker.build_image(&path, options, repository, span) else { return Val::Error };
    // `REGISTRY/NAME:TAG`, the name a value of this stack or an import.
    let registry = deploy(
        Ty::String,
        Value::intrinsic(Intrinsic::Sub(format!("{REGISTRY}/"), Vec::new())),
        Origin::Function(DOCKER_IMAGE.name),
    );
    match checker.concat(vec![registry, name, Val::Str(format!(":{tag}"))]) {
        Val::Deploy(mut uri) => {
            uri.origin = Origin::Function(DOCKER_IMAGE.name);
            Val::Deploy(uri)
        }
        other => other,
    }
}

impl Checker<'_> {
    /// `docker_image`'s settings, or `None` when one is wrong (reported).
    fn image_settings(&mut self, settings: &Val, span: Span) -> Option<BuildOptions> {
        let Val::Object(entries) = settings else {
            if !settings.is_compile_time() {
                let need = CompileTimeNeed::Argument(DOCKER_IMAGE.name);
                self.report(diag::not_compile_time(span, need, settings.deploy_origin()));
            } else {
                self.mismatch(span, Kind::Object, settings);
            }
            return None;
        };
        let mut options = BuildOptions::default();
        let mut ok = true;
        for (key, value) in entries {
            let text = |checker: &mut Self, value: &Val| {
                let need = CompileTimeNeed::Argument(DOCKER_IMAGE.name);
                checker.compile_time_string(value, span, need)
            };
            match key.as_str() {
                "dockerfile" => options.dockerfile = text(self, value),
                "target" => options.target = text(self, value),
                "platform" => options.platform = text(self, value),
                "build_args" => match value {
                    Val::Object(args) => {
                        for (name, arg) in args {
                            match arg.scalar_text().filter(|_| arg.is_compile_time()) {
                                Some(text) => options.build_args.push((name.clone(), text)),
                                None => {
                                    self.mismatch(span, Kind::String, arg);
                                    ok = false;
                                }
                            }
                        }
                    }
                    other => {
                        self.mismatch(span, Kind::Object, other);
                        ok = false;
                    }
                },
                other => {
                    self.report(diag::unknown_setting(span, DOCKER_IMAGE.name, other, IMAGE_SETTINGS));
                    ok = false;
                }
            }
        }
        options.build_args.sort();
        ok.then_some(options)
    }

    /// The `AWS::ECR::Repository` of another stack that `value` (a
    /// `repository` setting) stands for; `None` when it is not one
    /// (reported).
    fn user_repository(&mut self, value: &Val, span: Span) -> Option<Repository> {
        if let Val::Resource(resource) = value {
            if resource.cfn_type == ECR_REPOSITORY {
                self.report(diag::image_repository_in_same_stack(span));
                return None;
            }
        }
        let found = match value {
            Val::Deploy(deploy) => match &deploy.value {
                Value::Intrinsic(intrinsic) => match &**intrinsic {
                    Intrinsic::ImportValue(Value::String(export)) => self.exported_resource(export),
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        };
        match found {
            Some((stack, logical_id, cfn_type)) if cfn_type.as_deref().is_none_or(|t| t == ECR_REPOSITORY) => {
                Some(Repository::Stack { stack, logical_id })
            }
            found => {
                let other_type = found.and_then(|(_, _, cfn_type)| cfn_type);
                let other_type = other_type.or_else(|| match value {
                    Val::Resource(resource) => Some(resource.cfn_type.clone()),
                    _ => None,
                });
                self.report(diag::not_an_image_repository(span, &value.kind(), other_type.as_deref()));
                None
            }
        }
    }

    /// The stack, logical ID and type (when known yet) of the resource an
    /// export of the program names by its `Ref`.
    fn exported_resource(&self, export: &str) -> Option<(String, String, Option<String>)> {
        self.stacks.iter().find_map(|stack| {
            let (_, _, value, _) = stack.exports.iter().find(|(_, name, _, _)| name == export)?;
            let Value::Intrinsic(intrinsic) = value else { return None };
            let Intrinsic::Ref(logical_id) = &**intrinsic else { return None };
            let cfn_type = stack.resource_types.get(logical_id).cloned();
            Some((stack.name.clone(), logical_id.clone(), cfn_type))
        })
    }

    /// Hashes the build context `path` names, relative to the file of
    /// `span`, for `repository`; the image's tag, or `None` when it was
    /// reported.
    fn build_image(&mut self, path: &str, options: BuildOptions, repository: Repository, span: Span) -> Option<String> {
        let resolved = self.resolve_asset_path(path, span)?;
        let same = |i: &&images::Image| i.path == resolved && i.options == options && i.repository == repository;
        if let Some(image) = self.assets.images.iter().find(same) {
            return Some(image.tag.clone());
        }
        match (self.assets.read)(&resolved) {
            Ok(assets::Source::Folder(files)) => {
                let image = images::image(&resolved, files, options, repository);
                let tag = image.tag.clone();
                self.assets.images.push(image);
                Some(tag)
            }
            Ok(assets::Source::File(_)) => {
                self.report(diag::build_context_is_a_file(span, path));
                None
            }
            Err(error) => {
                self.report(diag::asset_not_found(span, path, &error));
                None
            }
        }
    }
}
