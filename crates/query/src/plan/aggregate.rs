//! Aggregate calls as the plan holds them.

use crate::plan::expr::TypedExpr;
use crate::types::SparkType;

/// The aggregate functions the executor implements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AggFunc {
    /// `count(x)`, `count(*)` (counts non-NULL values; `count(*)` is `count(1)`).
    Count,
    /// `sum`
    Sum,
    /// `avg` / `mean`
    Avg,
    /// `min`
    Min,
    /// `max`
    Max,
    /// `stddev` / `stddev_samp` / `std`
    StddevSamp,
    /// `stddev_pop`
    StddevPop,
    /// `variance` / `var_samp`
    VarSamp,
    /// `var_pop`
    VarPop,
    /// `skewness`
    Skewness,
    /// `kurtosis` (excess)
    Kurtosis,
    /// `corr(x, y)`
    Corr,
    /// `covar_pop(x, y)`
    CovarPop,
    /// `covar_samp(x, y)`
    CovarSamp,
    /// `percentile(x, p)`, `median(x)`, `percentile_cont(p) WITHIN GROUP (ORDER BY x)`:
    /// linear interpolation between the closest ranks.
    Percentile,
    /// `percentile_disc(p) WITHIN GROUP (ORDER BY x)`: the first value whose cumulative
    /// distribution reaches `p`.
    PercentileDisc,
    /// `percentile_approx(x, p)` / `approx_percentile`: an element of the input.
    PercentileApprox,
    /// `first(x [, ignoreNulls])` / `first_value`
    First,
    /// `last(x [, ignoreNulls])` / `last_value`
    Last,
    /// `any_value(x)`
    AnyValue,
    /// `count_if(cond)`
    CountIf,
    /// `bool_and` / `every`
    BoolAnd,
    /// `bool_or` / `some` / `any`
    BoolOr,
    /// `collect_list` / `array_agg`
    CollectList,
    /// `collect_set`
    CollectSet,
    /// `max_by(x, ord)`
    MaxBy,
    /// `min_by(x, ord)`
    MinBy,
    /// `mode(x)`: the most frequent non-NULL value (ties: the smallest).
    Mode,
    /// `grouping(x)` / `grouping_id(...)`: which group keys the row's grouping set leaves
    /// out, one bit per argument (a literal position in the node's group keys), the first
    /// argument the most significant. A constant per grouping set, so the aggregate node
    /// computes it per set instead of accumulating it.
    Grouping,
}

/// One aggregate in an `Aggregate` node (or a window aggregate).
#[derive(Debug, Clone, PartialEq)]
pub struct AggregateCall {
    /// Which aggregate.
    pub func: AggFunc,
    /// Arguments, evaluated over the input rows (constants such as percentages included).
    pub args: Vec<TypedExpr>,
    /// `DISTINCT`: each distinct argument tuple counts once per group.
    pub distinct: bool,
    /// `FILTER (WHERE ...)`: only rows where it is TRUE take part.
    pub filter: Option<TypedExpr>,
    /// `first`/`last` skip NULLs.
    pub ignore_nulls: bool,
    /// `percentile_cont ... WITHIN GROUP (ORDER BY x DESC)`: percentages count from the top.
    pub reverse: bool,
    /// The result type.
    pub data_type: SparkType,
}

impl AggregateCall {
    /// Whether the result may be NULL (every aggregate but the counts can be).
    pub fn nullable(&self) -> bool {
        !matches!(
            self.func,
            AggFunc::Count | AggFunc::CountIf | AggFunc::Grouping
        )
    }
}
