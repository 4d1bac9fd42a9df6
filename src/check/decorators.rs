//! Declarations' decorators and parameters: what each kind of declaration
//! accepts, and the CloudFormation settings they become.

use std::collections::HashMap;

use super::value::{Ty, Val};
use super::{Binding, Checker, DeclId, ParamInfo};
use crate::diagnostics::builder as diag;
use crate::diagnostics::suggest::did_you_mean;
use crate::hir;
use crate::source::Span;
use crate::syntax::ast::{self, Decorator, ExprKind};

/// Decorators a declaration kind accepts, with their argument counts.
type DecoratorSpecs = &'static [(&'static str, usize, usize)];

const PARAM_DECORATORS: DecoratorSpecs = &[
    ("allowed", 1, 1),
    ("assert", 2, 2),
    ("description", 1, 1),
    ("max", 1, 1),
    ("max_length", 1, 1),
    ("min", 1, 1),
    ("min_length", 1, 1),
    ("pattern", 1, 1),
    ("secret", 0, 0),
];
const RESOURCE_DECORATORS: DecoratorSpecs = &[
    ("deletion_policy", 1, 1),
    ("depends_on", 1, usize::MAX),
    ("logical_id", 1, 1),
    ("update_replace_policy", 1, 1),
    ("when", 1, 1),
];
const OUTPUT_DECORATORS: DecoratorSpecs = &[("description", 1, 1), ("export", 1, 1), ("when", 1, 1)];

/// Decorators that may be written several times on one declaration.
const REPEATABLE_DECORATORS: &[&str] = &["assert", "override"];

const DELETION_POLICIES: &[&str] = &["Delete", "Retain", "RetainExceptOnCreate", "Snapshot"];
const UPDATE_REPLACE_POLICIES: &[&str] = &["Delete", "Retain", "Snapshot"];

/// CloudFormation's AWS-specific parameter types that hold one string.
const AWS_PARAMETER_TYPES: &[&str] = &[
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

pub(super) struct ResourceOptions {
    pub depends_on: Vec<String>,
    pub deletion_policy: Option<String>,
    pub update_replace_policy: Option<String>,
}

pub(super) struct OutputOptions {
    pub description: Option<String>,
    pub export_name: Option<hir::Value>,
    pub condition: Option<String>,
    /// `@when(false)`: the output is left out.
    pub omitted: bool,
}

impl<'a> Checker<'a> {
    /// The decorators of `item` that are known for its kind, used once and
    /// given the right number of arguments; reports the others.
    pub(super) fn valid_decorators(
        &mut self,
        item: &'a ast::Item,
        specs: DecoratorSpecs,
    ) -> HashMap<&'a str, &'a Decorator> {
        let on = item.kind.describe();
        let mut valid: HashMap<&str, &Decorator> = HashMap::new();
        let mut seen: HashMap<&str, Span> = HashMap::new();
        for decorator in &item.decorators {
            let name = decorator.name.node.as_str();
            let Some(&(_, min, max)) = specs.iter().find(|(n, _, _)| *n == name) else {
                let allowed: Vec<&str> = specs.iter().map(|(n, _, _)| *n).collect();
                let known_elsewhere = [PARAM_DECORATORS, RESOURCE_DECORATORS, OUTPUT_DECORATORS]
                    .iter()
                    .any(|kind| kind.iter().any(|(n, _, _)| *n == name));
                if known_elsewhere {
                    self.report(diag::misplaced_decorator(decorator.name.span, name, on, &allowed));
                    continue;
                }
                let suggestion = did_you_mean(name, allowed.iter().copied());
                self.report(diag::unknown_decorator(decorator.name.span, name, on, &allowed, suggestion));
                continue;
            };
            if let Some(first) = seen.get(name).filter(|_| !REPEATABLE_DECORATORS.contains(&name)) {
                self.report(diag::duplicate_decorator(decorator.span, name, *first));
                continue;
            }
            seen.insert(name, decorator.span);
            if decorator.args.len() < min || decorator.args.len() > max {
                let expected = match (min, max) {
                    (0, 0) => "no arguments".to_string(),
                    (1, 1) => "1 argument".to_string(),
                    (n, usize::MAX) => format!("at least {n} argument{}", if n == 1 { "" } else { "s" }),
                    (a, b) => format!("{a} to {b} arguments"),
                };
                self.report(diag::wrong_argument_count(
                    decorator.span,
                    &format!("@{name}"),
                    &expected,
                    decorator.args.len(),
                ));
                continue;
            }
            valid.insert(name, decorator);
        }
        valid
    }

    /// A resource's logical ID within its frame: `@logical_id` or the
    /// PascalCase name.
    pub(super) fn logical_id(&mut self, item: &ast::Item, name: &ast::Ident) -> String {
        let explicit = item.decorators.iter().find(|d| d.name.node == "logical_id");
        match explicit.and_then(|d| d.args.first()) {
            Some(arg) => match &arg.node {
                ast::ExprKind::Str(parts) => match parts.as_slice() {
                    [ast::StrPart::Text(text)] => text.clone(),
                    [] => String::new(),
                    _ => {
                        self.report(diag::not_compile_time(arg.span, "a logical ID", None));
                        super::pascal_case(&name.node)
                    }
                },
                _ => {
                    self.report(diag::type_mismatch(arg.span, "a string literal", "an expression"));
                    super::pascal_case(&name.node)
                }
            },
            None => super::pascal_case(&name.node),
        }
    }

    pub(super) fn check_no_decorators(&mut self, item: &'a ast::Item) {
        self.valid_decorators(item, &[]);
    }

    /// A decorator's single argument as a compile-time string.
    pub(super) fn string_argument(&mut self, decorator: &Decorator) -> Option<String> {
        let arg = &decorator.args[0];
        match self.eval(arg) {
            Val::Str(s) => Some(s),
            Val::Error => None,
            other if !other.is_compile_time() => {
                self.report(diag::not_compile_time(
                    arg.span,
                    &format!("the argument of `@{}`", decorator.name.node),
                    other.deploy_origin(),
                ));
                None
            }
            other => {
                self.report(diag::invalid_decorator_argument(
                    arg.span,
                    &decorator.name.node,
                    &format!("expected a string, found {}", other.ty()),
                ));
                None
            }
        }
    }

    fn number_argument(&mut self, decorator: &Decorator) -> Option<serde_json::Number> {
        let arg = &decorator.args[0];
        match self.eval(arg) {
            Val::Number(n) => Some(n),
            Val::Error => None,
            other => {
                self.report(diag::invalid_decorator_argument(
                    arg.span,
                    &decorator.name.node,
                    &format!("expected a number, found {}", other.ty()),
                ));
                None
            }
        }
    }

    fn one_of(&mut self, decorator: &Decorator, choices: &[&str]) -> Option<String> {
        let value = self.string_argument(decorator)?;
        if choices.contains(&value.as_str()) {
            return Some(value);
        }
        let mut diagnostic = diag::invalid_decorator_argument(
            decorator.args[0].span,
            &decorator.name.node,
            &format!("must be one of {}", diag::quote_list(choices)),
        );
        if let Some(s) = did_you_mean(&value, choices.iter().copied()) {
            diagnostic = diagnostic.with_help(format!("did you mean `\"{s}\"`?"));
        }
        self.report(diagnostic);
        None
    }

    /// A parameter's CloudFormation type and the type its value has.
    pub(super) fn param_info(&mut self, param: &ast::Param) -> ParamInfo {
        let logical_id = super::pascal_case(&param.name.node);
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
            ("AWS::SSM::Parameter::Value", Some(_), _) => {
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

    pub(super) fn parameter(&mut self, decl: DeclId, item: &'a ast::Item, param: &'a ast::Param) -> hir::Parameter {
        let decorators = self.valid_decorators(item, PARAM_DECORATORS);
        let info = &self.params[&decl];
        let (logical_id, cfn_type, ty) = (info.logical_id.clone(), info.cfn_type.clone(), info.ty.clone());
        let mut out = hir::Parameter { logical_id, cfn_type, description: item.doc.clone(), ..Default::default() };
        let is_string = matches!(ty, Some(Ty::String));
        let is_number = matches!(ty, Some(Ty::Number));

        let default = param.default.as_ref().and_then(|expr| {
            let value = self.eval(expr);
            if value.contains_error() {
                return None;
            }
            if !value.is_compile_time() {
                self.report(diag::not_compile_time(expr.span, "a parameter's default", value.deploy_origin()));
                return None;
            }
            let expected = ty.clone()?;
            if !super::value::assignable(&value.ty(), &expected) {
                self.report(diag::type_mismatch(expr.span, &expected.to_string(), &value.ty().to_string()));
                return None;
            }
            Some((value, expr.span))
        });
        let name = param.name.node.as_str();

        if let Some(d) = decorators.get("description") {
            out.description = self.string_argument(d).or(out.description);
        }
        if let Some(d) = decorators.get("secret") {
            let _ = d;
            out.no_echo = true;
        }
        if let Some(d) = decorators.get("allowed") {
            let arg = &d.args[0];
            match self.eval(arg) {
                Val::List(items)
                    if items.iter().all(|i| i.scalar_text().is_some()) && !matches!(ty, Some(Ty::Bool)) =>
                {
                    if let Some((value, span)) = &default {
                        let allowed_texts: Vec<String> = items.iter().filter_map(Val::scalar_text).collect();
                        let defaults: Vec<String> = match value {
                            Val::List(values) => values.iter().filter_map(Val::scalar_text).collect(),
                            other => other.scalar_text().into_iter().collect(),
                        };
                        if defaults.iter().any(|d| !allowed_texts.contains(d)) {
                            self.report(diag::default_violates_constraint(
                                *span,
                                name,
                                "is not one of the allowed values",
                                d.span,
                            ));
                        }
                    }
                    out.allowed_values = Some(items.iter().map(|i| self.lower(i)).collect());
                }
                Val::Error => {}
                _ if matches!(ty, Some(Ty::Bool)) => {
                    self.report(diag::invalid_decorator_argument(
                        arg.span,
                        "allowed",
                        "a `bool` parameter already allows only true and false",
                    ));
                }
                other => {
                    self.report(diag::invalid_decorator_argument(
                        arg.span,
                        "allowed",
                        &format!("expected a list of strings or numbers, found {}", other.ty()),
                    ));
                }
            }
        }
        for (key, is_min) in [("min", true), ("max", false)] {
            let Some(d) = decorators.get(key) else { continue };
            if !is_number {
                self.report(diag::decorator_not_applicable(
                    d.name.span,
                    key,
                    "only `number` parameters have a minimum or maximum",
                ));
                continue;
            }
            let Some(bound) = self.number_argument(d) else { continue };
            if let Some((Val::Number(n), span)) = &default {
                let (value, limit) = (n.as_f64().unwrap_or_default(), bound.as_f64().unwrap_or_default());
                if is_min && value < limit || !is_min && value > limit {
                    let what = format!(
                        "is {} than the {} {bound}",
                        if is_min { "less" } else { "greater" },
                        if is_min { "minimum" } else { "maximum" }
                    );
                    self.report(diag::default_violates_constraint(*span, name, &what, d.span));
                }
            }
            if is_min {
                out.min_value = Some(bound);
            } else {
                out.max_value = Some(bound);
            }
        }
        for (key, is_min) in [("min_length", true), ("max_length", false)] {
            let Some(d) = decorators.get(key) else { continue };
            if !is_string {
                self.report(diag::decorator_not_applicable(
                    d.name.span,
                    key,
                    "only `string` parameters have a length limit",
                ));
                continue;
            }
            let Some(bound) = self.number_argument(d) else { continue };
            let Some(bound) = bound.as_u64() else {
                self.report(diag::invalid_decorator_argument(
                    d.args[0].span,
                    key,
                    "expected a whole number of at least 0",
                ));
                continue;
            };
            if let Some((Val::Str(s), span)) = &default {
                let len = s.chars().count() as u64;
                if is_min && len < bound || !is_min && len > bound {
                    let what = format!("has {len} characters, {} than {bound}", if is_min { "fewer" } else { "more" });
                    self.report(diag::default_violates_constraint(*span, name, &what, d.span));
                }
            }
            if is_min {
                out.min_length = Some(bound);
            } else {
                out.max_length = Some(bound);
            }
        }
        if let Some(d) = decorators.get("pattern") {
            if let Some(pattern) = self.string_argument(d) {
                // CloudFormation matches the whole value against the pattern.
                match regex_lite::Regex::new(&format!("^(?:{pattern})$")) {
                    Ok(regex) => {
                        if let Some((Val::Str(s), span)) = &default {
                            if !regex.is_match(s) {
                                self.report(diag::default_violates_constraint(
                                    *span,
                                    name,
                                    "does not match the pattern",
                                    d.span,
                                ));
                            }
                        }
                        out.allowed_pattern = Some(pattern);
                    }
                    Err(error) => self.report(diag::invalid_pattern(d.args[0].span, &error.to_string())),
                }
            }
        }

        out.default = default.map(|(value, _)| match value {
            Val::Bool(b) => hir::Value::String(b.to_string()),
            // List parameters take their default as one comma-separated string.
            Val::List(items) => {
                hir::Value::String(items.iter().filter_map(Val::scalar_text).collect::<Vec<_>>().join(","))
            }
            other => self.lower(&other),
        });
        if matches!(ty, Some(Ty::Bool)) {
            out.allowed_values = Some(vec![hir::Value::String("true".into()), hir::Value::String("false".into())]);
        }
        out
    }

    /// A construct property's value against its parameter's `@allowed`,
    /// `@min`, `@max`, `@min_length`, `@max_length` and `@pattern`, when the
    /// value is known at compile time.
    /// Returns whether the value passed them all.
    pub(super) fn check_argument_constraints(
        &mut self,
        item: &'a ast::Item,
        name: &str,
        value: &Val,
        span: Span,
    ) -> bool {
        if !value.is_compile_time() || value.contains_error() {
            return true;
        }
        let mut passed = true;
        const CONSTRAINTS: &[&str] = &["allowed", "min", "max", "min_length", "max_length", "pattern"];
        for decorator in item.decorators.iter().filter(|d| CONSTRAINTS.contains(&d.name.node.as_str())) {
            let Some(arg) = decorator.args.first() else { continue };
            let problem = match (decorator.name.node.as_str(), self.eval(arg), value) {
                ("allowed", Val::List(allowed), value) => {
                    let texts: Vec<String> = allowed.iter().filter_map(Val::scalar_text).collect();
                    value
                        .scalar_text()
                        .filter(|v| !texts.contains(v))
                        .map(|_| "is not one of the allowed values".to_string())
                }
                ("min", Val::Number(min), Val::Number(n)) if n.as_f64() < min.as_f64() => {
                    Some(format!("is less than the minimum {min}"))
                }
                ("max", Val::Number(max), Val::Number(n)) if n.as_f64() > max.as_f64() => {
                    Some(format!("is greater than the maximum {max}"))
                }
                ("min_length", Val::Number(min), Val::Str(s))
                    if (s.chars().count() as u64) < min.as_u64().unwrap_or(0) =>
                {
                    Some(format!("has fewer than {min} characters"))
                }
                ("max_length", Val::Number(max), Val::Str(s))
                    if (s.chars().count() as u64) > max.as_u64().unwrap_or(u64::MAX) =>
                {
                    Some(format!("has more than {max} characters"))
                }
                ("pattern", Val::Str(pattern), Val::Str(s)) => regex_lite::Regex::new(&format!("^(?:{pattern})$"))
                    .ok()
                    .filter(|regex| !regex.is_match(s))
                    .map(|_| "does not match the pattern".to_string()),
                _ => None,
            };
            if let Some(problem) = problem {
                self.report(diag::argument_violates_constraint(span, name, &problem, decorator.span));
                passed = false;
            }
        }
        passed
    }

    /// Evaluates a resource's `@when`: `Some` condition name when it depends
    /// on a parameter; a compile-time `false` leaves the resource out.
    pub(super) fn when_condition(&mut self, item: &'a ast::Item, decl: DeclId) -> Option<String> {
        let decorator = item.decorators.iter().find(|d| d.name.node == "when" && d.args.len() == 1)?;
        match self.eval(&decorator.args[0]) {
            Val::Bool(true) | Val::Error => None,
            Val::Bool(false) => {
                self.disabled.insert(decl, decorator.span);
                None
            }
            Val::Cond(cond) => Some(self.condition_name(&cond)),
            other => {
                self.report(diag::type_mismatch(decorator.args[0].span, "a boolean", &other.ty().to_string()));
                None
            }
        }
    }

    pub(super) fn resource_decorators(&mut self, item: &'a ast::Item) -> ResourceOptions {
        let decorators = self.valid_decorators(item, RESOURCE_DECORATORS);
        let depends_on = match decorators.get("depends_on") {
            Some(d) => self.depends_on_ids(d),
            None => Vec::new(),
        };
        let deletion_policy = decorators.get("deletion_policy").and_then(|d| self.one_of(d, DELETION_POLICIES));
        let update_replace_policy =
            decorators.get("update_replace_policy").and_then(|d| self.one_of(d, UPDATE_REPLACE_POLICIES));
        ResourceOptions { depends_on, deletion_policy, update_replace_policy }
    }

    /// The logical IDs `@depends_on(a, b)` names: resources, every item of
    /// a loop, and every resource of a construct instance.
    pub(super) fn depends_on_ids(&mut self, d: &Decorator) -> Vec<String> {
        let mut depends_on = Vec::new();
        for arg in &d.args {
            let ExprKind::Name(name) = &arg.node else {
                self.report(diag::type_mismatch(arg.span, "a resource name", "an expression"));
                continue;
            };
            match self.resolve(name) {
                Some(Binding::Resource(decl)) => match self.resource_value(decl, arg.span) {
                    Val::Resource(resource) => depends_on.push(resource.logical_id.clone()),
                    // A loop: every resource it declares.
                    Val::Object(entries) => {
                        depends_on.extend(entries.iter().filter_map(|(_, v)| match v {
                            Val::Resource(resource) => Some(resource.logical_id.clone()),
                            _ => None,
                        }));
                        if entries.iter().any(|(_, v)| matches!(v, Val::Instance(_))) {
                            depends_on.extend(self.instance_resource_ids(decl));
                        }
                    }
                    Val::Instance(_) => depends_on.extend(self.instance_resource_ids(decl)),
                    // Nothing else is a resource's value; an error was reported.
                    _ => {}
                },
                Some(Binding::Param(_)) => self.report(diag::not_a_resource(arg.span, name, "parameter")),
                Some(Binding::Let(_)) => self.report(diag::not_a_resource(arg.span, name, "let")),
                Some(Binding::Unavailable) => {}
                Some(_) => self.report(diag::not_a_resource(arg.span, name, "name of another kind")),
                None => {
                    let suggestion = did_you_mean(name, self.visible_names());
                    self.report(diag::undefined_name(arg.span, name, suggestion));
                }
            }
        }
        depends_on
    }

    pub(super) fn output_decorators(&mut self, item: &'a ast::Item) -> OutputOptions {
        let decorators = self.valid_decorators(item, OUTPUT_DECORATORS);
        let description = decorators.get("description").and_then(|d| self.string_argument(d));
        let export_name = decorators.get("export").and_then(|d| {
            let value = self.eval(&d.args[0]);
            match value.ty() {
                Ty::String | Ty::Any => Some(self.lower(&value)),
                other => {
                    self.report(diag::invalid_decorator_argument(
                        d.args[0].span,
                        "export",
                        &format!("expected a string, found {other}"),
                    ));
                    None
                }
            }
        });
        let mut condition = None;
        let mut omitted = false;
        if let Some(d) = decorators.get("when") {
            match self.eval(&d.args[0]) {
                Val::Bool(b) => omitted = !b,
                Val::Cond(cond) => condition = Some(self.condition_name(&cond)),
                Val::Error => {}
                other => self.report(diag::type_mismatch(d.args[0].span, "a boolean", &other.ty().to_string())),
            }
        }
        OutputOptions { description, export_name, condition, omitted }
    }
}
