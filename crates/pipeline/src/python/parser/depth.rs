//! How deep a Python file nests, bounded on its tokens before parsing: the parser, the
//! evaluator and dropping the tree all recurse once per level, and the page's stack is 1 MiB.
//! Left-deep chains (`a + b + ... + z`, `df.x().y().z()...`) are built in loops, so a bound on
//! brackets alone would miss them.
//!
//! The estimate is conservative: at each token, the operators and attribute steps chained so
//! far at every open bracket level (reset by `,`, `:`, `=` and line ends, which start a new
//! expression), plus [`BRACKET_COST`] per open bracket (a bracket costs the parser a dozen
//! frames, one per precedence level), plus the block indentation.

use super::super::lexer::{LexError, Tok, Token};

/// The deepest nesting the Python subset accepts. CPython stops at 200 open brackets and 100
/// indentation levels; pipeline code chains about 20 calls (a reader's `.option(...)`s) and
/// nests a few brackets.
pub const MAX_PY_NESTING: usize = 200;

/// What one open bracket counts: the descent from `expression` to `atom` takes about a dozen
/// recursive calls per bracket, an operator in a chain one or two.
const BRACKET_COST: usize = 8;

/// `Err` at the first token where the file nests deeper than [`MAX_PY_NESTING`].
pub(super) fn check(tokens: &[Token]) -> Result<(), LexError> {
    let mut outer: Vec<usize> = Vec::new();
    let (mut chain, mut outer_total, mut indent) = (0usize, 0usize, 0usize);
    for tok in tokens {
        match &tok.tok {
            Tok::Op("(" | "[" | "{") => {
                outer_total += chain + BRACKET_COST;
                outer.push(chain);
                chain = 0;
            }
            Tok::Op(")" | "]" | "}") => {
                if let Some(c) = outer.pop() {
                    outer_total -= c + BRACKET_COST;
                    chain = c;
                }
            }
            Tok::Op("," | ":" | ";" | "=") | Tok::Newline => chain = 0,
            Tok::Indent => indent += BRACKET_COST,
            Tok::Dedent => indent = indent.saturating_sub(BRACKET_COST),
            Tok::Op(_) => chain += 1,
            Tok::Name(n)
                if matches!(
                    n.as_str(),
                    "and" | "or" | "not" | "in" | "is" | "if" | "else" | "lambda" | "for"
                ) =>
            {
                chain += 1
            }
            _ => {}
        }
        if outer_total + chain + indent > MAX_PY_NESTING {
            return Err(LexError {
                offset: tok.start,
                message: format!(
                    "the code nests too deeply here (brackets, blocks and chained operators or calls count; at most {MAX_PY_NESTING}, MAX_PY_NESTING, so the engine fits the browser's stack): split it into named steps"
                ),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::python::lexer::tokenize;

    fn ok(text: &str) -> bool {
        check(&tokenize(text).unwrap()).is_ok()
    }

    #[test]
    fn test_reader_chains_pass_and_runaway_nesting_stops() {
        let chain = ".option(\"k\", \"v\")".repeat(40);
        assert!(ok(&format!("df = spark.readStream{chain}.load(p)\n")));
        assert!(ok(&format!("x = [{}]\n", "1, ".repeat(10_000))));
        assert!(!ok(&format!(
            "x = {}1{}\n",
            "(".repeat(100),
            ")".repeat(100)
        )));
        assert!(!ok(&format!("x = {}\n", vec!["1"; 1000].join(" + "))));
    }

    #[test]
    fn test_the_error_is_at_the_token_past_the_limit() {
        let text = format!("x = {}1{}\n", "[".repeat(60), "]".repeat(60));
        let err = check(&tokenize(&text).unwrap()).unwrap_err();
        // 200 / 8: the 26th bracket goes past the limit, at byte 4 + 25.
        assert_eq!(err.offset, 4 + MAX_PY_NESTING / BRACKET_COST);
    }
}
