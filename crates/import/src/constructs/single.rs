//! Constructs whose template is one resource with fixed defaults
//! (`logs.LogGroup`, `ecr.Repository`, `sns.Topic`, `dynamodb.Table`),
//! recognised from one table: a resource of the construct's type is a
//! candidate, each parameter is read from where the construct writes it
//! (a default value is left out), and [`super::compare`] says what the
//! construct would write differently (its fixed settings, a property it does
//! not set). A new construct of this kind is one more row.

use serde_json::{Map, Value};

use super::{outside_blocker, outside_reads, type_of, Found, Raise};
use crate::names::snake_case;

/// A construct made of one resource.
struct Single {
    construct: &'static str,
    cfn_type: &'static str,
    /// The resource's name in the construct, in PascalCase: an instance
    /// `app` makes `App<part>`.
    part: &'static str,
    /// `Fn::GetAtt` attributes and the outputs that give them.
    attributes: &'static [(&'static str, &'static str)],
    params: &'static [Param],
}

/// Where a parameter is written in the resource's properties.
struct Param {
    /// A JSON pointer into `Properties`; `#` then a pointer into the JSON
    /// text found there (a lifecycle policy).
    at: &'static str,
    name: &'static str,
    /// The parameter's default, as JSON (left out when the value is it).
    default: &'static str,
    /// What to pass when the template leaves the property out, as JSON:
    /// CloudFormation's own default, where it is not the construct's (which
    /// then writes it, a difference). `null` would not leave it out: a
    /// parameter given `null` takes its default.
    absent: Option<&'static str>,
}

const fn param(at: &'static str, name: &'static str, default: &'static str, absent: Option<&'static str>) -> Param {
    Param { at, name, default, absent }
}

const CONSTRUCTS: &[Single] = &[
    Single {
        construct: "logs.LogGroup",
        cfn_type: "AWS::Logs::LogGroup",
        part: "Group",
        attributes: &[("Arn", "arn")],
        params: &[
            param("/LogGroupName", "name", "null", None),
            param("/RetentionInDays", "retention_days", "731", None),
            param("/KmsKeyId", "kms_key", "null", None),
            param("/LogGroupClass", "log_class", "\"STANDARD\"", None),
        ],
    },
    Single {
        construct: "ecr.Repository",
        cfn_type: "AWS::ECR::Repository",
        part: "Repository",
        attributes: &[("Arn", "arn"), ("RepositoryUri", "uri")],
        params: &[
            param("/RepositoryName", "name", "null", None),
            param("/ImageScanningConfiguration/ScanOnPush", "scan_on_push", "true", Some("false")),
            param("/LifecyclePolicy/LifecyclePolicyText#/rules/0/selection/countNumber", "keep_last", "100", None),
            param("/ImageTagMutability", "tag_mutability", "\"IMMUTABLE\"", Some("\"MUTABLE\"")),
            param("/EncryptionConfiguration/EncryptionType", "encryption", "\"KMS\"", Some("\"AES256\"")),
            param("/EncryptionConfiguration/KmsKey", "kms_key", "null", None),
        ],
    },
    Single {
        construct: "sns.Topic",
        cfn_type: "AWS::SNS::Topic",
        part: "Topic",
        attributes: &[("TopicName", "name")],
        params: &[
            param("/TopicName", "name", "null", None),
            param("/FifoTopic", "fifo", "false", None),
            param("/ContentBasedDeduplication", "content_based_deduplication", "false", None),
            param("/DisplayName", "display_name", "null", None),
            param("/KmsMasterKeyId", "kms_key", "\"alias/aws/sns\"", None),
            param("/SignatureVersion", "signature_version", "\"2\"", Some("\"1\"")),
        ],
    },
    Single {
        construct: "dynamodb.Table",
        cfn_type: "AWS::DynamoDB::Table",
        part: "Table",
        attributes: &[("Arn", "arn"), ("StreamArn", "stream_arn")],
        params: &[
            param("/KeySchema/0/AttributeName", "partition_key", "null", None),
            param("/AttributeDefinitions/0/AttributeType", "partition_key_type", "\"S\"", None),
            param("/KeySchema/1/AttributeName", "sort_key", "null", None),
            param("/AttributeDefinitions/1/AttributeType", "sort_key_type", "\"S\"", None),
            param("/TableName", "name", "null", None),
            param("/BillingMode", "billing_mode", "\"PAY_PER_REQUEST\"", Some("\"PROVISIONED\"")),
            param("/ProvisionedThroughput/ReadCapacityUnits", "read_capacity", "5", None),
            param("/ProvisionedThroughput/WriteCapacityUnits", "write_capacity", "5", None),
            param(
                "/PointInTimeRecoverySpecification/PointInTimeRecoveryEnabled",
                "point_in_time_recovery",
                "true",
                Some("false"),
            ),
            param("/DeletionProtectionEnabled", "deletion_protection", "true", Some("false")),
            param("/SSESpecification/KMSMasterKeyId", "kms_key", "null", None),
            param("/StreamSpecification/StreamViewType", "stream", "null", None),
            param("/TimeToLiveSpecification/AttributeName", "ttl_attribute", "null", None),
            param("/TableClass", "table_class", "\"STANDARD\"", None),
        ],
    },
];

/// The value at `at` in a resource's properties.
fn read(properties: &Value, at: &str) -> Option<Value> {
    match at.split_once('#') {
        None => properties.pointer(at).cloned(),
        Some((text_at, inner)) => {
            let text = properties.pointer(text_at)?.as_str()?;
            serde_json::from_str::<Value>(text).ok()?.pointer(inner).cloned()
        }
    }
}

/// Two scalars alike as CloudFormation reads them (`5` and `"5"`).
fn alike(a: &Value, b: &Value) -> bool {
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    a == b || (!a.is_object() && !a.is_array() && !b.is_object() && !b.is_array() && text(a) == text(b))
}

pub(super) fn find(template: &Map<String, Value>, resources: &Map<String, Value>, found: &mut Found) {
    for single in CONSTRUCTS {
        for (id, resource) in resources {
            if type_of(resource) == single.cfn_type {
                found.raises.push(candidate(template, single, id, resource));
            }
        }
    }
}

fn candidate(template: &Map<String, Value>, single: &Single, id: &str, resource: &Value) -> Raise {
    let instance = id
        .strip_suffix(single.part)
        .filter(|p| !p.is_empty() && infrac::check::pascal_case(&snake_case(p)) == *p)
        .map_or_else(|| snake_case(id), snake_case);
    let empty = Value::Object(Map::new());
    let properties_of = resource.get("Properties").unwrap_or(&empty);
    let mut properties = Vec::new();
    for p in single.params {
        let default: Value = serde_json::from_str(p.default).unwrap_or(Value::Null);
        let value = match (read(properties_of, p.at), p.absent) {
            (Some(value), _) => value,
            (None, Some(absent)) => serde_json::from_str(absent).unwrap_or(Value::Null),
            (None, None) => continue,
        };
        if !alike(&value, &default) {
            properties.push((p.name.to_string(), value));
        }
    }
    let construct_id = format!("{}{}", infrac::check::pascal_case(&instance), single.part);
    let mut raise = Raise {
        construct: single.construct,
        instance,
        primary: id.to_string(),
        members: vec![id.to_string()],
        attributes: single.attributes,
        properties,
        roles: vec![(id.to_string(), construct_id)],
        blockers: Vec::new(),
        forms: Vec::new(),
        explanations: &[],
    };
    raise.blockers.extend(outside_blocker(&outside_reads(template, &raise), ""));
    raise
}
