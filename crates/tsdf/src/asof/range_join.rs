//! `asofJoin(sql_join_opt=True)`: Tempo's range-join formulation of the join.

use arrow::array::{ArrayRef, UInt32Array};

use super::plan::{JoinPlan, joint_pids, right_order};
use crate::error::Result;
use crate::frame::Tsdf;
use crate::series::{TsKeys, seq_ranks};

impl Tsdf {
    /// Tempo's `sql_join_opt=True` path: an inner range join
    /// `left_ts BETWEEN right_ts AND coalesce(lead(right_ts), +inf)` per series.
    pub(super) fn range_join(&self, right: &Tsdf, plan: &JoinPlan) -> Result<Tsdf> {
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
        let idx = vec![UInt32Array::from(matches); right_arrays.len()];
        self.assemble(plan, Some(&keep), &right_arrays, &idx)
    }
}
