//! Prints the clean statistics of course-size datasets next to the spec's reference run (§1.8).
//!
//! `cargo run -p datagen --release --example stats -- 1 2 3` (seeds; default 1).

use std::time::Instant;

use datagen::{Batch, GeneratorConfig, Volume, generate, land};

fn main() {
    let seeds: Vec<u64> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let seeds = if seeds.is_empty() { vec![1] } else { seeds };
    let config = GeneratorConfig::default();
    let volume = Volume::new("default", "iot_anomaly_detection").expect("valid names");
    for seed in seeds {
        for batch in [Batch::Initial, Batch::Increment(1)] {
            let started = Instant::now();
            let data = generate(&config, seed, batch).expect("valid config");
            let generated = started.elapsed();
            let landing = land(&data, &config, &volume).expect("valid config");
            let landed = started.elapsed() - generated;
            let s = &landing.summary;
            println!(
                "## seed {seed}, {batch}: N = {}, D = {}",
                data.num_rows, data.num_devices
            );
            println!(
                "generate {:.0} ms, land {:.0} ms; trips {}, spill-over rows {}, rule matches {:?}",
                generated.as_secs_f64() * 1e3,
                landed.as_secs_f64() * 1e3,
                s.trips,
                data.spill_over_rows,
                data.rule_matches
            );
            println!(
                "defect rows {:?}; inspections {} ({} defects, {} NULL ts); NULL temps {}, negated {}; range {:?}",
                s.defect_rows,
                s.inspections,
                s.inspection_defects,
                s.null_inspection_timestamps,
                s.null_temperatures,
                s.negated_pressures,
                s.time_range.map(|(a, b)| (a.to_string(), b.to_string()))
            );
            let r = &data.readings;
            let hot = r.temperature.iter().filter(|&&t| t > 101.0).count();
            let vib = (0..r.len())
                .filter(|&i| f64::from(r.delay[i]) > 155.0 && r.rotation_speed[i] > 800.0)
                .count();
            let dens = (0..r.len())
                .filter(|&i| f64::from(r.density[i]) > 4.6 && r.air_pressure[i] < 840.0)
                .count();
            println!(
                "clean anomaly clauses: temperature>101 {hot}, delay/rotation {vib}, density/pressure {dens}"
            );
            println!("{}", data.stats());
        }
    }
}
