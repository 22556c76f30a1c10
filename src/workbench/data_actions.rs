//! The data: generating and landing files, uploads, rows and downloads. Parquet passes through
//! the codec worker: an upload goes to the engine with its decoded Arrow IPC copy, a Parquet
//! download comes from the engine as Arrow IPC and is encoded here.

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::{
    DataSummary, DownloadFormat, GeneratorSettings, Problem, Reply, Request, RowPage, RowSource,
    SortBy, VolumeListing,
};

use super::Workbench;

impl Workbench {
    async fn data_task(&self, label: &str, request: Request) -> Result<DataSummary, Problem> {
        self.busy.set(Some(label.to_string()));
        let answer = self.engine().call(request, None, None).await;
        self.busy.set(None);
        match answer {
            Ok((Reply::Data(data), _)) => {
                self.data.set(data.clone());
                self.volume_changed.update(|n| *n += 1);
                self.tables_changed.update(|n| *n += 1);
                Ok(data)
            }
            Ok(_) => Err(Problem::error("The engine answered something unexpected.")),
            Err(p) => Err(p),
        }
    }

    /// The landing volume of the current target: `(catalog, schema)` from the graph.
    fn landing(&self) -> (String, String) {
        self.validation
            .with_untracked(|v| {
                v.as_ref().and_then(|v| {
                    v.graph
                        .schema
                        .split_once('.')
                        .map(|(c, s)| (c.to_string(), s.to_string()))
                })
            })
            .unwrap_or_else(|| ("default".into(), "iot_anomaly_detection".into()))
    }

    /// Generate the initial load and land it in the volume.
    pub fn generate(&self, settings: GeneratorSettings) {
        if self.is_busy() {
            return;
        }
        let (catalog, schema) = self.landing();
        let me = *self;
        spawn_local(async move {
            let request = Request::Generate {
                settings,
                catalog,
                schema,
            };
            match me.data_task("Generating data…", request).await {
                Ok(data) => me.say(format!(
                    "Generated {} files ({:.1} MB) with seed {}.",
                    data.files,
                    data.bytes as f64 / 1e6,
                    settings.seed
                )),
                Err(p) => me.say_error(p.sentence()),
            }
        });
    }

    /// Land the next increment (January 2024 and on).
    pub fn land_more(&self) {
        if self.is_busy() {
            return;
        }
        let me = *self;
        spawn_local(async move {
            match me.data_task("Landing more data…", Request::LandMore).await {
                Ok(data) => me.say(format!(
                    "Landed increment {}: the volume now holds {} files.",
                    data.increments, data.files
                )),
                Err(p) => me.say_error(p.sentence()),
            }
        });
    }

    /// Forget every table and run (files stay).
    pub fn reset_tables(&self) {
        let me = *self;
        spawn_local(async move {
            match me
                .data_task("Resetting tables…", Request::ResetTables)
                .await
            {
                Ok(_) => me.say("Every table, checkpoint and run is gone; the files stay.".into()),
                Err(p) => me.say_error(p.sentence()),
            }
        });
    }

    /// One page of rows.
    pub async fn rows(
        &self,
        source: RowSource,
        offset: usize,
        limit: usize,
        sort: Option<SortBy>,
    ) -> Result<RowPage, Problem> {
        let request = Request::Rows {
            source,
            offset,
            limit,
            sort,
        };
        match self.engine().call(request, None, None).await? {
            (Reply::Rows(page), _) => Ok(page),
            _ => Err(Problem::error("The engine answered something unexpected.")),
        }
    }

    /// The volume's files.
    pub async fn list_volume(&self) -> Result<VolumeListing, Problem> {
        volume_listing(self.engine().call(Request::ListVolume, None, None).await?)
    }

    /// Add a file to a landing folder (a Parquet file with its decoded copy after it).
    pub async fn upload(
        &self,
        folder: String,
        name: String,
        mut bytes: Vec<u8>,
    ) -> Result<VolumeListing, Problem> {
        let mut decoded = None;
        if name.to_ascii_lowercase().ends_with(".parquet") {
            let copy = self.codec.get_value().decode(&name, bytes.clone()).await?;
            decoded = Some(copy.len() as u64);
            bytes.extend_from_slice(&copy);
        }
        let request = Request::Upload {
            folder,
            name,
            decoded,
        };
        let answer = self.engine().call(request, Some(bytes), None).await?;
        self.volume_changed.update(|n| *n += 1);
        self.refresh_data();
        volume_listing(answer)
    }

    /// Remove a file from the volume.
    pub async fn delete_volume_file(&self, path: String) -> Result<VolumeListing, Problem> {
        let answer = self
            .engine()
            .call(Request::DeleteFile { path }, None, None)
            .await?;
        self.volume_changed.update(|n| *n += 1);
        self.refresh_data();
        volume_listing(answer)
    }

    fn refresh_data(&self) {
        let me = *self;
        spawn_local(async move {
            if let Ok((Reply::Data(data), _)) = me.engine().call(Request::Data, None, None).await {
                me.data.set(data);
            }
        });
    }

    /// Save rows as a CSV or Parquet file through the browser's download.
    pub fn download(&self, source: RowSource, format: DownloadFormat) {
        let me = *self;
        spawn_local(async move {
            match me.download_file(source, format).await {
                Ok((name, mime, bytes)) => {
                    if let Err(e) = crate::download::save_bytes(&name, &mime, &bytes) {
                        me.say_error(format!("The download could not start: {e}."));
                    }
                }
                Err(p) => me.say_error(p.sentence()),
            }
        });
    }

    /// The file to save: `(name, media type, bytes)`. The engine writes no Parquet: it sends
    /// Arrow IPC, which the codec encodes.
    async fn download_file(
        &self,
        source: RowSource,
        format: DownloadFormat,
    ) -> Result<(String, String, Vec<u8>), Problem> {
        let parquet = format == DownloadFormat::Parquet;
        let format = if parquet {
            DownloadFormat::Arrow
        } else {
            format
        };
        let request = Request::Download { source, format };
        let (Reply::File { name, mime }, Some(bytes)) =
            self.engine().call(request, None, None).await?
        else {
            return Err(Problem::error("The engine sent no file."));
        };
        if !parquet {
            return Ok((name, mime, bytes));
        }
        let encoded = self.codec.get_value().encode(&name, bytes).await?;
        let stem = name.strip_suffix(".arrow").unwrap_or(&name);
        Ok((
            format!("{stem}.parquet"),
            "application/vnd.apache.parquet".to_string(),
            encoded,
        ))
    }
}

/// The listing a volume request answers with.
fn volume_listing(answer: (Reply, Option<Vec<u8>>)) -> Result<VolumeListing, Problem> {
    match answer {
        (Reply::Volume(listing), _) => Ok(listing),
        _ => Err(Problem::error("The engine answered something unexpected.")),
    }
}
