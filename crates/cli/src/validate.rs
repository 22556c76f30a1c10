//! `iotwb validate`: check a pipeline project and print its resolved configuration.

use std::path::PathBuf;
use std::process::ExitCode;

use pipeline::engine::DatasetSummary;
use pipeline::state::State;
use pipeline::{BundleOptions, Diagnostics, Project};

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

/// The learner name for `${workspace.current_user.short_name}` (env `IOTWB_USER`).
pub fn user() -> String {
    std::env::var("IOTWB_USER")
        .ok()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| pipeline::bundle::DEFAULT_USER.to_string())
}

/// Load the project folder and resolve its bundle options, or print why not.
pub fn load_project(
    project: &std::path::Path,
    target: Option<&str>,
    vars: &[String],
) -> Result<(Project, BundleOptions), ExitCode> {
    let loaded = match Project::from_dir(project) {
        Ok(p) => p,
        Err(e) => {
            eprintln!(
                "error: cannot read project folder {}: {e}",
                project.display()
            );
            return Err(ExitCode::from(2));
        }
    };
    match BundleOptions::with_vars(target, vars) {
        Ok(mut options) => {
            options.user = user();
            Ok((loaded, options))
        }
        Err(errors) => {
            print_diagnostics(&errors);
            Err(ExitCode::from(2))
        }
    }
}

/// Print diagnostics to stderr, one per line, with a count.
pub fn print_diagnostics(diagnostics: &Diagnostics) {
    for d in &diagnostics.0 {
        eprintln!("{d}");
    }
    let errors = diagnostics.errors().count();
    let warnings = diagnostics.warnings().count();
    if errors > 0 {
        eprintln!("{errors} error(s), {warnings} warning(s)");
    }
}

fn print_dataset(s: &DatasetSummary) {
    println!("  {} ({}) at {}", s.qualified, s.kind.as_str(), s.location);
    if !s.inputs.is_empty() {
        println!("    reads: {}", s.inputs.join(", "));
    }
    if !s.files.is_empty() {
        println!("    files: {}", s.files.join(", "));
    }
    for (name, action) in &s.expectations {
        println!("    expectation `{name}` ({action})");
    }
    let columns: Vec<String> = s.schema.iter().map(|(n, t)| format!("{n} {t}")).collect();
    println!("    columns: {}", columns.join(", "));
}

/// Validate the project: print the resolved configuration and each dataset, then every
/// problem of the bundle and of every source file together; exit 1 when any is an error.
pub fn run(args: Args) -> ExitCode {
    let (project, options) = match load_project(&args.project, args.target.as_deref(), &args.vars) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let found = pipeline::validate_project(&project, &options, &State::new());
    if let Some(bundle) = &found.bundle {
        print!("{}", pipeline::bundle::render(&bundle.resolved));
    }
    for checked in &found.pipelines {
        let settings = &checked.pipeline.settings;
        println!();
        println!(
            "Pipeline {} ({}.{}):",
            settings.name, settings.catalog, settings.schema
        );
        for s in &checked.datasets {
            print_dataset(s);
        }
        if let Some(first) = checked.datasets.first() {
            for note in &first.notes {
                println!("  note: {note}");
            }
        }
    }
    if !found.diagnostics.is_empty() {
        print_diagnostics(&found.diagnostics);
    }
    match &found.bundle {
        Some(bundle) if found.is_ok() => {
            println!();
            println!(
                "Validation OK ({} pipeline(s), target {})",
                found.pipelines.len(),
                bundle.target
            );
            ExitCode::SUCCESS
        }
        _ => ExitCode::from(1),
    }
}
