//! `iotwb export`: write a pipeline project that runs on Spark declarative pipelines or Databricks.

use std::path::PathBuf;
use std::process::ExitCode;

use export::{ExportOptions, Format};

use crate::validate::{load_project, print_diagnostics};

/// Arguments of `iotwb export`.
#[derive(clap::Args)]
pub struct Args {
    /// The project folder (holding `databricks.yml`).
    pub project: PathBuf,
    /// `spark` (Spark declarative pipelines) or `databricks` (an Asset Bundle).
    #[arg(long, default_value = "spark")]
    pub format: Format,
    /// Where to write the exported project.
    #[arg(long)]
    pub out: PathBuf,
    /// Spark: the landing root the exported project reads `/Volumes/...` folders under (a folder
    /// or any Spark URI); kept in spark-pipeline.yml's `iotwb.volume` configuration key.
    #[arg(long)]
    pub volume: Option<String>,
    /// Spark: the pipeline's `storage` (checkpoints), a folder or any Spark URI; default
    /// `storage/` in the output folder.
    #[arg(long)]
    pub storage: Option<String>,
    /// A state folder of `iotwb run`: the file sources' schemas the workbook inferred.
    #[arg(long)]
    pub state: Option<PathBuf>,
    /// Bundle target.
    #[arg(long, short = 't')]
    pub target: Option<String>,
    /// Variable overrides, `name=value`.
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub vars: Vec<String>,
}

/// `file://` and the absolute form of `path` (Spark wants storage as a URI).
fn file_uri(path: &std::path::Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    format!("file://{}", absolute.display())
}

pub fn run(args: Args) -> ExitCode {
    let (project, bundle) = match load_project(&args.project, args.target.as_deref(), &args.vars) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let mut options = ExportOptions::new(args.format);
    options.bundle = bundle;
    options.volume = args.volume.clone();
    options.storage = Some(match &args.storage {
        Some(storage) if storage.contains("://") => storage.clone(),
        Some(folder) => file_uri(std::path::Path::new(folder)),
        None => file_uri(&args.out.join("storage")),
    });
    if let Some(state) = &args.state {
        match pipeline::persist::load(state) {
            Ok(state) => options.inferred = state.schemas,
            Err(e) => {
                eprintln!("error: {}: {e}", state.display());
                return ExitCode::from(2);
            }
        }
    }
    let exported = match export::export(&project, &options) {
        Ok(exported) => exported,
        Err(errors) => {
            print_diagnostics(&errors);
            return ExitCode::from(1);
        }
    };
    for (path, text) in &exported.files {
        let target = args.out.join(path);
        let written = target
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&target, text));
        if let Err(e) = written {
            eprintln!("error: writing {}: {e}", target.display());
            return ExitCode::from(2);
        }
    }
    println!(
        "iotwb export: {} files -> {}",
        exported.files.len(),
        args.out.display()
    );
    for note in &exported.lowered {
        println!("lowered {}: {}", note.location, note.message);
    }
    for note in &exported.not_lowered {
        println!("NOT LOWERED {}: {}", note.location, note.message);
    }
    ExitCode::SUCCESS
}
