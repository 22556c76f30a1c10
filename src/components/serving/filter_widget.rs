//! A dashboard filter: a list of checkboxes (several values) or a drop-down (one value). Its
//! values are the ones the other filters leave (the engine computes them associatively).

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::workbench::use_workbench;

/// One filter widget.
#[component]
pub fn FilterWidget(
    /// The widget's name in the dashboard file.
    name: String,
    /// Its title.
    title: String,
    /// Several values may be chosen.
    multiple: bool,
    /// The values it offers.
    options: Vec<String>,
    /// The values chosen now.
    chosen: Vec<String>,
    /// Display names of the datasets it filters.
    datasets: Vec<String>,
) -> impl IntoView {
    let wb = use_workbench();
    let bound = format!("Filters: {}", datasets.join(", "));
    if !multiple {
        let current = chosen.first().cloned().unwrap_or_default();
        let widget = name.clone();
        let choices: Vec<_> = options
            .into_iter()
            .map(|o| {
                let selected = o == current;
                let text = o.clone();
                view! { <option value=o prop:selected=selected>{text}</option> }
            })
            .collect();
        return view! {
            <label class="dash-filter-single">
                <span class="visually-hidden">{title.clone()}</span>
                <select on:change=move |ev| {
                    let value = ev
                        .target()
                        .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
                        .map(|s| s.value())
                        .unwrap_or_default();
                    let values = if value.is_empty() { Vec::new() } else { vec![value] };
                    wb.choose_filter(&widget, values);
                }>
                    <option value="" prop:selected=current.is_empty()>"All"</option>
                    {choices}
                </select>
            </label>
            <p class="dash-bound">{bound}</p>
        }
        .into_any();
    }
    let chosen = StoredValue::new(chosen);
    let widget = StoredValue::new(name);
    let count = options.len();
    let boxes: Vec<_> = options
        .into_iter()
        .map(|o| {
            let checked = chosen.with_value(|c| c.contains(&o));
            let value = o.clone();
            view! {
                <li>
                    <label>
                        <input type="checkbox" prop:checked=checked on:change=move |_| {
                            let mut values = chosen.get_value();
                            if let Some(i) = values.iter().position(|v| *v == value) {
                                values.remove(i);
                            } else {
                                values.push(value.clone());
                            }
                            wb.choose_filter(&widget.get_value(), values);
                        }/>
                        {o}
                    </label>
                </li>
            }
        })
        .collect();
    let any = chosen.with_value(|c| !c.is_empty());
    view! {
        <fieldset class="dash-filter-multi">
            <legend class="visually-hidden">{title}</legend>
            <div class="dash-filter-bar">
                <span>{move || {
                    let n = chosen.with_value(Vec::len);
                    if n == 0 { format!("All {count}") } else { format!("{n} of {count}") }
                }}</span>
                <button type="button" disabled=!any on:click=move |_| wb.choose_filter(&widget.get_value(), Vec::new())>
                    "Clear"
                </button>
            </div>
            <ul>{boxes}</ul>
        </fieldset>
        <p class="dash-bound">{bound}</p>
    }
    .into_any()
}
