//! The parenthesised elements of a dataset declaration (`CONSTRAINT … EXPECT`, column
//! declarations) and the clauses after it (`PARTITIONED BY`, `COMMENT`, `TBLPROPERTIES`).

use super::super::decl::{ColumnDecl, DatasetInfo, Expectation, OnViolation};
use super::super::sql_lexer::{Tok, Token};
use super::{Cursor, Parser};

impl Parser<'_> {
    /// `( CONSTRAINT … EXPECT (…) …, col type …, … )`
    pub(super) fn elements(&mut self, c: &mut Cursor<'_>, info: &mut DatasetInfo) -> Option<()> {
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

    pub(super) fn constraint(&mut self, c: &mut Cursor<'_>, info: &mut DatasetInfo) -> Option<()> {
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

    pub(super) fn column(&mut self, c: &mut Cursor<'_>, info: &mut DatasetInfo) -> Option<()> {
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

    pub(super) fn clauses(&mut self, c: &mut Cursor<'_>, info: &mut DatasetInfo) -> Option<()> {
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

    pub(super) fn column_list(&mut self, c: &mut Cursor<'_>) -> Option<Vec<String>> {
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

    pub(super) fn properties(&mut self, c: &mut Cursor<'_>, info: &mut DatasetInfo) -> Option<()> {
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
