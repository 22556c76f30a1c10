//! Every update of this workspace, newest first, each with the flows it ran.

use leptos::prelude::*;
use protocol::{FlowProgress, Outcome, RunKind, RunRecord};

use super::format::grouped;
use crate::workbench::use_workbench;

/// `Update`, `Full refresh (all)`, `Full refresh of a, b`.
pub fn kind_label(kind: &RunKind) -> String {
    match kind {
        RunKind::Update => "Update".to_string(),
        RunKind::FullRefreshAll => "Full refresh (all)".to_string(),
        RunKind::FullRefresh(tables) => format!("Full refresh of {}", tables.join(", ")),
    }
}

/// `Completed`, `Cancelled`, or `Failed: <the problem's sentence>`.
pub fn outcome_text(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Failed {
            problem,
            expectation,
            ..
        } => {
            let mut text = format!("Failed: {}", problem.sentence());
            if let Some(name) = expectation
                && !problem.message.contains(name.as_str())
            {
                text.push_str(&format!(" (expectation “{name}”)"));
            }
            text
        }
        other => other.label().to_string(),
    }
}

fn local_time(ms: f64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms));
    String::from(date.to_locale_string("default", &wasm_bindgen::JsValue::UNDEFINED))
}

/// The run history as a table; each run opens to its flows.
#[component]
pub fn RunHistory() -> impl IntoView {
    let wb = use_workbench();
    let runs = move || {
        wb.data.with(|d| {
            d.history
                .iter()
                .rev()
                .map(|run| view! { <RunRows run=run.clone()/> })
                .collect::<Vec<_>>()
        })
    };
    view! {
        <div class="run-history" data-testid="run-history">
            <Show
                when=move || wb.data.with(|d| !d.history.is_empty())
                fallback=|| view! { <p class="rh-empty">"No runs yet."</p> }
            >
                <div class="tv-scroll">
                    <table class="tv-table rh-table">
                        <caption class="visually-hidden">"Run history, newest first"</caption>
                        <thead>
                            <tr>
                                <th scope="col" class="tv-num">"#"</th>
                                <th scope="col">"Started"</th>
                                <th scope="col">"Kind"</th>
                                <th scope="col">"Target"</th>
                                <th scope="col" class="tv-num">"Duration (ms)"</th>
                                <th scope="col">"Outcome"</th>
                                <th scope="col"><span class="visually-hidden">"Flows"</span></th>
                            </tr>
                        </thead>
                        {runs}
                    </table>
                </div>
            </Show>
        </div>
    }
}

/// One run: its row, and the row of its flows when opened. A `<tbody>` of its own, so the
/// two rows stay together.
#[component]
fn RunRows(run: RunRecord) -> impl IntoView {
    let (open, set_open) = signal(false);
    let outcome_class = match run.outcome {
        Outcome::Completed => "rh-outcome rh-completed",
        Outcome::Failed { .. } => "rh-outcome rh-failed",
        Outcome::Cancelled => "rh-outcome rh-cancelled",
    };
    let detail_id = format!("run-{}-flows", run.number);
    let flows = run.flows.clone();
    let has_flows = !flows.is_empty();
    view! {
        <tbody>
            <tr data-testid="run-row">
                <td class="tv-num">{run.number}</td>
                <td>{local_time(run.started_at_ms)}</td>
                <td>{kind_label(&run.kind)}</td>
                <td>{run.target.clone()}</td>
                <td class="tv-num">{grouped(run.duration_ms.round().max(0.0) as u64)}</td>
                <td class=outcome_class>{outcome_text(&run.outcome)}</td>
                <td>
                    {has_flows.then(|| view! {
                        <button
                            type="button"
                            aria-expanded=move || open.get().to_string()
                            aria-controls=detail_id.clone()
                            aria-label=format!("Flows of run {}", run.number)
                            on:click=move |_| set_open.update(|o| *o = !*o)
                        >
                            {move || if open.get() { "Hide flows" } else { "Flows" }}
                        </button>
                    })}
                </td>
            </tr>
            <Show when=move || open.get()>
                <tr class="rh-detail" id=format!("run-{}-flows", run.number)>
                    <td colspan="7">
                        <FlowTable flows=flows.clone()/>
                    </td>
                </tr>
            </Show>
        </tbody>
    }
}

#[component]
fn FlowTable(flows: Vec<FlowProgress>) -> impl IntoView {
    let rows = flows
        .into_iter()
        .map(|f| {
            let strategy = f.strategy.clone().unwrap_or_else(|| "—".to_string());
            view! {
                <tr>
                    <td>{f.dataset.clone()}</td>
                    <td>{f.state.label()}</td>
                    <td class="tv-num">{grouped(f.rows_written)}</td>
                    <td class="tv-num">{grouped(f.rows_total)}</td>
                    <td class="tv-num">{grouped(f.files_read)}</td>
                    <td title=f.reason.clone()>
                        <span class="rh-strategy">{strategy}</span>
                        {(!f.reason.is_empty()).then(|| view! { <span class="rh-reason">{f.reason.clone()}</span> })}
                    </td>
                </tr>
            }
        })
        .collect::<Vec<_>>();
    view! {
        <table class="tv-table rh-flows">
            <thead>
                <tr>
                    <th scope="col">"Dataset"</th>
                    <th scope="col">"State"</th>
                    <th scope="col" class="tv-num">"Rows written"</th>
                    <th scope="col" class="tv-num">"Rows total"</th>
                    <th scope="col" class="tv-num">"Files read"</th>
                    <th scope="col">"Refresh strategy"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use protocol::Problem;

    #[test]
    fn kinds_read_as_the_toolbar_names_them() {
        assert_eq!(kind_label(&RunKind::Update), "Update");
        assert_eq!(kind_label(&RunKind::FullRefreshAll), "Full refresh (all)");
        assert_eq!(
            kind_label(&RunKind::FullRefresh(vec![
                "gold".into(),
                "sensor_bronze".into()
            ])),
            "Full refresh of gold, sensor_bronze"
        );
    }

    #[test]
    fn a_failure_says_why() {
        let outcome = Outcome::Failed {
            problem: Problem::error("division by zero"),
            expectation: Some("valid pressure".into()),
            failing_row: None,
        };
        assert_eq!(
            outcome_text(&outcome),
            "Failed: division by zero (expectation “valid pressure”)"
        );
        assert_eq!(outcome_text(&Outcome::Cancelled), "Cancelled");
    }
}
