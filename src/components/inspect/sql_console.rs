//! A Spark SQL console over every table and `event_log`: write a query, run it with the
//! button or Ctrl/Cmd-Enter, page through its result; errors point at their line and column.

use leptos::html::Textarea;
use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::{Problem, RowSource};

use super::format::utf16_offset;
use super::table_viewer::PAGE_SIZE;
use super::{TableViewer, sql_history};
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
    let (text, set_text) = signal(initial);
    let (answer, set_answer) = signal(None::<Answer>);
    let (result, set_result) = signal(None::<RowSource>);
    let (history, set_history) = signal(sql_history::load());
    let input = NodeRef::<Textarea>::new();
    let runs = StoredValue::new(0u64);

    let put_caret = move |sql: &str, line: u32, column: u32| {
        if let Some(area) = input.get_untracked() {
            let at = utf16_offset(sql, line, column);
            let _ = area.focus();
            let _ = area.set_selection_range(at, at);
        }
    };

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
            if runs.get_value() != this_run {
                return;
            }
            match first {
                Ok(page) => {
                    set_answer.set(Some(Answer::Rows {
                        elapsed_ms: page.elapsed_ms,
                        total: page.total_rows,
                    }));
                    set_result.set(Some(source));
                }
                Err(problem) => {
                    if let Some(place) = problem.place.as_ref().filter(|p| p.file.is_none()) {
                        put_caret(&sql, place.line, place.column);
                    }
                    set_answer.set(Some(Answer::Problem(problem)));
                    set_result.set(None);
                }
            }
        });
    };
    let run_now = move || run(text.get_untracked());
    let on_key = move |ev: web_sys::KeyboardEvent| {
        if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) {
            ev.prevent_default();
            run_now();
        }
    };
    let rerun = move |sql: String| {
        set_text.set(sql.clone());
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

    view! {
        <div class="sql-console" data-testid="sql-console">
            <label class="sql-label">
                "Spark SQL over every table and " <code>"event_log"</code>
                <textarea
                    class="sql-input"
                    data-testid="sql-input"
                    node_ref=input
                    rows="6"
                    spellcheck="false"
                    autocomplete="off"
                    aria-keyshortcuts="Control+Enter Meta+Enter"
                    prop:value=text
                    on:input=move |ev| set_text.set(event_target_value(&ev))
                    on:keydown=on_key
                >
                    {text.get_untracked()}
                </textarea>
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
