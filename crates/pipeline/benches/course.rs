//! The course-size default project, natively: the first update over the initial load
//! (≈ 400 k readings) and the incremental update after `land_more_data`.
//!
//! Measured (on-CPU time of the update's thread, `examples/course_profile.rs`, seed 1, 402 960
//! readings then + 8 858; a loaded 2-core machine, so wall-clock figures run higher):
//!
//! | project | first update | incremental | ratio | incremental before PARTITION_OVERWRITE |
//! |---------|--------------|-------------|-------|----------------------------------------|
//! | Python  | 390 ms       | 36 ms       | 9 %   | 88 ms (23 %)                           |
//! | SQL     | 1 020 ms     | 134 ms      | 13 %  | 495 ms (51 %)                          |
//!
//! Of the first update, reading the CSV files takes ≈ 290 ms in both projects; the rest is
//! `inspection_silver` (Python ≈ 80 ms through the tsdf kernels, SQL ≈ 500 ms through window
//! queries whose sorts on four-column string keys dominate). The incremental update now
//! recomputes `inspection_silver` only for the devices that received readings.

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use datagen::{Batch, Preset, Volume as Landing, generate_and_land};
use pipeline::engine::{self, UpdateOptions};
use pipeline::pipeline::Pipeline;
use pipeline::state::State;
use pipeline::volume::MemoryVolume;
use pipeline::{BundleOptions, Project};

/// The course figures use seed 1.
const SEED: u64 = 1;

fn land(volume: &mut MemoryVolume, batch: Batch) {
    let target = Landing::new("default", "iot_anomaly_detection").expect("valid names");
    let (_, landing) =
        generate_and_land(&Preset::Course.config(), SEED, batch, &target).expect("generates");
    for file in landing.files {
        volume.insert(&file.path, file.bytes);
    }
}

fn pipeline_of(project: &Project) -> Pipeline {
    let (_, mut pipelines) =
        pipeline::load(project, &BundleOptions::default()).expect("default project loads");
    pipelines.remove(0)
}

fn bench(c: &mut Criterion) {
    let mut initial = MemoryVolume::new();
    land(&mut initial, Batch::Initial);
    let mut both = initial.clone();
    land(&mut both, Batch::Increment(1));
    for (name, project) in [
        ("python", pipeline::projects::iot_python()),
        ("sql", pipeline::projects::iot_sql()),
    ] {
        let p = pipeline_of(&project);
        let mut after_first = State::new();
        engine::update(&p, &mut after_first, &initial, UpdateOptions::default())
            .expect("first update");
        let mut group = c.benchmark_group(format!("course_{name}"));
        group.sample_size(10);
        group.bench_function("first_update", |b| {
            b.iter_batched(
                State::new,
                |mut state| {
                    engine::update(&p, &mut state, &initial, UpdateOptions::default())
                        .expect("update")
                },
                BatchSize::LargeInput,
            )
        });
        group.bench_function("incremental_update", |b| {
            b.iter_batched(
                || after_first.clone(),
                |mut state| {
                    engine::update(&p, &mut state, &both, UpdateOptions::default()).expect("update")
                },
                BatchSize::LargeInput,
            )
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
