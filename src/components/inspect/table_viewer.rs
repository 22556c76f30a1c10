//! A page-by-page view of any rows the engine can serve (a table, a query's result, failed
//! rows, the event log): schema in the header, sortable columns, paging and downloads.

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::{DownloadFormat, Problem, RowPage, RowSource, SortBy};

use super::format::grouped;
use crate::workbench::use_workbench;

/// Rows per page: a screenful, quick to render.
pub const PAGE_SIZE: usize = 50;
/// A "Loading…" line appears only for answers slower than this, so fast pages do not flash.
const LOADING_AFTER_MS: u64 = 250;

/// Which page of which source the learner is on; a new source starts at its first page.
#[derive(Debug, Clone, PartialEq, Default)]
struct Paging {
    source: Option<RowSource>,
    offset: usize,
    sort: Option<SortBy>,
}

/// The next sort when a column's header is clicked: ascending, descending, none.
pub fn next_sort(current: Option<&SortBy>, column: &str) -> Option<SortBy> {
    match current {
        Some(s) if s.column == column && s.ascending => Some(SortBy {
            column: column.to_string(),
            ascending: false,
        }),
        Some(s) if s.column == column => None,
        _ => Some(SortBy {
            column: column.to_string(),
            ascending: true,
        }),
    }
}

/// `Rows 1–50 of 402 960`, `No rows`.
pub fn range_label(offset: usize, shown: usize, total: usize) -> String {
    if total == 0 || shown == 0 {
        return if total == 0 {
            "No rows".to_string()
        } else {
            format!("No rows on this page; {} in all", grouped(total as u64))
        };
    }
    format!(
        "Rows {}–{} of {}",
        grouped(offset as u64 + 1),
        grouped((offset + shown) as u64),
        grouped(total as u64)
    )
}

/// Rows of `source`, a page at a time. Reloads when the source or the tables change.
#[component]
pub fn TableViewer(
    /// What to show; `None` shows a hint instead.
    #[prop(into)]
    source: Signal<Option<RowSource>>,
    /// A heading above the rows.
    #[prop(optional, into)]
    title: Option<String>,
) -> impl IntoView {
    let wb = use_workbench();
    let paging = RwSignal::new(Paging::default());
    let page: RwSignal<Option<Result<RowPage, Problem>>> = RwSignal::new(None);
    let slow = RwSignal::new(false);
    let request_count = StoredValue::new(0u64);
    // The offset and sort of the current source (a new source starts unsorted at row 1).
    let current = move || {
        let source = source.get();
        paging.with(|p| {
            if p.source == source {
                (source, p.offset, p.sort.clone())
            } else {
                (source, 0, None)
            }
        })
    };

    Effect::new(move |_| {
        wb.tables_changed.track();
        let (source, offset, sort) = current();
        request_count.update_value(|n| *n += 1);
        let this_request = request_count.get_value();
        let Some(source) = source else {
            page.set(None);
            slow.set(false);
            return;
        };
        // The viewer may be gone (its tab closed) when a timer or an answer arrives: the
        // `try_` accessors skip disposed signals instead of panicking.
        set_timeout(
            move || {
                if request_count.try_get_value() == Some(this_request) {
                    slow.try_set(true);
                }
            },
            std::time::Duration::from_millis(LOADING_AFTER_MS),
        );
        spawn_local(async move {
            let answer = wb.rows(source, offset, PAGE_SIZE, sort).await;
            // A later request supersedes this one.
            if request_count.try_get_value() == Some(this_request) {
                request_count.try_update_value(|n| *n += 1);
                slow.try_set(false);
                page.try_set(Some(answer));
            }
        });
    });

    let go = move |offset: usize| {
        let (source, _, sort) = current();
        paging.set(Paging {
            source,
            offset,
            sort,
        });
    };
    let sort_by = move |column: String| {
        let (source, _, sort) = current();
        let sort = next_sort(sort.as_ref(), &column);
        paging.set(Paging {
            source,
            offset: 0,
            sort,
        });
    };
    let download = move |format: DownloadFormat| {
        if let Some(source) = source.get_untracked() {
            wb.download(source, format);
        }
    };

    let loaded = move || page.with(|p| matches!(p, Some(Ok(_))));
    let total = move || {
        page.with(|p| {
            p.as_ref()
                .and_then(|r| r.as_ref().ok())
                .map_or(0, |p| p.total_rows)
        })
    };
    let offset = move || current().1;
    let shown = move || {
        page.with(|p| {
            p.as_ref()
                .and_then(|r| r.as_ref().ok())
                .map_or(0, |p| p.rows.len())
        })
    };
    let status = move || {
        if source.with(Option::is_none) {
            return "Nothing selected".to_string();
        }
        if slow.get() {
            return "Loading…".to_string();
        }
        match page.with(|p| p.as_ref().map(|r| r.is_ok())) {
            Some(true) => range_label(offset(), shown(), total()),
            Some(false) => "No rows: see the message above".to_string(),
            None => "Loading…".to_string(),
        }
    };

    let error = move || {
        page.with(|p| match p {
            Some(Err(problem)) => Some(view! {
                <p class="tv-error" role="alert">{problem.sentence()}</p>
            }),
            _ => None,
        })
    };

    let header = move || {
        let sort = current().2;
        page.with(|p| {
            let Some(Ok(page)) = p else { return Vec::new() };
            page.columns
                .iter()
                .map(|column| {
                    let name = column.name.clone();
                    let state = match &sort {
                        Some(s) if s.column == name && s.ascending => "ascending",
                        Some(s) if s.column == name => "descending",
                        _ => "none",
                    };
                    let arrow = match state {
                        "ascending" => "▲",
                        "descending" => "▼",
                        _ => "",
                    };
                    let label = format!("{name}, {}: sort", column.data_type);
                    let clicked = name.clone();
                    view! {
                        <th scope="col" aria-sort=state class:tv-num=column.numeric>
                            <button
                                type="button"
                                class="tv-sort"
                                aria-label=label
                                on:click=move |_| sort_by(clicked.clone())
                            >
                                <span class="tv-name">{name}<span class="tv-arrow" aria-hidden="true">{arrow}</span></span>
                                <span class="tv-type">{column.data_type.clone()}</span>
                            </button>
                        </th>
                    }
                })
                .collect::<Vec<_>>()
        })
    };

    let body = move || {
        page.with(|p| {
            let Some(Ok(page)) = p else { return Vec::new() };
            let numeric: Vec<bool> = page.columns.iter().map(|c| c.numeric).collect();
            page.rows
                .iter()
                .map(|row| {
                    let cells = row
                        .iter()
                        .enumerate()
                        .map(|(i, cell)| {
                            let num = numeric.get(i).copied().unwrap_or(false);
                            match cell {
                                Some(text) => view! { <td class:tv-num=num>{text.clone()}</td> }.into_any(),
                                None => view! { <td class:tv-num=num><span class="tv-null">"NULL"</span></td> }.into_any(),
                            }
                        })
                        .collect::<Vec<_>>();
                    view! { <tr data-testid="table-row">{cells}</tr> }
                })
                .collect::<Vec<_>>()
        })
    };

    let region_label = title.clone().unwrap_or_else(|| "Rows".to_string());
    view! {
        <div class="table-viewer" data-testid="table-viewer" class:tv-busy=move || slow.get()>
            {title.map(|t| view! { <h3 class="tv-title">{t}</h3> })}
            <div class="tv-toolbar">
                <span class="tv-status" data-testid="table-status" role="status">{status}</span>
                <span class="tv-pager">
                    <button
                        type="button"
                        disabled=move || !loaded() || offset() == 0
                        on:click=move |_| go(offset().saturating_sub(PAGE_SIZE))
                    >
                        "Previous"
                    </button>
                    <button
                        type="button"
                        disabled={move || !loaded() || offset() + PAGE_SIZE >= total()}
                        on:click=move |_| go(offset() + PAGE_SIZE)
                    >
                        "Next"
                    </button>
                </span>
                <span class="tv-downloads">
                    <button
                        type="button"
                        disabled=move || source.with(Option::is_none)
                        on:click=move |_| download(DownloadFormat::Csv)
                    >
                        "Download CSV"
                    </button>
                    <button
                        type="button"
                        disabled=move || source.with(Option::is_none)
                        on:click=move |_| download(DownloadFormat::Parquet)
                    >
                        "Download Parquet"
                    </button>
                </span>
            </div>
            {error}
            <div class="tv-scroll" tabindex="0" role="region" aria-label=region_label>
                <table class="tv-table">
                    <thead>
                        <tr>{header}</tr>
                    </thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_cycles_ascending_descending_none() {
        let asc = next_sort(None, "temp").unwrap();
        assert!(asc.ascending && asc.column == "temp");
        let desc = next_sort(Some(&asc), "temp").unwrap();
        assert!(!desc.ascending);
        assert_eq!(next_sort(Some(&desc), "temp"), None);
        // Another column starts ascending again.
        let other = next_sort(Some(&desc), "device_id").unwrap();
        assert!(other.ascending && other.column == "device_id");
    }

    #[test]
    fn range_reads_like_the_course() {
        assert_eq!(range_label(0, 50, 402_960), "Rows 1–50 of 402\u{2009}960");
        assert_eq!(
            range_label(402_950, 10, 402_960),
            "Rows 402\u{2009}951–402\u{2009}960 of 402\u{2009}960"
        );
        assert_eq!(range_label(0, 0, 0), "No rows");
    }
}
