//! Pipeline SQL files: `CREATE [OR REFRESH] STREAMING TABLE | MATERIALIZED VIEW | [TEMPORARY] VIEW
//! name [(CONSTRAINT n EXPECT (expr) [ON VIOLATION DROP ROW | FAIL UPDATE], col type, …)]
//! [PARTITIONED BY (…)] [COMMENT '…'] [TBLPROPERTIES (…)] AS query`, and `SET key = value`.
//!
//! The statement head is parsed here with positions; the query after `AS` (and each expectation)
//! goes to the query engine as a [`Fragment`] that maps its errors back into the file.

use std::collections::BTreeMap;

use super::decl::{DatasetInfo, DatasetKind};
use super::fragment::Fragment;
use super::sql_lexer::{Tok, Token, statements, tokenize};
use super::text::LineIndex;
use crate::diagnostic::{Diagnostic, Diagnostics, Location};

mod elements;

/// What a SQL file declares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SqlStatement {
    /// A dataset and its defining query.
    Dataset {
        /// Name, kind, expectations, properties.
        info: Box<DatasetInfo>,
        /// The query after `AS`.
        query: Fragment,
    },
    /// `SET key = value`: configuration for the statements after it.
    Set {
        /// The key.
        key: String,
        /// The value.
        value: String,
    },
}

const SUPPORTED: &str = "pipeline SQL files hold `CREATE [OR REFRESH] STREAMING TABLE | MATERIALIZED VIEW | [TEMPORARY] VIEW name … AS query` and `SET key = value` statements";

/// Parse every statement of a SQL source file. `${key}` references are substituted from
/// `configuration` (and earlier `SET`s). Every problem is reported.
///
/// # Examples
/// ```
/// use pipeline::sources::sql::{parse_file, SqlStatement};
/// let text = "CREATE OR REFRESH MATERIALIZED VIEW gold (\n  CONSTRAINT ok EXPECT (n > 0) ON VIOLATION DROP ROW\n) COMMENT 'g' AS SELECT 1 AS n";
/// let statements = parse_file("gold.sql", text, &Default::default()).unwrap();
/// let SqlStatement::Dataset { info, query } = &statements[0] else { panic!() };
/// assert_eq!((info.name.as_str(), info.expectations[0].sql.as_str()), ("gold", "n > 0"));
/// assert_eq!(query.text, "SELECT 1 AS n");
/// assert_eq!((query.start.line, query.start.column), (3, 18));
/// ```
pub fn parse_file(
    file: &str,
    text: &str,
    configuration: &BTreeMap<String, String>,
) -> Result<Vec<SqlStatement>, Diagnostics> {
    let index = LineIndex::new(text);
    let tokens = match tokenize(text) {
        Ok(tokens) => tokens,
        Err(e) => {
            let at = index.location(file, text, e.offset);
            return Err(Diagnostics(vec![Diagnostic::error(Some(at), e.message)]));
        }
    };
    let mut parser = Parser {
        file,
        text,
        index,
        configuration: configuration.clone(),
        out: Diagnostics::new(),
    };
    let mut result = Vec::new();
    for statement in statements(&tokens) {
        if let Some(parsed) = parser.statement(statement) {
            result.push(parsed);
        }
    }
    if parser.out.has_errors() {
        Err(parser.out)
    } else {
        Ok(result)
    }
}

struct Parser<'a> {
    file: &'a str,
    text: &'a str,
    index: LineIndex,
    configuration: BTreeMap<String, String>,
    out: Diagnostics,
}

/// A cursor over one statement's tokens.
struct Cursor<'t> {
    tokens: &'t [Token],
    pos: usize,
}

impl<'t> Cursor<'t> {
    fn peek(&self) -> Option<&'t Token> {
        self.tokens.get(self.pos)
    }
    fn peek_kw(&self, kw: &str) -> bool {
        self.peek().is_some_and(|t| t.is_kw(kw))
    }
    fn eat_kw(&mut self, kw: &str) -> bool {
        let hit = self.peek_kw(kw);
        self.pos += usize::from(hit);
        hit
    }
    fn eat(&mut self, c: char) -> bool {
        let hit = self.peek().is_some_and(|t| t.is(c));
        self.pos += usize::from(hit);
        hit
    }
    fn next(&mut self) -> Option<&'t Token> {
        let t = self.tokens.get(self.pos);
        self.pos += 1;
        t
    }
    fn last_end(&self) -> usize {
        self.tokens
            .get(self.pos.saturating_sub(1))
            .map_or(0, |t| t.end)
    }
}

type Fail = ();

impl Parser<'_> {
    fn at(&self, offset: usize) -> Location {
        self.index.location(self.file, self.text, offset)
    }

    fn fail(&mut self, offset: usize, message: impl Into<String>) -> Option<Fail> {
        let d = Diagnostic::error(Some(self.at(offset)), message.into());
        self.out.push(d);
        None
    }

    fn expected(&mut self, cursor: &Cursor<'_>, what: &str) -> Option<Fail> {
        match cursor.peek() {
            Some(t) => {
                let found = &self.text[t.start..t.end];
                self.fail(t.start, format!("expected {what}, found `{found}`"))
            }
            None => self.fail(
                cursor.last_end(),
                format!("expected {what} before the end of the statement"),
            ),
        }
    }

    fn statement(&mut self, tokens: &[Token]) -> Option<SqlStatement> {
        let mut c = Cursor { tokens, pos: 0 };
        if c.eat_kw("SET") {
            return self.set(&mut c);
        }
        if !c.eat_kw("CREATE") {
            self.fail(
                tokens[0].start,
                format!("unsupported statement: {SUPPORTED}"),
            );
            return None;
        }
        let mut info = DatasetInfo::default();
        if c.eat_kw("OR") && !(c.eat_kw("REFRESH") || c.eat_kw("REPLACE")) {
            self.expected(&c, "REFRESH after CREATE OR");
            return None;
        }
        info.private = c.eat_kw("PRIVATE");
        let temporary = c.eat_kw("TEMPORARY") || c.eat_kw("TEMP");
        info.kind = self.kind(&mut c, temporary)?;
        if c.eat_kw("IF") && !(c.eat_kw("NOT") && c.eat_kw("EXISTS")) {
            self.expected(&c, "IF NOT EXISTS");
            return None;
        }
        let (name, name_at) = self.name(&mut c)?;
        info.name = name;
        info.location = self.at(name_at);
        if c.peek().is_some_and(|t| t.is('(')) {
            self.elements(&mut c, &mut info)?;
        }
        self.clauses(&mut c, &mut info)?;
        if !c.eat_kw("AS") {
            self.expected(
                &c,
                "AS followed by the dataset's query (or COMMENT, TBLPROPERTIES, PARTITIONED BY)",
            );
            return None;
        }
        let Some(first) = c.peek() else {
            self.expected(&c, "a query after AS");
            return None;
        };
        let end = tokens.last().map_or(first.start, |t| t.end);
        let original = &self.text[first.start..end];
        let configuration = &self.configuration;
        let query = Fragment::substituted(original, self.at(first.start), |k| {
            configuration.get(k).cloned()
        });
        Some(SqlStatement::Dataset {
            info: Box::new(info),
            query,
        })
    }

    fn set(&mut self, c: &mut Cursor<'_>) -> Option<SqlStatement> {
        let start = c.peek().map_or(0, |t| t.start);
        let eq = c.tokens.iter().position(|t| t.is('='));
        let Some(eq) = eq else {
            self.fail(start, "expected `SET key = value`");
            return None;
        };
        let key_end = c.tokens[eq - 1].end;
        let key = self.text[start..key_end].trim().to_string();
        let value = match c.tokens.get(eq + 1..) {
            Some([single]) if matches!(single.tok, Tok::Str(_)) => match &single.tok {
                Tok::Str(s) => s.clone(),
                _ => unreachable!(),
            },
            Some(rest) if !rest.is_empty() => {
                self.text[rest[0].start..rest[rest.len() - 1].end].to_string()
            }
            _ => String::new(),
        };
        self.configuration.insert(key.clone(), value.clone());
        Some(SqlStatement::Set { key, value })
    }

    fn kind(&mut self, c: &mut Cursor<'_>, temporary: bool) -> Option<DatasetKind> {
        if c.eat_kw("STREAMING") {
            c.eat_kw("LIVE");
            if c.eat_kw("TABLE") {
                return Some(DatasetKind::StreamingTable);
            }
            self.expected(c, "TABLE after STREAMING");
            return None;
        }
        if c.eat_kw("MATERIALIZED") {
            if c.eat_kw("VIEW") {
                return Some(DatasetKind::MaterializedView);
            }
            self.expected(c, "VIEW after MATERIALIZED");
            return None;
        }
        c.eat_kw("LIVE");
        if c.eat_kw("VIEW") {
            return Some(DatasetKind::View);
        }
        if c.eat_kw("TABLE") {
            // `CREATE [TEMPORARY] LIVE TABLE` is the older spelling of a materialized view.
            let _ = temporary;
            return Some(DatasetKind::MaterializedView);
        }
        if c.peek_kw("FLOW") || c.peek_kw("SINK") {
            let t = c.peek().map_or(0, |t| t.start);
            self.fail(
                t,
                format!("`CREATE FLOW` and sinks are not supported in the workbook; {SUPPORTED}"),
            );
            return None;
        }
        self.expected(c, "STREAMING TABLE, MATERIALIZED VIEW or [TEMPORARY] VIEW");
        None
    }

    /// A possibly qualified name; a leading `LIVE.` is dropped.
    fn name(&mut self, c: &mut Cursor<'_>) -> Option<(String, usize)> {
        let mut parts = Vec::new();
        let start = c.peek().map_or(0, |t| t.start);
        loop {
            match c.peek().and_then(Token::ident) {
                Some(part) => {
                    parts.push(part.to_string());
                    c.next();
                }
                None => {
                    self.expected(c, "the dataset's name");
                    return None;
                }
            }
            if !c.eat('.') {
                break;
            }
        }
        if parts.len() > 1 && parts[0].eq_ignore_ascii_case("live") {
            parts.remove(0);
        }
        Some((parts.join("."), start))
    }
}

#[cfg(test)]
mod tests;
