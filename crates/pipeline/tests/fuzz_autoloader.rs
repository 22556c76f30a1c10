//! Landed files are untrusted input: CSV, JSON and Parquet files of the course's shape,
//! mutated (or random bytes), read by Auto Loader in an update. Every file must end in rows,
//! rescued data or an error naming the file (and for text formats its line), never a panic,
//! a stack overflow or a hang. Inputs that once failed are replayed from
//! `tests/fuzz_regressions/landing` (the extension says the format).

mod common;

use std::path::Path;

use common::{load, project};
use fuzzkit::mutate::{mutated, random_text};
use pipeline::PipelineError;
use pipeline::autoloader::LoadError;
use pipeline::engine::{self, UpdateOptions};
use pipeline::pipeline::Pipeline;
use pipeline::state::State;
use pipeline::volume::MemoryVolume;
use proptest::prelude::*;

/// One streaming table per format and option set a learner meets in the course.
const SQL: &str = "
CREATE STREAMING TABLE csv_hinted AS SELECT * FROM STREAM read_files('/Volumes/main/s/landing/csv', format => 'csv', header => true, schemaHints => 'device_id int, timestamp timestamp, airflow_rate double');
CREATE STREAMING TABLE csv_inferred AS SELECT * FROM STREAM read_files('/Volumes/main/s/landing/csv', format => 'csv', header => true, inferSchema => true);
CREATE STREAMING TABLE json_lines AS SELECT * FROM STREAM read_files('/Volumes/main/s/landing/json', format => 'json', schemaHints => 'device_id int');
CREATE STREAMING TABLE json_doc AS SELECT * FROM STREAM read_files('/Volumes/main/s/landing/doc', format => 'json', multiLine => true);
CREATE MATERIALIZED VIEW per_device AS SELECT device_id, count(*) AS n, avg(airflow_rate) AS airflow FROM csv_hinted GROUP BY device_id;
";

/// The course's sensor readings' shape (datagen's columns), a few rows.
const CSV: &str = "device_id,trip_id,factory_id,model_id,timestamp,airflow_rate,rotation_speed,air_pressure,temperature,delay,density\n\
1,10,A06,SkyJet134,2023-01-01T06:36:54.000Z,171.791,540.2,7.1,21.5,1.2,0.98\n\
2,11,D18,EcoJet3000,2023-01-01 07:00:01,168.2,,6.9,22.0,0.0,1.01\n\
3,12,\"T10\",\"Sky,Jet\"\"3\",2023-02-30T00:00:00Z,NaN,-1e309,7.0,,3,\n";

const JSON_LINES: &str = "{\"device_id\": 1, \"timestamp\": \"2023-01-01T06:36:54.000Z\", \"airflow_rate\": 171.791, \"tags\": [\"a\", {\"b\": null}]}\n\
{\"device_id\": \"2\", \"defect\": true, \"nested\": {\"x\": [1, 2, [3]]}}\n";

const JSON_DOC: &str = "[\n  {\"device_id\": 1, \"inspection\": {\"defect\": 1, \"at\": \"2023-01-02\"}},\n  {\"device_id\": 2, \"note\": \"\\u00e9\\n\"}\n]\n";

#[derive(Debug, Clone)]
struct Landed {
    /// `csv`, `json` or `doc`: the folder (and so the tables) that read it.
    folder: &'static str,
    text: String,
}

fn landed() -> impl Strategy<Value = Landed> {
    prop_oneof![
        3 => mutated(vec![CSV.to_string()]).prop_map(|text| Landed { folder: "csv", text }),
        3 => mutated(vec![JSON_LINES.to_string()]).prop_map(|text| Landed { folder: "json", text }),
        2 => mutated(vec![JSON_DOC.to_string()]).prop_map(|text| Landed { folder: "doc", text }),
        1 => (prop::sample::select(vec!["csv", "json", "doc"]), random_text(300))
            .prop_map(|(folder, text)| Landed { folder, text }),
    ]
}

fn pipeline() -> Pipeline {
    load(&project(&[("p.sql", SQL)]))
}

/// The good files of every folder, then `file`: the update must read or reject it.
fn check(file: Landed) -> Result<(), String> {
    let p = pipeline();
    let mut volume = MemoryVolume::new();
    volume.insert("/Volumes/main/s/landing/csv/0.csv", CSV.as_bytes().to_vec());
    volume.insert(
        "/Volumes/main/s/landing/json/0.json",
        JSON_LINES.as_bytes().to_vec(),
    );
    volume.insert(
        "/Volumes/main/s/landing/doc/0.json",
        JSON_DOC.as_bytes().to_vec(),
    );
    let mut state = State::new();
    engine::update(&p, &mut state, &volume, UpdateOptions::default())
        .map_err(|e| format!("the seed files do not load: {e}"))?;
    let ext = if file.folder == "csv" { "csv" } else { "json" };
    let path = format!("/Volumes/main/s/landing/{}/1.{ext}", file.folder);
    volume.insert(&path, file.text.into_bytes());
    match engine::update(&p, &mut state, &volume, UpdateOptions::default()) {
        Ok(_) => Ok(()),
        Err(PipelineError::Internal(e)) => Err(format!("internal error: {e}")),
        Err(PipelineError::Files { error, .. }) => match *error {
            LoadError::Unreadable { file, message } => {
                if file != path {
                    Err(format!("the error names {file}, not {path}"))
                } else if !message.contains("line") {
                    Err(format!("an unreadable file's error has no line: {message}"))
                } else {
                    Ok(())
                }
            }
            _ => Ok(()),
        },
        Err(PipelineError::Execution { error, .. }) if error.class() == "INTERNAL_ERROR" => {
            Err(format!("internal error: {error}"))
        }
        Err(_) => Ok(()),
    }
}

#[test]
fn mutated_landing_files_load_or_fail_with_their_name() {
    fuzzkit::fuzz("landing", 100, landed(), check);
}

#[test]
fn landing_files_that_once_failed_still_load() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions/landing");
    for (name, text) in fuzzkit::regressions::cases(&dir) {
        let folder = match name.rsplit('.').next() {
            Some("csv") => "csv",
            Some("jsonl") => "json",
            _ => "doc",
        };
        fuzzkit::guarded(
            &format!("landing regression {name}"),
            Landed { folder, text },
            check,
        );
    }
}

/// Columns of the wide header: the 10 000 (`FUZZ_WIDE_COLUMNS` to change). Schema
/// inference once looked every column up by a linear search over the others, quadratic in the
/// width: 10 000 columns took longer than the watchdog's 20 s; now about a second.
fn wide_columns() -> usize {
    std::env::var("FUZZ_WIDE_COLUMNS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000)
}

#[test]
fn a_wide_csv_header_loads_in_bounded_time() {
    let width = wide_columns();
    let names: Vec<String> = (0..width).map(|i| format!("c{i}")).collect();
    let row: Vec<String> = (0..width).map(|i| i.to_string()).collect();
    let text = format!(
        "{}\n{}\n{}\n",
        names.join(","),
        row.join(","),
        row.join(",")
    );
    fuzzkit::guarded("wide header", text, move |text| {
        let p = load(&project(&[(
            "p.sql",
            "CREATE STREAMING TABLE wide AS SELECT * FROM STREAM read_files('/Volumes/main/s/landing/w', format => 'csv', header => true, inferSchema => true);",
        )]));
        let mut volume = MemoryVolume::new();
        volume.insert("/Volumes/main/s/landing/w/a.csv", text.into_bytes());
        let mut state = State::new();
        let report = engine::update(&p, &mut state, &volume, UpdateOptions::default())
            .map_err(|e| e.to_string())?;
        let written = report.flows[0].rows_written;
        let columns = state
            .table("main.s.wide")
            .map(|t| t.table.arrow_schema().fields().len());
        if (written, columns) != (2, Some(width + 1)) {
            return Err(format!(
                "{written} rows, {columns:?} columns (want 2 and {width} + rescued)"
            ));
        }
        Ok(())
    });
}
