//! A recursive-descent parser for the Python subset pipeline files use. Constructs outside the
//! subset (classes, `try`, `with`, `while`, …) are errors at their position that say what is
//! supported, never silently skipped.

mod depth;
mod expr;
mod fstring;
mod stmt;

use super::ast::{BinOp, Expr, ExprKind, Stmt};
use super::lexer::{LexError, Tok, Token, tokenize};

/// What statements the subset supports, for error messages.
pub const SUPPORTED_STATEMENTS: &str =
    "imports, assignments, `def` with decorators, `return`, `if`/`else`, `for` and expressions";

/// Parse a whole file.
///
/// # Examples
/// ```
/// use pipeline::python::{ast::StmtKind, parser::parse_module};
/// let module = parse_module("from pyspark import pipelines as dp\nx = 1\n").unwrap();
/// assert!(matches!(module[1].kind, StmtKind::Assign { .. }));
/// assert!(parse_module("class A:\n    pass\n").is_err());
/// ```
pub fn parse_module(text: &str) -> Result<Vec<Stmt>, LexError> {
    let tokens = tokenize(text)?;
    depth::check(&tokens)?;
    let mut p = Parser { tokens, pos: 0 };
    let mut body = Vec::new();
    while !p.at(&Tok::End) {
        body.push(p.statement()?);
    }
    Ok(body)
}

/// Parse one expression from `text` whose first byte is at `base` in the file.
pub fn parse_expression(text: &str, base: usize) -> Result<Expr, LexError> {
    let shift = |e: LexError| LexError {
        offset: e.offset + base,
        ..e
    };
    let mut tokens = tokenize(text).map_err(shift)?;
    depth::check(&tokens).map_err(shift)?;
    for t in &mut tokens {
        t.start += base;
        t.end += base;
    }
    let mut p = Parser { tokens, pos: 0 };
    let expr = p.expression()?;
    p.skip_newlines();
    if !p.at(&Tok::End) {
        return Err(p.unexpected("the end of the expression"));
    }
    Ok(expr)
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
}

type R<T> = Result<T, LexError>;

impl Parser {
    fn peek(&self) -> &Token {
        &self.tokens[self.pos.min(self.tokens.len() - 1)]
    }
    fn peek_at(&self, n: usize) -> &Token {
        &self.tokens[(self.pos + n).min(self.tokens.len() - 1)]
    }
    fn at(&self, tok: &Tok) -> bool {
        &self.peek().tok == tok
    }
    fn at_op(&self, op: &str) -> bool {
        matches!(&self.peek().tok, Tok::Op(o) if *o == op)
    }
    fn at_kw(&self, kw: &str) -> bool {
        matches!(&self.peek().tok, Tok::Name(n) if n == kw)
    }
    fn bump(&mut self) -> Token {
        let t = self.peek().clone();
        self.pos += 1;
        t
    }
    fn eat_op(&mut self, op: &str) -> bool {
        let hit = self.at_op(op);
        self.pos += usize::from(hit);
        hit
    }
    fn eat_kw(&mut self, kw: &str) -> bool {
        let hit = self.at_kw(kw);
        self.pos += usize::from(hit);
        hit
    }
    fn skip_newlines(&mut self) {
        while self.at(&Tok::Newline) {
            self.pos += 1;
        }
    }
    fn last_end(&self) -> usize {
        self.tokens[self.pos.saturating_sub(1)].end
    }

    fn unexpected(&self, wanted: &str) -> LexError {
        let t = self.peek();
        let found = match &t.tok {
            Tok::Name(n) => format!("`{n}`"),
            Tok::Int(i) => format!("`{i}`"),
            Tok::Float(f) => format!("`{f}`"),
            Tok::Str(_) => "a string".to_string(),
            Tok::Op(o) => format!("`{o}`"),
            Tok::Newline => "the end of the line".to_string(),
            Tok::Indent => "an indented block".to_string(),
            Tok::Dedent | Tok::End => "the end of the block".to_string(),
        };
        LexError {
            offset: t.start,
            message: format!("expected {wanted}, found {found}"),
        }
    }

    fn expect_op(&mut self, op: &str) -> R<()> {
        if self.eat_op(op) {
            Ok(())
        } else {
            Err(self.unexpected(&format!("`{op}`")))
        }
    }

    fn name(&mut self) -> R<(String, usize)> {
        match &self.peek().tok {
            Tok::Name(n) if !is_keyword(n) => {
                let n = n.clone();
                let start = self.bump().start;
                Ok((n, start))
            }
            _ => Err(self.unexpected("a name")),
        }
    }

    fn end_of_statement(&mut self) -> R<()> {
        if self.eat_op(";") && !self.at(&Tok::Newline) {
            return Err(LexError {
                offset: self.peek().start,
                message: "put one statement per line".into(),
            });
        }
        match self.peek().tok {
            Tok::Newline => {
                self.pos += 1;
                Ok(())
            }
            Tok::End | Tok::Dedent => Ok(()),
            _ => Err(self.unexpected("the end of the statement")),
        }
    }
}

fn augmented(op: &str) -> Option<BinOp> {
    Some(match op {
        "+=" => BinOp::Add,
        "-=" => BinOp::Sub,
        "*=" => BinOp::Mul,
        "/=" => BinOp::Div,
        "|=" => BinOp::BitOr,
        "&=" => BinOp::BitAnd,
        _ => return None,
    })
}

fn check_target(target: &Expr) -> R<()> {
    match &target.kind {
        ExprKind::Name(_) | ExprKind::Subscript(..) => Ok(()),
        ExprKind::Tuple(items) | ExprKind::List(items) => items.iter().try_for_each(check_target),
        ExprKind::Attribute(..) => Err(LexError {
            offset: target.start,
            message: "assigning to an attribute is not supported in pipeline files".into(),
        }),
        _ => Err(LexError {
            offset: target.start,
            message: "cannot assign to this expression".into(),
        }),
    }
}

fn is_keyword(name: &str) -> bool {
    matches!(
        name,
        "and"
            | "as"
            | "assert"
            | "async"
            | "await"
            | "break"
            | "class"
            | "continue"
            | "def"
            | "del"
            | "elif"
            | "else"
            | "except"
            | "finally"
            | "for"
            | "from"
            | "global"
            | "if"
            | "import"
            | "in"
            | "is"
            | "lambda"
            | "nonlocal"
            | "not"
            | "or"
            | "pass"
            | "raise"
            | "return"
            | "try"
            | "while"
            | "with"
            | "yield"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::python::ast::{FPart, StmtKind};

    fn expr(text: &str) -> ExprKind {
        parse_expression(text, 0).unwrap().kind
    }

    #[test]
    fn test_decorated_function() {
        let module = parse_module("@dp.table(name=\"t\")\n@dp.expect(\"a\", \"x > 0\")\ndef t():\n    return spark.read.table(\"s\")\n").unwrap();
        let StmtKind::FunctionDef(def) = &module[0].kind else {
            panic!("def")
        };
        assert_eq!(
            (def.name.as_str(), def.decorators.len(), def.body.len()),
            ("t", 2, 1)
        );
    }

    #[test]
    fn test_operator_precedence_of_column_expressions() {
        // `&` binds tighter than `|`, comparisons need parentheses as in PySpark.
        let ExprKind::Binary(BinOp::BitOr, left, _) = expr("(a > 1) & (b < 2) | (c == 3)") else {
            panic!("or at top")
        };
        assert!(matches!(left.kind, ExprKind::Binary(BinOp::BitAnd, ..)));
    }

    #[test]
    fn test_fstring_parts_and_positions() {
        let ExprKind::FString(parts) = expr("f\"/Volumes/{catalog}/{schema}\"") else {
            panic!("fstring")
        };
        assert_eq!(parts.len(), 4);
        let FPart::Value { expr, .. } = &parts[1] else {
            panic!("value")
        };
        assert_eq!((expr.start, expr.end), (12, 19));
    }

    #[test]
    fn test_implicit_string_concatenation() {
        assert_eq!(expr("(\"a, \"\n \"b\")"), ExprKind::Str("a, b".into()));
    }

    #[test]
    fn test_unsupported_statement_is_located() {
        let err = parse_module("x = 1\ntry:\n    pass\nexcept Exception:\n    pass\n").unwrap_err();
        assert_eq!(err.offset, 6);
        assert!(err.message.contains("`try` is not supported"));
    }

    #[test]
    fn test_list_comprehension_and_lambda() {
        assert!(matches!(
            expr("[F.col(c) for c in cols if c != 'x']"),
            ExprKind::ListComp { .. }
        ));
        assert!(matches!(
            expr("lambda df: df.limit(1)"),
            ExprKind::Lambda(..)
        ));
    }

    #[test]
    fn test_chained_comparison_is_rejected() {
        assert!(
            parse_expression("1 < x < 3", 0)
                .unwrap_err()
                .message
                .contains("chained comparisons")
        );
    }

    #[test]
    fn test_multiple_assignment_targets() {
        let module = parse_module("a = b = 1\nc, d = 1, 2\n").unwrap();
        let StmtKind::Assign { targets, .. } = &module[0].kind else {
            panic!()
        };
        assert_eq!(targets.len(), 2);
    }
}
