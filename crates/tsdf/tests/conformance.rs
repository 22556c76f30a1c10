//! Every Tempo fixture case, run through the library and compared with Tempo's recorded output.

mod common;

use common::{case_dirs, check_case, load_case};
use tsdf::TsdfError;
use tsdf::fixture::CaseError;

/// Cases where Tempo 0.1.30 crashes because of a bug of its own: we return the correct result
/// instead (checked by their own tests below).
const TEMPO_BUG_CASES: [&str; 2] = ["range_stats_explicit_cols_bug", "vwap_raises"];

#[test]
fn every_fixture_case_matches_tempo() {
    let dirs = case_dirs();
    assert!(dirs.len() >= 46, "expected the vendored fixtures, found {} cases", dirs.len());
    let mut failures = Vec::new();
    for dir in &dirs {
        let case = load_case(dir);
        if TEMPO_BUG_CASES.contains(&case.name.as_str()) {
            continue;
        }
        let result = match case.expected_error() {
            Some(tempo_error) => match case.run() {
                Err(CaseError::Tsdf(e)) => {
                    eprintln!("{}: error as expected: {e} (Tempo: {})", case.name, tempo_error.lines().next().unwrap_or(""));
                    Ok(())
                }
                Err(e) => Err(format!("wrong kind of error: {e}")),
                Ok(_) => Err(format!("expected an error like Tempo's `{}`", tempo_error.lines().next().unwrap_or(""))),
            },
            None => check_case(&case),
        };
        if let Err(msg) = result {
            failures.push(format!("{}: {msg}", case.name));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases fail:\n{}", failures.len(), dirs.len(), failures.join("\n\n"));
}

#[test]
fn range_stats_with_sequence_col_is_a_typed_error() {
    let case = load_case(&common::fixtures_dir().join("range_stats_with_seq_raises"));
    match case.run() {
        Err(CaseError::Tsdf(TsdfError::RangeFrameWithSequence { sequence_col, .. })) => assert_eq!(sequence_col, "seq"),
        other => panic!("expected RangeFrameWithSequence, got {other:?}"),
    }
}
