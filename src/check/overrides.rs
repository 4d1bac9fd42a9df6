//! The escape hatch: `@override("path", { ... })` on a construct instance
//! changes the properties of a resource the instance creates;
//! `@assert(condition, "message")` on a construct's parameter rejects
//! arguments the construct cannot serve, and `@expect(condition, "message")`
//! warns about arguments it serves but advises against.
//!
//! An override's properties are merged into the resource's own, object by
//! object; `null` removes a property. The result is checked against the
//! resource schema like any L1 resource, with each property's span pointing
//! at whoever wrote it: the construct or the override.

use super::decorators::{Assertion, DecoratorKind, Pair};
use super::value::Val;
use super::{Checker, FrameId, FrameKind};
use crate::diagnostics::builder as diag;
use crate::diagnostics::facts::ValueRole;
use crate::diagnostics::suggest::did_you_mean;
use crate::source::Span;
use crate::syntax::ast;

/// One `@override` of an instance.
pub(super) struct Override<'a> {
    /// Resource names inside the instance, outermost first (a loop
    /// resource's key may follow its name).
    pub path: Vec<String>,
    pub path_span: Span,
    pub value: Val,
    pub expr: &'a ast::Expr,
    pub used: bool,
}

impl<'a> Checker<'a> {
    /// The `@override`s written on an instance's declaration.
    pub(super) fn overrides_of(&mut self, written: &[Pair<'a>]) -> Vec<Override<'a>> {
        let mut overrides = Vec::new();
        for &Pair { first: path_expr, second: properties, .. } in written {
            let path = match self.eval(path_expr) {
                Val::Str(path) if !path.is_empty() => path,
                Val::Error => continue,
                other => {
                    let name = DecoratorKind::Override.name();
                    let found = other.kind();
                    self.report(diag::decorator_argument_type(path_expr.span, name, ValueRole::OverridePath, &found));
                    continue;
                }
            };
            let value = self.eval(properties);
            let value = match self.instances_as_values_in(value, properties) {
                value @ Val::Object(_) => value,
                Val::Error => continue,
                other => {
                    let name = DecoratorKind::Override.name();
                    let found = other.kind();
                    self.report(diag::decorator_argument_type(properties.span, name, ValueRole::Properties, &found));
                    continue;
                }
            };
            let path = path.split('.').map(str::to_string).collect();
            overrides.push(Override { path, path_span: path_expr.span, value, expr: properties, used: false });
        }
        overrides
    }

    /// The overrides that reach the resource `name` (loop item `key`) of
    /// `frame`, innermost instance first, so that the outermost wins. Marks
    /// them used and records the resource's path for did-you-mean.
    pub(super) fn overrides_for(&mut self, frame: FrameId, name: &str, key: Option<&str>) -> Vec<(Val, &'a ast::Expr)> {
        let mut found = Vec::new();
        let mut relative: Vec<String> = vec![name.to_string()];
        let mut current = frame;
        loop {
            let with_key: Vec<String> = relative.iter().cloned().chain(key.map(str::to_string)).collect();
            self.frames[current].override_targets.push(with_key.join("."));
            for index in 0..self.frames[current].overrides.len() {
                let path = &self.frames[current].overrides[index].path;
                if *path == relative || *path == with_key {
                    let entry = &mut self.frames[current].overrides[index];
                    entry.used = true;
                    found.push((entry.value.clone(), entry.expr));
                }
            }
            let FrameKind::Instance { parent, name, .. } = &self.frames[current].kind else { break };
            let (parent, mut outer) = (*parent, name.clone());
            outer.append(&mut relative);
            relative = outer;
            current = parent;
        }
        found
    }

    /// Overrides of an instance that named no resource it creates.
    pub(super) fn report_unused_overrides(&mut self, frame: FrameId) {
        let unused: Vec<(String, Span)> =
            self.frames[frame].overrides.iter().filter(|o| !o.used).map(|o| (o.path.join("."), o.path_span)).collect();
        let targets = std::mem::take(&mut self.frames[frame].override_targets);
        for (path, span) in unused {
            let suggestion = did_you_mean(&path, targets.iter().map(String::as_str));
            let targets: Vec<&str> = targets.iter().map(String::as_str).collect();
            self.report(diag::unknown_override_target(span, &path, suggestion, &targets));
        }
    }

    /// Evaluates the `@assert`s of a construct's parameters in an
    /// instance's frame; a compile-time `false` fails the instance. When they
    /// all hold, the `@expect`s are evaluated the same way, a `false` one a
    /// warning. Conditions known only at deploy time cannot be checked here.
    /// Returns whether the assertions all hold.
    pub(super) fn check_assertions(&mut self, frame: FrameId, construct: &'a ast::Construct, body: &ast::Expr) -> bool {
        let mut hold = true;
        for (item, param) in construct.params() {
            for assertion in self.param_attrs(item).asserts {
                if let Some((span, set_here, message)) =
                    self.failed_rule(frame, param, assertion, DecoratorKind::Assert, body)
                {
                    self.report(diag::assertion_failed(
                        span,
                        &param.name.node,
                        set_here,
                        message.as_deref(),
                        assertion.decorator.span,
                    ));
                    hold = false;
                }
            }
        }
        // An instance already rejected would only be warned about values
        // that are wrong anyway.
        if !hold {
            return false;
        }
        for (item, param) in construct.params() {
            for expectation in self.param_attrs(item).expects {
                if let Some((span, set_here, message)) =
                    self.failed_rule(frame, param, expectation, DecoratorKind::Expect, body)
                {
                    self.report(diag::expectation_unmet(
                        span,
                        &param.name.node,
                        set_here,
                        message.as_deref(),
                        expectation.decorator.span,
                    ));
                }
            }
        }
        true
    }

    /// Where and how an `@assert` or `@expect` of `param` reports that its
    /// condition is `false` for the instance of `frame`: at the property,
    /// when the instance sets it (in its body, or through a group of the
    /// instance that declares it), else at the whole body; whether it is the
    /// property; the rule's message. `None` when it holds or is not known.
    fn failed_rule(
        &mut self,
        frame: FrameId,
        param: &ast::Param,
        rule: Assertion<'a>,
        kind: DecoratorKind,
        body: &ast::Expr,
    ) -> Option<(Span, bool, Option<String>)> {
        let holds = self.in_frame(frame, |c| c.condition_argument(rule.condition, kind));
        if !matches!(holds, Some(Val::Bool(false))) {
            return None;
        }
        let message = match self.in_frame(frame, |c| c.eval(rule.message)) {
            Val::Str(message) => Some(message),
            _ => None,
        };
        let set_at = self.frames[frame].arg_spans.get(&param.name.node).copied();
        Some((set_at.unwrap_or(body.span), set_at.is_some(), message))
    }
}

/// `over` merged into `base`: objects key by key, anything else replaced;
/// `null` removes the key.
pub(super) fn merge_values(base: Val, over: &Val) -> Val {
    match (base, over) {
        (Val::Object(mut entries), Val::Object(changes)) => {
            for (key, change) in changes {
                let position = entries.iter().position(|(k, _)| k == key);
                match (position, change) {
                    (Some(i), Val::Null) => {
                        entries.remove(i);
                    }
                    (None, Val::Null) => {}
                    (Some(i), change) => {
                        let old = std::mem::replace(&mut entries[i].1, Val::Null);
                        entries[i].1 = merge_values(old, change);
                    }
                    (None, change) => entries.push((key.clone(), change.clone())),
                }
            }
            Val::Object(entries)
        }
        (_, over) => over.clone(),
    }
}
