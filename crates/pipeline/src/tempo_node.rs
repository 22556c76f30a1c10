//! Tempo operations as query plan nodes: the `tsdf` crate's kernels behind the query engine's
//! extension-node trait, so `TSDF(...).EMA(...).resample(...).asofJoin(...)` plans and runs
//! like any other query.

use std::cell::RefCell;
use std::sync::{Arc, Weak};

use arrow::array::{ArrayRef, RecordBatch};
use arrow::datatypes::Schema;
use query::error::Result;
use query::{ErrorClass, ExecOptions, ExtensionNode, QueryError, SparkType};
use tsdf::{
    AsofJoinOptions, EmaOptions, InterpolateOptions, RangeStatsOptions, ResampleOptions, Tsdf,
    TsdfError,
};

/// A series' time column, key columns and tie-breaker.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesMeta {
    /// The ts column.
    pub ts_col: String,
    /// Series key columns.
    pub partition_cols: Vec<String>,
    /// Tie-breaker column.
    pub sequence_col: Option<String>,
}

/// One Tempo operation.
#[derive(Debug, Clone, PartialEq)]
pub enum TempoOp {
    /// `EMA(colName, window, exp_factor)`.
    Ema {
        /// The column averaged.
        col: String,
        /// Window and factor.
        opts: EmaOptions,
    },
    /// `resample(freq, func, metricCols, prefix, fill)`.
    Resample {
        /// Bucket size.
        freq: String,
        /// Aggregate.
        func: String,
        /// Options.
        opts: ResampleOptions,
    },
    /// `resample(...).interpolate(method, target_cols, show_interpolated)`.
    ResampleInterpolate {
        /// Bucket size.
        freq: String,
        /// Aggregate.
        func: String,
        /// Resample options.
        opts: ResampleOptions,
        /// Fill method.
        method: String,
        /// Columns filled.
        target_cols: Option<Vec<String>>,
        /// Add the `is_interpolated_*` flags.
        show_interpolated: bool,
    },
    /// `interpolate(method, freq, func, ...)`.
    Interpolate {
        /// Fill method.
        method: String,
        /// Grid size.
        freq: String,
        /// Aggregate.
        func: String,
        /// Options.
        opts: InterpolateOptions,
    },
    /// `asofJoin(right, ...)` (two inputs).
    AsofJoin(AsofJoinOptions),
    /// `withRangeStats(...)`.
    RangeStats(RangeStatsOptions),
    /// `withGroupedStats(metricCols, freq)`.
    GroupedStats {
        /// Columns summarised.
        metric_cols: Option<Vec<String>>,
        /// Bucket size.
        freq: Option<String>,
    },
    /// `latest(n)`.
    Latest(usize),
    /// `earliest(n)`.
    Earliest(usize),
}

impl TempoOp {
    /// Tempo's name of the operation.
    pub fn name(&self) -> &'static str {
        match self {
            TempoOp::Ema { .. } => "EMA",
            TempoOp::Resample { .. } => "resample",
            TempoOp::ResampleInterpolate { .. } => "resample.interpolate",
            TempoOp::Interpolate { .. } => "interpolate",
            TempoOp::AsofJoin(_) => "asofJoin",
            TempoOp::RangeStats(_) => "withRangeStats",
            TempoOp::GroupedStats { .. } => "withGroupedStats",
            TempoOp::Latest(_) => "latest",
            TempoOp::Earliest(_) => "earliest",
        }
    }

    /// Run the operation on its input series.
    pub fn run(&self, inputs: &[Tsdf]) -> std::result::Result<Tsdf, TsdfError> {
        let tsdf = &inputs[0];
        match self {
            TempoOp::Ema { col, opts } => tsdf.ema(col, opts),
            TempoOp::Resample { freq, func, opts } => {
                Ok(tsdf.resample(freq, func, opts)?.into_tsdf())
            }
            TempoOp::ResampleInterpolate {
                freq,
                func,
                opts,
                method,
                target_cols,
                show_interpolated,
            } => tsdf.resample(freq, func, opts)?.interpolate(
                method,
                target_cols.as_deref(),
                *show_interpolated,
            ),
            TempoOp::Interpolate {
                method,
                freq,
                func,
                opts,
            } => tsdf.interpolate(method, freq, func, opts),
            TempoOp::AsofJoin(opts) => tsdf.asof_join(&inputs[1], opts),
            TempoOp::RangeStats(opts) => tsdf.with_range_stats(opts),
            TempoOp::GroupedStats { metric_cols, freq } => {
                tsdf.with_grouped_stats(metric_cols.as_deref(), freq.as_deref())
            }
            TempoOp::Latest(n) => tsdf.latest(*n),
            TempoOp::Earliest(n) => tsdf.earliest(*n),
        }
    }
}

thread_local! {
    /// Every Tempo node planned on this thread, so a plan's `Arc<dyn ExtensionNode>` can be
    /// recognised as one ([`as_tempo`]): the query crate's extension trait has no downcast.
    /// Weak references keep each allocation's address reserved while it is listed, so an
    /// address can never be matched by an unrelated node.
    static PLANNED: RefCell<Vec<Weak<TempoNode>>> = const { RefCell::new(Vec::new()) };
}

/// Share `node` as a plan node that [`as_tempo`] recognises.
pub fn register(node: TempoNode) -> Arc<TempoNode> {
    let node = Arc::new(node);
    PLANNED.with(|planned| {
        let mut planned = planned.borrow_mut();
        planned.retain(|w| w.strong_count() > 0);
        planned.push(Arc::downgrade(&node));
    });
    node
}

/// The Tempo node behind an extension node of a plan, if it is one planned on this thread.
pub fn as_tempo(node: &Arc<dyn ExtensionNode>) -> Option<Arc<TempoNode>> {
    let address = Arc::as_ptr(node).cast::<()>();
    PLANNED.with(|planned| {
        planned
            .borrow()
            .iter()
            .find(|w| w.as_ptr().cast::<()>() == address)
            .and_then(Weak::upgrade)
    })
}

/// A Tempo operation over one or two series, as a plan node.
#[derive(Debug, Clone)]
pub struct TempoNode {
    /// The operation.
    pub op: TempoOp,
    /// Each input's series description.
    pub inputs: Vec<SeriesMeta>,
}

fn arrow_schema(columns: &[(String, SparkType)]) -> Arc<Schema> {
    Arc::new(Schema::new(
        columns
            .iter()
            .map(|(n, t)| arrow::datatypes::Field::new(n, t.to_arrow(), true))
            .collect::<Vec<_>>(),
    ))
}

fn tempo_error(op: &TempoOp, e: TsdfError) -> QueryError {
    QueryError::Analysis {
        class: ErrorClass::TempoInvalidArgument,
        message: format!("{}: {e}", op.name()),
        span: None,
        suggestions: Vec::new(),
    }
}

impl TempoNode {
    fn series(&self, batches: Vec<RecordBatch>) -> std::result::Result<Vec<Tsdf>, TsdfError> {
        batches
            .into_iter()
            .zip(&self.inputs)
            .map(|(batch, meta)| {
                let parts: Vec<&str> = meta.partition_cols.iter().map(String::as_str).collect();
                Tsdf::new(batch, &meta.ts_col, &parts, meta.sequence_col.as_deref())
            })
            .collect()
    }

    /// The output series over empty inputs of these columns: its schema and series metadata.
    pub fn describe(
        &self,
        inputs: &[Vec<(String, SparkType)>],
    ) -> Result<(Vec<(String, SparkType)>, SeriesMeta)> {
        let empty = inputs
            .iter()
            .map(|cols| RecordBatch::new_empty(arrow_schema(cols)))
            .collect();
        let series = self.series(empty).map_err(|e| tempo_error(&self.op, e))?;
        let out = self.op.run(&series).map_err(|e| tempo_error(&self.op, e))?;
        let meta = SeriesMeta {
            ts_col: out.ts_col().to_string(),
            partition_cols: out.partition_cols().to_vec(),
            sequence_col: out.sequence_col().map(str::to_string),
        };
        let schema = out
            .df()
            .schema()
            .fields()
            .iter()
            .map(|f| {
                SparkType::from_arrow(f.data_type())
                    .map(|t| (f.name().clone(), t))
                    .ok_or_else(|| {
                        QueryError::Internal(format!(
                            "{} produced column `{}` of Arrow type {}",
                            self.op.name(),
                            f.name(),
                            f.data_type()
                        ))
                    })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok((schema, meta))
    }
}

impl ExtensionNode for TempoNode {
    fn name(&self) -> &str {
        self.op.name()
    }

    fn schema(&self, inputs: &[Vec<(String, SparkType)>]) -> Result<Vec<(String, SparkType)>> {
        Ok(self.describe(inputs)?.0)
    }

    fn execute(
        &self,
        inputs: Vec<Vec<RecordBatch>>,
        _options: &ExecOptions,
    ) -> Result<Vec<RecordBatch>> {
        let mut whole = Vec::with_capacity(inputs.len());
        for batches in inputs {
            let schema = batches
                .first()
                .map(RecordBatch::schema)
                .ok_or_else(|| QueryError::Internal("an extension input has no batch".into()))?;
            whole.push(arrow::compute::concat_batches(&schema, &batches)?);
        }
        let series = self.series(whole).map_err(|e| {
            QueryError::execution(ErrorClass::TempoError, format!("{}: {e}", self.op.name()))
        })?;
        let out = self.op.run(&series).map_err(|e| {
            QueryError::execution(ErrorClass::TempoError, format!("{}: {e}", self.op.name()))
        })?;
        Ok(vec![out.into_df()])
    }
}

/// Cast each column of `batch` to the Arrow type of `schema` where they differ.
pub fn conform(batch: RecordBatch, schema: &[(String, SparkType)]) -> Result<RecordBatch> {
    let columns: Vec<ArrayRef> = batch
        .columns()
        .iter()
        .zip(schema)
        .map(|(c, (_, t))| {
            if c.data_type() == &t.to_arrow() {
                Ok(c.clone())
            } else {
                arrow::compute::cast(c, &t.to_arrow())
            }
        })
        .collect::<std::result::Result<_, _>>()?;
    Ok(RecordBatch::try_new(arrow_schema(schema), columns)?)
}
