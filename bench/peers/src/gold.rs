//! The course's gold query: the SQL project's `inspection_silver` (Tempo's EMA, resample and
//! as-of join written as window functions) and `inspection_gold` over it, run by the query
//! engine over the bronze tables of the SQL project's first update.

use pipeline::engine::{self, UpdateOptions};
use pipeline::state::State;
use pipeline::volume::MemoryVolume;
use query::{Catalog, Session};

use arrow::array::RecordBatch;

/// Where the course project keeps its tables (the bundle's default catalog and schema).
const SCHEMA: &str = "default.iot_anomaly_detection";
const BRONZE: [&str; 2] = ["sensor_bronze", "inspection_bronze"];

/// The bronze tables and the two queries.
pub struct Gold {
    catalog: Catalog,
    silver_sql: String,
    gold_sql: String,
}

type Error = Box<dyn std::error::Error>;

/// The query of a `CREATE OR REFRESH MATERIALIZED VIEW … AS <query>;` source file.
fn view_query(project: &pipeline::Project, path: &str) -> Result<String, Error> {
    let text = project
        .get(path)
        .ok_or_else(|| format!("the SQL project has no {path}"))?;
    let start = text
        .find("\nAS ")
        .ok_or_else(|| format!("{path}: no line starting with AS"))?;
    Ok(text[start + 4..]
        .trim_end()
        .trim_end_matches(';')
        .to_string())
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// The page's clock, in milliseconds.
    #[wasm_bindgen::prelude::wasm_bindgen(js_namespace = performance, js_name = now)]
    fn now_ms() -> f64;
}

impl Gold {
    /// Generates `preset`'s initial load (seed 1), lands it and runs the SQL project's first
    /// update; returns the bronze tables with the queries, and the update's milliseconds.
    pub fn prepare(preset: &str) -> Result<(Gold, f64), Error> {
        let config = preset.parse::<datagen::Preset>()?.config();
        let target = datagen::Volume::new("default", "iot_anomaly_detection")?;
        let (_, landing) =
            datagen::generate_and_land(&config, 1, datagen::Batch::Initial, &target)?;
        let mut volume = MemoryVolume::new();
        for file in landing.files {
            volume.insert(&file.path, file.bytes);
        }
        let project = pipeline::projects::iot_sql();
        let (_, pipelines) = pipeline::load(&project, &pipeline::BundleOptions::default())
            .map_err(|e| format!("the SQL project does not load: {e:?}"))?;
        let course = pipelines.first().ok_or("the SQL project has no pipeline")?;
        let mut state = State::new();
        let start = now_ms();
        engine::update(course, &mut state, &volume, UpdateOptions::default())?;
        let update_ms = now_ms() - start;
        let mut catalog = Catalog::new();
        for name in BRONZE {
            let stored = state
                .table(&format!("{SCHEMA}.{name}"))
                .ok_or_else(|| format!("the first update made no {SCHEMA}.{name}"))?;
            catalog.register_table(name, (*stored.table).clone());
        }
        let gold = Gold {
            catalog,
            silver_sql: view_query(&project, "src/silver/inspection_silver.sql")?,
            gold_sql: view_query(&project, "src/gold/inspection_gold.sql")?,
        };
        Ok((gold, update_ms))
    }

    /// `table` as an Arrow IPC stream without `_rescued_data` (DuckDB reads only typed values).
    pub fn bronze_ipc(&self, table: &str) -> Result<Vec<u8>, Error> {
        let stored = self
            .catalog
            .table(table)
            .ok_or_else(|| format!("no bronze table {table}"))?;
        Ok(crate::ipc::stream(stored.batches(), &["_rescued_data"])?)
    }

    /// Plans and runs silver and gold (silver as a view the gold query reads), as a learner's
    /// query of the gold table from scratch would.
    pub fn query(&self) -> Result<RecordBatch, Error> {
        let mut session = Session::new(self.catalog.clone());
        let silver = session.sql_df(&self.silver_sql)?;
        session
            .catalog_mut()
            .register_view("inspection_silver", silver);
        Ok(session.sql(&self.gold_sql)?.concat()?)
    }
}
