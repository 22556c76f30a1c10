//! Runs one of the four benchmark operations a few times and prints its on-CPU time, for
//! profilers (`valgrind --tool=callgrind`) and quick before/after checks on a busy machine.
//!
//! `cargo build -p tsdf --profile bench --example time_op`, then
//! `time_op <asof|ema|resample|range_stats> [runs]`.

use std::hint::black_box;

use tsdf::bench_data::{
    DEVICES, RIGHT_ROWS, ROWS, inputs, op_asof, op_ema, op_range_stats, op_resample,
};

/// Nanoseconds this thread has run on a CPU (Linux `schedstat`).
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

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let op = args.next().unwrap_or_else(|| "range_stats".into());
    let runs: u32 = args.next().map_or(Ok(3), |r| r.parse())?;
    let (left, right) = inputs(ROWS, DEVICES, RIGHT_ROWS)?;
    let once = || -> tsdf::Result<()> {
        let out = match op.as_str() {
            "asof" => op_asof(&left, &right)?,
            "ema" => op_ema(&left)?,
            "resample" => op_resample(&left)?,
            _ => op_range_stats(&left)?,
        };
        drop(black_box(out));
        Ok(())
    };
    let mut best = f64::INFINITY;
    let mut total = 0.0;
    let faults0 = thread_minor_faults().unwrap_or(0);
    for _ in 0..runs.max(1) {
        let before = thread_cpu_ns().unwrap_or(0);
        once()?;
        let secs = thread_cpu_ns().unwrap_or(0).saturating_sub(before) as f64 / 1e9;
        best = best.min(secs);
        total += secs;
    }
    let mean = total / f64::from(runs.max(1));
    let faults =
        thread_minor_faults().unwrap_or(0).saturating_sub(faults0) / u64::from(runs.max(1));
    println!(
        "{op}: on-CPU mean {mean:.4} s, best {best:.4} s per call ({:.0} rows/s at best), \
         {faults} page faults per call",
        ROWS as f64 / best
    );
    Ok(())
}
