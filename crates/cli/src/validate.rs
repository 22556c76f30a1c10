//! `iotwb validate`: check a pipeline project and print its resolved configuration.

use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `iotwb validate`.
#[derive(clap::Args)]
pub struct Args {
    /// The project folder (holding `databricks.yml`).
    pub project: PathBuf,
    /// Bundle target (defaults to the target marked `default: true`).
    #[arg(long, short = 't')]
    pub target: Option<String>,
    /// Variable overrides, `name=value`.
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub vars: Vec<String>,
}

pub fn run(_args: Args) -> ExitCode {
    eprintln!("iotwb validate: not built yet (issue 6)");
    ExitCode::from(2)
}
