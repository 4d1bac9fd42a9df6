//! Expression evaluation: folds what is known at compile time and turns
//! what depends on deploy-time values into CloudFormation intrinsics.

use std::rc::Rc;

use serde_json::Number;

use super::builtins;
use super::value::{assignable, Cond, CondNode, Deploy, Ty, Val};
use super::{Binding, Checker};
use crate::diagnostics::builder as diag;
use crate::diagnostics::facts::{Callee, CompileTimeNeed, Kind, Namespace, Origin, ValueRole};
use crate::diagnostics::suggest::did_you_mean;
use crate::hir::{Intrinsic, Value};
use crate::source::Span;
use crate::syntax::ast::{BinaryOp, Expr, ExprKind, ItemKind, StrPart};

/// `aws.<name>`: the pseudo parameters, what `Ref` names them, their types.
pub(crate) const PSEUDO_PARAMETERS: &[(&str, &str, Ty)] = &[
    ("account_id", "AWS::AccountId", Ty::String),
    ("notification_arns", "AWS::NotificationARNs", Ty::Any),
    ("no_value", "AWS::NoValue", Ty::Any),
    ("partition", "AWS::Partition", Ty::String),
    ("region", "AWS::Region", Ty::String),
    ("stack_id", "AWS::StackId", Ty::String),
    ("stack_name", "AWS::StackName", Ty::String),
    ("url_suffix", "AWS::URLSuffix", Ty::String),
];

/// One step of an access chain: `.name` or `[key]`.
enum Access<'e> {
    Member(&'e crate::syntax::ast::Ident),
    Index(&'e Expr),
}

/// `root.a[b].c` as the root's name and the steps after it, outermost last;
/// `None` unless the chain is made of names, members and indexes only.
fn access_chain(expr: &Expr) -> Option<(&str, Vec<Access<'_>>)> {
    let mut steps = Vec::new();
    let mut current = expr;
    loop {
        match &current.node {
            ExprKind::Member(base, name) => {
                steps.push(Access::Member(name));
                current = base;
            }
            ExprKind::Index(base, index) => {
                steps.push(Access::Index(index));
                current = base;
            }
            ExprKind::Name(root) => {
                steps.reverse();
                return Some((root, steps));
            }
            _ => return None,
        }
    }
}

pub(super) fn deploy(ty: Ty, value: Value, origin: Origin) -> Val {
    Val::Deploy(Deploy { ty, value, origin, choice: None })
}

pub(super) fn number(n: i64) -> Val {
    Val::Number(Number::from(n))
}

impl Checker<'_> {
    pub(super) fn eval(&mut self, expr: &Expr) -> Val {
        match &expr.node {
            ExprKind::Error => Val::Error,
            ExprKind::Null => Val::Null,
            ExprKind::Bool(b) => Val::Bool(*b),
            ExprKind::Number(text) => match text.parse::<Number>() {
                Ok(n) => Val::Number(n),
                Err(_) => {
                    self.report(diag::number_literal_out_of_range(expr.span));
                    Val::Error
                }
            },
            ExprKind::Str(parts) => self.eval_interpolation(parts),
            ExprKind::List(items) => Val::List(items.iter().map(|item| self.eval(item)).collect()),
            ExprKind::Object(properties) => {
                let mut entries: Vec<(String, Val)> = Vec::with_capacity(properties.len());
                let mut seen: Vec<(&str, Span)> = Vec::with_capacity(properties.len());
                // What the object sets itself wins over what it spreads.
                let explicit: Vec<&str> =
                    properties.iter().filter(|p| !p.spread).map(|p| p.key.node.as_str()).collect();
                // A spread that failed leaves the object incomplete: what is
                // missing from it would only follow from that mistake.
                let mut incomplete = false;
                for property in properties {
                    if property.spread {
                        match self.eval(&property.value) {
                            Val::Object(spread) => {
                                for (key, value) in spread {
                                    let taken = explicit.contains(&key.as_str())
                                        || entries.iter().any(|(existing, _)| *existing == key);
                                    if !taken {
                                        entries.push((key, value));
                                    }
                                }
                            }
                            Val::Error => incomplete = true,
                            other => {
                                self.report(diag::type_mismatch(property.value.span, Kind::Object, &other.kind()));
                                incomplete = true;
                            }
                        }
                        continue;
                    }
                    if let Some((_, first)) = seen.iter().find(|(key, _)| *key == property.key.node) {
                        self.report(diag::duplicate_key(property.key.span, &property.key.node, *first));
                        continue;
                    }
                    seen.push((&property.key.node, property.key.span));
                    entries.push((property.key.node.clone(), self.eval(&property.value)));
                }
                if incomplete {
                    return Val::Error;
                }
                Val::Object(entries)
            }
            ExprKind::Name(name) => self.eval_name(name, expr.span),
            ExprKind::Member(..) => self.eval_member(expr),
            ExprKind::Index(base, index) => {
                if let Some(stack) = self.stack_accessed(expr) {
                    return self.eval_stack_access(stack, expr);
                }
                let base_val = self.eval(base);
                let index_val = self.eval(index);
                self.index(base_val, index_val, index.span)
            }
            ExprKind::Call(callee, args) => self.eval_call(callee, args, expr.span),
            ExprKind::Comprehension(comprehension) => {
                let clause = &comprehension.clause;
                let iterable = self.eval(&clause.iterable);
                let items = self.iteration(iterable, clause.iterable.span, CompileTimeNeed::ComprehensionList);
                let mut results = Vec::with_capacity(items.len());
                for (_, key, item) in items {
                    let depth = self.locals.len();
                    self.locals.push((clause.item.node.clone(), item));
                    if let Some(key_name) = &clause.key {
                        self.locals.push((key_name.node.clone(), key));
                    }
                    results.push(self.eval(&comprehension.body));
                    self.locals.truncate(depth);
                }
                Val::List(results)
            }
            ExprKind::Not(operand) => {
                let value = self.eval(operand);
                match value {
                    Val::Bool(b) => Val::Bool(!b),
                    Val::Cond(cond) => self.cond(CondNode::Not(cond.clone()), cond.origin.clone()),
                    other => self.expect_bool_failed(other, operand.span),
                }
            }
            ExprKind::Binary(op, lhs, rhs) => {
                let left = self.eval(lhs);
                // Known at compile time, `&&` and `||` short-circuit, so that
                // `x != null && x.y` is safe.
                match (op, &left) {
                    (BinaryOp::And, Val::Bool(false)) | (BinaryOp::Or, Val::Bool(true)) => return left,
                    // `a ?? b` evaluates `b` only when `a` is `null`.
                    (BinaryOp::Coalesce, Val::Null) => return self.eval(rhs),
                    (BinaryOp::Coalesce, _) => return left,
                    _ => {}
                }
                let right = self.eval(rhs);
                match op {
                    BinaryOp::Eq => self.equals(left, right, lhs.span, rhs.span),
                    BinaryOp::NotEq => match self.equals(left, right, lhs.span, rhs.span) {
                        Val::Bool(b) => Val::Bool(!b),
                        Val::Cond(cond) => self.cond(CondNode::Not(cond.clone()), cond.origin.clone()),
                        other => other,
                    },
                    BinaryOp::And | BinaryOp::Or => self.logic(*op, left, right, lhs.span, rhs.span),
                    BinaryOp::Coalesce => left,
                    BinaryOp::Lt
                    | BinaryOp::Le
                    | BinaryOp::Gt
                    | BinaryOp::Ge
                    | BinaryOp::Add
                    | BinaryOp::Sub
                    | BinaryOp::Mul
                    | BinaryOp::Div
                    | BinaryOp::Rem => self.operate(*op, left, right, (lhs.span, rhs.span)),
                }
            }
            ExprKind::Conditional(condition, then, otherwise) => {
                // Known at compile time, only the branch taken is evaluated:
                // the other may name a resource that `@when` left out.
                match self.eval(condition) {
                    Val::Bool(true) => self.eval(then),
                    Val::Bool(false) => self.eval(otherwise),
                    Val::Cond(cond) => {
                        let then_val = self.eval(then);
                        let otherwise_val = self.eval(otherwise);
                        let ty = match (then_val.ty(), otherwise_val.ty()) {
                            (a, b) if a == b => a,
                            _ => Ty::Any,
                        };
                        let name = self.condition_name(&cond);
                        let then_value = self.lower_branch(&then_val);
                        let otherwise_value = self.lower_branch(&otherwise_val);
                        Val::Deploy(Deploy {
                            ty,
                            value: Value::intrinsic(Intrinsic::If(name, then_value, otherwise_value)),
                            origin: cond.origin.clone(),
                            choice: Some(Rc::new((then_val, otherwise_val))),
                        })
                    }
                    // The condition's mistake was reported; the branches
                    // would only report what follows from it.
                    Val::Error => Val::Error,
                    other => {
                        // Still report what is wrong inside the branches.
                        self.eval(then);
                        self.eval(otherwise);
                        self.expect_bool_failed(other, condition.span)
                    }
                }
            }
        }
    }

    /// A branch of a deploy-time `?:`: `null` there means "no value".
    fn lower_branch(&mut self, value: &Val) -> Value {
        match value {
            Val::Null => Value::intrinsic(Intrinsic::Ref("AWS::NoValue".to_string())),
            other => self.lower(other),
        }
    }

    fn expect_bool_failed(&mut self, value: Val, span: Span) -> Val {
        if !matches!(value, Val::Error) {
            self.report(diag::type_mismatch(span, Kind::Bool, &value.kind()));
        }
        Val::Error
    }

    pub(super) fn cond(&mut self, node: CondNode, origin: Origin) -> Val {
        Val::Cond(Rc::new(Cond { name: None, node, as_value: None, origin }))
    }

    fn eval_name(&mut self, name: &str, span: Span) -> Val {
        match self.resolve(name) {
            Some(Binding::Local(value)) => value,
            Some(Binding::Param(decl)) => self.param_value(decl),
            Some(Binding::Let(decl)) if self.is_function(decl) => {
                self.report(diag::function_as_value(span, name));
                Val::Error
            }
            Some(Binding::Let(decl)) => self.let_value(decl),
            Some(Binding::Resource(decl)) => self.resource_value(decl, span),
            Some(Binding::Construct(..)) => {
                self.report(diag::construct_as_value(span, name));
                Val::Error
            }
            Some(Binding::Stack(stack)) => {
                self.report_stack_as_value(span, stack);
                Val::Error
            }
            Some(Binding::Namespace(module)) => {
                self.report_module_as_value(span, name, module);
                Val::Error
            }
            Some(Binding::Unavailable) => Val::Error,
            None if self.may_be_from_failed_import() => Val::Error,
            None if name == "aws" => {
                self.report(diag::namespace_as_value(span, Namespace::Aws));
                Val::Error
            }
            None => {
                let suggestion = did_you_mean(name, self.visible_names());
                self.report(diag::undefined_name(span, name, suggestion));
                Val::Error
            }
        }
    }

    /// A stack's name used as a value: the help names one of its
    /// declarations, a resource where it has one.
    fn report_stack_as_value(&mut self, span: Span, stack: usize) {
        let items = self.frames[self.stacks[stack].frame].items;
        let named = |kinds: fn(&ItemKind) -> bool| {
            items.iter().filter(move |item| kinds(&item.kind)).filter_map(|item| item.kind.name())
        };
        let members: Vec<&str> = named(|kind| matches!(kind, ItemKind::Resource(_)))
            .chain(named(|kind| matches!(kind, ItemKind::Let(_) | ItemKind::Param(_))))
            .map(|name| name.node.as_str())
            .collect();
        let name = self.stacks[stack].name.clone();
        self.report(diag::namespace_as_value(span, Namespace::Stack { name: &name, members: &members }));
    }

    /// A module's namespace used as a value: the help names one of its
    /// `let`s, or else one of its constructs.
    fn report_module_as_value(&mut self, span: Span, name: &str, module: usize) {
        let items = &self.modules[module].file.items;
        let named = |construct: bool| -> Vec<&str> {
            items
                .iter()
                .filter(|item| match item.kind {
                    ItemKind::Let(_) => !construct,
                    ItemKind::Construct(_) => construct,
                    _ => false,
                })
                .filter_map(|item| item.kind.name().map(|n| n.node.as_str()))
                .collect()
        };
        let (lets, constructs) = (named(false), named(true));
        self.report(diag::namespace_as_value(span, Namespace::Module { name, lets: &lets, constructs: &constructs }));
    }

    /// `a.b.c`: a resource attribute (`Fn::GetAtt`), a pseudo parameter, a
    /// construct instance's output, another stack's or module's declaration,
    /// or a key of an object value.
    fn eval_member(&mut self, expr: &Expr) -> Val {
        let ExprKind::Member(base, member) = &expr.node else { unreachable!("called on a member expression") };
        if let Some(stack) = self.stack_accessed(expr) {
            return self.eval_stack_access(stack, expr);
        }
        // Find the root of a plain `a.b.c` chain.
        let mut path = vec![member];
        let mut root = base.as_ref();
        while let ExprKind::Member(inner, name) = &root.node {
            path.push(name);
            root = inner;
        }
        path.reverse();
        if let ExprKind::Name(root_name) = &root.node {
            match self.resolve(root_name) {
                None if root_name == "aws" => {
                    let name = path[0].node.as_str();
                    let value = match PSEUDO_PARAMETERS.iter().find(|(n, _, _)| *n == name) {
                        Some((_, cfn_name, ty)) => deploy(
                            ty.clone(),
                            Value::intrinsic(Intrinsic::Ref(cfn_name.to_string())),
                            Origin::PseudoParameter(name.to_string()),
                        ),
                        None => {
                            let known: Vec<&str> = PSEUDO_PARAMETERS.iter().map(|(n, _, _)| *n).collect();
                            let suggestion = did_you_mean(name, known.iter().copied());
                            self.report(diag::unknown_pseudo_parameter(path[0].span, name, suggestion, &known));
                            Val::Error
                        }
                    };
                    return self.apply_path(value, &path[1..]);
                }
                Some(Binding::Stack(stack)) => return self.eval_stack_access(stack, expr),
                Some(Binding::Namespace(module)) => {
                    let first = path[0];
                    let value = match self.module_name(module, &first.node) {
                        Some((owner, super::ModuleName::Let(index))) => {
                            self.let_value((self.module_frames[owner], index))
                        }
                        Some((owner, super::ModuleName::Existing(index))) => {
                            self.existing_value((self.module_frames[owner], index))
                        }
                        Some(_) => {
                            self.report(diag::construct_as_value(first.span, &first.node));
                            Val::Error
                        }
                        None => {
                            let names: Vec<&str> = self.module_names[module].keys().copied().collect();
                            let suggestion = did_you_mean(&first.node, names);
                            self.report(diag::undefined_name(first.span, &first.node, suggestion));
                            Val::Error
                        }
                    };
                    return self.apply_path(value, &path[1..]);
                }
                _ => {}
            }
        }
        let base_value = self.eval(root);
        self.apply_path(base_value, &path)
    }

    /// The stack an access chain such as `Registry.repo[name].Arn` starts
    /// from, if it starts from one.
    fn stack_accessed(&self, expr: &Expr) -> Option<usize> {
        match self.resolve(access_chain(expr)?.0) {
            Some(Binding::Stack(stack)) => Some(stack),
            _ => None,
        }
    }

    /// `Stack.name.member[key]...`: the chain is followed inside the other
    /// stack, with the keys computed here (where they are written), and only
    /// the value it ends at crosses to this stack.
    fn eval_stack_access(&mut self, stack: usize, expr: &Expr) -> Val {
        let Some((_, accesses)) = access_chain(expr) else { return Val::Error };
        let Some(Access::Member(first)) = accesses.first() else {
            self.report_stack_as_value(expr.span, stack);
            return Val::Error;
        };
        let mut keys = Vec::new();
        for access in &accesses[1..] {
            if let Access::Index(index) = access {
                keys.push((self.eval(index), index.span));
            }
        }
        let mut names: Vec<String> = vec![first.node.clone()];
        let mut key_names = keys.iter().map(|(key, _)| key.scalar_text().unwrap_or_default());
        for access in &accesses[1..] {
            names.push(match access {
                Access::Member(member) => member.node.clone(),
                Access::Index(_) => key_names.next().unwrap_or_default(),
            });
        }
        let frame = self.stacks[stack].frame;
        let value = self.in_frame(frame, |c| {
            let mut value = c.eval_name(&first.node, first.span);
            let mut keys = keys.into_iter();
            let mut members: Vec<&crate::syntax::ast::Ident> = Vec::new();
            for access in &accesses[1..] {
                match access {
                    Access::Member(member) => members.push(member),
                    Access::Index(_) => {
                        value = c.apply_path(value, &std::mem::take(&mut members));
                        let (key, span) = keys.next().unwrap_or((Val::Error, expr.span));
                        value = c.index(value, key, span);
                    }
                }
            }
            c.apply_path(value, &members)
        });
        if Some(stack) == self.stack_index() {
            return value;
        }
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        self.import_from(stack, &names, value, expr.span)
    }

    /// Applies `.a.b` to a value.
    fn apply_path(&mut self, mut value: Val, path: &[&crate::syntax::ast::Ident]) -> Val {
        for (i, member) in path.iter().enumerate() {
            value = match value {
                Val::Resource(resource) => {
                    // The rest of the path is one attribute: `Endpoint.Address`.
                    let rest = &path[i..];
                    let attribute: Vec<&str> = rest.iter().map(|p| p.node.as_str()).collect();
                    let attribute = attribute.join(".");
                    let span = rest[0].span.to(rest[rest.len() - 1].span);
                    let Some(ty) = self.attribute_type(&resource.cfn_type, &attribute, span) else { return Val::Error };
                    let value = Value::intrinsic(Intrinsic::GetAtt(resource.logical_id.clone(), attribute));
                    return deploy(ty, value, Origin::Resource(resource.name.clone()));
                }
                Val::Instance(instance) => match instance.outputs.iter().find(|(name, _)| *name == member.node) {
                    Some(&(_, index)) => self.instance_output(&instance, index, member.span),
                    None => {
                        let names: Vec<&str> = instance.outputs.iter().map(|(n, _)| n.as_str()).collect();
                        let suggestion = did_you_mean(&member.node, names.iter().copied());
                        self.report(diag::unknown_output(
                            member.span,
                            &instance.name,
                            &instance.construct,
                            &member.node,
                            suggestion,
                            &names,
                        ));
                        Val::Error
                    }
                },
                other => self.member(other, member),
            };
        }
        value
    }

    fn member(&mut self, base: Val, member: &crate::syntax::ast::Ident) -> Val {
        match base {
            Val::Error => Val::Error,
            Val::Object(entries) => match entries.iter().find(|(key, _)| *key == member.node) {
                Some((_, value)) => value.clone(),
                None => {
                    let keys: Vec<&str> = entries.iter().map(|(k, _)| k.as_str()).collect();
                    let suggestion = did_you_mean(&member.node, keys.iter().copied());
                    self.report(diag::unknown_key(member.span, &member.node, suggestion, &keys));
                    Val::Error
                }
            },
            other => {
                self.report(diag::type_mismatch(member.span, ValueRole::MemberBase, &other.kind()));
                Val::Error
            }
        }
    }

    /// The items a loop iterates: key (for logical IDs), key value and item.
    /// A list's key is its item when that is a string, else its position.
    pub(super) fn iteration(&mut self, iterable: Val, span: Span, need: CompileTimeNeed) -> Vec<(String, Val, Val)> {
        match iterable {
            Val::Error => Vec::new(),
            // The list must be known; its items may be deploy-time values.
            Val::List(items) => items
                .into_iter()
                .enumerate()
                .map(|(i, item)| {
                    let key = match &item {
                        Val::Str(s) => s.clone(),
                        _ => i.to_string(),
                    };
                    (key, number(i as i64), item)
                })
                .collect(),
            Val::Object(entries) => entries.into_iter().map(|(k, v)| (k.clone(), Val::Str(k), v)).collect(),
            other if !other.is_compile_time() => {
                self.report(diag::not_compile_time(span, need, other.deploy_origin()));
                Vec::new()
            }
            other => {
                self.report(diag::type_mismatch(span, ValueRole::Iterable, &other.kind()));
                Vec::new()
            }
        }
    }

    pub(super) fn index(&mut self, base: Val, index: Val, index_span: Span) -> Val {
        match (base, index) {
            (Val::Error, _) | (_, Val::Error) => Val::Error,
            (Val::List(items), Val::Number(n)) => match n.as_i64() {
                Some(i) if i >= 0 && (i as usize) < items.len() => items[i as usize].clone(),
                Some(i) if i < 0 => {
                    self.report(diag::negative_index(index_span, i));
                    Val::Error
                }
                Some(i) => {
                    self.report(diag::index_out_of_range(index_span, i, items.len()));
                    Val::Error
                }
                None => {
                    self.report(diag::fractional_index(index_span));
                    Val::Error
                }
            },
            // The resources of a loop are keyed by item; a position works too.
            (Val::Object(entries), Val::Number(n)) if n.as_u64().is_some_and(|i| (i as usize) < entries.len()) => {
                entries[n.as_u64().unwrap_or_default() as usize].1.clone()
            }
            (Val::Object(entries), Val::Str(key)) => match entries.iter().find(|(k, _)| *k == key) {
                Some((_, value)) => value.clone(),
                None => {
                    let keys: Vec<&str> = entries.iter().map(|(k, _)| k.as_str()).collect();
                    let suggestion = did_you_mean(&key, keys.iter().copied());
                    self.report(diag::unknown_key(index_span, &key, suggestion, &keys));
                    Val::Error
                }
            },
            (list, index) if matches!(list.ty(), Ty::List(_) | Ty::Any) && assignable(&index.ty(), &Ty::Number) => {
                let origin = list.deploy_origin().or(index.deploy_origin()).unwrap_or(Origin::Unnamed);
                let item_ty = match list.ty() {
                    Ty::List(item) => *item,
                    _ => Ty::Any,
                };
                let value = Value::intrinsic(Intrinsic::Select(self.lower(&index), self.lower(&list)));
                deploy(item_ty, value, origin)
            }
            // A position past the end of a loop's resources.
            (Val::Object(entries), Val::Number(n)) if n.as_i64().is_some() => {
                let i = n.as_i64().unwrap_or_default();
                if i < 0 {
                    self.report(diag::negative_index(index_span, i));
                } else {
                    self.report(diag::index_out_of_range(index_span, i, entries.len()));
                }
                Val::Error
            }
            (Val::Object(_), index) if !index.is_compile_time() => {
                self.report(diag::not_compile_time(index_span, CompileTimeNeed::ObjectKey, index.deploy_origin()));
                Val::Error
            }
            (Val::Object(_), index) => {
                self.report(diag::type_mismatch(index_span, ValueRole::ObjectKey, &index.kind()));
                Val::Error
            }
            (_, index) if !assignable(&index.ty(), &Ty::Number) => {
                self.report(diag::type_mismatch(index_span, Kind::Number, &index.kind()));
                Val::Error
            }
            (base, _) => {
                self.report(diag::type_mismatch(index_span, ValueRole::IndexBase, &base.kind()));
                Val::Error
            }
        }
    }

    pub(super) fn equals(&mut self, left: Val, right: Val, left_span: Span, right_span: Span) -> Val {
        if left.contains_error() || right.contains_error() {
            return Val::Error;
        }
        // An optional parameter is compared with `null`: whatever was passed
        // instead, an instance or a value known only at deploy time, is not.
        if matches!(left, Val::Null) || matches!(right, Val::Null) {
            return Val::Bool(matches!((&left, &right), (Val::Null, Val::Null)));
        }
        for (value, span) in [(&left, left_span), (&right, right_span)] {
            if matches!(value.ty(), Ty::List(_) | Ty::Object) {
                self.report(diag::type_mismatch(span, ValueRole::Scalar, &value.kind()));
                return Val::Error;
            }
        }
        if left.is_compile_time() && right.is_compile_time() {
            return match (&left, &right) {
                (Val::Null, _) | (_, Val::Null) => Val::Bool(matches!((&left, &right), (Val::Null, Val::Null))),
                (Val::Number(a), Val::Number(b)) => Val::Bool(a.as_f64() == b.as_f64()),
                (Val::Str(a), Val::Str(b)) => Val::Bool(a == b),
                (Val::Bool(a), Val::Bool(b)) => Val::Bool(a == b),
                _ => {
                    self.report(diag::type_mismatch(right_span, left.kind(), &right.kind()));
                    Val::Error
                }
            };
        }
        let origin = left.deploy_origin().or(right.deploy_origin()).unwrap_or(Origin::Unnamed);
        // `Fn::Equals` compares strings; a `bool` parameter reads "true"/"false".
        let operand = |checker: &mut Self, value: &Val| match value {
            Val::Cond(cond) if cond.as_value.is_some() => cond.as_value.clone().unwrap_or(Value::Null),
            Val::Number(n) => Value::String(n.to_string()),
            Val::Bool(b) => Value::String(b.to_string()),
            other => checker.lower(other),
        };
        let a = operand(self, &left);
        let b = operand(self, &right);
        // CloudFormation evaluates conditions before it creates anything.
        for (value, span) in [(&a, left_span), (&b, right_span)] {
            let mut resource = None;
            value.for_each_reference(&mut |id| {
                let in_stack = self.resource_type_of(id).is_some();
                if resource.is_none() && in_stack {
                    resource = Some(id.to_string());
                }
            });
            if let Some(resource) = resource {
                self.report(diag::condition_on_resource(span, &resource));
                return Val::Error;
            }
            if contains_import(value) {
                self.report(diag::condition_on_import(span));
                return Val::Error;
            }
        }
        self.cond(CondNode::Equals(a, b), origin)
    }

    pub(super) fn logic(&mut self, op: BinaryOp, left: Val, right: Val, left_span: Span, right_span: Span) -> Val {
        let is_and = op == BinaryOp::And;
        for (value, span) in [(&left, left_span), (&right, right_span)] {
            if !matches!(value, Val::Bool(_) | Val::Cond(_) | Val::Error) {
                return self.expect_bool_failed(value.clone(), span);
            }
        }
        match (left, right) {
            (Val::Error, _) | (_, Val::Error) => Val::Error,
            (Val::Bool(a), Val::Bool(b)) => Val::Bool(if is_and { a && b } else { a || b }),
            // `true && c` is `c`; `false && c` is false; and dually for `||`.
            (Val::Bool(known), other) | (other, Val::Bool(known)) => {
                if known == is_and {
                    other
                } else {
                    Val::Bool(known)
                }
            }
            (Val::Cond(a), Val::Cond(b)) => {
                let origin = a.origin.clone();
                let flatten = |cond: Rc<Cond>| -> Vec<Rc<Cond>> {
                    match &cond.node {
                        CondNode::And(parts) if is_and && cond.name.is_none() => parts.clone(),
                        CondNode::Or(parts) if !is_and && cond.name.is_none() => parts.clone(),
                        _ => vec![cond],
                    }
                };
                let mut parts = flatten(a);
                parts.extend(flatten(b));
                self.cond(if is_and { CondNode::And(parts) } else { CondNode::Or(parts) }, origin)
            }
            _ => unreachable!("operands were checked to be booleans"),
        }
    }

    fn eval_interpolation(&mut self, parts: &[StrPart]) -> Val {
        let mut values = Vec::with_capacity(parts.len());
        for part in parts {
            match part {
                StrPart::Text(text) => values.push(Val::Str(text.clone())),
                StrPart::Interp(expr) => {
                    let value = self.eval(expr);
                    let value = self.instances_as_values(value, expr.span);
                    match value.ty() {
                        Ty::List(_) | Ty::Object => {
                            self.report(diag::type_mismatch(expr.span, ValueRole::Scalar, &value.kind()));
                            values.push(Val::Error);
                        }
                        Ty::Null if !matches!(value, Val::Error) => {
                            self.report(diag::type_mismatch(expr.span, ValueRole::Scalar, &Kind::Null));
                            values.push(Val::Error);
                        }
                        _ => values.push(value),
                    }
                }
            }
        }
        self.concat(values)
    }

    /// Joins scalar values into one string: folded when all are known,
    /// otherwise an `Fn::Sub`.
    pub(super) fn concat(&mut self, values: Vec<Val>) -> Val {
        if values.iter().any(Val::contains_error) {
            return Val::Error;
        }
        if values.iter().all(Val::is_compile_time) {
            return Val::Str(values.iter().filter_map(Val::scalar_text).collect());
        }
        let origin = values.iter().find_map(Val::deploy_origin).unwrap_or(Origin::Unnamed);
        let mut template = String::new();
        let mut variables: Vec<(String, Value)> = Vec::new();
        for value in &values {
            if let Some(text) = value.scalar_text() {
                template.push_str(&text.replace("${", "${!"));
                continue;
            }
            match self.lower(value) {
                Value::Intrinsic(intrinsic) => match *intrinsic {
                    Intrinsic::Ref(id) => template.push_str(&format!("${{{id}}}")),
                    Intrinsic::GetAtt(id, attribute) => template.push_str(&format!("${{{id}.{attribute}}}")),
                    // A nested interpolation without variables splices in as is.
                    Intrinsic::Sub(inner, inner_variables) if inner_variables.is_empty() => template.push_str(&inner),
                    other => {
                        let name = format!("Var{}", variables.len());
                        template.push_str(&format!("${{{name}}}"));
                        variables.push((name, Value::intrinsic(other)));
                    }
                },
                other => {
                    let name = format!("Var{}", variables.len());
                    template.push_str(&format!("${{{name}}}"));
                    variables.push((name, other));
                }
            }
        }
        deploy(Ty::String, Value::intrinsic(Intrinsic::Sub(template, variables)), origin)
    }

    fn eval_call(&mut self, callee: &Expr, args: &[Expr], span: Span) -> Val {
        let name = match &callee.node {
            ExprKind::Name(name) => name.as_str(),
            _ => {
                for arg in args {
                    self.eval(arg);
                }
                self.report(diag::not_callable(callee.span));
                return Val::Error;
            }
        };
        // No function takes a construct instance: an argument stands for its
        // `@primary` output.
        let values: Vec<Val> = args
            .iter()
            .map(|a| {
                let value = self.eval(a);
                self.instances_as_values_in(value, a)
            })
            .collect();
        if builtins::named(name).is_none() {
            if let Some(Binding::Let(decl)) = self.resolve(name) {
                if self.is_function(decl) {
                    return self.call_function(decl, name, values, span);
                }
            }
        }
        let Some(builtin) = builtins::named(name) else {
            let known: Vec<&str> = builtins::names().collect();
            let suggestion = did_you_mean(name, known.iter().copied());
            self.report(diag::unknown_function(callee.span, name, suggestion, &known));
            return Val::Error;
        };
        let count = values.len();
        if !builtin.arity.accepts(count) {
            let (min, max) = (builtin.arity.min, builtin.arity.max);
            self.report(diag::argument_count(span, Callee::Function(name), min, max, count));
            return Val::Error;
        }
        if values.iter().any(Val::contains_error) {
            return Val::Error;
        }
        builtin.apply(self, &builtins::Call { span, args, values })
    }
}

/// Whether the value reads another stack's export anywhere inside it.
fn contains_import(value: &Value) -> bool {
    let mut found = false;
    value.visit(&mut |node| {
        if let Value::Intrinsic(intrinsic) = node {
            found |= matches!(intrinsic.as_ref(), Intrinsic::ImportValue(_));
        }
    });
    found
}
