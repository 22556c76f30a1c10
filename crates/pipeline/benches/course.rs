//! The course-size default project, natively: the first update over the initial load
//! (≈ 400 k readings) and the incremental update after `land_more_data`.
//!
//! Measured (on-CPU time of the update's thread, `examples/course_profile.rs`, seed 1, 402 960
//! readings then + 8 858; a loaded 2-core machine, so wall-clock figures run higher):
//!
//! | project | first update | incremental | `inspection_silver` (first) |
//! |---------|--------------|-------------|-----------------------------|
//! | Python  | 780–920 ms   | 70–86 ms    | 134–140 ms                  |
//! | SQL     | 980–1 130 ms | 118–127 ms  | 320–450 ms                  |
//!
//! The SQL project was 1 990 ms before its schema hints stopped type inference of the hinted
//! columns (a third of its first update), and window sorts, group keys, lag and COALESCE got
//! their faster paths. Reading the CSV files is most of both first updates; the rest of the
//! gap is `inspection_silver`: the Tempo kernels in Python against window queries in SQL
//! (two window sorts, an hourly GROUP BY over five keys, five lags under COALESCE).

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
