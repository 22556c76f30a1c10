//! Byte encodings: `base64` (Spark's default MIME form: lines of 76 characters joined by
//! CRLF), `unbase64` (the lenient MIME decoder: characters outside the alphabet are skipped)
//! and `unhex` (NULL for a non-hex digit; an odd length reads as if led by `0`).

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, BinaryArray, StringArray};
use base64::Engine;
use base64::alphabet::STANDARD;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::{DecodePaddingMode, general_purpose};

use crate::error::{ErrorClass, QueryError, Result};
use crate::functions::common::{Want, arg, check_arity, coerce_args, func, strings};
use crate::functions::{ArgInfo, EvalContext, Signature};
use crate::types::SparkType;

use super::{binary_arg, bytes_arg, map_rows};

/// RFC 2045 (MIME) line length; Spark chunks `base64` output this way by default
/// (`spark.sql.chunkBase64String.enabled`, true since 3.5.2 and in 4.x).
const MIME_LINE: usize = 76;

fn resolve_base64(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 1, 1)?;
    Ok(Signature {
        args: vec![binary_arg(name, args, 0)?],
        result: SparkType::String,
    })
}

/// Padded base64 of `bytes`, with a CRLF after every 76 characters except the last line.
fn mime_base64(bytes: &[u8]) -> String {
    let flat = general_purpose::STANDARD.encode(bytes);
    if flat.len() <= MIME_LINE {
        return flat;
    }
    let mut out = String::with_capacity(flat.len() + flat.len() / MIME_LINE * 2);
    for (k, line) in flat.as_bytes().chunks(MIME_LINE).enumerate() {
        if k > 0 {
            out.push_str("\r\n");
        }
        // Base64 output is ASCII, so every chunk boundary is a char boundary.
        out.push_str(std::str::from_utf8(line).unwrap_or_default());
    }
    out
}

fn invoke_base64(args: &[ArrayRef], _: usize, _: &EvalContext) -> Result<ArrayRef> {
    let out: StringArray = map_rows(bytes_arg(args, 0)?, mime_base64).collect();
    Ok(Arc::new(out))
}

func!(BASE64, "base64", resolve_base64, invoke_base64);

fn resolve_string_to_binary(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 1, 1)?;
    Ok(Signature {
        args: coerce_args(name, args, &[Want::String])?,
        result: SparkType::Binary,
    })
}

/// Java's MIME decoder: padding optional, stray bits in the last character ignored.
const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// Decode `text` as Java's MIME decoder does: skip every character outside the base64
/// alphabet (line breaks, spaces), stop at the first `=`.
fn mime_decode(text: &str) -> Result<Vec<u8>> {
    let data = text.split('=').next().unwrap_or_default();
    let kept: Vec<u8> = data
        .bytes()
        .filter(|b| b.is_ascii_alphanumeric() || *b == b'+' || *b == b'/')
        .collect();
    LENIENT.decode(&kept).map_err(|e| {
        QueryError::execution(
            ErrorClass::ConversionInvalidInput,
            format!(
                "The value '{text}' (STRING) cannot be converted to BINARY because it is \
                 malformed base64 ({e}). Correct the value, or use `try_to_binary(str, \
                 'base64')` to tolerate malformed input."
            ),
        )
    })
}

fn invoke_unbase64(args: &[ArrayRef], _: usize, _: &EvalContext) -> Result<ArrayRef> {
    let input = strings(arg(args, 0)?.as_ref())?;
    let rows = (0..input.len())
        .map(|i| {
            input
                .is_valid(i)
                .then(|| mime_decode(input.value(i)))
                .transpose()
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Arc::new(BinaryArray::from_iter(rows)))
}

func!(
    UNBASE64,
    "unbase64",
    resolve_string_to_binary,
    invoke_unbase64
);

fn nibble(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// The bytes of hex `text`; `None` (NULL in Spark) when a character is not a hex digit.
fn unhex_text(text: &str) -> Option<Vec<u8>> {
    let digits = text.as_bytes();
    let mut out = Vec::with_capacity(digits.len().div_ceil(2));
    let (head, rest) = digits.split_at(digits.len() % 2);
    if let Some(&c) = head.first() {
        out.push(nibble(c)?);
    }
    for pair in rest.chunks_exact(2) {
        out.push(nibble(pair[0])? << 4 | nibble(pair[1])?);
    }
    Some(out)
}

fn invoke_unhex(args: &[ArrayRef], _: usize, _: &EvalContext) -> Result<ArrayRef> {
    let input = strings(arg(args, 0)?.as_ref())?;
    let rows = (0..input.len()).map(|i| {
        if input.is_null(i) {
            None
        } else {
            unhex_text(input.value(i))
        }
    });
    Ok(Arc::new(BinaryArray::from_iter(rows)))
}

func!(UNHEX, "unhex", resolve_string_to_binary, invoke_unhex);
