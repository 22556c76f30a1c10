//! Lesson code blocks against the course projects: a block that shows a project file equals
//! it (`file=`), or its lines occur in it in order (`excerpt=`); a new version of a file
//! (`replaces=`) validates in the project as the page would validate it; every Python block
//! says which of these it is, and a `fragment` at least tokenizes. So a lesson cannot teach
//! code the project does not have or the engine does not accept.

mod lessons;

use lessons::{Block, all_blocks, project_dir, project_file};
use pipeline::{BundleOptions, Project, state::State, validate_project};

/// Lines compared without trailing whitespace (editors strip it, Markdown ignores it).
fn lines(text: &str) -> Vec<&str> {
    text.lines().map(str::trim_end).collect()
}

/// Why `block` differs from the file it says it shows, if it does.
fn file_mismatch(block: &Block, path: &str) -> Option<String> {
    let file = match project_file(path) {
        Ok(file) => file,
        Err(e) => return Some(format!("{}: {e}", block.at())),
    };
    let (shown, actual) = (lines(&block.body), lines(&file));
    let differs = (0..shown.len().max(actual.len())).find(|&i| shown.get(i) != actual.get(i))?;
    let line = |l: Option<&&str>| l.map_or("(no line)".to_string(), |l| format!("`{l}`"));
    Some(format!(
        "lessons/{}:{}: the block says it is `{path}`, but its line {} differs from the file's:\n  lesson: {}\n  file:   {}",
        block.lesson,
        block.body_line(differs),
        differs + 1,
        line(shown.get(differs)),
        line(actual.get(differs)),
    ))
}

/// Why `block` is not an excerpt of `path`: its first line (after the ones matched in order)
/// that the file does not have. `...` and `…` lines elide.
fn excerpt_mismatch(block: &Block, path: &str) -> Option<String> {
    let file = match project_file(path) {
        Ok(file) => file,
        Err(e) => return Some(format!("{}: {e}", block.at())),
    };
    let actual = lines(&file);
    let mut next = 0;
    for (index, shown) in lines(&block.body).into_iter().enumerate() {
        if shown.trim().is_empty() || matches!(shown.trim(), "..." | "…") {
            continue;
        }
        match actual[next..].iter().position(|l| *l == shown) {
            Some(found) => next += found + 1,
            None => {
                let anywhere = actual.contains(&shown);
                return Some(format!(
                    "lessons/{}:{}: the block says it is an excerpt of `{path}`, but {}:\n  lesson: `{shown}`",
                    block.lesson,
                    block.body_line(index),
                    if anywhere {
                        "this line comes before the excerpt's previous line in the file"
                    } else {
                        "the file has no such line"
                    }
                ));
            }
        }
    }
    None
}

#[test]
fn test_file_blocks_equal_their_project_files() {
    let blocks = all_blocks();
    let shown: Vec<&Block> = blocks.iter().filter(|b| b.promise.file.is_some()).collect();
    assert!(shown.len() >= 5, "the lessons show project files");
    let failures: Vec<String> = shown
        .iter()
        .filter_map(|b| file_mismatch(b, b.promise.file.as_deref().unwrap()))
        .collect();
    assert!(failures.is_empty(), "\n{}\n", failures.join("\n\n"));
}

#[test]
fn test_excerpt_blocks_occur_in_their_project_files() {
    let blocks = all_blocks();
    let failures: Vec<String> = blocks
        .iter()
        .filter_map(|b| Some(excerpt_mismatch(b, b.promise.excerpt.as_deref()?)))
        .flatten()
        .collect();
    assert!(failures.is_empty(), "\n{}\n", failures.join("\n\n"));
}

/// The resolved pipelines of a target, setting by setting, as far as a learner's deployment
/// depends on them.
fn resolved_pipelines(project: &Project, target: &str) -> Result<Vec<(String, String)>, String> {
    let options = BundleOptions {
        target: Some(target.to_string()),
        ..BundleOptions::default()
    };
    let found = validate_project(project, &options, &State::new());
    if !found.is_ok() {
        return Err(found.diagnostics.to_string());
    }
    let bundle = found.bundle.expect("a bundle without errors resolves");
    let render = |node: &Option<pipeline::bundle::yaml::Node>| {
        node.as_ref()
            .map_or("(none)".to_string(), pipeline::bundle::render)
    };
    let mut settings = vec![(
        "workspace.root_path".to_string(),
        format!("{:?}", bundle.workspace.get("root_path")),
    )];
    for p in &bundle.pipelines {
        let sources: Vec<&str> = p.sources.iter().map(|s| s.path.as_str()).collect();
        for (name, value) in [
            ("name", p.name.clone()),
            ("catalog", p.catalog.clone()),
            ("schema", p.schema.clone()),
            ("sources", format!("{sources:?}")),
            ("configuration", format!("{:?}", p.configuration)),
            ("channel", p.channel.clone()),
            ("edition", p.edition.clone()),
            ("development", p.development.to_string()),
            ("continuous", p.continuous.to_string()),
            ("photon", p.photon.to_string()),
            ("serverless", format!("{:?}", p.serverless)),
            ("clusters", render(&p.clusters)),
            ("notifications", render(&p.notifications)),
        ] {
            settings.push((format!("{}.{name}", p.key), value));
        }
    }
    Ok(settings)
}

/// The settings two resolutions disagree on, one line each.
fn differences(ours: &[(String, String)], theirs: &[(String, String)]) -> Vec<String> {
    let mut out = Vec::new();
    for (name, value) in theirs {
        match ours.iter().find(|(n, _)| n == name) {
            Some((_, mine)) if mine == value => {}
            Some((_, mine)) => out.push(format!("  {name}: lesson {mine:?}, project {value:?}")),
            None => out.push(format!(
                "  {name}: missing in the lesson's (project: {value:?})"
            )),
        }
    }
    for (name, _) in ours
        .iter()
        .filter(|(n, _)| !theirs.iter().any(|(t, _)| t == n))
    {
        out.push(format!("  {name}: only in the lesson's"));
    }
    out
}

/// A `replaces=` block is a whole new version of a project file: with it in place the project
/// validates (the Python front end loads it, SQL parses and plans). A new `databricks.yml`
/// must also resolve, in every target, to the same pipelines as the project's own.
#[test]
fn test_replacement_files_validate_in_their_project() {
    let blocks = all_blocks();
    let mut failures = Vec::new();
    let mut checked = 0;
    for block in &blocks {
        let Some(path) = &block.promise.replaces else {
            continue;
        };
        checked += 1;
        let original = Project::from_dir(&project_dir(path)).unwrap();
        let mut project = original.clone();
        if project.get(path).is_none() {
            failures.push(format!(
                "{}: `replaces={path}` names no file of the project",
                block.at()
            ));
            continue;
        }
        project.insert(path, format!("{}\n", block.body));
        for target in ["dev", "prod"] {
            match (
                resolved_pipelines(&project, target),
                resolved_pipelines(&original, target),
            ) {
                (Err(problems), _) => failures.push(format!(
                    "{}: with this block as `{path}`, the {target} target does not validate:\n{problems}",
                    block.at()
                )),
                (Ok(ours), Ok(theirs)) if path == "databricks.yml" && ours != theirs => failures
                    .push(format!(
                        "{}: this databricks.yml resolves the {target} target differently from the project's:\n{}",
                        block.at(),
                        differences(&ours, &theirs).join("\n")
                    )),
                _ => {}
            }
        }
    }
    assert!(checked >= 3, "the lessons show whole new versions of files");
    assert!(failures.is_empty(), "\n{}\n", failures.join("\n\n"));
}

/// "Every Python pipeline block is loaded by the Python front end": a Python block says what
/// it is; a fragment (a decorator or a call to paste into a file) must at least tokenize.
#[test]
fn test_python_blocks_say_what_they_are_and_fragments_tokenize() {
    let mut failures = Vec::new();
    for block in all_blocks().iter().filter(|b| b.lang == "python") {
        let p = &block.promise;
        if p.file.is_none() && p.excerpt.is_none() && p.replaces.is_none() && !p.fragment {
            failures.push(format!(
                "{}: a Python block says what it is: file=<path>, excerpt=<path>, replaces=<path> or fragment",
                block.at()
            ));
        } else if p.fragment
            && let Err(e) = pipeline::python::lexer::tokenize(&block.body)
        {
            failures.push(format!(
                "{}: the fragment does not tokenize: {e:?}",
                block.at()
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}\n", failures.join("\n\n"));
}

#[test]
fn test_every_yaml_block_parses() {
    let mut failures = Vec::new();
    let mut parsed = 0;
    for block in all_blocks().iter().filter(|b| b.lang == "yaml") {
        parsed += 1;
        if let Err(problems) = pipeline::bundle::yaml::parse("block", &block.body) {
            failures.push(format!(
                "{}: the YAML does not parse (lines count from the block's first line):\n{problems}",
                block.at()
            ));
        }
    }
    assert!(parsed >= 4, "the lessons show YAML");
    assert!(failures.is_empty(), "\n{}\n", failures.join("\n\n"));
}

#[test]
fn test_every_json_block_parses() {
    let mut failures = Vec::new();
    for block in all_blocks().iter().filter(|b| b.lang == "json") {
        if let Err(e) = serde_json::from_str::<serde_json::Value>(&block.body) {
            failures.push(format!("{}: the JSON does not parse: {e}", block.at()));
        }
    }
    assert!(failures.is_empty(), "\n{}\n", failures.join("\n\n"));
}

/// Commands are fenced `bash` (so they are highlighted and copied as shell), and every `bash`
/// block is valid shell (`bash -n`).
#[test]
fn test_shell_blocks_are_bash_and_parse() {
    const COMMANDS: &[&str] = &["databricks ", "cargo ", "iotwb ", "pip ", "git ", "curl "];
    let mut failures = Vec::new();
    for block in all_blocks() {
        let commands = block
            .body
            .lines()
            .any(|l| COMMANDS.iter().any(|c| l.trim_start().starts_with(c)));
        if commands && !matches!(block.lang.as_str(), "bash" | "yaml") {
            failures.push(format!(
                "{}: a block of shell commands is fenced `bash`, not `{}`",
                block.at(),
                block.lang
            ));
        }
        if block.lang == "bash" {
            let checked = std::process::Command::new("bash")
                .args(["-n", "-c", &block.body])
                .output();
            if let Ok(out) = checked
                && !out.status.success()
            {
                failures.push(format!(
                    "{}: bash -n rejects the block: {}",
                    block.at(),
                    String::from_utf8_lossy(&out.stderr)
                ));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}\n", failures.join("\n\n"));
}
