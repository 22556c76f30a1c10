//! One file per page.

mod dashboard;
mod glossary;
mod home;
mod module;
mod not_found;
mod workbench;

pub use dashboard::DashboardPage;
pub use glossary::GlossaryPage;
pub use home::Home;
pub use module::ModulePage;
pub use not_found::NotFound;
pub use workbench::Workbench;
