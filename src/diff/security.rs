//! Security changes as rows: IAM statements and managed policies, and security-group rules.
//!
//! Every statement and rule of both templates is read into a row; rows in both are unchanged,
//! the others added or removed (so a changed statement is one removed row and one added row).
//! A row that lets more in is *broadening*: an added `Allow` statement (which is how a new
//! principal, action or resource shows), a removed `Deny`, an attached managed policy, added
//! ingress, or added egress to every address.
//!
//! IAM statements are read from identity policies (the `Policies` of roles, users and groups;
//! `AWS::IAM::Policy`, `ManagedPolicy`, `RolePolicy`, `UserPolicy`, `GroupPolicy`), trust
//! policies (a role's `AssumeRolePolicyDocument`), resource policies (bucket, queue, topic, key,
//! repository, secret and log resource policies) and `AWS::Lambda::Permission`. A statement
//! under `Fn::If` is read once per branch.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::value::{cell, intrinsic, is_no_value, scalar_text};
use super::{Change, Direction, ManagedPolicyRow, RuleRow, StatementRow};

/// The IAM statements and managed policy attachments added or removed.
pub(crate) fn iam(old: &Map<String, Value>, new: &Map<String, Value>) -> (Vec<StatementRow>, Vec<ManagedPolicyRow>) {
    let (old_statements, old_policies) = iam_rows(old);
    let (new_statements, new_policies) = iam_rows(new);
    let mut statements = changed_rows(old_statements, new_statements, |row, change| {
        row.change = change;
        row.broadening = match change {
            Change::Added => row.effect != "Deny",
            _ => row.effect == "Deny",
        };
    });
    narrowed_is_not_broadening(&mut statements);
    explain_broadening(&mut statements);
    statements.sort();
    let mut policies = changed_rows(old_policies, new_policies, |row, change| {
        row.change = change;
        row.broadening = change == Change::Added;
    });
    policies.sort();
    (statements, policies)
}

/// A changed statement is a removed row and an added one; when the added `Allow` grants no more
/// than a removed `Allow` of the same owner did (narrower actions, resources or principals, or
/// more conditions), it does not broaden access, and neither does a removed `Deny` whose ground
/// an added `Deny` of the same owner still covers.
fn narrowed_is_not_broadening(rows: &mut [StatementRow]) {
    let of = |change: Change, effect: &str| -> Vec<StatementRow> {
        rows.iter().filter(|row| row.change == change && row.effect == effect).cloned().collect()
    };
    let (removed_allows, added_denies) = (of(Change::Removed, "Allow"), of(Change::Added, "Deny"));
    for row in rows.iter_mut().filter(|row| row.broadening) {
        let wider = match (row.change, row.effect.as_str()) {
            (Change::Added, "Allow") => &removed_allows,
            (Change::Removed, "Deny") => &added_denies,
            _ => continue,
        };
        if wider.iter().any(|wide| wide.owner == row.owner && covers(wide, row)) {
            row.broadening = false;
        }
    }
}

/// Says what a broadening row adds: where an added statement differs from a removed one of the
/// same owner in one part only, that part.
fn explain_broadening(rows: &mut [StatementRow]) {
    let removed: Vec<StatementRow> = rows.iter().filter(|row| row.change == Change::Removed).cloned().collect();
    for row in rows.iter_mut().filter(|row| row.broadening) {
        if row.change == Change::Removed {
            row.reason = Some("removed Deny".to_string());
            continue;
        }
        let parts = |r: &StatementRow| {
            [
                (r.not_actions, r.actions.clone()),
                (r.not_resources, r.resources.clone()),
                (r.not_principals, r.principals.clone()),
                (false, r.conditions.clone()),
            ]
        };
        let mine = parts(row);
        let names = ["new action", "new resource", "new principal", "fewer conditions"];
        let reason = removed.iter().filter(|r| r.owner == row.owner && r.effect == row.effect).find_map(|r| {
            let theirs = parts(r);
            let differing: Vec<usize> = (0..4).filter(|&i| mine[i] != theirs[i]).collect();
            (differing.len() == 1).then(|| names[differing[0]])
        });
        row.reason = Some(reason.unwrap_or("new statement").to_string());
    }
}

/// Whether every request `narrow` matches, `wide` matches too (same effect assumed).
fn covers(wide: &StatementRow, narrow: &StatementRow) -> bool {
    let negated = |row: &StatementRow| row.not_actions || row.not_resources || row.not_principals;
    let all_matched = |patterns: &[String], values: &[String], ignore_case: bool| {
        values.iter().all(|value| patterns.iter().any(|pattern| wildcard_match(pattern, value, ignore_case)))
    };
    let any_principal = wide.principals.iter().any(|p| p == "*" || p == "AWS:*");
    !negated(wide)
        && !negated(narrow)
        && !narrow.actions.is_empty()
        && all_matched(&wide.actions, &narrow.actions, true)
        && all_matched(&wide.resources, &narrow.resources, false)
        && (any_principal || narrow.principals.iter().all(|p| wide.principals.contains(p)))
        && wide.conditions.iter().all(|c| narrow.conditions.contains(c))
}

/// IAM's wildcards: `*` any run of characters, `?` any one.
fn wildcard_match(pattern: &str, text: &str, ignore_case: bool) -> bool {
    let fold = |s: &str| if ignore_case { s.to_ascii_lowercase() } else { s.to_string() };
    let (pattern, text): (Vec<char>, Vec<char>) = (fold(pattern).chars().collect(), fold(text).chars().collect());
    // The classic two-pointer match with backtracking to the last `*`.
    let (mut p, mut t, mut star, mut mark) = (0, 0, None, 0);
    while t < text.len() {
        if p < pattern.len() && (pattern[p] == '?' || pattern[p] == text[t]) {
            p += 1;
            t += 1;
        } else if p < pattern.len() && pattern[p] == '*' {
            star = Some(p);
            mark = t;
            p += 1;
        } else if let Some(s) = star {
            p = s + 1;
            mark += 1;
            t = mark;
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|c| *c == '*')
}

/// The security-group rules added or removed.
pub(crate) fn security_groups(old: &Map<String, Value>, new: &Map<String, Value>) -> Vec<RuleRow> {
    let mut rows = changed_rows(rule_rows(old), rule_rows(new), |row, change| {
        row.change = change;
        row.broadening = change == Change::Added && (row.direction == Direction::Ingress || row.open_to_world);
    });
    rows.sort();
    rows
}

/// The rows only in `old` (removed) and only in `new` (added), each row matched at most once.
fn changed_rows<T: Ord + Clone>(old: Vec<T>, new: Vec<T>, mark: impl Fn(&mut T, Change)) -> Vec<T> {
    let mut unmatched: BTreeMap<T, usize> = BTreeMap::new();
    for row in new {
        *unmatched.entry(row).or_default() += 1;
    }
    let mut rows = Vec::new();
    for mut row in old {
        match unmatched.get_mut(&row) {
            Some(count) if *count > 0 => *count -= 1,
            _ => {
                mark(&mut row, Change::Removed);
                rows.push(row);
            }
        }
    }
    for (mut row, count) in unmatched {
        mark(&mut row, Change::Added);
        rows.extend(std::iter::repeat_n(row, count));
    }
    rows
}

/// Where a policy document's statements come from, which decides what an absent `Resource` or
/// `Principal` means.
struct Policy<'a> {
    owner: &'a str,
    /// For an identity policy, the identities it is attached to.
    principals: Vec<String>,
    /// What the statements apply to when they name no `Resource` (a trust policy: the role).
    resource: Option<String>,
    /// In a key policy, `Resource: "*"` means the key itself, not every resource.
    star_is_self: bool,
}

fn iam_rows(resources: &Map<String, Value>) -> (Vec<StatementRow>, Vec<ManagedPolicyRow>) {
    let mut statements = Vec::new();
    let mut policies = Vec::new();
    let empty = Value::Object(Map::new());
    for (id, resource) in resources {
        let resource_type = resource.get("Type").and_then(Value::as_str).unwrap_or_default();
        let properties = resource.get("Properties").unwrap_or(&empty);
        let property = |name: &str| properties.get(name).filter(|v| !is_no_value(v));
        let identity = |principals: Vec<String>| Policy { owner: id, principals, resource: None, star_is_self: false };
        let resource_policy = |star_is_self| Policy { owner: id, principals: Vec::new(), resource: None, star_is_self };
        let mut read = |policy: &Policy, document: Option<&Value>| statements.extend(document_rows(policy, document));
        match resource_type {
            "AWS::IAM::Role" | "AWS::IAM::User" | "AWS::IAM::Group" => {
                let me = vec![format!("AWS:${{{id}}}")];
                if resource_type == "AWS::IAM::Role" {
                    let trust = Policy {
                        owner: id,
                        principals: Vec::new(),
                        resource: Some(format!("${{{id}.Arn}}")),
                        star_is_self: false,
                    };
                    read(&trust, property("AssumeRolePolicyDocument"));
                }
                for inline in branches(property("Policies")).iter().flat_map(|list| list_items(list)) {
                    read(&identity(me.clone()), inline.get("PolicyDocument"));
                }
                for arn in branches(property("ManagedPolicyArns")).iter().flat_map(|list| list_items(list)) {
                    policies.push(ManagedPolicyRow {
                        owner: id.clone(),
                        change: Change::Added,
                        policy_arn: cell(arn),
                        broadening: false,
                    });
                }
            }
            "AWS::IAM::Policy" | "AWS::IAM::ManagedPolicy" => {
                let attached = ["Roles", "Users", "Groups"]
                    .iter()
                    .flat_map(|key| {
                        branches(property(key))
                            .into_iter()
                            .flat_map(|list| list_items(list).into_iter().map(|v| format!("AWS:{}", cell(v))))
                            .collect::<Vec<_>>()
                    })
                    .collect();
                read(&identity(attached), property("PolicyDocument"));
            }
            "AWS::IAM::RolePolicy" | "AWS::IAM::UserPolicy" | "AWS::IAM::GroupPolicy" => {
                let key = &resource_type["AWS::IAM::".len()..resource_type.len() - "Policy".len()];
                let attached =
                    property(&format!("{key}Name")).map(|name| vec![format!("AWS:{}", cell(name))]).unwrap_or_default();
                read(&identity(attached), property("PolicyDocument"));
            }
            "AWS::S3::BucketPolicy"
            | "AWS::SQS::QueuePolicy"
            | "AWS::SNS::TopicPolicy"
            | "AWS::Logs::ResourcePolicy" => read(&resource_policy(false), property("PolicyDocument")),
            "AWS::KMS::Key" => read(&resource_policy(true), property("KeyPolicy")),
            "AWS::ECR::Repository" => read(&resource_policy(false), property("RepositoryPolicyText")),
            "AWS::SecretsManager::ResourcePolicy" => read(&resource_policy(false), property("ResourcePolicy")),
            "AWS::Lambda::Permission" => statements.push(lambda_permission(id, properties)),
            _ => {}
        }
    }
    (statements, policies)
}

/// A value's possible values: both branches of an `Fn::If` (recursively), without `AWS::NoValue`.
fn branches(value: Option<&Value>) -> Vec<&Value> {
    let Some(value) = value.filter(|v| !is_no_value(v)) else { return Vec::new() };
    match intrinsic(value) {
        Some(("Fn::If", Value::Array(args))) if args.len() == 3 => {
            branches(args.get(1)).into_iter().chain(branches(args.get(2))).collect()
        }
        _ => vec![value],
    }
}

/// A list's items (each through [`branches`]), or a single value as a list of one.
fn list_items(value: &Value) -> Vec<&Value> {
    match value {
        Value::Array(items) => items.iter().flat_map(|item| branches(Some(item))).collect(),
        other => vec![other],
    }
}

fn document_rows(policy: &Policy, document: Option<&Value>) -> Vec<StatementRow> {
    let mut rows = Vec::new();
    for document in branches(document) {
        // Some properties take the document as JSON text.
        let parsed;
        let document = match document {
            Value::String(text) => match serde_json::from_str::<Value>(text) {
                Ok(value) => {
                    parsed = value;
                    &parsed
                }
                Err(_) => continue,
            },
            other => other,
        };
        for statement in branches(document.get("Statement")).into_iter().flat_map(list_items) {
            rows.push(statement_row(policy, statement));
        }
    }
    rows
}

fn statement_row(policy: &Policy, statement: &Value) -> StatementRow {
    let Some(object) = statement.as_object().filter(|_| intrinsic(statement).is_none()) else {
        // Not a literal statement: shown as it is, and treated as an Allow.
        return finish(
            policy,
            StatementRow { effect: "?".to_string(), actions: vec![cell(statement)], ..blank(policy.owner) },
        );
    };
    let field = |positive: &str, negative: &str| match object.get(negative) {
        Some(value) => (strings(value), true),
        None => (object.get(positive).map(strings).unwrap_or_default(), false),
    };
    let (actions, not_actions) = field("Action", "NotAction");
    let (mut resources, not_resources) = field("Resource", "NotResource");
    if resources.is_empty() && !not_resources {
        resources.extend(policy.resource.clone());
    }
    let (mut principals, not_principals) = match object.get("NotPrincipal") {
        Some(value) => (principal_strings(value), true),
        None => (object.get("Principal").map(principal_strings).unwrap_or_default(), false),
    };
    if principals.is_empty() && !not_principals {
        principals.extend(policy.principals.iter().cloned());
    }
    let row = StatementRow {
        effect: object.get("Effect").map(cell).unwrap_or_else(|| "?".to_string()),
        actions,
        not_actions,
        resources,
        not_resources,
        principals,
        not_principals,
        conditions: object.get("Condition").map(condition_lines).unwrap_or_default(),
        ..blank(policy.owner)
    };
    finish(policy, row)
}

fn blank(owner: &str) -> StatementRow {
    StatementRow {
        owner: owner.to_string(),
        change: Change::Added,
        effect: String::new(),
        actions: Vec::new(),
        not_actions: false,
        resources: Vec::new(),
        not_resources: false,
        principals: Vec::new(),
        not_principals: false,
        conditions: Vec::new(),
        broadening: false,
        reason: None,
        wildcards: Vec::new(),
    }
}

/// Sorts the row's lists and notes its wildcards.
fn finish(policy: &Policy, mut row: StatementRow) -> StatementRow {
    for list in [&mut row.actions, &mut row.resources, &mut row.principals, &mut row.conditions] {
        list.sort();
        list.dedup();
    }
    if !row.not_actions && row.actions.iter().any(|action| action.contains('*')) {
        row.wildcards.push("action".to_string());
    }
    if !row.not_resources && !policy.star_is_self && row.resources.iter().any(|resource| resource == "*") {
        row.wildcards.push("resource".to_string());
    }
    if !row.not_principals && row.principals.iter().any(|principal| principal == "*" || principal.ends_with(":*")) {
        row.wildcards.push("principal".to_string());
    }
    row
}

/// A string or a list of them, as cells.
fn strings(value: &Value) -> Vec<String> {
    branches(Some(value)).into_iter().flat_map(list_items).map(cell).collect()
}

/// `"*"` → `*`; `{ "AWS": [a, b], "Service": s }` → `AWS:a`, `AWS:b`, `Service:s`.
fn principal_strings(value: &Value) -> Vec<String> {
    match value.as_object().filter(|_| intrinsic(value).is_none()) {
        Some(object) => object
            .iter()
            .flat_map(|(kind, names)| strings(names).into_iter().map(move |name| format!("{kind}:{name}")))
            .collect(),
        None => strings(value),
    }
}

/// `{ "StringEquals": { "aws:SourceAccount": x } }` → `StringEquals aws:SourceAccount: x`.
fn condition_lines(value: &Value) -> Vec<String> {
    let Some(operators) = value.as_object().filter(|_| intrinsic(value).is_none()) else { return vec![cell(value)] };
    let mut lines = Vec::new();
    for (operator, tests) in operators {
        match tests.as_object().filter(|_| intrinsic(tests).is_none()) {
            Some(tests) => {
                for (key, expected) in tests {
                    lines.push(format!("{operator} {key}: {}", strings(expected).join(", ")));
                }
            }
            None => lines.push(format!("{operator} {}", cell(tests))),
        }
    }
    lines
}

/// The statement Lambda adds to a function's resource policy for an `AWS::Lambda::Permission`.
fn lambda_permission(owner: &str, properties: &Value) -> StatementRow {
    let text = |key: &str| properties.get(key).filter(|v| !is_no_value(v)).map(cell);
    let principal = match properties.get("Principal") {
        Some(Value::String(p)) if p == "*" => p.clone(),
        Some(Value::String(p)) if p.len() == 12 && p.bytes().all(|b| b.is_ascii_digit()) => format!("AWS:{p}"),
        Some(Value::String(p)) if p.starts_with("arn:") => format!("AWS:{p}"),
        Some(Value::String(p)) => format!("Service:{p}"),
        Some(other) => cell(other),
        None => String::new(),
    };
    let mut conditions = Vec::new();
    for (key, operator, condition_key) in [
        ("SourceArn", "ArnLike", "AWS:SourceArn"),
        ("SourceAccount", "StringEquals", "AWS:SourceAccount"),
        ("PrincipalOrgID", "StringEquals", "aws:PrincipalOrgID"),
        ("EventSourceToken", "StringEquals", "lambda:EventSourceToken"),
        ("FunctionUrlAuthType", "StringEquals", "lambda:FunctionUrlAuthType"),
    ] {
        if let Some(value) = text(key) {
            conditions.push(format!("{operator} {condition_key}: {value}"));
        }
    }
    let row = StatementRow {
        effect: "Allow".to_string(),
        actions: text("Action").into_iter().collect(),
        resources: text("FunctionName").into_iter().collect(),
        principals: vec![principal].into_iter().filter(|p| !p.is_empty()).collect(),
        conditions,
        ..blank(owner)
    };
    finish(&Policy { owner, principals: Vec::new(), resource: None, star_is_self: false }, row)
}

fn rule_rows(resources: &Map<String, Value>) -> Vec<RuleRow> {
    let mut rows = Vec::new();
    let empty = Value::Object(Map::new());
    for (id, resource) in resources {
        let properties = resource.get("Properties").unwrap_or(&empty);
        match resource.get("Type").and_then(Value::as_str).unwrap_or_default() {
            "AWS::EC2::SecurityGroup" => {
                for (key, direction) in
                    [("SecurityGroupIngress", Direction::Ingress), ("SecurityGroupEgress", Direction::Egress)]
                {
                    for rule in branches(properties.get(key)).into_iter().flat_map(list_items) {
                        rows.push(rule_row(id.clone(), direction, rule));
                    }
                }
            }
            "AWS::EC2::SecurityGroupIngress" | "AWS::EC2::SecurityGroupEgress" => {
                let direction = if resource["Type"] == "AWS::EC2::SecurityGroupIngress" {
                    Direction::Ingress
                } else {
                    Direction::Egress
                };
                let group = properties
                    .get("GroupId")
                    .or_else(|| properties.get("GroupName"))
                    .map(group_name)
                    .unwrap_or_default();
                rows.push(rule_row(group, direction, properties));
            }
            _ => {}
        }
    }
    rows
}

/// A group named by its logical ID where the value refers to one (`Ref`, `Fn::GetAtt` of
/// `GroupId`), otherwise as a cell.
fn group_name(value: &Value) -> String {
    match intrinsic(value) {
        Some(("Ref", Value::String(id))) => id.clone(),
        Some(("Fn::GetAtt", Value::Array(args))) if args.get(1).and_then(Value::as_str) == Some("GroupId") => {
            args[0].as_str().map_or_else(|| cell(value), str::to_string)
        }
        _ => cell(value),
    }
}

fn rule_row(group: String, direction: Direction, rule: &Value) -> RuleRow {
    let text = |key: &str| rule.get(key).filter(|v| !is_no_value(v)).map(|v| scalar_text(v).unwrap_or_else(|| cell(v)));
    let protocol =
        describe_protocol(text("IpProtocol").as_deref(), text("FromPort").as_deref(), text("ToPort").as_deref());
    let (peer, open_to_world) = match (text("CidrIp"), text("CidrIpv6")) {
        (Some(cidr), _) if cidr == "0.0.0.0/0" => ("Everyone (IPv4)".to_string(), true),
        (_, Some(cidr)) if cidr == "::/0" => ("Everyone (IPv6)".to_string(), true),
        (Some(cidr), _) | (None, Some(cidr)) => (cidr, false),
        (None, None) => {
            let peer = [
                "SourceSecurityGroupId",
                "DestinationSecurityGroupId",
                "SourcePrefixListId",
                "DestinationPrefixListId",
                "SourceSecurityGroupName",
            ]
            .iter()
            .find_map(|key| rule.get(*key).filter(|v| !is_no_value(v)).map(group_name));
            (
                peer.unwrap_or_else(|| {
                    if rule.is_object() && intrinsic(rule).is_none() {
                        "?".to_string()
                    } else {
                        cell(rule)
                    }
                }),
                false,
            )
        }
    };
    RuleRow { group, change: Change::Added, direction, protocol, peer, open_to_world, broadening: false }
}

/// `TCP 443`, `TCP 1024-65535`, `All ICMP`, `Everything`.
fn describe_protocol(protocol: Option<&str>, from: Option<&str>, to: Option<&str>) -> String {
    let name = match protocol.unwrap_or("?") {
        "-1" | "all" => return "Everything".to_string(),
        "6" => "TCP".to_string(),
        "17" => "UDP".to_string(),
        "1" => "ICMP".to_string(),
        "58" => "ICMPV6".to_string(),
        other => other.to_uppercase(),
    };
    match (from, to) {
        (None, None) | (Some("-1"), _) => format!("All {name}"),
        (Some(from), Some(to)) if from == to => format!("{name} {from}"),
        (Some(from), Some(to)) => format!("{name} {from}-{to}"),
        (Some(port), None) | (None, Some(port)) => format!("{name} {port}"),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn resources(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap()
    }

    #[test]
    fn a_changed_statement_is_a_removed_row_and_an_added_row() {
        let old = resources(json!({ "P": { "Type": "AWS::IAM::Policy", "Properties": {
            "Roles": [{ "Ref": "Role" }],
            "PolicyDocument": { "Statement": [{ "Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "arn:x" }] } } } }));
        let new = resources(json!({ "P": { "Type": "AWS::IAM::Policy", "Properties": {
            "Roles": [{ "Ref": "Role" }],
            "PolicyDocument": { "Statement": [{ "Effect": "Allow", "Action": ["s3:*"], "Resource": "*" }] } } } }));
        let (rows, _) = iam(&old, &new);
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].change, rows[0].broadening), (Change::Added, true));
        assert_eq!(rows[0].wildcards, vec!["action", "resource"]);
        assert_eq!(rows[0].principals, vec!["AWS:${Role}"]);
        assert_eq!((rows[1].change, rows[1].broadening), (Change::Removed, false));
    }

    #[test]
    fn statement_order_and_action_order_do_not_matter() {
        let doc = |actions: Value| {
            json!({ "K": { "Type": "AWS::SQS::QueuePolicy", "Properties": { "PolicyDocument": {
            "Statement": { "Effect": "Allow", "Principal": { "Service": "sns.amazonaws.com" }, "Action": actions, "Resource": "*" } } } } })
        };
        let (rows, _) = iam(&resources(doc(json!(["sqs:A", "sqs:B"]))), &resources(doc(json!(["sqs:B", "sqs:A"]))));
        assert_eq!(rows, vec![]);
    }

    #[test]
    fn a_narrowed_statement_does_not_broaden() {
        let policy = |statement: Value| {
            resources(json!({ "P": { "Type": "AWS::IAM::Policy", "Properties": {
            "Roles": [{ "Ref": "Role" }], "PolicyDocument": { "Statement": [statement] } } } }))
        };
        let wide = policy(json!({ "Effect": "Allow", "Action": "s3:*", "Resource": "*" }));
        let narrow =
            policy(json!({ "Effect": "Allow", "Action": ["s3:GetObject", "S3:ListBucket"], "Resource": "arn:x/*",
            "Condition": { "Bool": { "aws:SecureTransport": "true" } } }));
        let (rows, _) = iam(&wide, &narrow);
        assert!(rows.iter().all(|row| !row.broadening), "{rows:?}");
        // The other way round, it broadens.
        let (rows, _) = iam(&narrow, &wide);
        assert!(rows.iter().any(|row| row.broadening));
        // Another action is not covered.
        let other = policy(json!({ "Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*" }));
        assert!(iam(&wide, &other).0.iter().any(|row| row.broadening));
    }

    #[test]
    fn wildcards_match_as_iam_does() {
        assert!(wildcard_match("s3:Get*", "s3:GetObjectAcl", true));
        assert!(wildcard_match("s3:get*", "S3:GetObject", true));
        assert!(wildcard_match("arn:*:s3:::b/*", "arn:aws:s3:::b/key", false));
        assert!(wildcard_match("s3:?etObject", "s3:GetObject", false));
        assert!(!wildcard_match("s3:Get*", "s3:PutObject", true));
        assert!(!wildcard_match("arn:x", "arn:x/y", false));
    }

    #[test]
    fn each_branch_of_a_conditional_statement_is_a_row() {
        let queue_policy =
            resources(json!({ "P": { "Type": "AWS::SQS::QueuePolicy", "Properties": { "PolicyDocument": {
            "Statement": [{ "Fn::If": ["Public",
                { "Effect": "Allow", "Principal": "*", "Action": "sqs:SendMessage", "Resource": "*" },
                { "Ref": "AWS::NoValue" }] }] } } } }));
        let (rows, _) = iam(&Map::new(), &queue_policy);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].wildcards, vec!["resource".to_string(), "principal".to_string()]);
    }

    #[test]
    fn a_removed_deny_broadens() {
        let with_deny = resources(json!({ "B": { "Type": "AWS::S3::BucketPolicy", "Properties": { "PolicyDocument": {
            "Statement": [{ "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*" }] } } } }));
        let (rows, _) = iam(&with_deny, &Map::new());
        assert!(rows[0].broadening);
    }

    #[test]
    fn ingress_rules_and_their_peers() {
        let old = resources(json!({ "Sg": { "Type": "AWS::EC2::SecurityGroup", "Properties": {
            "SecurityGroupIngress": [{ "IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "10.0.0.0/8" }] } } }));
        let new = resources(json!({ "Sg": { "Type": "AWS::EC2::SecurityGroup", "Properties": {
            "SecurityGroupIngress": [{ "IpProtocol": "tcp", "FromPort": "443", "ToPort": "443", "CidrIp": "10.0.0.0/8" }] } },
            "Open": { "Type": "AWS::EC2::SecurityGroupIngress", "Properties": {
                "GroupId": { "Fn::GetAtt": ["Sg", "GroupId"] }, "IpProtocol": "-1", "CidrIpv6": "::/0" } } }));
        let rows = security_groups(&old, &new);
        assert_eq!(rows.len(), 1, "443 and \"443\" are the same port: {rows:?}");
        assert_eq!(
            (rows[0].group.as_str(), rows[0].protocol.as_str(), rows[0].peer.as_str()),
            ("Sg", "Everything", "Everyone (IPv6)")
        );
        assert!(rows[0].broadening && rows[0].open_to_world);
    }
}
