//! The sliding-window kernel of `withRangeStats`: one pass over the rows in input order with
//! one window state per series, for the metrics given; reaching a row advances its series'
//! window to the row's frame. For series stored in time order (the usual case) reads and
//! writes then run nearly sequentially through memory and every row's stats are appended in
//! order; any other order stays correct, written by index into zeroed buffers.
//!
//! Each series' window is a [`TwoStacks`] queue of summaries per metric.

use arrow::buffer::NullBuffer;

use super::columns::MetricStats;
use super::frames::SeriesLayout;
use super::two_stacks::{Entry, Extreme, Reciprocals, Summary, TwoStacks};

/// One metric's values in input order.
pub(crate) struct MetricValues<'a> {
    /// Values (slots of NULLs hold arbitrary numbers).
    pub xs: &'a [f64],
    /// Validity, `None` when there are no NULLs.
    pub nulls: Option<&'a NullBuffer>,
    /// Exact integer values of integer metrics (for `sum_` as bigint).
    pub ints: Option<&'a [i64]>,
    /// Whether the column is a double, whose min/max are the values themselves (no gather).
    pub is_f64: bool,
}

impl MetricValues<'_> {
    #[inline]
    fn is_valid(&self, row: usize) -> bool {
        self.nulls.is_none_or(|n| n.is_valid(row))
    }
}

/// One metric's stats per input row and `(x - mean) / stddev` per input row, plus what the
/// pass learnt about their validity (so that all-valid columns need no bitmap scan).
#[derive(Debug)]
pub(crate) struct WindowStats {
    pub stats: MetricStats,
    pub zscore: Vec<f64>,
    /// The smallest window count seen.
    pub min_count: i64,
    /// Whether some window of two or more values had a stddev of 0.
    pub zero_stddev: bool,
}

/// The stats of one frame of one metric.
#[derive(Debug, Clone, Copy, Default)]
struct FrameStats {
    mean: f64,
    sd: f64,
    count: i64,
    sum: f64,
    isum: i64,
    min: Extreme,
    max: Extreme,
}

impl FrameStats {
    fn of(w: &Summary, recips: &mut Reciprocals) -> Self {
        let (mean, sd) = match w.n {
            0 => (0.0, 0.0),
            1 => (w.sum, 0.0),
            n => {
                // NaN (from a NaN or an infinity in the window) stays NaN, as in Spark.
                let var = w.m2 * recips.of(n - 1);
                (
                    w.sum / f64::from(n),
                    if var < 0.0 { 0.0 } else { var.sqrt() },
                )
            }
        };
        FrameStats {
            mean,
            sd,
            count: i64::from(w.n),
            sum: w.sum,
            isum: w.isum,
            min: w.min,
            max: w.max,
        }
    }
}

impl WindowStats {
    /// Outputs for `n` rows of the metric `vals` (only the columns its type needs): empty with
    /// room for `n` when filled in row order, else zeroed to be filled by index.
    pub(crate) fn new(n: usize, vals: &MetricValues<'_>, in_row_order: bool) -> Self {
        fn column<T: Copy + Default>(n: usize, keep: bool, in_row_order: bool) -> Vec<T> {
            match (keep, in_row_order) {
                (false, _) => Vec::new(),
                (true, true) => Vec::with_capacity(n),
                (true, false) => vec![T::default(); n],
            }
        }
        let (ints, f64s) = (vals.ints.is_some(), vals.is_f64);
        let stats = MetricStats {
            mean: column(n, true, in_row_order),
            count: column(n, true, in_row_order),
            min: column(n, !f64s, in_row_order),
            max: column(n, !f64s, in_row_order),
            min_x: column(n, f64s, in_row_order),
            max_x: column(n, f64s, in_row_order),
            sum: column(n, !ints, in_row_order),
            isum: column(n, ints, in_row_order),
            stddev: column(n, true, in_row_order),
        };
        WindowStats {
            stats,
            zscore: column(n, true, in_row_order),
            min_count: i64::MAX,
            zero_stddev: false,
        }
    }

    /// Notes a frame's count and stddev for the validity shortcuts.
    #[inline]
    fn note(&mut self, f: &FrameStats) {
        self.min_count = self.min_count.min(f.count);
        self.zero_stddev |= f.count > 1 && f.sd == 0.0;
    }

    /// Appends the stats of the next input row, `x` its value.
    #[inline]
    fn push_row(&mut self, f: &FrameStats, x: f64, vals: &MetricValues<'_>) {
        let s = &mut self.stats;
        s.mean.push(f.mean);
        s.count.push(f.count);
        if vals.is_f64 {
            s.min_x.push(f.min.x);
            s.max_x.push(f.max.x);
        } else {
            s.min.push(f.min.row);
            s.max.push(f.max.row);
        }
        if vals.ints.is_some() {
            s.isum.push(f.isum);
        } else {
            s.sum.push(f.sum);
        }
        s.stddev.push(f.sd);
        self.zscore.push((x - f.mean) / f.sd);
    }

    /// Writes the stats of input row `r`, `x` its value (outputs zeroed to full length).
    #[inline]
    fn set_row(&mut self, r: usize, f: &FrameStats, x: f64, vals: &MetricValues<'_>) {
        let s = &mut self.stats;
        s.mean[r] = f.mean;
        s.count[r] = f.count;
        if vals.is_f64 {
            s.min_x[r] = f.min.x;
            s.max_x[r] = f.max.x;
        } else {
            s.min[r] = f.min.row;
            s.max[r] = f.max.row;
        }
        if vals.ints.is_some() {
            s.isum[r] = f.isum;
        } else {
            s.sum[r] = f.sum;
        }
        s.stddev[r] = f.sd;
        self.zscore[r] = (x - f.mean) / f.sd;
    }
}

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
    /// One queue per metric.
    values: Vec<TwoStacks>,
    /// Per metric, the stats of the last frame given.
    current: Vec<FrameStats>,
}

/// What a frame's pass needs besides the series' own state.
struct Pass<'a, 'b> {
    metrics: &'a [MetricValues<'a>],
    layout: &'a SeriesLayout<'a>,
    width: f64,
    recips: &'b mut Reciprocals,
    outs: &'b mut [WindowStats],
    /// Write each frame's rows by index (outputs zeroed); else the caller appends row by row.
    scatter: bool,
}

impl SeriesWindow {
    fn new(run: &std::ops::Range<usize>, nulls_end: usize, metrics: usize) -> Self {
        SeriesWindow {
            next: run.start,
            seg_end: nulls_end,
            run_end: run.end,
            width: f64::INFINITY,
            lo: run.start,
            hi: run.start,
            values: (0..metrics).map(|_| TwoStacks::default()).collect(),
            current: vec![FrameStats::default(); metrics],
        }
    }

    /// Gives stats to the peer group at `self.next`.
    fn advance(&mut self, pass: &mut Pass<'_, '_>) {
        let order = pass.layout.order;
        if self.next == self.seg_end {
            // Past the NULL-ts rows: a fresh window over the timestamped ones.
            self.seg_end = self.run_end;
            self.width = pass.width;
            (self.lo, self.hi) = (self.next, self.next);
            self.values.iter_mut().for_each(TwoStacks::clear);
        }
        let start = self.next;
        let (end, lo) = pass
            .layout
            .frame_at(start, self.seg_end, self.lo, self.width);
        let metrics = pass
            .metrics
            .iter()
            .zip(&mut self.values)
            .zip(&mut self.current);
        for (((vals, stacks), current), out) in metrics.zip(pass.outs.iter_mut()) {
            for (pos, &row) in (self.hi..end).zip(&order[self.hi..end]) {
                if vals.is_valid(row as usize) {
                    let entry = Entry {
                        pos: pos as u32,
                        row,
                        x: vals.xs[row as usize],
                        xi: vals.ints.map_or(0, |v| v[row as usize]),
                    };
                    stacks.push(entry, pass.recips);
                }
            }
            stacks.expire(lo as u32, pass.recips);
            *current = FrameStats::of(&stacks.summary(pass.recips), pass.recips);
            out.note(current);
            if pass.scatter {
                for &row in &order[start..end] {
                    out.set_row(row as usize, current, vals.xs[row as usize], vals);
                }
            }
        }
        (self.lo, self.hi, self.next) = (lo, end, end);
    }
}

/// Whether every series lists its rows in input order (then each row's frame is the latest
/// one its series has reached when the row comes up, and outputs can be appended in order).
fn series_in_row_order(layout: &SeriesLayout<'_>) -> bool {
    let mut next: Vec<u32> = layout.runs.iter().map(|r| r.start as u32).collect();
    layout
        .run_of_row
        .iter()
        .zip(&layout.pos_of_row)
        .all(|(&g, &p)| {
            let expected = &mut next[g as usize];
            let ok = p == *expected;
            *expected += 1;
            ok
        })
}

/// Output buffers for `metrics` over `n` rows, and whether they fill in row order.
pub(crate) fn window_outputs(
    metrics: &[MetricValues<'_>],
    layout: &SeriesLayout<'_>,
) -> (Vec<WindowStats>, bool) {
    let in_row_order = series_in_row_order(layout);
    let n = layout.order.len();
    let outs = metrics
        .iter()
        .map(|v| WindowStats::new(n, v, in_row_order))
        .collect();
    (outs, in_row_order)
}

/// Computes the stats of every row's trailing window of `width` over each of `metrics` into
/// the matching `outs` from [`window_outputs`] (input order). Rows are visited in input order;
/// reaching a row advances its series' window to the row's frame.
pub(crate) fn range_window_stats(
    metrics: &[MetricValues<'_>],
    layout: &SeriesLayout<'_>,
    width: f64,
    (outs, in_row_order): (&mut [WindowStats], bool),
) {
    let mut windows: Vec<SeriesWindow> = layout
        .runs
        .iter()
        .zip(&layout.nulls_end)
        .map(|(run, &nulls_end)| SeriesWindow::new(run, nulls_end, metrics.len()))
        .collect();
    let mut recips = Reciprocals::default();
    let mut pass = Pass {
        metrics,
        layout,
        width,
        recips: &mut recips,
        outs,
        scatter: !in_row_order,
    };
    for (row, (&g, &p)) in layout.run_of_row.iter().zip(&layout.pos_of_row).enumerate() {
        let w = &mut windows[g as usize];
        while w.next <= p as usize {
            w.advance(&mut pass);
        }
        if in_row_order {
            let frames = w.current.iter().zip(pass.metrics);
            for ((f, vals), out) in frames.zip(pass.outs.iter_mut()) {
                out.push_row(f, vals.xs[row], vals);
            }
        }
    }
}
