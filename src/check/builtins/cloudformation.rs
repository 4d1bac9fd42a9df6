//! Functions that stand for CloudFormation's own intrinsics: `azs`
//! (`Fn::GetAZs`), `cidr` (`Fn::Cidr`), `import_value` (`Fn::ImportValue`),
//! `stack_output` (`Fn::GetStackOutput`),
//! `lookup` (`Fn::FindInMap`) and `after` (a dependency through
//! `Fn::Select`). `cidr` and `lookup` are computed when their arguments are
//! known.

use super::{Arity, Builtin, Call, Doc};
use crate::check::eval::deploy;
use crate::check::value::{assignable, Ty, Val};
use crate::check::{Binding, Checker};
use crate::diagnostics::builder as diag;
use crate::diagnostics::facts::{CidrProblem, CompileTimeNeed, Kind, Origin, TransformFeature, ValueRole};
use crate::diagnostics::suggest::did_you_mean;
use crate::hir::{Intrinsic, Value};
use crate::source::Span;
use crate::syntax::ast::{Expr, ExprKind};

pub(super) const AZS: Builtin = Builtin {
    name: "azs",
    arity: Arity::between(0, 1),
    doc: Doc {
        signatures: &["azs()", "azs(region)"],
        summary: "`Fn::GetAZs`: the availability zones of a region",
        description: "`Fn::GetAZs`: the list of availability zones of `region`, or of the region the \
            stack is deployed to when left out. Always known only at deploy time; pick zones with \
            `select` or an index.",
        example: r#"resource subnet: AWS::EC2::Subnet {
  VpcId: "vpc-12345678"
  CidrBlock: "10.0.1.0/24"
  AvailabilityZone: azs()[1]
}"#,
    },
    implementation: azs,
};

fn azs(checker: &mut Checker<'_>, call: &Call<'_>) -> Val {
    let region = call.values.first().map_or(Value::String(String::new()), |v| checker.lower(v));
    deploy(Ty::List(Box::new(Ty::String)), Value::intrinsic(Intrinsic::GetAZs(region)), Origin::Function(AZS.name))
}

pub(super) const CIDR: Builtin = Builtin {
    name: "cidr",
    arity: Arity::exactly(3),
    doc: Doc {
        signatures: &["cidr(block, count, host_bits)"],
        summary: "the first subnets of an IPv4 CIDR block",
        description: "The first `count` (1 to 256) subnets of the IPv4 CIDR `block` that have \
            `host_bits` bits for hosts (8 bits: a `/24` subnet of 256 addresses), as a list of CIDR \
            strings. Computed when all three are known, so that a block too small for the subnets is \
            reported at compile time (`E0312`); otherwise `Fn::Cidr`.",
        example: r#"param vpc_cidr: string = "10.0.0.0/16"

resource vpc: AWS::EC2::VPC {
  CidrBlock: vpc_cidr
}

resource subnet: AWS::EC2::Subnet {
  VpcId: vpc
  CidrBlock: cidr(vpc_cidr, 4, 8)[0]
}

// Computed: "10.1.1.0/24".
output second_block = cidr("10.1.0.0/16", 2, 8)[1]"#,
    },
    implementation: cidr,
};

fn cidr(checker: &mut Checker<'_>, call: &Call<'_>) -> Val {
    let values = &call.values;
    for (i, expected) in [(0, Ty::String), (1, Ty::Number), (2, Ty::Number)] {
        if !assignable(&values[i].ty(), &expected) {
            return checker.mismatch(call.arg_span(i), expected.kind(), &values[i]);
        }
    }
    if let (Val::Str(block), Val::Number(count), Val::Number(bits)) = (&values[0], &values[1], &values[2]) {
        return match fold_cidr(block, count.as_u64(), bits.as_u64()) {
            Ok(blocks) => Val::List(blocks.into_iter().map(Val::Str).collect()),
            Err(problem) => {
                checker.report(diag::invalid_cidr_arguments(call.span, CIDR.name, &problem));
                Val::Error
            }
        };
    }
    let [block, count, bits] = [&values[0], &values[1], &values[2]].map(|v| checker.lower(v));
    let value = Value::intrinsic(Intrinsic::Cidr(block, count, bits));
    deploy(Ty::List(Box::new(Ty::String)), value, Origin::Function(CIDR.name))
}

/// `Fn::Cidr` computed at compile time: the first `count` subnets of
/// `block` with `host_bits` bits for hosts (IPv4).
fn fold_cidr(block: &str, count: Option<u64>, host_bits: Option<u64>) -> Result<Vec<String>, CidrProblem> {
    let (address, prefix) = block.split_once('/').ok_or_else(|| CidrProblem::NotABlock(block.to_string()))?;
    let address: std::net::Ipv4Addr = address.parse().map_err(|_| CidrProblem::NotIpv4(block.to_string()))?;
    let prefix: u32 =
        prefix.parse().ok().filter(|p| *p <= 32).ok_or_else(|| CidrProblem::BadPrefix(block.to_string()))?;
    let (count, host_bits) = match (count, host_bits) {
        (Some(c), Some(h)) if (1..=256).contains(&c) && h <= 32 => (c, h as u32),
        _ => return Err(CidrProblem::CountOrBitsOutOfRange),
    };
    let subnet_prefix = 32 - host_bits;
    if subnet_prefix < prefix {
        return Err(CidrProblem::SubnetsLargerThanBlock { block: block.to_string(), host_bits });
    }
    let available = 1u64 << (subnet_prefix - prefix);
    if count > available {
        return Err(CidrProblem::TooFewSubnets { block: block.to_string(), available, host_bits, count });
    }
    let base = u32::from(address) & (u32::MAX.checked_shl(32 - prefix).unwrap_or(0));
    Ok((0..count)
        .map(|i| {
            let start = base as u64 + (i << host_bits);
            format!("{}/{subnet_prefix}", std::net::Ipv4Addr::from(start as u32))
        })
        .collect())
}

pub(super) const IMPORT_VALUE: Builtin = Builtin {
    name: "import_value",
    arity: Arity::exactly(1),
    doc: Doc {
        signatures: &["import_value(export_name)"],
        summary: "`Fn::ImportValue`: an output another stack exports",
        description: "`Fn::ImportValue`: the value another, already deployed stack exports under \
            `export_name`. Between stacks of one program no import is needed: refer to the other stack's \
            declaration (`Network.vpc`) and the compiler writes the export and the import.",
        example: r#"resource instance: AWS::EC2::Instance {
  ImageId: "ami-12345678"
  SubnetId: import_value("shared-network-private-subnet")
}"#,
    },
    implementation: import_value,
};

fn import_value(checker: &mut Checker<'_>, call: &Call<'_>) -> Val {
    checker.string_intrinsic(&call.values[0], call.arg_span(0), IMPORT_VALUE.name, Intrinsic::ImportValue)
}

pub(super) const STACK_OUTPUT: Builtin = Builtin {
    name: "stack_output",
    arity: Arity::between(2, 3),
    doc: Doc {
        signatures: &["stack_output(stack_name, output_name)", "stack_output(stack_name, output_name, settings)"],
        summary: "`Fn::GetStackOutput`: an output of another deployed stack, exported or not",
        description: "`Fn::GetStackOutput`: the output `output_name` of the deployed stack `stack_name`, \
            read when this stack deploys; unlike `import_value`, the output needs no export, and the \
            stack may be in another region or account. `settings` is an object with `region` (the \
            other stack's region) and `role_arn` (a role CloudFormation assumes to read it), each \
            optional. The names and settings may be deploy-time strings. Between stacks of one program, \
            refer to the other stack's declaration instead (`Network.vpc`).",
        example: r#"resource topic: AWS::SNS::Topic {
  DisplayName: stack_output("producer-stack", "TopicName", { region: "us-west-2" })
}"#,
    },
    implementation: stack_output,
};

/// The settings of `stack_output`, as infra and as `Fn::GetStackOutput` names them.
const STACK_OUTPUT_SETTINGS: &[&str] = &["region", "role_arn"];

fn stack_output(checker: &mut Checker<'_>, call: &Call<'_>) -> Val {
    for i in 0..2 {
        if !assignable(&call.values[i].ty(), &Ty::String) {
            return checker.mismatch(call.arg_span(i), Kind::String, &call.values[i]);
        }
    }
    let (mut region, mut role_arn) = (None, None);
    match call.values.get(2) {
        None => {}
        Some(Val::Object(entries)) => {
            for (key, value) in entries {
                if !assignable(&value.ty(), &Ty::String) {
                    return checker.mismatch(call.arg_span(2), Kind::String, value);
                }
                let lowered = checker.lower(value);
                match key.as_str() {
                    "region" => region = Some(lowered),
                    "role_arn" => role_arn = Some(lowered),
                    other => {
                        let span = call.arg_span(2);
                        checker.report(diag::unknown_setting(span, STACK_OUTPUT.name, other, STACK_OUTPUT_SETTINGS));
                        return Val::Error;
                    }
                }
            }
        }
        Some(other) => return checker.mismatch(call.arg_span(2), Kind::Object, other),
    }
    let (stack, output) = (checker.lower(&call.values[0]), checker.lower(&call.values[1]));
    let value = Value::intrinsic(Intrinsic::GetStackOutput { stack, output, region, role_arn });
    deploy(Ty::String, value, Origin::Function(STACK_OUTPUT.name))
}

pub(super) const LOOKUP: Builtin = Builtin {
    name: "lookup",
    arity: Arity::between(3, 4),
    doc: Doc {
        signatures: &["lookup(table, row, column)", "lookup(table, row, column, default)"],
        summary: "a cell of a table: computed, or `Fn::FindInMap` over a `Mappings` entry",
        description: "The value in `table` (a `let` holding an object of objects, whose cells are strings, \
            numbers or lists of them) at `row` and `column`. Computed when both keys are known, so a \
            missing key is reported at compile time; when a key is known only at deploy time \
            (`aws.region`, a parameter) the table becomes an entry of the template's `Mappings`, named \
            after the `let` (or by its `@logical_id`), read with `Fn::FindInMap`. With a `default`, a \
            missing row or column gives the default instead of an error; at deploy time that is \
            `Fn::FindInMap`'s `DefaultValue`, which needs `@transform(\"AWS::LanguageExtensions\")` on \
            the stack (E0509).",
        example: r#"let images = {
  "eu-west-1": { arm: "ami-0a1b2c3d", x86: "ami-0e1f2a3b" }
  "us-east-1": { arm: "ami-1a2b3c4d", x86: "ami-1e2f3a4b" }
}

resource server: AWS::EC2::Instance {
  ImageId: lookup(images, aws.region, "arm")
}"#,
    },
    implementation: lookup,
};

/// `lookup(table, key, key[, default])`: folded when both keys are known; otherwise
/// the table becomes a CloudFormation mapping read with `Fn::FindInMap`.
fn lookup(checker: &mut Checker<'_>, call: &Call<'_>) -> Val {
    let table_expr: &Expr = &call.args[0];
    let keys_span = call.arg_span(1).to(call.arg_span(2));
    let (table, first, second) = (&call.values[0], &call.values[1], &call.values[2]);
    let default = call.values.get(3);
    let Val::Object(rows) = table else {
        return checker.mismatch(table_expr.span, ValueRole::LookupTable, table);
    };
    if let (Val::Str(row), Val::Str(column), Some(default)) = (first, second, default) {
        let cell = rows.iter().find(|(k, _)| k == row).and_then(|(_, cells)| match cells {
            Val::Object(cells) => cells.iter().find(|(k, _)| k == column).map(|(_, cell)| cell),
            _ => None,
        });
        return cell.unwrap_or(default).clone();
    }
    if let (Val::Str(first), Val::Str(second)) = (first, second) {
        let Some(row) = table_entry(checker, rows, first, keys_span) else { return Val::Error };
        let Val::Object(cells) = row else { return checker.mismatch(table_expr.span, ValueRole::LookupRow, row) };
        return table_entry(checker, cells, second, keys_span).cloned().unwrap_or(Val::Error);
    }
    if !table.is_compile_time() {
        checker.report(diag::not_compile_time(table_expr.span, CompileTimeNeed::LookupTable, table.deploy_origin()));
        return Val::Error;
    }
    // The mapping is named after the `let` that holds the table, or by its
    // `@logical_id` (a malformed one was reported when the `let` was read).
    let ExprKind::Name(name) = &table_expr.node else {
        checker.report(diag::lookup_table_not_a_name(table_expr.span));
        return Val::Error;
    };
    let (prefix, written) = match checker.resolve(name) {
        Some(Binding::Let(decl)) => {
            let item = checker.item(decl);
            (checker.frames[decl.0].prefix.clone(), checker.written_logical_id(item).ok().flatten())
        }
        _ => (String::new(), None),
    };
    let mapping = format!("{prefix}{}", written.unwrap_or_else(|| crate::check::pascal_case(name)));
    // A row known now must exist, whatever the column: `Fn::FindInMap`
    // would fail in every region otherwise.
    if let (Val::Str(row), None) = (first, default) {
        if table_entry(checker, rows, row, keys_span).is_none() {
            return Val::Error;
        }
    }
    // CloudFormation mappings are two levels deep, with strings or lists
    // of strings at the bottom.
    for (_, row) in rows {
        let Val::Object(cells) = row else { return checker.mismatch(table_expr.span, ValueRole::LookupRow, row) };
        for (_, cell) in cells {
            if matches!(cell, Val::Object(_))
                || matches!(cell, Val::List(items) if items.iter().any(|i| matches!(i, Val::Object(_) | Val::List(_))))
            {
                return checker.mismatch(table_expr.span, ValueRole::LookupCell, cell);
            }
        }
        if let (Val::Str(column), None) = (second, default) {
            if table_entry(checker, cells, column, keys_span).is_none() {
                return Val::Error;
            }
        }
    }
    let lowered = checker.lower(table);
    let mapping = checker.mapping_name(mapping, lowered);
    let origin = first.deploy_origin().or(second.deploy_origin()).unwrap_or(Origin::Function(LOOKUP.name));
    let default = default.map(|value| checker.lower(value));
    if default.is_some() {
        if let Some(stack) = checker.stack_index() {
            let transform = crate::schema::sam::LANGUAGE_EXTENSIONS;
            checker.stacks[stack].needs_transforms.push((TransformFeature::LookupDefault, transform, call.span));
        }
    }
    let value = Value::intrinsic(Intrinsic::FindInMap(mapping, checker.lower(first), checker.lower(second), default));
    deploy(Ty::Any, value, origin)
}

/// The entry `key` of a lookup table's rows or of one row; a key it lacks
/// is reported, with the closest one.
fn table_entry<'v>(checker: &mut Checker<'_>, entries: &'v [(String, Val)], key: &str, span: Span) -> Option<&'v Val> {
    let found = entries.iter().find(|(k, _)| k == key).map(|(_, value)| value);
    if found.is_none() {
        let keys: Vec<&str> = entries.iter().map(|(k, _)| k.as_str()).collect();
        let suggestion = did_you_mean(key, keys.iter().copied());
        checker.report(diag::unknown_key(span, key, suggestion, &keys));
    }
    found
}

pub(super) const AFTER: Builtin = Builtin {
    name: "after",
    arity: Arity::at_least(2),
    doc: Doc {
        signatures: &["after(value, resource, ...)"],
        summary: "a value read only once some resources exist, so its users wait for them",
        description: "`value`, read only once the given resources (or attributes of them) exist: whatever \
            uses it is created after them, as with `@depends_on`, but for one value. CloudFormation learns \
            the dependency from the `Fn::Select` the value becomes, which picks `value` from a list that \
            also refers to the resources. For example, a subnet ID that should wait for the subnet's \
            route to the internet.",
        example: r#"resource vpc: AWS::EC2::VPC {
  CidrBlock: "10.0.0.0/16"
}

resource gateway: AWS::EC2::InternetGateway {}

resource attachment: AWS::EC2::VPCGatewayAttachment {
  VpcId: vpc
  InternetGatewayId: gateway
}

output vpc_id = after(vpc, attachment)"#,
    },
    implementation: after,
};

// The value, read only once the resources exist: whatever uses it is
// created after them (CloudFormation learns the dependency from the
// references in an `Fn::Select` that picks the value).
fn after(checker: &mut Checker<'_>, call: &Call<'_>) -> Val {
    let values = &call.values;
    if !matches!(values[0].ty(), Ty::String | Ty::Any) {
        return checker.mismatch(call.arg_span(0), Kind::String, &values[0]);
    }
    let mut listed = vec![checker.lower(&values[0])];
    for (i, dependency) in values.iter().enumerate().skip(1) {
        match dependency {
            // A resource, or an attribute or output of one.
            Val::Resource(_) | Val::Deploy(_) => listed.push(checker.lower(dependency)),
            other => return checker.mismatch(call.arg_span(i), ValueRole::Resource, other),
        }
    }
    let origin = values[0].deploy_origin().unwrap_or(Origin::Function(AFTER.name));
    let value = Value::intrinsic(Intrinsic::Select(Value::Number(0.into()), Value::List(listed)));
    deploy(Ty::String, value, origin)
}
