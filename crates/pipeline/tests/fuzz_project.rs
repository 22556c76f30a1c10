//! Everything a learner edits in a project is untrusted input: the bundle's YAML and its
//! `${...}` interpolation, SDP SQL and the `pyspark.pipelines` Python subset. One file of a
//! course project is mutated (or replaced by random text), then the project is validated as
//! the editor does on every keystroke (bundle, sources, planning): every input must come back
//! as diagnostics, each error at a line:col inside a file of the project, never as a panic, a
//! stack overflow or a hang. Inputs that once failed are replayed from
//! `tests/fuzz_regressions/project` (`<what>-<python|sql>__<path with / as __>` holds the text of
//! that file of that course project).

use std::path::Path;

use fuzzkit::mutate::{mutated, random_text};
use pipeline::state::State;
use pipeline::{BundleOptions, Project, Severity, projects, validate_project};
use proptest::prelude::*;

/// A course project's file replaced by `text`, validated for `target` with `vars`.
#[derive(Debug, Clone)]
struct Input {
    python: bool,
    path: String,
    text: String,
    target: Option<String>,
    vars: Vec<String>,
}

fn course(python: bool) -> Project {
    if python {
        projects::iot_python()
    } else {
        projects::iot_sql()
    }
}

/// Files a learner edits that a parser reads (the dashboard has its own fuzz test in kernel).
fn editable(project: &Project) -> Vec<(String, String)> {
    project
        .files()
        .filter(|(p, _)| [".yml", ".sql", ".py"].iter().any(|x| p.ends_with(x)))
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .collect()
}

fn input() -> impl Strategy<Value = Input> {
    (any::<bool>(), any::<prop::sample::Index>(), any::<bool>())
        .prop_flat_map(|(python, which, random)| {
            let files = editable(&course(python));
            let (path, text) = files[which.index(files.len())].clone();
            let text = if random {
                random_text(300).boxed()
            } else {
                mutated(vec![text]).boxed()
            };
            let target = prop::option::of(prop::sample::select(vec![
                "dev".to_string(),
                "prod".to_string(),
                "${var.x}".to_string(),
                "nope".to_string(),
            ]));
            let vars = prop::collection::vec("[a-z_]{1,8}=[^\n]{0,12}|[a-z$={}]{0,8}", 0..3);
            (Just(python), Just(path), text, target, vars)
        })
        .prop_map(|(python, path, text, target, vars)| Input {
            python,
            path,
            text,
            target,
            vars,
        })
}

fn check(input: Input) -> Result<(), String> {
    let mut project = course(input.python);
    project.insert(&input.path, input.text);
    let options = match BundleOptions::with_vars(input.target.as_deref(), &input.vars) {
        Ok(options) => options,
        // Malformed `--var` text is refused up front; that refusal must be explained too.
        Err(problems) if problems.has_errors() => return Ok(()),
        Err(_) => BundleOptions::default(),
    };
    let found = validate_project(&project, &options, &State::new());
    for d in &found.diagnostics.0 {
        if d.severity != Severity::Error {
            continue;
        }
        let Some(at) = &d.location else {
            // The command line's `--var name=value` and `--target` have no file to point at.
            if d.message.starts_with("`--var") || d.message.starts_with("unknown target") {
                continue;
            }
            return Err(format!("an error without a location: {d}"));
        };
        let Some(text) = project.get(&at.file) else {
            // A missing library file is reported where the bundle names it; any other file
            // must be one of the project's.
            return Err(format!("an error in a file the project lacks: {d}"));
        };
        // Editors and YAML break lines at `\n`, `\r\n` and a lone `\r`.
        let lines = text.replace("\r\n", "\n").split(['\n', '\r']).count() as u32;
        if at.line == 0 || at.column == 0 || at.line > lines + 1 {
            return Err(format!("{d}: line {} of {lines}", at.line));
        }
    }
    Ok(())
}

#[test]
fn mutated_course_files_always_validate_to_located_diagnostics() {
    fuzzkit::fuzz("project", 120, input(), check);
}

#[test]
fn project_files_that_once_failed_still_validate() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions/project");
    for (name, text) in fuzzkit::regressions::cases(&dir) {
        let (label, path) = name
            .split_once("__")
            .expect("<what>-<python|sql>__<path with / as __>");
        let input = Input {
            python: label.ends_with("python"),
            path: path.replace("__", "/"),
            text,
            target: None,
            vars: Vec::new(),
        };
        fuzzkit::guarded(&format!("project regression {name}"), input, check);
    }
}
