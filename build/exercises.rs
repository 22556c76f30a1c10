//! The lessons' ```` ```exercise ```` blocks, for `build.rs`: each is parsed as YAML into a
//! `protocol::Exercise`, checked (its shape, and that its setup and solution apply to the
//! published Python project), and replaced in the lesson body by a ```` ```cell exercise <id>
//! ```` cell, so the exercise's text is compiled into the app once, as JSON (with its texts
//! rendered to HTML by `pages::exercise_html`).

use std::collections::BTreeMap;
use std::path::Path;

/// The published Python project's files (exercises edit it).
fn published() -> BTreeMap<String, String> {
    let root = Path::new(&std::env::var("CARGO_MANIFEST_DIR").unwrap())
        .join("crates/pipeline/projects/iot_python");
    let mut files = BTreeMap::new();
    read(&root, &root, &mut files);
    files
}

fn read(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            read(root, &path, out);
        } else if let Ok(text) = std::fs::read_to_string(&path) {
            let relative = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.insert(relative, text);
        }
    }
}

/// `(new body, exercises)`; the error names `file:line:col` and what is wrong.
/// `first_line` is the body's first line in the file; `objectives` the lesson's count.
pub fn extract(
    name: &str,
    body: &str,
    first_line: usize,
    objectives: usize,
) -> Result<(String, Vec<protocol::Exercise>), String> {
    let mut out = String::with_capacity(body.len());
    let mut found = Vec::new();
    let mut lines = body.split_inclusive('\n').enumerate();
    let published = published();
    while let Some((index, line)) = lines.next() {
        if line.trim_end() != "```exercise" {
            out.push_str(line);
            continue;
        }
        let fence = first_line + index;
        let mut yaml = String::new();
        let mut closed = false;
        let mut block_lines = 1;
        for (_, line) in lines.by_ref() {
            block_lines += 1;
            if line.trim_end() == "```" {
                closed = true;
                break;
            }
            yaml.push_str(line);
        }
        if !closed {
            return Err(format!(
                "{name}:{fence}:1: the exercise block is never closed by ```"
            ));
        }
        let exercise: protocol::Exercise =
            serde_norway::from_str(&yaml).map_err(|e| match e.location() {
                Some(loc) => format!(
                    "{name}:{}:{}: exercise: {e}",
                    fence + loc.line(),
                    loc.column()
                ),
                None => format!("{name}:{fence}:1: exercise: {e}"),
            })?;
        let mut problems = protocol::shape_problems(&exercise, objectives);
        let mut start = published.clone();
        if let Err(e) = protocol::apply_edits(&mut start, &exercise.setup) {
            problems.push(format!("setup {e}"));
        } else if let Err(e) = protocol::apply_edits(&mut start, &exercise.solution) {
            problems.push(format!("solution (applied after the setup) {e}"));
        }
        if !problems.is_empty() {
            return Err(format!(
                "{name}:{fence}:1: exercise `{}`: {}",
                exercise.id,
                problems.join("; ")
            ));
        }
        // As many lines as the block had, so a body line is still its file's line minus the
        // front matter (the lesson checks report places that way).
        out.push_str(&format!(
            "```cell exercise {}\n{}```\n",
            exercise.id,
            "\n".repeat(block_lines - 2)
        ));
        found.push(exercise);
    }
    Ok((out, found))
}
