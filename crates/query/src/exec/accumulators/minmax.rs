//! min / max. Floats compare in total order, so NaN is the largest value (Spark's rule);
//! strings compare byte-wise; other types through arrow's sortable row format.

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, ArrowNativeTypeOp, AsArray, PrimitiveArray, StringArray};
use arrow::datatypes::{
    ArrowPrimitiveType, DataType, Date32Type, Decimal128Type, DurationMicrosecondType, Float32Type,
    Float64Type, Int8Type, Int16Type, Int32Type, Int64Type, TimeUnit, TimestampMicrosecondType,
};
use arrow::row::{RowConverter, SortField};

use super::{Accumulator, Best, Stored, grow, validity};
use crate::error::Result;

/// The min or max accumulator for values of type `t`.
pub(crate) fn create(t: &DataType, is_max: bool) -> Result<Box<dyn Accumulator>> {
    fn p<T: ArrowPrimitiveType>(t: &DataType, is_max: bool) -> Box<dyn Accumulator> {
        Box::new(Primitive::<T> {
            best: Vec::new(),
            has: Vec::new(),
            is_max,
            data_type: t.clone(),
        })
    }
    Ok(match t {
        DataType::Int8 => p::<Int8Type>(t, is_max),
        DataType::Int16 => p::<Int16Type>(t, is_max),
        DataType::Int32 => p::<Int32Type>(t, is_max),
        DataType::Int64 => p::<Int64Type>(t, is_max),
        DataType::Float32 => p::<Float32Type>(t, is_max),
        DataType::Float64 => p::<Float64Type>(t, is_max),
        DataType::Date32 => p::<Date32Type>(t, is_max),
        DataType::Timestamp(TimeUnit::Microsecond, _) => p::<TimestampMicrosecondType>(t, is_max),
        DataType::Duration(TimeUnit::Microsecond) => p::<DurationMicrosecondType>(t, is_max),
        DataType::Decimal128(..) => p::<Decimal128Type>(t, is_max),
        DataType::Utf8 => Box::new(Strings {
            best: Vec::new(),
            is_max,
        }),
        other => Box::new(Generic::new(other.clone(), is_max)?),
    })
}

struct Primitive<T: ArrowPrimitiveType> {
    best: Vec<T::Native>,
    has: Vec<bool>,
    is_max: bool,
    data_type: DataType,
}

impl<T: ArrowPrimitiveType> Accumulator for Primitive<T> {
    fn update(&mut self, args: &[ArrayRef], groups: &[u32], num_groups: usize) -> Result<()> {
        grow(&mut self.best, num_groups, T::Native::default());
        grow(&mut self.has, num_groups, false);
        let a = args[0].as_primitive::<T>();
        let values = a.values();
        let nulls = a.nulls();
        let is_max = self.is_max;
        for (i, &g) in groups.iter().enumerate() {
            if nulls.is_some_and(|n| n.is_null(i)) {
                continue;
            }
            let g = g as usize;
            let v = values[i];
            let better = !self.has[g]
                || if is_max {
                    v.is_gt(self.best[g])
                } else {
                    v.is_lt(self.best[g])
                };
            if better {
                self.best[g] = v;
                self.has[g] = true;
            }
        }
        Ok(())
    }

    fn finish(&mut self, n: usize) -> Result<ArrayRef> {
        grow(&mut self.best, n, T::Native::default());
        grow(&mut self.has, n, false);
        let array =
            PrimitiveArray::<T>::new(self.best[..n].to_vec().into(), validity(&self.has[..n]))
                .with_data_type(self.data_type.clone());
        Ok(Arc::new(array))
    }
}

struct Strings {
    best: Vec<Option<String>>,
    is_max: bool,
}

impl Accumulator for Strings {
    fn update(&mut self, args: &[ArrayRef], groups: &[u32], num_groups: usize) -> Result<()> {
        grow(&mut self.best, num_groups, None);
        let a = args[0].as_string::<i32>();
        for (i, &g) in groups.iter().enumerate() {
            if a.is_null(i) {
                continue;
            }
            let v = a.value(i);
            let slot = &mut self.best[g as usize];
            let better = match slot {
                None => true,
                Some(b) if self.is_max => v.as_bytes() > b.as_bytes(),
                Some(b) => v.as_bytes() < b.as_bytes(),
            };
            if better {
                *slot = Some(v.to_string());
            }
        }
        Ok(())
    }

    fn finish(&mut self, n: usize) -> Result<ArrayRef> {
        grow(&mut self.best, n, None);
        Ok(Arc::new(StringArray::from(self.best[..n].to_vec())))
    }
}

/// Any other type: compare in arrow's row format, keep a reference to the winning value.
struct Generic {
    converter: RowConverter,
    best: Vec<Option<Best>>,
    stored: Stored,
    is_max: bool,
    data_type: DataType,
}

impl Generic {
    fn new(data_type: DataType, is_max: bool) -> Result<Generic> {
        Ok(Generic {
            converter: RowConverter::new(vec![SortField::new(data_type.clone())])?,
            best: Vec::new(),
            stored: Stored::default(),
            is_max,
            data_type,
        })
    }
}

impl Accumulator for Generic {
    fn update(&mut self, args: &[ArrayRef], groups: &[u32], num_groups: usize) -> Result<()> {
        grow(&mut self.best, num_groups, None);
        let a = &args[0];
        let rows = self.converter.convert_columns(std::slice::from_ref(a))?;
        let id = self.stored.push(a);
        for (i, &g) in groups.iter().enumerate() {
            if a.is_null(i) {
                continue;
            }
            let key = rows.row(i);
            let slot = &mut self.best[g as usize];
            let better = match slot {
                None => true,
                Some((b, _)) if self.is_max => key.as_ref() > b.as_slice(),
                Some((b, _)) => key.as_ref() < b.as_slice(),
            };
            if better {
                *slot = Some((key.as_ref().to_vec(), (id, i as u32)));
            }
        }
        Ok(())
    }

    fn finish(&mut self, n: usize) -> Result<ArrayRef> {
        grow(&mut self.best, n, None);
        let refs: Vec<Option<(u32, u32)>> = self.best[..n]
            .iter()
            .map(|b| b.as_ref().map(|(_, r)| *r))
            .collect();
        self.stored.gather(&self.data_type, &refs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow::array::Float64Array;

    #[test]
    fn test_max_prefers_nan_min_ignores_null() {
        let v: ArrayRef = Arc::new(Float64Array::from(vec![
            Some(1.0),
            Some(f64::NAN),
            None,
            Some(-2.0),
        ]));
        let mut max = create(&DataType::Float64, true).unwrap();
        max.update(std::slice::from_ref(&v), &[0, 0, 0, 0], 1)
            .unwrap();
        assert!(
            max.finish(1)
                .unwrap()
                .as_primitive::<Float64Type>()
                .value(0)
                .is_nan()
        );
        let mut min = create(&DataType::Float64, false).unwrap();
        min.update(&[v], &[0, 0, 0, 0], 1).unwrap();
        assert_eq!(
            min.finish(1)
                .unwrap()
                .as_primitive::<Float64Type>()
                .value(0),
            -2.0
        );
    }

    #[test]
    fn test_string_min_is_bytewise() {
        let v: ArrayRef = Arc::new(StringArray::from(vec!["aero-s", "EcoFlow", "Aero_Pro"]));
        let mut min = create(&DataType::Utf8, false).unwrap();
        min.update(&[v], &[0, 0, 0], 1).unwrap();
        assert_eq!(
            min.finish(1).unwrap().as_string::<i32>().value(0),
            "Aero_Pro"
        );
    }
}
