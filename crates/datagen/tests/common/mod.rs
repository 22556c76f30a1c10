//! Shared helpers of the integration tests: cached course-size datasets and a tiny CSV reader.
#![allow(dead_code)] // each test binary uses a different subset

use std::sync::OnceLock;

use datagen::{Batch, Dataset, GeneratorConfig, Landing, Timestamp, Volume, generate, land};

/// Seeds of the statistical tests (none of them was used to choose the tolerances).
pub const SEEDS: [u64; 3] = [1, 2, 3];

/// The default project's volume.
pub fn volume() -> Volume {
    Volume::new("default", "iot_anomaly_detection").expect("valid names")
}

/// Course-size initial load of `SEEDS[i]`, generated and landed once per test binary.
pub fn course(i: usize) -> &'static (Dataset, Landing) {
    static CACHE: [OnceLock<(Dataset, Landing)>; 3] =
        [OnceLock::new(), OnceLock::new(), OnceLock::new()];
    CACHE[i].get_or_init(|| {
        let config = GeneratorConfig::default();
        let data = generate(&config, SEEDS[i], Batch::Initial).expect("valid config");
        let landing = land(&data, &config, &volume()).expect("valid config");
        (data, landing)
    })
}

/// A parsed CSV file: header fields and rows of fields.
pub struct Csv {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// Reads our unquoted CSV (no field contains a comma or a quote).
pub fn parse_csv(bytes: &[u8]) -> Csv {
    let text = std::str::from_utf8(bytes).expect("UTF-8");
    assert!(
        text.is_empty() || text.ends_with('\n'),
        "files end with a newline"
    );
    let mut lines = text.lines();
    let header = lines
        .next()
        .map(|h| h.split(',').map(String::from).collect())
        .unwrap_or_default();
    let rows = lines
        .map(|l| l.split(',').map(String::from).collect())
        .collect();
    Csv { header, rows }
}

/// Data files (not markers) of the landing whose path contains `folder`, in order.
pub fn data_files<'a>(landing: &'a Landing, folder: &str) -> Vec<&'a datagen::LandedFile> {
    landing
        .files
        .iter()
        .filter(|f| f.path.contains(&format!("/{folder}/")))
        .filter(|f| !f.path.rsplit('/').next().unwrap_or("").starts_with('_'))
        .collect()
}

/// All rows of the data files in `folder`, concatenated.
pub fn rows_of(landing: &Landing, folder: &str) -> Vec<Vec<String>> {
    data_files(landing, folder)
        .into_iter()
        .flat_map(|f| parse_csv(&f.bytes).rows)
        .collect()
}

/// Parses `YYYY-MM-DDTHH:MM:SS.mmmZ` to microseconds.
pub fn parse_ts(text: &str) -> i64 {
    assert_eq!(text.len(), 24, "{text}");
    assert!(text.ends_with('Z') && &text[19..20] == ".", "{text}");
    let seconds: Timestamp = text[..19].parse().expect("valid timestamp");
    let millis: i64 = text[20..23].parse().expect("milliseconds");
    seconds.0 + millis * 1000
}
