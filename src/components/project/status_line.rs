//! The workbench's status line: the latest notice (errors as alerts) and the engine's state.

use leptos::prelude::*;

use crate::engine::EngineStatus;
use crate::workbench::use_workbench;

/// What the learner reads about the engine.
pub fn engine_label(status: &EngineStatus) -> String {
    match status {
        EngineStatus::OtherTab => {
            "The workbook is open in another tab: this one is read-only and takes over when that tab closes.".into()
        }
        EngineStatus::Starting => "Engine starting…".into(),
        EngineStatus::Ready => "Engine ready".into(),
        EngineStatus::Restarting => "Restarting the engine…".into(),
        EngineStatus::Failed(sentence) => sentence.clone(),
    }
}

/// The notice and the engine's state.
#[component]
pub fn StatusLine() -> impl IntoView {
    let wb = use_workbench();
    let status = wb.engine.with_value(|e| e.status);
    let notice = move || wb.notice.get();
    view! {
        <div class="status-line" data-testid="status-line">
            // Both regions stay in the page so screen readers announce what is put in them.
            <p class="notice notice-error" role="alert">
                {move || notice().filter(|n| n.error).map(|n| n.text)}
            </p>
            <p class="notice" role="status">
                {move || notice().filter(|n| !n.error).map(|n| n.text)}
            </p>
            <p class="engine-status"
                class:engine-failed=move || matches!(status.get(), EngineStatus::Failed(_))
                class:engine-ready=move || status.get() == EngineStatus::Ready
                data-testid="engine-status"
            >
                {move || engine_label(&status.get())}
            </p>
        </div>
    }
}
