//! first / last / any_value, max_by / min_by, collect_list / collect_set: accumulators that
//! keep references to input values and gather them at the end.

use std::collections::HashSet;
use std::sync::Arc;

use arrow::array::{Array, ArrayRef, GenericListArray};
use arrow::buffer::OffsetBuffer;
use arrow::datatypes::DataType;
use arrow::row::{RowConverter, SortField};

use super::{Accumulator, Best, Stored, grow};
use crate::error::{QueryError, Result};
use crate::plan::aggregate::AggFunc;

/// first / last / any_value.
pub(crate) struct Pick {
    last: bool,
    ignore_nulls: bool,
    chosen: Vec<Option<(u32, u32)>>,
    stored: Stored,
    data_type: DataType,
}

impl Pick {
    pub fn new(func: AggFunc, ignore_nulls: bool, data_type: DataType) -> Pick {
        Pick {
            last: func == AggFunc::Last,
            ignore_nulls,
            chosen: Vec::new(),
            stored: Stored::default(),
            data_type,
        }
    }
}

impl Accumulator for Pick {
    fn update(&mut self, args: &[ArrayRef], groups: &[u32], num_groups: usize) -> Result<()> {
        grow(&mut self.chosen, num_groups, None);
        let a = &args[0];
        let id = self.stored.push(a);
        for (i, &g) in groups.iter().enumerate() {
            if self.ignore_nulls && a.is_null(i) {
                continue;
            }
            let slot = &mut self.chosen[g as usize];
            if self.last || slot.is_none() {
                *slot = Some((id, i as u32));
            }
        }
        Ok(())
    }

    fn finish(&mut self, n: usize) -> Result<ArrayRef> {
        grow(&mut self.chosen, n, None);
        self.stored.gather(&self.data_type, &self.chosen[..n])
    }
}

/// max_by(x, ord) / min_by(x, ord): `x` of the row with the largest (smallest) `ord`.
pub(crate) struct PickBy {
    is_max: bool,
    converter: RowConverter,
    best: Vec<Option<Best>>,
    stored: Stored,
    data_type: DataType,
}

impl PickBy {
    pub fn new(is_max: bool, data_type: DataType, ord: DataType) -> Result<PickBy> {
        Ok(PickBy {
            is_max,
            converter: RowConverter::new(vec![SortField::new(ord)])?,
            best: Vec::new(),
            stored: Stored::default(),
            data_type,
        })
    }
}

impl Accumulator for PickBy {
    fn update(&mut self, args: &[ArrayRef], groups: &[u32], num_groups: usize) -> Result<()> {
        grow(&mut self.best, num_groups, None);
        let ord = crate::kernels::keys::normalize_key_column(&args[1])?;
        let rows = self.converter.convert_columns(std::slice::from_ref(&ord))?;
        let id = self.stored.push(&args[0]);
        for (i, &g) in groups.iter().enumerate() {
            if ord.is_null(i) {
                continue;
            }
            let key = rows.row(i);
            let slot = &mut self.best[g as usize];
            let better = match slot {
                None => true,
                Some((b, _)) if self.is_max => key.as_ref() > b.as_slice(),
                Some((b, _)) => key.as_ref() < b.as_slice(),
            };
            if better {
                *slot = Some((key.as_ref().to_vec(), (id, i as u32)));
            }
        }
        Ok(())
    }

    fn finish(&mut self, n: usize) -> Result<ArrayRef> {
        grow(&mut self.best, n, None);
        let refs: Vec<Option<(u32, u32)>> = self.best[..n]
            .iter()
            .map(|b| b.as_ref().map(|(_, r)| *r))
            .collect();
        self.stored.gather(&self.data_type, &refs)
    }
}

/// Per distinct value (row-format key): how often it occurs and where it first does.
type ValueCounts = std::collections::HashMap<Vec<u8>, (u64, (u32, u32))>;

/// mode(x): per group, each distinct value's count and first occurrence.
pub(crate) struct Mode {
    converter: RowConverter,
    counts: Vec<ValueCounts>,
    stored: Stored,
    data_type: DataType,
}

impl Mode {
    pub fn new(data_type: DataType) -> Result<Mode> {
        Ok(Mode {
            converter: RowConverter::new(vec![SortField::new(data_type.clone())])?,
            counts: Vec::new(),
            stored: Stored::default(),
            data_type,
        })
    }
}

impl Accumulator for Mode {
    fn update(&mut self, args: &[ArrayRef], groups: &[u32], num_groups: usize) -> Result<()> {
        grow(&mut self.counts, num_groups, Default::default());
        let a = crate::kernels::keys::normalize_key_column(&args[0])?;
        let rows = self.converter.convert_columns(std::slice::from_ref(&a))?;
        let id = self.stored.push(&args[0]);
        for (i, &g) in groups.iter().enumerate() {
            if a.is_null(i) {
                continue;
            }
            let slot = self.counts[g as usize]
                .entry(rows.row(i).as_ref().to_vec())
                .or_insert((0, (id, i as u32)));
            slot.0 += 1;
        }
        Ok(())
    }

    fn finish(&mut self, n: usize) -> Result<ArrayRef> {
        grow(&mut self.counts, n, Default::default());
        let refs: Vec<Option<(u32, u32)>> = self.counts[..n]
            .iter()
            .map(|m| {
                // Most frequent; among equals the smallest value, so the answer is stable.
                m.iter()
                    .max_by(|(ka, (ca, _)), (kb, (cb, _))| ca.cmp(cb).then_with(|| kb.cmp(ka)))
                    .map(|(_, (_, at))| *at)
            })
            .collect();
        self.stored.gather(&self.data_type, &refs)
    }
}

/// collect_list / collect_set (NULLs skipped; an empty group gives an empty array).
pub(crate) struct Collect {
    set: bool,
    items: Vec<Vec<(u32, u32)>>,
    seen: Vec<HashSet<Vec<u8>>>,
    converter: Option<RowConverter>,
    stored: Stored,
    element: DataType,
    result: DataType,
}

impl Collect {
    pub fn new(set: bool, element: DataType, result: DataType) -> Collect {
        let converter = if set {
            RowConverter::new(vec![SortField::new(element.clone())]).ok()
        } else {
            None
        };
        Collect {
            set,
            items: Vec::new(),
            seen: Vec::new(),
            converter,
            stored: Stored::default(),
            element,
            result,
        }
    }
}

impl Accumulator for Collect {
    fn update(&mut self, args: &[ArrayRef], groups: &[u32], num_groups: usize) -> Result<()> {
        grow(&mut self.items, num_groups, Vec::new());
        grow(&mut self.seen, num_groups, HashSet::new());
        let a = &args[0];
        let id = self.stored.push(a);
        let rows = match (&self.converter, self.set) {
            (Some(c), true) => {
                let normalized = crate::kernels::keys::normalize_key_column(a)?;
                Some(c.convert_columns(&[normalized])?)
            }
            _ => None,
        };
        for (i, &g) in groups.iter().enumerate() {
            if a.is_null(i) {
                continue;
            }
            if let Some(rows) = &rows
                && !self.seen[g as usize].insert(rows.row(i).as_ref().to_vec())
            {
                continue;
            }
            self.items[g as usize].push((id, i as u32));
        }
        Ok(())
    }

    fn finish(&mut self, n: usize) -> Result<ArrayRef> {
        grow(&mut self.items, n, Vec::new());
        let refs: Vec<Option<(u32, u32)>> =
            self.items[..n].iter().flatten().map(|r| Some(*r)).collect();
        let values = self.stored.gather(&self.element, &refs)?;
        let DataType::List(field) = &self.result else {
            return Err(QueryError::Internal(
                "collect without a list result type".into(),
            ));
        };
        let offsets = OffsetBuffer::from_lengths(self.items[..n].iter().map(Vec::len));
        Ok(Arc::new(GenericListArray::<i32>::new(
            field.clone(),
            offsets,
            values,
            None,
        )))
    }
}
