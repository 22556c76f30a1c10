//! Unit tests of the casts, following the Spark behaviours the SQL fixtures pin down.

use std::sync::Arc;

use arrow::array::{
    Array, ArrayRef, BooleanArray, Date32Array, Decimal128Array, Float32Array, Float64Array,
    Int32Array, Int64Array, ListArray, StringArray, TimestampMicrosecondArray,
};
use arrow::datatypes::Int32Type;

use super::*;
use crate::ErrorClass;
use crate::functions::datetime::calendar::days_from_civil;
use crate::types::SparkType as T;

fn strings(values: &[Option<&str>]) -> ArrayRef {
    Arc::new(StringArray::from(values.to_vec()))
}

fn string_values(array: &ArrayRef) -> Vec<Option<String>> {
    let a = array.as_any().downcast_ref::<StringArray>().unwrap();
    a.iter().map(|v| v.map(str::to_string)).collect()
}

fn to_string(array: ArrayRef, from: &T) -> Vec<Option<String>> {
    string_values(&cast(&array, from, &T::String, CastMode::Ansi).unwrap())
}

#[test]
fn test_cast_string_to_int_ansi_errors() {
    for bad in ["123.9", "abc", "1e10", ""] {
        let e = cast(&strings(&[Some(bad)]), &T::String, &T::Int, CastMode::Ansi).unwrap_err();
        assert_eq!(e.error_class(), ErrorClass::CastInvalidInput, "{bad}");
        assert!(e.to_string().contains(&format!("'{bad}'")));
        assert!(e.to_string().contains("\"STRING\"") && e.to_string().contains("\"INT\""));
    }
    let out = cast(
        &strings(&[Some("12"), Some(" -7 "), None]),
        &T::String,
        &T::Int,
        CastMode::Ansi,
    )
    .unwrap();
    let out = out.as_any().downcast_ref::<Int32Array>().unwrap();
    assert_eq!(
        out.iter().collect::<Vec<_>>(),
        vec![Some(12), Some(-7), None]
    );
}

#[test]
fn test_try_cast_variants() {
    let nulls = |from: ArrayRef, to: &T| {
        let out = cast(&from, &T::String, to, CastMode::Try).unwrap();
        (out.len(), out.null_count())
    };
    assert_eq!(nulls(strings(&[Some("abc")]), &T::Int), (1, 1));
    assert_eq!(nulls(strings(&[Some("2023-13-45")]), &T::Date), (1, 1));
    assert_eq!(nulls(strings(&[Some("x")]), &T::Double), (1, 1));
    assert_eq!(nulls(strings(&[Some("true")]), &T::Boolean), (1, 0));
    let big: ArrayRef = Arc::new(Float64Array::from(vec![1e10]));
    let out = cast(&big, &T::Double, &T::Int, CastMode::Try).unwrap();
    assert_eq!(out.null_count(), 1);
    let e = cast(&big, &T::Double, &T::Int, CastMode::Ansi).unwrap_err();
    assert_eq!(e.class(), "CAST_OVERFLOW");
    assert!(e.to_string().contains("1.0E10D"));
}

#[test]
fn test_numeric_truncation() {
    let dec: ArrayRef = Arc::new(
        Decimal128Array::from(vec![399, -399])
            .with_precision_and_scale(3, 2)
            .unwrap(),
    );
    let out = cast(&dec, &T::Decimal(3, 2), &T::Int, CastMode::Ansi).unwrap();
    let out = out.as_any().downcast_ref::<Int32Array>().unwrap();
    assert_eq!(out.values().to_vec(), vec![3, -3]);
    let d: ArrayRef = Arc::new(Float64Array::from(vec![2.5, -2.5]));
    let out = cast(&d, &T::Double, &T::Long, CastMode::Ansi).unwrap();
    assert_eq!(
        out.as_any()
            .downcast_ref::<Int64Array>()
            .unwrap()
            .values()
            .to_vec(),
        vec![2, -2]
    );
    let f: ArrayRef = Arc::new(Float32Array::from(vec![1.1_f32]));
    let out = cast(&f, &T::Float, &T::Double, CastMode::Ansi).unwrap();
    assert_eq!(
        out.as_any()
            .downcast_ref::<Float64Array>()
            .unwrap()
            .value(0),
        1.100000023841858
    );
    let d: ArrayRef = Arc::new(Float64Array::from(vec![0.1]));
    let out = cast(&d, &T::Double, &T::Float, CastMode::Ansi).unwrap();
    assert_eq!(
        out.as_any()
            .downcast_ref::<Float32Array>()
            .unwrap()
            .value(0),
        0.1_f32
    );
}

#[test]
fn test_decimal_cast_rounding_and_overflow() {
    let d: ArrayRef = Arc::new(Float64Array::from(vec![122.007, 143.815, 149.577]));
    let out = to_string(
        cast(&d, &T::Double, &T::Decimal(10, 2), CastMode::Ansi).unwrap(),
        &T::Decimal(10, 2),
    );
    assert_eq!(
        out,
        vec![
            Some("122.01".into()),
            Some("143.82".into()),
            Some("149.58".into())
        ]
    );
    let lit: ArrayRef = Arc::new(
        Decimal128Array::from(vec![2345, -2345])
            .with_precision_and_scale(4, 3)
            .unwrap(),
    );
    let out = to_string(
        cast(&lit, &T::Decimal(4, 3), &T::Decimal(4, 2), CastMode::Ansi).unwrap(),
        &T::Decimal(4, 2),
    );
    assert_eq!(out, vec![Some("2.35".into()), Some("-2.35".into())]);
    let wide: ArrayRef = Arc::new(
        Decimal128Array::from(vec![12345678])
            .with_precision_and_scale(8, 3)
            .unwrap(),
    );
    let e = cast(&wide, &T::Decimal(8, 3), &T::Decimal(4, 1), CastMode::Ansi).unwrap_err();
    assert_eq!(
        e.error_class(),
        ErrorClass::NumericValueOutOfRangeWithSuggestion
    );
    assert!(e.to_string().contains("12345.678") && e.to_string().contains("Decimal(4, 1)"));
    assert_eq!(
        cast(&wide, &T::Decimal(8, 3), &T::Decimal(4, 1), CastMode::Try)
            .unwrap()
            .null_count(),
        1
    );
}

#[test]
fn test_numbers_to_string_java_style() {
    let d: ArrayRef = Arc::new(Float64Array::from(vec![
        100.0,
        1e20,
        0.0001,
        123456789.0,
        1e7,
        9999999.0,
    ]));
    let expected = [
        "100.0",
        "1.0E20",
        "1.0E-4",
        "1.23456789E8",
        "1.0E7",
        "9999999.0",
    ];
    let got = to_string(d, &T::Double);
    assert_eq!(
        got,
        expected
            .iter()
            .map(|s| Some(s.to_string()))
            .collect::<Vec<_>>()
    );
    let f: ArrayRef = Arc::new(Float32Array::from(vec![1.1_f32]));
    assert_eq!(to_string(f, &T::Float), vec![Some("1.1".into())]);
    let dec: ArrayRef = Arc::new(
        Decimal128Array::from(vec![1250])
            .with_precision_and_scale(4, 2)
            .unwrap(),
    );
    assert_eq!(
        to_string(dec, &T::Decimal(4, 2)),
        vec![Some("12.50".into())]
    );
}

#[test]
fn test_boolean_casts() {
    let s = strings(&[
        Some("true"),
        Some("FALSE"),
        Some("yes"),
        Some("1"),
        Some(" t "),
    ]);
    let out = cast(&s, &T::String, &T::Boolean, CastMode::Ansi).unwrap();
    let out = out.as_any().downcast_ref::<BooleanArray>().unwrap();
    assert_eq!(
        out.iter().collect::<Vec<_>>(),
        vec![Some(true), Some(false), Some(true), Some(true), Some(true)]
    );
    let e = cast(
        &strings(&[Some("maybe")]),
        &T::String,
        &T::Boolean,
        CastMode::Ansi,
    )
    .unwrap_err();
    assert_eq!(e.error_class(), ErrorClass::CastInvalidInput);
    let ints: ArrayRef = Arc::new(Int32Array::from(vec![0, 5]));
    let out = cast(&ints, &T::Int, &T::Boolean, CastMode::Ansi).unwrap();
    assert_eq!(
        out.as_any().downcast_ref::<BooleanArray>().unwrap(),
        &BooleanArray::from(vec![false, true])
    );
    let b: ArrayRef = Arc::new(BooleanArray::from(vec![true, false]));
    let out = cast(&b, &T::Boolean, &T::Double, CastMode::Ansi).unwrap();
    assert_eq!(
        out.as_any()
            .downcast_ref::<Float64Array>()
            .unwrap()
            .values()
            .to_vec(),
        vec![1.0, 0.0]
    );
    assert_eq!(
        to_string(b, &T::Boolean),
        vec![Some("true".into()), Some("false".into())]
    );
}

#[test]
fn test_timestamp_casts() {
    let micros = 1_673_153_114_515_000_i64;
    let ts: ArrayRef =
        Arc::new(TimestampMicrosecondArray::from(vec![Some(micros), None]).with_timezone("UTC"));
    assert_eq!(
        to_string(ts.clone(), &T::Timestamp),
        vec![Some("2023-01-08 04:45:14.515".into()), None]
    );
    let date = cast(&ts, &T::Timestamp, &T::Date, CastMode::Ansi).unwrap();
    let date = date.as_any().downcast_ref::<Date32Array>().unwrap();
    assert_eq!(date.value(0) as i64, days_from_civil(2023, 1, 8));
    let secs = cast(&ts, &T::Timestamp, &T::Long, CastMode::Ansi).unwrap();
    assert_eq!(
        secs.as_any().downcast_ref::<Int64Array>().unwrap().value(0),
        1_673_153_114
    );
    let secs = cast(&ts, &T::Timestamp, &T::Double, CastMode::Ansi).unwrap();
    assert_eq!(
        secs.as_any()
            .downcast_ref::<Float64Array>()
            .unwrap()
            .value(0),
        1_673_153_114.515
    );
    let back = cast(
        &strings(&[Some("2023-01-08 04:45:14.515")]),
        &T::String,
        &T::Timestamp,
        CastMode::Ansi,
    )
    .unwrap();
    assert_eq!(back.data_type(), &T::Timestamp.to_arrow());
    assert_eq!(
        back.as_any()
            .downcast_ref::<TimestampMicrosecondArray>()
            .unwrap()
            .value(0),
        micros
    );
    let e = cast(
        &strings(&[Some("not a date")]),
        &T::String,
        &T::Date,
        CastMode::Ansi,
    )
    .unwrap_err();
    assert_eq!(e.error_class(), ErrorClass::CastInvalidInput);
    assert!(e.to_string().contains("\"DATE\""));
}

#[test]
fn test_float_to_boolean_and_string() {
    let f: ArrayRef = Arc::new(Float32Array::from(vec![Some(0.0), Some(1.0), None]));
    let out = cast(&f, &T::Float, &T::Boolean, CastMode::Ansi).unwrap();
    let out = out.as_any().downcast_ref::<BooleanArray>().unwrap();
    assert_eq!(
        out.iter().collect::<Vec<_>>(),
        vec![Some(false), Some(true), None]
    );
    assert_eq!(
        to_string(f, &T::Float),
        vec![Some("0.0".into()), Some("1.0".into()), None]
    );
}

#[test]
fn test_array_cast_and_render() {
    let list: ArrayRef = Arc::new(ListArray::from_iter_primitive::<Int32Type, _, _>(vec![
        Some(vec![Some(1), None, Some(3)]),
        None,
    ]));
    let from = T::Array(Box::new(T::Int));
    let to = T::Array(Box::new(T::String));
    let out = cast(&list, &from, &to, CastMode::Ansi).unwrap();
    assert_eq!(out.data_type(), &to.to_arrow());
    assert_eq!(
        to_string(list, &from),
        vec![Some("[1, null, 3]".into()), None]
    );
}

#[test]
fn test_can_cast_rules() {
    assert!(can_cast(&T::Null, &T::Date));
    assert!(can_cast(&T::Int, &T::Timestamp));
    assert!(!can_cast(&T::Int, &T::Date));
    assert!(!can_cast(&T::Date, &T::Boolean));
    assert!(can_cast(
        &T::Array(Box::new(T::Int)),
        &T::Array(Box::new(T::Double))
    ));
    assert!(!can_cast(&T::Array(Box::new(T::Int)), &T::Int));
    let e = cast(
        &(Arc::new(Int32Array::from(vec![1])) as ArrayRef),
        &T::Int,
        &T::Date,
        CastMode::Ansi,
    )
    .unwrap_err();
    assert_eq!(
        e.error_class(),
        ErrorClass::DatatypeMismatchCastWithoutSuggestion
    );
}

#[test]
fn test_null_cast_gives_typed_nulls() {
    let n: ArrayRef = Arc::new(arrow::array::NullArray::new(2));
    let out = cast(&n, &T::Null, &T::Timestamp, CastMode::Ansi).unwrap();
    assert_eq!(out.data_type(), &T::Timestamp.to_arrow());
    assert_eq!(out.null_count(), 2);
}
