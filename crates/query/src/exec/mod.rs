//! The executor: runs a [`LogicalPlan`] over Arrow record batches, one operator at a time,
//! vectorised (whole arrays through arrow kernels), checking for cancellation between
//! batches.

mod accumulators;
mod aggregate;
pub(crate) mod eval;
mod generate;
mod join;
mod lateral;
mod row_in;
mod setops;
mod sort;
pub(crate) mod subquery;
mod window;

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use arrow::array::{ArrayRef, RecordBatch, RecordBatchOptions};
use arrow::compute::filter_record_batch;
use arrow::datatypes::SchemaRef;

use crate::context::ExecOptions;
use crate::error::{QueryError, Result};
use crate::plan::{LogicalPlan, PlanNode, PlanSchema};

/// State shared by every operator of one query run.
pub(crate) struct ExecContext {
    /// Clock and cancellation flag.
    pub options: ExecOptions,
    /// Rows of enclosing queries while a correlated subquery runs (innermost last), each a
    /// one-row batch of that query's input.
    pub outer: RefCell<Vec<RecordBatch>>,
    /// Results of uncorrelated subqueries, by plan identity.
    pub subqueries: RefCell<HashMap<usize, Arc<Vec<RecordBatch>>>>,
    /// This run's number: random functions' streams belong to one run.
    pub query_id: u64,
}

impl ExecContext {
    /// A context for one run.
    pub fn new(options: ExecOptions) -> ExecContext {
        ExecContext {
            options,
            outer: RefCell::new(Vec::new()),
            subqueries: RefCell::new(HashMap::new()),
            query_id: crate::functions::next_query_id(),
        }
    }

    /// `QueryError::Cancelled` once the caller has raised the cancel flag.
    pub fn check_cancel(&self) -> Result<()> {
        match &self.options.cancel {
            Some(flag) if flag.load(Ordering::Relaxed) => Err(QueryError::Cancelled),
            _ => Ok(()),
        }
    }

    /// What scalar functions may read besides their arguments.
    pub fn eval_context(&self) -> crate::functions::EvalContext {
        crate::functions::EvalContext {
            now_micros: self.options.now_micros,
            query_id: self.query_id,
        }
    }
}

/// A batch with the given columns; `rows` gives the row count when there are no columns.
pub(crate) fn make_batch(
    schema: SchemaRef,
    columns: Vec<ArrayRef>,
    rows: usize,
) -> Result<RecordBatch> {
    let options = RecordBatchOptions::new().with_row_count(Some(rows));
    Ok(RecordBatch::try_new_with_options(
        schema, columns, &options,
    )?)
}

/// The same batch under another schema (same column types, other names).
pub(crate) fn rebatch(batch: &RecordBatch, schema: &SchemaRef) -> Result<RecordBatch> {
    make_batch(schema.clone(), batch.columns().to_vec(), batch.num_rows())
}

/// All batches as one (an empty batch of the schema when there are none).
pub(crate) fn concat(schema: &SchemaRef, batches: &[RecordBatch]) -> Result<RecordBatch> {
    match batches {
        [one] => Ok(one.clone()),
        [] => Ok(RecordBatch::new_empty(schema.clone())),
        many => {
            if schema.fields().is_empty() {
                let rows = many.iter().map(RecordBatch::num_rows).sum();
                return make_batch(schema.clone(), vec![], rows);
            }
            Ok(arrow::compute::concat_batches(schema, many)?)
        }
    }
}

/// Run a plan to completion.
pub(crate) fn execute(plan: &LogicalPlan, ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
    ctx.check_cancel()?;
    let schema = plan.schema.arrow();
    match &plan.node {
        PlanNode::Scan {
            table, projection, ..
        } => table
            .batches()
            .iter()
            .map(|b| {
                ctx.check_cancel()?;
                let columns = match projection {
                    Some(p) => p.iter().map(|&i| b.column(i).clone()).collect(),
                    None => b.columns().to_vec(),
                };
                make_batch(schema.clone(), columns, b.num_rows())
            })
            .collect(),
        PlanNode::Values { rows } => {
            let empty = make_batch(Arc::new(arrow::datatypes::Schema::empty()), vec![], 1)?;
            let mut columns: Vec<Vec<ArrayRef>> =
                vec![Vec::with_capacity(rows.len()); plan.schema.len()];
            for row in rows {
                for (c, e) in row.iter().enumerate() {
                    columns[c].push(eval::evaluate(e, &empty, ctx)?);
                }
            }
            let columns = columns
                .iter()
                .map(|parts| {
                    let refs: Vec<&dyn arrow::array::Array> =
                        parts.iter().map(|a| a.as_ref()).collect();
                    Ok(arrow::compute::concat(&refs)?)
                })
                .collect::<Result<Vec<_>>>()?;
            Ok(vec![make_batch(schema, columns, rows.len())?])
        }
        PlanNode::Project { input, exprs } => {
            let batches = execute(input, ctx)?;
            batches
                .iter()
                .map(|b| {
                    ctx.check_cancel()?;
                    let columns = exprs
                        .iter()
                        .map(|e| eval::evaluate(e, b, ctx))
                        .collect::<Result<Vec<_>>>()?;
                    make_batch(schema.clone(), columns, b.num_rows())
                })
                .collect()
        }
        PlanNode::Filter { input, predicate } => {
            let batches = execute(input, ctx)?;
            let mut out = Vec::with_capacity(batches.len());
            for b in &batches {
                ctx.check_cancel()?;
                let mask = eval::evaluate_predicate(predicate, b, ctx)?;
                let kept = filter_record_batch(b, &mask)?;
                if kept.num_rows() > 0 {
                    out.push(rebatch(&kept, &schema)?);
                }
            }
            Ok(out)
        }
        PlanNode::Aggregate {
            input,
            group,
            aggs,
            grouping_sets,
        } => {
            let batches = execute(input, ctx)?;
            aggregate::aggregate(
                &batches,
                group,
                aggs,
                grouping_sets.as_deref(),
                &schema,
                ctx,
            )
        }
        PlanNode::Window { input, calls } => {
            let batches = execute(input, ctx)?;
            let read = plan.node.columns_read();
            let input_schema = input.schema.arrow();
            window::window(
                &batches,
                &input_schema,
                calls,
                read.as_deref(),
                &schema,
                ctx,
            )
        }
        PlanNode::Join {
            left,
            right,
            kind,
            keys,
            filter,
        } => {
            let l = execute(left, ctx)?;
            let r = execute(right, ctx)?;
            join::join(
                &l,
                &left.schema,
                &r,
                &right.schema,
                *kind,
                keys,
                filter.as_ref(),
                &schema,
                ctx,
            )
        }
        PlanNode::LateralJoin {
            left,
            subquery,
            kind,
            filter,
        } => {
            let l = execute(left, ctx)?;
            lateral::lateral_join(
                &l,
                &left.schema,
                subquery,
                *kind,
                filter.as_ref(),
                &schema,
                ctx,
            )
        }
        PlanNode::Sort { input, keys } => {
            let batches = execute(input, ctx)?;
            sort::sort(&batches, &input.schema.arrow(), keys, &schema, ctx)
        }
        PlanNode::Limit { input, skip, fetch } => {
            let batches = execute(input, ctx)?;
            Ok(limit(batches, *skip, *fetch, &schema)?)
        }
        PlanNode::Distinct { input } => {
            let batches = execute(input, ctx)?;
            setops::distinct(&batches, &schema, ctx)
        }
        PlanNode::SetOp {
            left,
            right,
            op,
            all,
        } => {
            let l = execute(left, ctx)?;
            let r = execute(right, ctx)?;
            setops::set_op(&l, &r, *op, *all, &schema, ctx)
        }
        PlanNode::Generate {
            input,
            kind,
            arg,
            outer,
        } => {
            let batches = execute(input, ctx)?;
            batches
                .iter()
                .map(|b| generate::generate(b, *kind, arg, *outer, &schema, ctx))
                .collect()
        }
        PlanNode::Alias { input } => {
            let batches = execute(input, ctx)?;
            batches.iter().map(|b| rebatch(b, &schema)).collect()
        }
        PlanNode::Extension { node, inputs } => {
            let mut input_batches = Vec::with_capacity(inputs.len());
            for i in inputs {
                let mut batches = execute(i, ctx)?;
                if batches.is_empty() {
                    batches.push(RecordBatch::new_empty(i.schema.arrow()));
                }
                input_batches.push(batches);
            }
            let out = node.execute(input_batches, &ctx.options)?;
            check_extension_output(node.name(), &out, &plan.schema)?;
            out.iter().map(|b| rebatch(b, &schema)).collect()
        }
    }
}

fn limit(
    batches: Vec<RecordBatch>,
    skip: usize,
    fetch: Option<usize>,
    schema: &SchemaRef,
) -> Result<Vec<RecordBatch>> {
    let mut to_skip = skip;
    let mut left = fetch.unwrap_or(usize::MAX);
    let mut out = Vec::new();
    for b in batches {
        if left == 0 {
            break;
        }
        let n = b.num_rows();
        if to_skip >= n {
            to_skip -= n;
            continue;
        }
        let take = (n - to_skip).min(left);
        out.push(rebatch(&b.slice(to_skip, take), schema)?);
        left -= take;
        to_skip = 0;
    }
    Ok(out)
}

fn check_extension_output(name: &str, out: &[RecordBatch], schema: &PlanSchema) -> Result<()> {
    for b in out {
        let ok = b.num_columns() == schema.len()
            && b.columns()
                .iter()
                .zip(&schema.fields)
                .all(|(c, f)| c.data_type() == &f.data_type.to_arrow());
        if !ok {
            return Err(QueryError::Internal(format!(
                "extension node `{name}` returned columns that do not match the schema it declared"
            )));
        }
    }
    Ok(())
}
