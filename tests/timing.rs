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

/// Lets the browser run its event loop: the test runner polls the page over WebDriver and
/// gives up when the page stays blocked for 20 s, which a whole timing test would exceed.
async fn yield_to_browser() {
    let tick = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .expect("a window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0)
            .expect("setTimeout");
    });
    wasm_bindgen_futures::JsFuture::from(tick)
        .await
        .expect("timer fires");
}

/// Fastest of `RUNS` timed calls of `f`, in milliseconds, after one warm-up call; the
/// browser gets its event loop back between calls.
async fn best_of<T>(mut f: impl FnMut() -> T) -> f64 {
    black_box(f());
    let mut best = f64::INFINITY;
    for _ in 0..RUNS {
        yield_to_browser().await;
        let start = now_ms();
        black_box(f());
        best = best.min(now_ms() - start);
    }
    best
}

fn report(name: &str, rows: usize, ms: f64) {
    let rate = rows as f64 / (ms / 1000.0);
    console_log!(
        "timing {name}: {ms:.1} ms, {rows} rows, {:.2} M rows/s",
        rate / 1e6
    );
}

#[wasm_bindgen_test]
async fn datagen_course_dataset() {
    let config = datagen::Preset::Course.config();
    let volume = datagen::Volume::new("default", "iot_anomaly_detection").unwrap();
    let rows = datagen::generate(&config, 1, datagen::Batch::Initial)
        .unwrap()
        .readings
        .len();
    let generate =
        best_of(|| datagen::generate(&config, 1, datagen::Batch::Initial).unwrap()).await;
    report("datagen generate (course, seed 1)", rows, generate);
    let both = best_of(|| {
        let data = datagen::generate(&config, 1, datagen::Batch::Initial).unwrap();
        datagen::land(&data, &config, &volume).unwrap()
    })
    .await;
    report("datagen generate+land CSV (course, seed 1)", rows, both);
}

#[wasm_bindgen_test]
async fn tsdf_headline_operations() {
    use tsdf::bench_data::{
        DEVICES, RIGHT_ROWS, ROWS, inputs, op_asof, op_ema, op_range_stats, op_resample,
    };
    let (left, right) = inputs(ROWS, DEVICES, RIGHT_ROWS).unwrap();
    report(
        "tsdf asof_join (1 M left, 10 k right)",
        ROWS,
        best_of(|| op_asof(&left, &right).unwrap()).await,
    );
    report(
        "tsdf ema w=30",
        ROWS,
        best_of(|| op_ema(&left).unwrap()).await,
    );
    report(
        "tsdf resample 1 hour mean",
        ROWS,
        best_of(|| op_resample(&left).unwrap()).await,
    );
    report(
        "tsdf range_stats 300 s",
        ROWS,
        best_of(|| op_range_stats(&left).unwrap()).await,
    );
}

/// The course's default project (Python) on course-size data: the first update over the
/// initial load, then the incremental update after `land_more_data`, then the gold query
/// a learner runs over the result. Issue 6's goals: ≤ 1 s and ≤ 20 % of that.
#[wasm_bindgen_test]
async fn pipeline_course_updates_and_gold_query() {
    use pipeline::engine::{self, UpdateOptions};
    use pipeline::state::State;
    use pipeline::volume::MemoryVolume;

    let target = datagen::Volume::new("default", "iot_anomaly_detection").unwrap();
    let config = datagen::Preset::Course.config();
    let land = |volume: &mut MemoryVolume, batch| {
        let (_, landing) = datagen::generate_and_land(&config, 1, batch, &target).unwrap();
        for file in landing.files {
            volume.insert(&file.path, file.bytes);
        }
    };
    let mut initial = MemoryVolume::new();
    land(&mut initial, datagen::Batch::Initial);
    let mut both = initial.clone();
    land(&mut both, datagen::Batch::Increment(1));

    let project = pipeline::projects::iot_python();
    let (_, pipelines) = pipeline::load(&project, &pipeline::BundleOptions::default()).unwrap();
    let course = &pipelines[0];
    let run = |state: &mut State, volume: &MemoryVolume| {
        engine::update(course, state, volume, UpdateOptions::default()).unwrap()
    };

    let mut after_first = State::new();
    run(&mut after_first, &initial);
    let readings = after_first
        .table("default.iot_anomaly_detection.sensor_bronze")
        .map_or(0, |t| t.table.num_rows());
    report(
        "pipeline first update (course, seed 1)",
        readings,
        best_of(|| run(&mut State::new(), &initial)).await,
    );
    report(
        "pipeline incremental update after land_more_data",
        readings,
        best_of(|| run(&mut after_first.clone(), &both)).await,
    );

    let session = query::Session::new(after_first.catalog());
    let gold = "SELECT device_id, factory_id, count(*) AS readings, avg(temperature) AS t, \
                max(air_pressure) AS p FROM default.iot_anomaly_detection.sensor_bronze \
                WHERE air_pressure > 0 GROUP BY ALL ORDER BY readings DESC";
    report(
        "query group-by over sensor_bronze",
        readings,
        best_of(|| session.sql(gold).unwrap()).await,
    );
}

/// Bytes of the wasm instance's linear memory. It only ever grows (freed memory stays with
/// the allocator), so read after a run it is the peak so far.
fn wasm_memory_bytes() -> f64 {
    use wasm_bindgen::JsCast;
    wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .ok()
        .and_then(|m| m.buffer().dyn_into::<js_sys::ArrayBuffer>().ok())
        .map_or(0.0, |b| f64::from(b.byte_length()))
}

fn mib(bytes: f64) -> f64 {
    bytes / (1024.0 * 1024.0)
}

/// Issue 15: the course pipeline's first update on the large preset (1 M readings), goal
/// ≤ 2 s, and the page's peak wasm memory, goal ≤ 512 MiB. `scripts/bench.sh browser` runs
/// this test alone, in a fresh page, so the peak is this test's own; the memory each flow adds
/// says which flow raised it.
#[wasm_bindgen_test]
async fn pipeline_large_first_update_and_peak_memory() {
    use std::cell::RefCell;
    use std::rc::Rc;

    use pipeline::engine::{self, FlowStatus, UpdateOptions};
    use pipeline::state::State;
    use pipeline::volume::MemoryVolume;

    let at_start = wasm_memory_bytes();
    let target = datagen::Volume::new("default", "iot_anomaly_detection").unwrap();
    let config = datagen::Preset::Large.config();
    let (_, landing) =
        datagen::generate_and_land(&config, 1, datagen::Batch::Initial, &target).unwrap();
    let mut volume = MemoryVolume::new();
    let landed_bytes: usize = landing.files.iter().map(|f| f.bytes.len()).sum();
    for file in landing.files {
        volume.insert(&file.path, file.bytes);
    }
    let after_landing = wasm_memory_bytes();
    yield_to_browser().await;

    let project = pipeline::projects::iot_python();
    let (_, pipelines) = pipeline::load(&project, &pipeline::BundleOptions::default()).unwrap();
    let course = &pipelines[0];
    // The first run is the measured one for memory: each flow's time and the memory it added.
    let flows: Rc<RefCell<Vec<(String, f64, f64)>>> = Rc::default();
    let seen = Rc::clone(&flows);
    let (mut last_bytes, mut last_ms) = (wasm_memory_bytes(), now_ms());
    let options = UpdateOptions {
        progress: Some(Box::new(move |flow: &engine::FlowReport| {
            // Between one flow's end and the next one's start the engine reads its inputs
            // (Auto Loader's files): that time is named after the flow it feeds.
            let (bytes, ms) = (wasm_memory_bytes(), now_ms());
            let name = match flow.status {
                FlowStatus::Running => format!("before {}", flow.dataset),
                _ => flow.dataset.clone(),
            };
            seen.borrow_mut()
                .push((name, ms - last_ms, bytes - last_bytes));
            (last_bytes, last_ms) = (bytes, ms);
        })),
        ..UpdateOptions::default()
    };
    let mut state = State::new();
    let start = now_ms();
    engine::update(course, &mut state, &volume, options).unwrap();
    let first_ms = now_ms() - start;
    let flows_ms: f64 = flows.borrow().iter().map(|(_, ms, _)| ms).sum();
    flows
        .borrow_mut()
        .push(("after the flows".into(), first_ms - flows_ms, 0.0));
    let readings = state
        .table("default.iot_anomaly_detection.sensor_bronze")
        .map_or(0, |t| t.table.num_rows());
    drop(state);
    let peak_first = wasm_memory_bytes();
    let best = best_of(|| {
        engine::update(course, &mut State::new(), &volume, UpdateOptions::default()).unwrap()
    })
    .await;
    report(
        "pipeline first update (large, seed 1; goal <= 2000 ms)",
        readings,
        best,
    );
    console_log!(
        "timing peak wasm memory, large first update: {:.0} MiB (goal <= 512 MiB); at start \
         {:.0} MiB, after landing {:.0} MiB of CSV {:.0} MiB, after the first (cold, \
         {first_ms:.0} ms) run {:.0} MiB",
        mib(wasm_memory_bytes()),
        mib(at_start),
        mib(after_landing),
        mib(landed_bytes as f64),
        mib(peak_first),
    );
    let flows: Vec<String> = flows
        .borrow()
        .iter()
        .map(|(flow, ms, bytes)| format!("{flow} {ms:.0} ms +{:.0} MiB", mib(*bytes)))
        .collect();
    console_log!("timing per flow (large, first run): {}", flows.join(", "));
}
