//! Operators implemented outside the engine (asof join, EMA, resample, ...) as plan nodes.

use std::fmt;

use arrow::array::RecordBatch;

use crate::context::ExecOptions;
use crate::error::Result;
use crate::types::SparkType;

/// A plan node whose semantics live outside this crate. The engine plans and executes its
/// inputs, hands over their batches, and trusts the node's schema.
///
/// Contract: `execute` must return batches whose columns match `schema(inputs)` exactly, in
/// order, stored as each Spark type's Arrow type ([`SparkType::to_arrow`]); the engine checks
/// the column count and types and reports a mismatch as an internal error of the node.
///
/// # Examples
/// ```
/// use std::sync::Arc;
/// use arrow::array::RecordBatch;
/// use query::{Catalog, DataFrame, ExecOptions, ExtensionNode, Session, SparkType, Table};
///
/// /// Keeps the first `n` rows of its input.
/// #[derive(Debug)]
/// struct Head(usize);
///
/// impl ExtensionNode for Head {
///     fn name(&self) -> &str { "head" }
///     fn schema(&self, inputs: &[Vec<(String, SparkType)>]) -> query::error::Result<Vec<(String, SparkType)>> {
///         Ok(inputs[0].clone())
///     }
///     fn execute(&self, inputs: Vec<Vec<RecordBatch>>, _: &ExecOptions) -> query::error::Result<Vec<RecordBatch>> {
///         let all = arrow::compute::concat_batches(&inputs[0][0].schema(), &inputs[0])?;
///         Ok(vec![all.slice(0, self.0.min(all.num_rows()))])
///     }
/// }
///
/// let session = Session::new(Catalog::new());
/// let input = session.sql_df("SELECT * FROM VALUES (1), (2), (3) AS t(x)").unwrap();
/// let head = DataFrame::extension(Arc::new(Head(2)), vec![input]).unwrap();
/// assert_eq!(session.collect(&head).unwrap().num_rows(), 2);
/// ```
pub trait ExtensionNode: fmt::Debug + Send + Sync {
    /// A short name for plan displays and error messages.
    fn name(&self) -> &str;

    /// The output columns, given each input's columns. Errors here are the user's (for
    /// example a missing timestamp column) and should be analysis errors.
    fn schema(&self, inputs: &[Vec<(String, SparkType)>]) -> Result<Vec<(String, SparkType)>>;

    /// Compute the output from every input's batches (one `Vec` per input, in order). Each
    /// input has at least one batch (possibly empty), so its schema is always available.
    fn execute(
        &self,
        inputs: Vec<Vec<RecordBatch>>,
        options: &ExecOptions,
    ) -> Result<Vec<RecordBatch>>;
}
