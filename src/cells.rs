//! Workbench cells in lessons: a fenced block whose info string starts with `cell` places a
//! live piece of the workbench in the lesson text, so lesson authors place them in Markdown
//! without writing Rust:
//!
//! ````markdown
//! ```cell sql
//! SELECT count(*) FROM sensor_bronze
//! ```
//! ````
//!
//! | info string | what the learner gets |
//! |---|---|
//! | `cell generate` | the generator: seed, preset, dirty-data switches, Generate, Land more data |
//! | `cell run` | the run toolbar and the pipeline graph |
//! | `cell file <path>` | that project file in the editor, its problems, and the run toolbar |
//! | `cell sql` | the SQL console, prefilled with the block's text |
//! | `cell table <name>` | the rows of one table |
//! | `cell quality` | the data-quality metrics of the last run |
//! | `cell events` | the event log |
//! | `cell history` | the run history |
//! | `cell dashboard` | the project's dashboard, with its filters and Refresh |
//! | `cell alert` | the project's SQL alert, its simulated clock and history |
//! | `cell timeseries` | module 3's pictures: EMA, resample buckets, as-of links |
//! | `cell exercise <id>` | an exercise (written as an ```` ```exercise ```` block; see the README) |
//!
//! A cell's block text is its starting content (the query of a `sql` cell); for the others it
//! is ignored, so authors may leave a comment there.
//!
//! Which blocks are cells is decided when the lessons are rendered, at build time
//! (`markdown::is_cell`); the block arrives here as written and is parsed when the page shows
//! it, so a wrong cell shows its error in place.

/// What a cell shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CellKind {
    /// The generator panel.
    Generate,
    /// The run toolbar and the graph.
    Run,
    /// One project file in the editor.
    File(String),
    /// The SQL console with a prefilled query.
    Sql,
    /// One table's rows.
    Table(String),
    /// Data-quality metrics.
    Quality,
    /// The event log.
    Events,
    /// The run history.
    History,
    /// The project's dashboard.
    Dashboard,
    /// The project's SQL alert.
    Alert,
    /// The time-series pictures.
    TimeSeries,
    /// An exercise (`build.rs` turns each ```` ```exercise ```` block into one).
    Exercise(String),
}

/// One cell: its kind and the block's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellSpec {
    /// What it shows.
    pub kind: CellKind,
    /// The fenced block's text.
    pub body: String,
}

/// The kinds, as authors write them (for error messages).
pub const KINDS: &[&str] = &[
    "generate",
    "run",
    "file <path>",
    "sql",
    "table <name>",
    "quality",
    "events",
    "history",
    "dashboard",
    "alert",
    "timeseries",
    "exercise <id>",
];

/// The cell an info string (`cell <kind> [argument]`) asks for; an error sentence naming the
/// valid kinds otherwise.
///
/// # Examples
/// ```
/// use iot_workbook::cells::{CellKind, parse};
/// assert_eq!(parse("cell file src/gold/inspection_gold.py", "").unwrap().kind,
///            CellKind::File("src/gold/inspection_gold.py".into()));
/// assert!(parse("cell chart", "").unwrap_err().contains("sql"));
/// ```
pub fn parse(info: &str, body: &str) -> Result<CellSpec, String> {
    let mut words = info.split_whitespace().skip(1);
    let kind = words.next().unwrap_or_default();
    let argument = words.next().map(str::to_string);
    let needs = |what: &str| {
        format!(
            "`cell {kind}` needs {what}, for example `cell {kind} {}`",
            if kind == "file" {
                "src/silver/inspection_silver.py"
            } else {
                "inspection_gold"
            }
        )
    };
    let kind = match (kind, argument) {
        ("generate", None) => CellKind::Generate,
        ("run", None) => CellKind::Run,
        ("sql", None) => CellKind::Sql,
        ("quality", None) => CellKind::Quality,
        ("events", None) => CellKind::Events,
        ("history", None) => CellKind::History,
        ("dashboard", None) => CellKind::Dashboard,
        ("alert", None) => CellKind::Alert,
        ("timeseries", None) => CellKind::TimeSeries,
        ("file", Some(path)) => CellKind::File(path),
        ("table", Some(name)) => CellKind::Table(name),
        ("exercise", Some(id)) => CellKind::Exercise(id),
        ("file", None) => return Err(needs("a project file's path")),
        ("table", None) => return Err(needs("a table's name")),
        ("exercise", None) => return Err("`cell exercise` needs an exercise id".into()),
        (kind, Some(extra)) if KINDS.contains(&kind) => {
            return Err(format!(
                "`cell {kind}` takes no argument, but got `{extra}`"
            ));
        }
        (kind, _) => {
            return Err(format!(
                "unknown cell kind `{kind}`; the kinds are: {}",
                KINDS.join(", ")
            ));
        }
    };
    Ok(CellSpec {
        kind,
        body: body.trim_end().to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(not(target_arch = "wasm32"))]
    use crate::lessons::LESSONS;
    #[cfg(not(target_arch = "wasm32"))]
    use crate::markdown::{Segment, render};
    #[cfg(not(target_arch = "wasm32"))]
    use crate::workbench::files::originals;

    #[test]
    fn test_parse_every_kind() {
        assert_eq!(parse("cell run", "").unwrap().kind, CellKind::Run);
        assert_eq!(parse("cell sql", "SELECT 1\n").unwrap().body, "SELECT 1");
        assert_eq!(
            parse("cell table t", "").unwrap().kind,
            CellKind::Table("t".into())
        );
        assert!(parse("cell file", "").unwrap_err().contains("path"));
        assert!(
            parse("cell run now", "")
                .unwrap_err()
                .contains("takes no argument")
        );
    }

    /// Every cell of every lesson parses, and every file cell names a published file of the
    /// Python project, so a renamed course file fails here instead of in front of a learner.
    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn test_lesson_cells_are_valid() {
        let files: Vec<&str> = originals(protocol::Variant::Python)
            .iter()
            .map(|(p, _)| *p)
            .collect();
        let mut cells = 0;
        for lesson in LESSONS {
            for segment in render(lesson.body).segments {
                if let Segment::Cell { info, body } = segment {
                    let cell =
                        parse(&info, &body).unwrap_or_else(|e| panic!("lesson {}: {e}", lesson.id));
                    if let CellKind::File(path) = &cell.kind {
                        assert!(
                            files.contains(&path.as_str()),
                            "lesson {}: no file {path}",
                            lesson.id
                        );
                    }
                    cells += 1;
                }
            }
        }
        assert!(
            cells >= LESSONS.len(),
            "every lesson has at least one cell ({cells} in all)"
        );
    }
}
