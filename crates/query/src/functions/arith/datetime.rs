//! Date, timestamp and interval arithmetic: `date ± int`, `date - date` (interval day),
//! `timestamp - timestamp` (interval day to second), `date/timestamp ± interval`,
//! `interval ± interval`, `interval * number`, `interval / number`.

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, ArrowPrimitiveType, PrimitiveArray};
use arrow::datatypes::{
    DataType, Date32Type, DurationMicrosecondType, Float64Type, Int32Type, Int64Type,
    IntervalMonthDayNano, IntervalMonthDayNanoType, IntervalUnit, IntervalYearMonthType, TimeUnit,
    TimestampMicrosecondType,
};

use super::{ArithOp, divide_by_zero, overflow};
use crate::error::{ErrorClass, QueryError, Result};
use crate::functions::Signature;
use crate::functions::cast::CastMode;
use crate::functions::common::{I64_LIMIT_F64, array_ref, binary_opt, prim, try_binary};
use crate::functions::datetime::calendar::{MICROS_PER_DAY, add_months, add_months_micros};
use crate::types::{DayTimeField, SparkType, wider_type};

fn sig(args: [SparkType; 2], result: SparkType) -> Option<Signature> {
    Some(Signature {
        args: args.to_vec(),
        result,
    })
}

fn is_ts(t: &SparkType) -> bool {
    matches!(t, SparkType::Timestamp | SparkType::TimestampNtz)
}

fn is_ansi_interval(t: &SparkType) -> bool {
    matches!(
        t,
        SparkType::DayTimeInterval(..) | SparkType::YearMonthInterval(..)
    )
}

/// The number type an interval is multiplied or divided by.
fn factor_type(t: &SparkType) -> Option<SparkType> {
    if t.is_integral() {
        Some(SparkType::Long)
    } else if t.is_numeric() {
        Some(SparkType::Double)
    } else {
        None
    }
}

/// Signatures of the operators on dates, timestamps and intervals; `None` when neither
/// operand makes this a datetime operation.
pub(super) fn resolve_datetime(
    op: ArithOp,
    l: &SparkType,
    r: &SparkType,
) -> Result<Option<Signature>> {
    use SparkType as T;
    let day = T::DayTimeInterval(DayTimeField::Day, DayTimeField::Day);
    let add = op == ArithOp::Add;
    let additive = matches!(op, ArithOp::Add | ArithOp::Subtract);
    let (l, r) = match (l, r) {
        (T::Null, x) if x.is_interval() || *x == T::Date || is_ts(x) => {
            let other = if x.is_interval() { x.clone() } else { T::Int };
            (
                if add && !x.is_interval() {
                    day.clone()
                } else {
                    other
                },
                x.clone(),
            )
        }
        (x, T::Null) if x.is_interval() || *x == T::Date || is_ts(x) => {
            let other = if x.is_interval() {
                x.clone()
            } else if *x == T::Date {
                T::Int
            } else {
                day.clone()
            };
            (x.clone(), other)
        }
        (T::String, x) if is_ansi_interval(x) && additive => (T::Timestamp, x.clone()),
        (x, T::String) if is_ansi_interval(x) && add => (x.clone(), T::Timestamp),
        _ => (l.clone(), r.clone()),
    };
    let signature = match (op, &l, &r) {
        (ArithOp::Add | ArithOp::Subtract, T::Date, i) if i.is_integral() => {
            sig([T::Date, T::Int], T::Date)
        }
        (ArithOp::Add, i, T::Date) if i.is_integral() => sig([T::Int, T::Date], T::Date),
        (ArithOp::Add | ArithOp::Subtract, T::Date, x) if *x == day => {
            sig([T::Date, day.clone()], T::Date)
        }
        (ArithOp::Add, x, T::Date) if *x == day => sig([day.clone(), T::Date], T::Date),
        (ArithOp::Add | ArithOp::Subtract, T::Date, x @ T::DayTimeInterval(..)) => {
            sig([T::Timestamp, x.clone()], T::Timestamp)
        }
        (ArithOp::Add, x @ T::DayTimeInterval(..), T::Date) => {
            sig([x.clone(), T::Timestamp], T::Timestamp)
        }
        (
            ArithOp::Add | ArithOp::Subtract,
            T::Date,
            x @ (T::YearMonthInterval(..) | T::CalendarInterval),
        ) => sig([T::Date, x.clone()], T::Date),
        (ArithOp::Add, x @ (T::YearMonthInterval(..) | T::CalendarInterval), T::Date) => {
            sig([x.clone(), T::Date], T::Date)
        }
        (ArithOp::Add | ArithOp::Subtract, t, x) if is_ts(t) && x.is_interval() => {
            sig([t.clone(), x.clone()], t.clone())
        }
        (ArithOp::Add, x, t) if is_ts(t) && x.is_interval() => {
            sig([x.clone(), t.clone()], t.clone())
        }
        (ArithOp::Subtract, T::Date, T::Date) => sig([T::Date, T::Date], day),
        (ArithOp::Subtract, a, b)
            if (is_ts(a) || is_ts(b))
                && (is_ts(a) || *a == T::Date)
                && (is_ts(b) || *b == T::Date) =>
        {
            let t = if *a == T::TimestampNtz && *b == T::TimestampNtz {
                T::TimestampNtz
            } else {
                T::Timestamp
            };
            sig(
                [t.clone(), t],
                T::DayTimeInterval(DayTimeField::Day, DayTimeField::Second),
            )
        }
        (ArithOp::Add | ArithOp::Subtract, a, b) if a.is_interval() && b.is_interval() => {
            let common = wider_type(a, b)
                .filter(|c| c.is_interval())
                .ok_or_else(|| crate::functions::common::binary_op_diff_types(op.symbol(), a, b))?;
            sig([common.clone(), common.clone()], common)
        }
        (ArithOp::Multiply | ArithOp::Divide, a, n)
            if is_ansi_interval(a) && factor_type(n).is_some() =>
        {
            sig([a.clone(), factor_type(n).unwrap_or(T::Long)], a.clone())
        }
        (ArithOp::Multiply, n, a) if is_ansi_interval(a) && factor_type(n).is_some() => {
            sig([factor_type(n).unwrap_or(T::Long), a.clone()], a.clone())
        }
        _ => None,
    };
    Ok(signature)
}

/// Apply `f` to the valid rows of two typed arrays; errors become NULL in try mode.
fn combine<A, B, O>(
    l: &ArrayRef,
    r: &ArrayRef,
    mode: CastMode,
    f: impl Fn(A::Native, B::Native) -> Result<O::Native>,
) -> Result<PrimitiveArray<O>>
where
    A: ArrowPrimitiveType,
    B: ArrowPrimitiveType,
    O: ArrowPrimitiveType,
{
    let (a, b) = (prim::<A>(l.as_ref())?, prim::<B>(r.as_ref())?);
    match mode {
        CastMode::Ansi => try_binary(a, b, f),
        CastMode::Try => Ok(binary_opt(a, b, |x, y| f(x, y).ok())),
    }
}

fn ts_like(values: PrimitiveArray<TimestampMicrosecondType>, like: &dyn Array) -> ArrayRef {
    Arc::new(values.with_data_type(like.data_type().clone()))
}

fn micros_with_calendar(ts: i64, iv: IntervalMonthDayNano, sign: i64) -> Option<i64> {
    let moved = add_months_micros(ts, sign * i64::from(iv.months))?;
    let days = (sign * i64::from(iv.days)).checked_mul(MICROS_PER_DAY)?;
    moved
        .checked_add(days)?
        .checked_add(sign * (iv.nanoseconds / 1000))
}

/// Evaluate a datetime operation; `None` when the operand types are not datetime ones.
pub(super) fn invoke_datetime(
    op: ArithOp,
    mode: CastMode,
    l: &ArrayRef,
    r: &ArrayRef,
) -> Option<Result<ArrayRef>> {
    use DataType as D;
    let ovf = move || overflow(op);
    let sign: i64 = if op == ArithOp::Subtract { -1 } else { 1 };
    let (lt, rt) = (l.data_type(), r.data_type());
    let ts = |t: &D| matches!(t, D::Timestamp(TimeUnit::Microsecond, _));
    let dur = |t: &D| matches!(t, D::Duration(TimeUnit::Microsecond));
    let ym = |t: &D| matches!(t, D::Interval(IntervalUnit::YearMonth));
    let mdn = |t: &D| matches!(t, D::Interval(IntervalUnit::MonthDayNano));
    let additive = matches!(op, ArithOp::Add | ArithOp::Subtract);
    let result: Result<ArrayRef> = (|| match (lt, rt) {
        (D::Date32, D::Int32) if additive => Ok(array_ref(combine::<
            Date32Type,
            Int32Type,
            Date32Type,
        >(l, r, mode, |d, n| {
            d.checked_add(n * sign as i32).ok_or_else(ovf)
        })?)),
        (D::Int32, D::Date32) => Ok(array_ref(combine::<Int32Type, Date32Type, Date32Type>(
            l,
            r,
            mode,
            |n, d| d.checked_add(n).ok_or_else(ovf),
        )?)),
        (D::Date32, d) if dur(d) && additive => Ok(array_ref(combine::<
            Date32Type,
            DurationMicrosecondType,
            Date32Type,
        >(l, r, mode, |d, m| {
            i32::try_from(i64::from(d) + sign * (m / MICROS_PER_DAY)).map_err(|_| ovf())
        })?)),
        (d, D::Date32) if dur(d) => Ok(array_ref(combine::<
            DurationMicrosecondType,
            Date32Type,
            Date32Type,
        >(l, r, mode, |m, d| {
            i32::try_from(i64::from(d) + m / MICROS_PER_DAY).map_err(|_| ovf())
        })?)),
        (D::Date32, y) if ym(y) && additive => Ok(array_ref(combine::<
            Date32Type,
            IntervalYearMonthType,
            Date32Type,
        >(l, r, mode, |d, m| {
            add_months(i64::from(d), sign * i64::from(m))
                .and_then(|v| i32::try_from(v).ok())
                .ok_or_else(ovf)
        })?)),
        (y, D::Date32) if ym(y) => Ok(array_ref(combine::<
            IntervalYearMonthType,
            Date32Type,
            Date32Type,
        >(l, r, mode, |m, d| {
            add_months(i64::from(d), i64::from(m))
                .and_then(|v| i32::try_from(v).ok())
                .ok_or_else(ovf)
        })?)),
        (D::Date32, c) if mdn(c) && additive => Ok(array_ref(combine::<
            Date32Type,
            IntervalMonthDayNanoType,
            Date32Type,
        >(l, r, mode, |d, iv| {
            date_plus_calendar(d, iv, sign, op)
        })?)),
        (c, D::Date32) if mdn(c) => Ok(array_ref(combine::<
            IntervalMonthDayNanoType,
            Date32Type,
            Date32Type,
        >(l, r, mode, |iv, d| {
            date_plus_calendar(d, iv, 1, op)
        })?)),
        (t, d) if ts(t) && dur(d) && additive => Ok(ts_like(
            combine::<TimestampMicrosecondType, DurationMicrosecondType, TimestampMicrosecondType>(
                l,
                r,
                mode,
                |t, m| t.checked_add(sign * m).ok_or_else(ovf),
            )?,
            l.as_ref(),
        )),
        (d, t) if ts(t) && dur(d) => Ok(ts_like(
            combine::<DurationMicrosecondType, TimestampMicrosecondType, TimestampMicrosecondType>(
                l,
                r,
                mode,
                |m, t| t.checked_add(m).ok_or_else(ovf),
            )?,
            r.as_ref(),
        )),
        (t, y) if ts(t) && ym(y) && additive => Ok(ts_like(
            combine::<TimestampMicrosecondType, IntervalYearMonthType, TimestampMicrosecondType>(
                l,
                r,
                mode,
                |t, m| add_months_micros(t, sign * i64::from(m)).ok_or_else(ovf),
            )?,
            l.as_ref(),
        )),
        (y, t) if ts(t) && ym(y) => Ok(ts_like(
            combine::<IntervalYearMonthType, TimestampMicrosecondType, TimestampMicrosecondType>(
                l,
                r,
                mode,
                |m, t| add_months_micros(t, i64::from(m)).ok_or_else(ovf),
            )?,
            r.as_ref(),
        )),
        (t, c) if ts(t) && mdn(c) && additive => Ok(ts_like(
            combine::<TimestampMicrosecondType, IntervalMonthDayNanoType, TimestampMicrosecondType>(
                l,
                r,
                mode,
                |t, iv| micros_with_calendar(t, iv, sign).ok_or_else(ovf),
            )?,
            l.as_ref(),
        )),
        (c, t) if ts(t) && mdn(c) => Ok(ts_like(
            combine::<IntervalMonthDayNanoType, TimestampMicrosecondType, TimestampMicrosecondType>(
                l,
                r,
                mode,
                |iv, t| micros_with_calendar(t, iv, 1).ok_or_else(ovf),
            )?,
            r.as_ref(),
        )),
        (D::Date32, D::Date32) if op == ArithOp::Subtract => {
            Ok(array_ref(combine::<
                Date32Type,
                Date32Type,
                DurationMicrosecondType,
            >(l, r, mode, |a, b| {
                Ok((i64::from(a) - i64::from(b)) * MICROS_PER_DAY)
            })?))
        }
        (a, b) if ts(a) && ts(b) && op == ArithOp::Subtract => {
            Ok(array_ref(combine::<
                TimestampMicrosecondType,
                TimestampMicrosecondType,
                DurationMicrosecondType,
            >(l, r, mode, |a, b| {
                a.checked_sub(b).ok_or_else(ovf)
            })?))
        }
        (a, b) if dur(a) && dur(b) && additive => Ok(array_ref(combine::<
            DurationMicrosecondType,
            DurationMicrosecondType,
            DurationMicrosecondType,
        >(l, r, mode, |a, b| {
            a.checked_add(sign * b).ok_or_else(ovf)
        })?)),
        (a, b) if ym(a) && ym(b) && additive => Ok(array_ref(combine::<
            IntervalYearMonthType,
            IntervalYearMonthType,
            IntervalYearMonthType,
        >(l, r, mode, |a, b| {
            a.checked_add(sign as i32 * b).ok_or_else(ovf)
        })?)),
        (a, b) if mdn(a) && mdn(b) && additive => Ok(array_ref(combine::<
            IntervalMonthDayNanoType,
            IntervalMonthDayNanoType,
            IntervalMonthDayNanoType,
        >(l, r, mode, |a, b| {
            Ok(IntervalMonthDayNano::new(
                a.months
                    .checked_add(sign as i32 * b.months)
                    .ok_or_else(ovf)?,
                a.days.checked_add(sign as i32 * b.days).ok_or_else(ovf)?,
                a.nanoseconds
                    .checked_add(sign * b.nanoseconds)
                    .ok_or_else(ovf)?,
            ))
        })?)),
        (a, n) if (dur(a) || ym(a)) && matches!(n, D::Int64 | D::Float64) => {
            scale_interval(op, mode, l, r)
        }
        (n, a)
            if (dur(a) || ym(a))
                && matches!(n, D::Int64 | D::Float64)
                && op == ArithOp::Multiply =>
        {
            scale_interval(op, mode, r, l)
        }
        _ => Err(QueryError::Internal(format!(
            "no datetime kernel for {lt} {} {rt}",
            op.symbol()
        ))),
    })();
    let temporal = |t: &D| matches!(t, D::Date32) || ts(t) || dur(t) || ym(t) || mdn(t);
    (temporal(lt) || temporal(rt)).then_some(result)
}

fn date_plus_calendar(d: i32, iv: IntervalMonthDayNano, sign: i64, op: ArithOp) -> Result<i32> {
    if iv.nanoseconds != 0 {
        return Err(QueryError::execution(
            ErrorClass::InvalidIntervalWithMicrosecondsAddition,
            "Cannot add an interval to a date because its microseconds part is not 0. Cast the \
             date to a timestamp first.",
        ));
    }
    add_months(i64::from(d), sign * i64::from(iv.months))
        .and_then(|v| v.checked_add(sign * i64::from(iv.days)))
        .and_then(|v| i32::try_from(v).ok())
        .ok_or_else(|| overflow(op))
}

/// `interval * n` and `interval / n`, rounding HALF_UP for fractional factors and quotients.
fn scale_interval(
    op: ArithOp,
    mode: CastMode,
    interval: &ArrayRef,
    factor: &ArrayRef,
) -> Result<ArrayRef> {
    let apply = move |v: i64, f: Factor| -> Result<i64> {
        match (op, f) {
            (ArithOp::Multiply, Factor::Long(n)) => v.checked_mul(n).ok_or_else(|| overflow(op)),
            (ArithOp::Multiply, Factor::Double(x)) => finite_i64((v as f64 * x).round(), op),
            (_, Factor::Long(0)) => Err(divide_by_zero()),
            (_, Factor::Long(n)) => {
                Ok(crate::functions::decimal::div_half_up(v.into(), n.into()) as i64)
            }
            (_, Factor::Double(0.0)) => Err(divide_by_zero()),
            (_, Factor::Double(x)) => finite_i64((v as f64 / x).round(), op),
        }
    };
    macro_rules! run {
        ($iv:ty, $to:expr, $from:expr) => {{
            let out: PrimitiveArray<$iv> = match factor.data_type() {
                DataType::Int64 => {
                    combine::<$iv, Int64Type, $iv>(interval, factor, mode, |v, n| {
                        apply($to(v), Factor::Long(n)).and_then($from)
                    })?
                }
                _ => combine::<$iv, Float64Type, $iv>(interval, factor, mode, |v, x| {
                    apply($to(v), Factor::Double(x)).and_then($from)
                })?,
            };
            Ok(Arc::new(out) as ArrayRef)
        }};
    }
    if matches!(interval.data_type(), DataType::Duration(_)) {
        run!(DurationMicrosecondType, |v: i64| v, |v: i64| Ok(v))
    } else {
        run!(IntervalYearMonthType, i64::from, |v: i64| i32::try_from(v)
            .map_err(|_| overflow(op)))
    }
}

#[derive(Clone, Copy)]
enum Factor {
    Long(i64),
    Double(f64),
}

fn finite_i64(v: f64, op: ArithOp) -> Result<i64> {
    if v.is_finite() && v.abs() < I64_LIMIT_F64 {
        Ok(v as i64)
    } else {
        Err(overflow(op))
    }
}
