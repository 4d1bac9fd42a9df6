//! Values two resources of a stack may not share, which CloudFormation only
//! rejects at deploy time: a listener rule's priority on its listener, a
//! listener's port, a route's destination in its route table, a physical
//! name in the account.
//!
//! Each [`Slot`] names a resource type, the properties that say *where* a
//! value lives (its scope: the listener) and the ones that are the value (the
//! priority). Two resources of the stack with equal scope and equal value
//! collide. Values are compared as written: two expressions that are
//! structurally equal give the same value at deploy time (a reference to the
//! same resource, the same parameter, the same import), so a collision found
//! this way is certain; two different expressions that happen to give the
//! same value are left to CloudFormation.
//!
//! Resources under different conditions may never exist together, so only
//! resources under the same condition (or none) are compared.

use crate::diagnostics::builder as diag;
use crate::diagnostics::facts::SlotKind;
use crate::hir;

use super::Checker;

/// A value that must be unique among the resources of `cfn_type` sharing
/// the same `scope` properties (none: the whole stack).
struct Slot {
    cfn_type: &'static str,
    scope: &'static [&'static str],
    value: &'static [&'static str],
    /// What the value is, which the diagnostic puts into words.
    kind: SlotKind,
    /// A property that, when set on both, lets equal values coexist
    /// (Route 53's `SetIdentifier` for weighted or latency records).
    unless: Option<&'static str>,
}

const SLOTS: &[Slot] = &[
    Slot {
        cfn_type: "AWS::ElasticLoadBalancingV2::ListenerRule",
        scope: &["ListenerArn"],
        value: &["Priority"],
        kind: SlotKind::ListenerRulePriority,
        unless: None,
    },
    Slot {
        cfn_type: "AWS::ElasticLoadBalancingV2::Listener",
        scope: &["LoadBalancerArn"],
        value: &["Port"],
        kind: SlotKind::ListenerPort,
        unless: None,
    },
    Slot {
        cfn_type: "AWS::EC2::SecurityGroupIngress",
        scope: &["GroupId"],
        value: &["IpProtocol", "FromPort", "ToPort", "CidrIp"],
        kind: SlotKind::IngressRule,
        unless: None,
    },
    Slot {
        cfn_type: "AWS::EC2::SecurityGroupIngress",
        scope: &["GroupId"],
        value: &["IpProtocol", "FromPort", "ToPort", "SourceSecurityGroupId"],
        kind: SlotKind::IngressRule,
        unless: None,
    },
    Slot {
        cfn_type: "AWS::Lambda::EventSourceMapping",
        scope: &["FunctionName"],
        value: &["EventSourceArn"],
        kind: SlotKind::EventSource,
        unless: None,
    },
    Slot {
        cfn_type: "AWS::ApiGateway::Method",
        scope: &["RestApiId", "ResourceId"],
        value: &["HttpMethod"],
        kind: SlotKind::HttpMethod,
        unless: None,
    },
    Slot {
        cfn_type: "AWS::ECS::Service",
        scope: &["Cluster"],
        value: &["ServiceName"],
        kind: SlotKind::Name("service"),
        unless: None,
    },
    Slot {
        cfn_type: "AWS::ECS::Cluster",
        scope: &[],
        value: &["ClusterName"],
        kind: SlotKind::Name("cluster"),
        unless: None,
    },
    Slot {
        cfn_type: "AWS::KMS::Alias",
        scope: &[],
        value: &["AliasName"],
        kind: SlotKind::Name("alias"),
        unless: None,
    },
    Slot {
        cfn_type: "AWS::SecretsManager::Secret",
        scope: &[],
        value: &["Name"],
        kind: SlotKind::Name("secret"),
        unless: None,
    },
    Slot {
        cfn_type: "AWS::CloudWatch::Alarm",
        scope: &[],
        value: &["AlarmName"],
        kind: SlotKind::Name("alarm"),
        unless: None,
    },
    Slot {
        cfn_type: "AWS::ApiGatewayV2::Route",
        scope: &["ApiId"],
        value: &["RouteKey"],
        kind: SlotKind::RouteKey,
        unless: None,
    },
    Slot {
        cfn_type: "AWS::ApiGateway::Resource",
        scope: &["RestApiId", "ParentId"],
        value: &["PathPart"],
        kind: SlotKind::PathPart,
        unless: None,
    },
    Slot {
        cfn_type: "AWS::EC2::Route",
        scope: &["RouteTableId"],
        value: &["DestinationCidrBlock"],
        kind: SlotKind::RouteDestination,
        unless: None,
    },
    Slot {
        cfn_type: "AWS::EC2::Route",
        scope: &["RouteTableId"],
        value: &["DestinationIpv6CidrBlock"],
        kind: SlotKind::RouteDestination,
        unless: None,
    },
    Slot {
        cfn_type: "AWS::EC2::SubnetRouteTableAssociation",
        scope: &[],
        value: &["SubnetId"],
        kind: SlotKind::SubnetAssociation,
        unless: None,
    },
    Slot {
        cfn_type: "AWS::Route53::RecordSet",
        scope: &["HostedZoneId"],
        value: &["Name", "Type"],
        kind: SlotKind::RecordNameAndType,
        unless: Some("SetIdentifier"),
    },
    Slot {
        cfn_type: "AWS::S3::Bucket",
        scope: &[],
        value: &["BucketName"],
        kind: SlotKind::Name("bucket"),
        unless: None,
    },
    Slot {
        cfn_type: "AWS::SQS::Queue",
        scope: &[],
        value: &["QueueName"],
        kind: SlotKind::Name("queue"),
        unless: None,
    },
    Slot {
        cfn_type: "AWS::SNS::Topic",
        scope: &[],
        value: &["TopicName"],
        kind: SlotKind::Name("topic"),
        unless: None,
    },
    Slot {
        cfn_type: "AWS::DynamoDB::Table",
        scope: &[],
        value: &["TableName"],
        kind: SlotKind::Name("table"),
        unless: None,
    },
    Slot {
        cfn_type: "AWS::Lambda::Function",
        scope: &[],
        value: &["FunctionName"],
        kind: SlotKind::Name("function"),
        unless: None,
    },
    Slot {
        cfn_type: "AWS::Logs::LogGroup",
        scope: &[],
        value: &["LogGroupName"],
        kind: SlotKind::Name("log group"),
        unless: None,
    },
    Slot { cfn_type: "AWS::IAM::Role", scope: &[], value: &["RoleName"], kind: SlotKind::Name("role"), unless: None },
    Slot {
        cfn_type: "AWS::SSM::Parameter",
        scope: &[],
        value: &["Name"],
        kind: SlotKind::Name("parameter"),
        unless: None,
    },
    Slot {
        cfn_type: "AWS::ECR::Repository",
        scope: &[],
        value: &["RepositoryName"],
        kind: SlotKind::Name("repository"),
        unless: None,
    },
];

impl Checker<'_> {
    /// Reports every pair of the stack's resources that take the same
    /// [`Slot`], once per later resource.
    pub(super) fn check_slots(&mut self, stack: usize) {
        let mut diagnostics = Vec::new();
        for slot in SLOTS {
            let mut taken: Vec<(Vec<&hir::Value>, &hir::Resource)> = Vec::new();
            let resources = self.stacks[stack].resources.iter().map(|(_, r, _)| r);
            for resource in resources.filter(|r| r.cfn_type == slot.cfn_type) {
                let Some(key) = slot_key(slot, resource) else { continue };
                let first = taken.iter().find(|(other, first)| {
                    first.condition == resource.condition
                        && !slot.unless.is_some_and(|p| property(first, p).is_some() && property(resource, p).is_some())
                        && other.iter().zip(&key).all(|(a, b)| same_value(a, b))
                });
                match first {
                    Some((_, first)) => {
                        let value = shown(&key[slot.scope.len()..]);
                        let (later, earlier) = (&resource.provenance, &first.provenance);
                        diagnostics.push(diag::slot_taken(slot.kind, &value, later, earlier))
                    }
                    None => taken.push((key, resource)),
                }
            }
        }
        for diagnostic in diagnostics {
            self.report(diagnostic);
        }
    }
}

/// The scope's values then the slot's values; `None` when one is not set,
/// which leaves the choice to AWS (a generated name, the next priority).
fn slot_key<'r>(slot: &Slot, resource: &'r hir::Resource) -> Option<Vec<&'r hir::Value>> {
    slot.scope
        .iter()
        .chain(slot.value)
        .map(|name| property(resource, name).filter(|value| !matches!(value, hir::Value::Null)))
        .collect()
}

fn property<'r>(resource: &'r hir::Resource, name: &str) -> Option<&'r hir::Value> {
    resource.properties.iter().find(|(key, _)| key == name).map(|(_, value)| value)
}

/// Equal as CloudFormation reads them: a number and a string of the same
/// number are the same priority.
fn same_value(a: &hir::Value, b: &hir::Value) -> bool {
    match (a, b) {
        (hir::Value::Number(n), hir::Value::String(s)) | (hir::Value::String(s), hir::Value::Number(n)) => {
            s.parse::<f64>().ok() == n.to_string().parse::<f64>().ok()
        }
        _ => a == b,
    }
}

/// The colliding value as the message shows it: a literal text or number
/// as it is; a computed value, or one of several parts (an ingress rule),
/// as "the same value".
fn shown(values: &[&hir::Value]) -> String {
    match values {
        [hir::Value::Number(n)] => n.to_string(),
        [hir::Value::String(s)] => format!("`{s}`"),
        _ => "the same value".to_string(),
    }
}
