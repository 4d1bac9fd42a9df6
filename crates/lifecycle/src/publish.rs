//! Publishing assets: what `infrac deploy` does before the stacks' change
//! sets, and `infrac publish` alone.
//!
//! Every file asset the deployed stacks name goes to the staging bucket
//! (`infrac-assets-<account>-<region>`, or the project's own: the
//! `Fn::Sub` template the templates name, [`Program::staging`]) under its
//! content-hash key. An object already there is the same bytes, so it is
//! skipped: an unchanged program uploads nothing. Images go to the staging
//! repository under their tag (the hash of their build context): one ECR
//! already holds (`DescribeImages`) is skipped; with a registry override
//! ([`PublishOptions::registry`]), whose pushes ECR never hears of, the
//! registry itself is asked too. The others are built with the container
//! tool, which logs in once with the token of `GetAuthorizationToken`, and
//! pushed.
//!
//! Everything for the staging bucket and repository is published before
//! the first stack is touched ([`publish_staged`]), so an asset that cannot
//! be published fails the deploy with no stack changed. An image for a
//! user's own repository (`docker_image(..., { repository })`) is pushed
//! once the stack holding that repository is deployed, just before the
//! stack that runs it ([`publish_own`]).
//!
//! Checks, uploads and builds run in parallel, at most
//! [`PublishOptions::parallel`] at once; what the UI shows is in the
//! program's order whatever finishes first. A build's output streams into
//! the status block on a terminal, is collapsed to one line once the image
//! is pushed, and is shown in full when the build fails.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use infrac::assets::images::{Image, Repository};

use crate::cloud::{CloudError, Identity};
use crate::containers::BuildRequest;
use crate::program::{BuiltStack, FileAsset, Program};
use crate::{Failure, Session};

/// How many checks, uploads or builds run at once by default.
pub const PARALLEL: usize = 4;

/// A bucket name template (`infrac::assets::Staging::bucket`) for an
/// account and region.
pub fn bucket_name(template: &str, identity: &Identity) -> String {
    template.replace("${AWS::AccountId}", &identity.account).replace("${AWS::Region}", &identity.region)
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

impl Published {
    fn add(&mut self, other: Published) {
        self.uploaded.extend(other.uploaded);
        self.present.extend(other.present);
        self.pushed.extend(other.pushed);
        self.images_present.extend(other.images_present);
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PublishOptions {
    /// A registry host (`127.0.0.1:5000`) that takes the pushes instead of
    /// the one `GetAuthorizationToken` names: for tests against an
    /// emulator without a registry, such as moto.
    pub registry: Option<String>,
    /// At most this many checks, uploads or builds at once; 0 for
    /// [`PARALLEL`].
    pub parallel: usize,
}

/// Everything `stacks` need: the staging bucket's and repository's, then
/// the images for the user's own repositories, whose stacks must be
/// deployed already (`infrac publish`).
pub fn publish(
    session: &mut Session<'_>,
    program: &Program,
    stacks: &[&BuiltStack],
    options: &PublishOptions,
) -> Result<Published, Failure> {
    let mut published = publish_staged(session, program, stacks, options)?;
    for stack in stacks {
        published.add(publish_own(session, program, stack, options)?);
    }
    Ok(published)
}

/// The file assets and staging-repository images `stacks` need that are
/// not there yet: before any stack is deployed.
pub fn publish_staged(
    session: &mut Session<'_>,
    program: &Program,
    stacks: &[&BuiltStack],
    options: &PublishOptions,
) -> Result<Published, Failure> {
    let mut jobs = Vec::new();
    let keys = unique(stacks.iter().flat_map(|stack| &stack.assets));
    if !keys.is_empty() {
        let identity = session.cloud.identity().map_err(Failure::cloud)?;
        let bucket = bucket_name(&program.staging.bucket, &identity);
        for key in keys {
            let Some(asset) = program.asset(key) else {
                return Err(Failure::deploy(format!("the build names the asset `{key}` but did not package it")));
            };
            jobs.push(Job::Upload { bucket: bucket.clone(), asset });
        }
    }
    for tag in unique(stacks.iter().flat_map(|stack| &stack.images)) {
        let image = image(program, tag)?;
        if let Repository::Staging(name) = &image.repository {
            jobs.push(Job::Image { image, repository: name.clone(), own: None });
        }
    }
    run(session, &jobs, options)
}

/// The images `stack` runs from the user's own repositories (of stacks it
/// depends on, so deployed before it) that are not there yet.
pub fn publish_own(
    session: &mut Session<'_>,
    program: &Program,
    stack: &BuiltStack,
    options: &PublishOptions,
) -> Result<Published, Failure> {
    let mut jobs = Vec::new();
    let mut names: BTreeMap<(String, String), String> = BTreeMap::new();
    for tag in unique(stack.images.iter()) {
        let image = image(program, tag)?;
        let Repository::Stack { stack: holder, logical_id } = &image.repository else { continue };
        let key = (holder.clone(), logical_id.clone());
        if !names.contains_key(&key) {
            let name = repository_name(session, image, holder, logical_id)?;
            names.insert(key.clone(), name);
        }
        jobs.push(Job::Image { image, repository: names[&key].clone(), own: Some(holder.clone()) });
    }
    run(session, &jobs, options)
}

fn image<'p>(program: &'p Program, tag: &str) -> Result<&'p Image, Failure> {
    program
        .images
        .iter()
        .find(|image| image.tag == tag)
        .ok_or_else(|| Failure::deploy(format!("the build names the image `{tag}` but did not hash it")))
}

/// The physical name of a user's repository: the `AWS::ECR::Repository`
/// `logical_id` of the deployed stack `holder`.
fn repository_name(session: &Session<'_>, image: &Image, holder: &str, logical_id: &str) -> Result<String, Failure> {
    let not_deployed = || {
        Failure::deploy(format!(
            "the image in `{}` goes to the repository {logical_id} of the stack {holder}, which is not deployed; \
             deploy it first (`infrac deploy --stack {holder}`)",
            image.path
        ))
    };
    let resources = match session.cloud.stack_resources(holder) {
        Ok(resources) => resources,
        Err(error) if error.is_missing_stack() => return Err(not_deployed()),
        Err(error) => return Err(Failure::cloud(error)),
    };
    resources
        .into_iter()
        .find(|resource| resource.logical_id == logical_id)
        .and_then(|resource| resource.physical_id)
        .ok_or_else(not_deployed)
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

/// One thing to publish.
enum Job<'p> {
    Upload {
        bucket: String,
        asset: &'p FileAsset,
    },
    Image {
        image: &'p Image,
        /// The repository's name.
        repository: String,
        /// The stack that holds it, for a user's own repository.
        own: Option<String>,
    },
}

impl Job<'_> {
    /// What the UI calls it.
    fn label(&self) -> String {
        match self {
            Job::Upload { asset, .. } => format!("asset {}", asset.path),
            Job::Image { image, .. } => format!("image {}", image.path),
        }
    }
}

/// Checks every job, logs in if an image is missing, then publishes the
/// missing ones; fails, with every problem, before publishing anything if
/// a check fails, and after the others finished if one cannot be
/// published.
fn run(session: &mut Session<'_>, jobs: &[Job<'_>], options: &PublishOptions) -> Result<Published, Failure> {
    let mut published = Published::default();
    if jobs.is_empty() {
        return Ok(published);
    }
    let limit = if options.parallel == 0 { PARALLEL } else { options.parallel };
    let cloud = session.cloud;
    let checks = in_parallel(jobs, limit, |job, _| match job {
        Job::Upload { bucket, asset } => {
            cloud.object_exists(bucket, &asset.key).map_err(|error| missing_bucket(error, bucket))
        }
        Job::Image { image, repository, own } => {
            cloud.image_exists(repository, &image.tag).map_err(|error| missing_repository(error, repository, own))
        }
    });
    let mut present = Vec::new();
    let mut problems = Vec::new();
    for check in checks {
        match check {
            Ok(exists) => present.push(exists),
            Err(failure) => problems.push(failure),
        }
    }
    if let Some(failure) = combined(std::mem::take(&mut problems)) {
        return Err(failure);
    }

    let needs_registry = jobs.iter().zip(&present).any(|(job, present)| matches!(job, Job::Image { .. }) && !present);
    let registry = if needs_registry { Some(log_in(session, options)?) } else { None };
    if let (Some(registry), Some(_)) = (&registry, &options.registry) {
        // ECR never hears of the override's pushes: ask the registry.
        let containers = session.containers;
        let checked: Vec<(&Job<'_>, bool)> = jobs.iter().zip(present.iter().copied()).collect();
        let asked = in_parallel(&checked, limit, |(job, present), _| match job {
            Job::Image { image, repository, .. } if !present => {
                containers.exists(&format!("{registry}/{repository}:{}", image.tag))
            }
            _ => Ok(*present),
        });
        for (present, asked) in present.iter_mut().zip(asked) {
            *present |= asked.unwrap_or(false);
        }
    }

    let todo: Vec<(usize, &Job<'_>)> = jobs.iter().enumerate().filter(|(i, _)| !present[*i]).collect();
    let (containers, interrupt) = (session.containers, session.interrupt);
    let mut running: BTreeMap<usize, String> = BTreeMap::new();
    let interactive = session.ui.interactive();
    let results = {
        let ui = &mut *session.ui;
        in_parallel_with(
            &todo,
            limit,
            |(_, job), output| {
                // Ctrl-C: what runs finishes, nothing more starts.
                if interrupt.load(std::sync::atomic::Ordering::SeqCst) {
                    return Err(Failure::interrupted(format!(
                        "{}: not published, stopped by Ctrl-C; nothing was deployed",
                        job.label()
                    )));
                }
                publish_one(cloud, containers, job, registry.as_deref(), output)
            },
            |index, line| {
                if !interactive {
                    return;
                }
                let label = todo[index].1.label();
                match line {
                    Some(line) => running.insert(index, format!("{label}: {}", shorten(line))),
                    None => running.remove(&index),
                };
                ui.status(&running.values().cloned().collect::<Vec<_>>());
            },
        )
    };

    for ((_, job), result) in todo.iter().zip(results) {
        match result {
            Ok(line) => {
                session.ui.say(&line);
                match job {
                    Job::Upload { asset, .. } => published.uploaded.push(asset.key.clone()),
                    Job::Image { image, .. } => published.pushed.push(image.tag.clone()),
                }
            }
            Err(failure) => problems.push(failure),
        }
    }
    for (job, _) in jobs.iter().zip(&present).filter(|(_, present)| **present) {
        match job {
            Job::Upload { asset, .. } => published.present.push(asset.key.clone()),
            Job::Image { image, .. } => published.images_present.push(image.tag.clone()),
        }
    }
    if let Some(failure) = combined(problems) {
        return Err(failure);
    }
    for (count, what) in [(published.present.len(), "asset"), (published.images_present.len(), "image")] {
        if count > 0 {
            session.ui.say(&format!("{count} {what}{} already published", if count == 1 { "" } else { "s" }));
        }
    }
    Ok(published)
}

/// Logs the container tool in to the registry once; its host.
fn log_in(session: &mut Session<'_>, options: &PublishOptions) -> Result<String, Failure> {
    let login = session.cloud.registry_login().map_err(Failure::cloud)?;
    let host = options.registry.clone().unwrap_or(login.registry);
    session
        .containers
        .login(&host, &login.username, &login.password)
        .map_err(|error| Failure::deploy(format!("cannot log in to the image registry `{host}`: {error}")))?;
    Ok(host)
}

/// Uploads a file or builds and pushes an image; the line that says so,
/// or why not.
fn publish_one(
    cloud: &dyn crate::cloud::Cloud,
    containers: &dyn crate::containers::Containers,
    job: &Job<'_>,
    registry: Option<&str>,
    output: &mut dyn FnMut(&str),
) -> Result<String, Failure> {
    match job {
        Job::Upload { bucket, asset } => {
            cloud.put_object(bucket, &asset.key, &asset.bytes).map_err(|error| {
                let mut failure = Failure::cloud(error);
                failure.message = format!(
                    "the asset `{}` could not be uploaded; nothing was deployed: {}",
                    asset.path, failure.message
                );
                failure
            })?;
            Ok(format!("asset {}: uploaded {} ({} bytes)", asset.path, asset.key, asset.bytes.len()))
        }
        Job::Image { image, repository, .. } => {
            let registry = registry.unwrap_or_default();
            let reference = format!("{registry}/{repository}:{}", image.tag);
            let request =
                BuildRequest { context: image.path.clone(), image: reference.clone(), options: image.options.clone() };
            output(&format!("building {reference}"));
            let mut said = Vec::new();
            let built = containers.build(&request, &mut |line: &str| {
                said.push(line.to_string());
                output(line);
            });
            if let Err(error) = built {
                let said = said.join("\n");
                return Err(Failure::deploy(format!(
                    "the image in `{}` did not build; nothing was deployed:\n{said}{}{error}",
                    image.path,
                    if said.is_empty() { "" } else { "\n" }
                )));
            }
            output(&format!("pushing {reference}"));
            containers.push(&reference).map_err(|error| {
                Failure::deploy(format!("the image `{reference}` could not be pushed; nothing was deployed:\n{error}"))
            })?;
            Ok(format!("image {}: pushed {reference}", image.path))
        }
    }
}

/// One line of a build's output, short enough for a status line.
fn shorten(line: &str) -> String {
    const WIDTH: usize = 100;
    let line = line.trim_end();
    match line.char_indices().nth(WIDTH) {
        Some((at, _)) => format!("{}…", &line[..at]),
        None => line.to_string(),
    }
}

/// All the failures as one: the first one's kind, every message.
fn combined(failures: Vec<Failure>) -> Option<Failure> {
    let mut failures = failures.into_iter();
    let mut first = failures.next()?;
    for other in failures {
        first.message.push('\n');
        first.message.push_str(&other.message);
    }
    Some(first)
}

/// `work` on every item, at most `limit` at once; the results in the
/// items' order.
fn in_parallel<T: Sync, R: Send>(
    items: &[T],
    limit: usize,
    work: impl Fn(&T, &mut dyn FnMut(&str)) -> R + Sync,
) -> Vec<R> {
    in_parallel_with(items, limit, work, |_, _| {})
}

/// As [`in_parallel`], with what each item's work says as it goes, on the
/// calling thread: `seen(index, Some(line))`, then `seen(index, None)` once
/// it is done.
fn in_parallel_with<T: Sync, R: Send>(
    items: &[T],
    limit: usize,
    work: impl Fn(&T, &mut dyn FnMut(&str)) -> R + Sync,
    mut seen: impl FnMut(usize, Option<&str>),
) -> Vec<R> {
    enum Message<R> {
        Line(usize, String),
        Done(usize, R),
    }
    let next = AtomicUsize::new(0);
    let (sender, receiver) = mpsc::channel::<Message<R>>();
    std::thread::scope(|scope| {
        for _ in 0..limit.max(1).min(items.len()) {
            let (sender, next, work) = (sender.clone(), &next, &work);
            scope.spawn(move || loop {
                let index = next.fetch_add(1, Ordering::SeqCst);
                let Some(item) = items.get(index) else { break };
                let result = work(item, &mut |line: &str| {
                    let _ = sender.send(Message::Line(index, line.to_string()));
                });
                let _ = sender.send(Message::Done(index, result));
            });
        }
        drop(sender);
        let mut results: Vec<Option<R>> = items.iter().map(|_| None).collect();
        for message in receiver {
            match message {
                Message::Line(index, line) => seen(index, Some(&line)),
                Message::Done(index, result) => {
                    seen(index, None);
                    results[index] = Some(result);
                }
            }
        }
        // A worker that panicked re-raises its panic when the scope ends,
        // before a missing result could be noticed.
        results.into_iter().flatten().collect()
    })
}

/// A missing staging bucket means the account and region were never
/// bootstrapped: say how to do it.
fn missing_bucket(error: CloudError, bucket: &str) -> Failure {
    if error.is_missing_bucket() {
        return Failure::deploy(format!(
            "the staging bucket `{bucket}` does not exist, so the program's assets cannot be uploaded; nothing was \
             deployed.\nRun `infrac bootstrap` once in this account and region to create it, or name an existing \
             bucket (`--staging-bucket`, or `bucket` under `[staging]` in infrac.toml)."
        ));
    }
    Failure::cloud(error)
}

/// A missing staging repository means the account and region were never
/// bootstrapped.
fn missing_repository(error: CloudError, repository: &str, own: &Option<String>) -> Failure {
    if !error.is_missing_repository() {
        return Failure::cloud(error);
    }
    Failure::deploy(match own {
        Some(stack) => format!(
            "the image repository `{repository}` of the stack {stack} does not exist, so the program's images cannot \
             be pushed to it; nothing was deployed"
        ),
        None => format!(
            "the staging image repository `{repository}` does not exist, so the program's images cannot be pushed; \
             nothing was deployed.\nRun `infrac bootstrap` once in this account and region to create it, or name an \
             existing repository (`--staging-repository`, or `repository` under `[staging]` in infrac.toml)."
        ),
    })
}
