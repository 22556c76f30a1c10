//! Reusable pieces of the page, one concern per file.

mod cell;
mod editor;
mod editor_pane;
pub mod exercise;
mod fetched_lesson;
mod footer;
mod header;
pub mod inspect;
mod lesson_article;
pub mod project;
pub mod serving;
mod skip_link;
mod tabs;
mod theme_toggle;

pub use cell::Cell;
pub use editor::{CodeEditor, Marker, char_offset, line_col};
pub use editor_pane::EditorPane;
pub use fetched_lesson::{FetchedLesson, LessonResource, fetch_lesson, headings};
pub use footer::Footer;
pub use header::Header;
pub use lesson_article::{LessonArticle, PageExercises};
pub use skip_link::SkipLink;
pub use tabs::{Tab, Tabs};
pub use theme_toggle::ThemeToggle;
