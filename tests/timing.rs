//! The timing page: the engine's speed goals measured in headless Chromium, in the release
//! profile the app ships with. Prints one line per measurement; asserts nothing about time.
//! Run with `scripts/bench.sh browser` (not part of `scripts/test.sh`: it takes minutes).
#![cfg(target_arch = "wasm32")]

use std::hint::black_box;

use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// Runs each measurement this many times after a warm-up and reports the fastest, as the
/// least disturbed by the browser's other work (GC, timers).
const RUNS: usize = 3;

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or_default()
}

/// Fastest of `RUNS` timed calls of `f`, in milliseconds, after one warm-up call.
fn best_of<T>(mut f: impl FnMut() -> T) -> f64 {
    black_box(f());
    (0..RUNS)
        .map(|_| {
            let start = now_ms();
            black_box(f());
            now_ms() - start
        })
        .fold(f64::INFINITY, f64::min)
}

fn report(name: &str, rows: usize, ms: f64) {
    let rate = rows as f64 / (ms / 1000.0);
    console_log!(
        "timing {name}: {ms:.1} ms, {rows} rows, {:.2} M rows/s",
        rate / 1e6
    );
}

#[wasm_bindgen_test]
fn datagen_course_dataset() {
    let config = datagen::Preset::Course.config();
    let volume = datagen::Volume::new("default", "iot_anomaly_detection").unwrap();
    let rows = datagen::generate(&config, 1, datagen::Batch::Initial)
        .unwrap()
        .readings
        .len();
    let generate = best_of(|| datagen::generate(&config, 1, datagen::Batch::Initial).unwrap());
    report("datagen generate (course, seed 1)", rows, generate);
    let both = best_of(|| {
        let data = datagen::generate(&config, 1, datagen::Batch::Initial).unwrap();
        datagen::land(&data, &config, &volume).unwrap()
    });
    report("datagen generate+land CSV (course, seed 1)", rows, both);
}

#[wasm_bindgen_test]
fn tsdf_headline_operations() {
    use tsdf::bench_data::{
        DEVICES, RIGHT_ROWS, ROWS, inputs, op_asof, op_ema, op_range_stats, op_resample,
    };
    let (left, right) = inputs(ROWS, DEVICES, RIGHT_ROWS).unwrap();
    report(
        "tsdf asof_join (1 M left, 10 k right)",
        ROWS,
        best_of(|| op_asof(&left, &right).unwrap()),
    );
    report("tsdf ema w=30", ROWS, best_of(|| op_ema(&left).unwrap()));
    report(
        "tsdf resample 1 hour mean",
        ROWS,
        best_of(|| op_resample(&left).unwrap()),
    );
    report(
        "tsdf range_stats 300 s",
        ROWS,
        best_of(|| op_range_stats(&left).unwrap()),
    );
}
