//! Exercise checks ([`protocol::Request::Check`]): the learner's files run in a scratch
//! workspace of their own, on data generated from a seed the learner has not seen, and the
//! exercise's assertions are tested there. The learner's tables, files and history are never
//! touched, and an answer table typed in by hand cannot pass: the data is new every time.

mod assert;
mod config;

use std::collections::BTreeMap;

use protocol::{
    CheckResult, CheckSpec, FullRefresh, GeneratorSettings, Outcome, Preset, Problem, ProjectFiles,
    Reply, Step,
};

use crate::project::{options, to_project};
use crate::{Host, Kernel, run};

/// A problem as one sentence with its place, `file:line:col: message`.
pub(crate) fn sentence(problem: &Problem) -> String {
    match &problem.place {
        Some(p) => format!(
            "{}:{}:{}: {}",
            p.file.as_deref().unwrap_or("query"),
            p.line,
            p.column,
            problem.message
        ),
        None => problem.message.clone(),
    }
}

/// Run `check` on `files` with data from `seed`, in a workspace that exists only for it.
pub(crate) fn check(
    kernel: &Kernel,
    files: &ProjectFiles,
    spec: &CheckSpec,
    seed: u64,
) -> CheckResult {
    let now = kernel.now_ms.clone();
    let (mut scratch, _) = Kernel::restore(
        Host {
            now_ms: Box::new(move || now()),
        },
        BTreeMap::new(),
    );
    let mut result = CheckResult {
        passed: false,
        seed,
        ran: Vec::new(),
        findings: Vec::new(),
    };
    let project = to_project(files);
    let bundle = match pipeline::bundle::load(&project, &options(spec.target.clone())) {
        Ok(bundle) => bundle,
        Err(diagnostics) => {
            let first = diagnostics
                .errors()
                .next()
                .map(|d| sentence(&crate::project::problem(d)))
                .unwrap_or_else(|| "the bundle does not load".into());
            result.findings.push(protocol::Finding {
                look: "databricks.yml and the files it includes".into(),
                expected: "a bundle that validates".into(),
                found: first,
                passed: false,
                hint: Some(
                    "Fix the problem at the place it names (the Problems panel lists it too), then check again."
                        .into(),
                ),
            });
            return result;
        }
    };
    if let Err(finding) = run_steps(&mut scratch, files, spec, seed, &bundle, &mut result) {
        result.findings.push(finding);
        return result;
    }
    for assertion in &spec.assertions {
        result
            .findings
            .push(assert::evaluate(&mut scratch, &project, &bundle, assertion));
    }
    result.passed = result.findings.iter().all(|f| f.passed);
    result
}

fn run_steps(
    scratch: &mut Kernel,
    files: &ProjectFiles,
    spec: &CheckSpec,
    seed: u64,
    bundle: &pipeline::bundle::Bundle,
    result: &mut CheckResult,
) -> Result<(), protocol::Finding> {
    let mut updates = 0;
    for step in &spec.steps {
        match step {
            Step::Generate => {
                let (catalog, schema) = bundle
                    .pipelines
                    .first()
                    .map(|p| (p.catalog.clone(), p.schema.clone()))
                    .unwrap_or_else(|| ("default".into(), "iot_anomaly_detection".into()));
                let settings = GeneratorSettings {
                    seed,
                    preset: Preset::Tiny,
                    dirty: spec.dirty,
                };
                crate::data::generate(scratch, settings, &catalog, &schema)
                    .map_err(|p| step_failed("generating the data", sentence(&p)))?;
                result.ran.push(format!(
                    "Generated fresh data (seed {seed}, tiny) in /Volumes/{catalog}/{schema}."
                ));
            }
            Step::Land => {
                if let (Some(dirty), Some(settings)) = (spec.land_dirty, &mut scratch.generated) {
                    settings.dirty = dirty;
                }
                crate::data::land_more(scratch)
                    .map_err(|p| step_failed("landing more data", sentence(&p)))?;
                result
                    .ran
                    .push("Landed the next increment of files.".into());
            }
            Step::Update | Step::FullRefresh => {
                updates += 1;
                let refresh = if *step == Step::Update {
                    FullRefresh::None
                } else {
                    FullRefresh::All
                };
                let started = (scratch.now_ms)();
                let out = run::update(
                    scratch,
                    files,
                    spec.target.clone(),
                    refresh,
                    started,
                    Box::new(|_| {}),
                );
                let Reply::Updated { run, .. } = out.reply else {
                    return Err(step_failed("the update", "the engine gave no run".into()));
                };
                let label = if *step == Step::Update {
                    format!("update {updates}")
                } else {
                    format!("full refresh (update {updates})")
                };
                if let Outcome::Failed { problem, .. } = &run.outcome {
                    return Err(protocol::Finding {
                        look: format!("the pipeline's {label}"),
                        expected: "it completes".into(),
                        found: format!("it failed: {}", sentence(problem)),
                        passed: false,
                        hint: Some(spec.failed_update_hint.clone().unwrap_or_else(|| {
                            "A check runs your pipeline; make it complete first (run it in the workbench and read the run's error).".into()
                        })),
                    });
                }
                let written: Vec<String> = run
                    .flows
                    .iter()
                    .map(|f| format!("{} +{}", f.dataset, f.rows_written))
                    .collect();
                result
                    .ran
                    .push(format!("Ran {label}: completed ({}).", written.join(", ")));
            }
        }
    }
    Ok(())
}

fn step_failed(what: &str, found: String) -> protocol::Finding {
    protocol::Finding {
        look: what.to_string(),
        expected: "it succeeds".into(),
        found,
        passed: false,
        hint: Some(
            "Check the bundle's catalog and schema: the data lands where the pipeline reads."
                .into(),
        ),
    }
}
