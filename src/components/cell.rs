//! A live piece of the workbench inside a lesson (see [`crate::cells`]): every cell of every
//! lesson shares the one workbench of the page, so what a learner runs in module 1 is there
//! in module 2 and in the full workbench.

use leptos::prelude::*;
use leptos_router::components::A;
use protocol::RowSource;

use crate::base;
use crate::cells::{CellKind, CellSpec};
use crate::components::EditorPane;
use crate::components::exercise::ExerciseCard;
use crate::components::inspect::{
    DataQuality, EventLog, PipelineGraph, RunHistory, SqlConsole, TableViewer,
};
use crate::components::project::{GeneratorPanel, ProblemsList, RunToolbar};
use crate::components::serving::{AlertPanel, Dashboard, TimeSeries};

/// One cell, or the author's mistake as a visible sentence.
#[component]
pub fn Cell(cell: Result<CellSpec, String>) -> impl IntoView {
    let cell = match cell {
        Ok(cell) => cell,
        Err(e) => {
            return view! { <p class="cell cell-error" role="alert">{format!("This lesson's cell cannot be shown: {e}.")}</p> }
                .into_any();
        }
    };
    if let CellKind::Exercise(id) = cell.kind {
        return view! { <ExerciseCard id/> }.into_any();
    }
    let (title, testid) = match &cell.kind {
        CellKind::Generate => ("Generate the data".to_string(), "cell-generate".to_string()),
        CellKind::Run => ("Run the pipeline".to_string(), "cell-run".to_string()),
        CellKind::File(path) => (format!("Edit {path}"), format!("cell-file-{path}")),
        CellKind::Sql => ("Query the tables".to_string(), "cell-sql".to_string()),
        CellKind::Table(name) => (format!("Rows of {name}"), format!("cell-table-{name}")),
        CellKind::Quality => (
            "Data quality of the last run".to_string(),
            "cell-quality".to_string(),
        ),
        CellKind::Events => ("The event log".to_string(), "cell-events".to_string()),
        CellKind::History => ("Run history".to_string(), "cell-history".to_string()),
        CellKind::Dashboard => ("The dashboard".to_string(), "cell-dashboard".to_string()),
        CellKind::Alert => ("The SQL alert".to_string(), "cell-alert".to_string()),
        CellKind::TimeSeries => (
            "Time-series pictures".to_string(),
            "cell-timeseries".to_string(),
        ),
        CellKind::Exercise(_) => unreachable!("returned above"),
    };
    let body = match cell.kind {
        CellKind::Generate => view! { <GeneratorPanel/> }.into_any(),
        CellKind::Run => view! { <RunToolbar/><PipelineGraph/> }.into_any(),
        CellKind::File(path) => view! {
            <RunToolbar/>
            <EditorPane path=path/>
            <ProblemsList/>
        }
        .into_any(),
        CellKind::Sql => view! { <SqlConsole initial=cell.body/> }.into_any(),
        CellKind::Table(name) => {
            let source = Signal::derive(move || Some(RowSource::Table { name: name.clone() }));
            view! { <TableViewer source/> }.into_any()
        }
        CellKind::Quality => view! { <DataQuality/> }.into_any(),
        CellKind::Events => view! { <EventLog/> }.into_any(),
        CellKind::History => view! { <RunHistory/> }.into_any(),
        CellKind::Dashboard => view! { <Dashboard/> }.into_any(),
        CellKind::Alert => view! { <AlertPanel/> }.into_any(),
        CellKind::TimeSeries => view! { <TimeSeries/> }.into_any(),
        CellKind::Exercise(_) => unreachable!("returned above"),
    };
    let heading = title.clone();
    view! {
        <section class="cell" aria-label=title data-testid=testid>
            <div class="cell-head">
                <strong>{heading}</strong>
                <A href=base::href("/workbench")>"Open the workbench"</A>
            </div>
            {body}
        </section>
    }
    .into_any()
}
