//! The IoT Pipelines Workbook: a Leptos (CSR) app over the engine crates.

pub mod base;
pub mod cells;
pub mod components;
pub mod download;
pub mod engine;
pub mod exercises;
pub mod interactive;
// The checks read the lessons' Markdown, which only native builds compile in.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod lesson_checks;
pub mod lesson_doc;
pub mod lesson_fetch;
pub mod lessons;
// The renderer runs at build time (build.rs includes it) and in native tests; the page gets
// the lessons rendered, so pulldown-cmark is not linked into the wasm.
#[cfg(not(target_arch = "wasm32"))]
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

/// The app is mounted: the page is interactive once the lesson it fetches is shown too
/// ([`interactive`]), which the page-budget test reads.
pub fn mark_interactive() {
    interactive::mounted();
}
