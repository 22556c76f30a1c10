//! The names Spark gives un-aliased expressions (`count(1)`, `(7 / 2)`, `CAST(x AS INT)`).
//! Tools compare them loosely, but learners see them as column headers.

use crate::expr::Expr;
use crate::plan::expr::Literal;
use crate::types::SparkType;

/// Operators Spark prints infix, in parentheses.
const INFIX: [&str; 17] = [
    "+", "-", "*", "/", "%", "div", "||", ">", "<", ">=", "<=", "=", "!=", "<=>", "&", "|", "^",
];

/// Spark's text for an expression used as a column name.
pub fn expr_sql(e: &Expr) -> String {
    match e {
        Expr::Column { parts, .. } => parts.last().cloned().unwrap_or_default(),
        Expr::InputColumn { name, .. } => name.clone(),
        Expr::Literal(l) => literal_sql(l),
        Expr::Call(c) => {
            let name = c.name.to_lowercase();
            let args: Vec<String> = c.args.iter().map(expr_sql).collect();
            if INFIX.contains(&name.as_str()) && args.len() == 2 {
                let op = if name == "div" {
                    "div".to_string()
                } else {
                    name.clone()
                };
                return format!("({} {op} {})", args[0], args[1]);
            }
            if name == "negative" && args.len() == 1 {
                return format!("(- {})", args[0]);
            }
            let distinct = if c.distinct { "DISTINCT " } else { "" };
            let mut out = format!("{name}({distinct}{})", args.join(", "));
            if c.over.is_some() {
                out.push_str(" OVER (...)");
            }
            out
        }
        Expr::And(a, b) => format!("({} AND {})", expr_sql(a), expr_sql(b)),
        Expr::Or(a, b) => format!("({} OR {})", expr_sql(a), expr_sql(b)),
        Expr::Not(a) => format!("(NOT {})", expr_sql(a)),
        Expr::IsNull { expr, negated } => {
            format!(
                "({} IS {}NULL)",
                expr_sql(expr),
                if *negated { "NOT " } else { "" }
            )
        }
        Expr::Between {
            expr,
            low,
            high,
            negated,
        } => format!(
            "({} {}BETWEEN {} AND {})",
            expr_sql(expr),
            if *negated { "NOT " } else { "" },
            expr_sql(low),
            expr_sql(high)
        ),
        Expr::InList {
            expr,
            list,
            negated,
        } => format!(
            "({} {}IN ({}))",
            expr_sql(expr),
            if *negated { "NOT " } else { "" },
            list.iter().map(expr_sql).collect::<Vec<_>>().join(", ")
        ),
        Expr::InSubquery { expr, negated, .. } => {
            format!(
                "({} {}IN (listquery()))",
                expr_sql(expr),
                if *negated { "NOT " } else { "" }
            )
        }
        Expr::Exists { negated, .. } => {
            format!("{}exists()", if *negated { "NOT " } else { "" })
        }
        Expr::ScalarSubquery(_) => "scalarsubquery()".to_string(),
        Expr::Case {
            operand,
            branches,
            otherwise,
        } => {
            let mut out = "CASE".to_string();
            if let Some(o) = operand {
                out.push_str(&format!(" {}", expr_sql(o)));
            }
            for (c, v) in branches {
                out.push_str(&format!(" WHEN {} THEN {}", expr_sql(c), expr_sql(v)));
            }
            if let Some(o) = otherwise {
                out.push_str(&format!(" ELSE {}", expr_sql(o)));
            }
            out.push_str(" END");
            out
        }
        Expr::Cast { expr, to, try_cast } => format!(
            "{}({} AS {})",
            if *try_cast { "TRY_CAST" } else { "CAST" },
            expr_sql(expr),
            to.simple_string().to_uppercase()
        ),
        Expr::Field { expr, name } => format!("{}.{name}", expr_sql(expr)),
        Expr::Index { expr, index } => format!("{}[{}]", expr_sql(expr), expr_sql(index)),
        Expr::Alias(_, name) => name.clone(),
        Expr::Star { .. } => "*".to_string(),
    }
}

fn literal_sql(l: &Literal) -> String {
    if l.is_null() {
        return "NULL".to_string();
    }
    let text = arrow::util::display::ArrayFormatter::try_new(
        l.value.as_ref(),
        &arrow::util::display::FormatOptions::default(),
    )
    .map(|f| f.value(0).to_string())
    .unwrap_or_default();
    match l.data_type {
        SparkType::Long => format!("{text}L"),
        SparkType::Date => format!("DATE '{text}'"),
        SparkType::Timestamp => format!(
            "TIMESTAMP '{}'",
            text.replace('T', " ").trim_end_matches('Z')
        ),
        _ => text,
    }
}
