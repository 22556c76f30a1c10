//! `withRangeStats` walks series in blocks of input rows when they are stored in time order
//! and one after another otherwise, and reads each column type directly: the paths and types
//! must agree with each other.

use std::sync::Arc;

use arrow::array::{
    Array, ArrayRef, Float32Array, Float64Array, Int16Array, Int32Array, Int64Array, RecordBatch,
    TimestampMicrosecondArray, UInt32Array,
};
use arrow::compute::take_record_batch;
use arrow::datatypes::{DataType, Field, Float64Type, Schema};
use tsdf::convert::cast;
use tsdf::{RangeStatsOptions, Tsdf, timestamp_type};

/// More rows than one block of the walk, three interleaved series in time order with
/// duplicate timestamps, a NULL timestamp (first in its series, which stays in input order)
/// and NULLs in `a`. Every metric holds the same small integers: `a` a double (with NULLs),
/// `b` a float, `c` an int, `d` a bigint, `e` a smallint, `f` a double without NULLs.
fn sensors(n: usize) -> RecordBatch {
    sensors_with(n, 6)
}

/// [`sensors`] with a new timestamp every `rows_per_ts` input rows.
fn sensors_with(n: usize, rows_per_ts: i64) -> RecordBatch {
    let v: Vec<i64> = (0..n as i64).map(|i| (i * 7919) % 101 - 50).collect();
    let ts: Vec<Option<i64>> = (0..n as i64)
        .map(|i| (i != 2).then_some(i / rows_per_ts * 1_000_000))
        .collect();
    let a: Vec<Option<f64>> = (0..n)
        .map(|i| (i % 17 != 0).then_some(v[i] as f64))
        .collect();
    let cols: Vec<(&str, ArrayRef)> = vec![
        (
            "p",
            Arc::new(Int32Array::from_iter_values((0..n as i32).map(|i| i % 3))),
        ),
        (
            "ts",
            Arc::new(TimestampMicrosecondArray::from(ts).with_timezone("UTC")),
        ),
        ("a", Arc::new(Float64Array::from(a))),
        (
            "b",
            Arc::new(Float32Array::from_iter_values(v.iter().map(|&x| x as f32))),
        ),
        (
            "c",
            Arc::new(Int32Array::from_iter_values(v.iter().map(|&x| x as i32))),
        ),
        ("d", Arc::new(Int64Array::from(v.clone()))),
        (
            "e",
            Arc::new(Int16Array::from_iter_values(v.iter().map(|&x| x as i16))),
        ),
        (
            "f",
            Arc::new(Float64Array::from_iter_values(v.iter().map(|&x| x as f64))),
        ),
    ];
    let fields: Vec<Field> = cols
        .iter()
        .map(|(name, c)| {
            let dt = if *name == "ts" {
                timestamp_type()
            } else {
                c.data_type().clone()
            };
            Field::new(*name, dt, true)
        })
        .collect();
    let arrays = cols.into_iter().map(|(_, c)| c).collect();
    RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays).unwrap()
}

fn range_stats(batch: RecordBatch) -> RecordBatch {
    let t = Tsdf::new(batch, "ts", &["p"], None).unwrap();
    let metrics = ["a", "b", "c", "d", "e", "f"];
    let opts = RangeStatsOptions {
        cols_to_summarize: Some(metrics.iter().map(|m| m.to_string()).collect()),
        range_back_window_secs: 3.0,
        ..Default::default()
    };
    t.with_range_stats(&opts).unwrap().into_df()
}

/// A column as doubles (`None` = NULL).
fn doubles(b: &RecordBatch, name: &str) -> Vec<Option<f64>> {
    let c = b.column_by_name(name).unwrap_or_else(|| panic!("{name}"));
    let c = cast(c, &DataType::Float64).unwrap();
    let c = c.as_any().downcast_ref::<Float64Array>().unwrap();
    (0..c.len())
        .map(|i| c.is_valid(i).then(|| c.value(i)))
        .collect()
}

fn assert_close(got: &[Option<f64>], want: &[Option<f64>], what: &str) {
    assert_eq!(got.len(), want.len());
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        let ok = match (g, w) {
            (None, None) => true,
            (Some(x), Some(y)) => (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1.0),
            _ => false,
        };
        assert!(ok, "{what} row {i}: {g:?} vs {w:?}");
    }
}

const STATS: [&str; 7] = ["mean", "count", "min", "max", "sum", "stddev", "zscore"];

#[test]
fn every_column_type_gives_the_stats_of_its_values() {
    let out = range_stats(sensors(20_000));
    for m in ["b", "c", "d", "e"] {
        for stat in STATS {
            let want = doubles(&out, &format!("{stat}_f"));
            assert_close(
                &doubles(&out, &format!("{stat}_{m}")),
                &want,
                &format!("{stat}_{m}"),
            );
        }
    }
    // Extremes keep the column's type; sums of integer columns are bigint.
    assert_eq!(
        out.column_by_name("min_b").unwrap().data_type(),
        &DataType::Float32
    );
    assert_eq!(
        out.column_by_name("max_e").unwrap().data_type(),
        &DataType::Int16
    );
    assert_eq!(
        out.column_by_name("sum_c").unwrap().data_type(),
        &DataType::Int64
    );
    let count_a = doubles(&out, "count_a");
    assert!(
        count_a
            .iter()
            .zip(doubles(&out, "count_f"))
            .any(|(a, f)| *a < f)
    );
    let zscore_a = out.column_by_name("zscore_a").unwrap();
    assert!(
        zscore_a.is_null(17)
            && zscore_a
                .as_any()
                .is::<arrow::array::PrimitiveArray<Float64Type>>()
    );
}

#[test]
fn rows_out_of_time_order_give_the_same_stats() {
    same_stats_in_and_out_of_order(sensors(20_000));
}

/// Peer groups (rows of a series with one timestamp) longer than a block of the walk: their
/// rows are stored before the blocks they are in.
#[test]
fn peer_groups_longer_than_a_block_give_the_same_stats() {
    same_stats_in_and_out_of_order(sensors_with(20_000, 7_000));
}

fn same_stats_in_and_out_of_order(batch: RecordBatch) {
    let n = batch.num_rows();
    let reversed = UInt32Array::from_iter_values((0..n as u32).rev());
    let in_order = range_stats(batch.clone());
    let out_of_order = range_stats(take_record_batch(&batch, &reversed).unwrap());
    for m in ["a", "b", "c", "d", "e", "f"] {
        for stat in STATS {
            let name = format!("{stat}_{m}");
            let mut got = doubles(&out_of_order, &name);
            got.reverse();
            assert_close(&got, &doubles(&in_order, &name), &name);
        }
    }
}
