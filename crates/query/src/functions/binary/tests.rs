//! Expected digests were computed independently with Python's standard library:
//! `hashlib.md5(b).hexdigest()`, `hashlib.sha1(b).hexdigest()`,
//! `hashlib.new('sha256', b).hexdigest()` (and 224/384/512), `zlib.crc32(b)`,
//! `base64.b64encode(b)`, `bytes.fromhex(s)`, over `b = "Spark"`, `""` and `"héllo"` (UTF-8).

use std::sync::Arc;

use arrow::array::{Array, BinaryArray};

use crate::ErrorClass;
use crate::functions::testing::{call, call_c, int, ints, null, one, render, s, strs, texts};
use crate::types::SparkType;

const SPARK_SHA256: &str = "529bc3b07127ecb7e53a4dcf1991d9152c24537d919178022b2c42657f79a26b";

fn binary(values: &[Option<&[u8]>]) -> crate::functions::testing::Arg {
    (
        Arc::new(BinaryArray::from(values.to_vec())),
        SparkType::Binary,
    )
}

fn bytes_of(out: &crate::functions::testing::Arg) -> Vec<Option<Vec<u8>>> {
    let b = out.0.as_any().downcast_ref::<BinaryArray>().unwrap();
    b.iter().map(|v| v.map(<[u8]>::to_vec)).collect()
}

#[test]
fn test_md5_and_sha1_are_lower_case_hex_and_null_preserving() {
    let input = strs(&[Some("Spark"), None, Some(""), Some("héllo")]);
    let md5 = call("md5", vec![input.clone()]).unwrap();
    assert_eq!(md5.1, SparkType::String);
    assert_eq!(
        render(&md5),
        vec![
            Some("8cde774d6f7333752ed72cacddb05126".into()),
            None,
            Some("d41d8cd98f00b204e9800998ecf8427e".into()),
            Some("be50e8478cf24ff3595bc7307fb91b50".into()),
        ]
    );
    let sha1 = render(&call("sha1", vec![input.clone()]).unwrap());
    assert_eq!(
        sha1,
        vec![
            Some("85f5955f4b27a9a4c2aab6ffe5d7189fc298b92c".into()),
            None,
            Some("da39a3ee5e6b4b0d3255bfef95601890afd80709".into()),
            Some("35b5ea45c5e41f78b46a937cc74d41dfea920890".into()),
        ]
    );
    assert_eq!(render(&call("sha", vec![input]).unwrap()), sha1);
}

#[test]
fn test_binary_input_hashes_like_its_string() {
    let from_bytes = one(call("md5", vec![binary(&[Some(b"Spark")])]));
    assert_eq!(
        from_bytes.as_deref(),
        Some("8cde774d6f7333752ed72cacddb05126")
    );
    assert_eq!(one(call_c("md5", vec![null()])), None);
}

#[test]
fn test_sha2_bit_lengths() {
    let cases = [
        (
            224,
            Some("dbeab94971678d36af2195851c0f7485775a2a7c60073d62fc04549c"),
        ),
        (256, Some(SPARK_SHA256)),
        (0, Some(SPARK_SHA256)),
        (
            384,
            Some(
                "1e40b8d06c248a1cc32428c22582b6219d072283078fa140d9ad297ecadf2cabefc341b857ad36226aa8d6d79f2ab67d",
            ),
        ),
        (
            512,
            Some(
                "44844a586c54c9a212da1dbfe05c5f1705de1af5fda1f0d36297623249b279fd8f0ccec03f888f4fb13bf7cd83fdad58591c797f81121a23cfdd5e0897795238",
            ),
        ),
        (128, None),
        (-1, None),
    ];
    for (bits, expected) in cases {
        let got = one(call_c("sha2", vec![s("Spark"), int(bits)]));
        assert_eq!(got.as_deref(), expected, "sha2(_, {bits})");
    }
    // A per-row bit length, and NULLs in either argument.
    let out = call(
        "sha2",
        vec![
            strs(&[Some(""), Some("Spark"), None]),
            ints(&[Some(256), None, Some(256)]),
        ],
    )
    .unwrap();
    assert_eq!(
        render(&out),
        vec![
            Some("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855".into()),
            None,
            None
        ]
    );
}

#[test]
fn test_digests_reject_numbers() {
    let e = call("md5", vec![ints(&[Some(1)])]).unwrap_err();
    assert_eq!(
        e.error_class(),
        ErrorClass::DatatypeMismatchUnexpectedInputType
    );
    assert!(e.to_string().contains("\"BINARY\""), "{e}");
    let e = call("sha2", vec![s("x")]).unwrap_err();
    assert_eq!(e.error_class(), ErrorClass::WrongNumArgsWithoutSuggestion);
}

#[test]
fn test_crc32_is_unsigned_bigint() {
    let out = call(
        "crc32",
        vec![strs(&[Some("Spark"), Some(""), Some("héllo"), None])],
    )
    .unwrap();
    assert_eq!(out.1, SparkType::Long);
    // 2654700086 > i32::MAX: the unsigned value is kept, not wrapped negative.
    assert_eq!(
        render(&out),
        vec![
            Some("1557323817".into()),
            Some("0".into()),
            Some("2654700086".into()),
            None
        ]
    );
}

#[test]
fn test_base64_round_trip_and_mime_lines() {
    assert_eq!(
        one(call_c("base64", vec![s("Spark SQL")])).as_deref(),
        Some("U3BhcmsgU1FM")
    );
    // 60 bytes encode to 80 characters: a CRLF after the 76th, as Spark's MIME encoder.
    let long = "a".repeat(60);
    let encoded = one(call_c("base64", vec![s(&long)])).unwrap();
    assert_eq!(
        encoded,
        format!("{}\r\nYWFh", "YWFh".repeat(19)),
        "76 characters, CRLF, the rest"
    );
    let decoded = call_c("unbase64", vec![s(&encoded)]).unwrap();
    assert_eq!(decoded.1, SparkType::Binary);
    assert_eq!(bytes_of(&decoded), vec![Some(long.into_bytes())]);
}

#[test]
fn test_unbase64_is_lenient_like_the_mime_decoder() {
    let out = call(
        "unbase64",
        vec![strs(&[
            Some("U3Bh cmsg\nU1FM"),
            Some("U3Bhcms"),
            Some(""),
            None,
        ])],
    )
    .unwrap();
    assert_eq!(
        render(&out),
        vec![
            Some("Spark SQL".into()),
            Some("Spark".into()),
            Some(String::new()),
            None
        ]
    );
    // One lone character cannot carry a byte: an error naming the value.
    let e = call_c("unbase64", vec![s("QUJDR")]).unwrap_err();
    assert_eq!(e.class(), "CONVERSION_INVALID_INPUT");
    assert!(e.to_string().contains("'QUJDR'"), "{e}");
}

#[test]
fn test_unhex() {
    let out = call(
        "unhex",
        vec![strs(&[
            Some("537061726B"),
            Some("537061726b"),
            Some("F"),
            Some("zz"),
            None,
        ])],
    )
    .unwrap();
    assert_eq!(
        bytes_of(&out),
        vec![
            Some(b"Spark".to_vec()),
            Some(b"Spark".to_vec()),
            Some(vec![0x0f]),
            None,
            None
        ]
    );
    // hex(unhex(x)) restores upper-case digits.
    let back = call("hex", vec![out]).unwrap();
    assert_eq!(
        render(&back)[..3].to_vec(),
        texts(&["537061726B", "537061726B", "0F"])
    );
}
