//! explode / posexplode / inline: one output row per array element (or map entry), the input
//! row's columns repeated; OUTER keeps rows whose array is NULL or empty, with NULLs.

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, AsArray, Int32Array, RecordBatch, StructArray, UInt32Array};
use arrow::compute::take;
use arrow::datatypes::{DataType, SchemaRef};

use crate::error::{QueryError, Result};
use crate::exec::eval::evaluate;
use crate::exec::{ExecContext, make_batch};
use crate::plan::GeneratorKind;
use crate::plan::expr::TypedExpr;

/// Run a Generate node over one batch.
pub(crate) fn generate(
    batch: &RecordBatch,
    kind: GeneratorKind,
    arg: &TypedExpr,
    outer: bool,
    schema: &SchemaRef,
    ctx: &ExecContext,
) -> Result<RecordBatch> {
    ctx.check_cancel()?;
    let value = evaluate(arg, batch, ctx)?;
    if let GeneratorKind::TimeWindows { size, slide, start } = kind {
        return time_windows(batch, &value, size, slide, start, schema);
    }
    // Element columns and the offsets delimiting each row's elements.
    let (offsets, elements): (Vec<usize>, Vec<ArrayRef>) = match value.data_type() {
        DataType::List(_) => {
            let list = value.as_list::<i32>();
            let offsets = list.value_offsets().iter().map(|o| *o as usize).collect();
            let values = list.values().clone();
            let cols = if kind == GeneratorKind::Inline {
                let s = values
                    .as_any()
                    .downcast_ref::<StructArray>()
                    .ok_or_else(|| QueryError::Internal("inline over a non-struct array".into()))?;
                s.columns().to_vec()
            } else {
                vec![values]
            };
            (offsets, cols)
        }
        DataType::Map(..) => {
            let map = value.as_map();
            let offsets = map.value_offsets().iter().map(|o| *o as usize).collect();
            (offsets, vec![map.keys().clone(), map.values().clone()])
        }
        other => return Err(QueryError::Internal(format!("generator over {other}"))),
    };
    let mut rows: Vec<u32> = Vec::new();
    let mut picks: Vec<Option<u32>> = Vec::new();
    let mut positions: Vec<Option<i32>> = Vec::new();
    for i in 0..batch.num_rows() {
        let (start, end) = (offsets[i], offsets[i + 1]);
        if value.is_null(i) || start == end {
            if outer {
                rows.push(i as u32);
                picks.push(None);
                positions.push(None);
            }
            continue;
        }
        for j in start..end {
            rows.push(i as u32);
            picks.push(Some(j as u32));
            positions.push(Some((j - start) as i32));
        }
    }
    let row_idx = UInt32Array::from(rows.clone());
    let pick_idx = UInt32Array::from(picks);
    let mut columns: Vec<ArrayRef> = batch
        .columns()
        .iter()
        .map(|c| take(c.as_ref(), &row_idx, None))
        .collect::<std::result::Result<_, _>>()?;
    if kind == GeneratorKind::PosExplode {
        columns.push(Arc::new(Int32Array::from(positions)));
    }
    for e in &elements {
        columns.push(take(e.as_ref(), &pick_idx, None)?);
    }
    make_batch(schema.clone(), columns, rows.len())
}

/// Every window `[s, s + size)` with `s = start + k * slide` that holds the row's timestamp,
/// earliest first (Spark's sliding `window()`); NULL timestamps give no rows.
fn time_windows(
    batch: &RecordBatch,
    ts: &ArrayRef,
    size: i64,
    slide: i64,
    start: i64,
    schema: &SchemaRef,
) -> Result<RecordBatch> {
    use arrow::array::TimestampMicrosecondArray;
    use arrow::datatypes::{Field, TimestampMicrosecondType};
    let ts = ts.as_primitive::<TimestampMicrosecondType>();
    let mut rows = Vec::new();
    let (mut starts, mut ends) = (Vec::new(), Vec::new());
    for i in 0..ts.len() {
        if ts.is_null(i) {
            continue;
        }
        let t = ts.value(i);
        let last = t - (t - start).rem_euclid(slide);
        let mut first = last;
        while first - slide + size > t {
            first -= slide;
        }
        let mut s = first;
        while s <= t {
            if s + size > t {
                rows.push(i as u32);
                starts.push(s);
                ends.push(s + size);
            }
            s += slide;
        }
    }
    let idx = UInt32Array::from(rows);
    let mut columns: Vec<ArrayRef> = batch
        .columns()
        .iter()
        .map(|c| take(c.as_ref(), &idx, None))
        .collect::<std::result::Result<_, _>>()?;
    let tz = crate::types::SESSION_TIME_ZONE;
    let field = |n: &str| Field::new(n, crate::types::SparkType::Timestamp.to_arrow(), true);
    let window = StructArray::try_new(
        vec![field("start"), field("end")].into(),
        vec![
            Arc::new(TimestampMicrosecondArray::from(starts).with_timezone(tz)) as ArrayRef,
            Arc::new(TimestampMicrosecondArray::from(ends).with_timezone(tz)),
        ],
        None,
    )?;
    columns.push(Arc::new(window));
    make_batch(schema.clone(), columns, idx.len())
}
