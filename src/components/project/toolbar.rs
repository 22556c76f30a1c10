//! The run toolbar, like the Lakeflow editor's: Validate, Run update, Full refresh (all or
//! the selected table), Cancel, the bundle target, and where the run is.

use leptos::prelude::*;
use protocol::{FlowState, FullRefresh, NodeKind, Severity};

use super::status_line::StatusLine;
use crate::workbench::use_workbench;

/// `Running… 3 of 5 flows` (or without a total when the graph is unknown).
pub fn running_label(done: usize, total: usize) -> String {
    if total == 0 {
        format!("Running… {done} flows done")
    } else {
        format!("Running… {done} of {total} flows")
    }
}

/// Why the run buttons are disabled, if they are.
pub fn blocked_reason(errors: usize, busy: Option<&str>, running: bool) -> Option<String> {
    if running {
        None
    } else if let Some(task) = busy {
        Some(format!("Wait: {task}"))
    } else if errors == 1 {
        Some("Fix 1 problem to run".into())
    } else if errors > 1 {
        Some(format!("Fix {errors} problems to run"))
    } else {
        None
    }
}

/// The toolbar; Ctrl/Cmd-Enter anywhere on the page runs an update.
#[component]
pub fn RunToolbar() -> impl IntoView {
    let wb = use_workbench();
    let (menu_open, set_menu_open) = signal(false);
    let errors = move || {
        wb.validation.with(|v| {
            v.as_ref().map_or(0, |v| {
                v.problems
                    .iter()
                    .filter(|p| p.severity == Severity::Error)
                    .count()
            })
        })
    };
    let running = move || wb.live.with(Option::is_some);
    let blocked = move || wb.is_busy() || errors() > 0;
    let reason = move || {
        wb.busy
            .with(|b| blocked_reason(errors(), b.as_deref(), running()))
    };
    let progress = move || {
        wb.live.with(|live| {
            live.as_ref().map(|live| {
                let done = live
                    .flows
                    .values()
                    .filter(|f| {
                        matches!(
                            f.state,
                            FlowState::Completed | FlowState::Failed | FlowState::Skipped
                        )
                    })
                    .count();
                let total = wb.validation.with(|v| {
                    v.as_ref().map_or(0, |v| {
                        v.graph
                            .nodes
                            .iter()
                            .filter(|n| n.kind != NodeKind::Files)
                            .count()
                    })
                });
                running_label(done, total.max(live.flows.len()))
            })
        })
    };
    let refresh = move |full: FullRefresh| {
        set_menu_open.set(false);
        wb.run(full);
    };

    let shortcut = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) && !ev.default_prevented() {
            ev.prevent_default();
            wb.run(FullRefresh::None);
        }
    });
    on_cleanup(move || shortcut.remove());

    let targets = move || {
        wb.validation
            .with(|v| v.as_ref().map(|v| v.targets.clone()).unwrap_or_default())
    };
    let chosen_target = move || {
        wb.target
            .get()
            .or_else(|| {
                wb.validation
                    .with(|v| v.as_ref().and_then(|v| v.target.clone()))
            })
            .unwrap_or_default()
    };

    view! {
        <div class="run-toolbar" data-testid="run-toolbar" role="toolbar" aria-label="Pipeline">
            <button type="button" data-testid="validate" title="Check the project without running it"
                on:click=move |_| wb.validate_now()>"Validate"</button>
            <button type="button" class="primary" data-testid="run-update"
                disabled=blocked
                title="Run an update: new files only (Ctrl+Enter / ⌘+Enter)"
                on:click=move |_| wb.run(FullRefresh::None)>"Run update"</button>
            <div class="menu-anchor">
                <button type="button" data-testid="full-refresh"
                    disabled=blocked
                    aria-haspopup="menu"
                    aria-expanded=move || menu_open.get().to_string()
                    title="Rebuild tables from scratch, reading every file again"
                    on:click=move |_| set_menu_open.update(|o| *o = !*o)>"Full refresh"</button>
                <Show when=move || menu_open.get() && !blocked()>
                    <div class="menu" role="menu" aria-label="Full refresh"
                        on:keydown=move |ev| if ev.key() == "Escape" { set_menu_open.set(false) }>
                        <button type="button" role="menuitem" data-testid="full-refresh-all"
                            on:click=move |_| refresh(FullRefresh::All)>"All tables"</button>
                        <button type="button" role="menuitem" data-testid="full-refresh-selected"
                            disabled=move || wb.selected.with(Option::is_none)
                            title=move || wb.selected.with(Option::is_none).then_some("Select a table in the graph or the table list first")
                            on:click=move |_| if let Some(t) = wb.selected.get_untracked() { refresh(FullRefresh::Tables(vec![t])) }>
                            {move || match wb.selected.get() {
                                Some(t) => format!("Selected: {t}"),
                                None => "Selected: none".into(),
                            }}
                        </button>
                    </div>
                </Show>
            </div>
            <button type="button" data-testid="cancel"
                disabled=move || !running()
                title="Stop the update; every table stays as it was"
                on:click=move |_| wb.cancel()>"Cancel"</button>
            <label class="target-label">
                "Target "
                <select data-testid="target-select"
                    disabled=move || targets().is_empty()
                    on:change=move |ev| {
                        let value = event_target_value(&ev);
                        wb.target.set((!value.is_empty()).then_some(value));
                        wb.validate_now();
                    }>
                    {move || {
                        let chosen = chosen_target();
                        let list = targets();
                        if list.is_empty() {
                            view! { <option value="">"(bundle default)"</option> }.into_any()
                        } else {
                            list.into_iter().map(|t| {
                                let selected = t == chosen;
                                view! { <option value=t.clone() selected=selected>{t.clone()}</option> }
                            }).collect_view().into_any()
                        }
                    }}
                </select>
            </label>
            <span class="run-progress" aria-live="polite">{progress}</span>
            {move || reason().map(|r| view! { <span class="run-hint" data-testid="run-hint">{r}</span> })}
            <StatusLine/>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_running_label() {
        assert_eq!(running_label(3, 5), "Running… 3 of 5 flows");
        assert_eq!(running_label(2, 0), "Running… 2 flows done");
    }

    #[test]
    fn test_blocked_reason() {
        assert_eq!(blocked_reason(0, None, false), None);
        assert_eq!(
            blocked_reason(1, None, false).as_deref(),
            Some("Fix 1 problem to run")
        );
        assert_eq!(
            blocked_reason(3, None, false).as_deref(),
            Some("Fix 3 problems to run")
        );
        assert_eq!(
            blocked_reason(0, Some("Generating data…"), false).as_deref(),
            Some("Wait: Generating data…")
        );
        assert_eq!(blocked_reason(2, None, true), None);
    }
}
