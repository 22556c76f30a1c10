//! Generation and landing speed of the course-size dataset.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use datagen::{Batch, Preset, Volume, generate, land};
use std::hint::black_box;

fn bench_course(c: &mut Criterion) {
    let config = Preset::Course.config();
    let volume = Volume::new("default", "iot_anomaly_detection").expect("valid names");
    let rows = generate(&config, 1, Batch::Initial)
        .expect("valid config")
        .readings
        .len();
    let mut group = c.benchmark_group("course");
    group.sample_size(10);
    group.throughput(Throughput::Elements(rows as u64));
    group.bench_function("generate", |b| {
        b.iter(|| generate(black_box(&config), 1, Batch::Initial).expect("valid config"));
    });
    let data = generate(&config, 1, Batch::Initial).expect("valid config");
    group.bench_function("land", |b| {
        b.iter(|| land(black_box(&data), &config, &volume).expect("valid config"));
    });
    group.bench_function("generate_and_land", |b| {
        b.iter(|| {
            let data = generate(black_box(&config), 1, Batch::Initial).expect("valid config");
            land(&data, &config, &volume).expect("valid config")
        });
    });
    group.finish();
}

criterion_group!(benches, bench_course);
criterion_main!(benches);
