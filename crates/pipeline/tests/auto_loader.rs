//! Auto Loader in a pipeline: rescued data, each schema evolution mode, exactly-once files,
//! skipped marker files, malformed rows.

mod common;

use common::{columns, land, load, project, rows, update};
use pipeline::PipelineError;
use pipeline::autoloader::LoadError;
use pipeline::engine::{self, UpdateOptions};
use pipeline::state::State;
use pipeline::volume::MemoryVolume;

fn bronze(mode: Option<&str>) -> String {
    let mode = mode
        .map(|m| format!(".option(\"cloudFiles.schemaEvolutionMode\", \"{m}\")"))
        .unwrap_or_default();
    format!(
        "from pyspark import pipelines as dp\n\n@dp.table\ndef raw():\n    return (spark.readStream.format(\"cloudFiles\")\n        .option(\"cloudFiles.format\", \"csv\")\n        .option(\"cloudFiles.schemaHints\", \"id int\"){mode}\n        .load(spark.conf.get(\"landing\")))\n"
    )
}

const DIR: &str = "/Volumes/main/s/landing";

#[test]
fn test_rescued_data_keeps_the_row_and_names_the_file() {
    let p = load(&project(&[("raw.py", &bronze(None))]));
    let mut volume = MemoryVolume::new();
    land(
        &mut volume,
        &format!("{DIR}/a.csv"),
        "id,name\n1,ann\nx,bob\n",
    );
    let mut state = State::new();
    update(&p, &mut state, &volume);
    assert_eq!(
        columns(&state, "main.s.raw"),
        ["id:int", "name:string", "_rescued_data:string"]
    );
    assert_eq!(
        rows(&state, "main.s.raw"),
        [
            "1|ann|NULL",
            "NULL|bob|{\"id\":\"x\",\"_file_path\":\"/Volumes/main/s/landing/a.csv\"}",
        ]
    );
}

#[test]
fn test_add_new_columns_fails_once_then_reads_the_column() {
    let p = load(&project(&[("raw.py", &bronze(None))]));
    let mut volume = MemoryVolume::new();
    let mut state = State::new();
    land(&mut volume, &format!("{DIR}/a.csv"), "id,name\n1,ann\n");
    update(&p, &mut state, &volume);
    land(
        &mut volume,
        &format!("{DIR}/b.csv"),
        "id,name,color\n2,bob,red\n",
    );
    let err = engine::update(&p, &mut state, &volume, UpdateOptions::default()).unwrap_err();
    let PipelineError::Files { error, .. } = &err else {
        panic!("{err}")
    };
    let LoadError::NewColumns { columns: new, .. } = &**error else {
        panic!("{err}")
    };
    assert_eq!(new, &["color"]);
    assert!(err.to_string().contains("run the update again"), "{err}");
    // The failed update changed no table.
    assert_eq!(rows(&state, "main.s.raw"), ["1|ann|NULL"]);
    // The next update reads the new column; the first file is not read again.
    let report = update(&p, &mut state, &volume);
    assert_eq!(
        (report.flows[0].rows_written, report.flows[0].files_read),
        (1, 1)
    );
    assert_eq!(
        columns(&state, "main.s.raw"),
        [
            "id:int",
            "name:string",
            "_rescued_data:string",
            "color:string"
        ]
    );
    assert_eq!(
        rows(&state, "main.s.raw"),
        ["1|ann|NULL|NULL", "2|bob|NULL|red"]
    );
}

#[test]
fn test_rescue_none_and_fail_modes() {
    for (mode, expected) in [
        (
            "rescue",
            Some(vec![
                "1|ann|NULL".to_string(),
                "2|bob|{\"color\":\"red\",\"_file_path\":\"/Volumes/main/s/landing/b.csv\"}"
                    .to_string(),
            ]),
        ),
        (
            "none",
            Some(vec!["1|ann|NULL".to_string(), "2|bob|NULL".to_string()]),
        ),
        ("failOnNewColumns", None),
    ] {
        let p = load(&project(&[("raw.py", &bronze(Some(mode)))]));
        let mut volume = MemoryVolume::new();
        let mut state = State::new();
        land(&mut volume, &format!("{DIR}/a.csv"), "id,name\n1,ann\n");
        update(&p, &mut state, &volume);
        land(
            &mut volume,
            &format!("{DIR}/b.csv"),
            "id,name,color\n2,bob,red\n",
        );
        match expected {
            Some(expected) => {
                update(&p, &mut state, &volume);
                assert_eq!(rows(&state, "main.s.raw"), expected, "{mode}");
            }
            None => {
                for _ in 0..2 {
                    let err = engine::update(&p, &mut state, &volume, UpdateOptions::default())
                        .unwrap_err();
                    assert!(err.to_string().contains("failOnNewColumns"), "{err}");
                }
                assert_eq!(rows(&state, "main.s.raw"), ["1|ann|NULL"]);
            }
        }
    }
}

#[test]
fn test_files_are_read_exactly_once_and_markers_skipped() {
    let p = load(&project(&[("raw.py", &bronze(None))]));
    let mut volume = MemoryVolume::new();
    let mut state = State::new();
    land(&mut volume, &format!("{DIR}/part-0.csv"), "id,name\n1,a\n");
    land(&mut volume, &format!("{DIR}/_SUCCESS"), "");
    land(&mut volume, &format!("{DIR}/.part-1.csv.crc"), "garbage");
    land(
        &mut volume,
        &format!("{DIR}/_temporary/part-9.csv"),
        "id,name\n9,z\n",
    );
    assert_eq!(update(&p, &mut state, &volume).flows[0].files_read, 1);
    assert_eq!(update(&p, &mut state, &volume).flows[0].rows_written, 0);
    land(&mut volume, &format!("{DIR}/part-1.csv"), "id,name\n2,b\n");
    let report = update(&p, &mut state, &volume);
    assert_eq!(
        (report.flows[0].files_read, report.flows[0].rows_written),
        (1, 1)
    );
    assert_eq!(rows(&state, "main.s.raw"), ["1|a|NULL", "2|b|NULL"]);
}

#[test]
fn test_malformed_rows_follow_permissive_mode() {
    let p = load(&project(&[("raw.py", &bronze(None))]));
    let mut volume = MemoryVolume::new();
    let mut state = State::new();
    land(
        &mut volume,
        &format!("{DIR}/a.csv"),
        "id,name\n1\n2,b,extra\n",
    );
    update(&p, &mut state, &volume);
    assert_eq!(
        rows(&state, "main.s.raw"),
        [
            "1|NULL|NULL",
            "2|b|{\"_c2\":\"extra\",\"_file_path\":\"/Volumes/main/s/landing/a.csv\"}",
        ]
    );
}
