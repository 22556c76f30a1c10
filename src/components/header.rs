use leptos::prelude::*;
use leptos_router::components::A;

use crate::base;
use crate::components::ThemeToggle;
use crate::lessons::LESSONS;
use crate::progress::use_progress;

/// Site header: title, the five modules, the workbench and the theme toggle.
#[component]
pub fn Header() -> impl IntoView {
    let progress = use_progress();
    view! {
        <header class="site-header">
            <A href=base::href("/") attr:class="brand">
                <span class="brand-mark" aria-hidden="true">"◢"</span>
                "IoT Pipelines Workbook"
            </A>
            <nav aria-label="Modules" class="site-nav">
                <ul>
                    {LESSONS
                        .iter()
                        .map(|lesson| {
                            let id = lesson.id;
                            view! {
                                <li>
                                    <A href=base::href(&format!("/modules/{id}")) attr:data-testid=format!("nav-{id}")>
                                        <span class="nav-number" aria-hidden="true">{lesson.module}</span>
                                        <span class="nav-title">{lesson.title}</span>
                                        <Show when=move || progress.is_done(id)>
                                            <span class="nav-done" aria-label="completed">"✓"</span>
                                        </Show>
                                    </A>
                                </li>
                            }
                        })
                        .collect_view()}
                    <li>
                        <A href=base::href("/workbench") attr:data-testid="nav-workbench">
                            <span class="nav-title">"Workbench"</span>
                        </A>
                    </li>
                    <li>
                        <A href=base::href("/dashboard") attr:data-testid="nav-dashboard">
                            <span class="nav-title">"Dashboard"</span>
                        </A>
                    </li>
                </ul>
            </nav>
            <ThemeToggle/>
        </header>
    }
}
