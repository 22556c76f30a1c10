//! The sliding-window kernel of `withRangeStats` for one metric: each series is walked as a
//! contiguous run of the series order, its window advanced one peer group at a time and the
//! group's stats written to its rows. When every series lists its rows in input order (the
//! usual case) the walk goes in blocks of input rows: each series in turn advances to the end
//! of the block, so the rows written stay within a block's slice of the outputs (cache-sized)
//! while each series' state stays in registers over a run of its rows.
//!
//! Each series' window is a [`TwoStacks`] of summaries.

use std::ops::Range;

use arrow::buffer::NullBuffer;

use super::frames::SeriesLayout;
use super::metric::Values;
use super::outputs::WindowStats;
use super::two_stacks::{Entry, Reciprocals, TwoStacks};

/// Input rows per block of the walk: the block's slice of a metric's seven output columns
/// (8 bytes a row each) stays in a core's L2 cache.
const BLOCK_ROWS: usize = 8192;

/// Rows of each series per block at the least, so that the per-series work of a block
/// outweighs switching series (many small series make blocks longer).
const MIN_ROWS_PER_SERIES: usize = 64;

/// The window state of one series.
#[derive(Debug, Default)]
struct SeriesWindow {
    /// First position without stats yet.
    next: usize,
    /// End of the current segment (the NULL-ts rows, then the rest of the series).
    seg_end: usize,
    run_end: usize,
    width: f64,
    /// First position of the window, and the first not yet added to it.
    lo: usize,
    hi: usize,
    values: TwoStacks,
}

/// What a series' walk needs besides its own state.
struct Pass<'a, V: ?Sized> {
    vals: &'a V,
    nulls: Option<&'a NullBuffer>,
    layout: &'a SeriesLayout<'a>,
    width: f64,
    recips: Reciprocals,
    out: &'a mut WindowStats,
}

impl SeriesWindow {
    /// Starts the window of the series at `run` whose NULL-ts rows end at `nulls_end`
    /// (keeping the queue's memory).
    fn start(&mut self, run: &Range<usize>, nulls_end: usize) {
        self.next = run.start;
        self.seg_end = nulls_end;
        self.run_end = run.end;
        self.width = f64::INFINITY;
        (self.lo, self.hi) = (run.start, run.start);
        self.values.reset(run.start);
    }

    /// Gives stats to the peer groups from `self.next` on that start at input rows before
    /// `row_end` (every row of the series when they are not in input order).
    #[inline]
    fn advance<V: Values + ?Sized>(&mut self, pass: &mut Pass<'_, V>, row_end: usize) {
        let order = pass.layout.order;
        let (vals, nulls) = (pass.vals, pass.nulls);
        let entry = |pos: usize| {
            let row = order[pos];
            nulls
                .is_none_or(|n| n.is_valid(row as usize))
                .then(|| Entry {
                    row,
                    x: vals.x(row as usize),
                    xi: vals.xi(row as usize),
                })
        };
        while self.next < self.run_end && (order[self.next] as usize) < row_end {
            if self.next == self.seg_end {
                // Past the NULL-ts rows: a fresh window over the timestamped ones.
                self.seg_end = self.run_end;
                self.width = pass.width;
                (self.lo, self.hi) = (self.next, self.next);
                self.values.reset(self.next);
            }
            let start = self.next;
            let (end, lo) = pass
                .layout
                .frame_at(start, self.seg_end, self.lo, self.width);
            let values = &mut self.values;
            match nulls {
                None => {
                    for &row in &order[self.hi..end] {
                        let e = Entry {
                            row,
                            x: vals.x(row as usize),
                            xi: vals.xi(row as usize),
                        };
                        values.push(&e, &mut pass.recips);
                    }
                }
                Some(_) => {
                    for e in (self.hi..end).filter_map(entry) {
                        values.push(&e, &mut pass.recips);
                    }
                }
            }
            values.expire(lo, end, entry, &mut pass.recips);
            let w = values.summary(lo, &mut pass.recips);
            for &row in &order[start..end] {
                pass.out.put_row(row as usize, &w, vals);
            }
            (self.lo, self.hi, self.next) = (lo, end, end);
        }
    }
}

/// Computes the stats of every row's trailing window of `width` over the metric `vals` (with
/// validity `nulls`) into `out`.
pub(crate) fn range_window_stats<V: Values + ?Sized>(
    vals: &V,
    nulls: Option<&NullBuffer>,
    layout: &SeriesLayout<'_>,
    width: f64,
    out: &mut WindowStats,
) {
    let n = layout.order.len();
    let mut pass = Pass {
        vals,
        nulls,
        layout,
        width,
        recips: Reciprocals::default(),
        out,
    };
    let series = layout.runs.iter().zip(&layout.nulls_end);
    let block = BLOCK_ROWS.max(MIN_ROWS_PER_SERIES * layout.runs.len());
    if !layout.in_row_order || block >= n {
        // One series after another, with one window state.
        let mut w = SeriesWindow::default();
        for (run, &nulls_end) in series {
            w.start(run, nulls_end);
            w.advance(&mut pass, n);
        }
        pass.out.finish(0..n, vals);
        return;
    }
    let mut windows: Vec<SeriesWindow> = series
        .map(|(run, &nulls_end)| {
            let mut w = SeriesWindow::default();
            w.start(run, nulls_end);
            w
        })
        .collect();
    for block_start in (0..n).step_by(block) {
        let row_end = (block_start + block).min(n);
        for w in &mut windows {
            w.advance(&mut pass, row_end);
        }
        // Every row of the block has its window summary now (a peer group reaching past the
        // block also wrote rows of the next one; they are finished with it).
        pass.out.finish(block_start..row_end, vals);
    }
}
