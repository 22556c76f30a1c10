//! The IoT Pipelines Workbook: a Leptos (CSR) app over the engine crates.

pub mod base;
pub mod components;
pub mod dataplane;
pub mod lessons;
pub mod markdown;
pub mod progress;
pub mod routes;
pub mod theme;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::{Footer, Header, SkipLink};
use crate::routes::{Home, ModulePage, NotFound, Playground};

/// The whole app: header, routed pages, footer.
#[component]
pub fn App() -> impl IntoView {
    progress::provide_progress();
    view! {
        <Router base=base::app_base()>
            <SkipLink/>
            <Header/>
            <main id="main" tabindex="-1">
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("/") view=Home/>
                    <Route path=path!("/modules/:id") view=ModulePage/>
                    <Route path=path!("/playground") view=Playground/>
                </Routes>
            </main>
            <Footer/>
        </Router>
    }
}
