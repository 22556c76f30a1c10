//! The workbook's side of the peer benchmark (`scripts/bench.sh peers`): the four headline
//! time-series operations on the tsdf kernels and the course's gold query on the query engine,
//! exported to the bench page, which times them against DuckDB-WASM in the same page.
//!
//! The page calls [`Bench::run`] inside its timer and [`Bench::checksum`] outside it; the
//! inputs go to DuckDB as Arrow IPC streams ([`Bench::sensors_ipc`] and friends), so both
//! engines read the same values.

mod checksum;
mod gold;
mod ipc;

use wasm_bindgen::prelude::*;

use tsdf::Tsdf;
use tsdf::bench_data::{inputs, op_asof, op_ema, op_range_stats, op_resample};

fn js_error(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

/// The benchmark's data and the last result of each operation.
#[wasm_bindgen]
pub struct Bench {
    left: Tsdf,
    right: Tsdf,
    gold: Option<gold::Gold>,
    last: Option<arrow::array::RecordBatch>,
}

#[wasm_bindgen]
impl Bench {
    /// The same data as `cargo bench -p tsdf`: `rows` sensor readings of `devices` devices and
    /// `right_rows` inspections.
    #[wasm_bindgen(constructor)]
    pub fn new(rows: usize, devices: usize, right_rows: usize) -> Result<Bench, JsError> {
        let (left, right) = inputs(rows, devices, right_rows).map_err(js_error)?;
        Ok(Bench {
            left,
            right,
            gold: None,
            last: None,
        })
    }

    /// The sensor readings as an Arrow IPC stream (timestamps without a time zone).
    pub fn sensors_ipc(&self) -> Result<Vec<u8>, JsError> {
        ipc::stream(std::slice::from_ref(self.left.df()), &[]).map_err(js_error)
    }

    /// The inspections as an Arrow IPC stream.
    pub fn inspections_ipc(&self) -> Result<Vec<u8>, JsError> {
        ipc::stream(std::slice::from_ref(self.right.df()), &[]).map_err(js_error)
    }

    /// Generates the course data at `preset` (seed 1, initial load) and runs the SQL project's
    /// first update for its bronze tables; returns that update's time in milliseconds.
    pub fn prepare_gold(&mut self, preset: &str) -> Result<f64, JsError> {
        let (gold, ms) = gold::Gold::prepare(preset).map_err(js_error)?;
        self.gold = Some(gold);
        Ok(ms)
    }

    /// A bronze table (`sensor_bronze` or `inspection_bronze`) as an Arrow IPC stream, without
    /// its `_rescued_data` column.
    pub fn bronze_ipc(&self, table: &str) -> Result<Vec<u8>, JsError> {
        self.gold()?.bronze_ipc(table).map_err(js_error)
    }

    /// Runs one operation (`asof`, `ema`, `resample`, `range_stats`, `gold`) and keeps its
    /// result; returns the result's row count.
    pub fn run(&mut self, op: &str) -> Result<usize, JsError> {
        self.last = None;
        let batch = match op {
            "asof" => op_asof(&self.left, &self.right).map(Tsdf::into_df),
            "ema" => op_ema(&self.left).map(Tsdf::into_df),
            "resample" => op_resample(&self.left).map(Tsdf::into_df),
            "range_stats" => op_range_stats(&self.left).map(Tsdf::into_df),
            "gold" => return self.run_gold(),
            other => return Err(JsError::new(&format!("unknown operation '{other}'"))),
        }
        .map_err(js_error)?;
        let rows = batch.num_rows();
        self.last = Some(batch);
        Ok(rows)
    }

    /// The last result's row count followed by the sums `checksum::columns(op)` names (NULLs
    /// skipped), for comparing with DuckDB's result.
    pub fn checksum(&self, op: &str) -> Result<Vec<f64>, JsError> {
        let batch = self
            .last
            .as_ref()
            .ok_or_else(|| JsError::new("no result yet: call run first"))?;
        checksum::of(batch, checksum::columns(op)).map_err(js_error)
    }

    /// The last result's column names, comma-separated (to check DuckDB's SQL makes the same).
    pub fn columns(&self) -> String {
        self.last.as_ref().map_or_else(String::new, |b| {
            let schema = b.schema();
            let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
            names.join(",")
        })
    }
}

impl Bench {
    fn gold(&self) -> Result<&gold::Gold, JsError> {
        self.gold
            .as_ref()
            .ok_or_else(|| JsError::new("no course data yet: call prepare_gold first"))
    }

    fn run_gold(&mut self) -> Result<usize, JsError> {
        let batch = self.gold()?.query().map_err(js_error)?;
        let rows = batch.num_rows();
        self.last = Some(batch);
        Ok(rows)
    }
}
