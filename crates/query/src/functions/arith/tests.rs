//! Unit tests of the arithmetic operators, through the registry as the executor calls them.

use std::sync::Arc;

use arrow::array::{
    Array, ArrayRef, Date32Array, Decimal128Array, DurationMicrosecondArray, Float32Array,
    Float64Array, Int32Array, Int64Array, StringArray, TimestampMicrosecondArray,
};

use crate::ErrorClass;
use crate::functions::cast::{CastMode, cast};
use crate::functions::datetime::calendar::{MICROS_PER_DAY, MICROS_PER_HOUR, days_from_civil};
use crate::functions::{ArgInfo, EvalContext, lookup};
use crate::types::{DayTimeField, SparkType as T};

/// Resolve and invoke `name` like the executor: cast each argument to its signature type.
fn call(name: &str, args: Vec<(ArrayRef, T)>) -> crate::error::Result<(ArrayRef, T)> {
    let f = lookup(name).unwrap();
    let infos: Vec<ArgInfo> = args
        .iter()
        .map(|(_, t)| ArgInfo {
            data_type: t.clone(),
            constant: None,
        })
        .collect();
    let sig = f.resolve(&infos)?;
    let cast_args = args
        .iter()
        .zip(&sig.args)
        .map(|((a, from), to)| cast(a, from, to, CastMode::Ansi))
        .collect::<crate::error::Result<Vec<_>>>()?;
    let n = cast_args[0].len();
    let out = f.invoke(&cast_args, n, &EvalContext::default())?;
    assert_eq!(
        out.data_type(),
        &sig.result.to_arrow(),
        "{name}: result storage matches the signature"
    );
    Ok((out, sig.result))
}

fn int(values: &[i32]) -> (ArrayRef, T) {
    (Arc::new(Int32Array::from(values.to_vec())), T::Int)
}

fn render(out: &(ArrayRef, T)) -> Vec<Option<String>> {
    let s = cast(&out.0, &out.1, &T::String, CastMode::Ansi).unwrap();
    s.as_any()
        .downcast_ref::<StringArray>()
        .unwrap()
        .iter()
        .map(|v| v.map(str::to_string))
        .collect()
}

fn texts(values: &[&str]) -> Vec<Option<String>> {
    values.iter().map(|v| Some(v.to_string())).collect()
}

#[test]
fn test_int_division_modulo_and_pmod() {
    let out = call("/", vec![int(&[7, 1]), int(&[2, 3])]).unwrap();
    assert_eq!(out.1, T::Double);
    assert_eq!(
        out.0
            .as_any()
            .downcast_ref::<Float64Array>()
            .unwrap()
            .values()
            .to_vec(),
        vec![3.5, 1.0 / 3.0]
    );
    let out = call("%", vec![int(&[-7, 7]), int(&[3, -3])]).unwrap();
    assert_eq!(render(&out), texts(&["-1", "1"]));
    let out = call("pmod", vec![int(&[-7, 7]), int(&[3, -3])]).unwrap();
    assert_eq!(render(&out), texts(&["2", "1"]));
    let out = call("div", vec![int(&[-7]), int(&[2])]).unwrap();
    assert_eq!((out.1.clone(), render(&out)), (T::Long, texts(&["-3"])));
    let min = (
        Arc::new(Int32Array::from(vec![i32::MIN])) as ArrayRef,
        T::Int,
    );
    assert_eq!(
        render(&call("%", vec![min, int(&[-1])]).unwrap()),
        texts(&["0"])
    );
}

#[test]
fn test_overflow_and_divide_by_zero() {
    let e = call("+", vec![int(&[i32::MAX]), int(&[1])]).unwrap_err();
    assert_eq!(e.error_class(), ErrorClass::ArithmeticOverflow);
    assert!(e.to_string().contains("try_add"));
    let big = (
        Arc::new(Int64Array::from(vec![i64::MAX])) as ArrayRef,
        T::Long,
    );
    assert_eq!(
        call(
            "*",
            vec![big.clone(), (Arc::new(Int64Array::from(vec![2])), T::Long)]
        )
        .unwrap_err()
        .error_class(),
        ErrorClass::ArithmeticOverflow
    );
    let out = call(
        "try_multiply",
        vec![big, (Arc::new(Int64Array::from(vec![2])), T::Long)],
    )
    .unwrap();
    assert_eq!(out.0.null_count(), 1);
    assert_eq!(
        call("/", vec![int(&[1]), int(&[0])])
            .unwrap_err()
            .error_class(),
        ErrorClass::DivideByZero
    );
    // Spark names a zero divisor of `%` and `pmod` a remainder by zero.
    for op in ["%", "pmod"] {
        assert_eq!(
            call(op, vec![int(&[1]), int(&[0])])
                .unwrap_err()
                .error_class(),
            ErrorClass::RemainderByZero
        );
    }
    // tinyint and smallint overflow name the operands (BINARY_ARITHMETIC_OVERFLOW).
    let tiny = |v: i8| {
        (
            Arc::new(arrow::array::Int8Array::from(vec![v])) as ArrayRef,
            T::Byte,
        )
    };
    let e = call("+", vec![tiny(120), tiny(19)]).unwrap_err();
    assert_eq!(e.error_class(), ErrorClass::BinaryArithmeticOverflow);
    assert!(e.to_string().contains("120 + 19"), "{e}");
    let d = (
        Arc::new(Float64Array::from(vec![1.0])) as ArrayRef,
        T::Double,
    );
    assert_eq!(
        call("/", vec![d.clone(), int(&[0])])
            .unwrap_err()
            .error_class(),
        ErrorClass::DivideByZero
    );
    let out = call("try_divide", vec![d, int(&[0])]).unwrap();
    assert_eq!(out.0.null_count(), 1);
    assert_eq!(
        call("try_add", vec![int(&[i32::MAX]), int(&[1])])
            .unwrap()
            .0
            .null_count(),
        1
    );
}

#[test]
fn test_float_promotion() {
    let f = (
        Arc::new(Float32Array::from(vec![85.2_f32])) as ArrayRef,
        T::Float,
    );
    let out = call("+", vec![f.clone(), int(&[1])]).unwrap();
    assert_eq!(out.1, T::Double);
    assert_eq!(
        out.0
            .as_any()
            .downcast_ref::<Float64Array>()
            .unwrap()
            .value(0),
        86.19999694824219
    );
    let out = call("*", vec![f.clone(), f]).unwrap();
    assert_eq!(out.1, T::Float);
}

#[test]
fn test_decimal_arithmetic_values() {
    let dec = |v: i128, p: u8, s: i8| -> (ArrayRef, T) {
        (
            Arc::new(
                Decimal128Array::from(vec![v])
                    .with_precision_and_scale(p, s)
                    .unwrap(),
            ),
            T::Decimal(p, s),
        )
    };
    assert_eq!(
        render(&call("+", vec![dec(1, 1, 1), dec(2, 1, 1)]).unwrap()),
        texts(&["0.3"])
    );
    assert_eq!(
        render(&call("*", vec![dec(110, 3, 2), dec(2005, 4, 3)]).unwrap()),
        texts(&["2.20550"])
    );
    let out = call("/", vec![dec(100, 3, 1), dec(3, 1, 0)]).unwrap();
    assert_eq!(
        (out.1.to_string(), render(&out)),
        ("decimal(8,6)".into(), texts(&["3.333333"]))
    );
    assert_eq!(
        render(&call("/", vec![dec(200, 3, 1), dec(3, 1, 0)]).unwrap()),
        texts(&["6.666667"])
    );
    assert_eq!(
        render(&call("%", vec![dec(-75, 2, 1), dec(2, 1, 0)]).unwrap()),
        texts(&["-1.5"])
    );
    assert_eq!(
        call("/", vec![dec(1, 2, 1), dec(0, 1, 0)])
            .unwrap_err()
            .error_class(),
        ErrorClass::DivideByZero
    );
    let int_col = call("/", vec![int(&[5]), dec(20, 2, 1)]).unwrap();
    assert_eq!(
        (int_col.1.to_string(), render(&int_col)),
        ("decimal(17,6)".into(), texts(&["2.500000"]))
    );
}

#[test]
fn test_string_operand_is_read_as_number() {
    let s = (
        Arc::new(StringArray::from(vec!["5"])) as ArrayRef,
        T::String,
    );
    let out = call("+", vec![s, int(&[3])]).unwrap();
    assert_eq!((out.1.clone(), render(&out)), (T::Long, texts(&["8"])));
    let bad = (
        Arc::new(StringArray::from(vec!["J15"])) as ArrayRef,
        T::String,
    );
    assert_eq!(
        call(">", vec![bad, int(&[5])]).unwrap_err().error_class(),
        ErrorClass::CastInvalidInput
    );
}

#[test]
fn test_date_and_timestamp_arithmetic() {
    let date = |y, m, d| {
        (
            Arc::new(Date32Array::from(vec![days_from_civil(y, m, d) as i32])) as ArrayRef,
            T::Date,
        )
    };
    let day = T::DayTimeInterval(DayTimeField::Day, DayTimeField::Day);
    let hour = T::DayTimeInterval(DayTimeField::Hour, DayTimeField::Hour);
    let one_day = (
        Arc::new(DurationMicrosecondArray::from(vec![MICROS_PER_DAY])) as ArrayRef,
        day.clone(),
    );
    let twelve_h = (
        Arc::new(DurationMicrosecondArray::from(vec![12 * MICROS_PER_HOUR])) as ArrayRef,
        hour,
    );
    assert_eq!(
        render(&call("+", vec![date(2023, 1, 31), one_day]).unwrap()),
        texts(&["2023-02-01"])
    );
    assert_eq!(
        render(&call("+", vec![date(2023, 1, 31), int(&[1])]).unwrap()),
        texts(&["2023-02-01"])
    );
    let out = call("+", vec![date(2023, 1, 31), twelve_h]).unwrap();
    assert_eq!(
        (out.1.clone(), render(&out)),
        (T::Timestamp, texts(&["2023-01-31 12:00:00"]))
    );
    let out = call("-", vec![date(2023, 3, 1), date(2023, 2, 1)]).unwrap();
    assert_eq!(
        (out.1.clone(), render(&out)),
        (day, texts(&["INTERVAL '28' DAY"]))
    );
    let ts = |micros: i64| {
        (
            Arc::new(TimestampMicrosecondArray::from(vec![micros]).with_timezone("UTC"))
                as ArrayRef,
            T::Timestamp,
        )
    };
    let t0 = days_from_civil(2023, 3, 1) * MICROS_PER_DAY;
    let out = call("-", vec![ts(t0), ts(t0 - 90 * 60 * 1_000_000)]).unwrap();
    assert_eq!(
        render(&out),
        texts(&["INTERVAL '0 01:30:00' DAY TO SECOND"])
    );
    let month =
        crate::functions::interval::parse_interval_literal("1", Some("MONTH"), None).unwrap();
    let out = call(
        "+",
        vec![date(2023, 1, 31), (month.1.clone(), month.0.clone())],
    )
    .unwrap();
    assert_eq!(render(&out), texts(&["2023-02-28"]));
    let out = call(
        "+",
        vec![
            ts(days_from_civil(2023, 1, 21) * MICROS_PER_DAY),
            (month.1, month.0),
        ],
    )
    .unwrap();
    assert_eq!(render(&out), texts(&["2023-02-21 00:00:00"]));
}

#[test]
fn test_negative() {
    let out = call("negative", vec![int(&[5, -2])]).unwrap();
    assert_eq!(render(&out), texts(&["-5", "2"]));
    let min = (
        Arc::new(Int32Array::from(vec![i32::MIN])) as ArrayRef,
        T::Int,
    );
    assert_eq!(
        call("negative", vec![min]).unwrap_err().error_class(),
        ErrorClass::ArithmeticOverflow
    );
}
