//! Template `Rules`: an `@assert(condition, "message")` on a parameter
//! CloudFormation receives becomes a rule whose assertion CloudFormation
//! checks before it creates or updates anything (a construct's `@assert`
//! on a value known at compile time is checked by the compiler instead).
//!
//! A rule's functions are a condition's (`Fn::Equals`, `Fn::Not`,
//! `Fn::And`, `Fn::Or`), but a rule cannot name a condition: named
//! conditions are written out in place. An implication `!when || then`
//! becomes `RuleCondition: when` and `Assert: then`, as rules are usually
//! written.

use std::rc::Rc;

use super::decorators::{Arg, DecoratorKind};
use super::value::{Cond, CondNode, Val};
use super::Checker;
use crate::diagnostics::builder as diag;
use crate::hir;
use crate::syntax::ast;

impl<'a> Checker<'a> {
    /// The rules of the `@assert`s of a parameter left to CloudFormation,
    /// whose logical ID is `parameter_id`. An assertion already false at
    /// compile time is reported (on a stack's own parameter; a construct's
    /// are checked with its instance).
    pub(super) fn parameter_rules(
        &mut self,
        item: &'a ast::Item,
        parameter_id: &str,
        stack_param: bool,
    ) -> Vec<hir::Rule> {
        let mut rules = Vec::new();
        for assertion in self.param_attrs(item).asserts {
            let message = Arg { decorator: assertion.decorator, value: assertion.second };
            match self.condition_argument(assertion.first, DecoratorKind::Assert) {
                Some(Val::Cond(cond)) => {
                    let description = self.string_argument(message, DecoratorKind::Assert);
                    let (condition, assert) = match implication(&cond) {
                        Some((when, then)) => (Some(inline(when)), inline(then)),
                        None => (None, inline(&cond)),
                    };
                    let logical_id = match rules.len() {
                        0 => format!("{parameter_id}Rule"),
                        n => format!("{parameter_id}Rule{}", n + 1),
                    };
                    rules.push(hir::Rule {
                        logical_id,
                        condition,
                        assertions: vec![hir::Assertion { assert, description }],
                    });
                }
                Some(Val::Bool(false)) if stack_param => {
                    let description = self.string_argument(message, DecoratorKind::Assert);
                    let name = item.kind.name().map(|n| n.node.as_str()).unwrap_or_default();
                    let span = assertion.first.span;
                    self.report(diag::parameter_assertion_failed(span, name, description.as_deref()));
                }
                _ => {}
            }
        }
        rules
    }
}

/// `!when || then`, as `(when, then)`.
fn implication(cond: &Cond) -> Option<(&Cond, &Cond)> {
    let CondNode::Or(parts) = &cond.node else { return None };
    match parts.as_slice() {
        [first, then] => match &first.node {
            CondNode::Not(when) => Some((when, then)),
            _ => None,
        },
        _ => None,
    }
}

/// A condition written out in full: a rule cannot name one.
fn inline(cond: &Cond) -> hir::CondExpr {
    let all = |parts: &[Rc<Cond>]| parts.iter().map(|part| inline(part)).collect();
    match &cond.node {
        CondNode::Equals(a, b) => hir::CondExpr::Equals(a.clone(), b.clone()),
        CondNode::Not(inner) => hir::CondExpr::Not(Box::new(inline(inner))),
        CondNode::And(parts) => hir::CondExpr::And(all(parts)),
        CondNode::Or(parts) => hir::CondExpr::Or(all(parts)),
    }
}
