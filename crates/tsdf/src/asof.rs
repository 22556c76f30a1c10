//! `asofJoin`: for every left row, the latest right row of the same series at or before it.
//!
//! Implemented as a merge over sorted runs: the right side is sorted once per series; for every
//! right column the position of its last non-NULL value is carried along the run (Tempo's
//! per-column `last(col, ignoreNulls=True)`); each left row then binary-searches its series' run.
//! No union, no cross join; left rows keep their input order.

use arrow::array::{Array, ArrayRef, BooleanArray};
use arrow::compute::{cast, concat, filter};

use crate::error::{Result, TsdfError};
use crate::frame::Tsdf;
use crate::series::{SeriesOrder, TsKeys, partition_ids, seq_ranks, series_order_with};
use crate::values::{batch_of, take_opt};

/// Options of [`Tsdf::asof_join`]; `Default` is Tempo's defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct AsofJoinOptions {
    /// `left_prefix`: when set and non-empty, every non-partition left column (ts included)
    /// becomes `<prefix>_<col>`.
    pub left_prefix: Option<String>,
    /// `right_prefix` (default `"right"`): every right column except the left partition columns
    /// becomes `<prefix>_<col>`; `""` keeps the names.
    pub right_prefix: String,
    /// `tsPartitionVal` (seconds): Tempo's skew mode, which only looks back into the current
    /// time bucket and the last `fraction` of the previous one (so old matches are missed).
    pub ts_partition_val: Option<f64>,
    /// `fraction` (default 0.5): the share of the previous bucket visible in skew mode.
    pub fraction: f64,
    /// `skipNulls` (default true): each right column takes its latest non-NULL value
    /// independently; false takes every column from the single latest right row.
    pub skip_nulls: bool,
    /// `sql_join_opt`: Tempo's range-join shortcut with different semantics (inner join; a left
    /// row equal to a right ts matches it and the previous right row; no null skipping).
    pub sql_join_opt: bool,
    /// `suppress_null_warning`: accepted for compatibility; no effect on the result.
    pub suppress_null_warning: bool,
    /// `tolerance` (seconds): right columns become NULL when the left ts is more than this after
    /// the matched right ts (inclusive bound).
    pub tolerance: Option<f64>,
}

impl Default for AsofJoinOptions {
    fn default() -> Self {
        AsofJoinOptions {
            left_prefix: None,
            right_prefix: "right".into(),
            ts_partition_val: None,
            fraction: 0.5,
            skip_nulls: true,
            sql_join_opt: false,
            suppress_null_warning: false,
            tolerance: None,
        }
    }
}

/// Position value meaning "no row".
const NONE: u32 = u32::MAX;

fn prefixed(prefix: Option<&str>, col: &str) -> String {
    match prefix {
        Some(p) if !p.is_empty() => format!("{p}_{col}"),
        _ => col.to_string(),
    }
}

/// The validated shape of a join: output names and the shared partition ids.
struct JoinPlan {
    part_cols: Vec<String>,
    left_cols: Vec<(String, String)>,
    right_cols: Vec<(String, String)>,
    right_ts_out: String,
    left_ts_out: String,
}

fn plan(left: &Tsdf, right: &Tsdf, opts: &AsofJoinOptions) -> Result<JoinPlan> {
    for (l, r) in left.partition_cols().iter().zip(right.partition_cols()) {
        if l != r {
            return Err(TsdfError::InvalidArgument {
                param: "partition_cols",
                message: format!(
                    "left and right partition columns should have the same name in the same order (`{l}` vs `{r}`)"
                ),
            });
        }
    }
    let right_schema = right.df().schema();
    let left_ts = left.ts_col();
    let right_ts_name = right.resolve(left_ts, "ts_col (right side of asofJoin)")?;
    let lt = left.column(left_ts)?.data_type().clone();
    let rt = right.column(&right_ts_name)?.data_type().clone();
    if crate::spark_type_name(&lt) != crate::spark_type_name(&rt) {
        return Err(TsdfError::InvalidArgument {
            param: "ts_col",
            message: format!(
                "left and right timestamp columns should have the same type ({lt} vs {rt})"
            ),
        });
    }
    for p in left.partition_cols() {
        right.resolve(p, "partition_cols (right side of asofJoin)")?;
    }
    let is_part = |c: &str| {
        left.partition_cols()
            .iter()
            .any(|p| p.eq_ignore_ascii_case(c))
    };
    let left_prefix = opts.left_prefix.as_deref();
    let left_cols: Vec<(String, String)> = left
        .columns()
        .into_iter()
        .filter(|c| !is_part(c))
        .map(|c| (prefixed(left_prefix, &c), c))
        .collect();
    let right_cols: Vec<(String, String)> = right_schema
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .filter(|c| !is_part(c))
        .map(|c| (prefixed(Some(&opts.right_prefix), &c), c))
        .collect();
    for (out, _) in &right_cols {
        if left_cols.iter().any(|(l, _)| l == out) || left.partition_cols().contains(out) {
            return Err(TsdfError::ColumnCollision {
                column: out.clone(),
                operation: "asofJoin",
            });
        }
    }
    Ok(JoinPlan {
        part_cols: left.partition_cols().to_vec(),
        left_ts_out: prefixed(left_prefix, left_ts),
        right_ts_out: prefixed(Some(&opts.right_prefix), right.ts_col()),
        left_cols,
        right_cols,
    })
}

/// Partition ids of left and right rows in one numbering (by the left partition columns).
fn joint_pids(left: &Tsdf, right: &Tsdf) -> Result<(crate::series::PartitionIds, usize)> {
    let nl = left.num_rows();
    let mut cols = Vec::new();
    for p in left.partition_cols() {
        let l = left.column(p)?;
        let r = right.column(&right.resolve(p, "partition_cols")?)?;
        let r = if r.data_type() == l.data_type() {
            r.clone()
        } else {
            cast(r, l.data_type())?
        };
        cols.push(concat(&[l.as_ref(), r.as_ref()])?);
    }
    Ok((partition_ids(&cols, nl + right.num_rows())?, nl))
}

/// The right side sorted by (series, ts NULLs first, seq NULLs first).
fn right_order(
    right: &Tsdf,
    ids: Vec<u32>,
    n_groups: usize,
    ts: &TsKeys,
    use_seq: bool,
) -> Result<SeriesOrder> {
    let seq = match (use_seq, right.sequence_col()) {
        (true, Some(s)) => seq_ranks(Some(right.column(s)?))?,
        _ => None,
    };
    let pids = crate::series::PartitionIds {
        ids,
        n_groups,
        first_row: Vec::new(),
    };
    Ok(series_order_with(pids, ts, seq.as_deref()))
}

/// For every sorted right position, the position of the last non-NULL value of `col` at or
/// before it within its run (`NONE` if there is none).
fn last_non_null(col: &ArrayRef, sorted: &SeriesOrder) -> Vec<u32> {
    let mut out = vec![NONE; sorted.order.len()];
    let nulls = col.logical_nulls();
    for run in &sorted.runs {
        let mut last = NONE;
        for pos in run.clone() {
            if nulls
                .as_ref()
                .is_none_or(|n| n.is_valid(sorted.order[pos] as usize))
            {
                last = pos as u32;
            }
            out[pos] = last;
        }
    }
    out
}

/// Spark's `cast(double as int)` (truncation, saturating).
fn trunc_int(x: f64) -> f64 {
    (x as i32) as f64
}

impl Tsdf {
    /// Tempo's `asofJoin`: joins to every left row the latest right row of the same series whose
    /// ts is at or before the left ts (see [`AsofJoinOptions`] for every parameter).
    ///
    /// Output: one row per left row with a non-NULL ts, in input order; columns = left partition
    /// columns, left columns (prefixed if `left_prefix`), right columns prefixed with
    /// `right_prefix`. Series are matched on the **left** partition columns; extra right
    /// partition columns are ordinary (prefixed) right columns. The result has no sequence column.
    ///
    /// # Examples
    /// ```
    /// # use std::sync::Arc;
    /// # use arrow::array::*;
    /// # use arrow::datatypes::*;
    /// use tsdf::{AsofJoinOptions, Tsdf, timestamp_type};
    /// let frame = |ts: Vec<i64>, name: &str, v: Vec<f64>| {
    ///     let schema = Arc::new(Schema::new(vec![
    ///         Field::new("id", DataType::Utf8, false),
    ///         Field::new("ts", timestamp_type(), true),
    ///         Field::new(name, DataType::Float64, true),
    ///     ]));
    ///     let n = ts.len();
    ///     RecordBatch::try_new(schema, vec![
    ///         Arc::new(StringArray::from(vec!["a"; n])),
    ///         Arc::new(TimestampMicrosecondArray::from(ts).with_timezone("UTC")),
    ///         Arc::new(Float64Array::from(v)),
    ///     ]).unwrap()
    /// };
    /// let left = Tsdf::new(frame(vec![5, 15], "x", vec![1.0, 2.0]), "ts", &["id"], None).unwrap();
    /// let right = Tsdf::new(frame(vec![0, 10, 20], "v", vec![7.0, 8.0, 9.0]), "ts", &["id"], None).unwrap();
    /// let joined = left.asof_join(&right, &AsofJoinOptions::default()).unwrap();
    /// let v = joined.df().column_by_name("right_v").unwrap().as_any().downcast_ref::<Float64Array>().unwrap();
    /// assert_eq!(v.values().to_vec(), vec![7.0, 8.0]);
    /// ```
    pub fn asof_join(&self, right: &Tsdf, opts: &AsofJoinOptions) -> Result<Tsdf> {
        let plan = plan(self, right, opts)?;
        if opts.sql_join_opt {
            return self.range_join(right, &plan);
        }
        if !opts.skip_nulls && opts.ts_partition_val.is_some() {
            return Err(TsdfError::InvalidArgument {
                param: "skipNulls",
                message: "disabling null skipping with a partition value (tsPartitionVal) is not supported".into(),
            });
        }
        if let Some(v) = opts.ts_partition_val
            && v.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater)
        {
            return Err(TsdfError::InvalidArgument {
                param: "tsPartitionVal",
                message: format!("must be positive, got {v}"),
            });
        }
        let (pids, nl) = joint_pids(self, right)?;
        let n_groups = pids.n_groups;
        let left_pids = &pids.ids[..nl];
        let left_ts = TsKeys::new(self.column(self.ts_col())?)?;
        let right_ts_col = right.column(right.ts_col())?;
        let right_ts = TsKeys::new(right_ts_col)?;
        let sorted = right_order(right, pids.ids[nl..].to_vec(), n_groups, &right_ts, true)?;

        let right_arrays: Vec<ArrayRef> = plan
            .right_cols
            .iter()
            .map(|(_, src)| right.column(src).cloned())
            .collect::<Result<_>>()?;
        let ts_pos_in_right = plan
            .right_cols
            .iter()
            .position(|(o, _)| *o == plan.right_ts_out);
        let last_nn: Vec<Vec<u32>> = if opts.skip_nulls {
            right_arrays
                .iter()
                .map(|c| last_non_null(c, &sorted))
                .collect()
        } else {
            Vec::new()
        };
        let last_nn_ts = last_non_null(right_ts_col, &sorted);
        let sorted_keys: Vec<(bool, i64)> = sorted
            .order
            .iter()
            .map(|&r| (right_ts.is_valid(r as usize), right_ts.key[r as usize]))
            .collect();
        let skew = opts.ts_partition_val.map(|v| (v, 1.0 - opts.fraction));

        let mut keep = Vec::with_capacity(nl);
        let mut idx: Vec<Vec<Option<u32>>> = vec![Vec::with_capacity(nl); right_arrays.len()];
        for (i, &pid) in left_pids.iter().enumerate() {
            if !left_ts.is_valid(i) {
                continue;
            }
            keep.push(i as u32);
            let run = sorted.runs[pid as usize].clone();
            let lkey = left_ts.key[i];
            let hi = run.start
                + sorted_keys[run.clone()].partition_point(|&(valid, k)| !valid || k <= lkey);
            let lo = match skew {
                None => run.start,
                Some((v, min_rem)) => {
                    let b = v * trunc_int(left_ts.secs(i) / v);
                    let prev = b - v;
                    run.start
                        + sorted.order[run.clone()].partition_point(|&r| {
                            let r = r as usize;
                            if !right_ts.is_valid(r) {
                                return true;
                            }
                            let s = right_ts.secs(r);
                            let rb = v * trunc_int(s / v);
                            !(rb > prev || (rb == prev && (s - rb) / v >= min_rem))
                        })
                }
            };
            let last = if hi > lo { Some(hi - 1) } else { None };
            let pick = |pos: u32| {
                (pos != NONE && (pos as usize) >= lo).then(|| sorted.order[pos as usize])
            };
            let ts_row = match last {
                None => None,
                Some(l) if opts.skip_nulls => pick(last_nn_ts[l]),
                Some(l) => Some(sorted.order[l]),
            };
            let too_old = match (opts.tolerance, ts_row) {
                (Some(tol), Some(r)) if right_ts.is_valid(r as usize) => {
                    left_ts.secs(i) - right_ts.secs(r as usize) > tol
                }
                _ => false,
            };
            for (c, out) in idx.iter_mut().enumerate() {
                let row = match last {
                    _ if too_old => None,
                    None => None,
                    Some(_) if Some(c) == ts_pos_in_right && opts.skip_nulls => ts_row,
                    Some(l) if opts.skip_nulls => pick(last_nn[c][l]),
                    Some(l) => Some(sorted.order[l]),
                };
                out.push(row);
            }
        }
        self.assemble(&plan, &keep, &right_arrays, &idx)
    }

    /// Builds the join output from kept left rows and per-right-column row picks.
    fn assemble(
        &self,
        plan: &JoinPlan,
        keep: &[u32],
        right_arrays: &[ArrayRef],
        idx: &[Vec<Option<u32>>],
    ) -> Result<Tsdf> {
        let all_kept =
            keep.len() == self.num_rows() && keep.iter().enumerate().all(|(i, &k)| i as u32 == k);
        let take_left = |c: &ArrayRef| -> Result<ArrayRef> {
            if all_kept {
                Ok(c.clone())
            } else if keep.windows(2).all(|w| w[0] < w[1]) && keep.len() * 2 >= self.num_rows() {
                let mut mask = vec![false; self.num_rows()];
                keep.iter().for_each(|&k| mask[k as usize] = true);
                Ok(filter(c.as_ref(), &BooleanArray::from(mask))?)
            } else {
                crate::values::take_idx(c, keep)
            }
        };
        let mut cols = Vec::new();
        for p in &plan.part_cols {
            cols.push((p.clone(), take_left(self.column(p)?)?));
        }
        for (out, src) in &plan.left_cols {
            cols.push((out.clone(), take_left(self.column(src)?)?));
        }
        for ((out, _), (arr, ix)) in plan.right_cols.iter().zip(right_arrays.iter().zip(idx)) {
            cols.push((out.clone(), take_opt(arr, ix)?));
        }
        let batch = batch_of(cols)?;
        Ok(Tsdf::from_parts(
            batch,
            plan.left_ts_out.clone(),
            plan.part_cols.clone(),
            None,
        ))
    }

    /// Tempo's `sql_join_opt=True` path: an inner range join
    /// `left_ts BETWEEN right_ts AND coalesce(lead(right_ts), +inf)` per series.
    fn range_join(&self, right: &Tsdf, plan: &JoinPlan) -> Result<Tsdf> {
        let (pids, nl) = joint_pids(self, right)?;
        let n_groups = pids.n_groups;
        let left_pids = pids.ids[..nl].to_vec();
        let left_ts = TsKeys::new(self.column(self.ts_col())?)?;
        let right_ts = TsKeys::new(right.column(right.ts_col())?)?;
        // lead(right_ts) is taken over the right side's own series.
        let rparts = right
            .partition_cols()
            .iter()
            .map(|c| right.column(c).cloned())
            .collect::<Result<Vec<_>>>()?;
        let own = crate::series::series_order(
            &rparts,
            &right_ts,
            seq_ranks(right.sequence_col().map(|s| right.column(s)).transpose()?)?.as_deref(),
            right.num_rows(),
        )?;
        let mut lead: Vec<Option<i64>> = vec![None; right.num_rows()];
        for run in &own.runs {
            for w in own.order[run.clone()].windows(2) {
                let next = w[1] as usize;
                lead[w[0] as usize] = right_ts.is_valid(next).then(|| right_ts.key[next]);
            }
        }
        let sorted = right_order(right, pids.ids[nl..].to_vec(), n_groups, &right_ts, true)?;
        let same_series = right.partition_cols().len() == self.partition_cols().len();
        let mut keep = Vec::new();
        let mut matches = Vec::new();
        for (i, &pid) in left_pids.iter().enumerate() {
            if !left_ts.is_valid(i) {
                continue;
            }
            let l = left_ts.key[i];
            let run = &sorted.order[sorted.runs[pid as usize].clone()];
            let hi = run.partition_point(|&r| {
                !right_ts.is_valid(r as usize) || right_ts.key[r as usize] <= l
            });
            let first = matches.len();
            for &r in run[..hi].iter().rev() {
                let r_us = r as usize;
                if !right_ts.is_valid(r_us) {
                    break;
                }
                if lead[r_us].is_none_or(|nx| nx >= l) {
                    matches.push(r);
                    keep.push(i as u32);
                } else if same_series {
                    break;
                }
            }
            matches[first..].reverse();
        }
        let right_arrays: Vec<ArrayRef> = plan
            .right_cols
            .iter()
            .map(|(_, src)| right.column(src).cloned())
            .collect::<Result<_>>()?;
        let picks: Vec<Option<u32>> = matches.into_iter().map(Some).collect();
        let idx = vec![picks; right_arrays.len()];
        self.assemble(plan, &keep, &right_arrays, &idx)
    }
}
