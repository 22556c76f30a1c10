//! Filling a column's NULLs with one constant: `coalesce(x, 0)`, the form the SQL spelling of
//! Tempo's EMA uses on every lag. The general COALESCE evaluates each argument on the rows still
//! missing and gathers from every source; for a fixed-width column and a constant that is one
//! copy of the values with the constant's bytes written into the NULL slots, whatever the type
//! (integers, floats, dates, timestamps, decimals), so no per-type code is linked. A literal
//! spread over a batch (`0.2D * x`) is the same byte copy with every slot the constant.

use arrow::array::{Array, ArrayData, ArrayRef, make_array};
use arrow::buffer::MutableBuffer;
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
    // An arrow buffer, not a Vec<u8>: it is aligned for any width (an empty Vec's dangling
    // pointer, or a 16-byte decimal in wasm's allocator, would not be).
    let mut bytes = MutableBuffer::new(values.len() * width);
    bytes.extend_from_slice(&data.buffers()[0].as_slice()[start..start + values.len() * width]);
    for (slot, valid) in bytes.chunks_exact_mut(width).zip(nulls.iter()) {
        if !valid {
            slot.copy_from_slice(fill);
        }
    }
    let filled = ArrayData::builder(data_type.clone())
        .len(values.len())
        .add_buffer(bytes.into())
        .build()?;
    Ok(Some(make_array(filled)))
}

/// `constant` (one non-NULL value of a fixed-width type) repeated `n` times; `None` for other
/// types or a NULL, so the caller takes the general path. No index array is built: the value's
/// bytes are doubled into place.
pub(crate) fn repeat_fixed(constant: &ArrayRef, n: usize) -> Result<Option<ArrayRef>> {
    let data_type = constant.data_type();
    let Some(width) = data_type
        .primitive_width()
        .filter(|_| constant.len() == 1 && constant.null_count() == 0)
    else {
        return Ok(None);
    };
    let data = constant.to_data();
    let value = &data.buffers()[0].as_slice()[data.offset() * width..][..width];
    let total = n * width;
    let mut bytes = MutableBuffer::from_len_zeroed(total);
    let mut filled = width.min(total);
    bytes[..filled].copy_from_slice(&value[..filled]);
    while filled < total {
        let more = filled.min(total - filled);
        bytes.copy_within(..more, filled);
        filled += more;
    }
    let repeated = ArrayData::builder(data_type.clone())
        .len(n)
        .add_buffer(bytes.into())
        .build()?;
    Ok(Some(make_array(repeated)))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow::array::{AsArray, Float64Array, Int32Array, StringArray};
    use arrow::datatypes::{Float64Type, Int32Type};
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// Filling equals the row-by-row COALESCE, on sliced inputs too (an offset into the
        /// buffer), with NaN and `-0.0` kept bit for bit.
        #[test]
        fn prop_fill_equals_coalesce_row_by_row(
            values in prop::collection::vec(
                prop::option::of(prop::sample::select(vec![1.5, -0.0, f64::NAN, 7.0])), 0..50),
            skip in 0usize..3,
            constant in prop::sample::select(vec![0.0, -0.0, f64::NAN, 2.5]),
        ) {
            let all: ArrayRef = Arc::new(Float64Array::from(values.clone()));
            let skip = skip.min(values.len());
            let sliced = all.slice(skip, values.len() - skip);
            let fill: ArrayRef = Arc::new(Float64Array::from(vec![constant]));
            let out = fill_nulls(&sliced, &fill, &DataType::Float64).unwrap().unwrap();
            prop_assert_eq!(out.null_count(), 0);
            let got: Vec<u64> = out.as_primitive::<Float64Type>().values().iter().map(|v| v.to_bits()).collect();
            let want: Vec<u64> = values[skip..].iter().map(|v| v.unwrap_or(constant).to_bits()).collect();
            prop_assert_eq!(got, want);
        }
    }

    #[test]
    fn test_repeat_fixed_copies_the_value_bits_and_leaves_other_types_to_take() {
        let all: ArrayRef = Arc::new(Float64Array::from(vec![1.0, -0.0, 3.0]));
        let sliced = all.slice(1, 1);
        let out = repeat_fixed(&sliced, 3).unwrap().unwrap();
        let bits: Vec<u64> = out
            .as_primitive::<Float64Type>()
            .values()
            .iter()
            .map(|v| v.to_bits())
            .collect();
        assert_eq!(bits, vec![(-0.0f64).to_bits(); 3]);
        assert_eq!(out.null_count(), 0);
        let empty = repeat_fixed(&(Arc::new(Int32Array::from(vec![7])) as ArrayRef), 0)
            .unwrap()
            .unwrap();
        assert_eq!(empty.len(), 0);
        let null: ArrayRef = Arc::new(Int32Array::from(vec![None::<i32>]));
        assert!(repeat_fixed(&null, 2).unwrap().is_none());
        let text: ArrayRef = Arc::new(StringArray::from(vec!["a"]));
        assert!(repeat_fixed(&text, 2).unwrap().is_none());
    }

    #[test]
    fn test_other_types_and_null_constants_take_the_general_path() {
        let ints: ArrayRef = Arc::new(Int32Array::from(vec![Some(1), None]));
        let strings: ArrayRef = Arc::new(StringArray::from(vec![Some("a"), None]));
        let int_fill: ArrayRef = Arc::new(Int32Array::from(vec![9]));
        let null_fill: ArrayRef = Arc::new(Int32Array::from(vec![None::<i32>]));
        let string_fill: ArrayRef = Arc::new(StringArray::from(vec!["b"]));
        let filled = fill_nulls(&ints, &int_fill, &DataType::Int32)
            .unwrap()
            .unwrap();
        assert_eq!(
            filled.as_primitive::<Int32Type>().values().to_vec(),
            vec![1, 9]
        );
        assert!(
            fill_nulls(&ints, &null_fill, &DataType::Int32)
                .unwrap()
                .is_none()
        );
        assert!(
            fill_nulls(&ints, &int_fill, &DataType::Int64)
                .unwrap()
                .is_none()
        );
        assert!(
            fill_nulls(&strings, &string_fill, &DataType::Utf8)
                .unwrap()
                .is_none()
        );
    }
}
