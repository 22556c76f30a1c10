//! A two-stack sliding window of [`Summary`]s (count, sum, Welford mean and M2, integer sum,
//! min and max with their rows) over positions of the series order. New values join the back
//! summary; when the window's start passes the front, the window's values are re-summarised
//! into suffix summaries (the front), indexed by position, whose entry at the window's start
//! covers the rest of the front. The window's stats combine that entry with the back (Chan et
//! al.'s pairwise update). Nothing is ever subtracted, so there is no cancellation to guard
//! against, a NaN or infinity leaves no trace once out of the window, and min/max need no
//! monotonic queues (whose data-dependent branches dominated an earlier profile). Moving the
//! start is a plain index change; each value is summarised twice (amortised O(1)) and each
//! query combines once.

/// A value and the input row holding it.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Extreme {
    pub x: f64,
    pub row: u32,
}

/// Spark's `a < b` on doubles: NaN is greater than every other value, `-0.0 == 0.0`.
#[inline]
fn spark_less(a: f64, b: f64) -> bool {
    a < b || (b.is_nan() && !a.is_nan())
}

/// The stats of a run of consecutive window values (`n == 0`: none; the other fields are
/// then unused).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Summary {
    pub n: u32,
    pub sum: f64,
    mean: f64,
    /// Sum of squared deviations from `mean`.
    pub m2: f64,
    pub isum: i64,
    /// The smallest value, the earliest of equal ones.
    pub min: Extreme,
    /// The largest value, the earliest of equal ones.
    pub max: Extreme,
}

/// `1/n` from a growing table (a multiply is far cheaper than a divide in these updates).
#[derive(Debug, Default)]
pub(super) struct Reciprocals(Vec<f64>);

impl Reciprocals {
    #[inline]
    pub(super) fn of(&mut self, n: u32) -> f64 {
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
    #[inline(always)]
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
    #[inline(always)]
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

/// A non-NULL value of the window: its input row, value and exact integer value.
#[derive(Debug, Clone, Copy)]
pub(super) struct Entry {
    pub row: u32,
    pub x: f64,
    pub xi: i64,
}

/// The window over positions `lo..hi` of a series as two stacks.
#[derive(Debug, Default)]
pub(super) struct TwoStacks {
    /// Suffix summaries of the front, newest first: `front[front_end - 1 - p]` covers the
    /// values at positions `p..front_end`.
    front: Vec<Summary>,
    /// End of the front (the positions after it are in the back).
    front_end: usize,
    /// The values at positions `front_end..hi`.
    back: Summary,
}

impl TwoStacks {
    /// Empties the window; the next values come from position `at` on.
    pub(super) fn reset(&mut self, at: usize) {
        self.front.clear();
        self.front_end = at;
        self.back = Summary::default();
    }

    /// Adds the value at the window's end (the next position).
    #[inline(always)]
    pub(super) fn push(&mut self, e: &Entry, recips: &mut Reciprocals) {
        self.back.add(e, false, recips);
    }

    /// Moves the window's start to `lo` with its end at `hi`; `entry(p)`: the value at
    /// position `p` (`None` when NULL), read again when the back becomes the front.
    #[inline]
    pub(super) fn expire(
        &mut self,
        lo: usize,
        hi: usize,
        entry: impl Fn(usize) -> Option<Entry>,
        recips: &mut Reciprocals,
    ) {
        if lo > self.front_end {
            self.flip(lo, hi, entry, recips);
        }
    }

    /// Re-summarises the values at `lo..hi` as the front (newest first); the back is empty.
    #[cold]
    fn flip(
        &mut self,
        lo: usize,
        hi: usize,
        entry: impl Fn(usize) -> Option<Entry>,
        recips: &mut Reciprocals,
    ) {
        self.front.clear();
        let mut acc = Summary::default();
        for p in (lo..hi).rev() {
            if let Some(e) = entry(p) {
                acc.add(&e, true, recips);
            }
            self.front.push(acc);
        }
        self.front_end = hi;
        self.back = Summary::default();
    }

    /// The summary of the window starting at `lo` (the start last given to `expire`).
    #[inline(always)]
    pub(super) fn summary(&self, lo: usize, recips: &mut Reciprocals) -> Summary {
        match self.front_end.checked_sub(lo + 1) {
            Some(k) => self.front[k].then(&self.back, recips),
            None => self.back,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pushes `xs` at positions 0.. (NaN-free `None`s are NULLs) and returns the summary of
    /// the window of the last `width` positions after each.
    fn slide_opt(xs: &[Option<f64>], width: usize) -> Vec<Summary> {
        let (mut q, mut r) = (TwoStacks::default(), Reciprocals::default());
        let entry = |p: usize| {
            xs[p].map(|x| Entry {
                row: p as u32,
                x,
                xi: x as i64,
            })
        };
        q.reset(0);
        (0..xs.len())
            .map(|p| {
                if let Some(e) = entry(p) {
                    q.push(&e, &mut r);
                }
                let lo = (p + 1).saturating_sub(width);
                q.expire(lo, p + 1, entry, &mut r);
                q.summary(lo, &mut r)
            })
            .collect()
    }

    fn slide(xs: &[f64], width: usize) -> Vec<Summary> {
        slide_opt(&xs.iter().map(|&x| Some(x)).collect::<Vec<_>>(), width)
    }

    #[test]
    fn matches_a_direct_computation_of_every_window() {
        let xs = [3.0, -1.5, 2.25, 8.0, 8.0, -4.0, 0.5, 1e6, 2.0, 2.0];
        for width in 1..5 {
            for (p, s) in slide(&xs, width).iter().enumerate() {
                let w = &xs[(p + 1).saturating_sub(width)..=p];
                let mean = w.iter().sum::<f64>() / w.len() as f64;
                let m2: f64 = w.iter().map(|x| (x - mean).powi(2)).sum();
                assert_eq!(s.n as usize, w.len());
                assert!((s.sum - w.iter().sum::<f64>()).abs() <= 1e-9 * mean.abs().max(1.0));
                assert!((s.m2 - m2).abs() <= 1e-9 * m2.max(1.0), "{} vs {m2}", s.m2);
                assert_eq!(s.min.x, w.iter().copied().fold(f64::INFINITY, f64::min));
                assert_eq!(s.max.x, w.iter().copied().fold(f64::NEG_INFINITY, f64::max));
                assert_eq!(s.isum, w.iter().map(|&x| x as i64).sum::<i64>());
            }
        }
    }

    #[test]
    fn nulls_are_skipped_and_an_all_null_window_is_empty() {
        let s = slide_opt(&[Some(1.0), None, None, Some(4.0), None], 2);
        assert_eq!((s[1].n, s[2].n, s[3].n, s[4].n), (1, 0, 1, 1));
        assert_eq!((s[3].sum, s[4].min.row), (4.0, 3));
    }

    #[test]
    fn ties_keep_the_earliest_row_and_constant_windows_have_no_spread() {
        let s = slide(&[5.0, 5.0, 5.0, 5.0], 3);
        assert_eq!((s[3].min.row, s[3].max.row, s[3].m2), (1, 1, 0.0));
    }

    #[test]
    fn nan_and_infinity_leave_no_trace_once_out_of_the_window() {
        let s = slide(&[1.0, f64::NAN, f64::INFINITY, 2.0, 4.0, 6.0], 2);
        assert!(s[1].m2.is_nan() && s[1].max.x.is_nan());
        assert!(s[2].sum.is_nan());
        assert_eq!(s[3].sum, f64::INFINITY);
        assert_eq!((s[4].sum, s[4].m2, s[5].m2), (6.0, 2.0, 2.0));
    }
}
