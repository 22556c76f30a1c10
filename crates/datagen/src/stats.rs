//! Summary statistics of the clean readings, laid out like the spec's reference table (§1.8).

use std::fmt;

use crate::dataset::Dataset;
use crate::generator::quantile;
use crate::time::Timestamp;

/// Mean, std-dev (sample, as Spark's `stddev`), percentiles (linear interpolation) and range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ColumnStats {
    /// Number of values.
    pub count: usize,
    /// Arithmetic mean.
    pub mean: f64,
    /// Sample standard deviation.
    pub std: f64,
    /// 1st percentile.
    pub p1: f64,
    /// 5th percentile.
    pub p5: f64,
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
    /// 99th percentile.
    pub p99: f64,
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
}

impl ColumnStats {
    /// Statistics of `values` (NaN for an empty input).
    ///
    /// # Examples
    /// ```
    /// let s = datagen::ColumnStats::of([1.0, 2.0, 3.0, 4.0, 5.0]);
    /// assert_eq!((s.mean, s.p50, s.min, s.max), (3.0, 3.0, 1.0, 5.0));
    /// assert!((s.std - 2.5f64.sqrt()).abs() < 1e-12);
    /// ```
    pub fn of(values: impl IntoIterator<Item = f64>) -> ColumnStats {
        let mut sorted: Vec<f64> = values.into_iter().collect();
        sorted.sort_unstable_by(f64::total_cmp);
        let n = sorted.len();
        let mean = sorted.iter().sum::<f64>() / n as f64;
        let squares = sorted.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>();
        let q = |p: f64| quantile(&sorted, p);
        ColumnStats {
            count: n,
            mean,
            std: (squares / (n.max(2) - 1) as f64).sqrt(),
            p1: q(0.01),
            p5: q(0.05),
            p50: q(0.5),
            p95: q(0.95),
            p99: q(0.99),
            min: sorted.first().copied().unwrap_or(f64::NAN),
            max: sorted.last().copied().unwrap_or(f64::NAN),
        }
    }
}

/// Means of one calendar month.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MonthStats {
    /// Year.
    pub year: i64,
    /// Month 1–12.
    pub month: u32,
    /// Readings in the month.
    pub rows: usize,
    /// Mean temperature.
    pub temperature: f64,
    /// Mean air pressure.
    pub air_pressure: f64,
    /// Mean density.
    pub density: f64,
}

/// The §1.8 table for one dataset, plus the monthly profile.
#[derive(Debug, Clone, PartialEq)]
pub struct DatasetStats {
    /// `temperature`.
    pub temperature: ColumnStats,
    /// `air_pressure`.
    pub air_pressure: ColumnStats,
    /// `rotation_speed`.
    pub rotation_speed: ColumnStats,
    /// `delay`.
    pub delay: ColumnStats,
    /// `density`.
    pub density: ColumnStats,
    /// `airflow_rate`.
    pub airflow_rate: ColumnStats,
    /// One entry per month with readings, in time order.
    pub monthly: Vec<MonthStats>,
}

impl Dataset {
    /// Statistics of the clean readings (before landing corruptions), as in §1.8.
    ///
    /// # Examples
    /// ```
    /// use datagen::{Batch, Preset, generate};
    /// let stats = generate(&Preset::Tiny.config(), 3, Batch::Initial).unwrap().stats();
    /// assert!(stats.rotation_speed.min >= 0.0);
    /// assert!(stats.monthly.len() >= 12);
    /// ```
    #[must_use]
    pub fn stats(&self) -> DatasetStats {
        let r = &self.readings;
        let widen = |v: &[f32]| v.iter().map(|&x| f64::from(x)).collect::<Vec<_>>();
        DatasetStats {
            temperature: ColumnStats::of(r.temperature.iter().copied()),
            air_pressure: ColumnStats::of(r.air_pressure.iter().copied()),
            rotation_speed: ColumnStats::of(r.rotation_speed.iter().copied()),
            delay: ColumnStats::of(widen(&r.delay)),
            density: ColumnStats::of(widen(&r.density)),
            airflow_rate: ColumnStats::of(r.airflow_rate.iter().copied()),
            monthly: self.monthly(),
        }
    }

    fn monthly(&self) -> Vec<MonthStats> {
        let r = &self.readings;
        // (year, month) → sums; months are few, so a sorted Vec beats a map.
        let mut months: Vec<(i64, u32, usize, f64, f64, f64)> = Vec::new();
        for i in 0..r.len() {
            let (year, month, _) = Timestamp(r.timestamp[i]).date().civil();
            let slot = match months.binary_search_by(|m| (m.0, m.1).cmp(&(year, month))) {
                Ok(slot) => slot,
                Err(slot) => {
                    months.insert(slot, (year, month, 0, 0.0, 0.0, 0.0));
                    slot
                }
            };
            let m = &mut months[slot];
            m.2 += 1;
            m.3 += r.temperature[i];
            m.4 += r.air_pressure[i];
            m.5 += f64::from(r.density[i]);
        }
        months
            .into_iter()
            .map(|(year, month, rows, t, p, d)| MonthStats {
                year,
                month,
                rows,
                temperature: t / rows as f64,
                air_pressure: p / rows as f64,
                density: d / rows as f64,
            })
            .collect()
    }
}

impl fmt::Display for DatasetStats {
    /// A Markdown table in the layout of §1.8, then the monthly means.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "| column | mean | std | p1 | p5 | p50 | p95 | p99 | min | max |"
        )?;
        writeln!(f, "|---|---|---|---|---|---|---|---|---|---|")?;
        let columns = [
            ("temperature", &self.temperature),
            ("air_pressure", &self.air_pressure),
            ("rotation_speed", &self.rotation_speed),
            ("delay", &self.delay),
            ("density", &self.density),
            ("airflow_rate", &self.airflow_rate),
        ];
        for (name, s) in columns {
            write!(f, "| {name} |")?;
            for v in [s.mean, s.std, s.p1, s.p5, s.p50, s.p95, s.p99, s.min, s.max] {
                write!(f, " {} |", Sig3(v))?;
            }
            writeln!(f)?;
        }
        writeln!(f)?;
        writeln!(f, "| month | rows | temperature | air_pressure | density |")?;
        writeln!(f, "|---|---|---|---|---|")?;
        for m in &self.monthly {
            writeln!(
                f,
                "| {}-{:02} | {} | {:.1} | {:.0} | {:.2} |",
                m.year, m.month, m.rows, m.temperature, m.air_pressure, m.density
            )?;
        }
        Ok(())
    }
}

/// A number to three significant figures, like the spec's table.
struct Sig3(f64);

impl fmt::Display for Sig3 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = self.0;
        if v == 0.0 || !v.is_finite() {
            return write!(f, "{v}");
        }
        let digits = v.abs().log10().floor() as i32;
        let decimals = (2 - digits).max(0) as usize;
        write!(f, "{v:.decimals$}")
    }
}
