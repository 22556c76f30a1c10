//! Array and struct functions: `array`, `size`/`cardinality`, `element_at` (1-based, ANSI
//! errors out of range), `try_element_at`, `get` (0-based, lenient), `array_contains`,
//! `sort_array`, `array_join`, `array_distinct`, `struct`, `named_struct`, `map`, and the
//! `arr[i]` subscript.

mod access;
mod distinct;
mod map;
mod order;

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, Int32Array, ListArray, MapArray, StructArray};
use arrow::buffer::OffsetBuffer;
use arrow::datatypes::{DataType, Field};

use crate::error::{ErrorClass, QueryError, Result};
use crate::functions::common::{arg, check_arity, constant_str, func, strings, wrong_array};
use crate::functions::{ArgInfo, EvalContext, ScalarFunction, Signature};
use crate::kernels::gather::gather;
use crate::types::{SparkType, StructField, wider_type_of_all};

pub(crate) use access::SUBSCRIPT;
pub(crate) use order::{concat_lists, reverse_lists};

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
            ErrorClass::DatatypeMismatchDataDiffTypes,
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
        let order: Vec<Option<(usize, usize)>> = (0..num_rows)
            .flat_map(|row| (0..k).map(move |col| Some((col, row))))
            .collect();
        gather(&element, &sources, &order)?
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
            ErrorClass::WrongNumArgsWithoutSuggestion,
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
                ErrorClass::DatatypeMismatchCreateNamedStructWithoutFoldableString,
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
    &access::ELEMENT_AT,
    &access::TRY_ELEMENT_AT,
    &access::GET,
    &access::ARRAY_CONTAINS,
    &order::SORT_ARRAY,
    &order::ARRAY_JOIN,
    &distinct::ARRAY_DISTINCT,
    &STRUCT,
    &NAMED_STRUCT,
    &map::MAP,
];

#[cfg(test)]
mod tests {
    use crate::ErrorClass;
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
    fn test_array_distinct_keeps_first_occurrences() {
        use crate::functions::testing::doubles;
        let arr = call(
            "array",
            vec![
                ints(&[Some(3), None, Some(1)]),
                ints(&[None, None, Some(1)]),
                ints(&[Some(3), None, Some(2)]),
                ints(&[None, None, Some(1)]),
            ],
        )
        .unwrap();
        let out = call("array_distinct", vec![arr]).unwrap();
        assert_eq!(out.1.to_string(), "array<int>");
        assert_eq!(render(&out), texts(&["[3, null]", "[null]", "[1, 2]"]));
        let floats = call(
            "array",
            vec![
                doubles(&[Some(0.0)]),
                doubles(&[Some(-0.0)]),
                doubles(&[Some(f64::NAN)]),
                doubles(&[Some(f64::NAN)]),
            ],
        )
        .unwrap();
        let out = call("array_distinct", vec![floats]).unwrap();
        assert_eq!(render(&out), texts(&["[0.0, NaN]"]));
        let nulls = call(
            "array_distinct",
            vec![call("split", vec![strs(&[None]), s(",")]).unwrap()],
        )
        .unwrap();
        assert_eq!(render(&nulls), vec![None]);
        let e = call("array_distinct", vec![int(1)]).unwrap_err();
        assert_eq!(
            e.error_class(),
            ErrorClass::DatatypeMismatchUnexpectedInputType
        );
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
