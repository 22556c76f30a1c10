use std::sync::Arc;

use arrow::array::{
    Array, ArrayRef, Int32Array, ListArray, NullArray, StringArray, StructArray, new_null_array,
};
use arrow::buffer::NullBuffer;
use arrow::compute::interleave;
use arrow::datatypes::{DataType, Field, Fields, Int32Type};
use proptest::prelude::*;

use super::gather;

/// The array types the executor gathers: flat, variable-width, nested and untyped NULL.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Int,
    Text,
    List,
    Struct,
    Null,
}

fn build(kind: Kind, values: &[Option<i32>]) -> ArrayRef {
    let texts = || values.iter().map(|v| v.map(|x| format!("s{x}")));
    match kind {
        Kind::Int => Arc::new(Int32Array::from(values.to_vec())),
        Kind::Text => Arc::new(texts().collect::<StringArray>()),
        // Lists of 0 to 2 elements, so that empty lists and NULL lists both occur.
        Kind::List => Arc::new(ListArray::from_iter_primitive::<Int32Type, _, _>(
            values.iter().map(|v| {
                v.map(|x| {
                    (0..x.rem_euclid(3))
                        .map(|j| Some(x + j))
                        .collect::<Vec<_>>()
                })
            }),
        )),
        Kind::Struct => {
            let fields = Fields::from(vec![
                Field::new("a", DataType::Int32, true),
                Field::new("b", DataType::Utf8, true),
            ]);
            let children: Vec<ArrayRef> = vec![
                Arc::new(Int32Array::from(values.to_vec())),
                Arc::new(texts().collect::<StringArray>()),
            ];
            let nulls = NullBuffer::from(values.iter().map(Option::is_some).collect::<Vec<_>>());
            Arc::new(StructArray::new(fields, children, Some(nulls)))
        }
        Kind::Null => Arc::new(NullArray::new(values.len())),
    }
}

/// The old way: arrow's `interleave`, with a one-row NULL array as the source of NULLs.
fn by_interleave(
    data_type: &DataType,
    sources: &[&dyn Array],
    picks: &[Option<(usize, usize)>],
) -> ArrayRef {
    let null = new_null_array(data_type, 1);
    let mut all = sources.to_vec();
    all.push(null.as_ref());
    let picks: Vec<(usize, usize)> = picks
        .iter()
        .map(|p| p.unwrap_or((sources.len(), 0)))
        .collect();
    interleave(&all, &picks).unwrap()
}

fn kind() -> impl Strategy<Value = Kind> {
    prop_oneof![
        Just(Kind::Int),
        Just(Kind::Text),
        Just(Kind::List),
        Just(Kind::Struct),
        Just(Kind::Null),
    ]
}

/// One to four sources of up to eight rows, about a quarter NULL.
fn sources() -> impl Strategy<Value = Vec<Vec<Option<i32>>>> {
    prop::collection::vec(
        prop::collection::vec(prop::option::weighted(0.75, -50i32..50), 0..8),
        1..4,
    )
}

proptest! {
    #[test]
    fn prop_gather_matches_interleave(
        kind in kind(),
        values in sources(),
        choices in prop::collection::vec((any::<prop::sample::Index>(), 0u8..5), 0..20),
    ) {
        let arrays: Vec<ArrayRef> = values.iter().map(|v| build(kind, v)).collect();
        let sources: Vec<&dyn Array> = arrays.iter().map(|a| a.as_ref()).collect();
        let rows: Vec<(usize, usize)> = sources
            .iter()
            .enumerate()
            .flat_map(|(s, a)| (0..a.len()).map(move |r| (s, r)))
            .collect();
        // One pick in five (or every pick, when the sources are empty) is NULL.
        let picks: Vec<Option<(usize, usize)>> = choices
            .iter()
            .map(|(at, null)| (*null != 0 && !rows.is_empty()).then(|| *at.get(&rows)))
            .collect();
        let data_type = arrays[0].data_type().clone();
        let got = gather(&data_type, &sources, &picks).unwrap();
        let want = by_interleave(&data_type, &sources, &picks);
        prop_assert_eq!(got.data_type(), want.data_type());
        prop_assert_eq!(got.as_ref(), want.as_ref());
    }
}

#[test]
fn test_gather_without_sources_is_all_null() {
    let out = gather(&DataType::Utf8, &[], &[None, None]).unwrap();
    assert_eq!(out.data_type(), &DataType::Utf8);
    assert_eq!(out.null_count(), 2);
}

#[test]
fn test_gather_rejects_a_pick_past_its_source() {
    let a = Int32Array::from(vec![1, 2]);
    let b = Int32Array::from(vec![3]);
    // Row 2 of `a` would be `b`'s row 0 once the two are put end to end.
    assert!(gather(&DataType::Int32, &[&a, &b], &[Some((0, 2))]).is_err());
    assert!(gather(&DataType::Int32, &[&a, &b], &[Some((2, 0))]).is_err());
}
