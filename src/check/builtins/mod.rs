//! The built-in functions (`join`, `json`, `lookup`, ...): one registry,
//! [`ALL`], in which each function is one [`Builtin`] holding its name, how
//! many arguments it takes, its documentation and its implementation.
//!
//! Everything else that knows the built-ins is generated from the registry:
//! the checker's dispatch and its `E0204` / `E0302` messages,
//! `infrac explain FUNCTION` ([`Builtin::page`]), `docs/functions.md`
//! ([`reference`]), and the lists in the editor grammars (kept equal by
//! `tests/builtins.rs`).
//!
//! An implementation receives the call with its arguments evaluated and
//! counted: it never sees too few or too many, nor an argument that failed.
//! The functions are grouped by what they work on: [`collections`] fold
//! compile-time lists and objects, [`strings`] build text, [`json`] writes
//! JSON text, [`files`] load the project's files, [`assets`] package them for
//! deployment, [`cloudformation`] stand for CloudFormation's own
//! intrinsics (`Fn::GetAZs`, `Fn::Cidr`, `Fn::FindInMap`, ...), and
//! [`rules`] for those only a rule's assertion may use (`Fn::EachMemberIn`);
//! [`macros`] calls a CloudFormation macro (`Fn::Transform`).

pub(super) mod assets;
mod cloudformation;
mod collections;
mod files;
mod json;
mod macros;
mod rules;
mod strings;

use super::eval::deploy;
use super::value::{assignable, Ty, Val};
use super::Checker;
use crate::diagnostics::builder as diag;
use crate::diagnostics::facts::{CompileTimeNeed, Expected, Kind, Origin};
use crate::hir::{Intrinsic, Value};
use crate::source::Span;
use crate::syntax::ast::Expr;

/// Every built-in function, in alphabetical order.
pub const ALL: &[Builtin] = &[
    cloudformation::AFTER,
    assets::ASSET,
    cloudformation::AZS,
    strings::BASE64,
    cloudformation::CIDR,
    collections::CONCAT,
    collections::CONTAINS,
    assets::DOCKER_IMAGE,
    rules::EACH_MEMBER_EQUALS,
    rules::EACH_MEMBER_IN,
    files::FILE,
    files::FROM_JSON,
    files::FROM_YAML,
    collections::GET,
    cloudformation::IMPORT_VALUE,
    strings::JOIN,
    json::JSON,
    collections::KEYS,
    collections::LENGTH,
    cloudformation::LOOKUP,
    collections::MERGE,
    collections::RANGE,
    rules::REF_ALL,
    collections::SELECT,
    strings::SPLIT,
    cloudformation::STACK_OUTPUT,
    strings::SUB,
    strings::NUMBER,
    macros::TRANSFORM,
    collections::TYPE_OF,
    rules::VALUE_OF,
    rules::VALUE_OF_ALL,
    collections::VALUES,
];

/// A built-in function.
pub struct Builtin {
    pub name: &'static str,
    pub arity: Arity,
    pub doc: Doc,
    implementation: Implementation,
}

/// Computes a call's value, reporting what is wrong with its arguments.
type Implementation = fn(&mut Checker<'_>, &Call<'_>) -> Val;

/// How many arguments a function takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Arity {
    pub min: usize,
    /// `None`: any number from `min` on.
    pub max: Option<usize>,
}

impl Arity {
    const fn exactly(n: usize) -> Arity {
        Arity { min: n, max: Some(n) }
    }

    const fn between(min: usize, max: usize) -> Arity {
        Arity { min, max: Some(max) }
    }

    const fn at_least(min: usize) -> Arity {
        Arity { min, max: None }
    }

    pub fn accepts(self, count: usize) -> bool {
        count >= self.min && self.max.is_none_or(|max| count <= max)
    }
}

/// A function's documentation, rendered by [`Builtin::page`].
pub struct Doc {
    /// The ways to call it, one per arity: `range(n)`, `range(start, end)`;
    /// a trailing `...` repeats the last argument.
    pub signatures: &'static [&'static str],
    /// One line for lists of functions.
    pub summary: &'static str,
    /// One paragraph: what it returns, what must be known at compile time,
    /// and which intrinsic it becomes otherwise.
    pub description: &'static str,
    /// A short program that calls it; it compiles without diagnostics.
    pub example: &'static str,
}

/// The built-in function called `name`.
pub fn named(name: &str) -> Option<&'static Builtin> {
    ALL.iter().find(|builtin| builtin.name == name)
}

/// The names of all built-in functions, in alphabetical order.
pub fn names() -> impl Iterator<Item = &'static str> {
    ALL.iter().map(|builtin| builtin.name)
}

impl Builtin {
    /// The function's reference page (Markdown), as `infrac explain NAME`
    /// prints it.
    pub fn page(&self) -> String {
        self.section("#")
    }

    fn section(&self, heading: &str) -> String {
        let doc = &self.doc;
        let mut out = format!("{heading} `{}`\n\n", self.name);
        out.push_str("```text\n");
        for signature in doc.signatures {
            out.push_str(signature);
            out.push('\n');
        }
        out.push_str("```\n\n");
        out.push_str(doc.description.trim());
        out.push_str("\n\n");
        out.push_str(&format!("{heading}# Example\n\n```infra\n{}\n```\n", doc.example.trim()));
        out
    }

    /// Evaluates a call whose argument count is within [`Builtin::arity`]
    /// and whose arguments hold no error.
    pub(super) fn apply(&self, checker: &mut Checker<'_>, call: &Call<'_>) -> Val {
        debug_assert!(self.arity.accepts(call.values.len()), "`{}` called with a wrong count", self.name);
        (self.implementation)(checker, call)
    }
}

/// `docs/functions.md`: an index of every function, then each one's page.
pub fn reference() -> String {
    let mut out = String::from(
        "# Built-in functions\n\n\
         <!-- Generated from src/check/builtins/ by `UPDATE_DOCS=1 cargo test --test builtins`: do not edit. -->\n\n\
         A value known at compile time is computed by the compiler; a function given a value known only at \
         deploy time becomes the CloudFormation intrinsic that computes it (see \
         [compile time and deploy time](language.md#compile-time-and-deploy-time)).\n\
         `infrac explain NAME` prints a function's section.\n\n\
         | function | what it does |\n|---|---|\n",
    );
    for builtin in ALL {
        out.push_str(&format!("| [`{0}`](#{0}) | {1} |\n", builtin.name, builtin.doc.summary));
    }
    for builtin in ALL {
        out.push('\n');
        out.push_str(&builtin.section("##"));
    }
    out
}

/// A call being evaluated.
pub(super) struct Call<'e> {
    /// The whole call, `join(",", names)`.
    pub span: Span,
    pub args: &'e [Expr],
    /// The arguments' values, instances replaced by their `@primary` output.
    pub values: Vec<Val>,
}

impl Call<'_> {
    /// Argument `i`, or the whole call where an optional argument is missing.
    fn arg_span(&self, i: usize) -> Span {
        self.args.get(i).map_or(self.span, |arg| arg.span)
    }
}

impl Checker<'_> {
    fn mismatch(&mut self, span: Span, expected: impl Into<Expected>, found: &Val) -> Val {
        self.report(diag::type_mismatch(span, expected, &found.kind()));
        Val::Error
    }

    fn compile_time_string(&mut self, value: &Val, span: Span, need: CompileTimeNeed) -> Option<String> {
        match value {
            Val::Str(s) => Some(s.clone()),
            other if !other.is_compile_time() => {
                self.report(diag::not_compile_time(span, need, other.deploy_origin()));
                None
            }
            other => {
                self.mismatch(span, Kind::String, other);
                None
            }
        }
    }

    /// The intrinsic `make` of a string; `function` makes it deploy-time
    /// when the string is known.
    fn string_intrinsic(
        &mut self,
        value: &Val,
        span: Span,
        function: &'static str,
        make: impl FnOnce(Value) -> Intrinsic,
    ) -> Val {
        if !assignable(&value.ty(), &Ty::String) {
            return self.mismatch(span, Kind::String, value);
        }
        let origin = value.deploy_origin().unwrap_or(Origin::Function(function));
        deploy(Ty::String, Value::intrinsic(make(self.lower(value))), origin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_sorted_and_unique() {
        let names: Vec<&str> = names().collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(names, sorted);
    }

    /// Each signature is a call with an accepted number of arguments, and
    /// together they cover the fewest and the most.
    #[test]
    fn signatures_match_the_arity() {
        for builtin in ALL {
            let mut counts = Vec::new();
            for signature in builtin.doc.signatures {
                let inner = signature
                    .strip_prefix(builtin.name)
                    .and_then(|s| s.strip_prefix('('))
                    .and_then(|s| s.strip_suffix(')'))
                    .unwrap_or_else(|| panic!("`{signature}` is not a call of `{}`", builtin.name));
                let args: Vec<&str> = inner.split(", ").filter(|a| !a.is_empty()).collect();
                let variadic = args.last() == Some(&"...");
                let count = args.len() - usize::from(variadic);
                assert!(builtin.arity.accepts(count), "`{signature}`: {:?}", builtin.arity);
                assert_eq!(variadic, builtin.arity.max.is_none(), "`{signature}`: only an open arity ends in `...`");
                counts.push(count);
            }
            assert_eq!(counts.iter().min(), Some(&builtin.arity.min), "{}: no signature with the fewest", builtin.name);
            if let Some(max) = builtin.arity.max {
                assert_eq!(counts.iter().max(), Some(&max), "{}: no signature with the most", builtin.name);
            }
        }
    }

    #[test]
    fn pages_show_name_signatures_and_example() {
        for builtin in ALL {
            let page = builtin.page();
            assert!(page.starts_with(&format!("# `{}`\n", builtin.name)));
            for signature in builtin.doc.signatures {
                assert!(page.contains(signature));
            }
            assert!(
                builtin.doc.example.contains(&format!("{}(", builtin.name)),
                "{}: the example calls it",
                builtin.name
            );
            assert!(!builtin.doc.summary.contains('\n') && !builtin.doc.summary.contains('|'));
        }
    }
}
