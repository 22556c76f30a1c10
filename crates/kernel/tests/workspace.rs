//! The whole learner flow through the kernel: generate, validate, update, land more, update,
//! restore; failures that change nothing.

mod common;

use common::*;
use protocol::{FlowState, NodeKind, Outcome, Reply, Request, RowSource, Severity};

#[test]
fn test_generate_validate_update_land_more_update_restore() {
    let mut bench = Workbench::new();
    let project = python_project();
    let initial = landing(datagen::Batch::Initial);
    let data = bench.generate();
    assert_eq!(data.files as usize, initial.files.len());
    assert_eq!(data.increments, 0);

    let Reply::Validation(validation) = bench
        .send(Request::Validate {
            project: project.clone(),
            target: None,
        })
        .reply
    else {
        panic!("validation expected");
    };
    let errors: Vec<_> = validation
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(validation.targets, ["dev", "prod"]);
    assert_eq!(validation.target.as_deref(), Some("dev"));
    let graph = &validation.graph;
    assert_eq!(graph.schema, format!("{CATALOG}.{SCHEMA}"));
    let files: Vec<&str> = graph
        .nodes
        .iter()
        .filter(|n| n.kind == NodeKind::Files)
        .map(|n| n.name.as_str())
        .collect();
    let sensor_folder = format!("/Volumes/{CATALOG}/{SCHEMA}/sensor_bronze");
    let inspection_folder = format!("/Volumes/{CATALOG}/{SCHEMA}/inspection_bronze");
    assert_eq!(files, [sensor_folder.as_str(), inspection_folder.as_str()]);
    assert!(graph.nodes[..2].iter().all(|n| n.kind == NodeKind::Files));
    let datasets: Vec<&str> = graph.nodes[2..].iter().map(|n| n.name.as_str()).collect();
    assert_eq!(
        datasets,
        [
            "sensor_bronze",
            "inspection_bronze",
            "anomaly_detected",
            "inspection_silver",
            "inspection_gold"
        ]
    );
    let edge = |from: &str, to: &str| graph.edges.iter().find(|e| e.from == from && e.to == to);
    assert!(edge(&sensor_folder, "sensor_bronze").is_some_and(|e| e.streaming));
    assert!(edge(&inspection_folder, "inspection_bronze").is_some_and(|e| e.streaming));
    assert!(edge("sensor_bronze", "inspection_silver").is_some_and(|e| !e.streaming));
    assert!(edge("inspection_bronze", "inspection_silver").is_some());
    let bronze = &graph.nodes[2];
    assert_eq!(bronze.kind, NodeKind::StreamingTable);
    assert!(
        bronze
            .expectations
            .contains(&("valid pressure".into(), "warn".into()))
    );
    assert!(
        bronze
            .columns
            .iter()
            .any(|(n, t)| n == "timestamp" && t == "timestamp")
    );

    let (run, data) = bench.update(&project);
    assert_eq!(run.outcome, Outcome::Completed, "{run:?}");
    assert_eq!(run.number, 1);
    assert!(!run.update_id.is_empty());
    assert_eq!(run.target, "dev");
    assert!(run.duration_ms > 0.0);
    assert_eq!(run.flows.len(), 5);
    assert!(run.flows.iter().all(|f| f.state == FlowState::Completed));
    let progress = bench.progress.borrow().clone();
    assert_eq!(
        progress
            .iter()
            .filter(|p| p.state == FlowState::Running)
            .count(),
        5
    );
    assert_eq!(
        progress
            .iter()
            .filter(|p| p.state == FlowState::Completed)
            .count(),
        5
    );
    let first_bronze = rows_of(&data, "sensor_bronze");
    assert_eq!(first_bronze as usize, initial.summary.sensor_rows);
    assert_eq!(data.history.len(), 1);

    let more = landing(datagen::Batch::Increment(1));
    let Reply::Data(data) = bench.send(Request::LandMore).reply else {
        panic!("land more");
    };
    assert_eq!(data.increments, 1);
    // Markers (`_SUCCESS`) are written again under the same name; part files are new.
    let paths: std::collections::BTreeSet<&str> = initial
        .files
        .iter()
        .chain(&more.files)
        .map(|f| f.path.as_str())
        .collect();
    assert!(paths.len() > initial.files.len());
    assert_eq!(data.files as usize, paths.len());

    let (run, data) = bench.update(&project);
    assert_eq!(run.outcome, Outcome::Completed, "{run:?}");
    assert_eq!(run.number, 2);
    assert_eq!(
        rows_of(&data, "sensor_bronze"),
        first_bronze + more.summary.sensor_rows as u64
    );
    assert_eq!(data.history.len(), 2);
    let silver = run
        .flows
        .iter()
        .find(|f| f.dataset == "inspection_silver")
        .unwrap();
    assert!(silver.strategy.is_some(), "{silver:?}");
    let bronze_flow = run
        .flows
        .iter()
        .find(|f| f.dataset == "sensor_bronze")
        .unwrap();
    assert_eq!(bronze_flow.rows_written as usize, more.summary.sensor_rows);

    // Restore from what was stored: the same tables, volume and history.
    let mut reopened = bench.reopen();
    let restored = reopened.kernel.summary();
    assert_eq!(tables(&restored), tables(&data));
    assert_eq!(restored.history, data.history);
    assert_eq!(restored.files, data.files);
    assert_eq!(restored.increments, 1);
    assert_eq!(restored.storage.message, None);
    assert_eq!(
        restored.storage.bytes,
        reopened
            .disk
            .0
            .values()
            .map(|b| b.len() as u64)
            .sum::<u64>()
    );
    // The checkpoints came back: another update reads no file again.
    let (run, after) = reopened.update(&project);
    assert_eq!(run.outcome, Outcome::Completed, "{run:?}");
    let bronze_flow = run
        .flows
        .iter()
        .find(|f| f.dataset == "sensor_bronze")
        .unwrap();
    assert_eq!(bronze_flow.rows_written, 0);
    assert_eq!(
        rows_of(&after, "sensor_bronze"),
        rows_of(&data, "sensor_bronze")
    );
    assert_eq!(run.number, 3);
}

#[test]
fn test_syntax_error_is_placed_and_update_changes_nothing() {
    let mut bench = Workbench::new();
    let project = python_project();
    bench.generate();
    let (_, before) = bench.update(&project);
    let file = "src/silver/inspection_silver.py";
    let broken = edited(&project, file, |text| {
        let mut lines: Vec<&str> = text.lines().collect();
        lines.insert(7, "    x = 1 +* 2");
        lines.join("\n")
    });
    let Reply::Validation(validation) = bench
        .send(Request::Validate {
            project: broken.clone(),
            target: None,
        })
        .reply
    else {
        panic!("validation expected");
    };
    let problem = validation
        .problems
        .iter()
        .find(|p| {
            p.severity == Severity::Error
                && p.place.as_ref().and_then(|p| p.file.as_deref()) == Some(file)
        })
        .unwrap_or_else(|| panic!("a syntax error in {file}: {:?}", validation.problems));
    let place = problem.place.clone().expect("a place");
    assert_eq!((place.line, place.column), (8, 12), "{problem:?}");
    // Planning stopped, but the graph still shows what the loaded sources declare.
    let names: Vec<&str> = validation
        .graph
        .nodes
        .iter()
        .map(|n| n.name.as_str())
        .collect();
    assert!(names.contains(&"sensor_bronze"), "{names:?}");
    assert!(!names.contains(&"inspection_silver"), "{names:?}");
    assert!(validation.graph.edges.is_empty());

    bench.send(Request::LandMore);
    let (run, after) = bench.update(&broken);
    let Outcome::Failed { problem, .. } = &run.outcome else {
        panic!("the update should fail: {run:?}");
    };
    // The cause leads, not the tables the broken file would have declared.
    assert_eq!(
        problem.place.as_ref().and_then(|p| p.file.as_deref()),
        Some(file),
        "{problem:?}"
    );
    assert_eq!(tables(&after), tables(&before));
    assert_eq!(after.history.len(), 2);
}

#[test]
fn test_fail_expectation_names_it_and_changes_nothing() {
    let mut bench = Workbench::new();
    let project = python_project();
    bench.generate();
    let (_, before) = bench.update(&project);
    bench.send(Request::LandMore);
    let file = "src/bronze/sensor_bronze.py";
    let strict = edited(&project, file, |text| {
        text.replace(
            "@dp.expect(\"valid pressure\"",
            "@dp.expect_or_fail(\"valid pressure\"",
        )
    });
    let (run, after) = bench.update(&strict);
    let Outcome::Failed {
        problem,
        expectation,
        failing_row,
    } = &run.outcome
    else {
        panic!("the update should fail: {run:?}");
    };
    assert_eq!(expectation.as_deref(), Some("valid pressure"));
    assert!(problem.message.contains("valid pressure"), "{problem:?}");
    assert_eq!(
        problem.place.as_ref().and_then(|p| p.file.as_deref()),
        Some(file)
    );
    let row: serde_json::Value = serde_json::from_str(failing_row.as_deref().unwrap()).unwrap();
    let pressure = row["air_pressure"]
        .as_str()
        .map(|p| p.parse::<f64>().unwrap());
    assert!(pressure.is_none_or(|p| p <= 0.0), "{row}");
    assert_eq!(tables(&after), tables(&before));
    let failed = run.flows.last().unwrap();
    assert_eq!(
        (failed.dataset.as_str(), failed.state),
        ("sensor_bronze", FlowState::Failed)
    );

    // The history survives a reload too.
    let reopened = bench.reopen();
    assert_eq!(reopened.kernel.summary().history, after.history);
}

#[test]
fn test_failed_rows_of_a_warn_expectation_really_fail_it() {
    let mut bench = Workbench::new();
    bench.generate();
    let (run, _) = bench.update(&python_project());
    let metrics = run
        .flows
        .iter()
        .find(|f| f.dataset == "sensor_bronze")
        .unwrap()
        .expectations
        .iter()
        .find(|e| e.name == "valid pressure")
        .unwrap()
        .clone();
    assert!(metrics.failed > 0);
    let page = bench.rows(
        RowSource::FailedRows {
            dataset: "sensor_bronze".into(),
            expectation: "valid pressure".into(),
        },
        0,
        500,
        None,
    );
    assert_eq!(page.total_rows as u64, metrics.failed.min(200));
    let column = page
        .columns
        .iter()
        .position(|c| c.name == "air_pressure")
        .unwrap();
    for row in &page.rows {
        let value = row[column].as_deref().map(|v| v.parse::<f64>().unwrap());
        assert!(value.is_none_or(|v| v <= 0.0), "{row:?}");
    }
    // The failed rows survive a reload (a cancelled update restarts the worker).
    let mut reopened = bench.reopen();
    let again = reopened.rows(
        RowSource::FailedRows {
            dataset: "sensor_bronze".into(),
            expectation: "valid pressure".into(),
        },
        0,
        500,
        None,
    );
    assert_eq!((again.columns, again.rows), (page.columns, page.rows));
    let unknown = bench.try_rows(
        RowSource::FailedRows {
            dataset: "sensor_bronz".into(),
            expectation: "valid pressure".into(),
        },
        0,
        10,
        None,
    );
    let Err(problem) = unknown else {
        panic!("an error expected");
    };
    assert!(
        problem
            .suggestions
            .iter()
            .any(|s| s.contains("sensor_bronze")),
        "{problem:?}"
    );
}
