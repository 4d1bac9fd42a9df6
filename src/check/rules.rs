//! Template `Rules`: an `@assert(condition, "message")` on a parameter
//! CloudFormation receives becomes a rule whose assertion CloudFormation
//! checks before it creates or updates anything (a construct's `@assert`
//! on a value known at compile time is checked by the compiler instead).
//!
//! A rule's functions are a condition's (`Fn::Equals`, `Fn::Not`,
//! `Fn::And`, `Fn::Or`) and the rule functions (`Fn::EachMemberIn`, ...,
//! `builtins/rules.rs`, callable only while `in_assert` is set here), but a
//! rule cannot name a condition: named
//! conditions are written out in place. An implication `!when || then`
//! becomes `RuleCondition: when` and `Assert: then`, as rules are usually
//! written.
//!
//! A rule is named after its parameter (`StageRule`, `StageRule2`), or by
//! the assertion's third argument (`@assert(c, "message", "CreateLogs")`);
//! two rules of one stack may not share a name (`declare_param` checks).

use std::rc::Rc;

use super::decorators::{Arg, DecoratorKind};
use super::value::{Cond, CondNode, Val};
use super::Checker;
use crate::diagnostics::builder as diag;
use crate::hir;
use crate::source::Span;
use crate::syntax::ast;

impl<'a> Checker<'a> {
    /// The rules of the `@assert`s of a parameter left to CloudFormation,
    /// whose logical ID is `parameter_id`, each with the span that names it
    /// (the name argument, or the decorator). An assertion already false at
    /// compile time is reported (on a stack's own parameter; a construct's
    /// are checked with its instance).
    pub(super) fn parameter_rules(
        &mut self,
        item: &'a ast::Item,
        parameter_id: &str,
        stack_param: bool,
    ) -> Vec<(hir::Rule, Span)> {
        let mut rules = Vec::new();
        let mut generated = 0;
        for assertion in self.param_attrs(item).asserts {
            let message = Arg { decorator: assertion.decorator, value: assertion.message };
            // The rule functions (`each_member_in`, ...) are written in the
            // assertion itself; a `let` or function it reads is evaluated
            // outside (`in_frame` clears the flag).
            let outer = std::mem::replace(&mut self.in_assert, true);
            let condition = self.condition_argument(assertion.condition, DecoratorKind::Assert);
            self.in_assert = outer;
            match condition {
                Some(Val::Cond(cond)) => {
                    // An empty message says nothing: CloudFormation's own is shown.
                    let description =
                        self.string_argument(message, DecoratorKind::Assert).filter(|text| !text.is_empty());
                    let (condition, assert) = match implication(&cond) {
                        Some((when, then)) => (Some(inline(when)), inline(then)),
                        None => (None, inline(&cond)),
                    };
                    let (logical_id, span) = match assertion.rule_name {
                        Some(name) => {
                            let Some(id) = self.rule_name(item, Arg { decorator: assertion.decorator, value: name })
                            else {
                                continue;
                            };
                            (id, name.span)
                        }
                        None => {
                            generated += 1;
                            let id = match generated {
                                1 => format!("{parameter_id}Rule"),
                                n => format!("{parameter_id}Rule{n}"),
                            };
                            (id, assertion.decorator.span)
                        }
                    };
                    let rule =
                        hir::Rule { logical_id, condition, assertions: vec![hir::Assertion { assert, description }] };
                    rules.push((rule, span));
                }
                Some(Val::Bool(false)) if stack_param => {
                    let description = self.string_argument(message, DecoratorKind::Assert);
                    let name = item.kind.name().map(|n| n.node.as_str()).unwrap_or_default();
                    let span = assertion.condition.span;
                    self.report(diag::parameter_assertion_failed(span, name, description.as_deref()));
                }
                _ => {}
            }
        }
        rules
    }

    /// The rule name an assertion's third argument gives: a string known
    /// at compile time that is a valid logical ID (prefixed like the
    /// parameter's, in a construct's frame).
    fn rule_name(&mut self, item: &'a ast::Item, name: Arg<'a>) -> Option<String> {
        let written = self.string_argument(name, DecoratorKind::Assert)?;
        if !super::is_valid_logical_id(&written) {
            let param = item.kind.name().map(|n| n.node.as_str()).unwrap_or_default();
            self.report(diag::invalid_logical_id(name.value.span, param, &written));
            return None;
        }
        Some(format!("{}{written}", self.frames[self.frame].prefix))
    }

    /// Adds a parameter's rules to its stack; a name another rule of the
    /// stack has is an error (CloudFormation keys `Rules` by name).
    pub(super) fn add_rules(&mut self, stack: usize, rules: Vec<(hir::Rule, Span)>) {
        for (rule, span) in rules {
            let first = self.stacks[stack].rules.iter().find(|(r, _)| r.logical_id == rule.logical_id);
            match first {
                Some((_, first)) => {
                    let first = *first;
                    self.report(diag::rule_name_collision(span, &rule.logical_id, first));
                }
                None => self.stacks[stack].rules.push((rule, span)),
            }
        }
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
        CondNode::Rule(function, a, b) => hir::CondExpr::Rule(*function, a.clone(), b.clone()),
    }
}
