//! Expected values are those of Spark's own `get_json_object` tests (Hive's "store" document,
//! JsonExpressionsSuite) and of the examples in Spark's function reference.

use crate::functions::testing::{call, one, render, s, strs, texts};
use crate::types::SparkType;

const STORE: &str = r#"{"store":{"fruit":[{"weight":8,"type":"apple"},{"weight":9,"type":"pear"}],
  "basket":[[1,2,{"b":"y","a":"x"}],[3,4],[5,6]],"book":[{"author":"Nigel Rees",
  "title":"Sayings of the Century","category":"reference","price":8.95},
  {"author":"Herman Melville","title":"Moby Dick","category":"fiction","price":8.99,
  "isbn":"0-553-21311-3"},{"author":"J. R. R. Tolkien","title":"The Lord of the Rings",
  "category":"fiction","reader":[{"age":25,"name":"bob"},{"age":26,"name":"jack"}],
  "price":22.99,"isbn":"0-395-19395-8"}],"bicycle":{"price":19.95,"color":"red"}},
  "email":"amy@only_for_json_udf_test.net","owner":"amy","zip code":"94025",
  "fb:testid":"1234"}"#;

fn get(doc: &str, path: &str) -> Option<String> {
    one(call("get_json_object", vec![s(doc), s(path)]))
}

#[test]
fn test_named_members_in_dotted_and_bracketed_form() {
    let bicycle = Some(r#"{"price":19.95,"color":"red"}"#.to_string());
    for path in [
        "$.store.bicycle",
        "$['store'].bicycle",
        "$.store['bicycle']",
        "$['store']['bicycle']",
    ] {
        assert_eq!(get(STORE, path), bicycle, "{path}");
    }
    assert_eq!(get(STORE, "$.owner").as_deref(), Some("amy"));
    assert_eq!(get(STORE, "$.zip code").as_deref(), Some("94025"));
    assert_eq!(get(STORE, "$.fb:testid").as_deref(), Some("1234"));
    assert_eq!(
        get(r#"{"key with spaces": "it works"}"#, "$['key with spaces']").as_deref(),
        Some("it works")
    );
}

#[test]
fn test_strings_come_back_unquoted_at_the_top_and_quoted_inside_arrays() {
    assert_eq!(get(r#"{"a":"b\nc"}"#, "$.a").as_deref(), Some("b\nc"));
    assert_eq!(get(r#"{"a":"b\"c"}"#, "$.a").as_deref(), Some("b\"c"));
    assert_eq!(
        get(STORE, "$.store.book[0].category").as_deref(),
        Some("reference")
    );
    assert_eq!(
        get(STORE, "$.store.book[*].category").as_deref(),
        Some(r#"["reference","fiction","fiction"]"#)
    );
    assert_eq!(
        get(STORE, "$.store.book[*].isbn").as_deref(),
        Some(r#"["0-553-21311-3","0-395-19395-8"]"#)
    );
}

#[test]
fn test_a_single_wildcard_match_loses_its_brackets() {
    assert_eq!(
        get(STORE, "$.store.book[*].reader").as_deref(),
        Some(r#"[{"age":25,"name":"bob"},{"age":26,"name":"jack"}]"#)
    );
    assert_eq!(
        get(STORE, "$.store.basket[0][*].b").as_deref(),
        Some(r#"["y"]"#)
    );
}

#[test]
fn test_array_subscripts_and_wildcards() {
    assert_eq!(get(STORE, "$.store.basket[0][1]").as_deref(), Some("2"));
    assert_eq!(get(STORE, "$.store.basket[0][2].b").as_deref(), Some("y"));
    assert_eq!(
        get(STORE, "$.store.basket[*]").as_deref(),
        Some(r#"[[1,2,{"b":"y","a":"x"}],[3,4],[5,6]]"#)
    );
    assert_eq!(
        get(STORE, "$.store.basket[*][0]").as_deref(),
        Some("[1,3,5]")
    );
    assert_eq!(
        get(STORE, "$.store.basket[0][*]").as_deref(),
        Some(r#"[1,2,{"b":"y","a":"x"}]"#)
    );
    // Hive's double wildcard flattens one level of nesting.
    assert_eq!(
        get(STORE, "$.store.basket[*][*]").as_deref(),
        Some(r#"[1,2,{"b":"y","a":"x"},3,4,5,6]"#)
    );
}

#[test]
fn test_whole_documents_are_compacted_in_member_order() {
    let out = get(r#"{ "b" : [1, 2.50, 1e2], "a" : {"c" : null} }"#, "$").unwrap();
    assert_eq!(out, r#"{"b":[1,2.5,100.0],"a":{"c":null}}"#);
    assert_eq!(get(STORE, "$.store.book[0].price").as_deref(), Some("8.95"));
}

#[test]
fn test_nothing_matched_bad_paths_and_bad_json_give_null() {
    for path in [
        "$.non_exist_key",
        "$.store.book[10]",
        "$.store.book[0].non_exist_key",
        "$.store.basket[*].non_exist_key",
        "$..no_recursive",
        "store.bicycle",
        "$.store[",
        "$[-1]",
        "$.*",
    ] {
        assert_eq!(get(STORE, path), None, "{path}");
    }
    // A member whose value is JSON null does not match.
    assert_eq!(get(r#"{"a":null}"#, "$.a"), None);
    assert_eq!(get("{\"a\":", "$.a"), None);
    assert_eq!(get("not json", "$"), None);
    // Only the first value of the text is read, as Spark's streaming parser does.
    assert_eq!(get(r#"{"a":1} trailing"#, "$.a").as_deref(), Some("1"));
}

#[test]
fn test_null_arguments_and_per_row_paths() {
    let out = call(
        "get_json_object",
        vec![
            strs(&[Some(r#"{"a":1,"b":2}"#), None, Some(r#"{"a":1,"b":2}"#)]),
            strs(&[Some("$.a"), Some("$.a"), Some("$.b")]),
        ],
    )
    .unwrap();
    assert_eq!(out.1, SparkType::String);
    assert_eq!(render(&out), vec![Some("1".into()), None, Some("2".into())]);
}

#[test]
fn test_json_array_length_counts_the_outer_array_only() {
    let out = call(
        "json_array_length",
        vec![strs(&[
            Some("[1,2,3,4]"),
            Some(r#"[1,2,3,{"f1":1,"f2":[5,6]},4]"#),
            Some("[]"),
            Some("[1,2"),
            Some(r#"{"a":1}"#),
            None,
        ])],
    )
    .unwrap();
    assert_eq!(out.1, SparkType::Int);
    assert_eq!(
        render(&out),
        vec![
            Some("4".into()),
            Some("5".into()),
            Some("0".into()),
            None,
            None,
            None
        ]
    );
}

#[test]
fn test_json_object_keys_lists_outer_keys_in_order() {
    let out = call(
        "json_object_keys",
        vec![strs(&[
            Some("{}"),
            Some(r#"{"key": "value"}"#),
            Some(r#"{"f1":"abc","f2":{"f3":"a", "f4":"b"}}"#),
            Some("[1]"),
            None,
        ])],
    )
    .unwrap();
    assert_eq!(out.1, SparkType::Array(Box::new(SparkType::String)));
    let mut expected = texts(&["[]", "[key]", "[f1, f2]"]);
    expected.extend([None, None]);
    assert_eq!(render(&out), expected);
}
