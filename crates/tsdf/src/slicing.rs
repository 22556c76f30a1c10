//! The slicing family: `at`, `before`, `atOrBefore`, `after`, `atOrAfter`, `between`,
//! `earliest`, `latest`, `priorTo`, `subsequentTo`. All keep the sequence column.

use arrow::array::BooleanArray;
use arrow::compute::filter_record_batch;

use crate::error::Result;
use crate::frame::Tsdf;
use crate::series::{TsKeys, tsdf_series};
use crate::timefmt::{MICROS_PER_SEC, parse_spark_timestamp};

/// A timestamp argument of a slicing method, as Tempo accepts it.
#[derive(Debug, Clone, PartialEq)]
pub enum TsValue {
    /// A string, cast by Spark in the session time zone (UTC): `"2024-03-10 01:00:00"`.
    /// A string that does not parse compares as NULL (no row matches), like Spark.
    Str(String),
    /// A number: epoch seconds (compared with a timestamp ts as `cast(ts as double)`).
    Num(f64),
}

#[derive(Clone, Copy)]
enum Cmp {
    Eq,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Tsdf {
    fn compare_ts(&self, value: &TsValue, cmp: Cmp) -> Result<Vec<bool>> {
        let ts = TsKeys::new(self.column(self.ts_col())?)?;
        let test = |o: std::cmp::Ordering| match cmp {
            Cmp::Eq => o.is_eq(),
            Cmp::Lt => o.is_lt(),
            Cmp::Le => o.is_le(),
            Cmp::Gt => o.is_gt(),
            Cmp::Ge => o.is_ge(),
        };
        let n = self.num_rows();
        let mask = match value {
            TsValue::Str(s) if ts.is_timestamp => match parse_spark_timestamp(s) {
                None => vec![false; n],
                Some(v) => (0..n)
                    .map(|i| ts.is_valid(i) && test(ts.key[i].cmp(&v)))
                    .collect(),
            },
            TsValue::Str(s) => match s.trim().parse::<f64>() {
                Err(_) => vec![false; n],
                Ok(v) => (0..n)
                    .map(|i| ts.is_valid(i) && ts.secs(i).partial_cmp(&v).is_some_and(test))
                    .collect(),
            },
            TsValue::Num(v) => (0..n)
                .map(|i| {
                    let x = if ts.is_timestamp {
                        ts.key[i] as f64 / MICROS_PER_SEC as f64
                    } else {
                        ts.secs(i)
                    };
                    ts.is_valid(i) && x.partial_cmp(v).is_some_and(test)
                })
                .collect(),
        };
        Ok(mask)
    }

    fn keep(&self, mask: Vec<bool>) -> Result<Tsdf> {
        let batch = filter_record_batch(self.df(), &BooleanArray::from(mask))?;
        Ok(Tsdf::from_parts(
            batch,
            self.ts_col().into(),
            self.partition_cols().to_vec(),
            self.sequence_col().map(Into::into),
        ))
    }

    /// Tempo's `at(ts)`: rows whose ts equals `ts`.
    ///
    /// # Examples
    /// ```
    /// # use std::sync::Arc;
    /// # use arrow::array::*;
    /// # use arrow::datatypes::*;
    /// use tsdf::{Tsdf, TsValue, timestamp_type};
    /// let schema = Arc::new(Schema::new(vec![Field::new("ts", timestamp_type(), true)]));
    /// let batch = RecordBatch::try_new(schema, vec![
    ///     Arc::new(TimestampMicrosecondArray::from(vec![0, 1_000_000]).with_timezone("UTC")),
    /// ]).unwrap();
    /// let t = Tsdf::new(batch, "ts", &[], None).unwrap();
    /// assert_eq!(t.at(&TsValue::Str("1970-01-01 00:00:01".into())).unwrap().num_rows(), 1);
    /// assert_eq!(t.before(&TsValue::Num(1.0)).unwrap().num_rows(), 1);
    /// ```
    pub fn at(&self, ts: &TsValue) -> Result<Tsdf> {
        self.keep(self.compare_ts(ts, Cmp::Eq)?)
    }

    /// Tempo's `before(ts)`: rows with ts `<` `ts`.
    pub fn before(&self, ts: &TsValue) -> Result<Tsdf> {
        self.keep(self.compare_ts(ts, Cmp::Lt)?)
    }

    /// Tempo's `atOrBefore(ts)`: rows with ts `<=` `ts`.
    pub fn at_or_before(&self, ts: &TsValue) -> Result<Tsdf> {
        self.keep(self.compare_ts(ts, Cmp::Le)?)
    }

    /// Tempo's `after(ts)`: rows with ts `>` `ts`.
    pub fn after(&self, ts: &TsValue) -> Result<Tsdf> {
        self.keep(self.compare_ts(ts, Cmp::Gt)?)
    }

    /// Tempo's `atOrAfter(ts)`: rows with ts `>=` `ts`.
    pub fn at_or_after(&self, ts: &TsValue) -> Result<Tsdf> {
        self.keep(self.compare_ts(ts, Cmp::Ge)?)
    }

    /// Tempo's `between(start_ts, end_ts, inclusive=True)`: `>= start AND <= end`, or strict
    /// bounds when not `inclusive`.
    pub fn between(&self, start_ts: &TsValue, end_ts: &TsValue, inclusive: bool) -> Result<Tsdf> {
        let (lo, hi) = if inclusive {
            (Cmp::Ge, Cmp::Le)
        } else {
            (Cmp::Gt, Cmp::Lt)
        };
        let a = self.compare_ts(start_ts, lo)?;
        let b = self.compare_ts(end_ts, hi)?;
        self.keep(a.into_iter().zip(b).map(|(a, b)| a && b).collect())
    }

    /// Tempo's `earliest(n=1)`: the first `n` rows of every series by (ts, seq).
    pub fn earliest(&self, n: usize) -> Result<Tsdf> {
        self.first_n(n, false)
    }

    /// Tempo's `latest(n=1)`: the last `n` rows of every series by (ts, seq).
    pub fn latest(&self, n: usize) -> Result<Tsdf> {
        self.first_n(n, true)
    }

    /// Tempo's `priorTo(ts, n=1)` = `atOrBefore(ts).latest(n)`.
    pub fn prior_to(&self, ts: &TsValue, n: usize) -> Result<Tsdf> {
        self.at_or_before(ts)?.latest(n)
    }

    /// Tempo's `subsequentTo(ts, n=1)` = `atOrAfter(ts).earliest(n)`.
    pub fn subsequent_to(&self, ts: &TsValue, n: usize) -> Result<Tsdf> {
        self.at_or_after(ts)?.earliest(n)
    }

    fn first_n(&self, n: usize, from_end: bool) -> Result<Tsdf> {
        let (_, series) = tsdf_series(self, true)?;
        let mut mask = vec![false; self.num_rows()];
        for run in &series.runs {
            let rows = &series.order[run.clone()];
            let pick: Box<dyn Iterator<Item = &u32>> = if from_end {
                Box::new(rows.iter().rev())
            } else {
                Box::new(rows.iter())
            };
            pick.take(n).for_each(|&r| mask[r as usize] = true);
        }
        self.keep(mask)
    }
}
