//! `sqs.Queue` (std/sqs.infra): a queue with its dead-letter queue (the
//! target of its `RedrivePolicy`), the queue policy whose first statement
//! denies requests without TLS, and the SNS subscriptions that deliver to
//! it. Every queue that is not another's dead-letter queue is a candidate;
//! what the construct would add (a policy, a dead-letter queue) is said by
//! [`super::compare`].

use serde_json::{json, Map, Value};

use super::{get_att_of, outside_blocker, outside_reads, property, ref_of, type_of, Found, Raise};
use crate::names::snake_case;

const CONSTRUCT: &str = "sqs.Queue";

/// `Fn::GetAtt` attributes of the queue and the outputs that give them; a
/// `Ref` of it (the URL) is `url`, written as a form.
const ATTRIBUTES: &[(&str, &str)] = &[("Arn", "arn"), ("QueueName", "name")];

fn arns_in<'v>(value: &'v Value, found: &mut Vec<&'v str>) {
    if let Some((id, "Arn")) = get_att_of(value) {
        found.push(id);
    }
    match value {
        Value::Object(map) => map.values().for_each(|v| arns_in(v, found)),
        Value::Array(items) => items.iter().for_each(|v| arns_in(v, found)),
        _ => {}
    }
}

fn is_arn_of(value: &Value, id: &str) -> bool {
    get_att_of(value) == Some((id, "Arn"))
}

pub(super) fn find(template: &Map<String, Value>, resources: &Map<String, Value>, found: &mut Found) {
    // Queues another's redrive policy names anywhere (under an `Fn::If`
    // too) belong to that queue's group, not one of their own.
    let mut dead_letters: Vec<&str> = Vec::new();
    for queue in resources.values().filter(|r| type_of(r) == "AWS::SQS::Queue") {
        arns_in(property(queue, "RedrivePolicy").unwrap_or(&Value::Null), &mut dead_letters);
    }
    for (id, queue) in resources {
        if type_of(queue) == "AWS::SQS::Queue" && !dead_letters.contains(&id.as_str()) {
            found.raises.push(candidate(template, resources, id, queue));
        }
    }
}

fn candidate(template: &Map<String, Value>, resources: &Map<String, Value>, id: &str, queue: &Value) -> Raise {
    let instance = id
        .strip_suffix("Queue")
        .filter(|p| !p.is_empty() && infrac::check::pascal_case(&snake_case(p)) == *p)
        .map_or_else(|| snake_case(id), snake_case);
    let prefix = infrac::check::pascal_case(&instance);
    let dead = property(queue, "RedrivePolicy")
        .and_then(|r| r.get("deadLetterTargetArn"))
        .and_then(get_att_of)
        .map(|(d, _)| d)
        .filter(|d| resources.get(*d).is_some_and(|d| type_of(d) == "AWS::SQS::Queue"));
    let policy = resources.iter().find(|(_, r)| {
        type_of(r) == "AWS::SQS::QueuePolicy"
            && property(r, "Queues").and_then(Value::as_array).and_then(|q| q.first()).and_then(ref_of) == Some(id)
            && property(r, "PolicyDocument")
                .and_then(|d| d.pointer("/Statement/0/Condition/Bool/aws:SecureTransport"))
                .is_some()
    });
    let subscriptions: Vec<(&String, &Value)> = resources
        .iter()
        .filter(|(_, r)| {
            type_of(r) == "AWS::SNS::Subscription"
                && property(r, "Protocol").and_then(Value::as_str) == Some("sqs")
                && property(r, "Endpoint").is_some_and(|e| is_arn_of(e, id))
        })
        .collect();

    let mut roles = vec![(id.to_string(), format!("{prefix}Queue"))];
    if let Some(dead) = dead {
        roles.push((dead.to_string(), format!("{prefix}Dead")));
    }
    if let Some((policy_id, _)) = policy {
        roles.push((policy_id.clone(), format!("{prefix}Policy")));
    }
    for (i, (subscription, _)) in subscriptions.iter().enumerate() {
        roles.push(((*subscription).clone(), format!("{prefix}Subscription{i}")));
    }

    let mut properties: Vec<(String, Value)> = Vec::new();
    let fifo = property(queue, "FifoQueue").is_some_and(|f| f == &json!(true) || f == "true");
    if let Some(name) = property(queue, "QueueName") {
        let name = match name.as_str().and_then(|n| n.strip_suffix(".fifo")) {
            Some(stem) if fifo => Value::String(stem.to_string()),
            _ => name.clone(),
        };
        properties.push(("name".into(), name));
    }
    if fifo {
        properties.push(("fifo".into(), Value::Bool(true)));
    }
    let numbers: &[(&str, &str, u64)] = &[
        ("VisibilityTimeout", "visibility_timeout", 30),
        ("MessageRetentionPeriod", "retention_seconds", 345_600),
        ("ReceiveMessageWaitTimeSeconds", "receive_wait_seconds", 0),
    ];
    for (key, name, default) in numbers {
        if let Some(value) = property(queue, key).filter(|v| !alike_number(v, *default)) {
            properties.push((name.to_string(), value.clone()));
        }
    }
    match dead {
        None => properties.push(("dead_letter".into(), Value::Bool(false))),
        Some(dead) => {
            let count = property(queue, "RedrivePolicy").and_then(|r| r.get("maxReceiveCount"));
            if let Some(count) = count.filter(|c| !alike_number(c, 5)) {
                properties.push(("max_receive_count".into(), count.clone()));
            }
            let retention = property(&resources[dead], "MessageRetentionPeriod");
            if let Some(days) = retention.filter(|r| !alike_number(r, 1_209_600)) {
                properties.push(("dead_letter_retention_seconds".into(), days.clone()));
            }
        }
    }
    if let Some(key) = property(queue, "KmsMasterKeyId") {
        properties.push(("kms_key".into(), key.clone()));
    }
    let statements = policy
        .and_then(|(_, p)| property(p, "PolicyDocument"))
        .and_then(|d| d.get("Statement"))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut rest = statements.into_iter().skip(1).peekable();
    if let Some(topics) = rest
        .peek()
        .filter(|s| s.get("Sid").and_then(Value::as_str) == Some("AllowTopics"))
        .and_then(|s| s.pointer("/Condition/ArnEquals/aws:SourceArn"))
        .cloned()
    {
        properties.push(("topics".into(), topics));
        rest.next();
    }
    // The construct gives a statement without `Resource` the queue's ARN,
    // which an instance cannot name in its own properties.
    let others: Vec<Value> = rest
        .map(|mut s| {
            if s.get("Resource").is_some_and(|r| is_arn_of(r, id)) {
                s.as_object_mut().map(|o| o.remove("Resource"));
            }
            s
        })
        .collect();
    if !others.is_empty() {
        properties.push(("policy_statements".into(), Value::Array(others)));
    }

    let members: Vec<String> = roles.iter().map(|(m, _)| m.clone()).collect();
    let mut raise = Raise {
        construct: CONSTRUCT,
        instance: instance.clone(),
        primary: id.to_string(),
        members,
        attributes: ATTRIBUTES,
        properties,
        roles,
        blockers: Vec::new(),
        forms: vec![(json!({ "Ref": id }), format!("{instance}.url"))],
        explanations: &[],
    };
    if let Some(dead) = dead {
        raise.forms.push((json!({ "Ref": dead }), format!("{instance}.dead_letter_url")));
        raise.forms.push((json!({ "Fn::GetAtt": [dead, "Arn"] }), format!("{instance}.dead_letter_arn")));
    }
    raise.blockers.extend(outside_blocker(&outside_reads(template, &raise), ""));
    raise
}

/// A number as the template wrote it (`30` or `"30"`) equal to `n`.
fn alike_number(value: &Value, n: u64) -> bool {
    value.as_u64() == Some(n) || value.as_str().and_then(|s| s.parse::<u64>().ok()) == Some(n)
}
