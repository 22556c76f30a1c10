//! The right columns of the join output: each column's values at its picked rows.
//!
//! Fixed-width columns without NULLs (the usual right side: scores, counts, timestamps) are
//! gathered here by value width: a plain indexed copy, with the picks' validity shared as the
//! output's. In the page this loop runs at the kernels' optimisation level instead of Arrow's
//! size-optimised `take`. Every other column goes through `take`.

use arrow::array::{Array, ArrayData, ArrayRef, UInt32Array, make_array};
use arrow::buffer::{Buffer, ScalarBuffer};
use arrow::compute::take;
use arrow::datatypes::ArrowNativeType;

use crate::error::Result;

/// `arr` at the rows `idx` (a NULL index gives NULL; its slot holds a valid row or 0).
pub(super) fn gather(arr: &ArrayRef, idx: &UInt32Array) -> Result<ArrayRef> {
    let dt = arr.data_type();
    // An empty column has no row 0 for the NULL slots to read.
    let plain = dt.is_primitive() && arr.null_count() == 0 && !arr.is_empty();
    match dt.primitive_width() {
        Some(8) if plain => by_width::<u64>(&arr.to_data(), idx),
        Some(4) if plain => by_width::<u32>(&arr.to_data(), idx),
        _ => Ok(take(arr.as_ref(), idx, None)?),
    }
}

/// The gather of a primitive column without NULLs whose values are `T`-sized.
fn by_width<T: ArrowNativeType>(data: &ArrayData, idx: &UInt32Array) -> Result<ArrayRef> {
    // A primitive array's buffer is aligned for its type (checked when it was built).
    let values = ScalarBuffer::<T>::new(data.buffers()[0].clone(), data.offset(), data.len());
    let out: Vec<T> = idx.values().iter().map(|&r| values[r as usize]).collect();
    let out = ArrayData::builder(data.data_type().clone())
        .len(idx.len())
        .add_buffer(Buffer::from_vec(out))
        .nulls(idx.nulls().cloned())
        .build()?;
    Ok(make_array(out))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow::array::{Float64Array, Int8Array, Int32Array, TimestampMicrosecondArray};

    use super::*;

    #[test]
    fn gathers_like_take_with_null_picks() {
        let idx = UInt32Array::from(vec![Some(2), None, Some(0), Some(2)]);
        let cols: Vec<ArrayRef> = vec![
            Arc::new(Float64Array::from(vec![1.5, -0.0, f64::NAN])),
            Arc::new(Int32Array::from(vec![7, 8, 9])),
            Arc::new(TimestampMicrosecondArray::from(vec![1, 2, 3]).with_timezone("UTC")),
            // Sliced, with NULLs, and a width gathered by `take`.
            Arc::new(Int32Array::from(vec![0, 1, 2, 3, 4]).slice(2, 3)),
            Arc::new(Int32Array::from(vec![Some(1), None, Some(3)])),
            Arc::new(Int8Array::from(vec![4, 5, 6])),
        ];
        for col in &cols {
            let got = gather(col, &idx).unwrap();
            assert_eq!(
                got.to_data(),
                take(col.as_ref(), &idx, None).unwrap().to_data()
            );
        }
        let empty: ArrayRef = Arc::new(Int32Array::from(Vec::<i32>::new()));
        let none = UInt32Array::from(vec![None, None]);
        assert_eq!(gather(&empty, &none).unwrap().null_count(), 2);
    }
}
