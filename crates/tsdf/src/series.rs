//! Series keys and the one sort every per-series operation shares.
//!
//! Rows get a dense partition id (hash of the partition columns, first-appearance order); a
//! stable counting sort by that id then a check (or sort) of each run by (ts, seq) gives the
//! order Tempo's `Window.partitionBy(partition cols).orderBy(ts, seq)` defines, in O(n) when each
//! series is already in time order (the usual case for sensor data).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;

use arrow::array::{Array, ArrayRef, AsArray};
use arrow::buffer::{NullBuffer, ScalarBuffer};
use arrow::compute::{SortOptions, rank};
use arrow::datatypes::{
    DataType, Float32Type, Float64Type, Int8Type, Int16Type, Int32Type, Int64Type, TimeUnit,
    TimestampMicrosecondType, UInt8Type, UInt16Type, UInt32Type, UInt64Type,
};
use arrow::row::{RowConverter, SortField};

use crate::error::{Result, TsdfError};
use crate::timefmt::MICROS_PER_SEC;

/// A small, fast hasher for integer and short byte keys (the FxHash mix).
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

const FX_SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut buf = [0u8; 8];
            buf[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(buf));
        }
    }
    fn write_u64(&mut self, i: u64) {
        self.0 = (self.0.rotate_left(5) ^ i).wrapping_mul(FX_SEED);
    }
    fn write_usize(&mut self, i: usize) {
        self.write_u64(i as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// A `HashMap` with [`FxHasher`].
pub(crate) type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// Dense partition ids: `ids[row]` in `0..n_groups`, numbered by first appearance.
pub(crate) struct PartitionIds {
    pub ids: Vec<u32>,
    pub n_groups: usize,
    /// One representative row per group (its first row).
    pub first_row: Vec<u32>,
}

/// Largest value range of an integer key for which a direct lookup table is used instead of a
/// hash map (4 Mi entries = 16 MiB of u32; beyond that hashing is cheaper than the table).
const DIRECT_TABLE_MAX_RANGE: i64 = 1 << 22;

/// Computes dense partition ids of `cols` (all of equal length `n`).
pub(crate) fn partition_ids(cols: &[ArrayRef], n: usize) -> Result<PartitionIds> {
    let mut first_row = Vec::new();
    if cols.is_empty() {
        if n > 0 {
            first_row.push(0);
        }
        return Ok(PartitionIds {
            ids: vec![0; n],
            n_groups: usize::from(n > 0),
            first_row,
        });
    }
    if cols.len() == 1 && cols[0].null_count() == 0 {
        if let Some(ids) = int_key_ids(&cols[0]) {
            return Ok(ids);
        }
        if let Some(strings) = cols[0].as_string_opt::<i32>() {
            let mut map: FxMap<&str, u32> = FxMap::default();
            let ids = (0..n)
                .map(|i| {
                    let next = map.len() as u32;
                    *map.entry(strings.value(i)).or_insert_with(|| {
                        first_row.push(i as u32);
                        next
                    })
                })
                .collect();
            return Ok(PartitionIds {
                ids,
                n_groups: map.len(),
                first_row,
            });
        }
    }
    let converter = RowConverter::new(
        cols.iter()
            .map(|c| SortField::new(c.data_type().clone()))
            .collect(),
    )?;
    let rows = converter.convert_columns(cols)?;
    let mut map: FxMap<&[u8], u32> = FxMap::default();
    let ids = (0..n)
        .map(|i| {
            let next = map.len() as u32;
            *map.entry(rows.row(i).data()).or_insert_with(|| {
                first_row.push(i as u32);
                next
            })
        })
        .collect();
    Ok(PartitionIds {
        ids,
        n_groups: map.len(),
        first_row,
    })
}

/// Partition ids of an integer key column without nulls (any int type read in place), or
/// `None` for other types.
fn int_key_ids(col: &ArrayRef) -> Option<PartitionIds> {
    macro_rules! ids {
        ($t:ty) => {
            col.as_primitive_opt::<$t>()
                .map(|a| ids_from_ints(a.values(), |v| v as i64))
        };
    }
    match col.data_type() {
        DataType::Int8 => ids!(Int8Type),
        DataType::Int16 => ids!(Int16Type),
        DataType::Int32 => ids!(Int32Type),
        DataType::Int64 => ids!(Int64Type),
        DataType::UInt8 => ids!(UInt8Type),
        DataType::UInt16 => ids!(UInt16Type),
        DataType::UInt32 => ids!(UInt32Type),
        _ => None,
    }
}

fn ids_from_ints<K: Copy>(keys: &[K], widen: impl Fn(K) -> i64) -> PartitionIds {
    let mut first_row = Vec::new();
    let (lo, hi) = keys.iter().fold((i64::MAX, i64::MIN), |(lo, hi), &k| {
        (lo.min(widen(k)), hi.max(widen(k)))
    });
    if keys.is_empty() {
        return PartitionIds {
            ids: Vec::new(),
            n_groups: 0,
            first_row,
        };
    }
    if hi.saturating_sub(lo) < DIRECT_TABLE_MAX_RANGE {
        let mut table = vec![u32::MAX; (hi - lo + 1) as usize];
        let ids = keys
            .iter()
            .enumerate()
            .map(|(i, &k)| {
                let slot = &mut table[(widen(k) - lo) as usize];
                if *slot == u32::MAX {
                    *slot = first_row.len() as u32;
                    first_row.push(i as u32);
                }
                *slot
            })
            .collect();
        return PartitionIds {
            ids,
            n_groups: first_row.len(),
            first_row,
        };
    }
    let mut map: FxMap<i64, u32> = FxMap::default();
    let ids = keys
        .iter()
        .enumerate()
        .map(|(i, &k)| {
            let next = map.len() as u32;
            *map.entry(widen(k)).or_insert_with(|| {
                first_row.push(i as u32);
                next
            })
        })
        .collect();
    PartitionIds {
        ids,
        n_groups: first_row.len(),
        first_row,
    }
}

/// The ts column as order keys plus a way to get epoch seconds.
pub(crate) struct TsKeys {
    /// Order-preserving integer key per row (micros for timestamps; value or float bits
    /// otherwise). A timestamp column's own buffer, shared rather than copied.
    pub key: ScalarBuffer<i64>,
    pub nulls: Option<NullBuffer>,
    /// Epoch seconds (as Spark's `cast(ts as double)`), per row.
    pub is_timestamp: bool,
    secs: Option<Vec<f64>>,
}

impl TsKeys {
    /// Reads a ts column (timestamp in µs, or numeric seconds).
    pub fn new(col: &ArrayRef) -> Result<Self> {
        let nulls = col.logical_nulls();
        macro_rules! ints {
            ($t:ty) => {
                Ok(TsKeys {
                    key: col
                        .as_primitive::<$t>()
                        .values()
                        .iter()
                        .map(|&v| v as i64)
                        .collect::<Vec<_>>()
                        .into(),
                    nulls,
                    is_timestamp: false,
                    secs: None,
                })
            };
        }
        match col.data_type() {
            DataType::Timestamp(TimeUnit::Microsecond, _) => Ok(TsKeys {
                key: col
                    .as_primitive::<TimestampMicrosecondType>()
                    .values()
                    .clone(),
                nulls,
                is_timestamp: true,
                secs: None,
            }),
            DataType::Int8 => ints!(Int8Type),
            DataType::Int16 => ints!(Int16Type),
            DataType::Int32 => ints!(Int32Type),
            DataType::Int64 => ints!(Int64Type),
            DataType::UInt8 => ints!(UInt8Type),
            DataType::UInt16 => ints!(UInt16Type),
            DataType::UInt32 => ints!(UInt32Type),
            DataType::UInt64 => ints!(UInt64Type),
            DataType::Float32 | DataType::Float64 => {
                let v: Vec<f64> = if let Some(a) = col.as_primitive_opt::<Float64Type>() {
                    a.values().to_vec()
                } else {
                    col.as_primitive::<Float32Type>()
                        .values()
                        .iter()
                        .map(|&x| f64::from(x))
                        .collect()
                };
                Ok(TsKeys {
                    key: v
                        .iter()
                        .map(|&x| float_order_key(x))
                        .collect::<Vec<_>>()
                        .into(),
                    nulls,
                    is_timestamp: false,
                    secs: Some(v),
                })
            }
            other => Err(TsdfError::Internal(format!(
                "ts column of type {other} reached the kernels"
            ))),
        }
    }

    /// Whether row `i` has a timestamp.
    #[inline]
    pub fn is_valid(&self, i: usize) -> bool {
        self.nulls.as_ref().is_none_or(|n| n.is_valid(i))
    }

    /// Epoch seconds of row `i` as Spark's `cast(ts as double)` computes them.
    #[inline]
    pub fn secs(&self, i: usize) -> f64 {
        match &self.secs {
            Some(v) => v[i],
            None if self.is_timestamp => self.key[i] as f64 / MICROS_PER_SEC as f64,
            None => self.key[i] as f64,
        }
    }

    /// Tempo's `double_ts` for range windows: whole seconds plus the fraction (timestamps), or the
    /// value itself (numeric ts).
    #[inline]
    pub fn double_ts(&self, i: usize) -> f64 {
        if self.is_timestamp {
            let k = self.key[i];
            k.div_euclid(MICROS_PER_SEC) as f64
                + k.rem_euclid(MICROS_PER_SEC) as f64 / MICROS_PER_SEC as f64
        } else {
            self.secs(i)
        }
    }
}

/// Maps an f64 to an i64 whose integer order is the float's total order.
pub(crate) fn float_order_key(x: f64) -> i64 {
    let b = x.to_bits() as i64;
    if b < 0 { b ^ i64::MAX } else { b }
}

/// Rows in series order: `order[runs[p]]` are the rows of partition `p` sorted by ts (NULLs
/// first) then seq (NULLs first) then input position.
pub(crate) struct SeriesOrder {
    pub order: Vec<u32>,
    pub runs: Vec<Range<usize>>,
    /// Each row's series, kept when every series lists its rows in input order (none needed
    /// sorting): then reading rows in input order and appending to each series' next slot
    /// lays them out in series order, with sequential reads instead of strided ones.
    row_series: Option<Vec<u32>>,
}

impl SeriesOrder {
    /// `f(row)` for every position of the series order.
    pub(crate) fn gather<T: Copy + Default>(&self, f: impl Fn(usize) -> T) -> Vec<T> {
        let mut out = vec![T::default(); self.order.len()];
        match &self.row_series {
            Some(ids) => {
                let mut next: Vec<usize> = self.runs.iter().map(|r| r.start).collect();
                for (row, &p) in ids.iter().enumerate() {
                    let slot = &mut next[p as usize];
                    out[*slot] = f(row);
                    *slot += 1;
                }
            }
            None => {
                for (o, &row) in out.iter_mut().zip(&self.order) {
                    *o = f(row as usize);
                }
            }
        }
        out
    }

    /// Values per position of the series order put back in input row order.
    pub(crate) fn scatter<T: Copy + Default>(&self, by_pos: &[T]) -> Vec<T> {
        match &self.row_series {
            Some(ids) => {
                let mut next: Vec<usize> = self.runs.iter().map(|r| r.start).collect();
                ids.iter()
                    .map(|&p| {
                        let slot = &mut next[p as usize];
                        *slot += 1;
                        by_pos[*slot - 1]
                    })
                    .collect()
            }
            None => {
                let mut out = vec![T::default(); self.order.len()];
                for (&row, &v) in self.order.iter().zip(by_pos) {
                    out[row as usize] = v;
                }
                out
            }
        }
    }
}

/// Sequence-column ranks (NULLs first), or `None` when there is no sequence column.
pub(crate) fn seq_ranks(seq: Option<&ArrayRef>) -> Result<Option<Vec<u32>>> {
    seq.map(|s| {
        rank(
            s,
            Some(SortOptions {
                descending: false,
                nulls_first: true,
            }),
        )
        .map_err(TsdfError::from)
    })
    .transpose()
}

/// Sorts rows into series order (see [`SeriesOrder`]).
pub(crate) fn series_order(
    parts: &[ArrayRef],
    ts: &TsKeys,
    seq: Option<&[u32]>,
    n: usize,
) -> Result<SeriesOrder> {
    let pids = partition_ids(parts, n)?;
    Ok(series_order_with(pids, ts, seq))
}

/// [`series_order`] with precomputed partition ids.
pub(crate) fn series_order_with(
    pids: PartitionIds,
    ts: &TsKeys,
    seq: Option<&[u32]>,
) -> SeriesOrder {
    let n = pids.ids.len();
    let mut counts = vec![0usize; pids.n_groups + 1];
    for &p in &pids.ids {
        counts[p as usize + 1] += 1;
    }
    for g in 0..pids.n_groups {
        counts[g + 1] += counts[g];
    }
    let runs: Vec<Range<usize>> = (0..pids.n_groups)
        .map(|g| counts[g]..counts[g + 1])
        .collect();
    let mut next = counts;
    let mut order = vec![0u32; n];
    for (i, &p) in pids.ids.iter().enumerate() {
        order[next[p as usize]] = i as u32;
        next[p as usize] += 1;
    }
    let sort_key = |i: u32| {
        let i = i as usize;
        (
            ts.is_valid(i),
            if ts.is_valid(i) { ts.key[i] } else { 0 },
            seq.map_or(0, |s| s[i]),
            i,
        )
    };
    // The counting sort is stable, so each run lists its rows in input order: without NULL
    // timestamps or a sequence column, a run is sorted when its timestamps do not decrease
    // (ties keep input order either way), checked on the keys alone in one pass in row
    // order (reading them in series order would be strided).
    let plain = seq.is_none() && ts.nulls.as_ref().is_none_or(|n| n.null_count() == 0);
    let mut run_sorted = vec![plain; pids.n_groups];
    if plain {
        let mut last = vec![i64::MIN; pids.n_groups];
        for (&p, &k) in pids.ids.iter().zip(ts.key.iter()) {
            let p = p as usize;
            run_sorted[p] &= k >= last[p];
            last[p] = k;
        }
    }
    let mut in_row_order = true;
    for (run, &sorted) in runs.iter().zip(&run_sorted) {
        let slice = &mut order[run.clone()];
        if !sorted && !slice.windows(2).all(|w| sort_key(w[0]) <= sort_key(w[1])) {
            slice.sort_unstable_by_key(|&i| sort_key(i));
            in_row_order = false;
        }
    }
    SeriesOrder {
        order,
        runs,
        row_series: in_row_order.then_some(pids.ids),
    }
}

/// Everything a per-series operation needs about a [`Tsdf`]: ts keys and the series order
/// (with the sequence column as tie-breaker when `use_seq`).
pub(crate) fn tsdf_series(t: &crate::Tsdf, use_seq: bool) -> Result<(TsKeys, SeriesOrder)> {
    let ts = TsKeys::new(t.column(t.ts_col())?)?;
    let parts = t
        .partition_cols()
        .iter()
        .map(|c| t.column(c).cloned())
        .collect::<Result<Vec<_>>>()?;
    let seq = match (use_seq, t.sequence_col()) {
        (true, Some(s)) => seq_ranks(Some(t.column(s)?))?,
        _ => None,
    };
    let order = series_order(&parts, &ts, seq.as_deref(), t.num_rows())?;
    Ok((ts, order))
}
