//! What the lifecycle needs from AWS, as one small synchronous interface.
//!
//! The deploy engine, `destroy` and `drift` are written against [`Cloud`]
//! and these plain types, never against the AWS SDK: the SDK lives in the
//! `infrac-aws` crate, which implements [`Cloud`], and the tests drive the
//! engine with scripted answers (`crate::testing::Scripted`), including
//! the states moto cannot produce (per-resource events, failures,
//! rollbacks, drift, `ListImports`).

use std::collections::BTreeMap;
use std::fmt;

/// A deployed stack, as `DescribeStacks` tells it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StackDescription {
    pub name: String,
    pub id: String,
    /// `CREATE_COMPLETE`, `UPDATE_ROLLBACK_FAILED`, ...
    pub status: String,
    pub status_reason: Option<String>,
    /// Parameter values; CloudFormation shows a `NoEcho` one as `****`.
    pub parameters: BTreeMap<String, String>,
    pub outputs: Vec<StackOutput>,
    pub tags: BTreeMap<String, String>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct StackOutput {
    pub key: String,
    pub value: String,
    pub export_name: Option<String>,
    pub description: Option<String>,
}

/// Where CloudFormation reads a template from.
#[derive(Clone, Debug, PartialEq)]
pub enum TemplateSource {
    Body(String),
    /// An S3 URL, for templates over CloudFormation's 51,200-byte body limit.
    Url(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeSetKind {
    Create,
    Update,
}

/// A parameter of a change set: a value, or the value the stack has now.
#[derive(Clone, Debug, PartialEq)]
pub enum ParameterValue {
    Value(String),
    UsePrevious,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ChangeSetRequest {
    pub stack: String,
    pub name: String,
    pub kind: ChangeSetKind,
    pub template: TemplateSource,
    pub parameters: Vec<(String, ParameterValue)>,
    pub tags: BTreeMap<String, String>,
    pub role_arn: Option<String>,
    /// Makes a retried request idempotent.
    pub client_token: String,
}

/// One resource change of a change set, as CloudFormation predicts it.
#[derive(Clone, Debug, PartialEq)]
pub struct ResourceChange {
    /// `Add`, `Modify`, `Remove`, `Import`, `Dynamic`.
    pub action: String,
    pub logical_id: String,
    pub resource_type: String,
    /// `True`, `False` or `Conditional` (never given by moto).
    pub replacement: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ChangeSetDescription {
    pub id: String,
    /// `CREATE_PENDING`, `CREATE_IN_PROGRESS`, `CREATE_COMPLETE`, `FAILED`, ...
    pub status: String,
    pub status_reason: Option<String>,
    pub execution_status: Option<String>,
    pub changes: Vec<ResourceChange>,
}

/// One stack event. `timestamp_ms` is milliseconds since the Unix epoch.
#[derive(Clone, Debug, PartialEq)]
pub struct StackEvent {
    pub id: String,
    pub timestamp_ms: i64,
    pub logical_id: String,
    pub physical_id: Option<String>,
    pub resource_type: String,
    pub status: String,
    pub reason: Option<String>,
}

/// A resource of a deployed stack.
#[derive(Clone, Debug, PartialEq)]
pub struct StackResource {
    pub logical_id: String,
    pub physical_id: Option<String>,
    pub resource_type: String,
    pub status: String,
}

/// The state of one drift detection run.
#[derive(Clone, Debug, PartialEq)]
pub struct DriftDetection {
    /// `DETECTION_IN_PROGRESS`, `DETECTION_COMPLETE`, `DETECTION_FAILED`.
    pub status: String,
    /// `DRIFTED`, `IN_SYNC`, `UNKNOWN`, `NOT_CHECKED`, once complete.
    pub stack_drift_status: Option<String>,
    pub reason: Option<String>,
}

/// One resource's drift, with every property that differs.
#[derive(Clone, Debug, PartialEq)]
pub struct ResourceDrift {
    pub logical_id: String,
    pub physical_id: Option<String>,
    pub resource_type: String,
    /// `IN_SYNC`, `MODIFIED`, `DELETED`, `NOT_CHECKED`.
    pub status: String,
    pub differences: Vec<PropertyDifference>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PropertyDifference {
    /// A JSON pointer into the resource's properties: `/VersioningConfiguration/Status`.
    pub path: String,
    pub expected: String,
    pub actual: String,
    /// `ADD`, `REMOVE`, `NOT_EQUAL`.
    pub kind: String,
}

/// What went wrong talking to AWS, sorted by what the user should do.
#[derive(Clone, Debug, PartialEq)]
pub struct CloudError {
    pub kind: ErrorKind,
    /// The service's error code (`ValidationError`, `AccessDenied`), when it gave one.
    pub code: Option<String>,
    pub message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// No credentials could be found, or they were refused or expired.
    Credentials,
    /// The credentials lack a permission.
    AccessDenied,
    /// Too many requests: retried by the SDK, and then by the polling loops.
    Throttling,
    /// The endpoint could not be reached (network, DNS, a wrong `AWS_ENDPOINT_URL`).
    Unreachable,
    /// No region was configured.
    NoRegion,
    /// CloudFormation refused the request (`ValidationError`, `AlreadyExists`, ...).
    Refused,
    /// Anything else the service answered.
    Service,
}

impl CloudError {
    pub fn new(kind: ErrorKind, code: Option<&str>, message: impl Into<String>) -> CloudError {
        CloudError { kind, code: code.map(str::to_string), message: message.into() }
    }

    /// A request CloudFormation refused with this code and message.
    pub fn refused(code: &str, message: impl Into<String>) -> CloudError {
        CloudError::new(ErrorKind::Refused, Some(code), message)
    }

    /// CloudFormation's way of saying a stack does not exist.
    pub fn is_missing_stack(&self) -> bool {
        self.code.as_deref() == Some("ValidationError") && self.message.contains("does not exist")
    }

    /// An update (or change set) that would change nothing, in the words
    /// CloudFormation (and moto) use for it.
    pub fn is_no_changes(&self) -> bool {
        no_changes_reason(&self.message)
    }
}

/// Whether a change set's failure reason means "there is nothing to change".
pub fn no_changes_reason(reason: &str) -> bool {
    reason.contains("didn't contain changes") || reason.contains("No updates are to be performed")
}

impl fmt::Display for CloudError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.code {
            Some(code) => write!(f, "{code}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for CloudError {}

pub type CloudResult<T> = Result<T, CloudError>;

/// The AWS account and region a session talks to.
#[derive(Clone, Debug, PartialEq)]
pub struct Identity {
    pub account: String,
    pub arn: String,
    pub region: String,
}

/// The CloudFormation (and S3, STS) calls the lifecycle makes. Every method
/// is one API call (the implementation follows `NextToken` paging).
pub trait Cloud: Sync {
    fn identity(&self) -> CloudResult<Identity>;

    /// `None` when the stack does not exist (or was deleted).
    fn describe_stack(&self, stack: &str) -> CloudResult<Option<StackDescription>>;
    /// The template body as last submitted.
    fn get_template(&self, stack: &str) -> CloudResult<String>;
    fn stack_resources(&self, stack: &str) -> CloudResult<Vec<StackResource>>;
    /// Events newest first, stopping after the one with `after_id` when given
    /// (the events a caller has not seen yet).
    fn stack_events(&self, stack: &str, after_id: Option<&str>) -> CloudResult<Vec<StackEvent>>;

    fn create_change_set(&self, request: &ChangeSetRequest) -> CloudResult<String>;
    fn describe_change_set(&self, stack: &str, change_set: &str) -> CloudResult<ChangeSetDescription>;
    fn execute_change_set(&self, stack: &str, change_set: &str) -> CloudResult<()>;
    fn delete_change_set(&self, stack: &str, change_set: &str) -> CloudResult<()>;
    fn delete_stack(&self, stack: &str, client_token: &str, role_arn: Option<&str>) -> CloudResult<()>;

    /// The stacks that import an export (`ListImports`); empty when none do.
    fn list_imports(&self, export_name: &str) -> CloudResult<Vec<String>>;

    /// Starts drift detection; returns the detection ID.
    fn detect_drift(&self, stack: &str) -> CloudResult<String>;
    fn drift_detection_status(&self, detection_id: &str) -> CloudResult<DriftDetection>;
    fn resource_drifts(&self, stack: &str) -> CloudResult<Vec<ResourceDrift>>;

    /// Uploads a template to `bucket` under `key` and returns its URL.
    fn upload_template(&self, bucket: &str, key: &str, body: &str) -> CloudResult<String>;

    /// Whether `bucket` holds an object named `key` (`ListObjectsV2` with
    /// the key as prefix: a `HeadObject` before the upload could leave S3
    /// answering "not found" to CloudFormation for a while). A missing
    /// bucket is an error with the code `NoSuchBucket`.
    fn object_exists(&self, bucket: &str, key: &str) -> CloudResult<bool>;
    /// Uploads an asset's bytes to `bucket` under `key`.
    fn put_object(&self, bucket: &str, key: &str, body: &[u8]) -> CloudResult<()>;

    /// Whether the ECR `repository` holds an image tagged `tag`
    /// (`DescribeImages`). A missing repository is an error with the code
    /// `RepositoryNotFoundException`.
    fn image_exists(&self, repository: &str, tag: &str) -> CloudResult<bool>;
    /// Credentials for the account's ECR registry (`GetAuthorizationToken`).
    fn registry_login(&self) -> CloudResult<RegistryLogin>;
}

/// How to log in to the account's image registry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegistryLogin {
    /// The registry's host: `123456789012.dkr.ecr.us-east-1.amazonaws.com`.
    pub registry: String,
    pub username: String,
    pub password: String,
}

impl CloudError {
    /// S3's way of saying a bucket does not exist.
    pub fn is_missing_bucket(&self) -> bool {
        self.code.as_deref() == Some("NoSuchBucket")
    }

    /// ECR's way of saying a repository does not exist.
    pub fn is_missing_repository(&self) -> bool {
        self.code.as_deref() == Some("RepositoryNotFoundException")
    }
}
