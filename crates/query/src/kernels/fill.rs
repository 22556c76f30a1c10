//! Filling a column's NULLs with one constant: `coalesce(x, 0)`, the form the SQL spelling of
//! Tempo's EMA uses on every lag. The general COALESCE evaluates each argument on the rows still
//! missing and gathers from every source; for a fixed-width column and a constant that is one
//! copy of the values with the constant's bytes written into the NULL slots, whatever the type
//! (integers, floats, dates, timestamps, decimals), so no per-type code is linked.

use arrow::array::{Array, ArrayData, ArrayRef, make_array};
use arrow::buffer::Buffer;
use arrow::datatypes::DataType;

use crate::error::Result;

/// `values` with every NULL replaced by `constant` (one non-NULL value), as `data_type`; `None`
/// when the shortcut does not apply (another type, a NULL constant, types that differ), so the
/// caller takes the general path.
pub(crate) fn fill_nulls(
    values: &ArrayRef,
    constant: &ArrayRef,
    data_type: &DataType,
) -> Result<Option<ArrayRef>> {
    let fits = values.data_type() == data_type
        && constant.data_type() == data_type
        && constant.len() == 1
        && constant.null_count() == 0;
    let Some(width) = data_type.primitive_width().filter(|_| fits) else {
        return Ok(None);
    };
    let Some(nulls) = values.nulls().filter(|n| n.null_count() > 0) else {
        return Ok(Some(values.clone()));
    };
    let (data, fill) = (values.to_data(), constant.to_data());
    let fill = &fill.buffers()[0].as_slice()[fill.offset() * width..][..width];
    let start = data.offset() * width;
    let mut bytes = data.buffers()[0].as_slice()[start..start + values.len() * width].to_vec();
    for (slot, valid) in bytes.chunks_exact_mut(width).zip(nulls.iter()) {
        if !valid {
            slot.copy_from_slice(fill);
        }
    }
    let filled = ArrayData::builder(data_type.clone())
        .len(values.len())
        .add_buffer(Buffer::from_vec(bytes))
        .build()?;
    Ok(Some(make_array(filled)))
}
