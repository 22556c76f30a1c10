//! Parsing Spark DDL type names (`int`, `decimal(10,2)`, `array<struct<a:int,b:string>>`).

use crate::error::{ErrorClass, QueryError, Result};
use crate::types::{DayTimeField, SparkType, StructField, YearMonthField};

/// Spark's largest decimal precision.
pub const MAX_DECIMAL_PRECISION: u8 = 38;
/// The precision of a bare `DECIMAL` (Spark's `DecimalType.USER_DEFAULT` is `decimal(10,0)`).
pub const DEFAULT_DECIMAL_PRECISION: u8 = 10;

/// Parse a Spark SQL type name as written in `CAST(x AS <type>)` or a table schema.
///
/// Accepts Spark's aliases (`integer`, `long`, `short`, `byte`, `real`, `dec`, `numeric`,
/// `varchar(n)` and `char(n)` read as `string`), a bare `decimal` (= `decimal(10,0)`),
/// nested `array<…>`, `map<…,…>` and `struct<a:int,b string>`, and ANSI interval types
/// (`interval day to second`). Names are case-insensitive.
///
/// # Errors
/// `UNSUPPORTED_DATATYPE` for an unknown name, `DECIMAL_PRECISION_EXCEEDS_MAX_PRECISION` for
/// `decimal(39,0)`, `INVALID_SCHEMA` style syntax problems as `PARSE_SYNTAX_ERROR`-like
/// analysis errors naming the offending text.
///
/// # Examples
/// ```
/// use query::types::{parse_type_name, SparkType};
/// assert_eq!(parse_type_name("DECIMAL(10, 2)").unwrap(), SparkType::Decimal(10, 2));
/// assert_eq!(parse_type_name("numeric").unwrap(), SparkType::Decimal(10, 0));
/// assert_eq!(parse_type_name("array<long>").unwrap().to_string(), "array<bigint>");
/// assert!(parse_type_name("int4").is_err());
/// ```
pub fn parse_type_name(text: &str) -> Result<SparkType> {
    let mut parser = TypeParser {
        tokens: tokenize(text)?,
        pos: 0,
        text,
    };
    let parsed = parser.parse_type()?;
    if let Some(token) = parser.peek() {
        return Err(syntax(
            text,
            &format!("unexpected `{}` after the type", token.text()),
        ));
    }
    Ok(parsed)
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(String),
    Number(u64),
    Symbol(char),
}

impl Token {
    fn text(&self) -> String {
        match self {
            Token::Word(w) => w.clone(),
            Token::Number(n) => n.to_string(),
            Token::Symbol(c) => c.to_string(),
        }
    }
}

fn tokenize(text: &str) -> Result<Vec<Token>> {
    let mut tokens = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if c.is_whitespace() {
            continue;
        }
        if c == '`' {
            let mut name = String::new();
            loop {
                match chars.next() {
                    Some((_, '`')) if chars.peek().map(|p| p.1) == Some('`') => {
                        chars.next();
                        name.push('`');
                    }
                    Some((_, '`')) => break,
                    Some((_, other)) => name.push(other),
                    None => return Err(syntax(text, "unclosed back-quoted name")),
                }
            }
            tokens.push(Token::Word(name));
        } else if c.is_ascii_digit() {
            let mut end = start + c.len_utf8();
            while let Some(&(i, d)) = chars.peek() {
                if !d.is_ascii_digit() {
                    break;
                }
                end = i + d.len_utf8();
                chars.next();
            }
            let number = text[start..end].parse().map_err(|_| {
                syntax(
                    text,
                    &format!("number `{}` is too large", &text[start..end]),
                )
            })?;
            tokens.push(Token::Number(number));
        } else if c.is_alphanumeric() || c == '_' {
            let mut end = start + c.len_utf8();
            while let Some(&(i, d)) = chars.peek() {
                if !(d.is_alphanumeric() || d == '_') {
                    break;
                }
                end = i + d.len_utf8();
                chars.next();
            }
            tokens.push(Token::Word(text[start..end].to_string()));
        } else if "<>(),:".contains(c) {
            tokens.push(Token::Symbol(c));
        } else {
            return Err(syntax(text, &format!("unexpected character `{c}`")));
        }
    }
    Ok(tokens)
}

struct TypeParser<'a> {
    tokens: Vec<Token>,
    pos: usize,
    text: &'a str,
}

impl TypeParser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.pos).cloned();
        self.pos += 1;
        token
    }

    fn eat_symbol(&mut self, symbol: char) -> bool {
        if self.peek() == Some(&Token::Symbol(symbol)) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect_symbol(&mut self, symbol: char) -> Result<()> {
        if self.eat_symbol(symbol) {
            Ok(())
        } else {
            let found = self
                .peek()
                .map_or("the end".to_string(), |t| format!("`{}`", t.text()));
            Err(syntax(
                self.text,
                &format!("expected `{symbol}` but found {found}"),
            ))
        }
    }

    fn eat_word(&mut self, word: &str) -> bool {
        match self.peek() {
            Some(Token::Word(w)) if w.eq_ignore_ascii_case(word) => {
                self.pos += 1;
                true
            }
            _ => false,
        }
    }

    fn number(&mut self) -> Result<u64> {
        match self.next() {
            Some(Token::Number(n)) => Ok(n),
            other => Err(syntax(
                self.text,
                &format!("expected a number but found {}", describe(other.as_ref())),
            )),
        }
    }

    fn parse_type(&mut self) -> Result<SparkType> {
        let word = match self.next() {
            Some(Token::Word(w)) => w.to_ascii_lowercase(),
            other => {
                return Err(syntax(
                    self.text,
                    &format!(
                        "expected a type name but found {}",
                        describe(other.as_ref())
                    ),
                ));
            }
        };
        Ok(match word.as_str() {
            "boolean" | "bool" => SparkType::Boolean,
            "tinyint" | "byte" => SparkType::Byte,
            "smallint" | "short" => SparkType::Short,
            "int" | "integer" => SparkType::Int,
            "bigint" | "long" => SparkType::Long,
            "float" | "real" => SparkType::Float,
            "double" => SparkType::Double,
            "string" => SparkType::String,
            "varchar" | "char" | "character" => {
                // Spark reads CHAR(n)/VARCHAR(n) as STRING in query results.
                if self.eat_symbol('(') {
                    self.number()?;
                    self.expect_symbol(')')?;
                }
                SparkType::String
            }
            "binary" => SparkType::Binary,
            "date" => SparkType::Date,
            "timestamp" | "timestamp_ltz" => SparkType::Timestamp,
            "timestamp_ntz" => SparkType::TimestampNtz,
            "void" => SparkType::Null,
            "decimal" | "dec" | "numeric" => self.decimal()?,
            "interval" => self.interval()?,
            "array" => {
                self.expect_symbol('<')?;
                let element = self.parse_type()?;
                self.expect_symbol('>')?;
                SparkType::Array(Box::new(element))
            }
            "map" => {
                self.expect_symbol('<')?;
                let key = self.parse_type()?;
                self.expect_symbol(',')?;
                let value = self.parse_type()?;
                self.expect_symbol('>')?;
                SparkType::Map(Box::new(key), Box::new(value))
            }
            "struct" => self.struct_fields()?,
            _ => {
                return Err(QueryError::analysis(
                    ErrorClass::UnsupportedDatatype,
                    format!("Unsupported data type \"{}\".", word.to_ascii_uppercase()),
                ));
            }
        })
    }

    fn decimal(&mut self) -> Result<SparkType> {
        if !self.eat_symbol('(') {
            return Ok(SparkType::Decimal(DEFAULT_DECIMAL_PRECISION, 0));
        }
        let precision = self.number()?;
        let scale = if self.eat_symbol(',') {
            self.number()?
        } else {
            0
        };
        self.expect_symbol(')')?;
        if precision > u64::from(MAX_DECIMAL_PRECISION) || precision == 0 {
            return Err(QueryError::analysis(
                ErrorClass::DecimalPrecisionExceedsMaxPrecision,
                format!(
                    "Decimal precision {precision} exceeds max precision {MAX_DECIMAL_PRECISION}."
                ),
            ));
        }
        if scale > precision {
            return Err(QueryError::analysis(
                ErrorClass::InvalidParameterValue,
                format!("decimal scale {scale} is larger than its precision {precision}"),
            ));
        }
        // Both are at most 38 here.
        Ok(SparkType::Decimal(precision as u8, scale as i8))
    }

    fn interval(&mut self) -> Result<SparkType> {
        let Some(Token::Word(start)) = self.peek().cloned() else {
            return Ok(SparkType::CalendarInterval);
        };
        self.pos += 1;
        let end = if self.eat_word("to") {
            match self.next() {
                Some(Token::Word(w)) => Some(w),
                other => {
                    return Err(syntax(
                        self.text,
                        &format!(
                            "expected an interval unit but found {}",
                            describe(other.as_ref())
                        ),
                    ));
                }
            }
        } else {
            None
        };
        interval_type(&start, end.as_deref()).ok_or_else(|| {
            syntax(
                self.text,
                &format!("`{}` is not a valid interval type", self.text.trim()),
            )
        })
    }

    fn struct_fields(&mut self) -> Result<SparkType> {
        self.expect_symbol('<')?;
        let mut fields = Vec::new();
        if self.eat_symbol('>') {
            return Ok(SparkType::Struct(fields));
        }
        loop {
            let name = match self.next() {
                Some(Token::Word(w)) => w,
                other => {
                    return Err(syntax(
                        self.text,
                        &format!(
                            "expected a field name but found {}",
                            describe(other.as_ref())
                        ),
                    ));
                }
            };
            self.eat_symbol(':');
            let data_type = self.parse_type()?;
            // `NOT NULL` and `COMMENT '...'` are not part of simpleString types; accept the former.
            let nullable = !(self.eat_word("not") && self.eat_word("null"));
            fields.push(StructField {
                name,
                data_type,
                nullable,
            });
            if self.eat_symbol('>') {
                return Ok(SparkType::Struct(fields));
            }
            self.expect_symbol(',')?;
        }
    }
}

/// The ANSI interval type `interval <start> [to <end>]`, from unit names (singular or plural,
/// any case). `None` when the units are unknown, mix year-month with day-time units, or run
/// backwards (`second to day`).
pub fn interval_type(start: &str, end: Option<&str>) -> Option<SparkType> {
    let start = interval_unit(start)?;
    let end = match end {
        Some(e) => interval_unit(e)?,
        None => start,
    };
    match (start, end) {
        (IntervalField::YearMonth(s), IntervalField::YearMonth(e)) if s <= e => {
            Some(SparkType::YearMonthInterval(s, e))
        }
        (IntervalField::DayTime(s), IntervalField::DayTime(e)) if s <= e => {
            Some(SparkType::DayTimeInterval(s, e))
        }
        _ => None,
    }
}

/// A unit of an ANSI interval type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IntervalField {
    YearMonth(YearMonthField),
    DayTime(DayTimeField),
}

/// Read `year`/`years`/`month`/`day`/`hours`/`minute`/`seconds`... (case-insensitive).
pub(crate) fn interval_unit(word: &str) -> Option<IntervalField> {
    let lower = word.to_ascii_lowercase();
    let singular = lower.strip_suffix('s').unwrap_or(&lower);
    Some(match singular {
        "year" => IntervalField::YearMonth(YearMonthField::Year),
        "month" => IntervalField::YearMonth(YearMonthField::Month),
        "day" => IntervalField::DayTime(DayTimeField::Day),
        "hour" => IntervalField::DayTime(DayTimeField::Hour),
        "minute" => IntervalField::DayTime(DayTimeField::Minute),
        "second" => IntervalField::DayTime(DayTimeField::Second),
        _ => return None,
    })
}

fn describe(token: Option<&Token>) -> String {
    token.map_or("the end".to_string(), |t| format!("`{}`", t.text()))
}

fn syntax(text: &str, problem: &str) -> QueryError {
    QueryError::analysis(
        ErrorClass::ParseSyntaxError,
        format!("Syntax error in the data type `{text}`: {problem}."),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> SparkType {
        parse_type_name(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn test_parse_type_name_aliases() {
        assert_eq!(parse("INTEGER"), SparkType::Int);
        assert_eq!(parse("long"), SparkType::Long);
        assert_eq!(parse("Short"), SparkType::Short);
        assert_eq!(parse("byte"), SparkType::Byte);
        assert_eq!(parse("real"), SparkType::Float);
        assert_eq!(parse("varchar(20)"), SparkType::String);
        assert_eq!(parse("char(3)"), SparkType::String);
        assert_eq!(parse("dec(5,2)"), SparkType::Decimal(5, 2));
        assert_eq!(parse("decimal(7)"), SparkType::Decimal(7, 0));
        assert_eq!(parse("DECIMAL"), SparkType::Decimal(10, 0));
        assert_eq!(parse("timestamp_ltz"), SparkType::Timestamp);
    }

    #[test]
    fn test_parse_type_name_nested() {
        assert_eq!(
            parse("array<struct<a:int, `b c`: string>>").to_string(),
            "array<struct<a:int,b c:string>>"
        );
        assert_eq!(
            parse("struct<a int, b array<double>>").to_string(),
            "struct<a:int,b:array<double>>"
        );
        assert_eq!(
            parse("map<string, bigint>").to_string(),
            "map<string,bigint>"
        );
    }

    #[test]
    fn test_parse_type_name_intervals() {
        assert_eq!(
            parse("interval day to second").to_string(),
            "interval day to second"
        );
        assert_eq!(parse("INTERVAL HOUR").to_string(), "interval hour");
        assert_eq!(
            parse("interval year to month").to_string(),
            "interval year to month"
        );
        assert_eq!(parse("interval"), SparkType::CalendarInterval);
        assert!(parse_type_name("interval second to day").is_err());
        assert!(parse_type_name("interval year to day").is_err());
    }

    #[test]
    fn test_parse_type_name_errors() {
        let e = parse_type_name("int4").unwrap_err();
        assert_eq!(e.error_class(), ErrorClass::UnsupportedDatatype);
        assert!(e.to_string().contains("INT4"));
        let e = parse_type_name("decimal(39,2)").unwrap_err();
        assert_eq!(e.class(), "DECIMAL_PRECISION_EXCEEDS_MAX_PRECISION");
        assert!(parse_type_name("decimal(4,5)").is_err());
        assert!(parse_type_name("array<int").is_err());
        assert!(parse_type_name("int int").is_err());
        assert!(parse_type_name("").is_err());
        assert!(parse_type_name("decimal(99999999999999999999999,1)").is_err());
    }
}
