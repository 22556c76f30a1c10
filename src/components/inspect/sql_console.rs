//! A Spark SQL console over every table and `event_log`: write a query, run it with the
//! button or Ctrl/Cmd-Enter, page through its result; errors point at their line and column.

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::{Problem, RowSource, Severity};
use syntax::highlight::Language;

use super::table_viewer::PAGE_SIZE;
use super::{TableViewer, sql_history};
use crate::components::{CodeEditor, Marker};
use crate::workbench::use_workbench;

/// What the last run of the console gave.
#[derive(Debug, Clone, PartialEq)]
enum Answer {
    Running,
    Rows { elapsed_ms: f64, total: usize },
    Problem(Problem),
}

/// The console, prefilled with `initial`.
#[component]
pub fn SqlConsole(
    /// The query shown at first (a lesson's example).
    #[prop(optional, into)]
    initial: String,
) -> impl IntoView {
    let wb = use_workbench();
    let text = RwSignal::new(initial);
    let (answer, set_answer) = signal(None::<Answer>);
    let (result, set_result) = signal(None::<RowSource>);
    let (history, set_history) = signal(sql_history::load());
    let goto = RwSignal::new(None::<(u32, u32)>);
    let runs = StoredValue::new(0u64);

    let run = move |sql: String| {
        if sql.trim().is_empty() {
            return;
        }
        set_history.update(|h| {
            *h = sql_history::remember(h, &sql);
            sql_history::save(h);
        });
        runs.update_value(|n| *n += 1);
        let this_run = runs.get_value();
        set_answer.set(Some(Answer::Running));
        let source = RowSource::Query { sql: sql.clone() };
        spawn_local(async move {
            // The engine caches the result: the viewer's first page asks it again for free.
            let first = wb.rows(source.clone(), 0, PAGE_SIZE, None).await;
            // The console may be gone (its tab closed) by the time the answer arrives.
            if runs.try_get_value() != Some(this_run) {
                return;
            }
            match first {
                Ok(page) => {
                    set_answer.try_set(Some(Answer::Rows {
                        elapsed_ms: page.elapsed_ms,
                        total: page.total_rows,
                    }));
                    set_result.try_set(Some(source));
                }
                Err(problem) => {
                    if let Some(place) = problem.place.as_ref().filter(|p| p.file.is_none()) {
                        goto.try_set(Some((place.line, place.column)));
                    }
                    set_answer.try_set(Some(Answer::Problem(problem)));
                    set_result.try_set(None);
                }
            }
        });
    };
    let run_now = move || run(text.get_untracked());
    let rerun = move |sql: String| {
        text.set(sql.clone());
        run(sql);
    };

    let status = move || match answer.get() {
        None => None,
        Some(Answer::Running) => {
            Some(view! { <p class="sql-status" role="status">"Running…"</p> }.into_any())
        }
        Some(Answer::Rows { elapsed_ms, total }) => Some(
            view! {
                <p class="sql-status" role="status">
                    {format!("{} in {elapsed_ms:.0} ms", super::format::rows(total as u64))}
                </p>
            }
            .into_any(),
        ),
        Some(Answer::Problem(problem)) => Some(
            view! {
                <p class="sql-error" role="alert" data-testid="sql-error">{problem.sentence()}</p>
            }
            .into_any(),
        ),
    };
    let past = move || {
        history
            .get()
            .into_iter()
            .map(|sql| {
                let again = sql.clone();
                let first_line = sql.lines().next().unwrap_or_default().to_string();
                let more = if sql.contains('\n') { " …" } else { "" };
                view! {
                    <li>
                        <button
                            type="button"
                            class="sql-past"
                            title=sql.clone()
                            on:click=move |_| rerun(again.clone())
                        >
                            <code>{format!("{first_line}{more}")}</code>
                        </button>
                    </li>
                }
            })
            .collect::<Vec<_>>()
    };
    let result_source = Signal::derive(move || result.get());
    // The error's place, underlined in the query.
    let markers = Signal::derive(move || match answer.get() {
        Some(Answer::Problem(problem)) => problem
            .place
            .as_ref()
            .filter(|p| p.file.is_none())
            .map(|place| Marker {
                line: place.line,
                column: place.column,
                end: place.end,
                message: problem.message.clone(),
                error: problem.severity == Severity::Error,
            })
            .into_iter()
            .collect(),
        _ => Vec::new(),
    });

    view! {
        <div class="sql-console" data-testid="sql-console">
            // A label around the editor: its test hook fills the editor's text area.
            <label class="sql-label" data-testid="sql-input">
                <span>"Spark SQL over every table and " <code>"event_log"</code></span>
                <CodeEditor
                    text=text
                    language=Language::Sql
                    markers=markers
                    on_run=Callback::new(move |()| run_now())
                    goto=goto
                    label="SQL query"
                />
            </label>
            <div class="sql-actions">
                <button
                    type="button"
                    class="sql-run"
                    data-testid="sql-run"
                    disabled=move || matches!(answer.get(), Some(Answer::Running))
                    on:click=move |_| run_now()
                >
                    "Run query"
                </button>
                <span class="sql-hint">"Ctrl/Cmd-Enter runs it too."</span>
            </div>
            {status}
            <Show when=move || result.with(Option::is_some)>
                <TableViewer source=result_source title="Result"/>
            </Show>
            <details class="sql-history" data-testid="sql-history">
                <summary>{move || format!("Recent queries ({})", history.with(Vec::len))}</summary>
                <ul>{past}</ul>
            </details>
        </div>
    }
}
