//! The published tables as a list to pick from, with the rows of the picked one.

use leptos::prelude::*;
use protocol::RowSource;

use super::TableViewer;
use super::format::rows;
use crate::workbench::use_workbench;

/// `default.iot_anomaly_detection.sensor_bronze` → `sensor_bronze`.
pub fn short_name(qualified: &str) -> &str {
    qualified.rsplit('.').next().unwrap_or(qualified)
}

/// `STREAMING_TABLE` → `Streaming table`.
pub fn kind_label(kind: &str) -> String {
    let lower = kind.replace('_', " ").to_lowercase();
    let mut chars = lower.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The table list bound to the workbench's selection, and a viewer of the selected table.
#[component]
pub fn TablePanel() -> impl IntoView {
    let wb = use_workbench();
    let source = Signal::derive(move || wb.selected.get().map(|name| RowSource::Table { name }));
    let items = move || {
        wb.data.with(|d| {
            d.tables
                .iter()
                .map(|t| {
                    let name = short_name(&t.qualified).to_string();
                    let chosen = name.clone();
                    let pick = name.clone();
                    let is_selected = move || wb.selected.with(|s| s.as_deref() == Some(chosen.as_str()));
                    view! {
                        <li>
                            <button
                                type="button"
                                class="tp-item"
                                aria-pressed=move || is_selected().to_string()
                                title=t.qualified.clone()
                                data-testid=format!("table-item-{name}")
                                on:click=move |_| wb.selected.set(Some(pick.clone()))
                            >
                                <span class="tp-name">{name.clone()}</span>
                                <span class="tp-meta">{format!("{} · {}", kind_label(&t.kind), rows(t.rows))}</span>
                            </button>
                        </li>
                    }
                })
                .collect::<Vec<_>>()
        })
    };
    let empty = move || wb.data.with(|d| d.tables.is_empty());
    view! {
        <div class="table-panel">
            <nav class="tp-list-wrap" aria-label="Published tables">
                <Show
                    when=move || !empty()
                    fallback=|| view! { <p class="tp-empty">"No tables yet: generate data, then run the pipeline."</p> }
                >
                    <ul class="tp-list" data-testid="table-list">{items}</ul>
                </Show>
            </nav>
            <div class="tp-viewer">
                <Show
                    when=move || source.with(Option::is_some)
                    fallback=|| view! { <p class="tp-empty">"Pick a table (here or in the graph) to see its rows."</p> }
                >
                    <h3 class="tv-title">{move || wb.selected.get()}</h3>
                    <TableViewer source=source/>
                </Show>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_kinds_read_plainly() {
        assert_eq!(short_name("default.iot.sensor_bronze"), "sensor_bronze");
        assert_eq!(short_name("gold"), "gold");
        assert_eq!(kind_label("STREAMING_TABLE"), "Streaming table");
        assert_eq!(kind_label("MATERIALIZED_VIEW"), "Materialized view");
    }
}
