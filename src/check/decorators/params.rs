//! CloudFormation parameters: what a `param`'s type becomes, and the
//! `Parameters` entry its decorators and default make.

use super::constraints::Rule;
use super::{ConstrainedValue, DecoratorKind};
use crate::check::value::{Ty, Val};
use crate::check::{Checker, DeclId, ParamInfo};
use crate::diagnostics::builder as diag;
use crate::diagnostics::facts::CompileTimeNeed;
use crate::diagnostics::suggest::did_you_mean;
use crate::hir;
use crate::syntax::ast;

/// CloudFormation's AWS-specific parameter types that hold one string.
pub(in crate::check) const AWS_PARAMETER_TYPES: &[&str] = &[
    "AWS::EC2::AvailabilityZone::Name",
    "AWS::EC2::Image::Id",
    "AWS::EC2::Instance::Id",
    "AWS::EC2::KeyPair::KeyName",
    "AWS::EC2::SecurityGroup::GroupName",
    "AWS::EC2::SecurityGroup::Id",
    "AWS::EC2::Subnet::Id",
    "AWS::EC2::VPC::Id",
    "AWS::EC2::Volume::Id",
    "AWS::Route53::HostedZone::Id",
    "AWS::SSM::Parameter::Name",
];

impl<'a> Checker<'a> {
    /// A parameter's CloudFormation type and the type its value has.
    pub(in crate::check) fn param_info(&mut self, param: &ast::Param) -> ParamInfo {
        let logical_id = crate::check::pascal_case(&param.name.node);
        let ty = &param.ty.node;
        let arg = ty.arg.as_ref().map(|a| &a.node);
        let simple_arg = arg.filter(|a| a.arg.is_none()).map(|a| a.name.as_str());
        let string_list = || Ty::List(Box::new(Ty::String));
        let known: Option<(String, Ty)> = match (ty.name.as_str(), simple_arg, arg.is_some()) {
            ("string" | "String", _, false) => Some(("String".into(), Ty::String)),
            ("number" | "Number", _, false) => Some(("Number".into(), Ty::Number)),
            ("bool", _, false) => Some(("String".into(), Ty::Bool)),
            ("CommaDelimitedList", _, false) | ("list", Some("string"), _) => {
                Some(("CommaDelimitedList".into(), string_list()))
            }
            ("list", Some("number"), _) | ("List", Some("Number"), _) => {
                Some(("List<Number>".into(), Ty::List(Box::new(Ty::Number))))
            }
            ("List", Some(inner), _) if AWS_PARAMETER_TYPES.contains(&inner) => {
                Some((format!("List<{inner}>"), string_list()))
            }
            (name, _, false) if AWS_PARAMETER_TYPES.contains(&name) => Some((name.into(), Ty::String)),
            // `<String>`, `<AWS::EC2::VPC::Id>`, and lists: `<List<AWS::EC2::Subnet::Id>>`.
            ("AWS::SSM::Parameter::Value", _, true) => {
                let inner = arg.map(|a| a.to_string()).unwrap_or_default();
                let value_ty = if inner.starts_with("List<") || inner == "CommaDelimitedList" {
                    string_list()
                } else {
                    Ty::String
                };
                Some((format!("AWS::SSM::Parameter::Value<{inner}>"), value_ty))
            }
            _ => None,
        };
        match known {
            Some((cfn_type, ty)) => ParamInfo { logical_id, cfn_type, ty: Some(ty) },
            None => {
                let written = ty.to_string();
                let mut candidates = vec!["string", "number", "bool", "list<string>", "list<number>"];
                candidates.extend(AWS_PARAMETER_TYPES);
                let suggestion = did_you_mean(&written, candidates.iter().copied());
                self.report(diag::unknown_parameter_type(param.ty.span, &written, suggestion));
                ParamInfo { logical_id, cfn_type: String::new(), ty: None }
            }
        }
    }

    /// The `Parameters` entry of a parameter left to CloudFormation.
    pub(in crate::check) fn parameter(
        &mut self,
        decl: DeclId,
        item: &'a ast::Item,
        param: &'a ast::Param,
    ) -> hir::Parameter {
        let attrs = self.param_attrs(item);
        let info = &self.params[&decl];
        let (logical_id, cfn_type, ty) = (info.logical_id.clone(), info.cfn_type.clone(), info.ty.clone());
        let mut out = hir::Parameter { logical_id, cfn_type, description: item.doc.clone(), ..Default::default() };

        let default = param.default.as_ref().and_then(|expr| {
            let value = self.eval(expr);
            if value.contains_error() {
                return None;
            }
            if !value.is_compile_time() {
                let need = CompileTimeNeed::ParameterDefault;
                self.report(diag::not_compile_time(expr.span, need, value.deploy_origin()));
                return None;
            }
            // An SSM parameter type's default is the name of the SSM
            // parameter that holds the value, not the value.
            let expected = match out.cfn_type.starts_with("AWS::SSM::Parameter::Value<") {
                true => Ty::String,
                false => ty.clone()?,
            };
            // A number written as CloudFormation writes it (`"5"`): checked
            // as the number, emitted as written.
            if let (Ty::Number, Val::Str(text)) = (&expected, &value) {
                if let Ok(number) = text.trim().parse::<serde_json::Number>() {
                    return Some((Val::Number(number), expr.span, Some(text.clone())));
                }
            }
            if !crate::check::value::assignable(&value.ty(), &expected) {
                self.report(diag::type_mismatch(expr.span, expected.kind(), &value.kind()));
                return None;
            }
            Some((value, expr.span, None))
        });

        if let Some(arg) = attrs.description {
            out.description = self.string_argument(arg, DecoratorKind::Description).or(out.description);
        }
        out.no_echo = attrs.secret.is_some();
        out.constraint_description = attrs
            .constraint_description
            .and_then(|arg| self.string_argument(arg, DecoratorKind::ConstraintDescription));
        out.group = attrs.group.and_then(|arg| self.string_argument(arg, DecoratorKind::Group));
        out.label = attrs.label.and_then(|arg| self.string_argument(arg, DecoratorKind::Label));
        let constraints = self.param_constraints(item, decl.0, ty.as_ref());
        if let Some((value, span, _)) = &default {
            let whose = ConstrainedValue::Default { param: &param.name.node };
            self.check_constraints(&constraints, value, *span, whose);
        }
        for constraint in constraints.iter() {
            match &constraint.rule {
                Rule::Allowed(values) => out.allowed_values = Some(values.iter().map(|v| self.lower(v)).collect()),
                Rule::Min(bound) => out.min_value = Some(bound.clone()),
                Rule::Max(bound) => out.max_value = Some(bound.clone()),
                // CloudFormation bounds the length of strings only: a list's
                // is checked on the default, and not at deploy time.
                Rule::MinLength(_) | Rule::MaxLength(_) if ty != Some(Ty::String) => {
                    self.report(diag::list_length_not_checked_at_deploy(constraint.decorator));
                }
                Rule::MinLength(bound) => out.min_length = Some(*bound),
                Rule::MaxLength(bound) => out.max_length = Some(*bound),
                Rule::Pattern { text, .. } => out.allowed_pattern = Some(text.clone()),
            }
        }

        out.default = default.map(|(value, _, written)| match (value, written) {
            (_, Some(text)) => hir::Value::String(text),
            (Val::Bool(b), None) => hir::Value::String(b.to_string()),
            // List parameters take their default as one comma-separated string.
            (Val::List(items), None) => {
                hir::Value::String(items.iter().filter_map(Val::scalar_text).collect::<Vec<_>>().join(","))
            }
            (other, None) => self.lower(&other),
        });
        if matches!(ty, Some(Ty::Bool)) {
            out.allowed_values = Some(vec![hir::Value::String("true".into()), hir::Value::String("false".into())]);
        }
        out
    }
}
