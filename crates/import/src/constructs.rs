//! `--constructs`: groups of L1 resources that a standard-library construct
//! makes, raised to an instance of it. So far `s3.Bucket`: a bucket with
//! its TLS-only bucket policy.
//!
//! A group is only a candidate here; [`crate::import_with`] raises it only
//! when the program with the instance builds back to the very template
//! (the construct's template is the group, logical IDs included), and
//! reports every group it raised or left alone, and why.

use serde_json::{Map, Value};

use crate::layout::Node;
use crate::names::snake_case;

/// A group to raise: the instance that replaces `members`, and the
/// attributes other resources read, as the instance's outputs.
#[derive(Clone, Debug)]
pub struct Raise {
    /// The construct's type (`s3.Bucket`).
    pub construct: &'static str,
    /// The instance's name; its resources' logical IDs are its PascalCase
    /// followed by theirs.
    pub instance: String,
    /// The logical ID whose references become the instance (its primary
    /// output), and the ones that disappear into it.
    pub primary: String,
    pub members: Vec<String>,
    /// `Fn::GetAtt` attributes of `primary` and the outputs that give them.
    pub attributes: &'static [(&'static str, &'static str)],
    /// The instance's properties, as template values to convert.
    pub properties: Vec<(String, Value)>,
}

/// What was found: groups to try, and groups left alone with the reason.
pub struct Found {
    pub raises: Vec<Raise>,
    pub left: Vec<(Vec<String>, String)>,
}

const BUCKET_OUTPUTS: &[(&str, &str)] = &[("Arn", "arn"), ("RegionalDomainName", "domain_name")];

/// The bucket properties `s3.Bucket` writes whatever its properties.
const BUCKET_FIXED: &[&str] = &["BucketEncryption", "PublicAccessBlockConfiguration", "OwnershipControls"];

pub fn find(template: &Map<String, Value>) -> Found {
    let mut found = Found { raises: Vec::new(), left: Vec::new() };
    let Some(resources) = template.get("Resources").and_then(Value::as_object) else { return found };
    for (policy_id, policy) in resources {
        if policy.get("Type").and_then(Value::as_str) != Some("AWS::S3::BucketPolicy") {
            continue;
        }
        let Some(bucket_id) = policy.pointer("/Properties/Bucket/Ref").and_then(Value::as_str) else { continue };
        let Some(bucket) = resources.get(bucket_id) else { continue };
        if bucket.get("Type").and_then(Value::as_str) != Some("AWS::S3::Bucket") {
            continue;
        }
        let statements = policy.pointer("/Properties/PolicyDocument/Statement").and_then(Value::as_array);
        let tls_only = statements
            .and_then(|s| s.first())
            .is_some_and(|s| s.pointer("/Condition/Bool/aws:SecureTransport").is_some());
        if !tls_only {
            continue;
        }
        let members = vec![bucket_id.to_string(), policy_id.clone()];
        match bucket_group(resources, bucket_id, bucket, policy_id, policy) {
            Ok(raise) => found.raises.push(raise),
            Err(why) => found.left.push((members, why)),
        }
    }
    found
}

fn bucket_group(
    resources: &Map<String, Value>,
    bucket_id: &str,
    bucket: &Value,
    policy_id: &str,
    policy: &Value,
) -> Result<Raise, String> {
    // The instance's resources are `<Instance>Bucket` and `<Instance>Policy`.
    let prefix = bucket_id.strip_suffix("Bucket").filter(|p| !p.is_empty());
    let instance = match prefix {
        Some(prefix) if policy_id == format!("{prefix}Policy") => snake_case(prefix),
        _ => {
            return Err(format!(
                "an instance would name them `<Name>Bucket` and `<Name>Policy`, and renaming a bucket replaces it"
            ))
        }
    };
    if infrac::check::pascal_case(&instance) != bucket_id.strip_suffix("Bucket").unwrap_or_default() {
        return Err("no instance name spells their logical IDs".into());
    }
    for (id, body) in [(bucket_id, bucket), (policy_id, policy)] {
        for key in body.as_object().into_iter().flat_map(Map::keys) {
            if !matches!(key.as_str(), "Type" | "Properties" | "DeletionPolicy" | "UpdateReplacePolicy") {
                return Err(format!("`{id}` has `{key}`, which an instance does not give its resources"));
            }
        }
    }
    // Nothing else may read the policy, or read the bucket other than
    // through the instance's outputs, or wait for one of them alone.
    for (other_id, other) in resources {
        if other_id == bucket_id || other_id == policy_id {
            continue;
        }
        let text = other.to_string();
        if text.contains(&format!("\"{policy_id}\"")) || text.contains(&format!("{policy_id}.")) {
            return Err(format!("`{other_id}` refers to the policy"));
        }
        if let Some(depends) = other.get("DependsOn") {
            if depends.to_string().contains(&format!("\"{bucket_id}\"")) {
                return Err(format!("`{other_id}` waits for the bucket alone"));
            }
        }
    }
    let properties = bucket.get("Properties").and_then(Value::as_object).cloned().unwrap_or_default();
    let mut given: Vec<(String, Value)> = Vec::new();
    for (key, value) in &properties {
        match key.as_str() {
            "BucketName" => given.push(("name".into(), value.clone())),
            "VersioningConfiguration" => {}
            "LoggingConfiguration" => {
                if let Some(target) = value.get("DestinationBucketName") {
                    given.push(("log_bucket".into(), target.clone()));
                }
                if let Some(prefix) = value.get("LogFilePrefix") {
                    given.push(("log_prefix".into(), prefix.clone()));
                }
            }
            "NotificationConfiguration" => given.push(("event_bridge".into(), Value::Bool(true))),
            _ if BUCKET_FIXED.contains(&key.as_str()) => {}
            _ => return Err(format!("the bucket sets `{key}`, which `s3.Bucket` does not")),
        }
    }
    let versioned = properties.get("VersioningConfiguration").is_some();
    if !versioned {
        given.push(("versioned".into(), Value::Bool(false)));
    }
    if let Some(key) = bucket.pointer(
        "/Properties/BucketEncryption/ServerSideEncryptionConfiguration/0/ServerSideEncryptionByDefault/KMSMasterKeyID",
    ) {
        given.push(("kms_key".into(), key.clone()));
    }
    let statements = policy.pointer("/Properties/PolicyDocument/Statement").and_then(Value::as_array);
    let extra: Vec<Value> = statements.map(|s| s[1..].to_vec()).unwrap_or_default();
    if !extra.is_empty() {
        given.push(("policy_statements".into(), Value::Array(extra)));
    }
    // Properties in the construct's order of parameters, for reading.
    let order = ["name", "versioned", "kms_key", "log_bucket", "log_prefix", "event_bridge", "policy_statements"];
    given.sort_by_key(|(k, _)| order.iter().position(|o| o == k));
    Ok(Raise {
        construct: "s3.Bucket",
        instance,
        primary: bucket_id.to_string(),
        members: vec![bucket_id.to_string(), policy_id.to_string()],
        attributes: BUCKET_OUTPUTS,
        properties: given,
    })
}

/// The output of `raise` that gives the attribute, if it has one.
pub fn output_for(raise: &Raise, attribute: &str) -> Option<&'static str> {
    raise.attributes.iter().find(|(a, _)| *a == attribute).map(|(_, o)| *o)
}

/// An instance's body from its converted properties.
pub fn instance_text(raise: &Raise, properties: Vec<(String, Node)>) -> String {
    if properties.is_empty() {
        return format!("resource {}: {} {{}}", raise.instance, raise.construct);
    }
    let lines: Vec<String> =
        properties.iter().map(|(k, v)| format!("  {k}: {}", crate::layout::layout(v, 1))).collect();
    format!("resource {}: {} {{\n{}\n}}", raise.instance, raise.construct, lines.join("\n"))
}
