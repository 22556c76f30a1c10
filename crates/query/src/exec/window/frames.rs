//! Partitions, peer groups and frame bounds over rows sorted by (partition, order keys).

use arrow::array::{Array, ArrayRef, AsArray};
use arrow::datatypes::{
    DataType, Date32Type, DurationMicrosecondType, Float64Type, IntervalMonthDayNanoType,
    TimestampMicrosecondType,
};

use crate::error::{ErrorClass, QueryError, Result};
use crate::plan::expr::Literal;
use crate::plan::window::{FrameBound, FrameUnits, WindowFrame};

/// Microseconds per day, to measure DATE ORDER BY values against interval offsets.
const MICROS_PER_DAY: f64 = 86_400_000_000.0;

/// Per sorted row: its partition and peer group (rows with equal ORDER BY values).
pub(super) struct Layout {
    partition: Vec<(usize, usize)>,
    peers: Vec<(usize, usize)>,
    peer_rank: Vec<usize>,
}

fn spans(starts: &[bool]) -> Vec<(usize, usize)> {
    let n = starts.len();
    let mut out = vec![(0, 0); n];
    let mut s = 0;
    for k in 0..=n {
        if k == n || (k > 0 && starts[k]) {
            for slot in &mut out[s..k] {
                *slot = (s, k);
            }
            s = k;
        }
    }
    out
}

impl Layout {
    pub fn new(part_start: &[bool], peer_start: &[bool]) -> Layout {
        let partition = spans(part_start);
        let peers = spans(peer_start);
        let mut peer_rank = Vec::with_capacity(peer_start.len());
        let mut rank = 0;
        for (k, s) in peer_start.iter().enumerate() {
            if part_start[k] {
                rank = 0;
            }
            if *s {
                rank += 1;
            }
            peer_rank.push(rank);
        }
        Layout {
            partition,
            peers,
            peer_rank,
        }
    }

    /// `[start, end)` of row `k`'s partition.
    pub fn partition(&self, k: usize) -> (usize, usize) {
        self.partition[k]
    }

    /// `[start, end)` of row `k`'s peer group.
    pub fn peers(&self, k: usize) -> (usize, usize) {
        self.peers[k]
    }

    /// 1-based rank of row `k`'s peer group within its partition (dense rank).
    pub fn peer_rank(&self, k: usize) -> usize {
        self.peer_rank[k]
    }
}

/// The ORDER BY values of sorted rows as numbers on the sort's own axis (negated for
/// descending order), for RANGE frames with offsets.
pub(super) struct RangeValues {
    values: Vec<Option<f64>>,
    days: bool,
}

/// Read the sorted ORDER BY column (sorted descending when `descending`).
pub(super) fn range_values(sorted: &ArrayRef, descending: bool) -> Result<RangeValues> {
    let days = matches!(sorted.data_type(), DataType::Date32);
    let as_f64: Vec<Option<f64>> = match sorted.data_type() {
        DataType::Date32 => sorted
            .as_primitive::<Date32Type>()
            .iter()
            .map(|v| v.map(f64::from))
            .collect(),
        DataType::Timestamp(..) => sorted
            .as_primitive::<TimestampMicrosecondType>()
            .iter()
            .map(|v| v.map(|x| x as f64))
            .collect(),
        DataType::Duration(..) => sorted
            .as_primitive::<DurationMicrosecondType>()
            .iter()
            .map(|v| v.map(|x| x as f64))
            .collect(),
        t if t.is_numeric() => {
            let c = arrow::compute::cast(sorted, &DataType::Float64)?;
            c.as_primitive::<Float64Type>().iter().collect()
        }
        other => {
            return Err(QueryError::analysis(
                ErrorClass::DatatypeMismatchRangeFrameInvalidType,
                format!(
                    "A RANGE frame with offsets needs a numeric, date or timestamp ORDER BY value, not {other}."
                ),
            ));
        }
    };
    let values = if descending {
        as_f64.iter().map(|v| v.map(|x| -x)).collect()
    } else {
        as_f64
    };
    Ok(RangeValues { values, days })
}

/// An offset literal on the ORDER BY axis.
fn offset(lit: &Literal, days: bool) -> f64 {
    let a = &lit.value;
    let raw = match a.data_type() {
        DataType::Duration(..) => a.as_primitive::<DurationMicrosecondType>().value(0) as f64,
        DataType::Interval(arrow::datatypes::IntervalUnit::MonthDayNano) => {
            let v = a.as_primitive::<IntervalMonthDayNanoType>().value(0);
            v.days as f64 * MICROS_PER_DAY + v.nanoseconds as f64 / 1000.0
        }
        _ => arrow::compute::cast(a, &DataType::Float64)
            .map(|c| c.as_primitive::<Float64Type>().value(0))
            .unwrap_or(0.0),
    };
    let is_interval = matches!(
        a.data_type(),
        DataType::Duration(..) | DataType::Interval(_)
    );
    if days && is_interval {
        raw / MICROS_PER_DAY
    } else {
        raw
    }
}

/// `[start, end)` (sorted positions) of row `k`'s frame.
pub(super) fn frame_bounds(
    k: usize,
    layout: &Layout,
    frame: &WindowFrame,
    range: Option<&RangeValues>,
) -> (usize, usize) {
    let (ps, pe) = layout.partition(k);
    let clamp = |x: i64| x.clamp(ps as i64, pe as i64) as usize;
    let rows_offset = |lit: &Literal| offset(lit, false) as i64;
    match frame.units {
        FrameUnits::Rows => {
            let start = match &frame.start {
                FrameBound::UnboundedPreceding => ps,
                FrameBound::Preceding(o) => clamp(k as i64 - rows_offset(o)),
                FrameBound::CurrentRow => k,
                FrameBound::Following(o) => clamp(k as i64 + rows_offset(o)),
                FrameBound::UnboundedFollowing => pe,
            };
            let end = match &frame.end {
                FrameBound::UnboundedPreceding => ps,
                FrameBound::Preceding(o) => clamp(k as i64 - rows_offset(o) + 1),
                FrameBound::CurrentRow => k + 1,
                FrameBound::Following(o) => clamp(k as i64 + rows_offset(o) + 1),
                FrameBound::UnboundedFollowing => pe,
            };
            (start, end.max(start))
        }
        FrameUnits::Range => {
            let (qs, qe) = layout.peers(k);
            let value = range.and_then(|r| r.values[k]);
            let bound = |b: &FrameBound, is_start: bool| -> usize {
                match (b, value, range) {
                    (FrameBound::UnboundedPreceding, ..) => ps,
                    (FrameBound::UnboundedFollowing, ..) => pe,
                    (FrameBound::CurrentRow, ..) | (_, None, _) | (_, _, None) => {
                        if is_start {
                            qs
                        } else {
                            qe
                        }
                    }
                    (FrameBound::Preceding(o) | FrameBound::Following(o), Some(v), Some(r)) => {
                        let d = offset(o, r.days);
                        let target = if matches!(b, FrameBound::Preceding(_)) {
                            v - d
                        } else {
                            v + d
                        };
                        // Non-NULL rows of the partition are contiguous and increasing on the axis.
                        let slice = &r.values[ps..pe];
                        let first = slice
                            .iter()
                            .position(|x| x.is_some())
                            .unwrap_or(slice.len());
                        let last = slice
                            .iter()
                            .rposition(|x| x.is_some())
                            .map_or(first, |p| p + 1);
                        let seg = &slice[first..last];
                        let pos = if is_start {
                            seg.partition_point(|x| x.is_some_and(|x| x < target))
                        } else {
                            seg.partition_point(|x| x.is_some_and(|x| x <= target))
                        };
                        ps + first + pos
                    }
                }
            };
            let start = bound(&frame.start, true);
            let end = bound(&frame.end, false);
            (start, end.max(start))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::SparkType;
    use arrow::array::Int64Array;
    use std::sync::Arc;

    fn lit(v: i64) -> Literal {
        Literal::new(SparkType::Long, Arc::new(Int64Array::from(vec![v])))
    }

    #[test]
    fn test_rows_frame_clamps_to_partition() {
        let layout = Layout::new(
            &[true, false, false, true, false],
            &[true, true, true, true, true],
        );
        let frame = WindowFrame {
            units: FrameUnits::Rows,
            start: FrameBound::Preceding(lit(1)),
            end: FrameBound::Following(lit(1)),
        };
        assert_eq!(frame_bounds(0, &layout, &frame, None), (0, 2));
        assert_eq!(frame_bounds(2, &layout, &frame, None), (1, 3));
        assert_eq!(frame_bounds(3, &layout, &frame, None), (3, 5));
    }

    #[test]
    fn test_range_frame_by_value() {
        let layout = Layout::new(&[true, false, false, false], &[true, true, true, true]);
        let sorted: ArrayRef = Arc::new(Int64Array::from(vec![1, 2, 5, 6]));
        let r = range_values(&sorted, false).unwrap();
        let frame = WindowFrame {
            units: FrameUnits::Range,
            start: FrameBound::Preceding(lit(3)),
            end: FrameBound::CurrentRow,
        };
        assert_eq!(frame_bounds(2, &layout, &frame, Some(&r)), (1, 3));
        assert_eq!(frame_bounds(3, &layout, &frame, Some(&r)), (2, 4));
    }
}
