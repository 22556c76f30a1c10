//! Grouping keys: map rows to dense group ids, for hash aggregation, hash joins, DISTINCT
//! and set operations. One integer-like key column takes a fast path on its values; any
//! other key list is encoded with arrow's row format and hashed as bytes.
//!
//! Float keys are normalised first (`-0.0` to `0.0`, every NaN to one NaN) because Spark
//! groups and joins them as equal.

use std::sync::Arc;

use arrow::array::{
    Array, ArrayRef, AsArray, Float32Array, Float64Array, Int64Array, PrimitiveArray,
};
use arrow::datatypes::{
    ArrowPrimitiveType, DataType, Date32Type, DurationMicrosecondType, Float32Type, Float64Type,
    Int8Type, Int16Type, Int32Type, Int64Type, TimestampMicrosecondType,
};
use arrow::row::{RowConverter, Rows, SortField};
use hashbrown::HashTable;
use tsdf::convert::cast;

use crate::error::{QueryError, Result};

mod bytes;
mod composite;
mod runs;

use bytes::{ByteKeys, StrKeys};
use composite::Composite;

/// Murmur3's 64-bit finaliser: spreads entropy into the high bits hashbrown's control bytes
/// use and the low bits its bucket index uses.
#[inline]
fn fmix(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// A fast non-cryptographic hash of bytes (8 at a time).
#[inline]
pub(crate) fn hash_bytes(bytes: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h: u64 = bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let v = u64::from_le_bytes(c.try_into().expect("8 bytes"));
        h = (h.rotate_left(5) ^ v).wrapping_mul(K);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut tail = [0u8; 8];
        tail[..rest.len()].copy_from_slice(rest);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(tail)).wrapping_mul(K);
    }
    fmix(h)
}

/// Normalise float values for equality on keys (`-0.0` = `0.0`, one NaN).
pub(crate) fn normalize_key_column(a: &ArrayRef) -> Result<ArrayRef> {
    Ok(match a.data_type() {
        DataType::Float64 => {
            let f = a.as_primitive::<Float64Type>();
            let out: Float64Array = f.unary(|v| {
                if v.is_nan() {
                    f64::NAN
                } else if v == 0.0 {
                    0.0
                } else {
                    v
                }
            });
            Arc::new(out)
        }
        DataType::Float32 => {
            let f = a.as_primitive::<Float32Type>();
            let out: Float32Array = f.unary(|v| {
                if v.is_nan() {
                    f32::NAN
                } else if v == 0.0 {
                    0.0
                } else {
                    v
                }
            });
            Arc::new(out)
        }
        _ => a.clone(),
    })
}

/// Whether a single key column of this type takes the integer fast path.
fn int_like(t: &DataType) -> bool {
    matches!(
        t,
        DataType::Int8
            | DataType::Int16
            | DataType::Int32
            | DataType::Int64
            | DataType::Date32
            | DataType::Timestamp(arrow::datatypes::TimeUnit::Microsecond, _)
            | DataType::Duration(arrow::datatypes::TimeUnit::Microsecond)
    )
}

/// Visit `(row, value as i64)` for each non-NULL value of an integer-like array.
fn for_each_int(a: &dyn Array, mut f: impl FnMut(usize, Option<i64>)) -> Result<()> {
    fn go<T: ArrowPrimitiveType>(a: &dyn Array, f: &mut impl FnMut(usize, Option<i64>))
    where
        T::Native: Into<i64>,
    {
        let p: &PrimitiveArray<T> = a.as_primitive::<T>();
        if p.null_count() == 0 {
            for (i, v) in p.values().iter().enumerate() {
                f(i, Some((*v).into()));
            }
        } else {
            for (i, v) in p.iter().enumerate() {
                f(i, v.map(Into::into));
            }
        }
    }
    match a.data_type() {
        DataType::Int8 => go::<Int8Type>(a, &mut f),
        DataType::Int16 => go::<Int16Type>(a, &mut f),
        DataType::Int32 => go::<Int32Type>(a, &mut f),
        DataType::Int64 => go::<Int64Type>(a, &mut f),
        DataType::Date32 => go::<Date32Type>(a, &mut f),
        DataType::Timestamp(..) => go::<TimestampMicrosecondType>(a, &mut f),
        DataType::Duration(..) => go::<DurationMicrosecondType>(a, &mut f),
        other => return Err(QueryError::Internal(format!("integer key of type {other}"))),
    }
    Ok(())
}

enum Kind {
    /// No key columns: one group.
    Global,
    /// One integer-like column.
    Int {
        data_type: DataType,
        table: HashTable<(i64, u32)>,
        values: Vec<Option<i64>>,
        null_group: Option<u32>,
    },
    /// One string column.
    Str(StrKeys),
    /// One column of any other type, in arrow's row format.
    Rows(RowKeys),
    /// Several columns, grouped one by one.
    Composite(Box<Composite>),
}

/// Keys of any types in arrow's row format, so assigning and looking up rows encode and
/// compare keys the same way.
struct RowKeys {
    converter: RowConverter,
    keys: ByteKeys,
}

impl RowKeys {
    /// The key columns in row format, floats normalised first.
    fn encode(&self, columns: &[ArrayRef]) -> Result<Rows> {
        let normalized = columns
            .iter()
            .map(normalize_key_column)
            .collect::<Result<Vec<_>>>()?;
        Ok(self.converter.convert_columns(&normalized)?)
    }
}

/// Assigns dense group ids (0, 1, 2, ... in order of first appearance) to key tuples.
pub(crate) struct Grouper {
    kind: Kind,
    groups: usize,
}

impl Grouper {
    /// A grouper for key columns of these types.
    pub fn new(types: &[DataType]) -> Result<Grouper> {
        let kind = match types {
            [] => Kind::Global,
            [t] if int_like(t) => Kind::Int {
                data_type: t.clone(),
                table: HashTable::new(),
                values: Vec::new(),
                null_group: None,
            },
            [_, _, ..] => Kind::Composite(Box::new(Composite::new(types)?)),
            [DataType::Utf8] => Kind::Str(StrKeys::default()),
            one => Kind::Rows(RowKeys {
                converter: RowConverter::new(
                    one.iter().map(|t| SortField::new(t.clone())).collect(),
                )?,
                keys: ByteKeys::default(),
            }),
        };
        Ok(Grouper { kind, groups: 0 })
    }

    /// Number of groups seen.
    pub fn num_groups(&self) -> usize {
        self.groups
    }

    /// The group id of every row (creating groups as needed); `rows` is the row count when
    /// there are no key columns.
    pub fn assign(&mut self, columns: &[ArrayRef], rows: usize, out: &mut Vec<u32>) -> Result<()> {
        if let Some(starts) = runs::run_starts(columns, rows)? {
            // One row per run of equal keys is grouped; its group covers the run.
            let firsts = runs::firsts(columns, &starts)?;
            let mut ids = Vec::new();
            self.assign_each(&firsts, starts.len(), &mut ids)?;
            runs::spread(&starts, &ids, rows, out);
            return Ok(());
        }
        self.assign_each(columns, rows, out)
    }

    /// [`Grouper::assign`] looking up every row.
    fn assign_each(&mut self, columns: &[ArrayRef], rows: usize, out: &mut Vec<u32>) -> Result<()> {
        out.clear();
        out.reserve(rows);
        let groups = &mut self.groups;
        match &mut self.kind {
            Kind::Global => {
                if rows > 0 && *groups == 0 {
                    *groups = 1;
                }
                out.resize(rows, 0);
            }
            Kind::Int {
                table,
                values,
                null_group,
                ..
            } => {
                for_each_int(columns[0].as_ref(), |_, v| {
                    let id = match v {
                        None => *null_group.get_or_insert_with(|| {
                            values.push(None);
                            *groups += 1;
                            (*groups - 1) as u32
                        }),
                        Some(v) => {
                            let h = fmix(v as u64);
                            match table.find(h, |(k, _)| *k == v) {
                                Some((_, id)) => *id,
                                None => {
                                    let id = *groups as u32;
                                    table.insert_unique(h, (v, id), |(k, _)| fmix(*k as u64));
                                    values.push(Some(v));
                                    *groups += 1;
                                    id
                                }
                            }
                        }
                    };
                    out.push(id);
                })?;
            }
            Kind::Composite(c) => c.assign(columns, rows, groups, out)?,
            Kind::Str(strings) => StrKeys::each(&columns[0], |key| {
                out.push(strings.keys.find_or_insert(key, groups));
            })?,
            Kind::Rows(row_keys) => {
                for row in row_keys.encode(columns)?.iter() {
                    out.push(row_keys.keys.find_or_insert(row.as_ref(), groups));
                }
            }
        }
        Ok(())
    }

    /// The group id of every row when it exists (no new groups); `None` for unseen keys.
    pub fn lookup(
        &self,
        columns: &[ArrayRef],
        rows: usize,
        out: &mut Vec<Option<u32>>,
    ) -> Result<()> {
        out.clear();
        out.reserve(rows);
        match &self.kind {
            Kind::Global => out.resize(rows, if self.groups > 0 { Some(0) } else { None }),
            Kind::Int {
                table,
                null_group,
                data_type,
                ..
            } => {
                let col = if columns[0].data_type() == data_type {
                    columns[0].clone()
                } else {
                    cast(&columns[0], data_type)?
                };
                for_each_int(col.as_ref(), |_, v| {
                    out.push(match v {
                        None => *null_group,
                        Some(v) => table
                            .find(fmix(v as u64), |(k, _)| *k == v)
                            .map(|(_, id)| *id),
                    })
                })?;
            }
            Kind::Composite(c) => c.lookup(columns, rows, out)?,
            Kind::Str(strings) => StrKeys::each(&columns[0], |key| {
                out.push(strings.keys.find(hash_bytes(key), key));
            })?,
            Kind::Rows(row_keys) => {
                let encoded = row_keys.encode(columns)?;
                out.extend(encoded.iter().map(|row| {
                    let key = row.as_ref();
                    row_keys.keys.find(hash_bytes(key), key)
                }));
            }
        }
        Ok(())
    }

    /// The key values of every group, in group-id order (one array per key column).
    pub fn keys(&self) -> Result<Vec<ArrayRef>> {
        match &self.kind {
            Kind::Global => Ok(vec![]),
            Kind::Int {
                data_type, values, ..
            } => {
                let wide: ArrayRef = Arc::new(Int64Array::from(values.clone()));
                let out = match data_type {
                    DataType::Timestamp(..) | DataType::Duration(..) | DataType::Date32 => {
                        // Reinterpret through the matching integer width, then as the type.
                        let base = if matches!(data_type, DataType::Date32) {
                            cast(&wide, &DataType::Int32)?
                        } else {
                            wide
                        };
                        let data = base
                            .to_data()
                            .into_builder()
                            .data_type(data_type.clone())
                            .build()?;
                        arrow::array::make_array(data)
                    }
                    t => cast(&wide, t)?,
                };
                Ok(vec![out])
            }
            Kind::Composite(c) => c.keys(),
            Kind::Str(strings) => Ok(vec![strings.values()]),
            Kind::Rows(RowKeys { converter, keys }) => {
                let parser = converter.parser();
                Ok(converter.convert_rows(keys.iter().map(|k| parser.parse(k)))?)
            }
        }
    }
}

#[cfg(test)]
mod tests;
