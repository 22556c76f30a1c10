//! The `malformed-rows` knob: breaks a share of the written CSV lines in place.

use crate::rng::Stream;

/// Texts that no CSV reader parses as a number (nor as NaN/Infinity, which Spark accepts).
const BAD_NUMBERS: [&str; 5] = ["n/a", "12.5.3", "#VALUE!", "1e", "--"];
/// Texts that no CSV reader parses as a timestamp.
const BAD_TIMESTAMPS: [&str; 4] = [
    "2023-02-30T25:61:00.000Z",
    "31/12/2023 10:00",
    "not a time",
    "2023-13-01T00:00:00.000Z",
];
/// Value of the surplus field of an extra-field row.
const EXTRA_FIELD: &str = "unexpected";

/// Which fields of a row may be broken.
pub(crate) struct RowLayout {
    /// Index of the timestamp field.
    pub(crate) timestamp: usize,
    /// Indices of numeric fields.
    pub(crate) numbers: &'static [usize],
}

/// Sensor rows: timestamp is field 4; airflow … density are 5–10.
pub(crate) const SENSOR_LAYOUT: RowLayout = RowLayout {
    timestamp: 4,
    numbers: &[5, 6, 7, 8, 9, 10],
};
/// Inspection rows: defect is field 0, timestamp field 1.
pub(crate) const INSPECTION_LAYOUT: RowLayout = RowLayout {
    timestamp: 1,
    numbers: &[0],
};

/// Decides per row whether to break it, and breaks it.
pub(crate) struct RowBreaker {
    rng: Stream,
    rate: f64,
    /// Rows broken so far.
    pub(crate) broken: usize,
}

impl RowBreaker {
    pub(crate) fn new(rng: Stream, rate: f64) -> Self {
        RowBreaker {
            rng,
            rate,
            broken: 0,
        }
    }

    /// `line` is the row just written at the end of `out` (from `line_start`, no newline yet).
    /// With probability `rate` it becomes one of: a field missing, a field too many, an
    /// unparsable number, or a bad timestamp.
    pub(crate) fn apply(&mut self, out: &mut Vec<u8>, line_start: usize, layout: &RowLayout) {
        if self.rate <= 0.0 || self.rng.uniform() >= self.rate {
            return;
        }
        self.broken += 1;
        match self.rng.below(4) {
            0 => {
                if let Some(comma) = out[line_start..].iter().rposition(|&b| b == b',') {
                    out.truncate(line_start + comma);
                }
            }
            1 => {
                out.push(b',');
                out.extend_from_slice(EXTRA_FIELD.as_bytes());
            }
            2 => {
                let field = layout.numbers[self.pick(layout.numbers.len())];
                let token = BAD_NUMBERS[self.pick(BAD_NUMBERS.len())];
                replace_field(out, line_start, field, token);
            }
            _ => {
                let token = BAD_TIMESTAMPS[self.pick(BAD_TIMESTAMPS.len())];
                replace_field(out, line_start, layout.timestamp, token);
            }
        }
    }

    fn pick(&mut self, len: usize) -> usize {
        self.rng.below(len as u64) as usize
    }
}

/// Replaces field `index` (0-based, comma-separated, unquoted) of the line at `line_start`.
fn replace_field(out: &mut Vec<u8>, line_start: usize, index: usize, token: &str) {
    let line = &out[line_start..];
    let mut start = 0;
    for _ in 0..index {
        match line[start..].iter().position(|&b| b == b',') {
            Some(comma) => start += comma + 1,
            None => return,
        }
    }
    let end = line[start..]
        .iter()
        .position(|&b| b == b',')
        .map_or(line.len(), |c| start + c);
    out.splice(line_start + start..line_start + end, token.bytes());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Phase;

    #[test]
    fn test_replace_field() {
        let mut out = b"x\na,b,c".to_vec();
        replace_field(&mut out, 2, 1, "ZZ");
        assert_eq!(out, b"x\na,ZZ,c");
        replace_field(&mut out, 2, 2, "");
        assert_eq!(out, b"x\na,ZZ,");
        replace_field(&mut out, 2, 0, "q");
        assert_eq!(out, b"x\nq,ZZ,");
    }

    #[test]
    fn test_every_break_is_detectable() {
        let line = b"1,2,J15,EcoJet2000,2023-01-01T00:00:00.000Z,0.1,2.0,900.0,50.0,3.0,1.0";
        let mut breaker = RowBreaker::new(Stream::new(1, 0, Phase::DirtyRows), 1.0);
        for _ in 0..200 {
            let mut out = line.to_vec();
            breaker.apply(&mut out, 0, &SENSOR_LAYOUT);
            let text = String::from_utf8(out).unwrap();
            let fields: Vec<&str> = text.split(',').collect();
            let broken = fields.len() != 11
                || fields[4].len() != 24
                || fields[4][..19].parse::<crate::Timestamp>().is_err()
                || fields[5..].iter().any(|f| f.parse::<f64>().is_err());
            assert!(broken, "{text}");
        }
        assert_eq!(breaker.broken, 200);
    }
}
