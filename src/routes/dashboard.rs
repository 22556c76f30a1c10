use leptos::prelude::*;

use crate::components::serving::{AlertPanel, Dashboard};
use crate::components::{Tab, Tabs};

/// The serving layer of the project, as Databricks shows it after a deploy: the Lakeview
/// dashboard and the SQL alert, computed from the learner's files and tables.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let selected = RwSignal::new("dashboard");
    view! {
        <div class="dashboard-page">
            <h1>"Dashboard and alert"</h1>
            <Tabs
                label="Serving"
                selected=selected
                tabs=vec![
                    Tab::new("dashboard", "Dashboard", || view! { <Dashboard/> }),
                    Tab::new("alert", "SQL alert", || view! { <AlertPanel/> }),
                ]
            />
        </div>
    }
}
