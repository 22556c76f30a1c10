//! Grouper unit tests: dense ids, NULL groups, lookups, several columns, float keys.

use super::*;
use arrow::array::{Int32Array, StringArray};

#[test]
fn test_int_keys_with_null_get_dense_ids() {
    let mut g = Grouper::new(&[DataType::Int32]).unwrap();
    let col: ArrayRef = Arc::new(Int32Array::from(vec![
        Some(5),
        None,
        Some(5),
        Some(7),
        None,
    ]));
    let mut ids = Vec::new();
    g.assign(&[col], 5, &mut ids).unwrap();
    assert_eq!(ids, vec![0, 1, 0, 2, 1]);
    let keys = g.keys().unwrap();
    let k = keys[0].as_primitive::<Int32Type>();
    assert_eq!(k.iter().collect::<Vec<_>>(), vec![Some(5), None, Some(7)]);
}

#[test]
fn test_row_keys_and_lookup() {
    let mut g = Grouper::new(&[DataType::Utf8, DataType::Int32]).unwrap();
    let a: ArrayRef = Arc::new(StringArray::from(vec!["x", "y", "x"]));
    let b: ArrayRef = Arc::new(Int32Array::from(vec![1, 1, 1]));
    let mut ids = Vec::new();
    g.assign(&[a, b], 3, &mut ids).unwrap();
    assert_eq!(ids, vec![0, 1, 0]);
    let probe_a: ArrayRef = Arc::new(StringArray::from(vec!["y", "z"]));
    let probe_b: ArrayRef = Arc::new(Int32Array::from(vec![1, 1]));
    let mut found = Vec::new();
    g.lookup(&[probe_a, probe_b], 2, &mut found).unwrap();
    assert_eq!(found, vec![Some(1), None]);
}

#[test]
fn test_several_columns_group_by_tuple_with_nulls_and_give_back_their_keys() {
    let mut g = Grouper::new(&[DataType::Utf8, DataType::Int32]).unwrap();
    let a: ArrayRef = Arc::new(StringArray::from(vec![Some("x"), None, Some("x"), None]));
    let b: ArrayRef = Arc::new(Int32Array::from(vec![Some(1), Some(1), Some(2), Some(1)]));
    let mut ids = Vec::new();
    g.assign(&[a, b], 4, &mut ids).unwrap();
    assert_eq!(ids, vec![0, 1, 2, 1]);
    // A second batch reuses the groups and adds one.
    let a: ArrayRef = Arc::new(StringArray::from(vec![Some("x"), Some("y")]));
    let b: ArrayRef = Arc::new(Int32Array::from(vec![Some(2), None]));
    g.assign(&[a, b], 2, &mut ids).unwrap();
    assert_eq!(ids, vec![2, 3]);
    let keys = g.keys().unwrap();
    let strings: Vec<_> = keys[0].as_string::<i32>().iter().collect();
    let ints: Vec<_> = keys[1].as_primitive::<Int32Type>().iter().collect();
    assert_eq!(strings, vec![Some("x"), None, Some("x"), Some("y")]);
    assert_eq!(ints, vec![Some(1), Some(1), Some(2), None]);
}

#[test]
fn test_float_keys_normalise_zero_and_nan() {
    let mut g = Grouper::new(&[DataType::Float64]).unwrap();
    let col: ArrayRef = Arc::new(Float64Array::from(vec![0.0, -0.0, f64::NAN, -f64::NAN]));
    let mut ids = Vec::new();
    g.assign(&[col], 4, &mut ids).unwrap();
    assert_eq!(ids, vec![0, 0, 1, 1]);
}
