//! Arguments of DataFrame methods: column lists given one by one or as a list, the other
//! frame of a join or union, conditions, sort keys and join kinds.

use query::{Expr, JoinKind, SortExpr};

use super::super::column::{col_or_literal, col_or_name};
use super::super::error::{PyError, PyResult};
use super::super::interp::{Arg, Args, Interp};
use super::super::native::Native;
use super::super::value::Value;
use super::Frame;
use crate::suggest;

/// Arguments given either one by one or as one list.
pub(super) fn spread(args: &Args) -> Vec<Arg> {
    match args.positional.as_slice() {
        [one] if one.value.as_items().is_some() => one
            .value
            .as_items()
            .unwrap_or_default()
            .into_iter()
            .map(|value| Arg {
                value,
                start: one.start,
                literal_body: None,
            })
            .collect(),
        all => all.to_vec(),
    }
}

pub(super) fn other_frame(args: &Args, index: usize, name: &str, what: &str) -> PyResult<Frame> {
    let arg = args
        .get(index, name)
        .ok_or_else(|| PyError::new(args.at, format!("{what} needs another DataFrame")))?;
    match &arg.value {
        Value::Native(n) => match &**n {
            Native::Frame(f) => Ok(f.clone()),
            other => Err(PyError::new(
                arg.start,
                format!("{what} needs a DataFrame, got {}", other.type_name()),
            )),
        },
        other => Err(PyError::new(
            arg.start,
            format!("{what} needs a DataFrame, got {}", other.type_name()),
        )),
    }
}

/// A condition: a Column, or SQL text (`"air_pressure > 0"`).
pub(super) fn condition(interp: &mut Interp<'_>, arg: &Arg) -> PyResult<Expr> {
    match &arg.value {
        Value::Str(text) => interp.parse_sql_expr(
            text,
            arg.literal_body.unwrap_or(arg.start),
            arg.literal_body.is_some(),
        ),
        other => col_or_literal(other, arg.start),
    }
}

pub(super) fn sort_keys(args: &Args) -> PyResult<Vec<SortExpr>> {
    let mut keys: Vec<SortExpr> = Vec::new();
    for arg in spread(args) {
        keys.push(match &arg.value {
            Value::Native(n) if matches!(**n, Native::Column(_)) => {
                let Native::Column(c) = &**n else {
                    unreachable!("matched a column")
                };
                c.to_sort()
            }
            other => col_or_name(other, arg.start)?.asc(),
        });
    }
    if let Some(asc) = args.keyword("ascending") {
        let flags: Vec<bool> = match &asc.value {
            Value::Bool(b) => vec![*b; keys.len()],
            Value::Int(i) => vec![*i != 0; keys.len()],
            other => other
                .as_items()
                .unwrap_or_default()
                .iter()
                .map(|v| v.truthy() == Some(true))
                .collect(),
        };
        if flags.len() != keys.len() {
            return Err(PyError::new(
                asc.start,
                "`ascending` needs one flag per sort column",
            ));
        }
        for (k, up) in keys.iter_mut().zip(flags) {
            if !up && k.ascending {
                k.ascending = false;
            }
        }
    }
    Ok(keys)
}

pub(super) fn join_kind(how: &str, at: usize) -> PyResult<JoinKind> {
    Ok(match how.to_ascii_lowercase().replace('_', "").as_str() {
        "inner" => JoinKind::Inner,
        "left" | "leftouter" => JoinKind::Left,
        "right" | "rightouter" => JoinKind::Right,
        "full" | "outer" | "fullouter" => JoinKind::Full,
        "leftsemi" | "semi" => JoinKind::LeftSemi,
        "leftanti" | "anti" => JoinKind::LeftAnti,
        "cross" => JoinKind::Cross,
        _ => {
            let kinds = [
                "inner",
                "left",
                "right",
                "full",
                "left_semi",
                "left_anti",
                "cross",
            ];
            return Err(PyError::new(at, format!("unknown join type `{how}`"))
                .with_suggestions(suggest::quoted(suggest::closest(how, kinds))));
        }
    })
}
