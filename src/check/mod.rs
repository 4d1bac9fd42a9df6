//! The checker: names, types and values. Turns one file's syntax tree into a
//! [`hir::Stack`] and reports what is wrong with it.
//!
//! **Invariant:** the checker never builds template JSON (that is the
//! backend's job) and never stops at the first error: a failed computation
//! yields [`Val::Error`], which later steps pass over silently.

mod decorators;
mod eval;
pub mod hir;
mod schema_check;
mod value;

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use crate::diagnostics::{builder as diag, Diagnostic};
use crate::source::Span;
use crate::syntax::ast::{self, ItemKind, ResourceType};
use value::{Cond, CondNode, Ty, Val};

/// Checks one file as one stack named `stack_name`.
///
/// Always returns a stack; it is complete only when no diagnostic is an
/// error.
pub fn check(file: &ast::File, stack_name: &str, options: &crate::Options) -> (hir::Stack, Vec<Diagnostic>) {
    let mut checker = Checker::new(file, options);
    checker.declare();
    let stack = checker.stack(stack_name);
    (stack, checker.diagnostics)
}

/// What a name in scope refers to: the index of its item in the file.
#[derive(Clone, Copy, Debug)]
enum Symbol {
    Param(usize),
    Let(usize),
    Resource(usize),
}

enum LetState {
    InProgress,
    Done(Val),
}

struct ParamInfo {
    logical_id: String,
    cfn_type: String,
    /// `None` when the declared type is unknown (already reported).
    ty: Option<Ty>,
}

pub(crate) struct Checker<'a> {
    file: &'a ast::File,
    options: crate::schema::validate::Options,
    symbols: HashMap<&'a str, Symbol>,
    /// Names declared more than once (already reported).
    duplicated: HashSet<&'a str>,
    diagnostics: Vec<Diagnostic>,
    params: HashMap<usize, ParamInfo>,
    used_params: HashSet<usize>,
    lets: HashMap<usize, LetState>,
    /// Lets being evaluated, innermost last: a cycle shows up here.
    let_stack: Vec<usize>,
    resource_ids: HashMap<usize, String>,
    /// CloudFormation type by logical ID, for schema checks of references.
    resource_types: HashMap<String, String>,
    /// Resources left out by `@when(false)`, with the decorator's span.
    disabled: HashMap<usize, Span>,
    conditions: Vec<hir::Condition>,
    /// Logical ID of the declaration being checked; names the conditions it
    /// generates.
    context_id: String,
}

/// `logs_arn` -> `LogsArn`; `cats-vs-dogs` -> `CatsVsDogs`.
pub fn pascal_case(name: &str) -> String {
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map_or(String::new(), |first| first.to_ascii_uppercase().to_string() + chars.as_str())
        })
        .collect()
}

fn is_valid_logical_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 255 && id.chars().all(|c| c.is_ascii_alphanumeric())
}

impl<'a> Checker<'a> {
    fn new(file: &'a ast::File, options: &crate::Options) -> Self {
        Checker {
            file,
            options: crate::schema::validate::Options { regions: options.regions.clone() },
            symbols: HashMap::new(),
            duplicated: HashSet::new(),
            diagnostics: Vec::new(),
            params: HashMap::new(),
            used_params: HashSet::new(),
            lets: HashMap::new(),
            let_stack: Vec::new(),
            resource_ids: HashMap::new(),
            resource_types: HashMap::new(),
            disabled: HashMap::new(),
            conditions: Vec::new(),
            context_id: String::new(),
        }
    }

    fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// Puts every declaration's name in scope, reporting duplicates.
    fn declare(&mut self) {
        let mut outputs: HashMap<&str, Span> = HashMap::new();
        let mut first_spans: HashMap<&str, Span> = HashMap::new();
        for (index, item) in self.file.items.iter().enumerate() {
            let Some(name) = item.kind.name() else { continue };
            let symbol = match &item.kind {
                ItemKind::Param(_) => Symbol::Param(index),
                ItemKind::Let(_) => Symbol::Let(index),
                ItemKind::Resource(_) => Symbol::Resource(index),
                ItemKind::Output(_) => {
                    // Outputs are not referable, so they have their own namespace.
                    match outputs.get(name.node.as_str()) {
                        Some(first) => self.report(diag::duplicate_declaration(name.span, &name.node, *first)),
                        None => {
                            outputs.insert(&name.node, name.span);
                        }
                    }
                    continue;
                }
                ItemKind::Error => continue,
            };
            match first_spans.get(name.node.as_str()) {
                Some(first) => {
                    self.report(diag::duplicate_declaration(name.span, &name.node, *first));
                    self.duplicated.insert(&name.node);
                }
                None => {
                    first_spans.insert(&name.node, name.span);
                    self.symbols.insert(&name.node, symbol);
                }
            }
        }
    }

    fn stack(&mut self, stack_name: &str) -> hir::Stack {
        let file = self.file;
        // Parameters' types and every resource's logical ID come first:
        // any expression may refer to them.
        for (index, item) in file.items.iter().enumerate() {
            match &item.kind {
                ItemKind::Param(param) if self.is_declaration(index, &param.name) => {
                    let info = self.param_info(param);
                    self.params.insert(index, info);
                }
                ItemKind::Resource(resource) if self.is_declaration(index, &resource.name) => {
                    let id = self.logical_id(item, &resource.name);
                    if let ResourceType::Cfn(cfn_type) = &resource.ty.node {
                        self.resource_types.insert(id.clone(), cfn_type.clone());
                    }
                    self.resource_ids.insert(index, id);
                }
                _ => {}
            }
        }
        // Which resources `@when` leaves out must be known before anything
        // refers to them.
        let mut resource_conditions = HashMap::new();
        for (index, item) in file.items.iter().enumerate() {
            if let ItemKind::Resource(_) = &item.kind {
                if let Some(id) = self.resource_ids.get(&index).cloned() {
                    self.context_id = id;
                    if let Some(condition) = self.when_condition(item, index) {
                        resource_conditions.insert(index, condition);
                    }
                }
            }
        }

        let mut parameters = Vec::new();
        let mut resources = Vec::new();
        let mut outputs = Vec::new();
        let mut output_names = Vec::new();
        for (index, item) in file.items.iter().enumerate() {
            match &item.kind {
                ItemKind::Param(param) if self.params.contains_key(&index) => {
                    parameters.push(self.parameter(index, item, param));
                }
                ItemKind::Let(let_) if self.is_declaration(index, &let_.name) => {
                    self.check_no_decorators(item);
                    self.let_value(index, let_.name.span);
                }
                // `@when(false)` leaves a resource out: its body is not even checked.
                ItemKind::Resource(resource)
                    if self.resource_ids.contains_key(&index) && !self.disabled.contains_key(&index) =>
                {
                    let condition = resource_conditions.remove(&index);
                    if let Some(r) = self.resource(index, item, resource, condition) {
                        resources.push((r, resource.name.clone()));
                    }
                }
                // A second output of the same name was reported as a duplicate.
                ItemKind::Output(output) if !output_names.iter().any(|n: &ast::Ident| n.node == output.name.node) => {
                    if let Some(o) = self.output(item, output) {
                        outputs.push(o);
                        output_names.push(output.name.clone());
                    }
                }
                _ => {}
            }
        }

        // With two declarations behind one logical ID, references are ambiguous
        // and a cycle found through them would be noise.
        if !self.check_logical_ids(&outputs, &output_names) {
            self.check_resource_cycles(&resources);
        }
        for (&index, _) in &self.params {
            let name = file.items[index].kind.name().map_or("", |n| n.node.as_str());
            if !self.used_params.contains(&index) && !self.duplicated.contains(name) {
                if let Some(name) = file.items[index].kind.name() {
                    self.diagnostics.push(diag::unused_parameter(name.span, &name.node));
                }
            }
        }
        hir::Stack {
            name: stack_name.to_string(),
            description: file.doc.clone(),
            parameters,
            conditions: std::mem::take(&mut self.conditions),
            resources: resources.into_iter().map(|(r, _)| r).collect(),
            outputs,
        }
    }

    /// Whether the item at `index` is the declaration `name` resolves to
    /// (not a duplicate that was reported).
    fn is_declaration(&self, index: usize, name: &ast::Ident) -> bool {
        matches!(self.symbols.get(name.node.as_str()),
            Some(Symbol::Param(i) | Symbol::Let(i) | Symbol::Resource(i)) if *i == index)
    }

    fn logical_id(&mut self, item: &ast::Item, name: &ast::Ident) -> String {
        let explicit = item.decorators.iter().find(|d| d.name.node == "logical_id");
        match explicit.and_then(|d| d.args.first()) {
            Some(arg) => match &arg.node {
                ast::ExprKind::Str(parts) => match parts.as_slice() {
                    [ast::StrPart::Text(text)] => text.clone(),
                    [] => String::new(),
                    _ => {
                        self.report(diag::not_compile_time(arg.span, "a logical ID", None));
                        pascal_case(&name.node)
                    }
                },
                _ => {
                    self.report(diag::type_mismatch(arg.span, "a string literal", "an expression"));
                    pascal_case(&name.node)
                }
            },
            None => pascal_case(&name.node),
        }
    }

    fn param_value(&mut self, index: usize) -> Val {
        self.used_params.insert(index);
        let Some(info) = self.params.get(&index) else { return Val::Error };
        let name = self.file.items[index].kind.name().map_or("", |n| n.node.as_str());
        let origin = format!("the parameter `{name}`");
        let reference = hir::Value::intrinsic(hir::Intrinsic::Ref(info.logical_id.clone()));
        match &info.ty {
            // A `bool` parameter is the string "true" or "false".
            Some(Ty::Bool) => Val::Cond(Rc::new(Cond {
                name: None,
                node: CondNode::Equals(reference.clone(), hir::Value::String("true".to_string())),
                as_value: Some(reference),
                origin,
            })),
            Some(ty) => Val::Deploy(value::Deploy { ty: ty.clone(), value: reference, origin }),
            None => Val::Error,
        }
    }

    fn let_value(&mut self, index: usize, use_span: Span) -> Val {
        match self.lets.get(&index) {
            Some(LetState::Done(value)) => return value.clone(),
            Some(LetState::InProgress) => {
                let start = self.let_stack.iter().position(|&i| i == index).unwrap_or(0);
                let cycle: Vec<(String, Span)> = self.let_stack[start..]
                    .iter()
                    .filter_map(|&i| self.file.items[i].kind.name().map(|n| (n.node.clone(), n.span)))
                    .collect();
                // Report the cycle once, from the let where it was entered.
                if !cycle.is_empty()
                    && !self
                        .diagnostics
                        .iter()
                        .any(|d| d.primary.span == cycle[0].1 && d.code == crate::diagnostics::Code::ReferenceCycle)
                {
                    self.report(diag::reference_cycle(&cycle));
                }
                let _ = use_span;
                return Val::Error;
            }
            None => {}
        }
        let ItemKind::Let(let_) = &self.file.items[index].kind else { return Val::Error };
        self.lets.insert(index, LetState::InProgress);
        self.let_stack.push(index);
        let id = pascal_case(&let_.name.node);
        let saved_context = std::mem::replace(&mut self.context_id, id.clone());
        let mut value = self.eval(&let_.value);
        self.context_id = saved_context;
        self.let_stack.pop();
        // A condition bound by a `let` is named after it and emitted once.
        if let Val::Cond(cond) = &value {
            if cond.name.is_none() && cond.as_value.is_none() {
                let named =
                    Cond { name: Some(id), node: clone_node(&cond.node), as_value: None, origin: cond.origin.clone() };
                value = Val::Cond(Rc::new(named));
            }
        }
        self.lets.insert(index, LetState::Done(value.clone()));
        value
    }

    /// The logical ID to refer to a resource by, unless `@when(false)` left
    /// it out.
    fn resource_reference(&mut self, index: usize, span: Span) -> Option<String> {
        if let Some(&when) = self.disabled.get(&index) {
            let name = self.file.items[index].kind.name().map_or("", |n| n.node.as_str()).to_string();
            self.report(diag::disabled_resource(span, &name, when));
            return None;
        }
        self.resource_ids.get(&index).cloned()
    }

    /// Turns a checked value into template data, naming the conditions it
    /// needs.
    fn lower(&mut self, value: &Val) -> hir::Value {
        match value {
            Val::Null | Val::Error => hir::Value::Null,
            Val::Bool(b) => hir::Value::Bool(*b),
            Val::Number(n) => hir::Value::Number(n.clone()),
            Val::Str(s) => hir::Value::String(s.clone()),
            Val::List(items) => hir::Value::List(items.iter().map(|i| self.lower(i)).collect()),
            Val::Object(entries) => {
                hir::Value::Object(entries.iter().map(|(k, v)| (k.clone(), self.lower(v))).collect())
            }
            Val::Deploy(deploy) => deploy.value.clone(),
            Val::Cond(cond) => match &cond.as_value {
                Some(value) => value.clone(),
                None => {
                    let name = self.condition_name(cond);
                    hir::Value::intrinsic(hir::Intrinsic::If(name, hir::Value::Bool(true), hir::Value::Bool(false)))
                }
            },
        }
    }

    /// The logical ID of the condition for `cond`, registering it (and the
    /// named conditions it uses) on first use.
    fn condition_name(&mut self, cond: &Rc<Cond>) -> String {
        if let Some(name) = &cond.name {
            if !self.conditions.iter().any(|c| c.logical_id == *name) {
                let expr = self.lower_condition(cond);
                self.conditions.push(hir::Condition { logical_id: name.clone(), expr });
            }
            return name.clone();
        }
        let expr = self.lower_condition(cond);
        // The same test written twice is one condition.
        if let Some(existing) = self.conditions.iter().find(|c| c.expr == expr) {
            return existing.logical_id.clone();
        }
        let base = format!("{}Condition", self.context_id);
        let mut name = base.clone();
        let mut n = 2;
        while self.conditions.iter().any(|c| c.logical_id == name) {
            name = format!("{base}{n}");
            n += 1;
        }
        self.conditions.push(hir::Condition { logical_id: name.clone(), expr });
        name
    }

    fn lower_condition(&mut self, cond: &Cond) -> hir::CondExpr {
        let nested = |checker: &mut Self, inner: &Rc<Cond>| match inner.name {
            Some(_) => hir::CondExpr::Condition(checker.condition_name(inner)),
            None => checker.lower_condition(inner),
        };
        match &cond.node {
            CondNode::Equals(a, b) => hir::CondExpr::Equals(a.clone(), b.clone()),
            CondNode::Not(inner) => hir::CondExpr::Not(Box::new(nested(self, inner))),
            CondNode::And(parts) => hir::CondExpr::And(parts.iter().map(|p| nested(self, p)).collect()),
            CondNode::Or(parts) => hir::CondExpr::Or(parts.iter().map(|p| nested(self, p)).collect()),
        }
    }

    fn resource(
        &mut self,
        index: usize,
        item: &'a ast::Item,
        resource: &ast::Resource,
        condition: Option<String>,
    ) -> Option<hir::Resource> {
        let logical_id = self.resource_ids[&index].clone();
        self.context_id = logical_id.clone();
        let cfn_type = match &resource.ty.node {
            ResourceType::Cfn(name) => name.clone(),
            ResourceType::Path(path) => {
                self.report(diag::unknown_construct(resource.ty.span, &path.join(".")));
                String::new()
            }
        };
        let body = self.eval(&resource.body);
        if let ResourceType::Cfn(name) = &resource.ty.node {
            self.check_against_schema(name, resource.ty.span, &resource.body, &body);
        }
        let properties = match body {
            Val::Object(entries) => entries
                .iter()
                .filter(|(_, v)| !matches!(v, Val::Null))
                .map(|(k, v)| (k.clone(), self.lower(v)))
                .collect(),
            Val::Error => Vec::new(),
            other => {
                self.report(diag::type_mismatch(
                    resource.body.span,
                    "an object of properties",
                    &other.ty().to_string(),
                ));
                Vec::new()
            }
        };
        let options = self.resource_decorators(item);
        Some(hir::Resource {
            logical_id,
            cfn_type,
            properties,
            depends_on: options.depends_on,
            condition,
            deletion_policy: options.deletion_policy,
            update_replace_policy: options.update_replace_policy,
        })
    }

    fn output(&mut self, item: &'a ast::Item, output: &ast::Output) -> Option<hir::Output> {
        let logical_id = pascal_case(&output.name.node);
        self.context_id = logical_id.clone();
        let options = self.output_decorators(item);
        if options.omitted {
            return None;
        }
        let value = self.eval(&output.value);
        let value = match value {
            Val::Number(n) => Val::Str(n.to_string()),
            Val::Bool(b) => Val::Str(b.to_string()),
            other => other,
        };
        match value.ty() {
            Ty::List(_) | Ty::Object | Ty::Null if !value.contains_error() => {
                self.report(
                    diag::type_mismatch(output.value.span, "a string", &value.ty().to_string())
                        .with_help("CloudFormation outputs are strings; for a list, use `join(\",\", ...)`"),
                );
            }
            _ => {}
        }
        let value = self.lower(&value);
        Some(hir::Output {
            logical_id,
            description: options.description.or_else(|| item.doc.clone()),
            value,
            export_name: options.export_name,
            condition: options.condition,
        })
    }

    fn check_resource_cycles(&mut self, resources: &[(hir::Resource, ast::Ident)]) {
        let index_of: HashMap<&str, usize> =
            resources.iter().enumerate().map(|(i, (r, _))| (r.logical_id.as_str(), i)).collect();
        let edges: Vec<Vec<usize>> = resources
            .iter()
            .map(|(resource, _)| {
                let mut targets = Vec::new();
                for (_, value) in &resource.properties {
                    value.for_each_reference(&mut |id| targets.extend(index_of.get(id)));
                }
                targets.extend(resource.depends_on.iter().filter_map(|id| index_of.get(id.as_str())));
                targets.sort_unstable();
                targets.dedup();
                targets
            })
            .collect();
        // Depth-first search; a back edge closes a cycle.
        #[derive(Clone, Copy, PartialEq)]
        enum Mark {
            New,
            Active,
            Done,
        }
        let mut marks = vec![Mark::New; resources.len()];
        let mut cycles: Vec<Vec<usize>> = Vec::new();
        for root in 0..resources.len() {
            if marks[root] != Mark::New {
                continue;
            }
            let mut path = vec![root];
            let mut next_edge = vec![0usize];
            marks[root] = Mark::Active;
            while let Some(&node) = path.last() {
                let edge = next_edge.last_mut().expect("one cursor per path entry");
                if let Some(&target) = edges[node].get(*edge) {
                    *edge += 1;
                    match marks[target] {
                        Mark::New => {
                            marks[target] = Mark::Active;
                            path.push(target);
                            next_edge.push(0);
                        }
                        Mark::Active => {
                            let start = path.iter().position(|&n| n == target).unwrap_or(0);
                            cycles.push(path[start..].to_vec());
                        }
                        Mark::Done => {}
                    }
                } else {
                    marks[node] = Mark::Done;
                    path.pop();
                    next_edge.pop();
                }
            }
        }
        for cycle in cycles {
            let members: Vec<(String, Span)> =
                cycle.iter().map(|&i| (resources[i].1.node.clone(), resources[i].1.span)).collect();
            self.report(diag::reference_cycle(&members));
        }
    }

    /// Logical IDs must be valid and unique: parameters and resources share
    /// one namespace, outputs have their own.
    /// Returns whether two declarations collide.
    fn check_logical_ids(&mut self, outputs: &[hir::Output], output_names: &[ast::Ident]) -> bool {
        let mut collided = false;
        let mut ids: Vec<(String, &ast::Ident)> = Vec::new();
        for (index, item) in self.file.items.iter().enumerate() {
            let Some(name) = item.kind.name() else { continue };
            let id = match &item.kind {
                ItemKind::Param(_) => self.params.get(&index).map(|p| p.logical_id.clone()),
                ItemKind::Resource(_) => self.resource_ids.get(&index).cloned(),
                _ => None,
            };
            if let Some(id) = id {
                ids.push((id, name));
            }
        }
        let output_ids: Vec<(String, &ast::Ident)> =
            outputs.iter().zip(output_names).map(|(o, name)| (o.logical_id.clone(), name)).collect();
        for namespace in [ids, output_ids] {
            let mut seen: HashMap<&str, Span> = HashMap::new();
            for (id, name) in &namespace {
                if !is_valid_logical_id(id) {
                    self.diagnostics.push(diag::invalid_logical_id(name.span, &name.node, id));
                } else if let Some(first) = seen.get(id.as_str()) {
                    self.diagnostics.push(diag::logical_id_collision(name.span, id, *first));
                    collided = true;
                } else {
                    seen.insert(id, name.span);
                }
            }
        }
        collided
    }
}

fn clone_node(node: &CondNode) -> CondNode {
    match node {
        CondNode::Equals(a, b) => CondNode::Equals(a.clone(), b.clone()),
        CondNode::Not(inner) => CondNode::Not(inner.clone()),
        CondNode::And(parts) => CondNode::And(parts.clone()),
        CondNode::Or(parts) => CondNode::Or(parts.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::pascal_case;

    #[test]
    fn pascal_case_names() {
        assert_eq!(pascal_case("logs_arn"), "LogsArn");
        assert_eq!(pascal_case("cats-vs-dogs"), "CatsVsDogs");
        assert_eq!(pascal_case("net"), "Net");
        assert_eq!(pascal_case("myBucket"), "MyBucket");
        assert_eq!(pascal_case("_"), "");
    }
}
