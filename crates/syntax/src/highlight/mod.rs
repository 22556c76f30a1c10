//! Syntax colouring for the editor: byte ranges of a text with a token class each.
//!
//! Python and SQL are coloured from the engine's own lexers ([`crate::python`], [`crate::sql`]),
//! so the editor shows what the engine reads; YAML and JSON have small scanners of their own.
//! Every language is resilient: text that does not lex is coloured up to the problem, the rest
//! of the problem's line is an [`Class::Error`], and colouring resumes on the next line.

mod json;
mod python;
mod spans;
mod sql;
mod yaml;

#[cfg(test)]
mod tests;

use spans::Spans;

/// A language the editor colours.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Language {
    /// `pyspark.pipelines` Python.
    Python,
    /// Pipeline SQL.
    Sql,
    /// YAML (bundle and resource files).
    Yaml,
    /// JSON (dashboards).
    Json,
    /// Anything else: no colouring.
    #[default]
    Plain,
}

impl Language {
    /// The language of a file, from its extension (`.py`, `.sql`, `.yml`/`.yaml`,
    /// `.json`/`.lvdash.json`); anything else is [`Language::Plain`].
    ///
    /// # Examples
    /// ```
    /// use syntax::highlight::Language;
    /// assert_eq!(Language::from_path("src/bronze/sensor_bronze.sql"), Language::Sql);
    /// assert_eq!(Language::from_path("config/x.lvdash.json"), Language::Json);
    /// assert_eq!(Language::from_path("README.md"), Language::Plain);
    /// ```
    pub fn from_path(path: &str) -> Language {
        let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
        let Some((_, ext)) = name.rsplit_once('.') else {
            return Language::Plain;
        };
        match ext.to_ascii_lowercase().as_str() {
            "py" => Language::Python,
            "sql" => Language::Sql,
            "yml" | "yaml" => Language::Yaml,
            "json" => Language::Json,
            _ => Language::Plain,
        }
    }
}

/// What a coloured range is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Class {
    /// A language keyword (`def`, `SELECT`).
    Keyword,
    /// A built-in function or type (`len`, `count(`, `STRING`).
    Builtin,
    /// A string literal.
    String,
    /// A number literal.
    Number,
    /// A comment.
    Comment,
    /// An operator (`+`, `==`, `|`).
    Operator,
    /// Brackets, commas, dots, colons.
    Punctuation,
    /// An identifier.
    Name,
    /// A Python decorator (`@dp.table`) or a YAML anchor, alias or tag.
    Decorator,
    /// A mapping key (YAML, JSON) or a keyword argument's name (Python).
    Key,
    /// `True`/`None`/`null`/`TRUE`, and `${var.x}` interpolations.
    Constant,
    /// Text that does not lex.
    Error,
}

impl Class {
    /// The CSS class of this token class (styled by the app's stylesheet).
    pub fn css(self) -> &'static str {
        match self {
            Class::Keyword => "tok-kw",
            Class::Builtin => "tok-builtin",
            Class::String => "tok-str",
            Class::Number => "tok-num",
            Class::Comment => "tok-comment",
            Class::Operator => "tok-op",
            Class::Punctuation => "tok-punct",
            Class::Name => "tok-name",
            Class::Decorator => "tok-deco",
            Class::Key => "tok-key",
            Class::Constant => "tok-const",
            Class::Error => "tok-error",
        }
    }
}

/// A coloured range: bytes `start..end` of the text, on char boundaries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// What it is.
    pub class: Class,
}

/// Colour `text` as `language`: spans sorted by offset, non-overlapping, non-empty, on char
/// boundaries; text between spans is plain. Never panics; linear in the text's length.
///
/// # Examples
/// ```
/// use syntax::highlight::{Class, Language, highlight};
///
/// let text = "@dp.table\ndef raw():  # bronze\n    return 1\n";
/// let spans = highlight(Language::Python, text);
/// let class_of = |word: &str| {
///     let at = text.find(word).unwrap();
///     spans.iter().find(|s| s.start <= at && at < s.end).map(|s| s.class)
/// };
/// assert_eq!(class_of("@dp"), Some(Class::Decorator));
/// assert_eq!(class_of("def"), Some(Class::Keyword));
/// assert_eq!(class_of("# bronze"), Some(Class::Comment));
/// assert_eq!(class_of("1\n"), Some(Class::Number));
/// ```
pub fn highlight(language: Language, text: &str) -> Vec<Span> {
    let mut out = Spans::new(text);
    match language {
        Language::Python => python::highlight(text, &mut out),
        Language::Sql => sql::highlight(text, &mut out),
        Language::Yaml => yaml::highlight(text, &mut out),
        Language::Json => json::highlight(text, &mut out),
        Language::Plain => {}
    }
    out.finish()
}

/// Lex `text` with a lexer that stops at its first error, colouring each lexed piece with
/// `emit(out, piece_offset, piece, tokens)`. On an error at offset `e`: the prefix before `e`
/// is re-lexed and coloured, `e` to the end of its line is an error, and lexing restarts on the
/// next line. Restarts stop (the rest stays plain) once the lexers have been given more than
/// [`RESTART_BUDGET`] times the text, which keeps a text with an error on every line linear.
fn resilient<T>(
    text: &str,
    out: &mut Spans,
    lex: impl Fn(&str) -> Result<Vec<T>, usize>,
    emit: impl Fn(&mut Spans, usize, &str, &[T]),
) {
    let budget = text
        .len()
        .saturating_mul(RESTART_BUDGET)
        .saturating_add(4096);
    let mut spent = 0usize;
    let mut base = 0;
    while base < text.len() && spent <= budget {
        let rest = &text[base..];
        spent = spent.saturating_add(rest.len());
        let error = match lex(rest) {
            Ok(tokens) => {
                emit(out, base, rest, &tokens);
                return;
            }
            Err(offset) => floor_char_boundary(rest, offset),
        };
        let prefix = &rest[..error];
        spent = spent.saturating_add(prefix.len());
        if let Ok(tokens) = lex(prefix) {
            emit(out, base, prefix, &tokens);
        }
        let line_end = rest[error..].find('\n').map_or(rest.len(), |n| error + n);
        out.push(base + error, base + line_end, Class::Error);
        base += (line_end + 1).min(rest.len());
    }
}

/// How many times the text's length the lexers may scan in all, restarts included.
const RESTART_BUDGET: usize = 16;

/// The largest char boundary of `text` at or before `offset`.
fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut at = offset.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}
