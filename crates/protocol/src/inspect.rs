//! Looking at rows: which rows, one page of them, formatted by the engine.

use serde::{Deserialize, Serialize};

/// Which rows to show.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowSource {
    /// A published table, by qualified or short name.
    Table {
        /// `sensor_bronze` or `default.iot_anomaly_detection.sensor_bronze`.
        name: String,
    },
    /// The result of a Spark SQL query over every table and `event_log`.
    Query {
        /// The query text.
        sql: String,
    },
    /// Rows that failed an expectation in the last update that ran it.
    FailedRows {
        /// The dataset's short name.
        dataset: String,
        /// The expectation's name.
        expectation: String,
    },
    /// The event log, newest last.
    EventLog {
        /// Only events of this type (`flow_progress`, ...).
        event_type: Option<String>,
    },
    /// A volume file's first rows, read as its format (CSV, JSON lines, Parquet).
    File {
        /// Its `/Volumes/...` path.
        path: String,
    },
}

/// Sort a page's rows by one column.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SortBy {
    /// Column name.
    pub column: String,
    /// Ascending (NULLs first, as Spark) or descending (NULLs last).
    pub ascending: bool,
}

/// A column of a page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnInfo {
    /// Its name.
    pub name: String,
    /// Its Spark type (`double`, `timestamp`, `struct<...>`).
    pub data_type: String,
    /// Whether it holds numbers (the viewer aligns them right).
    pub numeric: bool,
}

/// One cell, formatted as Spark shows it; `None` is SQL NULL.
pub type Cell = Option<String>;

/// One page of rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RowPage {
    /// The rows' source, as asked.
    pub source: RowSource,
    /// The columns.
    pub columns: Vec<ColumnInfo>,
    /// The rows of this page.
    pub rows: Vec<Vec<Cell>>,
    /// Row number of the first row.
    pub offset: usize,
    /// Rows in the whole source.
    pub total_rows: usize,
    /// The sort applied.
    pub sort: Option<SortBy>,
    /// For a query: milliseconds it took.
    pub elapsed_ms: f64,
}

/// A download's file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DownloadFormat {
    /// Comma-separated, with a header row.
    Csv,
    /// Apache Parquet: encoded by the page's codec worker from an [`DownloadFormat::Arrow`]
    /// download (the engine worker writes Parquet only when built with its `parquet` feature).
    Parquet,
    /// An Arrow IPC file: the rows with their Arrow types, as the engine stores them.
    Arrow,
}
