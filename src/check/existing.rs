//! `existing NAME: ns.Construct { ... }`: infrastructure the program does
//! not manage (a VPC, a bucket, a cluster made elsewhere), described as an
//! instance of a construct so that every construct taking one accepts it.
//!
//! A description gives some of the construct's outputs: literal IDs,
//! parameters (SSM parameter types included), imports. It creates nothing;
//! its value is an instance whose outputs are the attributes given (see
//! [`InstanceSource::Existing`]), and reading one it does not give is an
//! error where it is read (`E0228`), moved to the user's instance when the
//! read is inside the standard library.

use std::rc::Rc;

use super::decl::output_indices;
use super::value::{InstanceSource, InstanceValue, Val};
use super::{Checker, DeclId, Memo};
use crate::diagnostics::builder as diag;
use crate::diagnostics::facts::ValueRole;
use crate::diagnostics::suggest::did_you_mean;
use crate::syntax::ast::ItemKind;

impl<'a> Checker<'a> {
    /// The instance an `existing` declaration describes, evaluated once.
    pub(super) fn existing_value(&mut self, decl: DeclId) -> Val {
        let memo_key = (decl.0, decl.1, String::new());
        match self.instances.get(&memo_key) {
            Some(Memo::Done(value)) => return value.clone(),
            Some(Memo::InProgress) => {
                self.report_cycle(decl);
                return Val::Error;
            }
            None => {}
        }
        let ItemKind::Existing(existing) = &self.item(decl).kind else { return Val::Error };
        self.instances.insert(memo_key.clone(), Memo::InProgress);
        self.in_progress.push(decl);
        let value = self.describe_existing(decl, existing);
        self.in_progress.pop();
        self.instances.insert(memo_key, Memo::Done(value.clone()));
        value
    }

    fn describe_existing(&mut self, decl: DeclId, existing: &crate::syntax::ast::Existing) -> Val {
        let construct = &existing.construct;
        let Some((module, index)) = self.in_frame(decl.0, |c| c.resolve_construct(&construct.node, construct.span))
        else {
            // Still report what is wrong in the attributes.
            self.in_frame(decl.0, |c| c.eval(&existing.body));
            return Val::Error;
        };
        let ItemKind::Construct(definition) = &self.modules[module].file.items[index].kind else { return Val::Error };
        let outputs = output_indices(&definition.items);
        let display = self.construct_display((module, index));
        let context = format!("{}{}", self.frames[decl.0].prefix, super::pascal_case(&existing.name.node));
        let body = self.in_frame(decl.0, |c| {
            c.context_id = context;
            c.eval(&existing.body)
        });
        let entries = match body {
            Val::Object(entries) => entries,
            // Reported already; the reads would only repeat it.
            Val::Error => return Val::Error,
            other => {
                self.report(diag::type_mismatch(existing.body.span, ValueRole::Properties, &other.kind()));
                return Val::Error;
            }
        };
        let known: Vec<&str> = outputs.iter().map(|(name, _)| name.as_str()).collect();
        let mut attributes = Vec::with_capacity(entries.len());
        let mut misspelt = false;
        for (key, value) in entries {
            if known.contains(&key.as_str()) {
                attributes.push((key, value));
                continue;
            }
            let written = existing.body.node.property(&key);
            let span = written.map_or(existing.body.span, |p| p.key.span);
            misspelt = true;
            let suggestion = did_you_mean(&key, known.iter().copied());
            self.report(diag::unknown_existing_attribute(span, &key, &display, suggestion, &known));
        }
        Val::Instance(Rc::new(InstanceValue {
            construct: display,
            kind: (module, index),
            name: existing.name.node.clone(),
            primary: self.primary_output(&definition.items),
            outputs,
            source: InstanceSource::Existing { attributes, declared: existing.name.span, misspelt },
        }))
    }

    /// An output the description does not give, computed by the output's
    /// `@derived(expr)` from the attributes it gives (the names in `expr`),
    /// in the construct's module; `None` when it has none, or needs an
    /// attribute the description does not give either.
    pub(super) fn derived_output(
        &mut self,
        instance: &InstanceValue,
        index: usize,
        attributes: &[(String, Val)],
    ) -> Option<Val> {
        let (module, construct) = instance.kind;
        let ItemKind::Construct(definition) = &self.modules[module].file.items[construct].kind else { return None };
        let derived = self.derived_attr(definition.items.get(index)?)?;
        // Every output the expression names must be given.
        let mut needs_missing = false;
        derived.value.walk(&mut |expr| {
            if let crate::syntax::ast::ExprKind::Name(name) = &expr.node {
                let is_output = instance.outputs.iter().any(|(output, _)| output == name);
                needs_missing |= is_output && !attributes.iter().any(|(given, _)| given == name);
            }
        });
        if needs_missing {
            return None;
        }
        let module_frame = self.module_frames[module];
        Some(self.in_frame(module_frame, |c| {
            c.locals = attributes.to_vec();
            c.eval(derived.value)
        }))
    }
}
