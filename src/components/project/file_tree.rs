//! The project's files as a tree, like the explorer of VS Code: folders, a dot on changed
//! files, the open file highlighted, arrow keys to move, Enter to open.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::file_actions::FileActions;
use super::tree_model::{TreeRow, visible_rows};
use crate::workbench::files::{original, originals};
use crate::workbench::use_workbench;

/// Each tree on the page gets its own element ids (lesson cells may show several).
static NEXT_TREE: AtomicUsize = AtomicUsize::new(0);

/// What a file is compared with its published original.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Change {
    Same,
    Modified,
    Added,
    Deleted,
}

impl Change {
    fn label(self) -> &'static str {
        match self {
            Change::Same => "",
            Change::Modified => "modified",
            Change::Added => "new file",
            Change::Deleted => "deleted",
        }
    }
}

/// The file tree with its actions (new, rename, delete, reset, variant switch).
#[component]
pub fn FileTree() -> impl IntoView {
    let wb = use_workbench();
    let tree_id = format!("file-tree-{}", NEXT_TREE.fetch_add(1, Ordering::Relaxed));
    let (collapsed, set_collapsed) = signal(BTreeSet::<String>::new());
    // The keyboard's position; before the learner moves, the open file.
    let (cursor, set_cursor) = signal(None::<String>);
    let focused = move || cursor.get().or_else(|| wb.open_file.get());

    // Deleted published files stay listed, so that "Reset file" can bring them back.
    let rows = Memo::new(move |_| {
        let paths = wb.workspace.with(|ws| {
            let mut all: BTreeSet<String> = ws.files.keys().cloned().collect();
            all.extend(originals(ws.variant).iter().map(|(p, _)| p.to_string()));
            all
        });
        collapsed.with(|c| visible_rows(paths.iter().map(String::as_str), c))
    });
    let change = move |path: &str| {
        wb.workspace.with(|ws| {
            match (
                ws.files.contains_key(path),
                original(ws.variant, path).is_some(),
            ) {
                (false, _) => Change::Deleted,
                (true, false) => Change::Added,
                (true, true) if ws.is_modified(path) => Change::Modified,
                _ => Change::Same,
            }
        })
    };
    let selected_file = Signal::derive(move || {
        focused().filter(|p| !rows.with(|r| r.iter().any(|row| row.folder && &row.path == p)))
    });

    let toggle = move |path: &str| {
        set_collapsed.update(|c| {
            if !c.remove(path) {
                c.insert(path.to_string());
            }
        })
    };
    let activate = move |row: &TreeRow| {
        set_cursor.set(Some(row.path.clone()));
        if row.folder {
            toggle(&row.path);
        } else if wb
            .workspace
            .with_untracked(|ws| ws.files.contains_key(&row.path))
        {
            wb.open_file.set(Some(row.path.clone()));
            // The selection follows the open file from now on (also when Problems opens one).
            set_cursor.set(None);
        }
    };
    let row_id = {
        let tree_id = tree_id.clone();
        move |index: usize| format!("{tree_id}-{index}")
    };
    let focus_row = {
        let row_id = row_id.clone();
        move |index: usize| {
            if let Some(el) = document()
                .get_element_by_id(&row_id(index))
                .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = el.focus();
            }
        }
    };

    let focus_first = focus_row.clone();
    let on_keydown = move |ev: web_sys::KeyboardEvent| {
        let rows = rows.get_untracked();
        if rows.is_empty() {
            return;
        }
        let current = cursor
            .get_untracked()
            .or_else(|| wb.open_file.get_untracked());
        let index = current
            .and_then(|p| rows.iter().position(|r| r.path == p))
            .unwrap_or(0);
        let row = &rows[index];
        let expanded = row.folder && !collapsed.with_untracked(|c| c.contains(&row.path));
        let target = match ev.key().as_str() {
            "ArrowDown" => Some((index + 1).min(rows.len() - 1)),
            "ArrowUp" => Some(index.saturating_sub(1)),
            "Home" => Some(0),
            "End" => Some(rows.len() - 1),
            "ArrowRight" if row.folder && !expanded => {
                toggle(&row.path);
                Some(index)
            }
            "ArrowRight" if row.folder => Some((index + 1).min(rows.len() - 1)),
            "ArrowLeft" if expanded => {
                toggle(&row.path);
                Some(index)
            }
            "ArrowLeft" => Some(
                rows.iter()
                    .position(|r| r.path == row.parent)
                    .unwrap_or(index),
            ),
            "Enter" | " " => {
                activate(row);
                Some(index)
            }
            _ => None,
        };
        if let Some(target) = target {
            ev.prevent_default();
            // Enter and Space already placed the selection (activate).
            if !matches!(ev.key().as_str(), "Enter" | " ") {
                set_cursor.set(Some(rows[target].path.clone()));
            }
            focus_row(target);
        }
    };

    let render_row = move |(index, row): (usize, TreeRow)| {
        let path = row.path.clone();
        let is_focused = {
            let path = path.clone();
            move || focused().as_deref() == Some(path.as_str())
        };
        let is_open = {
            let path = path.clone();
            move || !row.folder && wb.open_file.get().as_deref() == Some(path.as_str())
        };
        let expanded = {
            let path = path.clone();
            move || {
                row.folder
                    .then(|| (!collapsed.with(|c| c.contains(&path))).to_string())
            }
        };
        let state = {
            let path = path.clone();
            move || {
                if row.folder {
                    Change::Same
                } else {
                    change(&path)
                }
            }
        };
        let testid = if row.folder {
            format!("folder-{path}")
        } else {
            format!("file-{path}")
        };
        let icon = {
            let expanded = expanded.clone();
            move || match expanded() {
                Some(open) if open == "true" => "▾",
                Some(_) => "▸",
                None => "",
            }
        };
        let clicked = row.clone();
        let deleted_state = state.clone();
        let selected_state = is_focused.clone();
        let open_state = is_open.clone();
        view! {
            <li
                role="treeitem"
                id=row_id(index)
                class="tree-row"
                class:tree-folder=row.folder
                class:tree-open=open_state
                class:tree-deleted=move || deleted_state() == Change::Deleted
                style=format!("--level: {}", row.level)
                data-testid=testid
                attr:aria-level=row.level
                aria-expanded=expanded
                aria-selected=move || selected_state().to_string()
                aria-current=move || is_open().then_some("true")
                tabindex=move || if is_focused() { "0" } else { "-1" }
                on:click=move |_| activate(&clicked)
            >
                <span class="tree-icon" aria-hidden="true">{icon}</span>
                <span class="tree-name">{row.name.clone()}</span>
                {move || {
                    let s = state();
                    (s != Change::Same).then(|| view! {
                        <span class=format!("tree-change tree-{}", s.label().replace(' ', "-")) title=s.label()>
                            <span aria-hidden="true">"●"</span>
                            <span class="visually-hidden">{format!(" ({})", s.label())}</span>
                        </span>
                    })
                }}
            </li>
        }
    };

    // With nothing focused yet, the first row takes Tab.
    let first_takes_tab =
        move || focused().is_none_or(|p| !rows.with(|r| r.iter().any(|row| row.path == p)));
    view! {
        <div class="file-tree" data-testid="file-tree">
            <FileActions selected=selected_file/>
            <ul
                role="tree"
                aria-label="Project files"
                class="tree"
                on:keydown=on_keydown
                on:focus=move |_| {
                    // Tabbing into a tree with no focusable row: the first row takes focus.
                    if let Some(first) = rows.with_untracked(|r| r.first().map(|r| r.path.clone())) {
                        set_cursor.set(Some(first));
                        focus_first(0);
                    }
                }
                tabindex=move || if first_takes_tab() { "0" } else { "-1" }
            >
                {move || rows.get().into_iter().enumerate().map(render_row.clone()).collect_view()}
            </ul>
        </div>
    }
}
