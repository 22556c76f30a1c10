//! `iotwb sql`: run Spark SQL over the CSV tables of a `tables.json`.

use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `iotwb sql`.
#[derive(clap::Args)]
pub struct Args {
    /// Folder holding `tables.json` and the CSV files it names.
    #[arg(long)]
    pub tables: PathBuf,
    /// A query to run, printed as a table for people.
    #[arg(short = 'e', long = "execute", conflicts_with = "case")]
    pub execute: Option<String>,
    /// A case file (JSON with a `sql` field); prints `{"schema", "rows"}` or `{"error"}` as JSON.
    pub case: Option<PathBuf>,
}

pub fn run(_args: Args) -> ExitCode {
    eprintln!("iotwb sql: not built yet (issue 4)");
    ExitCode::from(2)
}
