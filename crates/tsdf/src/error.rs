//! Typed errors of the time-series library, grouped by who is at fault.

use arrow::datatypes::DataType;
use arrow::error::ArrowError;
use thiserror::Error;

/// Everything that can go wrong in a `tsdf` operation.
///
/// User errors (a bad column name, a bad argument, a type an operation cannot handle) name the
/// offending column or parameter and, for unknown names, the valid ones. `Internal` means a bug in
/// this crate.
#[derive(Debug, Error)]
pub enum TsdfError {
    /// A named column does not exist (Tempo: `ValueError("Column X not found in Dataframe")`).
    #[error("column `{column}` ({role}) not found; valid columns: {}", .valid.join(", "))]
    ColumnNotFound {
        /// The name as given.
        column: String,
        /// What the column was meant to be (`ts_col`, `partition_cols`, `metricCols`, ...).
        role: &'static str,
        /// The columns that exist.
        valid: Vec<String>,
    },
    /// A column has a type the operation cannot use.
    #[error("column `{column}` has type {data_type}, but {operation} needs {expected}; valid columns: {}", .valid.join(", "))]
    InvalidColumnType {
        /// The column.
        column: String,
        /// Its type.
        data_type: DataType,
        /// The operation (Tempo's name).
        operation: &'static str,
        /// What would have been accepted.
        expected: &'static str,
        /// The columns that exist.
        valid: Vec<String>,
    },
    /// A string timestamp column whose first value does not look like `yyyy-MM-dd HH:mm:ss[.f]`.
    #[error(
        "column `{column}`: string timestamp `{value}` does not match yyyy-MM-dd[T ]HH:mm:ss[.fff]"
    )]
    InvalidTimestampString {
        /// The ts column.
        column: String,
        /// The offending (first) value.
        value: String,
    },
    /// A parameter value Tempo rejects.
    #[error("invalid `{param}`: {message}")]
    InvalidArgument {
        /// Tempo's parameter name (`freq`, `func`, `method`, `skipNulls`, ...).
        param: &'static str,
        /// What is wrong and what would be accepted.
        message: String,
    },
    /// Two output columns would get the same name.
    #[error(
        "column name collision: `{column}` comes from both sides of {operation}; give a prefix"
    )]
    ColumnCollision {
        /// The clashing output name.
        column: String,
        /// The operation.
        operation: &'static str,
    },
    /// `withRangeStats` with a sequence column: a RANGE frame cannot have two ORDER BY keys.
    #[error(
        "withRangeStats: a range window cannot be ordered by both `{ts_col}` and the sequence column `{sequence_col}`; build the TSDF without sequence_col"
    )]
    RangeFrameWithSequence {
        /// The ts column.
        ts_col: String,
        /// The sequence column.
        sequence_col: String,
    },
    /// An Arrow kernel failed.
    #[error("arrow: {0}")]
    Arrow(#[from] ArrowError),
    /// A broken invariant inside this crate: a bug, please report it.
    #[error("internal error (this is a bug in tsdf): {0}")]
    Internal(String),
}

/// Result alias of this crate.
pub type Result<T, E = TsdfError> = std::result::Result<T, E>;
