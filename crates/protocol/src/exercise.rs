//! Exercises: what a lesson's ```` ```exercise ```` block declares (goal, setup, hints,
//! prediction, solution, check), the check the page asks the engine to run
//! ([`crate::Request::Check`]) and what the engine found ([`CheckResult`]).
//!
//! The block is YAML shaped like [`Exercise`]; `build.rs` parses and checks it, so a malformed
//! exercise fails the build. Edits ([`Edit`]) and their application ([`apply_edits`]) live here
//! because the build, the page and the engine's tests all apply them the same way.

use serde::{Deserialize, Serialize};

use crate::data::DirtySettings;

/// One exercise, as written in a lesson.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exercise {
    /// Unique across the course, kebab-case (progress is saved under it).
    pub id: String,
    /// A short name.
    pub title: String,
    /// What to achieve, in one or two sentences.
    pub goal: String,
    /// The lesson objectives it practises, 1-based positions in the front matter's list.
    pub objectives: Vec<u32>,
    /// Changes to the published files that make the starting state.
    #[serde(default)]
    pub setup: Vec<Edit>,
    /// Progressive hints, the gentlest first.
    pub hints: Vec<String>,
    /// A question to answer before checking.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub predict: Option<Prediction>,
    /// Changes from the starting state to a solution.
    pub solution: Vec<Edit>,
    /// How the engine checks it.
    pub check: CheckSpec,
}

/// One change to one project file: `find` (which must occur exactly once) becomes
/// `replace`; without `find`, `replace` is the whole new file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Edit {
    /// Project path.
    pub file: String,
    /// The text to replace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub find: Option<String>,
    /// Its replacement.
    pub replace: String,
}

/// A prediction: answered before the check runs, compared with what the run showed after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prediction {
    /// The question.
    pub question: String,
    /// The possible answers.
    pub choices: Vec<String>,
    /// The right one, 1-based.
    pub answer: u32,
    /// Why, shown after the check.
    pub explain: String,
}

/// What the engine does to check: build a scratch workspace from the learner's files, run
/// `steps` on freshly generated data, then test each assertion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckSpec {
    /// Bundle target (`None`: the default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// Dirty-data switches of the generated data.
    #[serde(default)]
    pub dirty: DirtySettings,
    /// Dirty-data switches of the landed increments, when they differ from the initial load's
    /// (a column that appears only later).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub land_dirty: Option<DirtySettings>,
    /// What to think about when an update fails (the general advice otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failed_update_hint: Option<String>,
    /// What to run, in order.
    #[serde(default)]
    pub steps: Vec<Step>,
    /// What must hold afterwards.
    #[serde(rename = "assert")]
    pub assertions: Vec<Assertion>,
}

/// One step of a check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// Generate the initial load (tiny preset, the check's seed).
    Generate,
    /// Land the next increment.
    Land,
    /// Run an update; it must complete.
    Update,
    /// Run a full refresh of every table; it must complete.
    FullRefresh,
}

/// One assertion: a value to look at (exactly one of `sql`, `sql_at`, `dataset`, `config`)
/// and the condition it must meet (exactly one of `equals`, `at_least`, `at_most`, `same_as`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Assertion {
    /// What it looks at, in words ("rows of sensor_bronze with a negative pressure").
    pub look: String,
    /// A query; its first row's first cell is the value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sql: Option<String>,
    /// A path in the resolved bundle whose value is a query to run (an alert's `query_text`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sql_at: Option<String>,
    /// A dashboard dataset, by display name: its query is run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dataset: Option<String>,
    /// A path in the resolved bundle (`resources.pipelines.p.schema`); its value is compared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<String>,
    /// Condition: equal to this (numbers compare as numbers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equals: Option<serde_json::Value>,
    /// Condition: a number at least this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_least: Option<f64>,
    /// Condition: a number at most this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_most: Option<f64>,
    /// Condition: the query's rows equal this reference query's rows (any order).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub same_as: Option<String>,
    /// What to think about when it fails.
    pub hint: String,
}

impl Assertion {
    /// How many of the four sources it names (a well-formed assertion names one).
    pub fn sources(&self) -> usize {
        [&self.sql, &self.sql_at, &self.dataset, &self.config]
            .iter()
            .filter(|s| s.is_some())
            .count()
    }

    /// The condition; `None` unless exactly one is given.
    pub fn expect(&self) -> Option<Expect> {
        let all = [
            self.equals.clone().map(Expect::Equals),
            self.at_least.map(Expect::AtLeast),
            self.at_most.map(Expect::AtMost),
            self.same_as.clone().map(Expect::SameAs),
        ];
        let mut given = all.into_iter().flatten();
        let first = given.next();
        if given.next().is_some() { None } else { first }
    }
}

/// A condition on a value.
#[derive(Debug, Clone, PartialEq)]
pub enum Expect {
    /// Equal to this (numbers compare as numbers).
    Equals(serde_json::Value),
    /// A number at least this.
    AtLeast(f64),
    /// A number at most this.
    AtMost(f64),
    /// Every row equal to this query's rows (any order).
    SameAs(String),
}

impl Expect {
    /// The condition in words.
    pub fn describe(&self) -> String {
        match self {
            Expect::Equals(serde_json::Value::String(s)) => format!("= {s}"),
            Expect::Equals(v) => format!("= {v}"),
            Expect::AtLeast(n) => format!("≥ {n}"),
            Expect::AtMost(n) => format!("≤ {n}"),
            Expect::SameAs(_) => "the same rows as the reference query".to_string(),
        }
    }
}

/// What the engine found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckResult {
    /// Every assertion held.
    pub passed: bool,
    /// The seed the data was generated with.
    pub seed: u64,
    /// What ran, one sentence per step (with the rows each flow wrote: what the learner
    /// compares a prediction with).
    pub ran: Vec<String>,
    /// One per assertion tested (a failed step stops before the assertions).
    pub findings: Vec<Finding>,
}

/// One assertion's outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// What it looked at.
    pub look: String,
    /// The condition.
    pub expected: String,
    /// What it found.
    pub found: String,
    /// Whether the condition held.
    pub passed: bool,
    /// What to think about next (failed findings).
    pub hint: Option<String>,
}

/// Apply `edits` to `files` (path → text) in order; the error names the edit (1-based) and
/// why it does not apply.
///
/// # Examples
/// ```
/// use std::collections::BTreeMap;
/// use protocol::{Edit, apply_edits};
/// let mut files = BTreeMap::from([("a.py".to_string(), "x = 1\n".to_string())]);
/// let edit = Edit { file: "a.py".into(), find: Some("1".into()), replace: "2".into() };
/// apply_edits(&mut files, &[edit]).unwrap();
/// assert_eq!(files["a.py"], "x = 2\n");
/// ```
pub fn apply_edits(
    files: &mut std::collections::BTreeMap<String, String>,
    edits: &[Edit],
) -> Result<(), String> {
    for (n, edit) in edits.iter().enumerate() {
        let n = n + 1;
        match &edit.find {
            None => {
                files.insert(edit.file.clone(), edit.replace.clone());
            }
            Some(find) => {
                let text = files
                    .get_mut(&edit.file)
                    .ok_or_else(|| format!("edit {n}: there is no file `{}`", edit.file))?;
                match text.matches(find.as_str()).count() {
                    1 => *text = text.replacen(find.as_str(), &edit.replace, 1),
                    0 => {
                        return Err(format!(
                            "edit {n}: `{}` does not contain `{find}`",
                            edit.file
                        ));
                    }
                    k => {
                        return Err(format!(
                            "edit {n}: `{find}` occurs {k} times in `{}`; make it unique",
                            edit.file
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}

/// The files an exercise touches (setup and solution), in first-touched order.
pub fn touched_files(exercise: &Exercise) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for edit in exercise.setup.iter().chain(&exercise.solution) {
        if !out.contains(&edit.file) {
            out.push(edit.file.clone());
        }
    }
    out
}

/// What is wrong with an exercise's shape (not its content), one sentence each; `objectives`
/// is how many objectives its lesson lists.
pub fn shape_problems(exercise: &Exercise, objectives: usize) -> Vec<String> {
    let mut out = Vec::new();
    let id_ok = !exercise.id.is_empty()
        && exercise
            .id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !id_ok {
        out.push(format!(
            "exercise id `{}` must be lower-case kebab-case",
            exercise.id
        ));
    }
    for (field, text) in [("title", &exercise.title), ("goal", &exercise.goal)] {
        if text.trim().is_empty() {
            out.push(format!("`{field}` is empty"));
        }
    }
    if exercise.hints.is_empty() {
        out.push("`hints` lists at least one hint".into());
    }
    if exercise.solution.is_empty() {
        out.push("`solution` lists at least one edit".into());
    }
    if exercise.objectives.is_empty() {
        out.push("`objectives` names the lesson objectives it practises (1-based)".into());
    }
    for &o in &exercise.objectives {
        if o == 0 || o as usize > objectives {
            out.push(format!(
                "objective {o} does not exist: the lesson lists {objectives} (numbered from 1)"
            ));
        }
    }
    if let Some(p) = &exercise.predict
        && (p.answer == 0 || p.answer as usize > p.choices.len() || p.choices.len() < 2)
    {
        out.push(format!(
            "`predict` needs two or more choices and an `answer` among them (1 to {})",
            p.choices.len()
        ));
    }
    if exercise.check.assertions.is_empty() {
        out.push("`check.assert` lists at least one assertion".into());
    }
    for (n, a) in exercise.check.assertions.iter().enumerate() {
        if a.sources() != 1 {
            out.push(format!(
                "assertion {}: give exactly one of `sql`, `sql_at`, `dataset`, `config`",
                n + 1
            ));
        }
        if a.expect().is_none() {
            out.push(format!(
                "assertion {}: give exactly one condition: `equals`, `at_least`, `at_most` or `same_as`",
                n + 1
            ));
        }
        if a.same_as.is_some() && a.config.is_some() {
            out.push(format!(
                "assertion {}: a `config` value is compared with `equals`, not `same_as`",
                n + 1
            ));
        }
        let needs_data = a.config.is_none();
        if needs_data && !exercise.check.steps.contains(&Step::Generate) {
            out.push(format!(
                "assertion {} runs a query, so `check.steps` must start with `generate`",
                n + 1
            ));
        }
    }
    if exercise
        .check
        .steps
        .first()
        .is_some_and(|s| *s != Step::Generate)
    {
        out.push("`check.steps` starts with `generate`".into());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn test_apply_edits_requires_a_unique_match() {
        let mut files = BTreeMap::from([("a".to_string(), "x x y".to_string())]);
        let edit = |find: &str| Edit {
            file: "a".into(),
            find: Some(find.into()),
            replace: "z".into(),
        };
        assert!(
            apply_edits(&mut files, &[edit("x")])
                .unwrap_err()
                .contains("2 times")
        );
        assert!(
            apply_edits(&mut files, &[edit("q")])
                .unwrap_err()
                .contains("does not contain")
        );
        apply_edits(&mut files, &[edit("y")]).unwrap();
        assert_eq!(files["a"], "x x z");
        let whole = Edit {
            file: "b".into(),
            find: None,
            replace: "new".into(),
        };
        apply_edits(&mut files, &[whole]).unwrap();
        assert_eq!(files["b"], "new");
    }
}
