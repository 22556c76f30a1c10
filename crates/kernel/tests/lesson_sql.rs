//! Every `cell sql` block of the lessons runs in the workbook: on the Python course project,
//! after an update, more landed data and a second update, each query answers rows, so a
//! lesson never hands a learner a query the engine rejects.

mod common;

use std::path::PathBuf;

use common::*;
use protocol::{Outcome, Reply, Request, RowSource};

/// One `cell sql` block: where it starts and its text.
struct LessonQuery {
    lesson: String,
    line: usize,
    sql: String,
}

/// The bodies of the ```` ```cell sql ```` blocks of one Markdown text: a fence is a line
/// starting with three backticks; the opening one's info string says what the block is.
fn sql_cells(lesson: &str, text: &str) -> Vec<LessonQuery> {
    let mut found = Vec::new();
    let mut open: Option<(bool, usize, Vec<&str>)> = None;
    for (index, line) in text.lines().enumerate() {
        let fence = line.trim_start().starts_with("```");
        match open.take() {
            None if fence => {
                let info = line.trim_start().trim_start_matches('`');
                let words: Vec<&str> = info.split_whitespace().collect();
                open = Some((words == ["cell", "sql"], index + 1, Vec::new()));
            }
            None => {}
            Some((true, start, body)) if fence => found.push(LessonQuery {
                lesson: lesson.to_string(),
                line: start,
                sql: body.join("\n"),
            }),
            Some((false, _, _)) if fence => {}
            Some((is_sql, start, mut body)) => {
                body.push(line);
                open = Some((is_sql, start, body));
            }
        }
    }
    assert!(open.is_none(), "{lesson}: a fenced block is never closed");
    found
}

fn lesson_queries() -> Vec<LessonQuery> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../lessons");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    paths.sort();
    assert!(
        paths.len() >= 5,
        "the five lessons are in {}",
        dir.display()
    );
    paths
        .iter()
        .flat_map(|path| {
            let text = std::fs::read_to_string(path).unwrap();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            sql_cells(&name, &text)
        })
        .collect()
}

#[test]
fn test_fence_scanner_finds_only_sql_cells() {
    let text = "# t\n```sql\nSELECT 0\n```\n```cell sql\nSELECT 1\nFROM x\n```\n```cell run\n```\n";
    let found = sql_cells("t.md", text);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].line, 5);
    assert_eq!(found[0].sql, "SELECT 1\nFROM x");
}

#[test]
fn test_every_lesson_sql_cell_answers_rows() {
    let queries = lesson_queries();
    assert!(!queries.is_empty(), "the lessons have SQL cells");

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
            sql: query.sql.clone(),
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
                "{}:{}: {} rows, first {:?}",
                query.lesson,
                query.line,
                page.total_rows,
                page.rows.first()
            ),
            Reply::Error(problem) => failures.push(format!(
                "{}:{}: {}\n{}",
                query.lesson, query.line, problem.message, query.sql
            )),
            other => failures.push(format!(
                "{}:{}: answered {other:?}",
                query.lesson, query.line
            )),
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
