//! `withLookbackFeatures`: the previous N rows' feature vectors as a nested list column.

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, BooleanArray, ListArray, RecordBatch};
use arrow::buffer::OffsetBuffer;
use arrow::compute::{concat, filter_record_batch};

use crate::convert::cast;
use arrow::datatypes::{DataType, Field};

use crate::error::{Result, TsdfError};
use crate::frame::Tsdf;
use crate::series::tsdf_series;
use crate::values::{batch_of, named_columns, take_idx};

/// What [`Tsdf::with_lookback_features`] returns: Tempo returns a plain DataFrame when
/// `exactSize=True` and a TSDF otherwise.
#[derive(Debug, Clone)]
pub enum LookbackResult {
    /// `exactSize=True`: only rows with exactly N previous rows, as a plain batch.
    DataFrame(RecordBatch),
    /// `exactSize=False`: every row (the first of a series gets `[]`), as a TSDF.
    Tsdf(Tsdf),
}

impl LookbackResult {
    /// The data either way.
    pub fn df(&self) -> &RecordBatch {
        match self {
            LookbackResult::DataFrame(b) => b,
            LookbackResult::Tsdf(t) => t.df(),
        }
    }
}

/// Spark's common type of `array(cols…)`: the shared type, else double for numbers, else string.
fn common_type(types: &[DataType]) -> DataType {
    if types.windows(2).all(|w| w[0] == w[1]) {
        types.first().cloned().unwrap_or(DataType::Float64)
    } else if types.iter().all(DataType::is_numeric) {
        DataType::Float64
    } else {
        DataType::Utf8
    }
}

impl Tsdf {
    /// Tempo's `withLookbackFeatures(featureCols, lookbackWindowSize, exactSize=True,
    /// featureColName="features")`: for each row, the list of the previous
    /// `lookbackWindowSize` rows' `[featureCols…]` arrays (current row excluded) in (ts, seq)
    /// order. With `exact_size`, only rows with exactly that many previous rows are kept.
    pub fn with_lookback_features(
        &self,
        feature_cols: &[String],
        lookback_window_size: usize,
        exact_size: bool,
        feature_col_name: &str,
    ) -> Result<LookbackResult> {
        if feature_cols.is_empty() {
            return Err(TsdfError::InvalidArgument {
                param: "featureCols",
                message: "give at least one column".into(),
            });
        }
        let cols = feature_cols
            .iter()
            .map(|c| self.resolve(c, "featureCols"))
            .collect::<Result<Vec<_>>>()?;
        let arrays = cols
            .iter()
            .map(|c| self.column(c).cloned())
            .collect::<Result<Vec<_>>>()?;
        let elem_type = common_type(
            &arrays
                .iter()
                .map(|a| a.data_type().clone())
                .collect::<Vec<_>>(),
        );
        let arrays = arrays
            .iter()
            .map(|a| cast(a, &elem_type))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        let k = arrays.len();
        let n = self.num_rows();
        // Row vectors: row i's features are elements [i*k, (i+1)*k) of the interleaved values.
        let interleave: Vec<u32> = (0..n * k).map(|j| (j % k * n + j / k) as u32).collect();
        let refs: Vec<&dyn Array> = arrays.iter().map(|a| a.as_ref()).collect();
        let all = concat(&refs)?;
        let values = take_idx(&all, &interleave)?;
        let inner_field = Arc::new(Field::new("item", elem_type.clone(), true));
        let inner = ListArray::new(
            inner_field.clone(),
            OffsetBuffer::from_lengths(vec![k; n]),
            values,
            None,
        );
        let (_, series) = tsdf_series(self, true)?;
        let mut picks: Vec<u32> = Vec::new();
        let mut lengths = vec![0usize; n];
        let mut keep = vec![!exact_size; n];
        let mut per_row: Vec<Vec<u32>> = vec![Vec::new(); n];
        for run in &series.runs {
            let rows = &series.order[run.clone()];
            for (pos, &r) in rows.iter().enumerate() {
                let from = pos.saturating_sub(lookback_window_size);
                per_row[r as usize] = rows[from..pos].to_vec();
                if exact_size && pos - from == lookback_window_size {
                    keep[r as usize] = true;
                }
            }
        }
        for (r, prev) in per_row.iter().enumerate() {
            lengths[r] = prev.len();
            picks.extend(prev);
        }
        let inner_ref: ArrayRef = Arc::new(inner);
        let outer_values = take_idx(&inner_ref, &picks)?;
        let outer_field = Arc::new(Field::new("item", DataType::List(inner_field), true));
        let features: ArrayRef = Arc::new(ListArray::new(
            outer_field,
            OffsetBuffer::from_lengths(lengths),
            outer_values,
            None,
        ));
        let mut out = named_columns(self.df());
        out.push((feature_col_name.to_string(), features));
        let batch = batch_of(out)?;
        if exact_size {
            Ok(LookbackResult::DataFrame(filter_record_batch(
                &batch,
                &BooleanArray::from(keep),
            )?))
        } else {
            Ok(LookbackResult::Tsdf(Tsdf::from_parts(
                batch,
                self.ts_col().into(),
                self.partition_cols().to_vec(),
                None,
            )))
        }
    }
}
