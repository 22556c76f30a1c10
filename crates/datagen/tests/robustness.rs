//! Any config that validates generates and lands without panicking, and keeps the invariants.

mod common;

use common::{data_files, parse_csv, volume};
use datagen::{
    Batch, DefectOutcome, DirtyConfig, GeneratorConfig, IntRange, Preset, SpillOver, Timestamp,
    TripDrift, generate, land,
};
use proptest::prelude::*;

const DAY: i64 = 86_400_000_000;

fn config_strategy() -> impl Strategy<Value = GeneratorConfig> {
    (
        (1i64..3_000, 1i64..8, 0i64..60, 0i64..86_400),
        (1i64..60, 0i64..400, 1i64..500),
        (0usize..30, 0usize..12, 1usize..6, 1usize..4),
        (any::<bool>(), any::<bool>(), any::<bool>(), 0.0f64..0.2),
    )
        .prop_map(|(sizes, bursts, lags, flags)| {
            let (rows, devices, days, start_second) = sizes;
            let (min_length, extra, split_below) = bursts;
            let (lag_rows, airflow_lag, sensor_files, inspection_files) = lags;
            let (seasonal, fixes, markers, malformed) = flags;
            let mut c = Preset::Tiny.config();
            let start = Timestamp::from_civil(2023, 3, 1, 0, 0, 0).0 + start_second * 1_000_000;
            c.initial.num_rows = IntRange {
                min: rows,
                max: rows + 10,
            };
            c.initial.num_devices = IntRange {
                min: devices,
                max: devices,
            };
            c.initial.start = Timestamp(start);
            c.initial.end = Timestamp(start + days * DAY);
            c.initial.seasonal = seasonal;
            c.bursts.min_length = min_length;
            c.bursts.max_length = min_length + extra;
            c.bursts.split_below = split_below;
            c.defects.lag_rows = lag_rows;
            c.airflow_lag = airflow_lag;
            c.landing.sensor_files = sensor_files;
            c.landing.inspection_files = inspection_files;
            c.landing.success_markers = markers;
            if fixes {
                c.trip_temperature.drift = TripDrift::Intuitive;
                c.spill_over = SpillOver::CarryLastDay;
                c.defects.outcome = DefectOutcome::Bernoulli;
            }
            c.dirty = DirtyConfig {
                malformed_rows: malformed,
                schema_drift: seasonal,
                duplicate_files: markers,
                empty_files: fixes,
                header_only_file: !fixes,
            };
            c
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    #[test]
    fn prop_valid_configs_generate_and_land(config in config_strategy(), seed in any::<u64>()) {
        config.validate().unwrap();
        let data = generate(&config, seed, Batch::Initial).unwrap();
        let r = &data.readings;
        prop_assert_eq!(r.len(), data.num_rows);
        let mut covered = 0;
        for device in &data.devices {
            prop_assert_eq!(device.rows.start, covered);
            covered = device.rows.end;
            let rows = device.rows.clone();
            prop_assert_eq!(r.trip_id[rows.start], 1);
            for i in rows.start + 1..rows.end {
                prop_assert!(r.timestamp[i] >= r.timestamp[i - 1]);
                prop_assert!(r.trip_id[i] - r.trip_id[i - 1] <= 1);
            }
        }
        prop_assert_eq!(covered, r.len());
        let finite = |x: &f64| x.is_finite();
        prop_assert!(r.temperature.iter().all(finite) && r.air_pressure.iter().all(finite));
        prop_assert!(r.airflow_rate.iter().all(finite) && r.rotation_speed.iter().all(finite));
        prop_assert!(r.defect.iter().all(|&d| d <= 2));

        let landing = land(&data, &config, &volume()).unwrap();
        let landed_rows: usize = data_files(&landing, "sensor_bronze")
            .iter()
            .filter(|f| !f.bytes.is_empty())
            .map(|f| parse_csv(&f.bytes).rows.len())
            .sum();
        let duplicated = if config.dirty.duplicate_files {
            parse_csv(&data_files(&landing, "sensor_bronze")[0].bytes).rows.len()
        } else {
            0
        };
        prop_assert_eq!(landed_rows, r.len() + duplicated);
        prop_assert!(landing.files.iter().all(|f| f.path.starts_with("/Volumes/default/")));
    }
}
