//! Digests with Spark's spellings: `md5`, `sha1`/`sha` and `sha2(expr, bits)` return
//! lower-case hexadecimal strings; `crc32` returns a bigint.

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, Int64Array, StringArray};
use md5::Md5;
use sha1::Sha1;
use sha2::{Digest, Sha224, Sha256, Sha384, Sha512};

use crate::error::Result;
use crate::functions::common::{Want, arg, check_arity, coerce_args, func, prim};
use crate::functions::{ArgInfo, EvalContext, Signature};
use crate::types::SparkType;

use super::{binary_arg, bytes_arg, lower_hex, map_rows};

fn resolve_unary(name: &'static str, args: &[ArgInfo], result: SparkType) -> Result<Signature> {
    check_arity(name, args, 1, 1)?;
    Ok(Signature {
        args: vec![binary_arg(name, args, 0)?],
        result,
    })
}

fn resolve_hex_digest(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    resolve_unary(name, args, SparkType::String)
}

/// Hash every row of argument 0 with `D`, as lower-case hex.
fn hex_digest<D: Digest>(args: &[ArrayRef]) -> Result<ArrayRef> {
    let input = bytes_arg(args, 0)?;
    let out: StringArray = map_rows(input, |b| lower_hex(&D::digest(b))).collect();
    Ok(Arc::new(out))
}

func!(
    MD5,
    "md5",
    resolve_hex_digest,
    |args, _, _: &EvalContext| { hex_digest::<Md5>(args) }
);
func!(
    SHA1,
    "sha1",
    resolve_hex_digest,
    |args, _, _: &EvalContext| { hex_digest::<Sha1>(args) }
);
func!(
    SHA,
    "sha",
    resolve_hex_digest,
    |args, _, _: &EvalContext| { hex_digest::<Sha1>(args) }
);

fn resolve_sha2(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 2, 2)?;
    let bits = coerce_args(name, &args[1..], &[Want::Int])?.remove(0);
    Ok(Signature {
        args: vec![binary_arg(name, args, 0)?, bits],
        result: SparkType::String,
    })
}

/// The SHA-2 variant of `bits` (0 means 256, as in Spark); `None` for any other length,
/// which Spark answers with NULL rather than an error.
fn sha2_hex(bits: i32, bytes: &[u8]) -> Option<String> {
    let digest = match bits {
        224 => Sha224::digest(bytes).to_vec(),
        0 | 256 => Sha256::digest(bytes).to_vec(),
        384 => Sha384::digest(bytes).to_vec(),
        512 => Sha512::digest(bytes).to_vec(),
        _ => return None,
    };
    Some(lower_hex(&digest))
}

fn invoke_sha2(args: &[ArrayRef], _: usize, _: &EvalContext) -> Result<ArrayRef> {
    let input = bytes_arg(args, 0)?;
    let bits = prim::<arrow::datatypes::Int32Type>(arg(args, 1)?.as_ref())?;
    let out: StringArray = (0..input.len())
        .map(|i| {
            if input.is_null(i) || bits.is_null(i) {
                return None;
            }
            sha2_hex(bits.value(i), input.value(i))
        })
        .collect();
    Ok(Arc::new(out))
}

func!(SHA2, "sha2", resolve_sha2, invoke_sha2);

fn resolve_crc32(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    resolve_unary(name, args, SparkType::Long)
}

/// `crc32` is the zlib CRC-32 of the bytes, an unsigned 32-bit value widened to bigint.
fn invoke_crc32(args: &[ArrayRef], _: usize, _: &EvalContext) -> Result<ArrayRef> {
    let input = bytes_arg(args, 0)?;
    let out: Int64Array = map_rows(input, |b| i64::from(crc32fast::hash(b))).collect();
    Ok(Arc::new(out))
}

func!(CRC32, "crc32", resolve_crc32, invoke_crc32);
