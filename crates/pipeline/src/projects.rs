//! The default projects, embedded so the browser has them: the crash course's pipeline in
//! Python (the course's five source files) and the same pipeline in SQL.

use crate::project::Project;

macro_rules! files {
    ($dir:literal: $($path:literal),* $(,)?) => {
        &[$(($path, include_str!(concat!("../projects/", $dir, "/", $path)))),*]
    };
}

const PYTHON: &[(&str, &str)] = files!("iot_python":
    "databricks.yml",
    "resources/dashboard.yml",
    "resources/alert.yml",
    "config/iot_anomaly_detection.lvdash.json",
    "src/bronze/sensor_bronze.py",
    "src/bronze/inspection_bronze.py",
    "src/silver/anomaly_detected.py",
    "src/silver/inspection_silver.py",
    "src/gold/inspection_gold.py",
);

const SQL: &[(&str, &str)] = files!("iot_sql":
    "databricks.yml",
    "resources/dashboard.yml",
    "resources/alert.yml",
    "config/iot_anomaly_detection.lvdash.json",
    "src/bronze/sensor_bronze.sql",
    "src/bronze/inspection_bronze.sql",
    "src/silver/anomaly_detected.sql",
    "src/silver/inspection_silver.sql",
    "src/gold/inspection_gold.sql",
);

/// The crash course's pipeline, written the course's way in Python.
///
/// # Examples
/// ```
/// let project = pipeline::projects::iot_python();
/// assert!(project.get("src/silver/inspection_silver.py").unwrap().contains("asofJoin"));
/// ```
pub fn iot_python() -> Project {
    Project::from_files(PYTHON.iter().copied())
}

/// The same pipeline in SQL (Tempo's steps written as window functions and aggregates).
pub fn iot_sql() -> Project {
    Project::from_files(SQL.iter().copied())
}
