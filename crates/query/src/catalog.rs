//! Named tables and views that queries read, looked up case-insensitively.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::error::{ErrorClass, QueryError, Result};
use crate::frame::DataFrame;
pub use crate::table::{Table, TableSchema};

#[derive(Debug, Clone)]
enum Entry {
    Table(Arc<Table>),
    View(DataFrame),
}

/// Named tables and views. Names are case-insensitive and may be qualified
/// (`catalog.schema.table`); a reference matches a registered name when one is a suffix of
/// the other on whole parts, so `sensor_bronze` finds `main.iot.sensor_bronze` and vice versa,
/// as long as only one entry matches.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    entries: BTreeMap<String, Entry>,
}

/// What a table reference resolved to.
#[derive(Debug, Clone)]
pub(crate) enum Resolved {
    Table(String, Arc<Table>),
    View(DataFrame),
}

impl Catalog {
    /// An empty catalog.
    pub fn new() -> Catalog {
        Catalog::default()
    }

    /// Register (or replace) a table under `name`.
    ///
    /// # Examples
    /// ```
    /// use query::{Catalog, Session, SparkType, Table};
    ///
    /// let mut catalog = Catalog::new();
    /// catalog.register_table("main.iot.readings", Table::new(vec![("x".into(), SparkType::Int)], vec![]).unwrap());
    /// let session = Session::new(catalog);
    /// let result = session.sql("SELECT count(*) AS n FROM readings").unwrap();
    /// assert_eq!(result.num_rows(), 1);
    /// ```
    pub fn register_table(&mut self, name: &str, table: Table) {
        self.entries
            .insert(normalize(name), Entry::Table(Arc::new(table)));
    }

    /// Register (or replace) a view: a named query whose plan is inlined where it is read.
    pub fn register_view(&mut self, name: &str, view: DataFrame) {
        self.entries.insert(normalize(name), Entry::View(view));
    }

    /// Remove a table or view; returns whether it existed.
    pub fn deregister(&mut self, name: &str) -> bool {
        self.entries.remove(&normalize(name)).is_some()
    }

    /// The table registered under exactly `name` (case-insensitive), if any.
    pub fn table(&self, name: &str) -> Option<Arc<Table>> {
        match self.entries.get(&normalize(name)) {
            Some(Entry::Table(t)) => Some(t.clone()),
            _ => None,
        }
    }

    /// Every registered name (lower case), sorted.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.entries.keys().map(String::as_str)
    }

    /// Resolve a possibly qualified reference; `Ok(None)` when nothing matches, an error when
    /// several entries match equally well.
    pub(crate) fn resolve(&self, parts: &[String]) -> Result<Option<Resolved>> {
        let wanted: Vec<String> = parts.iter().map(|p| p.to_lowercase()).collect();
        let key = wanted.join(".");
        if let Some(entry) = self.entries.get(&key) {
            return Ok(Some(resolved(&key, entry)));
        }
        let matches: Vec<(&String, &Entry)> = self
            .entries
            .iter()
            .filter(|(name, _)| {
                let have: Vec<&str> = name.split('.').collect();
                is_part_suffix(&have, &wanted) || is_part_suffix(&wanted, &have)
            })
            .collect();
        match matches.as_slice() {
            [] => Ok(None),
            [(name, entry)] => Ok(Some(resolved(name, entry))),
            many => Err(QueryError::analysis(
                ErrorClass::AmbiguousReference,
                format!(
                    "the table reference `{key}` is ambiguous, it could be: {}",
                    many.iter()
                        .map(|(n, _)| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )),
        }
    }
}

fn resolved(name: &str, entry: &Entry) -> Resolved {
    match entry {
        Entry::Table(t) => Resolved::Table(name.to_string(), t.clone()),
        Entry::View(v) => Resolved::View(v.clone()),
    }
}

fn normalize(name: &str) -> String {
    name.split('.')
        .map(|p| p.trim().trim_matches('`').to_lowercase())
        .collect::<Vec<_>>()
        .join(".")
}

/// Whether `short` equals the last parts of `long` (and is shorter).
fn is_part_suffix<A: AsRef<str>, B: AsRef<str>>(long: &[A], short: &[B]) -> bool {
    short.len() < long.len()
        && long[long.len() - short.len()..]
            .iter()
            .zip(short)
            .all(|(a, b)| a.as_ref() == b.as_ref())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::SparkType;

    fn empty() -> Table {
        Table::new(vec![("x".into(), SparkType::Int)], vec![]).unwrap()
    }

    #[test]
    fn test_resolve_bare_and_qualified_names() {
        let mut c = Catalog::new();
        c.register_table("Main.IoT.Sensor", empty());
        let hit = |parts: &[&str]| {
            c.resolve(&parts.iter().map(|s| s.to_string()).collect::<Vec<_>>())
                .unwrap()
                .is_some()
        };
        assert!(hit(&["sensor"]));
        assert!(hit(&["iot", "SENSOR"]));
        assert!(hit(&["main", "iot", "sensor"]));
        assert!(!hit(&["other", "sensor"]));
        assert!(!hit(&["sens"]));
    }

    #[test]
    fn test_resolve_ambiguous_suffix() {
        let mut c = Catalog::new();
        c.register_table("a.t", empty());
        c.register_table("b.t", empty());
        assert!(c.resolve(&["t".to_string()]).is_err());
        assert!(
            c.resolve(&["a".to_string(), "t".to_string()])
                .unwrap()
                .is_some()
        );
    }
}
