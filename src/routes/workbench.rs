use leptos::prelude::*;

use crate::components::inspect::{
    DataQuality, EventLog, PipelineGraph, RunHistory, SqlConsole, TablePanel,
};
use crate::components::project::{
    FileTree, GeneratorPanel, OutdatedBanner, ProblemsList, RunToolbar, VolumeBrowser,
};
use crate::components::{EditorPane, Tab, Tabs};
use crate::workbench::use_workbench;

/// The full-page workbench, laid out like a pipeline editor: the run toolbar on top; the
/// project's files and data on the left; the open file and its problems in the middle; the
/// pipeline graph on the right; what the runs produced in tabs below.
#[component]
pub fn Workbench() -> impl IntoView {
    let wb = use_workbench();
    if wb.open_file.get_untracked().is_none() {
        let first_source = wb.workspace.with_untracked(|ws| {
            ws.files
                .keys()
                .find(|p| p.starts_with("src/silver/"))
                .cloned()
        });
        wb.open_file.set(first_source);
    }
    let side = RwSignal::new("files");
    let bottom = RwSignal::new("tables");
    // Selecting a dataset in the graph shows its rows.
    Effect::new(move |_| {
        if wb.selected.get().is_some() {
            bottom.set("tables");
        }
    });
    view! {
        <div class="workbench" data-testid="workbench">
            <h1 class="visually-hidden">"Workbench"</h1>
            <RunToolbar/>
            <OutdatedBanner/>
            <div class="workbench-grid">
                <aside class="workbench-side" aria-label="Project and data">
                    <Tabs
                        label="Project and data"
                        selected=side
                        tabs=vec![
                            Tab::new("files", "Files", || view! { <FileTree/> }),
                            Tab::new("data", "Data", || view! { <GeneratorPanel/><VolumeBrowser/> }),
                            Tab::new("keep", "Keep & share", || view! { <crate::offline::KeepPanel/> }),
                        ]
                    />
                </aside>
                <div class="workbench-center">
                    <EditorPane/>
                    <ProblemsList/>
                </div>
                <section class="workbench-graph" aria-label="Pipeline graph">
                    <PipelineGraph/>
                </section>
            </div>
            <section class="workbench-bottom" aria-label="Results">
                <Tabs
                    label="Results"
                    selected=bottom
                    tabs=vec![
                        Tab::new("tables", "Tables", || view! { <TablePanel/> }),
                        Tab::new("quality", "Data quality", || view! { <DataQuality/> }),
                        Tab::new("events", "Event log", || view! { <EventLog/> }),
                        Tab::new("history", "Run history", || view! { <RunHistory/> }),
                        Tab::new("sql", "SQL", || view! { <SqlConsole initial=String::from("SELECT device_id, count(*) AS readings\nFROM sensor_bronze\nGROUP BY device_id\nORDER BY readings DESC")/> }),
                    ]
                />
            </section>
        </div>
    }
}
