//! `iotwb generate` end to end: the binary writes the volume the library lands, appends
//! increments next to the initial files, and rejects bad input with the valid names.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use datagen::{Batch, Preset, Volume, generate_and_land};

fn iotwb(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_iotwb"))
        .arg("generate")
        .args(args)
        .output()
        .expect("iotwb runs")
}

/// A fresh, empty folder under Cargo's per-test temporary directory.
fn fresh_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("temporary folder");
    dir
}

/// Every file under `dir`, as (path relative to `dir`, bytes), sorted.
fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(base: &Path, dir: &Path, files: &mut Vec<(String, Vec<u8>)>) {
        for entry in fs::read_dir(dir).expect("readable").flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(base, &path, files);
            } else {
                let relative = path
                    .strip_prefix(base)
                    .expect("under base")
                    .to_string_lossy();
                files.push((
                    relative.replace('\\', "/"),
                    fs::read(&path).expect("readable"),
                ));
            }
        }
    }
    let mut files = Vec::new();
    walk(dir, dir, &mut files);
    files.sort();
    files
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn test_generate_writes_the_librarys_files_and_a_summary() {
    let out = fresh_dir("generate_initial");
    let result = iotwb(&[
        "--seed",
        "42",
        "--out",
        out.to_str().unwrap(),
        "--preset",
        "tiny",
    ]);
    assert!(result.status.success(), "{}", text(&result.stderr));
    let stdout = text(&result.stdout);
    let volume = Volume::new("default", "iot_anomaly_detection").unwrap();
    let (data, landing) =
        generate_and_land(&Preset::Tiny.config(), 42, Batch::Initial, &volume).unwrap();
    // The files on disk are exactly the library's, under <out>/Volumes/default/iot_anomaly_detection.
    let mut expected: Vec<(String, Vec<u8>)> = landing
        .files
        .iter()
        .map(|f| (f.path.trim_start_matches('/').to_string(), f.bytes.clone()))
        .collect();
    expected.sort();
    assert_eq!(tree(&out), expected);
    // The summary names rows, devices, defects, inspections and files.
    let s = &landing.summary;
    for needle in [
        format!("{} rows, {} devices", data.readings.len(), s.devices),
        format!("{} rows defect=1", s.defect_rows[1]),
        format!(
            "inspections       {} ({} defects",
            s.inspections, s.inspection_defects
        ),
        format!("{} data + {} marker files", s.data_files, s.marker_files),
        "time              generate".to_string(),
    ] {
        assert!(stdout.contains(&needle), "missing `{needle}` in:\n{stdout}");
    }
}

#[test]
fn test_increment_adds_files_and_rerun_is_idempotent() {
    let out = fresh_dir("generate_increment");
    let out_arg = out.to_str().unwrap();
    let base = [
        "--seed",
        "7",
        "--out",
        out_arg,
        "--preset",
        "tiny",
        "--catalog",
        "main",
        "--schema",
        "plant",
    ];
    assert!(iotwb(&base).status.success());
    let initial = tree(&out);
    let result = iotwb(&[&base[..], &["--batch", "increment"]].concat());
    assert!(result.status.success(), "{}", text(&result.stderr));
    let after = tree(&out);
    // Every initial file is still there, unchanged; new part files sit next to them.
    for file in &initial {
        assert!(after.contains(file), "{} changed", file.0);
    }
    let new: Vec<&String> = after
        .iter()
        .filter(|f| !initial.contains(f))
        .map(|f| &f.0)
        .collect();
    assert!(
        new.iter()
            .any(|p| p.starts_with("Volumes/main/plant/sensor_bronze/part-"))
    );
    assert!(
        new.iter()
            .any(|p| p.starts_with("Volumes/main/plant/inspection_bronze/part-"))
    );
    // The increment's rows are January 2024.
    let increment_file = after.iter().find(|f| f.0 == *new[0]).unwrap();
    assert!(text(&increment_file.1).contains(",2024-01-"));
    // Landing the same batch again writes nothing new and changes nothing.
    let again = iotwb(&[&base[..], &["--batch", "increment"]].concat());
    assert!(again.status.success());
    assert!(
        text(&again.stdout).contains("0 written"),
        "{}",
        text(&again.stdout)
    );
    assert_eq!(tree(&out), after);
}

#[test]
fn test_conflicting_file_is_not_overwritten() {
    let out = fresh_dir("generate_conflict");
    let out_arg = out.to_str().unwrap();
    let args = ["--seed", "3", "--out", out_arg, "--preset", "tiny"];
    assert!(iotwb(&args).status.success());
    let (victim, _) = tree(&out)
        .into_iter()
        .find(|f| f.0.ends_with(".csv"))
        .unwrap();
    fs::write(out.join(&victim), b"edited by hand\n").unwrap();
    let before = tree(&out);
    let result = iotwb(&args);
    assert_eq!(result.status.code(), Some(1));
    let stderr = text(&result.stderr);
    assert!(
        stderr.contains("already exists with different content"),
        "{stderr}"
    );
    assert!(
        stderr.contains(victim.rsplit('/').next().unwrap()),
        "{stderr}"
    );
    assert_eq!(tree(&out), before);
}

#[test]
fn test_bad_input_lists_valid_names() {
    let out = fresh_dir("generate_bad_input");
    let out_arg = out.to_str().unwrap();
    let cases: [(&[&str], &[&str]); 4] = [
        (
            &["--dirty", "schema-drift,typo"],
            &["`typo`", "item 2", "malformed-rows", "header-only-file"],
        ),
        (&["--preset", "huge"], &["`huge`", "tiny, course, large"]),
        (&["--batch", "later"], &["`later`", "initial, increment"]),
        (&["--schema", "a/b"], &["schema", "`a/b`"]),
    ];
    for (extra, needles) in cases {
        let result = iotwb(&[&["--seed", "1", "--out", out_arg][..], extra].concat());
        assert_eq!(result.status.code(), Some(2), "{extra:?}");
        let stderr = text(&result.stderr);
        for needle in needles {
            assert!(
                stderr.contains(needle),
                "{extra:?}: missing `{needle}` in {stderr}"
            );
        }
    }
    assert!(tree(&out).is_empty(), "nothing is written on bad input");
}

#[test]
fn test_dirty_knobs_reach_the_files() {
    let out = fresh_dir("generate_dirty");
    let out_arg = out.to_str().unwrap();
    let result = iotwb(&[
        "--seed",
        "5",
        "--out",
        out_arg,
        "--preset",
        "tiny",
        "--batch",
        "increment",
        "--dirty",
        "schema-drift,empty-files,malformed-rows=0.01",
    ]);
    assert!(result.status.success(), "{}", text(&result.stderr));
    assert!(text(&result.stdout).contains("malformed rows"));
    let files = tree(&out);
    let sensor: Vec<_> = files
        .iter()
        .filter(|f| f.0.contains("/sensor_bronze/part-"))
        .collect();
    assert!(sensor.iter().any(|f| f.1.is_empty()), "an empty file");
    assert!(
        sensor
            .iter()
            .filter(|f| !f.1.is_empty())
            .all(|f| text(&f.1).starts_with("device_id,")
                && text(&f.1).lines().next().unwrap().ends_with(",humidity"))
    );
}
