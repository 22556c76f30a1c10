//! Exports the generator to a bare WebAssembly host (no bindings), so `../check.mjs` can
//! check that wasm32 lands the same bytes as native code and time it in V8.
//!
//! `cargo build --release --target wasm32-unknown-unknown` in this folder.

use datagen::{Batch, Preset, Volume, digest, generate, land};

fn batch_of(index: u32) -> Batch {
    if index == 0 { Batch::Initial } else { Batch::Increment(index) }
}

fn preset_of(index: u32) -> Preset {
    Preset::ALL.get(index as usize).copied().unwrap_or_default()
}

/// Digest of every landed file of preset `preset` (0 tiny, 1 course, 2 large), `seed`, batch
/// `batch` (0 = initial, n = n-th increment); 0 on error.
#[unsafe(no_mangle)]
pub extern "C" fn landed_digest(preset: u32, seed: u64, batch: u32) -> u64 {
    let config = preset_of(preset).config();
    let Ok(volume) = Volume::new("default", "iot_anomaly_detection") else { return 0 };
    let Ok(data) = generate(&config, seed, batch_of(batch)) else { return 0 };
    land(&data, &config, &volume).map_or(0, |landing| digest(&landing.files))
}

/// Generates and lands without digesting; returns the total bytes, for timing.
#[unsafe(no_mangle)]
pub extern "C" fn landed_bytes(preset: u32, seed: u64, batch: u32) -> u64 {
    let config = preset_of(preset).config();
    let Ok(volume) = Volume::new("default", "iot_anomaly_detection") else { return 0 };
    let Ok(data) = generate(&config, seed, batch_of(batch)) else { return 0 };
    land(&data, &config, &volume).map_or(0, |landing| landing.summary.bytes as u64)
}

/// Generates only (no landing); returns the row count, for timing generation alone.
#[unsafe(no_mangle)]
pub extern "C" fn generate_rows(preset: u32, seed: u64, batch: u32) -> u64 {
    let config = preset_of(preset).config();
    generate(&config, seed, batch_of(batch)).map_or(0, |data| data.readings.len() as u64)
}
