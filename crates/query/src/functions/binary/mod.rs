//! Functions over bytes: digests (`md5`, `sha1`/`sha`, `sha2`, `crc32`) and encodings
//! (`base64`, `unbase64`, `unhex`). A string argument is read as its UTF-8 bytes, as Spark's
//! implicit cast to BINARY does; NULL in gives NULL out.

mod codec;
mod digest;
#[cfg(test)]
mod tests;

use arrow::array::{Array, ArrayRef, BinaryArray};

use crate::error::Result;
use crate::functions::common::{arg, binaries, unexpected_type};
use crate::functions::{ArgInfo, ScalarFunction};
use crate::types::SparkType;

/// The cast type of a BINARY argument: strings and NULLs become bytes; anything else is
/// Spark's `UNEXPECTED_INPUT_TYPE` (Spark does not cast numbers to BINARY implicitly).
fn binary_arg(name: &str, args: &[ArgInfo], index: usize) -> Result<SparkType> {
    match &args[index].data_type {
        SparkType::Binary | SparkType::String | SparkType::Null => Ok(SparkType::Binary),
        other => Err(unexpected_type(name, index, "\"BINARY\"", other)),
    }
}

/// Argument `index` of an invoke as bytes (the signature cast it to BINARY).
fn bytes_arg(args: &[ArrayRef], index: usize) -> Result<&BinaryArray> {
    binaries(arg(args, index)?.as_ref())
}

/// Lower-case hexadecimal digits of `bytes`, as Spark prints digests.
fn lower_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

/// Map every non-NULL row of `input` through `f`; NULL rows stay NULL.
fn map_rows<'a, T: 'a>(
    input: &'a BinaryArray,
    mut f: impl FnMut(&'a [u8]) -> T + 'a,
) -> impl Iterator<Item = Option<T>> + 'a {
    (0..input.len()).map(move |i| input.is_valid(i).then(|| f(input.value(i))))
}

/// The byte functions.
pub(crate) static FUNCTIONS: &[&dyn ScalarFunction] = &[
    &digest::MD5,
    &digest::SHA1,
    &digest::SHA,
    &digest::SHA2,
    &digest::CRC32,
    &codec::BASE64,
    &codec::UNBASE64,
    &codec::UNHEX,
];
