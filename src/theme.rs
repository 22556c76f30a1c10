//! Light and dark theme: follows the system until the learner picks one, and remembers the pick.
//!
//! `index.html` applies the saved choice before the wasm loads, so pages never flash.

use gloo::storage::{LocalStorage, Storage};
use leptos::prelude::*;

/// Must match the key read by the inline script in `index.html`.
const STORAGE_KEY: &str = "iotwb.theme";

/// The learner's theme choice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ThemeChoice {
    /// Follow the operating system's light/dark setting.
    #[default]
    System,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

impl ThemeChoice {
    /// The value stored in localStorage and in `<html data-theme>`.
    pub fn as_str(self) -> &'static str {
        match self {
            ThemeChoice::System => "system",
            ThemeChoice::Light => "light",
            ThemeChoice::Dark => "dark",
        }
    }

    fn parse(value: &str) -> Self {
        match value {
            "light" => ThemeChoice::Light,
            "dark" => ThemeChoice::Dark,
            _ => ThemeChoice::System,
        }
    }

    /// The choice a click on the toggle moves to: system → light → dark → system.
    pub fn next(self) -> Self {
        match self {
            ThemeChoice::System => ThemeChoice::Light,
            ThemeChoice::Light => ThemeChoice::Dark,
            ThemeChoice::Dark => ThemeChoice::System,
        }
    }

    /// Words for the toggle's label.
    pub fn label(self) -> &'static str {
        match self {
            ThemeChoice::System => "Theme: system",
            ThemeChoice::Light => "Theme: light",
            ThemeChoice::Dark => "Theme: dark",
        }
    }
}

/// The saved choice, applied to `<html data-theme>` and saved whenever it changes.
pub fn use_theme() -> (ReadSignal<ThemeChoice>, WriteSignal<ThemeChoice>) {
    let saved = LocalStorage::get::<String>(STORAGE_KEY)
        .map(|v| ThemeChoice::parse(&v))
        .unwrap_or_default();
    let (theme, set_theme) = signal(saved);
    Effect::new(move |_| {
        let choice = theme.get();
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-theme", choice.as_str());
        }
        let _ = LocalStorage::set(STORAGE_KEY, choice.as_str());
    });
    (theme, set_theme)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_toggle_cycles_through_all_choices() {
        let mut choice = ThemeChoice::System;
        let mut seen = Vec::new();
        for _ in 0..3 {
            choice = choice.next();
            seen.push(choice);
        }
        assert_eq!(
            seen,
            [ThemeChoice::Light, ThemeChoice::Dark, ThemeChoice::System]
        );
        for c in seen {
            assert_eq!(ThemeChoice::parse(c.as_str()), c);
        }
    }
}
