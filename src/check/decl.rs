//! Declarations: stacks, parameters, resources (plain, looped, and construct
//! instances) and outputs, and the tags that stacks and instances pass down.

use std::collections::HashMap;
use std::rc::Rc;

use super::decorators::{ConstrainedValue, DecoratorKind};
use super::shapes::{Place, Shape};
use super::value::{InstanceSource, InstanceValue, ResourceHandle, Ty, Val};
use super::{pascal_case, Binding, Checker, DeclId, FrameId, FrameKind, Memo, ModuleName};
use crate::diagnostics::builder as diag;
use crate::diagnostics::facts::{CompileTimeNeed, Origin, Passed, ValueRole};
use crate::diagnostics::suggest::did_you_mean;
use crate::hir;
use crate::schema;
use crate::source::Span;
use crate::syntax::ast::{self, ExprKind, ItemKind, ResourceType, StackBody};

/// What a construct parameter accepts.
enum ParamKind<'a> {
    /// An instance of this construct, named as users write it.
    Construct((usize, usize), String),
    /// A value of this shape.
    Value(Shape<'a>),
}

impl<'a> Checker<'a> {
    /// `stack NAME { ... }` or `stack NAME: Construct { properties }`.
    pub(super) fn create_stack(
        &mut self,
        module: usize,
        item: &'a ast::Item,
        decl: &'a ast::Stack,
        names: &mut HashMap<String, Span>,
    ) {
        let module_frame = self.module_frames[module];
        let attrs = self.stack_attrs(item);
        let description = match attrs.description {
            Some(arg) => self.in_frame(module_frame, |c| c.string_argument(arg, DecoratorKind::Description)),
            None => decl.doc.clone(),
        };
        let name = decl.name.node.clone();
        match &decl.body {
            StackBody::Items(items) => {
                let frame = self.new_frame(module, items, None);
                let stack = self.add_stack(name, decl.name.span, description, frame, names);
                self.frames[frame].stack = Some(stack);
                // Evaluated inside the stack: its tags may use its parameters.
                let tags = match attrs.tags {
                    Some(arg) => self.in_frame(frame, |c| c.tags_argument(arg)),
                    None => Vec::new(),
                };
                self.frames[frame].tags = tags;
                if let Some(arg) = attrs.metadata {
                    let metadata = self.in_frame(frame, |c| c.template_metadata(arg));
                    self.stacks[stack].metadata = metadata;
                }
                if let Some(args) = attrs.transform {
                    self.in_frame(module_frame, |c| c.transforms(args, stack));
                }
                if let Some(arg) = attrs.globals {
                    self.in_frame(frame, |c| c.sam_globals(arg, stack));
                }
            }
            StackBody::Instance { construct, properties } => {
                let tags = match attrs.tags {
                    Some(arg) => self.in_frame(module_frame, |c| c.tags_argument(arg)),
                    None => Vec::new(),
                };
                let Some((construct_module, construct_item)) =
                    self.in_frame(module_frame, |c| c.resolve_construct(&construct.node, construct.span))
                else {
                    return;
                };
                let ItemKind::Construct(definition) = &self.modules[construct_module].file.items[construct_item].kind
                else {
                    return;
                };
                let frame = self.new_frame(construct_module, &definition.items, None);
                let stack = self.add_stack(name, decl.name.span, description, frame, names);
                self.stacks[stack].construct = Some(self.construct_display((construct_module, construct_item)));
                self.frames[frame].stack = Some(stack);
                self.frames[frame].tags = tags;
                if let Some(arg) = attrs.metadata {
                    let metadata = self.in_frame(module_frame, |c| c.template_metadata(arg));
                    self.stacks[stack].metadata = metadata;
                }
                if let Some(args) = attrs.transform {
                    self.in_frame(module_frame, |c| c.transforms(args, stack));
                }
                if let Some(arg) = attrs.globals {
                    self.in_frame(module_frame, |c| c.sam_globals(arg, stack));
                }
                // The properties are written at file level but belong to this
                // stack: what they take from other stacks is imported here.
                let file_stack = std::mem::replace(&mut self.frames[module_frame].stack, Some(stack));
                let context = pascal_case(&decl.name.node);
                let args = self.in_frame(module_frame, |c| {
                    c.context_id = context;
                    c.eval(properties)
                });
                self.frames[module_frame].stack = file_stack;
                // A stack's construct parameters without a value stay
                // CloudFormation parameters.
                let (mut args, spans) =
                    self.bind_arguments((construct_module, construct_item), args, properties, None, true);
                self.frames[frame].arg_spans = spans;
                // An optional parameter (`= null`) left unset stays unset, as
                // it does on an instance: CloudFormation has no null.
                for (_, param) in definition.params() {
                    if matches!(param.default.as_ref().map(|d| &d.node), Some(ExprKind::Null)) {
                        args.entry(param.name.node.clone()).or_insert(Val::Null);
                    }
                }
                self.frames[frame].args = args;
                // The construct's rules hold for a stack as for an instance
                // (a rule on parameters left to deploy time is not checked).
                self.check_assertions(frame, definition, properties);
            }
        }
    }

    /// Finds the construct a resource type path names.
    pub(super) fn resolve_construct(&mut self, path: &[String], span: Span) -> Option<(usize, usize)> {
        let found = match path {
            [name] => match self.resolve(name) {
                Some(Binding::Construct(module, index)) => Some((module, index)),
                _ => None,
            },
            [namespace, name] => {
                // A resource or let may share its name with a standard-library
                // namespace (`resource logs: logs.LogGroup`): in a type, the
                // namespace is meant.
                let module = match self.resolve(namespace) {
                    Some(Binding::Namespace(module)) => Some(module),
                    _ => self.std_modules.get(namespace.as_str()).copied(),
                };
                match module.and_then(|module| self.module_name(module, name)) {
                    Some((module, ModuleName::Construct(index))) => Some((module, index)),
                    _ => None,
                }
            }
            _ => None,
        };
        // A construct from an import that failed was reported at the import.
        let from_failed_import = match self.resolve(&path[0]) {
            Some(Binding::Unavailable) => true,
            None => self.may_be_from_failed_import(),
            _ => false,
        };
        if found.is_none() && !from_failed_import {
            let written = path.join(".");
            let candidates = self.construct_names_near(path);
            let suggestion = did_you_mean(&written, candidates.iter().map(String::as_str));
            self.report(diag::unknown_construct(span, &written, suggestion));
        }
        found
    }

    /// The constructs a misspelt `path` may have meant, as users write them:
    /// the file's own and, for `ns.Name`, those of the namespace `ns`.
    fn construct_names_near(&self, path: &[String]) -> Vec<String> {
        let constructs = |module: usize| -> Vec<&'a str> {
            self.modules[module]
                .file
                .items
                .iter()
                .filter(|item| matches!(item.kind, ItemKind::Construct(_)))
                .filter_map(|item| item.kind.name().map(|n| n.node.as_str()))
                .collect()
        };
        let own_module = self.frames[self.frame].module;
        let mut names: Vec<String> = constructs(own_module).into_iter().map(str::to_string).collect();
        if let [namespace, _] = path {
            let module = match self.resolve(namespace) {
                Some(Binding::Namespace(module)) => Some(module),
                _ => self.std_modules.get(namespace.as_str()).copied(),
            };
            if let Some(module) = module {
                names.extend(constructs(module).into_iter().map(|name| format!("{namespace}.{name}")));
            }
        }
        names
    }

    /// Checks an instance's properties against the construct's parameters
    /// (its own and its groups' members) and returns the bound ones, with
    /// where the user wrote each. A stack (`at_stack_level`) may leave any
    /// parameter unbound: it becomes a CloudFormation parameter. `declared_in`
    /// is the frame that declares the instance: a property a group passed on
    /// is shown where its instance set it.
    fn bind_arguments(
        &mut self,
        (module, index): (usize, usize),
        properties: Val,
        body: &ast::Expr,
        declared_in: Option<FrameId>,
        at_stack_level: bool,
    ) -> (HashMap<String, Val>, HashMap<String, Span>) {
        let ItemKind::Construct(construct) = &self.modules[module].file.items[index].kind else {
            return Default::default();
        };
        let display = self.construct_display((module, index));
        let params = self.taken_params(module, construct);
        let mut args = HashMap::new();
        let mut spans = HashMap::new();
        let entries = match properties {
            Val::Object(entries) => entries,
            Val::Error => return (args, spans),
            other => {
                self.report(diag::type_mismatch(body.span, ValueRole::Properties, &other.kind()));
                return (args, spans);
            }
        };
        let names: Vec<&str> = params.iter().map(|p| p.param.name.node.as_str()).collect();
        // What a spread in the body passed on is shown where the instance
        // that declares this one set it, or at the spread.
        let spread = match &body.node {
            ExprKind::Object(properties) => properties.iter().find(|p| p.spread).map(|p| p.value.span),
            _ => None,
        };
        for (key, value) in entries {
            // The property as written, where the source spells it out.
            let written = body.node.property(&key);
            let passed_on = || {
                let outer = declared_in.and_then(|frame| self.frames[frame].arg_spans.get(&key).copied());
                outer.or(spread).unwrap_or(body.span)
            };
            let span = written.map_or_else(passed_on, |p| p.value.span);
            let Some(&super::groups::TakenParam { module: param_module, item, param }) =
                params.iter().find(|p| p.param.name.node == key)
            else {
                let suggestion = did_you_mean(&key, names.iter().copied());
                self.report(diag::unknown_construct_property(
                    written.map_or(span, |p| p.key.span),
                    &key,
                    &display,
                    construct.name.span,
                    suggestion,
                    &names,
                ));
                continue;
            };
            let value = match self.param_kind(param_module, param) {
                ParamKind::Construct(kind, wanted) => match &value {
                    Val::Instance(instance) if instance.kind == kind => value,
                    Val::Error => value,
                    Val::Null if param.default.is_some() => value,
                    other => {
                        let kind = other.kind();
                        let found = match other {
                            Val::Instance(instance) => {
                                Passed::Instance { name: &instance.name, construct: &instance.construct }
                            }
                            Val::Resource(resource) => {
                                Passed::Resource { name: &resource.name, cfn_type: &resource.cfn_type }
                            }
                            _ => Passed::Value(&kind),
                        };
                        self.report(diag::wrong_construct_kind(span, &key, &wanted, found, param.ty.span));
                        Val::Error
                    }
                },
                // `null` for a parameter with a default leaves it unset: the
                // default applies, as when the property is not written.
                ParamKind::Value(_) if matches!(value, Val::Null) && param.default.is_some() => continue,
                ParamKind::Value(shape) => {
                    let value = self.instances_as_values(value, span);
                    let place = Place { property: &key, construct: &display, path: String::new() };
                    let mut accepted = self.check_shape(&value, written.map(|p| &p.value), span, &shape, &place);
                    let declared = super::decorators::declared_type(&shape);
                    let constraints = self.param_constraints(item, self.module_frames[param_module], declared.as_ref());
                    let whose = ConstrainedValue::Argument { param: &key };
                    accepted &= self.check_constraints(&constraints, &value, span, whose);
                    // A rejected value was reported here; the construct's uses
                    // of it would only repeat that.
                    if accepted {
                        value
                    } else {
                        Val::Error
                    }
                }
            };
            spans.insert(key.clone(), span);
            args.insert(key, value);
        }
        // A stack leaves its own parameters to CloudFormation, but not a
        // group's members: they are not declarations of the stack.
        let own_param = |p: &super::groups::TakenParam<'_>| {
            p.module == module && construct.params().any(|(_, own)| std::ptr::eq(own, p.param))
        };
        let missing: Vec<&str> = params
            .iter()
            .filter(|p| !(at_stack_level && own_param(p)))
            .filter(|p| p.param.default.is_none() && !args.contains_key(&p.param.name.node))
            .map(|p| p.param.name.node.as_str())
            .collect();
        if !missing.is_empty() {
            self.report(diag::missing_construct_properties(body.span, &display, construct.name.span, &missing));
        }
        (args, spans)
    }

    /// The construct as users name it: `ec2.Vpc` from the standard library,
    /// `Service` for a user's own.
    pub(super) fn construct_display(&self, (module, index): (usize, usize)) -> String {
        let name = self.modules[module].file.items[index].kind.name().map_or("", |n| n.node.as_str());
        match &self.modules[module].std_namespace {
            Some(namespace) => format!("{namespace}.{name}"),
            None => name.to_string(),
        }
    }

    /// What a construct parameter takes: an instance of a construct
    /// (`param vpc: ec2.Vpc`), or a value of a shape.
    fn param_kind(&mut self, module: usize, param: &'a ast::Param) -> ParamKind<'a> {
        let ty = &param.ty.node;
        if ty.arg.is_none() {
            let module_frame = self.module_frames[module];
            let path: Vec<String> = ty.name.split('.').map(str::to_string).collect();
            let names_construct = path.len() == 2
                || self.in_frame(module_frame, |c| matches!(c.resolve(&ty.name), Some(Binding::Construct(..))));
            if names_construct {
                return match self.in_frame(module_frame, |c| c.resolve_construct(&path, param.ty.span)) {
                    Some(kind) => ParamKind::Construct(kind, self.construct_display(kind)),
                    None => ParamKind::Value(Shape::Any),
                };
            }
        }
        ParamKind::Value(self.construct_param_shape(param))
    }

    /// The shape of the values a construct parameter accepts.
    fn construct_param_shape(&mut self, param: &'a ast::Param) -> Shape<'a> {
        let ty = &param.ty.node;
        let arg = ty.arg.as_deref();
        match (ty.name.as_str(), arg) {
            _ if ty.fields.is_some() => self.field_shape(&param.ty),
            ("any", None) => Shape::Any,
            ("object", None) => Shape::Type(Ty::Object),
            ("list", Some(item))
                if item.node.fields.is_some() || matches!(item.node.name.as_str(), "any" | "object") =>
            {
                Shape::List(Box::new(self.field_shape(item)))
            }
            _ => self.param_info(param).ty.map_or(Shape::Any, Shape::Type),
        }
    }

    pub(super) fn process_frame(&mut self, frame: FrameId) {
        let items = self.frames[frame].items;
        let mut outputs = std::collections::HashSet::new();
        for (index, item) in items.iter().enumerate() {
            // A second declaration of a name was reported; only the first counts.
            let first = match &item.kind {
                ItemKind::Param(_) | ItemKind::Let(_) | ItemKind::Resource(_) | ItemKind::Existing(_) => item
                    .kind
                    .name()
                    .is_some_and(|name| self.frames[frame].names.get(name.node.as_str()) == Some(&index)),
                ItemKind::Output(output) => outputs.insert(output.name.node.as_str()),
                _ => true,
            };
            if !first {
                continue;
            }
            match &item.kind {
                ItemKind::Param(param) => self.declare_param((frame, index), item, param),
                // A function is evaluated where it is called.
                ItemKind::Let(let_) if let_.params.is_some() => {}
                ItemKind::Let(_) => {
                    self.let_value((frame, index));
                }
                ItemKind::Resource(_) => self.emit_resource((frame, index)),
                // Nothing to emit: evaluated for its own mistakes.
                ItemKind::Existing(_) => {
                    self.existing_value((frame, index));
                }
                ItemKind::Output(output) => self.emit_output(frame, index, item, output),
                _ => {}
            }
        }
    }

    pub(super) fn param_info_of(&mut self, decl: DeclId) -> Option<&super::ParamInfo> {
        if !self.params.contains_key(&decl) {
            let item = self.item(decl);
            let ItemKind::Param(param) = &item.kind else { return None };
            let mut info = self.param_info(param);
            let id = self.logical_id(item, &param.name);
            info.logical_id = format!("{}{id}", self.frames[decl.0].prefix);
            self.params.insert(decl, info);
        }
        self.params.get(&decl)
    }

    /// A CloudFormation parameter, unless the frame binds it to a value.
    fn declare_param(&mut self, decl: DeclId, item: &'a ast::Item, param: &'a ast::Param) {
        if param.group {
            // A construct deployed as a stack keeps its groups.
            if self.place(item) == Some(super::decorators::Place::StackParam) {
                self.report_group_outside_construct(param);
            }
            return;
        }
        let frame = &self.frames[decl.0];
        if !frame.params_are_cfn() || frame.args.contains_key(&param.name.node) {
            return;
        }
        self.param_info_of(decl);
        let mut parameter = self.in_frame(decl.0, |c| c.parameter(decl, item, param));
        parameter.provenance = self.provenance(decl.0, &param.name, None);
        let stack_param = self.place(item) == Some(super::decorators::Place::StackParam);
        let rules = self.in_frame(decl.0, |c| c.parameter_rules(item, &parameter.logical_id, stack_param));
        if let Some(stack) = self.frames[decl.0].stack {
            self.stacks[stack].parameters.push(parameter);
            self.add_rules(stack, rules);
        }
    }

    /// The value of a parameter where it is used.
    pub(super) fn param_value(&mut self, decl: DeclId) -> Val {
        let ItemKind::Param(param) = &self.item(decl).kind else { return Val::Error };
        // An output of an instance read while its own properties are being
        // computed, which needs one of them: they depend on each other.
        if let Some(instance) = self.frames[decl.0].pending {
            self.report_cycle(instance);
            return Val::Error;
        }
        if param.group {
            return self.group_value(decl.0, param);
        }
        if let Some(value) = self.frames[decl.0].args.get(&param.name.node) {
            return value.clone();
        }
        if !self.frames[decl.0].params_are_cfn() {
            // An instance's property left out: the default (or an error
            // reported where the instance is declared).
            let Some(default) = &param.default else { return Val::Error };
            // A default that reads itself, directly or not, is a cycle.
            if self.in_progress.contains(&decl) {
                self.report_cycle(decl);
                return Val::Error;
            }
            self.in_progress.push(decl);
            let value = self.in_frame(decl.0, |c| c.eval(default));
            self.in_progress.pop();
            return value;
        }
        self.used_params.insert(decl);
        let name = param.name.node.clone();
        let Some(info) = self.param_info_of(decl) else { return Val::Error };
        let origin = Origin::Parameter(name);
        let reference = hir::Value::intrinsic(hir::Intrinsic::Ref(info.logical_id.clone()));
        match &info.ty {
            // A `bool` parameter is the string "true" or "false".
            Some(Ty::Bool) => Val::Cond(Rc::new(super::Cond {
                name: None,
                node: super::CondNode::Equals(reference.clone(), hir::Value::String("true".to_string())),
                as_value: Some(reference),
                origin,
            })),
            Some(ty) => Val::Deploy(super::value::Deploy { ty: ty.clone(), value: reference, origin, choice: None }),
            None => Val::Error,
        }
    }

    /// The logical ID of a resource, or of one loop item of it.
    fn resource_id(&mut self, decl: DeclId, key: Option<&str>) -> String {
        let item = self.item(decl);
        let ItemKind::Resource(resource) = &item.kind else { return String::new() };
        let base = self.logical_id(item, &resource.name);
        let suffix = key.map(pascal_case).unwrap_or_default();
        format!("{}{base}{suffix}", self.frames[decl.0].prefix)
    }

    /// The items a looped resource iterates: key, key value, item value.
    fn loop_items(&mut self, decl: DeclId) -> Rc<Vec<(String, Val, Val)>> {
        if let Some(items) = self.loop_items.get(&decl) {
            return items.clone();
        }
        let ItemKind::Resource(resource) = &self.item(decl).kind else { return Rc::new(Vec::new()) };
        let items = match &resource.for_each {
            None => Vec::new(),
            Some(clause) => {
                let iterable = self.in_frame(decl.0, |c| c.eval(&clause.iterable));
                if matches!(iterable, Val::Error) {
                    self.failed_loops.insert(decl);
                }
                self.iteration(iterable, clause.iterable.span, CompileTimeNeed::ResourceLoopList)
            }
        };
        let items = Rc::new(items);
        let positions = items.iter().enumerate().map(|(i, (key, _, _))| (key.clone(), i)).collect();
        self.loop_positions.insert(decl, Rc::new(positions));
        self.loop_items.insert(decl, items.clone());
        items
    }

    /// Runs `f` in the resource's frame with its loop variables bound for
    /// the item `key`.
    fn with_loop_item<T>(&mut self, decl: DeclId, key: Option<&str>, f: impl FnOnce(&mut Self) -> T) -> T {
        let ItemKind::Resource(resource) = &self.item(decl).kind else { return self.in_frame(decl.0, f) };
        let mut bindings = Vec::new();
        if let (Some(clause), Some(key)) = (&resource.for_each, key) {
            let items = self.loop_items(decl);
            let position = self.loop_positions.get(&decl).and_then(|p| p.get(key)).copied();
            if let Some((_, key_value, item_value)) = position.and_then(|i| items.get(i)) {
                bindings.push((clause.item.node.clone(), item_value.clone()));
                if let Some(key_name) = &clause.key {
                    bindings.push((key_name.node.clone(), key_value.clone()));
                }
            }
        }
        self.in_frame(decl.0, |c| {
            c.locals = bindings;
            f(c)
        })
    }

    /// Evaluates `@when` once: `Some` condition name when it depends on a
    /// parameter; a compile-time `false` leaves the resource out.
    fn when_of(&mut self, decl: DeclId) -> Option<String> {
        if let Some(condition) = self.when_conditions.get(&decl) {
            return condition.clone();
        }
        self.when_conditions.insert(decl, None);
        let id = self.resource_id(decl, None);
        let item = self.item(decl);
        let condition = self.in_frame(decl.0, |c| {
            c.context_id = id;
            c.when_condition(item, decl)
        });
        self.when_conditions.insert(decl, condition.clone());
        condition
    }

    /// What a resource is as a value: a handle (its `Ref`), an instance, or
    /// for a loop an object from key to each.
    pub(super) fn resource_value(&mut self, decl: DeclId, span: Span) -> Val {
        if matches!(self.item(decl).kind, ItemKind::Existing(_)) {
            return self.existing_value(decl);
        }
        self.when_of(decl);
        if let Some(&when) = self.disabled.get(&decl) {
            let name = self.decl_name(decl);
            self.report(diag::disabled_resource(span, name, when));
            return Val::Error;
        }
        let ItemKind::Resource(resource) = &self.item(decl).kind else { return Val::Error };
        if resource.for_each.is_none() {
            return self.resource_item_value(decl, None);
        }
        let items = self.loop_items(decl);
        // A loop over a list that failed to compute has unknown items, not none.
        if self.failed_loops.contains(&decl) {
            return Val::Error;
        }
        Val::Object(items.iter().map(|(key, _, _)| (key.clone(), self.resource_item_value(decl, Some(key)))).collect())
    }

    fn resource_item_value(&mut self, decl: DeclId, key: Option<&str>) -> Val {
        let ItemKind::Resource(resource) = &self.item(decl).kind else { return Val::Error };
        match &resource.ty.node {
            ResourceType::Cfn(cfn_type) => {
                let logical_id = self.resource_id(decl, key);
                self.declare_resource_type(decl.0, &logical_id, cfn_type);
                Val::Resource(Rc::new(ResourceHandle {
                    logical_id,
                    cfn_type: cfn_type.clone(),
                    name: resource.name.node.clone(),
                }))
            }
            ResourceType::Path(_) => self.instance_value(decl, key),
        }
    }

    /// Records a resource's type under its logical ID in its stack, for the
    /// checks of values that refer to it. Every reference goes through a
    /// handle made by [`Checker::resource_item_value`], which records it
    /// first: so a use above the declaration is checked as one below it.
    fn declare_resource_type(&mut self, frame: FrameId, logical_id: &str, cfn_type: &str) {
        if let Some(stack) = self.frames[frame].stack {
            self.stacks[stack].resource_types.entry(logical_id.to_string()).or_insert_with(|| cfn_type.to_string());
        }
    }

    /// Emits a resource (every item of a loop) into its stack, once.
    pub(super) fn emit_resource(&mut self, decl: DeclId) {
        if !self.emitted.insert(decl) {
            return;
        }
        self.when_of(decl);
        if self.disabled.contains_key(&decl) {
            return;
        }
        let ItemKind::Resource(resource) = &self.item(decl).kind else { return };
        if resource.for_each.is_none() {
            self.emit_resource_item(decl, None, 0);
            return;
        }
        let items = self.loop_items(decl);
        for (iteration, (key, _, _)) in items.iter().enumerate() {
            self.emit_resource_item(decl, Some(key), iteration as u32);
        }
    }

    fn emit_resource_item(&mut self, decl: DeclId, key: Option<&str>, iteration: u32) {
        let item = self.item(decl);
        let ItemKind::Resource(resource) = &item.kind else { return };
        let ResourceType::Cfn(cfn_type) = &resource.ty.node else {
            self.instance_value(decl, key);
            return;
        };
        let logical_id = self.resource_id(decl, key);
        let condition = self.when_of(decl);
        let Some(stack) = self.frames[decl.0].stack else { return };
        self.declare_resource_type(decl.0, &logical_id, cfn_type);
        let mut sort_key = self.frames[decl.0].sort_key.clone();
        sort_key.extend([decl.1 as u32, iteration]);
        let tags = self.frames[decl.0].tags.clone();
        let built = self.with_loop_item(decl, key, |c| {
            c.context_id = logical_id.clone();
            let body = c.eval(&resource.body);
            let mut body = c.instances_as_values_in(body, &resource.body);
            c.forbid_instances(&body, &resource.body);
            // The overrides are merged into the value once; the schema check
            // sees each part at the source that wrote it, override or body.
            let mut sources: Vec<&ast::Expr> = vec![&resource.body];
            for (change, written) in c.overrides_for(decl.0, &resource.name.node, key) {
                body = super::overrides::merge_values(body, &change);
                sources.push(written);
            }
            sources.reverse();
            let checked = c.node_layered(&sources, &body);
            c.check_against_schema(cfn_type, resource.ty.span, &checked);
            let mut properties: Vec<(String, hir::Value)> = match body {
                Val::Object(entries) => entries
                    .iter()
                    .filter(|(_, v)| !matches!(v, Val::Null))
                    .map(|(k, v)| (k.clone(), c.lower(v)))
                    .collect(),
                Val::Error => Vec::new(),
                other => {
                    c.report(diag::type_mismatch(resource.body.span, ValueRole::Properties, &other.kind()));
                    Vec::new()
                }
            };
            c.apply_tags(cfn_type, &mut properties, &tags);
            super::builtins::assets::sam_locations(cfn_type, &mut properties);
            let mut provenance = c.provenance(decl.0, &resource.name, key);
            // Where the user wrote each property: the last override that
            // sets it, or the body.
            provenance.properties = properties
                .iter()
                .filter_map(|(name, _)| {
                    let written =
                        sources.iter().filter(|expr| !c.in_library(expr.span)).find_map(|e| e.node.property(name));
                    written.map(|property| (name.clone(), property.key.span))
                })
                .collect();
            let attrs = c.resource_attrs(item);
            let mut options = c.resource_options(&attrs, cfn_type);
            // Enclosing instances: what they depend on, this resource does;
            // and each learns that it creates this resource.
            let mut frame = Some(decl.0);
            while let Some(current) = frame {
                for id in &c.frames[current].depends_on {
                    if !options.depends_on.contains(id) {
                        options.depends_on.push(id.clone());
                    }
                }
                c.frames[current].created.push(logical_id.clone());
                frame = c.frames[current].parent();
            }
            hir::Resource {
                logical_id: logical_id.clone(),
                cfn_type: cfn_type.clone(),
                properties,
                depends_on: options.depends_on,
                condition,
                deletion_policy: options.deletion_policy,
                update_replace_policy: options.update_replace_policy,
                provenance,
                creation_policy: options.creation_policy,
                update_policy: options.update_policy,
                metadata: options.metadata,
                ignore_globals: options.ignore_globals,
            }
        });
        let name = resource.name.clone();
        let declared = self.decl_name(decl);
        self.stacks[stack].id_spans.push((logical_id, name.span, declared));
        self.stacks[stack].resources.push((sort_key, built, name));
    }

    /// Where the user declared `name` (of the frame `frame`, for the loop
    /// item `key`): the declaration itself when the user wrote it, else the
    /// innermost instance the user wrote around it, else the stack.
    /// Properties are left to the caller.
    fn provenance(&self, frame: FrameId, name: &ast::Ident, key: Option<&str>) -> hir::Provenance {
        let segment = |name: &str, key: Option<&str>| match key {
            // A key as the language addresses it: `queue["orders"]`.
            Some(key) => format!("{name}[{}]", serde_json::Value::String(key.to_string())),
            None => name.to_string(),
        };
        let mut path = vec![segment(&name.node, key)];
        let mut user = (!self.in_library(name.span)).then_some(name.span);
        let mut current = frame;
        while let FrameKind::Instance { parent, name: instance, declared, .. } = &self.frames[current].kind {
            path.push(segment(&instance[0], instance.get(1).map(String::as_str)));
            if user.is_none() && !self.in_library(*declared) {
                user = Some(*declared);
            }
            current = *parent;
        }
        path.reverse();
        // A stack built from a library construct has nothing of the user's
        // inside it: the stack's declaration stands for it.
        let stack = self.frames[current].stack.map(|stack| &self.stacks[stack]);
        let span = user.or(stack.map(|stack| stack.name_span)).unwrap_or(name.span);
        // The construct whose body holds the declaration.
        let construct = match &self.frames[frame].kind {
            FrameKind::Instance { construct, .. } => Some(construct.clone()),
            FrameKind::Scope => stack.and_then(|stack| stack.construct.clone()),
        };
        hir::Provenance {
            span,
            path: path.join("."),
            library: self.in_library(name.span).then(|| (construct.unwrap_or_default(), name.span)),
            properties: Vec::new(),
        }
    }

    /// Whether `span` is in the standard library rather than the user's code.
    pub(super) fn in_library(&self, span: Span) -> bool {
        self.modules.iter().any(|module| module.std_namespace.is_some() && module.file_id == span.file)
    }

    /// The logical IDs of every resource an instance (each item of a loop of
    /// them) creates.
    pub(super) fn instance_resource_ids(&mut self, decl: DeclId) -> Vec<String> {
        let frames = self.instance_frames.get(&decl).cloned().unwrap_or_default();
        frames.iter().flat_map(|&frame| self.frames[frame].created.clone()).collect()
    }

    /// A construct instance: its body expanded in a frame of its own, once
    /// per instance (and loop item). Its value gives access to the
    /// construct's outputs.
    ///
    /// The frame exists before the instance's properties are evaluated, so
    /// that what they refer to may in turn read this instance's outputs (a
    /// bucket's policy naming a distribution whose origin is the bucket);
    /// only an output that needs a property still being computed is a cycle.
    fn instance_value(&mut self, decl: DeclId, key: Option<&str>) -> Val {
        let memo_key = (decl.0, decl.1, key.unwrap_or_default().to_string());
        match self.instances.get(&memo_key) {
            Some(Memo::Done(value)) => return value.clone(),
            Some(Memo::InProgress) => {
                if let Some(instance) = self.pending_instances.get(&memo_key) {
                    return Val::Instance(instance.clone());
                }
                self.report_cycle(decl);
                return Val::Error;
            }
            None => {}
        }
        let item = self.item(decl);
        let ItemKind::Resource(resource) = &item.kind else { return Val::Error };
        let ResourceType::Path(path) = &resource.ty.node else { return Val::Error };
        // `@when(false)` was handled by the caller; a condition known only at
        // deploy time would have to reach every resource inside.
        if self.when_of(decl).is_some() {
            if let Some(when) = self.when_attr(item) {
                self.report(diag::deploy_time_condition_on_instance(when.value.span));
            }
        }
        self.instances.insert(memo_key.clone(), Memo::InProgress);
        self.in_progress.push(decl);
        let prepared = self.with_loop_item(decl, key, |c| {
            let construct = c.resolve_construct(path, resource.ty.span)?;
            let attrs = c.instance_attrs(item);
            let tags = attrs.tags.map(|arg| c.tags_argument(arg)).unwrap_or_default();
            let overrides = c.overrides_of(&attrs.overrides);
            let depends_on = attrs.depends_on.map(|args| c.depends_on_ids(args)).unwrap_or_default();
            Some((construct, tags, (overrides, depends_on)))
        });
        // A construct that (through others) contains itself would expand forever.
        let recursive = prepared.as_ref().and_then(|((module, index), _, _)| {
            let chain = &self.construct_chain;
            chain.iter().position(|c| c == &(*module, *index)).map(|start| chain[start..].to_vec())
        });
        let prepared = match recursive {
            Some(chain) => {
                let cycle: Vec<(String, Span)> = chain
                    .iter()
                    .filter_map(|&(m, i)| self.modules[m].file.items[i].kind.name().map(|n| (n.node.clone(), n.span)))
                    .collect();
                if !cycle.is_empty() {
                    self.report(diag::reference_cycle(&cycle));
                }
                None
            }
            None => prepared,
        };
        let value = match prepared {
            None => Val::Error,
            Some(((module, index), tags, (overrides, depends_on))) => {
                let ItemKind::Construct(construct) = &self.modules[module].file.items[index].kind else {
                    return Val::Error;
                };
                let parent = decl.0;
                let child = self.new_frame(module, &construct.items, self.frames[parent].stack);
                let iteration = match key {
                    Some(k) => {
                        self.loop_items(decl);
                        self.loop_positions.get(&decl).and_then(|p| p.get(k)).copied().unwrap_or(0) as u32
                    }
                    None => 0,
                };
                let mut sort_key = self.frames[parent].sort_key.clone();
                sort_key.extend([decl.1 as u32, iteration]);
                let mut inherited = self.frames[parent].tags.clone();
                inherited.extend(tags);
                let prefix = format!(
                    "{}{}{}",
                    self.frames[parent].prefix,
                    pascal_case(&resource.name.node),
                    key.map(pascal_case).unwrap_or_default()
                );
                let construct_name = self.construct_display((module, index));
                let frame = &mut self.frames[child];
                frame.prefix = prefix;
                frame.sort_key = sort_key;
                frame.tags = inherited;
                frame.kind = FrameKind::Instance {
                    parent,
                    name: std::iter::once(resource.name.node.clone()).chain(key.map(str::to_string)).collect(),
                    declared: resource.name.span,
                    construct: construct_name,
                };
                frame.overrides = overrides;
                frame.depends_on = depends_on;
                frame.pending = Some(decl);
                self.instance_frames.entry(decl).or_default().push(child);
                let outputs = output_indices(&construct.items);
                let primary = self.primary_output(&construct.items);
                let instance = Rc::new(InstanceValue {
                    construct: self.construct_display((module, index)),
                    kind: (module, index),
                    name: resource.name.node.clone(),
                    outputs,
                    primary,
                    source: InstanceSource::Expanded { frame: child },
                });
                self.pending_instances.insert(memo_key.clone(), instance.clone());
                // Conditions written in the properties are named after the instance.
                let context = self.frames[child].prefix.clone();
                let properties = self.with_loop_item(decl, key, |c| {
                    c.context_id = context;
                    c.eval(&resource.body)
                });
                self.pending_instances.remove(&memo_key);
                let (args, spans) =
                    self.bind_arguments((module, index), properties, &resource.body, Some(parent), false);
                self.frames[child].args = args;
                self.frames[child].arg_spans = spans;
                self.frames[child].pending = None;
                // The assertions read the instance's properties in the
                // construct: what they find there is the instance's too.
                let reported = self.diagnostics.len();
                // An instance its construct rejects is not expanded: what it
                // would create follows from values known to be wrong.
                let accepted = self.check_assertions(child, construct, &resource.body);
                if accepted {
                    self.construct_chain.push((module, index));
                    self.process_frame(child);
                    self.construct_chain.pop();
                }
                // A mistake found inside the standard library was made by the
                // instance: it is reported at the instance (an instance nested
                // in the library is blamed on, in turn, its own instance).
                if self.modules[module].std_namespace.is_some() {
                    let std_file = self.modules[module].file_id;
                    let construct_name = self.construct_display((module, index));
                    for diagnostic in &mut self.diagnostics[reported..] {
                        if diagnostic.primary.span.file == std_file {
                            let moved = diag::in_library_instance(
                                diagnostic.clone(),
                                resource.name.span,
                                &resource.name.node,
                                &construct_name,
                            );
                            *diagnostic = moved;
                        }
                    }
                }
                if !accepted {
                    self.in_progress.pop();
                    self.instances.insert(memo_key, Memo::Done(Val::Error));
                    return Val::Error;
                }
                self.report_unused_overrides(child);
                Val::Instance(instance)
            }
        };
        self.in_progress.pop();
        self.instances.insert(memo_key, Memo::Done(value.clone()));
        value
    }

    /// An instance's output, evaluated in the instance's frame on first use.
    pub(super) fn output_value(&mut self, frame: FrameId, index: usize) -> Val {
        match self.frames[frame].outputs.get(&index) {
            Some(Memo::Done(value)) => return value.clone(),
            Some(Memo::InProgress) => {
                self.report_cycle((frame, index));
                return Val::Error;
            }
            None => {}
        }
        let ItemKind::Output(output) = &self.frames[frame].items[index].kind else { return Val::Error };
        self.frames[frame].outputs.insert(index, Memo::InProgress);
        self.in_progress.push((frame, index));
        let context = format!("{}{}", self.frames[frame].prefix, pascal_case(&output.name.node));
        let value = self.in_frame(frame, |c| {
            c.context_id = context;
            c.eval(&output.value)
        });
        self.in_progress.pop();
        self.frames[frame].outputs.insert(index, Memo::Done(value.clone()));
        value
    }

    /// The value with every construct instance in it replaced by its
    /// `@primary` output; instances without one stay (and are reported
    /// where they are used). `span` is where the value is used.
    pub(super) fn instances_as_values(&mut self, value: Val, span: Span) -> Val {
        match value {
            Val::Instance(instance) => match instance.primary {
                Some(index) => {
                    let primary = self.instance_output(&instance, index, span);
                    self.instances_as_values(primary, span)
                }
                None => Val::Instance(instance),
            },
            Val::List(items) => Val::List(items.into_iter().map(|item| self.instances_as_values(item, span)).collect()),
            Val::Object(entries) => {
                Val::Object(entries.into_iter().map(|(k, v)| (k, self.instances_as_values(v, span))).collect())
            }
            other => other,
        }
    }

    /// [`Checker::instances_as_values`] for the value of `expr`: each
    /// instance is read where the source spells it out.
    pub(super) fn instances_as_values_in(&mut self, value: Val, expr: &ast::Expr) -> Val {
        match (value, &expr.node) {
            (Val::List(items), ExprKind::List(exprs)) if items.len() == exprs.len() => Val::List(
                items.into_iter().zip(exprs).map(|(item, expr)| self.instances_as_values_in(item, expr)).collect(),
            ),
            (Val::Object(entries), ExprKind::Object(properties)) => Val::Object(
                entries
                    .into_iter()
                    .map(|(key, item)| {
                        let value = match properties.iter().find(|p| p.key.node == key) {
                            Some(property) => self.instances_as_values_in(item, &property.value),
                            None => self.instances_as_values(item, expr.span),
                        };
                        (key, value)
                    })
                    .collect(),
            ),
            (value, _) => self.instances_as_values(value, expr.span),
        }
    }

    /// The output `index` of an instance, read at `span`: evaluated in the
    /// instance's frame, imported from the stack that holds the instance,
    /// or the attribute an existing resource's description gives.
    pub(super) fn instance_output(&mut self, instance: &InstanceValue, index: usize, span: Span) -> Val {
        let name = instance.outputs.iter().find(|(_, i)| *i == index).map_or("", |(n, _)| n.as_str());
        match &instance.source {
            InstanceSource::Expanded { frame } => self.output_value(*frame, index),
            InstanceSource::Imported { inner, producer, path } => {
                let value = self.instance_output(inner, index, span);
                if self.stack_index() == Some(*producer) {
                    return value;
                }
                let mut path: Vec<&str> = path.iter().map(String::as_str).collect();
                path.push(name);
                self.import_from(*producer, &path, value, span)
            }
            InstanceSource::Existing { attributes, declared, misspelt } => {
                match attributes.iter().find(|(attribute, _)| attribute == name) {
                    Some((_, value)) => value.clone(),
                    None if *misspelt => Val::Error,
                    None => {
                        if let Some(value) = self.derived_output(instance, index, attributes) {
                            return value;
                        }
                        let given: Vec<&str> = attributes.iter().map(|(n, _)| n.as_str()).collect();
                        self.report(diag::existing_attribute_not_given(
                            span,
                            &instance.name,
                            &instance.construct,
                            name,
                            &given,
                            *declared,
                        ));
                        Val::Error
                    }
                }
            }
        }
    }

    /// The user's code behind `span`: itself, or, in the standard library,
    /// the innermost instance the user declared around the current frame.
    pub(super) fn user_span(&self, span: Span) -> Span {
        if !self.in_library(span) {
            return span;
        }
        let mut current = self.frame;
        while let FrameKind::Instance { parent, declared, .. } = &self.frames[current].kind {
            if !self.in_library(*declared) {
                return *declared;
            }
            current = *parent;
        }
        span
    }

    fn emit_output(&mut self, frame: FrameId, index: usize, item: &'a ast::Item, output: &'a ast::Output) {
        if !self.frames[frame].params_are_cfn() {
            // A construct's output is an attribute of its instances, perhaps
            // read (and so evaluated) already.
            self.output_value(frame, index);
            return;
        }
        let Some(stack) = self.frames[frame].stack else { return };
        let built = self.in_frame(frame, |c| c.output(item, output));
        if let Some(built) = built {
            self.stacks[stack].outputs.push((built, output.name.clone()));
        }
    }

    /// A stack-level output.
    fn output(&mut self, item: &'a ast::Item, output: &ast::Output) -> Option<hir::Output> {
        let logical_id = self.logical_id(item, &output.name);
        self.context_id = logical_id.clone();
        let options = self.output_options(item);
        if options.omitted {
            return None;
        }
        let value = self.eval(&output.value);
        let value = self.instances_as_values_in(value, &output.value);
        self.forbid_instances(&value, &output.value);
        let value = match value {
            Val::Number(n) => Val::Str(n.to_string()),
            Val::Bool(b) => Val::Str(b.to_string()),
            other => other,
        };
        match value.ty() {
            Ty::List(_) | Ty::Object | Ty::Null if !value.contains_error() => {
                self.report(diag::output_not_a_string(output.value.span, &value.kind()));
            }
            _ => {}
        }
        let value = self.lower(&value);
        let provenance = self.provenance(self.frame, &output.name, None);
        Some(hir::Output {
            logical_id,
            description: options.description.or_else(|| item.doc.clone()),
            value,
            export_name: options.export_name,
            condition: options.condition,
            provenance,
        })
    }

    /// A construct instance is not a value CloudFormation can hold. The
    /// label goes on the innermost expression the source spells out.
    pub(super) fn forbid_instances(&mut self, value: &Val, expr: &ast::Expr) {
        match (value, &expr.node) {
            (Val::Instance(instance), _) => {
                let outputs: Vec<&str> = instance.outputs.iter().map(|(n, _)| n.as_str()).collect();
                self.report(diag::instance_as_value(expr.span, &instance.name, &instance.construct, &outputs));
            }
            (Val::List(items), ast::ExprKind::List(exprs)) if items.len() == exprs.len() => {
                items.iter().zip(exprs).for_each(|(item, expr)| self.forbid_instances(item, expr));
            }
            (Val::Object(entries), ast::ExprKind::Object(properties)) => {
                for (key, item) in entries {
                    match properties.iter().find(|p| p.key.node == *key) {
                        Some(property) => self.forbid_instances(item, &property.value),
                        None => self.forbid_instances(item, expr),
                    }
                }
            }
            (Val::List(items), _) => items.iter().for_each(|item| self.forbid_instances(item, expr)),
            (Val::Object(entries), _) => entries.iter().for_each(|(_, item)| self.forbid_instances(item, expr)),
            _ => {}
        }
    }

    /// Adds inherited tags to a resource whose type takes tags, in the shape
    /// the type wants; tags the resource sets itself win.
    fn apply_tags(&mut self, cfn_type: &str, properties: &mut Vec<(String, hir::Value)>, tags: &[(String, Val)]) {
        if tags.is_empty() {
            return;
        }
        let Some(resource) = schema::resource_type(cfn_type) else { return };
        let Some(property) = resource.tag_property.clone() else { return };
        // Inner tags override outer ones with the same key.
        let mut merged: Vec<(String, hir::Value)> = Vec::new();
        for (key, value) in tags {
            let value = self.lower(value);
            match merged.iter_mut().find(|(k, _)| k == key) {
                Some(entry) => entry.1 = value,
                None => merged.push((key.clone(), value)),
            }
        }
        let existing = properties.iter().position(|(k, _)| *k == property);
        match resource.tagging {
            schema::Tagging::List => {
                let mut own: Vec<hir::Value> = match existing.map(|i| &properties[i].1) {
                    Some(hir::Value::List(items)) => items.clone(),
                    None => Vec::new(),
                    // Tags computed at deploy time cannot be merged with.
                    Some(_) => return,
                };
                let own_keys: Vec<String> = own
                    .iter()
                    .filter_map(|tag| match tag {
                        hir::Value::Object(fields) => {
                            fields.iter().find(|(k, _)| k == "Key").and_then(|(_, v)| match v {
                                hir::Value::String(s) => Some(s.clone()),
                                _ => None,
                            })
                        }
                        _ => None,
                    })
                    .collect();
                let mut list: Vec<hir::Value> = merged
                    .into_iter()
                    .filter(|(key, _)| !own_keys.contains(key))
                    .map(|(key, value)| {
                        let mut tag = vec![("Key".to_string(), hir::Value::String(key)), ("Value".to_string(), value)];
                        // An Auto Scaling group's tags say whether instances inherit them.
                        if cfn_type == "AWS::AutoScaling::AutoScalingGroup" {
                            tag.push(("PropagateAtLaunch".to_string(), hir::Value::Bool(true)));
                        }
                        hir::Value::Object(tag)
                    })
                    .collect();
                list.append(&mut own);
                self.set_property(properties, existing, property, hir::Value::List(list));
            }
            schema::Tagging::Map => {
                let mut own: Vec<(String, hir::Value)> = match existing.map(|i| &properties[i].1) {
                    Some(hir::Value::Object(fields)) => fields.clone(),
                    None => Vec::new(),
                    Some(_) => return,
                };
                let mut map: Vec<(String, hir::Value)> =
                    merged.into_iter().filter(|(key, _)| !own.iter().any(|(k, _)| k == key)).collect();
                map.append(&mut own);
                self.set_property(properties, existing, property, hir::Value::Object(map));
            }
            schema::Tagging::None | schema::Tagging::Other => {}
        }
    }

    fn set_property(
        &self,
        properties: &mut Vec<(String, hir::Value)>,
        existing: Option<usize>,
        name: String,
        value: hir::Value,
    ) {
        match existing {
            Some(index) => properties[index].1 = value,
            None => properties.push((name, value)),
        }
    }
}

/// A construct's outputs by name, with the index of the item declaring each:
/// what an instance, or an `existing` description, of the construct offers.
pub(super) fn output_indices(items: &[ast::Item]) -> Vec<(String, usize)> {
    items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| match &item.kind {
            ItemKind::Output(output) => Some((output.name.node.clone(), i)),
            _ => None,
        })
        .collect()
}
