//! The dashboard file (`*.lvdash.json`) is untrusted input: the course's file, mutated (or
//! random text), is served by the kernel over the tiny preset's tables. Every input must come
//! back as a dashboard (a widget's own failure shown in the widget) or an error, a parse error
//! at its line:col, never a panic, a stack overflow or a hang. Inputs that once failed are
//! replayed from `tests/fuzz_regressions/lvdash`.
//!
//! The kernel is not `Send` (its host clock is an `Rc`), so one server thread with the
//! browser's stack owns it, generated and updated once, and answers each input in turn; the
//! watchdog waits for each answer with its deadline.

mod common;

use std::path::Path;
use std::sync::mpsc::{Sender, channel};
use std::sync::{Mutex, OnceLock};

use common::{Workbench, python_project};
use fuzzkit::mutate::{mutated, random_text};
use protocol::{ProjectFiles, Reply, Request};

const DASHBOARD: &str = "config/iot_anomaly_detection.lvdash.json";

type Job = (String, Sender<Result<(), String>>);

fn server() -> Sender<Job> {
    static SERVER: OnceLock<Mutex<Sender<Job>>> = OnceLock::new();
    SERVER
        .get_or_init(|| {
            let (jobs, inbox) = channel::<Job>();
            std::thread::Builder::new()
                .name("dashboard server".into())
                .stack_size(fuzzkit::WASM_STACK_BYTES)
                .spawn(move || {
                    let mut wb = Workbench::new();
                    wb.generate();
                    wb.update(&python_project());
                    for (text, answer) in inbox {
                        let _ = answer.send(serve(&mut wb, text));
                    }
                })
                .expect("spawn the dashboard server");
            Mutex::new(jobs)
        })
        .lock()
        .expect("the server's sender")
        .clone()
}

fn serve(wb: &mut Workbench, text: String) -> Result<(), String> {
    let mut project: ProjectFiles = python_project();
    let lines = text.split('\n').count() as u32;
    for (path, file) in &mut project.files {
        if path == DASHBOARD {
            *file = text.clone();
        }
    }
    let reply = wb
        .send(Request::Dashboard {
            project,
            target: None,
            filters: Vec::new(),
            now_ms: 1_796_000_000_000.0,
        })
        .reply;
    match reply {
        Reply::Dashboard(_) => Ok(()),
        Reply::Error(problem) => match &problem.place {
            Some(place) if place.file.as_deref() == Some(DASHBOARD) => {
                if place.line == 0 || place.line > lines + 1 || place.column == 0 {
                    Err(format!(
                        "{problem:?} points outside the file ({lines} lines)"
                    ))
                } else {
                    Ok(())
                }
            }
            _ if problem.message.contains("not valid") => {
                Err(format!("a parse error without its line:col: {problem:?}"))
            }
            _ => Ok(()),
        },
        other => Err(format!("answered {other:?}")),
    }
}

/// Ask the server; a dropped answer means the server panicked.
fn check(text: String) -> Result<(), String> {
    let (answer, reply) = channel();
    server()
        .send((text, answer))
        .map_err(|_| "the dashboard server is gone (an earlier input crashed it)".to_string())?;
    reply
        .recv()
        .map_err(|_| "the dashboard server panicked on this input".to_string())?
}

fn course_dashboard() -> String {
    let project = python_project();
    let found = project.files.iter().find(|(p, _)| p == DASHBOARD);
    found.expect("the course's dashboard").1.clone()
}

#[test]
fn mutated_dashboards_are_served_or_rejected_at_a_place() {
    fuzzkit::fuzz("lvdash", 60, mutated(vec![course_dashboard()]), check);
    fuzzkit::fuzz("lvdash random", 30, random_text(300), check);
}

#[test]
fn dashboards_that_once_failed_are_still_answered() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions/lvdash");
    for (name, text) in fuzzkit::regressions::cases(&dir) {
        fuzzkit::guarded(&format!("lvdash regression {name}"), text, check);
    }
}

#[test]
fn deeply_nested_dashboard_json_is_refused_with_a_place() {
    let text = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    fuzzkit::guarded("lvdash nesting", text, check);
}
