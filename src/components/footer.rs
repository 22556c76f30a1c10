use leptos::prelude::*;

/// Page footer: what this is and that it runs offline.
#[component]
pub fn Footer() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <p>
                "IoT Pipelines Workbook — the offline companion to the Databricks crash course "
                "“IoT Time Series Analysis”. Everything runs in your browser; no data leaves it."
            </p>
        </footer>
    }
}
