//! Unit tests of the math functions, through the registry.

use crate::ErrorClass;
use crate::functions::testing::{
    call, call_c, double, doubles, floats, int, ints, one, render, s, texts,
};
use crate::types::SparkType;

#[test]
fn test_sqrt_power_log_exp() {
    assert_eq!(one(call("sqrt", vec![int(16)])), Some("4.0".into()));
    assert_eq!(one(call("sqrt", vec![int(-1)])), Some("NaN".into()));
    assert_eq!(
        one(call("power", vec![int(2), int(10)])),
        Some("1024.0".into())
    );
    assert_eq!(
        one(call("power", vec![int(0), int(-1)])),
        Some("Infinity".into())
    );
    assert_eq!(one(call("ln", vec![int(0)])), None);
    assert_eq!(one(call("ln", vec![int(-1)])), None);
    assert_eq!(one(call("log10", vec![int(1000)])), Some("3.0".into()));
    assert_eq!(one(call("log2", vec![int(8)])), Some("3.0".into()));
    assert_eq!(one(call("log", vec![int(2), int(8)])), Some("3.0".into()));
    assert_eq!(one(call("log", vec![int(0), int(8)])), None);
    assert_eq!(one(call("exp", vec![int(0)])), Some("1.0".into()));
    assert_eq!(one(call("cbrt", vec![int(27)])), Some("3.0".into()));
    assert_eq!(one(call("pi", vec![])), Some("3.141592653589793".into()));
    assert_eq!(one(call("e", vec![])), Some("2.718281828459045".into()));
}

#[test]
fn test_sign_abs_degrees() {
    let out = call(
        "sign",
        vec![floats(&[Some(-3.5), Some(0.0), Some(852.03), None])],
    )
    .unwrap();
    assert_eq!(out.1, SparkType::Double);
    assert_eq!(
        render(&out),
        vec![
            Some("-1.0".into()),
            Some("0.0".into()),
            Some("1.0".into()),
            None
        ]
    );
    let out = call("abs", vec![ints(&[Some(-5), Some(3)])]).unwrap();
    assert_eq!(
        (out.1.clone(), render(&out)),
        (SparkType::Int, texts(&["5", "3"]))
    );
    assert_eq!(
        call("abs", vec![int(i32::MIN)]).unwrap_err().error_class(),
        ErrorClass::ArithmeticOverflow
    );
    assert_eq!(
        one(call("degrees", vec![double(std::f64::consts::PI)])),
        Some("180.0".into())
    );
}

#[test]
fn test_round_types_and_values() {
    let out = call_c("round", vec![doubles(&[Some(88.31666)]), int(3)]).unwrap();
    assert_eq!(
        (out.1.clone(), render(&out)),
        (SparkType::Double, texts(&["88.317"]))
    );
    let out = call_c("round", vec![floats(&[Some(3.96)]), int(1)]).unwrap();
    assert_eq!(
        (out.1.clone(), render(&out)),
        (SparkType::Float, texts(&["4.0"]))
    );
    let out = call_c("round", vec![double(2.5)]).unwrap();
    assert_eq!(render(&out), texts(&["3.0"]));
    let out = call_c("bround", vec![double(2.5)]).unwrap();
    assert_eq!(render(&out), texts(&["2.0"]));
    let out = call_c("round", vec![int(15), int(-1)]).unwrap();
    assert_eq!(
        (out.1.clone(), render(&out)),
        (SparkType::Int, texts(&["20"]))
    );
    let e = call("round", vec![double(1.0), int(2)]).unwrap_err();
    assert_eq!(
        e.error_class(),
        ErrorClass::DatatypeMismatchNonFoldableInput
    );
    let e = call("round", vec![]).unwrap_err();
    assert_eq!(e.error_class(), ErrorClass::WrongNumArgsWithoutSuggestion);
    assert!(e.to_string().contains("[1, 2]"));
}

#[test]
fn test_round_decimal() {
    let value = crate::functions::cast::cast(
        &s("2.345").0,
        &SparkType::String,
        &SparkType::Decimal(4, 3),
        crate::functions::cast::CastMode::Ansi,
    )
    .unwrap();
    let out = call_c(
        "round",
        vec![(value.clone(), SparkType::Decimal(4, 3)), int(2)],
    )
    .unwrap();
    assert_eq!(
        (out.1.to_string(), render(&out)),
        ("decimal(4,2)".into(), texts(&["2.35"]))
    );
    let out = call_c("floor", vec![(value.clone(), SparkType::Decimal(4, 3))]).unwrap();
    assert_eq!(
        (out.1.to_string(), render(&out)),
        ("decimal(2,0)".into(), texts(&["2"]))
    );
    let out = call_c("ceil", vec![(value, SparkType::Decimal(4, 3))]).unwrap();
    assert_eq!(render(&out), texts(&["3"]));
}

#[test]
fn test_floor_ceil_bigint() {
    let out = call("floor", vec![doubles(&[Some(-2.5), Some(2.5)])]).unwrap();
    assert_eq!(
        (out.1.clone(), render(&out)),
        (SparkType::Long, texts(&["-3", "2"]))
    );
    let out = call("ceil", vec![doubles(&[Some(-2.5), Some(2.5)])]).unwrap();
    assert_eq!(render(&out), texts(&["-2", "3"]));
    let out = call("ceil", vec![int(7)]).unwrap();
    assert_eq!(
        (out.1.clone(), render(&out)),
        (SparkType::Long, texts(&["7"]))
    );
}

#[test]
fn test_width_bucket_bin_hex() {
    let out = call(
        "width_bucket",
        vec![
            doubles(&[Some(5.3), Some(-1.0), Some(11.0)]),
            doubles(&[Some(0.2); 3]),
            doubles(&[Some(10.6); 3]),
            ints(&[Some(5); 3]),
        ],
    )
    .unwrap();
    assert_eq!(render(&out), texts(&["3", "0", "6"]));
    assert_eq!(one(call("bin", vec![int(13)])), Some("1101".into()));
    assert_eq!(one(call("hex", vec![int(17)])), Some("11".into()));
    assert_eq!(
        one(call("hex", vec![s("Spark")])),
        Some("537061726B".into())
    );
}

#[test]
fn test_pmod_mod_functions() {
    assert_eq!(one(call("pmod", vec![int(-7), int(3)])), Some("2".into()));
    assert_eq!(one(call("mod", vec![int(-7), int(3)])), Some("-1".into()));
}
