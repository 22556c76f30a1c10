//! The project's dashboard, drawn from the engine's answer on Lakeview's 6-column grid:
//! "Refresh" re-runs its datasets with the learner's current files, target and filters.

use leptos::prelude::*;

use super::widget_card::{GAP_PX, WidgetCard};
use crate::workbench::use_workbench;

/// The dashboard with its toolbar.
#[component]
pub fn Dashboard() -> impl IntoView {
    let wb = use_workbench();
    let serving = wb.serving;
    let frame = NodeRef::<leptos::html::Section>::new();
    // The grid's column width in pixels, measured when the dashboard is drawn and on resize.
    let column_px = RwSignal::new(180.0);
    let measure = move || {
        if let Some(section) = frame.get_untracked() {
            let width = f64::from(section.client_width());
            if width > 0.0 {
                column_px.set(((width - 5.0 * GAP_PX) / 6.0).max(60.0));
            }
        }
    };
    Effect::new(move |_| measure());
    let resize = window_event_listener(leptos::ev::resize, move |_| measure());
    on_cleanup(move || resize.remove());
    // The first look computes it (later, updates and the Refresh button do).
    Effect::new(move |_| {
        if wb.loaded.get() && serving.view.with_untracked(Option::is_none) {
            wb.refresh_dashboard("Refresh");
        }
    });
    let filters_note = move || {
        let n = serving
            .filters
            .with(|f| f.iter().map(|c| c.values.len()).sum::<usize>());
        (n > 0).then(|| {
            view! {
                <button type="button" class="dash-clear" on:click=move |_| {
                    serving.filters.set(Vec::new());
                    wb.refresh_dashboard("Filter");
                }>"Clear filters"</button>
            }
        })
    };
    let body = move || {
        match serving.view.get() {
        None => view! { <p class="dash-status" role="status">"Computing the dashboard…"</p> }.into_any(),
        Some(Err(problem)) => view! {
            <p class="dash-error" role="alert" data-testid="dashboard-error">{problem.sentence()}</p>
        }
        .into_any(),
        Some(Ok(view)) => {
            let problems: Vec<_> = view
                .problems
                .iter()
                .map(|p| view! { <li>{p.sentence()}</li> })
                .collect();
            let widgets: Vec<_> = view
                .widgets
                .into_iter()
                .map(|w| view! { <WidgetCard widget=w column_px=column_px.get()/> })
                .collect();
            let (catalog, schema) = view.schema.clone();
            view! {
                <p class="dash-source">
                    {format!("{} · page “{}” · from ", view.title, view.page)}
                    <code>{view.file.clone()}</code>
                    {" over "}<code>{format!("{catalog}.{schema}")}</code>
                </p>
                {(!problems.is_empty()).then(|| view! { <ul class="dash-problems">{problems}</ul> })}
                <div class="dash-grid" style=format!("--dash-columns: {}", view.columns) data-testid="dashboard-grid">
                    {widgets}
                </div>
            }
            .into_any()
        }
    }
    };
    view! {
        <section class="dashboard" aria-label="Dashboard" data-testid="dashboard" node_ref=frame>
            <div class="dash-toolbar">
                <button type="button" class="primary" data-testid="dashboard-refresh"
                    disabled=move || serving.refreshing.get() || !wb.loaded.get()
                    on:click=move |_| wb.refresh_dashboard("Refresh")>
                    "Refresh"
                </button>
                <Show when=move || serving.refreshing.get()>
                    <span class="dash-hint" role="status">"Refreshing…"</span>
                </Show>
                {filters_note}
                <span class="dash-hint">"Datasets run as Spark SQL over your tables; filters apply only to the widgets whose datasets they are bound to."</span>
            </div>
            {body}
        </section>
    }
}
