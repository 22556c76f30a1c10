//! A focused query engine over Arrow record batches with Spark SQL (ANSI) semantics.
//!
//! - [`Catalog`] holds named [`Table`]s (a Spark schema plus record batches) and views.
//! - [`Session::sql`] parses, analyzes, optimises and runs a query to a [`QueryResult`];
//!   [`Session::sql_at`] reports errors at the line:col of the file the query came from.
//! - [`DataFrame`] builds the same plans from Rust (`select`, `filter`, `with_column`,
//!   `aggregate`, `join`, ...), with expressions from [`col`], [`lit`], [`call`], [`when`],
//!   [`cast`] or SQL text ([`parse_expr`]).
//! - [`evaluate_predicate`] evaluates a condition over one batch (expectations).
//! - [`RelationResolver`] lets the caller supply relations such as `STREAM(t)` or
//!   `read_files(...)`; [`ExtensionNode`] plugs operators implemented elsewhere into plans.
//!
//! # Examples
//! ```
//! use query::{Catalog, Session};
//!
//! let session = Session::new(Catalog::new());
//! let result = session.sql("SELECT id FROM range(3) ORDER BY id DESC").unwrap();
//! assert_eq!(result.num_rows(), 3);
//! ```

#![warn(missing_docs)]

mod analyzer;
pub mod catalog;
mod coerce;
mod context;
pub mod csv;
pub mod dataframe;
pub mod error;
mod error_class;
mod exec;
pub mod expr;
mod frame;
pub mod functions;
pub mod json;
mod kernels;
pub mod limits;
mod optimizer;
pub mod plan;
mod resolver;
pub mod session;
mod sql;
pub mod suggest;
mod table;
pub mod types;

pub use catalog::{Catalog, Table, TableSchema};
pub use dataframe::{DataFrame, JoinOn};
pub use error::{ErrorClass, Location, QueryError, Span};
pub use expr::{Expr, SortExpr, WindowSpec, call, cast, col, lit, null, when};
pub use plan::extension::ExtensionNode;
pub use plan::{JoinKind, LogicalPlan};
pub use session::{
    ExecOptions, QueryResult, RelationResolver, Session, TableArg, evaluate, evaluate_predicate,
    is_aggregate, parse_expr, parse_expr_at,
};
pub use sql::SourceOrigin;
pub use types::SparkType;
