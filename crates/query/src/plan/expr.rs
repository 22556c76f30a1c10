//! Resolved, typed expressions: what the analyzer produces and the executor evaluates.

use std::fmt;
use std::sync::Arc;

use arrow::array::{Array, ArrayRef, new_null_array};

use crate::functions::ScalarFunction;
use crate::plan::LogicalPlan;
use crate::types::SparkType;

/// A constant: a one-element Arrow array and its Spark type.
#[derive(Clone)]
pub struct Literal {
    /// Spark type of the value.
    pub data_type: SparkType,
    /// One-element array of `data_type.to_arrow()`.
    pub value: ArrayRef,
}

impl Literal {
    /// A literal from a one-element array.
    pub fn new(data_type: SparkType, value: ArrayRef) -> Literal {
        debug_assert_eq!(value.len(), 1);
        Literal { data_type, value }
    }

    /// A NULL of the given type.
    pub fn null(data_type: SparkType) -> Literal {
        let value = new_null_array(&data_type.to_arrow(), 1);
        Literal { data_type, value }
    }

    /// Whether the value is NULL (an untyped NULL's array has no validity buffer, so the
    /// logical nulls are asked).
    pub fn is_null(&self) -> bool {
        self.value.logical_null_count() > 0
    }
}

impl PartialEq for Literal {
    fn eq(&self, other: &Literal) -> bool {
        self.data_type == other.data_type && self.value.to_data() == other.value.to_data()
    }
}

impl fmt::Debug for Literal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = arrow::util::display::ArrayFormatter::try_new(
            self.value.as_ref(),
            &arrow::util::display::FormatOptions::default().with_null("NULL"),
        )
        .map(|fmt| fmt.value(0).to_string())
        .unwrap_or_else(|_| "?".to_string());
        write!(f, "{shown}:{}", self.data_type)
    }
}

/// A registered scalar function, compared by name.
#[derive(Clone, Copy)]
pub struct FunctionRef(pub &'static dyn ScalarFunction);

impl PartialEq for FunctionRef {
    fn eq(&self, other: &FunctionRef) -> bool {
        self.0.name() == other.0.name()
    }
}

impl fmt::Debug for FunctionRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.name())
    }
}

/// A subquery plan inside an expression, compared by identity.
#[derive(Clone)]
pub struct SubqueryPlan(pub Arc<LogicalPlan>);

impl PartialEq for SubqueryPlan {
    fn eq(&self, other: &SubqueryPlan) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl fmt::Debug for SubqueryPlan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "subquery({} columns)", self.0.schema.len())
    }
}

/// How a cast treats values that do not fit: `Ansi` raises Spark's error, `Try` gives NULL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CastKind {
    /// `CAST`: invalid input raises `CAST_INVALID_INPUT` and friends.
    Ansi,
    /// `try_cast`: invalid input becomes NULL.
    Try,
}

/// A resolved expression with its result type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypedExpr {
    /// What to compute.
    pub kind: ExprKind,
    /// The Spark type of the result.
    pub data_type: SparkType,
    /// Whether the result may be NULL.
    pub nullable: bool,
}

/// The forms a resolved expression takes. Children are already cast to the types their
/// parent needs.
#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    /// Column `i` of the input batch.
    Column(usize),
    /// Column `index` of the row of an enclosing query, `depth` levels out (1 = the query
    /// directly around this subquery): a correlated reference.
    Outer {
        /// Levels out.
        depth: usize,
        /// Column of that query's input.
        index: usize,
    },
    /// A constant.
    Literal(Literal),
    /// A scalar function or operator.
    Call {
        /// The function.
        func: FunctionRef,
        /// Arguments, cast to the function's signature.
        args: Vec<TypedExpr>,
    },
    /// A cast to `data_type`.
    Cast {
        /// The value to cast.
        expr: Box<TypedExpr>,
        /// Error behaviour.
        kind: CastKind,
    },
    /// Three-valued AND; the right side is evaluated only where the left is not FALSE.
    And(Box<TypedExpr>, Box<TypedExpr>),
    /// Three-valued OR; the right side is evaluated only where the left is not TRUE.
    Or(Box<TypedExpr>, Box<TypedExpr>),
    /// Three-valued NOT.
    Not(Box<TypedExpr>),
    /// `IS NULL` (`negated`: `IS NOT NULL`).
    IsNull {
        /// Tested value.
        expr: Box<TypedExpr>,
        /// `IS NOT NULL`.
        negated: bool,
    },
    /// `CASE WHEN c THEN v ... ELSE e END`; each value is evaluated only on the rows that
    /// select it.
    Case {
        /// Conditions and values, in order.
        branches: Vec<(TypedExpr, TypedExpr)>,
        /// The ELSE value (NULL when absent).
        otherwise: Option<Box<TypedExpr>>,
    },
    /// The first non-NULL argument; later arguments are evaluated only where needed.
    Coalesce(Vec<TypedExpr>),
    /// `expr [NOT] IN (list)` with SQL's NULL rules; `eq` compares two values of the common
    /// type.
    InList {
        /// Tested value.
        expr: Box<TypedExpr>,
        /// Candidates.
        list: Vec<TypedExpr>,
        /// The `=` function for the common type.
        eq: FunctionRef,
        /// `NOT IN`.
        negated: bool,
    },
    /// `expr [NOT] IN (subquery)`; the subquery's single column has the same type as `expr`,
    /// or, for a row-valued `(a, b) IN (SELECT x, y ...)`, `expr` is a struct whose fields
    /// have the types of the subquery's columns.
    InSubquery {
        /// Tested value.
        expr: Box<TypedExpr>,
        /// The subquery.
        plan: SubqueryPlan,
        /// `NOT IN`.
        negated: bool,
        /// Spark's answer in a SELECT list, where it plans the test as an existence join:
        /// FALSE instead of NULL when nothing matches (NULLs on either side are no match).
        two_valued: bool,
    },
    /// `[NOT] EXISTS (subquery)`.
    Exists {
        /// The subquery.
        plan: SubqueryPlan,
        /// `NOT EXISTS`.
        negated: bool,
    },
    /// A subquery returning at most one row of one column.
    ScalarSubquery(SubqueryPlan),
    /// Field `index` of a struct value.
    GetField {
        /// The struct.
        expr: Box<TypedExpr>,
        /// Field position.
        index: usize,
    },
}

impl TypedExpr {
    /// An expression of the given kind and type, nullable.
    pub fn new(kind: ExprKind, data_type: SparkType) -> TypedExpr {
        TypedExpr {
            kind,
            data_type,
            nullable: true,
        }
    }

    /// A reference to input column `index`.
    pub fn column(index: usize, data_type: SparkType, nullable: bool) -> TypedExpr {
        TypedExpr {
            kind: ExprKind::Column(index),
            data_type,
            nullable,
        }
    }

    /// A constant.
    pub fn literal(lit: Literal) -> TypedExpr {
        let nullable = lit.is_null();
        let data_type = lit.data_type.clone();
        TypedExpr {
            kind: ExprKind::Literal(lit),
            data_type,
            nullable,
        }
    }

    /// This expression cast to `to` (itself when it already has that type).
    pub fn cast_to(self, to: &SparkType, kind: CastKind) -> TypedExpr {
        if &self.data_type == to {
            return self;
        }
        let nullable = self.nullable || kind == CastKind::Try;
        TypedExpr {
            kind: ExprKind::Cast {
                expr: Box::new(self),
                kind,
            },
            data_type: to.clone(),
            nullable,
        }
    }

    /// The direct children.
    pub fn children(&self) -> Vec<&TypedExpr> {
        match &self.kind {
            ExprKind::Column(_)
            | ExprKind::Outer { .. }
            | ExprKind::Literal(_)
            | ExprKind::Exists { .. }
            | ExprKind::ScalarSubquery(_) => vec![],
            ExprKind::Call { args, .. } | ExprKind::Coalesce(args) => args.iter().collect(),
            ExprKind::Cast { expr, .. }
            | ExprKind::Not(expr)
            | ExprKind::IsNull { expr, .. }
            | ExprKind::GetField { expr, .. }
            | ExprKind::InSubquery { expr, .. } => vec![expr],
            ExprKind::And(a, b) | ExprKind::Or(a, b) => vec![a, b],
            ExprKind::Case {
                branches,
                otherwise,
            } => {
                let mut out: Vec<&TypedExpr> = branches.iter().flat_map(|(c, v)| [c, v]).collect();
                out.extend(otherwise.as_deref());
                out
            }
            ExprKind::InList { expr, list, .. } => {
                let mut out = vec![expr.as_ref()];
                out.extend(list.iter());
                out
            }
        }
    }

    /// Visit this expression and every descendant, parents first.
    pub fn walk(&self, visit: &mut dyn FnMut(&TypedExpr)) {
        visit(self);
        for child in self.children() {
            child.walk(visit);
        }
    }

    /// Whether any node satisfies `pred`.
    pub fn any(&self, pred: &dyn Fn(&TypedExpr) -> bool) -> bool {
        let mut found = false;
        self.walk(&mut |e| found |= pred(e));
        found
    }

    /// The input columns this expression reads.
    pub fn columns(&self) -> Vec<usize> {
        let mut out = Vec::new();
        self.walk(&mut |e| {
            if let ExprKind::Column(i) = e.kind {
                out.push(i);
            }
        });
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Whether the value depends on no input column, outer row or subquery.
    pub fn is_constant(&self) -> bool {
        !self.any(&|e| {
            matches!(
                e.kind,
                ExprKind::Column(_)
                    | ExprKind::Outer { .. }
                    | ExprKind::InSubquery { .. }
                    | ExprKind::Exists { .. }
                    | ExprKind::ScalarSubquery(_)
            )
        })
    }

    /// Rebuild the expression bottom-up, replacing nodes with `f`'s result where it returns
    /// `Some`.
    pub fn transform(self, f: &mut dyn FnMut(&TypedExpr) -> Option<TypedExpr>) -> TypedExpr {
        if let Some(replaced) = f(&self) {
            return replaced;
        }
        let TypedExpr {
            kind,
            data_type,
            nullable,
        } = self;
        let mut t = |e: TypedExpr| e.transform(f);
        let kind = match kind {
            ExprKind::Call { func, args } => ExprKind::Call {
                func,
                args: args.into_iter().map(&mut t).collect(),
            },
            ExprKind::Coalesce(args) => ExprKind::Coalesce(args.into_iter().map(&mut t).collect()),
            ExprKind::Cast { expr, kind } => ExprKind::Cast {
                expr: Box::new(t(*expr)),
                kind,
            },
            ExprKind::Not(e) => ExprKind::Not(Box::new(t(*e))),
            ExprKind::IsNull { expr, negated } => ExprKind::IsNull {
                expr: Box::new(t(*expr)),
                negated,
            },
            ExprKind::GetField { expr, index } => ExprKind::GetField {
                expr: Box::new(t(*expr)),
                index,
            },
            ExprKind::InSubquery {
                expr,
                plan,
                negated,
                two_valued,
            } => ExprKind::InSubquery {
                expr: Box::new(t(*expr)),
                plan,
                negated,
                two_valued,
            },
            ExprKind::And(a, b) => ExprKind::And(Box::new(t(*a)), Box::new(t(*b))),
            ExprKind::Or(a, b) => ExprKind::Or(Box::new(t(*a)), Box::new(t(*b))),
            ExprKind::Case {
                branches,
                otherwise,
            } => ExprKind::Case {
                branches: branches.into_iter().map(|(c, v)| (t(c), t(v))).collect(),
                otherwise: otherwise.map(|o| Box::new(t(*o))),
            },
            ExprKind::InList {
                expr,
                list,
                eq,
                negated,
            } => ExprKind::InList {
                expr: Box::new(t(*expr)),
                list: list.into_iter().map(&mut t).collect(),
                eq,
                negated,
            },
            leaf => leaf,
        };
        TypedExpr {
            kind,
            data_type,
            nullable,
        }
    }

    /// The same expression reading input column `map(i)` wherever it read column `i`.
    pub fn remap_columns(self, map: &dyn Fn(usize) -> usize) -> TypedExpr {
        self.transform(&mut |e| match e.kind {
            ExprKind::Column(i) => Some(TypedExpr {
                kind: ExprKind::Column(map(i)),
                ..e.clone()
            }),
            _ => None,
        })
    }
}
