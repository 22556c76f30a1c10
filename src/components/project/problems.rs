//! The Problems list, like VS Code's: errors first, each with its place; choosing one opens
//! the file at that line and column.

use leptos::prelude::*;
use protocol::{Problem, Severity};

use crate::workbench::use_workbench;

/// `2 errors, 1 warning`; `No problems` when there are none.
pub fn count_label(problems: &[Problem]) -> String {
    let errors = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    let warnings = problems.len() - errors;
    let part = |n: usize, word: &str| match n {
        1 => format!("1 {word}"),
        n => format!("{n} {word}s"),
    };
    match (errors, warnings) {
        (0, 0) => "No problems".into(),
        (e, 0) => part(e, "error"),
        (0, w) => part(w, "warning"),
        (e, w) => format!("{}, {}", part(e, "error"), part(w, "warning")),
    }
}

/// The problems of the last validation, errors first (the engine sorts them by place).
#[component]
pub fn ProblemsList(
    /// Only this file's problems (and those of the whole project), for a lesson cell.
    #[prop(optional, into)]
    file: Option<String>,
) -> impl IntoView {
    let wb = use_workbench();
    let problems = Memo::new(move |_| {
        wb.validation.with(|v| {
            v.as_ref().map(|v| {
                let mut list: Vec<Problem> = v
                    .problems
                    .iter()
                    .filter(
                        |p| match (&file, p.place.as_ref().and_then(|pl| pl.file.as_ref())) {
                            (Some(only), Some(f)) => only == f,
                            _ => true,
                        },
                    )
                    .cloned()
                    .collect();
                // Errors first; among them, problems that follow from a file that did not load
                // come after that file's own problem, so the cause is read first.
                list.sort_by_key(|p| (p.severity, p.message.contains("did not load")));
                list
            })
        })
    });
    let open = move |problem: &Problem| {
        if let Some(place) = &problem.place
            && let Some(file) = &place.file
        {
            wb.open_file.set(Some(file.clone()));
            wb.goto.set(Some((file.clone(), place.line, place.column)));
        }
    };
    let entry = move |problem: Problem| {
        let error = problem.severity == Severity::Error;
        let place = problem.place.as_ref().map(|pl| match &pl.file {
            Some(f) => format!("{f}:{}:{}", pl.line, pl.column),
            None => format!("line {}:{}", pl.line, pl.column),
        });
        let openable = problem.place.as_ref().is_some_and(|pl| pl.file.is_some());
        let suggestions = (!problem.suggestions.is_empty())
            .then(|| format!("Did you mean {}?", problem.suggestions.join(", ")));
        let chosen = problem.clone();
        view! {
            <li data-testid="problem" class="problem" class:problem-error=error class:problem-warning=!error>
                <button
                    type="button"
                    class="problem-entry"
                    disabled=!openable
                    title=openable.then_some("Open the file at this place")
                    on:click=move |_| open(&chosen)
                >
                    <span class="problem-icon" aria-hidden="true">{if error { "✖" } else { "▲" }}</span>
                    <span class="visually-hidden">{if error { "Error: " } else { "Warning: " }}</span>
                    {place.map(|p| view! { <span class="problem-place">{p}</span> })}
                    <span class="problem-message">{problem.message.clone()}</span>
                    {suggestions.map(|s| view! { <span class="problem-suggestions">{s}</span> })}
                </button>
            </li>
        }
    };
    view! {
        <section class="problems" data-testid="problems" aria-label="Problems">
            <h2 class="problems-title">
                "Problems "
                <span class="problems-count" data-testid="problems-count" aria-live="polite"
                    class:has-errors=move || problems.with(|p| p.as_ref().is_some_and(|p| p.iter().any(|p| p.severity == Severity::Error)))
                >
                    {move || problems.with(|p| match p {
                        Some(p) => count_label(p),
                        None => "Checking…".into(),
                    })}
                </span>
            </h2>
            {move || problems.with(|p| match p {
                Some(p) if p.is_empty() => view! { <p class="problems-none">"No problems"</p> }.into_any(),
                Some(p) => view! {
                    <ul role="list" class="problems-list">
                        {p.iter().cloned().map(entry).collect_view()}
                    </ul>
                }.into_any(),
                None => view! { <p class="problems-none">"Not checked yet."</p> }.into_any(),
            })}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(severity: Severity) -> Problem {
        Problem {
            severity,
            place: None,
            message: "m".into(),
            suggestions: Vec::new(),
        }
    }

    #[test]
    fn test_count_label() {
        assert_eq!(count_label(&[]), "No problems");
        let e = problem(Severity::Error);
        let w = problem(Severity::Warning);
        assert_eq!(count_label(std::slice::from_ref(&e)), "1 error");
        assert_eq!(count_label(&[w.clone(), w.clone()]), "2 warnings");
        assert_eq!(
            count_label(&[e.clone(), w.clone(), e]),
            "2 errors, 1 warning"
        );
    }
}
