//! Declarative pipelines over an in-memory or local volume.

pub mod autoloader;
pub mod bundle;
pub mod diagnostic;
pub mod event_log;
pub mod glob;
pub mod project;
pub mod python;
pub mod sources;
pub mod suggest;
pub mod volume;

pub use bundle::{Bundle, BundleOptions};
pub use diagnostic::{Diagnostic, Diagnostics, Location, Severity};
pub use project::Project;
