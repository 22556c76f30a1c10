//! `iotwb tempo <case-dir>`: run one Tempo fixture case and print its result as CSV.

use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `iotwb tempo`.
#[derive(clap::Args)]
pub struct Args {
    /// A case directory holding `params.json` and its input CSV file(s).
    pub case_dir: PathBuf,
}

pub fn run(_args: Args) -> ExitCode {
    eprintln!("iotwb tempo: not built yet (issue 3)");
    ExitCode::from(2)
}
