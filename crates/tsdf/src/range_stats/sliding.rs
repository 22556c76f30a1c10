//! The sliding-window kernel of `withRangeStats`: each series is walked as a contiguous run of
//! the series order, one peer group (frame) at a time. A frame's bounds are found once and
//! handed to every metric, whose window of that series advances to it and whose stats go to
//! the frame's rows. When every series lists its rows in input order (the usual case) the
//! walk goes in blocks of input rows: each series in turn advances to the end of the block, so
//! the rows written stay within a block's slice of the outputs (cache-sized) while a series'
//! frames and window state stay hot over a run of its rows.
//!
//! Each series' window of each metric is a [`TwoStacks`] of summaries.

use std::ops::Range;

use arrow::buffer::NullBuffer;

use super::frames::SeriesLayout;
use super::metric::Values;
use super::outputs::WindowStats;
use super::two_stacks::{Entry, Reciprocals, TwoStacks};

/// Input rows per block of the walk: the block's slice of the metrics' output columns (about
/// 7 × 8 bytes a row per metric) stays in a core's L2 cache with room to spare.
const BLOCK_ROWS: usize = 2048;

/// Rows of each series per block at the least, so that the per-series work of a block
/// outweighs switching series (many small series make blocks longer).
const MIN_ROWS_PER_SERIES: usize = 16;

/// One peer group of a series: the rows at positions `start..end` share the window of
/// positions `lo..end`; `fresh`: the window restarts at `start` (the first timestamped rows
/// after the NULL-ts ones).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Frame {
    start: usize,
    end: usize,
    lo: usize,
    fresh: bool,
}

/// Where the walk of one series stands.
#[derive(Debug, Default)]
struct Cursor {
    /// First position without a frame yet.
    next: usize,
    /// End of the current segment (the NULL-ts rows, then the rest of the series).
    seg_end: usize,
    run_end: usize,
    width: f64,
    /// First position of the last frame's window.
    lo: usize,
}

impl Cursor {
    /// The cursor at the start of the series at `run`, whose NULL-ts rows end at `nulls_end`.
    fn new(run: &Range<usize>, nulls_end: usize) -> Self {
        Cursor {
            next: run.start,
            seg_end: nulls_end,
            run_end: run.end,
            width: f64::INFINITY,
            lo: run.start,
        }
    }

    /// The frames from `self.next` on whose first row comes before input row `row_end`.
    fn frames(
        &mut self,
        layout: &SeriesLayout<'_>,
        width: f64,
        row_end: usize,
        frames: &mut Vec<Frame>,
    ) {
        frames.clear();
        while self.next < self.run_end && (layout.order[self.next] as usize) < row_end {
            let fresh = self.next == self.seg_end;
            if fresh {
                // Past the NULL-ts rows: a fresh window over the timestamped ones.
                self.seg_end = self.run_end;
                self.width = width;
                self.lo = self.next;
            }
            let start = self.next;
            let (end, lo) = layout.frame_at(start, self.seg_end, self.lo, self.width);
            frames.push(Frame {
                start,
                end,
                lo,
                fresh,
            });
            (self.lo, self.next) = (lo, end);
        }
    }
}

/// One metric's part of the walk.
pub(crate) trait MetricPass {
    /// Empties window `slot`; its series' positions start at `at`.
    fn start(&mut self, slot: usize, at: usize);

    /// Advances window `slot` through `frames` of its series, storing each frame's summary
    /// for the frame's rows.
    fn advance(&mut self, slot: usize, frames: &[Frame]);

    /// Completes the stats of input rows `rows`, all stored; `shared_counts`: every row's
    /// window size in rows (the count of metrics without NULLs).
    fn finish(&mut self, rows: Range<usize>, shared_counts: &[i64]);

    /// The finished stats.
    fn into_stats(self: Box<Self>) -> WindowStats;
}

/// The windows of one metric, one per series (or one reused series after series).
pub(crate) struct MetricWindows<'a, V: ?Sized> {
    vals: &'a V,
    nulls: Option<&'a NullBuffer>,
    order: &'a [u32],
    /// Per slot: the queue and the first position not yet added to it.
    windows: Vec<(TwoStacks, usize)>,
    recips: Reciprocals,
    out: WindowStats,
}

impl<'a, V: Values + ?Sized> MetricWindows<'a, V> {
    /// The pass over `vals` (validity `nulls`) in the series order `order`, into `out`.
    pub(crate) fn new(
        vals: &'a V,
        nulls: Option<&'a NullBuffer>,
        order: &'a [u32],
        out: WindowStats,
    ) -> Self {
        MetricWindows {
            vals,
            nulls,
            order,
            windows: Vec::new(),
            recips: Reciprocals::default(),
            out,
        }
    }
}

impl<V: Values + ?Sized> MetricPass for MetricWindows<'_, V> {
    fn start(&mut self, slot: usize, at: usize) {
        if slot >= self.windows.len() {
            self.windows.resize_with(slot + 1, Default::default);
        }
        let (stacks, hi) = &mut self.windows[slot];
        stacks.reset(at);
        *hi = at;
    }

    fn advance(&mut self, slot: usize, frames: &[Frame]) {
        let (vals, nulls, order) = (self.vals, self.nulls, self.order);
        let recips = &mut self.recips;
        let (stacks, hi) = &mut self.windows[slot];
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
        for f in frames {
            if f.fresh {
                stacks.reset(f.start);
                *hi = f.start;
            }
            match nulls {
                None => {
                    for &row in &order[*hi..f.end] {
                        let e = Entry {
                            row,
                            x: vals.x(row as usize),
                            xi: vals.xi(row as usize),
                        };
                        stacks.push(&e, recips);
                    }
                }
                Some(_) => {
                    for e in (*hi..f.end).filter_map(entry) {
                        stacks.push(&e, recips);
                    }
                }
            }
            stacks.expire(f.lo, f.end, entry, recips);
            let w = stacks.summary(f.lo, recips);
            for &row in &order[f.start..f.end] {
                self.out.put_row(row as usize, &w, vals);
            }
            *hi = f.end;
        }
    }

    fn finish(&mut self, rows: Range<usize>, shared_counts: &[i64]) {
        self.out.finish(rows, self.vals, shared_counts);
    }

    fn into_stats(self: Box<Self>) -> WindowStats {
        self.out
    }
}

/// What the walk of every series shares.
struct Walk<'a, 'm> {
    layout: &'a SeriesLayout<'a>,
    width: f64,
    metrics: &'a mut [Box<dyn MetricPass + 'm>],
    /// Every row's window size in rows, when some metric has no NULLs.
    shared_counts: Option<&'a mut [i64]>,
    /// The frames of the current series and block.
    frames: Vec<Frame>,
}

impl Walk<'_, '_> {
    /// Advances the series of `cursor` (window `slot` of each metric) to input row `row_end`.
    fn advance(&mut self, cursor: &mut Cursor, slot: usize, row_end: usize) {
        cursor.frames(self.layout, self.width, row_end, &mut self.frames);
        if let Some(counts) = self.shared_counts.as_deref_mut() {
            for f in &self.frames {
                for &row in &self.layout.order[f.start..f.end] {
                    counts[row as usize] = (f.end - f.lo) as i64;
                }
            }
        }
        for m in self.metrics.iter_mut() {
            m.advance(slot, &self.frames);
        }
    }

    /// Starts window `slot` of each metric at position `at`.
    fn start(&mut self, slot: usize, at: usize) {
        for m in self.metrics.iter_mut() {
            m.start(slot, at);
        }
    }

    /// Completes the stats of input rows `rows` of each metric.
    fn finish(&mut self, rows: Range<usize>) {
        let counts = self.shared_counts.as_deref().unwrap_or_default();
        for m in self.metrics.iter_mut() {
            m.finish(rows.clone(), counts);
        }
    }
}

/// Computes the stats of every row's trailing window of `width` for every metric of
/// `metrics`, and into `shared_counts` (when given: some metric has no NULLs) every row's
/// window size in rows.
pub(crate) fn range_window_stats(
    metrics: &mut [Box<dyn MetricPass + '_>],
    layout: &SeriesLayout<'_>,
    width: f64,
    shared_counts: Option<&mut [i64]>,
) {
    let n = layout.order.len();
    let mut walk = Walk {
        layout,
        width,
        metrics,
        shared_counts,
        frames: Vec::new(),
    };
    let series = layout.runs.iter().zip(&layout.nulls_end);
    let block = BLOCK_ROWS.max(MIN_ROWS_PER_SERIES * layout.runs.len());
    if !layout.in_row_order || block >= n {
        // One series after another, with one window per metric.
        for (run, &nulls_end) in series {
            walk.start(0, run.start);
            walk.advance(&mut Cursor::new(run, nulls_end), 0, n);
        }
        walk.finish(0..n);
        return;
    }
    let mut cursors: Vec<Cursor> = series
        .enumerate()
        .map(|(g, (run, &nulls_end))| {
            walk.start(g, run.start);
            Cursor::new(run, nulls_end)
        })
        .collect();
    for block_start in (0..n).step_by(block) {
        let row_end = (block_start + block).min(n);
        for (g, cursor) in cursors.iter_mut().enumerate() {
            walk.advance(cursor, g, row_end);
        }
        // Every row of the block has its window summary now (a peer group reaching past the
        // block also wrote rows of the next one; they are finished with it).
        walk.finish(block_start..row_end);
    }
}
