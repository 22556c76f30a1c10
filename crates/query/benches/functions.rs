//! Throughput of the scalar kernels the SQL functions run on, over 1 M rows: the
//! comparisons and arithmetic of filters and projections, ANSI casts, date truncation and
//! string matching. Run with `cargo bench -p query --bench functions`.

use std::hint::black_box;
use std::sync::Arc;

use arrow::array::{
    ArrayRef, Float32Array, Float64Array, Int32Array, StringArray, TimestampMicrosecondArray,
};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use query::SparkType;
use query::functions::cast::{CastMode, cast};
use query::functions::{EvalContext, lookup};

/// Rows per benchmark batch: the performance goals are stated for 1 M rows.
const ROWS: usize = 1_000_000;

fn context() -> EvalContext {
    EvalContext {
        now_micros: 1_680_307_200_000_000,
        ..EvalContext::default()
    }
}

fn invoke(name: &str, args: &[ArrayRef]) -> ArrayRef {
    lookup(name)
        .expect("registered")
        .invoke(args, ROWS, &context())
        .expect("evaluates")
}

fn columns() -> (ArrayRef, ArrayRef, ArrayRef, ArrayRef, ArrayRef) {
    let ints: ArrayRef = Arc::new(Int32Array::from_iter_values(
        (0..ROWS).map(|i| (i % 10_000) as i32),
    ));
    let floats: ArrayRef = Arc::new(Float32Array::from_iter_values(
        (0..ROWS).map(|i| 70.0 + (i % 500) as f32 * 0.1),
    ));
    let doubles: ArrayRef = Arc::new(Float64Array::from_iter_values(
        (0..ROWS).map(|i| 100.0 + (i % 1000) as f64 * 0.137),
    ));
    let base = 1_672_531_200_000_000_i64;
    let stamps: ArrayRef = Arc::new(
        TimestampMicrosecondArray::from_iter_values((0..ROWS).map(|i| base + i as i64 * 7_919_000))
            .with_timezone("UTC"),
    );
    let models = [
        "Aero_Pro", "EcoFlow", "aero-s", "hydro 9", "turbo_x1", "turbo_x2",
    ];
    let strings: ArrayRef = Arc::new(StringArray::from_iter_values(
        (0..ROWS).map(|i| models[i % models.len()]),
    ));
    (ints, floats, doubles, stamps, strings)
}

fn repeat_f64(v: f64) -> ArrayRef {
    Arc::new(Float64Array::from(vec![v; ROWS]))
}

fn bench_functions(c: &mut Criterion) {
    let (ints, floats, doubles, stamps, strings) = columns();
    let mut group = c.benchmark_group("functions_1m_rows");
    group.throughput(Throughput::Elements(ROWS as u64));
    group.sample_size(20);

    let widened = cast(
        &floats,
        &SparkType::Float,
        &SparkType::Double,
        CastMode::Ansi,
    )
    .unwrap();
    let threshold = repeat_f64(90.0);
    group.bench_function("gt_double (float column widened vs literal)", |b| {
        b.iter(|| invoke(">", &[black_box(widened.clone()), threshold.clone()]))
    });
    // The filter path of `float_column > 90`: widen the column, then compare.
    group.bench_function("cast_float_then_gt", |b| {
        b.iter(|| {
            let a = cast(
                black_box(&floats),
                &SparkType::Float,
                &SparkType::Double,
                CastMode::Ansi,
            )
            .unwrap();
            invoke(">", &[a, threshold.clone()])
        })
    });
    group.bench_function("cast_float_to_double", |b| {
        b.iter(|| {
            cast(
                black_box(&floats),
                &SparkType::Float,
                &SparkType::Double,
                CastMode::Ansi,
            )
            .unwrap()
        })
    });
    group.bench_function("add_int_checked", |b| {
        b.iter(|| invoke("+", &[black_box(ints.clone()), ints.clone()]))
    });
    group.bench_function("multiply_double", |b| {
        b.iter(|| invoke("*", &[black_box(doubles.clone()), doubles.clone()]))
    });
    let divisor = repeat_f64(60.0);
    group.bench_function("divide_double_checked", |b| {
        b.iter(|| invoke("/", &[black_box(doubles.clone()), divisor.clone()]))
    });
    let unit: ArrayRef = Arc::new(StringArray::from(vec!["hour"; ROWS]));
    group.bench_function("date_trunc_hour", |b| {
        b.iter(|| invoke("date_trunc", &[unit.clone(), black_box(stamps.clone())]))
    });
    let prefix: ArrayRef = Arc::new(StringArray::from(vec!["turbo%"; ROWS]));
    group.bench_function("like_prefix", |b| {
        b.iter(|| invoke("like", &[black_box(strings.clone()), prefix.clone()]))
    });
    let pattern: ArrayRef = Arc::new(StringArray::from(vec!["([a-z]+)_x([0-9])"; ROWS]));
    let group_index: ArrayRef = Arc::new(Int32Array::from(vec![2; ROWS]));
    group.bench_function("regexp_extract", |b| {
        b.iter(|| {
            invoke(
                "regexp_extract",
                &[
                    black_box(strings.clone()),
                    pattern.clone(),
                    group_index.clone(),
                ],
            )
        })
    });
    let digits = cast(&ints, &SparkType::Int, &SparkType::String, CastMode::Ansi).unwrap();
    group.bench_function("cast_string_to_int", |b| {
        b.iter(|| {
            cast(
                black_box(&digits),
                &SparkType::String,
                &SparkType::Int,
                CastMode::Ansi,
            )
            .unwrap()
        })
    });
    group.bench_function("cast_double_to_string", |b| {
        b.iter(|| {
            cast(
                black_box(&doubles),
                &SparkType::Double,
                &SparkType::String,
                CastMode::Ansi,
            )
            .unwrap()
        })
    });
    group.bench_function("cast_double_to_decimal_10_2", |b| {
        b.iter(|| {
            cast(
                black_box(&doubles),
                &SparkType::Double,
                &SparkType::Decimal(10, 2),
                CastMode::Ansi,
            )
            .unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, bench_functions);
criterion_main!(benches);
