use leptos::prelude::*;
use leptos_router::components::A;

use crate::base;

/// Shown for any path the router does not know.
#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="not-found">
            <h1>"Page not found"</h1>
            <p>"This address is not part of the workbook. " <A href=base::href("/")>"Go to the start page"</A>"."</p>
        </section>
    }
}
