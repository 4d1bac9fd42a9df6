//! What decorators set on resources, instances, outputs and stacks, from
//! their arguments evaluated where the declaration is.

use super::{Arg, Args, Attrs, DecoratorKind, OutputAttrs, ResourceAttrs};
use crate::check::value::{Ty, Val};
use crate::check::{Binding, Checker, DeclId};
use crate::diagnostics::builder as diag;
use crate::diagnostics::facts::{CompileTimeNeed, Declaration, Kind, TransformFeature, ValueRole};
use crate::diagnostics::suggest::did_you_mean;
use crate::hir;
use crate::schema::attributes::{self, Policy};
use crate::schema::validate;
use crate::source::Span;
use crate::syntax::ast::{self, ExprKind};

const DELETION_POLICIES: &[&str] = &["Delete", "Retain", "RetainExceptOnCreate", "Snapshot"];
const UPDATE_REPLACE_POLICIES: &[&str] = &["Delete", "Retain", "Snapshot"];

/// The sections of SAM's `Globals`: the SAM types whose properties it sets.
const SAM_GLOBALS_SECTIONS: &[&str] =
    &["Api", "CapacityProvider", "Function", "HttpApi", "LayerVersion", "SimpleTable", "StateMachine"];

pub(in crate::check) struct ResourceOptions {
    pub depends_on: Vec<String>,
    pub deletion_policy: Option<hir::Value>,
    pub update_replace_policy: Option<hir::Value>,
    pub creation_policy: Option<hir::Value>,
    pub update_policy: Option<hir::Value>,
    pub metadata: Option<hir::Value>,
    pub ignore_globals: Option<hir::Value>,
}

pub(in crate::check) struct OutputOptions {
    pub description: Option<String>,
    pub export_name: Option<hir::Value>,
    pub condition: Option<String>,
    /// `@when(false)`: the output is left out.
    pub omitted: bool,
}

impl<'a> Checker<'a> {
    /// A decorator's argument as a compile-time string.
    pub(in crate::check) fn string_argument(&mut self, arg: Arg<'a>, kind: DecoratorKind) -> Option<String> {
        match self.eval(arg.value) {
            Val::Str(s) => Some(s),
            Val::Error => None,
            other if !other.is_compile_time() => {
                let need = CompileTimeNeed::DecoratorArgument(kind.name());
                self.report(diag::not_compile_time(arg.value.span, need, other.deploy_origin()));
                None
            }
            other => {
                self.report(diag::decorator_argument_type(arg.value.span, kind.name(), Kind::String, &other.kind()));
                None
            }
        }
    }

    pub(in crate::check) fn number_argument(
        &mut self,
        arg: Arg<'a>,
        kind: DecoratorKind,
    ) -> Option<serde_json::Number> {
        match self.eval(arg.value) {
            Val::Number(n) => Some(n),
            Val::Error => None,
            other => {
                self.report(diag::decorator_argument_type(arg.value.span, kind.name(), Kind::Number, &other.kind()));
                None
            }
        }
    }

    /// A string argument that must be one of `choices`.
    fn one_of(&mut self, arg: Arg<'a>, kind: DecoratorKind, choices: &[&str]) -> Option<String> {
        let value = self.string_argument(arg, kind)?;
        if choices.contains(&value.as_str()) {
            return Some(value);
        }
        let suggestion = did_you_mean(&value, choices.iter().copied());
        self.report(diag::decorator_argument_not_one_of(arg.value.span, kind.name(), choices, suggestion));
        None
    }

    /// A boolean condition (`@when`, `@assert`): a compile-time boolean or a
    /// deploy-time `Cond`; anything else is reported and read as `None`.
    pub(in crate::check) fn condition_argument(&mut self, value: &'a ast::Expr, kind: DecoratorKind) -> Option<Val> {
        match self.eval(value) {
            value @ (Val::Bool(_) | Val::Cond(_)) => Some(value),
            Val::Error => None,
            other => {
                self.report(diag::decorator_condition_not_boolean(value.span, kind.name(), &other.kind()));
                None
            }
        }
    }

    /// A declaration's logical ID within its frame: `@logical_id` or the
    /// PascalCase name.
    pub(in crate::check) fn logical_id(&mut self, item: &'a ast::Item, name: &ast::Ident) -> String {
        match self.written_logical_id(item) {
            Ok(Some(id)) => id,
            Ok(None) => crate::check::pascal_case(&name.node),
            Err(span) => {
                self.report(diag::logical_id_not_literal(span));
                crate::check::pascal_case(&name.node)
            }
        }
    }

    /// The string a declaration's `@logical_id` gives, if it has one, or the
    /// span of an argument that is not a plain string (reported by
    /// `logical_id`, for callers that must not report it again).
    pub(in crate::check) fn written_logical_id(&self, item: &'a ast::Item) -> Result<Option<String>, Span> {
        let Some(arg) = self.logical_id_attr(item) else { return Ok(None) };
        // Written out: the ID is fixed before anything is evaluated.
        match &arg.value.node {
            ExprKind::Str(parts) => match parts.as_slice() {
                [ast::StrPart::Text(text)] => Ok(Some(text.clone())),
                [] => Ok(Some(String::new())),
                _ => Err(arg.value.span),
            },
            _ => Err(arg.value.span),
        }
    }

    /// Evaluates a resource's or an instance's `@when`: `Some` condition
    /// name when it depends on a parameter; a compile-time `false` leaves
    /// the declaration out.
    pub(in crate::check) fn when_condition(&mut self, item: &'a ast::Item, decl: DeclId) -> Option<String> {
        let arg = self.when_attr(item)?;
        match self.condition_argument(arg.value, DecoratorKind::When)? {
            Val::Bool(false) => {
                self.disabled.insert(decl, arg.decorator.span);
                None
            }
            Val::Cond(cond) => Some(self.condition_name(&cond)),
            _ => None,
        }
    }

    pub(in crate::check) fn resource_options(&mut self, attrs: &ResourceAttrs<'a>, cfn_type: &str) -> ResourceOptions {
        let depends_on = attrs.depends_on.map(|args| self.depends_on_ids(args)).unwrap_or_default();
        let deletion_policy = attrs
            .deletion_policy
            .and_then(|arg| self.removal_policy(arg, DecoratorKind::DeletionPolicy, DELETION_POLICIES, cfn_type));
        let update_replace_policy = attrs.update_replace_policy.and_then(|arg| {
            self.removal_policy(arg, DecoratorKind::UpdateReplacePolicy, UPDATE_REPLACE_POLICIES, cfn_type)
        });
        let creation_policy = attrs.creation_policy.and_then(|arg| self.policy(arg, Policy::CreationPolicy, cfn_type));
        let update_policy = attrs.update_policy.and_then(|arg| self.policy(arg, Policy::UpdatePolicy, cfn_type));
        let metadata = attrs.metadata.and_then(|arg| {
            let (value, node) = self.attribute_object(arg, DecoratorKind::Metadata)?;
            self.diagnostics.extend(validate::check_metadata(&node));
            Some(value)
        });
        let ignore_globals = attrs.ignore_globals.and_then(|arg| self.ignore_globals(arg, cfn_type));
        ResourceOptions {
            depends_on,
            deletion_policy,
            update_replace_policy,
            creation_policy,
            update_policy,
            metadata,
            ignore_globals,
        }
    }

    /// A deletion or update-replace policy: one of `choices`, and `Snapshot`
    /// only on a type CloudFormation can snapshot. One known only at deploy
    /// time (`retain ? "Retain" : "Delete"`, a parameter) needs the
    /// `AWS::LanguageExtensions` transform, which resolves it; the choices
    /// of a deploy-time `? :` are checked all the same.
    fn removal_policy(
        &mut self,
        arg: Arg<'a>,
        kind: DecoratorKind,
        choices: &[&str],
        cfn_type: &str,
    ) -> Option<hir::Value> {
        let value = self.eval(arg.value);
        match &value {
            Val::Str(policy) => self
                .check_removal_policy(policy, arg.value.span, kind, choices, cfn_type)
                .then(|| hir::Value::String(policy.clone())),
            Val::Deploy(deploy) if matches!(deploy.ty, Ty::String | Ty::Any) => {
                let mut fits = true;
                if let Some(choice) = &deploy.choice {
                    // Each choice is shown where it is written, when it is.
                    let spans = match &arg.value.node {
                        ExprKind::Conditional(_, then, otherwise) => [then.span, otherwise.span],
                        _ => [arg.value.span; 2],
                    };
                    for (branch, span) in [&choice.0, &choice.1].into_iter().zip(spans) {
                        if let Val::Str(policy) = branch {
                            fits &= self.check_removal_policy(policy, span, kind, choices, cfn_type);
                        }
                    }
                }
                if let Some(stack) = self.stack_index() {
                    let feature = TransformFeature::ComputedPolicy(kind.name());
                    let transform = crate::schema::sam::LANGUAGE_EXTENSIONS;
                    self.stacks[stack].needs_transforms.push((feature, transform, arg.value.span));
                }
                fits.then(|| self.lower(&value))
            }
            Val::Error => None,
            other => {
                self.report(diag::decorator_argument_type(arg.value.span, kind.name(), Kind::String, &other.kind()));
                None
            }
        }
    }

    /// Whether `policy` is one of `choices` and, for `Snapshot`, one
    /// `cfn_type` takes; reports it at `span` when not.
    fn check_removal_policy(
        &mut self,
        policy: &str,
        span: Span,
        kind: DecoratorKind,
        choices: &[&str],
        cfn_type: &str,
    ) -> bool {
        if !choices.contains(&policy) {
            let suggestion = did_you_mean(policy, choices.iter().copied());
            self.report(diag::decorator_argument_not_one_of(span, kind.name(), choices, suggestion));
            return false;
        }
        if policy == "Snapshot" && !attributes::SNAPSHOT_TYPES.contains(&cfn_type) {
            self.report(diag::snapshot_not_for_type(span, kind.name(), cfn_type, attributes::SNAPSHOT_TYPES));
            return false;
        }
        true
    }

    /// `@creation_policy({...})` or `@update_policy({...})`, checked against
    /// the shape the policy has on `cfn_type`.
    fn policy(&mut self, arg: Arg<'a>, policy: Policy, cfn_type: &str) -> Option<hir::Value> {
        let kind = match policy {
            Policy::CreationPolicy => DecoratorKind::CreationPolicy,
            Policy::UpdatePolicy => DecoratorKind::UpdatePolicy,
        };
        let Some(shape) = attributes::policy(policy, cfn_type) else {
            let takers = attributes::types_with(policy);
            self.report(diag::policy_not_for_type(arg.decorator.name.span, kind.name(), cfn_type, &takers));
            return None;
        };
        let (value, node) = self.attribute_object(arg, kind)?;
        self.diagnostics.extend(validate::check_policy(shape, policy.name(), &node));
        Some(value)
    }

    /// A resource attribute written as an object (`@metadata({...})`): its
    /// value for the template, and for the checks, paired with its source.
    fn attribute_object(&mut self, arg: Arg<'a>, kind: DecoratorKind) -> Option<(hir::Value, validate::Node)> {
        match self.eval(arg.value) {
            Val::Error => None,
            value @ Val::Object(_) => {
                let node = self.node(arg.value, &value);
                Some((self.lower(&value), node))
            }
            other => {
                self.report(diag::decorator_argument_type(arg.value.span, kind.name(), Kind::Object, &other.kind()));
                None
            }
        }
    }

    /// The logical IDs `@depends_on(a, b)` names: resources, every item of
    /// a loop, and every resource of a construct instance.
    pub(in crate::check) fn depends_on_ids(&mut self, args: Args<'a>) -> Vec<String> {
        let mut depends_on = Vec::new();
        for arg in args.values {
            let ExprKind::Name(name) = &arg.node else {
                self.report(diag::depends_on_not_a_name(arg.span));
                continue;
            };
            match self.resolve(name) {
                // Nothing to wait for: the program does not create it.
                Some(Binding::Resource(decl)) if matches!(self.item(decl).kind, ast::ItemKind::Existing(_)) => {
                    self.report(diag::not_a_resource(arg.span, name, Some(Declaration::Existing)));
                }
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
                Some(Binding::Param(_)) => {
                    self.report(diag::not_a_resource(arg.span, name, Some(Declaration::Parameter)));
                }
                Some(Binding::Let(_)) => self.report(diag::not_a_resource(arg.span, name, Some(Declaration::Let))),
                Some(Binding::Unavailable) => {}
                Some(_) => self.report(diag::not_a_resource(arg.span, name, None)),
                None => {
                    let suggestion = did_you_mean(name, self.visible_names());
                    self.report(diag::undefined_name(arg.span, name, suggestion));
                }
            }
        }
        depends_on
    }

    pub(in crate::check) fn output_options(&mut self, item: &'a ast::Item) -> OutputOptions {
        let attrs = match self.attrs(item) {
            Some(Attrs::StackOutput(attrs)) => *attrs,
            // A construct deployed as a stack: its outputs are the stack's.
            Some(Attrs::ConstructOutput(attrs)) => OutputAttrs { description: attrs.description, ..Default::default() },
            _ => OutputAttrs::default(),
        };
        let description = attrs.description.and_then(|arg| self.string_argument(arg, DecoratorKind::Description));
        let export_name = attrs.export.and_then(|arg| {
            let value = self.eval(arg.value);
            match value.ty() {
                Ty::String | Ty::Any => Some(self.lower(&value)),
                other => {
                    let name = DecoratorKind::Export.name();
                    self.report(diag::decorator_argument_type(arg.value.span, name, Kind::String, &other.kind()));
                    None
                }
            }
        });
        let mut condition = None;
        let mut omitted = false;
        if let Some(arg) = attrs.when {
            match self.condition_argument(arg.value, DecoratorKind::When) {
                Some(Val::Bool(b)) => omitted = !b,
                Some(Val::Cond(cond)) => condition = Some(self.condition_name(&cond)),
                _ => {}
            }
        }
        OutputOptions { description, export_name, condition, omitted }
    }

    /// `@metadata({ ... })` of a stack: the template's `Metadata` entries.
    pub(in crate::check) fn template_metadata(&mut self, arg: Arg<'a>) -> Vec<(String, hir::Value)> {
        match self.attribute_object(arg, DecoratorKind::Metadata) {
            Some((hir::Value::Object(entries), _)) => entries,
            _ => Vec::new(),
        }
    }

    /// `@transform("AWS::Serverless-2016-10-31", ...)` of a stack: each one
    /// of the transforms CloudFormation knows, or a macro of the account.
    /// A name under `AWS::` is one of AWS's transforms, so any other there
    /// is a mistake; any other name is a macro (AWS reserves the prefix),
    /// which the compiler cannot see through: a warning says so.
    pub(in crate::check) fn transforms(&mut self, args: Args<'a>, stack: usize) {
        for value in args.values {
            let arg = Arg { decorator: args.decorator, value };
            let name = match self.string_argument(arg, DecoratorKind::Transform) {
                Some(name) if !name.starts_with("AWS::") && !name.is_empty() => {
                    self.report(diag::macro_transform(value.span, &name));
                    Some(name)
                }
                Some(_) => self.one_of(arg, DecoratorKind::Transform, crate::schema::sam::TRANSFORMS),
                None => None,
            };
            if let Some(name) = name {
                self.require_transform(stack, &name);
            }
        }
    }

    /// `@globals({ Function: {...}, ... })` of a stack: SAM's `Globals`, an
    /// object of the sections SAM reads, each an object of properties; the
    /// stack must name the SAM transform.
    pub(in crate::check) fn sam_globals(&mut self, arg: Arg<'a>, stack: usize) {
        let name = DecoratorKind::Globals.name();
        let value = self.eval(arg.value);
        let Val::Object(sections) = &value else {
            if !matches!(value, Val::Error) {
                self.report(diag::decorator_argument_type(arg.value.span, name, Kind::Object, &value.kind()));
            }
            return;
        };
        let node = self.node(arg.value, &value);
        if let validate::NodeValue::Object(fields) = &node.value {
            for field in fields {
                let section = sections.iter().find(|(key, _)| *key == field.key).map(|(_, v)| v);
                if !SAM_GLOBALS_SECTIONS.contains(&field.key.as_str()) {
                    let suggestion = did_you_mean(&field.key, SAM_GLOBALS_SECTIONS.iter().copied());
                    self.report(diag::decorator_argument_not_one_of(
                        field.key_span,
                        name,
                        SAM_GLOBALS_SECTIONS,
                        suggestion,
                    ));
                } else if let Some(other) = section.filter(|v| !matches!(v, Val::Object(_) | Val::Error)) {
                    self.report(diag::decorator_argument_type(field.value.span, name, Kind::Object, &other.kind()));
                }
            }
        }
        let lowered = self.lower(&value);
        let build = &mut self.stacks[stack];
        build.globals = Some(lowered);
        let transform = crate::schema::sam::SERVERLESS_TRANSFORM;
        build.needs_transforms.push((TransformFeature::SamGlobals, transform, arg.decorator.span));
    }

    /// `@ignore_globals("*")` or `@ignore_globals(["Timeout"])` of a SAM
    /// resource: SAM's `IgnoreGlobals`.
    fn ignore_globals(&mut self, arg: Arg<'a>, cfn_type: &str) -> Option<hir::Value> {
        if !crate::schema::sam::is_sam_type(cfn_type) {
            let name = DecoratorKind::IgnoreGlobals.name();
            self.report(diag::sam_attribute_not_for_type(arg.decorator.name.span, name, cfn_type));
            return None;
        }
        let value = self.eval(arg.value);
        let fits = match &value {
            Val::Str(s) => s == "*",
            Val::List(items) => items.iter().all(|item| matches!(item, Val::Str(_))),
            Val::Error => return None,
            _ => false,
        };
        if !fits {
            let name = DecoratorKind::IgnoreGlobals.name();
            self.report(diag::decorator_argument_type(
                arg.value.span,
                name,
                Kind::list_of(Kind::String),
                &value.kind(),
            ));
            return None;
        }
        Some(self.lower(&value))
    }

    /// `@tags({ k: v })` of a stack or an instance: the tags as key and value.
    pub(in crate::check) fn tags_argument(&mut self, arg: Arg<'a>) -> Vec<(String, Val)> {
        match self.eval(arg.value) {
            Val::Object(entries) => entries,
            Val::Error => Vec::new(),
            other => {
                let name = DecoratorKind::Tags.name();
                self.report(diag::decorator_argument_type(arg.value.span, name, ValueRole::Tags, &other.kind()));
                Vec::new()
            }
        }
    }
}
