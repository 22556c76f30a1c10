//! The event log as the engine keeps it, filtered by event type.

use leptos::prelude::*;
use protocol::RowSource;

use super::TableViewer;

/// The event types the pipeline engine writes, in the order an update writes them.
pub const EVENT_TYPES: [&str; 6] = [
    "create_update",
    "update_progress",
    "flow_definition",
    "dataset_definition",
    "flow_progress",
    "planning_information",
];

/// The event log's rows, all or of one event type.
#[component]
pub fn EventLog() -> impl IntoView {
    let (event_type, set_event_type) = signal(String::new());
    let source = Signal::derive(move || {
        let chosen = event_type.get();
        Some(RowSource::EventLog {
            event_type: (!chosen.is_empty()).then_some(chosen),
        })
    });
    let options = EVENT_TYPES
        .iter()
        .map(|t| view! { <option value=*t>{*t}</option> })
        .collect::<Vec<_>>();
    view! {
        <div class="event-log" data-testid="event-log">
            <div class="el-filter">
                <label>
                "Event type "
                <select
                    on:change=move |ev| set_event_type.set(event_target_value(&ev))
                    prop:value=event_type
                >
                    <option value="">"All"</option>
                    {options}
                </select>
                </label>
                <p class="el-hint">
                    "The same events are the " <code>"event_log"</code>
                    " table of the SQL console, e.g. "
                    <code>"SELECT event_type, count(*) FROM event_log GROUP BY event_type"</code>
                    "."
                </p>
            </div>
            <TableViewer source=source/>
        </div>
    }
}
