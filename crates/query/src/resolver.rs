//! The hook for relations the catalog does not hold (pipeline datasets, streaming reads, file
//! readers): the analyzer calls it, the session installs it, pipelines implement it.

use crate::error::Result;
use crate::frame::DataFrame;
use crate::plan::expr::Literal;

/// An argument of a table-valued function in FROM: a table name (`STREAM(live.raw)`), a
/// constant (`read_files('/volume/x', format => 'json')`), or a named argument.
#[derive(Debug, Clone)]
pub enum TableArg {
    /// An identifier, as name parts.
    Table(Vec<String>),
    /// A constant value.
    Value(Literal),
    /// `name => value`.
    Named(String, Box<TableArg>),
}

/// The caller's resolver for relations the catalog does not hold: pipeline datasets
/// (`LIVE.t`), streaming reads (`STREAM(t)`, `STREAM t`), file readers (`read_files(...)`).
/// Return `Ok(None)` to fall through to CTEs, the catalog and built-ins.
pub trait RelationResolver: Send + Sync {
    /// A table reference by name parts (consulted after CTEs, before the catalog).
    fn table(&self, name: &[String]) -> Result<Option<DataFrame>> {
        let _ = name;
        Ok(None)
    }

    /// A table-valued function call (`name` in lower case, dotted when qualified).
    fn table_function(&self, name: &str, args: &[TableArg]) -> Result<Option<DataFrame>> {
        let _ = (name, args);
        Ok(None)
    }
}
