//! Central moments (stddev, variance, skewness, kurtosis) and co-moments (corr, covar),
//! updated one value at a time (Welford / Pébay), as Spark's `CentralMomentAgg` does.
//! Divisions by zero give NULL, Spark's default since 3.0.

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, AsArray, Float64Array};
use arrow::datatypes::Float64Type;

use super::{Accumulator, grow};
use crate::error::Result;
use crate::plan::aggregate::AggFunc;

#[derive(Clone, Copy, Default)]
struct M {
    n: f64,
    mean: f64,
    m2: f64,
    m3: f64,
    m4: f64,
}

impl M {
    fn add(&mut self, x: f64) {
        let n1 = self.n;
        let n = n1 + 1.0;
        let delta = x - self.mean;
        let delta_n = delta / n;
        let delta_n2 = delta_n * delta_n;
        let term1 = delta * delta_n * n1;
        self.mean += delta_n;
        self.m4 += term1 * delta_n2 * (n * n - 3.0 * n + 3.0) + 6.0 * delta_n2 * self.m2
            - 4.0 * delta_n * self.m3;
        self.m3 += term1 * delta_n * (n - 2.0) - 3.0 * delta_n * self.m2;
        self.m2 += term1;
        self.n = n;
    }
}

/// stddev / variance (sample and population), skewness, kurtosis.
pub(crate) struct Moments {
    state: Vec<M>,
    func: AggFunc,
}

impl Moments {
    pub fn new(func: AggFunc) -> Moments {
        Moments {
            state: Vec::new(),
            func,
        }
    }

    fn result(&self, m: &M) -> Option<f64> {
        let M { n, m2, m3, m4, .. } = *m;
        if n == 0.0 {
            return None;
        }
        match self.func {
            AggFunc::VarPop => Some(m2 / n),
            AggFunc::StddevPop => Some((m2 / n).sqrt()),
            AggFunc::VarSamp => (n > 1.0).then(|| m2 / (n - 1.0)),
            AggFunc::StddevSamp => (n > 1.0).then(|| (m2 / (n - 1.0)).sqrt()),
            AggFunc::Skewness => (m2 != 0.0).then(|| n.sqrt() * m3 / (m2 * m2 * m2).sqrt()),
            AggFunc::Kurtosis => (m2 != 0.0).then(|| n * m4 / (m2 * m2) - 3.0),
            _ => None,
        }
    }
}

impl Accumulator for Moments {
    fn update(&mut self, args: &[ArrayRef], groups: &[u32], num_groups: usize) -> Result<()> {
        grow(&mut self.state, num_groups, M::default());
        let a = args[0].as_primitive::<Float64Type>();
        for (i, &g) in groups.iter().enumerate() {
            if a.is_valid(i) {
                self.state[g as usize].add(a.value(i));
            }
        }
        Ok(())
    }

    fn finish(&mut self, n: usize) -> Result<ArrayRef> {
        grow(&mut self.state, n, M::default());
        let out: Float64Array = self.state[..n].iter().map(|m| self.result(m)).collect();
        Ok(Arc::new(out))
    }
}

#[derive(Clone, Copy, Default)]
struct C {
    n: f64,
    x_avg: f64,
    y_avg: f64,
    ck: f64,
    x_mk: f64,
    y_mk: f64,
}

/// corr, covar_pop, covar_samp over rows where both values are non-NULL.
pub(crate) struct CoMoments {
    state: Vec<C>,
    func: AggFunc,
}

impl CoMoments {
    pub fn new(func: AggFunc) -> CoMoments {
        CoMoments {
            state: Vec::new(),
            func,
        }
    }
}

impl Accumulator for CoMoments {
    fn update(&mut self, args: &[ArrayRef], groups: &[u32], num_groups: usize) -> Result<()> {
        grow(&mut self.state, num_groups, C::default());
        let (xs, ys) = (
            args[0].as_primitive::<Float64Type>(),
            args[1].as_primitive::<Float64Type>(),
        );
        for (i, &g) in groups.iter().enumerate() {
            if xs.is_null(i) || ys.is_null(i) {
                continue;
            }
            let (x, y) = (xs.value(i), ys.value(i));
            let c = &mut self.state[g as usize];
            let n = c.n + 1.0;
            let dx = x - c.x_avg;
            let dy = y - c.y_avg;
            c.x_avg += dx / n;
            c.y_avg += dy / n;
            c.ck += dx * (y - c.y_avg);
            c.x_mk += dx * (x - c.x_avg);
            c.y_mk += dy * (y - c.y_avg);
            c.n = n;
        }
        Ok(())
    }

    fn finish(&mut self, n: usize) -> Result<ArrayRef> {
        grow(&mut self.state, n, C::default());
        let out: Float64Array = self.state[..n]
            .iter()
            .map(|c| {
                if c.n == 0.0 {
                    return None;
                }
                match self.func {
                    AggFunc::CovarPop => Some(c.ck / c.n),
                    AggFunc::CovarSamp => (c.n > 1.0).then(|| c.ck / (c.n - 1.0)),
                    _ => (c.n > 1.0).then(|| c.ck / (c.x_mk * c.y_mk).sqrt()),
                }
            })
            .collect();
        Ok(Arc::new(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(func: AggFunc, values: &[f64]) -> Option<f64> {
        let mut acc = Moments::new(func);
        let v: ArrayRef = Arc::new(Float64Array::from(values.to_vec()));
        acc.update(&[v], &vec![0; values.len()], 1).unwrap();
        let out = acc.finish(1).unwrap();
        let out = out.as_primitive::<Float64Type>();
        out.is_valid(0).then(|| out.value(0))
    }

    /// Naive two-pass moments, the definition the streaming updates must agree with.
    fn naive(values: &[f64]) -> (f64, f64, f64) {
        let n = values.len() as f64;
        let mean = values.iter().sum::<f64>() / n;
        let m = |k: i32| values.iter().map(|v| (v - mean).powi(k)).sum::<f64>();
        (m(2), m(3), m(4))
    }

    #[test]
    fn test_moments_match_two_pass_definitions() {
        let values = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0, 1.5];
        let n = values.len() as f64;
        let (m2, m3, m4) = naive(&values);
        let close =
            |a: Option<f64>, b: f64| assert!((a.unwrap() - b).abs() < 1e-12, "{a:?} vs {b}");
        close(run(AggFunc::VarPop, &values), m2 / n);
        close(run(AggFunc::VarSamp, &values), m2 / (n - 1.0));
        close(
            run(AggFunc::Skewness, &values),
            n.sqrt() * m3 / m2.powf(1.5),
        );
        close(run(AggFunc::Kurtosis, &values), n * m4 / (m2 * m2) - 3.0);
    }

    #[test]
    fn test_sample_statistics_of_one_value_are_null() {
        assert_eq!(run(AggFunc::StddevSamp, &[3.0]), None);
        assert_eq!(run(AggFunc::StddevPop, &[3.0]), Some(0.0));
        assert_eq!(run(AggFunc::Skewness, &[3.0, 3.0]), None);
    }
}
