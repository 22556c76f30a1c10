//! count, count_if, sum, avg, bool_and / bool_or.

use std::sync::Arc;

use arrow::array::{
    Array, ArrayRef, AsArray, BooleanArray, Decimal128Array, DurationMicrosecondArray,
    Float64Array, Int64Array, IntervalYearMonthArray,
};
use arrow::datatypes::{
    DataType, Decimal128Type, DurationMicrosecondType, Float64Type, Int64Type,
    IntervalYearMonthType, TimeUnit,
};

use super::{Accumulator, grow, unexpected, validity};
use crate::error::{ErrorClass, QueryError, Result};

fn overflow(what: &str) -> QueryError {
    QueryError::execution(
        ErrorClass::ArithmeticOverflow,
        format!(
            "{what} overflow. Use 'try_sum' to tolerate overflow and return NULL instead. If necessary set \"spark.sql.ansi.enabled\" to \"false\" to bypass this error."
        ),
    )
}

/// `count(args...)`: rows where every argument is non-NULL (no arguments: every row);
/// `count_if(cond)`: rows where the condition is TRUE.
pub(crate) struct Count {
    counts: Vec<i64>,
    only_true: bool,
}

impl Count {
    pub fn new(only_true: bool) -> Count {
        Count {
            counts: Vec::new(),
            only_true,
        }
    }
}

impl Accumulator for Count {
    fn update(&mut self, args: &[ArrayRef], groups: &[u32], num_groups: usize) -> Result<()> {
        grow(&mut self.counts, num_groups, 0);
        if self.only_true {
            let b = args[0].as_boolean();
            for (i, &g) in groups.iter().enumerate() {
                if b.is_valid(i) && b.value(i) {
                    self.counts[g as usize] += 1;
                }
            }
            return Ok(());
        }
        // Logical nulls: an untyped NULL column has no validity buffer.
        let nulls: Vec<_> = args.iter().filter_map(|a| a.logical_nulls()).collect();
        if nulls.is_empty() {
            for &g in groups {
                self.counts[g as usize] += 1;
            }
        } else {
            for (i, &g) in groups.iter().enumerate() {
                if nulls.iter().all(|n| n.is_valid(i)) {
                    self.counts[g as usize] += 1;
                }
            }
        }
        Ok(())
    }

    fn finish(&mut self, num_groups: usize) -> Result<ArrayRef> {
        grow(&mut self.counts, num_groups, 0);
        Ok(Arc::new(Int64Array::from(
            self.counts[..num_groups].to_vec(),
        )))
    }
}

/// `bool_and` / `bool_or` over non-NULL values.
pub(crate) struct BoolAgg {
    state: Vec<Option<bool>>,
    and: bool,
}

impl BoolAgg {
    pub fn new(and: bool) -> BoolAgg {
        BoolAgg {
            state: Vec::new(),
            and,
        }
    }
}

impl Accumulator for BoolAgg {
    fn update(&mut self, args: &[ArrayRef], groups: &[u32], num_groups: usize) -> Result<()> {
        grow(&mut self.state, num_groups, None);
        let b = args[0].as_boolean();
        for (i, &g) in groups.iter().enumerate() {
            if b.is_valid(i) {
                let s = &mut self.state[g as usize];
                let v = b.value(i);
                *s = Some(match *s {
                    None => v,
                    Some(prev) if self.and => prev && v,
                    Some(prev) => prev || v,
                });
            }
        }
        Ok(())
    }

    fn finish(&mut self, num_groups: usize) -> Result<ArrayRef> {
        grow(&mut self.state, num_groups, None);
        Ok(Arc::new(BooleanArray::from(
            self.state[..num_groups].to_vec(),
        )))
    }
}

/// Sums of one physical type.
enum SumState {
    Long(Vec<i64>),
    Double(Vec<f64>),
    Decimal { sums: Vec<i128>, scale: i8 },
    Duration(Vec<i64>),
    YearMonth(Vec<i64>),
}

/// `sum(x)`, and the sum and count behind `avg(x)`.
pub(crate) struct Sum {
    state: SumState,
    has: Vec<bool>,
    counts: Vec<i64>,
    average: bool,
    result: DataType,
}

fn new_state(input: &DataType, result: &DataType) -> Result<SumState> {
    Ok(match input {
        DataType::Int64 => SumState::Long(Vec::new()),
        DataType::Float64 => SumState::Double(Vec::new()),
        DataType::Decimal128(..) => {
            let DataType::Decimal128(_, s) = result else {
                return Err(unexpected("sum", result));
            };
            SumState::Decimal {
                sums: Vec::new(),
                scale: *s,
            }
        }
        DataType::Duration(TimeUnit::Microsecond) => SumState::Duration(Vec::new()),
        DataType::Interval(arrow::datatypes::IntervalUnit::YearMonth) => {
            SumState::YearMonth(Vec::new())
        }
        other => return Err(unexpected("sum", other)),
    })
}

/// The accumulator for `sum` over values of `input`.
pub(crate) fn sum(input: &DataType, result: &DataType) -> Result<Box<dyn Accumulator>> {
    Ok(Box::new(Sum {
        state: new_state(input, result)?,
        has: Vec::new(),
        counts: Vec::new(),
        average: false,
        result: result.clone(),
    }))
}

/// The accumulator for `avg` over values of `input`.
pub(crate) fn avg(input: &DataType, result: &DataType) -> Result<Box<dyn Accumulator>> {
    // avg(decimal(p,s)) sums at the input scale; the division rescales to the result's.
    let sum_type = match (input, result) {
        (DataType::Decimal128(_, s), DataType::Decimal128(..)) => DataType::Decimal128(38, *s),
        _ => result.clone(),
    };
    Ok(Box::new(Sum {
        state: new_state(input, &sum_type)?,
        has: Vec::new(),
        counts: Vec::new(),
        average: true,
        result: result.clone(),
    }))
}

#[allow(clippy::too_many_arguments)]
/// Add `values` into `sums` by group, skipping NULLs, with `add` doing the checked addition.
fn add_by_group<T: Copy, S: Copy>(
    sums: &mut [S],
    has: &mut [bool],
    counts: &mut [i64],
    values: &[T],
    valid: Option<&arrow::buffer::NullBuffer>,
    groups: &[u32],
    add: impl Fn(S, T) -> Option<S>,
    what: &str,
) -> Result<()> {
    let values = &values[..groups.len()];
    match valid.filter(|v| v.null_count() > 0) {
        // No NULLs (a sensor column's avg in a resample): no per-row validity test, and a run of
        // rows of one group (sorted input) sums in a register, in the same order as row by row.
        None => {
            let mut i = 0;
            while i < groups.len() {
                let (g, start) = (groups[i], i);
                let mut sum = sums[g as usize];
                while i < groups.len() && groups[i] == g {
                    sum = add(sum, values[i]).ok_or_else(|| overflow(what))?;
                    i += 1;
                }
                let g = g as usize;
                sums[g] = sum;
                has[g] = true;
                counts[g] += (i - start) as i64;
            }
        }
        Some(valid) => {
            for ((&g, &v), ok) in groups.iter().zip(values).zip(valid.iter()) {
                if !ok {
                    continue;
                }
                let g = g as usize;
                sums[g] = add(sums[g], v).ok_or_else(|| overflow(what))?;
                has[g] = true;
                counts[g] += 1;
            }
        }
    }
    Ok(())
}

impl Accumulator for Sum {
    fn update(&mut self, args: &[ArrayRef], groups: &[u32], num_groups: usize) -> Result<()> {
        grow(&mut self.has, num_groups, false);
        grow(&mut self.counts, num_groups, 0);
        let a = &args[0];
        let nulls = a.nulls();
        match &mut self.state {
            SumState::Long(s) => {
                grow(s, num_groups, 0);
                let v = a.as_primitive::<Int64Type>();
                add_by_group(
                    s,
                    &mut self.has,
                    &mut self.counts,
                    v.values(),
                    nulls,
                    groups,
                    |x, y| x.checked_add(y),
                    "long",
                )?;
            }
            SumState::Double(s) => {
                grow(s, num_groups, 0.0);
                let v = a.as_primitive::<Float64Type>();
                add_by_group(
                    s,
                    &mut self.has,
                    &mut self.counts,
                    v.values(),
                    nulls,
                    groups,
                    |x, y| Some(x + y),
                    "double",
                )?;
            }
            SumState::Decimal { sums, .. } => {
                grow(sums, num_groups, 0);
                let v = a.as_primitive::<Decimal128Type>();
                add_by_group(
                    sums,
                    &mut self.has,
                    &mut self.counts,
                    v.values(),
                    nulls,
                    groups,
                    |x, y| x.checked_add(y),
                    "decimal",
                )?;
            }
            SumState::Duration(s) => {
                grow(s, num_groups, 0);
                let v = a.as_primitive::<DurationMicrosecondType>();
                add_by_group(
                    s,
                    &mut self.has,
                    &mut self.counts,
                    v.values(),
                    nulls,
                    groups,
                    |x, y| x.checked_add(y),
                    "interval",
                )?;
            }
            SumState::YearMonth(s) => {
                grow(s, num_groups, 0);
                let v = a.as_primitive::<IntervalYearMonthType>();
                add_by_group(
                    s,
                    &mut self.has,
                    &mut self.counts,
                    v.values(),
                    nulls,
                    groups,
                    |x, y: i32| x.checked_add(y as i64),
                    "interval",
                )?;
            }
        }
        Ok(())
    }

    fn finish(&mut self, n: usize) -> Result<ArrayRef> {
        grow(&mut self.has, n, false);
        grow(&mut self.counts, n, 0);
        let has = &self.has[..n];
        let counts = &self.counts[..n];
        let nulls = validity(has);
        Ok(match (&mut self.state, self.average) {
            (SumState::Long(s), false) => {
                grow(s, n, 0);
                Arc::new(Int64Array::new(s[..n].to_vec().into(), nulls))
            }
            (SumState::Double(s), false) => {
                grow(s, n, 0.0);
                Arc::new(Float64Array::new(s[..n].to_vec().into(), nulls))
            }
            (SumState::Double(s), true) => {
                grow(s, n, 0.0);
                let v: Vec<f64> = s[..n]
                    .iter()
                    .zip(counts)
                    .map(|(s, &c)| if c > 0 { s / c as f64 } else { 0.0 })
                    .collect();
                Arc::new(Float64Array::new(v.into(), nulls))
            }
            (SumState::Long(s), true) => {
                grow(s, n, 0);
                let v: Vec<f64> = s[..n]
                    .iter()
                    .zip(counts)
                    .map(|(&s, &c)| if c > 0 { s as f64 / c as f64 } else { 0.0 })
                    .collect();
                Arc::new(Float64Array::new(v.into(), nulls))
            }
            (SumState::Decimal { sums, scale, .. }, average) => {
                grow(sums, n, 0);
                let DataType::Decimal128(rp, rs) = self.result else {
                    return Err(unexpected("sum", &self.result));
                };
                let limit = 10i128.pow(rp as u32);
                let mut out = Vec::with_capacity(n);
                for (i, &s) in sums[..n].iter().enumerate() {
                    let v = if average && counts[i] > 0 {
                        divide_round_half_up(s, counts[i] as i128, (rs - *scale) as u32)
                            .ok_or_else(|| overflow("decimal"))?
                    } else {
                        s
                    };
                    if has[i] && v.abs() >= limit {
                        return Err(QueryError::execution(
                            ErrorClass::NumericValueOutOfRangeWithSuggestion,
                            format!("The sum does not fit decimal({rp}, {rs})."),
                        ));
                    }
                    out.push(v);
                }
                Arc::new(Decimal128Array::new(out.into(), nulls).with_precision_and_scale(rp, rs)?)
            }
            (SumState::Duration(s), average) => {
                grow(s, n, 0);
                let v: Vec<i64> = s[..n]
                    .iter()
                    .zip(counts)
                    .map(|(&s, &c)| {
                        if average && c > 0 {
                            divide_round_half_up(s as i128, c as i128, 0).unwrap_or(0) as i64
                        } else {
                            s
                        }
                    })
                    .collect();
                Arc::new(DurationMicrosecondArray::new(v.into(), nulls))
            }
            (SumState::YearMonth(s), average) => {
                grow(s, n, 0);
                let mut v = Vec::with_capacity(n);
                for (&s, &c) in s[..n].iter().zip(counts) {
                    let x = if average && c > 0 { s / c } else { s };
                    v.push(i32::try_from(x).map_err(|_| overflow("interval"))?);
                }
                Arc::new(IntervalYearMonthArray::new(v.into(), nulls))
            }
        })
    }
}

/// `numerator * 10^shift / denominator`, rounded half away from zero (Spark's HALF_UP).
pub(crate) fn divide_round_half_up(numerator: i128, denominator: i128, shift: u32) -> Option<i128> {
    let scaled = numerator.checked_mul(10i128.checked_pow(shift)?)?;
    let q = scaled / denominator;
    let r = scaled % denominator;
    if r.checked_mul(2)?.abs() >= denominator.abs() {
        Some(
            q + if (scaled < 0) != (denominator < 0) {
                -1
            } else {
                1
            },
        )
    } else {
        Some(q)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_divide_round_half_up() {
        assert_eq!(divide_round_half_up(1, 3, 6), Some(333_333));
        assert_eq!(divide_round_half_up(2, 3, 0), Some(1));
        assert_eq!(divide_round_half_up(-2, 3, 0), Some(-1));
        assert_eq!(divide_round_half_up(5, 2, 0), Some(3));
        assert_eq!(divide_round_half_up(-5, 2, 0), Some(-3));
    }

    #[test]
    fn test_sum_long_overflow_is_an_error() {
        let mut acc = sum(&DataType::Int64, &DataType::Int64).unwrap();
        let v: ArrayRef = Arc::new(Int64Array::from(vec![i64::MAX, 1]));
        let err = acc.update(&[v], &[0, 0], 1).unwrap_err();
        assert_eq!(err.error_class(), ErrorClass::ArithmeticOverflow);
    }

    #[test]
    fn test_avg_by_group_skips_nulls() {
        let mut acc = avg(&DataType::Float64, &DataType::Float64).unwrap();
        let v: ArrayRef = Arc::new(Float64Array::from(vec![
            Some(1.0),
            None,
            Some(3.0),
            Some(10.0),
        ]));
        acc.update(&[v], &[0, 0, 0, 1], 3).unwrap();
        let out = acc.finish(3).unwrap();
        let out = out.as_primitive::<Float64Type>();
        assert_eq!(out.value(0), 2.0);
        assert_eq!(out.value(1), 10.0);
        assert!(out.is_null(2));
    }
}
