//! Every Tempo fixture case, run through the library and compared with Tempo's recorded output.

mod common;

use std::collections::HashMap;

use common::{Case, case_dirs, check_case, compare, load_case};
use tsdf::TsdfError;
use tsdf::fixture::CaseError;
use tsdf::fixture::{batch_to_csv, parse_csv};

/// Cases where Tempo 0.1.30 crashes because of a bug of its own: we return the correct result
/// instead (checked by their own tests below).
const TEMPO_BUG_CASES: [&str; 2] = ["range_stats_explicit_cols_bug", "vwap_raises"];

#[test]
fn every_fixture_case_matches_tempo() {
    let dirs = case_dirs();
    assert!(
        dirs.len() >= 44,
        "expected the vendored fixtures, found {} cases",
        dirs.len()
    );
    let mut failures = Vec::new();
    for dir in &dirs {
        let case = load_case(dir);
        if TEMPO_BUG_CASES.contains(&case.name.as_str()) {
            continue;
        }
        if case.params["call"]["method"] == "fourier_transform" {
            if let Err(msg) = check_fourier_in_tempos_tie_order(&case) {
                failures.push(format!("{}: {msg}", case.name));
            }
            continue;
        }
        let result = match case.expected_error() {
            Some(tempo_error) => match case.run() {
                Err(CaseError::Tsdf(e)) => {
                    eprintln!(
                        "{}: error as expected: {e} (Tempo: {})",
                        case.name,
                        tempo_error.lines().next().unwrap_or("")
                    );
                    Ok(())
                }
                Err(e) => Err(format!("wrong kind of error: {e}")),
                Ok(_) => Err(format!(
                    "expected an error like Tempo's `{}`",
                    tempo_error.lines().next().unwrap_or("")
                )),
            },
            None => check_case(&case),
        };
        if let Err(msg) = result {
            failures.push(format!("{}: {msg}", case.name));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases fail:\n{}",
        failures.len(),
        dirs.len(),
        failures.join("\n\n")
    );
}

#[test]
fn range_stats_with_sequence_col_is_a_typed_error() {
    let case = load_case(&common::fixtures_dir().join("range_stats_with_seq_raises"));
    match case.run() {
        Err(CaseError::Tsdf(TsdfError::RangeFrameWithSequence { sequence_col, .. })) => {
            assert_eq!(sequence_col, "seq")
        }
        other => panic!("expected RangeFrameWithSequence, got {other:?}"),
    }
}

/// (partition, ts, value) cells identifying a row.
type RowKey = (Option<String>, Option<String>, Option<String>);

/// `fourier_transform` sorts each series by ts only; Tempo's order of equal timestamps is
/// arbitrary (Spark shuffle, then pandas' unstable sort), and the spectrum depends on it. The
/// recorded `freq` column tells each row's position in Tempo's order, so this check gives our
/// implementation that order as a sequence column and then compares everything to 1e-9.
fn check_fourier_in_tempos_tie_order(case: &Case) -> Result<(), String> {
    let expected = case.expected();
    let col = |name: &str| {
        expected
            .header
            .iter()
            .position(|h| h == name)
            .ok_or(format!("no {name}"))
    };
    let (pc, tc, vc, fc) = (
        col("device_id")?,
        col("event_ts")?,
        col(case.params["call"]["kwargs"]["valueCol"]
            .as_str()
            .unwrap_or("temp"))?,
        col("freq")?,
    );
    let step = case.params["call"]["kwargs"]["timestep"]
        .as_f64()
        .unwrap_or(1.0);
    let mut sizes: HashMap<Option<String>, usize> = HashMap::new();
    expected
        .rows
        .iter()
        .for_each(|r| *sizes.entry(r[pc].clone()).or_default() += 1);
    let mut position: HashMap<RowKey, i64> = HashMap::new();
    for r in &expected.rows {
        let n = sizes[&r[pc]] as f64;
        let f: f64 = r[fc]
            .as_deref()
            .unwrap_or("0")
            .parse()
            .map_err(|_| "bad freq")?;
        let k = (f * n * step).round() as i64;
        position.insert(
            (r[pc].clone(), r[tc].clone(), r[vc].clone()),
            k.rem_euclid(n as i64),
        );
    }
    let (file, text) = case.files.iter().next().ok_or("no input")?;
    let input = parse_csv(file, text).map_err(|e| e.to_string())?;
    let (ip, it, iv) = (
        input
            .header
            .iter()
            .position(|h| h == "device_id")
            .ok_or("no device_id")?,
        input
            .header
            .iter()
            .position(|h| h == "event_ts")
            .ok_or("no event_ts")?,
        input
            .header
            .iter()
            .position(|h| expected.header[vc] == *h)
            .ok_or("no value col")?,
    );
    let mut with_pos = format!("{},tempo_pos\n", input.header.join(","));
    for r in &input.rows {
        let k = position
            .get(&(r[ip].clone(), r[it].clone(), r[iv].clone()))
            .ok_or("input row missing from the output")?;
        let cells: Vec<&str> = r.iter().map(|c| c.as_deref().unwrap_or("")).collect();
        with_pos.push_str(&format!("{},{k}\n", cells.join(",")));
    }
    let mut params = case.params.clone();
    let key = params["inputs"]
        .as_object()
        .and_then(|o| o.keys().next().cloned())
        .ok_or("no input")?;
    params["inputs"][&key]["schema"]["tempo_pos"] = "bigint".into();
    params["inputs"][&key]["sequence_col"] = "tempo_pos".into();
    let files = HashMap::from([(file.clone(), with_pos)]);
    let out = tsdf::fixture::run_case(&params, &files).map_err(|e| e.to_string())?;
    let keep: Vec<usize> = (0..out.batch.num_columns())
        .filter(|&i| out.batch.schema().field(i).name() != "tempo_pos")
        .collect();
    let batch = out.batch.project(&keep).map_err(|e| e.to_string())?;
    let floats = ["temp", "freq", "ft_real", "ft_imag"].map(String::from);
    compare(
        &expected,
        &batch_to_csv(&batch),
        &["device_id".into(), "event_ts".into()],
        &floats,
        1e-9,
        false,
    )
}

/// Tempo 0.1.30 crashes on `withRangeStats(colsToSummarize=[...])` with a timestamp ts; the
/// correct result is the default call's statistics restricted to those columns, which the
/// `range_stats_300s` case records on the same input.
#[test]
fn range_stats_explicit_cols_gives_the_correct_result() {
    let bug = load_case(&common::fixtures_dir().join("range_stats_explicit_cols_bug"));
    let full = load_case(&common::fixtures_dir().join("range_stats_300s"));
    assert_eq!(
        bug.files.values().next(),
        full.files.values().next(),
        "both cases must share the input"
    );
    let out = bug.run().expect("computes instead of crashing");
    let expected = full.expected();
    let keep: Vec<usize> = expected
        .header
        .iter()
        .enumerate()
        .filter(|(_, h)| {
            ["device_id", "event_ts", "temp", "humidity", "status", "seq"].contains(&h.as_str())
                || h.ends_with("_temp")
        })
        .map(|(i, _)| i)
        .collect();
    let restricted = tsdf::fixture::Csv {
        header: keep.iter().map(|&i| expected.header[i].clone()).collect(),
        rows: expected
            .rows
            .iter()
            .map(|r| keep.iter().map(|&i| r[i].clone()).collect())
            .collect(),
        lines: expected.lines.clone(),
    };
    let floats: Vec<String> = restricted
        .header
        .iter()
        .filter(|h| {
            h.starts_with("mean_")
                || h.starts_with("stddev_")
                || h.starts_with("zscore_")
                || h.ends_with("temp")
                || h.ends_with("humidity")
        })
        .cloned()
        .collect();
    compare(
        &restricted,
        &batch_to_csv(&out.batch),
        &["device_id".into(), "event_ts".into()],
        &floats,
        1e-12,
        false,
    )
    .unwrap();
}

/// Tempo 0.1.30's `vwap` always raises; ours returns the aggregate, checked here against a
/// naive group-by over the input CSV.
#[test]
fn vwap_gives_the_correct_result() {
    let case = load_case(&common::fixtures_dir().join("vwap_raises"));
    let out = case.run().expect("computes instead of crashing");
    let input = parse_csv("input.csv", case.files.values().next().unwrap()).unwrap();
    let idx = |n: &str| input.header.iter().position(|h| h == n).unwrap();
    let (d, t, price, vol) = (
        idx("device_id"),
        idx("event_ts"),
        idx("temp"),
        idx("status"),
    );
    let mut want: HashMap<(String, String), (f64, i64, f64, usize)> = HashMap::new();
    for r in &input.rows {
        let minute = r[t]
            .as_deref()
            .map(|s| s[11..16].to_string())
            .unwrap_or_default();
        let e = want
            .entry((minute, r[d].clone().unwrap()))
            .or_insert((0.0, 0, f64::MIN, 0));
        let p: Option<f64> = r[price].as_deref().map(|s| s.parse().unwrap());
        let v: Option<i64> = r[vol].as_deref().map(|s| s.parse().unwrap());
        if let (Some(p), Some(v)) = (p, v) {
            e.0 += p * v as f64;
            e.3 += 1;
        }
        e.1 += v.unwrap_or(0);
        e.2 = e.2.max(p.unwrap_or(f64::MIN));
    }
    let csv = parse_csv("out", &batch_to_csv(&out.batch)).unwrap();
    assert_eq!(
        csv.header,
        vec![
            "time_group",
            "device_id",
            "dllr_value",
            "status",
            "max_temp",
            "vwap"
        ]
    );
    assert_eq!(csv.rows.len(), want.len());
    for r in &csv.rows {
        let (dllr, v, maxp, products) = want[&(r[0].clone().unwrap(), r[1].clone().unwrap())];
        if products == 0 {
            assert_eq!(r[2], None, "no price·volume product: dllr_value is NULL");
            continue;
        }
        let got: f64 = r[2].as_deref().unwrap().parse().unwrap();
        assert!((got - dllr).abs() <= 1e-9 * dllr.abs().max(1.0), "{r:?}");
        assert_eq!(r[3].as_deref().unwrap().parse::<i64>().unwrap(), v);
        assert_eq!(r[4].as_deref().unwrap().parse::<f64>().unwrap(), maxp);
        if v != 0 {
            let w: f64 = r[5].as_deref().unwrap().parse().unwrap();
            assert!((w - dllr / v as f64).abs() <= 1e-9 * w.abs());
        }
    }
}
