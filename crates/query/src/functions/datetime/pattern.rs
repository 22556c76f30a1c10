//! Java `DateTimeFormatter` patterns as Spark uses them (`yyyy-MM-dd HH:mm:ss.SSS`,
//! `MMM d, yyyy`, `EEEE`, `a`, `XXX`), for formatting and strict parsing in UTC.

use crate::error::{ErrorClass, QueryError, Result};
use crate::functions::datetime::calendar::{
    MICROS_PER_DAY, MICROS_PER_HOUR, MICROS_PER_MINUTE, MICROS_PER_SECOND, checked_days_from_civil,
    civil_from_days, days_from_civil, split_micros, weekday,
};

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// How Java prints the session zone (UTC) for zone letter `c` repeated `n` times.
fn utc_zone_text(c: char, n: usize) -> &'static str {
    match (c, n) {
        ('X', _) | ('Z', 5) => "Z",
        ('x', 1) => "+00",
        ('x', 3 | 5) => "+00:00",
        ('O', _) | ('Z', 4) => "GMT",
        ('x' | 'Z', _) => "+0000",
        ('z', 4) => "Coordinated Universal Time",
        _ => "UTC",
    }
}

/// One element of a pattern.
#[derive(Debug, Clone, PartialEq)]
enum Token {
    /// A pattern letter repeated `count` times.
    Field(char, usize),
    /// Text copied as is.
    Literal(String),
}

/// A compiled datetime pattern.
#[derive(Debug, Clone, PartialEq)]
pub struct Pattern {
    tokens: Vec<Token>,
    text: String,
}

/// Letters this engine formats and parses.
const SUPPORTED: &str = "GyMLdDHhKkmsSaEQqXxZzVO";

fn invalid_pattern(pattern: &str, why: &str) -> QueryError {
    QueryError::execution(
        ErrorClass::InvalidDatetimePattern,
        format!("The datetime pattern '{pattern}' is invalid: {why}."),
    )
}

/// Week-based letters: Spark 3+ rejects them, with the class that says the legacy parser
/// (Spark 2) read them.
const WEEK_BASED: &str = "YWwu";

fn week_based(pattern: &str, letter: char) -> QueryError {
    QueryError::execution(
        ErrorClass::InconsistentBehaviorCrossVersionDatetimePatternRecognition,
        format!(
            "You may get a different result due to the upgrading to Spark >= 3.0: Fail to \
             recognize '{pattern}' pattern in the DateTimeFormatter: week-based letters such as \
             '{letter}' are unsupported since Spark 3.0; use `extract(WEEK FROM ...)` or \
             `weekofyear(...)` instead."
        ),
    )
}

impl Pattern {
    /// Compile a Java pattern; `'text'` quotes literals and `''` is a quote.
    ///
    /// # Errors
    /// `INVALID_DATETIME_PATTERN` for letters Spark does not support (`A`, `n`, ...); the
    /// week-based letters (`Y`, `w`, `W`, `u`) raise Spark's
    /// `INCONSISTENT_BEHAVIOR_CROSS_VERSION.DATETIME_PATTERN_RECOGNITION`.
    ///
    /// # Examples
    /// ```
    /// use query::functions::datetime::pattern::Pattern;
    /// let p = Pattern::compile("yyyy-MM-dd").unwrap();
    /// assert_eq!(p.format(0), "1970-01-01");
    /// assert!(Pattern::compile("YYYY").is_err());
    /// ```
    pub fn compile(pattern: &str) -> Result<Pattern> {
        let mut tokens = Vec::new();
        let chars: Vec<char> = pattern.chars().collect();
        let mut i = 0;
        let mut literal = String::new();
        while i < chars.len() {
            let c = chars[i];
            if c == '\'' {
                if chars.get(i + 1) == Some(&'\'') {
                    literal.push('\'');
                    i += 2;
                    continue;
                }
                let end = chars[i + 1..]
                    .iter()
                    .position(|x| *x == '\'')
                    .ok_or_else(|| invalid_pattern(pattern, "an unclosed quote"))?;
                literal.extend(&chars[i + 1..i + 1 + end]);
                i += end + 2;
                continue;
            }
            if c.is_ascii_alphabetic() {
                if WEEK_BASED.contains(c) {
                    return Err(week_based(pattern, c));
                }
                if !SUPPORTED.contains(c) {
                    return Err(invalid_pattern(
                        pattern,
                        &format!("the letter '{c}' is not supported"),
                    ));
                }
                let count = chars[i..].iter().take_while(|x| **x == c).count();
                if !literal.is_empty() {
                    tokens.push(Token::Literal(std::mem::take(&mut literal)));
                }
                tokens.push(Token::Field(c, count));
                i += count;
                continue;
            }
            literal.push(c);
            i += 1;
        }
        if !literal.is_empty() {
            tokens.push(Token::Literal(literal));
        }
        Ok(Pattern {
            tokens,
            text: pattern.to_string(),
        })
    }

    /// Format microseconds since the epoch (UTC).
    pub fn format(&self, micros: i64) -> String {
        let (days, of_day) = split_micros(micros);
        let (year, month, day) = civil_from_days(days);
        let hour = of_day / MICROS_PER_HOUR;
        let minute = of_day / MICROS_PER_MINUTE % 60;
        let second = of_day / MICROS_PER_SECOND % 60;
        let fraction = of_day % MICROS_PER_SECOND;
        let mut out = String::new();
        for token in &self.tokens {
            match token {
                Token::Literal(text) => out.push_str(text),
                Token::Field(c, n) => {
                    let n = *n;
                    let number = |v: i64| format!("{v:0n$}");
                    match c {
                        'G' => out.push_str(if year > 0 {
                            if n >= 4 { "Anno Domini" } else { "AD" }
                        } else {
                            "BC"
                        }),
                        'y' if n == 2 => out.push_str(&format!("{:02}", year.rem_euclid(100))),
                        'y' => out.push_str(&number(year)),
                        'M' | 'L' if n >= 4 => out.push_str(MONTHS[month as usize - 1]),
                        'M' | 'L' if n == 3 => out.push_str(&MONTHS[month as usize - 1][..3]),
                        'M' | 'L' => out.push_str(&number(month.into())),
                        'd' => out.push_str(&number(day.into())),
                        'D' => {
                            let doy = days - days_from_civil(year, 1, 1) + 1;
                            out.push_str(&number(doy));
                        }
                        'Q' | 'q' => out.push_str(&number(i64::from((month - 1) / 3 + 1))),
                        'H' => out.push_str(&number(hour)),
                        'k' => out.push_str(&number(if hour == 0 { 24 } else { hour })),
                        'K' => out.push_str(&number(hour % 12)),
                        'h' => out.push_str(&number(if hour % 12 == 0 { 12 } else { hour % 12 })),
                        'm' => out.push_str(&number(minute)),
                        's' => out.push_str(&number(second)),
                        'S' => {
                            let digits = format!("{fraction:06}");
                            let text: String = digits
                                .chars()
                                .chain(std::iter::repeat('0'))
                                .take(n)
                                .collect();
                            out.push_str(&text);
                        }
                        'a' => out.push_str(if hour < 12 { "AM" } else { "PM" }),
                        'E' => {
                            let name = DAYS[weekday(days) as usize];
                            out.push_str(if n >= 4 { name } else { &name[..3] });
                        }
                        _ => out.push_str(utc_zone_text(*c, n)),
                    }
                }
            }
        }
        out
    }

    /// Parse `text` strictly with this pattern; microseconds since the epoch (UTC).
    ///
    /// # Errors
    /// `CANNOT_PARSE_TIMESTAMP` naming the index where parsing stopped.
    ///
    /// # Examples
    /// ```
    /// use query::functions::datetime::pattern::Pattern;
    /// let p = Pattern::compile("MM/dd/yyyy").unwrap();
    /// assert_eq!(p.parse("01/02/2023").unwrap(), 1_672_617_600_000_000);
    /// assert_eq!(p.parse("2023-01-02").unwrap_err().class(), "CANNOT_PARSE_TIMESTAMP");
    /// ```
    pub fn parse(&self, text: &str) -> Result<i64> {
        let mut parser = Parser {
            text,
            pos: 0,
            fields: Fields::default(),
        };
        for token in &self.tokens {
            parser.token(token)?;
        }
        if parser.pos < text.len() {
            return Err(cannot_parse(
                text,
                &format!("unparsed text found at index {}", parser.pos),
            ));
        }
        parser.fields.resolve(text)
    }

    /// The pattern text.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

/// `CANNOT_PARSE_TIMESTAMP`.
pub(crate) fn cannot_parse(text: &str, why: &str) -> QueryError {
    QueryError::execution(
        ErrorClass::CannotParseTimestamp,
        format!(
            "Text '{text}' could not be parsed{}. Use `try_to_timestamp` to tolerate invalid input \
             string and return NULL instead.",
            if why.is_empty() {
                String::new()
            } else {
                format!(": {why}")
            }
        ),
    )
}

#[derive(Default)]
struct Fields {
    year: Option<i64>,
    month: Option<u32>,
    day: Option<u32>,
    day_of_year: Option<i64>,
    hour: Option<i64>,
    hour12: Option<i64>,
    pm: Option<bool>,
    minute: i64,
    second: i64,
    micros: i64,
    offset_seconds: i64,
}

impl Fields {
    fn resolve(&self, text: &str) -> Result<i64> {
        let invalid = || cannot_parse(text, "the fields do not form a valid date-time");
        let year = self.year.unwrap_or(1970);
        let days = match (self.day_of_year, self.month, self.day) {
            (Some(doy), None, None) => days_from_civil(year, 1, 1) + doy - 1,
            _ => checked_days_from_civil(year, self.month.unwrap_or(1), self.day.unwrap_or(1))
                .ok_or_else(invalid)?,
        };
        let hour = match (self.hour, self.hour12, self.pm) {
            (Some(h), _, _) => h,
            (None, Some(h), pm) => h % 12 + if pm == Some(true) { 12 } else { 0 },
            (None, None, _) => 0,
        };
        if hour > 23 || self.minute > 59 || self.second > 59 {
            return Err(invalid());
        }
        let local = days * MICROS_PER_DAY
            + hour * MICROS_PER_HOUR
            + self.minute * MICROS_PER_MINUTE
            + self.second * MICROS_PER_SECOND
            + self.micros;
        Ok(local - self.offset_seconds * MICROS_PER_SECOND)
    }
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
    fields: Fields,
}

impl Parser<'_> {
    fn fail(&self) -> QueryError {
        cannot_parse(self.text, &format!("at index {}", self.pos))
    }

    fn rest(&self) -> &str {
        &self.text[self.pos..]
    }

    /// Between `min` and `max` ASCII digits.
    fn digits(&mut self, min: usize, max: usize) -> Result<i64> {
        let count = self
            .rest()
            .bytes()
            .take(max)
            .take_while(u8::is_ascii_digit)
            .count();
        if count < min {
            return Err(self.fail());
        }
        let value = self.rest()[..count].parse().map_err(|_| self.fail())?;
        self.pos += count;
        Ok(value)
    }

    /// A number field: one letter reads 1+ digits, `n` letters read exactly `n` digits (a
    /// year reads `n` or more).
    fn number(&mut self, n: usize, max: usize) -> Result<i64> {
        if n == 1 {
            self.digits(1, max)
        } else {
            self.digits(n, n)
        }
    }

    fn name(&mut self, names: &[&str], abbreviated: bool) -> Result<usize> {
        let rest = self.rest().to_ascii_lowercase();
        for (i, name) in names.iter().enumerate() {
            let candidate = if abbreviated { &name[..3] } else { name };
            if rest.starts_with(&candidate.to_ascii_lowercase()) {
                self.pos += candidate.len();
                return Ok(i);
            }
        }
        Err(self.fail())
    }

    fn token(&mut self, token: &Token) -> Result<()> {
        let (c, n) = match token {
            Token::Literal(text) => {
                if self.rest().starts_with(text.as_str()) {
                    self.pos += text.len();
                    return Ok(());
                }
                return Err(self.fail());
            }
            Token::Field(c, n) => (*c, *n),
        };
        match c {
            'y' if n == 2 => self.fields.year = Some(2000 + self.digits(2, 2)?),
            'y' => self.fields.year = Some(self.digits(n.max(1), 9.max(n))?),
            'M' | 'L' if n >= 3 => {
                self.fields.month = Some(self.name(&MONTHS, n == 3)? as u32 + 1);
            }
            'M' | 'L' => self.fields.month = Some(self.number(n, 2)? as u32),
            'd' => self.fields.day = Some(self.number(n, 2)? as u32),
            'D' => self.fields.day_of_year = Some(self.number(n, 3)?),
            // Hour-of-day is 0-23 (25 is rejected below, as Java does); clock-hour 'k' is
            // 1-24, with 24 meaning midnight.
            'H' => self.fields.hour = Some(self.number(n, 2)?),
            'k' => {
                let v = self.number(n, 2)?;
                self.fields.hour = Some(if v == 24 { 0 } else { v });
            }
            'h' | 'K' => self.fields.hour12 = Some(self.number(n, 2)?),
            'm' => self.fields.minute = self.number(n, 2)?,
            's' => self.fields.second = self.number(n, 2)?,
            'S' => {
                let start = self.pos;
                let value = self.digits(1, n)?;
                let count = self.pos - start;
                self.fields.micros = if count <= 6 {
                    value * 10_i64.pow(6 - count as u32)
                } else {
                    value / 10_i64.pow(count as u32 - 6)
                };
            }
            'a' => {
                let rest = self.rest().to_ascii_uppercase();
                let pm = if rest.starts_with("AM") {
                    false
                } else if rest.starts_with("PM") {
                    true
                } else {
                    return Err(self.fail());
                };
                self.fields.pm = Some(pm);
                self.pos += 2;
            }
            'E' => {
                self.name(&DAYS, n < 4)?;
            }
            'Q' | 'q' => {
                let quarter = self.number(n.min(2), 1)?;
                if self.fields.month.is_none() {
                    self.fields.month = Some((quarter as u32 - 1) * 3 + 1);
                }
            }
            'G' => {
                self.name(&["AD", "BC"], false)?;
            }
            _ => self.zone()?,
        }
        Ok(())
    }

    /// `Z`, `UTC`, `GMT`, `+hh`, `+hh:mm`, `+hhmm`.
    fn zone(&mut self) -> Result<()> {
        if self.rest().starts_with('Z') {
            self.pos += 1;
            return Ok(());
        }
        if self.rest().starts_with("UTC") || self.rest().starts_with("GMT") {
            self.pos += 3;
            if !matches!(self.rest().chars().next(), Some('+' | '-')) {
                return Ok(());
            }
        }
        let sign = match self.rest().chars().next() {
            Some('+') => 1,
            Some('-') => -1,
            _ => return Err(self.fail()),
        };
        self.pos += 1;
        let hours = self.digits(2, 2)?;
        if self.rest().starts_with(':') {
            self.pos += 1;
        }
        let minutes = if self
            .rest()
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_digit())
        {
            self.digits(2, 2)?
        } else {
            0
        };
        self.fields.offset_seconds = sign * (hours * 3600 + minutes * 60);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::functions::datetime::calendar::parse_timestamp;

    #[test]
    fn test_format_patterns() {
        let t = parse_timestamp("2023-01-08 04:45:14.515").unwrap();
        let f = |p: &str| Pattern::compile(p).unwrap().format(t);
        assert_eq!(f("yyyy-MM-dd HH:mm:ss"), "2023-01-08 04:45:14");
        assert_eq!(f("yyyy-MM-dd HH:mm:ss.SSS"), "2023-01-08 04:45:14.515");
        assert_eq!(f("MMM d, yyyy"), "Jan 8, 2023");
        assert_eq!(f("EEEE, MMMM dd"), "Sunday, January 08");
        assert_eq!(f("EEE h:mm a"), "Sun 4:45 AM");
        assert_eq!(f("yy/M/d"), "23/1/8");
        assert_eq!(f("D Q"), "8 1");
        assert_eq!(f("'week of' yyyy-MM-dd''"), "week of 2023-01-08'");
        assert_eq!(f("yyyy-MM-dd'T'HH:mm:ssXXX"), "2023-01-08T04:45:14Z");
    }

    #[test]
    fn test_parse_patterns() {
        let p = |pattern: &str, text: &str| Pattern::compile(pattern).unwrap().parse(text);
        assert_eq!(
            p("yyyy-MM-dd", "2023-02-14").unwrap(),
            parse_timestamp("2023-02-14").unwrap()
        );
        assert_eq!(
            p("dd/MM/yyyy HH:mm", "14/02/2023 10:30").unwrap(),
            parse_timestamp("2023-02-14 10:30:00").unwrap()
        );
        assert_eq!(
            p("yyyy-MM-dd HH:mm:ss.SSS", "2023-02-14 10:30:00.5").unwrap(),
            parse_timestamp("2023-02-14 10:30:00.5").unwrap()
        );
        assert_eq!(
            p("MMM d yyyy h:mm a", "feb 3 2023 1:05 PM").unwrap(),
            parse_timestamp("2023-02-03 13:05:00").unwrap()
        );
        assert_eq!(
            p("yyyy-MM-dd HH:mm:ssXXX", "2023-02-14 10:30:00+01:00").unwrap(),
            parse_timestamp("2023-02-14 09:30:00").unwrap()
        );
        let e = p("yyyy-MM-dd", "14/02/2023").unwrap_err();
        assert_eq!(e.error_class(), ErrorClass::CannotParseTimestamp);
        assert!(
            e.to_string()
                .contains("Text '14/02/2023' could not be parsed")
        );
        assert!(p("yyyy-MM-dd", "2023-02-30").is_err());
        assert!(p("yyyy-MM-dd", "2023-02-14 10:00").is_err());
        assert!(p("yyyy-MM-dd", "2023-2-14").is_err());
        assert!(p("yyyy-M-d", "2023-2-14").is_ok());
    }
}
