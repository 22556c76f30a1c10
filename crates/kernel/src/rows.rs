//! Pages of rows: the cached source, sorting, Spark's cell formatting, downloads.

use std::rc::Rc;
use std::sync::Arc;

use arrow::array::{Array, RecordBatch, UInt32Array};
use arrow::compute::{SortColumn, SortOptions, lexsort_to_indices, take_record_batch};
use protocol::{
    Cell, ColumnInfo, DownloadFormat, MAX_PAGE_ROWS, Problem, RowPage, RowSource, SortBy,
};
use query::SparkType;

use crate::Kernel;
use crate::materialized::Materialized;
use crate::sources::materialize;

/// The last source materialised, and its order for the last sort: paging through a query's
/// result reruns nothing.
pub(crate) struct Cached {
    source: RowSource,
    version: u64,
    data: Rc<Materialized>,
    sort: Option<SortBy>,
    order: Option<Rc<UInt32Array>>,
}

fn source_data(kernel: &mut Kernel, source: &RowSource) -> Result<Rc<Materialized>, Problem> {
    if let Some(cached) = &kernel.cache
        && cached.source == *source
        && cached.version == kernel.data_version
    {
        return Ok(cached.data.clone());
    }
    let data = Rc::new(materialize(kernel, source)?);
    kernel.cache = Some(Cached {
        source: source.clone(),
        version: kernel.data_version,
        data: data.clone(),
        sort: None,
        order: None,
    });
    Ok(data)
}

/// Row numbers of `batch` sorted by one column, stable, NULLs first ascending and last
/// descending (as Spark's `ORDER BY c` and `ORDER BY c DESC`).
pub(crate) fn sort_order(data: &Materialized, sort: &SortBy) -> Result<UInt32Array, Problem> {
    let Some(index) = data
        .schema
        .iter()
        .position(|(n, _)| n.eq_ignore_ascii_case(&sort.column))
    else {
        return Err(Problem {
            suggestions: pipeline::suggest::closest(
                &sort.column,
                data.schema.iter().map(|(n, _)| n.as_str()),
            ),
            ..Problem::error(format!("there is no column `{}` to sort by", sort.column))
        });
    };
    let rows = data.batch.num_rows() as u32;
    // The row number breaks ties, which makes the sort stable.
    let position: Arc<dyn Array> = Arc::new(UInt32Array::from_iter_values(0..rows));
    let columns = [
        SortColumn {
            values: data.batch.column(index).clone(),
            options: Some(SortOptions {
                descending: !sort.ascending,
                nulls_first: sort.ascending,
            }),
        },
        SortColumn {
            values: position,
            options: None,
        },
    ];
    lexsort_to_indices(&columns, None).map_err(|e| {
        Problem::error(format!(
            "cannot sort by `{}` ({}): {e}",
            sort.column, data.schema[index].1
        ))
    })
}

fn sorted(
    kernel: &mut Kernel,
    data: &Rc<Materialized>,
    sort: &Option<SortBy>,
) -> Result<Option<Rc<UInt32Array>>, Problem> {
    let Some(by) = sort else {
        return Ok(None);
    };
    if let Some(cached) = &kernel.cache
        && Rc::ptr_eq(&cached.data, data)
        && cached.sort == *sort
        && let Some(order) = &cached.order
    {
        return Ok(Some(order.clone()));
    }
    let order = Rc::new(sort_order(data, by)?);
    if let Some(cached) = &mut kernel.cache
        && Rc::ptr_eq(&cached.data, data)
    {
        cached.sort = sort.clone();
        cached.order = Some(order.clone());
    }
    Ok(Some(order))
}

/// One cell as Spark shows it (`CAST(v AS STRING)`); `None` for NULL.
pub(crate) fn cell(array: &dyn Array, row: usize, data_type: &SparkType) -> Cell {
    if array.is_null(row) {
        return None;
    }
    match query::functions::cast::value_to_string(array, row, data_type) {
        Ok(text) => text,
        Err(_) => arrow::util::display::array_value_to_string(array, row).ok(),
    }
}

/// The column's description.
pub(crate) fn columns(schema: &[(String, SparkType)]) -> Vec<ColumnInfo> {
    schema
        .iter()
        .map(|(name, t)| ColumnInfo {
            name: name.clone(),
            data_type: t.simple_string(),
            numeric: t.is_numeric(),
        })
        .collect()
}

/// Rows of `batch` as formatted cells.
pub(crate) fn cells(batch: &RecordBatch, schema: &[(String, SparkType)]) -> Vec<Vec<Cell>> {
    (0..batch.num_rows())
        .map(|r| {
            batch
                .columns()
                .iter()
                .zip(schema)
                .map(|(c, (_, t))| cell(c.as_ref(), r, t))
                .collect()
        })
        .collect()
}

/// The rows `offset..offset+limit` of `data` in `order`.
fn window(
    data: &Materialized,
    order: Option<&UInt32Array>,
    offset: usize,
    limit: usize,
) -> Result<RecordBatch, Problem> {
    let total = data.batch.num_rows();
    let start = offset.min(total);
    let len = limit.min(total - start);
    match order {
        None => Ok(data.batch.slice(start, len)),
        Some(order) => take_record_batch(&data.batch, &order.slice(start, len))
            .map_err(|e| Problem::error(format!("cannot read the rows: {e}"))),
    }
}

/// One page of `source`.
pub(crate) fn page(
    kernel: &mut Kernel,
    source: RowSource,
    offset: usize,
    limit: usize,
    sort: Option<SortBy>,
) -> Result<RowPage, Problem> {
    let data = source_data(kernel, &source)?;
    let order = sorted(kernel, &data, &sort)?;
    let limit = limit.min(MAX_PAGE_ROWS);
    let batch = window(&data, order.as_deref(), offset, limit)?;
    Ok(RowPage {
        columns: columns(&data.schema),
        rows: cells(&batch, &data.schema),
        offset,
        total_rows: data.batch.num_rows(),
        sort,
        elapsed_ms: data.elapsed_ms,
        source,
    })
}

/// RFC 4180 CSV of every row: a header, then the cells as the viewer shows them, NULL empty.
pub(crate) fn to_csv(data: &Materialized) -> Result<Vec<u8>, Problem> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| Problem::error(format!("cannot write the CSV file: {e}"));
    writer
        .write_record(data.schema.iter().map(|(n, _)| n.as_str()))
        .map_err(fail)?;
    const CHUNK: usize = 4096;
    let mut start = 0;
    while start < data.batch.num_rows() {
        let len = CHUNK.min(data.batch.num_rows() - start);
        for row in cells(&data.batch.slice(start, len), &data.schema) {
            writer
                .write_record(row.iter().map(|c| c.as_deref().unwrap_or("")))
                .map_err(fail)?;
        }
        start += len;
    }
    writer
        .into_inner()
        .map_err(|e| Problem::error(format!("cannot write the CSV file: {e}")))
}

/// Every row as an Arrow IPC file, with the columns' types (the page encodes Parquet from it
/// in its codec worker).
pub(crate) fn to_ipc(data: &Materialized) -> Result<Vec<u8>, Problem> {
    pipeline::ipc::write(&data.batch.schema(), std::slice::from_ref(&data.batch))
        .map_err(|e| Problem::error(format!("cannot write the Arrow file: {e}")))
}

/// Parquet of every row, with the columns' types.
#[cfg(feature = "parquet")]
pub(crate) fn to_parquet(data: &Materialized) -> Result<Vec<u8>, Problem> {
    let fail = |e: parquet::errors::ParquetError| {
        Problem::error(format!("cannot write the Parquet file: {e}"))
    };
    let mut out = Vec::new();
    let mut writer =
        parquet::arrow::ArrowWriter::try_new(&mut out, data.batch.schema(), None).map_err(fail)?;
    writer.write(&data.batch).map_err(fail)?;
    writer.close().map_err(fail)?;
    Ok(out)
}

/// `source` as a file: `(name, media type, bytes)`.
pub(crate) fn download(
    kernel: &mut Kernel,
    source: RowSource,
    format: DownloadFormat,
) -> Result<(String, String, Vec<u8>), Problem> {
    let data = source_data(kernel, &source)?;
    let stem: String = data
        .name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    Ok(match format {
        DownloadFormat::Csv => (
            format!("{stem}.csv"),
            "text/csv".to_string(),
            to_csv(&data)?,
        ),
        DownloadFormat::Arrow => (
            format!("{stem}.{}", pipeline::ipc::EXTENSION),
            "application/vnd.apache.arrow.file".to_string(),
            to_ipc(&data)?,
        ),
        #[cfg(feature = "parquet")]
        DownloadFormat::Parquet => (
            format!("{stem}.parquet"),
            "application/vnd.apache.parquet".to_string(),
            to_parquet(&data)?,
        ),
        #[cfg(not(feature = "parquet"))]
        DownloadFormat::Parquet => {
            return Err(Problem::error(
                "this engine writes no Parquet: the page downloads Arrow and encodes it with its Parquet codec",
            ));
        }
    })
}
