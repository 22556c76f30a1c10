//! Spark's JSON path language for `get_json_object`, parsed into the same instruction list
//! Spark's `JsonPathParser` produces, and evaluated the way its `GetJsonObjectEvaluator`
//! walks a document (including Hive's quirks: a wildcard over one match drops the brackets,
//! a double wildcard flattens nested arrays, a JSON `null` member does not match).

use serde_json::Value;

use crate::functions::format::java_double_to_string;

/// One step of a parsed path. `.name` and `['name']` parse to `Key, Named`; `[n]` to
/// `Subscript, Index`; `[*]` to `Subscript, Wildcard`; `.*` and `['*']` to `Wildcard`.
/// `NamedAnyCase` is a dotted name of Databricks' `column:path` operator, which ignores case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step {
    Key,
    Named(String),
    NamedAnyCase(String),
    Subscript,
    Wildcard,
    Index(u64),
}

/// Case rule of dotted names: `get_json_object` matches them exactly, the `:` operator
/// ignores case (bracketed names always match exactly).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DottedNames {
    Exact,
    AnyCase,
}

/// Parse `path`; `None` when Spark's parser rejects it (the function then returns NULL).
pub(crate) fn parse(path: &str, dotted: DottedNames) -> Option<Vec<Step>> {
    let mut rest = path.strip_prefix('$')?;
    let mut steps = Vec::new();
    while !rest.is_empty() {
        if let Some(after) = rest
            .strip_prefix(".*")
            .or_else(|| rest.strip_prefix("['*']"))
        {
            steps.push(Step::Wildcard);
            rest = after;
        } else if let Some(after) = rest.strip_prefix("['") {
            let end = after.find('\'')?;
            let name = &after[..end];
            rest = after[end..].strip_prefix("']")?;
            if name.is_empty() {
                return None;
            }
            steps.extend([Step::Key, Step::Named(name.to_string())]);
        } else if let Some(after) = rest.strip_prefix('.') {
            let end = after.find(['.', '[']).unwrap_or(after.len());
            if end == 0 {
                return None;
            }
            let name = after[..end].to_string();
            let step = match dotted {
                DottedNames::Exact => Step::Named(name),
                DottedNames::AnyCase => Step::NamedAnyCase(name),
            };
            steps.extend([Step::Key, step]);
            rest = &after[end..];
        } else if let Some(after) = rest.strip_prefix('[') {
            let end = after.find(']')?;
            let inner = &after[..end];
            let operand = if inner == "*" {
                Step::Wildcard
            } else if !inner.is_empty() && inner.bytes().all(|b| b.is_ascii_digit()) {
                Step::Index(inner.parse().ok()?)
            } else {
                return None;
            };
            steps.extend([Step::Subscript, operand]);
            rest = &after[end + 1..];
        } else {
            return None;
        }
    }
    Some(steps)
}

/// How a matched value is written: `Raw` emits a string without quotes (only at the top),
/// `Quoted` as JSON, `Flatten` splices arrays into the enclosing one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Raw,
    Quoted,
    Flatten,
}

/// The text `get_json_object` returns for `path` in `doc`, or `None` when nothing matches.
pub(crate) fn evaluate(doc: &Value, path: &[Step]) -> Option<String> {
    let mut out = Writer::default();
    evaluate_at(doc, &mut out, Style::Raw, path).then_some(out.text)
}

fn evaluate_at(value: &Value, out: &mut Writer, style: Style, path: &[Step]) -> bool {
    use Step::{Index, Key, Named, NamedAnyCase, Subscript, Wildcard};
    match (value, path) {
        (Value::String(s), []) if style == Style::Raw => {
            out.raw(s);
            true
        }
        (Value::Array(items), []) if style == Style::Flatten => {
            items.iter().fold(false, |dirty, item| {
                evaluate_at(item, out, style, &[]) | dirty
            })
        }
        (_, []) => {
            out.value(&compact(value));
            true
        }
        (Value::Object(members), [Key, NamedAnyCase(wanted), tail @ ..]) => {
            // An exact match first; otherwise the first member whose name differs only in case.
            let member = members.get(wanted.as_str()).or_else(|| {
                members
                    .iter()
                    .find(|(name, _)| name.eq_ignore_ascii_case(wanted))
                    .map(|(_, member)| member)
            });
            member.is_some_and(|m| !m.is_null() && evaluate_at(m, out, style, tail))
        }
        (Value::Object(members), [Key, rest @ ..]) => {
            // The first member that matches wins; the others are skipped.
            members.iter().any(|(name, member)| match rest {
                [Named(wanted), tail @ ..] if wanted == name => {
                    !member.is_null() && evaluate_at(member, out, style, tail)
                }
                [Wildcard, tail @ ..] => evaluate_at(member, out, style, tail),
                _ => false,
            })
        }
        (Value::Array(items), [Subscript, Wildcard, Subscript, Wildcard, tail @ ..]) => {
            // Hive's double wildcard: one flat array, whatever the nesting.
            out.start_array();
            let dirty = items.iter().fold(false, |dirty, item| {
                evaluate_at(item, out, Style::Flatten, tail) | dirty
            });
            out.end_array();
            dirty
        }
        (Value::Array(items), [Subscript, Wildcard, tail @ ..]) if style != Style::Quoted => {
            let inner = if style == Style::Raw {
                Style::Quoted
            } else {
                style
            };
            let mut buffer = Writer::default();
            buffer.start_array();
            let matches = items
                .iter()
                .filter(|item| evaluate_at(item, &mut buffer, inner, tail))
                .count();
            buffer.end_array();
            // One match is written without its brackets, as Hive does.
            match matches {
                0 => {}
                1 => out.value(&buffer.text[1..buffer.text.len() - 1]),
                _ => out.value(&buffer.text),
            }
            matches > 0
        }
        (Value::Array(items), [Subscript, Wildcard, tail @ ..]) => {
            out.start_array();
            let dirty = items.iter().fold(false, |dirty, item| {
                evaluate_at(item, out, Style::Quoted, tail) | dirty
            });
            out.end_array();
            dirty
        }
        (Value::Array(items), [Subscript, Index(i), tail @ ..]) => {
            let next = if matches!(tail, [Subscript, Wildcard, ..]) {
                Style::Quoted
            } else {
                style
            };
            usize::try_from(*i)
                .ok()
                .and_then(|i| items.get(i))
                .is_some_and(|item| evaluate_at(item, out, next, tail))
        }
        _ => false,
    }
}

/// Jackson's generator as Spark uses it: values in an array are separated by commas, values
/// at the top level by a space, raw text gets no separator.
#[derive(Default)]
struct Writer {
    text: String,
    open_arrays: Vec<bool>,
    wrote_top_level: bool,
}

impl Writer {
    fn separate(&mut self) {
        match self.open_arrays.last_mut() {
            Some(has_items) => {
                if *has_items {
                    self.text.push(',');
                }
                *has_items = true;
            }
            None => {
                if self.wrote_top_level {
                    self.text.push(' ');
                }
                self.wrote_top_level = true;
            }
        }
    }

    fn value(&mut self, json: &str) {
        self.separate();
        self.text.push_str(json);
    }

    fn raw(&mut self, text: &str) {
        self.text.push_str(text);
    }

    fn start_array(&mut self) {
        self.separate();
        self.text.push('[');
        self.open_arrays.push(false);
    }

    fn end_array(&mut self) {
        self.open_arrays.pop();
        self.text.push(']');
    }
}

/// `value` as compact JSON the way Jackson copies it: members in document order, no spaces,
/// integers as written, other numbers through Java's `Double.toString`.
pub(crate) fn compact(value: &Value) -> String {
    let mut out = String::new();
    write_compact(value, &mut out);
    out
}

fn write_compact(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => out.push_str(&i.to_string()),
            (_, Some(u), _) => out.push_str(&u.to_string()),
            (_, _, Some(f)) => out.push_str(&java_double_to_string(f)),
            _ => out.push_str(&n.to_string()),
        },
        Value::String(s) => out.push_str(&Value::String(s.clone()).to_string()),
        Value::Array(items) => {
            out.push('[');
            for (k, item) in items.iter().enumerate() {
                if k > 0 {
                    out.push(',');
                }
                write_compact(item, out);
            }
            out.push(']');
        }
        Value::Object(members) => {
            out.push('{');
            for (k, (name, member)) in members.iter().enumerate() {
                if k > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(name.clone()).to_string());
                out.push(':');
                write_compact(member, out);
            }
            out.push('}');
        }
    }
}
