//! The volume and the generator: generate, land more, uploads, deletes, the listing and the
//! tables' summaries.

use pipeline::state::State;
use pipeline::volume::{Volume, normalize};
use protocol::{
    FileOrigin, GeneratorSettings, Preset, Problem, TableSummary, VolumeFile, VolumeListing,
};

use crate::{Kernel, Landing};

/// The largest file an upload may add: the whole volume lives in the page's memory.
pub const MAX_UPLOAD_BYTES: usize = 256 * 1024 * 1024;

fn preset(preset: Preset) -> datagen::Preset {
    match preset {
        Preset::Tiny => datagen::Preset::Tiny,
        Preset::Course => datagen::Preset::Course,
        Preset::Large => datagen::Preset::Large,
    }
}

/// The generator's configuration for the panel's settings.
pub(crate) fn config(settings: &GeneratorSettings) -> datagen::GeneratorConfig {
    let mut config = preset(settings.preset).config();
    let dirty = &settings.dirty;
    config.dirty = datagen::DirtyConfig {
        malformed_rows: dirty.malformed_rows,
        schema_drift: dirty.schema_drift,
        duplicate_files: dirty.duplicate_files,
        empty_files: dirty.empty_files,
        header_only_file: dirty.header_only_file,
    };
    config
}

fn land(
    settings: &GeneratorSettings,
    landing: &Landing,
    batch: datagen::Batch,
) -> Result<datagen::Landing, Problem> {
    let volume = datagen::Volume::new(&landing.catalog, &landing.schema)
        .map_err(|e| Problem::error(format!("cannot land data there: {e}")))?;
    if !(0.0..=1.0).contains(&settings.dirty.malformed_rows) {
        return Err(Problem::error(format!(
            "the share of malformed rows must be between 0 and 1, not {}",
            settings.dirty.malformed_rows
        )));
    }
    datagen::generate_and_land(&config(settings), settings.seed, batch, &volume)
        .map(|(_, landing)| landing)
        .map_err(|e| Problem::error(format!("the generator could not run: {e}")))
}

fn insert_generated(kernel: &mut Kernel, files: Vec<datagen::LandedFile>) {
    for file in files {
        let path = normalize(&file.path);
        kernel.volume.insert(&path, file.bytes);
        kernel.origins.insert(path, FileOrigin::Generated);
    }
}

/// Replace every generated file by a fresh initial load.
pub(crate) fn generate(
    kernel: &mut Kernel,
    settings: GeneratorSettings,
    catalog: &str,
    schema: &str,
) -> Result<(), Problem> {
    let landing = Landing {
        catalog: catalog.to_string(),
        schema: schema.to_string(),
    };
    let landed = land(&settings, &landing, datagen::Batch::Initial)?;
    let generated: Vec<String> = kernel
        .origins
        .iter()
        .filter(|(_, o)| **o == FileOrigin::Generated)
        .map(|(p, _)| p.clone())
        .collect();
    for path in generated {
        kernel.volume.remove(&path);
        kernel.origins.remove(&path);
    }
    insert_generated(kernel, landed.files);
    kernel.generated = Some(settings);
    kernel.landing = Some(landing);
    kernel.increments = 0;
    kernel.changed();
    Ok(())
}

/// Land the next increment of the last generation.
pub(crate) fn land_more(kernel: &mut Kernel) -> Result<(), Problem> {
    let (Some(settings), Some(landing)) = (kernel.generated, kernel.landing.clone()) else {
        return Err(Problem {
            suggestions: vec!["Generate data first".to_string()],
            ..Problem::error(
                "there is no generated data to add to: generate the initial load first",
            )
        });
    };
    let batch = datagen::Batch::Increment(kernel.increments + 1);
    let landed = land(&settings, &landing, batch)?;
    insert_generated(kernel, landed.files);
    kernel.increments += 1;
    kernel.changed();
    Ok(())
}

/// Check an upload's folder and name; the file's `/Volumes/...` path.
pub(crate) fn upload_path(folder: &str, name: &str) -> Result<String, Problem> {
    let folder = normalize(folder);
    let parts: Vec<&str> = folder.split('/').skip(1).collect();
    if parts.first() != Some(&"Volumes") || parts.len() < 4 || parts.contains(&"..") {
        return Err(Problem {
            suggestions: vec!["/Volumes/default/iot_anomaly_detection/sensor_bronze".to_string()],
            ..Problem::error(format!(
                "`{folder}` is not a volume folder: upload into /Volumes/<catalog>/<schema>/<volume>"
            ))
        });
    }
    if name.is_empty() || name.contains('/') || name.contains('\\') || name == "." || name == ".." {
        return Err(Problem::error(format!(
            "`{name}` cannot be a file name: use a name without `/` (such as readings.csv)"
        )));
    }
    Ok(format!("{folder}/{name}"))
}

/// Add (or replace) an uploaded file. `decoded` is the length of a Parquet file's decoded
/// Arrow IPC copy at the end of `bytes` (the page decodes; this engine has no Parquet decoder).
pub(crate) fn upload(
    kernel: &mut Kernel,
    folder: &str,
    name: &str,
    mut bytes: Vec<u8>,
    decoded: Option<u64>,
) -> Result<(), Problem> {
    let path = upload_path(folder, name)?;
    let copy = match decoded {
        Some(len) => Some(split_decoded_copy(name, &mut bytes, len)?),
        None => None,
    };
    if bytes.is_empty() {
        return Err(Problem::error(format!(
            "`{name}` is empty: there is nothing to upload"
        )));
    }
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err(Problem::error(format!(
            "`{name}` is {} MiB; the workbook keeps files of at most 256 MiB",
            bytes.len() / (1024 * 1024)
        )));
    }
    match copy {
        Some(copy) => kernel.volume.insert_with_decoded(&path, bytes, copy),
        None => kernel.volume.insert(&path, bytes),
    }
    kernel.origins.insert(path, FileOrigin::Uploaded);
    kernel.changed();
    Ok(())
}

/// Take the decoded copy (`len` bytes at the end) off an upload's `bytes`, checking that it is
/// an Arrow IPC file the engine can read.
fn split_decoded_copy(name: &str, bytes: &mut Vec<u8>, len: u64) -> Result<Vec<u8>, Problem> {
    let broken = |why: &str| {
        Problem::error(format!(
            "the decoded copy of `{name}` that came with it {why}: upload it again"
        ))
    };
    let len = usize::try_from(len)
        .ok()
        .filter(|len| *len <= bytes.len())
        .ok_or_else(|| broken("is longer than the upload"))?;
    let copy = bytes.split_off(bytes.len() - len);
    if arrow::ipc::reader::FileReader::try_new(std::io::Cursor::new(&copy), None).is_err() {
        return Err(broken("is not an Arrow IPC file"));
    }
    Ok(copy)
}

/// Remove a file of the volume.
pub(crate) fn delete_file(kernel: &mut Kernel, path: &str) -> Result<(), Problem> {
    let path = normalize(path);
    if !kernel.volume.remove(&path) {
        let names = kernel.origins.keys().map(String::as_str);
        return Err(Problem {
            suggestions: pipeline::suggest::closest(&path, names),
            ..Problem::error(format!("there is no file `{path}` in the volume"))
        });
    }
    kernel.origins.remove(&path);
    kernel.changed();
    Ok(())
}

/// Every file of the volume, sorted by path.
pub(crate) fn listing(kernel: &Kernel) -> VolumeListing {
    let files = kernel.volume.list("/").unwrap_or_default();
    VolumeListing {
        files: files
            .into_iter()
            .map(|f| VolumeFile {
                origin: kernel
                    .origins
                    .get(&f.path)
                    .copied()
                    .unwrap_or(FileOrigin::Uploaded),
                path: f.path,
                size: f.size,
            })
            .collect(),
    }
}

/// The published tables (not views), sorted by name.
pub(crate) fn table_summaries(state: &State) -> Vec<TableSummary> {
    state
        .tables
        .iter()
        .filter(|(_, t)| t.kind.is_stored())
        .map(|(name, t)| TableSummary {
            qualified: name.clone(),
            kind: t.kind.as_str().to_string(),
            rows: t.table.num_rows() as u64,
            version: t.version,
            columns: t
                .table
                .schema()
                .iter()
                .map(|(n, ty)| (n.clone(), ty.simple_string()))
                .collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_upload_path_rejects_folders_outside_a_volume_and_bad_names() {
        assert_eq!(
            upload_path("/Volumes/main/s/in/", "a.csv").unwrap(),
            "/Volumes/main/s/in/a.csv"
        );
        assert!(upload_path("/Volumes/main/s", "a.csv").is_err());
        assert!(upload_path("/tmp/x/y/z", "a.csv").is_err());
        assert!(upload_path("/Volumes/main/s/in", "../a.csv").is_err());
        assert!(upload_path("/Volumes/main/s/in", "..").is_err());
        assert!(upload_path("/Volumes/main/s/in", "").is_err());
    }
}
