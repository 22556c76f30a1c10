//! percentile / median / percentile_cont (interpolated), percentile_disc and
//! percentile_approx (an element of the input). Values are kept per group and sorted once.
//!
//! `percentile_approx` is computed exactly: Spark's sketch with its default accuracy (10000)
//! is exact for groups of up to 10000 values, and its error bound allows the exact answer
//! above that.

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, AsArray, Float64Array, GenericListArray};
use arrow::buffer::OffsetBuffer;
use arrow::datatypes::{
    DataType, Date32Type, DurationMicrosecondType, Field, Float64Type, Int64Type,
    TimestampMicrosecondType,
};

use super::{Accumulator, Stored, grow, validity};
use crate::error::{ErrorClass, QueryError, Result};
use crate::plan::aggregate::{AggFunc, AggregateCall};

#[derive(Clone, Copy)]
struct Entry {
    key: f64,
    freq: i64,
    at: (u32, u32),
}

pub(crate) struct Percentiles {
    func: AggFunc,
    reverse: bool,
    percentages: Option<Vec<f64>>,
    array_result: bool,
    groups: Vec<Vec<Entry>>,
    stored: Stored,
    input: DataType,
    result: DataType,
}

/// Values as doubles for ordering (dates and timestamps by their integer value).
fn as_f64(a: &ArrayRef) -> Result<Float64Array> {
    Ok(match a.data_type() {
        DataType::Float64 => a.as_primitive::<Float64Type>().clone(),
        DataType::Date32 => a.as_primitive::<Date32Type>().unary(|v| v as f64),
        DataType::Timestamp(..) => a
            .as_primitive::<TimestampMicrosecondType>()
            .unary(|v| v as f64),
        DataType::Duration(..) => a
            .as_primitive::<DurationMicrosecondType>()
            .unary(|v| v as f64),
        _ => arrow::compute::cast(a, &DataType::Float64)?
            .as_primitive::<Float64Type>()
            .clone(),
    })
}

impl Percentiles {
    pub fn new(call: &AggregateCall, input: &DataType, result: &DataType) -> Result<Percentiles> {
        let array_result = matches!(result, DataType::List(_));
        Ok(Percentiles {
            func: call.func,
            reverse: call.reverse,
            percentages: None,
            array_result,
            groups: Vec::new(),
            stored: Stored::default(),
            input: input.clone(),
            result: result.clone(),
        })
    }

    fn read_percentages(&mut self, p: &ArrayRef) -> Result<()> {
        if self.percentages.is_some() || p.is_empty() {
            return Ok(());
        }
        let values: Vec<f64> = match p.data_type() {
            DataType::List(_) => {
                let list = p.as_list::<i32>();
                let inner = list.value(0);
                let inner = as_f64(&inner)?;
                inner.iter().map(|v| v.unwrap_or(f64::NAN)).collect()
            }
            _ => {
                let f = as_f64(p)?;
                vec![if f.is_valid(0) { f.value(0) } else { f64::NAN }]
            }
        };
        if let Some(bad) = values.iter().find(|v| !(0.0..=1.0).contains(*v)) {
            return Err(QueryError::execution(
                ErrorClass::DatatypeMismatchValueOutOfRange,
                format!("The percentage must be between 0.0 and 1.0, but got {bad}."),
            ));
        }
        self.percentages = Some(values);
        Ok(())
    }

    /// The value (or interpolation) at percentage `p` of a sorted group.
    fn pick(&self, entries: &[Entry], total: i64, p: f64) -> Pick {
        let at = |pos: i64| -> &Entry {
            let mut seen = 0;
            for e in entries {
                seen += e.freq;
                if seen > pos {
                    return e;
                }
            }
            entries.last().expect("non-empty group")
        };
        match self.func {
            AggFunc::Percentile => {
                let position = (total - 1) as f64 * p;
                let (lo, hi) = (position.floor(), position.ceil());
                let (a, b) = (at(lo as i64).key, at(hi as i64).key);
                if lo == hi {
                    Pick::Value(a)
                } else {
                    Pick::Value((hi - position) * a + (position - lo) * b)
                }
            }
            _ => {
                let k = ((p * total as f64).ceil() as i64).max(1);
                let e = at(k - 1);
                if self.func == AggFunc::PercentileApprox {
                    Pick::Element(e.at)
                } else {
                    Pick::Value(e.key)
                }
            }
        }
    }
}

enum Pick {
    Value(f64),
    Element((u32, u32)),
}

impl Accumulator for Percentiles {
    fn update(&mut self, args: &[ArrayRef], groups: &[u32], num_groups: usize) -> Result<()> {
        grow(&mut self.groups, num_groups, Vec::new());
        if let Some(p) = args.get(1) {
            self.read_percentages(p)?;
        }
        let keys = as_f64(&args[0])?;
        let freq = match args.get(2) {
            Some(f) if self.func == AggFunc::Percentile => {
                Some(arrow::compute::cast(f, &DataType::Int64)?)
            }
            _ => None,
        };
        let freq = freq.as_ref().map(|f| f.as_primitive::<Int64Type>().clone());
        let id = self.stored.push(&args[0]);
        for (i, &g) in groups.iter().enumerate() {
            if keys.is_null(i) {
                continue;
            }
            let f = match &freq {
                Some(f) if f.is_null(i) => continue,
                Some(f) if f.value(i) < 0 => {
                    return Err(QueryError::execution(
                        ErrorClass::InvalidParameterValue,
                        "percentile frequencies must not be negative",
                    ));
                }
                Some(f) => f.value(i),
                None => 1,
            };
            self.groups[g as usize].push(Entry {
                key: keys.value(i),
                freq: f,
                at: (id, i as u32),
            });
        }
        Ok(())
    }

    fn finish(&mut self, n: usize) -> Result<ArrayRef> {
        grow(&mut self.groups, n, Vec::new());
        let percentages = self.percentages.clone().unwrap_or_else(|| vec![0.5]);
        let mut values: Vec<Option<f64>> = Vec::new();
        let mut elements: Vec<Option<(u32, u32)>> = Vec::new();
        let mut has = Vec::with_capacity(n);
        for g in 0..n {
            let mut entries = std::mem::take(&mut self.groups[g]);
            entries.sort_by(|a, b| {
                if self.reverse {
                    b.key.total_cmp(&a.key)
                } else {
                    a.key.total_cmp(&b.key)
                }
            });
            let total: i64 = entries.iter().map(|e| e.freq).sum();
            has.push(total > 0);
            for &p in &percentages {
                if total == 0 {
                    values.push(None);
                    elements.push(None);
                    continue;
                }
                match self.pick(&entries, total, p) {
                    Pick::Value(v) => values.push(Some(v)),
                    Pick::Element(at) => elements.push(Some(at)),
                }
            }
        }
        let flat: ArrayRef = if self.func == AggFunc::PercentileApprox {
            self.stored.gather(&self.input, &elements)?
        } else {
            Arc::new(Float64Array::from(values))
        };
        if !self.array_result {
            return Ok(flat);
        }
        let DataType::List(field) = &self.result else {
            return Err(QueryError::Internal(
                "percentile array result without a list type".into(),
            ));
        };
        let per = percentages.len();
        let offsets = OffsetBuffer::from_lengths(has.iter().map(|h| if *h { per } else { 0 }));
        // Groups without values contribute no elements.
        let keep: Vec<u32> = (0..n)
            .filter(|g| has[*g])
            .flat_map(|g| (g * per..(g + 1) * per).map(|i| i as u32))
            .collect();
        let flat =
            arrow::compute::take(flat.as_ref(), &arrow::array::UInt32Array::from(keep), None)?;
        let field = Arc::new(Field::new(field.name(), flat.data_type().clone(), true));
        Ok(Arc::new(GenericListArray::<i32>::new(
            field,
            offsets,
            flat,
            validity(&has),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::expr::{ExprKind, TypedExpr};
    use crate::types::SparkType;

    fn call(func: AggFunc, result: SparkType) -> AggregateCall {
        AggregateCall {
            func,
            args: vec![TypedExpr::new(ExprKind::Column(0), SparkType::Double)],
            distinct: false,
            filter: None,
            ignore_nulls: false,
            reverse: false,
            data_type: result,
        }
    }

    fn run(func: AggFunc, input: ArrayRef, p: f64) -> ArrayRef {
        let t = input.data_type().clone();
        let result = if func == AggFunc::PercentileApprox {
            SparkType::from_arrow(&t).unwrap()
        } else {
            SparkType::Double
        };
        let mut acc =
            Percentiles::new(&call(func, result.clone()), &t, &result.to_arrow()).unwrap();
        let n = input.len();
        let ps: ArrayRef = Arc::new(Float64Array::from(vec![p; n]));
        acc.update(&[input, ps], &vec![0; n], 1).unwrap();
        acc.finish(1).unwrap()
    }

    #[test]
    fn test_percentile_interpolates_and_disc_picks() {
        let v: ArrayRef = Arc::new(Float64Array::from(vec![4.0, 1.0, 3.0, 2.0]));
        assert_eq!(
            run(AggFunc::Percentile, v.clone(), 0.5)
                .as_primitive::<Float64Type>()
                .value(0),
            2.5
        );
        assert_eq!(
            run(AggFunc::Percentile, v.clone(), 0.25)
                .as_primitive::<Float64Type>()
                .value(0),
            1.75
        );
        assert_eq!(
            run(AggFunc::PercentileDisc, v.clone(), 0.5)
                .as_primitive::<Float64Type>()
                .value(0),
            2.0
        );
        let ints: ArrayRef = Arc::new(arrow::array::Int32Array::from(vec![1, 2, 3, 4]));
        let approx = run(AggFunc::PercentileApprox, ints, 0.25);
        assert_eq!(
            approx
                .as_primitive::<arrow::datatypes::Int32Type>()
                .value(0),
            1
        );
    }
}
