//! Tempo-compatible time-series operations over Arrow record batches.
//!
//! [`Tsdf`] is Tempo's `TSDF` (dbl-tempo 0.1.30) on an Arrow [`RecordBatch`](arrow::array::RecordBatch):
//! a time column, series-key (partition) columns and an optional sequence (tie-breaker) column.
//! Its methods carry Tempo's names in snake_case (`asofJoin` → [`Tsdf::asof_join`], `EMA` →
//! [`Tsdf::ema`], `withRangeStats` → [`Tsdf::with_range_stats`], ...) and take option structs whose
//! `Default` is Tempo's defaults. Every result equals what Tempo computes on Spark (checked
//! against recorded outputs), except where listed below.
//!
//! Timestamps are `Timestamp(Microsecond, "UTC")`, microseconds since the epoch; numeric ts
//! columns are epoch seconds. The kernels sort each series once (a counting sort by partition,
//! then a check that each series is already in time order) and then make linear passes.
//!
//! # Usage
//! ```
//! # use std::sync::Arc;
//! # use arrow::array::*;
//! # use arrow::datatypes::*;
//! use tsdf::{AsofJoinOptions, EmaOptions, ResampleOptions, Tsdf, timestamp_type};
//! // TSDF(df, ts_col="timestamp", partition_cols=["device_id"])
//! //   .EMA("rotation_speed", window=5).resample(freq="1 hour", func="mean")
//! let schema = Arc::new(Schema::new(vec![
//!     Field::new("device_id", DataType::Int32, false),
//!     Field::new("timestamp", timestamp_type(), true),
//!     Field::new("rotation_speed", DataType::Float32, true),
//! ]));
//! let hour = 3_600_000_000i64;
//! let sensors = RecordBatch::try_new(schema, vec![
//!     Arc::new(Int32Array::from(vec![1, 1, 1])),
//!     Arc::new(TimestampMicrosecondArray::from(vec![0, 60_000_000, hour]).with_timezone("UTC")),
//!     Arc::new(Float32Array::from(vec![100.0, 100.0, 50.0])),
//! ]).unwrap();
//! let right = Tsdf::new(sensors, "timestamp", &["device_id"], None).unwrap()
//!     .ema("rotation_speed", &EmaOptions { window: 5, ..Default::default() }).unwrap()
//!     .resample("1 hour", "mean", &ResampleOptions::default()).unwrap()
//!     .into_tsdf();
//! assert_eq!(right.num_rows(), 2);
//! // left.asofJoin(right, right_prefix="sensor").df
//! # let left = right.clone();
//! let joined = left.asof_join(&right, &AsofJoinOptions { right_prefix: "sensor".into(), ..Default::default() }).unwrap();
//! assert!(joined.df().column_by_name("sensor_EMA_rotation_speed").is_some());
//! ```
//!
//! # Modules
//! * [`Tsdf`] (`frame`): construction and validation; `series`: partition ids and the shared
//!   sort; one file per operation family (`asof`, `ema`, `resample` with `calc_bars`,
//!   `interpolate`, `range_stats` with grouped stats, `lookback`, `slicing`, `intervals`,
//!   `describe`, `fourier`, `vwap`); [`freq`]: Tempo's frequency strings; [`timefmt`]: UTC
//!   calendar arithmetic; [`fixture`]: runs a Tempo reference case (`params.json` + CSV text);
//!   [`bench_data`]: the benchmark data and the four timed operations (for native and wasm).
//!
//! # Differences from Tempo
//! * `withRangeStats(colsToSummarize=[...])` on a timestamp ts column crashes in Tempo 0.1.30
//!   (`UnboundLocalError: prohibited_cols`); here it computes the stats of the given columns.
//! * `vwap` always raises in Tempo 0.1.30 (it rebuilds a TSDF on a frame without the ts column);
//!   here it returns the aggregated frame with the time group as its key (see [`Tsdf::vwap`]).
//! * `asofJoin(sql_join_opt=True)` is always the range join (Tempo takes it only when one side is
//!   under 30 MiB, else falls back to the default join).
//! * Orders Tempo leaves to chance are fixed: ties without a sequence column keep input order;
//!   asofJoin's output columns are (partition cols, left cols, right cols) in input order;
//!   `floor`/`ceil` ties on ts are broken by the metric values in `metricCols` order (with
//!   `metricCols=None`, in the set order CPython 3.11 gives with `PYTHONHASHSEED=0`, the
//!   setting the reference outputs were recorded with).
//! * `fourier_transform` and every other order-dependent method order equal timestamps by the
//!   sequence column, then input order; Tempo's order there is arbitrary (Spark shuffle plus an
//!   unstable pandas sort).
//! * Errors are typed ([`TsdfError`]) and raised before any work: a missing column, an unknown
//!   `freq`/`func`/`method`, `withRangeStats` on a frame with a sequence column (Spark's
//!   `RANGE_FRAME_MULTI_ORDER`), `skipNulls=False` with `tsPartitionVal`.
#![warn(missing_docs)]

mod asof;
pub mod bench_data;
pub mod call;
pub mod convert;
mod describe;
mod ema;
mod error;
pub mod fixture;
mod fourier;
mod frame;
pub mod freq;
mod grouped_stats;
mod interpolate;
mod intervals;
mod lookback;
mod pyset;
mod range_stats;
mod resample;
mod select;
mod series;
mod slicing;
pub mod timefmt;
mod values;
mod vwap;

pub use asof::AsofJoinOptions;
pub use describe::java_double;
pub use ema::{EmaOptions, ema_recursive_kernel, ema_truncated_direct, ema_truncated_recurrence};
pub use error::{Result, TsdfError};
pub use fourier::{fft, fftfreq};
pub use frame::{Tsdf, timestamp_type};
pub use interpolate::{InterpolateMethod, InterpolateOptions};
pub use intervals::StateDefinition;
pub use lookback::LookbackResult;
pub use range_stats::RangeStatsOptions;
pub use resample::{ResampleFunc, ResampleOptions, ResampledTsdf};
pub use select::select;
pub use slicing::TsValue;
pub use values::spark_type_name;
pub use vwap::VwapFrequency;
