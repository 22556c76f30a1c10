//! Binaries, lists and structs in another layout than the target's: large or view binaries as
//! `Binary`, `LargeList` as `List`, and element or field types cast one level down (a Parquet
//! file names its list elements `element`, Arrow's default is `item`).

use std::sync::Arc;

use arrow::array::{
    Array, ArrayRef, AsArray, BinaryArray, GenericListArray, ListArray, OffsetSizeTrait,
    StructArray,
};
use arrow::buffer::OffsetBuffer;
use arrow::datatypes::{DataType, FieldRef};
use arrow::error::ArrowError;

/// `array` as the binary, list or struct type `to`, or `None` when `to` is none of those.
pub(super) fn cast_nested(array: &ArrayRef, to: &DataType) -> Result<Option<ArrayRef>, ArrowError> {
    Ok(Some(match (array.data_type(), to) {
        (DataType::LargeBinary, DataType::Binary) => {
            Arc::new(array.as_binary::<i64>().iter().collect::<BinaryArray>())
        }
        (DataType::BinaryView, DataType::Binary) => {
            Arc::new(array.as_binary_view().iter().collect::<BinaryArray>())
        }
        (DataType::List(_), DataType::List(field)) => list(array.as_list::<i32>(), field)?,
        (DataType::LargeList(_), DataType::List(field)) => list(array.as_list::<i64>(), field)?,
        (DataType::Struct(from), DataType::Struct(fields)) if from.len() == fields.len() => {
            let structs = array.as_struct();
            let children = structs
                .columns()
                .iter()
                .zip(fields)
                .map(|(c, f)| super::cast(c, f.data_type()))
                .collect::<Result<Vec<_>, _>>()?;
            Arc::new(StructArray::try_new(
                fields.clone(),
                children,
                structs.nulls().cloned(),
            )?)
        }
        _ => return Ok(None),
    }))
}

fn list<O: OffsetSizeTrait>(
    lists: &GenericListArray<O>,
    field: &FieldRef,
) -> Result<ArrayRef, ArrowError> {
    let values = super::cast(lists.values(), field.data_type())?;
    let offsets = lists
        .offsets()
        .iter()
        .map(|o| i32::try_from(o.as_usize()))
        .collect::<Result<Vec<i32>, _>>()
        .map_err(|_| ArrowError::CastError("a list is too long for 32-bit offsets".into()))?;
    Ok(Arc::new(ListArray::try_new(
        field.clone(),
        OffsetBuffer::new(offsets.into()),
        values,
        lists.nulls().cloned(),
    )?))
}
