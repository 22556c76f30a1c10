//! Evaluated call arguments: positional and keyword values with where they were written, and
//! the checks builtins and pipeline methods apply to them.

use super::*;

/// One evaluated call argument and where it was written.
#[derive(Debug, Clone)]
pub struct Arg {
    /// The value.
    pub value: Value,
    /// First byte of the argument expression.
    pub start: usize,
    /// For a plain string literal: the byte offset of its first character (after the quote).
    pub literal_body: Option<usize>,
}

/// The arguments of a call.
#[derive(Debug, Clone, Default)]
pub struct Args {
    /// Positional arguments.
    pub positional: Vec<Arg>,
    /// Keyword arguments, in order written.
    pub keywords: Vec<(String, Arg)>,
    /// Byte offset of the call.
    pub at: usize,
}

impl Args {
    /// Arguments with positional values only (for calls made by the evaluator itself).
    pub fn positional(values: Vec<Value>, at: usize) -> Args {
        Args {
            positional: values
                .into_iter()
                .map(|value| Arg {
                    value,
                    start: at,
                    literal_body: None,
                })
                .collect(),
            keywords: Vec::new(),
            at,
        }
    }

    /// The argument at position `index` or named `name`.
    pub fn get(&self, index: usize, name: &str) -> Option<&Arg> {
        self.keywords
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, a)| a)
            .or_else(|| self.positional.get(index))
    }

    /// The keyword argument `name` only.
    pub fn keyword(&self, name: &str) -> Option<&Arg> {
        self.keywords
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, a)| a)
    }

    /// Fail on keyword arguments outside `allowed` or more than `max_positional` positionals.
    pub fn check(&self, what: &str, max_positional: usize, allowed: &[&str]) -> PyResult<()> {
        if self.positional.len() > max_positional {
            let extra = &self.positional[max_positional];
            return Err(PyError::new(
                extra.start,
                format!(
                    "{what} takes at most {max_positional} positional argument(s), got {}",
                    self.positional.len()
                ),
            ));
        }
        for (name, arg) in &self.keywords {
            if !allowed.contains(&name.as_str()) {
                let close = suggest::quoted(suggest::closest(name, allowed.iter().copied()));
                let message = if allowed.is_empty() {
                    format!("{what} takes no keyword arguments (got `{name}`)")
                } else {
                    format!(
                        "{what} got an unexpected keyword argument `{name}` (accepted: {})",
                        allowed.join(", ")
                    )
                };
                return Err(PyError::new(arg.start, message).with_suggestions(close));
            }
        }
        Ok(())
    }

    /// The string argument at `index`/`name`, required.
    pub fn str_arg(&self, index: usize, name: &str, what: &str) -> PyResult<(String, &Arg)> {
        let arg = self
            .get(index, name)
            .ok_or_else(|| PyError::new(self.at, format!("{what} needs the `{name}` argument")))?;
        match &arg.value {
            Value::Str(s) => Ok((s.to_string(), arg)),
            other => Err(PyError::new(
                arg.start,
                format!(
                    "{what}: `{name}` must be a string, got {}",
                    other.type_name()
                ),
            )),
        }
    }

    /// The optional string argument at `index`/`name` (`None` also when passed `None`).
    pub fn opt_str(&self, index: usize, name: &str, what: &str) -> PyResult<Option<String>> {
        match self.get(index, name) {
            None => Ok(None),
            Some(Arg {
                value: Value::None, ..
            }) => Ok(None),
            Some(Arg {
                value: Value::Str(s),
                ..
            }) => Ok(Some(s.to_string())),
            Some(arg) => Err(PyError::new(
                arg.start,
                format!(
                    "{what}: `{name}` must be a string, got {}",
                    arg.value.type_name()
                ),
            )),
        }
    }
}
