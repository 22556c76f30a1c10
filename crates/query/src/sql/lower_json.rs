//! Databricks' JSON path operator `column:path` (`details:flow_progress.metrics.num_output_rows`,
//! `raw:['Key'][0]`, `raw:store.book[*].isbn`), which the course's event-log queries use. It
//! lowers to `json_access(column, '$...')`: `get_json_object`'s evaluator with dotted names
//! matched ignoring case, as Databricks does for JSON strings. The result is a STRING named
//! after the last key, so `SELECT details:flow_progress.status` gives a column `status`.

use sqlparser::ast::{self, JsonPath, JsonPathElem, Value};

use crate::error::Result;
use crate::expr::{Expr, lit};
use crate::sql::lower::{Lowering, unsupported};

impl Lowering<'_> {
    pub(crate) fn json_access(
        &self,
        value: &ast::Expr,
        path: &JsonPath,
        whole: &ast::Expr,
    ) -> Result<Expr> {
        let mut text = String::from("$");
        let mut last_key = None;
        for elem in &path.path {
            match elem {
                // Dotted form keeps its case-insensitive match; a key the dotted syntax
                // cannot carry is bracketed, which matches exactly.
                JsonPathElem::Dot { key, .. }
                    if !key.contains(['.', '[']) && !key.starts_with('*') =>
                {
                    text.push('.');
                    text.push_str(key);
                    last_key = Some(key.clone());
                }
                JsonPathElem::Dot { key, .. } => {
                    text.push_str(&self.bracketed_key(key, whole)?);
                    last_key = Some(key.clone());
                }
                JsonPathElem::Bracket { key } | JsonPathElem::ColonBracket { key } => match key {
                    ast::Expr::Value(v) => match &v.value {
                        Value::SingleQuotedString(s) | Value::DoubleQuotedString(s) => {
                            text.push_str(&self.bracketed_key(s, whole)?);
                            last_key = Some(s.clone());
                        }
                        Value::Number(n, _) if n.bytes().all(|b| b.is_ascii_digit()) => {
                            text.push_str(&format!("[{n}]"));
                        }
                        other => return Err(self.bad_json_key(&other.to_string(), whole)),
                    },
                    ast::Expr::Wildcard(_) => text.push_str("[*]"),
                    other => return Err(self.bad_json_key(&other.to_string(), whole)),
                },
            }
        }
        let call = self.spanned_call("json_access", vec![self.expr(value)?, lit(text)], whole);
        Ok(match last_key {
            Some(name) => Expr::Alias(Box::new(call), name),
            None => call,
        })
    }

    fn bracketed_key(&self, key: &str, whole: &ast::Expr) -> Result<String> {
        if key.is_empty() || key.contains('\'') {
            return Err(self.bad_json_key(key, whole));
        }
        Ok(format!("['{key}']"))
    }

    fn bad_json_key(&self, key: &str, whole: &ast::Expr) -> crate::error::QueryError {
        unsupported(
            format!(
                "`{key}` in the JSON path `{whole}`: a step is a name (`.name`, `['Name']`), \
                 an array index (`[0]`) or `[*]`"
            ),
            self.span(whole),
        )
    }
}
