//! `iotwb sql`: run Spark SQL over the CSV tables of a `tables.json`.
//!
//! With a case file, prints one JSON object (the fixtures' value encoding): the result
//! `{"schema": [...], "rows": [...]}` or `{"error": {"class", "message"}}`; both exit 0.
//! With `-e`, prints a text table (or the error) for people. Unusable arguments exit 2.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use query::{Catalog, ExecOptions, QueryError, QueryResult, Session};
use serde_json::Value;

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

/// Load every table of `<dir>/tables.json` into a session (clock: now).
fn load_session(dir: &Path) -> Result<Session, String> {
    let manifest_path = dir.join("tables.json");
    let manifest = std::fs::read_to_string(&manifest_path)
        .map_err(|e| format!("{}: {e}", manifest_path.display()))?;
    let specs = query::csv::parse_manifest(&manifest)
        .map_err(|e| format!("{}: {e}", manifest_path.display()))?;
    let mut catalog = Catalog::new();
    for spec in specs {
        let path = dir.join(&spec.file);
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let table = query::csv::read_csv(&text, &spec.schema).map_err(|e| match e.span() {
            Some(span) => format!(
                "{}:{}:{}: {e}",
                path.display(),
                span.start.line,
                span.start.column
            ),
            None => format!("{}: {e}", path.display()),
        })?;
        catalog.register_table(&spec.name, table);
    }
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_micros() as i64)
        .unwrap_or(0);
    Ok(Session::new(catalog).with_options(ExecOptions::at(now)))
}

/// The `sql` field of a case file.
fn case_sql(path: &Path) -> Result<String, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let json: Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: not JSON: {e}", path.display()))?;
    json.get("sql")
        .and_then(Value::as_str)
        .map(String::from)
        .ok_or_else(|| format!("{}: no \"sql\" string field", path.display()))
}

/// The JSON document for a query's outcome.
fn outcome_json(result: Result<QueryResult, QueryError>) -> Value {
    match result {
        Ok(r) => query::json::result_json(&r).unwrap_or_else(|e| query::json::error_json(&e)),
        Err(e) => query::json::error_json(&e),
    }
}

/// A text table: a header, a rule, one line per row, and the row count.
fn text_table(result: &QueryResult) -> Result<String, QueryError> {
    let json = query::json::result_json(result)?;
    let cell = |v: &Value| match v {
        Value::Null => "NULL".to_string(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let header: Vec<String> = result.schema.iter().map(|(n, _)| n.clone()).collect();
    let rows: Vec<Vec<String>> = json["rows"]
        .as_array()
        .map(|rows| {
            rows.iter()
                .map(|r| {
                    r.as_array()
                        .map(|c| c.iter().map(cell).collect())
                        .unwrap_or_default()
                })
                .collect()
        })
        .unwrap_or_default();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in &rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |cells: &[String]| {
        cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect::<Vec<_>>()
            .join(" | ")
            .trim_end()
            .to_string()
    };
    let mut out = line(&header);
    out.push('\n');
    out.push_str(
        &widths
            .iter()
            .map(|w| "-".repeat(*w))
            .collect::<Vec<_>>()
            .join("-+-"),
    );
    out.push('\n');
    for r in &rows {
        out.push_str(&line(r));
        out.push('\n');
    }
    out.push_str(&format!(
        "({} row{})\n",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" }
    ));
    Ok(out)
}

fn print(text: &str) -> ExitCode {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(_) => ExitCode::from(1),
    }
}

/// Runs `iotwb sql`.
pub fn run(args: Args) -> ExitCode {
    let session = match load_session(&args.tables) {
        Ok(s) => s,
        Err(msg) => {
            eprintln!("iotwb sql: {}", msg.replace('\n', " "));
            return ExitCode::from(2);
        }
    };
    match (&args.execute, &args.case) {
        (Some(query), _) => match session.sql(query) {
            Ok(result) => match text_table(&result) {
                Ok(text) => print(&text),
                Err(e) => print(&format!("{e}\n")),
            },
            Err(e) => print(&format!("{e}\n")),
        },
        (None, Some(case)) => match case_sql(case) {
            Ok(sql) => print(&format!("{}\n", outcome_json(session.sql(&sql)))),
            Err(msg) => {
                eprintln!("iotwb sql: {}", msg.replace('\n', " "));
                ExitCode::from(2)
            }
        },
        (None, None) => {
            eprintln!("iotwb sql: give a case file or -e \"<query>\"");
            ExitCode::from(2)
        }
    }
}
