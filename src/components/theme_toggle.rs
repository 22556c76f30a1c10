use leptos::prelude::*;

use crate::theme::use_theme;

/// Button cycling the theme: system → light → dark.
#[component]
pub fn ThemeToggle() -> impl IntoView {
    let (theme, set_theme) = use_theme();
    view! {
        <button
            type="button"
            class="theme-toggle"
            data-testid="theme-toggle"
            title="Change the colour theme"
            on:click=move |_| set_theme.update(|t| *t = t.next())
        >
            {move || theme.get().label()}
        </button>
    }
}
