//! User functions: `let name(a, b) = body`, pure and evaluated at each
//! call, in the scope where the function is declared (it sees that file's
//! or construct's names and its own parameters, never the caller's loop
//! variables). A function that calls itself, directly or not, is a cycle
//! (`E0203`): every call must end.

use super::value::Val;
use super::{Checker, DeclId};
use crate::diagnostics::builder as diag;
use crate::diagnostics::facts::Callee;
use crate::source::Span;
use crate::syntax::ast::ItemKind;

impl Checker<'_> {
    /// Whether the `let` at `decl` is a function.
    pub(super) fn is_function(&self, decl: DeclId) -> bool {
        matches!(&self.item(decl).kind, ItemKind::Let(let_) if let_.params.is_some())
    }

    /// `name(values...)` of the function at `decl`.
    pub(super) fn call_function(&mut self, decl: DeclId, name: &str, values: Vec<Val>, span: Span) -> Val {
        let ItemKind::Let(let_) = &self.item(decl).kind else { return Val::Error };
        let params = let_.params.as_deref().unwrap_or_default();
        if params.len() != values.len() {
            let n = params.len();
            let callee = Callee::UserFunction(name, let_.name.span);
            self.report(diag::argument_count(span, callee, n, Some(n), values.len()));
            return Val::Error;
        }
        if values.iter().any(Val::contains_error) {
            return Val::Error;
        }
        if self.in_progress.contains(&decl) {
            self.report_cycle(decl);
            return Val::Error;
        }
        self.in_progress.push(decl);
        let value = self.in_frame(decl.0, |checker| {
            for (param, value) in params.iter().zip(values) {
                checker.locals.push((param.node.clone(), value));
            }
            checker.eval(&let_.value)
        });
        self.in_progress.pop();
        value
    }
}
