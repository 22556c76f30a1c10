//! The time-series pictures of module 3 ([`crate::Request::Series`]): one device's readings
//! next to their EMA, their resample buckets and the inspections joined to those buckets,
//! reduced by the engine to what a chart of a given width can show.

use serde::{Deserialize, Serialize};

/// Which readings to draw, and the Tempo settings to draw them with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeriesQuery {
    /// The device (`None`: the one with the most readings).
    pub device: Option<String>,
    /// The trip (`None`: the device's longest).
    pub trip: Option<i64>,
    /// The sensor column drawn with its EMA (`rotation_speed`).
    pub ema_column: String,
    /// EMA window, in rows.
    pub ema_window: u32,
    /// EMA factor, in (0, 1].
    pub ema_exp_factor: f64,
    /// The sensor column drawn with its resample buckets (`temperature`).
    pub resample_column: String,
    /// Bucket length as Tempo writes it (`1 hour`, `30 minutes`).
    pub resample_freq: String,
    /// Bucket function (`mean`, `min`, `max`, `floor`, `ceil`).
    pub resample_func: String,
    /// The visible time range, ms since the epoch (`None`: the whole trip).
    pub range_ms: Option<(f64, f64)>,
    /// The chart's width in pixels: at most two points per pixel column come back.
    pub pixels: u32,
}

impl SeriesQuery {
    /// The course project's settings (silver's EMA of `rotation_speed` over 5 rows with factor
    /// 0.2, hourly mean buckets of `temperature`) on the whole longest trip of the busiest
    /// device, for a chart `pixels` wide: what module 3 draws first.
    pub fn course(pixels: u32) -> Self {
        SeriesQuery {
            device: None,
            trip: None,
            ema_column: "rotation_speed".into(),
            ema_window: 5,
            ema_exp_factor: 0.2,
            resample_column: "temperature".into(),
            resample_freq: "1 hour".into(),
            resample_func: "mean".into(),
            range_ms: None,
            pixels,
        }
    }
}

/// A line reduced to what `pixels` columns can show: for each column that has readings, the
/// first, smallest, largest and last (so spikes survive and the line's shape is exact).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Line {
    /// `(ms since the epoch, value)`, in time order.
    pub points: Vec<(f64, f64)>,
    /// Readings before reduction.
    pub readings: usize,
}

/// One resample bucket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bucket {
    /// Its start (Tempo stamps a bucket with its start), ms since the epoch.
    pub start_ms: f64,
    /// Its end, ms since the epoch.
    pub end_ms: f64,
    /// The bucket's value (`None`: no non-NULL reading in it).
    pub value: Option<f64>,
}

/// One inspection and the bucket the as-of join gave it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JoinedInspection {
    /// When it was inspected, ms since the epoch.
    pub at_ms: f64,
    /// Its label.
    pub defect: Option<i64>,
    /// The start of the bucket it was joined to (`None`: no bucket before it).
    pub bucket_start_ms: Option<f64>,
    /// The joined bucket's value of the resampled column.
    pub value: Option<f64>,
}

/// The pictures' data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeriesView {
    /// Devices with readings, in order.
    pub devices: Vec<String>,
    /// The device drawn.
    pub device: String,
    /// Trips of that device, in order.
    pub trips: Vec<i64>,
    /// The trip drawn.
    pub trip: i64,
    /// Numeric sensor columns that can be drawn.
    pub columns: Vec<String>,
    /// The whole trip's time range, ms since the epoch.
    pub extent_ms: (f64, f64),
    /// The range drawn.
    pub range_ms: (f64, f64),
    /// The EMA column's readings.
    pub raw: Line,
    /// Its EMA (Tempo's truncated EMA over the trip).
    pub ema: Line,
    /// The resample column's readings.
    pub resample_raw: Line,
    /// Its buckets in the range.
    pub buckets: Vec<Bucket>,
    /// Inspections of the device in the range, joined as the silver table joins them.
    pub inspections: Vec<JoinedInspection>,
    /// `anomaly_detected` rows of the device in the range: `(ms, EMA column's value)`.
    pub anomalies: Vec<(f64, Option<f64>)>,
    /// Milliseconds the engine took.
    pub elapsed_ms: f64,
}
