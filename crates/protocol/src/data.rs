//! The data side of the workspace: generator settings, the volume, the tables, saving.

use serde::{Deserialize, Serialize};

use crate::run::RunRecord;

/// A dataset size of the generator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Preset {
    /// ≈ 20 000 readings: exercises that run instantly.
    Tiny,
    /// The crash course's sizes: ≈ 400 000 readings.
    #[default]
    Course,
    /// 1 000 000+ readings: scale experiments.
    Large,
}

impl Preset {
    /// Every preset, smallest first.
    pub const ALL: [Preset; 3] = [Preset::Tiny, Preset::Course, Preset::Large];

    /// `tiny`, `course` or `large`.
    pub fn as_str(self) -> &'static str {
        match self {
            Preset::Tiny => "tiny",
            Preset::Course => "course",
            Preset::Large => "large",
        }
    }
}

/// The generator's dirty-data switches (all off: the course's own data).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct DirtySettings {
    /// Share of rows broken (wrong field count, unparsable number or timestamp), 0 to 1.
    pub malformed_rows: f64,
    /// Sensor files gain an unexpected `humidity` column.
    pub schema_drift: bool,
    /// The first part files are delivered twice under new names.
    pub duplicate_files: bool,
    /// A zero-byte part file in each landing folder.
    pub empty_files: bool,
    /// A part file holding only the header row in each landing folder.
    pub header_only_file: bool,
}

/// What the generator panel sets.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GeneratorSettings {
    /// The seed: the same seed gives the same files.
    pub seed: u64,
    /// The size.
    pub preset: Preset,
    /// Dirty-data switches.
    pub dirty: DirtySettings,
}

impl Default for GeneratorSettings {
    fn default() -> Self {
        GeneratorSettings {
            seed: 1,
            preset: Preset::Course,
            dirty: DirtySettings::default(),
        }
    }
}

/// Where a volume file came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileOrigin {
    /// Landed by the generator.
    Generated,
    /// Uploaded by the learner.
    Uploaded,
}

/// A file in the volume.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VolumeFile {
    /// `/Volumes/<catalog>/<schema>/<volume>/.../<name>`.
    pub path: String,
    /// Size in bytes.
    pub size: u64,
    /// Generator or upload.
    pub origin: FileOrigin,
}

/// Every file of the volume, sorted by path.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct VolumeListing {
    /// The files.
    pub files: Vec<VolumeFile>,
}

/// A published table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableSummary {
    /// `catalog.schema.name`.
    pub qualified: String,
    /// `STREAMING_TABLE` or `MATERIALIZED_VIEW`.
    pub kind: String,
    /// Rows now.
    pub rows: u64,
    /// Bumped by every change.
    pub version: u64,
    /// Columns: `(name, Spark type)`.
    pub columns: Vec<(String, String)>,
}

/// Whether the workspace's data is being kept in the browser.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct StorageReport {
    /// Whether saving works (false: the data lives only as long as the page).
    pub persistent: bool,
    /// Bytes the saved data takes.
    pub bytes: u64,
    /// A sentence for the learner when something went wrong restoring or saving.
    pub message: Option<String>,
}

/// The state of the workspace's data.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct DataSummary {
    /// The settings of the last generation, if any.
    pub generated: Option<GeneratorSettings>,
    /// Where it landed: `/Volumes/<catalog>/<schema>`.
    pub landing: Option<String>,
    /// Increments landed since then (0 after "Generate").
    pub increments: u32,
    /// Files in the volume.
    pub files: u64,
    /// Their total size in bytes.
    pub bytes: u64,
    /// The published tables, sorted by name.
    pub tables: Vec<TableSummary>,
    /// Every run, oldest first.
    pub history: Vec<RunRecord>,
    /// Whether the data is saved.
    pub storage: StorageReport,
}
