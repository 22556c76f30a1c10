//! Row-wise choice between two arrays, as arrow's `zip` makes it.
//!
//! arrow's `zip` reaches its `interleave` for long, fragmented masks: one generic function of
//! about 220 KB in the engine's wasm. `concat` and `take`, which every engine crate links
//! anyway, make the same choice: put both arrays end to end, then take row `i` of the first
//! or of the second.

use arrow::array::{Array, ArrayRef, BooleanArray, UInt32Array};
use arrow::compute::{concat, take};
use arrow::error::ArrowError;

/// Row `i` is `truthy[i]` where `mask[i]` is true, else `falsy[i]` (a NULL mask row picks
/// `falsy`, as `zip` does). The three have one length, the two arrays one type.
///
/// # Examples
/// ```
/// use arrow::array::{Array, BooleanArray, Int32Array};
/// let mask = BooleanArray::from(vec![Some(true), Some(false), None]);
/// let picked = tsdf::select(&mask, &Int32Array::from(vec![1, 2, 3]), &Int32Array::from(vec![10, 20, 30])).unwrap();
/// let picked = picked.as_any().downcast_ref::<Int32Array>().unwrap();
/// assert_eq!(picked.values().to_vec(), vec![1, 20, 30]);
/// ```
pub fn select(
    mask: &BooleanArray,
    truthy: &dyn Array,
    falsy: &dyn Array,
) -> Result<ArrayRef, ArrowError> {
    let len = mask.len();
    if truthy.len() != len || falsy.len() != len {
        return Err(ArrowError::InvalidArgumentError(format!(
            "select: a mask of {len} rows with arrays of {} and {} rows",
            truthy.len(),
            falsy.len()
        )));
    }
    let rows = u32::try_from(2 * len).map_err(|_| {
        ArrowError::InvalidArgumentError(format!("select: {len} rows exceed a u32 index"))
    })?;
    let second = rows / 2;
    let indices: UInt32Array = (0..second)
        .map(|i| {
            if mask.is_valid(i as usize) && mask.value(i as usize) {
                i
            } else {
                second + i
            }
        })
        .collect();
    take(concat(&[truthy, falsy])?.as_ref(), &indices, None)
}

#[cfg(test)]
mod tests {
    use arrow::array::{Int64Array, StringArray};
    use arrow::compute::kernels::zip::zip;
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// The same rows as arrow's `zip` for any mask and null pattern.
        #[test]
        fn test_select_equals_zip(
            rows in proptest::collection::vec(
                (proptest::option::of(any::<bool>()), proptest::option::of(any::<i64>()), proptest::option::of("[a-z]{0,3}")),
                0..1500,
            )
        ) {
            let mask: BooleanArray = rows.iter().map(|r| r.0).collect();
            let ints: Int64Array = rows.iter().map(|r| r.1).collect();
            let other: Int64Array = rows.iter().map(|r| r.1.map(|v| v.wrapping_mul(3))).collect();
            prop_assert_eq!(select(&mask, &ints, &other).unwrap().to_data(), zip(&mask, &ints, &other).unwrap().to_data());
            let texts: StringArray = rows.iter().map(|r| r.2.clone()).collect();
            let empty: StringArray = rows.iter().map(|_| Some("")).collect();
            prop_assert_eq!(select(&mask, &texts, &empty).unwrap().to_data(), zip(&mask, &texts, &empty).unwrap().to_data());
        }
    }

    #[test]
    fn test_select_refuses_unequal_lengths() {
        let mask = BooleanArray::from(vec![true, false]);
        let err = select(
            &mask,
            &Int64Array::from(vec![1]),
            &Int64Array::from(vec![1, 2]),
        )
        .unwrap_err();
        assert!(err.to_string().contains("2 rows"), "{err}");
    }
}
