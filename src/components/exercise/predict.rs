//! A prediction: answered before the check runs, and locked once it has.

use leptos::prelude::*;
use protocol::Prediction;

use super::text_html;

/// The question and its choices as radio buttons.
#[component]
pub fn PredictionQuestion(
    question: Prediction,
    /// The radio group's name (unique on the page).
    name: String,
    /// The chosen answer, 1-based.
    chosen: RwSignal<Option<u32>>,
    /// Whether the check ran (the answer is then compared and can no longer change).
    answered: Signal<bool>,
) -> impl IntoView {
    view! {
        <fieldset class="exercise-predict">
            <legend>"Predict first: " <span inner_html=text_html(&question.question)></span></legend>
            {question.choices.iter().enumerate().map(|(i, choice)| {
                let n = i as u32 + 1;
                view! {
                    <label class="predict-choice">
                        <input type="radio" name=name.clone() value=n.to_string()
                            prop:checked=move || chosen.get() == Some(n)
                            disabled=move || answered.get()
                            on:change=move |_| chosen.set(Some(n))/>
                        " " <span inner_html=text_html(choice)></span>
                    </label>
                }
            }).collect_view()}
        </fieldset>
    }
}
