//! `iotwb run`: one pipeline update over a local volume folder.

use std::path::PathBuf;
use std::process::ExitCode;

use pipeline::engine::{self, FlowReport, FullRefresh, UpdateOptions};
use pipeline::volume::FolderVolume;
use pipeline::{PipelineError, persist};

use crate::validate::{load_project, print_diagnostics};

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

fn system_clock() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() as i64)
}

fn summary_line(f: &FlowReport) -> String {
    let expectations: Vec<String> = f
        .expectations
        .iter()
        .map(|e| {
            format!(
                "{} {}/{} passed",
                e.name,
                e.passed_records,
                e.passed_records + e.failed_records
            )
        })
        .collect();
    let strategy = f
        .strategy
        .map(|s| s.as_str().to_string())
        .unwrap_or_else(|| "-".into());
    format!(
        "{:<22} {:<18} {:>10} {:>10} {:<20} {}",
        f.dataset,
        f.kind.as_str(),
        f.rows_written,
        f.rows_total,
        strategy,
        if expectations.is_empty() {
            "-".to_string()
        } else {
            expectations.join("; ")
        }
    )
}

fn report_error(error: &PipelineError) {
    match error {
        PipelineError::Invalid(diagnostics) => print_diagnostics(diagnostics),
        other => eprintln!("error: {other}"),
    }
}

pub fn run(args: Args) -> ExitCode {
    let (project, options) = match load_project(&args.project, args.target.as_deref(), &args.vars) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let (_bundle, pipelines) = match pipeline::load(&project, &options) {
        Ok(loaded) => loaded,
        Err(errors) => {
            print_diagnostics(&errors);
            return ExitCode::from(1);
        }
    };
    let mut state = match persist::load(&args.state) {
        Ok(state) => state,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let volume = FolderVolume::new(&args.volume);
    let full_refresh = match &args.full_refresh {
        None => FullRefresh::None,
        Some(names) if names.iter().all(|n| n.trim().is_empty()) => FullRefresh::All,
        Some(names) => FullRefresh::Tables(
            names
                .iter()
                .map(|n| n.trim().to_string())
                .filter(|n| !n.is_empty())
                .collect(),
        ),
    };
    let mut failed = false;
    for p in &pipelines {
        let options = UpdateOptions {
            full_refresh: full_refresh.clone(),
            clock: Some(Box::new(system_clock)),
            ..Default::default()
        };
        println!(
            "Pipeline {} ({}.{})",
            p.settings.name, p.settings.catalog, p.settings.schema
        );
        match engine::update(p, &mut state, &volume, options) {
            Ok(report) => {
                println!(
                    "{:<22} {:<18} {:>10} {:>10} {:<20} expectations",
                    "table", "kind", "added", "rows", "refresh"
                );
                for f in &report.flows {
                    println!("{}", summary_line(f));
                }
                println!("Update {} COMPLETED", &report.update_id[..8]);
            }
            Err(error) => {
                report_error(&error);
                eprintln!("Update FAILED: no table changed");
                failed = true;
            }
        }
        if let Some(out) = &args.out
            && let Err(e) = write_out(out, &state, &p.settings.catalog, &p.settings.schema)
        {
            eprintln!("error: writing {}: {e}", out.display());
            failed = true;
        }
    }
    if let Err(e) = persist::save(&state, &args.state) {
        eprintln!("error: {e}");
        return ExitCode::from(2);
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn write_out(
    out: &std::path::Path,
    state: &pipeline::state::State,
    catalog: &str,
    schema: &str,
) -> Result<(), PipelineError> {
    std::fs::create_dir_all(out).map_err(|e| PipelineError::State(e.to_string()))?;
    for (name, table) in state.tables_in(catalog, schema) {
        let bytes = persist::table_to_parquet(&table.table)?;
        std::fs::write(out.join(format!("{name}.parquet")), bytes)
            .map_err(|e| PipelineError::State(e.to_string()))?;
    }
    std::fs::write(
        out.join("event_log.jsonl"),
        pipeline::event_log::to_jsonl(&state.events),
    )
    .map_err(|e| PipelineError::State(e.to_string()))?;
    Ok(())
}
