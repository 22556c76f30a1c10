//! CSV text as Spark's writer produces it: comma-separated, a header row, NULL as an empty
//! field, shortest round-trip numbers, ISO-8601 timestamps with milliseconds and `Z`.

use crate::time::IsoWriter;

/// Column order of the sensor files (§1.7 step 2).
pub const SENSOR_HEADER: &str = "device_id,trip_id,factory_id,model_id,timestamp,airflow_rate,\
rotation_speed,air_pressure,temperature,delay,density";

/// Column order of the inspection files (§1.7 step 3).
pub const INSPECTION_HEADER: &str = "defect,timestamp,device_id";

/// The column the `schema-drift` knob appends to sensor files.
pub const DRIFT_COLUMN: &str = "humidity";

/// Reusable number formatters (no allocation per value).
#[derive(Default)]
pub(crate) struct Fields {
    floats: zmij::Buffer,
    ints: itoa::Buffer,
    timestamps: IsoWriter,
}

impl Fields {
    /// Shortest round-trip text of a double (`1.0`, `0.228`, `1e-7`); a non-finite value, which
    /// the generator never produces, is written as NULL rather than as text no reader parses.
    #[inline]
    pub(crate) fn f64(&mut self, out: &mut Vec<u8>, value: f64) {
        if value.is_finite() {
            out.extend_from_slice(self.floats.format_finite(value).as_bytes());
        }
    }

    /// Shortest round-trip text of a single-precision value (Spark `float` columns).
    #[inline]
    pub(crate) fn f32(&mut self, out: &mut Vec<u8>, value: f32) {
        if value.is_finite() {
            out.extend_from_slice(self.floats.format_finite(value).as_bytes());
        }
    }

    /// Decimal digits of an integer.
    #[inline]
    pub(crate) fn int(&mut self, out: &mut Vec<u8>, value: impl itoa::Integer) {
        out.extend_from_slice(self.ints.format(value).as_bytes());
    }

    /// `YYYY-MM-DDTHH:MM:SS.mmmZ`.
    #[inline]
    pub(crate) fn timestamp(&mut self, out: &mut Vec<u8>, micros: i64) {
        self.timestamps.write(out, micros);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_number_text_is_shortest_round_trip() {
        let mut fields = Fields::default();
        let mut out = Vec::new();
        for (value, text) in [
            (1.0, "1.0"),
            (0.228, "0.228"),
            (-0.0, "-0.0"),
            (913.5, "913.5"),
        ] {
            out.clear();
            fields.f64(&mut out, value);
            assert_eq!(out, text.as_bytes());
        }
        for value in [0.1 + 0.2, 1.0 / 3.0, 1e-7, 123_456_789.123_456_78] {
            out.clear();
            fields.f64(&mut out, value);
            let parsed: f64 = std::str::from_utf8(&out).unwrap().parse().unwrap();
            assert_eq!(parsed, value);
        }
        out.clear();
        fields.f32(&mut out, 21.123_457_f32);
        assert_eq!(out, b"21.123457");
        out.clear();
        fields.f64(&mut out, f64::NAN);
        assert!(out.is_empty());
    }
}
