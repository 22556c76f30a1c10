//! One input, one thread: a stack the size of the browser's and a deadline.

use std::fmt::Debug;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The stack a wasm32 module gets by default (rustc's linker reserves 1 MiB): deep recursion
/// that fits natively but not in the page must fail here too.
pub const WASM_STACK_BYTES: usize = 1 << 20;

/// How long one input may take. Test builds run the engine unoptimised (dependencies at
/// opt-level 1), about 10x slower than the page's release build; the longest legitimate
/// input here (a 1 MB query) takes a few seconds, so a run past this is a hang.
pub const INPUT_DEADLINE: Duration = Duration::from_secs(20);

/// Run `check(input)` in a thread with a [`WASM_STACK_BYTES`] stack and [`INPUT_DEADLINE`].
///
/// # Panics
/// When `check` panics (stack overflow aborts the process, naming the thread, which carries the
/// input's name), takes longer than the deadline, or returns an error; the input is printed and
/// saved under the temporary directory for replay.
pub fn guarded<I, F>(name: &str, input: I, check: F)
where
    I: Debug + Send + 'static,
    F: FnOnce(I) -> Result<(), String> + Send + 'static,
{
    guarded_with_stack(name, WASM_STACK_BYTES, input, check)
}

/// [`guarded`] with another stack size (a check that itself needs room, such as the
/// multi-threaded engine's native setup, never the code under test).
pub fn guarded_with_stack<I, F>(name: &str, stack: usize, input: I, check: F)
where
    I: Debug + Send + 'static,
    F: FnOnce(I) -> Result<(), String> + Send + 'static,
{
    let shown = format!("{input:?}");
    let (done, outcome) = mpsc::channel();
    let started = Instant::now();
    let worker = std::thread::Builder::new()
        .name(format!("fuzz {name}: {}", clip(&shown, 120)))
        .stack_size(stack)
        .spawn(move || {
            let result = check(input);
            let _ = done.send(result);
        })
        .expect("spawn a fuzz worker");
    let failure = match outcome.recv_timeout(INPUT_DEADLINE) {
        Ok(Ok(())) => None,
        Ok(Err(message)) => Some(message),
        Err(mpsc::RecvTimeoutError::Timeout) => Some(format!(
            "no answer after {:?}: a hang (the worker keeps running)",
            started.elapsed()
        )),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            let panic = worker.join().err().map(|p| {
                p.downcast_ref::<String>()
                    .cloned()
                    .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_else(|| "(non-text panic)".into())
            });
            Some(format!("panicked: {}", panic.unwrap_or_default()))
        }
    };
    if let Some(failure) = failure {
        let saved = save(name, &shown);
        panic!(
            "fuzz {name}: {failure}\ninput ({} chars, saved to {saved}):\n{}",
            shown.len(),
            clip(&shown, 4000)
        );
    }
}

/// The first `max` characters of `text`, marking the cut.
fn clip(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// Save a failing input where the developer can copy it into the crate's regressions.
fn save(name: &str, shown: &str) -> String {
    let dir = std::env::temp_dir().join("iotwb-fuzz-failures");
    let file = dir.join(format!(
        "{}-{}.txt",
        name.replace(|c: char| !c.is_ascii_alphanumeric(), "_"),
        std::process::id()
    ));
    match std::fs::create_dir_all(&dir).and_then(|_| std::fs::write(&file, shown)) {
        Ok(()) => file.display().to_string(),
        Err(e) => format!("(not saved: {e})"),
    }
}
