//! The operators that compute: comparisons (`<`, `<=`, `>`, `>=`) and
//! arithmetic (`+`, `-`, `*`, `/`, `%`) on numbers, `+` joining strings,
//! and `??` (a value unless it is `null`).
//!
//! CloudFormation has no intrinsic that compares or computes numbers, so
//! these fold at compile time, and an operand known only at deploy time is
//! an error that says so (`E0303`). Joining strings is the exception: with a
//! deploy-time part it becomes one `Fn::Sub`, as interpolation does.
//! Whole numbers stay whole (`32 - 24 - 3` is `5`); a division that leaves
//! a remainder gives a decimal; division by zero and overflow are `E0313`.

use serde_json::Number;

use super::value::{Ty, Val};
use super::Checker;
use crate::diagnostics::builder as diag;
use crate::diagnostics::facts::{ArithmeticFault, CompileTimeNeed, Kind};
use crate::source::Span;
use crate::syntax::ast::BinaryOp;

impl Checker<'_> {
    /// `left op right` for a comparison or an arithmetic operator.
    pub(super) fn operate(&mut self, op: BinaryOp, left: Val, right: Val, spans: (Span, Span)) -> Val {
        if left.contains_error() || right.contains_error() {
            return Val::Error;
        }
        // `"a" + b`: strings join, at deploy time too.
        if op == BinaryOp::Add && (is_string(&left) || is_string(&right)) {
            for (value, span) in [(&left, spans.0), (&right, spans.1)] {
                if !is_string(value) {
                    self.report(diag::type_mismatch(span, Kind::String, &value.kind()));
                    return Val::Error;
                }
            }
            return self.concat(vec![left, right]);
        }
        let mut numbers = [0.0, 0.0];
        let mut whole = [None, None];
        for (i, (value, span)) in [(&left, spans.0), (&right, spans.1)].into_iter().enumerate() {
            match value {
                Val::Number(n) => {
                    numbers[i] = n.as_f64().unwrap_or(f64::NAN);
                    whole[i] = n.as_i64();
                }
                other if !other.is_compile_time() => {
                    let need = CompileTimeNeed::Operand(op.symbol());
                    self.report(diag::not_compile_time(span, need, other.deploy_origin()));
                    return Val::Error;
                }
                other => {
                    let expected =
                        if op == BinaryOp::Add { Kind::OneOf(vec![Kind::Number, Kind::String]) } else { Kind::Number };
                    self.report(diag::type_mismatch(span, expected, &other.kind()));
                    return Val::Error;
                }
            }
        }
        let [a, b] = numbers;
        let whole_pair = whole[0].zip(whole[1]);
        let whole_span = spans.0.to(spans.1);
        let number = match op {
            BinaryOp::Lt => return Val::Bool(a < b),
            BinaryOp::Le => return Val::Bool(a <= b),
            BinaryOp::Gt => return Val::Bool(a > b),
            BinaryOp::Ge => return Val::Bool(a >= b),
            BinaryOp::Div | BinaryOp::Rem if b == 0.0 => {
                self.report(diag::arithmetic_error(spans.1, op.symbol(), ArithmeticFault::DivisionByZero));
                return Val::Error;
            }
            _ => match (op, whole_pair) {
                (BinaryOp::Add, Some((x, y))) => x.checked_add(y).map(Number::from),
                (BinaryOp::Sub, Some((x, y))) => x.checked_sub(y).map(Number::from),
                (BinaryOp::Mul, Some((x, y))) => x.checked_mul(y).map(Number::from),
                (BinaryOp::Rem, Some((x, y))) => x.checked_rem(y).map(Number::from),
                (BinaryOp::Div, Some((x, y))) if x % y == 0 => x.checked_div(y).map(Number::from),
                (BinaryOp::Add, _) => Number::from_f64(a + b),
                (BinaryOp::Sub, _) => Number::from_f64(a - b),
                (BinaryOp::Mul, _) => Number::from_f64(a * b),
                (BinaryOp::Div, _) => Number::from_f64(a / b),
                (BinaryOp::Rem, _) => Number::from_f64(a % b),
                _ => unreachable!("only comparisons and arithmetic are operated on"),
            },
        };
        match number {
            // `3.5 * 2` is the whole number 7.
            Some(n) => Val::Number(
                n.as_f64().filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15).map_or(n, |f| Number::from(f as i64)),
            ),
            None => {
                self.report(diag::arithmetic_error(whole_span, op.symbol(), ArithmeticFault::Overflow));
                Val::Error
            }
        }
    }
}

fn is_string(value: &Val) -> bool {
    matches!(value.ty(), Ty::String)
}
