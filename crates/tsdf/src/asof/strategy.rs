//! How `asofJoin` finds each left row's right row, chosen from Tempo's options; each strategy
//! takes the options that mean something to it and rejects the others, so no option is
//! silently ignored (Tempo itself ignores several on its range-join path).

use super::plan::AsofJoinOptions;
use crate::error::{Result, TsdfError};

/// The options of the merge strategies.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct MergeOptions {
    /// `skipNulls`: each right column's latest non-NULL value, or the latest row whole.
    pub skip_nulls: bool,
    /// `tolerance` (seconds): older matches become NULL.
    pub tolerance: Option<f64>,
    /// `tsPartitionVal` and `fraction`: Tempo's skew mode, which only looks back into the
    /// current bucket and the last `fraction` of the previous one.
    pub skew: Option<(f64, f64)>,
}

/// An as-of join algorithm.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum AsofStrategy {
    /// The default (and, with `tsPartitionVal`, skew) join: a merge over sorted right runs.
    Merge(MergeOptions),
    /// `sql_join_opt=True`: Tempo's inner range join (different semantics, see the spec):
    /// it never skips NULLs, so `skipNulls` has no effect, and it has no tolerance or buckets.
    RangeJoin,
}

fn invalid(param: &'static str, message: impl Into<String>) -> TsdfError {
    TsdfError::InvalidArgument {
        param,
        message: message.into(),
    }
}

impl AsofStrategy {
    /// The strategy `opts` ask for, with its options checked.
    pub(super) fn of(opts: &AsofJoinOptions) -> Result<AsofStrategy> {
        if opts.sql_join_opt {
            Self::range_join(opts)
        } else {
            Self::merge(opts).map(AsofStrategy::Merge)
        }
    }

    fn range_join(opts: &AsofJoinOptions) -> Result<AsofStrategy> {
        let ignored = |param: &'static str| {
            invalid(
                param,
                format!(
                    "the range join of sql_join_opt=True does not apply `{param}` (Tempo \
                     silently ignores it there); drop `{param}` or sql_join_opt"
                ),
            )
        };
        if opts.tolerance.is_some() {
            return Err(ignored("tolerance"));
        }
        if opts.ts_partition_val.is_some() {
            return Err(ignored("tsPartitionVal"));
        }
        if opts.fraction != AsofJoinOptions::default().fraction {
            return Err(ignored("fraction"));
        }
        Ok(AsofStrategy::RangeJoin)
    }

    fn merge(opts: &AsofJoinOptions) -> Result<MergeOptions> {
        let skew = match opts.ts_partition_val {
            None if opts.fraction != AsofJoinOptions::default().fraction => {
                return Err(invalid(
                    "fraction",
                    "`fraction` only applies with a partition value (tsPartitionVal)",
                ));
            }
            None => None,
            Some(v) if v.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) => {
                return Err(invalid(
                    "tsPartitionVal",
                    format!("must be positive, got {v}"),
                ));
            }
            Some(_) if !opts.skip_nulls => {
                return Err(invalid(
                    "skipNulls",
                    "disabling null skipping with a partition value (tsPartitionVal) is not \
                     supported",
                ));
            }
            Some(v) => Some((v, opts.fraction)),
        };
        Ok(MergeOptions {
            skip_nulls: opts.skip_nulls,
            tolerance: opts.tolerance,
            skew,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(f: impl FnOnce(&mut AsofJoinOptions)) -> Result<AsofStrategy> {
        let mut opts = AsofJoinOptions::default();
        f(&mut opts);
        AsofStrategy::of(&opts)
    }

    fn rejected_param(r: Result<AsofStrategy>) -> &'static str {
        match r {
            Err(TsdfError::InvalidArgument { param, .. }) => param,
            other => panic!("expected a rejection, got {other:?}"),
        }
    }

    #[test]
    fn test_defaults_merge_skipping_nulls() {
        let expected = MergeOptions {
            skip_nulls: true,
            tolerance: None,
            skew: None,
        };
        assert_eq!(with(|_| {}).unwrap(), AsofStrategy::Merge(expected));
    }

    #[test]
    fn test_the_range_join_rejects_the_options_it_cannot_apply() {
        assert_eq!(
            with(|o| o.sql_join_opt = true).unwrap(),
            AsofStrategy::RangeJoin
        );
        let range = |f: fn(&mut AsofJoinOptions)| {
            with(move |o| {
                o.sql_join_opt = true;
                f(o);
            })
        };
        assert_eq!(
            rejected_param(range(|o| o.tolerance = Some(60.0))),
            "tolerance"
        );
        assert_eq!(
            rejected_param(range(|o| o.ts_partition_val = Some(600.0))),
            "tsPartitionVal"
        );
        assert_eq!(rejected_param(range(|o| o.fraction = 0.1)), "fraction");
    }

    #[test]
    fn test_the_merge_checks_skew_options() {
        assert_eq!(rejected_param(with(|o| o.fraction = 0.1)), "fraction");
        assert_eq!(
            rejected_param(with(|o| o.ts_partition_val = Some(0.0))),
            "tsPartitionVal"
        );
        let no_skip = |o: &mut AsofJoinOptions| {
            o.ts_partition_val = Some(600.0);
            o.skip_nulls = false;
        };
        assert_eq!(rejected_param(with(no_skip)), "skipNulls");
        let skew = with(|o| {
            o.ts_partition_val = Some(600.0);
            o.fraction = 0.25;
            o.tolerance = Some(30.0);
        });
        let expected = MergeOptions {
            skip_nulls: true,
            tolerance: Some(30.0),
            skew: Some((600.0, 0.25)),
        };
        assert_eq!(skew.unwrap(), AsofStrategy::Merge(expected));
    }
}
