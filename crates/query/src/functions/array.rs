//! Array and struct functions: `array`, `size`/`cardinality`, `element_at` (1-based, ANSI
//! errors out of range), `try_element_at`, `get` (0-based, lenient), `array_contains`,
//! `sort_array`, `array_join`, `struct`, `named_struct`.

use std::sync::Arc;

use arrow::array::{
    Array, ArrayRef, BooleanArray, Int32Array, ListArray, MapArray, StringArray, StructArray,
    UInt64Array,
};
use arrow::buffer::OffsetBuffer;
use arrow::compute::kernels::interleave::interleave;
use arrow::compute::{SortOptions, concat, sort_to_indices, take};
use arrow::datatypes::{DataType, Field, Int32Type};

use crate::error::{QueryError, Result};
use crate::functions::common::{
    Want, arg, booleans, check_arity, coerce_args, constant_str, func, prim, strings, wrong_array,
};
use crate::functions::compare::{CompareOp, compare};
use crate::functions::{ArgInfo, EvalContext, ScalarFunction, Signature};
use crate::types::{SparkType, StructField, wider_type, wider_type_of_all};

fn list(array: &dyn Array) -> Result<&ListArray> {
    array
        .as_any()
        .downcast_ref::<ListArray>()
        .ok_or_else(|| wrong_array("array", array))
}

fn list_field(element: &DataType) -> Arc<Field> {
    Arc::new(Field::new_list_field(element.clone(), true))
}

fn resolve_array(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    let types: Vec<SparkType> = args.iter().map(|a| a.data_type.clone()).collect();
    let element = wider_type_of_all(&types).ok_or_else(|| {
        QueryError::analysis(
            "DATATYPE_MISMATCH.DATA_DIFF_TYPES",
            format!("Cannot resolve \"{name}\": the elements have no common type."),
        )
    })?;
    Ok(Signature {
        args: vec![element.clone(); args.len()],
        result: SparkType::Array(Box::new(element)),
    })
}

fn invoke_array(args: &[ArrayRef], num_rows: usize, _: &EvalContext) -> Result<ArrayRef> {
    let k = args.len();
    let element = args
        .first()
        .map_or(DataType::Null, |a| a.data_type().clone());
    let values = if k == 0 {
        arrow::array::new_empty_array(&element)
    } else {
        let sources: Vec<&dyn Array> = args.iter().map(|a| a.as_ref()).collect();
        let order: Vec<(usize, usize)> = (0..num_rows)
            .flat_map(|row| (0..k).map(move |col| (col, row)))
            .collect();
        interleave(&sources, &order)?
    };
    let offsets = OffsetBuffer::from_lengths(std::iter::repeat_n(k, num_rows));
    Ok(Arc::new(ListArray::try_new(
        list_field(&element),
        offsets,
        values,
        None,
    )?))
}

func!(ARRAY, "array", resolve_array, invoke_array);

fn resolve_size(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 1, 1)?;
    match &args[0].data_type {
        SparkType::Array(_) | SparkType::Map(..) | SparkType::Null => {}
        other => {
            return Err(crate::functions::common::unexpected_type(
                name,
                0,
                "(\"ARRAY\" or \"MAP\")",
                other,
            ));
        }
    }
    Ok(Signature {
        args: vec![args[0].data_type.clone()],
        result: SparkType::Int,
    })
}

/// `size(NULL)` is NULL in ANSI mode (not -1).
fn invoke_size(args: &[ArrayRef], num_rows: usize, _: &EvalContext) -> Result<ArrayRef> {
    let a = arg(args, 0)?;
    let out: Int32Array = if let Some(l) = a.as_any().downcast_ref::<ListArray>() {
        (0..l.len())
            .map(|i| l.is_valid(i).then(|| l.value_length(i)))
            .collect()
    } else if let Some(m) = a.as_any().downcast_ref::<MapArray>() {
        let offsets = m.value_offsets();
        (0..m.len())
            .map(|i| m.is_valid(i).then(|| offsets[i + 1] - offsets[i]))
            .collect()
    } else {
        Int32Array::new_null(num_rows)
    };
    Ok(Arc::new(out))
}

func!(SIZE, "size", resolve_size, invoke_size);
func!(CARDINALITY, "cardinality", resolve_size, invoke_size);

fn resolve_element_at(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 2, 2)?;
    match &args[0].data_type {
        SparkType::Array(element) => {
            let index = coerce_args(name, &args[1..], &[Want::Int])?.remove(0);
            Ok(Signature {
                args: vec![args[0].data_type.clone(), index],
                result: (**element).clone(),
            })
        }
        SparkType::Map(key, value) => {
            let key_type = wider_type(key, &args[1].data_type)
                .filter(|k| k == key.as_ref())
                .ok_or_else(|| {
                    crate::functions::common::unexpected_type(
                        name,
                        1,
                        &key.sql_name(),
                        &args[1].data_type,
                    )
                })?;
            Ok(Signature {
                args: vec![args[0].data_type.clone(), key_type],
                result: (**value).clone(),
            })
        }
        other => Err(crate::functions::common::unexpected_type(
            name,
            0,
            "(\"ARRAY\" or \"MAP\")",
            other,
        )),
    }
}

/// How an out-of-range array index is treated.
#[derive(Clone, Copy, PartialEq)]
enum Access {
    /// `element_at`: 1-based, error when out of range (ANSI).
    Strict,
    /// `try_element_at`: 1-based, NULL when out of range.
    Lenient,
    /// `get`: 0-based, NULL when out of range.
    ZeroBased,
}

fn out_of_range(index: i64, size: i64) -> QueryError {
    QueryError::execution(
        "INVALID_ARRAY_INDEX_IN_ELEMENT_AT",
        format!(
            "The index {index} is out of bounds. The array has {size} elements. Use `try_element_at` \
             to tolerate accessing element at invalid index and return NULL instead."
        ),
    )
}

fn element_at(args: &[ArrayRef], access: Access) -> Result<ArrayRef> {
    let base = arg(args, 0)?;
    if let Some(m) = base.as_any().downcast_ref::<MapArray>() {
        return map_lookup(m, arg(args, 1)?);
    }
    let l = list(base.as_ref())?;
    let idx = prim::<Int32Type>(arg(args, 1)?.as_ref())?;
    let mut picks: Vec<Option<u64>> = Vec::with_capacity(l.len());
    for i in 0..l.len() {
        if l.is_null(i) || idx.is_null(i) {
            picks.push(None);
            continue;
        }
        let (start, size) = (
            i64::from(l.value_offsets()[i]),
            i64::from(l.value_length(i)),
        );
        let k = i64::from(idx.value(i));
        let position = match access {
            Access::ZeroBased => (0..size).contains(&k).then_some(k),
            _ if k == 0 => {
                return Err(QueryError::execution(
                    "INVALID_INDEX_OF_ZERO",
                    "The index 0 is invalid. An index shall be either < 0 or > 0 (the first element has index 1).",
                ));
            }
            _ => {
                let p = if k > 0 { k - 1 } else { size + k };
                (0..size).contains(&p).then_some(p)
            }
        };
        match position {
            Some(p) => picks.push(Some((start + p) as u64)),
            None if access == Access::Strict => return Err(out_of_range(k, size)),
            None => picks.push(None),
        }
    }
    Ok(take(l.values().as_ref(), &UInt64Array::from(picks), None)?)
}

fn map_lookup(m: &MapArray, keys: &ArrayRef) -> Result<ArrayRef> {
    let offsets = m.value_offsets();
    let mut picks: Vec<Option<u64>> = Vec::with_capacity(m.len());
    for i in 0..m.len() {
        if m.is_null(i) || keys.is_null(i) {
            picks.push(None);
            continue;
        }
        let (start, end) = (offsets[i] as usize, offsets[i + 1] as usize);
        let entries = m.keys().slice(start, end - start);
        let probe = take(
            keys.as_ref(),
            &UInt64Array::from(vec![i as u64; end - start]),
            None,
        )?;
        let hits = compare(CompareOp::Eq, &entries, &probe)?;
        picks.push(
            hits.iter()
                .position(|h| h == Some(true))
                .map(|p| (start + p) as u64),
        );
    }
    Ok(take(m.values().as_ref(), &UInt64Array::from(picks), None)?)
}

func!(
    ELEMENT_AT,
    "element_at",
    resolve_element_at,
    |args, _, _: &EvalContext| element_at(args, Access::Strict)
);
func!(
    TRY_ELEMENT_AT,
    "try_element_at",
    resolve_element_at,
    |args, _, _: &EvalContext| element_at(args, Access::Lenient)
);
func!(
    GET,
    "get",
    resolve_element_at,
    |args, _, _: &EvalContext| element_at(args, Access::ZeroBased)
);

fn resolve_contains(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 2, 2)?;
    let SparkType::Array(element) = &args[0].data_type else {
        return Err(crate::functions::common::unexpected_type(
            name,
            0,
            "\"ARRAY\"",
            &args[0].data_type,
        ));
    };
    let common = wider_type(element, &args[1].data_type).ok_or_else(|| {
        crate::functions::common::unexpected_type(name, 1, &element.sql_name(), &args[1].data_type)
    })?;
    Ok(Signature {
        args: vec![SparkType::Array(Box::new(common.clone())), common],
        result: SparkType::Boolean,
    })
}

/// `array_contains`: true when found; otherwise NULL if the array holds a NULL, else false.
fn invoke_contains(args: &[ArrayRef], _: usize, _: &EvalContext) -> Result<ArrayRef> {
    let l = list(arg(args, 0)?.as_ref())?;
    let needle = arg(args, 1)?;
    let mut out = Vec::with_capacity(l.len());
    for i in 0..l.len() {
        if l.is_null(i) || needle.is_null(i) {
            out.push(None);
            continue;
        }
        let (start, len) = (l.value_offsets()[i] as usize, l.value_length(i) as usize);
        let items = l.values().slice(start, len);
        let probe = take(
            needle.as_ref(),
            &UInt64Array::from(vec![i as u64; len]),
            None,
        )?;
        let hits = compare(CompareOp::Eq, &items, &probe)?;
        out.push(if hits.iter().any(|h| h == Some(true)) {
            Some(true)
        } else if items.null_count() > 0 {
            None
        } else {
            Some(false)
        });
    }
    Ok(Arc::new(BooleanArray::from(out)))
}

func!(
    ARRAY_CONTAINS,
    "array_contains",
    resolve_contains,
    invoke_contains
);

fn resolve_sort_array(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 1, 2)?;
    if !matches!(args[0].data_type, SparkType::Array(_)) {
        return Err(crate::functions::common::unexpected_type(
            name,
            0,
            "\"ARRAY\"",
            &args[0].data_type,
        ));
    }
    let mut types = vec![args[0].data_type.clone()];
    if args.len() == 2 {
        types.push(coerce_args(name, &args[1..], &[Want::Boolean])?.remove(0));
    }
    Ok(Signature {
        args: types,
        result: args[0].data_type.clone(),
    })
}

/// Rebuild `l` with each row's elements reordered by `order(row, values)` (indices into the
/// row's slice).
fn reorder(
    l: &ListArray,
    order: impl Fn(usize, &ArrayRef) -> Result<Vec<u64>>,
) -> Result<ArrayRef> {
    let mut picks: Vec<u64> = Vec::with_capacity(l.values().len());
    for i in 0..l.len() {
        let (start, len) = (l.value_offsets()[i] as usize, l.value_length(i) as usize);
        let items = l.values().slice(start, len);
        picks.extend(order(i, &items)?.into_iter().map(|k| start as u64 + k));
    }
    let values = take(l.values().as_ref(), &UInt64Array::from(picks), None)?;
    let lengths = (0..l.len()).map(|i| l.value_length(i) as usize);
    let field = list_field(l.values().data_type());
    Ok(Arc::new(ListArray::try_new(
        field,
        OffsetBuffer::from_lengths(lengths),
        values,
        l.nulls().cloned(),
    )?))
}

/// `sort_array(arr, asc)`: NULL elements first when ascending, last when descending.
fn invoke_sort_array(args: &[ArrayRef], _: usize, _: &EvalContext) -> Result<ArrayRef> {
    let l = list(arg(args, 0)?.as_ref())?;
    let asc = args.get(1).map(|a| booleans(a.as_ref())).transpose()?;
    reorder(l, |i, items| {
        let ascending = asc.is_none_or(|a| a.is_null(i) || a.value(i));
        let options = SortOptions {
            descending: !ascending,
            nulls_first: ascending,
        };
        Ok(sort_to_indices(items.as_ref(), Some(options), None)?
            .values()
            .iter()
            .map(|k| u64::from(*k))
            .collect())
    })
}

func!(
    SORT_ARRAY,
    "sort_array",
    resolve_sort_array,
    invoke_sort_array
);

/// Each array of `l` with its elements in reverse order.
pub(crate) fn reverse_lists(l: &ListArray) -> Result<ArrayRef> {
    reorder(l, |_, items| Ok((0..items.len() as u64).rev().collect()))
}

/// Row-wise concatenation of arrays; NULL if any input array is NULL.
pub(crate) fn concat_lists(args: &[ArrayRef], num_rows: usize) -> Result<ArrayRef> {
    let lists = args
        .iter()
        .map(|a| list(a.as_ref()))
        .collect::<Result<Vec<_>>>()?;
    let element = lists
        .first()
        .map_or(DataType::Null, |l| l.values().data_type().clone());
    let mut pieces: Vec<ArrayRef> = Vec::new();
    let mut lengths = Vec::with_capacity(num_rows);
    let mut valid = Vec::with_capacity(num_rows);
    for i in 0..num_rows {
        let ok = lists.iter().all(|l| l.is_valid(i));
        valid.push(ok);
        let mut n = 0;
        if ok {
            for l in &lists {
                pieces.push(l.value(i));
                n += l.value_length(i) as usize;
            }
        }
        lengths.push(n);
    }
    let refs: Vec<&dyn Array> = pieces.iter().map(|p| p.as_ref()).collect();
    let values = if refs.is_empty() {
        arrow::array::new_empty_array(&element)
    } else {
        concat(&refs)?
    };
    let nulls = Some(arrow::buffer::NullBuffer::from(valid));
    Ok(Arc::new(ListArray::try_new(
        list_field(&element),
        OffsetBuffer::from_lengths(lengths),
        values,
        nulls,
    )?))
}

fn resolve_array_join(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 2, 3)?;
    if !matches!(args[0].data_type, SparkType::Array(_)) {
        return Err(crate::functions::common::unexpected_type(
            name,
            0,
            "\"ARRAY\"",
            &args[0].data_type,
        ));
    }
    let mut types = vec![SparkType::Array(Box::new(SparkType::String))];
    types.extend(coerce_args(name, &args[1..], &[Want::String])?);
    Ok(Signature {
        args: types,
        result: SparkType::String,
    })
}

/// `array_join(arr, sep[, null_replacement])`: NULL elements are skipped unless replaced.
fn invoke_array_join(args: &[ArrayRef], _: usize, _: &EvalContext) -> Result<ArrayRef> {
    let l = list(arg(args, 0)?.as_ref())?;
    let sep = strings(arg(args, 1)?.as_ref())?;
    let replacement = args.get(2).map(|a| strings(a.as_ref())).transpose()?;
    let values = strings(l.values().as_ref())?;
    let offsets = l.value_offsets();
    let out: StringArray = (0..l.len())
        .map(|i| {
            if l.is_null(i) || sep.is_null(i) || replacement.is_some_and(|r| r.is_null(i)) {
                return None;
            }
            let parts: Vec<&str> = (offsets[i] as usize..offsets[i + 1] as usize)
                .filter_map(|j| {
                    if values.is_valid(j) {
                        Some(values.value(j))
                    } else {
                        replacement.map(|r| r.value(i))
                    }
                })
                .collect();
            Some(parts.join(sep.value(i)))
        })
        .collect();
    Ok(Arc::new(out))
}

func!(
    ARRAY_JOIN,
    "array_join",
    resolve_array_join,
    invoke_array_join
);

fn struct_result(names: Vec<String>, types: &[SparkType]) -> SparkType {
    SparkType::Struct(
        names
            .into_iter()
            .zip(types)
            .map(|(name, t)| StructField {
                name,
                data_type: t.clone(),
                nullable: true,
            })
            .collect(),
    )
}

fn resolve_struct(_: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    let types: Vec<SparkType> = args.iter().map(|a| a.data_type.clone()).collect();
    let names = (1..=args.len()).map(|i| format!("col{i}")).collect();
    Ok(Signature {
        result: struct_result(names, &types),
        args: types,
    })
}

fn build_struct(values: &[ArrayRef], names: Vec<String>) -> Result<ArrayRef> {
    let fields: Vec<Field> = names
        .iter()
        .zip(values)
        .map(|(n, v)| Field::new(n, v.data_type().clone(), true))
        .collect();
    Ok(Arc::new(StructArray::try_new(
        fields.into(),
        values.to_vec(),
        None,
    )?))
}

func!(
    STRUCT,
    "struct",
    resolve_struct,
    |args, _, _: &EvalContext| {
        build_struct(args, (1..=args.len()).map(|i| format!("col{i}")).collect())
    }
);

fn resolve_named_struct(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    if !args.len().is_multiple_of(2) || args.is_empty() {
        return Err(QueryError::analysis(
            "WRONG_NUM_ARGS.WITHOUT_SUGGESTION",
            format!(
                "The `{name}` requires an even number of parameters (name, value, ...) but the actual number is {}.",
                args.len()
            ),
        ));
    }
    let mut names = Vec::new();
    let mut types = Vec::new();
    for k in (0..args.len()).step_by(2) {
        names.push(constant_str(args, k).ok_or_else(|| {
            QueryError::analysis(
                "DATATYPE_MISMATCH.CREATE_NAMED_STRUCT_WITHOUT_FOLDABLE_STRING",
                format!("Cannot resolve \"{name}\": the field names must be constant strings."),
            )
        })?);
        types.push(args[k + 1].data_type.clone());
    }
    let mut sig_args = Vec::new();
    for k in (0..args.len()).step_by(2) {
        sig_args.push(SparkType::String);
        sig_args.push(args[k + 1].data_type.clone());
    }
    Ok(Signature {
        args: sig_args,
        result: struct_result(names, &types),
    })
}

fn invoke_named_struct(args: &[ArrayRef], _: usize, _: &EvalContext) -> Result<ArrayRef> {
    let mut names = Vec::new();
    let mut values = Vec::new();
    for pair in args.chunks(2) {
        let name = strings(pair[0].as_ref())?;
        names.push(if name.is_empty() || name.is_null(0) {
            String::new()
        } else {
            name.value(0).to_string()
        });
        values.push(
            pair.get(1)
                .cloned()
                .ok_or_else(|| QueryError::Internal("named_struct without a value".into()))?,
        );
    }
    build_struct(&values, names)
}

func!(
    NAMED_STRUCT,
    "named_struct",
    resolve_named_struct,
    invoke_named_struct
);

/// The array and struct functions.
pub(crate) static FUNCTIONS: &[&dyn ScalarFunction] = &[
    &ARRAY,
    &SIZE,
    &CARDINALITY,
    &ELEMENT_AT,
    &TRY_ELEMENT_AT,
    &GET,
    &ARRAY_CONTAINS,
    &SORT_ARRAY,
    &ARRAY_JOIN,
    &STRUCT,
    &NAMED_STRUCT,
];

#[cfg(test)]
mod tests {
    use crate::functions::testing::{call, call_c, int, ints, render, s, strs, texts};

    fn split(values: &[Option<&str>]) -> crate::functions::testing::Arg {
        call(
            "split",
            vec![strs(values), strs(&vec![Some("_"); values.len()])],
        )
        .unwrap()
    }

    #[test]
    fn test_split_and_index() {
        let parts = split(&[Some("Aero_Pro"), Some("EcoFlow")]);
        assert_eq!(render(&parts), texts(&["[Aero, Pro]", "[EcoFlow]"]));
        let n = call("size", vec![parts.clone()]).unwrap();
        assert_eq!(render(&n), texts(&["2", "1"]));
        let last = call(
            "element_at",
            vec![parts.clone(), ints(&[Some(-1), Some(-1)])],
        )
        .unwrap();
        assert_eq!(render(&last), texts(&["Pro", "EcoFlow"]));
        let oob = call("get", vec![parts.clone(), ints(&[Some(5), Some(5)])]).unwrap();
        assert_eq!(render(&oob), vec![None, None]);
        let e = call("element_at", vec![parts.clone(), ints(&[Some(5), Some(5)])]).unwrap_err();
        assert_eq!(e.class(), "INVALID_ARRAY_INDEX_IN_ELEMENT_AT");
        let t = call(
            "try_element_at",
            vec![parts.clone(), ints(&[Some(5), Some(1)])],
        )
        .unwrap();
        assert_eq!(render(&t), vec![None, Some("EcoFlow".into())]);
        let e = call("element_at", vec![parts, ints(&[Some(0), Some(1)])]).unwrap_err();
        assert_eq!(e.class(), "INVALID_INDEX_OF_ZERO");
    }

    #[test]
    fn test_array_contains_sort_join() {
        let arr = call(
            "array",
            vec![
                ints(&[Some(3), Some(1)]),
                ints(&[None, Some(2)]),
                ints(&[Some(1), Some(5)]),
            ],
        )
        .unwrap();
        assert_eq!(render(&arr), texts(&["[3, null, 1]", "[1, 2, 5]"]));
        let hit = call(
            "array_contains",
            vec![arr.clone(), ints(&[Some(1), Some(4)])],
        )
        .unwrap();
        assert_eq!(
            render(&hit),
            vec![Some("true".into()), Some("false".into())]
        );
        let miss = call(
            "array_contains",
            vec![arr.clone(), ints(&[Some(9), Some(9)])],
        )
        .unwrap();
        assert_eq!(render(&miss), vec![None, Some("false".into())]);
        let sorted = call("sort_array", vec![arr.clone()]).unwrap();
        assert_eq!(render(&sorted), texts(&["[null, 1, 3]", "[1, 2, 5]"]));
        let desc = call(
            "sort_array",
            vec![
                arr.clone(),
                crate::functions::testing::bools(&[Some(false), Some(false)]),
            ],
        )
        .unwrap();
        assert_eq!(render(&desc), texts(&["[3, 1, null]", "[5, 2, 1]"]));
        let joined = call(
            "array_join",
            vec![arr.clone(), strs(&[Some(","), Some("-")])],
        )
        .unwrap();
        assert_eq!(render(&joined), texts(&["3,1", "1-2-5"]));
        let reversed = call("reverse", vec![arr]).unwrap();
        assert_eq!(render(&reversed), texts(&["[1, null, 3]", "[5, 2, 1]"]));
    }

    #[test]
    fn test_concat_ws_with_arrays_and_structs() {
        let parts = split(&[Some("a_b")]);
        let out = call(
            "concat_ws",
            vec![s(","), parts.clone(), strs(&[None]), s("c")],
        )
        .unwrap();
        assert_eq!(render(&out), texts(&["a,b,c"]));
        let both = call("concat", vec![parts.clone(), parts]).unwrap();
        assert_eq!(render(&both), texts(&["[a, b, a, b]"]));
        let st = call("struct", vec![int(1), s("x")]).unwrap();
        assert_eq!(st.1.to_string(), "struct<col1:int,col2:string>");
        assert_eq!(render(&st), texts(&["{1, x}"]));
        let named = call_c("named_struct", vec![s("a"), int(1)]).unwrap();
        assert_eq!(named.1.to_string(), "struct<a:int>");
    }
}
