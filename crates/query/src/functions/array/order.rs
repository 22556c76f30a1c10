//! Reordering and combining arrays: `sort_array`, `reverse` of arrays, `concat` of arrays,
//! `array_join`.

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, ListArray, StringArray, UInt64Array};
use arrow::buffer::OffsetBuffer;
use arrow::compute::{SortOptions, concat, sort_to_indices, take};
use arrow::datatypes::DataType;

use crate::error::Result;
use crate::functions::common::{Want, arg, booleans, check_arity, coerce_args, func, strings};
use crate::functions::{ArgInfo, EvalContext, Signature};
use crate::types::SparkType;

use super::{list, list_field};

fn resolve_sort_array(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 1, 2)?;
    if !matches!(args[0].data_type, SparkType::Array(_)) {
        return Err(crate::functions::common::unexpected_type(
            name,
            0,
            "\"ARRAY\"",
            &args[0].data_type,
        ));
    }
    let mut types = vec![args[0].data_type.clone()];
    if args.len() == 2 {
        types.push(coerce_args(name, &args[1..], &[Want::Boolean])?.remove(0));
    }
    Ok(Signature {
        args: types,
        result: args[0].data_type.clone(),
    })
}

/// Rebuild `l` with each row's elements reordered by `order(row, values)` (indices into the
/// row's slice).
fn reorder(
    l: &ListArray,
    order: impl Fn(usize, &ArrayRef) -> Result<Vec<u64>>,
) -> Result<ArrayRef> {
    let mut picks: Vec<u64> = Vec::with_capacity(l.values().len());
    for i in 0..l.len() {
        let (start, len) = (l.value_offsets()[i] as usize, l.value_length(i) as usize);
        let items = l.values().slice(start, len);
        picks.extend(order(i, &items)?.into_iter().map(|k| start as u64 + k));
    }
    let values = take(l.values().as_ref(), &UInt64Array::from(picks), None)?;
    let lengths = (0..l.len()).map(|i| l.value_length(i) as usize);
    let field = list_field(l.values().data_type());
    Ok(Arc::new(ListArray::try_new(
        field,
        OffsetBuffer::from_lengths(lengths),
        values,
        l.nulls().cloned(),
    )?))
}

/// `sort_array(arr, asc)`: NULL elements first when ascending, last when descending.
fn invoke_sort_array(args: &[ArrayRef], _: usize, _: &EvalContext) -> Result<ArrayRef> {
    let l = list(arg(args, 0)?.as_ref())?;
    let asc = args.get(1).map(|a| booleans(a.as_ref())).transpose()?;
    reorder(l, |i, items| {
        let ascending = asc.is_none_or(|a| a.is_null(i) || a.value(i));
        let options = SortOptions {
            descending: !ascending,
            nulls_first: ascending,
        };
        Ok(sort_to_indices(items.as_ref(), Some(options), None)?
            .values()
            .iter()
            .map(|k| u64::from(*k))
            .collect())
    })
}

func!(
    SORT_ARRAY,
    "sort_array",
    resolve_sort_array,
    invoke_sort_array
);

/// Each array of `l` with its elements in reverse order.
pub(crate) fn reverse_lists(l: &ListArray) -> Result<ArrayRef> {
    reorder(l, |_, items| Ok((0..items.len() as u64).rev().collect()))
}

/// Row-wise concatenation of arrays; NULL if any input array is NULL.
pub(crate) fn concat_lists(args: &[ArrayRef], num_rows: usize) -> Result<ArrayRef> {
    let lists = args
        .iter()
        .map(|a| list(a.as_ref()))
        .collect::<Result<Vec<_>>>()?;
    let element = lists
        .first()
        .map_or(DataType::Null, |l| l.values().data_type().clone());
    let mut pieces: Vec<ArrayRef> = Vec::new();
    let mut lengths = Vec::with_capacity(num_rows);
    let mut valid = Vec::with_capacity(num_rows);
    for i in 0..num_rows {
        let ok = lists.iter().all(|l| l.is_valid(i));
        valid.push(ok);
        let mut n = 0;
        if ok {
            for l in &lists {
                pieces.push(l.value(i));
                n += l.value_length(i) as usize;
            }
        }
        lengths.push(n);
    }
    let refs: Vec<&dyn Array> = pieces.iter().map(|p| p.as_ref()).collect();
    let values = if refs.is_empty() {
        arrow::array::new_empty_array(&element)
    } else {
        concat(&refs)?
    };
    let nulls = Some(arrow::buffer::NullBuffer::from(valid));
    Ok(Arc::new(ListArray::try_new(
        list_field(&element),
        OffsetBuffer::from_lengths(lengths),
        values,
        nulls,
    )?))
}

fn resolve_array_join(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 2, 3)?;
    if !matches!(args[0].data_type, SparkType::Array(_)) {
        return Err(crate::functions::common::unexpected_type(
            name,
            0,
            "\"ARRAY\"",
            &args[0].data_type,
        ));
    }
    let mut types = vec![SparkType::Array(Box::new(SparkType::String))];
    types.extend(coerce_args(name, &args[1..], &[Want::String])?);
    Ok(Signature {
        args: types,
        result: SparkType::String,
    })
}

/// `array_join(arr, sep[, null_replacement])`: NULL elements are skipped unless replaced.
fn invoke_array_join(args: &[ArrayRef], _: usize, _: &EvalContext) -> Result<ArrayRef> {
    let l = list(arg(args, 0)?.as_ref())?;
    let sep = strings(arg(args, 1)?.as_ref())?;
    let replacement = args.get(2).map(|a| strings(a.as_ref())).transpose()?;
    let values = strings(l.values().as_ref())?;
    let offsets = l.value_offsets();
    let out: StringArray = (0..l.len())
        .map(|i| {
            if l.is_null(i) || sep.is_null(i) || replacement.is_some_and(|r| r.is_null(i)) {
                return None;
            }
            let parts: Vec<&str> = (offsets[i] as usize..offsets[i + 1] as usize)
                .filter_map(|j| {
                    if values.is_valid(j) {
                        Some(values.value(j))
                    } else {
                        replacement.map(|r| r.value(i))
                    }
                })
                .collect();
            Some(parts.join(sep.value(i)))
        })
        .collect();
    Ok(Arc::new(out))
}

func!(
    ARRAY_JOIN,
    "array_join",
    resolve_array_join,
    invoke_array_join
);
