//! The bundle's SQL alert: its condition, its last evaluation, a simulated clock (the course's
//! readings are from 2023, so at the real time the alert never fires), mute, and the history
//! of evaluations.

use leptos::prelude::*;
use protocol::{AlertState, AlertView};
use wasm_bindgen::JsCast;

use super::scale::{format_time, parse_time};
use crate::workbench::{Workbench, use_workbench};

fn symbol(operator: &str) -> &str {
    match operator {
        "GREATER_THAN" => ">",
        "GREATER_THAN_OR_EQUAL" => "≥",
        "LESS_THAN" => "<",
        "LESS_THAN_OR_EQUAL" => "≤",
        "EQUAL" => "=",
        "NOT_EQUAL" => "≠",
        "IS_NULL" => "is null",
        other => other,
    }
}

fn state_text(state: AlertState) -> &'static str {
    match state {
        AlertState::Ok => "OK",
        AlertState::Triggered => "TRIGGERED",
        AlertState::Error => "ERROR",
    }
}

/// Mute or unmute by editing the alert's file, as a learner would (`pause_status`).
fn set_muted(wb: Workbench, file: &str, muted: bool) {
    let Some(text) = wb
        .workspace
        .with_untracked(|ws| ws.files.get(file).cloned())
    else {
        return;
    };
    let (from, to) = if muted {
        ("UNPAUSED", "PAUSED")
    } else {
        ("PAUSED", "UNPAUSED")
    };
    let edited = text.replace(
        &format!("pause_status: {from}"),
        &format!("pause_status: {to}"),
    );
    if edited != text {
        wb.edit(file, edited);
        wb.refresh_dashboard(if muted { "Mute" } else { "Unmute" });
    }
}

fn set_clock(wb: Workbench, clock: Option<f64>) {
    wb.serving.clock.set(clock);
    wb.refresh_dashboard("Clock");
}

fn current(wb: Workbench, alert: AlertView) -> impl IntoView {
    let state = state_text(alert.state);
    let muted = alert.muted;
    let file = alert.file.clone();
    let latest = alert.latest_anomaly_ms;
    let simulated = wb.serving.clock.get_untracked().is_some();
    let clock_value = format_time(alert.now_ms, true).replace(' ', "T");
    view! {
        <div class="alert-head">
            <h3>{alert.display_name.clone()}</h3>
            <span class=format!("alert-state alert-{}", state.to_ascii_lowercase()) data-testid="alert-state">{state}</span>
            {muted.then(|| view! { <span class="alert-muted">"muted"</span> })}
        </div>
        <p class="alert-condition">
            "Triggers when " <code>{alert.column.clone()}</code> " "
            <strong>{symbol(&alert.operator).to_string()}</strong> " " <code>{alert.threshold.clone()}</code>
            {format!(" · the query gave {} at {} (UTC)", alert.value.clone().unwrap_or_else(|| "nothing".into()), format_time(alert.now_ms, true))}
        </p>
        <p class="alert-value">"Value: " <strong data-testid="alert-value">{alert.value.clone().unwrap_or_else(|| "–".into())}</strong></p>
        {alert.error.as_ref().map(|p| view! { <p class="dash-error" role="alert">{p.sentence()}</p> })}
        <details class="alert-query">
            <summary>{format!("Query and notification (from {})", alert.file)}</summary>
            <pre><code>{alert.query.clone()}</code></pre>
            <p><strong>{alert.subject.clone()}</strong>" — "{alert.body.clone()}</p>
        </details>
        <fieldset class="alert-clock">
            <legend>"Clock"</legend>
            <p class="dash-hint">{if simulated {
                "Simulated: current_timestamp() in the alert's query is the time below."
            } else {
                "Real time, as on Databricks: the course's readings are from 2023, so nothing is in the last 10 minutes."
            }}</p>
            <label>
                "Now (UTC) "
                <input type="datetime-local" step="1" value=clock_value aria-label="Simulated now (UTC)"
                    on:change=move |ev| {
                        let text = ev
                            .target()
                            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                            .map(|i| i.value())
                            .unwrap_or_default();
                        if let Some(ms) = parse_time(&text) {
                            set_clock(wb, Some(ms));
                        }
                    }/>
            </label>
            <button type="button" disabled=latest.is_none()
                on:click=move |_| set_clock(wb, latest.map(|ms| ms + 1000.0))>
                "Just after the last anomaly"
            </button>
            <button type="button" disabled=!simulated on:click=move |_| set_clock(wb, None)>"Real time"</button>
        </fieldset>
        <div class="alert-actions">
            <button type="button" on:click={
                let file = file.clone();
                move |_| set_muted(wb, &file, !muted)
            }>{if muted { "Unmute" } else { "Mute" }}</button>
            <span class="dash-hint">{format!("Edits pause_status in {file}; change the threshold or the query there.")}</span>
        </div>
    }
}

/// The alert and its history.
#[component]
pub fn AlertPanel() -> impl IntoView {
    let wb = use_workbench();
    let serving = wb.serving;
    Effect::new(move |_| {
        if wb.loaded.get() && serving.view.with_untracked(Option::is_none) {
            wb.refresh_dashboard("Refresh");
        }
    });
    let body = move || match serving.view.get() {
        None => view! { <p role="status">"Evaluating the alert…"</p> }.into_any(),
        Some(Err(problem)) => {
            view! { <p class="dash-error" role="alert">{problem.sentence()}</p> }.into_any()
        }
        Some(Ok(view)) => match view.alert {
            None => view! { <p>"The bundle defines no alert (resources.alerts)."</p> }.into_any(),
            Some(alert) => current(wb, alert).into_any(),
        },
    };
    let history = move || {
        serving
            .history
            .get()
            .into_iter()
            .rev()
            .map(|e| {
                view! {
                    <tr>
                        <td>{format_time(e.at_ms, true)}</td>
                        <td>{e.cause}</td>
                        <td>{format_time(e.now_ms, true)}</td>
                        <td class="num">{e.value.unwrap_or_else(|| "null".into())}</td>
                        <td>{format!("{}{}", state_text(e.state), if e.muted { " (muted)" } else { "" })}</td>
                    </tr>
                }
            })
            .collect::<Vec<_>>()
    };
    view! {
        <section class="alert-panel" aria-label="SQL alert" data-testid="alert">
            {body}
            <table class="alert-history" data-testid="alert-history">
                <caption>"Evaluations in this session, newest first"</caption>
                <thead><tr>
                    <th scope="col">"Evaluated"</th><th scope="col">"After"</th><th scope="col">"Now (UTC)"</th>
                    <th scope="col">"Value"</th><th scope="col">"State"</th>
                </tr></thead>
                <tbody>{history}</tbody>
            </table>
        </section>
    }
}
