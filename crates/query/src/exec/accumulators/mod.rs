//! Vectorised aggregate state: one accumulator per aggregate call holds the state of every
//! group and is fed whole arrays with a group id per row (no per-row boxing).

mod collect;
mod minmax;
mod moments;
mod percentile;
mod sum;

use arrow::array::{Array, ArrayRef, BooleanBufferBuilder};
use arrow::buffer::NullBuffer;
use arrow::datatypes::DataType;

use crate::error::{QueryError, Result};
use crate::kernels::gather::gather;
use crate::plan::aggregate::{AggFunc, AggregateCall};

/// The state of one aggregate for every group.
pub(crate) trait Accumulator {
    /// Feed rows: `args` holds the call's argument values (FILTER and DISTINCT already
    /// applied), `groups[i]` the group of row `i`; `num_groups` is how many groups exist now.
    fn update(&mut self, args: &[ArrayRef], groups: &[u32], num_groups: usize) -> Result<()>;

    /// The result of every group `0..num_groups`, as an array of the call's result type.
    fn finish(&mut self, num_groups: usize) -> Result<ArrayRef>;
}

/// The accumulator for `call`, whose arguments have the given Arrow types.
pub(crate) fn create(call: &AggregateCall, arg_types: &[DataType]) -> Result<Box<dyn Accumulator>> {
    let result = call.data_type.to_arrow();
    let first = arg_types.first().cloned().unwrap_or(DataType::Null);
    Ok(match call.func {
        AggFunc::Count => Box::new(sum::Count::new(false)),
        AggFunc::CountIf => Box::new(sum::Count::new(true)),
        AggFunc::Sum => sum::sum(&first, &result)?,
        AggFunc::Avg => sum::avg(&first, &result)?,
        AggFunc::Min => minmax::create(&first, false)?,
        AggFunc::Max => minmax::create(&first, true)?,
        AggFunc::BoolAnd => Box::new(sum::BoolAgg::new(true)),
        AggFunc::BoolOr => Box::new(sum::BoolAgg::new(false)),
        AggFunc::StddevSamp
        | AggFunc::StddevPop
        | AggFunc::VarSamp
        | AggFunc::VarPop
        | AggFunc::Skewness
        | AggFunc::Kurtosis => Box::new(moments::Moments::new(call.func)),
        AggFunc::Corr | AggFunc::CovarPop | AggFunc::CovarSamp => {
            Box::new(moments::CoMoments::new(call.func))
        }
        AggFunc::Percentile | AggFunc::PercentileDisc | AggFunc::PercentileApprox => {
            Box::new(percentile::Percentiles::new(call, &first, &result)?)
        }
        AggFunc::First | AggFunc::Last | AggFunc::AnyValue => {
            Box::new(collect::Pick::new(call.func, call.ignore_nulls, first))
        }
        AggFunc::CollectList | AggFunc::CollectSet => Box::new(collect::Collect::new(
            call.func == AggFunc::CollectSet,
            first,
            result,
        )),
        AggFunc::Mode => Box::new(collect::Mode::new(first)?),
        AggFunc::Grouping => {
            return Err(QueryError::Internal(
                "grouping() is computed per grouping set, not accumulated".into(),
            ));
        }
        AggFunc::MaxBy | AggFunc::MinBy => {
            let ord = arg_types.get(1).cloned().unwrap_or(DataType::Null);
            Box::new(collect::PickBy::new(
                call.func == AggFunc::MaxBy,
                first,
                ord,
            )?)
        }
    })
}

/// The best value so far: its sortable row-format key and where it is stored.
pub(crate) type Best = (Vec<u8>, (u32, u32));

/// A validity buffer from per-group "has a value" flags.
pub(crate) fn validity(has: &[bool]) -> Option<NullBuffer> {
    if has.iter().all(|h| *h) {
        return None;
    }
    let mut b = BooleanBufferBuilder::new(has.len());
    for h in has {
        b.append(*h);
    }
    Some(NullBuffer::new(b.finish()))
}

/// Grow per-group state to `n` groups.
pub(crate) fn grow<T: Clone>(v: &mut Vec<T>, n: usize, init: T) {
    if v.len() < n {
        v.resize(n, init);
    }
}

/// An error for an argument type an accumulator cannot take (an analyzer bug).
pub(crate) fn unexpected(what: &str, t: &DataType) -> QueryError {
    QueryError::Internal(format!("{what} cannot aggregate values of type {t}"))
}

/// Arrays fed so far, so accumulators can keep `(array, row)` references instead of copies
/// and gather the chosen values once at the end.
#[derive(Default)]
pub(crate) struct Stored {
    arrays: Vec<ArrayRef>,
}

impl Stored {
    /// Keep `a`; returns its index.
    pub fn push(&mut self, a: &ArrayRef) -> u32 {
        self.arrays.push(a.clone());
        (self.arrays.len() - 1) as u32
    }

    /// Gather values by `(array, row)` references; `None` gives NULL.
    pub fn gather(&self, data_type: &DataType, refs: &[Option<(u32, u32)>]) -> Result<ArrayRef> {
        let sources: Vec<&dyn Array> = self.arrays.iter().map(|a| a.as_ref()).collect();
        let picks: Vec<Option<(usize, usize)>> = refs
            .iter()
            .map(|r| r.map(|(a, i)| (a as usize, i as usize)))
            .collect();
        gather(data_type, &sources, &picks)
    }
}
