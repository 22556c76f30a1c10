//! Auto Loader (`cloudFiles`, `read_files`): incremental, exactly-once file ingestion with
//! schema inference, schema hints, rescued data and schema evolution.
//!
//! One update of a file source: [`discover`] lists the files not processed yet (skipping names
//! that start with `_` or `.`), then [`load`] reads them against the schema kept at the schema
//! location (inferring it on first use), decides what new columns mean under the evolution
//! mode, and returns one typed batch per file.

pub mod convert;
pub mod csv;
pub mod infer;
pub mod json;
pub mod options;
pub mod parquet_file;

use std::collections::BTreeSet;
use std::sync::Arc;

use arrow::array::{ArrayRef, RecordBatch};
use query::SparkType;

use crate::glob;
use crate::volume::{FileEntry, Volume, VolumeError};
use infer::Columns;
use options::{EvolutionMode, FileFormat, SourceOptions};

/// One file's columns before types are applied.
#[derive(Debug, Clone)]
pub struct RawFile {
    /// The file's path.
    pub path: String,
    /// Column names in file order.
    pub names: Vec<String>,
    /// Each column and the Spark type it holds (text formats: `string`, unless typed while
    /// reading).
    pub columns: Vec<(ArrayRef, SparkType)>,
    /// Per column (or none at all), the values typing while reading could not convert, NULL
    /// in `columns`: `(row, text)`, rows ascending.
    pub rejected: Vec<Vec<(usize, String)>>,
    /// Values beyond the header's columns, per row: `(row, [(field index, value)])`.
    pub extra_fields: Vec<(usize, Vec<(usize, String)>)>,
    /// Number of rows.
    pub num_rows: usize,
}

/// Why reading a file source failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LoadError {
    /// Nothing to infer a schema from (Spark: `CF_EMPTY_DIR_FOR_SCHEMA_INFERENCE`).
    #[error(
        "[CF_EMPTY_DIR_FOR_SCHEMA_INFERENCE] cannot infer the schema of {path}: no {format} files there yet (land data first, or give the full schema)"
    )]
    EmptyDirectory {
        /// The source folder.
        path: String,
        /// The format read.
        format: &'static str,
    },
    /// Files bring columns the schema lacks. With `addNewColumns` the schema location already
    /// holds them (`evolved`), so the next update succeeds.
    #[error("[UNKNOWN_FIELD_EXCEPTION.NEW_FIELDS_IN_FILE] {file} has new column(s) {} not in the schema{}", names(.columns), hint(.mode))]
    NewColumns {
        /// The new columns.
        columns: Vec<String>,
        /// The first file that has them.
        file: String,
        /// The evolution mode in force.
        mode: EvolutionMode,
        /// The evolved schema to keep (addNewColumns only).
        evolved: Option<Columns>,
    },
    /// A file could not be parsed at all.
    #[error("cannot read {file}: {message}")]
    Unreadable {
        /// The file.
        file: String,
        /// What went wrong.
        message: String,
    },
    /// A Parquet file has no decoded Arrow IPC copy and this engine has no Parquet decoder
    /// (the browser's): the page decodes a file when it is uploaded.
    #[error("{file} was stored without its decoded copy; upload it again")]
    MissingDecodedCopy {
        /// The file.
        file: String,
    },
    /// The volume failed.
    #[error(transparent)]
    Volume(#[from] VolumeError),
    /// Converting values failed inside the engine.
    #[error("converting {file}: {message}")]
    Convert {
        /// The file.
        file: String,
        /// The engine's message.
        message: String,
    },
}

fn names(columns: &[String]) -> String {
    columns
        .iter()
        .map(|c| format!("`{c}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn hint(mode: &EvolutionMode) -> &'static str {
    match mode {
        EvolutionMode::AddNewColumns => {
            "; the schema now includes them: run the update again to read them"
        }
        EvolutionMode::FailOnNewColumns => {
            "; schemaEvolutionMode is failOnNewColumns: add them to the schema hints or remove the files"
        }
        _ => "",
    }
}

/// Files under the source path not yet processed, sorted by path. Names starting with `_` or
/// `.` (markers such as `_SUCCESS`, hidden files) are skipped, as Spark does.
pub fn discover(
    volume: &dyn Volume,
    source: &SourceOptions,
    processed: &BTreeSet<String>,
) -> Result<Vec<FileEntry>, VolumeError> {
    let root = &source.path;
    let files = volume.list(root)?;
    Ok(files
        .into_iter()
        .filter(|f| {
            let relative = f.path.strip_prefix(root.as_str()).unwrap_or(&f.path);
            let hidden = relative
                .split('/')
                .any(|part| part.starts_with('_') || part.starts_with('.'));
            let name = f.path.rsplit('/').next().unwrap_or("");
            let matches = source
                .path_glob_filter
                .as_ref()
                .is_none_or(|g| glob::matches(g, name));
            !hidden && matches && !processed.contains(&f.path)
        })
        .collect())
}

/// Read one file into raw columns; `decoded` is a Parquet file's Arrow IPC copy, if kept.
/// `types` are the columns whose type is known before reading (a given or kept schema, else
/// the schema hints): a CSV file's matching columns are typed as they are read
/// ([`convert::column_types`]), the others stay text.
pub fn read_raw(
    path: &str,
    bytes: &[u8],
    decoded: Option<&[u8]>,
    source: &SourceOptions,
    types: &[(String, SparkType)],
) -> Result<RawFile, LoadError> {
    let unreadable = |message: String| LoadError::Unreadable {
        file: path.to_string(),
        message,
    };
    match source.format {
        FileFormat::Csv => {
            let raw = csv::read_csv_typed(bytes, &source.csv, |names| {
                convert::column_types(names, types)
            })
            .map_err(|e| unreadable(e.to_string()))?;
            Ok(RawFile {
                path: path.to_string(),
                names: raw.names,
                columns: raw.columns,
                rejected: raw.rejected,
                extra_fields: raw.extra_fields,
                num_rows: raw.num_rows,
            })
        }
        FileFormat::Json => json::read_json(path, bytes, source.multi_line).map_err(unreadable),
        FileFormat::Parquet => parquet_file::read_parquet(path, bytes, decoded),
    }
}

/// The result of reading new files.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The data columns (without the rescued data column): what the schema location keeps.
    pub schema: Columns,
    /// Whether `schema` differs from the one kept before.
    pub schema_changed: bool,
    /// The output columns (data columns, then the rescued data column if any).
    pub output: Columns,
    /// One batch per file, in path order.
    pub batches: Vec<RecordBatch>,
    /// The files read.
    pub files: Vec<String>,
}

/// Read `files` of `source` against the kept schema (`known`, `None` on first use).
pub fn load(
    volume: &dyn Volume,
    source: &SourceOptions,
    files: &[FileEntry],
    known: Option<&Columns>,
) -> Result<Loaded, LoadError> {
    // The schema's types where it is known before reading; on first use only the hinted
    // columns' (inference then keeps their hinted type).
    let types = source
        .user_schema
        .as_ref()
        .or(known)
        .unwrap_or(&source.schema_hints);
    let mut raws = Vec::with_capacity(files.len());
    for file in files {
        let bytes = volume.read(&file.path)?;
        let decoded = volume.decoded(&file.path);
        raws.push(read_raw(
            &file.path,
            &bytes,
            decoded.as_deref(),
            source,
            types,
        )?);
    }
    let (schema, schema_changed) = match (&source.user_schema, known) {
        (Some(user), _) => (user.clone(), false),
        (None, Some(known)) => (known.clone(), false),
        (None, None) => {
            if raws.iter().all(|r| r.names.is_empty()) && source.schema_hints.is_empty() {
                return Err(LoadError::EmptyDirectory {
                    path: source.path.clone(),
                    format: source.format.as_str(),
                });
            }
            (
                infer::infer_schema(&raws, source.infer_column_types, &source.schema_hints),
                true,
            )
        }
    };
    let evolving = source.user_schema.is_none();
    if evolving
        && matches!(
            source.evolution,
            EvolutionMode::AddNewColumns | EvolutionMode::FailOnNewColumns
        )
    {
        for raw in &raws {
            let added = infer::new_columns(&schema, raw);
            if added.is_empty() {
                continue;
            }
            let evolved = (source.evolution == EvolutionMode::AddNewColumns).then(|| {
                let all_new: Vec<String> = raws
                    .iter()
                    .flat_map(|r| infer::new_columns(&schema, r))
                    .fold(Vec::new(), |mut acc, c| {
                        if !acc.contains(&c) {
                            acc.push(c);
                        }
                        acc
                    });
                let evolved = infer::evolve(&schema, &all_new, &raws, source.infer_column_types);
                infer::apply_hints(evolved, &source.schema_hints)
            });
            return Err(LoadError::NewColumns {
                columns: added,
                file: raw.path.clone(),
                mode: source.evolution,
                evolved,
            });
        }
    }
    let rescued = source.rescued_column.as_deref();
    let rescue_unknown = source.evolution == EvolutionMode::Rescue || source.user_schema.is_some();
    let mut batches = Vec::with_capacity(raws.len());
    // Each file's text columns are freed once its typed batch exists, so the read's peak
    // memory is about the text of all files, not the text plus every typed batch (1 M
    // readings: about 100 MiB of the page's peak).
    for raw in raws {
        let batch = convert::to_batch(&raw, &schema, rescued, rescue_unknown).map_err(|e| {
            LoadError::Convert {
                file: raw.path.clone(),
                message: e.to_string(),
            }
        })?;
        batches.push(batch);
    }
    let mut output = schema.clone();
    if let Some(name) = rescued {
        output.push((name.to_string(), SparkType::String));
    }
    Ok(Loaded {
        schema,
        schema_changed,
        output,
        batches,
        files: files.iter().map(|f| f.path.clone()).collect(),
    })
}

/// The Arrow schema of `columns`.
pub fn arrow_schema(columns: &Columns) -> arrow::datatypes::SchemaRef {
    Arc::new(arrow::datatypes::Schema::new(
        columns
            .iter()
            .map(|(n, t)| arrow::datatypes::Field::new(n, t.to_arrow(), true))
            .collect::<Vec<_>>(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Location;
    use crate::autoloader::options::Reader;
    use crate::volume::MemoryVolume;
    use arrow::array::{Array, AsArray};

    fn source(mode: EvolutionMode) -> SourceOptions {
        let mut s = SourceOptions::new("/Volumes/c/s/in", Location::default(), Reader::CloudFiles);
        s.schema_hints = vec![("id".into(), SparkType::Int)];
        s.evolution = mode;
        s
    }

    fn volume(files: &[(&str, &str)]) -> MemoryVolume {
        let mut v = MemoryVolume::new();
        for (p, t) in files {
            v.insert(&format!("/Volumes/c/s/in/{p}"), t.as_bytes().to_vec());
        }
        v
    }

    #[test]
    fn test_discover_skips_markers_hidden_and_processed() {
        let v = volume(&[
            ("a.csv", ""),
            ("_SUCCESS", ""),
            (".tmp.csv", ""),
            ("_temp/b.csv", ""),
            ("c.csv", ""),
        ]);
        let done = BTreeSet::from(["/Volumes/c/s/in/c.csv".to_string()]);
        let found: Vec<_> = discover(&v, &source(EvolutionMode::Rescue), &done)
            .unwrap()
            .into_iter()
            .map(|f| f.path)
            .collect();
        assert_eq!(found, ["/Volumes/c/s/in/a.csv"]);
    }

    #[test]
    fn test_first_load_infers_strings_and_applies_hints() {
        let v = volume(&[("a.csv", "id,name\n1,x\n")]);
        let s = source(EvolutionMode::AddNewColumns);
        let files = discover(&v, &s, &BTreeSet::new()).unwrap();
        let loaded = load(&v, &s, &files, None).unwrap();
        assert_eq!(
            loaded.schema,
            vec![
                ("id".to_string(), SparkType::Int),
                ("name".to_string(), SparkType::String)
            ]
        );
        assert!(loaded.schema_changed);
        assert_eq!(loaded.output.last().unwrap().0, "_rescued_data");
    }

    #[test]
    fn test_each_evolution_mode() {
        let v = volume(&[("b.csv", "id,name,extra\n2,y,z\n")]);
        let known: Columns = vec![
            ("id".into(), SparkType::Int),
            ("name".into(), SparkType::String),
        ];
        let files = discover(&v, &source(EvolutionMode::Rescue), &BTreeSet::new()).unwrap();

        let err = load(
            &v,
            &source(EvolutionMode::AddNewColumns),
            &files,
            Some(&known),
        )
        .unwrap_err();
        let LoadError::NewColumns {
            columns, evolved, ..
        } = &err
        else {
            panic!("{err}")
        };
        assert_eq!(columns, &["extra"]);
        assert_eq!(
            evolved.as_ref().unwrap().last().unwrap(),
            &("extra".to_string(), SparkType::String)
        );
        assert!(err.to_string().contains("run the update again"));

        let err = load(
            &v,
            &source(EvolutionMode::FailOnNewColumns),
            &files,
            Some(&known),
        )
        .unwrap_err();
        assert!(matches!(err, LoadError::NewColumns { evolved: None, .. }));

        let rescued = load(&v, &source(EvolutionMode::Rescue), &files, Some(&known)).unwrap();
        let json = rescued.batches[0]
            .column(2)
            .as_string::<i32>()
            .value(0)
            .to_string();
        assert_eq!(
            json,
            r#"{"extra":"z","_file_path":"/Volumes/c/s/in/b.csv"}"#
        );

        let ignored = load(&v, &source(EvolutionMode::None), &files, Some(&known)).unwrap();
        assert!(ignored.batches[0].column(2).is_null(0));
        assert_eq!(ignored.batches[0].num_columns(), 3);
    }

    #[test]
    fn test_empty_folder_cannot_infer() {
        let v = volume(&[]);
        let mut s = source(EvolutionMode::AddNewColumns);
        s.schema_hints.clear();
        assert!(matches!(
            load(&v, &s, &[], None),
            Err(LoadError::EmptyDirectory { .. })
        ));
    }

    #[test]
    fn test_json_source() {
        let v = volume(&[(
            "a.json",
            "{\"id\": 1, \"v\": 2.5}\n{\"id\": \"bad\"}\nnot json\n",
        )]);
        let mut s = source(EvolutionMode::AddNewColumns);
        s.format = FileFormat::Json;
        s.infer_column_types = true;
        let files = discover(&v, &s, &BTreeSet::new()).unwrap();
        let loaded = load(&v, &s, &files, None).unwrap();
        assert_eq!(loaded.schema[1], ("v".to_string(), SparkType::Double));
        let rescued = loaded.batches[0].column(2).as_string::<i32>();
        assert_eq!(
            rescued.value(1),
            r#"{"id":"bad","_file_path":"/Volumes/c/s/in/a.json"}"#
        );
        assert_eq!(
            rescued.value(2),
            r#"{"_corrupt_record":"not json","_file_path":"/Volumes/c/s/in/a.json"}"#
        );
    }

    #[cfg(feature = "parquet")]
    #[test]
    fn test_parquet_source_casts_to_hints_and_rescues_overflow() {
        use arrow::array::Int64Array;
        let schema = Arc::new(arrow::datatypes::Schema::new(vec![
            arrow::datatypes::Field::new("id", arrow::datatypes::DataType::Int64, true),
        ]));
        let batch = RecordBatch::try_new(
            schema.clone(),
            vec![Arc::new(Int64Array::from(vec![1, 5_000_000_000]))],
        )
        .unwrap();
        let mut bytes = Vec::new();
        let mut writer = parquet::arrow::ArrowWriter::try_new(&mut bytes, schema, None).unwrap();
        writer.write(&batch).unwrap();
        writer.close().unwrap();
        let mut v = MemoryVolume::new();
        v.insert("/Volumes/c/s/in/p.parquet", bytes);
        let mut s = source(EvolutionMode::AddNewColumns);
        s.format = FileFormat::Parquet;
        let files = discover(&v, &s, &BTreeSet::new()).unwrap();
        let loaded = load(&v, &s, &files, None).unwrap();
        assert_eq!(loaded.schema, vec![("id".to_string(), SparkType::Int)]);
        let out = &loaded.batches[0];
        assert!(out.column(0).is_null(1));
        assert_eq!(
            out.column(1).as_string::<i32>().value(1),
            r#"{"id":"5000000000","_file_path":"/Volumes/c/s/in/p.parquet"}"#
        );
    }
}
