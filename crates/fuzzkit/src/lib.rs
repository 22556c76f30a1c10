//! The engine's fuzz tests share this harness (a dev-dependency only; nothing ships):
//!
//! - [`fuzz`] draws inputs from a proptest strategy and runs each under [`guarded`]: in its own
//!   thread with a wasm-sized stack and a deadline, so a panic, a stack overflow or a hang fails
//!   the test naming the input, which is also saved for replay.
//! - [`Budget`]: the short run (`cargo test`, a modest number of cases) or the long run
//!   (`scripts/fuzz.sh`, which sets `FUZZ_CASES` or `FUZZ_SECONDS`).
//! - [`mutate`]: grammar-shaped mutations of real files (splices of their own tokens,
//!   duplicated or dropped lines, brackets and quotes, deep nesting) plus random bytes.
//! - [`regressions`]: every input that once failed, kept under a crate's `tests/` and replayed.

pub mod mutate;
pub mod regressions;
mod watchdog;

pub use watchdog::{INPUT_DEADLINE, WASM_STACK_BYTES, guarded, guarded_with_stack};

use std::fmt::Debug;
use std::sync::Arc;
use std::time::{Duration, Instant};

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, TestRng, TestRunner};

/// How many inputs one fuzz test tries.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    /// At most this many inputs.
    pub cases: u64,
    /// And stop when this much time has passed (the long run's time budget).
    pub time: Option<Duration>,
}

impl Budget {
    /// The short run's `default_cases`, unless the environment asks for a long run:
    /// `FUZZ_CASES=n` (n inputs per test) or `FUZZ_SECONDS=s` (s seconds per test).
    pub fn from_env(default_cases: u64) -> Budget {
        let var = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<u64>().ok());
        match (var("FUZZ_CASES"), var("FUZZ_SECONDS")) {
            (_, Some(seconds)) => Budget {
                cases: u64::MAX,
                time: Some(Duration::from_secs(seconds)),
            },
            (Some(cases), None) => Budget { cases, time: None },
            (None, None) => Budget {
                cases: default_cases,
                time: None,
            },
        }
    }
}

/// Run `check` on inputs drawn from `strategy` until the [`Budget`] is spent, each under
/// [`guarded`]. Returns the number of inputs tried (printed, for the long run's report).
///
/// The random seed is fixed unless `FUZZ_SEED` is set (the long run sets it from the clock), so
/// the short run in the test command is reproducible.
///
/// # Panics
/// On the first input that panics, overruns [`INPUT_DEADLINE`] or makes `check` return an
/// error; the message names the input and the file it was saved to.
pub fn fuzz<S, F>(name: &str, default_cases: u64, strategy: S, check: F) -> u64
where
    S: Strategy,
    S::Value: Debug + Send + 'static,
    F: Fn(S::Value) -> Result<(), String> + Send + Sync + 'static,
{
    let budget = Budget::from_env(default_cases);
    let seed: u64 = std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed_f0cc);
    let mut seed_bytes = [0u8; 32];
    for (i, b) in seed.to_le_bytes().iter().enumerate() {
        seed_bytes[i] = *b;
        seed_bytes[31 - i] = b.rotate_left(3);
    }
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(proptest::test_runner::RngAlgorithm::ChaCha, &seed_bytes),
    );
    let check = Arc::new(check);
    let start = Instant::now();
    let mut tried = 0u64;
    while tried < budget.cases && budget.time.is_none_or(|t| start.elapsed() < t) {
        let input = match strategy.new_tree(&mut runner) {
            Ok(tree) => tree.current(),
            Err(reason) => panic!("{name}: the strategy cannot generate: {reason}"),
        };
        let check = Arc::clone(&check);
        guarded(name, input, move |input| check(input));
        tried += 1;
    }
    eprintln!(
        "fuzz {name}: {tried} inputs in {:.1}s, no failure (seed {seed})",
        start.elapsed().as_secs_f64()
    );
    tried
}
