//! The lessons' exercises: every front-matter objective is practised by at least one, and
//! every exercise's check fails on its starting state and passes with its solution, on data
//! from seeds the lessons never show.

mod common;
mod lessons;

use std::collections::BTreeMap;

use common::*;
use kernel::Kernel;
use lessons::documents;
use protocol::{CheckResult, Exercise, ProjectFiles, Reply, Request, apply_edits};

/// Every exercise with its lesson file, block line and the lesson's objective count.
fn exercises() -> Vec<(String, usize, usize, Exercise)> {
    let mut out = Vec::new();
    for (name, text) in documents() {
        if !name.starts_with(|c: char| c.is_ascii_digit()) {
            continue;
        }
        let objectives = objective_count(&text);
        for block in lessons::blocks(&name, &text).unwrap() {
            if block.lang == "exercise" {
                let exercise: Exercise = serde_norway::from_str(&block.body)
                    .unwrap_or_else(|e| panic!("{}: {e}", block.at()));
                out.push((name.clone(), block.line, objectives, exercise));
            }
        }
    }
    out
}

fn objective_count(text: &str) -> usize {
    let front = text.split("\n---\n").next().unwrap();
    front
        .lines()
        .skip_while(|l| !l.starts_with("objectives:"))
        .skip(1)
        .take_while(|l| l.starts_with("  - "))
        .count()
}

fn files_of(project: &ProjectFiles) -> BTreeMap<String, String> {
    project.files.iter().cloned().collect()
}

fn project(files: BTreeMap<String, String>) -> ProjectFiles {
    ProjectFiles {
        files: files.into_iter().collect(),
    }
}

fn check(files: &BTreeMap<String, String>, exercise: &Exercise, seed: u64) -> CheckResult {
    let (mut kernel, _) = Kernel::restore(host(), BTreeMap::new());
    let request = Request::Check {
        project: project(files.clone()),
        check: exercise.check.clone(),
        seed,
    };
    match kernel.handle(request, None, Box::new(|_| {})).reply {
        Reply::Checked(result) => result,
        other => panic!("check answered {other:?}"),
    }
}

#[test]
fn test_every_objective_is_practised() {
    let all = exercises();
    let mut missing = Vec::new();
    for (name, text) in documents() {
        if !name.starts_with(|c: char| c.is_ascii_digit()) {
            continue;
        }
        let count = objective_count(&text);
        assert!(count >= 3, "{name}: objectives found");
        let mine: Vec<&Exercise> = all.iter().filter(|e| e.0 == name).map(|e| &e.3).collect();
        assert!(
            mine.len() >= 3,
            "{name} has {} exercises; at least 3",
            mine.len()
        );
        for objective in 1..=count as u32 {
            if !mine.iter().any(|e| e.objectives.contains(&objective)) {
                missing.push(format!("{name}: objective {objective}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "objectives no exercise practises: {missing:?}"
    );
}

#[test]
fn test_exercise_ids_are_unique_and_well_formed() {
    let all = exercises();
    for (name, line, objectives, e) in &all {
        let problems = protocol::shape_problems(e, *objectives);
        assert!(problems.is_empty(), "lessons/{name}:{line}: {problems:?}");
        assert_eq!(
            all.iter().filter(|o| o.3.id == e.id).count(),
            1,
            "{} twice",
            e.id
        );
    }
}

/// Each exercise: the starting state fails its check and the solution passes it, on two
/// seeds, and what a failed check says names what it looked at and a hint.
#[test]
fn test_solutions_pass_and_starting_states_fail() {
    let only = std::env::var("EXERCISE").ok();
    let published = files_of(&python_project());
    let mut failures = Vec::new();
    for (name, line, _, exercise) in exercises() {
        if only.as_ref().is_some_and(|o| *o != exercise.id) {
            continue;
        }
        let at = format!("lessons/{name}:{line} ({})", exercise.id);
        let mut start = published.clone();
        apply_edits(&mut start, &exercise.setup).unwrap_or_else(|e| panic!("{at}: setup {e}"));
        let mut solved = start.clone();
        apply_edits(&mut solved, &exercise.solution)
            .unwrap_or_else(|e| panic!("{at}: solution {e}"));
        for seed in [7, 20_260_101] {
            let before = check(&start, &exercise, seed);
            println!("{at} seed {seed} start: {before:#?}");
            if before.passed {
                failures.push(format!("{at}: the starting state passes (seed {seed})"));
            }
            for f in before.findings.iter().filter(|f| !f.passed) {
                assert!(f.hint.as_ref().is_some_and(|h| h.len() > 20), "{at}: {f:?}");
                assert!(!f.found.is_empty() && !f.look.is_empty(), "{at}: {f:?}");
            }
            let after = check(&solved, &exercise, seed);
            if !after.passed {
                failures.push(format!(
                    "{at}: the solution fails (seed {seed}): {after:#?}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// A check leaves the learner's own workspace as it was.
#[test]
fn test_a_check_touches_no_learner_data() {
    let mut bench = Workbench::new();
    bench.generate();
    let (run, before) = bench.update(&python_project());
    assert_eq!(run.outcome, protocol::Outcome::Completed);
    let (_, _, _, exercise) = exercises().into_iter().next().expect("an exercise");
    let out = bench.send(Request::Check {
        project: python_project(),
        check: exercise.check.clone(),
        seed: 99,
    });
    assert!(matches!(out.reply, Reply::Checked(_)));
    assert!(out.store.is_empty(), "a check saves nothing");
    let after = match bench.send(Request::Data).reply {
        Reply::Data(d) => d,
        other => panic!("{other:?}"),
    };
    assert_eq!(tables(&before), tables(&after));
    assert_eq!(before.history.len(), after.history.len());
}
