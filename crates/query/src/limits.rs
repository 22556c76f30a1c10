//! Bounds that keep pathological but valid queries from crashing the page: the engine runs in a
//! wasm32 worker with a 1 MiB stack and (by the workbook's goal) at most 512 MiB of memory, where
//! a stack overflow or an allocation failure kills the worker instead of reporting an error.
//! Each limit is checked before the work it bounds, and its error names the limit.

/// How deep one query may nest: operators chained in one expression (`a + b + c ...` is a
/// left-deep tree), brackets, joins and set operations, counted on the tokens before parsing.
/// Lowering, planning and evaluation recurse once per level. Measured natively in a 1 MiB
/// thread (the browser's wasm stack) at opt-level 1: a chain of 150 passed and 200 overflowed,
/// so 100 keeps a margin of half again (tests/limits.rs runs queries at the limit there).
/// Learners' expressions chain a few dozen operators at most.
pub const MAX_NESTING: usize = 100;

/// The most values (rows × columns) one operator may produce: a join's output or a `range()`.
/// About 256 MiB of 8-byte values, half the page's 512 MiB memory goal, so the inputs and the
/// next operator's copy still fit. A cross join of two 1 M-row tables asks for 10^12 rows and
/// stops here with an error instead of an out-of-memory crash of the worker.
pub const MAX_OPERATOR_VALUES: u64 = 32 * 1024 * 1024;

/// The most row pairs a join may test against its condition (a cross or non-equi join reads
/// every pair). At the page's roughly 100 M pairs a second this is about half a minute: past
/// it the query stops instead of looking hung.
pub const MAX_JOIN_PAIRS: u64 = 3_000_000_000;

/// The error class of a query stopped by one of these budgets. Spark has none (it spills to
/// disk or runs out of executor memory); the name says what happened.
pub const BUDGET_EXCEEDED: crate::ErrorClass = crate::ErrorClass::WorkbookBudgetExceeded;
