//! `iotwb tempo <case-dir>`: run one Tempo fixture case and print its result as CSV.

use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use tsdf::fixture::{batch_to_csv, input_files, parse_params, run_case};

/// Arguments of `iotwb tempo`.
#[derive(clap::Args)]
pub struct Args {
    /// A case directory holding `params.json` and its input CSV file(s).
    pub case_dir: PathBuf,
}

/// Reads the case, runs the call and returns the result as CSV text, or a one-line error.
fn run_case_dir(dir: &std::path::Path) -> Result<String, String> {
    let params_path = dir.join("params.json");
    let text = std::fs::read_to_string(&params_path)
        .map_err(|e| format!("{}: {e}", params_path.display()))?;
    let params = parse_params(&text).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut files = HashMap::new();
    for f in input_files(&params).map_err(|e| e.to_string())? {
        let path = dir.join(&f);
        let csv = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        files.insert(f, csv);
    }
    let out = run_case(&params, &files).map_err(|e| match e {
        tsdf::fixture::CaseError::Csv { .. } => format!("{}/{e}", dir.display()),
        other => other.to_string(),
    })?;
    Ok(batch_to_csv(&out.batch))
}

/// Runs `iotwb tempo`: CSV on stdout and exit 0, or a one-line message on stderr and exit 1.
pub fn run(args: Args) -> ExitCode {
    match run_case_dir(&args.case_dir) {
        Ok(csv) => {
            let mut out = std::io::stdout().lock();
            if out
                .write_all(csv.as_bytes())
                .and_then(|()| out.flush())
                .is_err()
            {
                return ExitCode::from(1);
            }
            ExitCode::SUCCESS
        }
        Err(msg) => {
            eprintln!("iotwb tempo: {}", msg.replace('\n', " "));
            ExitCode::from(1)
        }
    }
}
