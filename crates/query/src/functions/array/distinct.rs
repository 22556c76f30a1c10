//! `array_distinct`: each array's elements without repeats, in order of first appearance.
//! Elements compare as Spark's grouping does: one NULL kept, `-0.0` equals `0.0`, every NaN
//! equals every other NaN; nested elements (structs, arrays) compare by value.

use std::collections::HashSet;
use std::sync::Arc;

use arrow::array::{Array, ArrayRef, ListArray, UInt64Array};
use arrow::buffer::OffsetBuffer;
use arrow::compute::take;
use arrow::row::{RowConverter, SortField};

use crate::error::Result;
use crate::functions::common::{arg, check_arity, func, unexpected_type};
use crate::functions::{ArgInfo, EvalContext, Signature};
use crate::kernels::keys::normalize_key_column;
use crate::types::SparkType;

use super::{list, list_field};

fn resolve_array_distinct(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 1, 1)?;
    match &args[0].data_type {
        SparkType::Array(_) => Ok(Signature {
            args: vec![args[0].data_type.clone()],
            result: args[0].data_type.clone(),
        }),
        other => Err(unexpected_type(name, 0, "\"ARRAY\"", other)),
    }
}

/// Encode every element once with arrow's row format (byte-comparable, NULL-aware), then
/// keep the first index of each distinct encoding within each array.
fn invoke_array_distinct(args: &[ArrayRef], _: usize, _: &EvalContext) -> Result<ArrayRef> {
    let l = list(arg(args, 0)?.as_ref())?;
    let values = normalize_key_column(l.values())?;
    let converter = RowConverter::new(vec![SortField::new(values.data_type().clone())])?;
    let rows = converter.convert_columns(&[values])?;
    let offsets = l.value_offsets();
    let mut picks: Vec<u64> = Vec::with_capacity(rows.num_rows());
    let mut lengths: Vec<usize> = Vec::with_capacity(l.len());
    let mut seen = HashSet::new();
    for i in 0..l.len() {
        seen.clear();
        let before = picks.len();
        if l.is_valid(i) {
            for k in offsets[i] as usize..offsets[i + 1] as usize {
                if seen.insert(rows.row(k)) {
                    picks.push(k as u64);
                }
            }
        }
        lengths.push(picks.len() - before);
    }
    let kept = take(l.values().as_ref(), &UInt64Array::from(picks), None)?;
    Ok(Arc::new(ListArray::try_new(
        list_field(l.values().data_type()),
        OffsetBuffer::from_lengths(lengths),
        kept,
        l.nulls().cloned(),
    )?))
}

func!(
    ARRAY_DISTINCT,
    "array_distinct",
    resolve_array_distinct,
    invoke_array_distinct
);
