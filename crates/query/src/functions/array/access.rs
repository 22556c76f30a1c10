//! Reading array elements and map values: `element_at` (1-based, ANSI errors out of
//! range), `try_element_at`, `get` (0-based, lenient), the `arr[i]` subscript (0-based, ANSI
//! errors out of range), `array_contains`.

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, BooleanArray, MapArray, UInt64Array};
use arrow::compute::take;
use arrow::datatypes::Int32Type;

use crate::error::{ErrorClass, QueryError, Result};
use crate::functions::common::{Want, arg, check_arity, coerce_args, func, prim};
use crate::functions::compare::{CompareOp, compare};
use crate::functions::{ArgInfo, EvalContext, Signature};
use crate::types::{SparkType, wider_type};

use super::list;

fn resolve_element_at(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 2, 2)?;
    match &args[0].data_type {
        SparkType::Array(element) => {
            let index = coerce_args(name, &args[1..], &[Want::Int])?.remove(0);
            Ok(Signature {
                args: vec![args[0].data_type.clone(), index],
                result: (**element).clone(),
            })
        }
        SparkType::Map(key, value) => {
            let key_type = wider_type(key, &args[1].data_type)
                .filter(|k| k == key.as_ref())
                .ok_or_else(|| {
                    crate::functions::common::unexpected_type(
                        name,
                        1,
                        &key.sql_name(),
                        &args[1].data_type,
                    )
                })?;
            Ok(Signature {
                args: vec![args[0].data_type.clone(), key_type],
                result: (**value).clone(),
            })
        }
        other => Err(crate::functions::common::unexpected_type(
            name,
            0,
            "(\"ARRAY\" or \"MAP\")",
            other,
        )),
    }
}

/// How an out-of-range array index is treated.
#[derive(Clone, Copy, PartialEq)]
enum Access {
    /// `element_at`: 1-based, error when out of range (ANSI).
    Strict,
    /// `try_element_at`: 1-based, NULL when out of range.
    Lenient,
    /// `get`: 0-based, NULL when out of range.
    ZeroBased,
    /// `arr[i]`: 0-based, error when out of range (ANSI).
    Subscript,
}

fn out_of_range(index: i64, size: i64) -> QueryError {
    QueryError::execution(
        ErrorClass::InvalidArrayIndexInElementAt,
        format!(
            "The index {index} is out of bounds. The array has {size} elements. Use `try_element_at` \
             to tolerate accessing element at invalid index and return NULL instead."
        ),
    )
}

fn subscript_out_of_range(index: i64, size: i64) -> QueryError {
    QueryError::execution(
        ErrorClass::InvalidArrayIndex,
        format!(
            "The index {index} is out of bounds. The array has {size} elements. Use the SQL \
             function `get()` to tolerate accessing element at invalid index and return NULL \
             instead."
        ),
    )
}

fn element_at(args: &[ArrayRef], access: Access) -> Result<ArrayRef> {
    let base = arg(args, 0)?;
    if let Some(m) = base.as_any().downcast_ref::<MapArray>() {
        return map_lookup(m, arg(args, 1)?);
    }
    let l = list(base.as_ref())?;
    let idx = prim::<Int32Type>(arg(args, 1)?.as_ref())?;
    let mut picks: Vec<Option<u64>> = Vec::with_capacity(l.len());
    for i in 0..l.len() {
        if l.is_null(i) || idx.is_null(i) {
            picks.push(None);
            continue;
        }
        let (start, size) = (
            i64::from(l.value_offsets()[i]),
            i64::from(l.value_length(i)),
        );
        let k = i64::from(idx.value(i));
        let position = match access {
            Access::ZeroBased => (0..size).contains(&k).then_some(k),
            Access::Subscript if (0..size).contains(&k) => Some(k),
            Access::Subscript => return Err(subscript_out_of_range(k, size)),
            _ if k == 0 => {
                return Err(QueryError::execution(
                    ErrorClass::InvalidIndexOfZero,
                    "The index 0 is invalid. An index shall be either < 0 or > 0 (the first element has index 1).",
                ));
            }
            _ => {
                let p = if k > 0 { k - 1 } else { size + k };
                (0..size).contains(&p).then_some(p)
            }
        };
        match position {
            Some(p) => picks.push(Some((start + p) as u64)),
            None if access == Access::Strict => return Err(out_of_range(k, size)),
            None => picks.push(None),
        }
    }
    Ok(take(l.values().as_ref(), &UInt64Array::from(picks), None)?)
}

fn map_lookup(m: &MapArray, keys: &ArrayRef) -> Result<ArrayRef> {
    let offsets = m.value_offsets();
    let mut picks: Vec<Option<u64>> = Vec::with_capacity(m.len());
    for i in 0..m.len() {
        if m.is_null(i) || keys.is_null(i) {
            picks.push(None);
            continue;
        }
        let (start, end) = (offsets[i] as usize, offsets[i + 1] as usize);
        let entries = m.keys().slice(start, end - start);
        let probe = take(
            keys.as_ref(),
            &UInt64Array::from(vec![i as u64; end - start]),
            None,
        )?;
        let hits = compare(CompareOp::Eq, &entries, &probe)?;
        picks.push(
            hits.iter()
                .position(|h| h == Some(true))
                .map(|p| (start + p) as u64),
        );
    }
    Ok(take(m.values().as_ref(), &UInt64Array::from(picks), None)?)
}

func!(
    ELEMENT_AT,
    "element_at",
    resolve_element_at,
    |args, _, _: &EvalContext| element_at(args, Access::Strict)
);
func!(
    TRY_ELEMENT_AT,
    "try_element_at",
    resolve_element_at,
    |args, _, _: &EvalContext| element_at(args, Access::Lenient)
);
func!(
    GET,
    "get",
    resolve_element_at,
    |args, _, _: &EvalContext| element_at(args, Access::ZeroBased)
);
// Not in the registry: the analyzer plans `arr[i]` with it (it is not callable by name; the
// name only tells it apart, as plans compare functions by name).
func!(
    SUBSCRIPT,
    "subscript",
    resolve_element_at,
    |args, _, _: &EvalContext| element_at(args, Access::Subscript)
);

fn resolve_contains(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 2, 2)?;
    let SparkType::Array(element) = &args[0].data_type else {
        return Err(crate::functions::common::unexpected_type(
            name,
            0,
            "\"ARRAY\"",
            &args[0].data_type,
        ));
    };
    let common = wider_type(element, &args[1].data_type).ok_or_else(|| {
        crate::functions::common::unexpected_type(name, 1, &element.sql_name(), &args[1].data_type)
    })?;
    Ok(Signature {
        args: vec![SparkType::Array(Box::new(common.clone())), common],
        result: SparkType::Boolean,
    })
}

/// `array_contains`: true when found; otherwise NULL if the array holds a NULL, else false.
fn invoke_contains(args: &[ArrayRef], _: usize, _: &EvalContext) -> Result<ArrayRef> {
    let l = list(arg(args, 0)?.as_ref())?;
    let needle = arg(args, 1)?;
    let mut out = Vec::with_capacity(l.len());
    for i in 0..l.len() {
        if l.is_null(i) || needle.is_null(i) {
            out.push(None);
            continue;
        }
        let (start, len) = (l.value_offsets()[i] as usize, l.value_length(i) as usize);
        let items = l.values().slice(start, len);
        let probe = take(
            needle.as_ref(),
            &UInt64Array::from(vec![i as u64; len]),
            None,
        )?;
        let hits = compare(CompareOp::Eq, &items, &probe)?;
        out.push(if hits.iter().any(|h| h == Some(true)) {
            Some(true)
        } else if items.null_count() > 0 {
            None
        } else {
            Some(false)
        });
    }
    Ok(Arc::new(BooleanArray::from(out)))
}

func!(
    ARRAY_CONTAINS,
    "array_contains",
    resolve_contains,
    invoke_contains
);
