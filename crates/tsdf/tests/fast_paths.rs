//! The kernels take shortcuts for the usual shape of sensor data (each series already in time
//! order, series interleaved, no NULL timestamps, integer keys): the shortcut and the general
//! path must agree with naive references, on data of that shape and on data just off it.

use std::sync::Arc;

use arrow::array::{
    Array, ArrayRef, AsArray, Float64Array, Int32Array, RecordBatch, TimestampMicrosecondArray,
    UInt32Array,
};
use arrow::compute::take_record_batch;
use arrow::datatypes::{DataType, Field, Float64Type, Int64Type, Schema};
use proptest::prelude::*;
use tsdf::{
    AsofJoinOptions, EmaOptions, RangeStatsOptions, Tsdf, ema_truncated_direct, timestamp_type,
};

/// `(device int, ts timestamp, v double)` rows; `v` NULL where `None`.
fn batch(rows: &[(i32, i64, Option<f64>)]) -> RecordBatch {
    let schema = Arc::new(Schema::new(vec![
        Field::new("device", DataType::Int32, false),
        Field::new("ts", timestamp_type(), true),
        Field::new("v", DataType::Float64, true),
    ]));
    let cols: Vec<ArrayRef> = vec![
        Arc::new(Int32Array::from_iter_values(rows.iter().map(|r| r.0))),
        Arc::new(
            TimestampMicrosecondArray::from_iter_values(rows.iter().map(|r| r.1 * 1_000_000))
                .with_timezone("UTC"),
        ),
        Arc::new(Float64Array::from(
            rows.iter().map(|r| r.2).collect::<Vec<_>>(),
        )),
    ];
    RecordBatch::try_new(schema, cols).unwrap()
}

/// A feed of `steps` readings per device over `devices` devices, interleaved in time order
/// (each device's ts grows by 1..=`gap` seconds a step), values NULL where `nulls` says.
fn feed(devices: usize, steps: Vec<(u8, bool)>, gap: i64) -> Vec<(i32, i64, Option<f64>)> {
    let mut ts = vec![0i64; devices];
    steps
        .iter()
        .enumerate()
        .map(|(i, &(jump, null))| {
            let d = i % devices;
            ts[d] += 1 + i64::from(jump) % gap;
            (d as i32, ts[d], (!null).then_some(f64::from(jump) - 7.5))
        })
        .collect()
}

fn steps(max: usize) -> impl Strategy<Value = Vec<(u8, bool)>> {
    prop::collection::vec((0u8..16, prop::bool::weighted(0.2)), 0..max)
}

/// The rows of `b` in the order `perm`.
fn permuted(b: &RecordBatch, perm: &[u32]) -> RecordBatch {
    take_record_batch(b, &UInt32Array::from(perm.to_vec())).unwrap()
}

fn f64s(b: &RecordBatch, name: &str) -> Vec<Option<f64>> {
    let c = b.column_by_name(name).unwrap();
    let c = tsdf::convert::cast(c, &DataType::Float64).unwrap();
    let c = c.as_primitive::<Float64Type>();
    (0..c.len())
        .map(|i| c.is_valid(i).then(|| c.value(i)))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The as-of join's per-series cursor (left rows in time order per series, many right rows
    /// per series so that it both steps and searches) equals a scan of the right rows, and a
    /// shuffled left side (cursor moving back) gives the same matches.
    #[test]
    fn asof_cursor_matches_a_scan_in_any_left_order(
        devices in 1usize..4,
        left_steps in steps(120),
        right_steps in steps(120),
        gap in 1i64..6,
        seed in any::<u64>(),
    ) {
        let left_rows = feed(devices, left_steps, 3);
        let right_rows = feed(devices, right_steps, gap);
        let right = Tsdf::new(batch(&right_rows), "ts", &["device"], None).unwrap();
        let n = left_rows.len() as u32;
        // A deterministic shuffle of the left rows (and its inverse to compare).
        let mut perm: Vec<u32> = (0..n).collect();
        let mut s = seed | 1;
        for i in (1..perm.len()).rev() {
            s ^= s << 13; s ^= s >> 7; s ^= s << 17;
            perm.swap(i, (s % (i as u64 + 1)) as usize);
        }
        let left = batch(&left_rows);
        for order in [(0..n).collect::<Vec<_>>(), perm] {
            let l = Tsdf::new(permuted(&left, &order), "ts", &["device"], None).unwrap();
            let out = l.asof_join(&right, &AsofJoinOptions::default()).unwrap().into_df();
            let got_v = f64s(&out, "right_v");
            let got_ts = f64s(&out, "right_ts");
            for (k, &row) in order.iter().enumerate() {
                let (d, t, _) = left_rows[row as usize];
                let visible = || right_rows.iter().filter(|r| r.0 == d && r.1 <= t);
                let want_v = visible().filter_map(|r| r.2.map(|v| (r.1, v))).next_back().map(|x| x.1);
                let want_ts = visible().next_back().map(|r| (r.1 * 1_000_000) as f64);
                prop_assert_eq!(got_v[k], want_v, "row {}", k);
                prop_assert_eq!(got_ts[k], want_ts, "row {}", k);
            }
        }
    }

    /// Range stats of a feed in time order (the blocked walk) equal those of the same rows
    /// reversed (one series after another), and the counts equal a scan.
    #[test]
    fn range_stats_in_and_out_of_time_order_agree(
        devices in 1usize..5,
        st in steps(200),
        width in 0i64..12,
    ) {
        let rows = feed(devices, st, 4);
        let n = rows.len() as u32;
        let opts = RangeStatsOptions { range_back_window_secs: width as f64, ..Default::default() };
        let stats = |b: RecordBatch| {
            Tsdf::new(b, "ts", &["device"], None).unwrap().with_range_stats(&opts).unwrap().into_df()
        };
        let forward = stats(batch(&rows));
        let rev: Vec<u32> = (0..n).rev().collect();
        let backward = stats(permuted(&batch(&rows), &rev));
        let counts = forward.column_by_name("count_v").unwrap().as_primitive::<Int64Type>().clone();
        for (i, r) in rows.iter().enumerate() {
            let want = rows.iter().filter(|x| x.0 == r.0 && x.1 <= r.1 && x.1 >= r.1 - width && x.2.is_some()).count();
            prop_assert_eq!(counts.value(i), want as i64);
        }
        for stat in ["mean", "count", "min", "max", "sum", "stddev", "zscore"] {
            let name = format!("{stat}_v");
            let mut b = f64s(&backward, &name);
            b.reverse();
            for (i, (x, y)) in f64s(&forward, &name).iter().zip(&b).enumerate() {
                let ok = match (x, y) {
                    (Some(x), Some(y)) => (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1.0),
                    (x, y) => x == y,
                };
                prop_assert!(ok, "{name} row {i}: {x:?} vs {y:?}");
            }
        }
    }

    /// EMA of a feed in time order (series laid out by streaming rows in input order) equals
    /// the direct sum over each series, and so does the same feed reversed (sorted per series).
    #[test]
    fn ema_in_and_out_of_time_order_matches_the_direct_sum(
        devices in 1usize..5,
        st in steps(200),
        window in 1i64..40,
    ) {
        let rows = feed(devices, st, 4);
        let n = rows.len() as u32;
        let opts = EmaOptions { window, exp_factor: 0.2 };
        let want: Vec<f64> = {
            let mut want = vec![0.0; rows.len()];
            for d in 0..devices as i32 {
                let idx: Vec<usize> = (0..rows.len()).filter(|&i| rows[i].0 == d).collect();
                let x: Vec<f64> = idx.iter().map(|&i| rows[i].2.unwrap_or(0.0)).collect();
                for (&i, y) in idx.iter().zip(ema_truncated_direct(&x, window as usize, 0.2)) {
                    want[i] = y;
                }
            }
            want
        };
        let rev: Vec<u32> = (0..n).rev().collect();
        for order in [(0..n).collect::<Vec<_>>(), rev] {
            let t = Tsdf::new(permuted(&batch(&rows), &order), "ts", &["device"], None).unwrap();
            let got = f64s(&t.ema("v", &opts).unwrap().into_df(), "EMA_v");
            for (k, &row) in order.iter().enumerate() {
                prop_assert_eq!(got[k], Some(want[row as usize]), "row {}", k);
            }
        }
    }
}
