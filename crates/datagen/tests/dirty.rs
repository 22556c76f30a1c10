//! Dirty-data knobs: each one does what its name says, and nothing when off.

mod common;

use common::{data_files, parse_csv, volume};
use datagen::{
    Batch, DRIFT_COLUMN, DirtyConfig, INSPECTION_HEADER, Landing, Preset, SENSOR_HEADER, Timestamp,
    generate_and_land,
};

fn land_with(knobs: &[&str], batch: Batch) -> Landing {
    let mut config = Preset::Tiny.config();
    config.dirty = DirtyConfig::parse_knobs(knobs).expect("valid knobs");
    generate_and_land(&config, 11, batch, &volume())
        .expect("valid config")
        .1
}

/// Whether a sensor row would load cleanly with the hinted types.
fn sensor_row_is_clean(fields: &[&str]) -> bool {
    let number = |f: &str| f.is_empty() || f.parse::<f64>().is_ok();
    fields.len() == 11
        && fields[0].parse::<u32>().is_ok()
        && fields[1].parse::<u32>().is_ok()
        && fields[4].len() == 24
        && fields[4][..19].parse::<Timestamp>().is_ok()
        && fields[5..].iter().all(|f| number(f))
}

#[test]
fn test_no_knobs_means_clean_files() {
    let landing = land_with(&[], Batch::Initial);
    assert_eq!(landing.summary.malformed_rows, 0);
    for file in data_files(&landing, "sensor_bronze") {
        let text = std::str::from_utf8(&file.bytes).unwrap();
        assert!(
            text.lines()
                .skip(1)
                .all(|l| sensor_row_is_clean(&l.split(',').collect::<Vec<_>>()))
        );
    }
}

#[test]
fn test_malformed_rows_rate() {
    let landing = land_with(&["malformed-rows=0.05"], Batch::Initial);
    let (mut broken, mut total) = (0, 0);
    for file in data_files(&landing, "sensor_bronze") {
        let text = std::str::from_utf8(&file.bytes).unwrap();
        for line in text.lines().skip(1) {
            total += 1;
            broken += usize::from(!sensor_row_is_clean(&line.split(',').collect::<Vec<_>>()));
        }
    }
    // 5 % of ≈ 20 000 rows: ≈ 1 000 ± 31.
    let share = broken as f64 / total as f64;
    assert!((share - 0.05).abs() < 0.006, "{share}");
    let inspections = landing.summary.inspections;
    assert!(
        landing.summary.malformed_rows >= broken
            && landing.summary.malformed_rows <= broken + inspections
    );
}

#[test]
fn test_schema_drift_in_later_files() {
    let drift_header = format!("{SENSOR_HEADER},{DRIFT_COLUMN}");
    let initial = land_with(&["schema-drift"], Batch::Initial);
    let headers: Vec<String> = data_files(&initial, "sensor_bronze")
        .iter()
        .map(|f| parse_csv(&f.bytes).header.join(","))
        .collect();
    assert_eq!(headers[0], SENSOR_HEADER);
    assert!(
        headers.len() >= 2 && headers[1..].iter().all(|h| *h == drift_header),
        "{headers:?}"
    );
    let increment = land_with(&["schema-drift"], Batch::Increment(1));
    for file in data_files(&increment, "sensor_bronze") {
        let csv = parse_csv(&file.bytes);
        assert_eq!(csv.header.join(","), drift_header);
        for row in &csv.rows {
            let humidity: f64 = row[11].parse().expect("humidity is a number");
            assert!((0.0..=100.0).contains(&humidity));
        }
    }
    // Inspection files keep their schema.
    for file in data_files(&increment, "inspection_bronze") {
        assert_eq!(parse_csv(&file.bytes).header.join(","), INSPECTION_HEADER);
    }
}

#[test]
fn test_duplicate_empty_and_header_only_files() {
    let clean = land_with(&[], Batch::Initial);
    let dirty = land_with(
        &["duplicate-files", "empty-files", "header-only-file"],
        Batch::Initial,
    );
    for (folder, header) in [
        ("sensor_bronze", SENSOR_HEADER),
        ("inspection_bronze", INSPECTION_HEADER),
    ] {
        let before = data_files(&clean, folder);
        let after = data_files(&dirty, folder);
        assert_eq!(after.len(), before.len() + 3);
        let extra: Vec<_> = after.iter().filter(|f| !before.contains(f)).collect();
        assert_eq!(extra.len(), 3);
        // A second copy of part 0 under another name.
        assert!(
            extra
                .iter()
                .any(|f| f.bytes == before[0].bytes && f.path != before[0].path)
        );
        assert!(extra.iter().any(|f| f.bytes.is_empty()));
        assert!(
            extra
                .iter()
                .any(|f| f.bytes == format!("{header}\n").into_bytes())
        );
        let mut names: Vec<&str> = after.iter().map(|f| f.path.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), after.len(), "names are unique");
    }
}

#[test]
fn test_unknown_knob_lists_valid_names() {
    let err = DirtyConfig::parse_knobs(["schema-drift", "bad-rows"])
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("`bad-rows`") && err.contains("item 2"),
        "{err}"
    );
    for name in [
        "malformed-rows",
        "schema-drift",
        "duplicate-files",
        "empty-files",
        "header-only-file",
    ] {
        assert!(err.contains(name), "{err}");
    }
}
