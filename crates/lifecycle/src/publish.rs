//! Publishing file assets: what `infrac deploy` does before any stack's
//! change set, and `infrac publish` alone.
//!
//! Every asset the deployed stacks name goes to the staging bucket of the
//! account and region, `infrac-assets-<account>-<region>` (the name the
//! templates give with `Fn::Sub`), under its content-hash key. An object
//! already there is the same bytes, so it is skipped: an unchanged program
//! uploads nothing. Everything is published before the first stack is
//! touched, so an asset that cannot be published fails the deploy with no
//! stack changed.

use crate::program::{BuiltStack, Program};
use crate::{Failure, Session};

/// The staging bucket of an account and region, as the compiler's
/// `infrac::assets::STAGING_BUCKET` names it in templates.
pub fn staging_bucket(account: &str, region: &str) -> String {
    infrac::assets::STAGING_BUCKET.replace("${AWS::AccountId}", account).replace("${AWS::Region}", region)
}

/// What publishing did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Published {
    /// Keys uploaded now.
    pub uploaded: Vec<String>,
    /// Keys that were there already.
    pub present: Vec<String>,
}

/// Uploads the assets `stacks` need that the staging bucket lacks.
pub fn publish(session: &mut Session<'_>, program: &Program, stacks: &[&BuiltStack]) -> Result<Published, Failure> {
    let mut keys: Vec<&str> = Vec::new();
    for key in stacks.iter().flat_map(|stack| &stack.assets) {
        if !keys.contains(&key.as_str()) {
            keys.push(key);
        }
    }
    let mut published = Published::default();
    if keys.is_empty() {
        return Ok(published);
    }
    let identity = session.cloud.identity().map_err(Failure::cloud)?;
    let bucket = staging_bucket(&identity.account, &identity.region);
    for key in keys {
        let Some(asset) = program.asset(key) else {
            return Err(Failure::deploy(format!("the build names the asset `{key}` but did not package it")));
        };
        let exists = session.cloud.object_exists(&bucket, key).map_err(|error| missing_bucket(error, &bucket))?;
        if exists {
            published.present.push(key.to_string());
            continue;
        }
        session.cloud.put_object(&bucket, key, &asset.bytes).map_err(|error| missing_bucket(error, &bucket))?;
        session.ui.say(&format!("asset {}: uploaded {key} ({} bytes)", asset.path, asset.bytes.len()));
        published.uploaded.push(key.to_string());
    }
    if !published.present.is_empty() {
        let count = published.present.len();
        session.ui.say(&format!("{count} asset{} already published", if count == 1 { "" } else { "s" }));
    }
    Ok(published)
}

/// A missing staging bucket means the account and region were never
/// bootstrapped: say how to do it.
fn missing_bucket(error: crate::cloud::CloudError, bucket: &str) -> Failure {
    if error.is_missing_bucket() {
        return Failure::deploy(format!(
            "the staging bucket `{bucket}` does not exist, so the program's assets cannot be uploaded; nothing was \
             deployed.\nRun `infrac bootstrap` once in this account and region to create it."
        ));
    }
    Failure::cloud(error)
}
