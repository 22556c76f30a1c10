//! The random functions: `rand([seed])` / `random([seed])` (uniform in [0, 1)), `randn([seed])`
//! (standard normal) and `uuid()`. They are [`Volatility::Volatile`]: the optimizer never
//! folds or moves them, and a materialized view that calls one is recomputed whole.
//!
//! The generator is Spark's `XORShiftRandom` (a xorshift over a MurmurHash3-scrambled seed,
//! read through `java.util.Random`'s `nextDouble`/`nextGaussian`), so `rand(42)` over one
//! partition gives Spark's numbers. A stream lasts one query run: it continues across the
//! run's batches and starts over in the next run, so a seeded query repeats itself. Without
//! a seed, each run draws a fresh one from the clock and a counter (the engine has no other
//! entropy in the browser).

use std::cell::RefCell;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use arrow::array::{Array, ArrayRef, Float64Array, Int64Array, StringArray};

use crate::error::{ErrorClass, QueryError, Result};
use crate::functions::common::{check_arity, constant_i64, func};
use crate::functions::{ArgInfo, EvalContext, Signature, Volatility};
use crate::types::SparkType;

/// Spark's `XORShiftRandom`, with `java.util.Random`'s derived draws.
#[derive(Debug, Clone)]
struct XorShift {
    seed: i64,
    /// `nextGaussian` makes two values at a time and keeps the second.
    next_gaussian: Option<f64>,
}

/// `java.util.Random`'s `DOUBLE_UNIT`: 2^-53.
const DOUBLE_UNIT: f64 = 1.0 / (1u64 << 53) as f64;
/// `scala.util.hashing.MurmurHash3.arraySeed`.
const ARRAY_SEED: u32 = 0x3c07_4a61;

impl XorShift {
    fn new(init: i64) -> XorShift {
        XorShift {
            seed: hash_seed(init),
            next_gaussian: None,
        }
    }

    fn next(&mut self, bits: u32) -> i32 {
        let mut s = self.seed;
        s ^= s << 21;
        s ^= ((s as u64) >> 35) as i64;
        s ^= s << 4;
        self.seed = s;
        (s & ((1i64 << bits) - 1)) as i32
    }

    fn next_double(&mut self) -> f64 {
        let high = i64::from(self.next(26)) << 27;
        (high + i64::from(self.next(27))) as f64 * DOUBLE_UNIT
    }

    fn next_long(&mut self) -> i64 {
        (i64::from(self.next(32)) << 32).wrapping_add(i64::from(self.next(32)))
    }

    /// The polar method, as `java.util.Random.nextGaussian`.
    fn next_gaussian(&mut self) -> f64 {
        if let Some(kept) = self.next_gaussian.take() {
            return kept;
        }
        loop {
            let v1 = 2.0 * self.next_double() - 1.0;
            let v2 = 2.0 * self.next_double() - 1.0;
            let s = v1 * v1 + v2 * v2;
            if s < 1.0 && s != 0.0 {
                let multiplier = (-2.0 * s.ln() / s).sqrt();
                self.next_gaussian = Some(v2 * multiplier);
                return v1 * multiplier;
            }
        }
    }
}

/// `XORShiftRandom.hashSeed`: MurmurHash3 of the seed's big-endian bytes, twice.
fn hash_seed(seed: i64) -> i64 {
    let bytes = seed.to_be_bytes();
    let low = murmur3_bytes(&bytes, ARRAY_SEED);
    let high = murmur3_bytes(&bytes, low);
    (i64::from(high) << 32) | i64::from(low)
}

/// `MurmurHash3.bytesHash` for an 8-byte input (two whole blocks, no tail).
fn murmur3_bytes(data: &[u8; 8], seed: u32) -> u32 {
    let mut h = seed;
    for block in data.chunks_exact(4) {
        let k = u32::from_le_bytes([block[0], block[1], block[2], block[3]]);
        let k = k
            .wrapping_mul(0xcc9e_2d51)
            .rotate_left(15)
            .wrapping_mul(0x1b87_3593);
        h = (h ^ k)
            .rotate_left(13)
            .wrapping_mul(5)
            .wrapping_add(0xe654_6b64);
    }
    h ^= data.len() as u32;
    h ^= h >> 16;
    h = h.wrapping_mul(0x85eb_ca6b);
    h ^= h >> 13;
    h = h.wrapping_mul(0xc2b2_ae35);
    h ^ (h >> 16)
}

/// One query run's streams, by seed (`None`: unseeded).
#[derive(Default)]
struct Streams {
    query_id: u64,
    by_seed: Vec<(Option<i64>, XorShift)>,
}

thread_local! {
    static STREAMS: RefCell<Streams> = RefCell::new(Streams::default());
}

/// Draw `rows` values from the run's stream for `seed`.
fn draw<T>(
    ctx: &EvalContext,
    seed: Option<i64>,
    rows: usize,
    mut f: impl FnMut(&mut XorShift) -> T,
) -> Vec<T> {
    static UNSEEDED: AtomicU64 = AtomicU64::new(0x9e37_79b9_7f4a_7c15);
    STREAMS.with(|streams| {
        let mut streams = streams.borrow_mut();
        if streams.query_id != ctx.query_id || ctx.query_id == 0 {
            *streams = Streams {
                query_id: ctx.query_id,
                by_seed: Vec::new(),
            };
        }
        let at = match streams.by_seed.iter().position(|(s, _)| *s == seed) {
            Some(at) => at,
            None => {
                let init = seed.unwrap_or_else(|| {
                    let salt = UNSEEDED.fetch_add(0x9e37_79b9_7f4a_7c15, Ordering::Relaxed);
                    (salt ^ ctx.now_micros as u64 ^ ctx.query_id.rotate_left(32)) as i64
                });
                streams.by_seed.push((seed, XorShift::new(init)));
                streams.by_seed.len() - 1
            }
        };
        let rng = &mut streams.by_seed[at].1;
        (0..rows).map(|_| f(rng)).collect()
    })
}

/// `rand()`, `rand(seed)`: the seed must be a constant integer (NULL is 0, as in Spark).
fn resolve_seeded(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 0, 1)?;
    if let Some(a) = args.first() {
        let integral = matches!(
            a.data_type,
            SparkType::Int | SparkType::Long | SparkType::Short | SparkType::Byte | SparkType::Null
        );
        if !integral || (a.constant.is_none()) {
            return Err(QueryError::analysis(
                ErrorClass::DatatypeMismatchNonFoldableInput,
                format!(
                    "Cannot resolve \"{name}()\": the seed must be a constant INT or BIGINT, \
                     found {}.",
                    a.data_type.sql_name()
                ),
            ));
        }
        let _ = constant_i64(args, 0);
    }
    Ok(Signature {
        args: args.iter().map(|_| SparkType::Long).collect(),
        result: SparkType::Double,
    })
}

fn seed_of(args: &[ArrayRef]) -> Option<i64> {
    let a = args.first()?.as_any().downcast_ref::<Int64Array>()?;
    Some(if a.is_empty() || a.is_null(0) {
        0
    } else {
        a.value(0)
    })
}

fn invoke_rand(args: &[ArrayRef], rows: usize, ctx: &EvalContext) -> Result<ArrayRef> {
    let values = draw(ctx, seed_of(args), rows, XorShift::next_double);
    Ok(Arc::new(Float64Array::from(values)))
}

fn invoke_randn(args: &[ArrayRef], rows: usize, ctx: &EvalContext) -> Result<ArrayRef> {
    let values = draw(ctx, seed_of(args), rows, XorShift::next_gaussian);
    Ok(Arc::new(Float64Array::from(values)))
}

fn resolve_uuid(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 0, 0)?;
    Ok(Signature {
        args: Vec::new(),
        result: SparkType::String,
    })
}

/// A version-4 UUID from two draws, as Spark's `RandomUUIDGenerator` sets its bits.
fn invoke_uuid(_: &[ArrayRef], rows: usize, ctx: &EvalContext) -> Result<ArrayRef> {
    let values = draw(ctx, None, rows, |rng| {
        let most = (rng.next_long() as u64 & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000;
        let least = (rng.next_long() as u64 | 0x8000_0000_0000_0000) & 0xBFFF_FFFF_FFFF_FFFF;
        let hex = format!("{most:016x}{least:016x}");
        format!(
            "{}-{}-{}-{}-{}",
            &hex[..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..]
        )
    });
    Ok(Arc::new(StringArray::from(values)))
}

func!(
    RAND,
    "rand",
    resolve_seeded,
    invoke_rand,
    Volatility::Volatile
);
func!(
    RANDOM,
    "random",
    resolve_seeded,
    invoke_rand,
    Volatility::Volatile
);
func!(
    RANDN,
    "randn",
    resolve_seeded,
    invoke_randn,
    Volatility::Volatile
);
func!(
    UUID,
    "uuid",
    resolve_uuid,
    invoke_uuid,
    Volatility::Volatile
);

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(query_id: u64) -> EvalContext {
        EvalContext {
            now_micros: 0,
            query_id,
        }
    }

    #[test]
    fn test_seeded_stream_continues_across_batches_and_restarts_per_query() {
        let whole = draw(&ctx(7), Some(42), 6, XorShift::next_double);
        let mut split = draw(&ctx(8), Some(42), 4, XorShift::next_double);
        split.extend(draw(&ctx(8), Some(42), 2, XorShift::next_double));
        assert_eq!(whole, split);
        assert!(whole.iter().all(|v| (0.0..1.0).contains(v)));
        assert!(whole.windows(2).all(|w| w[0] != w[1]));
    }

    #[test]
    fn test_xorshift_matches_a_reference_implementation_of_its_recurrence() {
        // The recurrence written out with u64 shifts, against the i64 code above.
        let mut rng = XorShift::new(1);
        let mut s = hash_seed(1) as u64;
        for _ in 0..100 {
            s ^= s << 21;
            s ^= s >> 35;
            s ^= s << 4;
            assert_eq!(rng.next(31), (s & ((1 << 31) - 1)) as i32);
        }
    }

    #[test]
    fn test_gaussians_look_standard_normal() {
        let values = draw(&ctx(9), Some(3), 20_000, XorShift::next_gaussian);
        let n = values.len() as f64;
        let mean = values.iter().sum::<f64>() / n;
        let var = values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n;
        assert!(mean.abs() < 0.05, "{mean}");
        assert!((var - 1.0).abs() < 0.05, "{var}");
    }

    #[test]
    fn test_uuids_are_version_4_and_distinct() {
        let out = invoke_uuid(&[], 3, &ctx(10)).unwrap();
        let out = out.as_any().downcast_ref::<StringArray>().unwrap();
        let all: Vec<&str> = out.iter().map(Option::unwrap).collect();
        for u in &all {
            assert_eq!(u.len(), 36);
            assert_eq!(&u[14..15], "4");
            assert!(matches!(&u[19..20], "8" | "9" | "a" | "b"), "{u}");
        }
        assert!(all[0] != all[1] && all[1] != all[2]);
    }
}
