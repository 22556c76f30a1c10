//! Running queries: a [`Session`] over a [`Catalog`], execution options (clock,
//! cancellation), results, and the hook for table-valued relations the caller resolves.

use std::sync::Arc;

use arrow::array::{ArrayRef, BooleanArray, RecordBatch};
use arrow::datatypes::SchemaRef;

use crate::analyzer::{self, ExprContext, Planner, Scope};
use crate::catalog::Catalog;
use crate::dataframe::DataFrame;
use crate::error::{ErrorClass, QueryError, Result};
use crate::exec::{self, ExecContext};
use crate::expr::Expr;
use crate::plan::{LogicalPlan, PlanField, PlanSchema};
use crate::sql::{self, SourceOrigin};
use crate::table::arrow_schema_of;
use crate::types::SparkType;

pub use crate::context::ExecOptions;
pub use crate::resolver::{RelationResolver, TableArg};

/// A query's result: its columns and the record batches holding the rows (in order).
#[derive(Debug, Clone)]
pub struct QueryResult {
    /// Column names and Spark types.
    pub schema: Vec<(String, SparkType)>,
    /// The rows.
    pub batches: Vec<RecordBatch>,
}

impl QueryResult {
    /// Total number of rows.
    pub fn num_rows(&self) -> usize {
        self.batches.iter().map(RecordBatch::num_rows).sum()
    }

    /// The Arrow schema of the batches.
    pub fn arrow_schema(&self) -> SchemaRef {
        arrow_schema_of(&self.schema)
    }

    /// Rows `offset..offset + limit` as batches (slices, no copying): one page of a table
    /// view.
    ///
    /// # Examples
    /// ```
    /// use query::{Catalog, Session};
    /// let result = Session::new(Catalog::new()).sql("SELECT * FROM range(10)").unwrap();
    /// let page: usize = result.page(8, 5).iter().map(|b| b.num_rows()).sum();
    /// assert_eq!(page, 2);
    /// ```
    pub fn page(&self, offset: usize, limit: usize) -> Vec<RecordBatch> {
        let mut out = Vec::new();
        let mut skip = offset;
        let mut left = limit;
        for b in &self.batches {
            if left == 0 {
                break;
            }
            if skip >= b.num_rows() {
                skip -= b.num_rows();
                continue;
            }
            let take = (b.num_rows() - skip).min(left);
            out.push(b.slice(skip, take));
            left -= take;
            skip = 0;
        }
        out
    }

    /// All rows in one batch.
    pub fn concat(&self) -> Result<RecordBatch> {
        exec::concat(&self.arrow_schema(), &self.batches)
    }
}

/// A catalog plus execution options: runs SQL and DataFrames.
///
/// # Examples
/// ```
/// use query::{Catalog, Session};
/// let session = Session::new(Catalog::new());
/// let result = session.sql("SELECT count(*) AS n FROM range(5)").unwrap();
/// assert_eq!(result.schema[0].1.simple_string(), "bigint");
/// assert_eq!(result.num_rows(), 1);
/// ```
#[derive(Clone)]
pub struct Session {
    catalog: Catalog,
    options: ExecOptions,
    relations: Option<Arc<dyn RelationResolver>>,
}

impl Session {
    /// A session over `catalog` with default options.
    pub fn new(catalog: Catalog) -> Session {
        Session {
            catalog,
            options: ExecOptions::default(),
            relations: None,
        }
    }

    /// Use these execution options.
    pub fn with_options(mut self, options: ExecOptions) -> Session {
        self.options = options;
        self
    }

    /// Use a resolver for relations the catalog does not hold.
    pub fn with_relation_resolver(mut self, resolver: Arc<dyn RelationResolver>) -> Session {
        self.relations = Some(resolver);
        self
    }

    /// The catalog.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// The catalog, to register or replace tables and views.
    pub fn catalog_mut(&mut self) -> &mut Catalog {
        &mut self.catalog
    }

    /// The execution options.
    pub fn options(&self) -> &ExecOptions {
        &self.options
    }

    /// Replace the execution options (e.g. a new clock or cancel flag per run).
    pub fn set_options(&mut self, options: ExecOptions) {
        self.options = options;
    }

    /// Plan and run one query.
    pub fn sql(&self, sql: &str) -> Result<QueryResult> {
        self.sql_at(sql, SourceOrigin::default())
    }

    /// Plan and run a query that starts at `origin` in its file: errors report the file's
    /// line:col.
    ///
    /// # Examples
    /// ```
    /// use query::{Catalog, Session, SourceOrigin};
    /// let err = Session::new(Catalog::new()).sql_at("SELECT\n  nope", SourceOrigin::new(12, 5)).unwrap_err();
    /// assert_eq!(err.span().unwrap().start.line, 13);
    /// ```
    pub fn sql_at(&self, sql: &str, origin: SourceOrigin) -> Result<QueryResult> {
        let df = self.sql_df_at(sql, origin)?;
        self.collect(&df)
    }

    /// Plan a query without running it.
    pub fn sql_df(&self, sql: &str) -> Result<DataFrame> {
        self.sql_df_at(sql, SourceOrigin::default())
    }

    /// Plan a query starting at `origin` in its file.
    pub fn sql_df_at(&self, sql: &str, origin: SourceOrigin) -> Result<DataFrame> {
        let query = sql::parse_query(sql, origin)?;
        let plan = analyzer::plan_query(
            &query,
            &self.catalog,
            self.relations.as_deref(),
            origin,
            self.options.now_micros,
        )?;
        Ok(DataFrame::from_plan(plan))
    }

    /// A DataFrame reading a table or view of the catalog.
    pub fn table(&self, name: &str) -> Result<DataFrame> {
        DataFrame::scan(&self.catalog, name)
    }

    /// The plan a DataFrame runs, after optimisation, one operator per line (like
    /// `EXPLAIN`); `#i` is column `i` of an operator's input.
    ///
    /// # Examples
    /// ```
    /// use query::{Catalog, Session};
    /// let session = Session::new(Catalog::new());
    /// let df = session.sql_df("SELECT a.id FROM range(3) a, range(3) b WHERE a.id = b.id").unwrap();
    /// assert!(session.explain(&df).contains("Join Inner keys=[#0 = #0]"));
    /// ```
    pub fn explain(&self, df: &DataFrame) -> String {
        crate::optimizer::optimize(df.plan().clone(), self.options.now_micros).to_string()
    }

    /// Optimise and run a DataFrame's plan.
    pub fn collect(&self, df: &DataFrame) -> Result<QueryResult> {
        collect_plan(df.plan(), &self.options)
    }
}

/// Optimise and run a plan with the given options.
pub(crate) fn collect_plan(plan: &LogicalPlan, options: &ExecOptions) -> Result<QueryResult> {
    let optimized = crate::optimizer::optimize(plan.clone(), options.now_micros);
    let ctx = ExecContext::new(options.clone());
    let batches = exec::execute(&optimized, &ctx)?;
    let schema = plan.schema.columns();
    let arrow = arrow_schema_of(&schema);
    let batches = batches
        .iter()
        .map(|b| exec::rebatch(b, &arrow))
        .collect::<Result<Vec<_>>>()?;
    Ok(QueryResult { schema, batches })
}

/// Parse one SQL expression (`air_pressure > 0`), e.g. a PySpark `filter` string or an
/// expectation's constraint.
///
/// # Examples
/// ```
/// let e = query::parse_expr("temperature IS NOT NULL AND air_pressure > 0").unwrap();
/// assert_eq!(e.output_name(), "((temperature IS NOT NULL) AND (air_pressure > 0))");
/// ```
pub fn parse_expr(sql: &str) -> Result<Expr> {
    parse_expr_at(sql, SourceOrigin::default())
}

/// Parse one SQL expression starting at `origin` in its file.
pub fn parse_expr_at(sql: &str, origin: SourceOrigin) -> Result<Expr> {
    let ast = sql::parse_expression(sql, origin)?;
    sql::lower::Lowering {
        origin,
        windows: &[],
    }
    .expr(&ast)
}

/// Evaluate an expression over a batch whose columns are `schema`; returns the result type
/// and values.
pub fn evaluate(
    expr: &Expr,
    schema: &[(String, SparkType)],
    batch: &RecordBatch,
    options: &ExecOptions,
) -> Result<(SparkType, ArrayRef)> {
    if batch.num_columns() != schema.len() {
        return Err(QueryError::Internal(format!(
            "evaluate: the batch has {} columns but the schema {}",
            batch.num_columns(),
            schema.len()
        )));
    }
    let plan_schema = PlanSchema::new(
        schema
            .iter()
            .map(|(n, t)| PlanField::new(n.clone(), t.clone()))
            .collect(),
    );
    let catalog = Catalog::new();
    let planner = Planner::new(&catalog, None, SourceOrigin::default(), options.now_micros);
    let scope = Scope::new(&plan_schema);
    let typed = ExprContext::plain(&planner, &scope, "an expression").resolve(expr)?;
    let ctx = ExecContext::new(options.clone());
    let values = exec::eval::evaluate(&typed, batch, &ctx)?;
    Ok((typed.data_type, values))
}

/// Evaluate a boolean expression over a batch (e.g. an expectation): TRUE, FALSE or NULL per
/// row.
///
/// # Examples
/// ```
/// use std::sync::Arc;
/// use arrow::array::{Float32Array, RecordBatch};
/// use arrow::datatypes::{DataType, Field, Schema};
/// use query::{evaluate_predicate, parse_expr, ExecOptions, SparkType};
///
/// let schema = Arc::new(Schema::new(vec![Field::new("air_pressure", DataType::Float32, true)]));
/// let batch = RecordBatch::try_new(schema, vec![Arc::new(Float32Array::from(vec![Some(1.0), Some(-2.0), None]))]).unwrap();
/// let columns = vec![("air_pressure".to_string(), SparkType::Float)];
/// let present = parse_expr("air_pressure IS NOT NULL").unwrap();
/// let pass = evaluate_predicate(&present, &columns, &batch, &ExecOptions::default()).unwrap();
/// assert_eq!(pass.true_count(), 2);
/// ```
pub fn evaluate_predicate(
    expr: &Expr,
    schema: &[(String, SparkType)],
    batch: &RecordBatch,
    options: &ExecOptions,
) -> Result<BooleanArray> {
    let (t, values) = evaluate(expr, schema, batch, options)?;
    match t {
        SparkType::Boolean => Ok(exec::eval::as_bool(&values)?.clone()),
        other => Err(QueryError::Analysis {
            class: ErrorClass::DatatypeMismatchUnexpectedInputType,
            message: format!(
                "The expression must be a BOOLEAN condition, but it is \"{}\".",
                other.simple_string().to_uppercase()
            ),
            span: None,
            suggestions: vec![],
        }),
    }
}
