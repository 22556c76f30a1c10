//! Every SQL query of the lessons runs in the workbook: the `cell sql` blocks (the page's
//! console, prefilled) and every `sql` block that is not a pipeline file or marked
//! `databricks-only` with its reason. On the Python course project, after an update, more
//! landed data and a second update, each query answers rows, so a lesson never hands a
//! learner a query the engine rejects.

mod common;
mod lessons;

use common::*;
use lessons::{Block, all_blocks};
use protocol::{Outcome, Reply, Request, RowSource};

#[test]
fn test_every_lesson_query_answers_rows() {
    let queries: Vec<Block> = all_blocks()
        .into_iter()
        .filter(|b| b.is_query() || (b.lang == "cell" && b.words == ["sql"]))
        .collect();
    assert!(queries.len() >= 20, "the lessons have SQL queries");

    let mut bench = Workbench::new();
    bench.generate();
    let project = python_project();
    let (first, _) = bench.update(&project);
    assert_eq!(first.outcome, Outcome::Completed, "{first:?}");
    assert!(matches!(
        bench.send(Request::LandMore).reply,
        Reply::Data(_)
    ));
    let (second, _) = bench.update(&project);
    assert_eq!(second.outcome, Outcome::Completed, "{second:?}");

    let mut failures = Vec::new();
    for query in &queries {
        let source = RowSource::Query {
            sql: query.body.clone(),
        };
        match bench
            .send(Request::Rows {
                source,
                offset: 0,
                limit: 50,
                sort: None,
            })
            .reply
        {
            Reply::Rows(page) => println!(
                "{}: {} rows, first {:?}",
                query.at(),
                page.total_rows,
                page.rows.first()
            ),
            Reply::Error(problem) => failures.push(format!(
                "{}: {}\n{}",
                query.at(),
                problem.message,
                query.body
            )),
            other => failures.push(format!("{}: answered {other:?}", query.at())),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} lesson queries fail:\n\n{}",
        failures.len(),
        queries.len(),
        failures.join("\n\n")
    );
}

/// A block the engine cannot run says why, in words a learner can act on.
#[test]
fn test_databricks_only_blocks_give_a_reason() {
    for block in all_blocks() {
        if let Some(reason) = &block.promise.databricks_only {
            assert_eq!(
                block.lang,
                "sql",
                "{}: only SQL is marked databricks-only",
                block.at()
            );
            assert!(
                reason.split_whitespace().count() >= 4,
                "{}: `{reason}` is too short to be a reason",
                block.at()
            );
        }
    }
}
