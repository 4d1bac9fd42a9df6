//! One constructor per diagnostic: every message the compiler prints is
//! worded here, so wording can be reviewed in one place.
//!
//! Constructors take typed facts ([`super::facts`]: kinds of value, origins,
//! roles), names, numbers and spans, never a phrase: a stage states what it
//! found, and the builder says it. `words.rs` holds the one describer of
//! kinds of value and the other shared phrases; `tests/wording.rs` fails
//! when code outside `src/diagnostics/` words a diagnostic.
//!
//! The constructors are grouped as the catalogue is ([`super::codes`]): one
//! file per group of codes, each in code order. Callers write
//! `diag::undefined_name(..)` whichever file the constructor lives in.
//!
//! Messages are terse and lowercase; the primary label says what is wrong at
//! the spot; `help` says what to do.

mod deploy;
mod names;
mod schema;
mod syntax;
mod templates;
mod values;
mod words;

pub use deploy::*;
pub use names::*;
pub use schema::*;
pub use syntax::*;
pub use templates::*;
pub use values::*;
#[cfg(test)]
pub(crate) use words::places_plural;
pub(crate) use words::{quoted_names, suggested_name};

use super::Diagnostic;
use crate::source::Span;

/// A problem found inside a standard-library construct while expanding an
/// instance: it is the instance's doing, so it is reported there, with the
/// library's line as context.
pub fn in_library_instance(diagnostic: Diagnostic, span: Span, instance: &str, construct: &str) -> Diagnostic {
    diagnostic.moved_to(span, format!("`{instance}`, an instance of `{construct}`, leads to this"))
}
