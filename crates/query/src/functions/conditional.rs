//! NULL and conditional functions: `nvl`/`ifnull`, `nvl2`, `nullif`, `nanvl`, `greatest`,
//! `least`, `isnull`, `isnotnull`, `isnan`, `typeof`. (`coalesce`, `if` and `CASE` are the
//! planner's special forms.)

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, BooleanArray, Float32Array};
use arrow::compute::{is_not_null, is_null, nullif};
use arrow::datatypes::DataType;
use tsdf::select;

use crate::error::{ErrorClass, QueryError, Result};
use crate::functions::cast::{CastMode, cast};
use crate::functions::common::{Want, arg, check_arity, coerce_args, func, prim};
use crate::functions::compare::{CompareOp, compare};
use crate::functions::{ArgInfo, EvalContext, ScalarFunction, Signature};
use crate::types::{SparkType, wider_type, wider_type_of_all};

fn no_common_type(name: &str, args: &[ArgInfo]) -> QueryError {
    let types: Vec<String> = args.iter().map(|a| a.data_type.sql_name()).collect();
    QueryError::analysis(
        ErrorClass::DatatypeMismatchDataDiffTypes,
        format!(
            "Cannot resolve \"{name}\" due to data type mismatch: Input to `{name}` should all be \
             the same type, but it's [{}].",
            types.join(", ")
        ),
    )
}

/// All arguments (from `skip` on) widened to one type, which is also the result.
fn resolve_common(name: &'static str, args: &[ArgInfo], skip: usize) -> Result<Signature> {
    let types: Vec<SparkType> = args[skip..].iter().map(|a| a.data_type.clone()).collect();
    let common = wider_type_of_all(&types).ok_or_else(|| no_common_type(name, args))?;
    let mut out: Vec<SparkType> = args[..skip].iter().map(|a| a.data_type.clone()).collect();
    out.extend(std::iter::repeat_n(common.clone(), types.len()));
    Ok(Signature {
        args: out,
        result: common,
    })
}

fn resolve_nvl(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 2, 2)?;
    resolve_common(name, args, 0)
}

fn invoke_nvl(args: &[ArrayRef], _: usize, _: &EvalContext) -> Result<ArrayRef> {
    let (a, b) = (arg(args, 0)?, arg(args, 1)?);
    Ok(select(&is_not_null(a.as_ref())?, a.as_ref(), b.as_ref())?)
}

fn resolve_nvl2(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 3, 3)?;
    resolve_common(name, args, 1)
}

fn invoke_nvl2(args: &[ArrayRef], _: usize, _: &EvalContext) -> Result<ArrayRef> {
    Ok(select(
        &is_not_null(arg(args, 0)?.as_ref())?,
        arg(args, 1)?.as_ref(),
        arg(args, 2)?.as_ref(),
    )?)
}

fn resolve_nullif(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 2, 2)?;
    let (l, r) = (&args[0].data_type, &args[1].data_type);
    wider_type(l, r).ok_or_else(|| no_common_type(name, args))?;
    // The result keeps the first argument's own type; the comparison widens inside invoke.
    Ok(Signature {
        args: vec![l.clone(), r.clone()],
        result: l.clone(),
    })
}

/// The Spark type of an argument array, for functions that widen inside `invoke`.
fn spark_type(array: &ArrayRef) -> Result<SparkType> {
    SparkType::from_arrow(array.data_type())
        .ok_or_else(|| QueryError::Internal(format!("no Spark type for {}", array.data_type())))
}

fn invoke_nullif(args: &[ArrayRef], _: usize, _: &EvalContext) -> Result<ArrayRef> {
    let (a, b) = (arg(args, 0)?, arg(args, 1)?);
    let (at, bt) = (spark_type(a)?, spark_type(b)?);
    let common = wider_type(&at, &bt)
        .ok_or_else(|| QueryError::Internal(format!("nullif: no common type of {at} and {bt}")))?;
    let equal = compare(
        CompareOp::Eq,
        &cast(a, &at, &common, CastMode::Ansi)?,
        &cast(b, &bt, &common, CastMode::Ansi)?,
    )?;
    if at == SparkType::Null {
        return Ok(a.clone());
    }
    Ok(nullif(a.as_ref(), &equal)?)
}

fn resolve_nanvl(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 2, 2)?;
    let both_float = args
        .iter()
        .all(|a| matches!(a.data_type, SparkType::Float | SparkType::Null));
    let t = if both_float {
        SparkType::Float
    } else {
        SparkType::Double
    };
    coerce_args(name, args, &[Want::Double, Want::Double])?;
    Ok(Signature {
        args: vec![t.clone(), t.clone()],
        result: t,
    })
}

fn invoke_nanvl(args: &[ArrayRef], _: usize, _: &EvalContext) -> Result<ArrayRef> {
    let (a, b) = (arg(args, 0)?, arg(args, 1)?);
    let nan: BooleanArray = match a.data_type() {
        DataType::Float32 => prim::<arrow::datatypes::Float32Type>(a.as_ref())?
            .iter()
            .map(|v| Some(v.is_some_and(f32::is_nan)))
            .collect(),
        _ => prim::<arrow::datatypes::Float64Type>(a.as_ref())?
            .iter()
            .map(|v| Some(v.is_some_and(f64::is_nan)))
            .collect(),
    };
    Ok(select(&nan, b.as_ref(), a.as_ref())?)
}

fn resolve_extreme(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 2, usize::MAX)?;
    let sig = resolve_common(name, args, 0)?;
    if matches!(sig.result, SparkType::Map(..)) {
        return Err(no_common_type(name, args));
    }
    Ok(sig)
}

/// `greatest`/`least`: NULL arguments are skipped; NaN is the greatest value.
fn extreme(args: &[ArrayRef], op: CompareOp) -> Result<ArrayRef> {
    let mut acc = arg(args, 0)?.clone();
    for next in &args[1..] {
        let better = compare(op, next, &acc)?;
        // `logical_nulls` also sees the rows of a `NullArray`.
        let acc_nulls = acc.logical_nulls();
        // Take `next` where it wins, or where the running value is NULL.
        let take: BooleanArray = better
            .iter()
            .enumerate()
            .map(|(i, wins)| {
                Some(wins == Some(true) || acc_nulls.as_ref().is_some_and(|n| n.is_null(i)))
            })
            .collect();
        acc = select(&take, next.as_ref(), acc.as_ref())?;
    }
    Ok(acc)
}

fn invoke_greatest(args: &[ArrayRef], _: usize, _: &EvalContext) -> Result<ArrayRef> {
    extreme(args, CompareOp::Gt)
}

fn invoke_least(args: &[ArrayRef], _: usize, _: &EvalContext) -> Result<ArrayRef> {
    extreme(args, CompareOp::Lt)
}

fn resolve_predicate(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 1, 1)?;
    Ok(Signature {
        args: vec![args[0].data_type.clone()],
        result: SparkType::Boolean,
    })
}

fn invoke_isnull(args: &[ArrayRef], _: usize, _: &EvalContext) -> Result<ArrayRef> {
    Ok(Arc::new(is_null(arg(args, 0)?.as_ref())?))
}

fn invoke_isnotnull(args: &[ArrayRef], _: usize, _: &EvalContext) -> Result<ArrayRef> {
    Ok(Arc::new(is_not_null(arg(args, 0)?.as_ref())?))
}

fn resolve_isnan(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 1, 1)?;
    let t = match &args[0].data_type {
        SparkType::Float => SparkType::Float,
        other => coerce_args(name, std::slice::from_ref(&args[0]), &[Want::Double])
            .map(|_| SparkType::Double)
            .map_err(|_| crate::functions::common::unexpected_type(name, 0, "\"DOUBLE\"", other))?,
    };
    Ok(Signature {
        args: vec![t],
        result: SparkType::Boolean,
    })
}

fn invoke_isnan(args: &[ArrayRef], _: usize, _: &EvalContext) -> Result<ArrayRef> {
    let a = arg(args, 0)?;
    // isnan(NULL) is false, never NULL.
    let out: BooleanArray = match a.as_any().downcast_ref::<Float32Array>() {
        Some(f) => f.iter().map(|v| Some(v.is_some_and(f32::is_nan))).collect(),
        None => prim::<arrow::datatypes::Float64Type>(a.as_ref())?
            .iter()
            .map(|v| Some(v.is_some_and(f64::is_nan)))
            .collect(),
    };
    Ok(Arc::new(out))
}

fn resolve_typeof(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 1, 1)?;
    Ok(Signature {
        args: vec![args[0].data_type.clone()],
        result: SparkType::String,
    })
}

fn invoke_typeof(args: &[ArrayRef], num_rows: usize, _: &EvalContext) -> Result<ArrayRef> {
    // Arrow storage names the Spark type, except that every day-time interval reads as
    // `interval day to second`.
    let name = spark_type(arg(args, 0)?)?.simple_string();
    Ok(Arc::new(arrow::array::StringArray::from(vec![
        name;
        num_rows
    ])))
}

func!(NVL, "nvl", resolve_nvl, invoke_nvl);
func!(IFNULL, "ifnull", resolve_nvl, invoke_nvl);
func!(NVL2, "nvl2", resolve_nvl2, invoke_nvl2);
func!(NULLIF, "nullif", resolve_nullif, invoke_nullif);
func!(NANVL, "nanvl", resolve_nanvl, invoke_nanvl);
func!(GREATEST, "greatest", resolve_extreme, invoke_greatest);
func!(LEAST, "least", resolve_extreme, invoke_least);
func!(ISNULL, "isnull", resolve_predicate, invoke_isnull);
func!(ISNOTNULL, "isnotnull", resolve_predicate, invoke_isnotnull);
func!(ISNAN, "isnan", resolve_isnan, invoke_isnan);
func!(TYPEOF, "typeof", resolve_typeof, invoke_typeof);

/// The conditional and NULL-handling functions.
pub(crate) static FUNCTIONS: &[&dyn ScalarFunction] = &[
    &NVL, &IFNULL, &NVL2, &NULLIF, &NANVL, &GREATEST, &LEAST, &ISNULL, &ISNOTNULL, &ISNAN, &TYPEOF,
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::functions::testing::{call, floats, ints, render};
    use arrow::array::Float64Array;

    #[test]
    fn test_nvl_widens_float_with_int() {
        let out = call(
            "nvl",
            vec![floats(&[Some(92.0), None]), ints(&[Some(-1), Some(-1)])],
        )
        .unwrap();
        assert_eq!(out.1, SparkType::Double);
        assert_eq!(render(&out), vec![Some("92.0".into()), Some("-1.0".into())]);
        let out = call(
            "nvl",
            vec![crate::functions::testing::null(), ints(&[Some(3)])],
        )
        .unwrap();
        assert_eq!(
            (out.1.clone(), render(&out)),
            (SparkType::Int, vec![Some("3".into())])
        );
        let out = call(
            "nvl2",
            vec![
                floats(&[Some(1.0), None]),
                ints(&[Some(1), Some(1)]),
                ints(&[Some(0), Some(0)]),
            ],
        )
        .unwrap();
        assert_eq!(render(&out), vec![Some("1".into()), Some("0".into())]);
    }

    #[test]
    fn test_nullif_keeps_first_type() {
        let out = call(
            "nullif",
            vec![
                floats(&[Some(0.0), Some(835.36)]),
                ints(&[Some(0), Some(0)]),
            ],
        )
        .unwrap();
        assert_eq!(out.1, SparkType::Float);
        assert_eq!(render(&out), vec![None, Some("835.36".into())]);
    }

    #[test]
    fn test_greatest_least_skip_nulls() {
        let t = floats(&[None, Some(93.4), Some(85.5)]);
        let d = floats(&[Some(3.96), Some(4.34), Some(3.92)]);
        let out = call(
            "greatest",
            vec![t.clone(), d.clone(), ints(&[Some(90), Some(90), Some(90)])],
        )
        .unwrap();
        assert_eq!(out.1, SparkType::Double);
        assert_eq!(
            render(&out),
            vec![
                Some("90.0".into()),
                Some("93.4000015258789".into()),
                Some("90.0".into())
            ]
        );
        let out = call("least", vec![t, d]).unwrap();
        assert_eq!(out.1, SparkType::Float);
        assert_eq!(
            render(&out),
            vec![
                Some("3.96".into()),
                Some("4.34".into()),
                Some("3.92".into())
            ]
        );
        let nan: ArrayRef = Arc::new(Float64Array::from(vec![f64::NAN]));
        let one: ArrayRef = Arc::new(Float64Array::from(vec![f64::INFINITY]));
        let out = call(
            "greatest",
            vec![(one, SparkType::Double), (nan, SparkType::Double)],
        )
        .unwrap();
        assert_eq!(render(&out), vec![Some("NaN".into())]);
    }

    #[test]
    fn test_isnan_and_nanvl() {
        let x: ArrayRef = Arc::new(Float64Array::from(vec![Some(f64::NAN), Some(1.0), None]));
        let out = call("isnan", vec![(x.clone(), SparkType::Double)]).unwrap();
        assert_eq!(
            render(&out),
            vec![
                Some("true".into()),
                Some("false".into()),
                Some("false".into())
            ]
        );
        let out = call(
            "nanvl",
            vec![(x, SparkType::Double), ints(&[Some(0), Some(0), Some(0)])],
        )
        .unwrap();
        assert_eq!(
            render(&out),
            vec![Some("0.0".into()), Some("1.0".into()), None]
        );
    }

    #[test]
    fn test_typeof_and_errors() {
        let out = call("typeof", vec![ints(&[Some(1)])]).unwrap();
        assert_eq!(render(&out), vec![Some("int".into())]);
        let e = call("greatest", vec![ints(&[Some(1)])]).unwrap_err();
        assert_eq!(e.error_class(), ErrorClass::WrongNumArgsWithoutSuggestion);
        let b: ArrayRef = Arc::new(BooleanArray::from(vec![true]));
        let e = call("nvl", vec![(b, SparkType::Boolean), ints(&[Some(1)])]).unwrap_err();
        assert_eq!(e.error_class(), ErrorClass::DatatypeMismatchDataDiffTypes);
    }
}
