//! Properties against naive reference implementations on random data with NULLs, duplicate
//! timestamps and empty partitions.

use std::collections::BTreeMap;
use std::sync::Arc;

use arrow::array::{
    Array, ArrayRef, AsArray, Float64Array, Int64Array, RecordBatch, StringArray,
    TimestampMicrosecondArray,
};
use arrow::datatypes::{DataType, Field, Float64Type, Int64Type, Schema, TimestampMicrosecondType};
use proptest::prelude::*;
use tsdf::{
    AsofJoinOptions, EmaOptions, RangeStatsOptions, ResampleOptions, Tsdf, ema_truncated_direct,
    ema_truncated_recurrence, timestamp_type,
};

/// One random row: partition (0..4; some partitions end up empty), ts in seconds (small range →
/// duplicates; `None` = NULL), value (`None` = NULL).
type Row = (u8, Option<i64>, Option<f64>);

fn rows(max: usize) -> impl Strategy<Value = Vec<Row>> {
    prop::collection::vec(
        (
            0u8..4,
            prop::option::weighted(0.95, 0i64..60),
            prop::option::weighted(0.8, -50.0f64..50.0),
        ),
        0..max,
    )
}

/// A batch `(p string, ts timestamp, seq bigint, v double)`; seq = input position (unique).
fn batch(rows: &[Row], value_name: &str) -> RecordBatch {
    let schema = Arc::new(Schema::new(vec![
        Field::new("p", DataType::Utf8, true),
        Field::new("ts", timestamp_type(), true),
        Field::new("seq", DataType::Int64, true),
        Field::new(value_name, DataType::Float64, true),
    ]));
    let cols: Vec<ArrayRef> = vec![
        Arc::new(StringArray::from(
            rows.iter().map(|r| format!("P{}", r.0)).collect::<Vec<_>>(),
        )),
        Arc::new(
            TimestampMicrosecondArray::from(
                rows.iter()
                    .map(|r| r.1.map(|s| s * 1_000_000))
                    .collect::<Vec<_>>(),
            )
            .with_timezone("UTC"),
        ),
        Arc::new(Int64Array::from((0..rows.len() as i64).collect::<Vec<_>>())),
        Arc::new(Float64Array::from(
            rows.iter().map(|r| r.2).collect::<Vec<_>>(),
        )),
    ];
    RecordBatch::try_new(schema, cols).unwrap()
}

fn f64s(b: &RecordBatch, name: &str) -> Vec<Option<f64>> {
    let c = b
        .column_by_name(name)
        .unwrap_or_else(|| panic!("no column {name}"));
    let c = c.as_primitive::<Float64Type>();
    (0..c.len())
        .map(|i| c.is_valid(i).then(|| c.value(i)))
        .collect()
}

fn close(a: Option<f64>, b: Option<f64>, tol: f64) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(x), Some(y)) => (x - y).abs() <= tol * x.abs().max(y.abs()).max(1.0),
        _ => false,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// asofJoin (skipNulls=True) equals a quadratic scan over the right rows of each left row.
    #[test]
    fn asof_join_matches_quadratic_scan(left in rows(40), right in rows(40)) {
        let l = Tsdf::new(batch(&left, "x"), "ts", &["p"], None).unwrap();
        let r = Tsdf::new(batch(&right, "v"), "ts", &["p"], Some("seq")).unwrap();
        let out = l.asof_join(&r, &AsofJoinOptions::default()).unwrap();
        let df = out.df();
        let got_v = f64s(df, "right_v");
        let got_ts = df.column_by_name("right_ts").unwrap().as_primitive::<TimestampMicrosecondType>().clone();
        let mut k = 0;
        for lr in left.iter().filter(|r| r.1.is_some()) {
            // Right rows visible to this left row, in Tempo's window order (NULL ts first, then ts, seq).
            let mut visible: Vec<(usize, &Row)> = right.iter().enumerate()
                .filter(|(_, r)| r.0 == lr.0 && r.1.is_none_or(|t| t <= lr.1.unwrap())).collect();
            visible.sort_by_key(|(i, r)| (r.1.is_some(), r.1, *i));
            let want_v = visible.iter().rev().find_map(|(_, r)| r.2);
            let want_ts = visible.iter().rev().find_map(|(_, r)| r.1).map(|s| s * 1_000_000);
            prop_assert!(close(got_v[k], want_v, 0.0), "row {k}: v {:?} vs {:?}", got_v[k], want_v);
            let got = got_ts.is_valid(k).then(|| got_ts.value(k));
            prop_assert_eq!(got, want_ts);
            k += 1;
        }
        prop_assert_eq!(k, df.num_rows());
    }

    /// Skew mode (`tsPartitionVal`, `fraction`): a left row only sees right rows of its own
    /// bucket and those in the last `fraction` of the previous bucket (Tempo's duplication).
    #[test]
    fn asof_join_skew_mode_matches_bucketed_scan(left in rows(40), right in rows(40), v in 3i64..20, fraction in 0.1f64..0.9) {
        let l = Tsdf::new(batch(&left, "x"), "ts", &["p"], None).unwrap();
        let r = Tsdf::new(batch(&right, "v"), "ts", &["p"], Some("seq")).unwrap();
        let opts = AsofJoinOptions { ts_partition_val: Some(v as f64), fraction, ..Default::default() };
        let df = l.asof_join(&r, &opts).unwrap().into_df();
        let got = f64s(&df, "right_v");
        let bucket = |t: i64| (t / v) * v;
        for (k, lr) in left.iter().filter(|r| r.1.is_some()).enumerate() {
            let lt = lr.1.unwrap();
            let b = bucket(lt);
            let mut visible: Vec<(usize, &Row)> = right.iter().enumerate().filter(|(_, r)| {
                let Some(t) = r.1 else { return false };
                r.0 == lr.0 && t <= lt && (bucket(t) == b || (bucket(t) == b - v && (t - bucket(t)) as f64 / v as f64 >= 1.0 - fraction))
            }).collect();
            visible.sort_by_key(|(i, r)| (r.1, *i));
            let want = visible.iter().rev().find_map(|(_, r)| r.2);
            prop_assert!(close(got[k], want, 0.0), "row {k}: {:?} vs {want:?}", got[k]);
        }
    }

    /// asofJoin with skipNulls=False takes every column from the single latest right row.
    #[test]
    fn asof_join_without_null_skipping_takes_one_row(left in rows(30), right in rows(30)) {
        let l = Tsdf::new(batch(&left, "x"), "ts", &["p"], None).unwrap();
        let r = Tsdf::new(batch(&right, "v"), "ts", &["p"], Some("seq")).unwrap();
        let opts = AsofJoinOptions { skip_nulls: false, ..Default::default() };
        let df = l.asof_join(&r, &opts).unwrap().into_df();
        let got_v = f64s(&df, "right_v");
        let got_seq = df.column_by_name("right_seq").unwrap().as_primitive::<Int64Type>().clone();
        for (k, lr) in left.iter().filter(|r| r.1.is_some()).enumerate() {
            let latest = right.iter().enumerate()
                .filter(|(_, r)| r.0 == lr.0 && r.1.is_none_or(|t| t <= lr.1.unwrap()))
                .max_by_key(|(i, r)| (r.1.is_some(), r.1, *i));
            prop_assert!(close(got_v[k], latest.and_then(|(_, r)| r.2), 0.0));
            let seq = got_seq.is_valid(k).then(|| got_seq.value(k));
            prop_assert_eq!(seq, latest.map(|(i, _)| i as i64));
        }
    }

    /// Tempo's EMA equals the direct truncated sum over each series in (ts, seq) order.
    #[test]
    fn ema_matches_direct_sum(data in rows(60), window in 1i64..8, e in 0.05f64..0.95) {
        let t = Tsdf::new(batch(&data, "v"), "ts", &["p"], Some("seq")).unwrap();
        let out = t.ema("v", &EmaOptions { window, exp_factor: e }).unwrap();
        let got = f64s(out.df(), "EMA_v");
        for (i, row) in data.iter().enumerate() {
            let mut series: Vec<(usize, &Row)> = data.iter().enumerate().filter(|(_, r)| r.0 == row.0).collect();
            series.sort_by_key(|(j, r)| (r.1.is_some(), r.1, *j));
            let pos = series.iter().position(|(j, _)| *j == i).unwrap();
            let want: f64 = (0..window as usize).filter(|&lag| lag <= pos)
                .map(|lag| e * (1.0 - e).powi(lag as i32) * series[pos - lag].1.2.unwrap_or(0.0)).sum();
            prop_assert!(close(got[i], Some(want), 1e-12), "row {i}: {:?} vs {want}", got[i]);
        }
    }

    /// The direct sum (computed in place block by block, from the last block back) adds each
    /// output's terms in lag order exactly as a plain per-row sum does, over series longer
    /// than a block, with NaN and infinite inputs.
    #[test]
    fn ema_direct_sum_is_the_per_row_sum_in_lag_order(
        x in prop::collection::vec(prop_oneof![8 => -1e3f64..1e3, 1 => Just(f64::NAN), 1 => Just(f64::INFINITY)], 0..2600),
        window in 1usize..70,
        e in 0.05f64..0.95,
    ) {
        let got = ema_truncated_direct(&x, window, e);
        prop_assert_eq!(got.len(), x.len());
        for (t, y) in got.iter().enumerate() {
            let mut want = 0.0;
            for lag in 0..window.min(t + 1) {
                want += e * (1.0 - e).powf(lag as f64) * x[t - lag];
            }
            prop_assert!(y.to_bits() == want.to_bits() || (y.is_nan() && want.is_nan()), "t {t}: {y} vs {want}");
        }
    }

    /// The O(n) recurrence stays within 1e-9 relative of the direct sum on positive series.
    #[test]
    fn ema_recurrence_matches_direct_sum(x in prop::collection::vec(1.0f64..100.0, 0..400), window in 1usize..80) {
        let a = ema_truncated_recurrence(&x, window, 0.2);
        let b = ema_truncated_direct(&x, window, 0.2);
        for (p, q) in a.iter().zip(&b) {
            prop_assert!((p - q).abs() <= 1e-9 * q.abs(), "{p} vs {q}");
        }
    }

    /// withRangeStats equals brute force over the rows with ts in [t - W, t] of the series.
    #[test]
    fn range_stats_match_brute_force(data in rows(50), width in 0i64..20) {
        let t = Tsdf::new(batch(&data, "v"), "ts", &["p"], None).unwrap();
        let opts = RangeStatsOptions { cols_to_summarize: Some(vec!["v".into()]), range_back_window_secs: width as f64, ..Default::default() };
        let df = t.with_range_stats(&opts).unwrap().into_df();
        let (mean, min, max, sum, sd) = (f64s(&df, "mean_v"), f64s(&df, "min_v"), f64s(&df, "max_v"), f64s(&df, "sum_v"), f64s(&df, "stddev_v"));
        let count = df.column_by_name("count_v").unwrap().as_primitive::<Int64Type>().clone();
        for (i, row) in data.iter().enumerate() {
            let xs: Vec<f64> = data.iter().filter(|r| r.0 == row.0 && match (r.1, row.1) {
                (Some(a), Some(b)) => a >= b - width && a <= b,
                (None, None) => true,
                _ => false,
            }).filter_map(|r| r.2).collect();
            let n = xs.len();
            prop_assert_eq!(count.value(i), n as i64);
            let m = (n > 0).then(|| xs.iter().sum::<f64>() / n as f64);
            prop_assert!(close(mean[i], m, 1e-9));
            prop_assert!(close(sum[i], (n > 0).then(|| xs.iter().sum()), 1e-9));
            prop_assert!(close(min[i], xs.iter().copied().reduce(f64::min), 0.0));
            prop_assert!(close(max[i], xs.iter().copied().reduce(f64::max), 0.0));
            let want_sd = (n > 1).then(|| (xs.iter().map(|x| (x - m.unwrap()).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt());
            prop_assert!(close(sd[i], want_sd, 1e-7), "sd {:?} vs {want_sd:?}", sd[i]);
        }
    }

    /// resample(mean) equals a group-by on (partition, floor(ts / width)).
    #[test]
    fn resample_mean_matches_group_by(data in rows(60), width in 1i64..15) {
        let t = Tsdf::new(batch(&data, "v"), "ts", &["p"], None).unwrap();
        let opts = ResampleOptions { metric_cols: Some(vec!["v".into()]), ..Default::default() };
        let out = t.resample(&format!("{width} seconds"), "mean", &opts).unwrap();
        let df = out.df();
        let mut want: BTreeMap<(String, Option<i64>), (f64, usize)> = BTreeMap::new();
        for r in &data {
            let e = want.entry((format!("P{}", r.0), r.1.map(|s| s.div_euclid(width) * width * 1_000_000))).or_insert((0.0, 0));
            if let Some(v) = r.2 { e.0 += v; e.1 += 1; }
        }
        prop_assert_eq!(df.num_rows(), want.len());
        let p = df.column_by_name("p").unwrap().as_string::<i32>().clone();
        let ts = df.column_by_name("ts").unwrap().as_primitive::<TimestampMicrosecondType>().clone();
        let v = f64s(df, "v");
        for (i, got) in v.iter().enumerate() {
            let key = (p.value(i).to_string(), ts.is_valid(i).then(|| ts.value(i)));
            let (s, n) = want.get(&key).copied().unwrap_or_else(|| panic!("unexpected group {key:?}"));
            prop_assert!(close(*got, (n > 0).then(|| s / n as f64), 1e-12));
        }
    }
}
