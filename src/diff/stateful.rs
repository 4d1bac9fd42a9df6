//! Resources that hold data, and the policies that keep it when CloudFormation deletes or
//! replaces them.

use serde_json::{Map, Value};

use super::{Change, Impact, ResourceDiff, Risk, StatefulRisk};

/// The resource types whose deletion loses data someone cares about: storage, databases,
/// registries, logs, keys (data encrypted with a deleted key is lost too) and user directories.
/// The one list; `docs/diff.md` repeats it.
pub const STATEFUL_TYPES: &[&str] = &[
    "AWS::Backup::BackupVault",
    "AWS::Cognito::UserPool",
    "AWS::DocDB::DBCluster",
    "AWS::DynamoDB::GlobalTable",
    "AWS::DynamoDB::Table",
    "AWS::EC2::Volume",
    "AWS::ECR::Repository",
    "AWS::EFS::FileSystem",
    "AWS::Elasticsearch::Domain",
    "AWS::FSx::FileSystem",
    "AWS::KMS::Key",
    "AWS::Kinesis::Stream",
    "AWS::Logs::LogGroup",
    "AWS::Neptune::DBCluster",
    "AWS::OpenSearchService::Domain",
    "AWS::RDS::DBCluster",
    "AWS::RDS::DBInstance",
    "AWS::S3::Bucket",
    "AWS::SecretsManager::Secret",
];

pub fn is_stateful(resource_type: &str) -> bool {
    STATEFUL_TYPES.binary_search(&resource_type).is_ok()
}

/// A resource's `DeletionPolicy` or `UpdateReplacePolicy`, or CloudFormation's default for it:
/// `Delete`, except that an RDS cluster, and an RDS instance outside a cluster, are deleted
/// after a `Snapshot`.
pub(crate) fn effective_policy(resource: &Value, attribute: &str) -> String {
    if let Some(policy) = resource.get(attribute) {
        return policy.as_str().map_or_else(|| super::value::show(policy), str::to_string);
    }
    let resource_type = resource.get("Type").and_then(Value::as_str).unwrap_or_default();
    let in_cluster = resource.get("Properties").and_then(|p| p.get("DBClusterIdentifier")).is_some();
    let snapshot_by_default =
        resource_type == "AWS::RDS::DBCluster" || (resource_type == "AWS::RDS::DBInstance" && !in_cluster);
    if attribute == "DeletionPolicy" && snapshot_by_default {
        "Snapshot".to_string()
    } else {
        "Delete".to_string()
    }
}

/// Whether a policy keeps the data: the resource itself or a snapshot of it.
fn keeps_data(policy: &str) -> bool {
    matches!(policy, "Retain" | "RetainExceptOnCreate" | "Snapshot")
}

/// The stateful resources among `resources` whose data the change deletes: removed ones whose
/// `DeletionPolicy` (in the old template) deletes them, and replaced ones whose
/// `UpdateReplacePolicy` (in the new template, which the update applies) deletes the old one.
pub(crate) fn risks(
    resources: &[ResourceDiff],
    old: &Map<String, Value>,
    new: &Map<String, Value>,
) -> Vec<StatefulRisk> {
    let mut risks = Vec::new();
    for diff in resources {
        let Some(old_type) = diff.old_type.as_deref().filter(|t| is_stateful(t)) else { continue };
        let (risk, attribute, template) = match (diff.change, diff.impact) {
            (Change::Removed, _) => (Risk::Deleted, "DeletionPolicy", old),
            (Change::Changed, Impact::Replace) => (Risk::Replaced, "UpdateReplacePolicy", new),
            (Change::Changed, Impact::MayReplace) => (Risk::MayBeReplaced, "UpdateReplacePolicy", new),
            _ => continue,
        };
        let Some(resource) = template.get(&diff.logical_id) else { continue };
        let policy = effective_policy(resource, attribute);
        if !keeps_data(&policy) {
            risks.push(StatefulRisk {
                logical_id: diff.logical_id.clone(),
                resource_type: old_type.to_string(),
                risk,
                policy,
            });
        }
    }
    risks
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_list_is_sorted_for_lookup() {
        assert!(STATEFUL_TYPES.windows(2).all(|pair| pair[0] < pair[1]));
        assert!(is_stateful("AWS::S3::Bucket"));
        assert!(!is_stateful("AWS::SQS::Queue"));
    }

    #[test]
    fn rds_defaults_to_a_snapshot_on_deletion_only() {
        let cluster = json!({ "Type": "AWS::RDS::DBCluster" });
        assert_eq!(effective_policy(&cluster, "DeletionPolicy"), "Snapshot");
        assert_eq!(effective_policy(&cluster, "UpdateReplacePolicy"), "Delete");
        let member = json!({ "Type": "AWS::RDS::DBInstance", "Properties": { "DBClusterIdentifier": "c" } });
        assert_eq!(effective_policy(&member, "DeletionPolicy"), "Delete");
        let bucket = json!({ "Type": "AWS::S3::Bucket", "DeletionPolicy": "Retain" });
        assert_eq!(effective_policy(&bucket, "DeletionPolicy"), "Retain");
    }
}
