//! What CloudFormation accepts in a resource's attributes beside its
//! properties: `CreationPolicy` and `UpdatePolicy` (per resource type), the
//! types a `Snapshot` deletion policy applies to, and the shape of
//! `AWS::CloudFormation::Init` in a resource's `Metadata`.
//!
//! The shapes are written by hand in the schemas' compact format
//! (`attributes.json`, read by the same decoder), from cfn-lint 1.58.0
//! (MIT-0): `data/schemas/other/resources/update_policy.json` and
//! `cfn_init.json`, `rules/resources/CreationPolicy.py` and
//! `helpers.valid_snapshot_types`. Each is a [`ResourceType`] named after
//! where it sits (`AWS::AutoScaling::AutoScalingGroup.UpdatePolicy`), so the
//! resource walk checks it and `infrac explain` describes it. Two places are
//! stricter than cfn-lint, where its leniency hides a typo that CloudFormation
//! or cfn-init would silently ignore: the keys of a cfn-init config, and of a
//! Lambda alias's `UpdatePolicy`.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use super::decode;
use super::ResourceType;

/// The attributes whose shape depends on the resource type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Policy {
    CreationPolicy,
    UpdatePolicy,
}

impl Policy {
    pub fn name(self) -> &'static str {
        match self {
            Policy::CreationPolicy => "CreationPolicy",
            Policy::UpdatePolicy => "UpdatePolicy",
        }
    }
}

/// The name of the `Metadata` entry cfn-init reads.
pub const CFN_INIT: &str = "AWS::CloudFormation::Init";

/// Types whose data a `Snapshot` deletion or update-replace policy keeps.
pub const SNAPSHOT_TYPES: &[&str] = &[
    "AWS::DocDB::DBCluster",
    "AWS::EC2::Volume",
    "AWS::ElastiCache::CacheCluster",
    "AWS::ElastiCache::ReplicationGroup",
    "AWS::Neptune::DBCluster",
    "AWS::RDS::DBCluster",
    "AWS::RDS::DBInstance",
    "AWS::Redshift::Cluster",
];

/// Every shape, by name, decoded once.
fn all() -> &'static BTreeMap<&'static str, ResourceType> {
    static ALL: OnceLock<BTreeMap<&'static str, ResourceType>> = OnceLock::new();
    ALL.get_or_init(|| {
        let raw: BTreeMap<String, serde_json::Value> =
            serde_json::from_str(include_str!("attributes.json")).expect("attributes.json is valid JSON");
        raw.into_iter()
            .map(|(name, value)| {
                // Named once per process; the shapes live as long as it does.
                let name: &'static str = Box::leak(name.into_boxed_str());
                (name, decode::resource_type(name, &value.to_string()))
            })
            .collect()
    })
}

/// The shape of `policy` on a resource of type `resource_type`, or `None`
/// when CloudFormation does not use that policy on that type.
pub fn policy(policy: Policy, resource_type: &str) -> Option<&'static ResourceType> {
    all().get(format!("{resource_type}.{}", policy.name()).as_str())
}

/// The resource types that take `policy`, sorted.
pub fn types_with(policy: Policy) -> Vec<&'static str> {
    let suffix = format!(".{}", policy.name());
    all().keys().filter_map(|name| name.strip_suffix(suffix.as_str())).collect()
}

/// The shape of `AWS::CloudFormation::Init`.
pub fn cfn_init() -> &'static ResourceType {
    &all()[CFN_INIT]
}

/// A shape by its full name (`AWS::Lambda::Alias.UpdatePolicy`,
/// `AWS::CloudFormation::Init`), and the rest of `path` after it
/// (`AWS::AutoScaling::AutoScalingGroup.UpdatePolicy.AutoScalingRollingUpdate`
/// gives the group's `UpdatePolicy` and `AutoScalingRollingUpdate`).
pub fn named(path: &str) -> Option<(&'static ResourceType, Option<&str>)> {
    all().iter().find_map(|(name, shape)| {
        let rest = path.strip_prefix(name)?;
        match rest.strip_prefix('.') {
            Some(rest) => Some((shape, Some(rest))),
            None => rest.is_empty().then_some((shape, None)),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shape_decodes_and_names_only_its_definitions() {
        for (name, shape) in all() {
            assert!(!shape.properties.is_empty(), "{name} declares properties");
            for property in shape.properties.values() {
                if let super::super::Shape::Def(def) = &property.shape {
                    assert!(shape.definition(def).is_some(), "{name} defines {def}");
                }
            }
        }
        assert_eq!(types_with(Policy::UpdatePolicy).len(), 6);
        assert!(policy(Policy::UpdatePolicy, "AWS::S3::Bucket").is_none());
        assert!(policy(Policy::CreationPolicy, "AWS::EC2::Instance").is_some());
        let page = super::super::describe_definition("AWS::Lambda::Alias.UpdatePolicy").expect("a page");
        assert!(page.contains("CodeDeployLambdaAliasUpdate"), "{page}");
        let page = super::super::describe_type("AWS::CloudFormation::Init").expect("a page");
        assert!(page.contains("configSets"), "{page}");
        for name in types_with(Policy::UpdatePolicy).into_iter().chain(SNAPSHOT_TYPES.iter().copied()) {
            assert!(super::super::resource_type(name).is_some(), "{name} is a resource type");
        }
    }
}
