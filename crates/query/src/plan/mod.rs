//! The logical plan both front ends (SQL and the DataFrame builder) lower to.

pub mod aggregate;
mod display;
pub mod expr;
pub mod extension;
mod node_exprs;
pub(crate) mod remap_outer;
pub mod schema;
mod volatility;
pub mod window;

use std::sync::Arc;

use crate::table::Table;
use aggregate::AggregateCall;
use expr::TypedExpr;
use extension::ExtensionNode;
pub use schema::{PlanField, PlanSchema};
use window::WindowCall;

/// A plan node and the schema of its output.
#[derive(Debug, Clone)]
pub struct LogicalPlan {
    /// The operation.
    pub node: PlanNode,
    /// Output columns.
    pub schema: Arc<PlanSchema>,
}

/// Join kinds. Semi and anti joins output the left side's columns only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinKind {
    /// `INNER JOIN`
    Inner,
    /// `LEFT [OUTER] JOIN`
    Left,
    /// `RIGHT [OUTER] JOIN`
    Right,
    /// `FULL [OUTER] JOIN`
    Full,
    /// `LEFT SEMI JOIN`: left rows with at least one match.
    LeftSemi,
    /// `LEFT ANTI JOIN`: left rows with no match.
    LeftAnti,
    /// `CROSS JOIN` (inner join without condition).
    Cross,
}

/// An equality join key: `left = right` (or `left <=> right` when `null_safe`).
#[derive(Debug, Clone, PartialEq)]
pub struct JoinKey {
    /// Over the left input.
    pub left: TypedExpr,
    /// Over the right input (same type as `left`).
    pub right: TypedExpr,
    /// `<=>`: NULL matches NULL.
    pub null_safe: bool,
}

/// A sort key with Spark's NULL placement.
#[derive(Debug, Clone, PartialEq)]
pub struct SortKey {
    /// The value sorted on.
    pub expr: TypedExpr,
    /// Ascending order.
    pub ascending: bool,
    /// NULLs before non-NULLs (Spark's default: first for ASC, last for DESC).
    pub nulls_first: bool,
}

/// UNION, EXCEPT (MINUS) and INTERSECT.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetOpKind {
    /// `UNION`
    Union,
    /// `EXCEPT` / `MINUS`
    Except,
    /// `INTERSECT`
    Intersect,
}

/// Generators that turn one row into zero or more (`explode`, `posexplode`, `inline`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GeneratorKind {
    /// One row per array element (or map entry: key, value).
    Explode,
    /// Like `Explode` with a leading 0-based position column.
    PosExplode,
    /// One row per struct in an array of structs, one column per field.
    Inline,
    /// Sliding time windows (`GROUP BY window(ts, '10 minutes', '5 minutes')`): one row per
    /// window holding the timestamp, with a `struct<start,end>` column; NULL timestamps give
    /// no rows. Durations in microseconds.
    TimeWindows {
        /// Window length.
        size: i64,
        /// Distance between window starts.
        slide: i64,
        /// Offset of the window starts from the epoch.
        start: i64,
    },
}

/// The operations of a logical plan. Children are shared (`Arc`) so plans clone cheaply.
#[derive(Debug, Clone)]
pub enum PlanNode {
    /// Read a table's batches, optionally only some columns (in `projection` order).
    Scan {
        /// Name used in displays.
        name: String,
        /// The data.
        table: Arc<Table>,
        /// Columns to read; `None` reads all.
        projection: Option<Vec<usize>>,
    },
    /// Literal rows (`VALUES`, and the single empty row of a FROM-less SELECT).
    Values {
        /// One constant expression per column per row.
        rows: Vec<Vec<TypedExpr>>,
    },
    /// Compute new columns.
    Project {
        /// Input.
        input: Arc<LogicalPlan>,
        /// One expression per output column.
        exprs: Vec<TypedExpr>,
    },
    /// Keep rows where the predicate is TRUE.
    Filter {
        /// Input.
        input: Arc<LogicalPlan>,
        /// Boolean predicate.
        predicate: TypedExpr,
    },
    /// Group and aggregate. Output: the group values, then one column per aggregate.
    Aggregate {
        /// Input.
        input: Arc<LogicalPlan>,
        /// Group keys.
        group: Vec<TypedExpr>,
        /// Aggregates.
        aggs: Vec<AggregateCall>,
        /// `GROUPING SETS`: which group keys each set uses (the others output NULL).
        grouping_sets: Option<Vec<Vec<bool>>>,
    },
    /// Append one column per window call.
    Window {
        /// Input.
        input: Arc<LogicalPlan>,
        /// Window calls.
        calls: Vec<WindowCall>,
    },
    /// Join two inputs. Output: left columns then right columns (left only for semi/anti).
    Join {
        /// Left input.
        left: Arc<LogicalPlan>,
        /// Right input.
        right: Arc<LogicalPlan>,
        /// Kind.
        kind: JoinKind,
        /// Equality keys (hash join); empty for a nested-loop join.
        keys: Vec<JoinKey>,
        /// Remaining condition over the left columns followed by the right columns.
        filter: Option<TypedExpr>,
    },
    /// `left, LATERAL (subquery)` or `left [LEFT] JOIN LATERAL (subquery) ON filter`: the
    /// subquery reads the left row's columns (as outer references) and runs once per distinct
    /// combination of the ones it reads. Output: left columns then the subquery's.
    LateralJoin {
        /// Left input.
        left: Arc<LogicalPlan>,
        /// The subquery; its outer references at depth 1 are the left row's columns.
        subquery: Arc<LogicalPlan>,
        /// `Inner` or `Left`.
        kind: JoinKind,
        /// The ON condition over the left columns followed by the subquery's.
        filter: Option<TypedExpr>,
    },
    /// Sort rows.
    Sort {
        /// Input.
        input: Arc<LogicalPlan>,
        /// Keys, most significant first.
        keys: Vec<SortKey>,
    },
    /// Skip then keep rows.
    Limit {
        /// Input.
        input: Arc<LogicalPlan>,
        /// Rows skipped (OFFSET).
        skip: usize,
        /// Rows kept after skipping (LIMIT); `None` keeps all.
        fetch: Option<usize>,
    },
    /// Remove duplicate rows.
    Distinct {
        /// Input.
        input: Arc<LogicalPlan>,
    },
    /// UNION / EXCEPT / INTERSECT of two inputs with the same column types.
    SetOp {
        /// Left input.
        left: Arc<LogicalPlan>,
        /// Right input.
        right: Arc<LogicalPlan>,
        /// Which operation.
        op: SetOpKind,
        /// `ALL` keeps duplicates (multiset semantics).
        all: bool,
    },
    /// `LATERAL VIEW explode(...)` / `explode(...)` in SELECT: input columns followed by the
    /// generated ones.
    Generate {
        /// Input.
        input: Arc<LogicalPlan>,
        /// Generator.
        kind: GeneratorKind,
        /// The array (or map) generated from.
        arg: TypedExpr,
        /// `OUTER`: keep rows whose array is empty or NULL, with NULLs.
        outer: bool,
    },
    /// Same rows, renamed or requalified columns (a subquery alias).
    Alias {
        /// Input.
        input: Arc<LogicalPlan>,
    },
    /// An operator implemented outside the engine.
    Extension {
        /// The operator.
        node: Arc<dyn ExtensionNode>,
        /// Its inputs.
        inputs: Vec<Arc<LogicalPlan>>,
    },
}

impl LogicalPlan {
    /// A plan node with its output schema.
    pub fn new(node: PlanNode, schema: PlanSchema) -> LogicalPlan {
        LogicalPlan {
            node,
            schema: Arc::new(schema),
        }
    }

    /// The node's inputs.
    pub fn children(&self) -> Vec<&Arc<LogicalPlan>> {
        match &self.node {
            PlanNode::Scan { .. } | PlanNode::Values { .. } => vec![],
            PlanNode::Project { input, .. }
            | PlanNode::Filter { input, .. }
            | PlanNode::Aggregate { input, .. }
            | PlanNode::Window { input, .. }
            | PlanNode::Sort { input, .. }
            | PlanNode::Limit { input, .. }
            | PlanNode::Distinct { input }
            | PlanNode::Generate { input, .. }
            | PlanNode::Alias { input } => vec![input],
            PlanNode::Join { left, right, .. } | PlanNode::SetOp { left, right, .. } => {
                vec![left, right]
            }
            PlanNode::LateralJoin { left, subquery, .. } => vec![left, subquery],
            PlanNode::Extension { inputs, .. } => inputs.iter().collect(),
        }
    }

    /// This node, its expressions unchanged, with each input replaced by `c(input)`.
    pub(crate) fn map_children(
        self,
        c: &dyn Fn(&Arc<LogicalPlan>) -> Arc<LogicalPlan>,
    ) -> LogicalPlan {
        let LogicalPlan { node, schema } = self;
        let node = match node {
            PlanNode::Project { input, exprs } => PlanNode::Project {
                input: c(&input),
                exprs,
            },
            PlanNode::Filter { input, predicate } => PlanNode::Filter {
                input: c(&input),
                predicate,
            },
            PlanNode::Aggregate {
                input,
                group,
                aggs,
                grouping_sets,
            } => PlanNode::Aggregate {
                input: c(&input),
                group,
                aggs,
                grouping_sets,
            },
            PlanNode::Window { input, calls } => PlanNode::Window {
                input: c(&input),
                calls,
            },
            PlanNode::Join {
                left,
                right,
                kind,
                keys,
                filter,
            } => PlanNode::Join {
                left: c(&left),
                right: c(&right),
                kind,
                keys,
                filter,
            },
            PlanNode::LateralJoin {
                left,
                subquery,
                kind,
                filter,
            } => PlanNode::LateralJoin {
                left: c(&left),
                subquery: c(&subquery),
                kind,
                filter,
            },
            PlanNode::Sort { input, keys } => PlanNode::Sort {
                input: c(&input),
                keys,
            },
            PlanNode::Limit { input, skip, fetch } => PlanNode::Limit {
                input: c(&input),
                skip,
                fetch,
            },
            PlanNode::Distinct { input } => PlanNode::Distinct { input: c(&input) },
            PlanNode::SetOp {
                left,
                right,
                op,
                all,
            } => PlanNode::SetOp {
                left: c(&left),
                right: c(&right),
                op,
                all,
            },
            PlanNode::Generate {
                input,
                kind,
                arg,
                outer,
            } => PlanNode::Generate {
                input: c(&input),
                kind,
                arg,
                outer,
            },
            PlanNode::Alias { input } => PlanNode::Alias { input: c(&input) },
            PlanNode::Extension { node, inputs } => PlanNode::Extension {
                node,
                inputs: inputs.iter().map(c).collect(),
            },
            leaf @ (PlanNode::Scan { .. } | PlanNode::Values { .. }) => leaf,
        };
        LogicalPlan { node, schema }
    }

    /// A one-row, zero-column plan: the input of a SELECT without FROM.
    pub fn one_row() -> LogicalPlan {
        LogicalPlan::new(
            PlanNode::Values { rows: vec![vec![]] },
            PlanSchema::default(),
        )
    }
}
