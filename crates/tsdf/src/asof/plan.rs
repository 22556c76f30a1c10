//! Validation and planning of `asofJoin`: Tempo's options, the checked output columns, and
//! the shared partition numbering and right-side order both join strategies start from
//! (`strategy` picks one and checks its options).

use arrow::compute::concat;

use crate::convert::cast;

use crate::error::{Result, TsdfError};
use crate::frame::Tsdf;
use crate::series::{SeriesOrder, TsKeys, partition_ids, seq_ranks, series_order_with};

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

fn prefixed(prefix: Option<&str>, col: &str) -> String {
    match prefix {
        Some(p) if !p.is_empty() => format!("{p}_{col}"),
        _ => col.to_string(),
    }
}

/// The validated shape of a join: output names and the shared partition ids.
pub(super) struct JoinPlan {
    pub(super) part_cols: Vec<String>,
    pub(super) left_cols: Vec<(String, String)>,
    pub(super) right_cols: Vec<(String, String)>,
    pub(super) left_ts_out: String,
}

pub(super) fn plan(left: &Tsdf, right: &Tsdf, opts: &AsofJoinOptions) -> Result<JoinPlan> {
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
        left_cols,
        right_cols,
    })
}

/// Partition ids of left and right rows in one numbering (by the left partition columns).
pub(super) fn joint_pids(
    left: &Tsdf,
    right: &Tsdf,
) -> Result<(crate::series::PartitionIds, usize)> {
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
pub(super) fn right_order(
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
