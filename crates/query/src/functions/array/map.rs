//! `map(k1, v1, k2, v2, ...)`: a map per row. Spark's default key policy
//! (`spark.sql.mapKeyDedupPolicy=EXCEPTION`) rejects a key given twice
//! (`DUPLICATED_MAP_KEY`), and a NULL key is never allowed (`NULL_MAP_KEY`).

use std::collections::HashSet;
use std::sync::Arc;

use arrow::array::{Array, ArrayRef, MapArray, StructArray};
use arrow::buffer::OffsetBuffer;
use arrow::datatypes::{DataType, Field};
use arrow::row::{RowConverter, SortField};

use crate::error::{ErrorClass, QueryError, Result};
use crate::functions::cast::value_to_string;
use crate::functions::common::func;
use crate::functions::{ArgInfo, EvalContext, Signature};
use crate::kernels::gather::gather;
use crate::types::{SparkType, wider_type_of_all};

fn resolve_map(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    if !args.len().is_multiple_of(2) {
        return Err(QueryError::analysis(
            ErrorClass::WrongNumArgsWithoutSuggestion,
            format!(
                "The `{name}` requires an even number of parameters (key, value, ...) but the actual number is {}.",
                args.len()
            ),
        ));
    }
    let common = |parity: usize, what: &str| {
        let types: Vec<SparkType> = args
            .iter()
            .skip(parity)
            .step_by(2)
            .map(|a| a.data_type.clone())
            .collect();
        wider_type_of_all(&types).ok_or_else(|| {
            QueryError::analysis(
                ErrorClass::DatatypeMismatchCreateMapKeyDiffTypes,
                format!("Cannot resolve \"{name}\": the {what} of the map have no common type."),
            )
        })
    };
    let (key, value) = (common(0, "keys")?, common(1, "values")?);
    Ok(Signature {
        args: (0..args.len())
            .map(|i| {
                if i % 2 == 0 {
                    key.clone()
                } else {
                    value.clone()
                }
            })
            .collect(),
        result: SparkType::Map(Box::new(key), Box::new(value)),
    })
}

fn invoke_map(args: &[ArrayRef], num_rows: usize, _: &EvalContext) -> Result<ArrayRef> {
    let pairs = args.len() / 2;
    let column = |parity: usize| -> Result<ArrayRef> {
        let sources: Vec<&dyn Array> = args
            .iter()
            .skip(parity)
            .step_by(2)
            .map(|a| a.as_ref())
            .collect();
        let element = sources
            .first()
            .map_or(DataType::Null, |a| a.data_type().clone());
        if sources.is_empty() {
            return Ok(arrow::array::new_empty_array(&element));
        }
        let order: Vec<Option<(usize, usize)>> = (0..num_rows)
            .flat_map(|row| (0..pairs).map(move |col| Some((col, row))))
            .collect();
        gather(&element, &sources, &order)
    };
    let (keys, values) = (column(0)?, column(1)?);
    check_keys(&keys, pairs)?;
    let entries = StructArray::try_new(
        vec![
            Field::new("key", keys.data_type().clone(), false),
            Field::new("value", values.data_type().clone(), true),
        ]
        .into(),
        vec![keys, values],
        None,
    )?;
    let field = Arc::new(Field::new("entries", entries.data_type().clone(), false));
    let offsets = OffsetBuffer::from_lengths(std::iter::repeat_n(pairs, num_rows));
    Ok(Arc::new(MapArray::try_new(
        field, offsets, entries, None, false,
    )?))
}

/// No NULL key, and no key twice in one map (each map is `pairs` consecutive keys).
fn check_keys(keys: &ArrayRef, pairs: usize) -> Result<()> {
    if keys.null_count() > 0 {
        return Err(QueryError::execution(
            ErrorClass::NullMapKey,
            "Cannot use null as map key.",
        ));
    }
    if pairs < 2 {
        return Ok(());
    }
    let converter = RowConverter::new(vec![SortField::new(keys.data_type().clone())])?;
    let rows = converter.convert_columns(std::slice::from_ref(keys))?;
    let mut seen = HashSet::with_capacity(pairs);
    for start in (0..keys.len()).step_by(pairs) {
        seen.clear();
        for i in start..start + pairs {
            if !seen.insert(rows.row(i)) {
                return Err(QueryError::execution(
                    ErrorClass::DuplicatedMapKey,
                    format!(
                        "Duplicate map key {} was found, please check the input data.",
                        key_text(keys, i)?
                    ),
                ));
            }
        }
    }
    Ok(())
}

fn key_text(keys: &ArrayRef, row: usize) -> Result<String> {
    let t = SparkType::from_arrow(keys.data_type()).unwrap_or(SparkType::String);
    Ok(value_to_string(keys.as_ref(), row, &t)?.unwrap_or_default())
}

func!(MAP, "map", resolve_map, invoke_map);
