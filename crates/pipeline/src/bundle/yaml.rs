//! YAML documents as trees whose every node knows its line and column.
//!
//! Built from `saphyr-parser` events rather than a serde model, so that every key and value of a
//! bundle file keeps its position for diagnostics, duplicate keys are caught, and scalars keep
//! their text (the bundle decides whether `true` is a flag or a string).

use std::collections::HashMap;
use std::sync::Arc;

use saphyr_parser::{Event, Parser, ScalarStyle, Span};

use crate::diagnostic::{Diagnostic, Diagnostics, Location};

/// A line and column in a file (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, PartialOrd, Ord, Hash)]
pub struct Pos {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
}

impl Pos {
    /// This position in `file`.
    pub fn at(self, file: &str) -> Location {
        Location::new(file, self.line, self.column)
    }
}

/// A YAML node with its position.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The project file the node comes from (nodes of several files meet after merging).
    pub file: Arc<str>,
    /// Where the node starts.
    pub pos: Pos,
    /// The node's content.
    pub value: Value,
}

/// The content of a YAML node.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A scalar's text; `quoted` is true for quoted and block scalars, which are always strings.
    Scalar {
        /// The scalar's text after unescaping.
        text: String,
        /// Whether it was quoted (or a block scalar), so never a bool, number or null.
        quoted: bool,
    },
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in document order; keys are scalars.
    Map(Vec<(Key, Node)>),
}

/// A mapping key: its text and position.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    /// The key's text.
    pub name: String,
    /// The file the key is written in.
    pub file: Arc<str>,
    /// Where the key is.
    pub pos: Pos,
}

impl Key {
    /// Where the key is written.
    pub fn location(&self) -> Location {
        self.pos.at(&self.file)
    }
}

impl Node {
    /// A scalar string node.
    pub fn string(text: impl Into<String>, file: Arc<str>, pos: Pos) -> Node {
        Node {
            file,
            pos,
            value: Value::Scalar {
                text: text.into(),
                quoted: true,
            },
        }
    }

    /// An empty mapping node.
    pub fn empty_map(file: Arc<str>, pos: Pos) -> Node {
        Node {
            file,
            pos,
            value: Value::Map(Vec::new()),
        }
    }

    /// Where the node is written.
    pub fn location(&self) -> Location {
        self.pos.at(&self.file)
    }

    /// The scalar's text, if this is a scalar (plain `~`/`null` count as absent).
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar {
                text,
                quoted: false,
            } if is_null(text) => None,
            Value::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    /// The scalar as a YAML boolean (`true`/`false`, plain only).
    pub fn as_bool(&self) -> Option<bool> {
        match &self.value {
            Value::Scalar {
                text,
                quoted: false,
            } => match text.as_str() {
                "true" | "True" | "TRUE" => Some(true),
                "false" | "False" | "FALSE" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }

    /// The scalar as an integer.
    pub fn as_i64(&self) -> Option<i64> {
        match &self.value {
            Value::Scalar {
                text,
                quoted: false,
            } => text.parse().ok(),
            _ => None,
        }
    }

    /// The mapping's entries, if this is a mapping.
    pub fn as_map(&self) -> Option<&[(Key, Node)]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// The sequence's items, if this is a sequence.
    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    /// The value under `key`, if this is a mapping that has it.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_map()?
            .iter()
            .find(|(k, _)| k.name == key)
            .map(|(_, v)| v)
    }

    /// The key entry (with its position) for `key`.
    pub fn key(&self, key: &str) -> Option<&Key> {
        self.as_map()?
            .iter()
            .find(|(k, _)| k.name == key)
            .map(|(k, _)| k)
    }

    /// Whether this node is a scalar null (`~`, `null`, or empty).
    pub fn is_null(&self) -> bool {
        matches!(&self.value, Value::Scalar { text, quoted: false } if is_null(text))
    }

    /// A short name of the node's kind, for messages.
    pub fn kind(&self) -> &'static str {
        match &self.value {
            Value::Scalar { .. } if self.is_null() => "null",
            Value::Scalar { .. } => "a scalar",
            Value::Seq(_) => "a sequence",
            Value::Map(_) => "a mapping",
        }
    }
}

fn is_null(text: &str) -> bool {
    matches!(text, "" | "~" | "null" | "Null" | "NULL")
}

/// Parse one YAML document of `file`. An empty document is an empty mapping. Syntax errors,
/// duplicate keys and non-scalar keys are reported with their positions.
///
/// # Examples
/// ```
/// let doc = pipeline::bundle::yaml::parse("a.yml", "bundle:\n  name: demo\n").unwrap();
/// let name = doc.get("bundle").and_then(|b| b.get("name")).unwrap();
/// assert_eq!((name.as_str(), name.pos.line, name.pos.column), (Some("demo"), 2, 9));
/// ```
pub fn parse(file: &str, text: &str) -> Result<Node, Diagnostics> {
    let mut builder = Builder {
        file,
        rc: Arc::from(file),
        errors: Diagnostics::new(),
        anchors: HashMap::new(),
        nodes: 0,
    };
    let events = match Parser::new_from_str(text).collect::<Result<Vec<_>, _>>() {
        Ok(events) => events,
        Err(e) => {
            let m = e.marker();
            let at = Location::new(file, m.line() as u32, m.col() as u32 + 1);
            return Err(Diagnostics(vec![Diagnostic::error(
                Some(at),
                format!("invalid YAML: {}", e.info()),
            )]));
        }
    };
    if let Some(err) = too_deep(file, &events) {
        return Err(Diagnostics(vec![err]));
    }
    let mut documents = Vec::new();
    let mut iter = events.into_iter().peekable();
    while let Some((event, span)) = iter.next() {
        match event {
            Event::DocumentStart(_) => {
                if iter
                    .peek()
                    .is_some_and(|(e, _)| matches!(e, Event::DocumentEnd))
                {
                    documents.push(Node::empty_map(builder.rc.clone(), pos_of(span)));
                } else if let Some(node) = builder.node(&mut iter) {
                    documents.push(node);
                }
            }
            Event::StreamEnd => break,
            _ => {}
        }
    }
    if documents.len() > 1 {
        builder.errors.error(
            Some(documents[1].pos.at(file)),
            "a bundle file holds one YAML document; remove the `---` separator",
        );
    }
    if builder.errors.has_errors() {
        return Err(builder.errors);
    }
    if builder.nodes > MAX_YAML_NODES {
        return Err(Diagnostics(vec![Diagnostic::error(
            Some(Location::file_start(file)),
            format!(
                "the file expands to more than {MAX_YAML_NODES} YAML nodes (aliases repeating anchors that repeat anchors): a bundle needs far fewer; write the values out or use fewer levels of aliases"
            ),
        )]));
    }
    let start = Pos { line: 1, column: 1 };
    Ok(documents
        .into_iter()
        .next()
        .unwrap_or_else(|| Node::empty_map(builder.rc.clone(), start)))
}

/// How deep sequences and mappings may nest. Building and reading the tree recurse once per
/// level, and the page's stack is 1 MiB; a bundle nests about 8 levels.
pub const MAX_YAML_DEPTH: usize = 64;

/// How many nodes a file may expand to, counting each alias as a copy of its anchor: nested
/// aliases grow exponentially (the "billion laughs" file), and a bundle has a few hundred nodes.
pub const MAX_YAML_NODES: usize = 100_000;

/// The first collection that opens past [`MAX_YAML_DEPTH`].
fn too_deep(file: &str, events: &[(Event<'_>, Span)]) -> Option<Diagnostic> {
    let mut depth = 0usize;
    for (event, span) in events {
        match event {
            Event::SequenceStart(..) | Event::MappingStart(..) => depth += 1,
            Event::SequenceEnd | Event::MappingEnd => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth > MAX_YAML_DEPTH {
            return Some(Diagnostic::error(
                Some(pos_of(*span).at(file)),
                format!(
                    "lists and mappings nest more than {MAX_YAML_DEPTH} levels deep here (MAX_YAML_DEPTH): a bundle needs far fewer"
                ),
            ));
        }
    }
    None
}

fn pos_of(span: Span) -> Pos {
    Pos {
        line: span.start.line() as u32,
        column: span.start.col() as u32 + 1,
    }
}

struct Builder<'f> {
    file: &'f str,
    rc: Arc<str>,
    errors: Diagnostics,
    /// Each anchor's node and how many nodes it holds.
    anchors: HashMap<usize, (Node, usize)>,
    /// Nodes built so far, aliases counted as their anchor's size.
    nodes: usize,
}

type Events<'i> = std::iter::Peekable<std::vec::IntoIter<(Event<'i>, Span)>>;

impl Builder<'_> {
    fn node(&mut self, events: &mut Events<'_>) -> Option<Node> {
        // Past the budget, stop building (the caller reports it): the rest would only grow.
        if self.nodes > MAX_YAML_NODES {
            events.by_ref().for_each(drop);
            return None;
        }
        let (event, span) = events.next()?;
        let pos = pos_of(span);
        let first = self.nodes;
        self.nodes += 1;
        let (node, anchor) = match event {
            Event::Scalar(text, style, anchor, _) => {
                let quoted = !matches!(style, ScalarStyle::Plain);
                let value = Value::Scalar {
                    text: text.into_owned(),
                    quoted,
                };
                (
                    Node {
                        file: self.rc.clone(),
                        pos,
                        value,
                    },
                    anchor,
                )
            }
            Event::Alias(id) => {
                let Some((target, size)) = self.anchors.get(&id) else {
                    self.errors
                        .error(Some(pos.at(self.file)), "alias of an unknown anchor");
                    return Some(Node::string("", self.rc.clone(), pos));
                };
                self.nodes += size;
                if self.nodes > MAX_YAML_NODES {
                    return None;
                }
                return Some(Node {
                    file: self.rc.clone(),
                    pos,
                    value: target.value.clone(),
                });
            }
            Event::SequenceStart(anchor, _) => {
                let mut items = Vec::new();
                while !matches!(events.peek(), Some((Event::SequenceEnd, _)) | None) {
                    items.extend(self.node(events));
                }
                events.next();
                (
                    Node {
                        file: self.rc.clone(),
                        pos,
                        value: Value::Seq(items),
                    },
                    anchor,
                )
            }
            Event::MappingStart(anchor, _) => (self.mapping(pos, events), anchor),
            _ => return None,
        };
        if anchor > 0 {
            let size = self.nodes - first;
            self.anchors.insert(anchor, (node.clone(), size));
        }
        Some(node)
    }

    fn mapping(&mut self, pos: Pos, events: &mut Events<'_>) -> Node {
        let mut entries: Vec<(Key, Node)> = Vec::new();
        let mut merged: Vec<(Key, Node)> = Vec::new();
        while !matches!(events.peek(), Some((Event::MappingEnd, _)) | None) {
            let Some(key_node) = self.node(events) else {
                break;
            };
            let Some(value) = self.node(events) else {
                break;
            };
            let key = match &key_node.value {
                Value::Scalar { text, .. } => Key {
                    name: text.clone(),
                    file: self.rc.clone(),
                    pos: key_node.pos,
                },
                _ => {
                    self.errors.error(
                        Some(key_node.pos.at(self.file)),
                        "mapping keys must be plain names, not sequences or mappings",
                    );
                    continue;
                }
            };
            if key.name == "<<" && matches!(key_node.value, Value::Scalar { quoted: false, .. }) {
                self.merge_into(&mut merged, &value);
                continue;
            }
            if let Some((first, _)) = entries.iter().find(|(k, _)| k.name == key.name) {
                let message = format!(
                    "duplicate key `{}` (first defined at line {})",
                    key.name, first.pos.line
                );
                self.errors.error(Some(key.pos.at(self.file)), message);
                continue;
            }
            entries.push((key, value));
        }
        events.next();
        for (key, value) in merged {
            if !entries.iter().any(|(k, _)| k.name == key.name) {
                entries.push((key, value));
            }
        }
        Node {
            file: self.rc.clone(),
            pos,
            value: Value::Map(entries),
        }
    }

    /// YAML merge keys (`<<: *defaults`): entries of the merged mapping(s) not set explicitly.
    fn merge_into(&mut self, merged: &mut Vec<(Key, Node)>, value: &Node) {
        match &value.value {
            Value::Map(entries) => merged.extend(entries.iter().cloned()),
            Value::Seq(items) => items.iter().for_each(|item| self.merge_into(merged, item)),
            Value::Scalar { .. } => self.errors.error(
                Some(value.pos.at(self.file)),
                "`<<` merges a mapping or a list of mappings",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_positions_of_nested_keys_and_sequence_items() {
        let doc = parse("f.yml", "a:\n  - x\n  - y: 1\n").unwrap();
        let items = doc.get("a").unwrap().as_seq().unwrap();
        assert_eq!(items[0].pos, Pos { line: 2, column: 5 });
        assert_eq!(items[1].key("y").unwrap().pos, Pos { line: 3, column: 5 });
    }

    #[test]
    fn test_duplicate_key_is_reported_at_second_occurrence() {
        let err = parse("f.yml", "a: 1\nb: 2\na: 3\n").unwrap_err();
        assert_eq!(err.0[0].location, Some(Location::new("f.yml", 3, 1)));
        assert!(err.0[0].message.contains("duplicate key `a`"));
    }

    #[test]
    fn test_syntax_error_has_location() {
        let err = parse("f.yml", "a: [1, 2\nb: 3\n").unwrap_err();
        let at = err.0[0].location.clone().unwrap();
        assert_eq!(at.file, "f.yml");
        assert!(at.line >= 1);
        assert!(err.0[0].message.starts_with("invalid YAML"));
    }

    #[test]
    fn test_quoted_true_is_a_string_not_a_bool() {
        let doc = parse("f.yml", "a: \"true\"\nb: true\n").unwrap();
        assert_eq!(doc.get("a").unwrap().as_bool(), None);
        assert_eq!(doc.get("b").unwrap().as_bool(), Some(true));
    }

    #[test]
    fn test_anchor_and_merge_key() {
        let doc = parse(
            "f.yml",
            "base: &b\n  x: 1\n  y: 2\nother:\n  <<: *b\n  y: 3\n",
        )
        .unwrap();
        let other = doc.get("other").unwrap();
        assert_eq!(other.get("x").unwrap().as_i64(), Some(1));
        assert_eq!(other.get("y").unwrap().as_i64(), Some(3));
    }

    #[test]
    fn test_empty_document_is_empty_map() {
        assert_eq!(
            parse("f.yml", "").unwrap().as_map().map(<[_]>::len),
            Some(0)
        );
        assert_eq!(
            parse("f.yml", "# only a comment\n")
                .unwrap()
                .as_map()
                .map(<[_]>::len),
            Some(0)
        );
    }
}
