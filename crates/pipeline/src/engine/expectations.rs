//! Expectations over a flow's output rows: count passes and failures, drop or fail.
//!
//! A row passes when the condition is TRUE; FALSE and NULL fail (as the `filter` that drops
//! rows would treat them).

use arrow::array::{Array, BooleanArray, RecordBatch};
use arrow::compute::filter_record_batch;
use query::functions::cast::value_to_string;
use query::{ExecOptions, SourceOrigin, evaluate_predicate, parse_expr_at};
use serde::Serialize;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::error::PipelineError;
use crate::python::interp::query_message;
use crate::sources::decl::{Expectation, OnViolation};
use crate::state::Columns;

/// Pass and fail counts of one expectation in one flow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExpectationMetrics {
    /// The expectation's name.
    pub name: String,
    /// The dataset it guards.
    pub dataset: String,
    /// `warn`, `drop` or `fail`.
    pub action: String,
    /// Rows for which the condition was TRUE.
    pub passed_records: usize,
    /// Rows for which it was FALSE or NULL.
    pub failed_records: usize,
}

fn diagnostic(e: &Expectation, err: &query::QueryError) -> Diagnostic {
    let location = err.span().map_or_else(
        || e.location.clone(),
        |s| crate::Location::new(&e.location.file, s.start.line, s.start.column),
    );
    let suggestions = match err {
        query::QueryError::Analysis { suggestions, .. } => suggestions
            .iter()
            .map(|s| crate::suggest::ticked(s))
            .collect(),
        _ => Vec::new(),
    };
    Diagnostic::error(
        Some(location),
        format!("expectation `{}`: {}", e.name, query_message(err)),
    )
    .with_suggestions(suggestions)
}

/// Check every expectation against `schema` without data (for validation).
pub fn check(expectations: &[Expectation], schema: &Columns) -> Diagnostics {
    let mut out = Diagnostics::new();
    let empty = RecordBatch::new_empty(crate::autoloader::arrow_schema(schema));
    for e in expectations {
        let origin = SourceOrigin::new(e.location.line, e.location.column);
        let result = parse_expr_at(&e.sql, origin)
            .and_then(|expr| evaluate_predicate(&expr, schema, &empty, &ExecOptions::default()));
        if let Err(err) = result {
            out.push(diagnostic(e, &err));
        }
    }
    out
}

/// Failing rows kept per expectation and flow, for the learner to look at: enough to see the
/// pattern, small enough to keep with every table's last run.
pub const MAX_FAILED_SAMPLES: usize = 200;

/// What applying a flow's expectations produced.
#[derive(Debug, Clone, Default)]
pub struct Applied {
    /// The rows kept (all but those dropped).
    pub kept: Vec<RecordBatch>,
    /// Each expectation's counts.
    pub metrics: Vec<ExpectationMetrics>,
    /// Rows dropped by `drop` expectations.
    pub dropped: usize,
    /// Up to [`MAX_FAILED_SAMPLES`] failing rows of each expectation that saw failures, in
    /// declaration order: `(expectation, rows)`.
    pub failed_samples: Vec<(String, RecordBatch)>,
}

/// Apply `expectations` to a flow's output: the rows kept, the metrics, the number of rows
/// dropped and samples of the failing rows. A failing `fail` expectation stops with
/// [`PipelineError::ExpectationFailed`].
pub fn apply(
    dataset: &str,
    expectations: &[Expectation],
    schema: &Columns,
    batches: Vec<RecordBatch>,
    options: &ExecOptions,
) -> Result<Applied, PipelineError> {
    let mut parsed = Vec::with_capacity(expectations.len());
    let mut errors = Diagnostics::new();
    for e in expectations {
        match parse_expr_at(
            &e.sql,
            SourceOrigin::new(e.location.line, e.location.column),
        ) {
            Ok(expr) => parsed.push(expr),
            Err(err) => errors.push(diagnostic(e, &err)),
        }
    }
    if errors.has_errors() {
        return Err(PipelineError::Invalid(errors));
    }
    let mut metrics: Vec<ExpectationMetrics> = expectations
        .iter()
        .map(|e| ExpectationMetrics {
            name: e.name.clone(),
            dataset: dataset.to_string(),
            action: e.action.as_str().to_string(),
            passed_records: 0,
            failed_records: 0,
        })
        .collect();
    let mut kept = Vec::with_capacity(batches.len());
    let mut dropped = 0;
    let mut samples: Vec<Vec<RecordBatch>> = vec![Vec::new(); expectations.len()];
    for batch in batches {
        let mut keep: Option<BooleanArray> = None;
        for (i, (e, expr)) in expectations.iter().zip(&parsed).enumerate() {
            let verdict = evaluate_predicate(expr, schema, &batch, options)
                .map_err(|err| PipelineError::Invalid(Diagnostics(vec![diagnostic(e, &err)])))?;
            // NULL counts as a failure.
            let pass: BooleanArray = verdict.iter().map(|v| Some(v == Some(true))).collect();
            let passed = pass.true_count();
            metrics[i].passed_records += passed;
            metrics[i].failed_records += batch.num_rows() - passed;
            let sampled: usize = samples[i].iter().map(RecordBatch::num_rows).sum();
            if passed < batch.num_rows() && sampled < MAX_FAILED_SAMPLES {
                let failing = arrow::compute::not(&pass)
                    .and_then(|mask| filter_record_batch(&batch, &mask))
                    .map_err(|err| PipelineError::Internal(err.to_string()))?;
                let take = failing.num_rows().min(MAX_FAILED_SAMPLES - sampled);
                samples[i].push(failing.slice(0, take));
            }
            match e.action {
                OnViolation::Warn => {}
                OnViolation::Fail if passed < batch.num_rows() => {
                    let row = (0..pass.len()).find(|&r| !pass.value(r)).unwrap_or(0);
                    return Err(PipelineError::ExpectationFailed {
                        dataset: dataset.to_string(),
                        expectation: e.name.clone(),
                        location: e.location.clone(),
                        failed_records: batch.num_rows() - passed,
                        example: Some(row_json(&batch, schema, row)),
                    });
                }
                OnViolation::Fail => {}
                OnViolation::Drop => {
                    keep = Some(match keep {
                        None => pass,
                        Some(k) => arrow::compute::and(&k, &pass)
                            .map_err(|err| PipelineError::Internal(err.to_string()))?,
                    });
                }
            }
        }
        match keep {
            Some(mask) => {
                let filtered = filter_record_batch(&batch, &mask)
                    .map_err(|err| PipelineError::Internal(err.to_string()))?;
                dropped += batch.num_rows() - filtered.num_rows();
                kept.push(filtered);
            }
            None => kept.push(batch),
        }
    }
    let mut failed_samples = Vec::new();
    for (e, batches) in expectations.iter().zip(samples) {
        if let Some(first) = batches.first() {
            let rows = arrow::compute::concat_batches(&first.schema(), &batches)
                .map_err(|err| PipelineError::Internal(err.to_string()))?;
            failed_samples.push((e.name.clone(), rows));
        }
    }
    Ok(Applied {
        kept,
        metrics,
        dropped,
        failed_samples,
    })
}

/// One row as a JSON object of its values' text.
fn row_json(batch: &RecordBatch, schema: &Columns, row: usize) -> String {
    let mut map = serde_json::Map::new();
    for ((name, t), column) in schema.iter().zip(batch.columns()) {
        let value = if column.is_null(row) {
            serde_json::Value::Null
        } else {
            value_to_string(column.as_ref(), row, t)
                .ok()
                .flatten()
                .map_or(serde_json::Value::Null, serde_json::Value::String)
        };
        map.insert(name.clone(), value);
    }
    serde_json::Value::Object(map).to_string()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow::array::{Float64Array, Int64Array};
    use query::SparkType;

    use super::*;
    use crate::Location;

    fn expectation(name: &str, sql: &str, action: OnViolation) -> Expectation {
        Expectation {
            name: name.into(),
            sql: sql.into(),
            location: Location::new("a.sql", 1, 1),
            action,
        }
    }

    #[test]
    fn test_failed_samples_hold_only_failing_rows_capped_per_expectation() {
        let schema: Columns = vec![
            ("id".into(), SparkType::Long),
            ("x".into(), SparkType::Double),
        ];
        let arrow_schema = crate::autoloader::arrow_schema(&schema);
        let batches: Vec<RecordBatch> = (0..3)
            .map(|b| {
                let ids: Vec<i64> = (0..150).map(|i| b * 150 + i).collect();
                let xs: Vec<Option<f64>> = ids
                    .iter()
                    .map(|i| match i % 3 {
                        0 => None,
                        1 => Some(-1.0),
                        _ => Some(1.0),
                    })
                    .collect();
                RecordBatch::try_new(
                    arrow_schema.clone(),
                    vec![
                        Arc::new(Int64Array::from(ids)),
                        Arc::new(Float64Array::from(xs)),
                    ],
                )
                .unwrap()
            })
            .collect();
        let expectations = [
            expectation("positive", "x > 0", OnViolation::Warn),
            expectation("small id", "id < 1000", OnViolation::Drop),
        ];
        let applied = apply(
            "t",
            &expectations,
            &schema,
            batches,
            &ExecOptions::default(),
        )
        .unwrap();
        assert_eq!(applied.metrics[0].failed_records, 300);
        assert_eq!(
            applied.failed_samples.len(),
            1,
            "no sample without failures"
        );
        let (name, rows) = &applied.failed_samples[0];
        assert_eq!(name, "positive");
        assert_eq!(rows.num_rows(), MAX_FAILED_SAMPLES);
        let x = rows
            .column(1)
            .as_any()
            .downcast_ref::<Float64Array>()
            .unwrap();
        assert!((0..x.len()).all(|i| x.is_null(i) || x.value(i) <= 0.0));
    }
}
