//! What a source file declares: datasets (streaming tables, materialized views, views) with
//! their expectations and properties, independent of the language they are written in.

use std::collections::BTreeMap;

use crate::diagnostic::Location;

/// The kind of a dataset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum DatasetKind {
    /// A streaming table: each update appends what its query reads from new input.
    #[default]
    StreamingTable,
    /// A materialized view: after each update it equals its query over current inputs.
    MaterializedView,
    /// A temporary view: computed during the update, not published.
    View,
}

impl DatasetKind {
    /// `STREAMING_TABLE`, `MATERIALIZED_VIEW` or `VIEW` (the event log's spelling).
    pub fn as_str(self) -> &'static str {
        match self {
            DatasetKind::StreamingTable => "STREAMING_TABLE",
            DatasetKind::MaterializedView => "MATERIALIZED_VIEW",
            DatasetKind::View => "VIEW",
        }
    }

    /// Whether the dataset is stored (tables and materialized views are, views are not).
    pub fn is_stored(self) -> bool {
        !matches!(self, DatasetKind::View)
    }
}

/// What happens to a row that fails an expectation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum OnViolation {
    /// Keep the row, count it (`@dp.expect`, no `ON VIOLATION`).
    #[default]
    Warn,
    /// Drop the row (`@dp.expect_or_drop`, `ON VIOLATION DROP ROW`).
    Drop,
    /// Fail the update (`@dp.expect_or_fail`, `ON VIOLATION FAIL UPDATE`).
    Fail,
}

impl OnViolation {
    /// `warn`, `drop` or `fail`.
    pub fn as_str(self) -> &'static str {
        match self {
            OnViolation::Warn => "warn",
            OnViolation::Drop => "drop",
            OnViolation::Fail => "fail",
        }
    }
}

/// A data-quality expectation: a named boolean SQL expression over the dataset's rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expectation {
    /// The expectation's name (`valid pressure`).
    pub name: String,
    /// The SQL boolean expression.
    pub sql: String,
    /// Where the expression text starts (for errors inside it).
    pub location: Location,
    /// Keep, drop or fail.
    pub action: OnViolation,
}

/// A column declared in a dataset's schema (SQL `(col type, ...)`, Python `schema=`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnDecl {
    /// Column name.
    pub name: String,
    /// Spark type name as written.
    pub type_name: String,
    /// Where the declaration is.
    pub location: Location,
}

/// Properties shared by every dataset declaration, whatever the language.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DatasetInfo {
    /// Name as written, possibly qualified (`catalog.schema.t`); `LIVE.` is stripped.
    pub name: String,
    /// Where the name is written.
    pub location: Location,
    /// Streaming table, materialized view or view.
    pub kind: DatasetKind,
    /// `COMMENT` / `comment=`.
    pub comment: Option<String>,
    /// Expectations in declaration order.
    pub expectations: Vec<Expectation>,
    /// `TBLPROPERTIES` / `table_properties=`.
    pub table_properties: BTreeMap<String, String>,
    /// `PARTITIONED BY` / `partition_cols=`.
    pub partition_cols: Vec<String>,
    /// Declared columns, if any.
    pub columns: Vec<ColumnDecl>,
    /// Whether the table is private to the pipeline (`PRIVATE`, `private=True`).
    pub private: bool,
}
