//! infrac's AWS access: the official AWS SDK for Rust behind the
//! lifecycle's [`Cloud`] interface.
//!
//! This crate is the only one that compiles the SDK. It loads the usual
//! configuration (environment, `AWS_PROFILE`, shared config and credentials
//! files, SSO, web identity for CI, `AWS_ENDPOINT_URL`), turns each
//! [`Cloud`] method into one SDK call (following `NextToken` pages), and
//! sorts the SDK's errors into [`ErrorKind`]s. The lifecycle is synchronous,
//! so each call runs to completion on a current-thread Tokio runtime.
//!
//! Retries with backoff (throttling, 5xx, timeouts) are the SDK's standard
//! retry strategy, with more attempts than its default because the
//! lifecycle polls.

use std::future::Future;

use aws_config::retry::RetryConfig;
use aws_config::{BehaviorVersion, Region};
use aws_sdk_cloudformation::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_cloudformation::types as cfn;
use aws_smithy_http_client::tls;
use aws_smithy_types::error::display::DisplayErrorContext;
use infrac_lifecycle::cloud::{
    ChangeSetDescription, ChangeSetKind, ChangeSetRequest, Cloud, CloudError, CloudResult, DriftDetection, ErrorKind,
    Identity, ParameterValue, PropertyDifference, RegistryLogin, ResourceChange, ResourceDrift, StackDescription,
    StackEvent, StackOutput, StackResource, TemplateSource,
};

/// Where to find credentials and which region to use, beyond the
/// environment: the `--profile` and `--region` flags.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    pub profile: Option<String>,
    pub region: Option<String>,
}

/// A session with AWS: one client per service, sharing one configuration.
pub struct Aws {
    runtime: tokio::runtime::Runtime,
    region: String,
    cloudformation: aws_sdk_cloudformation::Client,
    s3: aws_sdk_s3::Client,
    sts: aws_sdk_sts::Client,
    ecr: aws_sdk_ecr::Client,
}

impl Aws {
    /// Loads the configuration. Fails only when no region can be found;
    /// missing credentials show up at the first call.
    pub fn connect(settings: &Settings) -> CloudResult<Aws> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| CloudError::new(ErrorKind::Service, None, format!("cannot start the I/O runtime: {e}")))?;
        let http_client = aws_smithy_http_client::Builder::new()
            .tls_provider(tls::Provider::Rustls(tls::rustls_provider::CryptoMode::Ring))
            .build_https();
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .http_client(http_client)
            .retry_config(RetryConfig::standard().with_max_attempts(6));
        if let Some(profile) = &settings.profile {
            loader = loader.profile_name(profile);
        }
        if let Some(region) = &settings.region {
            loader = loader.region(Region::new(region.clone()));
        }
        let config = runtime.block_on(loader.load());
        let Some(region) = config.region().map(|r| r.to_string()) else {
            return Err(CloudError::new(
                ErrorKind::NoRegion,
                None,
                "no AWS region is configured: pass `--region`, set `AWS_REGION`, or set `region` in the profile",
            ));
        };
        // With `AWS_ENDPOINT_URL` pointing at an emulator, S3 is addressed by
        // path: `bucket.127.0.0.1` does not resolve.
        let custom_endpoint = config.endpoint_url().is_some();
        let s3_config = aws_sdk_s3::config::Builder::from(&config).force_path_style(custom_endpoint).build();
        Ok(Aws {
            cloudformation: aws_sdk_cloudformation::Client::new(&config),
            s3: aws_sdk_s3::Client::from_conf(s3_config),
            sts: aws_sdk_sts::Client::new(&config),
            ecr: aws_sdk_ecr::Client::new(&config),
            runtime,
            region,
        })
    }

    /// Runs one SDK call to completion and sorts its error.
    fn call<T, E, R>(&self, request: impl Future<Output = Result<T, SdkError<E, R>>>) -> CloudResult<T>
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
        R: std::fmt::Debug,
    {
        self.runtime.block_on(request).map_err(classify)
    }
}

/// Sorts an SDK error by what the user should do about it.
fn classify<E, R>(error: SdkError<E, R>) -> CloudError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    match &error {
        SdkError::ServiceError(context) => {
            let service_error = context.err();
            let code = service_error.code().map(str::to_string);
            let message = service_error.message().map(str::to_string).unwrap_or_else(|| match &code {
                Some(code) => code.clone(),
                None => format!("the service answered with an error it did not describe ({})", summary(&error)),
            });
            let kind = match code.as_deref() {
                Some(
                    "ExpiredToken"
                    | "ExpiredTokenException"
                    | "InvalidClientTokenId"
                    | "UnrecognizedClientException"
                    | "SignatureDoesNotMatch"
                    | "InvalidAccessKeyId"
                    | "IncompleteSignature"
                    | "MissingAuthenticationToken",
                ) => ErrorKind::Credentials,
                Some("AccessDenied" | "AccessDeniedException" | "UnauthorizedOperation") => ErrorKind::AccessDenied,
                Some(
                    "Throttling"
                    | "ThrottlingException"
                    | "TooManyRequestsException"
                    | "RequestLimitExceeded"
                    | "SlowDown",
                ) => ErrorKind::Throttling,
                Some(_) => ErrorKind::Refused,
                None => ErrorKind::Service,
            };
            CloudError { kind, code, message }
        }
        SdkError::DispatchFailure(failure) if failure.is_io() || failure.is_timeout() => {
            CloudError::new(ErrorKind::Unreachable, None, summary(&error))
        }
        SdkError::TimeoutError(_) => CloudError::new(ErrorKind::Unreachable, None, summary(&error)),
        _ => {
            let text = summary(&error);
            // The credentials chain reports through the error's sources
            // ("no providers in chain provided credentials", "the SSO token
            // has expired"), never as a code.
            let kind = if text.to_ascii_lowercase().contains("credential") || text.contains("token") {
                ErrorKind::Credentials
            } else {
                ErrorKind::Service
            };
            CloudError::new(kind, None, text)
        }
    }
}

/// The error and its sources on one line.
fn summary<E, R>(error: &SdkError<E, R>) -> String
where
    E: std::error::Error + 'static,
    R: std::fmt::Debug,
{
    DisplayErrorContext(error).to_string()
}

fn text(value: Option<&str>) -> String {
    value.unwrap_or_default().to_string()
}

impl Cloud for Aws {
    fn identity(&self) -> CloudResult<Identity> {
        let answer = self.call(self.sts.get_caller_identity().send())?;
        Ok(Identity { account: text(answer.account()), arn: text(answer.arn()), region: self.region.clone() })
    }

    fn describe_stack(&self, stack: &str) -> CloudResult<Option<StackDescription>> {
        let answer = match self.call(self.cloudformation.describe_stacks().stack_name(stack).send()) {
            Ok(answer) => answer,
            Err(error) if error.is_missing_stack() => return Ok(None),
            Err(error) => return Err(error),
        };
        let Some(found) = answer.stacks().first() else { return Ok(None) };
        let status = found.stack_status().map(|s| s.as_str().to_string()).unwrap_or_default();
        if status == "DELETE_COMPLETE" {
            return Ok(None);
        }
        Ok(Some(StackDescription {
            name: text(found.stack_name()),
            id: text(found.stack_id()),
            status,
            status_reason: found.stack_status_reason().map(str::to_string),
            parameters: found
                .parameters()
                .iter()
                .map(|p| (text(p.parameter_key()), text(p.parameter_value())))
                .collect(),
            outputs: found
                .outputs()
                .iter()
                .map(|o| StackOutput {
                    key: text(o.output_key()),
                    value: text(o.output_value()),
                    export_name: o.export_name().map(str::to_string),
                    description: o.description().map(str::to_string),
                })
                .collect(),
            tags: found.tags().iter().map(|t| (text(t.key()), text(t.value()))).collect(),
        }))
    }

    fn get_template(&self, stack: &str) -> CloudResult<String> {
        let answer = self.call(self.cloudformation.get_template().stack_name(stack).send())?;
        Ok(text(answer.template_body()))
    }

    fn stack_resources(&self, stack: &str) -> CloudResult<Vec<StackResource>> {
        let mut resources = Vec::new();
        let mut next: Option<String> = None;
        loop {
            let answer = self.call(
                self.cloudformation.list_stack_resources().stack_name(stack).set_next_token(next.take()).send(),
            )?;
            for summary in answer.stack_resource_summaries() {
                resources.push(StackResource {
                    logical_id: text(summary.logical_resource_id()),
                    physical_id: summary.physical_resource_id().map(str::to_string),
                    resource_type: text(summary.resource_type()),
                    status: summary.resource_status().map(|s| s.as_str().to_string()).unwrap_or_default(),
                });
            }
            match answer.next_token() {
                Some(token) => next = Some(token.to_string()),
                None => return Ok(resources),
            }
        }
    }

    fn stack_events(&self, stack: &str, after_id: Option<&str>) -> CloudResult<Vec<StackEvent>> {
        let mut events = Vec::new();
        let mut next: Option<String> = None;
        loop {
            let answer = self.call(
                self.cloudformation.describe_stack_events().stack_name(stack).set_next_token(next.take()).send(),
            )?;
            for event in answer.stack_events() {
                if after_id.is_some() && event.event_id() == after_id {
                    return Ok(events);
                }
                events.push(StackEvent {
                    id: text(event.event_id()),
                    timestamp_ms: event.timestamp().and_then(|t| t.to_millis().ok()).unwrap_or_default(),
                    logical_id: text(event.logical_resource_id()),
                    physical_id: event.physical_resource_id().filter(|p| !p.is_empty()).map(str::to_string),
                    resource_type: text(event.resource_type()),
                    status: event.resource_status().map(|s| s.as_str().to_string()).unwrap_or_default(),
                    reason: event.resource_status_reason().map(str::to_string),
                });
            }
            // Without a marker, the newest page is all a caller needs.
            match (answer.next_token(), after_id) {
                (Some(token), Some(_)) => next = Some(token.to_string()),
                _ => return Ok(events),
            }
        }
    }

    fn create_change_set(&self, request: &ChangeSetRequest) -> CloudResult<String> {
        let mut call = self
            .cloudformation
            .create_change_set()
            .stack_name(&request.stack)
            .change_set_name(&request.name)
            .change_set_type(match request.kind {
                ChangeSetKind::Create => cfn::ChangeSetType::Create,
                ChangeSetKind::Update => cfn::ChangeSetType::Update,
            })
            .capabilities(cfn::Capability::CapabilityIam)
            .capabilities(cfn::Capability::CapabilityNamedIam)
            .capabilities(cfn::Capability::CapabilityAutoExpand)
            .client_token(&request.client_token)
            .set_role_arn(request.role_arn.clone());
        call = match &request.template {
            TemplateSource::Body(body) => call.template_body(body),
            TemplateSource::Url(url) => call.template_url(url),
        };
        for (key, value) in &request.parameters {
            let parameter = cfn::Parameter::builder().parameter_key(key);
            let parameter = match value {
                ParameterValue::Value(value) => parameter.parameter_value(value),
                ParameterValue::UsePrevious => parameter.use_previous_value(true),
            };
            call = call.parameters(parameter.build());
        }
        for (key, value) in &request.tags {
            call = call.tags(cfn::Tag::builder().key(key).value(value).build());
        }
        let answer = self.call(call.send())?;
        Ok(text(answer.id()))
    }

    fn describe_change_set(&self, stack: &str, change_set: &str) -> CloudResult<ChangeSetDescription> {
        let mut description: Option<ChangeSetDescription> = None;
        let mut next: Option<String> = None;
        loop {
            let answer = self.call(
                self.cloudformation
                    .describe_change_set()
                    .stack_name(stack)
                    .change_set_name(change_set)
                    .set_next_token(next.take())
                    .send(),
            )?;
            let page = description.get_or_insert_with(|| ChangeSetDescription {
                id: text(answer.change_set_id()),
                status: answer.status().map(|s| s.as_str().to_string()).unwrap_or_default(),
                status_reason: answer.status_reason().map(str::to_string),
                execution_status: answer.execution_status().map(|s| s.as_str().to_string()),
                changes: Vec::new(),
            });
            for change in answer.changes() {
                let Some(resource) = change.resource_change() else { continue };
                page.changes.push(ResourceChange {
                    action: resource.action().map(|a| a.as_str().to_string()).unwrap_or_default(),
                    logical_id: text(resource.logical_resource_id()),
                    resource_type: text(resource.resource_type()),
                    replacement: resource.replacement().map(|r| r.as_str().to_string()),
                });
            }
            match answer.next_token() {
                Some(token) => next = Some(token.to_string()),
                None => return Ok(description.unwrap_or_else(|| unreachable!("the first page sets it"))),
            }
        }
    }

    fn execute_change_set(&self, stack: &str, change_set: &str) -> CloudResult<()> {
        self.call(self.cloudformation.execute_change_set().stack_name(stack).change_set_name(change_set).send())?;
        Ok(())
    }

    fn delete_change_set(&self, stack: &str, change_set: &str) -> CloudResult<()> {
        self.call(self.cloudformation.delete_change_set().stack_name(stack).change_set_name(change_set).send())?;
        Ok(())
    }

    fn delete_stack(&self, stack: &str, client_token: &str, role_arn: Option<&str>) -> CloudResult<()> {
        self.call(
            self.cloudformation
                .delete_stack()
                .stack_name(stack)
                .client_request_token(client_token)
                .set_role_arn(role_arn.map(str::to_string))
                .send(),
        )?;
        Ok(())
    }

    fn list_imports(&self, export_name: &str) -> CloudResult<Vec<String>> {
        let mut stacks = Vec::new();
        let mut next: Option<String> = None;
        loop {
            let answer = match self
                .call(self.cloudformation.list_imports().export_name(export_name).set_next_token(next.take()).send())
            {
                Ok(answer) => answer,
                // "Export 'X' is not imported by any stack."
                Err(error)
                    if error.code.as_deref() == Some("ValidationError") && error.message.contains("not imported") =>
                {
                    return Ok(stacks)
                }
                Err(error) => return Err(error),
            };
            stacks.extend(answer.imports().iter().cloned());
            match answer.next_token() {
                Some(token) => next = Some(token.to_string()),
                None => return Ok(stacks),
            }
        }
    }

    fn detect_drift(&self, stack: &str) -> CloudResult<String> {
        let answer = self.call(self.cloudformation.detect_stack_drift().stack_name(stack).send())?;
        Ok(text(answer.stack_drift_detection_id()))
    }

    fn drift_detection_status(&self, detection_id: &str) -> CloudResult<DriftDetection> {
        let answer = self.call(
            self.cloudformation.describe_stack_drift_detection_status().stack_drift_detection_id(detection_id).send(),
        )?;
        Ok(DriftDetection {
            status: answer.detection_status().map(|s| s.as_str().to_string()).unwrap_or_default(),
            stack_drift_status: answer.stack_drift_status().map(|s| s.as_str().to_string()),
            reason: answer.detection_status_reason().map(str::to_string),
        })
    }

    fn resource_drifts(&self, stack: &str) -> CloudResult<Vec<ResourceDrift>> {
        let mut drifts = Vec::new();
        let mut next: Option<String> = None;
        loop {
            let answer = self.call(
                self.cloudformation
                    .describe_stack_resource_drifts()
                    .stack_name(stack)
                    .set_next_token(next.take())
                    .send(),
            )?;
            for drift in answer.stack_resource_drifts() {
                drifts.push(ResourceDrift {
                    logical_id: text(drift.logical_resource_id()),
                    physical_id: drift.physical_resource_id().map(str::to_string),
                    resource_type: text(drift.resource_type()),
                    status: drift.stack_resource_drift_status().map(|s| s.as_str().to_string()).unwrap_or_default(),
                    differences: drift
                        .property_differences()
                        .iter()
                        .map(|d| PropertyDifference {
                            path: text(d.property_path()),
                            expected: text(d.expected_value()),
                            actual: text(d.actual_value()),
                            kind: d.difference_type().map(|k| k.as_str().to_string()).unwrap_or_default(),
                        })
                        .collect(),
                });
            }
            match answer.next_token() {
                Some(token) => next = Some(token.to_string()),
                None => return Ok(drifts),
            }
        }
    }

    fn upload_template(&self, bucket: &str, key: &str, body: &str) -> CloudResult<String> {
        self.call(
            self.s3
                .put_object()
                .bucket(bucket)
                .key(key)
                .content_type("application/json")
                .body(aws_sdk_s3::primitives::ByteStream::from(body.as_bytes().to_vec()))
                .send(),
        )?;
        // CloudFormation reads the template itself, from S3 of the same
        // partition; an emulator on `AWS_ENDPOINT_URL` takes the same form.
        Ok(format!("https://{bucket}.s3.{}.amazonaws.com/{key}", self.region))
    }

    fn object_exists(&self, bucket: &str, key: &str) -> CloudResult<bool> {
        let answer = self.call(self.s3.list_objects_v2().bucket(bucket).prefix(key).max_keys(1).send())?;
        Ok(answer.contents().iter().any(|object| object.key() == Some(key)))
    }

    fn image_exists(&self, repository: &str, tag: &str) -> CloudResult<bool> {
        let image = aws_sdk_ecr::types::ImageIdentifier::builder().image_tag(tag).build();
        match self.call(self.ecr.describe_images().repository_name(repository).image_ids(image).send()) {
            Ok(answer) => Ok(!answer.image_details().is_empty()),
            Err(error) if error.code.as_deref() == Some("ImageNotFoundException") => Ok(false),
            Err(error) => Err(error),
        }
    }

    fn registry_login(&self) -> CloudResult<RegistryLogin> {
        let answer = self.call(self.ecr.get_authorization_token().send())?;
        let unusable =
            |why: &str| CloudError::new(ErrorKind::Service, None, format!("ECR's authorization token {why}"));
        let data = answer.authorization_data().first().ok_or_else(|| unusable("is missing"))?;
        let token = data.authorization_token().ok_or_else(|| unusable("is missing"))?;
        let decoded = aws_smithy_types::base64::decode(token).map_err(|_| unusable("is not base64"))?;
        let decoded = String::from_utf8(decoded).map_err(|_| unusable("is not text"))?;
        let (username, password) = decoded.split_once(':').ok_or_else(|| unusable("has no `user:password`"))?;
        let endpoint = data.proxy_endpoint().ok_or_else(|| unusable("names no registry"))?;
        let registry = endpoint.trim_start_matches("https://").trim_start_matches("http://").trim_end_matches('/');
        Ok(RegistryLogin {
            registry: registry.to_string(),
            username: username.to_string(),
            password: password.to_string(),
        })
    }

    fn put_object(&self, bucket: &str, key: &str, body: &[u8]) -> CloudResult<()> {
        let content_type = if key.ends_with(".zip") { "application/zip" } else { "application/octet-stream" };
        self.call(
            self.s3
                .put_object()
                .bucket(bucket)
                .key(key)
                .content_type(content_type)
                .checksum_algorithm(aws_sdk_s3::types::ChecksumAlgorithm::Sha256)
                .body(aws_sdk_s3::primitives::ByteStream::from(body.to_vec()))
                .send(),
        )?;
        Ok(())
    }
}
