//! `iotwb run`: one pipeline update over a local volume folder.

use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `iotwb run`.
#[derive(clap::Args)]
pub struct Args {
    /// The project folder (holding `databricks.yml`).
    pub project: PathBuf,
    /// Local folder under which the project's `/Volumes/...` paths resolve.
    #[arg(long)]
    pub volume: PathBuf,
    /// Folder keeping tables, checkpoints and the event log between runs.
    #[arg(long)]
    pub state: PathBuf,
    /// Write every table as `<out>/<table>.parquet` and the event log as `<out>/event_log.jsonl`.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Bundle target.
    #[arg(long, short = 't')]
    pub target: Option<String>,
    /// Variable overrides, `name=value`.
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub vars: Vec<String>,
    /// Full refresh: all tables, or the comma-separated ones given.
    #[arg(long, num_args = 0..=1, default_missing_value = "", value_delimiter = ',')]
    pub full_refresh: Option<Vec<String>>,
}

pub fn run(_args: Args) -> ExitCode {
    eprintln!("iotwb run: not built yet (issue 6)");
    ExitCode::from(2)
}
