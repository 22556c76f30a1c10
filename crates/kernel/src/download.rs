//! "Download project": the learner's files exported with the `export` crate, as
//! `iotwb export` writes them with no flags but the format. The page zips the files in its
//! codec worker.

use protocol::workspace_file::ZipEntry;
use protocol::{ExportFormat, ExportNote, ExportedProject, Problem, ProjectFiles};

use crate::project::{options, place, problem, to_project};

/// The exported project and its files' bytes, concatenated in the order of its entries; or the
/// project's first error, with its place, when it does not load.
pub(crate) fn export(
    files: &ProjectFiles,
    target: Option<String>,
    format: ExportFormat,
) -> Result<(ExportedProject, Vec<u8>), Problem> {
    let project = to_project(files);
    let mut settings = ::export::ExportOptions::new(match format {
        ExportFormat::Spark => ::export::Format::Spark,
        ExportFormat::Databricks => ::export::Format::Databricks,
    });
    settings.bundle = options(target);
    let exported = ::export::export(&project, &settings).map_err(|errors| {
        let mut first = errors
            .errors()
            .next()
            .map(problem)
            .unwrap_or_else(|| Problem::error("The project did not load."));
        let more = errors.errors().count().saturating_sub(1);
        first.message = match more {
            0 => format!("Not exported: {}", first.message),
            n => format!(
                "Not exported: {} ({n} more error{} in Problems)",
                first.message,
                if n == 1 { "" } else { "s" }
            ),
        };
        first
    })?;
    let bundle = pipeline::bundle::load(&project, &settings.bundle)
        .map(|b| b.name)
        .unwrap_or_else(|_| "project".to_string());
    let mut entries = Vec::with_capacity(exported.files.len());
    let mut bytes = Vec::new();
    for (path, text) in &exported.files {
        entries.push(ZipEntry {
            path: path.clone(),
            len: text.len() as u64,
            to_parquet: false,
        });
        bytes.extend_from_slice(text.as_bytes());
    }
    let notes = |notes: &[::export::Note]| -> Vec<ExportNote> {
        notes
            .iter()
            .map(|n| ExportNote {
                place: place(&n.location),
                message: n.message.clone(),
            })
            .collect()
    };
    let project = ExportedProject {
        name: format!("{}-{}", file_name(&bundle), format.as_str()),
        files: entries,
        lowered: notes(&exported.lowered),
        not_lowered: notes(&exported.not_lowered),
    };
    Ok((project, bytes))
}

/// `name` with only the characters every file system takes in a file name.
fn file_name(name: &str) -> String {
    let kept: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if kept.is_empty() {
        "project".to_string()
    } else {
        kept
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(project: &pipeline::Project) -> ProjectFiles {
        ProjectFiles {
            files: project
                .files()
                .map(|(p, t)| (p.to_string(), t.to_string()))
                .collect(),
        }
    }

    /// The entries' texts, split back out of the concatenated bytes.
    fn texts(exported: &ExportedProject, bytes: &[u8]) -> Vec<(String, String)> {
        let mut offset = 0;
        exported
            .files
            .iter()
            .map(|e| {
                let end = offset + e.len as usize;
                let text = String::from_utf8(bytes[offset..end].to_vec()).unwrap();
                offset = end;
                (e.path.clone(), text)
            })
            .collect()
    }

    #[test]
    fn test_both_formats_give_the_export_crates_files_with_its_defaults() {
        let mut project = pipeline::projects::iot_python();
        let edited = project
            .get("src/silver/anomaly_detected.py")
            .unwrap()
            .replace("> 101", "> 95");
        project.insert("src/silver/anomaly_detected.py", edited);
        for (format, crate_format) in [
            (ExportFormat::Spark, ::export::Format::Spark),
            (ExportFormat::Databricks, ::export::Format::Databricks),
        ] {
            let (exported, bytes) = export(&files(&project), None, format).unwrap();
            let reference =
                ::export::export(&project, &::export::ExportOptions::new(crate_format)).unwrap();
            let expected: Vec<(String, String)> = reference.files.into_iter().collect();
            assert_eq!(texts(&exported, &bytes), expected, "{format:?}");
            let bundle = pipeline::bundle::load(&project, &Default::default()).unwrap();
            assert_eq!(
                exported.name,
                format!("{}-{}", bundle.name, format.as_str())
            );
            assert_eq!(exported.lowered.len(), reference.lowered.len());
            assert!(exported.not_lowered.is_empty());
        }
    }

    #[test]
    fn test_a_databricks_only_function_is_listed_with_its_place() {
        let mut project = pipeline::projects::iot_sql();
        let gold = project
            .get("src/gold/inspection_gold.sql")
            .unwrap()
            .replace(
                "          count(*) AS `count`,\n",
                "          count(*) AS `count`,\n          ai_summarize(model_id) AS model_summary,\n",
            );
        let line = gold
            .lines()
            .position(|l| l.contains("ai_summarize"))
            .unwrap()
            + 1;
        project.insert("src/gold/inspection_gold.sql", gold);
        let (exported, _) = export(&files(&project), None, ExportFormat::Spark).unwrap();
        let [note] = exported.not_lowered.as_slice() else {
            panic!("{:?}", exported.not_lowered)
        };
        let place = &note.place;
        assert_eq!(
            (place.file.as_deref(), place.line, place.column),
            (Some("src/gold/inspection_gold.sql"), line as u32, 11)
        );
        assert!(note.message.contains("ai_summarize"), "{}", note.message);
    }

    #[test]
    fn test_a_project_that_does_not_parse_is_an_error_with_its_place() {
        let mut project = pipeline::projects::iot_python();
        let broken = project
            .get("src/gold/inspection_gold.py")
            .unwrap()
            .replacen("def ", "def (", 1);
        project.insert("src/gold/inspection_gold.py", broken);
        let problem = export(&files(&project), None, ExportFormat::Spark).unwrap_err();
        let place = problem.place.clone().expect("a place");
        assert_eq!(place.file.as_deref(), Some("src/gold/inspection_gold.py"));
        assert!(place.line > 0 && place.column > 0);
        assert!(problem.message.starts_with("Not exported: "), "{problem:?}");
    }

    #[test]
    fn test_file_names_keep_only_safe_characters() {
        assert_eq!(file_name("iot anomaly/detection"), "iot_anomaly_detection");
        assert_eq!(file_name(""), "project");
    }
}
