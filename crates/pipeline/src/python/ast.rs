//! The syntax tree of the Python subset. Every node keeps its byte range for error locations.

/// A statement.
#[derive(Debug, Clone, PartialEq)]
pub struct Stmt {
    /// What it is.
    pub kind: StmtKind,
    /// First byte.
    pub start: usize,
}

/// Statement kinds of the subset.
#[derive(Debug, Clone, PartialEq)]
pub enum StmtKind {
    /// `import a.b [as c], …`
    Import(Vec<(String, Option<String>)>),
    /// `from a.b import c [as d], …` (`*` as the name `*`).
    FromImport {
        /// The module.
        module: String,
        /// Imported names and aliases.
        names: Vec<(String, Option<String>)>,
    },
    /// `a = b = value`, `a, b = value`, `a: T = value`.
    Assign {
        /// Targets (names, tuples of names, subscripts).
        targets: Vec<Expr>,
        /// The value.
        value: Expr,
    },
    /// `a += value`.
    AugAssign {
        /// The target name.
        target: Expr,
        /// The operator without `=`.
        op: BinOp,
        /// The value.
        value: Expr,
    },
    /// `@decorators def name(params): body`.
    FunctionDef(std::rc::Rc<FunctionDef>),
    /// `return [value]`.
    Return(Option<Expr>),
    /// `if test: body [elif …] [else: orelse]`.
    If {
        /// The condition.
        test: Expr,
        /// Then-branch.
        body: Vec<Stmt>,
        /// Else-branch (an `elif` is a nested `If`).
        orelse: Vec<Stmt>,
    },
    /// `for target in iter: body`.
    For {
        /// Loop variable(s).
        target: Expr,
        /// The iterable.
        iter: Expr,
        /// The body.
        body: Vec<Stmt>,
    },
    /// An expression on its own (a docstring, a call).
    Expr(Expr),
    /// `pass`.
    Pass,
}

/// A function definition.
#[derive(Debug, Clone, PartialEq)]
pub struct FunctionDef {
    /// The function's name.
    pub name: String,
    /// Byte offset of the name.
    pub name_start: usize,
    /// Parameters.
    pub params: Vec<Param>,
    /// Decorators, outermost first.
    pub decorators: Vec<Expr>,
    /// The body.
    pub body: Vec<Stmt>,
    /// Byte offset of `def`.
    pub start: usize,
}

/// A function parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// The name.
    pub name: String,
    /// Its default value.
    pub default: Option<Expr>,
}

/// An expression with its byte range.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    /// What it is.
    pub kind: ExprKind,
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

/// A piece of an f-string.
#[derive(Debug, Clone, PartialEq)]
pub enum FPart {
    /// Literal text.
    Text(String),
    /// `{expr[!conv][:spec]}`.
    Value {
        /// The expression.
        expr: Box<Expr>,
        /// The format spec after `:`, if any.
        spec: Option<String>,
    },
}

/// Binary operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `//`
    FloorDiv,
    /// `%`
    Mod,
    /// `**`
    Pow,
    /// `&`
    BitAnd,
    /// `|`
    BitOr,
    /// `^`
    BitXor,
}

impl BinOp {
    /// The operator's spelling.
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::FloorDiv => "//",
            BinOp::Mod => "%",
            BinOp::Pow => "**",
            BinOp::BitAnd => "&",
            BinOp::BitOr => "|",
            BinOp::BitXor => "^",
        }
    }
}

/// Comparison operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    /// `==`
    Eq,
    /// `!=`
    NotEq,
    /// `<`
    Lt,
    /// `<=`
    LtE,
    /// `>`
    Gt,
    /// `>=`
    GtE,
    /// `in`
    In,
    /// `not in`
    NotIn,
    /// `is`
    Is,
    /// `is not`
    IsNot,
}

/// Unary operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    /// `-x`
    Neg,
    /// `+x`
    Pos,
    /// `~x`
    Invert,
    /// `not x`
    Not,
}

/// A call argument: positional, keyword, `*args` or `**kwargs`.
#[derive(Debug, Clone, PartialEq)]
pub struct Arg {
    /// Keyword name, if a keyword argument.
    pub name: Option<String>,
    /// The value.
    pub value: Expr,
    /// `*value` (1) or `**value` (2); 0 otherwise.
    pub star: u8,
}

/// Expression kinds.
#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    /// A name.
    Name(String),
    /// `None`
    NoneLit,
    /// `True`/`False`
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// A string (adjacent literals joined).
    Str(String),
    /// An f-string (possibly joined with plain literals).
    FString(Vec<FPart>),
    /// `[a, b]`
    List(Vec<Expr>),
    /// `(a, b)`
    Tuple(Vec<Expr>),
    /// `{k: v}`
    Dict(Vec<(Expr, Expr)>),
    /// `value.attr`
    Attribute(Box<Expr>, String),
    /// `func(args)`
    Call(Box<Expr>, Vec<Arg>),
    /// `value[index]`
    Subscript(Box<Expr>, Box<Expr>),
    /// `lower:upper` inside a subscript.
    Slice(Option<Box<Expr>>, Option<Box<Expr>>),
    /// `a op b`
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// `op a`
    Unary(UnaryOp, Box<Expr>),
    /// `a op b` (comparisons; chains are rejected)
    Compare(CmpOp, Box<Expr>, Box<Expr>),
    /// `a and b`
    And(Box<Expr>, Box<Expr>),
    /// `a or b`
    Or(Box<Expr>, Box<Expr>),
    /// `body if test else orelse`
    IfElse(Box<Expr>, Box<Expr>, Box<Expr>),
    /// `[elt for target in iter if cond]`
    ListComp {
        /// The element.
        elt: Box<Expr>,
        /// Loop variable(s).
        target: Box<Expr>,
        /// The iterable.
        iter: Box<Expr>,
        /// Optional filter.
        cond: Option<Box<Expr>>,
    },
    /// `lambda params: body`
    Lambda(Vec<Param>, Box<Expr>),
}
