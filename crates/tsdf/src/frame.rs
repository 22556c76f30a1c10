//! The [`Tsdf`] type: an Arrow record batch with a time column, series keys and a tie-breaker.

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, Float64Array, RecordBatch, StringArray};
use arrow::compute::concat_batches;

use crate::convert::cast;
use arrow::datatypes::{DataType, Field, Schema, SchemaRef, TimeUnit};

use crate::error::{Result, TsdfError};
use crate::timefmt::parse_timestamp_str;

/// The type every timestamp column is converted to: microseconds since the epoch, UTC.
pub fn timestamp_type() -> DataType {
    DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()))
}

/// A time-series data frame, Tempo's `TSDF(df, ts_col, partition_cols, sequence_col)`.
///
/// The data is one Arrow [`RecordBatch`] (several batches are concatenated on construction).
/// `ts_col` is a `Timestamp(Microsecond, "UTC")` column (other timestamp units are converted), a
/// numeric column (epoch seconds), or a string column that is converted like Tempo does (see
/// [`Tsdf::new`]). Operations return new frames and never modify `self`.
///
/// # Examples
/// ```
/// use std::sync::Arc;
/// use arrow::array::{Float64Array, RecordBatch, StringArray, TimestampMicrosecondArray};
/// use arrow::datatypes::{Field, Schema};
/// use tsdf::{Tsdf, timestamp_type};
///
/// let schema = Arc::new(Schema::new(vec![
///     Field::new("device_id", arrow::datatypes::DataType::Utf8, false),
///     Field::new("event_ts", timestamp_type(), true),
///     Field::new("temp", arrow::datatypes::DataType::Float64, true),
/// ]));
/// let batch = RecordBatch::try_new(schema, vec![
///     Arc::new(StringArray::from(vec!["D1", "D1"])),
///     Arc::new(TimestampMicrosecondArray::from(vec![0, 1_000_000]).with_timezone("UTC")),
///     Arc::new(Float64Array::from(vec![20.0, 21.0])),
/// ]).unwrap();
/// let tsdf = Tsdf::new(batch, "EVENT_TS", &["device_id"], None).unwrap();
/// assert_eq!(tsdf.ts_col(), "event_ts"); // found case-insensitively
/// assert!(Tsdf::new(tsdf.df().clone(), "missing", &[], None).is_err());
/// ```
#[derive(Debug, Clone)]
pub struct Tsdf {
    batch: RecordBatch,
    ts_col: String,
    partition_cols: Vec<String>,
    sequence_col: Option<String>,
}

impl Tsdf {
    /// Builds a TSDF, validating like Tempo's constructor.
    ///
    /// * `ts_col` and every partition column must exist (case-insensitive; the frame's own
    ///   spelling is kept) → [`TsdfError::ColumnNotFound`].
    /// * A string `ts_col` is converted to epoch seconds (`Float64`): its first value must match
    ///   `yyyy-MM-dd[T ]HH:mm:ss[.f…]` ([`TsdfError::InvalidTimestampString`]), other values that
    ///   do not parse become NULL, and the column moves to the last position (as in Tempo).
    /// * Other ts types: timestamps (any unit, converted to microseconds) or numbers (seconds).
    /// * `sequence_col` is only a tie-breaker after ts; it is checked to exist here (Tempo does
    ///   not check it and fails later).
    pub fn new(
        batch: RecordBatch,
        ts_col: &str,
        partition_cols: &[&str],
        sequence_col: Option<&str>,
    ) -> Result<Self> {
        let ts_name = resolve_column(batch.schema_ref(), ts_col, "ts_col")?;
        let partition_cols = partition_cols
            .iter()
            .map(|c| resolve_column(batch.schema_ref(), c, "partition_cols"))
            .collect::<Result<Vec<_>>>()?;
        let sequence_col = match sequence_col {
            Some(s) if !s.is_empty() => {
                Some(resolve_column(batch.schema_ref(), s, "sequence_col")?)
            }
            _ => None,
        };
        let batch = normalise_ts(batch, &ts_name)?;
        Ok(Tsdf {
            batch,
            ts_col: ts_name,
            partition_cols,
            sequence_col,
        })
    }

    /// Builds a TSDF over several batches of one schema (concatenated once).
    pub fn from_batches(
        schema: SchemaRef,
        batches: &[RecordBatch],
        ts_col: &str,
        partition_cols: &[&str],
        sequence_col: Option<&str>,
    ) -> Result<Self> {
        let batch = concat_batches(&schema, batches)?;
        Self::new(batch, ts_col, partition_cols, sequence_col)
    }

    /// Wraps an already validated batch (used by operations to build their results).
    pub(crate) fn from_parts(
        batch: RecordBatch,
        ts_col: String,
        partition_cols: Vec<String>,
        sequence_col: Option<String>,
    ) -> Self {
        Tsdf {
            batch,
            ts_col,
            partition_cols,
            sequence_col,
        }
    }

    /// The data (Tempo's `.df`).
    pub fn df(&self) -> &RecordBatch {
        &self.batch
    }

    /// The data, by value.
    pub fn into_df(self) -> RecordBatch {
        self.batch
    }

    /// The time column's name (Tempo's `ts_col`).
    pub fn ts_col(&self) -> &str {
        &self.ts_col
    }

    /// The series-key columns (Tempo's `partitionCols`).
    pub fn partition_cols(&self) -> &[String] {
        &self.partition_cols
    }

    /// The tie-breaker column, if any (Tempo's `sequence_col`; `""` there means none).
    pub fn sequence_col(&self) -> Option<&str> {
        self.sequence_col.as_deref()
    }

    /// The number of rows.
    pub fn num_rows(&self) -> usize {
        self.batch.num_rows()
    }

    /// A new TSDF over the same data with other series keys (Tempo's `withPartitionCols`;
    /// drops the sequence column like Tempo).
    pub fn with_partition_cols(&self, partition_cols: &[&str]) -> Result<Self> {
        Tsdf::new(self.batch.clone(), &self.ts_col, partition_cols, None)
    }

    /// The same frame without a sequence column (what most Tempo methods return).
    pub(crate) fn without_sequence(mut self) -> Self {
        self.sequence_col = None;
        self
    }

    /// A column by its exact name.
    pub(crate) fn column(&self, name: &str) -> Result<&ArrayRef> {
        let idx = self
            .batch
            .schema_ref()
            .index_of(name)
            .map_err(|_| self.not_found(name, "column"))?;
        Ok(self.batch.column(idx))
    }

    /// Resolves a user-given column name (case-insensitive) for the given role.
    pub(crate) fn resolve(&self, name: &str, role: &'static str) -> Result<String> {
        resolve_column(self.batch.schema_ref(), name, role)
    }

    /// The `ColumnNotFound` error for this frame.
    pub(crate) fn not_found(&self, name: &str, role: &'static str) -> TsdfError {
        TsdfError::ColumnNotFound {
            column: name.to_string(),
            role,
            valid: column_names(self.batch.schema_ref()),
        }
    }

    /// The column names of the frame.
    pub fn columns(&self) -> Vec<String> {
        column_names(self.batch.schema_ref())
    }

    /// True when the ts column is a timestamp (not epoch seconds).
    pub fn ts_is_timestamp(&self) -> bool {
        matches!(
            self.batch
                .schema_ref()
                .field_with_name(&self.ts_col)
                .map(|f| f.data_type()),
            Ok(DataType::Timestamp(..))
        )
    }
}

/// The names of a schema's columns.
pub(crate) fn column_names(schema: &Schema) -> Vec<String> {
    schema.fields().iter().map(|f| f.name().clone()).collect()
}

/// Finds `name` in `schema` case-insensitively (exact match first), returning the schema's spelling.
pub(crate) fn resolve_column(schema: &Schema, name: &str, role: &'static str) -> Result<String> {
    if schema.index_of(name).is_ok() {
        return Ok(name.to_string());
    }
    schema
        .fields()
        .iter()
        .find(|f| f.name().eq_ignore_ascii_case(name))
        .map(|f| f.name().clone())
        .ok_or_else(|| TsdfError::ColumnNotFound {
            column: name.to_string(),
            role,
            valid: column_names(schema),
        })
}

/// Converts the ts column to the representation the kernels use.
fn normalise_ts(batch: RecordBatch, ts: &str) -> Result<RecordBatch> {
    let schema = batch.schema();
    let idx = schema.index_of(ts)?;
    let dt = schema.field(idx).data_type().clone();
    match dt {
        DataType::Timestamp(TimeUnit::Microsecond, _) => Ok(batch),
        DataType::Timestamp(_, tz) => {
            let target = DataType::Timestamp(TimeUnit::Microsecond, tz);
            let col = cast(batch.column(idx), &target)?;
            replace_column(&batch, idx, Field::new(ts, target, true), col, false)
        }
        d if d.is_numeric() => Ok(batch),
        DataType::Utf8 | DataType::LargeUtf8 => {
            let strings = cast(batch.column(idx), &DataType::Utf8)?;
            let strings = strings
                .as_any()
                .downcast_ref::<StringArray>()
                .ok_or_else(|| TsdfError::Internal("utf8 cast".into()))?;
            if let Some(first) =
                (!strings.is_empty()).then(|| strings.is_valid(0).then(|| strings.value(0)))
            {
                let first = first.unwrap_or("");
                if parse_timestamp_str(first).is_none() {
                    return Err(TsdfError::InvalidTimestampString {
                        column: ts.to_string(),
                        value: first.to_string(),
                    });
                }
            }
            let secs: Float64Array = strings
                .iter()
                .map(|s| s.and_then(parse_timestamp_str))
                .collect();
            replace_column(
                &batch,
                idx,
                Field::new(ts, DataType::Float64, true),
                Arc::new(secs),
                true,
            )
        }
        other => Err(TsdfError::InvalidColumnType {
            column: ts.to_string(),
            data_type: other,
            operation: "TSDF",
            expected: "a timestamp, numeric or string column",
            valid: column_names(&schema),
        }),
    }
}

/// Replaces column `idx`, optionally moving it to the end.
fn replace_column(
    batch: &RecordBatch,
    idx: usize,
    field: Field,
    col: ArrayRef,
    to_end: bool,
) -> Result<RecordBatch> {
    let schema = batch.schema();
    let mut fields: Vec<Field> = schema.fields().iter().map(|f| f.as_ref().clone()).collect();
    let mut cols = batch.columns().to_vec();
    if to_end {
        fields.remove(idx);
        cols.remove(idx);
        fields.push(field);
        cols.push(col);
    } else {
        fields[idx] = field;
        cols[idx] = col;
    }
    Ok(RecordBatch::try_new(Arc::new(Schema::new(fields)), cols)?)
}
