//! `iotwb`: the workbook's engine on the command line, for instructors and CI.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod export;
mod generate;
mod run;
mod sql;
mod tempo;
mod validate;

/// The IoT Pipelines Workbook's engine, natively: generate data, validate and run pipelines,
/// query tables and check Tempo conformance without a browser.
#[derive(Parser)]
#[command(name = "iotwb", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate the crash course's synthetic sensor and inspection files into a volume folder.
    Generate(generate::Args),
    /// Check a pipeline project (databricks.yml and sources) and print its resolved config.
    Validate(validate::Args),
    /// Run one pipeline update over a volume folder, keeping tables and checkpoints in a state folder.
    Run(run::Args),
    /// Run Spark SQL over CSV tables described by a tables.json.
    Sql(sql::Args),
    /// Run one Tempo fixture case (params.json + input CSVs) and print the result as CSV.
    Tempo(tempo::Args),
    /// Export a pipeline project for Spark declarative pipelines or a Databricks bundle.
    Export(export::Args),
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Generate(args) => generate::run(args),
        Command::Validate(args) => validate::run(args),
        Command::Run(args) => run::run(args),
        Command::Sql(args) => sql::run(args),
        Command::Tempo(args) => tempo::run(args),
        Command::Export(args) => export::run(args),
    }
}
