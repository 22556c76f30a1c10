//! Helpers for the pipeline tests: mini projects in memory, rows as text.
#![allow(dead_code)]

use std::collections::BTreeMap;

use arrow::array::Array;
use pipeline::engine::{self, FullRefresh, UpdateOptions, UpdateReport};
use pipeline::pipeline::Pipeline;
use pipeline::state::State;
use pipeline::volume::MemoryVolume;
use pipeline::{BundleOptions, PipelineError, Project};
use query::functions::cast::value_to_string;

/// A bundle with one pipeline (catalog `main`, schema `s`) over these library files.
pub fn bundle(libraries: &[&str]) -> String {
    let libs: String = libraries
        .iter()
        .map(|l| format!("        - file: {{path: {l}}}\n"))
        .collect();
    format!(
        "bundle:\n  name: mini\nresources:\n  pipelines:\n    p:\n      name: mini\n      catalog: main\n      schema: s\n      configuration:\n        landing: /Volumes/main/s/landing\n      libraries:\n{libs}"
    )
}

/// A project of `files` plus a bundle naming the `.sql`/`.py` ones as libraries.
pub fn project(files: &[(&str, &str)]) -> Project {
    let libs: Vec<&str> = files
        .iter()
        .map(|(p, _)| *p)
        .filter(|p| p.ends_with(".sql") || p.ends_with(".py"))
        .collect();
    let mut project = Project::from_files(files.iter().copied());
    project.insert("databricks.yml", bundle(&libs));
    project
}

/// The single pipeline of `project`.
pub fn load(project: &Project) -> Pipeline {
    match pipeline::load(project, &BundleOptions::default()) {
        Ok((_, mut pipelines)) => pipelines.remove(0),
        Err(e) => panic!("project does not load:\n{e}"),
    }
}

/// Run one update, panicking with the error.
pub fn update(p: &Pipeline, state: &mut State, volume: &MemoryVolume) -> UpdateReport {
    match engine::update(p, state, volume, UpdateOptions::default()) {
        Ok(report) => report,
        Err(PipelineError::Invalid(d)) => panic!("update failed:\n{d}"),
        Err(e) => panic!("update failed: {e}"),
    }
}

/// Run a full refresh of everything.
pub fn full_refresh(p: &Pipeline, state: &mut State, volume: &MemoryVolume) -> UpdateReport {
    engine::update(
        p,
        state,
        volume,
        UpdateOptions {
            full_refresh: FullRefresh::All,
            ..Default::default()
        },
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

/// A table's rows as `a|b|c` text (NULL as `NULL`), sorted.
pub fn rows(state: &State, qualified: &str) -> Vec<String> {
    let table = state.table(qualified).unwrap_or_else(|| {
        panic!(
            "no table {qualified}; have {:?}",
            state.tables.keys().collect::<Vec<_>>()
        )
    });
    let mut out = Vec::new();
    for batch in table.table.batches() {
        for r in 0..batch.num_rows() {
            let cells: Vec<String> = table
                .table
                .schema()
                .iter()
                .zip(batch.columns())
                .map(|((_, t), c)| {
                    if c.is_null(r) {
                        "NULL".into()
                    } else {
                        value_to_string(c.as_ref(), r, t)
                            .unwrap()
                            .unwrap_or_default()
                    }
                })
                .collect();
            out.push(cells.join("|"));
        }
    }
    out.sort();
    out
}

/// A table's column names and types, `name:type`.
pub fn columns(state: &State, qualified: &str) -> Vec<String> {
    state
        .table(qualified)
        .unwrap()
        .table
        .schema()
        .iter()
        .map(|(n, t)| format!("{n}:{t}"))
        .collect()
}

/// Land a file.
pub fn land(volume: &mut MemoryVolume, path: &str, text: &str) {
    volume.insert(path, text.as_bytes().to_vec());
}

/// Every table's rows, numbers rounded to 9 significant digits (float sums may differ in
/// the last bits between Tempo's kernels and SQL window functions).
pub fn snapshot(state: &State) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    for (name, table) in state.tables_in("default", "iot_anomaly_detection") {
        let schema = table.table.schema();
        let mut order: Vec<usize> = (0..schema.len()).collect();
        order.sort_by(|a, b| schema[*a].0.cmp(&schema[*b].0));
        let mut rows = Vec::new();
        for batch in table.table.batches() {
            for r in 0..batch.num_rows() {
                let cells: Vec<String> = order
                    .iter()
                    .map(|&c| {
                        let (col, t) = (batch.column(c), &schema[c].1);
                        if col.is_null(r) {
                            return "NULL".into();
                        }
                        let text = value_to_string(col.as_ref(), r, t)
                            .unwrap()
                            .unwrap_or_default();
                        match text.parse::<f64>() {
                            Ok(v) if t.is_floating() => format!("{v:.9e}"),
                            _ => text,
                        }
                    })
                    .collect();
                rows.push(format!(
                    "{}={}",
                    order
                        .iter()
                        .map(|&c| schema[c].0.as_str())
                        .collect::<Vec<_>>()
                        .join(","),
                    cells.join("|")
                ));
            }
        }
        rows.sort();
        out.insert(name, rows);
    }
    out
}
