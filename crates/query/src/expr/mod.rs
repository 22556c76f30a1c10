//! Unresolved expressions: what the SQL front end and the DataFrame builder write, before the
//! analyzer resolves names and types.
//!
//! Build them with [`col`], [`lit`], [`call`], [`when`], [`cast`] and the methods on [`Expr`],
//! or parse SQL text with `query::parse_expr`.

mod naming;

use std::fmt;
use std::sync::Arc;

use arrow::array::{BooleanArray, Float32Array, Float64Array, Int32Array, Int64Array, StringArray};

use crate::error::Span;
use crate::plan::expr::Literal;
use crate::types::SparkType;

/// A subquery written in SQL (only the SQL front end creates these).
#[derive(Clone)]
pub struct Subquery(pub(crate) Arc<sqlparser::ast::Query>);

impl fmt::Debug for Subquery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "({})", self.0)
    }
}

/// An expression before name resolution.
#[derive(Debug, Clone)]
pub enum Expr {
    /// A column, possibly qualified (`s.device_id`) or a struct field path (`window.start`).
    Column {
        /// Name parts as written (case preserved).
        parts: Vec<String>,
        /// Where it was written.
        span: Option<Span>,
    },
    /// Input column `index` by position, named `name` (what `*` expands to).
    InputColumn {
        /// Position in the input.
        index: usize,
        /// The column's name.
        name: String,
    },
    /// A constant.
    Literal(Literal),
    /// A function, operator (`+`, `=`, ...), aggregate or window function call.
    Call(Box<FunctionCall>),
    /// `a AND b`
    And(Box<Expr>, Box<Expr>),
    /// `a OR b`
    Or(Box<Expr>, Box<Expr>),
    /// `NOT a`
    Not(Box<Expr>),
    /// `a IS [NOT] NULL`
    IsNull {
        /// Tested value.
        expr: Box<Expr>,
        /// `IS NOT NULL`.
        negated: bool,
    },
    /// `a [NOT] BETWEEN low AND high`
    Between {
        /// Tested value.
        expr: Box<Expr>,
        /// Lower bound (inclusive).
        low: Box<Expr>,
        /// Upper bound (inclusive).
        high: Box<Expr>,
        /// `NOT BETWEEN`.
        negated: bool,
    },
    /// `a [NOT] IN (x, y, ...)`
    InList {
        /// Tested value.
        expr: Box<Expr>,
        /// Candidates.
        list: Vec<Expr>,
        /// `NOT IN`.
        negated: bool,
    },
    /// `a [NOT] IN (SELECT ...)`
    InSubquery {
        /// Tested value.
        expr: Box<Expr>,
        /// The subquery.
        subquery: Subquery,
        /// `NOT IN`.
        negated: bool,
    },
    /// `[NOT] EXISTS (SELECT ...)`
    Exists {
        /// The subquery.
        subquery: Subquery,
        /// `NOT EXISTS`.
        negated: bool,
    },
    /// `(SELECT ...)` used as a value.
    ScalarSubquery(Subquery),
    /// `CASE [operand] WHEN ... THEN ... [ELSE ...] END`
    Case {
        /// `CASE x WHEN v ...` compares `x = v`.
        operand: Option<Box<Expr>>,
        /// `WHEN` conditions (or values) and results.
        branches: Vec<(Expr, Expr)>,
        /// `ELSE` result.
        otherwise: Option<Box<Expr>>,
    },
    /// `CAST(a AS type)` / `try_cast(a AS type)`
    Cast {
        /// The value.
        expr: Box<Expr>,
        /// Target type.
        to: SparkType,
        /// `try_cast`: NULL instead of an error.
        try_cast: bool,
    },
    /// `expr.field` on a struct-valued expression that is not a plain column.
    Field {
        /// The struct.
        expr: Box<Expr>,
        /// Field name.
        name: String,
    },
    /// `expr[index]`: 0-based array element or map value.
    Index {
        /// The array or map.
        expr: Box<Expr>,
        /// The index or key.
        index: Box<Expr>,
    },
    /// `expr AS name`
    Alias(Box<Expr>, String),
    /// `*`, `t.*`, optionally `* EXCEPT (a, b)`.
    Star {
        /// `t` in `t.*`.
        qualifier: Option<String>,
        /// Columns left out.
        except: Vec<(String, Option<Span>)>,
    },
}

/// A call by name, with the clauses aggregate and window functions accept.
#[derive(Debug, Clone)]
pub struct FunctionCall {
    /// Function name (case-insensitive).
    pub name: String,
    /// Arguments.
    pub args: Vec<Expr>,
    /// `DISTINCT` inside the parentheses.
    pub distinct: bool,
    /// `FILTER (WHERE ...)`.
    pub filter: Option<Box<Expr>>,
    /// `IGNORE NULLS` (`Some(true)`) / `RESPECT NULLS` (`Some(false)`).
    pub ignore_nulls: Option<bool>,
    /// `OVER (...)`: makes this a window function call.
    pub over: Option<WindowSpec>,
    /// `WITHIN GROUP (ORDER BY ...)`.
    pub within_group: Vec<SortExpr>,
    /// Where the call was written.
    pub span: Option<Span>,
}

/// A sort key: expression, direction and NULL placement.
#[derive(Debug, Clone)]
pub struct SortExpr {
    /// Value sorted on.
    pub expr: Expr,
    /// Ascending (the default).
    pub ascending: bool,
    /// NULLs first; `None` uses Spark's default (first for ASC, last for DESC).
    pub nulls_first: Option<bool>,
}

/// `OVER (PARTITION BY ... ORDER BY ... frame)`.
#[derive(Debug, Clone, Default)]
pub struct WindowSpec {
    /// Partition keys.
    pub partition_by: Vec<Expr>,
    /// Order within partitions.
    pub order_by: Vec<SortExpr>,
    /// Explicit frame; `None` uses Spark's default.
    pub frame: Option<FrameSpec>,
}

/// `ROWS|RANGE BETWEEN start AND end`.
#[derive(Debug, Clone)]
pub struct FrameSpec {
    /// `RANGE` (true) or `ROWS` (false).
    pub range: bool,
    /// Start bound.
    pub start: BoundSpec,
    /// End bound.
    pub end: BoundSpec,
}

/// A frame bound as written.
#[derive(Debug, Clone)]
pub enum BoundSpec {
    /// `UNBOUNDED PRECEDING`
    UnboundedPreceding,
    /// `n PRECEDING`
    Preceding(Expr),
    /// `CURRENT ROW`
    CurrentRow,
    /// `n FOLLOWING`
    Following(Expr),
    /// `UNBOUNDED FOLLOWING`
    UnboundedFollowing,
}

/// A column by name; dots separate a qualifier or struct fields, backquotes protect dots.
///
/// # Examples
/// ```
/// use query::{col, Expr};
/// match col("s.device_id") {
///     Expr::Column { parts, .. } => assert_eq!(parts, vec!["s", "device_id"]),
///     _ => unreachable!(),
/// }
/// match col("`count of rows`") {
///     Expr::Column { parts, .. } => assert_eq!(parts, vec!["count of rows"]),
///     _ => unreachable!(),
/// }
/// ```
pub fn col(name: &str) -> Expr {
    Expr::Column {
        parts: split_name(name),
        span: None,
    }
}

fn split_name(name: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut chars = name.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '`' if quoted && chars.peek() == Some(&'`') => {
                chars.next();
                current.push('`');
            }
            '`' => quoted = !quoted,
            '.' if !quoted => parts.push(std::mem::take(&mut current)),
            _ => current.push(c),
        }
    }
    parts.push(current);
    parts
}

/// Rust values that become SQL literals.
pub trait IntoLiteral {
    /// The literal.
    fn into_literal(self) -> Literal;
}

macro_rules! into_literal {
    ($t:ty, $spark:expr, $array:ty) => {
        impl IntoLiteral for $t {
            fn into_literal(self) -> Literal {
                Literal::new($spark, Arc::new(<$array>::from(vec![self])))
            }
        }
    };
}
into_literal!(i32, SparkType::Int, Int32Array);
into_literal!(i64, SparkType::Long, Int64Array);
into_literal!(f32, SparkType::Float, Float32Array);
into_literal!(f64, SparkType::Double, Float64Array);
into_literal!(bool, SparkType::Boolean, BooleanArray);

impl IntoLiteral for &str {
    fn into_literal(self) -> Literal {
        Literal::new(SparkType::String, Arc::new(StringArray::from(vec![self])))
    }
}

impl IntoLiteral for String {
    fn into_literal(self) -> Literal {
        self.as_str().into_literal()
    }
}

impl IntoLiteral for Literal {
    fn into_literal(self) -> Literal {
        self
    }
}

/// A constant: `lit(5)` is an `int`, `lit(5i64)` a `bigint`, `lit(0.5)` a `double`,
/// `lit("x")` a `string`.
///
/// # Examples
/// ```
/// use query::{lit, Expr, SparkType};
/// match lit(5) {
///     Expr::Literal(l) => assert_eq!(l.data_type, SparkType::Int),
///     _ => unreachable!(),
/// }
/// ```
pub fn lit(value: impl IntoLiteral) -> Expr {
    Expr::Literal(value.into_literal())
}

/// A typed NULL.
pub fn null(data_type: SparkType) -> Expr {
    Expr::Literal(Literal::null(data_type))
}

/// A call of a scalar, aggregate or window function, or an operator (`"+"`, `">"`, ...).
///
/// # Examples
/// ```
/// use query::{call, col, lit};
/// let expr = call(">", vec![col("air_pressure"), lit(0)]);
/// let avg = call("avg", vec![col("temperature")]).alias("avg_t");
/// # let _ = (expr, avg);
/// ```
pub fn call(name: &str, args: Vec<Expr>) -> Expr {
    Expr::Call(Box::new(FunctionCall {
        name: name.to_string(),
        args,
        distinct: false,
        filter: None,
        ignore_nulls: None,
        over: None,
        within_group: Vec::new(),
        span: None,
    }))
}

/// `CAST(expr AS to)`.
pub fn cast(expr: Expr, to: SparkType) -> Expr {
    Expr::Cast {
        expr: Box::new(expr),
        to,
        try_cast: false,
    }
}

/// Start a searched CASE: `when(c1, v1).when(c2, v2).otherwise(v3)`.
pub fn when(condition: Expr, value: Expr) -> CaseBuilder {
    CaseBuilder {
        branches: vec![(condition, value)],
    }
}

/// A CASE expression under construction.
#[derive(Debug, Clone)]
pub struct CaseBuilder {
    branches: Vec<(Expr, Expr)>,
}

impl CaseBuilder {
    /// Add a `WHEN condition THEN value` branch.
    pub fn when(mut self, condition: Expr, value: Expr) -> CaseBuilder {
        self.branches.push((condition, value));
        self
    }

    /// Finish with an ELSE value.
    pub fn otherwise(self, value: Expr) -> Expr {
        Expr::Case {
            operand: None,
            branches: self.branches,
            otherwise: Some(Box::new(value)),
        }
    }

    /// Finish without ELSE (NULL when no branch matches).
    pub fn end(self) -> Expr {
        Expr::Case {
            operand: None,
            branches: self.branches,
            otherwise: None,
        }
    }
}

impl Expr {
    /// Name the result column.
    pub fn alias(self, name: &str) -> Expr {
        Expr::Alias(Box::new(self), name.to_string())
    }

    /// `self AND other`.
    pub fn and(self, other: Expr) -> Expr {
        Expr::And(Box::new(self), Box::new(other))
    }

    /// `self OR other`.
    pub fn or(self, other: Expr) -> Expr {
        Expr::Or(Box::new(self), Box::new(other))
    }

    /// `NOT self`.
    #[allow(clippy::should_implement_trait)]
    pub fn not(self) -> Expr {
        Expr::Not(Box::new(self))
    }

    /// `self IS NULL`.
    pub fn is_null(self) -> Expr {
        Expr::IsNull {
            expr: Box::new(self),
            negated: false,
        }
    }

    /// `self IS NOT NULL`.
    pub fn is_not_null(self) -> Expr {
        Expr::IsNull {
            expr: Box::new(self),
            negated: true,
        }
    }

    /// `self IN (list)`.
    pub fn is_in(self, list: Vec<Expr>) -> Expr {
        Expr::InList {
            expr: Box::new(self),
            list,
            negated: false,
        }
    }

    /// `CAST(self AS to)`.
    pub fn cast(self, to: SparkType) -> Expr {
        cast(self, to)
    }

    /// Make an aggregate call `DISTINCT` (`count(DISTINCT x)`); other expressions are
    /// returned unchanged.
    pub fn distinct(self) -> Expr {
        match self {
            Expr::Call(mut c) => {
                c.distinct = true;
                Expr::Call(c)
            }
            other => other,
        }
    }

    /// Add `FILTER (WHERE predicate)` to an aggregate call.
    pub fn filter(self, predicate: Expr) -> Expr {
        match self {
            Expr::Call(mut c) => {
                c.filter = Some(Box::new(predicate));
                Expr::Call(c)
            }
            other => other,
        }
    }

    /// Make a call a window function call: `self OVER (window)`.
    pub fn over(self, window: WindowSpec) -> Expr {
        match self {
            Expr::Call(mut c) => {
                c.over = Some(window);
                Expr::Call(c)
            }
            other => other,
        }
    }

    /// Ascending sort key (NULLs first).
    pub fn asc(self) -> SortExpr {
        SortExpr {
            expr: self,
            ascending: true,
            nulls_first: None,
        }
    }

    /// Descending sort key (NULLs last).
    pub fn desc(self) -> SortExpr {
        SortExpr {
            expr: self,
            ascending: false,
            nulls_first: None,
        }
    }

    /// The name Spark gives the column this expression produces when it has no alias:
    /// the column name, the alias, or the expression's text.
    pub fn output_name(&self) -> String {
        match self {
            Expr::Alias(_, name) => name.clone(),
            Expr::Column { parts, .. } => parts.last().cloned().unwrap_or_default(),
            Expr::Field { name, .. } | Expr::InputColumn { name, .. } => name.clone(),
            other => naming::expr_sql(other),
        }
    }

    /// The expression without a top-level alias.
    pub fn unaliased(&self) -> &Expr {
        match self {
            Expr::Alias(inner, _) => inner.unaliased(),
            other => other,
        }
    }
}
