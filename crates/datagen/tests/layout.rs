//! Volume layout: paths, part names, markers, row order within files.

mod common;

use common::{data_files, parse_csv, parse_ts, volume};
use datagen::{Batch, Preset, SUCCESS_MARKER, Volume, generate_and_land};

#[test]
fn test_paths_part_names_and_markers() {
    let volume = Volume::new("main", "plant_7").expect("valid names");
    let (_, landing) = generate_and_land(&Preset::Tiny.config(), 3, Batch::Initial, &volume)
        .expect("valid config");
    let sensor = data_files(&landing, "sensor_bronze");
    let inspection = data_files(&landing, "inspection_bronze");
    assert_eq!((sensor.len(), inspection.len()), (2, 2));
    for (files, folder) in [
        (&sensor, "sensor_bronze"),
        (&inspection, "inspection_bronze"),
    ] {
        let prefix = format!("/Volumes/main/plant_7/{folder}/");
        let mut ids = Vec::new();
        for (part, file) in files.iter().enumerate() {
            let name = file.path.strip_prefix(&prefix).expect("in its folder");
            let id = name
                .strip_prefix(&format!("part-{part:05}-"))
                .and_then(|rest| rest.strip_suffix("-c000.csv"))
                .expect("Spark's part name");
            assert_eq!(id.len(), 36);
            ids.push(id.to_string());
        }
        // One write job per folder: all parts share its id.
        ids.dedup();
        assert_eq!(ids.len(), 1);
        let marker = landing
            .files
            .iter()
            .find(|f| f.path == format!("{prefix}{SUCCESS_MARKER}"));
        assert!(marker.is_some_and(|m| m.bytes.is_empty()));
    }
    assert_eq!(landing.summary.data_files, 4);
    assert_eq!(landing.summary.marker_files, 2);
    assert_eq!(
        landing.summary.bytes,
        landing.files.iter().map(|f| f.bytes.len()).sum::<usize>()
    );
}

#[test]
fn test_markers_optional() {
    let mut config = Preset::Tiny.config();
    config.landing.success_markers = false;
    let (_, landing) = generate_and_land(&config, 3, Batch::Initial, &volume()).expect("valid");
    assert!(
        landing
            .files
            .iter()
            .all(|f| !f.path.ends_with(SUCCESS_MARKER))
    );
}

#[test]
fn test_sensor_rows_grouped_by_device_in_time_order() {
    let (_, landing) =
        generate_and_land(&Preset::Tiny.config(), 4, Batch::Initial, &volume()).expect("valid");
    let mut previous: Option<(u32, i64)> = None;
    for file in data_files(&landing, "sensor_bronze") {
        for row in parse_csv(&file.bytes).rows {
            let key = (row[0].parse::<u32>().unwrap(), parse_ts(&row[4]));
            if let Some((device, time)) = previous {
                assert!(key.0 > device || (key.0 == device && key.1 + 3_000_000 >= time));
            }
            previous = Some(key);
        }
    }
}

#[test]
fn test_timestamps_iso_millis_utc() {
    let (_, landing) =
        generate_and_land(&Preset::Tiny.config(), 4, Batch::Initial, &volume()).expect("valid");
    let file = &data_files(&landing, "sensor_bronze")[0];
    let csv = parse_csv(&file.bytes);
    let shaped = |t: &str| {
        let b = t.as_bytes();
        b.len() == 24 && b[4] == b'-' && b[10] == b'T' && b[19] == b'.' && b[23] == b'Z'
    };
    assert!(csv.rows.iter().all(|r| shaped(&r[4])));
    // Jitter gives sub-second parts: not all readings land on a whole second.
    assert!(csv.rows.iter().any(|r| !r[4].ends_with(".000Z")));
}
