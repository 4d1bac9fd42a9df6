//! A parameter's constraints (`@allowed`, `@min`, `@max`, `@min_length`,
//! `@max_length`, `@pattern`): their arguments evaluated once per parameter,
//! and the one check of a value against them, which a parameter's default
//! and a construct instance's property go through alike.
//!
//! They mean what CloudFormation's `AllowedValues`, `MinValue`, `MaxValue`,
//! `MinLength`, `MaxLength` and `AllowedPattern` mean: values compare as
//! text, a pattern is a Java regular expression that must match the whole
//! value, and a list's items are checked one by one. On a construct's
//! parameter, a length also bounds a list's number of items.

use std::rc::Rc;

use serde_json::Number;

use super::{Arg, DecoratorKind, ItemKey, Place};
use crate::check::shapes::Shape;
use crate::check::value::{Ty, Val};
use crate::check::{Checker, FrameId};
use crate::diagnostics::builder as diag;
use crate::diagnostics::facts::{ConstrainedValue, ConstraintFamily, LengthUnit, ValueRole, Violation};
use crate::schema::validate::pattern::{self, Compiled, Dialect};
use crate::source::Span;
use crate::syntax::ast::Item;

/// One constraint of a parameter, with the decorator that states it.
#[derive(Debug)]
pub(crate) struct Constraint {
    pub rule: Rule,
    pub decorator: Span,
}

#[derive(Debug)]
pub(crate) enum Rule {
    /// The values, compared as text.
    Allowed(Vec<Val>),
    Min(Number),
    Max(Number),
    MinLength(u64),
    MaxLength(u64),
    Pattern {
        text: String,
        compiled: Compiled,
    },
}

impl Rule {
    /// How a compile-time value breaks the rule, if it does.
    pub(crate) fn check(&self, value: &Val) -> Option<Violation> {
        let items: Vec<&Val> = match value {
            Val::List(items) => items.iter().collect(),
            other => vec![other],
        };
        let as_f64 = |n: &Number| n.as_f64().unwrap_or_default();
        match self {
            Rule::Allowed(allowed) => {
                let texts: Vec<String> = allowed.iter().filter_map(Val::scalar_text).collect();
                let outside = items.iter().filter_map(|item| item.scalar_text()).any(|text| !texts.contains(&text));
                outside.then_some(Violation::NotAllowed { allowed: texts })
            }
            Rule::Min(minimum) => match value {
                Val::Number(n) if as_f64(n) < as_f64(minimum) => {
                    Some(Violation::BelowMinimum { minimum: minimum.clone() })
                }
                _ => None,
            },
            Rule::Max(maximum) => match value {
                Val::Number(n) if as_f64(n) > as_f64(maximum) => {
                    Some(Violation::AboveMaximum { maximum: maximum.clone() })
                }
                _ => None,
            },
            Rule::MinLength(minimum) => match length(value) {
                Some((length, unit)) if (length as u64) < *minimum => {
                    Some(Violation::TooShort { length, minimum: *minimum, unit })
                }
                _ => None,
            },
            Rule::MaxLength(maximum) => match length(value) {
                Some((length, unit)) if (length as u64) > *maximum => {
                    Some(Violation::TooLong { length, maximum: *maximum, unit })
                }
                _ => None,
            },
            Rule::Pattern { text, compiled } => {
                let mismatch = items.iter().any(|item| match item {
                    Val::Str(s) => compiled.matches(s) == Some(false),
                    _ => false,
                });
                mismatch.then(|| Violation::NoMatch { pattern: text.clone() })
            }
        }
    }
}

/// The type a construct parameter's constraints apply to: `None` for any
/// value, an object for a record.
pub(in crate::check) fn declared_type(shape: &Shape) -> Option<Ty> {
    match shape {
        Shape::Any => None,
        Shape::Type(ty) => Some(ty.clone()),
        Shape::List(item) => Some(Ty::List(Box::new(declared_type(item).unwrap_or(Ty::Any)))),
        Shape::Record(_) => Some(Ty::Object),
    }
}

/// A string's characters or a list's items.
fn length(value: &Val) -> Option<(usize, LengthUnit)> {
    match value {
        Val::Str(s) => Some((s.chars().count(), LengthUnit::Characters)),
        Val::List(items) => Some((items.len(), LengthUnit::Items)),
        _ => None,
    }
}

impl<'a> Checker<'a> {
    /// The constraints of a parameter, evaluated on first use in `frame`
    /// (for a construct's parameter, its module's frame) and reported
    /// there once. `ty` is the declared type; `None` accepts anything.
    pub(in crate::check) fn param_constraints(
        &mut self,
        item: &'a Item,
        frame: FrameId,
        ty: Option<&Ty>,
    ) -> Rc<Vec<Constraint>> {
        if let Some(known) = self.decorators.constraints.get(&ItemKey::of(item)) {
            return known.clone();
        }
        let frame = match self.place(item) {
            Some(Place::ConstructParam) => self.module_frames[self.frames[frame].module],
            _ => frame,
        };
        let attrs = self.param_attrs(item);
        let mut constraints = Vec::new();
        let mut add = |rule: Option<Rule>, arg: Arg<'a>| {
            if let Some(rule) = rule {
                constraints.push(Constraint { rule, decorator: arg.decorator.span });
            }
        };
        let is = |wanted: fn(&Ty) -> bool| ty.is_none_or(wanted);
        if let Some(arg) = attrs.allowed {
            let rule = if matches!(ty, Some(Ty::Bool)) {
                self.report(diag::allowed_on_bool(arg.value.span));
                None
            } else {
                self.in_frame(frame, |c| c.allowed_values(arg))
            };
            add(rule, arg);
        }
        for (arg, kind, is_min) in [(attrs.min, DecoratorKind::Min, true), (attrs.max, DecoratorKind::Max, false)] {
            let Some(arg) = arg else { continue };
            if !is(|ty| *ty == Ty::Number) {
                self.report(diag::constraint_not_applicable(
                    arg.decorator.name.span,
                    kind.name(),
                    ConstraintFamily::Bound,
                ));
                continue;
            }
            let bound = self.in_frame(frame, |c| c.number_argument(arg, kind));
            add(bound.map(|n| if is_min { Rule::Min(n) } else { Rule::Max(n) }), arg);
        }
        for (arg, kind, is_min) in
            [(attrs.min_length, DecoratorKind::MinLength, true), (attrs.max_length, DecoratorKind::MaxLength, false)]
        {
            let Some(arg) = arg else { continue };
            if !is(|ty| matches!(ty, Ty::String | Ty::List(_) | Ty::Any)) {
                self.report(diag::constraint_not_applicable(
                    arg.decorator.name.span,
                    kind.name(),
                    ConstraintFamily::Length,
                ));
                continue;
            }
            let bound = self.in_frame(frame, |c| c.length_argument(arg, kind));
            add(bound.map(|n| if is_min { Rule::MinLength(n) } else { Rule::MaxLength(n) }), arg);
        }
        if let Some(arg) = attrs.pattern {
            if is(|ty| matches!(ty, Ty::String | Ty::Any) || *ty == Ty::List(Box::new(Ty::String))) {
                let rule = self.in_frame(frame, |c| c.pattern_rule(arg));
                add(rule, arg);
            } else {
                let name = DecoratorKind::Pattern.name();
                self.report(diag::constraint_not_applicable(arg.decorator.name.span, name, ConstraintFamily::Pattern));
            }
        }
        let constraints = Rc::new(constraints);
        self.decorators.constraints.insert(ItemKey::of(item), constraints.clone());
        constraints
    }

    /// Checks a value against constraints when it is known at compile time,
    /// reporting each one it breaks. Returns whether it passed them all.
    pub(in crate::check) fn check_constraints(
        &mut self,
        constraints: &[Constraint],
        value: &Val,
        span: Span,
        whose: ConstrainedValue,
    ) -> bool {
        if !value.is_compile_time() || value.contains_error() {
            return true;
        }
        let mut passed = true;
        for constraint in constraints {
            if let Some(violation) = constraint.rule.check(value) {
                self.report(diag::constraint_violated(span, whose, &violation, constraint.decorator));
                passed = false;
            }
        }
        passed
    }

    fn allowed_values(&mut self, arg: Arg<'a>) -> Option<Rule> {
        match self.eval(arg.value) {
            Val::List(items) if items.iter().all(|item| item.scalar_text().is_some()) => Some(Rule::Allowed(items)),
            Val::Error => None,
            other => {
                let name = DecoratorKind::Allowed.name();
                self.report(diag::decorator_argument_type(
                    arg.value.span,
                    name,
                    ValueRole::AllowedValues,
                    &other.kind(),
                ));
                None
            }
        }
    }

    fn length_argument(&mut self, arg: Arg<'a>, kind: DecoratorKind) -> Option<u64> {
        let bound = self.number_argument(arg, kind)?;
        if bound.as_u64().is_none() {
            self.report(diag::length_bound_not_whole(arg.value.span, kind.name(), &bound));
        }
        bound.as_u64()
    }

    /// `@pattern`: a Java regular expression. One Java rejects is an error;
    /// one infrac cannot evaluate is left to CloudFormation, with a warning.
    fn pattern_rule(&mut self, arg: Arg<'a>) -> Option<Rule> {
        let text = self.string_argument(arg, DecoratorKind::Pattern)?;
        let compiled = pattern::compile(Dialect::Java, &text);
        match &compiled {
            Compiled::Checked(_) => {}
            Compiled::Invalid(invalid) => {
                self.report(diag::invalid_pattern(arg.value.span, invalid));
                return None;
            }
            Compiled::Unsupported(why) => self.report(diag::unchecked_pattern(arg.value.span, why)),
        }
        Some(Rule::Pattern { text, compiled })
    }
}
