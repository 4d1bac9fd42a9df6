//! Functions that build and take apart text: `join`, `split`, `sub`,
//! `base64`.

use super::{Arity, Builtin, Call, Doc};
use crate::check::eval::deploy;
use crate::check::value::{assignable, Ty, Val};
use crate::check::Checker;
use crate::diagnostics::builder as diag;
use crate::diagnostics::facts::{CompileTimeNeed, Kind, Origin, ValueRole};
use crate::hir::{Intrinsic, Value};

pub(super) const JOIN: Builtin = Builtin {
    name: "join",
    arity: Arity::exactly(2),
    doc: Doc {
        signatures: &["join(separator, list)"],
        summary: "the items of a list of strings, with a separator between them",
        description: "The items of `list` (strings, numbers or booleans) joined into one string with \
            `separator` between each two. The separator must be known at compile time. Computed when the \
            list is known; otherwise `Fn::Join`, which is also how a deploy-time list (a `list<string>` \
            parameter, `azs()`) becomes one string, for an output for example.",
        example: r#"param zones: list<string> = ["eu-west-1a", "eu-west-1b"]

resource alerts: AWS::SNS::Topic {
  DisplayName: join("-", ["alerts", "app", 2024])
}

output zone_list = join(",", zones)"#,
    },
    implementation: join,
};

fn join(checker: &mut Checker<'_>, call: &Call<'_>) -> Val {
    let (separator, list) = (&call.values[0], &call.values[1]);
    let (separator_span, list_span) = (call.arg_span(0), call.arg_span(1));
    let Some(separator) = checker.compile_time_string(separator, separator_span, CompileTimeNeed::Separator(JOIN.name))
    else {
        return Val::Error;
    };
    match list {
        Val::List(items) => {
            for item in items {
                if matches!(item.ty(), Ty::List(_) | Ty::Object | Ty::Null) {
                    return checker.mismatch(list_span, Kind::list_of(Kind::String), item);
                }
            }
            if list.is_compile_time() {
                let texts: Vec<String> = items.iter().filter_map(Val::scalar_text).collect();
                return Val::Str(texts.join(&separator));
            }
            let origin = list.deploy_origin().unwrap_or(Origin::Function(JOIN.name));
            let value = Value::intrinsic(Intrinsic::Join(separator, checker.lower(list)));
            deploy(Ty::String, value, origin)
        }
        other if matches!(other.ty(), Ty::List(_) | Ty::Any) => {
            let origin = other.deploy_origin().unwrap_or(Origin::Function(JOIN.name));
            let value = Value::intrinsic(Intrinsic::Join(separator, checker.lower(other)));
            deploy(Ty::String, value, origin)
        }
        other => checker.mismatch(list_span, Kind::list(), other),
    }
}

pub(super) const SPLIT: Builtin = Builtin {
    name: "split",
    arity: Arity::exactly(2),
    doc: Doc {
        signatures: &["split(separator, text)"],
        summary: "a string cut into a list of strings at each separator",
        description: "The pieces of `text` between occurrences of `separator`, as a list of strings. \
            The separator must be known at compile time. Computed when the text is known; otherwise \
            `Fn::Split`, for example to read a comma-separated parameter or attribute as a list.",
        example: r#"param subnet_ids: string = "subnet-0123456789abcdef0,subnet-0fedcba9876543210"

resource server: AWS::EC2::Instance {
  ImageId: "ami-12345678"
  SubnetId: split(",", subnet_ids)[0]
}"#,
    },
    implementation: split,
};

fn split(checker: &mut Checker<'_>, call: &Call<'_>) -> Val {
    let Some(separator) =
        checker.compile_time_string(&call.values[0], call.arg_span(0), CompileTimeNeed::Separator(SPLIT.name))
    else {
        return Val::Error;
    };
    match &call.values[1] {
        Val::Str(text) => Val::List(text.split(separator.as_str()).map(|s| Val::Str(s.to_string())).collect()),
        other if assignable(&other.ty(), &Ty::String) => {
            let origin = other.deploy_origin().unwrap_or(Origin::Function(SPLIT.name));
            let value = Value::intrinsic(Intrinsic::Split(separator, checker.lower(other)));
            deploy(Ty::List(Box::new(Ty::String)), value, origin)
        }
        other => checker.mismatch(call.arg_span(1), Kind::String, other),
    }
}

pub(super) const SUB: Builtin = Builtin {
    name: "sub",
    arity: Arity::between(1, 2),
    doc: Doc {
        signatures: &["sub(template)", "sub(template, variables)"],
        summary: "`Fn::Sub` written by hand, for templates CloudFormation fills in",
        description: "CloudFormation's `Fn::Sub`, verbatim: `template` (known at compile time) with its \
            `${Name}` references filled in at deploy time from the object `variables`, the template's \
            parameters and resources, and the pseudo parameters (`${AWS::Region}`). Write `${` as `\\${` in \
            the infra string so the compiler does not read it as interpolation. Interpolation \
            (`\"${name}-logs\"`) is usually the simpler way to build a string; `sub` is for text that must \
            reach CloudFormation as a template. Every `${Name}` must name one of these (by logical ID for \
            parameters and resources, `${Name.Attribute}` for an attribute), or it is an error (E0201); \
            `${!text}` is the literal `${text}`.",
        example: r#"param stage: string = "dev"

resource jobs: AWS::SQS::Queue {
  QueueName: sub("\${AWS::StackName}-\${Stage}-jobs", { Stage: stage })
}"#,
    },
    implementation: sub,
};

fn sub(checker: &mut Checker<'_>, call: &Call<'_>) -> Val {
    let variables: Vec<(String, Value)> = match call.values.get(1) {
        None => Vec::new(),
        Some(Val::Object(entries)) => entries.iter().map(|(k, v)| (k.clone(), checker.lower(v))).collect(),
        Some(other) => return checker.mismatch(call.arg_span(1), ValueRole::SubVariables, other),
    };
    let Some(template) =
        checker.compile_time_string(&call.values[0], call.arg_span(0), CompileTimeNeed::Template(SUB.name))
    else {
        return Val::Error;
    };
    let own: Vec<&str> = variables.iter().map(|(name, _)| name.as_str()).collect();
    checker.check_sub_names(&template, &own, call.arg_span(0));
    deploy(Ty::String, Value::intrinsic(Intrinsic::Sub(template, variables)), Origin::Function(SUB.name))
}

pub(super) const BASE64: Builtin = Builtin {
    name: "base64",
    arity: Arity::exactly(1),
    doc: Doc {
        signatures: &["base64(text)"],
        summary: "`Fn::Base64`: a string encoded in base64 at deploy time",
        description: "`Fn::Base64` of `text`: CloudFormation encodes the string in base64 when it \
            deploys, as an EC2 instance's or launch template's `UserData` requires. The text may hold \
            deploy-time values.",
        example: r##"resource instance: AWS::EC2::Instance {
  ImageId: "ami-12345678"
  UserData: base64("#!/bin/sh\necho ${aws.region} > /etc/region")
}"##,
    },
    implementation: base64,
};

fn base64(checker: &mut Checker<'_>, call: &Call<'_>) -> Val {
    checker.string_intrinsic(&call.values[0], call.arg_span(0), BASE64.name, Intrinsic::Base64)
}

pub(super) const NUMBER: Builtin = Builtin {
    name: "to_number",
    arity: Arity::exactly(1),
    doc: Doc {
        signatures: &["to_number(text)"],
        summary: "the number a string spells, read at compile time",
        description: "The number that `text` spells (`\"24\"` is `24`), for arithmetic on a part of a \
            string; a number is returned as it is. The text must be known at compile time and be a number \
            as infra writes one.",
        example: r#"let block = "10.0.0.0/16"
let prefix = to_number(split("/", block)[1])

resource vpc: AWS::EC2::VPC {
  CidrBlock: block
}

resource subnets: AWS::EC2::Subnet for i in range(2) {
  VpcId: vpc
  CidrBlock: cidr(block, 2, 32 - prefix - 1)[i]
}"#,
    },
    implementation: number,
};

fn number(checker: &mut Checker<'_>, call: &Call<'_>) -> Val {
    match &call.values[0] {
        Val::Number(n) => Val::Number(n.clone()),
        Val::Str(text) => match text.trim().parse::<serde_json::Number>() {
            Ok(n) => Val::Number(n),
            Err(_) => {
                checker.report(diag::not_a_number_text(call.arg_span(0), NUMBER.name, text));
                Val::Error
            }
        },
        other if !other.is_compile_time() => {
            let need = CompileTimeNeed::Argument(NUMBER.name);
            checker.report(diag::not_compile_time(call.arg_span(0), need, other.deploy_origin()));
            Val::Error
        }
        other => checker.mismatch(call.arg_span(0), Kind::String, other),
    }
}
