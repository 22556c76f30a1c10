//! Row-valued `(a, b) [NOT] IN (SELECT x, y ...)`. SQL compares the row with each subquery
//! row (TRUE when every column is equal, FALSE when one differs, NULL otherwise) and ORs the
//! answers: TRUE on an exact match, NULL when no row differs for sure (a NULL on either side
//! in the columns that are not equal), FALSE otherwise, and FALSE for an empty subquery.

use std::collections::HashSet;
use std::sync::Arc;

use arrow::array::{Array, ArrayRef, BooleanArray, RecordBatch, StructArray};
use arrow::row::{RowConverter, Rows, SortField};

use crate::error::{QueryError, Result};
use crate::exec::ExecContext;
use crate::exec::subquery::per_row;
use crate::kernels::keys::normalize_key_column;
use crate::plan::expr::SubqueryPlan;

/// One column's value per row in the row format (`None` for NULL), so equal values have
/// equal bytes.
type Encoded = Vec<Option<Box<[u8]>>>;

/// The subquery's rows: the fully non-NULL ones as one key, and every row column by column.
struct Tuples {
    full: HashSet<Vec<u8>>,
    rows: Vec<Encoded>,
}

/// `value` is the struct of the left-hand values, one field per subquery column;
/// `two_valued` (Spark's select list) answers FALSE where the rules above give NULL.
pub(super) fn in_subquery_rows(
    value: &ArrayRef,
    plan: &SubqueryPlan,
    (negated, two_valued): (bool, bool),
    batch: &RecordBatch,
    ctx: &ExecContext,
) -> Result<ArrayRef> {
    let left = value
        .as_any()
        .downcast_ref::<StructArray>()
        .ok_or_else(|| QueryError::Internal("a row-valued IN without a struct".into()))?;
    let columns: Vec<ArrayRef> = left
        .columns()
        .iter()
        .map(normalize_key_column)
        .collect::<Result<_>>()?;
    let converters: Vec<RowConverter> = columns
        .iter()
        .map(|c| RowConverter::new(vec![SortField::new(c.data_type().clone())]))
        .collect::<std::result::Result<_, _>>()?;
    let tuples = per_row(plan, batch, ctx, &|b| {
        let mut full = HashSet::new();
        let mut rows = Vec::new();
        for part in b {
            let cols: Vec<ArrayRef> = part
                .columns()
                .iter()
                .map(normalize_key_column)
                .collect::<Result<_>>()?;
            for row in encode(&converters, &cols)? {
                if let Some(key) = full_key(&row) {
                    full.insert(key);
                }
                rows.push(row);
            }
        }
        Ok(Arc::new(Tuples { full, rows }))
    })?;
    let probes = encode(&converters, &columns)?;
    let result: BooleanArray = probes
        .iter()
        .zip(&tuples)
        .map(|(probe, set)| {
            let found = if set.rows.is_empty() {
                Some(false)
            } else if full_key(probe).is_some_and(|k| set.full.contains(&k)) {
                Some(true)
            } else if !two_valued && set.rows.iter().any(|row| may_equal(probe, row)) {
                None
            } else {
                Some(false)
            };
            found.map(|f| f != negated)
        })
        .collect();
    Ok(Arc::new(result))
}

/// Each row's columns in the row format.
fn encode(converters: &[RowConverter], columns: &[ArrayRef]) -> Result<Vec<Encoded>> {
    let n = columns.first().map_or(0, |c| c.len());
    let encoded: Vec<Rows> = converters
        .iter()
        .zip(columns)
        .map(|(conv, col)| conv.convert_columns(std::slice::from_ref(col)))
        .collect::<std::result::Result<_, _>>()?;
    Ok((0..n)
        .map(|i| {
            columns
                .iter()
                .zip(&encoded)
                .map(|(col, rows)| col.is_valid(i).then(|| rows.row(i).as_ref().into()))
                .collect()
        })
        .collect())
}

/// The row's key when no column is NULL (the row format's values concatenate unambiguously).
fn full_key(row: &Encoded) -> Option<Vec<u8>> {
    let mut key = Vec::new();
    for v in row {
        key.extend_from_slice(v.as_deref()?);
    }
    Some(key)
}

/// Whether the row comparison is not FALSE: every column equal or NULL on a side.
fn may_equal(a: &Encoded, b: &Encoded) -> bool {
    a.iter().zip(b).all(|(x, y)| match (x, y) {
        (Some(x), Some(y)) => x == y,
        _ => true,
    })
}
