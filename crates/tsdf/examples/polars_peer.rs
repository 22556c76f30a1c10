//! The workbook's side of `scripts/bench.sh polars`: writes the benchmark data of
//! `cargo bench -p tsdf` (1 M sensor rows, 100 devices, 10 k inspections) as Arrow IPC files
//! for polars to read, then times the four headline operations single-threaded and prints
//! one JSON line per operation (`op`, `rows`, best `wall_ms` and `cpu_ms` over the runs, and
//! a checksum of one output column that `scripts/polars_peer.py` compares with polars').
//!
//! `cargo run -p tsdf --profile bench --example polars_peer -- <dir> [runs]`.

use std::fs::File;
use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

use arrow::array::{Array, AsArray, RecordBatch};
use arrow::datatypes::{Float64Type, Int64Type};
use arrow::ipc::writer::FileWriter;
use tsdf::Tsdf;
use tsdf::bench_data::{
    DEVICES, RIGHT_ROWS, ROWS, inputs, op_asof, op_ema, op_range_stats, op_resample,
};

/// Nanoseconds this thread has run on a CPU (Linux `schedstat`): on a shared machine wall
/// time also counts waiting for a core.
fn thread_cpu_ns() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    stat.split_whitespace().next()?.parse().ok()
}

fn write_ipc(path: &Path, batch: &RecordBatch) -> Result<(), Box<dyn std::error::Error>> {
    let mut w = FileWriter::try_new(File::create(path)?, &batch.schema())?;
    w.write(batch)?;
    w.finish()?;
    Ok(())
}

/// The sum of the non-NULL values of a double or bigint column of `t` (NaN when absent).
fn checksum(t: &Tsdf, col: &str) -> f64 {
    let Some(c) = t.df().column_by_name(col) else {
        return f64::NAN;
    };
    let valid = |i: usize| c.is_valid(i);
    if let Some(a) = c.as_primitive_opt::<Float64Type>() {
        (0..a.len()).filter(|&i| valid(i)).map(|i| a.value(i)).sum()
    } else if let Some(a) = c.as_primitive_opt::<Int64Type>() {
        (0..a.len())
            .filter(|&i| valid(i))
            .map(|i| a.value(i) as f64)
            .sum()
    } else {
        f64::NAN
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = args.next().ok_or("usage: polars_peer <dir> [runs]")?;
    let runs: u32 = args.next().map_or(Ok(5), |r| r.parse())?;
    let (left, right) = inputs(ROWS, DEVICES, RIGHT_ROWS)?;
    std::fs::create_dir_all(&dir)?;
    write_ipc(&Path::new(&dir).join("sensors.arrow"), left.df())?;
    write_ipc(&Path::new(&dir).join("inspections.arrow"), right.df())?;
    type Op<'a> = Box<dyn Fn() -> tsdf::Result<Tsdf> + 'a>;
    let ops: [(&str, &str, Op<'_>); 4] = [
        (
            "asof_join",
            "right_score",
            Box::new(|| op_asof(&left, &right)),
        ),
        ("ema", "EMA_temp", Box::new(|| op_ema(&left))),
        ("resample", "temp", Box::new(|| op_resample(&left))),
        (
            "range_stats",
            "stddev_temp",
            Box::new(|| op_range_stats(&left)),
        ),
    ];
    for (name, col, op) in &ops {
        let first = op()?;
        let (rows, sum) = (first.num_rows(), checksum(&first, col));
        drop(first);
        let (mut wall, mut cpu) = (f64::INFINITY, f64::INFINITY);
        for _ in 0..runs.max(1) {
            let (c0, t0) = (thread_cpu_ns(), Instant::now());
            drop(black_box(op()?));
            wall = wall.min(t0.elapsed().as_secs_f64() * 1e3);
            if let (Some(a), Some(b)) = (c0, thread_cpu_ns()) {
                cpu = cpu.min((b - a) as f64 / 1e6);
            }
        }
        println!(
            "{{\"op\":\"{name}\",\"rows\":{rows},\"wall_ms\":{wall:.3},\"cpu_ms\":{cpu:.3},\
             \"check_col\":\"{col}\",\"checksum\":{sum}}}"
        );
    }
    Ok(())
}
