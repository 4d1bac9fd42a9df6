//! Functions only a template's `Rules` have, for an `@assert` on a
//! parameter CloudFormation receives: `each_member_equals`
//! (`Fn::EachMemberEquals`), `each_member_in` (`Fn::EachMemberIn`),
//! `ref_all` (`Fn::RefAll`), `value_of` (`Fn::ValueOf`) and `value_of_all`
//! (`Fn::ValueOfAll`); `contains` of a deploy-time list is `Fn::Contains`
//! there (`collections.rs`).
//!
//! CloudFormation accepts them nowhere else, so they are called in the
//! assertion itself (`Checker::in_assert`, which a `let` or a function the
//! assertion reads does not inherit): anywhere else they are `E0315`.

use super::{Arity, Builtin, Call, Doc};
use crate::check::eval::deploy;
use crate::check::value::{assignable, CondNode, Ty, Val};
use crate::check::{Binding, Checker};
use crate::diagnostics::builder as diag;
use crate::diagnostics::facts::{CompileTimeNeed, Kind, Origin};
use crate::diagnostics::suggest::did_you_mean;
use crate::hir::{Intrinsic, RuleFunction, Value};
use crate::syntax::ast::ExprKind;

pub(super) const EACH_MEMBER_EQUALS: Builtin = Builtin {
    name: "each_member_equals",
    arity: Arity::exactly(2),
    doc: Doc {
        signatures: &["each_member_equals(list, value)"],
        summary: "rules only: `Fn::EachMemberEquals`, every item of a list equals a string",
        description: "`Fn::EachMemberEquals`: a condition that holds when every item of the list of \
            strings `list` equals the string `value`. A rule function: only in an `@assert` on a \
            parameter CloudFormation receives (`E0315` elsewhere), typically over `value_of_all` or \
            `value_of` of a list parameter.",
        example: r#"param vpc: AWS::EC2::VPC::Id

@assert(each_member_equals(value_of(subnets, "VpcId"), vpc), "The subnets must be in the VPC")
param subnets: List<AWS::EC2::Subnet::Id>

resource group: AWS::EC2::SecurityGroup {
  GroupDescription: "app"
  VpcId: vpc
  Tags: [{ Key: "Subnets", Value: join(",", subnets) }]
}"#,
    },
    implementation: each_member_equals,
};

fn each_member_equals(checker: &mut Checker<'_>, call: &Call<'_>) -> Val {
    rule_condition(checker, call, EACH_MEMBER_EQUALS.name, RuleFunction::EachMemberEquals, Ty::String)
}

pub(super) const EACH_MEMBER_IN: Builtin = Builtin {
    name: "each_member_in",
    arity: Arity::exactly(2),
    doc: Doc {
        signatures: &["each_member_in(list, allowed)"],
        summary: "rules only: `Fn::EachMemberIn`, every item of a list is one of another's",
        description: "`Fn::EachMemberIn`: a condition that holds when every item of the list of \
            strings `list` is an item of the list of strings `allowed`. A rule function: only in an \
            `@assert` on a parameter CloudFormation receives (`E0315` elsewhere).",
        example: r#"@assert(each_member_in(value_of(subnets, "AvailabilityZone"), ["us-east-1a", "us-east-1b"]), "Only zones a and b")
param subnets: List<AWS::EC2::Subnet::Id>

resource group: AWS::EC2::SecurityGroup {
  GroupDescription: "app"
  Tags: [{ Key: "Subnets", Value: join(",", subnets) }]
}"#,
    },
    implementation: each_member_in,
};

fn each_member_in(checker: &mut Checker<'_>, call: &Call<'_>) -> Val {
    let strings = Ty::List(Box::new(Ty::String));
    rule_condition(checker, call, EACH_MEMBER_IN.name, RuleFunction::EachMemberIn, strings)
}

/// A rule function's condition of a list of strings and a `second` operand.
fn rule_condition(
    checker: &mut Checker<'_>,
    call: &Call<'_>,
    name: &'static str,
    function: RuleFunction,
    second: Ty,
) -> Val {
    if !in_assert_or_report(checker, call, name) {
        return Val::Error;
    }
    let strings = Ty::List(Box::new(Ty::String));
    for (i, expected) in [(0, strings), (1, second)] {
        if !assignable(&call.values[i].ty(), &expected) {
            return checker.mismatch(call.arg_span(i), expected.kind(), &call.values[i]);
        }
    }
    let origin = call.values.iter().find_map(Val::deploy_origin).unwrap_or(Origin::Function(name));
    let (list, other) = (checker.lower(&call.values[0]), checker.lower(&call.values[1]));
    checker.cond(CondNode::Rule(function, list, other), origin)
}

/// `contains(list, value)` of a list known only at deploy time, in an
/// `@assert`: `Fn::Contains`. `None` elsewhere, where it is not the call's
/// meaning (the caller reports the list as not known at compile time).
pub(super) fn deploy_time_contains(checker: &mut Checker<'_>, call: &Call<'_>) -> Option<Val> {
    if !checker.in_assert || !assignable(&call.values[0].ty(), &Ty::List(Box::new(Ty::String))) {
        return None;
    }
    if !assignable(&call.values[1].ty(), &Ty::String) {
        return Some(checker.mismatch(call.arg_span(1), Kind::String, &call.values[1]));
    }
    let origin = call.values[0].deploy_origin().unwrap_or(Origin::Function(super::collections::CONTAINS.name));
    let (list, value) = (checker.lower(&call.values[0]), checker.lower(&call.values[1]));
    Some(checker.cond(CondNode::Rule(RuleFunction::Contains, list, value), origin))
}

pub(super) const REF_ALL: Builtin = Builtin {
    name: "ref_all",
    arity: Arity::exactly(1),
    doc: Doc {
        signatures: &["ref_all(parameter_type)"],
        summary: "rules only: `Fn::RefAll`, every value a parameter type has in the account",
        description: "`Fn::RefAll`: the list of every value of the AWS-specific parameter type \
            `parameter_type` (a string known at compile time, such as `\"AWS::EC2::VPC::Id\"`) in the \
            account and region the stack deploys to. A rule function: only in an `@assert` on a \
            parameter CloudFormation receives (`E0315` elsewhere).",
        example: r#"@assert(contains(ref_all("AWS::EC2::VPC::Id"), vpc), "The VPC must exist")
param vpc: string

resource group: AWS::EC2::SecurityGroup {
  GroupDescription: "app"
  VpcId: vpc
}"#,
    },
    implementation: ref_all,
};

fn ref_all(checker: &mut Checker<'_>, call: &Call<'_>) -> Val {
    if !in_assert_or_report(checker, call, REF_ALL.name) {
        return Val::Error;
    }
    let Some(parameter_type) = parameter_type(checker, call, REF_ALL.name) else { return Val::Error };
    deploy(
        Ty::List(Box::new(Ty::String)),
        Value::intrinsic(Intrinsic::RefAll(parameter_type)),
        Origin::Function(REF_ALL.name),
    )
}

pub(super) const VALUE_OF: Builtin = Builtin {
    name: "value_of",
    arity: Arity::exactly(2),
    doc: Doc {
        signatures: &["value_of(parameter, attribute)"],
        summary: "rules only: `Fn::ValueOf`, an attribute of what a parameter names",
        description: "`Fn::ValueOf`: the `attribute` (a string known at compile time: `\"VpcId\"`, \
            `\"Tags.Name\"`) of the resource an AWS-specific parameter names; of each of them, as a \
            list, for a `List<...>` parameter. `parameter` is the parameter's name. A rule function: \
            only in an `@assert` on a parameter CloudFormation receives (`E0315` elsewhere).",
        example: r#"param vpc: AWS::EC2::VPC::Id

@assert(each_member_equals(value_of(subnets, "VpcId"), vpc), "The subnets must be in the VPC")
param subnets: List<AWS::EC2::Subnet::Id>

resource group: AWS::EC2::SecurityGroup {
  GroupDescription: "app"
  VpcId: vpc
  Tags: [{ Key: "Subnets", Value: join(",", subnets) }]
}"#,
    },
    implementation: value_of,
};

fn value_of(checker: &mut Checker<'_>, call: &Call<'_>) -> Val {
    if !in_assert_or_report(checker, call, VALUE_OF.name) {
        return Val::Error;
    }
    let is_parameter = match &call.args[0].node {
        ExprKind::Name(name) => matches!(checker.resolve(name), Some(Binding::Param(_))),
        _ => false,
    };
    let id = match checker.lower(&call.values[0]) {
        Value::Intrinsic(intrinsic) if is_parameter => match *intrinsic {
            Intrinsic::Ref(id) => Some(id),
            _ => None,
        },
        _ => None,
    };
    let Some(id) = id else {
        checker.report(diag::value_of_not_a_parameter(call.arg_span(0), VALUE_OF.name));
        return Val::Error;
    };
    let need = CompileTimeNeed::Argument(VALUE_OF.name);
    let Some(attribute) = checker.compile_time_string(&call.values[1], call.arg_span(1), need) else {
        return Val::Error;
    };
    let ty = match call.values[0].ty() {
        list @ Ty::List(_) => list,
        _ => Ty::String,
    };
    deploy(ty, Value::intrinsic(Intrinsic::ValueOf(id, attribute)), Origin::Function(VALUE_OF.name))
}

pub(super) const VALUE_OF_ALL: Builtin = Builtin {
    name: "value_of_all",
    arity: Arity::exactly(2),
    doc: Doc {
        signatures: &["value_of_all(parameter_type, attribute)"],
        summary: "rules only: `Fn::ValueOfAll`, an attribute of every value of a parameter type",
        description: "`Fn::ValueOfAll`: the list of the `attribute` (`\"VpcId\"`, `\"Tags.Name\"`) of \
            every resource the values of the AWS-specific parameter type `parameter_type` name in the \
            account and region; both are strings known at compile time. A rule function: only in an \
            `@assert` on a parameter CloudFormation receives (`E0315` elsewhere).",
        example: r#"@assert(each_member_equals(value_of_all("AWS::EC2::Subnet::Id", "VpcId"), vpc), "Every subnet must be in the VPC")
param vpc: AWS::EC2::VPC::Id

resource group: AWS::EC2::SecurityGroup {
  GroupDescription: "app"
  VpcId: vpc
}"#,
    },
    implementation: value_of_all,
};

fn value_of_all(checker: &mut Checker<'_>, call: &Call<'_>) -> Val {
    if !in_assert_or_report(checker, call, VALUE_OF_ALL.name) {
        return Val::Error;
    }
    let Some(parameter_type) = parameter_type(checker, call, VALUE_OF_ALL.name) else { return Val::Error };
    let need = CompileTimeNeed::Argument(VALUE_OF_ALL.name);
    let Some(attribute) = checker.compile_time_string(&call.values[1], call.arg_span(1), need) else {
        return Val::Error;
    };
    let value = Value::intrinsic(Intrinsic::ValueOfAll(parameter_type, attribute));
    deploy(Ty::List(Box::new(Ty::String)), value, Origin::Function(VALUE_OF_ALL.name))
}

/// Whether the call is written in an `@assert` that becomes a rule; reports
/// it (`E0315`) when it is not.
fn in_assert_or_report(checker: &mut Checker<'_>, call: &Call<'_>, name: &'static str) -> bool {
    if !checker.in_assert {
        checker.report(diag::rule_function_outside_assert(call.span, name));
    }
    checker.in_assert
}

/// The first argument of `function` as an AWS-specific parameter type, or
/// a list of one.
fn parameter_type(checker: &mut Checker<'_>, call: &Call<'_>, function: &'static str) -> Option<String> {
    let span = call.arg_span(0);
    let need = CompileTimeNeed::Argument(function);
    let written = checker.compile_time_string(&call.values[0], span, need)?;
    let single = written.strip_prefix("List<").and_then(|s| s.strip_suffix('>')).unwrap_or(&written);
    if crate::check::decorators::AWS_PARAMETER_TYPES.contains(&single) {
        return Some(written);
    }
    let suggestion = did_you_mean(&written, crate::check::decorators::AWS_PARAMETER_TYPES.iter().copied());
    checker.report(diag::unknown_parameter_type(span, &written, suggestion));
    None
}
