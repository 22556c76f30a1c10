//! ORDER BY: evaluate the keys, sort indices with arrow's lexicographic sort (or its row
//! format for key types lexsort lacks), gather the rows.
//!
//! Float keys are normalised first so every NaN sorts above +Infinity and `-0.0` ties with
//! `0.0`, as in Spark; strings compare byte-wise.

use arrow::array::{ArrayRef, RecordBatch, UInt32Array};
use arrow::compute::{SortColumn, SortOptions, lexsort_to_indices, take_record_batch};
use arrow::datatypes::SchemaRef;
use arrow::row::{RowConverter, SortField};

use crate::error::Result;
use crate::exec::eval::evaluate;
use crate::exec::{ExecContext, concat, rebatch};
use crate::kernels::keys::normalize_key_column;
use crate::plan::SortKey;

/// Row order for key columns with the given options.
pub(crate) fn sort_indices(columns: &[ArrayRef], options: &[SortOptions]) -> Result<UInt32Array> {
    let columns: Vec<ArrayRef> = columns
        .iter()
        .map(normalize_key_column)
        .collect::<Result<_>>()?;
    let sort_columns: Vec<SortColumn> = columns
        .iter()
        .zip(options)
        .map(|(c, o)| SortColumn {
            values: c.clone(),
            options: Some(*o),
        })
        .collect();
    match lexsort_to_indices(&sort_columns, None) {
        Ok(indices) => Ok(indices),
        Err(_) => {
            let fields = columns
                .iter()
                .zip(options)
                .map(|(c, o)| SortField::new_with_options(c.data_type().clone(), *o))
                .collect();
            let converter = RowConverter::new(fields)?;
            let rows = converter.convert_columns(&columns)?;
            let mut order: Vec<u32> = (0..rows.num_rows() as u32).collect();
            order.sort_by(|&a, &b| rows.row(a as usize).cmp(&rows.row(b as usize)));
            Ok(UInt32Array::from(order))
        }
    }
}

/// Spark's options for a key.
pub(crate) fn options(key: &SortKey) -> SortOptions {
    SortOptions {
        descending: !key.ascending,
        nulls_first: key.nulls_first,
    }
}

/// Run a Sort node.
pub(crate) fn sort(
    batches: &[RecordBatch],
    input: &SchemaRef,
    keys: &[SortKey],
    schema: &SchemaRef,
    ctx: &ExecContext,
) -> Result<Vec<RecordBatch>> {
    let all = concat(input, batches)?;
    if all.num_rows() <= 1 || keys.is_empty() {
        return Ok(vec![rebatch(&all, schema)?]);
    }
    ctx.check_cancel()?;
    let columns = keys
        .iter()
        .map(|k| evaluate(&k.expr, &all, ctx))
        .collect::<Result<Vec<_>>>()?;
    let opts: Vec<SortOptions> = keys.iter().map(options).collect();
    let indices = sort_indices(&columns, &opts)?;
    let sorted = if all.num_columns() == 0 {
        all
    } else {
        take_record_batch(&all, &indices)?
    };
    Ok(vec![rebatch(&sorted, schema)?])
}
