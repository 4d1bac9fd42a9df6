//! The lifecycle after the template: `deploy` (with `publish`, which
//! uploads file assets), `destroy`, `drift` and the live `diff`, written against the [`cloud::Cloud`] interface.
//!
//! This crate knows the order of CloudFormation calls and what their
//! answers mean; it never talks to AWS itself (the `infrac-aws` crate
//! implements [`cloud::Cloud`] with the AWS SDK) and never touches the
//! terminal (it writes to a [`ui::Ui`]). So everything here runs in tests
//! against scripted answers ([`testing::Scripted`]) and an injected clock.

pub mod clock;
pub mod cloud;
pub mod containers;
pub mod deploy;
pub mod destroy;
pub mod drift;
pub mod live;
pub mod locate;
pub mod preview;
pub mod program;
pub mod progress;
pub mod publish;
pub mod testing;
pub mod ui;

use std::sync::atomic::{AtomicBool, Ordering};

use clock::Clock;
use cloud::{Cloud, CloudError, ErrorKind};
use containers::Containers;
use locate::Locate;
use ui::Ui;

/// Everything a lifecycle command works with.
pub struct Session<'a> {
    pub cloud: &'a dyn Cloud,
    /// Builds and pushes image assets.
    pub containers: &'a dyn Containers,
    pub clock: &'a dyn Clock,
    pub ui: &'a mut dyn Ui,
    pub locate: &'a dyn Locate,
    /// Set by Ctrl-C: the command stops at the next safe point.
    pub interrupt: &'a AtomicBool,
    /// ANSI colours in previews.
    pub colour: bool,
}

impl Session<'_> {
    pub fn interrupted(&self) -> bool {
        self.interrupt.load(Ordering::SeqCst)
    }
}

/// Why a lifecycle command stopped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    pub kind: FailureKind,
    /// One paragraph: what happened and what to do next.
    pub message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailureKind {
    /// The deploy (or destroy) failed, was refused or was declined: exit 1.
    Failed,
    /// A wrong flag or a missing value: exit 2.
    Usage,
    /// Credentials, permissions, region or network: exit 2.
    Environment,
    /// Ctrl-C: exit 130.
    Interrupted,
}

impl Failure {
    pub fn exit_code(&self) -> u8 {
        match self.kind {
            FailureKind::Failed => 1,
            FailureKind::Usage | FailureKind::Environment => 2,
            FailureKind::Interrupted => 130,
        }
    }

    pub fn deploy(message: String) -> Failure {
        Failure { kind: FailureKind::Failed, message }
    }

    pub fn usage(message: String) -> Failure {
        Failure { kind: FailureKind::Usage, message }
    }

    pub fn interrupted(message: String) -> Failure {
        Failure { kind: FailureKind::Interrupted, message }
    }

    pub(crate) fn unknown_stacks(unknown: &[String], program: &program::Program) -> Failure {
        let known: Vec<&str> = program.stacks.iter().map(|s| s.name.as_str()).collect();
        Failure::usage(format!(
            "the program has no stack {}; its stacks are {}",
            unknown.iter().map(|u| format!("`{u}`")).collect::<Vec<_>>().join(", "),
            known.join(", ")
        ))
    }

    /// An error from AWS, with what to do about it.
    pub fn cloud(error: CloudError) -> Failure {
        let advice = match error.kind {
            ErrorKind::Credentials => Some(
                "AWS refused the credentials or found none. Sign in (`aws sso login --profile NAME`, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), choose a profile with `--profile` or AWS_PROFILE, and check that the session has not expired.",
            ),
            ErrorKind::AccessDenied => Some(
                "The credentials lack a permission this command needs (CloudFormation, and S3 for large templates). Use a role that has them, or ask an administrator.",
            ),
            ErrorKind::NoRegion => None,
            ErrorKind::Unreachable => Some(
                "AWS could not be reached. Check the network, and AWS_ENDPOINT_URL if it is set.",
            ),
            ErrorKind::Throttling => Some("AWS kept throttling the requests, even after retries; wait a minute and run the command again."),
            ErrorKind::Refused | ErrorKind::Service => None,
        };
        let kind = match error.kind {
            ErrorKind::Refused | ErrorKind::Service => FailureKind::Failed,
            _ => FailureKind::Environment,
        };
        let message = match advice {
            Some(advice) => format!("{error}\n{advice}"),
            None => error.to_string(),
        };
        Failure { kind, message }
    }
}
