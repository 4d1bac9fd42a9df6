//! Functions that bring the user's own files into a deployment: `asset`.
//! What is read, packaged and uploaded is the `assets` module's and the
//! command line's business; here a path becomes the value a template holds.

use super::{Arity, Builtin, Call, Doc};
use crate::assets::{self, STAGING_BUCKET};
use crate::check::eval::deploy;
use crate::check::value::{Ty, Val};
use crate::check::Checker;
use crate::diagnostics::builder as diag;
use crate::diagnostics::facts::{CompileTimeNeed, Origin};
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
            and what `lambda.Function`'s `code` takes. A folder is zipped (entries sorted, dated 1980-01-01, \
            mode 755, so the same files give the same zip on any machine), a file is kept as it is; the key \
            is the SHA-256 of that content plus its extension (`.zip` for a folder), so a changed file is a \
            new key and an unchanged one uploads nothing. The bucket is the staging bucket \
            `infrac-assets-ACCOUNT-REGION` that `infrac bootstrap` creates. `infrac build` writes the \
            packaged asset to `out/assets/` and lists it in `manifest.json`. The path must be known at \
            compile time and stay inside the project (the folder of the file given on the command line).",
        example: r#"resource function: AWS::Lambda::Function {
  Runtime: "python3.12"
  Handler: "index.handler"
  Role: "arn:aws:iam::123456789012:role/lambda"
  Code: asset("./src")
}"#,
    },
    implementation: asset,
};

fn asset(checker: &mut Checker<'_>, call: &Call<'_>) -> Val {
    let span = call.arg_span(0);
    let Some(path) = checker.compile_time_string(&call.values[0], span, CompileTimeNeed::Argument(ASSET.name)) else {
        return Val::Error;
    };
    let Some(key) = checker.package_asset(&path, span) else { return Val::Error };
    let bucket = Value::intrinsic(Intrinsic::Sub(STAGING_BUCKET.to_string(), Vec::new()));
    Val::Object(vec![
        ("S3Bucket".to_string(), deploy(Ty::String, bucket, Origin::Function(ASSET.name))),
        ("S3Key".to_string(), Val::Str(key)),
    ])
}

impl Checker<'_> {
    /// Packages the asset `path` names, relative to the file of `span`,
    /// once per program; its object key, or `None` when it was reported.
    fn package_asset(&mut self, path: &str, span: Span) -> Option<String> {
        let module = self.modules.iter().find(|module| module.file_id == span.file)?;
        let resolved = normalize(&format!("{}/{path}", parent(&module.path)));
        let inside = self.modules.iter().filter(|m| m.is_entry).any(|entry| within(parent(&entry.path), &resolved));
        if !inside {
            self.report(diag::asset_outside_root(span, path));
            return None;
        }
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
}
