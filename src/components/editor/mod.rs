//! The code editor: a `<textarea>` with transparent text laid exactly over a `<pre>` holding
//! the highlighted copy (tokens from `syntax::highlight`, problems underlined), beside a
//! line-number gutter. The three share font metrics and scroll together, so the learner types
//! into a plain textarea (the browser's caret, selection, undo and IME keep working) and sees
//! the coloured copy through it.

mod edit;
mod metrics;
mod position;
mod render;

use std::sync::atomic::{AtomicU32, Ordering};

use leptos::ev;
use leptos::html;
use leptos::prelude::*;
use syntax::highlight::Language;
use wasm_bindgen::JsCast;
use web_sys::HtmlTextAreaElement;

use edit::Edit;
use metrics::{Metrics, visual_width};
use position::{byte_to_utf16, utf16_to_byte, visual_to_char_column};
pub use position::{char_offset, line_col};

/// One problem to mark in the editor.
#[derive(Clone, Debug, PartialEq)]
pub struct Marker {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in chars.
    pub column: u32,
    /// Where the marked range ends (line, column; exclusive); `None` marks the word at
    /// `line:column`.
    pub end: Option<(u32, u32)>,
    /// What is wrong, shown on hover and when the caret is inside.
    pub message: String,
    /// An error (red) rather than a warning (amber).
    pub error: bool,
}

/// Ids of the tooltip and hint elements, unique per editor on the page.
static NEXT_EDITOR: AtomicU32 = AtomicU32::new(0);

/// A text position and where its tooltip goes (pixels inside the editing area).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Pointed {
    byte: usize,
    x: f64,
    y: f64,
}

/// A code editor with syntax colouring, problem markers, indentation keys and shortcuts.
#[component]
pub fn CodeEditor(
    /// The text; the editor writes every edit into it.
    text: RwSignal<String>,
    /// Language, from the file's path.
    #[prop(into)]
    language: Signal<Language>,
    /// Problems to underline (at line:col to `end`, or to the end of the word at line:col).
    #[prop(into)]
    markers: Signal<Vec<Marker>>,
    /// Ctrl/Cmd-Enter.
    #[prop(optional, into)]
    on_run: Option<Callback<()>>,
    /// Ctrl/Cmd-S (the browser's save dialog is prevented).
    #[prop(optional, into)]
    on_save: Option<Callback<()>>,
    /// Set to Some((line, column)) to move the caret there, scroll it into view and focus the
    /// editor; the editor sets it back to None.
    #[prop(optional)]
    goto: Option<RwSignal<Option<(u32, u32)>>>,
    /// Accessible name of the text area (e.g. the file's path).
    #[prop(into)]
    label: Signal<String>,
    /// Read-only.
    #[prop(optional, into)]
    readonly: Signal<bool>,
) -> impl IntoView {
    let id = NEXT_EDITOR.fetch_add(1, Ordering::Relaxed);
    let tooltip_id = format!("editor-tooltip-{id}");
    let hint_id = format!("editor-hint-{id}");
    let input = NodeRef::<html::Textarea>::new();
    let layer = NodeRef::<html::Pre>::new();
    let gutter = NodeRef::<html::Div>::new();
    let probe = NodeRef::<html::Span>::new();
    let (hover, set_hover) = signal(None::<Pointed>);
    let (caret, set_caret) = signal(None::<Pointed>);
    // After Escape, the next Tab moves focus on instead of indenting (no keyboard trap).
    let tab_leaves = StoredValue::new(false);

    let marks = Memo::new(move |_| text.with(|t| markers.with(|m| render::mark_ranges(t, m))));
    let highlighted =
        move || text.with(|t| marks.with(|m| render::highlighted_html(t, language.get(), m)));
    let gutter_lines = move || text.with(|t| markers.with(|m| render::gutter_html(t, m)));

    // The marker under the mouse, else the one the caret is in: (index, x, y).
    let tip = Memo::new(move |_| {
        let find = |p: Pointed, inclusive_end: bool| {
            marks.with(|ranges| {
                ranges
                    .iter()
                    .find(|r| {
                        r.start <= p.byte && (p.byte < r.end || (inclusive_end && p.byte == r.end))
                    })
                    .map(|r| (r.index, p.x, p.y))
            })
        };
        hover
            .get()
            .and_then(|p| find(p, false))
            .or_else(|| caret.get().and_then(|p| find(p, true)))
    });
    let tip_marker = move || {
        tip.get()
            .and_then(|(i, _, _)| markers.with(|m| m.get(i).cloned()))
    };

    // The signal drives the textarea only when they differ, so typing never resets the
    // textarea's value (which would lose the browser's undo history and the caret). This effect
    // also gives the textarea its first value, once the node is loaded: a `prop:value` beside
    // `node_ref` was applied after it and emptied the first file a page opened, so a learner
    // typing there replaced the whole file.
    Effect::new(move |_| {
        let value = text.get();
        if let Some(el) = input.get()
            && el.value() != value
        {
            el.set_value(&value);
        }
    });

    let metrics = move || Metrics::measure(input, probe);

    let update_caret = move || {
        let Some(el) = input.get_untracked() else {
            return;
        };
        let value = el.value();
        let (start, end) = selection(&el, &value);
        if start != end {
            set_caret.set(None);
            return;
        }
        let m = metrics();
        let (line, _) = line_col(&value, start);
        let line_begin = position::line_start(&value, line).unwrap_or(0).min(start);
        let x = m.pad_left + visual_width(&value[line_begin..start]) as f64 * m.char_width
            - el.scroll_left() as f64;
        let y = m.pad_top + f64::from(line) * m.line_height - el.scroll_top() as f64;
        set_caret.set(Some(Pointed { byte: start, x, y }));
    };

    let sync_scroll = move || {
        let Some(el) = input.get_untracked() else {
            return;
        };
        let (x, y) = (el.scroll_left(), el.scroll_top());
        if let Some(pre) = layer.get_untracked() {
            let _ = web_sys::HtmlElement::style(&pre)
                .set_property("transform", &format!("translate({}px, {}px)", -x, -y));
        }
        if let Some(lines) = gutter.get_untracked() {
            let _ = web_sys::HtmlElement::style(&lines)
                .set_property("transform", &format!("translateY({}px)", -y));
        }
        set_hover.set(None);
        update_caret();
    };

    let apply = move |el: &HtmlTextAreaElement, value: &str, edit: Edit| {
        let (start, end) = (
            byte_to_utf16(value, edit.start),
            byte_to_utf16(value, edit.end),
        );
        let _ = el.set_selection_range(start, end);
        if !insert_text(&edit.insert, start != end) {
            let _ = el.set_range_text_with_start_and_end(&edit.insert, start, end);
        }
        let value = el.value();
        let _ = el.set_selection_range(
            byte_to_utf16(&value, edit.select.0),
            byte_to_utf16(&value, edit.select.1),
        );
        text.set(value);
    };

    let on_keydown = move |ev: ev::KeyboardEvent| {
        let key = ev.key();
        let command = ev.ctrl_key() || ev.meta_key();
        if command && key == "Enter" {
            if let Some(run) = on_run {
                ev.prevent_default();
                run.run(());
            }
            return;
        }
        if command && key.eq_ignore_ascii_case("s") {
            ev.prevent_default();
            if let Some(save) = on_save {
                save.run(());
            }
            return;
        }
        if key == "Escape" {
            tab_leaves.set_value(true);
            set_hover.set(None);
            return;
        }
        let leave = tab_leaves.get_value();
        tab_leaves.set_value(false);
        if (key == "Tab" && leave) || command || ev.alt_key() || ev.is_composing() {
            return;
        }
        if readonly.get_untracked() {
            return;
        }
        let Some(el) = input.get_untracked() else {
            return;
        };
        let value = el.value();
        let (start, end) = selection(&el, &value);
        let edit = match key.as_str() {
            "Tab" if ev.shift_key() => edit::dedent(&value, start, end),
            "Tab" => edit::tab(&value, start, end),
            "Enter" if !ev.shift_key() => {
                let python = language.get_untracked() == Language::Python;
                edit::newline(&value, start, end, python)
            }
            _ => return,
        };
        ev.prevent_default();
        apply(&el, &value, edit);
        update_caret();
    };

    let on_mousemove = move |ev: ev::MouseEvent| {
        let Some(el) = input.get_untracked() else {
            return;
        };
        let m = metrics();
        let x = f64::from(ev.offset_x()) + el.scroll_left() as f64 - m.pad_left;
        let y = f64::from(ev.offset_y()) + el.scroll_top() as f64 - m.pad_top;
        if x < 0.0 || y < 0.0 {
            set_hover.set(None);
            return;
        }
        let line = (y / m.line_height) as u32 + 1;
        let visual = (x / m.char_width) as u32 + 1;
        let value = el.value();
        let pointed = position::line_start(&value, line).and_then(|begin| {
            let line_text = value[begin..].split('\n').next().unwrap_or("");
            let column = visual_to_char_column(line_text, visual, metrics::TAB_SIZE);
            let inside = (column as usize) <= line_text.chars().count();
            inside.then(|| Pointed {
                byte: char_offset(&value, line, column),
                x: f64::from(ev.offset_x()),
                y: m.pad_top + f64::from(line) * m.line_height - el.scroll_top() as f64,
            })
        });
        if hover.get_untracked() != pointed {
            set_hover.set(pointed);
        }
    };

    if let Some(goto) = goto {
        Effect::new(move |_| {
            let Some((line, column)) = goto.get() else {
                return;
            };
            let Some(el) = input.get() else {
                return;
            };
            let value = el.value();
            let at = byte_to_utf16(&value, char_offset(&value, line, column));
            let _ = el.focus();
            let _ = el.set_selection_range(at, at);
            let m = metrics();
            let top = f64::from(line.saturating_sub(1)) * m.line_height;
            let view = f64::from(el.client_height());
            let scrolled = el.scroll_top() as f64;
            if top < scrolled || top + 2.0 * m.line_height > scrolled + view {
                el.set_scroll_top((top - view / 2.0).max(0.0) as i32);
            }
            goto.set(None);
            sync_scroll();
        });
    }

    let described_by = {
        let (hint_id, tooltip_id) = (hint_id.clone(), tooltip_id.clone());
        move || match tip.get() {
            Some(_) => format!("{hint_id} {tooltip_id}"),
            None => hint_id.clone(),
        }
    };

    view! {
        <div class="code-editor" class:editor-readonly=move || readonly.get() data-testid="code-editor">
            <div class="editor-gutter" aria-hidden="true">
                <div class="editor-gutter-lines" node_ref=gutter inner_html=gutter_lines></div>
            </div>
            <div class="editor-area">
                <pre class="editor-highlight" aria-hidden="true" node_ref=layer inner_html=highlighted></pre>
                <textarea
                    class="editor-input"
                    data-testid="editor-input"
                    node_ref=input
                    spellcheck="false"
                    autocapitalize="off"
                    autocomplete="off"
                    wrap="off"
                    aria-label=move || label.get()
                    aria-describedby=described_by
                    readonly=move || readonly.get()
                    on:input=move |_| {
                        if let Some(el) = input.get_untracked() {
                            text.set(el.value());
                        }
                        update_caret();
                    }
                    on:keydown=on_keydown
                    on:keyup=move |_| update_caret()
                    on:mouseup=move |_| update_caret()
                    on:focus=move |_| update_caret()
                    on:blur=move |_| set_caret.set(None)
                    on:scroll=move |_| sync_scroll()
                    on:mousemove=on_mousemove
                    on:mouseleave=move |_| set_hover.set(None)
                ></textarea>
                <span class="editor-probe" aria-hidden="true" node_ref=probe>"0000000000"</span>
                <div
                    class="editor-tooltip"
                    class:editor-tooltip-error=move || tip_marker().is_some_and(|m| m.error)
                    role="tooltip"
                    id=tooltip_id
                    data-testid="editor-tooltip"
                    hidden=move || tip.get().is_none()
                    style:left=move || tip.get().map(|(_, x, _)| format!("{x}px")).unwrap_or_default()
                    style:top=move || tip.get().map(|(_, _, y)| format!("{y}px")).unwrap_or_default()
                >
                    {move || tip_marker().map(|m| m.message).unwrap_or_default()}
                </div>
                <span id=hint_id class="editor-hint">
                    "Tab indents, Shift+Tab dedents; press Escape, then Tab, to leave the editor."
                </span>
            </div>
        </div>
    }
}

/// The textarea's selection as byte offsets of `value`.
fn selection(el: &HtmlTextAreaElement, value: &str) -> (usize, usize) {
    let start = el.selection_start().ok().flatten().unwrap_or(0);
    let end = el.selection_end().ok().flatten().unwrap_or(start);
    (utf16_to_byte(value, start), utf16_to_byte(value, end))
}

/// Replace the focused textarea's selection through the browser's editing commands, which keep
/// its undo history (`insertText`, or `delete` for an empty insertion over a selection); false
/// when the browser refused.
fn insert_text(insert: &str, has_selection: bool) -> bool {
    let Some(doc) = document().dyn_ref::<web_sys::HtmlDocument>().cloned() else {
        return false;
    };
    if insert.is_empty() {
        return !has_selection
            || doc
                .exec_command_with_show_ui_and_value("delete", false, "")
                .unwrap_or(false);
    }
    doc.exec_command_with_show_ui_and_value("insertText", false, insert)
        .unwrap_or(false)
}
