//! LATERAL subqueries in FROM. The subquery runs once per distinct combination of the left
//! columns it reads (the same cache as correlated subqueries in expressions), and each left
//! row is paired with that run's rows; a LEFT lateral join keeps left rows left without a
//! match, with NULLs.

use std::collections::HashMap;
use std::sync::Arc;

use arrow::array::{ArrayRef, RecordBatch, UInt32Array, new_null_array};
use arrow::compute::{filter_record_batch, take};
use arrow::datatypes::SchemaRef;

use crate::error::{QueryError, Result};
use crate::exec::eval::evaluate_predicate;
use crate::exec::subquery::per_row;
use crate::exec::{ExecContext, concat, make_batch};
use crate::limits::{BUDGET_EXCEEDED, MAX_OPERATOR_VALUES};
use crate::plan::expr::{SubqueryPlan, TypedExpr};
use crate::plan::{JoinKind, LogicalPlan, PlanSchema};

/// Run a LateralJoin node.
pub(crate) fn lateral_join(
    left_batches: &[RecordBatch],
    left_schema: &PlanSchema,
    subquery: &Arc<LogicalPlan>,
    kind: JoinKind,
    filter: Option<&TypedExpr>,
    schema: &SchemaRef,
    ctx: &ExecContext,
) -> Result<Vec<RecordBatch>> {
    let left = concat(&left_schema.arrow(), left_batches)?;
    let sub_schema = subquery.schema.arrow();
    let results = per_row(&SubqueryPlan(subquery.clone()), &left, ctx, &|b| {
        Ok(Arc::new(concat(&sub_schema, b)?))
    })?;
    // Each distinct run's rows once, and every (left row, subquery row) pair.
    let mut runs: Vec<RecordBatch> = Vec::new();
    let mut run_start: HashMap<*const RecordBatch, u32> = HashMap::new();
    let mut total = 0u32;
    let (mut left_rows, mut right_rows) = (Vec::new(), Vec::new());
    let width = schema.fields().len().max(1) as u64;
    for (i, run) in results.iter().enumerate() {
        let start = *run_start.entry(Arc::as_ptr(run)).or_insert_with(|| {
            runs.push((**run).clone());
            total += run.num_rows() as u32;
            total - run.num_rows() as u32
        });
        for j in 0..run.num_rows() as u32 {
            left_rows.push(i as u32);
            right_rows.push(start + j);
        }
        if left_rows.len() as u64 * width > MAX_OPERATOR_VALUES {
            return Err(QueryError::execution(
                BUDGET_EXCEEDED,
                format!(
                    "the LATERAL subquery gives more than {} rows of {width} columns, past the engine's budget of {MAX_OPERATOR_VALUES} values per operator (MAX_OPERATOR_VALUES): filter the left side or the subquery first",
                    left_rows.len()
                ),
            ));
        }
    }
    let right = concat(&sub_schema, &runs)?;
    let pairs = pair_batch(
        &left,
        &UInt32Array::from(left_rows.clone()),
        &right,
        &UInt32Array::from(right_rows),
        schema,
    )?;
    let kept = match filter {
        Some(f) => {
            let keep = evaluate_predicate(f, &pairs, ctx)?;
            let kept = filter_record_batch(&pairs, &keep)?;
            let matched: Vec<u32> = left_rows
                .iter()
                .zip(keep.iter())
                .filter(|(_, k)| *k == Some(true))
                .map(|(l, _)| *l)
                .collect();
            (kept, matched)
        }
        None => (pairs, left_rows),
    };
    let (pairs, matched) = kept;
    if kind != JoinKind::Left {
        return Ok(vec![pairs]);
    }
    let mut has_match = vec![false; left.num_rows()];
    for l in matched {
        has_match[l as usize] = true;
    }
    let unmatched: Vec<u32> = (0..left.num_rows() as u32)
        .filter(|&l| !has_match[l as usize])
        .collect();
    if unmatched.is_empty() {
        return Ok(vec![pairs]);
    }
    let mut columns: Vec<ArrayRef> = left
        .columns()
        .iter()
        .map(|c| take(c.as_ref(), &UInt32Array::from(unmatched.clone()), None))
        .collect::<std::result::Result<_, _>>()?;
    columns.extend(
        sub_schema
            .fields()
            .iter()
            .map(|f| new_null_array(f.data_type(), unmatched.len())),
    );
    let padded = make_batch(schema.clone(), columns, unmatched.len())?;
    Ok(vec![pairs, padded])
}

/// The left rows at `left_rows` beside the subquery rows at `right_rows`.
fn pair_batch(
    left: &RecordBatch,
    left_rows: &UInt32Array,
    right: &RecordBatch,
    right_rows: &UInt32Array,
    schema: &SchemaRef,
) -> Result<RecordBatch> {
    let mut columns: Vec<ArrayRef> = Vec::with_capacity(schema.fields().len());
    for c in left.columns() {
        columns.push(take(c.as_ref(), left_rows, None)?);
    }
    for c in right.columns() {
        columns.push(take(c.as_ref(), right_rows, None)?);
    }
    make_batch(schema.clone(), columns, left_rows.len())
}
