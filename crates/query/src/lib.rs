//! A focused query engine over Arrow record batches with Spark SQL (ANSI) semantics.

pub mod error;
pub mod functions;
pub mod types;

pub use error::{QueryError, Span};
pub use types::SparkType;
