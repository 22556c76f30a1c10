//! What a check found: passed or not, what ran, and per assertion what it looked at, what it
//! expected, what it found and what to think about; the prediction compared with the answer.

use leptos::prelude::*;
use protocol::{CheckResult, Finding, Prediction};

use super::text_html;

/// The outcome of the last check (nothing before the first).
#[component]
pub fn CheckOutcome(
    result: RwSignal<Option<Result<CheckResult, String>>>,
    prediction: RwSignal<Option<u32>>,
    predict: Option<Prediction>,
) -> impl IntoView {
    let predict = StoredValue::new(predict);
    view! {
        <div class="exercise-outcome" role="status" aria-live="polite" data-testid="check-outcome">
            {move || result.get().map(|answer| match answer {
                Err(sentence) => view! {
                    <p class="outcome-error">{format!("The check could not run: {sentence}")}</p>
                }.into_any(),
                Ok(r) => view! {
                    <p class=if r.passed { "outcome-verdict passed" } else { "outcome-verdict failed" }>
                        {if r.passed { "✓ Passed." } else { "✗ Not yet." }}
                        {format!(" Your project ran on fresh data (seed {}) in a scratch workspace; your own tables are untouched.", r.seed)}
                    </p>
                    {predict.get_value().map(|p| compare(&p, prediction.get_untracked()))}
                    <ul class="findings">
                        {r.findings.into_iter().map(|f| view! { <FindingItem finding=f/> }).collect_view()}
                    </ul>
                    <details class="outcome-ran">
                        <summary>"What ran"</summary>
                        <ul>{r.ran.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}</ul>
                    </details>
                }.into_any(),
            })}
        </div>
    }
}

fn compare(p: &Prediction, chosen: Option<u32>) -> impl IntoView + use<> {
    let right = p
        .choices
        .get(p.answer as usize - 1)
        .cloned()
        .unwrap_or_default();
    let verdict = match chosen {
        Some(n) if n == p.answer => format!("Your prediction was right: {right}."),
        Some(n) => format!(
            "You predicted “{}”; the answer is “{right}”.",
            p.choices.get(n as usize - 1).cloned().unwrap_or_default()
        ),
        None => format!("The answer: {right}."),
    };
    // The choices and the explanation are HTML (see `text_html`).
    let verdict = format!("{verdict} {}", p.explain);
    view! { <p class="outcome-prediction" inner_html=text_html(&verdict)></p> }
}

#[component]
fn FindingItem(finding: Finding) -> impl IntoView {
    let mark = if finding.passed { "✓" } else { "✗" };
    view! {
        <li class=if finding.passed { "finding passed" } else { "finding failed" }>
            <p><span aria-hidden="true">{mark}" "</span><strong>"Looked at: "</strong>{finding.look}</p>
            <p><strong>"Found: "</strong>{finding.found}<span class="finding-expected">{format!(" (expected {})", finding.expected)}</span></p>
            {finding.hint.map(|h| view! { <p class="finding-hint"><strong>"Think about: "</strong><span inner_html=text_html(&h)></span></p> })}
        </li>
    }
}
