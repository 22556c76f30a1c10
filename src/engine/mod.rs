//! The page's side of the engine: a dedicated Web Worker running the engine crates in its own
//! wasm module, fetched after the first paint. The page talks to it only through
//! [`protocol`] messages; it never blocks on it, and cancelling an update terminates the worker
//! and starts a fresh one from the last committed (saved) state. A second, small worker, the
//! Parquet codec ([`Codec`]), is started only when the page meets Parquet: the engine reads
//! and writes Arrow IPC files, the codec converts them from and to Parquet.

mod client;
mod codec;
mod listen;
pub mod tab_lock;
mod wire;

pub use client::{Engine, EngineStatus, Progress};
pub use codec::Codec;
