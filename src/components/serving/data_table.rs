//! A widget's rows as a table: the "Show data" view, and what a screen reader reads.

use leptos::prelude::*;
use protocol::{Cell, ColumnInfo};

/// Rows shown at most (the download has them all).
const MAX_ROWS: usize = 1000;

/// The rows under their column names.
#[component]
pub fn DataTable(
    /// What the table shows.
    caption: String,
    /// Its columns.
    columns: Vec<ColumnInfo>,
    /// Its rows.
    rows: Vec<Vec<Cell>>,
) -> impl IntoView {
    let more = rows.len().saturating_sub(MAX_ROWS);
    let head: Vec<_> = columns
        .iter()
        .map(|c| view! { <th scope="col" class:num=c.numeric>{c.name.clone()}</th> })
        .collect();
    let numeric: Vec<bool> = columns.iter().map(|c| c.numeric).collect();
    let body: Vec<_> = rows
        .into_iter()
        .take(MAX_ROWS)
        .map(|row| {
            let cells: Vec<_> = row
                .into_iter()
                .enumerate()
                .map(|(i, cell)| {
                    let num = numeric.get(i).copied().unwrap_or(false);
                    match cell {
                        Some(text) => view! { <td class:num=num>{text}</td> }.into_any(),
                        None => view! { <td class="null">"null"</td> }.into_any(),
                    }
                })
                .collect();
            view! { <tr>{cells}</tr> }
        })
        .collect();
    view! {
        <div class="dash-data">
            <table>
                <caption>{caption}</caption>
                <thead><tr>{head}</tr></thead>
                <tbody>{body}</tbody>
            </table>
            {(more > 0).then(|| view! { <p class="dash-more">{format!("{more} more rows are in the CSV download.")}</p> })}
        </div>
    }
}
