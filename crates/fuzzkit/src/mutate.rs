//! Inputs that look like the real thing: a real file with a few grammar-shaped edits (its own
//! tokens spliced elsewhere, lines dropped or repeated, brackets, quotes and escapes inserted,
//! a range wrapped in deep nesting, truncation), or random bytes.

use proptest::prelude::*;

/// Text every format here treats specially: brackets, quotes, comments, escapes, YAML
/// indicators, `${...}` interpolation, numbers at their limits, non-ASCII.
pub const SPECIALS: &[&str] = &[
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "'",
    "\"",
    "`",
    "\"\"\"",
    "\\",
    "\n",
    "\r\n",
    "\t",
    " ",
    ",",
    ";",
    ":",
    ": ",
    "- ",
    "#",
    "--",
    "/*",
    "*/",
    "${",
    "${var.",
    "${bundle.target}",
    "}}",
    "&a",
    "*a",
    "!!str ",
    "|",
    ">",
    "?",
    "%",
    "@",
    "=",
    "==",
    "=>",
    "->",
    "::",
    ".",
    "..",
    "0",
    "-0",
    "1e400",
    "-9223372036854775808",
    "99999999999999999999999999",
    "NaN",
    "null",
    "NULL",
    "\u{0}",
    "é",
    "🦀",
    "\u{feff}",
    "\u{202e}",
    "lambda",
    "def ",
    "import ",
    "SELECT ",
    " FROM ",
    " AS ",
    "STREAM(",
    "read_files(",
    "CASE WHEN ",
    " END",
    "OVER (",
    "PARTITION BY ",
    "*",
    "+",
    "-",
    "/",
    "<=>",
    "||",
    "0x",
    "X'",
    "INTERVAL ",
    "TIMESTAMP '",
    "'2024-02-30'",
];

/// One edit, positions as fractions of the text (so they apply to any length).
#[derive(Debug, Clone)]
enum Edit {
    Delete(u16, u16),
    Duplicate(u16, u16),
    InsertToken(u16, u16),
    InsertSpecial(u16, u16),
    ReplaceToken(u16, u16),
    SwapLines(u16, u16),
    Nest(u16, u16, u8),
    Bytes(u16, Vec<u8>),
    Truncate(u16),
}

fn edit() -> impl Strategy<Value = Edit> {
    let at = any::<u16>;
    prop_oneof![
        2 => (at(), 0u16..64).prop_map(|(a, n)| Edit::Delete(a, n)),
        2 => (at(), 0u16..200).prop_map(|(a, n)| Edit::Duplicate(a, n)),
        4 => (at(), at()).prop_map(|(a, t)| Edit::InsertToken(a, t)),
        2 => (at(), at()).prop_map(|(a, t)| Edit::InsertSpecial(a, t)),
        5 => (at(), at()).prop_map(|(a, t)| Edit::ReplaceToken(a, t)),
        2 => (at(), at()).prop_map(|(a, b)| Edit::SwapLines(a, b)),
        1 => (at(), at(), 1u8..80).prop_map(|(a, b, d)| Edit::Nest(a, b, d)),
        1 => (at(), prop::collection::vec(any::<u8>(), 1..12)).prop_map(|(a, b)| Edit::Bytes(a, b)),
        1 => at().prop_map(Edit::Truncate),
    ]
}

/// A copy of one of `seeds` with 1 to 3 edits (more, and nearly every input fails to parse).
pub fn mutated(seeds: Vec<String>) -> impl Strategy<Value = String> {
    assert!(!seeds.is_empty(), "mutations need a seed text");
    let tokens: Vec<String> = {
        let mut all: Vec<String> = seeds.iter().flat_map(|s| tokens(s)).collect();
        all.sort();
        all.dedup();
        all
    };
    (
        prop::sample::select(seeds),
        prop::collection::vec(edit(), 1..4),
    )
        .prop_map(move |(seed, edits)| {
            edits
                .iter()
                .fold(seed, |text, edit| apply(text, edit, &tokens))
        })
}

/// Arbitrary bytes read as text (invalid UTF-8 replaced), as a paste of anything would be.
pub fn random_text(max_len: usize) -> impl Strategy<Value = String> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..max_len)
            .prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
        prop::collection::vec(prop::sample::select(SPECIALS.to_vec()), 0..max_len / 4)
            .prop_map(|parts| parts.concat()),
    ]
}

/// Words, numbers and single punctuation characters of `text`.
fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() || c == '_' {
            word.push(c);
        } else {
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            if !c.is_whitespace() {
                out.push(c.to_string());
            }
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// The char boundary nearest below the fraction `at / 65536` of `text`.
fn pos(text: &str, at: u16) -> usize {
    let mut i = (text.len() as u64 * u64::from(at) / 65536) as usize;
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn end(text: &str, from: usize, n: usize) -> usize {
    let mut i = (from + n).min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn pick(list: &[String], i: u16) -> &str {
    if list.is_empty() {
        ""
    } else {
        &list[usize::from(i) % list.len()]
    }
}

fn apply(mut text: String, edit: &Edit, tokens: &[String]) -> String {
    match edit {
        Edit::Delete(a, n) => {
            let from = pos(&text, *a);
            let to = end(&text, from, usize::from(*n));
            text.replace_range(from..to, "");
        }
        Edit::Duplicate(a, n) => {
            let from = pos(&text, *a);
            let to = end(&text, from, usize::from(*n));
            let copy = text[from..to].to_string();
            text.insert_str(to, &copy);
        }
        Edit::InsertToken(a, t) => {
            let at = pos(&text, *a);
            text.insert_str(at, &format!(" {} ", pick(tokens, *t)));
        }
        Edit::InsertSpecial(a, t) => {
            let at = pos(&text, *a);
            text.insert_str(at, SPECIALS[usize::from(*t) % SPECIALS.len()]);
        }
        Edit::ReplaceToken(a, t) => {
            let from = pos(&text, *a);
            let to = text[from..]
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .map_or(text.len(), |n| from + n);
            text.replace_range(from..to, pick(tokens, *t));
        }
        Edit::SwapLines(a, b) => {
            let mut lines: Vec<&str> = text.split('\n').collect();
            let n = lines.len();
            lines.swap(usize::from(*a) % n, usize::from(*b) % n);
            text = lines.join("\n");
        }
        Edit::Nest(a, b, depth) => {
            let (x, y) = (pos(&text, *a), pos(&text, *b));
            let (from, to) = (x.min(y), x.max(y));
            let (open, close) = match depth % 3 {
                0 => ("(", ")"),
                1 => ("[", "]"),
                _ => ("{", "}"),
            };
            let d = usize::from(*depth);
            text = format!(
                "{}{}{}{}{}",
                &text[..from],
                open.repeat(d),
                &text[from..to],
                close.repeat(d),
                &text[to..]
            );
        }
        Edit::Bytes(a, bytes) => {
            let at = pos(&text, *a);
            text.insert_str(at, &String::from_utf8_lossy(bytes));
        }
        Edit::Truncate(a) => {
            let at = pos(&text, *a);
            text.truncate(at);
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    #[test]
    fn mutations_change_the_seed_and_stay_text() {
        let seed = "SELECT a, b FROM t WHERE a > 1\nGROUP BY a".to_string();
        let strategy = mutated(vec![seed.clone()]);
        let mut runner = TestRunner::deterministic();
        let outs: Vec<String> = (0..200)
            .map(|_| strategy.new_tree(&mut runner).unwrap().current())
            .collect();
        let changed = outs.iter().filter(|o| **o != seed).count();
        assert!(changed > 150, "only {changed} of 200 differ from the seed");
        assert!(
            outs.iter().any(|o| o.contains("((")),
            "no nesting in 200 mutations"
        );
    }
}
