//! `transform` (`Fn::Transform`): a value a CloudFormation macro computes
//! when the stack deploys, such as `AWS::Include`'s snippet from S3 or an
//! account's own macro. Macros run before CloudFormation reads the rest of
//! the template, so the call may stand where a whole value is wanted.

use super::{Arity, Builtin, Call, Doc};
use crate::check::eval::deploy;
use crate::check::value::{Ty, Val};
use crate::check::Checker;
use crate::diagnostics::facts::{CompileTimeNeed, Kind, Origin};
use crate::hir::{Intrinsic, Value};

pub(super) const TRANSFORM: Builtin = Builtin {
    name: "transform",
    arity: Arity::between(1, 2),
    doc: Doc {
        signatures: &["transform(macro)", "transform(macro, parameters)"],
        summary: "`Fn::Transform`: a value a CloudFormation macro computes at deploy time",
        description: "`Fn::Transform`: the value the macro named `macro` (a string known at compile \
            time: `\"AWS::Include\"` or a macro of the account) returns for the object `parameters`, \
            which may hold deploy-time values. CloudFormation runs the macro before it reads the rest of \
            the template, so its result is not checked: it stands for any value. A stack-wide macro is `@transform` on the stack instead.",
        example: r#"param snippets: string = "s3://my-bucket/snippets"

resource table: AWS::DynamoDB::Table {
  BillingMode: "PAY_PER_REQUEST"
  AttributeDefinitions: transform("AWS::Include", { Location: "${snippets}/attributes.yaml" })
  KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }]
}"#,
    },
    implementation: transform,
};

fn transform(checker: &mut Checker<'_>, call: &Call<'_>) -> Val {
    let need = CompileTimeNeed::Argument(TRANSFORM.name);
    let Some(name) = checker.compile_time_string(&call.values[0], call.arg_span(0), need) else {
        return Val::Error;
    };
    let parameters = match call.values.get(1) {
        None => None,
        Some(value @ Val::Object(_)) => Some(checker.lower(value)),
        Some(other) => return checker.mismatch(call.arg_span(1), Kind::Object, other),
    };
    deploy(Ty::Any, Value::intrinsic(Intrinsic::Transform(name, parameters)), Origin::Function(TRANSFORM.name))
}
