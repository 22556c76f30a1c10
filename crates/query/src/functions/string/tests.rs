//! Unit tests of the string functions, through the registry (cases from the SQL fixtures).

use crate::functions::testing::{call, int, ints, one, render, s, strs, texts};
use crate::types::SparkType;

fn models() -> crate::functions::testing::Arg {
    strs(&[
        Some("Aero_Pro"),
        Some("EcoFlow"),
        Some("aero-s"),
        Some("hydro 9"),
        Some("turbo_x1"),
    ])
}

fn five(v: &str) -> crate::functions::testing::Arg {
    strs(&[Some(v); 5])
}

#[test]
fn test_case_length_initcap_reverse() {
    assert_eq!(
        render(&call("lower", vec![models()]).unwrap())[0],
        Some("aero_pro".into())
    );
    assert_eq!(
        render(&call("upper", vec![models()]).unwrap())[3],
        Some("HYDRO 9".into())
    );
    let len = call("length", vec![models()]).unwrap();
    assert_eq!(
        (len.1.clone(), render(&len)),
        (SparkType::Int, texts(&["8", "7", "6", "7", "8"]))
    );
    assert_eq!(
        render(&call("initcap", vec![models()]).unwrap()),
        texts(&["Aero_pro", "Ecoflow", "Aero-s", "Hydro 9", "Turbo_x1"])
    );
    assert_eq!(
        render(&call("reverse", vec![models()]).unwrap())[0],
        Some("orP_oreA".into())
    );
    assert_eq!(one(call("length", vec![s("")])), Some("0".into()));
    assert_eq!(one(call("length", vec![s("héllo")])), Some("5".into()));
}

#[test]
fn test_substring_left_right() {
    assert_eq!(
        one(call("substring", vec![s("hello world"), int(1), int(5)])),
        Some("hello".into())
    );
    assert_eq!(
        one(call("substring", vec![s("hello world"), int(-5)])),
        Some("world".into())
    );
    assert_eq!(
        one(call("substr", vec![s("hello"), int(2), int(100)])),
        Some("ello".into())
    );
    assert_eq!(
        one(call("left", vec![s("hello"), int(2)])),
        Some("he".into())
    );
    assert_eq!(
        one(call("right", vec![s("hello"), int(3)])),
        Some("llo".into())
    );
    assert_eq!(
        one(call("right", vec![s("hello"), int(10)])),
        Some("hello".into())
    );
    assert_eq!(
        one(call("left", vec![s("hello"), int(-1)])),
        Some("".into())
    );
}

#[test]
fn test_trim_pad_repeat() {
    assert_eq!(one(call("trim", vec![s("  pad  ")])), Some("pad".into()));
    assert_eq!(
        one(call("trim", vec![s("xxpadxx"), s("x")])),
        Some("pad".into())
    );
    assert_eq!(
        one(call("lpad", vec![s("7"), int(3), s("0")])),
        Some("007".into())
    );
    assert_eq!(
        one(call("rpad", vec![s("ab"), int(5), s("*")])),
        Some("ab***".into())
    );
    assert_eq!(
        one(call("lpad", vec![s("ab"), int(4)])),
        Some("  ab".into())
    );
    assert_eq!(
        one(call("repeat", vec![s("ab"), int(3)])),
        Some("ababab".into())
    );
}

#[test]
fn test_concat_null_propagation_and_implicit_strings() {
    let out = call(
        "concat",
        vec![
            strs(&[Some("J15"), Some("J15")]),
            strs(&[Some("/"), Some("/")]),
            strs(&[Some("80.1"), None]),
        ],
    )
    .unwrap();
    assert_eq!(render(&out), vec![Some("J15/80.1".into()), None]);
    let out = call(
        "concat_ws",
        vec![
            strs(&[Some("|"), Some("|")]),
            strs(&[Some("J15"), Some("J15")]),
            strs(&[Some("80.1"), None]),
            strs(&[Some("aero-s"), Some("aero-s")]),
        ],
    )
    .unwrap();
    assert_eq!(render(&out), texts(&["J15|80.1|aero-s", "J15|aero-s"]));
    assert_eq!(one(call("||", vec![int(3), int(4)])), Some("34".into()));
    assert_eq!(
        one(call("concat", vec![s("id-"), int(7)])),
        Some("id-7".into())
    );
    assert_eq!(one(call("||", vec![s("a"), strs(&[None])])), None);
}

#[test]
fn test_search_functions() {
    let m = models();
    assert_eq!(
        render(&call("instr", vec![m.clone(), five("o")]).unwrap()),
        texts(&["4", "3", "4", "5", "5"])
    );
    assert_eq!(
        render(&call("locate", vec![five("o"), m.clone(), ints(&[Some(3); 5])]).unwrap()),
        texts(&["4", "3", "4", "5", "5"])
    );
    assert_eq!(
        render(&call("position", vec![five("_"), m.clone()]).unwrap()),
        texts(&["5", "0", "0", "0", "6"])
    );
    assert_eq!(
        render(&call("contains", vec![m.clone(), five("ro")]).unwrap())[1],
        Some("false".into())
    );
    assert_eq!(
        render(&call("startswith", vec![m.clone(), five("turbo")]).unwrap())[4],
        Some("true".into())
    );
    assert_eq!(
        render(&call("replace", vec![m.clone(), five("_"), five("-")]).unwrap())[0],
        Some("Aero-Pro".into())
    );
    assert_eq!(
        render(&call("translate", vec![m, five("aeo"), five("AEO")]).unwrap())[1],
        Some("EcOFlOw".into())
    );
    assert_eq!(
        one(call("locate", vec![s("o"), s("foo"), int(0)])),
        Some("0".into())
    );
    assert_eq!(
        one(call("split_part", vec![s("a,b,c"), s(","), int(-1)])),
        Some("c".into())
    );
    assert_eq!(
        one(call("split_part", vec![s("a,b,c"), s(","), int(5)])),
        Some("".into())
    );
}

#[test]
fn test_regexp_functions() {
    let m = models();
    let pattern = five("([a-zA-Z]+)[_ -]?([a-z0-9]*)");
    let g2 = call(
        "regexp_extract",
        vec![m.clone(), pattern, ints(&[Some(2); 5])],
    )
    .unwrap();
    assert_eq!(render(&g2), texts(&["", "", "s", "9", "x1"]));
    let digits = call(
        "regexp_extract",
        vec![m.clone(), five("[0-9]+"), ints(&[Some(0); 5])],
    )
    .unwrap();
    assert_eq!(render(&digits), texts(&["", "", "", "9", "1"]));
    let letters = call(
        "regexp_replace",
        vec![m.clone(), five("[^a-zA-Z]"), five("")],
    )
    .unwrap();
    assert_eq!(
        render(&letters),
        texts(&["AeroPro", "EcoFlow", "aeros", "hydro", "turbox"])
    );
    let like = call("like", vec![m.clone(), five("%\\_%")]).unwrap();
    assert_eq!(
        render(&like),
        texts(&["true", "false", "false", "false", "true"])
    );
    let ilike = call("ilike", vec![m.clone(), five("aero%")]).unwrap();
    assert_eq!(
        render(&ilike),
        texts(&["true", "false", "true", "false", "false"])
    );
    let rlike = call("rlike", vec![m, five("^[a-z]+_x[0-9]$")]).unwrap();
    assert_eq!(
        render(&rlike),
        texts(&["false", "false", "false", "false", "true"])
    );
    let swapped = call(
        "regexp_replace",
        vec![s("ab-cd"), s("(\\w+)-(\\w+)"), s("$2-$1")],
    )
    .unwrap();
    assert_eq!(render(&swapped), texts(&["cd-ab"]));
    let e = call("regexp_extract", vec![s("x"), s("(x)"), int(3)]).unwrap_err();
    assert_eq!(e.class(), "INVALID_PARAMETER_VALUE.REGEX_GROUP_INDEX");
    let e = call("rlike", vec![s("x"), s("(")]).unwrap_err();
    assert_eq!(e.class(), "INVALID_PARAMETER_VALUE.PATTERN");
}

#[test]
fn test_ascii_chr_format() {
    assert_eq!(one(call("ascii", vec![s("A")])), Some("65".into()));
    assert_eq!(one(call("chr", vec![int(65)])), Some("A".into()));
    assert_eq!(
        one(call(
            "format_number",
            vec![crate::functions::testing::double(12332.123456), int(2)]
        )),
        Some("12,332.12".into())
    );
    assert_eq!(
        one(call("format_number", vec![int(-1234567), int(0)])),
        Some("-1,234,567".into())
    );
    assert_eq!(
        one(call(
            "format_string",
            vec![
                s("%s has %d rows (%.1f%%)"),
                s("t"),
                int(3),
                crate::functions::testing::double(12.25)
            ]
        )),
        Some("t has 3 rows (12.3%)".into())
    );
}

/// Java's `\w`, `\d`, `\s` and `(?i)` are ASCII-only unless a pattern asks for Unicode; Spark
/// passes patterns to `java.util.regex` unchanged.
#[test]
fn test_regex_classes_and_case_are_ascii_as_in_java() {
    // `é` is no word character: the first match is the digit after it.
    assert_eq!(
        one(call("regexp_extract", vec![s("é1"), s("\\w+"), int(0)])),
        Some("1".into())
    );
    // Arabic-Indic digits are no `\d`.
    assert_eq!(
        one(call("regexp_extract", vec![s("٣7"), s("\\d+"), int(0)])),
        Some("7".into())
    );
    // A no-break space is no `\s`.
    assert_eq!(
        one(call(
            "regexp_replace",
            vec![s("a b\u{a0}c"), s("\\s"), s("_")]
        )),
        Some("a_b\u{a0}c".into())
    );
    assert_eq!(
        one(call("rlike", vec![s("ECOFLOW"), s("(?i)^ecoflow$")])),
        Some("true".into())
    );
    assert_eq!(
        one(call("rlike", vec![s("ÉCO"), s("(?i)^éco$")])),
        Some("false".into())
    );
}

/// Spark rewrites `a ILIKE b` to `lower(a) LIKE lower(b)`, so non-ASCII letters match in
/// either case, constant pattern or not.
#[test]
fn test_ilike_lowercases_both_sides() {
    let names = strs(&[Some("ÉCO-Flow"), Some("éco_x"), Some("eco"), None]);
    let constant = call("ilike", vec![names.clone(), strs(&[Some("éCO%"); 4])]).unwrap();
    assert_eq!(
        render(&constant),
        vec![
            Some("true".into()),
            Some("true".into()),
            Some("false".into()),
            None
        ]
    );
    let patterns = strs(&[Some("%FLOW"), Some("ÉCO\\_X"), Some("E_O"), Some("%")]);
    let per_row = call("ilike", vec![names, patterns]).unwrap();
    assert_eq!(
        render(&per_row),
        vec![
            Some("true".into()),
            Some("true".into()),
            Some("true".into()),
            None
        ]
    );
}

/// Unicode classes (`\p{L}`) are the one part of Java's syntax the engine lacks: they are
/// reported as an invalid pattern, not silently misread.
#[test]
fn test_unicode_class_is_an_invalid_pattern() {
    let e = call("rlike", vec![s("é"), s("\\p{L}")]).unwrap_err();
    assert_eq!(e.class(), "INVALID_PARAMETER_VALUE.PATTERN");
}
