//! Gathering rows from several arrays into one, as arrow's `interleave` does.
//!
//! arrow's `interleave` is one generic function of about 220 KB in the engine's wasm (a copy per
//! array type), while `concat` and `take`, which the executor links anyway, do the same job:
//! put the sources end to end, then take the picked rows. The cost is one copy of the sources;
//! the inputs here (one batch's branches, a window's partitions, an aggregate's kept values)
//! are already in memory, so that copy is of the same order as the result.

use arrow::array::{Array, ArrayRef, UInt32Array, new_empty_array, new_null_array};
use arrow::compute::{concat, take};
use arrow::datatypes::DataType;

use crate::error::{QueryError, Result};

/// Row `i` of the result is row `row` of `sources[source]` when `picks[i]` is
/// `Some((source, row))`, NULL when it is `None`. Every source has type `data_type`; a pick
/// outside the sources is an internal error.
pub(crate) fn gather(
    data_type: &DataType,
    sources: &[&dyn Array],
    picks: &[Option<(usize, usize)>],
) -> Result<ArrayRef> {
    if picks.is_empty() {
        return Ok(new_empty_array(data_type));
    }
    if sources.is_empty() {
        return Ok(new_null_array(data_type, picks.len()));
    }
    // Where each source starts once they are put end to end.
    let mut starts = Vec::with_capacity(sources.len());
    let mut total = 0usize;
    for source in sources {
        starts.push(total);
        total += source.len();
    }
    if u32::try_from(total).is_err() {
        return Err(QueryError::Internal(format!(
            "cannot gather from {total} rows: more than a u32 index reaches"
        )));
    }
    let indices = picks
        .iter()
        .map(|pick| match *pick {
            None => Ok(None),
            // In range of u32: `total` is, and the row is inside its source.
            Some((source, row)) if sources.get(source).is_some_and(|s| row < s.len()) => {
                Ok(Some((starts[source] + row) as u32))
            }
            Some((source, row)) => Err(QueryError::Internal(format!(
                "gather: row {row} of source {source} is out of bounds"
            ))),
        })
        .collect::<Result<UInt32Array>>()?;
    Ok(take(concat(sources)?.as_ref(), &indices, None)?)
}

#[cfg(test)]
mod tests;
