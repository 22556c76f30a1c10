//! Tabs: a row of tab buttons and the panel of the chosen one, with the WAI-ARIA keyboard
//! pattern (Left/Right/Home/End move between tabs).

use leptos::prelude::*;

/// One tab: its id (for test hooks and ARIA ids), its label and its panel.
pub struct Tab {
    /// Short id, unique on the page (`tables`, `quality`).
    pub id: &'static str,
    /// Visible label.
    pub label: &'static str,
    /// The panel's content, built when the tab is first chosen.
    pub view: Box<dyn Fn() -> AnyView + Send + Sync>,
}

impl Tab {
    /// A tab showing `view`.
    pub fn new<V: IntoView + 'static>(
        id: &'static str,
        label: &'static str,
        view: impl Fn() -> V + Send + Sync + 'static,
    ) -> Tab {
        Tab {
            id,
            label,
            view: Box::new(move || view().into_any()),
        }
    }
}

/// Tabs named `label` (for screen readers); `selected` holds the chosen tab's id.
#[component]
pub fn Tabs(
    /// Accessible name of the tab list.
    label: &'static str,
    /// The tabs.
    tabs: Vec<Tab>,
    /// The chosen tab's id.
    selected: RwSignal<&'static str>,
) -> impl IntoView {
    let ids: Vec<&'static str> = tabs.iter().map(|t| t.id).collect();
    let ids_for_keys = ids.clone();
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let current = ids_for_keys
            .iter()
            .position(|id| *id == selected.get_untracked())
            .unwrap_or(0);
        let n = ids_for_keys.len();
        let next = match ev.key().as_str() {
            "ArrowRight" => (current + 1) % n,
            "ArrowLeft" => (current + n - 1) % n,
            "Home" => 0,
            "End" => n - 1,
            _ => return,
        };
        ev.prevent_default();
        selected.set(ids_for_keys[next]);
        if let Some(el) = document().get_element_by_id(&format!("tab-{}", ids_for_keys[next]))
            && let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el)
        {
            let _ = el.focus();
        }
    };
    let buttons = tabs
        .iter()
        .map(|tab| {
            let id = tab.id;
            let is_selected = move || selected.get() == id;
            view! {
                <button
                    type="button"
                    role="tab"
                    id=format!("tab-{id}")
                    class="tab"
                    data-testid=format!("tab-{id}")
                    aria-selected=move || is_selected().to_string()
                    aria-controls=format!("panel-{id}")
                    tabindex=move || if is_selected() { "0" } else { "-1" }
                    on:click=move |_| selected.set(id)
                >
                    {tab.label}
                </button>
            }
        })
        .collect_view();
    let panels = tabs
        .into_iter()
        .map(|tab| {
            let id = tab.id;
            let view = tab.view;
            view! {
                <div
                    role="tabpanel"
                    id=format!("panel-{id}")
                    class="tab-panel"
                    aria-labelledby=format!("tab-{id}")
                    hidden=move || selected.get() != id
                >
                    {move || (selected.get() == id).then(&view)}
                </div>
            }
        })
        .collect_view();
    view! {
        <div class="tabs">
            <div role="tablist" aria-label=label class="tab-list" on:keydown=on_key>
                {buttons}
            </div>
            {panels}
        </div>
    }
}
