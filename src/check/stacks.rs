//! Whole-stack checks and the links between stacks: logical IDs, resource
//! cycles, unused parameters, exports for cross-stack references, and the
//! order stacks deploy in.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use super::value::{Deploy, InstanceSource, InstanceValue, Ty, Val};
use super::{pascal_case, Checker};
use crate::diagnostics::builder as diag;
use crate::diagnostics::facts::Origin;
use crate::hir;
use crate::source::Span;

impl Checker<'_> {
    /// A value of stack `producer` used in the current stack: compile-time
    /// values are copied; deploy-time ones are exported by the producer and
    /// imported here. `path` names the value (`net`, `Arn`) for the export.
    pub(super) fn import_from(&mut self, producer: usize, path: &[&str], value: Val, span: Span) -> Val {
        if value.contains_error() || value.is_compile_time() {
            return value;
        }
        let Some(consumer) = self.stack_index() else { return Val::Error };
        // A list or object (the resources of a loop) crosses item by item.
        match value {
            Val::List(items) => {
                let imported = items.into_iter().enumerate().map(|(i, item)| {
                    let key = i.to_string();
                    let mut path = path.to_vec();
                    path.push(&key);
                    self.import_from(producer, &path, item, span)
                });
                return Val::List(imported.collect());
            }
            Val::Object(entries) => {
                let imported = entries.into_iter().map(|(key, item)| {
                    let mut path = path.to_vec();
                    path.push(&key);
                    let value = self.import_from(producer, &path, item, span);
                    (key, value)
                });
                return Val::Object(imported.collect());
            }
            // An instance crosses as itself: each output read where it is
            // used is exported then (`Network-Net-PrivateSubnetIds-0`).
            Val::Instance(instance) => {
                // One read through another stack already imports from the
                // stack that holds the instance.
                if matches!(instance.source, InstanceSource::Imported { .. }) {
                    return Val::Instance(instance);
                }
                return Val::Instance(Rc::new(InstanceValue {
                    construct: instance.construct.clone(),
                    kind: instance.kind,
                    name: instance.name.clone(),
                    outputs: instance.outputs.clone(),
                    primary: instance.primary,
                    source: InstanceSource::Imported {
                        inner: instance.clone(),
                        producer,
                        path: path.iter().map(|p| p.to_string()).collect(),
                    },
                }));
            }
            _ => {}
        }
        let (exported, ty) = match &value {
            Val::Resource(_) => (self.lower(&value), Ty::String),
            Val::Deploy(Deploy { ty: Ty::List(item), .. }) => {
                // Exports are strings: a list travels joined.
                let list = self.lower(&value);
                (hir::Value::intrinsic(hir::Intrinsic::Join(",".into(), list)), Ty::List(item.clone()))
            }
            Val::Deploy(deploy) => (deploy.value.clone(), deploy.ty.clone()),
            _ => {
                self.report(diag::cross_stack_value(span, &self.stacks[producer].name, &value.kind()));
                return Val::Error;
            }
        };
        let producer_name = self.stacks[producer].name.clone();
        let readable: Vec<String> = path.iter().map(|p| pascal_case(p)).collect();
        let export_name = format!("{producer_name}-{}", readable.join("-"));
        let output_id = format!("Export{}", readable.join(""));
        let shown_at = self.user_span(span);
        let stack = &mut self.stacks[producer];
        if !stack.exports.iter().any(|(_, name, _, _)| *name == export_name) {
            // Made for the reference that needs it, which is where it is shown.
            // A read inside a library construct is shown at the user's instance.
            let provenance = hir::Provenance {
                span: shown_at,
                path: format!("{producer_name}.{}", path.join(".")),
                ..Default::default()
            };
            stack.exports.push((output_id, export_name.clone(), exported, provenance));
        }
        self.stacks[consumer].depends_on.insert(producer);
        let import = hir::Value::intrinsic(hir::Intrinsic::ImportValue(hir::Value::String(export_name)));
        let origin = Origin::Stack(producer_name);
        let imported = match ty {
            Ty::List(_) => hir::Value::intrinsic(hir::Intrinsic::Split(",".into(), import)),
            _ => import,
        };
        Val::Deploy(Deploy { ty, value: imported, origin, choice: None })
    }

    /// Finishes every stack and returns them in deploy order.
    pub(super) fn finish(&mut self) -> Vec<hir::Stack> {
        for stack in 0..self.stacks.len() {
            let collided = self.check_logical_ids(stack);
            // With two declarations behind one logical ID, references are
            // ambiguous and a cycle found through them would be noise.
            if !collided {
                self.check_resource_cycles(stack);
                self.check_conditional_references(stack);
                self.check_slots(stack);
            }
        }
        self.check_export_names();
        self.check_sub_references();
        let mut unused: Vec<_> = self
            .params
            .keys()
            .filter(|decl| self.frames[decl.0].params_are_cfn() && !self.used_params.contains(decl))
            .copied()
            .collect();
        unused.sort_unstable();
        for decl in unused {
            let frame = decl.0;
            let Some(name) = self.item(decl).kind.name() else { continue };
            let bound = self.frames[frame].args.contains_key(&name.node);
            if !bound && !self.duplicated.contains(&(frame, name.node.as_str())) {
                self.report(diag::unused_parameter(name.span, &name.node));
            }
        }
        self.check_transforms_named();
        let order = self.deploy_order();
        let names: Vec<String> = self.stacks.iter().map(|s| s.name.clone()).collect();
        order
            .into_iter()
            .map(|index| {
                let stack = &mut self.stacks[index];
                let mut resources = std::mem::take(&mut stack.resources);
                resources.sort_by(|a, b| a.0.cmp(&b.0));
                let mut outputs: Vec<hir::Output> =
                    std::mem::take(&mut stack.outputs).into_iter().map(|(o, _)| o).collect();
                for (output_id, export_name, value, provenance) in std::mem::take(&mut stack.exports) {
                    outputs.push(hir::Output {
                        logical_id: output_id,
                        description: None,
                        value,
                        export_name: Some(hir::Value::String(export_name)),
                        condition: None,
                        provenance,
                    });
                }
                let resources: Vec<hir::Resource> = resources.into_iter().map(|(_, r, _)| r).collect();
                let parameters = std::mem::take(&mut stack.parameters);
                let rules = std::mem::take(&mut stack.rules).into_iter().map(|(rule, _)| rule).collect();
                let transforms = std::mem::take(&mut stack.transforms);
                let globals = stack.globals.take();
                let description = stack.description.clone();
                let metadata = std::mem::take(&mut stack.metadata);
                let depends_on = stack.depends_on.iter().map(|&d| names[d].clone()).collect();
                let (name, source) = (stack.name.clone(), stack.name_span.file);
                let (conditions, mappings) = self.declarations_named(index, &resources, &outputs, globals.as_ref());
                hir::Stack {
                    name,
                    source,
                    description,
                    metadata,
                    transforms,
                    globals,
                    parameters,
                    rules,
                    conditions,
                    mappings,
                    resources,
                    outputs,
                    depends_on,
                }
            })
            .collect()
    }

    /// Reports what a stack uses that needs a transform it does not name
    /// (by `@transform` or through a SAM type).
    fn check_transforms_named(&mut self) {
        let mut reports = Vec::new();
        for stack in &self.stacks {
            for &(feature, transform, span) in &stack.needs_transforms {
                if !stack.transforms.iter().any(|t| t == transform) {
                    reports.push(diag::transform_required(span, feature, transform));
                }
            }
        }
        for report in reports {
            self.report(report);
        }
    }

    /// Checks the `${NAME}` references of a `sub()` template: a variable of
    /// the call or a pseudo parameter now; a parameter or resource (its
    /// logical ID, as `Fn::Sub` wants it) once the stack is complete.
    pub(super) fn check_sub_names(&mut self, template: &str, variables: &[&str], span: Span) {
        let pseudo: Vec<&str> = super::eval::PSEUDO_PARAMETERS.iter().map(|(_, cfn, _)| *cfn).collect();
        for name in hir::sub_names(template).into_iter().map(str::trim) {
            let id = name.split('.').next().unwrap_or(name);
            if variables.contains(&name) {
                continue;
            }
            if name.is_empty() || id.starts_with("AWS::") {
                if !pseudo.contains(&name) {
                    let suggestion = crate::diagnostics::suggest::did_you_mean(name, pseudo.iter().copied());
                    self.report(diag::unknown_sub_name(span, name, suggestion));
                }
                continue;
            }
            // At module level the stack is not known yet: the name is
            // checked in every stack whose template holds this `Fn::Sub`.
            let reference =
                SubReference { stack: self.stack_index(), id: id.to_string(), template: template.to_string(), span };
            self.sub_references.push(reference);
        }
    }

    /// The logical IDs `sub()` templates name that are neither parameters
    /// nor resources of the stacks they end up in.
    fn check_sub_references(&mut self) {
        let mut reports = Vec::new();
        for reference in &self.sub_references {
            let stacks: Vec<usize> = match reference.stack {
                Some(stack) => vec![stack],
                None => (0..self.stacks.len()).filter(|&s| self.stack_holds_sub(s, &reference.template)).collect(),
            };
            for stack in stacks {
                let build = &self.stacks[stack];
                let known: Vec<&str> = build
                    .resources
                    .iter()
                    .map(|(_, r, _)| r.logical_id.as_str())
                    .chain(build.parameters.iter().map(|p| p.logical_id.as_str()))
                    .collect();
                if !known.contains(&reference.id.as_str()) {
                    let suggestion = crate::diagnostics::suggest::did_you_mean(&reference.id, known);
                    reports.push(diag::unknown_sub_name(reference.span, &reference.id, suggestion));
                }
            }
        }
        reports.dedup();
        for report in reports {
            self.report(report);
        }
    }

    /// Whether a stack's resources or outputs hold an `Fn::Sub` of this template.
    fn stack_holds_sub(&self, stack: usize, template: &str) -> bool {
        let build = &self.stacks[stack];
        let values =
            build.resources.iter().flat_map(|(_, r, _)| r.values()).chain(build.outputs.iter().map(|(o, _)| &o.value));
        let mut found = false;
        for value in values {
            value.visit(&mut |node| {
                if let hir::Value::Intrinsic(intrinsic) = node {
                    if let hir::Intrinsic::Sub(text, _) = intrinsic.as_ref() {
                        found |= text == template;
                    }
                }
            });
        }
        found
    }

    /// Export names are unique in an account and region: two outputs of
    /// the build may not export the same one. A name built from the stack's
    /// own name (`${AWS::StackName}`) can only collide within its stack.
    fn check_export_names(&mut self) {
        // The name as far as it is known: its text when it is constant
        // (unique across the build), its template otherwise (within a stack).
        let mut seen: Vec<(Option<usize>, hir::Value, Span)> = Vec::new();
        let mut reports = Vec::new();
        for (index, stack) in self.stacks.iter().enumerate() {
            let user = stack.outputs.iter().filter_map(|(output, name)| Some((output.export_name.clone()?, name.span)));
            let generated =
                stack.exports.iter().map(|(_, name, _, _)| (hir::Value::String(name.clone()), stack.name_span));
            for (name, span) in user.chain(generated) {
                let scope = match name {
                    hir::Value::String(_) => None,
                    _ => Some(index),
                };
                match seen.iter().find(|(s, n, _)| *n == name && (s.is_none() || *s == scope)) {
                    Some((_, _, first)) => reports.push(diag::duplicate_export(span, *first)),
                    None => seen.push((scope, name, span)),
                }
            }
        }
        for report in reports {
            self.report(report);
        }
    }

    /// The conditions and mappings a template names, in the program's
    /// order: a stack declares exactly what its resources and outputs use,
    /// wherever in the program the value was computed.
    fn declarations_named(
        &self,
        stack: usize,
        resources: &[hir::Resource],
        outputs: &[hir::Output],
        globals: Option<&hir::Value>,
    ) -> (Vec<hir::Condition>, Vec<(String, hir::Value)>) {
        let mut used = Used::default();
        globals.into_iter().for_each(|value| used.value(value));
        for resource in resources {
            used.condition(resource.condition.as_deref());
            resource.values().for_each(|value| used.value(value));
        }
        for output in outputs {
            used.condition(output.condition.as_deref());
            used.value(&output.value);
            output.export_name.iter().for_each(|value| used.value(value));
        }
        // The program's conditions and mappings this template may use.
        let visible = |scope: &Option<usize>| super::may_share_template(*scope, Some(stack));
        // Conditions use other conditions, and may read tables.
        while let Some(name) = used.pending.pop() {
            let found = self.conditions.iter().find(|(scope, c)| c.logical_id == name && visible(scope));
            let Some((_, condition)) = found else { continue };
            condition.expr.for_each_condition(&mut |name| used.condition(Some(name)));
            condition.expr.for_each_value(&mut |value| used.value(value));
        }
        let conditions = self
            .conditions
            .iter()
            .filter(|(scope, c)| visible(scope) && used.conditions.contains(&c.logical_id))
            .map(|(_, c)| c.clone());
        let mappings = self
            .mappings
            .iter()
            .filter(|(scope, name, _)| visible(scope) && used.mappings.contains(name))
            .map(|(_, name, table)| (name.clone(), table.clone()));
        (conditions.collect(), mappings.collect())
    }

    /// Stacks after the stacks they import from; a cycle is reported and
    /// broken arbitrarily.
    fn deploy_order(&mut self) -> Vec<usize> {
        let mut order = Vec::new();
        let mut state = vec![0u8; self.stacks.len()]; // 0 new, 1 active, 2 done
        let mut path = Vec::new();
        for root in 0..self.stacks.len() {
            self.visit_stack(root, &mut state, &mut path, &mut order);
        }
        order
    }

    fn visit_stack(&mut self, stack: usize, state: &mut [u8], path: &mut Vec<usize>, order: &mut Vec<usize>) {
        match state[stack] {
            2 => return,
            1 => {
                let start = path.iter().position(|&s| s == stack).unwrap_or(0);
                let cycle: Vec<(String, Span)> =
                    path[start..].iter().map(|&s| (self.stacks[s].name.clone(), self.stacks[s].name_span)).collect();
                self.report(diag::stack_cycle(&cycle));
                return;
            }
            _ => {}
        }
        state[stack] = 1;
        path.push(stack);
        let dependencies: Vec<usize> = self.stacks[stack].depends_on.iter().copied().collect();
        for dependency in dependencies {
            self.visit_stack(dependency, state, path, order);
        }
        path.pop();
        state[stack] = 2;
        order.push(stack);
    }

    /// Logical IDs must be valid and unique: parameters and resources share
    /// one namespace, outputs have their own. Returns whether two collide.
    fn check_logical_ids(&mut self, stack: usize) -> bool {
        let mut collided = false;
        let build = &self.stacks[stack];
        let mut ids: Vec<(String, Span, String)> = Vec::new();
        for (decl, info) in &self.params {
            if self.frames[decl.0].stack == Some(stack) && self.frames[decl.0].params_are_cfn() {
                if let Some(name) = self.item(*decl).kind.name() {
                    if !self.frames[decl.0].args.contains_key(&name.node) {
                        ids.push((info.logical_id.clone(), name.span, name.node.clone()));
                    }
                }
            }
        }
        ids.sort_by_key(|(_, span, _)| *span);
        ids.extend(build.id_spans.iter().map(|(id, span, name)| (id.clone(), *span, name.to_string())));
        let mut outputs: Vec<(String, Span, String)> =
            build.outputs.iter().map(|(o, name)| (o.logical_id.clone(), name.span, name.node.clone())).collect();
        // Outputs made for other stacks share the namespace with the user's.
        outputs.extend(build.exports.iter().map(|(id, _, _, _)| (id.clone(), build.name_span, build.name.clone())));
        let mut diagnostics = Vec::new();
        for namespace in [ids, outputs] {
            let mut seen: HashMap<&str, Span> = HashMap::new();
            let mut loop_spans: HashSet<Span> = HashSet::new();
            for (id, span, name) in &namespace {
                if !super::is_valid_logical_id(id) {
                    // One report per declaration, not per loop item.
                    if loop_spans.insert(*span) {
                        diagnostics.push(diag::invalid_logical_id(*span, name, id));
                    }
                } else if let Some(first) = seen.get(id.as_str()) {
                    diagnostics.push(diag::logical_id_collision(*span, id, *first));
                    collided = true;
                } else {
                    seen.insert(id, *span);
                }
            }
        }
        self.diagnostics.extend(diagnostics);
        collided
    }

    /// A resource under `@when(c)` exists only when `c` holds: whatever
    /// refers to it must be under the same condition, or guard the
    /// reference with `c ? ... : ...`.
    fn check_conditional_references(&mut self, stack: usize) {
        let build = &self.stacks[stack];
        let conditional: HashMap<&str, (&str, Span, &str)> = build
            .resources
            .iter()
            .filter_map(|(_, r, name)| {
                Some((r.logical_id.as_str(), (r.condition.as_deref()?, name.span, name.node.as_str())))
            })
            .collect();
        if conditional.is_empty() {
            return;
        }
        let scope = Some(stack);
        let definitions: HashMap<&str, &hir::CondExpr> = self
            .conditions
            .iter()
            .filter(|(s, _)| super::may_share_template(*s, scope))
            .map(|(_, c)| (c.logical_id.as_str(), &c.expr))
            .collect();
        let implies = |a: &str, b: &str| condition_implies(&definitions, a, b, 0);
        let mut diagnostics = Vec::new();
        let mut check = |values: Vec<&hir::Value>, depends_on: &[String], own: Option<&str>, span: Span| {
            let mut reported = HashSet::new();
            let mut report = |id: &str, guards: &[String]| {
                if let Some(&(condition, target_span, target)) = conditional.get(id) {
                    if !own.is_some_and(|own| implies(own, condition))
                        && !guards.iter().any(|g| implies(g, condition))
                        && reported.insert(id.to_string())
                    {
                        diagnostics.push(diag::unconditional_reference(span, target, condition, target_span));
                    }
                }
            };
            for value in values {
                visit_guarded(value, &mut Vec::new(), &mut report);
            }
            for id in depends_on {
                report(id, &[]);
            }
        };
        for (_, resource, name) in &build.resources {
            let values: Vec<&hir::Value> = resource.values().collect();
            check(values, &resource.depends_on, resource.condition.as_deref(), name.span);
        }
        for (output, name) in &build.outputs {
            check(vec![&output.value], &[], output.condition.as_deref(), name.span);
        }
        self.diagnostics.extend(diagnostics);
    }

    fn check_resource_cycles(&mut self, stack: usize) {
        let resources = &self.stacks[stack].resources;
        let index_of: HashMap<&str, usize> =
            resources.iter().enumerate().map(|(i, (_, r, _))| (r.logical_id.as_str(), i)).collect();
        let edges: Vec<Vec<usize>> = resources
            .iter()
            .map(|(_, resource, _)| {
                let mut targets = Vec::new();
                for value in resource.values() {
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
        let mut diagnostics = Vec::new();
        for cycle in cycles {
            let members: Vec<(String, Span)> =
                cycle.iter().map(|&i| (resources[i].2.node.clone(), resources[i].2.span)).collect();
            diagnostics.push(diag::reference_cycle(&members));
        }
        self.diagnostics.extend(diagnostics);
    }
}

/// Whether the condition named `a` holding means `b` holds, as far as the
/// definitions show it: `a` is `b`, an alias of it, or an `Fn::And` with a
/// part that implies it (`IsPrimaryAndProd` implies `IsPrimary`).
fn condition_implies(definitions: &HashMap<&str, &hir::CondExpr>, a: &str, b: &str, depth: usize) -> bool {
    fn expr_implies(definitions: &HashMap<&str, &hir::CondExpr>, e: &hir::CondExpr, b: &str, depth: usize) -> bool {
        match e {
            hir::CondExpr::Condition(c) => condition_implies(definitions, c, b, depth + 1),
            hir::CondExpr::And(parts) => parts.iter().any(|p| expr_implies(definitions, p, b, depth + 1)),
            _ => false,
        }
    }
    // Conditions cannot refer to each other in a cycle; the bound only
    // keeps a broken program from looping.
    a == b || (depth < 64 && definitions.get(a).is_some_and(|e| expr_implies(definitions, e, b, depth)))
}

/// Calls `visit` with every logical ID `value` refers to and the conditions
/// that guard the reference (the `Fn::If`s whose true branch holds it).
fn visit_guarded(value: &hir::Value, guards: &mut Vec<String>, visit: &mut dyn FnMut(&str, &[String])) {
    match value {
        hir::Value::Intrinsic(intrinsic) => match intrinsic.as_ref() {
            hir::Intrinsic::If(condition, then, otherwise) => {
                guards.push(condition.clone());
                visit_guarded(then, guards, visit);
                guards.pop();
                visit_guarded(otherwise, guards, visit);
            }
            _ => {
                let guards_now = guards.clone();
                value.for_each_reference(&mut |id| visit(id, &guards_now));
            }
        },
        hir::Value::List(items) => items.iter().for_each(|i| visit_guarded(i, guards, visit)),
        hir::Value::Object(entries) => entries.iter().for_each(|(_, v)| visit_guarded(v, guards, visit)),
        _ => {}
    }
}

/// The conditions and mappings a template names, as they are found.
#[derive(Default)]
struct Used {
    conditions: HashSet<String>,
    mappings: HashSet<String>,
    /// Conditions found whose own expressions are still to be read.
    pending: Vec<String>,
}

impl Used {
    fn condition(&mut self, name: Option<&str>) {
        if let Some(name) = name {
            if self.conditions.insert(name.to_string()) {
                self.pending.push(name.to_string());
            }
        }
    }

    fn value(&mut self, value: &hir::Value) {
        value.visit(&mut |node| {
            let hir::Value::Intrinsic(intrinsic) = node else { return };
            match intrinsic.as_ref() {
                hir::Intrinsic::If(name, _, _) => self.condition(Some(name)),
                hir::Intrinsic::FindInMap(name, ..) => {
                    self.mappings.insert(name.clone());
                }
                _ => {}
            }
        });
    }
}

/// A logical ID named by a `sub()` template, checked once the stacks are
/// complete: in its stack, or, written at module level (`stack: None`), in
/// every stack whose template holds the `Fn::Sub`.
pub(super) struct SubReference {
    pub stack: Option<usize>,
    pub id: String,
    pub template: String,
    pub span: Span,
}
