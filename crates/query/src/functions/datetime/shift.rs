//! Date arithmetic functions: `date_add`/`dateadd`, `date_sub`, `datediff`/`date_diff`
//! (2 arguments: calendar days; 3 arguments: whole units), `timestampadd`, `timestampdiff`,
//! `add_months`, `months_between`, `last_day`, `next_day`.

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, Date32Array, Float64Array, PrimitiveArray};
use arrow::datatypes::{Date32Type, Int32Type, Int64Type, TimestampMicrosecondType};

use crate::error::{ErrorClass, QueryError, Result};
use crate::functions::common::{
    Want, arg, check_arity, coerce_args, constant_str, func, prim, strings,
};
use crate::functions::datetime::calendar::{
    MICROS_PER_DAY, MICROS_PER_HOUR, MICROS_PER_MINUTE, MICROS_PER_SECOND, add_months,
    add_months_micros, civil_from_days, days_in_month, split_micros, weekday,
};
use crate::functions::{ArgInfo, EvalContext, Signature};
use crate::types::SparkType;

/// A unit of `timestampadd`/`timestampdiff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Year,
    Quarter,
    Month,
    Week,
    Day,
    Hour,
    Minute,
    Second,
    Millisecond,
    Microsecond,
}

impl Unit {
    fn parse(name: &str) -> Option<Unit> {
        Some(match name.to_ascii_uppercase().as_str() {
            "YEAR" | "YEARS" => Unit::Year,
            "QUARTER" | "QUARTERS" => Unit::Quarter,
            "MONTH" | "MONTHS" => Unit::Month,
            "WEEK" | "WEEKS" => Unit::Week,
            "DAY" | "DAYS" | "DAYOFYEAR" => Unit::Day,
            "HOUR" | "HOURS" => Unit::Hour,
            "MINUTE" | "MINUTES" => Unit::Minute,
            "SECOND" | "SECONDS" => Unit::Second,
            "MILLISECOND" | "MILLISECONDS" => Unit::Millisecond,
            "MICROSECOND" | "MICROSECONDS" => Unit::Microsecond,
            _ => return None,
        })
    }

    /// Microseconds per unit for the fixed-length units.
    fn micros(self) -> Option<i64> {
        Some(match self {
            Unit::Week => 7 * MICROS_PER_DAY,
            Unit::Day => MICROS_PER_DAY,
            Unit::Hour => MICROS_PER_HOUR,
            Unit::Minute => MICROS_PER_MINUTE,
            Unit::Second => MICROS_PER_SECOND,
            Unit::Millisecond => 1000,
            Unit::Microsecond => 1,
            _ => return None,
        })
    }

    fn months(self) -> Option<i64> {
        Some(match self {
            Unit::Year => 12,
            Unit::Quarter => 3,
            Unit::Month => 1,
            _ => return None,
        })
    }
}

fn unit_arg(name: &str, args: &[ArgInfo]) -> Result<Unit> {
    let text = constant_str(args, 0).unwrap_or_default();
    Unit::parse(&text).ok_or_else(|| {
        QueryError::analysis(
            ErrorClass::InvalidParameterValueDatetimeUnit,
            format!(
                "The value of parameter `unit` in `{name}` is invalid: expects one of the units \
                 without quotes YEAR, QUARTER, MONTH, WEEK, DAY, DAYOFYEAR, HOUR, MINUTE, SECOND, \
                 MILLISECOND, MICROSECOND, but got the string literal '{text}'."
            ),
        )
    })
}

fn overflow() -> QueryError {
    QueryError::execution(
        ErrorClass::ArithmeticOverflow,
        "The datetime is out of range. Use 'try_add' to tolerate overflow and return NULL instead.",
    )
}

fn unit_of(args: &[ArrayRef]) -> Result<Unit> {
    let names = strings(arg(args, 0)?.as_ref())?;
    let name = (0..names.len())
        .find(|i| names.is_valid(*i))
        .map(|i| names.value(i))
        .unwrap_or("");
    Unit::parse(name).ok_or_else(|| QueryError::Internal(format!("unknown datetime unit {name}")))
}

fn resolve_timestampadd(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 3, 3)?;
    unit_arg(name, args)?;
    let ts = coerce_args(name, &args[2..], &[Want::Timestamp])?.remove(0);
    let n = coerce_args(name, &args[1..2], &[Want::Long])?.remove(0);
    Ok(Signature {
        args: vec![SparkType::String, n, ts.clone()],
        result: ts,
    })
}

fn invoke_timestampadd(args: &[ArrayRef]) -> Result<ArrayRef> {
    let unit = unit_of(args)?;
    let n = prim::<Int64Type>(arg(args, 1)?.as_ref())?;
    let ts = arg(args, 2)?;
    let t = prim::<TimestampMicrosecondType>(ts.as_ref())?;
    let out: PrimitiveArray<TimestampMicrosecondType> =
        crate::functions::common::try_binary(t, n, |t, n| {
            match (unit.micros(), unit.months()) {
                (Some(per), _) => n.checked_mul(per).and_then(|d| t.checked_add(d)),
                (_, Some(per)) => n.checked_mul(per).and_then(|m| add_months_micros(t, m)),
                _ => None,
            }
            .ok_or_else(overflow)
        })?;
    Ok(Arc::new(out.with_data_type(ts.data_type().clone())))
}

func!(
    TIMESTAMPADD,
    "timestampadd",
    resolve_timestampadd,
    |args, _, _: &EvalContext| invoke_timestampadd(args)
);

fn resolve_timestampdiff(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 3, 3)?;
    unit_arg(name, args)?;
    let mut types = vec![SparkType::String];
    types.extend(coerce_args(name, &args[1..], &[Want::Timestamp])?);
    Ok(Signature {
        args: types,
        result: SparkType::Long,
    })
}

/// Whole months from `a` to `b`, like Java's `ChronoUnit.MONTHS.between`.
fn whole_months(a: i64, b: i64) -> i64 {
    let ((da, ta), (db, tb)) = (split_micros(a), split_micros(b));
    let ((ya, ma, dda), (yb, mb, ddb)) = (civil_from_days(da), civil_from_days(db));
    let mut months = (yb * 12 + i64::from(mb)) - (ya * 12 + i64::from(ma));
    let (start, end) = ((dda, ta), (ddb, tb));
    if months > 0 && end < start {
        months -= 1;
    } else if months < 0 && end > start {
        months += 1;
    }
    months
}

fn invoke_timestampdiff(args: &[ArrayRef]) -> Result<ArrayRef> {
    let unit = unit_of(args)?;
    let start = prim::<TimestampMicrosecondType>(arg(args, 1)?.as_ref())?;
    let end = prim::<TimestampMicrosecondType>(arg(args, 2)?.as_ref())?;
    let out: PrimitiveArray<Int64Type> =
        crate::functions::common::try_binary(start, end, |a, b| {
            Ok(match (unit.micros(), unit.months()) {
                (Some(per), _) => b.checked_sub(a).ok_or_else(overflow)? / per,
                (_, Some(per)) => whole_months(a, b) / per,
                _ => 0,
            })
        })?;
    Ok(Arc::new(out))
}

func!(
    TIMESTAMPDIFF,
    "timestampdiff",
    resolve_timestampdiff,
    |args, _, _: &EvalContext| invoke_timestampdiff(args)
);

fn resolve_date_add(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    if args.len() == 3 {
        return resolve_timestampadd(name, args);
    }
    check_arity(name, args, 2, 2)?;
    Ok(Signature {
        args: coerce_args(name, args, &[Want::Date, Want::Int])?,
        result: SparkType::Date,
    })
}

fn shift_days(args: &[ArrayRef], sign: i32) -> Result<ArrayRef> {
    if args.len() == 3 {
        return invoke_timestampadd(args);
    }
    let d = prim::<Date32Type>(arg(args, 0)?.as_ref())?;
    let n = prim::<Int32Type>(arg(args, 1)?.as_ref())?;
    let out: PrimitiveArray<Date32Type> = crate::functions::common::try_binary(d, n, |d, n| {
        n.checked_mul(sign)
            .and_then(|n| d.checked_add(n))
            .ok_or_else(overflow)
    })?;
    Ok(Arc::new(out))
}

func!(
    DATE_ADD,
    "date_add",
    resolve_date_add,
    |args, _, _: &EvalContext| shift_days(args, 1)
);
func!(
    DATEADD,
    "dateadd",
    resolve_date_add,
    |args, _, _: &EvalContext| shift_days(args, 1)
);
func!(
    DATE_SUB,
    "date_sub",
    resolve_date_add,
    |args, _, _: &EvalContext| shift_days(args, -1)
);

fn resolve_datediff(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    if args.len() == 3 {
        return resolve_timestampdiff(name, args);
    }
    check_arity(name, args, 2, 2)?;
    Ok(Signature {
        args: coerce_args(name, args, &[Want::Date, Want::Date])?,
        result: SparkType::Int,
    })
}

fn invoke_datediff(args: &[ArrayRef], _: usize, _: &EvalContext) -> Result<ArrayRef> {
    if args.len() == 3 {
        return invoke_timestampdiff(args);
    }
    let (end, start) = (
        prim::<Date32Type>(arg(args, 0)?.as_ref())?,
        prim::<Date32Type>(arg(args, 1)?.as_ref())?,
    );
    let out: PrimitiveArray<Int32Type> = arrow::compute::binary(end, start, |e, s| e - s)?;
    Ok(Arc::new(out))
}

func!(DATEDIFF, "datediff", resolve_datediff, invoke_datediff);
func!(DATE_DIFF, "date_diff", resolve_datediff, invoke_datediff);

fn resolve_add_months(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 2, 2)?;
    Ok(Signature {
        args: coerce_args(name, args, &[Want::Date, Want::Int])?,
        result: SparkType::Date,
    })
}

fn invoke_add_months(args: &[ArrayRef], _: usize, _: &EvalContext) -> Result<ArrayRef> {
    let d = prim::<Date32Type>(arg(args, 0)?.as_ref())?;
    let n = prim::<Int32Type>(arg(args, 1)?.as_ref())?;
    let out: PrimitiveArray<Date32Type> = crate::functions::common::try_binary(d, n, |d, n| {
        add_months(i64::from(d), i64::from(n))
            .and_then(|v| i32::try_from(v).ok())
            .ok_or_else(overflow)
    })?;
    Ok(Arc::new(out))
}

func!(
    ADD_MONTHS,
    "add_months",
    resolve_add_months,
    invoke_add_months
);

fn resolve_months_between(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 2, 3)?;
    Ok(Signature {
        args: coerce_args(
            name,
            args,
            &[Want::Timestamp, Want::Timestamp, Want::Boolean],
        )?,
        result: SparkType::Double,
    })
}

/// Spark's `monthsBetween`: whole months when both days are the same or both are month
/// ends, otherwise the day and time difference counts in 31-day months.
fn months_between(end: i64, start: i64, round: bool) -> f64 {
    let ((d1, t1), (d2, t2)) = (split_micros(end), split_micros(start));
    let ((y1, m1, day1), (y2, m2, day2)) = (civil_from_days(d1), civil_from_days(d2));
    let months = ((y1 * 12 + i64::from(m1)) - (y2 * 12 + i64::from(m2))) as f64;
    let last1 = day1 == days_in_month(y1, m1);
    let last2 = day2 == days_in_month(y2, m2);
    if day1 == day2 || (last1 && last2) {
        return months;
    }
    let seconds = (i64::from(day1) - i64::from(day2)) * 86_400 + (t1 - t2) / MICROS_PER_SECOND;
    let diff = months + seconds as f64 / (31.0 * 86_400.0);
    if round {
        (diff * 1e8).round() / 1e8
    } else {
        diff
    }
}

fn invoke_months_between(args: &[ArrayRef], _: usize, _: &EvalContext) -> Result<ArrayRef> {
    let end = prim::<TimestampMicrosecondType>(arg(args, 0)?.as_ref())?;
    let start = prim::<TimestampMicrosecondType>(arg(args, 1)?.as_ref())?;
    let round = args
        .get(2)
        .map(|r| crate::functions::common::booleans(r.as_ref()))
        .transpose()?;
    let out: Float64Array = (0..end.len())
        .map(|i| {
            if end.is_null(i) || start.is_null(i) || round.is_some_and(|r| r.is_null(i)) {
                return None;
            }
            Some(months_between(
                end.value(i),
                start.value(i),
                round.is_none_or(|r| r.value(i)),
            ))
        })
        .collect();
    Ok(Arc::new(out))
}

func!(
    MONTHS_BETWEEN,
    "months_between",
    resolve_months_between,
    invoke_months_between
);

fn resolve_last_day(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 1, 1)?;
    Ok(Signature {
        args: coerce_args(name, args, &[Want::Date])?,
        result: SparkType::Date,
    })
}

func!(
    LAST_DAY,
    "last_day",
    resolve_last_day,
    |args, _, _: &EvalContext| {
        let d = prim::<Date32Type>(arg(args, 0)?.as_ref())?;
        Ok(Arc::new(d.unary::<_, Date32Type>(|v| {
            let (y, m, day) = civil_from_days(i64::from(v));
            v + (days_in_month(y, m) - day) as i32
        })) as ArrayRef)
    }
);

fn resolve_next_day(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 2, 2)?;
    Ok(Signature {
        args: coerce_args(name, args, &[Want::Date, Want::String])?,
        result: SparkType::Date,
    })
}

/// Monday = 0 for Spark's day names (`MO`, `MON`, `MONDAY`, ...).
fn day_of_week(name: &str) -> Option<u32> {
    const FULL: [&str; 7] = [
        "MONDAY",
        "TUESDAY",
        "WEDNESDAY",
        "THURSDAY",
        "FRIDAY",
        "SATURDAY",
        "SUNDAY",
    ];
    let n = name.trim().to_ascii_uppercase();
    FULL.iter()
        .position(|f| n == *f || n == f[..2] || n == f[..3])
        .map(|i| i as u32)
}

fn invoke_next_day(args: &[ArrayRef], _: usize, _: &EvalContext) -> Result<ArrayRef> {
    let d = prim::<Date32Type>(arg(args, 0)?.as_ref())?;
    let names = strings(arg(args, 1)?.as_ref())?;
    let mut out = Vec::with_capacity(d.len());
    for i in 0..d.len() {
        if d.is_null(i) || names.is_null(i) {
            out.push(None);
            continue;
        }
        let target = day_of_week(names.value(i)).ok_or_else(|| {
            QueryError::execution(
                ErrorClass::IllegalDayOfWeek,
                format!("Illegal input for day of week: {}.", names.value(i)),
            )
        })?;
        let today = weekday(i64::from(d.value(i)));
        let ahead = (target + 7 - today - 1) % 7 + 1;
        out.push(Some(d.value(i) + ahead as i32));
    }
    Ok(Arc::new(Date32Array::from(out)))
}

func!(NEXT_DAY, "next_day", resolve_next_day, invoke_next_day);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::functions::datetime::calendar::{days_from_civil, parse_timestamp};

    #[test]
    fn test_months_between_fixture() {
        let a = days_from_civil(2023, 3, 15) * MICROS_PER_DAY;
        let b = days_from_civil(2023, 1, 31) * MICROS_PER_DAY;
        assert_eq!(months_between(a, b, true), 1.48387097);
        let c = days_from_civil(2023, 2, 28) * MICROS_PER_DAY;
        assert_eq!(months_between(c, b, true), 1.0);
    }

    #[test]
    fn test_whole_months_and_day_names() {
        let t = |s: &str| parse_timestamp(s).unwrap();
        assert_eq!(whole_months(t("2023-01-31"), t("2023-02-28")), 0);
        assert_eq!(whole_months(t("2023-01-15"), t("2023-03-15")), 2);
        assert_eq!(whole_months(t("2023-03-15"), t("2023-01-16")), -1);
        assert_eq!(day_of_week("MON"), Some(0));
        assert_eq!(day_of_week("sunday"), Some(6));
        assert_eq!(day_of_week("xx"), None);
    }
}
