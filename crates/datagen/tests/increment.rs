//! The incremental batch of §8: January 2024, colder, no season, trip ids restarting, new files.

mod common;

use common::{data_files, rows_of, volume};
use datagen::{Batch, GeneratorConfig, Timestamp, generate_and_land};

#[test]
fn test_increment_shape() {
    let config = GeneratorConfig::default();
    let start = Timestamp::from_civil(2024, 1, 1, 0, 0, 0).0;
    // The last burst may start at 2024-02-01 00:00:00 and run 349 minutes.
    let latest = Timestamp::from_civil(2024, 2, 1, 5, 49, 0).0;
    for seed in [1, 2, 3, 4] {
        let (data, landing) =
            generate_and_land(&config, seed, Batch::Increment(1), &volume()).expect("valid config");
        let r = &data.readings;
        assert!((7_500..=12_500).contains(&r.len()), "{}", r.len());
        assert!((8..=12).contains(&data.num_devices));
        assert!(
            r.device_id
                .iter()
                .all(|&d| (1..=data.num_devices).contains(&d))
        );
        assert!(r.timestamp.iter().all(|&t| (start..=latest).contains(&t)));
        // Trip ids restart at 1 for every device; ≈ 5.5 trips per device.
        for device in &data.devices {
            assert_eq!(r.trip_id[device.rows.start], 1);
            assert!((2..=12).contains(&device.trips), "{}", device.trips);
        }
        // Colder and without season: base mean 30 (spec run: mean 25.4, std 20.2).
        let stats = data.stats();
        assert!(
            (15.0..45.0).contains(&stats.temperature.mean),
            "{}",
            stats.temperature.mean
        );
        assert!(stats.temperature.max < 100.0);
        // 1–3 defects + 28–46 non-defects.
        let defects = landing.inspections.iter().filter(|i| i.defect == 1).count();
        assert!(defects <= 3 && landing.inspections.len() - defects <= 46);
        assert_eq!(rows_of(&landing, "sensor_bronze").len(), r.len());
        assert_eq!(
            data.spill_over_rows, 0,
            "every increment date has a base temperature"
        );
    }
}

#[test]
fn test_increment_files_sit_next_to_initial_ones() {
    let config = GeneratorConfig::default();
    let seed = 5;
    let (_, initial) = generate_and_land(&config, seed, Batch::Initial, &volume()).expect("valid");
    let (_, first) =
        generate_and_land(&config, seed, Batch::Increment(1), &volume()).expect("valid");
    let (_, second) =
        generate_and_land(&config, seed, Batch::Increment(2), &volume()).expect("valid");
    let names = |l: &datagen::Landing| -> Vec<String> {
        ["sensor_bronze", "inspection_bronze"]
            .into_iter()
            .flat_map(|folder| data_files(l, folder))
            .map(|f| f.path.clone())
            .collect()
    };
    let (a, b, c) = (names(&initial), names(&first), names(&second));
    // Same folders …
    let folder = |p: &String| p.rsplit_once('/').map(|(dir, _)| dir.to_string());
    assert!(b.iter().all(|p| a.iter().any(|q| folder(q) == folder(p))));
    // … and no name is reused, so appending never overwrites.
    for name in &b {
        assert!(!a.contains(name) && !c.contains(name), "{name}");
    }
    for name in &c {
        assert!(!a.contains(name), "{name}");
    }
}
