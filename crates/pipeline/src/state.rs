//! What persists between updates: every table's rows and bookkeeping (generation, version,
//! checkpoints of processed files and stream offsets), Auto Loader schema locations, and the
//! event log. Held in memory; the `persist` module (above this one and the engine) saves it
//! to a folder for the CLI.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use query::{SparkType, Table};

use crate::event_log::Event;
use crate::sources::decl::DatasetKind;

/// A column list: name and Spark type.
pub type Columns = Vec<(String, SparkType)>;

/// How far a reader has read a table: its generation (bumped by full refreshes), version
/// (bumped by every change) and row count at the time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Seen {
    /// The table's generation.
    pub generation: u64,
    /// The table's version.
    pub version: u64,
    /// Rows at the time.
    pub rows: usize,
}

/// A streaming flow's progress.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Checkpoint {
    /// Files processed, per source folder.
    pub files: BTreeMap<String, BTreeSet<String>>,
    /// Rows consumed of each upstream dataset read as a stream (key: qualified name).
    pub offsets: BTreeMap<String, Seen>,
    /// Schema locations this flow's sources use.
    pub schema_locations: BTreeSet<String>,
}

/// A dataset's stored content and bookkeeping.
#[derive(Debug, Clone)]
pub struct StoredTable {
    /// The rows (empty for views, which only keep a checkpoint).
    pub table: Arc<Table>,
    /// Streaming table, materialized view or view.
    pub kind: DatasetKind,
    /// The pipeline that owns it.
    pub pipeline_id: String,
    /// Bumped by each full refresh (readers of the old generation must restart).
    pub generation: u64,
    /// Bumped by each change of the rows.
    pub version: u64,
    /// Fingerprint of the dataset's definition at its last refresh.
    pub definition: u64,
    /// Streaming progress.
    pub checkpoint: Checkpoint,
    /// For materialized views: each input as it was at the last refresh.
    pub inputs_seen: BTreeMap<String, Seen>,
    /// The table's comment.
    pub comment: Option<String>,
    /// The refresh strategy of the last update (materialized views).
    pub last_strategy: Option<String>,
}

impl StoredTable {
    /// An empty table of `schema`.
    pub fn empty(schema: Columns, kind: DatasetKind, pipeline_id: &str) -> StoredTable {
        StoredTable {
            table: Arc::new(
                Table::new(schema, Vec::new()).expect("an empty table fits any schema"),
            ),
            kind,
            pipeline_id: pipeline_id.to_string(),
            generation: 0,
            version: 0,
            definition: 0,
            checkpoint: Checkpoint::default(),
            inputs_seen: BTreeMap::new(),
            comment: None,
            last_strategy: None,
        }
    }

    /// How a reader sees the table now.
    pub fn seen(&self) -> Seen {
        Seen {
            generation: self.generation,
            version: self.version,
            rows: self.table.num_rows(),
        }
    }
}

/// Everything that persists between updates, for every pipeline and target sharing it.
#[derive(Debug, Clone, Default)]
pub struct State {
    /// Tables by lower-case qualified name (`catalog.schema.table`).
    pub tables: BTreeMap<String, StoredTable>,
    /// Auto Loader schema locations: location → the schema kept there.
    pub schemas: BTreeMap<String, Columns>,
    /// The event log of every update.
    pub events: Vec<Event>,
    /// Updates run so far.
    pub updates: u64,
}

impl State {
    /// An empty state.
    pub fn new() -> State {
        State::default()
    }

    /// The copy an update stages its changes in: everything but the event log, which no flow
    /// reads and which would make every update slower than the one before if it were copied.
    pub(crate) fn staging_copy(&self) -> State {
        State {
            tables: self.tables.clone(),
            schemas: self.schemas.clone(),
            events: Vec::new(),
            updates: self.updates,
        }
    }

    /// The table named `qualified` (case-insensitive).
    pub fn table(&self, qualified: &str) -> Option<&StoredTable> {
        self.tables.get(&qualified.to_ascii_lowercase())
    }

    /// The stored tables (not views) of one catalog and schema, by short name.
    pub fn tables_in(&self, catalog: &str, schema: &str) -> Vec<(String, &StoredTable)> {
        let prefix = format!(
            "{}.{}.",
            catalog.to_ascii_lowercase(),
            schema.to_ascii_lowercase()
        );
        self.tables
            .iter()
            .filter(|(k, t)| k.starts_with(&prefix) && t.kind.is_stored())
            .map(|(k, t)| (k[prefix.len()..].to_string(), t))
            .collect()
    }

    /// The event log as a table (`event_log`).
    pub fn event_log(&self) -> Table {
        let batch = crate::event_log::to_batch(&self.events);
        Table::from_batches(batch.schema(), vec![batch])
            .expect("the event log schema maps to Spark types")
    }

    /// A query catalog holding every stored table under its qualified name, plus the event
    /// log, for ad-hoc SQL (`SELECT * FROM sensor_bronze`, `FROM event_log`).
    pub fn catalog(&self) -> query::Catalog {
        let mut catalog = query::Catalog::new();
        for (name, t) in &self.tables {
            if t.kind.is_stored() {
                catalog.register_table(name, (*t.table).clone());
            }
        }
        catalog.register_table(crate::event_log::EVENT_LOG_TABLE, self.event_log());
        catalog
    }
}
