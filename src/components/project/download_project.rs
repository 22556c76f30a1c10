//! "Download project": the learner's project as a Spark declarative pipelines project or a
//! Databricks bundle, the files `iotwb export` writes, and afterwards what the export could
//! not lower, each place a link into the editor.

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::{ExportFormat, ExportNote, ExportedProject, Place, Problem};

use crate::workbench::use_workbench;

fn format_label(format: ExportFormat) -> &'static str {
    match format {
        ExportFormat::Spark => "Spark declarative pipelines project",
        ExportFormat::Databricks => "Databricks bundle",
    }
}

fn format_hint(format: ExportFormat) -> &'static str {
    match format {
        ExportFormat::Spark => "For spark-pipelines on open-source Spark 4.x.",
        ExportFormat::Databricks => "Your bundle as edited, for databricks bundle deploy.",
    }
}

/// `file:line:col`.
fn place_label(place: &Place) -> String {
    format!(
        "{}:{}:{}",
        place.file.as_deref().unwrap_or("line"),
        place.line,
        place.column
    )
}

/// What the last download gave.
#[derive(Clone, PartialEq)]
enum Outcome {
    Done(ExportFormat, ExportedProject),
    Failed(Problem),
}

/// The control and its report.
#[component]
pub fn DownloadProject() -> impl IntoView {
    let wb = use_workbench();
    let (format, set_format) = signal(ExportFormat::Spark);
    let (working, set_working) = signal(false);
    let (outcome, set_outcome) = signal(None::<Outcome>);
    let download = move |_| {
        let chosen = format.get_untracked();
        set_working.set(true);
        set_outcome.set(None);
        spawn_local(async move {
            let result = wb.download_project(chosen).await;
            set_working.set(false);
            set_outcome.set(Some(match result {
                Ok(exported) => Outcome::Done(chosen, exported),
                Err(problem) => Outcome::Failed(problem),
            }));
        });
    };
    let open = move |place: &Place| {
        if let Some(file) = &place.file {
            wb.open_file.set(Some(file.clone()));
            wb.goto.set(Some((file.clone(), place.line, place.column)));
        }
    };
    let option = move |choice: ExportFormat| {
        view! {
            <label class="download-format">
                <input type="radio" name="download-format"
                    prop:checked=move || format.get() == choice
                    on:change=move |_| set_format.set(choice)
                />
                <span class="download-format-name">{format_label(choice)}</span>
                <span class="field-hint">{format_hint(choice)}</span>
            </label>
        }
    };
    let note = move |n: ExportNote| {
        let at = n.place.clone();
        view! {
            <li>
                <button type="button" class="download-place" title="Open the file at this place"
                    on:click=move |_| open(&at)>
                    {place_label(&n.place)}
                </button>
                " "
                <span>{n.message}</span>
            </li>
        }
    };
    let report = move || {
        outcome.get().map(|o| match o {
            Outcome::Done(chosen, exported) => {
                let rewritten = match exported.lowered.len() {
                    0 => String::new(),
                    1 => " 1 Databricks-only feature was rewritten (commented in the sources and the README).".into(),
                    n => format!(" {n} Databricks-only features were rewritten (commented in the sources and the README)."),
                };
                let saved = format!(
                    "Saved {}.zip: {} files of the {}.{rewritten}",
                    exported.name,
                    exported.files.len(),
                    format_label(chosen)
                );
                let unlowered = (!exported.not_lowered.is_empty()).then(|| {
                    let count = exported.not_lowered.len();
                    view! {
                        <div class="download-not-lowered" role="region" aria-label="Not lowered">
                            <h3>{format!("Not lowered ({count})")}</h3>
                            <p>"No open-source Spark form: the export kept these as written and marked them in the files. Change them before running on Spark."</p>
                            <ul role="list">{exported.not_lowered.into_iter().map(note).collect_view()}</ul>
                        </div>
                    }
                });
                view! {
                    <p role="status" data-testid="download-outcome">{saved}</p>
                    {unlowered}
                }
                .into_any()
            }
            Outcome::Failed(problem) => {
                // The place is a button into the editor, like the Problems list's entries.
                let at = problem.place.clone().filter(|p| p.file.is_some());
                let message = match &at {
                    Some(_) => problem.message.clone(),
                    None => problem.sentence(),
                };
                view! {
                    <p role="alert" class="keep-error" data-testid="download-outcome">
                        {at.map(|at| view! {
                            <button type="button" class="download-place" title="Open the file at this place"
                                on:click=move |_| open(&at)>
                                {place_label(&at)}
                            </button>
                            " "
                        })}
                        {message}
                    </p>
                }
                .into_any()
            }
        })
    };
    view! {
        <section aria-labelledby="download-project" class="download-project">
            <h2 id="download-project">"Run it on Spark or Databricks"</h2>
            <p>"Your project as it is now, as the files "<code>"iotwb export"</code>" writes, in one .zip."</p>
            <fieldset class="download-formats">
                <legend>"Format"</legend>
                {ExportFormat::ALL.into_iter().map(option).collect_view()}
            </fieldset>
            <button type="button" class="primary" disabled=move || working.get() || wb.is_busy()
                on:click=download>
                "Download project"
            </button>
            <Show when=move || working.get()>
                <p role="status">"Exporting…"</p>
            </Show>
            {report}
        </section>
    }
}
