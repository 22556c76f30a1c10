//! An exercise's files: its starting state (the published originals of the files it touches,
//! with its setup applied) and its solution (the starting state with the solution applied).
//! Exercises are written for the Python project.

use std::collections::BTreeMap;

use protocol::{Exercise, Variant, apply_edits, touched_files};

use crate::workbench::files::originals;

/// The published Python files an exercise touches, by path.
fn published_touched(exercise: &Exercise) -> BTreeMap<String, String> {
    let touched = touched_files(exercise);
    originals(Variant::Python)
        .iter()
        .filter(|(p, _)| touched.iter().any(|t| t == p))
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .collect()
}

/// The text of each touched file at the start of the exercise. `build.rs` checked that the
/// setup applies, so an error here means a stale build; it says so.
pub fn start_files(exercise: &Exercise) -> Result<BTreeMap<String, String>, String> {
    let mut files = published_touched(exercise);
    apply_edits(&mut files, &exercise.setup)?;
    Ok(files)
}

/// The text of each touched file in the exercise's solution.
pub fn solution_files(exercise: &Exercise) -> Result<BTreeMap<String, String>, String> {
    let mut files = start_files(exercise)?;
    apply_edits(&mut files, &exercise.solution)?;
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lessons::{EXERCISES, exercise};

    /// Every exercise starts from files that differ from its solution, in the files it touches.
    #[test]
    fn test_every_exercise_has_a_start_and_a_different_solution() {
        for (_, id, _) in EXERCISES {
            let (_, ex) = exercise(id).unwrap();
            let start = start_files(&ex).unwrap();
            let solution = solution_files(&ex).unwrap();
            assert_eq!(
                start.keys().collect::<Vec<_>>(),
                solution.keys().collect::<Vec<_>>()
            );
            assert_ne!(start, solution, "{id}: the solution changes nothing");
        }
    }
}
