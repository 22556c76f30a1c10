//! One metric column as the window pass reads it: each value as a double and, for integer
//! columns, exactly (for bigint `sum_`). The usual column types are read straight from their
//! Arrow values; only the rarer ones are cast into owned copies first.

use crate::convert::cast;
use arrow::array::{Array, ArrayRef, AsArray, Int64Array};
use arrow::datatypes::{DataType, Float32Type, Float64Type, Int32Type, Int64Type};

use crate::error::Result;
use crate::values::F64Column;

/// Values of a metric by input row (slots of NULLs hold arbitrary numbers).
pub(crate) trait Values {
    /// Whether the column is an integer one (exact integer sums, bigint `sum_`).
    const INTEGER: bool;

    /// The value as a double (Spark's cast to double).
    fn x(&self, row: usize) -> f64;

    /// The exact value of an integer column (0 for floating-point ones).
    fn xi(&self, row: usize) -> i64;
}

impl Values for [f64] {
    const INTEGER: bool = false;

    #[inline]
    fn x(&self, row: usize) -> f64 {
        self[row]
    }

    #[inline]
    fn xi(&self, _row: usize) -> i64 {
        0
    }
}

impl Values for [f32] {
    const INTEGER: bool = false;

    #[inline]
    fn x(&self, row: usize) -> f64 {
        f64::from(self[row])
    }

    #[inline]
    fn xi(&self, _row: usize) -> i64 {
        0
    }
}

impl Values for [i32] {
    const INTEGER: bool = true;

    #[inline]
    fn x(&self, row: usize) -> f64 {
        f64::from(self[row])
    }

    #[inline]
    fn xi(&self, row: usize) -> i64 {
        i64::from(self[row])
    }
}

impl Values for [i64] {
    const INTEGER: bool = true;

    #[inline]
    fn x(&self, row: usize) -> f64 {
        self[row] as f64
    }

    #[inline]
    fn xi(&self, row: usize) -> i64 {
        self[row]
    }
}

/// A floating-point column of another type (half floats, decimals), cast to doubles.
pub(crate) struct CastFloats(F64Column);

impl Values for CastFloats {
    const INTEGER: bool = false;

    #[inline]
    fn x(&self, row: usize) -> f64 {
        self.0.values()[row]
    }

    #[inline]
    fn xi(&self, _row: usize) -> i64 {
        0
    }
}

/// An integer column of another type (8/16-bit, unsigned), cast to doubles and to bigint
/// (NULL slots hold 0).
pub(crate) struct CastInts {
    xs: F64Column,
    ints: Int64Array,
}

impl Values for CastInts {
    const INTEGER: bool = true;

    #[inline]
    fn x(&self, row: usize) -> f64 {
        self.xs.values()[row]
    }

    #[inline]
    fn xi(&self, row: usize) -> i64 {
        self.ints.values()[row]
    }
}

/// A metric column, read directly or through a cast.
pub(crate) enum Metric<'a> {
    F64(&'a [f64]),
    F32(&'a [f32]),
    I32(&'a [i32]),
    I64(&'a [i64]),
    CastFloats(CastFloats),
    CastInts(CastInts),
}

impl<'a> Metric<'a> {
    /// The values of the numeric column `col`.
    pub(crate) fn new(col: &'a ArrayRef) -> Result<Self> {
        Ok(match col.data_type() {
            DataType::Float64 => Metric::F64(col.as_primitive::<Float64Type>().values()),
            DataType::Float32 => Metric::F32(col.as_primitive::<Float32Type>().values()),
            DataType::Int32 => Metric::I32(col.as_primitive::<Int32Type>().values()),
            DataType::Int64 => Metric::I64(col.as_primitive::<Int64Type>().values()),
            dt if dt.is_integer() => {
                let ints = cast(col, &DataType::Int64)?
                    .as_primitive::<Int64Type>()
                    .clone();
                Metric::CastInts(CastInts {
                    xs: F64Column::new(col)?,
                    ints,
                })
            }
            _ => Metric::CastFloats(CastFloats(F64Column::new(col)?)),
        })
    }
}

/// The validity of a metric column, `None` when it has no NULLs.
pub(crate) fn metric_nulls(col: &ArrayRef) -> Option<arrow::buffer::NullBuffer> {
    col.logical_nulls().filter(|n| n.null_count() > 0)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow::array::{Int8Array, UInt64Array};

    use super::*;

    #[test]
    fn narrow_and_unsigned_integers_are_read_exactly() {
        let col: ArrayRef = Arc::new(Int8Array::from(vec![Some(-3), None, Some(7)]));
        let Metric::CastInts(v) = Metric::new(&col).unwrap() else {
            panic!("an int8 column is cast to bigint");
        };
        assert_eq!((v.x(0), v.xi(0), v.xi(1), v.xi(2)), (-3.0, -3, 0, 7));
        let big: ArrayRef = Arc::new(UInt64Array::from(vec![1u64 << 40]));
        let Metric::CastInts(v) = Metric::new(&big).unwrap() else {
            panic!("a uint64 column is cast to bigint");
        };
        assert_eq!(v.xi(0), 1 << 40);
        assert!(metric_nulls(&col).is_some() && metric_nulls(&big).is_none());
    }
}
