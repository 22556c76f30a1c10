//! Bucket kernels shared by `resample`, `withGroupedStats` and friends: (series, bucket) group
//! ids, per-group means and extremes, and Spark's orderings of values.

use std::cmp::Ordering;
use std::sync::Arc;

use arrow::array::{Array, ArrayRef, AsArray, Float64Array};
use arrow::buffer::NullBuffer;
use arrow::compute::SortOptions;
use arrow::datatypes::{DataType, Float32Type, Float64Type, Int32Type};

use crate::error::Result;
use crate::series::{FxMap, PartitionIds, TsKeys, partition_ids};
use crate::values::F64Column;

/// Bucket key of a NULL timestamp (Spark groups NULL windows together; it sorts first).
pub(crate) const NULL_BUCKET: i64 = i64::MIN;

/// Rows grouped by (series, bucket): groups numbered in (series, bucket) order.
pub(crate) struct Buckets {
    pub of_row: Vec<u32>,
    pub pid: Vec<u32>,
    pub bucket: Vec<i64>,
    pub pids: PartitionIds,
}

/// Assigns every row its (series, bucket) group. Sensor data arrives in time order per series,
/// so a per-series "current bucket" cache answers almost every row without hashing.
pub(crate) fn assign_buckets(parts: &[ArrayRef], ts: &TsKeys, width: i64) -> Result<Buckets> {
    let n = ts.key.len();
    let pids = partition_ids(parts, n)?;
    // Per series: the key range `[lo, hi)` of its current bucket and that bucket's group; a
    // key inside it needs no division (a 64-bit division costs tens of cycles) or lookup.
    let mut cache = vec![(0i64, 0i64, u32::MAX); pids.n_groups];
    let mut map: FxMap<(u32, i64), u32> = FxMap::default();
    let mut pid = Vec::new();
    let mut bucket = Vec::new();
    let mut of_row = Vec::with_capacity(n);
    for i in 0..n {
        let p = pids.ids[i];
        let slot = &mut cache[p as usize];
        let valid = ts.is_valid(i);
        let key = ts.key[i];
        let g = if valid && slot.0 <= key && key < slot.1 {
            slot.2
        } else {
            let b = if valid {
                key.div_euclid(width)
            } else {
                NULL_BUCKET
            };
            let next = pid.len() as u32;
            let g = *map.entry((p, b)).or_insert_with(|| {
                pid.push(p);
                bucket.push(b);
                next
            });
            // The bucket's key range; empty (never hit) for a NULL ts or where it overflows.
            let range = b
                .checked_mul(width)
                .and_then(|lo| Some((lo, lo.checked_add(width)?)))
                .filter(|_| valid)
                .unwrap_or((0, 0));
            *slot = (range.0, range.1, g);
            g
        };
        of_row.push(g);
    }
    // Renumber groups in (series, bucket) order.
    let mut perm: Vec<u32> = (0..pid.len() as u32).collect();
    if !perm.windows(2).all(|w| {
        (pid[w[0] as usize], bucket[w[0] as usize]) <= (pid[w[1] as usize], bucket[w[1] as usize])
    }) {
        perm.sort_unstable_by_key(|&g| (pid[g as usize], bucket[g as usize]));
        let mut rank = vec![0u32; perm.len()];
        for (r, &g) in perm.iter().enumerate() {
            rank[g as usize] = r as u32;
        }
        of_row.iter_mut().for_each(|g| *g = rank[*g as usize]);
    }
    let (pid, bucket) = perm
        .iter()
        .map(|&g| (pid[g as usize], bucket[g as usize]))
        .unzip();
    Ok(Buckets {
        of_row,
        pid,
        bucket,
        pids,
    })
}

/// Per-group average of a column as double, NULLs ignored (NULL for an all-NULL group).
pub(crate) fn group_mean(col: &ArrayRef, of_row: &[u32], n_groups: usize) -> Result<ArrayRef> {
    let mut sum = vec![0.0; n_groups];
    let mut count = vec![0u64; n_groups];
    let nulls = col.logical_nulls().filter(|n| n.null_count() > 0);
    // The usual metric types are read in place (each converts to double exactly, as Spark's
    // cast does); others are cast first (which may add NULLs: unparsable strings).
    match col.data_type() {
        DataType::Float64 => {
            let v = col.as_primitive::<Float64Type>().values();
            accumulate(&mut sum, &mut count, of_row, nulls.as_ref(), |i| v[i]);
        }
        DataType::Float32 => {
            let v = col.as_primitive::<Float32Type>().values();
            accumulate(&mut sum, &mut count, of_row, nulls.as_ref(), |i| {
                f64::from(v[i])
            });
        }
        DataType::Int32 => {
            let v = col.as_primitive::<Int32Type>().values();
            accumulate(&mut sum, &mut count, of_row, nulls.as_ref(), |i| {
                f64::from(v[i])
            });
        }
        _ => {
            let vals = F64Column::new(col)?;
            let v = vals.values();
            accumulate(&mut sum, &mut count, of_row, vals.nulls.as_ref(), |i| v[i]);
        }
    }
    let out: Float64Array = sum
        .iter()
        .zip(&count)
        .map(|(&s, &c)| (c > 0).then(|| s / c as f64))
        .collect();
    Ok(Arc::new(out))
}

/// Adds each valid row's value `vals(row)` to its group's sum and count.
#[inline(always)]
fn accumulate(
    sum: &mut [f64],
    count: &mut [u64],
    of_row: &[u32],
    nulls: Option<&NullBuffer>,
    vals: impl Fn(usize) -> f64,
) {
    match nulls {
        None => {
            for (i, &g) in of_row.iter().enumerate() {
                sum[g as usize] += vals(i);
                count[g as usize] += 1;
            }
        }
        Some(nulls) => {
            for (i, &g) in of_row.iter().enumerate() {
                if nulls.is_valid(i) {
                    sum[g as usize] += vals(i);
                    count[g as usize] += 1;
                }
            }
        }
    }
}

/// A row comparator for one column: NULL first, then the type's natural order.
pub(crate) fn comparator(
    col: &ArrayRef,
) -> Result<Box<dyn Fn(usize, usize) -> Ordering + Send + Sync>> {
    let opts = SortOptions {
        descending: false,
        nulls_first: true,
    };
    if col.data_type().is_floating() {
        let v = F64Column::new(col)?;
        return Ok(Box::new(move |a, b| match (v.get(a), v.get(b)) {
            (Some(x), Some(y)) => spark_double_cmp(x, y),
            (x, y) => x.is_some().cmp(&y.is_some()),
        }));
    }
    Ok(Box::new(arrow::array::make_comparator(
        col.as_ref(),
        col.as_ref(),
        opts,
    )?))
}

/// Spark's double order: NaN is the largest value and -0.0 equals 0.0.
pub(crate) fn spark_double_cmp(x: f64, y: f64) -> Ordering {
    x.partial_cmp(&y)
        .unwrap_or_else(|| x.is_nan().cmp(&y.is_nan()))
}

/// Per-group row index of the smallest (`want = Less`) or largest non-NULL value.
pub(crate) fn group_extreme(
    col: &ArrayRef,
    of_row: &[u32],
    n_groups: usize,
    want: Ordering,
) -> Result<Vec<Option<u32>>> {
    let cmp = comparator(col)?;
    let nulls = col.logical_nulls();
    let mut best: Vec<Option<u32>> = vec![None; n_groups];
    for (i, &g) in of_row.iter().enumerate() {
        if nulls.as_ref().is_some_and(|n| n.is_null(i)) {
            continue;
        }
        let slot = &mut best[g as usize];
        match slot {
            Some(b) if cmp(i, *b as usize) != want => {}
            _ => *slot = Some(i as u32),
        }
    }
    Ok(best)
}
