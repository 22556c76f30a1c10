//! Course-size datasets against the spec's reference run (§1.8) and landing rules (§1.7).
//!
//! Tolerances: the spec gives one reference run and says rotation, delay, density, airflow and
//! pressure are stable across runs while the temperature tail varies. We generated 24 further
//! seeds (100–123, not the seeds tested here) and set every tolerance to 1.5 × the largest
//! deviation from the spec's value seen among them (never below the spec's printed rounding).
//! For example rotation p95 ranged 566–589 against the spec's 592, so its tolerance is 40;
//! temperature p1 ranged 2.5–21 against 14.5, so its tolerance is 18.

mod common;

use common::{SEEDS, course, data_files, parse_csv, parse_ts, rows_of};
use datagen::{ColumnStats, INSPECTION_HEADER, SENSOR_HEADER, factory_of, model_of};

/// (spec value, tolerance) for mean, std, p1, p5, p50, p95, p99.
type Expected = [(f64, f64); 7];

const TEMPERATURE: Expected = [
    (59.5, 7.0),
    (17.6, 2.5),
    (14.5, 18.0),
    (30.2, 12.0),
    (59.8, 5.0),
    (87.1, 9.0),
    (97.6, 15.0),
];
const AIR_PRESSURE: Expected = [
    (914.0, 20.0),
    (71.0, 8.0),
    (766.0, 25.0),
    (795.0, 22.0),
    (913.0, 22.0),
    (1029.0, 25.0),
    (1067.0, 30.0),
];
const ROTATION: Expected = [
    (212.0, 9.0),
    (187.0, 12.0),
    (3.0, 0.2),
    (15.0, 0.8),
    (159.0, 4.0),
    (592.0, 40.0),
    (850.0, 60.0),
];
const DELAY: Expected = [
    (21.1, 0.4),
    (20.7, 0.6),
    (0.23, 0.025),
    (1.12, 0.04),
    (14.8, 0.25),
    (62.9, 1.3),
    (94.7, 3.2),
];
const DENSITY: Expected = [
    (1.49, 0.01),
    (1.14, 0.01),
    (0.022, 0.0015),
    (0.11, 0.005),
    (1.22, 0.01),
    (3.75, 0.02),
    (4.47, 0.03),
];
const AIRFLOW: Expected = [
    (0.228, 0.012),
    (0.206, 0.019),
    (0.0033, 0.0005),
    (0.017, 0.0014),
    (0.167, 0.0055),
    (0.647, 0.055),
    (0.940, 0.095),
];

fn check_column(seed: u64, name: &str, got: &ColumnStats, expected: &Expected) {
    let values = [got.mean, got.std, got.p1, got.p5, got.p50, got.p95, got.p99];
    let labels = ["mean", "std", "p1", "p5", "p50", "p95", "p99"];
    for ((value, (spec, tolerance)), label) in values.iter().zip(expected).zip(labels) {
        assert!(
            (value - spec).abs() <= *tolerance,
            "seed {seed}: {name} {label} = {value}, spec {spec} ± {tolerance}"
        );
    }
}

#[test]
fn test_column_statistics_match_reference_run() {
    for (i, seed) in SEEDS.into_iter().enumerate() {
        let (data, _) = course(i);
        assert!((390_000..=410_000).contains(&data.readings.len()));
        assert!((58..=62).contains(&data.num_devices));
        let s = data.stats();
        check_column(seed, "temperature", &s.temperature, &TEMPERATURE);
        check_column(seed, "air_pressure", &s.air_pressure, &AIR_PRESSURE);
        check_column(seed, "rotation_speed", &s.rotation_speed, &ROTATION);
        check_column(seed, "delay", &s.delay, &DELAY);
        check_column(seed, "density", &s.density, &DENSITY);
        check_column(seed, "airflow_rate", &s.airflow_rate, &AIRFLOW);
        assert!(s.rotation_speed.min >= 0.0 && s.delay.min >= 0.0 && s.density.min >= 0.0);
        // Only spill-over rows have zero pressure; the rest lie near 700–1150.
        assert!(s.air_pressure.min >= 0.0 && s.air_pressure.max < 1250.0);
        assert!(s.temperature.max < 125.0 && s.temperature.min > -40.0);
    }
}

#[test]
fn test_monthly_profiles() {
    // §1.8: monthly mean temperature Jan 35 … Jun/Jul 80 … Dec 33; over 24 seeds the largest
    // deviation of any month was 9, hence ± 12.
    const SPEC: [f64; 12] = [
        35.0, 51.0, 56.0, 65.0, 73.0, 80.0, 80.0, 73.0, 61.0, 55.0, 49.0, 33.0,
    ];
    for i in 0..SEEDS.len() {
        let monthly = course(i).0.stats().monthly;
        let year: Vec<_> = monthly.iter().filter(|m| m.year == 2023).collect();
        assert_eq!(year.len(), 12);
        for (m, spec) in year.iter().zip(SPEC) {
            assert!(
                (m.temperature - spec).abs() <= 12.0,
                "month {}: {}",
                m.month,
                m.temperature
            );
        }
        let (jan, jul, dec) = (year[0], year[6], year[11]);
        assert!(
            jul.temperature > jan.temperature + 30.0 && jul.temperature > dec.temperature + 30.0
        );
        // Pressure moves inversely (963 → 871 → 971).
        assert!(
            jan.air_pressure > jul.air_pressure + 50.0
                && dec.air_pressure > jul.air_pressure + 50.0
        );
        // Density rises over the devices' lifetime: ≈ 0.6 in January, ≈ 3.3 in December.
        assert!((jan.density - 0.6).abs() < 0.1, "{}", jan.density);
        assert!((dec.density - 3.3).abs() < 0.25, "{}", dec.density);
    }
}

#[test]
fn test_defect_labels_and_rule_counts() {
    for i in 0..SEEDS.len() {
        let (data, _) = course(i);
        let n = data.readings.len() as f64;
        let [_, ones, twos] = data.defect_counts();
        // Spec: 1s 8 450–9 260, 2s 3 300–5 030 of ≈ 396 000; our 24 seeds 1.7–2.5 % / 0.8–1.3 %.
        assert!((0.013..0.030).contains(&(ones as f64 / n)), "{ones}");
        assert!((0.005..0.017).contains(&(twos as f64 / n)), "{twos}");
        // Reference first-matching rule counts: 1 720, 165, 205, 11 366, 2.
        let m = &data.rule_matches;
        assert!((1_200..2_700).contains(&m[0]), "{m:?}");
        assert!((50..320).contains(&m[1]), "{m:?}");
        assert!((100..400).contains(&m[2]), "{m:?}");
        assert!((8_500..13_000).contains(&m[3]), "{m:?}");
        assert!(m[4] < 150, "{m:?}");
        // "About a quarter to a half of the devices end up with no defect = 1 rows at all."
        let clean = data
            .devices
            .iter()
            .filter(|d| !data.readings.defect[d.rows.clone()].contains(&1))
            .count() as f64
            / data.devices.len() as f64;
        assert!((0.15..0.6).contains(&clean), "{clean}");
        // The lag: no device has a label in its first 20 readings.
        assert!(data.devices.iter().all(|d| {
            data.readings.defect[d.rows.start..d.rows.start + 20]
                .iter()
                .all(|&x| x == 0)
        }));
    }
}

#[test]
fn test_trips_are_device_days() {
    let (data, _) = course(0);
    let r = &data.readings;
    // Spec: ≈ 40 trips per device (31–46), rows per trip mean ≈ 170.
    let per_device = data.total_trips() as f64 / data.devices.len() as f64;
    assert!((32.0..48.0).contains(&per_device), "{per_device}");
    for d in &data.devices {
        let rows = d.rows.clone();
        assert_eq!(r.trip_id[rows.start], 1);
        assert_eq!(r.trip_id[rows.end - 1], d.trips);
        for i in rows.start + 1..rows.end {
            let same_day = r.timestamp[i] / 86_400_000_000 == r.timestamp[i - 1] / 86_400_000_000;
            assert_eq!(r.trip_id[i], r.trip_id[i - 1] + u32::from(!same_day));
            assert!(r.timestamp[i] >= r.timestamp[i - 1]);
        }
    }
}

#[test]
fn test_sensor_files_format_and_corruption_rates() {
    let (data, landing) = course(0);
    let r = &data.readings;
    let files = data_files(landing, "sensor_bronze");
    assert_eq!(files.len(), 4);
    let mut rows = Vec::new();
    for file in &files {
        let csv = parse_csv(&file.bytes);
        assert_eq!(csv.header.join(","), SENSOR_HEADER);
        rows.extend(csv.rows);
    }
    assert_eq!(rows.len(), r.len());
    let (mut null_t, mut non_positive_p, mut negated, mut jitter_sum) = (0, 0, 0, 0i64);
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row.len(), 11);
        let device: u32 = row[0].parse().unwrap();
        assert_eq!(device, r.device_id[i]);
        assert_eq!(row[1].parse::<u32>().unwrap(), r.trip_id[i]);
        assert_eq!(
            (row[2].as_str(), row[3].as_str()),
            (factory_of(device), model_of(device))
        );
        let jitter = parse_ts(&row[4]) - r.timestamp[i];
        // + 3 s · U, written with milliseconds truncated.
        assert!((0..=3_000_000).contains(&jitter), "{jitter}");
        jitter_sum += jitter;
        assert_eq!(row[5].parse::<f64>().unwrap(), r.airflow_rate[i]);
        assert_eq!(row[6].parse::<f64>().unwrap(), r.rotation_speed[i]);
        let pressure: f64 = row[7].parse().unwrap();
        if pressure != r.air_pressure[i] {
            assert_eq!(pressure, -r.air_pressure[i]);
            negated += 1;
        }
        non_positive_p += usize::from(pressure <= 0.0);
        if row[8].is_empty() {
            null_t += 1;
        } else {
            assert_eq!(row[8].parse::<f64>().unwrap(), r.temperature[i]);
        }
        // float32 columns round-trip as f32.
        assert_eq!(row[9].parse::<f32>().unwrap(), r.delay[i]);
        assert_eq!(row[10].parse::<f32>().unwrap(), r.density[i]);
    }
    let n = rows.len() as f64;
    // Binomial std-devs at n ≈ 400 000 are ≤ 0.05 %; the bands are several of them wide.
    assert!((null_t as f64 / n - 0.10).abs() < 0.003, "{null_t}");
    assert!((negated as f64 / n - 0.05).abs() < 0.002, "{negated}");
    // "≈ 5 % of readings fail air_pressure > 0": negated ones plus zero spill-over rows.
    assert!(
        (non_positive_p as f64 / n - 0.05).abs() < 0.003,
        "{non_positive_p}"
    );
    assert_eq!(landing.summary.null_temperatures, null_t);
    // Mean jitter 1.5 s (minus the 0.5 ms truncation).
    assert!((jitter_sum as f64 / n - 1_499_500.0).abs() < 10_000.0);
}

#[test]
fn test_inspections_sample_delay_and_nulls() {
    for i in 0..SEEDS.len() {
        let (data, landing) = course(i);
        let q = 0.004 * data.readings.len() as f64;
        let (want_defects, want_fine) = ((q / 16.0) as usize, (15.0 * q / 16.0) as usize);
        let records = &landing.inspections;
        assert_eq!(records.len(), want_defects + want_fine);
        // Defects first, then non-defects; 2s never sampled; no row sampled twice.
        assert!(records[..want_defects].iter().all(|r| r.defect == 1));
        assert!(records[want_defects..].iter().all(|r| r.defect == 0));
        let mut sampled: Vec<usize> = records.iter().map(|r| r.row).collect();
        sampled.sort_unstable();
        sampled.dedup();
        assert_eq!(sampled.len(), records.len());
        let mut nulls = 0;
        for record in records {
            assert_eq!(data.readings.defect[record.row], record.defect);
            assert_eq!(data.readings.timestamp[record.row], record.reading_time);
            match record.timestamp {
                Some(t) => {
                    let delay = t - record.reading_time;
                    assert!(
                        (4 * 3_600_000_000..=6 * 3_600_000_000).contains(&delay),
                        "{delay}"
                    );
                }
                None => nulls += 1,
            }
        }
        // ≈ 5 % NULL: for 1 600 inspections the std-dev is ≈ 9 rows.
        assert!((40..=125).contains(&nulls), "{nulls}");
        // The files say the same.
        let rows = rows_of(landing, "inspection_bronze");
        assert_eq!(rows.len(), records.len());
        for (row, record) in rows.iter().zip(records) {
            assert_eq!(row[0], if record.defect == 1 { "1.0" } else { "0.0" });
            assert_eq!(row[1].is_empty(), record.timestamp.is_none());
            if let Some(t) = record.timestamp {
                assert_eq!(parse_ts(&row[1]), t - t % 1000);
            }
            assert_eq!(row[2], record.device_id.to_string());
        }
        for file in data_files(landing, "inspection_bronze") {
            assert_eq!(parse_csv(&file.bytes).header.join(","), INSPECTION_HEADER);
        }
    }
}

#[test]
fn test_kept_inspections_give_the_reference_gold_shape() {
    // The pipeline keeps inspections with a timestamp (ref-run 1 496 of 1 584) and its gold
    // table has one row per (device, factory, model, defect) among them (ref-run 93, "≈ 90–100").
    // Over 16 further seeds we saw 1 479–1 553 kept and 88–105 groups.
    for i in 0..SEEDS.len() {
        let (_, landing) = course(i);
        let kept: Vec<_> = landing
            .inspections
            .iter()
            .filter(|r| r.timestamp.is_some())
            .collect();
        assert!((1_400..=1_620).contains(&kept.len()), "{}", kept.len());
        let mut groups: Vec<(u32, u8)> = kept.iter().map(|r| (r.device_id, r.defect)).collect();
        groups.sort_unstable();
        groups.dedup();
        assert!((80..=115).contains(&groups.len()), "{}", groups.len());
    }
}
