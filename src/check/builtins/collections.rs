//! Functions over lists and objects: `length`, `range`, `select`, `concat`,
//! `contains`, `merge`, `get`, `keys`, `values`, `type_of`. Except `select`, they work
//! on compile-time values only: CloudFormation has no intrinsic for them.

use super::{Arity, Builtin, Call, Doc};
use crate::check::eval::number;
use crate::check::value::{Ty, Val};
use crate::check::Checker;
use crate::diagnostics::builder as diag;
use crate::diagnostics::facts::{CompileTimeNeed, Kind, ValueRole};
use crate::syntax::ast::BinaryOp;

/// The most items `range` makes: a template holds at most 500 resources.
const MAX_RANGE: i64 = 100_000;

pub(super) const LENGTH: Builtin = Builtin {
    name: "length",
    arity: Arity::exactly(1),
    doc: Doc {
        signatures: &["length(value)"],
        summary: "the number of items of a list or object, or characters of a string",
        description: "The number of items in a list, entries in an object, or characters in a string. \
            The value must be known at compile time.",
        example: r#"let blocks = ["10.0.0.0/24", "10.0.1.0/24"]

resource vpc: AWS::EC2::VPC {
  CidrBlock: "10.0.0.0/16"
}

resource subnet: AWS::EC2::Subnet for i in range(length(blocks)) {
  VpcId: vpc
  CidrBlock: blocks[i]
  AvailabilityZone: azs()[i]
}"#,
    },
    implementation: length,
};

fn length(checker: &mut Checker<'_>, call: &Call<'_>) -> Val {
    match &call.values[0] {
        Val::List(items) => number(items.len() as i64),
        Val::Str(text) => number(text.chars().count() as i64),
        Val::Object(entries) => number(entries.len() as i64),
        other if !other.is_compile_time() => {
            let need = CompileTimeNeed::Argument(LENGTH.name);
            checker.report(diag::not_compile_time(call.arg_span(0), need, other.deploy_origin()));
            Val::Error
        }
        other => checker.mismatch(call.arg_span(0), ValueRole::Measured, other),
    }
}

pub(super) const RANGE: Builtin = Builtin {
    name: "range",
    arity: Arity::between(1, 2),
    doc: Doc {
        signatures: &["range(end)", "range(start, end)"],
        summary: "the whole numbers from `start` (0) up to, not including, `end`",
        description: "The list of whole numbers `[start, start + 1, ..., end - 1]`; `start` is 0 when \
            left out, and the list is empty when `end` is not above `start`. Both bounds must be known at \
            compile time. Used to declare several resources with a loop.",
        example: r#"resource queues: AWS::SQS::Queue for i in range(3) {
  QueueName: "jobs-${i}"
}"#,
    },
    implementation: range,
};

fn range(checker: &mut Checker<'_>, call: &Call<'_>) -> Val {
    let mut bounds = Vec::new();
    for (i, value) in call.values.iter().enumerate() {
        match value {
            Val::Number(n) if n.as_i64().is_some() => bounds.push(n.as_i64().unwrap_or_default()),
            other if !other.is_compile_time() => {
                let need = CompileTimeNeed::Bound(RANGE.name);
                checker.report(diag::not_compile_time(call.arg_span(i), need, other.deploy_origin()));
                return Val::Error;
            }
            other => return checker.mismatch(call.arg_span(i), ValueRole::WholeNumber, other),
        }
    }
    let (start, end) = if bounds.len() == 1 { (0, bounds[0]) } else { (bounds[0], bounds[1]) };
    // Far more than any template can hold; a typo, not a plan.
    if end.saturating_sub(start) > MAX_RANGE {
        checker.report(diag::range_too_large(call.span, end.saturating_sub(start), MAX_RANGE));
        return Val::Error;
    }
    Val::List((start..end).map(number).collect())
}

pub(super) const SELECT: Builtin = Builtin {
    name: "select",
    arity: Arity::exactly(2),
    doc: Doc {
        signatures: &["select(index, list)"],
        summary: "the item at a position of a list, the same as `list[index]`",
        description: "The item of `list` at `index`, counting from 0: the same as `list[index]`. \
            Computed when both are known; otherwise `Fn::Select`, as for the zones of `azs()`.",
        example: r#"resource subnet: AWS::EC2::Subnet {
  VpcId: "vpc-12345678"
  CidrBlock: "10.0.0.0/24"
  AvailabilityZone: select(0, azs())
}"#,
    },
    implementation: select,
};

fn select(checker: &mut Checker<'_>, call: &Call<'_>) -> Val {
    checker.index(call.values[1].clone(), call.values[0].clone(), call.arg_span(0))
}

pub(super) const CONCAT: Builtin = Builtin {
    name: "concat",
    arity: Arity::at_least(1),
    doc: Doc {
        signatures: &["concat(list, ...)"],
        summary: "one list holding the items of several lists, in order",
        description: "The items of every list argument, in order, as one list. The lists must be known \
            at compile time (their items need not be). Strings are joined with interpolation or `join`, \
            not `concat`.",
        example: r#"let public_ports = [80, 443]
let admin_ports = [22]

resource web: AWS::EC2::SecurityGroup {
  GroupDescription: "web and admin"
  SecurityGroupIngress: [for port in concat(public_ports, admin_ports): {
    IpProtocol: "tcp", FromPort: port, ToPort: port, CidrIp: "10.0.0.0/8"
  }]
}"#,
    },
    implementation: concat,
};

fn concat(checker: &mut Checker<'_>, call: &Call<'_>) -> Val {
    let mut all = Vec::new();
    for (i, value) in call.values.iter().enumerate() {
        match value {
            Val::List(items) => all.extend(items.iter().cloned()),
            other if !other.is_compile_time() => {
                checker.report(diag::not_compile_time(
                    call.arg_span(i),
                    CompileTimeNeed::JoinedList(CONCAT.name),
                    other.deploy_origin(),
                ));
                return Val::Error;
            }
            other => return checker.mismatch(call.arg_span(i), Kind::list(), other),
        }
    }
    Val::List(all)
}

pub(super) const CONTAINS: Builtin = Builtin {
    name: "contains",
    arity: Arity::exactly(2),
    doc: Doc {
        signatures: &["contains(collection, value)"],
        summary: "whether a list holds a value, an object a key, or a string a substring",
        description: "`true` when the list `collection` holds an item equal to `value`, when the object \
            `collection` has the key `value`, or when the string `collection` contains the string \
            `value`; otherwise `false`. What is searched must be known at compile time. A `value` known \
            only at deploy time (a parameter) in a list is a condition: that it equals one of the items \
            (`Fn::Or` of `Fn::Equals`), for `@when` or `? :`. In an `@assert` on a parameter \
            CloudFormation receives, a list known only at deploy time (a `list<string>` parameter, \
            `ref_all`, `value_of_all`) is searched by the rule: `Fn::Contains`.",
        example: r#"let versioned_stages = ["prod", "staging"]

resource data: AWS::S3::Bucket {
  VersioningConfiguration: { Status: contains(versioned_stages, "prod") ? "Enabled" : "Suspended" }
}"#,
    },
    implementation: contains,
};

fn contains(checker: &mut Checker<'_>, call: &Call<'_>) -> Val {
    let needle = &call.values[1];
    // A value known only at deploy time is in a list known now if it equals
    // one of its items: a condition, decided by CloudFormation.
    if let (Val::List(items), false) = (&call.values[0], needle.is_compile_time()) {
        let span = call.arg_span(1);
        let mut found = Val::Bool(false);
        for item in items {
            let equal = checker.equals(needle.clone(), item.clone(), span, call.arg_span(0));
            found = checker.logic(BinaryOp::Or, found, equal, span, span);
        }
        return found;
    }
    let found = match &call.values[0] {
        Val::List(items) => items.iter().any(|item| same_value(item, needle)),
        Val::Object(entries) => entries.iter().any(|(k, _)| matches!(needle, Val::Str(s) if s == k)),
        Val::Str(text) => matches!(needle, Val::Str(s) if text.contains(s.as_str())),
        other if !other.is_compile_time() => {
            if let Some(rule) = super::rules::deploy_time_contains(checker, call) {
                return rule;
            }
            let need = CompileTimeNeed::Searched(CONTAINS.name);
            checker.report(diag::not_compile_time(call.arg_span(0), need, other.deploy_origin()));
            return Val::Error;
        }
        other => return checker.mismatch(call.arg_span(0), ValueRole::Searched, other),
    };
    Val::Bool(found)
}

/// Equality of compile-time values; deploy-time values are never equal.
fn same_value(a: &Val, b: &Val) -> bool {
    match (a, b) {
        (Val::Null, Val::Null) => true,
        (Val::Bool(x), Val::Bool(y)) => x == y,
        (Val::Number(x), Val::Number(y)) => x.as_f64() == y.as_f64(),
        (Val::Str(x), Val::Str(y)) => x == y,
        (Val::List(x), Val::List(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same_value(a, b)),
        (Val::Object(x), Val::Object(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|((ka, va), (kb, vb))| ka == kb && same_value(va, vb))
        }
        _ => false,
    }
}

pub(super) const MERGE: Builtin = Builtin {
    name: "merge",
    arity: Arity::at_least(1),
    doc: Doc {
        signatures: &["merge(object, ...)"],
        summary: "one object with the entries of several; later objects win",
        description: "One object holding the entries of every object argument. When several have the same \
            key, the last one's value wins, and the key keeps its first position. Used to add to or \
            override defaults, as in a spread.",
        example: r#"let defaults = { team: "platform", cost_center: "1234" }

resource logs: AWS::S3::Bucket {
  Tags: [for key, value in merge(defaults, { team: "data" }): { Key: key, Value: value }]
}"#,
    },
    implementation: merge,
};

fn merge(checker: &mut Checker<'_>, call: &Call<'_>) -> Val {
    // Later objects win, key by key, as in a spread.
    let mut merged: Vec<(String, Val)> = Vec::new();
    for (i, value) in call.values.iter().enumerate() {
        let Val::Object(entries) = value else { return checker.mismatch(call.arg_span(i), Kind::Object, value) };
        for (key, item) in entries {
            match merged.iter_mut().find(|(k, _)| k == key) {
                Some(entry) => entry.1 = item.clone(),
                None => merged.push((key.clone(), item.clone())),
            }
        }
    }
    Val::Object(merged)
}

pub(super) const GET: Builtin = Builtin {
    name: "get",
    arity: Arity::between(2, 3),
    doc: Doc {
        signatures: &["get(object, key)", "get(object, key, default)"],
        summary: "an object's value for a key, or a default when it has none",
        description: "The value of `key` in `object`, or `default` (`null` when left out) when the object \
            has no such key; `object.key` would be an error then. The key must be known at compile time. \
            Made for the optional keys of objects a construct takes.",
        example: r#"let settings = { retention: 7 }

resource logs: AWS::Logs::LogGroup {
  RetentionInDays: get(settings, "retention", 30)
  LogGroupClass: get(settings, "class", "STANDARD")
}"#,
    },
    implementation: get,
};

fn get(checker: &mut Checker<'_>, call: &Call<'_>) -> Val {
    match (&call.values[0], &call.values[1]) {
        (Val::Object(entries), Val::Str(key)) => match entries.iter().find(|(k, _)| k == key) {
            Some((_, value)) => value.clone(),
            None => call.values.get(2).cloned().unwrap_or(Val::Null),
        },
        (Val::Object(_), key) if !key.is_compile_time() => {
            checker.report(diag::not_compile_time(
                call.arg_span(1),
                CompileTimeNeed::Key(GET.name),
                key.deploy_origin(),
            ));
            Val::Error
        }
        (Val::Object(_), key) => checker.mismatch(call.arg_span(1), Kind::String, key),
        (other, _) => checker.mismatch(call.arg_span(0), Kind::Object, other),
    }
}

pub(super) const KEYS: Builtin = Builtin {
    name: "keys",
    arity: Arity::exactly(1),
    doc: Doc {
        signatures: &["keys(object)"],
        summary: "the keys of an object, in order",
        description: "The keys of `object`, as a list of strings in the order they were written.",
        example: r#"let queues = { orders: 60, billing: 300 }

resource queue: AWS::SQS::Queue for name in keys(queues) {
  QueueName: "shop-${name}"
}"#,
    },
    implementation: keys,
};

fn keys(checker: &mut Checker<'_>, call: &Call<'_>) -> Val {
    match &call.values[0] {
        Val::Object(entries) => Val::List(entries.iter().map(|(k, _)| Val::Str(k.clone())).collect()),
        other => checker.mismatch(call.arg_span(0), Kind::Object, other),
    }
}

pub(super) const VALUES: Builtin = Builtin {
    name: "values",
    arity: Arity::exactly(1),
    doc: Doc {
        signatures: &["values(object)"],
        summary: "the values of an object, in the order of its keys",
        description: "The values of `object`, as a list in the order their keys were written.",
        example: r#"let sizes = { small: "t3.micro", large: "m5.large" }

resource server: AWS::EC2::Instance for size in values(sizes) {
  ImageId: "ami-12345678"
  InstanceType: size
}"#,
    },
    implementation: values,
};

fn values(checker: &mut Checker<'_>, call: &Call<'_>) -> Val {
    match &call.values[0] {
        Val::Object(entries) => Val::List(entries.iter().map(|(_, v)| v.clone()).collect()),
        other => checker.mismatch(call.arg_span(0), Kind::Object, other),
    }
}

pub(super) const TYPE_OF: Builtin = Builtin {
    name: "type_of",
    arity: Arity::exactly(1),
    doc: Doc {
        signatures: &["type_of(value)"],
        summary: "the name of a value's type: `string`, `number`, `bool`, `list`, `object` or `null`",
        description: "The name of the type of `value`, as a string: `\"string\"`, `\"number\"`, `\"bool\"`, \
            `\"list\"`, `\"object\"` or `\"null\"`. Known at compile time even for a deploy-time value whose \
            type is known (a `string` parameter is a `\"string\"`); a value whose type CloudFormation decides \
            (a resource attribute) is an error. Made for a construct parameter of type `any` that takes \
            either inline text or an object, such as `lambda.Function`'s `code`, which takes source text or \
            an `asset(...)`.",
        example: r#"construct Function {
  param code: any

  resource function: AWS::Lambda::Function {
    Runtime: "python3.12"
    Handler: "index.handler"
    Role: "arn:aws:iam::123456789012:role/lambda"
    Code: type_of(code) == "object" ? code : { ZipFile: code }
  }
}

resource inline: Function {
  code: "def handler(event, context): pass"
}

resource packaged: Function {
  code: { S3Bucket: "my-artifacts", S3Key: "handler.zip" }
}"#,
    },
    implementation: type_of,
};

fn type_of(checker: &mut Checker<'_>, call: &Call<'_>) -> Val {
    let value = &call.values[0];
    let name = match value.ty() {
        Ty::Null => "null",
        Ty::Bool => "bool",
        Ty::Number => "number",
        Ty::String => "string",
        Ty::List(_) => "list",
        Ty::Object => "object",
        Ty::Any => {
            let need = CompileTimeNeed::Argument(TYPE_OF.name);
            checker.report(diag::not_compile_time(call.arg_span(0), need, value.deploy_origin()));
            return Val::Error;
        }
    };
    Val::Str(name.to_string())
}
