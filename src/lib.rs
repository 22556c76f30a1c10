//! The IoT Pipelines Workbook: a Leptos (CSR) app over the engine crates.

pub mod base;
pub mod cells;
pub mod components;
pub mod download;
pub mod engine;
pub mod exercises;
#[cfg(test)]
mod lesson_checks;
pub mod lessons;
pub mod markdown;
pub mod offline;
pub mod progress;
pub mod routes;
pub mod share;
pub mod theme;
pub mod workbench;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::{Footer, Header, SkipLink};
use crate::routes::{DashboardPage, GlossaryPage, Home, ModulePage, NotFound, Workbench};

/// The whole app: header, routed pages, footer.
#[component]
pub fn App() -> impl IntoView {
    offline::provide_safekeeping();
    let workbench = workbench::provide_workbench();
    progress::provide_progress(workbench.workspace);
    view! {
        <Router base=base::app_base()>
            <SkipLink/>
            <Header/>
            <offline::UpdatePrompt/>
            <offline::StorageAlert/>
            <share::ShareOffer/>
            <main id="main" tabindex="-1">
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("/") view=Home/>
                    <Route path=path!("/modules/:id") view=ModulePage/>
                    <Route path=path!("/workbench") view=Workbench/>
                    <Route path=path!("/glossary") view=GlossaryPage/>
                    <Route path=path!("/dashboard") view=DashboardPage/>
                </Routes>
            </main>
            <Footer/>
        </Router>
    }
}

/// Records when the page became interactive (the app mounted, the lesson in the DOM), in ms
/// from navigation, on the root element: the page-budget test reads it.
pub fn mark_interactive() {
    let now = window().performance().map(|p| p.now()).unwrap_or_default();
    if let Some(root) = document().document_element() {
        let _ = root.set_attribute("data-interactive-ms", &format!("{now:.0}"));
    }
}
