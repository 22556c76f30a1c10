//! Reusable pieces of the page, one concern per file.

mod footer;
mod header;
mod lesson_article;
mod line_chart;
mod skip_link;
mod theme_toggle;

pub use footer::Footer;
pub use header::Header;
pub use lesson_article::LessonArticle;
pub use line_chart::draw_line_chart;
pub use skip_link::SkipLink;
pub use theme_toggle::ThemeToggle;
