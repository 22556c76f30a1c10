//! A volume file's first rows, read as its format: CSV, JSON lines, or Parquet through the
//! decoded Arrow IPC copy the volume keeps beside it.

use std::sync::Arc;

use arrow::array::{RecordBatch, StringArray};
use arrow::datatypes::{DataType, Field, Schema};
use pipeline::volume::{Volume, normalize};
use protocol::Problem;

use crate::Kernel;
use crate::materialized::{Materialized, from_batch};

/// The most rows of a volume file shown: its first rows are what the learner wants to see.
pub const MAX_FILE_ROWS: usize = 10_000;

fn strings(
    name: &str,
    header: Vec<String>,
    rows: Vec<Vec<Option<String>>>,
) -> Result<Materialized, Problem> {
    let fields: Vec<Field> = header
        .iter()
        .map(|h| Field::new(h, DataType::Utf8, true))
        .collect();
    let columns = (0..header.len())
        .map(|c| {
            Arc::new(
                rows.iter()
                    .map(|r| r.get(c).cloned().flatten())
                    .collect::<StringArray>(),
            ) as arrow::array::ArrayRef
        })
        .collect();
    let batch = RecordBatch::try_new(Arc::new(Schema::new(fields)), columns)
        .map_err(|e| Problem::error(format!("cannot show `{name}`: {e}")))?;
    from_batch(name, batch)
}

pub(crate) fn file(kernel: &Kernel, path: &str) -> Result<Materialized, Problem> {
    let path = normalize(path);
    let bytes = kernel.volume.read(&path).map_err(|_| {
        let names = kernel.origins.keys().map(String::as_str);
        Problem {
            suggestions: pipeline::suggest::closest(&path, names),
            ..Problem::error(format!("there is no file `{path}` in the volume"))
        }
    })?;
    let name = path.rsplit('/').next().unwrap_or(&path).to_string();
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".parquet") {
        let batch = parquet_rows(kernel, &path, &name, &bytes)?;
        return from_batch(&name, batch);
    }
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return Err(Problem::error(format!(
            "`{name}` is not text, CSV, JSON lines or Parquet: it cannot be shown"
        )));
    };
    if lower.ends_with(".json") || lower.ends_with(".jsonl") || lower.ends_with(".ndjson") {
        return json_lines(&name, text);
    }
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| Problem::error(format!("`{name}` is not readable CSV: {e}")))?
        .iter()
        .map(str::to_string)
        .collect();
    let mut rows = Vec::new();
    for record in reader.records().take(MAX_FILE_ROWS) {
        let record = record.map_err(|e| Problem::error(format!("`{name}`: {e}")))?;
        rows.push(record.iter().map(|v| Some(v.to_string())).collect());
    }
    strings(&name, header, rows)
}

fn json_lines(name: &str, text: &str) -> Result<Materialized, Problem> {
    let mut header: Vec<String> = Vec::new();
    let mut objects = Vec::new();
    for (i, line) in text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(MAX_FILE_ROWS)
        .enumerate()
    {
        let value: serde_json::Value = serde_json::from_str(line).map_err(|e| Problem {
            place: None,
            ..Problem::error(format!("`{name}` line {}: not JSON: {e}", i + 1))
        })?;
        let serde_json::Value::Object(map) = value else {
            return Err(Problem::error(format!(
                "`{name}` line {}: a JSON lines file holds one object per line",
                i + 1
            )));
        };
        for key in map.keys() {
            if !header.contains(key) {
                header.push(key.clone());
            }
        }
        objects.push(map);
    }
    let rows = objects
        .iter()
        .map(|map| {
            header
                .iter()
                .map(|h| match map.get(h) {
                    None | Some(serde_json::Value::Null) => None,
                    Some(serde_json::Value::String(s)) => Some(s.clone()),
                    Some(other) => Some(other.to_string()),
                })
                .collect()
        })
        .collect();
    strings(name, header, rows)
}

/// The first rows of a Parquet file: from its decoded copy, else (with the `parquet` feature)
/// from the file itself.
fn parquet_rows(
    kernel: &Kernel,
    path: &str,
    name: &str,
    bytes: &[u8],
) -> Result<RecordBatch, Problem> {
    let (schema, batches) = match kernel.volume.decoded(path) {
        Some(copy) => pipeline::ipc::read_at_most(&copy, MAX_FILE_ROWS).map_err(|e| {
            Problem::error(format!(
                "the decoded copy of `{name}` is damaged ({e}): upload it again"
            ))
        })?,
        None => decode_parquet(name, bytes)?,
    };
    let batch = arrow::compute::concat_batches(&schema, &batches)
        .map_err(|e| Problem::error(format!("`{name}`: {e}")))?;
    Ok(batch.slice(0, batch.num_rows().min(MAX_FILE_ROWS)))
}

#[cfg(feature = "parquet")]
fn decode_parquet(
    name: &str,
    bytes: &[u8],
) -> Result<(arrow::datatypes::SchemaRef, Vec<RecordBatch>), Problem> {
    use arrow::array::RecordBatchReader;
    let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(
        bytes::Bytes::from(bytes.to_vec()),
    )
    .and_then(|b| b.with_batch_size(MAX_FILE_ROWS).build())
    .map_err(|e| Problem::error(format!("`{name}` is not a readable Parquet file: {e}")))?;
    let schema = reader.schema();
    let first = reader.into_iter().next().transpose();
    let batch = first.map_err(|e| Problem::error(format!("`{name}`: {e}")))?;
    Ok((schema, batch.into_iter().collect()))
}

#[cfg(not(feature = "parquet"))]
fn decode_parquet(
    name: &str,
    _: &[u8],
) -> Result<(arrow::datatypes::SchemaRef, Vec<RecordBatch>), Problem> {
    Err(Problem::error(format!(
        "`{name}` was stored without its decoded copy; upload it again"
    )))
}
