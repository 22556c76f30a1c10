//! DISTINCT, UNION, EXCEPT and INTERSECT (with ALL: multiset semantics), on whole-row keys.

use arrow::array::{ArrayRef, RecordBatch, UInt32Array};
use arrow::compute::take_record_batch;
use arrow::datatypes::{DataType, SchemaRef};

use crate::error::Result;
use crate::exec::{ExecContext, concat, make_batch, rebatch};
use crate::kernels::keys::Grouper;
use crate::plan::SetOpKind;

fn types(schema: &SchemaRef) -> Vec<DataType> {
    schema
        .fields()
        .iter()
        .map(|f| f.data_type().clone())
        .collect()
}

fn pick(all: &RecordBatch, rows: Vec<u32>, schema: &SchemaRef) -> Result<RecordBatch> {
    if all.num_columns() == 0 {
        return make_batch(schema.clone(), vec![], rows.len());
    }
    let picked = take_record_batch(all, &UInt32Array::from(rows))?;
    rebatch(&picked, schema)
}

/// The first row of every distinct row value, in input order.
pub(crate) fn distinct(
    batches: &[RecordBatch],
    schema: &SchemaRef,
    ctx: &ExecContext,
) -> Result<Vec<RecordBatch>> {
    ctx.check_cancel()?;
    let all = concat(schema, batches)?;
    let mut grouper = Grouper::new(&types(schema))?;
    let mut ids = Vec::new();
    grouper.assign(all.columns(), all.num_rows(), &mut ids)?;
    let mut next = 0u32;
    let mut keep = Vec::new();
    for (i, &id) in ids.iter().enumerate() {
        if id == next {
            keep.push(i as u32);
            next += 1;
        }
    }
    Ok(vec![pick(&all, keep, schema)?])
}

/// UNION / EXCEPT / INTERSECT of two inputs with identical column types.
pub(crate) fn set_op(
    left: &[RecordBatch],
    right: &[RecordBatch],
    op: SetOpKind,
    all: bool,
    schema: &SchemaRef,
    ctx: &ExecContext,
) -> Result<Vec<RecordBatch>> {
    if op == SetOpKind::Union {
        let mut out: Vec<RecordBatch> = left
            .iter()
            .chain(right)
            .map(|b| rebatch(b, schema))
            .collect::<Result<_>>()?;
        if !all {
            out = distinct(&out, schema, ctx)?;
        }
        return Ok(out);
    }
    ctx.check_cancel()?;
    let l = concat(
        schema,
        &left
            .iter()
            .map(|b| rebatch(b, schema))
            .collect::<Result<Vec<_>>>()?,
    )?;
    let r = concat(
        schema,
        &right
            .iter()
            .map(|b| rebatch(b, schema))
            .collect::<Result<Vec<_>>>()?,
    )?;
    let mut grouper = Grouper::new(&types(schema))?;
    let mut r_ids = Vec::new();
    grouper.assign(r.columns(), r.num_rows(), &mut r_ids)?;
    let mut counts = vec![0usize; grouper.num_groups()];
    for &id in &r_ids {
        counts[id as usize] += 1;
    }
    let mut found = Vec::new();
    let columns: Vec<ArrayRef> = l.columns().to_vec();
    grouper.lookup(&columns, l.num_rows(), &mut found)?;
    // Distinct variants keep each left value once: track values already emitted.
    let mut seen = Grouper::new(&types(schema))?;
    let mut seen_ids = Vec::new();
    seen.assign(&columns, l.num_rows(), &mut seen_ids)?;
    let mut emitted = vec![false; seen.num_groups()];
    let mut keep = Vec::new();
    for (i, f) in found.iter().enumerate() {
        let in_right = match f {
            Some(id) if all => {
                let c = &mut counts[*id as usize];
                if *c > 0 {
                    *c -= 1;
                    true
                } else {
                    false
                }
            }
            Some(_) => true,
            None => false,
        };
        let wanted = match op {
            SetOpKind::Except => !in_right,
            _ => in_right,
        };
        if !wanted {
            continue;
        }
        if !all {
            let s = seen_ids[i] as usize;
            if emitted[s] {
                continue;
            }
            emitted[s] = true;
        }
        keep.push(i as u32);
    }
    Ok(vec![pick(&l, keep, schema)?])
}
