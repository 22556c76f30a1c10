//! Aggregate, window and generator functions by name, and the Spark result types of
//! aggregates.

use crate::error::{ErrorClass, QueryError, Result};
use crate::plan::aggregate::AggFunc;
use crate::plan::expr::TypedExpr;
use crate::types::SparkType;

/// Spark's largest decimal precision.
const MAX_PRECISION: u8 = 38;

/// The aggregate registered under `name`, if any.
pub(crate) fn aggregate_func(name: &str) -> Option<AggFunc> {
    Some(match name {
        "count" | "approx_count_distinct" => AggFunc::Count,
        "sum" => AggFunc::Sum,
        "avg" | "mean" => AggFunc::Avg,
        "min" => AggFunc::Min,
        "max" => AggFunc::Max,
        "stddev" | "std" | "stddev_samp" => AggFunc::StddevSamp,
        "stddev_pop" => AggFunc::StddevPop,
        "variance" | "var_samp" => AggFunc::VarSamp,
        "var_pop" => AggFunc::VarPop,
        "skewness" => AggFunc::Skewness,
        "kurtosis" => AggFunc::Kurtosis,
        "corr" => AggFunc::Corr,
        "covar_pop" => AggFunc::CovarPop,
        "covar_samp" => AggFunc::CovarSamp,
        "median" | "percentile" | "percentile_cont" => AggFunc::Percentile,
        "percentile_disc" => AggFunc::PercentileDisc,
        "percentile_approx" | "approx_percentile" => AggFunc::PercentileApprox,
        "first" | "first_value" => AggFunc::First,
        "last" | "last_value" => AggFunc::Last,
        "any_value" => AggFunc::AnyValue,
        "count_if" => AggFunc::CountIf,
        "bool_and" | "every" => AggFunc::BoolAnd,
        "bool_or" | "some" | "any" => AggFunc::BoolOr,
        "collect_list" | "array_agg" => AggFunc::CollectList,
        "collect_set" => AggFunc::CollectSet,
        "max_by" => AggFunc::MaxBy,
        "min_by" => AggFunc::MinBy,
        "mode" => AggFunc::Mode,
        _ => return None,
    })
}

/// Functions that only exist with an OVER clause.
pub(crate) fn is_window_only(name: &str) -> bool {
    matches!(
        name,
        "row_number"
            | "rank"
            | "dense_rank"
            | "percent_rank"
            | "cume_dist"
            | "ntile"
            | "lag"
            | "lead"
            | "nth_value"
    )
}

/// `explode` and friends: (generator, outer).
pub(crate) fn generator(name: &str) -> Option<(crate::plan::GeneratorKind, bool)> {
    use crate::plan::GeneratorKind::*;
    Some(match name {
        "explode" => (Explode, false),
        "explode_outer" => (Explode, true),
        "posexplode" => (PosExplode, false),
        "posexplode_outer" => (PosExplode, true),
        "inline" => (Inline, false),
        "inline_outer" => (Inline, true),
        _ => return None,
    })
}

fn bounded(p: u16, s: u16) -> SparkType {
    SparkType::Decimal(
        p.min(MAX_PRECISION as u16) as u8,
        s.min(MAX_PRECISION as u16) as i8,
    )
}

fn mismatch(name: &str, t: &SparkType, wanted: &str) -> QueryError {
    QueryError::analysis(
        ErrorClass::DatatypeMismatchUnexpectedInputType,
        format!(
            "Cannot resolve \"{name}\": the argument requires {wanted} type, however it has the type \"{}\".",
            t.simple_string().to_uppercase()
        ),
    )
}

fn arity(name: &str, args: &[TypedExpr], min: usize, max: usize) -> Result<()> {
    if args.len() < min || args.len() > max {
        let range = if min == max {
            format!("{min}")
        } else {
            format!("[{min}, {max}]")
        };
        return Err(QueryError::analysis(
            ErrorClass::WrongNumArgsWithoutSuggestion,
            format!(
                "The `{name}` requires {range} parameters but the actual number is {}.",
                args.len()
            ),
        ));
    }
    Ok(())
}

fn numeric_as_double(name: &str, t: &SparkType) -> Result<SparkType> {
    if t.is_numeric() || matches!(t, SparkType::Null | SparkType::String) {
        Ok(SparkType::Double)
    } else {
        Err(mismatch(name, t, "\"NUMERIC\""))
    }
}

/// The argument types (to cast to) and result type of an aggregate.
pub(crate) fn signature(
    func: AggFunc,
    name: &str,
    args: &[TypedExpr],
) -> Result<(Vec<SparkType>, SparkType)> {
    let types: Vec<SparkType> = args.iter().map(|a| a.data_type.clone()).collect();
    let first = types.first().cloned().unwrap_or(SparkType::Null);
    use AggFunc::*;
    Ok(match func {
        Count => {
            arity(name, args, 1, usize::MAX)?;
            (types, SparkType::Long)
        }
        Sum | Avg => {
            arity(name, args, 1, 1)?;
            let (arg, result) = match &first {
                SparkType::Decimal(p, s) if func == Sum => {
                    (first.clone(), bounded(*p as u16 + 10, *s as u16))
                }
                SparkType::Decimal(p, s) => (first.clone(), bounded(*p as u16 + 4, *s as u16 + 4)),
                t if t.is_integral() && func == Sum => (SparkType::Long, SparkType::Long),
                SparkType::DayTimeInterval(..) | SparkType::YearMonthInterval(..) => {
                    (first.clone(), first.clone())
                }
                t => {
                    let d = numeric_as_double(name, t)?;
                    (d.clone(), d)
                }
            };
            (vec![arg], result)
        }
        Min | Max | AnyValue | Mode => {
            arity(name, args, 1, 1)?;
            (types, first)
        }
        First | Last => {
            arity(name, args, 1, 2)?;
            let mut casts = vec![first.clone()];
            if types.len() == 2 {
                casts.push(SparkType::Boolean);
            }
            (casts, first)
        }
        StddevSamp | StddevPop | VarSamp | VarPop | Skewness | Kurtosis => {
            arity(name, args, 1, 1)?;
            (vec![numeric_as_double(name, &first)?], SparkType::Double)
        }
        Corr | CovarPop | CovarSamp => {
            arity(name, args, 2, 2)?;
            (
                vec![
                    numeric_as_double(name, &types[0])?,
                    numeric_as_double(name, &types[1])?,
                ],
                SparkType::Double,
            )
        }
        Percentile | PercentileDisc => {
            let min = if name == "median" { 1 } else { 2 };
            arity(name, args, min, 3)?;
            let mut casts = vec![numeric_as_double(name, &first)?];
            let result = match types.get(1) {
                Some(SparkType::Array(_)) => {
                    casts.push(SparkType::Array(Box::new(SparkType::Double)));
                    SparkType::Array(Box::new(SparkType::Double))
                }
                Some(_) => {
                    casts.push(SparkType::Double);
                    SparkType::Double
                }
                None => SparkType::Double,
            };
            if types.len() == 3 {
                casts.push(SparkType::Long);
            }
            (casts, result)
        }
        PercentileApprox => {
            arity(name, args, 2, 3)?;
            if !(first.is_numeric()
                || matches!(
                    first,
                    SparkType::Date | SparkType::Timestamp | SparkType::TimestampNtz
                ))
            {
                return Err(mismatch(
                    name,
                    &first,
                    "\"NUMERIC\" or \"DATE\" or \"TIMESTAMP\"",
                ));
            }
            let mut casts = vec![first.clone()];
            let result = match &types[1] {
                SparkType::Array(_) => {
                    casts.push(SparkType::Array(Box::new(SparkType::Double)));
                    SparkType::Array(Box::new(first.clone()))
                }
                _ => {
                    casts.push(SparkType::Double);
                    first.clone()
                }
            };
            if types.len() == 3 {
                casts.push(SparkType::Int);
            }
            (casts, result)
        }
        CountIf => {
            arity(name, args, 1, 1)?;
            (vec![SparkType::Boolean], SparkType::Long)
        }
        BoolAnd | BoolOr => {
            arity(name, args, 1, 1)?;
            if !matches!(first, SparkType::Boolean | SparkType::Null) {
                return Err(mismatch(name, &first, "\"BOOLEAN\""));
            }
            (vec![SparkType::Boolean], SparkType::Boolean)
        }
        CollectList | CollectSet => {
            arity(name, args, 1, 1)?;
            (types, SparkType::Array(Box::new(first)))
        }
        MaxBy | MinBy => {
            arity(name, args, 2, 2)?;
            (types, first)
        }
        Grouping => {
            return Err(QueryError::Internal(
                "grouping() is resolved against the group keys, not by signature".into(),
            ));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::expr::ExprKind;

    fn arg(t: SparkType) -> TypedExpr {
        TypedExpr::new(ExprKind::Column(0), t)
    }

    #[test]
    fn test_sum_and_avg_result_types_follow_spark() {
        let r = |f, t| signature(f, "x", &[arg(t)]).unwrap().1;
        assert_eq!(r(AggFunc::Sum, SparkType::Int), SparkType::Long);
        assert_eq!(r(AggFunc::Avg, SparkType::Int), SparkType::Double);
        assert_eq!(r(AggFunc::Sum, SparkType::Float), SparkType::Double);
        assert_eq!(
            r(AggFunc::Sum, SparkType::Decimal(10, 2)),
            SparkType::Decimal(20, 2)
        );
        assert_eq!(
            r(AggFunc::Avg, SparkType::Decimal(10, 2)),
            SparkType::Decimal(14, 6)
        );
        assert_eq!(
            r(AggFunc::Sum, SparkType::Decimal(38, 2)),
            SparkType::Decimal(38, 2)
        );
        assert_eq!(r(AggFunc::Min, SparkType::Float), SparkType::Float);
    }

    #[test]
    fn test_wrong_arity_is_reported() {
        let err = signature(AggFunc::Sum, "sum", &[]).unwrap_err();
        assert_eq!(err.error_class(), ErrorClass::WrongNumArgsWithoutSuggestion);
    }
}
