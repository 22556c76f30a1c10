//! Arrow kernels the executor and the scalar functions share (gathering rows, normalising
//! and hashing keys): free functions over arrays, below both so functions need not reach up
//! into the executor.

pub(crate) mod fill;
pub(crate) mod gather;
pub(crate) mod keys;
