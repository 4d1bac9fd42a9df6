//! `s3.Bucket` (std/s3.infra): a bucket with the bucket policy whose first
//! statement denies requests without TLS. Every bucket is a candidate, with
//! that policy when the template has it; what the construct would write
//! differently (its encryption, public access block and ownership settings,
//! the policy it adds) is said by [`super::compare`].

use serde_json::{Map, Value};

use super::{outside_blocker, outside_reads, property, ref_of, type_of, Found, Raise};
use crate::names::snake_case;

const OUTPUTS: &[(&str, &str)] = &[("Arn", "arn"), ("RegionalDomainName", "domain_name")];

pub(super) fn find(template: &Map<String, Value>, resources: &Map<String, Value>, found: &mut Found) {
    for (id, bucket) in resources {
        if type_of(bucket) == "AWS::S3::Bucket" {
            found.raises.push(candidate(template, resources, id, bucket));
        }
    }
}

fn candidate(template: &Map<String, Value>, resources: &Map<String, Value>, id: &str, bucket: &Value) -> Raise {
    let instance = id
        .strip_suffix("Bucket")
        .filter(|p| !p.is_empty() && infrac::check::pascal_case(&snake_case(p)) == *p)
        .map_or_else(|| snake_case(id), snake_case);
    let prefix = infrac::check::pascal_case(&instance);
    let policy = resources.iter().find(|(_, p)| {
        type_of(p) == "AWS::S3::BucketPolicy"
            && property(p, "Bucket").and_then(ref_of) == Some(id)
            && p.pointer("/Properties/PolicyDocument/Statement/0/Condition/Bool/aws:SecureTransport").is_some()
    });
    let mut roles = vec![(id.to_string(), format!("{prefix}Bucket"))];
    if let Some((policy_id, _)) = policy {
        roles.push((policy_id.clone(), format!("{prefix}Policy")));
    }

    // The properties, in the construct's order of parameters.
    let mut given: Vec<(String, Value)> = Vec::new();
    if let Some(name) = property(bucket, "BucketName") {
        given.push(("name".into(), name.clone()));
    }
    if property(bucket, "VersioningConfiguration").is_none() {
        given.push(("versioned".into(), Value::Bool(false)));
    }
    let key =
        "/Properties/BucketEncryption/ServerSideEncryptionConfiguration/0/ServerSideEncryptionByDefault/KMSMasterKeyID";
    if let Some(key) = bucket.pointer(key) {
        given.push(("kms_key".into(), key.clone()));
    }
    if let Some(logging) = property(bucket, "LoggingConfiguration") {
        if let Some(target) = logging.get("DestinationBucketName") {
            given.push(("log_bucket".into(), target.clone()));
        }
        if let Some(prefix) = logging.get("LogFilePrefix") {
            given.push(("log_prefix".into(), prefix.clone()));
        }
    }
    if property(bucket, "NotificationConfiguration").is_some() {
        given.push(("event_bridge".into(), Value::Bool(true)));
    }
    let statements =
        policy.and_then(|(_, p)| p.pointer("/Properties/PolicyDocument/Statement")).and_then(Value::as_array);
    let extra: Vec<Value> = statements.map(|s| s[1..].to_vec()).unwrap_or_default();
    if !extra.is_empty() {
        given.push(("policy_statements".into(), Value::Array(extra)));
    }

    let mut raise = Raise {
        construct: "s3.Bucket",
        instance,
        primary: id.to_string(),
        members: roles.iter().map(|(m, _)| m.clone()).collect(),
        attributes: OUTPUTS,
        properties: given,
        roles,
        blockers: Vec::new(),
        forms: Vec::new(),
        explanations: &[],
    };
    raise.blockers.extend(outside_blocker(&outside_reads(template, &raise), ""));
    raise
}
