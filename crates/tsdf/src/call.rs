//! Tempo's keyword arguments, read once for every front end: each method's parameter names
//! in Tempo's positional order, its defaults, and the mapping onto this crate's option
//! structs. The fixture runner reads them from JSON and the Python front end from a
//! learner's call; each says how its values read ([`CallArgs`]), this module says what they
//! mean.

use crate::{AsofJoinOptions, EmaOptions, InterpolateOptions, RangeStatsOptions, ResampleOptions};

/// A Tempo call's arguments by name (positional ones already matched to their names with
/// the lists below). `Ok(None)` for a missing or `None` argument; an error for a value of
/// the wrong type, in the front end's own error type (with its location).
pub trait CallArgs {
    /// The front end's error.
    type Error;
    /// A string.
    fn str(&self, name: &'static str) -> Result<Option<String>, Self::Error>;
    /// A number.
    fn f64(&self, name: &'static str) -> Result<Option<f64>, Self::Error>;
    /// An integer.
    fn i64(&self, name: &'static str) -> Result<Option<i64>, Self::Error>;
    /// A boolean.
    fn bool(&self, name: &'static str) -> Result<Option<bool>, Self::Error>;
    /// A list of column names (one name alone counts as a list of one).
    fn strs(&self, name: &'static str) -> Result<Option<Vec<String>>, Self::Error>;
}

/// `EMA(colName, window=30, exp_factor=0.2)`.
pub const EMA: &[&str] = &["colName", "window", "exp_factor"];
/// `resample(freq, func=None, metricCols=None, prefix=None, fill=None, perform_checks=True)`.
pub const RESAMPLE: &[&str] = &[
    "freq",
    "func",
    "metricCols",
    "prefix",
    "fill",
    "perform_checks",
];
/// `interpolate(freq, func, method, target_cols=None, ts_col=None, partition_cols=None,
/// show_interpolated=False, perform_checks=True)`.
pub const INTERPOLATE: &[&str] = &[
    "freq",
    "func",
    "method",
    "target_cols",
    "ts_col",
    "partition_cols",
    "show_interpolated",
    "perform_checks",
];
/// `asofJoin(right_tsdf, …)`: the parameters after the right frame.
pub const ASOF_JOIN: &[&str] = &[
    "left_prefix",
    "right_prefix",
    "tsPartitionVal",
    "fraction",
    "skipNulls",
    "sql_join_opt",
    "suppress_null_warning",
    "tolerance",
];
/// `withRangeStats(type="range", colsToSummarize=[], rangeBackWindowSecs=1000)`.
pub const RANGE_STATS: &[&str] = &["type", "colsToSummarize", "rangeBackWindowSecs"];
/// `withGroupedStats(metricCols=[], freq=None)`.
pub const GROUPED_STATS: &[&str] = &["metricCols", "freq"];

/// `EMA`'s options.
pub fn ema_options<A: CallArgs>(a: &A) -> Result<EmaOptions, A::Error> {
    let d = EmaOptions::default();
    Ok(EmaOptions {
        window: a.i64("window")?.unwrap_or(d.window),
        exp_factor: a.f64("exp_factor")?.unwrap_or(d.exp_factor),
    })
}

/// `resample`'s options (besides `freq` and `func`).
pub fn resample_options<A: CallArgs>(a: &A) -> Result<ResampleOptions, A::Error> {
    Ok(ResampleOptions {
        metric_cols: a.strs("metricCols")?,
        prefix: a.str("prefix")?,
        fill: a.bool("fill")?,
        perform_checks: a.bool("perform_checks")?.unwrap_or(true),
    })
}

/// `interpolate`'s options (besides `freq`, `func` and `method`).
pub fn interpolate_options<A: CallArgs>(a: &A) -> Result<InterpolateOptions, A::Error> {
    Ok(InterpolateOptions {
        target_cols: a.strs("target_cols")?,
        ts_col: a.str("ts_col")?,
        partition_cols: a.strs("partition_cols")?,
        show_interpolated: a.bool("show_interpolated")?.unwrap_or(false),
        perform_checks: a.bool("perform_checks")?.unwrap_or(true),
    })
}

/// `asofJoin`'s options; [`crate::Tsdf::asof_join`] checks which its strategy applies.
pub fn asof_join_options<A: CallArgs>(a: &A) -> Result<AsofJoinOptions, A::Error> {
    let d = AsofJoinOptions::default();
    Ok(AsofJoinOptions {
        left_prefix: a.str("left_prefix")?,
        right_prefix: a.str("right_prefix")?.unwrap_or(d.right_prefix),
        ts_partition_val: a.f64("tsPartitionVal")?,
        fraction: a.f64("fraction")?.unwrap_or(d.fraction),
        skip_nulls: a.bool("skipNulls")?.unwrap_or(d.skip_nulls),
        sql_join_opt: a.bool("sql_join_opt")?.unwrap_or(d.sql_join_opt),
        suppress_null_warning: a.bool("suppress_null_warning")?.unwrap_or(false),
        tolerance: a.f64("tolerance")?,
    })
}

/// `withRangeStats`' options. An empty `colsToSummarize` means every numeric column, as in
/// Tempo (`if not colsToSummarize`).
pub fn range_stats_options<A: CallArgs>(a: &A) -> Result<RangeStatsOptions, A::Error> {
    let d = RangeStatsOptions::default();
    Ok(RangeStatsOptions {
        kind: a.str("type")?.unwrap_or(d.kind),
        cols_to_summarize: a.strs("colsToSummarize")?.filter(|c| !c.is_empty()),
        range_back_window_secs: a
            .f64("rangeBackWindowSecs")?
            .unwrap_or(d.range_back_window_secs),
    })
}

/// `withGroupedStats`' metric columns (`None`: every numeric column, also for `[]`).
pub fn grouped_stats_metrics<A: CallArgs>(a: &A) -> Result<Option<Vec<String>>, A::Error> {
    Ok(a.strs("metricCols")?.filter(|c| !c.is_empty()))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    /// Arguments as text: numbers parse, `true`/`false` are booleans, `a|b` a list.
    struct Text(BTreeMap<&'static str, &'static str>);

    impl CallArgs for Text {
        type Error = String;
        fn str(&self, name: &'static str) -> Result<Option<String>, String> {
            Ok(self.0.get(name).map(|s| s.to_string()))
        }
        fn f64(&self, name: &'static str) -> Result<Option<f64>, String> {
            self.0
                .get(name)
                .map(|s| s.parse().map_err(|_| name.to_string()))
                .transpose()
        }
        fn i64(&self, name: &'static str) -> Result<Option<i64>, String> {
            self.0
                .get(name)
                .map(|s| s.parse().map_err(|_| name.to_string()))
                .transpose()
        }
        fn bool(&self, name: &'static str) -> Result<Option<bool>, String> {
            self.0
                .get(name)
                .map(|s| s.parse().map_err(|_| name.to_string()))
                .transpose()
        }
        fn strs(&self, name: &'static str) -> Result<Option<Vec<String>>, String> {
            let list = |s: &str| -> Vec<String> {
                s.split('|')
                    .filter(|p| !p.is_empty())
                    .map(String::from)
                    .collect()
            };
            Ok(self.0.get(name).map(|s| list(s)))
        }
    }

    #[test]
    fn test_missing_arguments_take_tempos_defaults() {
        let none = Text(BTreeMap::new());
        assert_eq!(
            asof_join_options(&none).unwrap(),
            AsofJoinOptions::default()
        );
        assert_eq!(ema_options(&none).unwrap(), EmaOptions::default());
        assert_eq!(
            range_stats_options(&none).unwrap(),
            RangeStatsOptions::default()
        );
        assert!(resample_options(&none).unwrap().perform_checks);
    }

    #[test]
    fn test_arguments_map_onto_options_and_bad_values_are_errors() {
        let args = Text(BTreeMap::from([
            ("tolerance", "120"),
            ("skipNulls", "false"),
            ("right_prefix", "r"),
            ("colsToSummarize", ""),
        ]));
        let asof = asof_join_options(&args).unwrap();
        assert_eq!((asof.tolerance, asof.skip_nulls), (Some(120.0), false));
        assert_eq!(asof.right_prefix, "r");
        assert_eq!(range_stats_options(&args).unwrap().cols_to_summarize, None);
        let bad = Text(BTreeMap::from([("window", "thirty")]));
        assert_eq!(ema_options(&bad).unwrap_err(), "window");
    }
}
