//! `ec2.Vpc` (std/ec2.infra): a VPC with an internet gateway, a public and a
//! private subnet per zone, the public subnets on one route table with a
//! default route to the gateway, each private subnet on its own route table
//! with a default route to a NAT gateway (each with an Elastic IP), and
//! flow logs to a CloudWatch Logs group through a role.
//!
//! The group is found from the VPC outwards, by what refers to what (never by
//! logical ID), so that a hand-written VPC is recognised whatever its names,
//! and each member gets the role the construct's resource of the same part
//! has (`PublicSubnet1` plays `<Net>Public1`). A shape the construct cannot
//! make (three public subnets and two private ones, public subnets on
//! several route tables, flow logs to S3) leaves the group alone with that
//! reason; everything else is left to [`super::compare`].

use serde_json::{json, Map, Value};

use super::{get_att_of, outside_blocker, outside_reads, property, ref_of, type_of, Found, Raise};
use crate::names::snake_case;

const CONSTRUCT: &str = "ec2.Vpc";
const DEFAULT_CIDR: &str = "10.0.0.0/16";
const DEFAULT_RETENTION: u64 = 731;

/// Why a property can differ, where the construct fixes it.
const EXPLANATIONS: &[(&str, &str, &str)] = &[
    (
        "AWS::EC2::Subnet",
        "CidrBlock",
        "subnet sizes differ: the construct cuts the VPC's range into eight equal blocks",
    ),
    ("AWS::EC2::Subnet", "AvailabilityZone", "the construct picks zones as `select(i, azs())`"),
    ("AWS::EC2::VPC", "EnableDnsSupport", "the construct turns DNS support on"),
    ("AWS::EC2::VPC", "EnableDnsHostnames", "the construct turns DNS host names on"),
];

/// A resource of the template that refers to `target` at `key`.
fn refers(resource: &Value, key: &str, target: &str) -> bool {
    property(resource, key).and_then(ref_of) == Some(target)
}

fn ids_of<'t>(resources: &'t Map<String, Value>, ty: &str, pred: impl Fn(&Value) -> bool) -> Vec<&'t str> {
    resources.iter().filter(|(_, r)| type_of(r) == ty && pred(r)).map(|(id, _)| id.as_str()).collect()
}

/// The zone index of a subnet (`Fn::Select: [i, Fn::GetAZs]`), to order
/// them as the construct does.
fn zone_index(subnet: &Value) -> Option<u64> {
    let select = property(subnet, "AvailabilityZone")?.get("Fn::Select")?.as_array()?;
    select.first()?.as_u64().or_else(|| select.first()?.as_str()?.parse().ok())
}

/// A literal `CidrBlock`, or one read with written keys from a mapping.
fn literal_cidr(template: &Map<String, Value>, value: &Value) -> Option<String> {
    if let Some(text) = value.as_str() {
        return Some(text.to_string());
    }
    let keys = value.get("Fn::FindInMap")?.as_array()?;
    let [map, row, column] = keys.as_slice() else { return None };
    let cell = template.get("Mappings")?.get(map.as_str()?)?.get(row.as_str()?)?.get(column.as_str()?)?;
    cell.as_str().map(String::from)
}

fn is_true(value: Option<&Value>) -> bool {
    matches!(value, Some(Value::Bool(true))) || value.and_then(Value::as_str) == Some("true")
}

pub(super) fn find(template: &Map<String, Value>, resources: &Map<String, Value>, found: &mut Found) {
    for (vpc_id, vpc) in resources {
        // A VPC without subnets is no group the construct could make.
        let has_subnets = resources.values().any(|r| type_of(r) == "AWS::EC2::Subnet" && refers(r, "VpcId", vpc_id));
        if type_of(vpc) != "AWS::EC2::VPC" || !has_subnets {
            continue;
        }
        match group(template, resources, vpc_id, vpc) {
            Ok(raise) => found.raises.push(raise),
            Err((members, why)) => found.left.push((CONSTRUCT, members, why)),
        }
    }
}

/// The VPC's group as a candidate, or its members so far and why the
/// construct cannot make it.
fn group(
    template: &Map<String, Value>,
    resources: &Map<String, Value>,
    vpc_id: &str,
    vpc: &Value,
) -> Result<Raise, (Vec<String>, String)> {
    let fail = |why: String| (vec![vpc_id.to_string()], why);
    let attachments = ids_of(resources, "AWS::EC2::VPCGatewayAttachment", |r| {
        refers(r, "VpcId", vpc_id)
            && property(r, "InternetGatewayId")
                .and_then(ref_of)
                .is_some_and(|g| resources.get(g).is_some_and(|g| type_of(g) == "AWS::EC2::InternetGateway"))
    });
    let [attachment] = attachments.as_slice() else {
        return Err(fail(match attachments.len() {
            0 => "no internet gateway is attached to the VPC; `ec2.Vpc` always has one".into(),
            n => format!("{n} internet gateways are attached to the VPC; `ec2.Vpc` has one"),
        }));
    };
    let gateway = property(&resources[*attachment], "InternetGatewayId").and_then(ref_of).unwrap_or_default();
    let subnets = ids_of(resources, "AWS::EC2::Subnet", |r| refers(r, "VpcId", vpc_id));
    let tables = ids_of(resources, "AWS::EC2::RouteTable", |r| refers(r, "VpcId", vpc_id));
    let default_route = |table: &str, target_key: &str| -> Vec<&str> {
        ids_of(resources, "AWS::EC2::Route", |r| {
            refers(r, "RouteTableId", table)
                && property(r, "DestinationCidrBlock").and_then(Value::as_str) == Some("0.0.0.0/0")
                && property(r, target_key).is_some()
        })
    };
    // Each subnet's association and route table.
    let mut placed: Vec<(&str, &str, &str)> = Vec::new();
    for subnet in &subnets {
        let associations = ids_of(resources, "AWS::EC2::SubnetRouteTableAssociation", |r| {
            refers(r, "SubnetId", subnet)
                && property(r, "RouteTableId").and_then(ref_of).is_some_and(|t| tables.contains(&t))
        });
        let [association] = associations.as_slice() else {
            return Err(fail(format!("the subnet `{subnet}` is on no route table of the VPC, or on several")));
        };
        let table = property(&resources[*association], "RouteTableId").and_then(ref_of).unwrap_or_default();
        placed.push((subnet, association, table));
    }
    let internet_route = |table: &str| -> Vec<&str> {
        default_route(table, "GatewayId").into_iter().filter(|r| refers(&resources[*r], "GatewayId", gateway)).collect()
    };
    let (mut public, mut private): (Vec<_>, Vec<_>) =
        placed.into_iter().partition(|(_, _, t)| !internet_route(t).is_empty());
    let order = |list: &mut Vec<(&str, &str, &str)>| {
        list.sort_by_key(|(s, _, _)| zone_index(&resources[*s]).unwrap_or(u64::MAX));
    };
    order(&mut public);
    order(&mut private);
    if public.len() != private.len() || public.is_empty() || public.len() > 4 {
        return Err(fail(format!(
            "the VPC has {} public and {} private subnets; `ec2.Vpc` makes one of each per zone, in 1 to 4 zones",
            public.len(),
            private.len()
        )));
    }
    let public_table = public[0].2;
    if public.iter().any(|(_, _, t)| *t != public_table) {
        return Err(fail("the public subnets are on several route tables; `ec2.Vpc` puts them on one".into()));
    }
    let mut private_tables: Vec<&str> = private.iter().map(|(_, _, t)| *t).collect();
    private_tables.dedup();
    if private_tables.len() != private.len() {
        return Err(fail("private subnets share a route table; `ec2.Vpc` gives each its own".into()));
    }
    let public_route = internet_route(public_table)[0];
    // NAT gateways, in the order of the public subnets they are in.
    let mut nats: Vec<(&str, &str)> = Vec::new();
    for (subnet, _, _) in &public {
        for nat in ids_of(resources, "AWS::EC2::NatGateway", |r| refers(r, "SubnetId", subnet)) {
            let Some((ip, "AllocationId")) = property(&resources[nat], "AllocationId").and_then(get_att_of) else {
                return Err(fail(format!("the NAT gateway `{nat}` has no Elastic IP of the template")));
            };
            nats.push((nat, ip));
        }
    }
    if ids_of(resources, "AWS::EC2::NatGateway", |r| private.iter().any(|(s, _, _)| refers(r, "SubnetId", s)))
        .first()
        .is_some()
    {
        return Err(fail("a NAT gateway is in a private subnet; `ec2.Vpc` puts them in the public ones".into()));
    }
    let mut private_routes: Vec<Option<&str>> = Vec::new();
    for (_, _, table) in &private {
        let routes = default_route(table, "NatGatewayId");
        private_routes.push(routes.first().copied());
    }
    if !nats.is_empty() && private_routes.iter().any(Option::is_none) {
        return Err(fail("a private subnet has no route to a NAT gateway; `ec2.Vpc` gives each one".into()));
    }
    let flow_logs = ids_of(resources, "AWS::EC2::FlowLog", |r| refers(r, "ResourceId", vpc_id));
    let flow_log = match flow_logs.as_slice() {
        [] => None,
        [one] => Some(*one),
        _ => return Err(fail(format!("the VPC has {} flow logs; `ec2.Vpc` makes one", flow_logs.len()))),
    };
    let mut log_group = None;
    let mut log_role = None;
    if let Some(flow_log) = flow_log {
        let body = &resources[flow_log];
        if property(body, "LogDestinationType").and_then(Value::as_str).is_some_and(|t| t != "cloud-watch-logs") {
            return Err(fail(format!(
                "the flow log `{flow_log}` goes to S3 or Firehose; `ec2.Vpc`'s go to CloudWatch Logs"
            )));
        }
        log_group = property(body, "LogGroupName")
            .and_then(ref_of)
            .filter(|g| resources.get(*g).is_some_and(|g| type_of(g) == "AWS::Logs::LogGroup"));
        log_role = property(body, "DeliverLogsPermissionArn")
            .and_then(get_att_of)
            .filter(|(r, a)| *a == "Arn" && resources.get(*r).is_some_and(|r| type_of(r) == "AWS::IAM::Role"))
            .map(|(r, _)| r);
        if log_group.is_none() || log_role.is_none() {
            return Err(fail(format!(
                "the flow log `{flow_log}` does not write to a log group and through a role of the template, as `ec2.Vpc`'s does"
            )));
        }
    }

    // The instance's name: the VPC's logical ID without `Vpc`, where that
    // gives it back; otherwise `vpc`, and the logical IDs differ.
    let instance = vpc_id
        .strip_suffix("Vpc")
        .or_else(|| vpc_id.strip_suffix("VPC"))
        .filter(|p| !p.is_empty() && infrac::check::pascal_case(&snake_case(p)) == *p)
        .map_or_else(|| "vpc".to_string(), snake_case);
    let prefix = infrac::check::pascal_case(&instance);
    let mut roles: Vec<(String, String)> = Vec::new();
    let mut role = |id: &str, part: String| roles.push((id.to_string(), format!("{prefix}{part}")));
    role(vpc_id, "Vpc".into());
    role(gateway, "InternetGateway".into());
    role(attachment, "GatewayAttachment".into());
    for (i, (subnet, association, _)) in public.iter().enumerate() {
        role(subnet, format!("Public{i}"));
        role(association, format!("PublicAssociation{i}"));
    }
    role(public_table, "PublicRoutes".into());
    role(public_route, "PublicDefaultRoute".into());
    for (i, (nat, ip)) in nats.iter().enumerate() {
        role(nat, format!("Nat{i}"));
        role(ip, format!("NatIp{i}"));
    }
    for (i, ((subnet, association, table), route)) in private.iter().zip(&private_routes).enumerate() {
        role(subnet, format!("Private{i}"));
        role(association, format!("PrivateAssociation{i}"));
        role(table, format!("PrivateRoutes{i}"));
        if let (Some(route), false) = (route, nats.is_empty()) {
            role(route, format!("PrivateDefaultRoute{i}"));
        }
    }
    if let (Some(flow_log), Some(group), Some(role_id)) = (flow_log, log_group, log_role) {
        role(group, "FlowLogDestinationGroup".into());
        role(role_id, "FlowLogDeliveryRole".into());
        role(flow_log, "FlowLog".into());
    }
    let members: Vec<String> = roles.iter().map(|(id, _)| id.clone()).collect();

    // The properties, in the construct's order of parameters; a default is
    // left out.
    let mut properties: Vec<(String, Value)> = Vec::new();
    let cidr = property(vpc, "CidrBlock");
    match cidr.and_then(|c| literal_cidr(template, c)) {
        Some(cidr) if cidr == DEFAULT_CIDR => {}
        Some(cidr) => properties.push(("cidr".into(), Value::String(cidr))),
        None => {
            let written = cidr.map_or("none".to_string(), |c| format!("`{c}`"));
            return Err((
                members,
                format!("the VPC's `CidrBlock` is {written}, known only when deploying; `ec2.Vpc` cuts its subnets from a range known when compiling"),
            ));
        }
    }
    if public.len() != 2 {
        properties.push(("max_azs".into(), json!(public.len())));
    }
    if nats.len() != 1 {
        properties.push(("nat_gateways".into(), json!(nats.len())));
    }
    if is_true(property(&resources[public[0].0], "MapPublicIpOnLaunch")) {
        properties.push(("map_public_ip_on_launch".into(), Value::Bool(true)));
    }
    match flow_log {
        None => properties.push(("flow_logs".into(), Value::Bool(false))),
        Some(flow_log) => {
            if let Some(traffic) = property(&resources[flow_log], "TrafficType").filter(|t| t.as_str() != Some("ALL")) {
                properties.push(("flow_log_traffic".into(), traffic.clone()));
            }
            let group = &resources[log_group.unwrap_or_default()];
            if let Some(days) = property(group, "RetentionInDays") {
                let default =
                    days.as_u64() == Some(DEFAULT_RETENTION) || days.as_str() == Some(&DEFAULT_RETENTION.to_string());
                if !default {
                    properties.push(("flow_log_retention_days".into(), days.clone()));
                }
            }
            if let Some(key) = property(group, "KmsKeyId") {
                properties.push(("flow_log_kms_key_arn".into(), key.clone()));
            }
        }
    }
    let name_tag = property(vpc, "Tags")
        .and_then(Value::as_array)
        .and_then(|tags| tags.iter().find(|t| t.get("Key").and_then(Value::as_str) == Some("Name")))
        .and_then(|t| t.get("Value"));
    if let Some(name) = name_tag.filter(|n| ref_of(n) != Some("AWS::StackName")) {
        properties.push(("name".into(), name.clone()));
    }

    // What the outputs build: the subnets' IDs wait for their routes.
    let id_of = |part: String| -> Value {
        let construct_id = format!("{prefix}{part}");
        let id = roles.iter().find(|(_, c)| *c == construct_id).map_or(construct_id.clone(), |(t, _)| t.clone());
        json!({ "Ref": id })
    };
    let mut forms = Vec::new();
    let (mut all_public, mut all_private) = (Vec::new(), Vec::new());
    for i in 0..public.len() {
        let mut waits = vec![id_of(format!("Public{i}")), id_of(format!("PublicAssociation{i}"))];
        waits.push(id_of("PublicDefaultRoute".into()));
        let value = json!({ "Fn::Select": [0, waits] });
        forms.push((value.clone(), format!("{instance}.public_subnet_ids[{i}]")));
        all_public.push(value);
        let mut waits = vec![id_of(format!("Private{i}")), id_of(format!("PrivateAssociation{i}"))];
        if !nats.is_empty() {
            waits.push(id_of(format!("PrivateDefaultRoute{i}")));
        }
        let value = json!({ "Fn::Select": [0, waits] });
        forms.push((value.clone(), format!("{instance}.private_subnet_ids[{i}]")));
        all_private.push(value);
    }
    forms.push((Value::Array(all_public), format!("{instance}.public_subnet_ids")));
    forms.push((Value::Array(all_private), format!("{instance}.private_subnet_ids")));

    let mut raise = Raise {
        construct: CONSTRUCT,
        instance,
        primary: vpc_id.to_string(),
        members,
        attributes: &[],
        properties,
        roles,
        blockers: Vec::new(),
        forms,
        explanations: EXPLANATIONS,
    };
    let reads = outside_reads(template, &raise);
    raise.blockers.extend(outside_blocker(
        &reads,
        " (its subnets come as `public_subnet_ids` and `private_subnet_ids`, which wait for their routes)",
    ));
    Ok(raise)
}
