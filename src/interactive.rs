//! When the page became interactive: the app mounted and, on a page that fetches its text (a
//! lesson, the glossary), that text is shown. The time goes on the root element, where the
//! page-budget test reads it, and the engine starts only then, so its download never competes
//! with the lesson's.

use std::cell::RefCell;

use leptos::prelude::{document, window};

#[derive(Default)]
struct State {
    mounted: bool,
    /// Texts being fetched for the first page.
    pending: usize,
    marked: bool,
    waiting: Vec<Box<dyn FnOnce()>>,
}

thread_local! {
    static STATE: RefCell<State> = RefCell::default();
}

/// The app is mounted (`main` calls it once).
pub fn mounted() {
    STATE.with_borrow_mut(|s| s.mounted = true);
    settle();
}

/// A text is being fetched; `true` if the first page waits for it (call [`text_shown`] then).
pub fn text_expected() -> bool {
    STATE.with_borrow_mut(|s| {
        let first_page = !s.marked;
        s.pending += usize::from(first_page);
        first_page
    })
}

/// A text [`text_expected`] counted is shown (or its error is).
pub fn text_shown() {
    STATE.with_borrow_mut(|s| s.pending = s.pending.saturating_sub(1));
    settle();
}

/// Runs `f` once the page is interactive (now, if it is).
pub fn then(f: impl FnOnce() + 'static) {
    let now = STATE.with_borrow_mut(|s| {
        if !s.marked {
            s.waiting.push(Box::new(f));
            None
        } else {
            Some(f)
        }
    });
    if let Some(f) = now {
        f();
    }
}

/// Marks the page interactive when it has just become so, and runs what waited for it.
fn settle() {
    let became = STATE.with_borrow_mut(|s| {
        let ready = !s.marked && s.mounted && s.pending == 0;
        s.marked |= ready;
        ready.then(|| std::mem::take(&mut s.waiting))
    });
    let Some(waiting) = became else {
        return;
    };
    record_time();
    for f in waiting {
        f();
    }
}

/// Records the time in ms from navigation on the root element (`data-interactive-ms`).
fn record_time() {
    let now = window().performance().map(|p| p.now()).unwrap_or_default();
    if let Some(root) = document().document_element() {
        let _ = root.set_attribute("data-interactive-ms", &format!("{now:.0}"));
    }
}
