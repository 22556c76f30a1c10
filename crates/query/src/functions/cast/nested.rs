//! Casts of arrays, structs and maps, element by element and field by field.

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, ListArray, MapArray, StructArray};
use arrow::datatypes::{DataType, Field};

use super::{CastMode, cast, cast_not_allowed};
use crate::error::Result;
use crate::functions::common::wrong_array;
use crate::types::SparkType;

/// Cast an `array<…>`, `struct<…>` or `map<…>` to another of the same kind.
pub(super) fn cast_nested(
    array: &ArrayRef,
    from: &SparkType,
    to: &SparkType,
    mode: CastMode,
) -> Result<ArrayRef> {
    match (from, to) {
        (SparkType::Array(a), SparkType::Array(b)) => {
            let list = array
                .as_any()
                .downcast_ref::<ListArray>()
                .ok_or_else(|| wrong_array("array", array))?;
            let values = cast(list.values(), a, b, mode)?;
            let field = Arc::new(Field::new_list_field(b.to_arrow(), true));
            Ok(Arc::new(ListArray::try_new(
                field,
                list.offsets().clone(),
                values,
                list.nulls().cloned(),
            )?))
        }
        (SparkType::Struct(a), SparkType::Struct(b)) => {
            let s = array
                .as_any()
                .downcast_ref::<StructArray>()
                .ok_or_else(|| wrong_array("struct", array))?;
            let columns = a
                .iter()
                .zip(b)
                .zip(s.columns())
                .map(|((x, y), column)| cast(column, &x.data_type, &y.data_type, mode))
                .collect::<Result<Vec<_>>>()?;
            let DataType::Struct(fields) = to.to_arrow() else {
                return Err(cast_not_allowed(from, to));
            };
            Ok(Arc::new(StructArray::try_new(
                fields,
                columns,
                s.nulls().cloned(),
            )?))
        }
        (SparkType::Map(k1, v1), SparkType::Map(k2, v2)) => {
            let m = array
                .as_any()
                .downcast_ref::<MapArray>()
                .ok_or_else(|| wrong_array("map", array))?;
            let keys = cast(m.keys(), k1, k2, mode)?;
            let values = cast(m.values(), v1, v2, mode)?;
            let DataType::Map(entries_field, sorted) = to.to_arrow() else {
                return Err(cast_not_allowed(from, to));
            };
            let DataType::Struct(entry_fields) = entries_field.data_type().clone() else {
                return Err(cast_not_allowed(from, to));
            };
            let entries = StructArray::try_new(entry_fields, vec![keys, values], None)?;
            Ok(Arc::new(MapArray::try_new(
                entries_field,
                m.offsets().clone(),
                entries,
                m.nulls().cloned(),
                sorted,
            )?))
        }
        _ => Err(cast_not_allowed(from, to)),
    }
}
