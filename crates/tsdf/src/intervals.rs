//! `extractStateIntervals`: runs of rows where the metrics keep their state.

use arrow::array::{Array, ArrayRef, RecordBatch};
use std::cmp::Ordering;

use crate::error::{Result, TsdfError};
use crate::frame::Tsdf;
use crate::resample::comparator;
use crate::series::tsdf_series;
use crate::values::{batch_of, take_opt};

/// Tempo's `state_definition` operators, comparing each row's metric with the previous row's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StateDefinition {
    /// `=` / `==` (default): NULL on either side gives NULL (the row is dropped).
    #[default]
    Eq,
    /// `!=` / `<>`.
    Ne,
    /// `<`: current < previous.
    Lt,
    /// `<=`.
    Le,
    /// `>`.
    Gt,
    /// `>=`.
    Ge,
    /// `<=>`: NULL-safe equality (never NULL).
    NullSafeEq,
}

impl StateDefinition {
    /// Parses Tempo's operator strings.
    ///
    /// # Examples
    /// ```
    /// assert_eq!(tsdf::StateDefinition::parse("<>").unwrap(), tsdf::StateDefinition::Ne);
    /// assert!(tsdf::StateDefinition::parse("~").is_err());
    /// ```
    pub fn parse(op: &str) -> Result<Self> {
        Ok(match op {
            "=" | "==" => StateDefinition::Eq,
            "!=" | "<>" => StateDefinition::Ne,
            "<" => StateDefinition::Lt,
            "<=" => StateDefinition::Le,
            ">" => StateDefinition::Gt,
            ">=" => StateDefinition::Ge,
            "<=>" => StateDefinition::NullSafeEq,
            other => {
                return Err(TsdfError::InvalidArgument {
                    param: "state_definition",
                    message: format!("`{other}` is not one of = == != <> < <= > >= <=>"),
                });
            }
        })
    }

    fn eval(self, o: Option<Ordering>, both_null: bool) -> Option<bool> {
        match (self, o) {
            (StateDefinition::NullSafeEq, None) => Some(both_null),
            (StateDefinition::NullSafeEq, Some(o)) => Some(o.is_eq()),
            (_, None) => None,
            (StateDefinition::Eq, Some(o)) => Some(o.is_eq()),
            (StateDefinition::Ne, Some(o)) => Some(o.is_ne()),
            (StateDefinition::Lt, Some(o)) => Some(o.is_lt()),
            (StateDefinition::Le, Some(o)) => Some(o.is_le()),
            (StateDefinition::Gt, Some(o)) => Some(o.is_gt()),
            (StateDefinition::Ge, Some(o)) => Some(o.is_ge()),
        }
    }
}

impl Tsdf {
    /// Tempo's `extractStateIntervals(*metric_cols, state_definition="=")`: a plain frame
    /// `(partition cols, start_ts, end_ts)` with one row per run of rows whose every metric
    /// compares true with the previous row (in (ts, seq) order); `start_ts` is the ts of the row
    /// before the run's first row. NULL comparisons end nothing but are not part of a run.
    pub fn extract_state_intervals(
        &self,
        metric_cols: &[String],
        state_definition: StateDefinition,
    ) -> Result<RecordBatch> {
        if metric_cols.is_empty() {
            return Err(TsdfError::InvalidArgument {
                param: "metric_cols",
                message: "give at least one metric column".into(),
            });
        }
        let cols = metric_cols
            .iter()
            .map(|c| self.resolve(c, "metric_cols"))
            .collect::<Result<Vec<_>>>()?;
        let arrays: Vec<ArrayRef> = cols
            .iter()
            .map(|c| self.column(c).cloned())
            .collect::<Result<_>>()?;
        let cmps = arrays.iter().map(comparator).collect::<Result<Vec<_>>>()?;
        let (ts, series) = tsdf_series(self, true)?;
        let seq = match self.sequence_col() {
            Some(s) => crate::series::seq_ranks(Some(self.column(s)?))?,
            None => None,
        };
        let peer_key = |r: usize| (ts.is_valid(r), ts.key[r], seq.as_ref().map_or(0, |s| s[r]));
        // (first row of the series, start row, end row) per interval
        let mut intervals: Vec<(u32, Option<u32>, u32)> = Vec::new();
        for run in &series.runs {
            let rows = &series.order[run.clone()];
            let change: Vec<Option<bool>> = rows
                .iter()
                .enumerate()
                .map(|(pos, &r)| {
                    let r = r as usize;
                    let prev = pos.checked_sub(1).map(|p| rows[p] as usize);
                    let results: Vec<Option<bool>> = arrays
                        .iter()
                        .zip(&cmps)
                        .map(|(a, c)| {
                            let Some(p) = prev else {
                                return state_definition.eval(None, false);
                            };
                            let o = (a.is_valid(r) && a.is_valid(p)).then(|| c(r, p));
                            state_definition.eval(o, a.is_null(r) && a.is_null(p))
                        })
                        .collect();
                    if results.contains(&Some(false)) {
                        Some(true)
                    } else if results.contains(&None) {
                        None
                    } else {
                        Some(false)
                    }
                })
                .collect();
            // Running count of changes, RANGE frame: equal (ts, seq) peers share the total.
            let mut cnt = vec![0i64; rows.len()];
            let mut acc = 0i64;
            let mut pos = 0;
            while pos < rows.len() {
                let mut end = pos + 1;
                while end < rows.len()
                    && peer_key(rows[end] as usize) == peer_key(rows[pos] as usize)
                {
                    end += 1;
                }
                acc += change[pos..end]
                    .iter()
                    .filter(|c| **c == Some(true))
                    .count() as i64;
                cnt[pos..end].iter_mut().for_each(|c| *c = acc);
                pos = end;
            }
            let mut current: Option<(i64, usize)> = None;
            for pos in 0..rows.len() {
                if change[pos] != Some(false) {
                    continue;
                }
                let prev_row = pos.checked_sub(1).map(|p| rows[p]);
                match current {
                    Some((c, idx)) if c == cnt[pos] => {
                        let entry = &mut intervals[idx];
                        if let Some(p) = prev_row
                            && ts.is_valid(p as usize)
                            && entry.1.is_none_or(|s| ts_less(&ts, p as usize, s as usize))
                        {
                            entry.1 = Some(p);
                        }
                        if !ts_less(&ts, rows[pos] as usize, entry.2 as usize) {
                            entry.2 = rows[pos];
                        }
                    }
                    _ => {
                        intervals.push((
                            rows[0],
                            prev_row.filter(|&p| ts.is_valid(p as usize)),
                            rows[pos],
                        ));
                        current = Some((cnt[pos], intervals.len() - 1));
                    }
                }
            }
        }
        let mut out = Vec::new();
        for p in self.partition_cols() {
            let idx: Vec<Option<u32>> = intervals.iter().map(|i| Some(i.0)).collect();
            out.push((p.clone(), take_opt(self.column(p)?, &idx)?));
        }
        let ts_col: &ArrayRef = self.column(self.ts_col())?;
        let starts: Vec<Option<u32>> = intervals.iter().map(|i| i.1).collect();
        let ends: Vec<Option<u32>> = intervals.iter().map(|i| Some(i.2)).collect();
        out.push(("start_ts".into(), take_opt(ts_col, &starts)?));
        out.push(("end_ts".into(), take_opt(ts_col, &ends)?));
        batch_of(out)
    }
}

/// Strict ts order of two rows (NULL first), for min/max of timestamps.
fn ts_less(ts: &crate::series::TsKeys, a: usize, b: usize) -> bool {
    (ts.is_valid(a), ts.key[a]) < (ts.is_valid(b), ts.key[b])
}
