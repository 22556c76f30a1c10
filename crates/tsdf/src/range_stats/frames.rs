//! Where the rows of `withRangeStats` sit and how its window frames are found: computed once
//! per call from the timestamps and shared by every metric column.

use std::ops::Range;

/// The series order with per series where its NULL-ts rows end (they share one window of
/// their own, as in Spark).
pub(crate) struct SeriesLayout<'a> {
    /// `order[p]`: the input row at position `p` of the series order.
    pub order: &'a [u32],
    /// Positions of each series.
    pub runs: &'a [Range<usize>],
    /// Order keys (double epoch seconds, NULL ts as `-inf`) per position.
    pub keys: Vec<f64>,
    /// Per series: the end of its leading run of non-finite keys (NULL timestamps).
    pub nulls_end: Vec<usize>,
    /// Whether every series lists its rows in input order (then the series can be walked in
    /// step, block of input rows by block).
    pub in_row_order: bool,
}

impl<'a> SeriesLayout<'a> {
    /// The layout of `order` cut into `runs`, with order keys `keys` (per position).
    pub(crate) fn new(order: &'a [u32], runs: &'a [Range<usize>], keys: Vec<f64>) -> Self {
        let nulls_end = runs
            .iter()
            .map(|run| {
                let first_finite = keys[run.clone()].iter().position(|k| k.is_finite());
                first_finite.map_or(run.end, |f| run.start + f)
            })
            .collect();
        let in_row_order = runs
            .iter()
            .all(|run| order[run.clone()].windows(2).all(|w| w[0] < w[1]));
        SeriesLayout {
            order,
            runs,
            keys,
            nulls_end,
            in_row_order,
        }
    }

    /// The frame of the peer group starting at `start` within a segment ending at `seg_end`:
    /// `(end, lo)`, the end of the peer group (rows with an equal key share a frame, and it
    /// ends the window) and the window's first position, searched from `lo` on. The window
    /// holds the positions with keys in `[key - width, key]`.
    #[inline(always)]
    pub(crate) fn frame_at(
        &self,
        start: usize,
        seg_end: usize,
        lo: usize,
        width: f64,
    ) -> (usize, usize) {
        let keys = &self.keys;
        let mut end = start + 1;
        while end < seg_end && keys[end] == keys[start] {
            end += 1;
        }
        let bound = keys[start] - width;
        // The start mostly moves by 0, 1 or 2 rows, unpredictably (jittered timestamps): two
        // branch-free steps, then a loop for larger moves.
        let mut lo = lo;
        for _ in 0..2 {
            lo += usize::from((lo < end) & (keys[lo.min(end - 1)] < bound));
        }
        while lo < end && keys[lo] < bound {
            lo += 1;
        }
        (end, lo)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// All frames of one segment, as `(start, end, lo)`.
    fn frames(l: &SeriesLayout<'_>, seg: Range<usize>, width: f64) -> Vec<(usize, usize, usize)> {
        let (mut start, mut lo, mut out) = (seg.start, seg.start, Vec::new());
        while start < seg.end {
            let (end, new_lo) = l.frame_at(start, seg.end, lo, width);
            out.push((start, end, new_lo));
            (start, lo) = (end, new_lo);
        }
        out
    }

    #[test]
    fn peers_share_a_frame_and_the_window_is_inclusive() {
        let order = [0, 1, 2, 3, 4];
        let runs = vec![Range { start: 0, end: 5 }];
        let l = SeriesLayout::new(&order, &runs, vec![0.0, 1.0, 1.0, 3.0, 4.5]);
        assert!(l.in_row_order);
        assert_eq!(
            frames(&l, 0..5, 2.0),
            vec![(0, 1, 0), (1, 3, 0), (3, 4, 1), (4, 5, 3)]
        );
        // A gap moves the window's start past more rows than the branch-free steps take.
        let l = SeriesLayout::new(&order, &runs, vec![0.0, 1.0, 2.0, 3.0, 10.0]);
        assert_eq!(
            frames(&l, 0..5, 1.0),
            vec![(0, 1, 0), (1, 2, 0), (2, 3, 1), (3, 4, 2), (4, 5, 4)]
        );
    }

    #[test]
    fn series_know_their_null_ts_prefix_and_row_order() {
        let inf = f64::NEG_INFINITY;
        // Input rows 0..6; series 0 = rows 4, 0, 2 and series 1 = rows 5, 1, 3.
        let order = [4, 0, 2, 5, 1, 3];
        let runs = [0..3, 3..6];
        let l = SeriesLayout::new(&order, &runs, vec![inf, inf, 5.0, 1.0, 2.0, 2.0]);
        assert_eq!(l.nulls_end, vec![2, 3]);
        assert!(!l.in_row_order);
        let sorted = [0, 2, 4, 1, 3, 5];
        assert!(SeriesLayout::new(&sorted, &runs, vec![0.0; 6]).in_row_order);
        assert_eq!(frames(&l, 0..2, f64::INFINITY), vec![(0, 2, 0)]);
        assert_eq!(frames(&l, 3..6, 0.0), vec![(3, 4, 3), (4, 6, 4)]);
    }
}
