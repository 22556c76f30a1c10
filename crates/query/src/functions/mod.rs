//! Scalar functions and operators with Spark (ANSI) semantics, looked up by name.
//!
//! The analyzer resolves a call in two steps: [`ScalarFunction::resolve`] takes the argument
//! types (and constant arguments, for functions whose result type depends on them) and returns
//! the [`Signature`]: the types the arguments must be cast to, and the result type. The
//! executor casts the arguments (with [`crate::functions::cast`] rules, ANSI mode) and calls
//! [`ScalarFunction::invoke`] once per batch.
//!
//! Binary and unary operators are functions too, registered under their SQL spelling
//! (`+`, `-`, `*`, `/`, `%`, `div`, `=`, `<=>`, `<`, `<=`, `>`, `>=`, `!=`, `||`, `negative`),
//! so arithmetic, comparisons and named functions share one resolution path. `AND`, `OR`,
//! `NOT`, `CASE`, `IF`, `COALESCE`, `IN`, `IS NULL`, `CAST` and aggregates are not here:
//! they are special forms of the planner.

pub mod arith;
pub(crate) mod array;
mod binary;
pub mod cast;
mod common;
pub mod compare;
mod conditional;
pub mod datetime;
pub mod decimal;
pub mod format;
pub mod interval;
mod json;
mod math;
mod raise;
mod string;
#[cfg(test)]
mod testing;

use arrow::array::ArrayRef;

use crate::error::Result;
use crate::types::SparkType;

/// What the analyzer knows about one argument of a call.
#[derive(Debug, Clone)]
pub struct ArgInfo {
    /// The argument's type before any cast.
    pub data_type: SparkType,
    /// The argument's value when it is a constant (a one-element array of `data_type`);
    /// functions such as `date_trunc`, `round(x, 2)` or `to_timestamp(s, fmt)` read it.
    pub constant: Option<ArrayRef>,
}

/// The resolved form of a call: argument types to cast to, and the result type.
#[derive(Debug, Clone, PartialEq)]
pub struct Signature {
    /// One type per argument; the executor casts each argument to it before `invoke`.
    pub args: Vec<SparkType>,
    /// The type of the result.
    pub result: SparkType,
}

/// Everything a function may read besides its arguments.
#[derive(Debug, Clone, Copy, Default)]
pub struct EvalContext {
    /// `current_timestamp()` for the whole query, microseconds since the epoch (UTC).
    /// Injected so tests and lessons get a fixed clock.
    pub now_micros: i64,
    /// Which query (execution) this evaluation belongs to: random streams (`rand(42)`)
    /// continue across one query's batches and start over in the next query.
    pub query_id: u64,
}

/// Whether a function gives the same value for the same arguments (DataFusion's
/// `Volatility`). The optimizer folds and moves only what this allows; a pipeline refreshes
/// a materialized view incrementally only when every function it calls is immutable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Volatility {
    /// Same arguments, same value, always (`abs`, `upper`).
    Immutable,
    /// Constant within one query or pipeline update, different in the next
    /// (`current_timestamp`, `current_date`): folded at plan time, never reused across
    /// updates.
    Stable,
    /// A new value on every call (`rand`, `randn`, `uuid`): never folded, moved or reused.
    Volatile,
}

/// A scalar function or operator.
pub trait ScalarFunction: Send + Sync {
    /// The lower-case name the function is registered under.
    fn name(&self) -> &'static str;

    /// Check the arguments and decide their cast types and the result type. Errors are
    /// analysis errors with Spark's classes (`WRONG_NUM_ARGS`,
    /// `DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE`, ...).
    fn resolve(&self, args: &[ArgInfo]) -> Result<Signature>;

    /// Evaluate over one batch. Every argument has `num_rows` rows and the type `resolve`
    /// asked for. Errors are execution errors (`DIVIDE_BY_ZERO`, `ARITHMETIC_OVERFLOW`, ...).
    fn invoke(&self, args: &[ArrayRef], num_rows: usize, ctx: &EvalContext) -> Result<ArrayRef>;

    /// Whether repeated calls give the same value ([`Volatility`]).
    fn volatility(&self) -> Volatility {
        Volatility::Immutable
    }
}

/// A number for a new query run, never 0 (the default context's), unique in this process.
pub(crate) fn next_query_id() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// The function registered under `name` (case-insensitive), if any.
pub fn lookup(name: &str) -> Option<&'static dyn ScalarFunction> {
    let name = name.to_ascii_lowercase();
    registry().find(|f| f.name() == name)
}

/// The names of every registered function, for "did you mean" suggestions.
pub fn names() -> impl Iterator<Item = &'static str> {
    registry().map(|f| f.name())
}

/// Every registered function, family by family. Kept as static lists so lookups need no
/// initialisation.
fn registry() -> impl Iterator<Item = &'static dyn ScalarFunction> {
    const FAMILIES: &[&[&dyn ScalarFunction]] = &[
        arith::FUNCTIONS,
        compare::FUNCTIONS,
        conditional::FUNCTIONS,
        math::FUNCTIONS,
        string::FUNCTIONS,
        array::FUNCTIONS,
        binary::FUNCTIONS,
        datetime::FUNCTIONS,
        cast::FUNCTIONS,
        json::FUNCTIONS,
        raise::FUNCTIONS,
    ];
    FAMILIES.iter().flat_map(|family| family.iter().copied())
}
