//! A line reduced to what a chart of `pixels` columns can show, in O(n): per pixel column the
//! first, smallest, largest and last reading, in time order. Drawing those four per column
//! gives the same picture as drawing every reading (spikes and the line's ends survive).

use protocol::Line;

/// `points` (time-ordered `(ms, value)`; NULL values skipped) inside `range`, reduced to at
/// most four per pixel column.
pub(crate) fn decimate(points: &[(f64, Option<f64>)], range: (f64, f64), pixels: u32) -> Line {
    let pixels = pixels.max(1) as usize;
    let (start, end) = range;
    let span = (end - start).max(f64::MIN_POSITIVE);
    let mut out: Vec<(f64, f64)> = Vec::new();
    let mut readings = 0;
    // The current column and its four candidates: first, min, max, last.
    let mut column = usize::MAX;
    let mut group: [(f64, f64); 4] = [(0.0, 0.0); 4];
    let flush = |group: &[(f64, f64); 4], out: &mut Vec<(f64, f64)>| {
        let mut picked = group.to_vec();
        picked.sort_by(|a, b| a.0.total_cmp(&b.0));
        picked.dedup();
        out.extend(picked);
    };
    for &(t, value) in points {
        let Some(v) = value else { continue };
        if t < start || t > end || !v.is_finite() {
            continue;
        }
        readings += 1;
        let c = (((t - start) / span) * pixels as f64) as usize;
        let c = c.min(pixels - 1);
        if c != column {
            if column != usize::MAX {
                flush(&group, &mut out);
            }
            column = c;
            group = [(t, v); 4];
            continue;
        }
        if v < group[1].1 {
            group[1] = (t, v);
        }
        if v > group[2].1 {
            group[2] = (t, v);
        }
        group[3] = (t, v);
    }
    if column != usize::MAX {
        flush(&group, &mut out);
    }
    Line {
        points: out,
        readings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spike_survives_and_a_column_keeps_at_most_four_points() {
        let mut points: Vec<(f64, Option<f64>)> = (0..100_000)
            .map(|i| (i as f64, Some((i % 7) as f64)))
            .collect();
        points[54_321].1 = Some(1e6);
        points[100].1 = None;
        let line = decimate(&points, (0.0, 99_999.0), 100);
        assert_eq!(line.readings, 99_999);
        assert!(line.points.len() <= 400, "{}", line.points.len());
        assert!(line.points.contains(&(54_321.0, 1e6)));
        assert_eq!(line.points.first(), Some(&(0.0, 0.0)));
        assert_eq!(line.points.last(), Some(&(99_999.0, (99_999 % 7) as f64)));
        assert!(line.points.windows(2).all(|w| w[0].0 <= w[1].0));
    }

    #[test]
    fn every_point_kept_is_a_reading_and_each_column_keeps_its_extremes() {
        let points: Vec<(f64, Option<f64>)> = (0..1000)
            .map(|i| (i as f64 * 0.37, Some(((i * 7919) % 1000) as f64)))
            .collect();
        let range = (10.0, 300.0);
        let pixels = 37;
        let line = decimate(&points, range, pixels);
        let inside: Vec<(f64, f64)> = points
            .iter()
            .filter(|(t, _)| *t >= range.0 && *t <= range.1)
            .map(|(t, v)| (*t, v.unwrap()))
            .collect();
        for p in &line.points {
            assert!(inside.contains(p));
        }
        // Naive reference: each column's min and max are kept.
        let span = range.1 - range.0;
        for c in 0..pixels as usize {
            let col: Vec<&(f64, f64)> = inside
                .iter()
                .filter(|(t, _)| {
                    ((((t - range.0) / span) * pixels as f64) as usize).min(pixels as usize - 1)
                        == c
                })
                .collect();
            if let Some(max) = col.iter().map(|p| p.1).reduce(f64::max) {
                assert!(
                    line.points
                        .iter()
                        .any(|p| p.1 == max && col.iter().any(|q| **q == *p))
                );
            }
            if let Some(min) = col.iter().map(|p| p.1).reduce(f64::min) {
                assert!(
                    line.points
                        .iter()
                        .any(|p| p.1 == min && col.iter().any(|q| **q == *p))
                );
            }
        }
    }
}
