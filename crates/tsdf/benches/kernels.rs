//! The four headline operations on 1 M rows / 100 devices / 10 k right rows, with rows/s.
//!
//! Run with `cargo bench -p tsdf`; after criterion's own output the figures print as
//! `<op>: wall <s> per call (<rows/s>), on-CPU <s> per call (<rows/s>), <n> page faults per
//! call`. On-CPU time is what the operation costs single-threaded; wall time also counts
//! waiting for a core on a busy machine.
//!
//! Measured in the full run (`cargo bench -p tsdf --bench kernels`) on the 2-core dev machine
//! shared with other agents (load 2-5; criterion's mean / on-CPU per call): asof join 0.053 /
//! 0.053 s, EMA w=30 0.022 / 0.020 s, 1-hour mean resample 0.012 / 0.0096 s, 300 s range stats
//! of four metrics 0.28 / 0.27 s with 42 k page faults per call (before the range-stats
//! rework, same run conditions: 0.69 / 0.54 s, 58 k faults). Range stats return ~190 MB of new
//! columns; glibc hands blocks that size back to the OS between calls, so a call page-faults
//! most of them in again (~0.1 s in the full run; fewer when the allocator happens to keep
//! them, e.g. 10-20 k faults in `examples/time_op`).

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use tsdf::bench_data::{
    DEVICES, RIGHT_ROWS, ROWS, inputs, op_asof, op_ema, op_range_stats, op_resample,
};

/// Nanoseconds this thread has run on a CPU (Linux `schedstat`), so that figures stay
/// meaningful on a shared machine where wall time includes waiting for a core.
fn thread_cpu_ns() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    stat.split_whitespace().next()?.parse().ok()
}

/// Minor page faults this thread has taken (Linux `/proc/thread-self/stat`, field 10): fresh
/// memory the allocator got from the OS costs one per 4 KiB page touched.
fn thread_minor_faults() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    let after_name = &stat[stat.rfind(')')? + 1..];
    after_name.split_whitespace().nth(7)?.parse().ok()
}

fn report(name: &str, f: &mut dyn FnMut()) {
    const RUNS: u32 = 5;
    f();
    let (cpu0, faults0) = (thread_cpu_ns(), thread_minor_faults());
    let start = Instant::now();
    for _ in 0..RUNS {
        f();
    }
    let secs = start.elapsed().as_secs_f64() / f64::from(RUNS);
    let cpu = thread_cpu_ns()
        .zip(cpu0)
        .map(|(b, a)| (b - a) as f64 / 1e9 / f64::from(RUNS));
    let faults = thread_minor_faults()
        .zip(faults0)
        .map(|(b, a)| (b - a) / u64::from(RUNS));
    print!(
        "{name}: wall {secs:.4} s per call ({:.0} rows/s)",
        ROWS as f64 / secs
    );
    if let Some(c) = cpu {
        print!(", on-CPU {c:.4} s per call ({:.0} rows/s)", ROWS as f64 / c);
    }
    match faults {
        Some(n) => println!(", {n} page faults per call"),
        None => println!(),
    }
}

fn kernels(c: &mut Criterion) {
    let (left, right) = inputs(ROWS, DEVICES, RIGHT_ROWS).expect("bench data");
    let mut group = c.benchmark_group("tsdf_1M_rows");
    group.throughput(Throughput::Elements(ROWS as u64));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(5));
    group.bench_function("asof_join", |b| {
        b.iter(|| black_box(op_asof(&left, &right).expect("asof")))
    });
    group.bench_function("ema_w30", |b| {
        b.iter(|| black_box(op_ema(&left).expect("ema")))
    });
    group.bench_function("resample_1h_mean", |b| {
        b.iter(|| black_box(op_resample(&left).expect("resample")))
    });
    group.bench_function("range_stats_300s", |b| {
        b.iter(|| black_box(op_range_stats(&left).expect("range stats")))
    });
    group.finish();
    report("asof_join", &mut || {
        drop(black_box(op_asof(&left, &right).expect("asof")))
    });
    report("ema_w30", &mut || {
        drop(black_box(op_ema(&left).expect("ema")))
    });
    report("resample_1h_mean", &mut || {
        drop(black_box(op_resample(&left).expect("resample")))
    });
    report("range_stats_300s", &mut || {
        drop(black_box(op_range_stats(&left).expect("range stats")))
    });
}

criterion_group!(benches, kernels);
criterion_main!(benches);
