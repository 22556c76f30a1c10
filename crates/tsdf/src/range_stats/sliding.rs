//! The sliding-window kernel of `withRangeStats`: one pass over the rows in input order with
//! one window state per series, for the metrics given; reaching a row advances its series'
//! window to the row's frame. For series stored in time order (the usual case) reads and
//! writes then run nearly sequentially through memory and every row's stats are appended in
//! order; any other order stays correct, written by index into zeroed buffers.
//!
//! The window is a two-stack queue of [`Summary`]s (count, sum, Welford mean and M2, integer
//! sum, min and max with their rows): new values join the back summary; when the window's
//! start passes a value, the back is flipped into a stack of suffix summaries whose top covers
//! the oldest values, and popping drops the oldest. A frame's stats combine the top with the
//! back (Chan et al.'s pairwise update). Nothing is ever subtracted, so there is no
//! cancellation to guard against, a NaN or infinity leaves no trace once out of the window,
//! and min/max need no monotonic queues (whose data-dependent branches dominated the old
//! profile). Each value is summarised twice (amortised O(1)); each frame combines once.

use arrow::buffer::NullBuffer;

use super::columns::MetricStats;
use super::frames::SeriesLayout;

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

/// A value and the input row holding it.
#[derive(Debug, Clone, Copy, Default)]
struct Extreme {
    x: f64,
    row: u32,
}

/// Spark's `a < b` on doubles: NaN is greater than every other value, `-0.0 == 0.0`.
#[inline]
fn spark_less(a: f64, b: f64) -> bool {
    a < b || (b.is_nan() && !a.is_nan())
}

/// The stats of a run of consecutive window values (`n == 0`: none; the other fields are
/// then unused).
#[derive(Debug, Clone, Copy, Default)]
struct Summary {
    n: u32,
    sum: f64,
    mean: f64,
    /// Sum of squared deviations from `mean`.
    m2: f64,
    isum: i64,
    /// The smallest value, the earliest of equal ones.
    min: Extreme,
    /// The largest value, the earliest of equal ones.
    max: Extreme,
}

/// `1/n` from a growing table (a multiply is far cheaper than a divide in these updates).
#[derive(Debug, Default)]
struct Reciprocals(Vec<f64>);

impl Reciprocals {
    #[inline]
    fn of(&mut self, n: u32) -> f64 {
        let n = n as usize;
        if n >= self.0.len() {
            self.grow(n);
        }
        self.0[n]
    }

    #[cold]
    fn grow(&mut self, n: usize) {
        let from = self.0.len();
        self.0
            .extend((from..=n.max(2 * from)).map(|k| 1.0 / k as f64));
    }
}

impl Summary {
    /// Adds one value (Welford's update). `older`: it precedes the summarised values, so it
    /// wins ties of min and max.
    #[inline]
    fn add(&mut self, e: &Entry, older: bool, recips: &mut Reciprocals) {
        if self.n == 0 {
            *self = Summary {
                n: 1,
                sum: e.x,
                mean: e.x,
                m2: 0.0,
                isum: e.xi,
                min: Extreme { x: e.x, row: e.row },
                max: Extreme { x: e.x, row: e.row },
            };
            return;
        }
        self.n += 1;
        let delta = e.x - self.mean;
        self.mean += delta * recips.of(self.n);
        self.m2 += delta * (e.x - self.mean);
        self.sum += e.x;
        self.isum = self.isum.wrapping_add(e.xi);
        let (lower, higher) = if older {
            (!spark_less(self.min.x, e.x), !spark_less(e.x, self.max.x))
        } else {
            (spark_less(e.x, self.min.x), spark_less(self.max.x, e.x))
        };
        if lower {
            self.min = Extreme { x: e.x, row: e.row };
        }
        if higher {
            self.max = Extreme { x: e.x, row: e.row };
        }
    }

    /// The summary of `self`'s values followed by `newer`'s (Chan et al.'s pairwise update).
    #[inline]
    fn then(&self, newer: &Summary, recips: &mut Reciprocals) -> Summary {
        if self.n == 0 {
            return *newer;
        }
        if newer.n == 0 {
            return *self;
        }
        let n = self.n + newer.n;
        let (na, nb) = (f64::from(self.n), f64::from(newer.n));
        let r = recips.of(n);
        let delta = newer.mean - self.mean;
        let take_min = spark_less(newer.min.x, self.min.x);
        let take_max = spark_less(self.max.x, newer.max.x);
        Summary {
            n,
            sum: self.sum + newer.sum,
            mean: self.mean + delta * (nb * r),
            m2: self.m2 + newer.m2 + delta * delta * (na * nb * r),
            isum: self.isum.wrapping_add(newer.isum),
            min: if take_min { newer.min } else { self.min },
            max: if take_max { newer.max } else { self.max },
        }
    }
}

/// A non-NULL value of the window: its position, input row, value and exact integer value.
#[derive(Debug, Clone, Copy)]
struct Entry {
    pos: u32,
    row: u32,
    x: f64,
    xi: i64,
}

/// The window's values as a two-stack queue.
#[derive(Debug, Default)]
struct TwoStacks {
    /// Suffix summaries: `front[k]` covers the entry at `front_pos[k]` and every newer entry
    /// of the front; the top (last) covers the whole front.
    front: Vec<Summary>,
    front_pos: Vec<u32>,
    /// Entries newer than the front, oldest first, and their summary.
    back: Vec<Entry>,
    back_summary: Summary,
}

impl TwoStacks {
    fn clear(&mut self) {
        self.front.clear();
        self.front_pos.clear();
        self.back.clear();
        self.back_summary = Summary::default();
    }

    #[inline]
    fn push(&mut self, e: Entry, recips: &mut Reciprocals) {
        self.back_summary.add(&e, false, recips);
        self.back.push(e);
    }

    /// Drops the entries before position `lo`.
    #[inline]
    fn expire(&mut self, lo: u32, recips: &mut Reciprocals) {
        loop {
            match self.front_pos.last() {
                Some(&p) if p < lo => {
                    self.front.pop();
                    self.front_pos.pop();
                }
                Some(_) => return,
                None if self.back.first().is_some_and(|e| e.pos < lo) => self.flip(recips),
                None => return,
            }
        }
    }

    /// Moves the back into the (empty) front as suffix summaries, newest first.
    fn flip(&mut self, recips: &mut Reciprocals) {
        let mut acc = Summary::default();
        for e in self.back.iter().rev() {
            acc.add(e, true, recips);
            self.front.push(acc);
            self.front_pos.push(e.pos);
        }
        self.back.clear();
        self.back_summary = Summary::default();
    }

    /// The summary of the whole window.
    #[inline]
    fn summary(&self, recips: &mut Reciprocals) -> Summary {
        match self.front.last() {
            Some(front) => front.then(&self.back_summary, recips),
            None => self.back_summary,
        }
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
