//! `concat` / `||` (NULL if any input is NULL; arrays concatenate too) and `concat_ws`
//! (skips NULLs; array arguments contribute their elements).

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, ListArray, StringArray};

use crate::error::{ErrorClass, QueryError, Result};
use crate::functions::common::{Want, arg, check_arity, coerce_args, func, strings, wrong_array};
use crate::functions::{ArgInfo, EvalContext, Signature};
use crate::types::{SparkType, wider_type_of_all};

fn resolve_concat(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    let arrays = !args.is_empty()
        && args
            .iter()
            .all(|a| matches!(a.data_type, SparkType::Array(_) | SparkType::Null));
    if arrays
        && args
            .iter()
            .any(|a| matches!(a.data_type, SparkType::Array(_)))
    {
        let types: Vec<SparkType> = args.iter().map(|a| a.data_type.clone()).collect();
        let common = wider_type_of_all(&types).ok_or_else(|| {
            QueryError::analysis(
                ErrorClass::DatatypeMismatchDataDiffTypes,
                format!("Cannot resolve \"{name}\": the arrays have different element types."),
            )
        })?;
        return Ok(Signature {
            args: vec![common.clone(); args.len()],
            result: common,
        });
    }
    Ok(Signature {
        args: coerce_args(name, args, &[Want::String])?,
        result: SparkType::String,
    })
}

fn invoke_concat(args: &[ArrayRef], num_rows: usize, _: &EvalContext) -> Result<ArrayRef> {
    if args
        .first()
        .is_some_and(|a| matches!(a.data_type(), arrow::datatypes::DataType::List(_)))
    {
        return crate::functions::array::concat_lists(args, num_rows);
    }
    let columns = args
        .iter()
        .map(|a| strings(a.as_ref()))
        .collect::<Result<Vec<_>>>()?;
    let mut buffer = String::new();
    let out: StringArray = (0..num_rows)
        .map(|i| {
            buffer.clear();
            for c in &columns {
                if c.is_null(i) {
                    return None;
                }
                buffer.push_str(c.value(i));
            }
            Some(buffer.clone())
        })
        .collect();
    Ok(Arc::new(out))
}

func!(CONCAT, "concat", resolve_concat, invoke_concat);
func!(PIPES, "||", resolve_concat, invoke_concat);

fn resolve_concat_ws(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 1, usize::MAX)?;
    let types =
        args.iter()
            .enumerate()
            .map(|(i, a)| match &a.data_type {
                SparkType::Array(_) if i > 0 => Ok(SparkType::Array(Box::new(SparkType::String))),
                _ => coerce_args(name, std::slice::from_ref(a), &[Want::String])
                    .map(|mut t| t.remove(0)),
            })
            .collect::<Result<Vec<_>>>()?;
    Ok(Signature {
        args: types,
        result: SparkType::String,
    })
}

enum Piece<'a> {
    Text(&'a StringArray),
    List(&'a ListArray, &'a StringArray),
}

fn invoke_concat_ws(args: &[ArrayRef], num_rows: usize, _: &EvalContext) -> Result<ArrayRef> {
    let sep = strings(arg(args, 0)?.as_ref())?;
    let pieces = args[1..]
        .iter()
        .map(|a| match a.as_any().downcast_ref::<ListArray>() {
            Some(list) => {
                let values = list
                    .values()
                    .as_any()
                    .downcast_ref::<StringArray>()
                    .ok_or_else(|| wrong_array("array<string>", list.values().as_ref()))?;
                Ok(Piece::List(list, values))
            }
            None => strings(a.as_ref()).map(Piece::Text),
        })
        .collect::<Result<Vec<_>>>()?;
    let out: StringArray = (0..num_rows)
        .map(|i| {
            if sep.is_null(i) {
                return None;
            }
            let mut parts: Vec<&str> = Vec::new();
            for piece in &pieces {
                match piece {
                    Piece::Text(t) if t.is_valid(i) => parts.push(t.value(i)),
                    Piece::List(list, values) if list.is_valid(i) => {
                        let offsets = list.value_offsets();
                        for j in offsets[i] as usize..offsets[i + 1] as usize {
                            if values.is_valid(j) {
                                parts.push(values.value(j));
                            }
                        }
                    }
                    _ => {}
                }
            }
            Some(parts.join(sep.value(i)))
        })
        .collect();
    Ok(Arc::new(out))
}

func!(CONCAT_WS, "concat_ws", resolve_concat_ws, invoke_concat_ws);
