//! Window function calls as the plan holds them.

use crate::plan::SortKey;
use crate::plan::aggregate::AggregateCall;
use crate::plan::expr::{Literal, TypedExpr};
use crate::types::SparkType;

/// Ranking and offset functions, or an aggregate over a frame.
#[derive(Debug, Clone, PartialEq)]
pub enum WindowFunc {
    /// `row_number()`
    RowNumber,
    /// `rank()`
    Rank,
    /// `dense_rank()`
    DenseRank,
    /// `percent_rank()`
    PercentRank,
    /// `cume_dist()`
    CumeDist,
    /// `ntile(n)`
    Ntile(i64),
    /// `lag(x, offset, default)` (offset rows before)
    Lag {
        /// Rows back.
        offset: i64,
        /// Value when there is no such row.
        default: Option<Box<TypedExpr>>,
    },
    /// `lead(x, offset, default)` (offset rows after)
    Lead {
        /// Rows ahead.
        offset: i64,
        /// Value when there is no such row.
        default: Option<Box<TypedExpr>>,
    },
    /// `first_value(x)` over the frame.
    FirstValue,
    /// `last_value(x)` over the frame.
    LastValue,
    /// `nth_value(x, n)` over the frame (1-based).
    NthValue(i64),
    /// An aggregate over the frame.
    Aggregate(AggregateCall),
}

/// `ROWS` counts rows; `RANGE` compares the ORDER BY value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrameUnits {
    /// Physical rows.
    Rows,
    /// Peers by ORDER BY value.
    Range,
}

/// One end of a window frame.
#[derive(Debug, Clone, PartialEq)]
pub enum FrameBound {
    /// `UNBOUNDED PRECEDING`
    UnboundedPreceding,
    /// `n PRECEDING` (a row count for ROWS, a value of the ORDER BY type or an interval for
    /// RANGE)
    Preceding(Literal),
    /// `CURRENT ROW` (for RANGE: including peers)
    CurrentRow,
    /// `n FOLLOWING`
    Following(Literal),
    /// `UNBOUNDED FOLLOWING`
    UnboundedFollowing,
}

/// A window frame.
#[derive(Debug, Clone, PartialEq)]
pub struct WindowFrame {
    /// ROWS or RANGE.
    pub units: FrameUnits,
    /// Start bound.
    pub start: FrameBound,
    /// End bound.
    pub end: FrameBound,
}

impl WindowFrame {
    /// Spark's default frame: the whole partition without ORDER BY; with ORDER BY,
    /// `RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW`.
    pub fn default_for(has_order: bool) -> WindowFrame {
        WindowFrame {
            units: if has_order {
                FrameUnits::Range
            } else {
                FrameUnits::Rows
            },
            start: FrameBound::UnboundedPreceding,
            end: if has_order {
                FrameBound::CurrentRow
            } else {
                FrameBound::UnboundedFollowing
            },
        }
    }
}

/// One window expression: `func(args) OVER (PARTITION BY ... ORDER BY ... frame)`.
#[derive(Debug, Clone, PartialEq)]
pub struct WindowCall {
    /// The function.
    pub func: WindowFunc,
    /// Value arguments (for offset and value functions: the value).
    pub args: Vec<TypedExpr>,
    /// Partition keys.
    pub partition_by: Vec<TypedExpr>,
    /// Order within a partition.
    pub order_by: Vec<SortKey>,
    /// The frame for value and aggregate functions.
    pub frame: WindowFrame,
    /// `IGNORE NULLS` for value functions.
    pub ignore_nulls: bool,
    /// Result type.
    pub data_type: SparkType,
}
