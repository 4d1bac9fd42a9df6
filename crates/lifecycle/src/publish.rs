//! Publishing assets: what `infrac deploy` does before any stack's change
//! set, and `infrac publish` alone.
//!
//! Every asset the deployed stacks name goes to the staging bucket of the
//! account and region, `infrac-assets-<account>-<region>` (the name the
//! templates give with `Fn::Sub`), under its content-hash key. An object
//! already there is the same bytes, so it is skipped: an unchanged program
//! uploads nothing. Everything is published before the first stack is
//! touched, so an asset that cannot be published fails the deploy with no
//! stack changed.
//!
//! Images go to the staging repository `infrac-assets` under their tag (the
//! hash of their build context): one ECR already holds (`DescribeImages`)
//! is skipped; the others are built with the container tool, which logs in
//! once with the token of `GetAuthorizationToken`, and pushed.

use infrac::assets::images::STAGING_REPOSITORY;

use crate::containers::BuildRequest;
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
    /// Image tags built and pushed now.
    pub pushed: Vec<String>,
    /// Image tags the repository held already.
    pub images_present: Vec<String>,
}

/// Where images are pushed, when not to the account's ECR registry.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PublishOptions {
    /// A registry host (`127.0.0.1:5000`) that takes the pushes instead of
    /// the one `GetAuthorizationToken` names: for tests against an
    /// emulator without a registry, such as moto.
    pub registry: Option<String>,
}

/// Publishes the file assets and images `stacks` need that are not there.
pub fn publish(
    session: &mut Session<'_>,
    program: &Program,
    stacks: &[&BuiltStack],
    options: &PublishOptions,
) -> Result<Published, Failure> {
    let mut published = publish_files(session, program, stacks)?;
    publish_images(session, program, stacks, options, &mut published)?;
    Ok(published)
}

/// Each item of `lists` once, in order.
fn unique<'a>(lists: impl Iterator<Item = &'a String>) -> Vec<&'a str> {
    let mut items: Vec<&str> = Vec::new();
    for item in lists {
        if !items.contains(&item.as_str()) {
            items.push(item);
        }
    }
    items
}

fn publish_images(
    session: &mut Session<'_>,
    program: &Program,
    stacks: &[&BuiltStack],
    options: &PublishOptions,
    published: &mut Published,
) -> Result<(), Failure> {
    let tags = unique(stacks.iter().flat_map(|stack| &stack.images));
    let mut registry: Option<String> = None;
    for tag in tags {
        let Some(image) = program.images.iter().find(|image| image.tag == tag) else {
            return Err(Failure::deploy(format!("the build names the image `{tag}` but did not hash it")));
        };
        let exists = session.cloud.image_exists(STAGING_REPOSITORY, tag).map_err(missing_repository)?;
        if exists {
            published.images_present.push(tag.to_string());
            continue;
        }
        let registry = match &registry {
            Some(registry) => registry.clone(),
            None => {
                let login = session.cloud.registry_login().map_err(Failure::cloud)?;
                let host = options.registry.clone().unwrap_or(login.registry);
                session.containers.login(&host, &login.username, &login.password).map_err(|error| {
                    Failure::deploy(format!("cannot log in to the image registry `{host}`: {error}"))
                })?;
                registry = Some(host.clone());
                host
            }
        };
        let reference = format!("{registry}/{STAGING_REPOSITORY}:{tag}");
        let request =
            BuildRequest { context: image.path.clone(), image: reference.clone(), options: image.options.clone() };
        session.ui.say(&format!("image {}: building {reference}", image.path));
        session.containers.build(&request).map_err(|error| {
            Failure::deploy(format!("the image in `{}` did not build; nothing was deployed:\n{error}", image.path))
        })?;
        session.containers.push(&reference).map_err(|error| {
            Failure::deploy(format!("the image `{reference}` could not be pushed; nothing was deployed:\n{error}"))
        })?;
        session.ui.say(&format!("image {}: pushed {reference}", image.path));
        published.pushed.push(tag.to_string());
    }
    if !published.images_present.is_empty() {
        let count = published.images_present.len();
        session.ui.say(&format!("{count} image{} already published", if count == 1 { "" } else { "s" }));
    }
    Ok(())
}

/// A missing staging repository means the account and region were never
/// bootstrapped.
fn missing_repository(error: crate::cloud::CloudError) -> Failure {
    if error.is_missing_repository() {
        return Failure::deploy(format!(
            "the staging image repository `{STAGING_REPOSITORY}` does not exist, so the program's images cannot be \
             pushed; nothing was deployed.\nRun `infrac bootstrap` once in this account and region to create it."
        ));
    }
    Failure::cloud(error)
}

fn publish_files(session: &mut Session<'_>, program: &Program, stacks: &[&BuiltStack]) -> Result<Published, Failure> {
    let keys = unique(stacks.iter().flat_map(|stack| &stack.assets));
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
