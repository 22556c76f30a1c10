//! Small helpers over Arrow arrays shared by the operations.

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, AsArray, Float64Array, RecordBatch, UInt32Array};
use arrow::buffer::NullBuffer;
use arrow::compute::take;
use arrow::datatypes::{DataType, Field, Float64Type, Schema};

use crate::error::Result;

/// Values of a column as f64 (Spark's implicit cast to double; unparsable strings become NULL).
pub(crate) struct F64Column {
    arr: Float64Array,
    pub nulls: Option<NullBuffer>,
}

impl F64Column {
    /// Casts `col` to f64 values plus validity (a no-op for `Float64` columns).
    pub fn new(col: &ArrayRef) -> Result<Self> {
        let cast = crate::convert::cast(col, &DataType::Float64)?;
        let arr = cast.as_primitive::<Float64Type>().clone();
        let nulls = arr.logical_nulls().filter(|n| n.null_count() > 0);
        Ok(F64Column { arr, nulls })
    }

    /// All values (NULL slots hold arbitrary numbers).
    #[inline]
    pub fn values(&self) -> &[f64] {
        self.arr.values()
    }

    /// Value of row `i`, or `None` when NULL.
    #[inline]
    pub fn get(&self, i: usize) -> Option<f64> {
        if self.nulls.as_ref().is_none_or(|n| n.is_valid(i)) {
            Some(self.arr.values()[i])
        } else {
            None
        }
    }
}

/// Spark's `simpleString` of an Arrow type (what Tempo's dtype checks compare against).
pub fn spark_type_name(dt: &DataType) -> String {
    match dt {
        DataType::Int8 => "tinyint".into(),
        DataType::Int16 => "smallint".into(),
        DataType::Int32 => "int".into(),
        DataType::Int64 => "bigint".into(),
        DataType::Float32 => "float".into(),
        DataType::Float64 => "double".into(),
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => "string".into(),
        DataType::Boolean => "boolean".into(),
        DataType::Timestamp(_, Some(_)) => "timestamp".into(),
        DataType::Timestamp(_, None) => "timestamp_ntz".into(),
        DataType::Date32 | DataType::Date64 => "date".into(),
        DataType::Decimal128(p, s) | DataType::Decimal256(p, s) => format!("decimal({p},{s})"),
        other => other.to_string().to_lowercase(),
    }
}

/// Gathers `col` at optional row indices (`None` → NULL).
pub(crate) fn take_opt(col: &ArrayRef, idx: &[Option<u32>]) -> Result<ArrayRef> {
    let indices: UInt32Array = idx.iter().copied().collect();
    Ok(take(col.as_ref(), &indices, None)?)
}

/// Gathers `col` at row indices.
pub(crate) fn take_idx(col: &ArrayRef, idx: &[u32]) -> Result<ArrayRef> {
    let indices = UInt32Array::from(idx.to_vec());
    Ok(take(col.as_ref(), &indices, None)?)
}

/// Builds a batch from named columns (every field nullable).
pub(crate) fn batch_of(cols: Vec<(String, ArrayRef)>) -> Result<RecordBatch> {
    let fields: Vec<Field> = cols
        .iter()
        .map(|(n, c)| Field::new(n, c.data_type().clone(), true))
        .collect();
    let arrays = cols.into_iter().map(|(_, c)| c).collect();
    Ok(RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays)?)
}

/// The named columns of a batch, in order.
pub(crate) fn named_columns(batch: &RecordBatch) -> Vec<(String, ArrayRef)> {
    batch
        .schema()
        .fields()
        .iter()
        .zip(batch.columns())
        .map(|(f, c)| (f.name().clone(), c.clone()))
        .collect()
}

/// A timestamp (µs) column of type `dt` (which carries the time zone) from raw values.
pub(crate) fn ts_array(values: Vec<Option<i64>>, dt: &DataType) -> ArrayRef {
    Arc::new(arrow::array::TimestampMicrosecondArray::from(values).with_data_type(dt.clone()))
}
