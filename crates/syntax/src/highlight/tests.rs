//! Colouring of the course's own files, resilience to broken text, and the span list's
//! promises for arbitrary text and for mutations of the course files.

use proptest::prelude::*;

use super::{Class, Language, Span, highlight};

const PY_SENSOR_BRONZE: &str =
    include_str!("../../../pipeline/projects/iot_python/src/bronze/sensor_bronze.py");
const PY_INSPECTION_SILVER: &str =
    include_str!("../../../pipeline/projects/iot_python/src/silver/inspection_silver.py");
const SQL_SENSOR_BRONZE: &str =
    include_str!("../../../pipeline/projects/iot_sql/src/bronze/sensor_bronze.sql");
const SQL_INSPECTION_SILVER: &str =
    include_str!("../../../pipeline/projects/iot_sql/src/silver/inspection_silver.sql");
const YAML_BUNDLE: &str = include_str!("../../../pipeline/projects/iot_sql/databricks.yml");
const YAML_ALERT: &str = include_str!("../../../pipeline/projects/iot_sql/resources/alert.yml");
const JSON_DASHBOARD: &str =
    include_str!("../../../pipeline/projects/iot_sql/config/iot_anomaly_detection.lvdash.json");

const COURSE_FILES: &[(Language, &str)] = &[
    (Language::Python, PY_SENSOR_BRONZE),
    (Language::Python, PY_INSPECTION_SILVER),
    (Language::Sql, SQL_SENSOR_BRONZE),
    (Language::Sql, SQL_INSPECTION_SILVER),
    (Language::Yaml, YAML_BUNDLE),
    (Language::Yaml, YAML_ALERT),
    (Language::Json, JSON_DASHBOARD),
];

/// The class of the span covering the `nth` occurrence of `needle`, which must be covered by
/// one span from its first to its last byte.
fn class_at(spans: &[Span], text: &str, needle: &str, nth: usize) -> Option<Class> {
    let at = text
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("`{needle}` #{nth} not in the text"))
        .0;
    spans
        .iter()
        .find(|s| s.start <= at && at + needle.len() <= s.end)
        .map(|s| s.class)
}

fn classes_of(language: Language, text: &str, expected: &[(&str, usize, Class)]) {
    let spans = highlight(language, text);
    for &(needle, nth, class) in expected {
        assert_eq!(
            class_at(&spans, text, needle, nth),
            Some(class),
            "class of `{needle}` #{nth}"
        );
    }
}

fn assert_well_formed(text: &str, spans: &[Span]) {
    let mut previous_end = 0;
    for span in spans {
        assert!(span.start >= previous_end, "overlap or unsorted: {span:?}");
        assert!(span.start < span.end, "empty: {span:?}");
        assert!(span.end <= text.len(), "out of bounds: {span:?}");
        assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
        previous_end = span.end;
    }
}

#[test]
fn test_python_course_file_decorators_calls_and_keyword_arguments() {
    classes_of(
        Language::Python,
        PY_SENSOR_BRONZE,
        &[
            ("from", 0, Class::Keyword),
            ("@dp.table", 0, Class::Decorator),
            ("@dp.expect", 0, Class::Decorator),
            ("name", 0, Class::Key),
            ("\"sensor_bronze\"", 0, Class::String),
            ("def", 1, Class::Keyword),
            ("# Typed reads", 0, Class::Comment),
            (
                "f\"/Volumes/{catalog}/{schema}/sensor_bronze\"",
                0,
                Class::String,
            ),
            ("(", 0, Class::Punctuation),
            ("=", 0, Class::Operator),
        ],
    );
    classes_of(
        Language::Python,
        PY_INSPECTION_SILVER,
        &[
            ("F", 3, Class::Name),
            ("col", 0, Class::Name),
            ("<", 0, Class::Operator),
            ("0", 0, Class::Number),
            ("window", 0, Class::Key),
            ("5", 0, Class::Number),
            ("return", 0, Class::Keyword),
        ],
    );
}

#[test]
fn test_python_constants_and_builtins() {
    classes_of(
        Language::Python,
        "x = len([True, None])  # n\n",
        &[
            ("len", 0, Class::Builtin),
            ("True", 0, Class::Constant),
            ("None", 0, Class::Constant),
            ("# n", 0, Class::Comment),
        ],
    );
}

#[test]
fn test_sql_course_file_statement_head_and_expectation() {
    classes_of(
        Language::Sql,
        SQL_SENSOR_BRONZE,
        &[
            ("-- Raw sensor readings", 0, Class::Comment),
            ("CREATE", 0, Class::Keyword),
            ("OR", 0, Class::Keyword),
            ("REFRESH", 0, Class::Keyword),
            ("STREAMING", 0, Class::Keyword),
            ("TABLE", 0, Class::Keyword),
            ("sensor_bronze", 0, Class::Name),
            ("CONSTRAINT", 0, Class::Keyword),
            ("`valid pressure`", 0, Class::Name),
            ("EXPECT", 0, Class::Keyword),
            (">", 0, Class::Operator),
            (
                "'Loads raw sensor data into the bronze layer'",
                0,
                Class::String,
            ),
            ("read_files", 1, Class::Builtin),
            ("true", 0, Class::Constant),
        ],
    );
    classes_of(
        Language::Sql,
        SQL_INSPECTION_SILVER,
        &[
            ("MATERIALIZED", 0, Class::Keyword),
            ("coalesce", 0, Class::Builtin),
            ("0.2D", 0, Class::Number),
            ("PARTITION", 0, Class::Keyword),
        ],
    );
    classes_of(
        Language::Sql,
        "SELECT /* c */ ${catalog}, CAST(x AS STRING) FROM t",
        &[
            ("/* c */", 0, Class::Comment),
            ("${catalog}", 0, Class::Constant),
            ("STRING", 0, Class::Builtin),
        ],
    );
}

#[test]
fn test_yaml_course_files_keys_interpolations_and_block_scalars() {
    classes_of(
        Language::Yaml,
        YAML_BUNDLE,
        &[
            ("# The crash course", 0, Class::Comment),
            ("bundle", 1, Class::Key),
            ("name", 0, Class::Key),
            ("iot_time_series_analysis", 0, Class::String),
            ("-", 0, Class::Punctuation),
            ("${var.schema}", 0, Class::Constant),
            ("${var.catalog}", 0, Class::Constant),
            ("true", 0, Class::Constant),
            ("iot_anomaly_detection_", 1, Class::String),
        ],
    );
    classes_of(
        Language::Yaml,
        YAML_ALERT,
        &[
            (">-", 0, Class::Operator),
            ("SELECT count(*) AS defects_count", 0, Class::String),
            ("${var.catalog}", 0, Class::Constant),
            ("evaluation", 0, Class::Key),
            ("0", 1, Class::Number),
            ("false", 0, Class::Constant),
            ("\"0 0 * * * ?\"", 0, Class::String),
            ("# Muted", 0, Class::Comment),
        ],
    );
    classes_of(
        Language::Yaml,
        "a: [1, \"x ${var.y}\", &anchor b]\n\"quoted key\": 'it''s'\n",
        &[
            ("[", 0, Class::Punctuation),
            ("1", 0, Class::Number),
            ("${var.y}", 0, Class::Constant),
            ("&anchor", 0, Class::Decorator),
            ("\"quoted key\"", 0, Class::Key),
            ("'it''s'", 0, Class::String),
        ],
    );
}

#[test]
fn test_json_course_dashboard_keys_strings_and_errors() {
    classes_of(
        Language::Json,
        JSON_DASHBOARD,
        &[
            ("\"datasets\"", 0, Class::Key),
            ("\"037decea\"", 0, Class::String),
            ("{", 0, Class::Punctuation),
        ],
    );
    classes_of(
        Language::Json,
        "{\"a\": [1.5e3, -2, true, null], \"b\": oops, \"c\": \"open\n}",
        &[
            ("1.5e3", 0, Class::Number),
            ("-2", 0, Class::Number),
            ("null", 0, Class::Constant),
            ("oops", 0, Class::Error),
            ("\"open", 0, Class::Error),
        ],
    );
}

#[test]
fn test_python_lex_error_marks_its_line_and_colouring_resumes() {
    let text = "x = 1\ny = 'open\nz = 2\n";
    classes_of(
        Language::Python,
        text,
        &[
            ("x", 0, Class::Name),
            ("1", 0, Class::Number),
            ("'open", 0, Class::Error),
            ("z", 0, Class::Name),
            ("2", 0, Class::Number),
        ],
    );
    // A bad dedent: the rest of the line is the error, later lines are coloured.
    classes_of(
        Language::Python,
        "if x:\n    a = 1\n  b = 2\nreturn 3\n",
        &[
            ("b = 2", 0, Class::Error),
            ("return", 0, Class::Keyword),
            ("3", 0, Class::Number),
        ],
    );
}

#[test]
fn test_sql_unterminated_string_marks_its_line_and_colouring_resumes() {
    let text = "SELECT 1 -- one\nWHERE x = 'open\nFROM t\n";
    classes_of(
        Language::Sql,
        text,
        &[
            ("SELECT", 0, Class::Keyword),
            ("-- one", 0, Class::Comment),
            ("WHERE", 0, Class::Keyword),
            ("'open", 0, Class::Error),
            ("FROM", 0, Class::Keyword),
        ],
    );
}

#[test]
fn test_plain_and_language_from_path() {
    assert!(highlight(Language::Plain, "SELECT 1").is_empty());
    assert_eq!(Language::from_path("a/b.PY"), Language::Python);
    assert_eq!(Language::from_path("databricks.yml"), Language::Yaml);
    assert_eq!(Language::from_path("x.yaml"), Language::Yaml);
    assert_eq!(Language::from_path("notes"), Language::Plain);
    assert_eq!(Class::Keyword.css(), "tok-kw");
}

#[test]
fn test_course_files_are_well_formed_and_error_free() {
    for &(language, text) in COURSE_FILES {
        let spans = highlight(language, text);
        assert_well_formed(text, &spans);
        assert!(
            spans.iter().all(|s| s.class != Class::Error),
            "{language:?} course file has error spans"
        );
    }
}

#[test]
fn test_many_error_lines_stay_well_formed() {
    let text = "'''\n".repeat(2000);
    for language in [Language::Python, Language::Sql] {
        assert_well_formed(&text, &highlight(language, &text));
    }
}

/// A byte deletion or insertion at a position (taken modulo the length).
#[derive(Clone, Debug)]
enum Mutation {
    Delete(usize),
    Insert(usize, u8),
}

fn mutate(text: &str, mutations: &[Mutation]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for mutation in mutations {
        match *mutation {
            Mutation::Delete(at) if !bytes.is_empty() => {
                bytes.remove(at % bytes.len());
            }
            Mutation::Delete(_) => {}
            Mutation::Insert(at, byte) => bytes.insert(at % (bytes.len() + 1), byte),
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

fn languages() -> impl Strategy<Value = Language> {
    prop_oneof![
        Just(Language::Python),
        Just(Language::Sql),
        Just(Language::Yaml),
        Just(Language::Json),
        Just(Language::Plain),
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    // Inserted bytes favour the characters that open and close constructs.
    let byte = prop_oneof![
        prop::sample::select(b"'\"`#-/*{}[]()$:|>\\\n\t @.=".to_vec()),
        any::<u8>(),
    ];
    prop_oneof![
        any::<usize>().prop_map(Mutation::Delete),
        (any::<usize>(), byte).prop_map(|(at, b)| Mutation::Insert(at, b)),
    ]
}

proptest! {
    #[test]
    fn prop_arbitrary_text_gives_well_formed_spans(language in languages(), text in "\\PC*") {
        assert_well_formed(&text, &highlight(language, &text));
    }

    #[test]
    fn prop_arbitrary_code_like_text_gives_well_formed_spans(
        language in languages(),
        text in "[ \\t\\n'\"`#*/{}\\[\\]():|>\\\\a-z0-9$.é-]{0,80}",
    ) {
        assert_well_formed(&text, &highlight(language, &text));
    }

    #[test]
    fn prop_mutated_course_files_give_well_formed_spans(
        file in 0..COURSE_FILES.len(),
        mutations in prop::collection::vec(mutation(), 1..8),
    ) {
        let (language, text) = COURSE_FILES[file];
        let text = mutate(text, &mutations);
        assert_well_formed(&text, &highlight(language, &text));
        // Each file in every language: the scanners must not rely on the right one.
        for other in [Language::Python, Language::Sql, Language::Yaml, Language::Json] {
            assert_well_formed(&text, &highlight(other, &text));
        }
    }
}
