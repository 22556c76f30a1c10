//! `vwap`: volume-weighted average price per clock time group.

use std::sync::Arc;

use crate::convert::cast;
use arrow::array::{ArrayRef, Float64Array, Int64Array, RecordBatch, StringArray};
use arrow::datatypes::DataType;

use crate::error::{Result, TsdfError};
use crate::frame::Tsdf;
use crate::resample::group_extreme;
use crate::series::{FxMap, partition_ids};
use crate::timefmt::{MICROS_PER_SEC, civil_from_days};
use crate::values::{F64Column, batch_of, take_opt};

/// Tempo's `frequency` of [`Tsdf::vwap`]: the clock field the rows are grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum VwapFrequency {
    /// `"m"` (default): `"HH:mm"`.
    #[default]
    Minute,
    /// `"H"`: `"HH"`.
    Hour,
    /// `"D"`: day of month `"dd"`.
    Day,
}

impl VwapFrequency {
    /// Parses `m`, `H` or `D` (Tempo fails on anything else).
    ///
    /// # Examples
    /// ```
    /// assert_eq!(tsdf::VwapFrequency::parse("H").unwrap(), tsdf::VwapFrequency::Hour);
    /// assert!(tsdf::VwapFrequency::parse("h").is_err());
    /// ```
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "m" => Ok(VwapFrequency::Minute),
            "H" => Ok(VwapFrequency::Hour),
            "D" => Ok(VwapFrequency::Day),
            other => Err(TsdfError::InvalidArgument {
                param: "frequency",
                message: format!("`{other}` is not one of m, H, D"),
            }),
        }
    }

    fn label(self, micros: i64) -> String {
        let secs = micros.div_euclid(MICROS_PER_SEC);
        let sod = secs.rem_euclid(86_400);
        match self {
            VwapFrequency::Minute => format!("{:02}:{:02}", sod / 3600, sod % 3600 / 60),
            VwapFrequency::Hour => format!("{:02}", sod / 3600),
            VwapFrequency::Day => format!("{:02}", civil_from_days(secs.div_euclid(86_400)).2),
        }
    }
}

impl Tsdf {
    /// Tempo's `vwap(frequency="m", volume_col="volume", price_col="price")`: groups rows by
    /// (`time_group`, partition cols) where `time_group` is the UTC clock minute `"HH:mm"`, hour
    /// `"HH"` or day of month `"dd"` (no date: the same minute of different days is merged),
    /// with `dllr_value = Σ price·volume`, `<volume_col> = Σ volume`, `max_<price_col>`,
    /// `vwap = dllr_value / volume`.
    ///
    /// Difference from Tempo: Tempo 0.1.30 always raises here (it rebuilds a TSDF on a frame that
    /// no longer has the ts column); this returns that frame, with `time_group` first.
    pub fn vwap(
        &self,
        frequency: VwapFrequency,
        volume_col: &str,
        price_col: &str,
    ) -> Result<RecordBatch> {
        let ts = self.timestamp_keys("vwap")?;
        let volume_name = self.resolve(volume_col, "volume_col")?;
        let price_name = self.resolve(price_col, "price_col")?;
        let n = self.num_rows();
        let labels: Vec<Option<String>> = (0..n)
            .map(|i| ts.is_valid(i).then(|| frequency.label(ts.key[i])))
            .collect();
        let mut keys: Vec<ArrayRef> = vec![Arc::new(StringArray::from(labels))];
        for p in self.partition_cols() {
            keys.push(self.column(p)?.clone());
        }
        let groups = partition_ids(&keys, n)?;
        let g = groups.n_groups;
        let price = F64Column::new(self.column(&price_name)?)?;
        let volume_col_arr = self.column(&volume_name)?;
        let volume = F64Column::new(volume_col_arr)?;
        let mut dllr: Vec<Option<f64>> = vec![None; g];
        let mut vol: Vec<Option<f64>> = vec![None; g];
        for i in 0..n {
            let gi = groups.ids[i] as usize;
            if let (Some(p), Some(v)) = (price.get(i), volume.get(i)) {
                dllr[gi] = Some(dllr[gi].unwrap_or(0.0) + p * v);
            }
            if let Some(v) = volume.get(i) {
                vol[gi] = Some(vol[gi].unwrap_or(0.0) + v);
            }
        }
        let max_price = take_opt(
            self.column(&price_name)?,
            &group_extreme(
                self.column(&price_name)?,
                &groups.ids,
                g,
                std::cmp::Ordering::Greater,
            )?,
        )?;
        let rep: Vec<Option<u32>> = groups.first_row.iter().map(|&r| Some(r)).collect();
        let mut cols = Vec::new();
        cols.push(("time_group".to_string(), take_opt(&keys[0], &rep)?));
        for (p, k) in self.partition_cols().iter().zip(&keys[1..]) {
            cols.push((p.clone(), take_opt(k, &rep)?));
        }
        let vwap: Float64Array = dllr
            .iter()
            .zip(&vol)
            .map(|(d, v)| Some(d.as_ref()? / v.as_ref()?))
            .collect();
        let vol_arr: ArrayRef = if volume_col_arr.data_type().is_integer() {
            let mut sums: FxMap<usize, i64> = FxMap::default();
            let ints = cast(volume_col_arr, &DataType::Int64)?;
            let ints = ints
                .as_any()
                .downcast_ref::<Int64Array>()
                .ok_or_else(|| TsdfError::Internal("int64 cast".into()))?;
            for i in 0..n {
                if arrow::array::Array::is_valid(ints, i) {
                    *sums.entry(groups.ids[i] as usize).or_insert(0) += ints.value(i);
                }
            }
            Arc::new(Int64Array::from(
                (0..g).map(|gi| sums.get(&gi).copied()).collect::<Vec<_>>(),
            ))
        } else {
            Arc::new(Float64Array::from(vol))
        };
        cols.push((
            "dllr_value".into(),
            Arc::new(Float64Array::from(dllr)) as ArrayRef,
        ));
        cols.push((volume_name.clone(), vol_arr));
        cols.push((format!("max_{price_name}"), max_price));
        cols.push(("vwap".into(), Arc::new(vwap) as ArrayRef));
        batch_of(cols)
    }
}
