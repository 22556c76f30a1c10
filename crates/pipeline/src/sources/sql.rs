//! Pipeline SQL files: `CREATE [OR REFRESH] STREAMING TABLE | MATERIALIZED VIEW | [TEMPORARY] VIEW
//! name [(CONSTRAINT n EXPECT (expr) [ON VIOLATION DROP ROW | FAIL UPDATE], col type, …)]
//! [PARTITIONED BY (…)] [COMMENT '…'] [TBLPROPERTIES (…)] AS query`, and `SET key = value`.
//!
//! The statement head is parsed here with positions; the query after `AS` (and each expectation)
//! goes to the query engine as a [`Fragment`] that maps its errors back into the file.

use std::collections::BTreeMap;

use super::decl::{ColumnDecl, DatasetInfo, DatasetKind, Expectation, OnViolation};
use super::fragment::Fragment;
use super::sql_lexer::{Tok, Token, statements, tokenize};
use super::text::LineIndex;
use crate::diagnostic::{Diagnostic, Diagnostics, Location};

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

    /// `( CONSTRAINT … EXPECT (…) …, col type …, … )`
    fn elements(&mut self, c: &mut Cursor<'_>, info: &mut DatasetInfo) -> Option<()> {
        c.next(); // (
        loop {
            if c.eat_kw("CONSTRAINT") {
                self.constraint(c, info)?;
            } else if c.peek_kw("PRIMARY") || c.peek_kw("FOREIGN") {
                // Informational keys: accepted, not enforced (as on Databricks).
                skip_until_comma(c);
            } else {
                self.column(c, info)?;
            }
            if c.eat(',') {
                continue;
            }
            if c.eat(')') {
                return Some(());
            }
            self.expected(c, "`,` or `)` in the column and constraint list");
            return None;
        }
    }

    fn constraint(&mut self, c: &mut Cursor<'_>, info: &mut DatasetInfo) -> Option<()> {
        let name_token = c.peek();
        let Some(name) = name_token.and_then(Token::ident).map(str::to_string) else {
            self.expected(c, "the constraint's name");
            return None;
        };
        c.next();
        if !c.eat_kw("EXPECT") {
            self.expected(c, "EXPECT (condition) after the constraint name");
            return None;
        }
        if !c.peek().is_some_and(|t| t.is('(')) {
            self.expected(c, "`(` around the expectation's condition");
            return None;
        }
        let open = c.next().map_or(0, |t| t.end);
        let close = matching_paren(c)?;
        let sql = self.text[open..close].trim();
        let lead = self.text[open..close].len() - self.text[open..close].trim_start().len();
        let mut action = OnViolation::Warn;
        if c.eat_kw("ON") {
            if !c.eat_kw("VIOLATION") {
                self.expected(c, "VIOLATION after ON");
                return None;
            }
            if c.eat_kw("DROP") && c.eat_kw("ROW") {
                action = OnViolation::Drop;
            } else if c.eat_kw("FAIL") && c.eat_kw("UPDATE") {
                action = OnViolation::Fail;
            } else {
                self.expected(c, "DROP ROW or FAIL UPDATE");
                return None;
            }
        }
        if let Some(first) = info.expectations.iter().find(|e| e.name == name) {
            let message = format!(
                "expectation `{name}` is declared twice (first at {})",
                first.location
            );
            self.fail(name_token.map_or(0, |t| t.start), message);
        }
        let location = self.at(open + lead);
        info.expectations.push(Expectation {
            name,
            sql: sql.to_string(),
            location,
            action,
        });
        Some(())
    }

    fn column(&mut self, c: &mut Cursor<'_>, info: &mut DatasetInfo) -> Option<()> {
        let Some(name_token) = c.peek() else {
            self.expected(c, "a column definition or CONSTRAINT");
            return None;
        };
        let Some(name) = name_token.ident().map(str::to_string) else {
            self.expected(c, "a column definition or CONSTRAINT");
            return None;
        };
        c.next();
        let type_start = c.peek().map_or(0, |t| t.start);
        let mut depth = 0i32;
        let mut type_end = type_start;
        while let Some(t) = c.peek() {
            if depth == 0
                && (t.is(',')
                    || t.is(')')
                    || t.is_kw("COMMENT")
                    || t.is_kw("NOT")
                    || t.is_kw("GENERATED")
                    || t.is_kw("DEFAULT"))
            {
                break;
            }
            if t.is('(') || t.is('<') {
                depth += 1;
            } else if t.is(')') || t.is('>') {
                depth -= 1;
            }
            type_end = t.end;
            c.next();
        }
        if type_end == type_start {
            self.expected(c, &format!("a type for column `{name}`"));
            return None;
        }
        // Column options (NOT NULL, COMMENT '…') are accepted as documentation.
        skip_until_comma(c);
        info.columns.push(ColumnDecl {
            name,
            type_name: self.text[type_start..type_end].to_string(),
            location: self.at(name_token.start),
        });
        Some(())
    }

    fn clauses(&mut self, c: &mut Cursor<'_>, info: &mut DatasetInfo) -> Option<()> {
        loop {
            if c.eat_kw("COMMENT") {
                match c.next().map(|t| &t.tok) {
                    Some(Tok::Str(s)) => info.comment = Some(s.clone()),
                    _ => {
                        c.pos -= 1;
                        self.expected(c, "a string after COMMENT");
                        return None;
                    }
                }
            } else if c.eat_kw("TBLPROPERTIES") {
                self.properties(c, info)?;
            } else if c.eat_kw("PARTITIONED") || c.eat_kw("CLUSTER") {
                if !c.eat_kw("BY") {
                    self.expected(c, "BY");
                    return None;
                }
                info.partition_cols = self.column_list(c)?;
            } else if c.eat_kw("USING") || c.eat_kw("LOCATION") {
                c.next();
            } else {
                return Some(());
            }
        }
    }

    fn column_list(&mut self, c: &mut Cursor<'_>) -> Option<Vec<String>> {
        if !c.eat('(') {
            self.expected(c, "`(` and a list of columns");
            return None;
        }
        let mut cols = Vec::new();
        loop {
            match c.next().and_then(Token::ident) {
                Some(name) => cols.push(name.to_string()),
                None => {
                    c.pos -= 1;
                    self.expected(c, "a column name");
                    return None;
                }
            }
            if c.eat(')') {
                return Some(cols);
            }
            if !c.eat(',') {
                self.expected(c, "`,` or `)`");
                return None;
            }
        }
    }

    fn properties(&mut self, c: &mut Cursor<'_>, info: &mut DatasetInfo) -> Option<()> {
        if !c.eat('(') {
            self.expected(c, "`(` after TBLPROPERTIES");
            return None;
        }
        loop {
            let key_start = c.peek().map_or(0, |t| t.start);
            let key = match c.peek().map(|t| &t.tok) {
                Some(Tok::Str(s)) => {
                    c.next();
                    s.clone()
                }
                _ => {
                    while c.peek().is_some_and(|t| t.ident().is_some() || t.is('.')) {
                        c.next();
                    }
                    self.text[key_start..c.last_end().max(key_start)].to_string()
                }
            };
            if key.is_empty() {
                self.expected(c, "a property name");
                return None;
            }
            c.eat('=');
            let value = match c.next().map(|t| &t.tok) {
                Some(Tok::Str(s) | Tok::Word(s) | Tok::Number(s)) => s.clone(),
                _ => {
                    c.pos -= 1;
                    self.expected(c, "a property value");
                    return None;
                }
            };
            info.table_properties.insert(key, value);
            if c.eat(')') {
                return Some(());
            }
            if !c.eat(',') {
                self.expected(c, "`,` or `)` in TBLPROPERTIES");
                return None;
            }
        }
    }
}

/// After an opening `(` was consumed: advance past its matching `)`, returning the `)`'s offset.
fn matching_paren(c: &mut Cursor<'_>) -> Option<usize> {
    let mut depth = 1;
    while let Some(t) = c.next() {
        if t.is('(') {
            depth += 1;
        } else if t.is(')') {
            depth -= 1;
            if depth == 0 {
                return Some(t.start);
            }
        }
    }
    None
}

fn skip_until_comma(c: &mut Cursor<'_>) {
    let mut depth = 0;
    while let Some(t) = c.peek() {
        if depth == 0 && (t.is(',') || t.is(')')) {
            return;
        }
        if t.is('(') {
            depth += 1;
        } else if t.is(')') {
            depth -= 1;
        }
        c.next();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Vec<SqlStatement>, Diagnostics> {
        let conf = BTreeMap::from([("schema".to_string(), "iot".to_string())]);
        parse_file("t.sql", text, &conf)
    }

    fn first_error(text: &str) -> String {
        parse(text).unwrap_err().0[0].to_string()
    }

    #[test]
    fn test_streaming_table_with_expectations_and_actions() {
        let text = "CREATE OR REFRESH STREAMING TABLE inspection_bronze (\n  CONSTRAINT `valid timestamp` EXPECT (`timestamp` is not null) ON VIOLATION DROP ROW,\n  CONSTRAINT ok EXPECT (x > 0) ON VIOLATION FAIL UPDATE,\n  CONSTRAINT w EXPECT (y > 0)\n) COMMENT 'Loads raw inspection files' TBLPROPERTIES ('quality' = 'bronze')\nAS SELECT * FROM STREAM read_files('/Volumes/default/${schema}/inspection_bronze')";
        let statements = parse(text).unwrap();
        let SqlStatement::Dataset { info, query } = &statements[0] else {
            panic!("dataset")
        };
        assert_eq!(info.kind, DatasetKind::StreamingTable);
        let actions: Vec<_> = info
            .expectations
            .iter()
            .map(|e| (e.name.as_str(), e.action))
            .collect();
        assert_eq!(
            actions,
            [
                ("valid timestamp", OnViolation::Drop),
                ("ok", OnViolation::Fail),
                ("w", OnViolation::Warn)
            ]
        );
        assert_eq!(info.expectations[0].location, Location::new("t.sql", 2, 40));
        assert_eq!(info.comment.as_deref(), Some("Loads raw inspection files"));
        assert_eq!(
            info.table_properties.get("quality").map(String::as_str),
            Some("bronze")
        );
        assert!(
            query
                .text
                .ends_with("read_files('/Volumes/default/iot/inspection_bronze')")
        );
        assert_eq!(query.start, Location::new("t.sql", 6, 4));
    }

    #[test]
    fn test_kinds_and_live_prefix() {
        let text = "CREATE TEMPORARY VIEW v AS SELECT 1; CREATE MATERIALIZED VIEW LIVE.m AS SELECT 2; CREATE LIVE TABLE l AS SELECT 3";
        let kinds: Vec<_> = parse(text)
            .unwrap()
            .into_iter()
            .map(|s| match s {
                SqlStatement::Dataset { info, .. } => (info.name.clone(), info.kind),
                SqlStatement::Set { .. } => panic!("no SET here"),
            })
            .collect();
        assert_eq!(
            kinds,
            [
                ("v".to_string(), DatasetKind::View),
                ("m".to_string(), DatasetKind::MaterializedView),
                ("l".to_string(), DatasetKind::MaterializedView),
            ]
        );
    }

    #[test]
    fn test_columns_and_partitioning() {
        let text = "CREATE MATERIALIZED VIEW g (device_id INT NOT NULL COMMENT 'id', amount DECIMAL(10, 2)) PARTITIONED BY (device_id) AS SELECT 1";
        let SqlStatement::Dataset { info, .. } = &parse(text).unwrap()[0] else {
            panic!()
        };
        let cols: Vec<_> = info
            .columns
            .iter()
            .map(|c| (c.name.as_str(), c.type_name.as_str()))
            .collect();
        assert_eq!(cols, [("device_id", "INT"), ("amount", "DECIMAL(10, 2)")]);
        assert_eq!(info.partition_cols, ["device_id"]);
    }

    #[test]
    fn test_errors_point_at_offending_token() {
        assert_eq!(
            first_error("CREATE STREAMING VIEW x AS SELECT 1"),
            "t.sql:1:18: error: expected TABLE after STREAMING, found `VIEW`"
        );
        assert_eq!(
            first_error("CREATE MATERIALIZED VIEW x\n  SELECT 1"),
            "t.sql:2:3: error: expected AS followed by the dataset's query (or COMMENT, TBLPROPERTIES, PARTITIONED BY), found `SELECT`"
        );
        assert!(first_error("SELECT 1").starts_with("t.sql:1:1: error: unsupported statement"));
        assert_eq!(
            first_error(
                "CREATE MATERIALIZED VIEW x (CONSTRAINT c EXPECT (a) ON VIOLATION DROP) AS SELECT 1"
            ),
            "t.sql:1:70: error: expected DROP ROW or FAIL UPDATE, found `)`"
        );
    }

    #[test]
    fn test_every_statement_error_is_reported() {
        let errors = parse("CREATE VIEW a SELECT 1; CREATE TABLE AS SELECT 2; CREATE MATERIALIZED VIEW ok AS SELECT 3").unwrap_err();
        assert_eq!(errors.len(), 2);
    }

    #[test]
    fn test_set_feeds_later_substitution() {
        let statements =
            parse("SET my.path = '/x';\nCREATE MATERIALIZED VIEW a AS SELECT '${my.path}' AS p")
                .unwrap();
        let SqlStatement::Dataset { query, .. } = &statements[1] else {
            panic!()
        };
        assert_eq!(query.text, "SELECT '/x' AS p");
    }
}
