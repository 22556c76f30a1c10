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

/// One row's key: an int, a string and a float (as its bits, so `-0.0` and NaN payloads stay
/// apart in the input).
type RowKey = (Option<i32>, Option<String>, Option<u64>);

/// The float as the model groups it: `-0.0` is `0.0`, every NaN one NaN.
fn model_float(bits: u64) -> u64 {
    let v = f64::from_bits(bits);
    if v.is_nan() {
        f64::NAN.to_bits()
    } else if v == 0.0 {
        0
    } else {
        bits
    }
}

/// Rows as runs of one key repeated: `(key, run length)`.
fn runs_strategy() -> impl proptest::strategy::Strategy<Value = Vec<(RowKey, usize)>> {
    use proptest::prelude::*;
    let int = prop_oneof![Just(None), (0..4i32).prop_map(Some)];
    let string = prop_oneof![
        Just(None),
        prop::sample::select(vec!["", "a", "factory_1", "factory_10"]).prop_map(|s| Some(s.into()))
    ];
    let float = prop_oneof![
        Just(None),
        prop::sample::select(vec![0.0, -0.0, 1.5, f64::NAN, -f64::NAN])
            .prop_map(|f: f64| Some(f.to_bits()))
    ];
    prop::collection::vec(((int, string, float), 1..40usize), 0..30)
}

proptest::proptest! {
    /// Clustered input (the run path) and scattered input (row by row) group like a model that
    /// numbers each distinct normalised key tuple by first appearance.
    #[test]
    fn prop_grouper_ids_match_a_first_appearance_model(
        runs in runs_strategy(),
        keep_runs in proptest::bool::ANY,
    ) {
        let mut rows: Vec<RowKey> = Vec::new();
        for (key, len) in &runs {
            rows.extend(std::iter::repeat_n(key.clone(), *len));
        }
        if !keep_runs {
            // Even rows first, then odd ones: most runs are broken up.
            let (even, odd): (Vec<_>, Vec<_>) =
                rows.iter().cloned().enumerate().partition(|(i, _)| i % 2 == 0);
            rows = even.into_iter().chain(odd).map(|(_, r)| r).collect();
        }
        let n = rows.len();
        let columns: [ArrayRef; 3] = [
            Arc::new(Int32Array::from(rows.iter().map(|r| r.0).collect::<Vec<_>>())),
            Arc::new(StringArray::from(rows.iter().map(|r| r.1.clone()).collect::<Vec<_>>())),
            Arc::new(Float64Array::from(
                rows.iter().map(|r| r.2.map(f64::from_bits)).collect::<Vec<_>>(),
            )),
        ];
        // One column of each kind, and several.
        for picked in [&[0usize][..], &[1], &[2], &[0, 1], &[1, 0, 2]] {
            let cols: Vec<ArrayRef> = picked.iter().map(|&c| columns[c].clone()).collect();
            let types: Vec<DataType> = cols.iter().map(|c| c.data_type().clone()).collect();
            let mut model: std::collections::HashMap<Vec<String>, u32> =
                std::collections::HashMap::new();
            let expected: Vec<u32> = rows
                .iter()
                .map(|(i, s, f)| {
                    let all = [
                        format!("{i:?}"),
                        format!("{s:?}"),
                        format!("{:?}", f.map(model_float)),
                    ];
                    let key: Vec<String> = picked.iter().map(|&c| all[c].clone()).collect();
                    let next = model.len() as u32;
                    *model.entry(key).or_insert(next)
                })
                .collect();
            let mut g = Grouper::new(&types).unwrap();
            let mut ids = Vec::new();
            g.assign(&cols, n, &mut ids).unwrap();
            proptest::prop_assert_eq!(&ids, &expected, "columns {:?}", picked);
            proptest::prop_assert_eq!(g.num_groups(), model.len());
        }
    }
}
