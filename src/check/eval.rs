//! Expression evaluation: folds what is known at compile time and turns
//! what depends on deploy-time values into CloudFormation intrinsics.

use std::rc::Rc;

use serde_json::Number;

use super::value::{assignable, Cond, CondNode, Deploy, Ty, Val};
use super::{Binding, Checker};
use crate::diagnostics::builder as diag;
use crate::diagnostics::suggest::did_you_mean;
use crate::hir::{Intrinsic, Value};
use crate::source::Span;
use crate::syntax::ast::{BinaryOp, Expr, ExprKind, StrPart};

/// `aws.<name>`: the pseudo parameters, what `Ref` names them, their types.
pub(super) const PSEUDO_PARAMETERS: &[(&str, &str, Ty)] = &[
    ("account_id", "AWS::AccountId", Ty::String),
    ("notification_arns", "AWS::NotificationARNs", Ty::Any),
    ("no_value", "AWS::NoValue", Ty::Any),
    ("partition", "AWS::Partition", Ty::String),
    ("region", "AWS::Region", Ty::String),
    ("stack_id", "AWS::StackId", Ty::String),
    ("stack_name", "AWS::StackName", Ty::String),
    ("url_suffix", "AWS::URLSuffix", Ty::String),
];

/// Built-in functions with the number of arguments they take.
pub(super) const FUNCTIONS: &[(&str, usize, usize)] = &[
    ("after", 2, usize::MAX),
    ("azs", 0, 1),
    ("base64", 1, 1),
    ("cidr", 3, 3),
    ("concat", 1, usize::MAX),
    ("contains", 2, 2),
    ("get", 2, 3),
    ("import_value", 1, 1),
    ("join", 2, 2),
    ("json", 1, 1),
    ("keys", 1, 1),
    ("length", 1, 1),
    ("lookup", 3, 3),
    ("merge", 1, usize::MAX),
    ("range", 1, 2),
    ("select", 2, 2),
    ("split", 2, 2),
    ("sub", 1, 2),
    ("values", 1, 1),
];

/// The most items `range` makes: a template holds at most 500 resources.
const MAX_RANGE: i64 = 100_000;

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

fn deploy(ty: Ty, value: Value, origin: &str) -> Val {
    Val::Deploy(Deploy { ty, value, origin: origin.to_string(), choice: None })
}

fn number(n: i64) -> Val {
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
                    self.report(diag::type_mismatch(expr.span, "a number", "a number out of range"));
                    Val::Error
                }
            },
            ExprKind::Str(parts) => self.eval_interpolation(parts),
            ExprKind::List(items) => Val::List(items.iter().map(|item| self.eval(item)).collect()),
            ExprKind::Object(properties) => {
                let mut entries: Vec<(String, Val)> = Vec::with_capacity(properties.len());
                let mut seen: Vec<(&str, Span)> = Vec::with_capacity(properties.len());
                for property in properties {
                    if let Some((_, first)) = seen.iter().find(|(key, _)| *key == property.key.node) {
                        self.report(diag::duplicate_key(property.key.span, &property.key.node, *first));
                        continue;
                    }
                    seen.push((&property.key.node, property.key.span));
                    entries.push((property.key.node.clone(), self.eval(&property.value)));
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
                let items = self.iteration(iterable, clause.iterable.span, "the list a comprehension iterates");
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
                    Val::Cond(cond) => self.cond(CondNode::Not(cond.clone()), &cond.origin),
                    other => self.expect_bool_failed(other, operand.span),
                }
            }
            ExprKind::Binary(op, lhs, rhs) => {
                let left = self.eval(lhs);
                // Known at compile time, `&&` and `||` short-circuit, so that
                // `x != null && x.y` is safe.
                match (op, &left) {
                    (BinaryOp::And, Val::Bool(false)) | (BinaryOp::Or, Val::Bool(true)) => return left,
                    _ => {}
                }
                let right = self.eval(rhs);
                match op {
                    BinaryOp::Eq => self.equals(left, right, lhs.span, rhs.span),
                    BinaryOp::NotEq => match self.equals(left, right, lhs.span, rhs.span) {
                        Val::Bool(b) => Val::Bool(!b),
                        Val::Cond(cond) => self.cond(CondNode::Not(cond.clone()), &cond.origin),
                        other => other,
                    },
                    BinaryOp::And | BinaryOp::Or => self.logic(*op, left, right, lhs.span, rhs.span),
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
            self.report(diag::type_mismatch(span, "a boolean", &value.ty().to_string()));
        }
        Val::Error
    }

    pub(super) fn cond(&mut self, node: CondNode, origin: &str) -> Val {
        Val::Cond(Rc::new(Cond { name: None, node, as_value: None, origin: origin.to_string() }))
    }

    fn eval_name(&mut self, name: &str, span: Span) -> Val {
        match self.resolve(name) {
            Some(Binding::Local(value)) => value,
            Some(Binding::Param(decl)) => self.param_value(decl),
            Some(Binding::Let(decl)) => self.let_value(decl),
            Some(Binding::Resource(decl)) => self.resource_value(decl, span),
            Some(Binding::Construct(..)) => {
                self.report(diag::type_mismatch(span, "a value", &format!("the construct `{name}`")));
                Val::Error
            }
            Some(Binding::Stack(_) | Binding::Namespace(_)) => {
                self.report(diag::namespace_as_value(span, name));
                Val::Error
            }
            Some(Binding::Unavailable) => Val::Error,
            None if self.may_be_from_failed_import() => Val::Error,
            None if name == "aws" => {
                self.report(diag::namespace_as_value(span, name));
                Val::Error
            }
            None => {
                let suggestion = did_you_mean(name, self.visible_names());
                self.report(diag::undefined_name(span, name, suggestion));
                Val::Error
            }
        }
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
                            &format!("`aws.{name}`"),
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
                        Some(_) => {
                            self.report(diag::type_mismatch(
                                first.span,
                                "a value",
                                &format!("the construct `{}`", first.node),
                            ));
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
            self.report(diag::namespace_as_value(expr.span, &self.stacks[stack].name.clone()));
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
                    return deploy(ty, value, &format!("the resource `{}`", resource.name));
                }
                Val::Instance(instance) => match instance.outputs.iter().find(|(name, _)| *name == member.node) {
                    Some(&(_, index)) => self.output_value(instance.frame, index),
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
                self.report(diag::type_mismatch(member.span, "an object or a resource", &other.ty().to_string()));
                Val::Error
            }
        }
    }

    /// The items a loop iterates: key (for logical IDs), key value and item.
    /// A list's key is its item when that is a string, else its position.
    pub(super) fn iteration(&mut self, iterable: Val, span: Span, what: &str) -> Vec<(String, Val, Val)> {
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
                self.report(diag::not_compile_time(span, what, other.deploy_origin()));
                Vec::new()
            }
            other => {
                self.report(diag::type_mismatch(span, "a list or an object", &other.ty().to_string()));
                Vec::new()
            }
        }
    }

    fn index(&mut self, base: Val, index: Val, index_span: Span) -> Val {
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
                    self.report(diag::type_mismatch(index_span, "a whole number", "a fraction"));
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
                let origin =
                    list.deploy_origin().or(index.deploy_origin()).unwrap_or("a deploy-time value").to_string();
                let item_ty = match list.ty() {
                    Ty::List(item) => *item,
                    _ => Ty::Any,
                };
                let value = Value::intrinsic(Intrinsic::Select(self.lower(&index), self.lower(&list)));
                deploy(item_ty, value, &origin)
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
                self.report(diag::not_compile_time(index_span, "a key of an object", index.deploy_origin()));
                Val::Error
            }
            (Val::Object(_), index) => {
                self.report(diag::type_mismatch(index_span, "a string key", &index.ty().to_string()));
                Val::Error
            }
            (_, index) if !assignable(&index.ty(), &Ty::Number) => {
                self.report(diag::type_mismatch(index_span, "a number", &index.ty().to_string()));
                Val::Error
            }
            (base, _) => {
                self.report(diag::type_mismatch(index_span, "a list to index", &base.ty().to_string()));
                Val::Error
            }
        }
    }

    fn equals(&mut self, left: Val, right: Val, left_span: Span, right_span: Span) -> Val {
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
                self.report(diag::type_mismatch(span, "a string, number or boolean", &value.ty().to_string()));
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
                    self.report(diag::type_mismatch(right_span, &left.ty().to_string(), &right.ty().to_string()));
                    Val::Error
                }
            };
        }
        let origin = left.deploy_origin().or(right.deploy_origin()).unwrap_or_default().to_string();
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
        self.cond(CondNode::Equals(a, b), &origin)
    }

    fn logic(&mut self, op: BinaryOp, left: Val, right: Val, left_span: Span, right_span: Span) -> Val {
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
                self.cond(if is_and { CondNode::And(parts) } else { CondNode::Or(parts) }, &origin)
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
                    let value = self.instances_as_values(value);
                    match value.ty() {
                        Ty::List(_) | Ty::Object => {
                            self.report(diag::type_mismatch(
                                expr.span,
                                "a string, number or boolean",
                                &value.ty().to_string(),
                            ));
                            values.push(Val::Error);
                        }
                        Ty::Null if !matches!(value, Val::Error) => {
                            self.report(diag::type_mismatch(expr.span, "a string, number or boolean", "null"));
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
        let origin = values.iter().find_map(Val::deploy_origin).unwrap_or_default().to_string();
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
        deploy(Ty::String, Value::intrinsic(Intrinsic::Sub(template, variables)), &origin)
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
                self.instances_as_values(value)
            })
            .collect();
        let Some(&(_, min, max)) = FUNCTIONS.iter().find(|(n, _, _)| *n == name) else {
            let known: Vec<&str> = FUNCTIONS.iter().map(|(n, _, _)| *n).collect();
            let suggestion = did_you_mean(name, known.iter().copied());
            self.report(diag::unknown_function(callee.span, name, suggestion, &known));
            return Val::Error;
        };
        if values.len() < min || values.len() > max {
            let expected = match (min, max) {
                (a, b) if a == b => format!("{a} argument{}", if a == 1 { "" } else { "s" }),
                (a, usize::MAX) => format!("at least {a} argument{}", if a == 1 { "" } else { "s" }),
                (a, b) => format!("{a} to {b} arguments"),
            };
            self.report(diag::wrong_argument_count(span, name, &expected, values.len()));
            return Val::Error;
        }
        if values.iter().any(Val::contains_error) {
            return Val::Error;
        }
        let arg_span = |i: usize| args.get(i).map_or(span, |a| a.span);
        match name {
            "join" => self.join(&values[0], &values[1], arg_span(0), arg_span(1)),
            "split" => {
                let Some(separator) = self.compile_time_string(&values[0], arg_span(0), "the separator of `split`")
                else {
                    return Val::Error;
                };
                match &values[1] {
                    Val::Str(text) => {
                        Val::List(text.split(separator.as_str()).map(|s| Val::Str(s.to_string())).collect())
                    }
                    other if assignable(&other.ty(), &Ty::String) => {
                        let origin = other.deploy_origin().unwrap_or_default().to_string();
                        let value = Value::intrinsic(Intrinsic::Split(separator, self.lower(other)));
                        deploy(Ty::List(Box::new(Ty::String)), value, &origin)
                    }
                    other => self.mismatch(arg_span(1), "a string", other),
                }
            }
            "select" => self.index(values[1].clone(), values[0].clone(), arg_span(0)),
            "base64" => self.string_intrinsic(&values[0], arg_span(0), |v| Intrinsic::Base64(v)),
            "import_value" => self.string_intrinsic(&values[0], arg_span(0), |v| Intrinsic::ImportValue(v)),
            "azs" => {
                let region = values.first().map_or(Value::String(String::new()), |v| self.lower(v));
                deploy(Ty::List(Box::new(Ty::String)), Value::intrinsic(Intrinsic::GetAZs(region)), "`azs()`")
            }
            "cidr" => {
                for (i, expected) in [(0, Ty::String), (1, Ty::Number), (2, Ty::Number)] {
                    if !assignable(&values[i].ty(), &expected) {
                        return self.mismatch(arg_span(i), &expected.to_string(), &values[i]);
                    }
                }
                if let (Val::Str(block), Val::Number(count), Val::Number(bits)) = (&values[0], &values[1], &values[2]) {
                    return match fold_cidr(block, count.as_u64(), bits.as_u64()) {
                        Ok(blocks) => Val::List(blocks.into_iter().map(Val::Str).collect()),
                        Err(problem) => {
                            self.report(diag::invalid_argument(span, "cidr", &problem));
                            Val::Error
                        }
                    };
                }
                let [block, count, bits] = [&values[0], &values[1], &values[2]].map(|v| self.lower(v));
                deploy(
                    Ty::List(Box::new(Ty::String)),
                    Value::intrinsic(Intrinsic::Cidr(block, count, bits)),
                    "`cidr()`",
                )
            }
            "sub" => {
                let Some(template) = self.compile_time_string(&values[0], arg_span(0), "the template of `sub`") else {
                    return Val::Error;
                };
                let variables = match values.get(1) {
                    None => Vec::new(),
                    Some(Val::Object(entries)) => entries.iter().map(|(k, v)| (k.clone(), self.lower(v))).collect(),
                    Some(other) => return self.mismatch(arg_span(1), "an object of variables", other),
                };
                deploy(Ty::String, Value::intrinsic(Intrinsic::Sub(template, variables)), "`sub()`")
            }
            "length" => match &values[0] {
                Val::List(items) => number(items.len() as i64),
                Val::Str(text) => number(text.chars().count() as i64),
                Val::Object(entries) => number(entries.len() as i64),
                other if !other.is_compile_time() => {
                    self.report(diag::not_compile_time(arg_span(0), "the argument of `length`", other.deploy_origin()));
                    Val::Error
                }
                other => self.mismatch(arg_span(0), "a list, string or object", other),
            },
            "range" => {
                let mut bounds = Vec::new();
                for (i, value) in values.iter().enumerate() {
                    match value {
                        Val::Number(n) if n.as_i64().is_some() => bounds.push(n.as_i64().unwrap_or_default()),
                        other if !other.is_compile_time() => {
                            self.report(diag::not_compile_time(
                                arg_span(i),
                                "a bound of `range`",
                                other.deploy_origin(),
                            ));
                            return Val::Error;
                        }
                        other => return self.mismatch(arg_span(i), "a whole number", other),
                    }
                }
                let (start, end) = if bounds.len() == 1 { (0, bounds[0]) } else { (bounds[0], bounds[1]) };
                // Far more than any template can hold; a typo, not a plan.
                if end.saturating_sub(start) > MAX_RANGE {
                    self.report(diag::range_too_large(span, end.saturating_sub(start), MAX_RANGE));
                    return Val::Error;
                }
                Val::List((start..end).map(number).collect())
            }
            "json" => self.json(&values[0]),
            "merge" => {
                // Later objects win, key by key, as in a spread.
                let mut merged: Vec<(String, Val)> = Vec::new();
                for (i, value) in values.iter().enumerate() {
                    let Val::Object(entries) = value else { return self.mismatch(arg_span(i), "an object", value) };
                    for (key, item) in entries {
                        match merged.iter_mut().find(|(k, _)| k == key) {
                            Some(entry) => entry.1 = item.clone(),
                            None => merged.push((key.clone(), item.clone())),
                        }
                    }
                }
                Val::Object(merged)
            }
            "concat" => {
                let mut all = Vec::new();
                for (i, value) in values.iter().enumerate() {
                    match value {
                        Val::List(items) => all.extend(items.iter().cloned()),
                        other if !other.is_compile_time() => {
                            self.report(diag::not_compile_time(
                                arg_span(i),
                                "a list `concat` joins",
                                other.deploy_origin(),
                            ));
                            return Val::Error;
                        }
                        other => return self.mismatch(arg_span(i), "a list", other),
                    }
                }
                Val::List(all)
            }
            "get" => match (&values[0], &values[1]) {
                (Val::Object(entries), Val::Str(key)) => match entries.iter().find(|(k, _)| k == key) {
                    Some((_, value)) => value.clone(),
                    None => values.get(2).cloned().unwrap_or(Val::Null),
                },
                (Val::Object(_), key) if !key.is_compile_time() => {
                    self.report(diag::not_compile_time(arg_span(1), "the key `get` reads", key.deploy_origin()));
                    Val::Error
                }
                (Val::Object(_), key) => self.mismatch(arg_span(1), "a string", key),
                (other, _) => self.mismatch(arg_span(0), "an object", other),
            },
            // The value, read only once the resources exist: whatever uses it
            // is created after them (CloudFormation learns the dependency from
            // the references in an `Fn::Select` that picks the value).
            "after" => {
                if !matches!(values[0].ty(), Ty::String | Ty::Any) {
                    return self.mismatch(arg_span(0), "a string", &values[0]);
                }
                let mut listed = vec![self.lower(&values[0])];
                for (i, dependency) in values.iter().enumerate().skip(1) {
                    match dependency {
                        // A resource, or an attribute or output of one.
                        Val::Resource(_) | Val::Deploy(_) => listed.push(self.lower(dependency)),
                        other => return self.mismatch(arg_span(i), "a resource", other),
                    }
                }
                let origin = values[0].deploy_origin().unwrap_or("`after()`").to_string();
                let value = Value::intrinsic(Intrinsic::Select(Value::Number(0.into()), Value::List(listed)));
                deploy(Ty::String, value, &origin)
            }
            "keys" | "values" => match &values[0] {
                Val::Object(entries) if name == "keys" => {
                    Val::List(entries.iter().map(|(k, _)| Val::Str(k.clone())).collect())
                }
                Val::Object(entries) => Val::List(entries.iter().map(|(_, v)| v.clone()).collect()),
                other => self.mismatch(arg_span(0), "an object", other),
            },
            "contains" => {
                let needle = &values[1];
                let found = match &values[0] {
                    Val::List(items) => items.iter().any(|item| same_value(item, needle)),
                    Val::Object(entries) => entries.iter().any(|(k, _)| matches!(needle, Val::Str(s) if s == k)),
                    Val::Str(text) => matches!(needle, Val::Str(s) if text.contains(s.as_str())),
                    other if !other.is_compile_time() => {
                        self.report(diag::not_compile_time(
                            arg_span(0),
                            "what `contains` searches",
                            other.deploy_origin(),
                        ));
                        return Val::Error;
                    }
                    other => return self.mismatch(arg_span(0), "a list, object or string", other),
                };
                Val::Bool(found)
            }
            "lookup" => self.lookup(&args[0], &values, arg_span(1).to(arg_span(2))),
            _ => unreachable!("every function in FUNCTIONS is handled"),
        }
    }

    fn mismatch(&mut self, span: Span, expected: &str, found: &Val) -> Val {
        self.report(diag::type_mismatch(span, expected, &found.ty().to_string()));
        Val::Error
    }

    fn compile_time_string(&mut self, value: &Val, span: Span, what: &str) -> Option<String> {
        match value {
            Val::Str(s) => Some(s.clone()),
            other if !other.is_compile_time() => {
                self.report(diag::not_compile_time(span, what, other.deploy_origin()));
                None
            }
            other => {
                self.mismatch(span, "a string", other);
                None
            }
        }
    }

    fn string_intrinsic(&mut self, value: &Val, span: Span, make: impl FnOnce(Value) -> Intrinsic) -> Val {
        if !assignable(&value.ty(), &Ty::String) {
            return self.mismatch(span, "a string", value);
        }
        let origin = value.deploy_origin().unwrap_or("a function call").to_string();
        deploy(Ty::String, Value::intrinsic(make(self.lower(value))), &origin)
    }

    fn join(&mut self, separator: &Val, list: &Val, separator_span: Span, list_span: Span) -> Val {
        let Some(separator) = self.compile_time_string(separator, separator_span, "the separator of `join`") else {
            return Val::Error;
        };
        match list {
            Val::List(items) => {
                for item in items {
                    if matches!(item.ty(), Ty::List(_) | Ty::Object | Ty::Null) {
                        return self.mismatch(list_span, "a list of strings", item);
                    }
                }
                if list.is_compile_time() {
                    let texts: Vec<String> = items.iter().filter_map(Val::scalar_text).collect();
                    return Val::Str(texts.join(&separator));
                }
                let origin = list.deploy_origin().unwrap_or_default().to_string();
                let value = Value::intrinsic(Intrinsic::Join(separator, self.lower(list)));
                deploy(Ty::String, value, &origin)
            }
            other if matches!(other.ty(), Ty::List(_) | Ty::Any) => {
                let origin = other.deploy_origin().unwrap_or_default().to_string();
                let value = Value::intrinsic(Intrinsic::Join(separator, self.lower(other)));
                deploy(Ty::String, value, &origin)
            }
            other => self.mismatch(list_span, "a list", other),
        }
    }

    /// `lookup(table, key, key)`: folded when both keys are known; otherwise
    /// the table becomes a CloudFormation mapping read with `Fn::FindInMap`.
    fn lookup(&mut self, table_expr: &Expr, values: &[Val], keys_span: Span) -> Val {
        let (table, first, second) = (&values[0], &values[1], &values[2]);
        let Val::Object(rows) = table else {
            return self.mismatch(table_expr.span, "a table: an object of objects", table);
        };
        if let (Val::Str(first), Val::Str(second)) = (first, second) {
            let Some((_, row)) = rows.iter().find(|(k, _)| k == first) else {
                let keys: Vec<&str> = rows.iter().map(|(k, _)| k.as_str()).collect();
                let suggestion = did_you_mean(first, keys.iter().copied());
                self.report(diag::unknown_key(keys_span, first, suggestion, &keys));
                return Val::Error;
            };
            let Val::Object(cells) = row else { return self.mismatch(table_expr.span, "an object of objects", row) };
            return match cells.iter().find(|(k, _)| k == second) {
                Some((_, value)) => value.clone(),
                None => {
                    let keys: Vec<&str> = cells.iter().map(|(k, _)| k.as_str()).collect();
                    let suggestion = did_you_mean(second, keys.iter().copied());
                    self.report(diag::unknown_key(keys_span, second, suggestion, &keys));
                    Val::Error
                }
            };
        }
        if !table.is_compile_time() {
            self.report(diag::not_compile_time(table_expr.span, "a lookup table", table.deploy_origin()));
            return Val::Error;
        }
        // The mapping is named after the `let` that holds the table.
        let ExprKind::Name(name) = &table_expr.node else {
            self.report(diag::type_mismatch(table_expr.span, "the name of a `let` holding the table", "an expression"));
            return Val::Error;
        };
        let prefix = match self.resolve(name) {
            Some(Binding::Let((frame, _))) => self.frames[frame].prefix.clone(),
            _ => String::new(),
        };
        let mapping = format!("{prefix}{}", super::pascal_case(name));
        // CloudFormation mappings are two levels deep, with strings or lists
        // of strings at the bottom.
        for (_, row) in rows {
            let Val::Object(cells) = row else { return self.mismatch(table_expr.span, "an object of objects", row) };
            for (_, cell) in cells {
                if matches!(cell, Val::Object(_))
                    || matches!(cell, Val::List(items) if items.iter().any(|i| matches!(i, Val::Object(_) | Val::List(_))))
                {
                    return self.mismatch(table_expr.span, "a table of strings or lists of strings", cell);
                }
            }
            if let Val::Str(column) = second {
                if !cells.iter().any(|(k, _)| k == column) {
                    let keys: Vec<&str> = cells.iter().map(|(k, _)| k.as_str()).collect();
                    let suggestion = did_you_mean(column, keys.iter().copied());
                    self.report(diag::unknown_key(keys_span, column, suggestion, &keys));
                    return Val::Error;
                }
            }
        }
        let lowered = self.lower(table);
        let mapping = self.mapping_name(mapping, lowered);
        let origin = first.deploy_origin().or(second.deploy_origin()).unwrap_or_default().to_string();
        let value = Value::intrinsic(Intrinsic::FindInMap(mapping, self.lower(first), self.lower(second)));
        deploy(Ty::Any, value, &origin)
    }

    /// `json(v)`: the value as a JSON string. Deploy-time parts are spliced
    /// into an `Fn::Sub`: strings inside their quotes, numbers and booleans
    /// bare, and a conditional object as the JSON of each branch.
    fn json(&mut self, value: &Val) -> Val {
        if value.is_compile_time() {
            let lowered = self.lower(value);
            return Val::Str(crate::backend::value_to_json(&lowered).to_string());
        }
        let mut spliced = Vec::new();
        let skeleton = self.json_skeleton(value, &mut spliced);
        let text = crate::backend::value_to_json(&skeleton).to_string();
        // `split` alternates literal text and placeholder indexes.
        let mut pieces: Vec<String> = text.split(PLACEHOLDER).map(str::to_string).collect();
        let mut parts = Vec::new();
        for i in 0..pieces.len() {
            if i % 2 == 0 {
                parts.push(Val::Str(std::mem::take(&mut pieces[i])));
                continue;
            }
            let Some((part, quoted)) = pieces[i].parse::<usize>().ok().and_then(|n| spliced.get(n).cloned()) else {
                continue;
            };
            if !quoted {
                // Drop the quotes around the placeholder.
                if let Some(Val::Str(before)) = parts.last_mut() {
                    before.pop();
                }
                if let Some(after) = pieces.get_mut(i + 1) {
                    after.remove(0);
                }
            }
            parts.push(part);
        }
        self.concat(parts)
    }

    /// The JSON of `value` with a placeholder string for each deploy-time
    /// part, recorded in `spliced` with whether it goes inside quotes.
    fn json_skeleton(&mut self, value: &Val, spliced: &mut Vec<(Val, bool)>) -> Value {
        let mut splice = |part: Val, quoted: bool| {
            spliced.push((part, quoted));
            Value::String(format!("{PLACEHOLDER}{}{PLACEHOLDER}", spliced.len() - 1))
        };
        match value {
            Val::List(items) => Value::List(items.iter().map(|i| self.json_skeleton(i, spliced)).collect()),
            Val::Object(entries) => {
                Value::Object(entries.iter().map(|(k, v)| (k.clone(), self.json_skeleton(v, spliced))).collect())
            }
            Val::Cond(cond) => {
                let name = self.condition_name(cond);
                let text = |b: bool| Value::String(b.to_string());
                splice(
                    deploy(Ty::String, Value::intrinsic(Intrinsic::If(name, text(true), text(false))), &cond.origin),
                    false,
                )
            }
            Val::Deploy(d) => match (&d.ty, &d.value) {
                (Ty::Number | Ty::Bool, _) => splice(value.clone(), false),
                (Ty::Object | Ty::List(_) | Ty::Any, Value::Intrinsic(intrinsic)) => match intrinsic.as_ref() {
                    Intrinsic::If(condition, a, b) if !has_intrinsic(a) && !has_intrinsic(b) => {
                        let json = |v: &Value| Value::String(crate::backend::value_to_json(v).to_string());
                        let branches = Intrinsic::If(condition.clone(), json(a), json(b));
                        splice(deploy(Ty::String, Value::intrinsic(branches), &d.origin), false)
                    }
                    _ => splice(value.clone(), true),
                },
                // The literal text of an interpolation must be escaped as JSON.
                (_, Value::Intrinsic(intrinsic)) => match intrinsic.as_ref() {
                    Intrinsic::Sub(template, variables) => {
                        let escaped = Intrinsic::Sub(json_escape_template(template), variables.clone());
                        splice(deploy(Ty::String, Value::intrinsic(escaped), &d.origin), true)
                    }
                    _ => splice(value.clone(), true),
                },
                _ => splice(value.clone(), true),
            },
            Val::Resource(_) => splice(value.clone(), true),
            other => self.lower(other),
        }
    }
}

/// Equality of compile-time values; deploy-time values are never equal.
/// `Fn::Cidr` computed at compile time: the first `count` subnets of
/// `block` with `host_bits` bits for hosts (IPv4).
fn fold_cidr(block: &str, count: Option<u64>, host_bits: Option<u64>) -> Result<Vec<String>, String> {
    let (address, prefix) = block.split_once('/').ok_or_else(|| format!("`{block}` is not a CIDR block"))?;
    let address: std::net::Ipv4Addr = address.parse().map_err(|_| format!("`{block}` is not an IPv4 CIDR block"))?;
    let prefix: u32 =
        prefix.parse().ok().filter(|p| *p <= 32).ok_or_else(|| format!("`{block}` has no valid prefix"))?;
    let (count, host_bits) = match (count, host_bits) {
        (Some(c), Some(h)) if (1..=256).contains(&c) && h <= 32 => (c, h as u32),
        _ => return Err("the count must be 1 to 256 and the host bits 0 to 32".to_string()),
    };
    let subnet_prefix = 32 - host_bits;
    if subnet_prefix < prefix {
        return Err(format!("subnets with {host_bits} host bits are larger than `{block}`"));
    }
    let available = 1u64 << (subnet_prefix - prefix);
    if count > available {
        return Err(format!("`{block}` holds only {available} subnets with {host_bits} host bits, not {count}"));
    }
    let base = u32::from(address) & (u32::MAX.checked_shl(32 - prefix).unwrap_or(0));
    Ok((0..count)
        .map(|i| {
            let start = base as u64 + (i << host_bits);
            format!("{}/{subnet_prefix}", std::net::Ipv4Addr::from(start as u32))
        })
        .collect())
}

fn same_value(a: &Val, b: &Val) -> bool {
    match (a, b) {
        (Val::Null, Val::Null) => true,
        (Val::Bool(x), Val::Bool(y)) => x == y,
        (Val::Number(x), Val::Number(y)) => x.as_f64() == y.as_f64(),
        (Val::Str(x), Val::Str(y)) => x == y,
        (Val::List(x), Val::List(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same_value(a, b)),
        (Val::Object(x), Val::Object(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|((ka, va), (kb, vb))| ka == kb && same_value(va, vb))
        }
        _ => false,
    }
}

fn contains_import(value: &Value) -> bool {
    match value {
        Value::Intrinsic(intrinsic) => match intrinsic.as_ref() {
            Intrinsic::ImportValue(_) => true,
            Intrinsic::Sub(_, variables) => variables.iter().any(|(_, v)| contains_import(v)),
            Intrinsic::Join(_, v) | Intrinsic::Split(_, v) | Intrinsic::Base64(v) | Intrinsic::GetAZs(v) => {
                contains_import(v)
            }
            Intrinsic::Select(a, b) | Intrinsic::If(_, a, b) | Intrinsic::FindInMap(_, a, b) => {
                contains_import(a) || contains_import(b)
            }
            _ => false,
        },
        Value::List(items) => items.iter().any(contains_import),
        Value::Object(entries) => entries.iter().any(|(_, v)| contains_import(v)),
        _ => false,
    }
}

fn has_intrinsic(value: &Value) -> bool {
    match value {
        Value::Intrinsic(_) => true,
        Value::List(items) => items.iter().any(has_intrinsic),
        Value::Object(entries) => entries.iter().any(|(_, v)| has_intrinsic(v)),
        _ => false,
    }
}

/// Escapes the literal text of an `Fn::Sub` template for use inside a JSON
/// string, leaving its `${...}` references alone.
fn json_escape_template(template: &str) -> String {
    let mut out = String::with_capacity(template.len());
    let mut in_reference = false;
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        if in_reference {
            in_reference = c != '}';
            out.push(c);
            continue;
        }
        match c {
            '$' if chars.peek() == Some(&'{') => {
                in_reference = true;
                out.push(c);
            }
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            other => out.push(other),
        }
    }
    out
}

/// A private-use character: JSON serialisation leaves it unescaped, and it
/// cannot occur in a program's text by accident.
const PLACEHOLDER: char = '\u{E000}';
