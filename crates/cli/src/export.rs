//! `iotwb export`: write a pipeline project that runs on Spark declarative pipelines or Databricks.

use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `iotwb export`.
#[derive(clap::Args)]
pub struct Args {
    /// The project folder (holding `databricks.yml`).
    pub project: PathBuf,
    /// Where to write the exported project.
    #[arg(long)]
    pub out: PathBuf,
}

pub fn run(_args: Args) -> ExitCode {
    eprintln!("iotwb export: not built yet");
    ExitCode::from(2)
}
