//! Runs of rows with equal keys. Rows often arrive clustered by key (a device's readings
//! together, each series' readings in time order, so its hours follow one another): grouping
//! one row per run and giving its group to the whole run costs one vectorised comparison per
//! key column instead of a hash lookup per row.
//!
//! Rows are compared as arrow's `distinct` does (NULLs equal, floats by their bits). Rows it
//! calls equal always share a group; rows it calls different (`-0.0` and `0.0`, two NaNs) may
//! still share one, which only starts a run more.

use arrow::array::{ArrayRef, UInt32Array};
use arrow::compute::kernels::cmp::distinct;
use arrow::compute::take;
use arrow::datatypes::DataType;

use crate::error::Result;

/// Fewer rows than this are looked up one by one.
const MIN_ROWS: usize = 64;

/// Runs must be at least this long on average to pay for the comparison and the gather.
const MIN_AVERAGE_RUN: usize = 4;

/// Key types `distinct` compares.
fn comparable(t: &DataType) -> bool {
    t.is_primitive()
        || matches!(
            t,
            DataType::Boolean
                | DataType::Utf8
                | DataType::LargeUtf8
                | DataType::Binary
                | DataType::LargeBinary
        )
}

/// The first row of each run of rows with equal keys, when the runs are long enough to be
/// worth grouping by; `None` otherwise (or with no key columns).
pub(super) fn run_starts(columns: &[ArrayRef], rows: usize) -> Result<Option<Vec<u32>>> {
    if rows < MIN_ROWS || columns.is_empty() || !columns.iter().all(|c| comparable(c.data_type())) {
        return Ok(None);
    }
    let mut changed = None;
    for column in columns {
        let differs = distinct(&column.slice(1, rows - 1), &column.slice(0, rows - 1))?;
        let differs = differs.values().clone();
        changed = Some(match changed {
            None => differs,
            Some(before) => &before | &differs,
        });
    }
    let Some(changed) = changed else {
        return Ok(None);
    };
    let runs = changed.count_set_bits() + 1;
    if runs * MIN_AVERAGE_RUN > rows {
        return Ok(None);
    }
    let mut starts = Vec::with_capacity(runs);
    starts.push(0);
    starts.extend(changed.set_indices().map(|k| k as u32 + 1));
    Ok(Some(starts))
}

/// The key columns' values at the runs' first rows.
pub(super) fn firsts(columns: &[ArrayRef], starts: &[u32]) -> Result<Vec<ArrayRef>> {
    let indices = UInt32Array::from(starts.to_vec());
    Ok(columns
        .iter()
        .map(|c| take(c.as_ref(), &indices, None))
        .collect::<std::result::Result<_, _>>()?)
}

/// Every row's group from its run's group (`ids[r]` for run `r`).
pub(super) fn spread(starts: &[u32], ids: &[u32], rows: usize, out: &mut Vec<u32>) {
    out.clear();
    out.reserve(rows);
    for (r, &id) in ids.iter().enumerate() {
        let end = starts.get(r + 1).map_or(rows, |&s| s as usize);
        out.resize(end, id);
    }
}
