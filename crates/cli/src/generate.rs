//! `iotwb generate`: land the synthetic dataset as CSV files under `<out>/Volumes/...`.

use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `iotwb generate`.
#[derive(clap::Args)]
pub struct Args {
    /// Seed of the random generator: the same seed gives byte-identical files.
    #[arg(long)]
    pub seed: u64,
    /// Folder under which `Volumes/<catalog>/<schema>/...` is written.
    #[arg(long)]
    pub out: PathBuf,
    /// Size preset: tiny, course or large.
    #[arg(long, default_value = "course")]
    pub preset: String,
    /// Which batch to land: initial (2023) or increment (January 2024).
    #[arg(long, default_value = "initial")]
    pub batch: String,
    /// Comma-separated dirty-data knobs for the data-quality module.
    #[arg(long, value_delimiter = ',')]
    pub dirty: Vec<String>,
    /// Unity Catalog catalog of the landing volumes.
    #[arg(long, default_value = "default")]
    pub catalog: String,
    /// Schema of the landing volumes.
    #[arg(long, default_value = "iot_anomaly_detection")]
    pub schema: String,
}

pub fn run(_args: Args) -> ExitCode {
    eprintln!("iotwb generate: not built yet (issue 5)");
    ExitCode::from(2)
}
