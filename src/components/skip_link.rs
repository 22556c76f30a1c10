use leptos::prelude::*;

/// First focusable element: lets keyboard users jump past the navigation.
#[component]
pub fn SkipLink() -> impl IntoView {
    view! { <a class="skip-link" href="#main">"Skip to content"</a> }
}
