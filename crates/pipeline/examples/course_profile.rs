//! On-CPU time of each flow of the default projects on the course-size data: the first update
//! over the initial load, then the incremental update after `land_more_data`. The machine the
//! benchmarks run on is shared, so this reads the thread's own CPU time
//! (`/proc/thread-self/schedstat`, Linux) rather than the wall clock.
//!
//! `cargo run --release -p pipeline --example course_profile [python|sql]`

use std::cell::RefCell;
use std::rc::Rc;

use datagen::{Batch, Preset, Volume as Landing, generate_and_land};
use pipeline::engine::{self, FlowReport, FlowStatus, UpdateOptions};
use pipeline::state::State;
use pipeline::volume::MemoryVolume;
use pipeline::{BundleOptions, Project};

/// The course figures use seed 1.
const SEED: u64 = 1;

/// Nanoseconds this thread has run on a CPU (0 where schedstat is unavailable).
fn cpu_nanos() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|n| n.parse().ok()))
        .unwrap_or(0)
}

fn land(volume: &mut MemoryVolume, batch: Batch) {
    let target = Landing::new("default", "iot_anomaly_detection").expect("valid names");
    let (_, landing) =
        generate_and_land(&Preset::Course.config(), SEED, batch, &target).expect("generates");
    for file in landing.files {
        volume.insert(&file.path, file.bytes);
    }
}

/// Run one update, printing each flow's CPU time; returns the whole update's CPU time (ms).
fn timed_update(project: &Project, state: &mut State, volume: &MemoryVolume, label: &str) -> f64 {
    let (_, mut pipelines) =
        pipeline::load(project, &BundleOptions::default()).expect("default project loads");
    let p = pipelines.remove(0);
    let started = Rc::new(RefCell::new(0u64));
    let lines = Rc::new(RefCell::new(Vec::new()));
    let (s, l) = (started.clone(), lines.clone());
    let progress = Box::new(move |report: &FlowReport| match report.status {
        FlowStatus::Running => *s.borrow_mut() = cpu_nanos(),
        _ => {
            let ms = (cpu_nanos() - *s.borrow()) as f64 / 1e6;
            l.borrow_mut().push(format!(
                "  {:<18} {:>8.1} ms  {:>7} rows  {}",
                report.dataset,
                ms,
                report.rows_written,
                report.strategy.map(|s| s.as_str()).unwrap_or("")
            ));
        }
    });
    let options = UpdateOptions {
        progress: Some(progress),
        ..UpdateOptions::default()
    };
    let before = cpu_nanos();
    engine::update(&p, state, volume, options).expect("update succeeds");
    let total = (cpu_nanos() - before) as f64 / 1e6;
    println!("{label}: {total:.1} ms CPU");
    for line in lines.borrow().iter() {
        println!("{line}");
    }
    total
}

fn main() {
    let which = std::env::args().nth(1).unwrap_or_else(|| "python".into());
    let project = match which.as_str() {
        "sql" => pipeline::projects::iot_sql(),
        _ => pipeline::projects::iot_python(),
    };
    let mut volume = MemoryVolume::new();
    land(&mut volume, Batch::Initial);
    let mut state = State::new();
    let first = timed_update(&project, &mut state, &volume, "first update");
    land(&mut volume, Batch::Increment(1));
    let incremental = timed_update(&project, &mut state, &volume, "incremental update");
    println!(
        "{which}: first {first:.0} ms, incremental {incremental:.0} ms ({:.0} %)",
        100.0 * incremental / first
    );
}
