//! Progressive hints: one more each time the learner asks.

use leptos::prelude::*;

use super::text_html;

/// The hints, revealed one at a time.
#[component]
pub fn Hints(hints: Vec<String>) -> impl IntoView {
    let total = hints.len();
    let (shown, set_shown) = signal(0usize);
    let hints = StoredValue::new(hints);
    view! {
        <div class="exercise-hints">
            <ol class="hint-list" aria-live="polite">
                {move || hints.with_value(|h| h.iter().take(shown.get()).map(|hint| {
                    view! { <li class="hint" inner_html=text_html(hint)></li> }
                }).collect_view())}
            </ol>
            <Show when=move || { shown.get() < total }>
                <button type="button" on:click=move |_| set_shown.update(|n| *n += 1)>
                    {move || format!("Show hint {} of {total}", shown.get() + 1)}
                </button>
            </Show>
        </div>
    }
}
