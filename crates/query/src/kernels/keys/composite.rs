//! Several key columns grouped column by column: each column gets dense ids from its own
//! [`Grouper`] (integers on their fast path, strings hashed alone), and a row's group is found
//! by its tuple of column ids. Cheaper than encoding every key column into one row-format key
//! and hashing those bytes (the course's series keys: two integers and two strings).

use arrow::array::{ArrayRef, UInt32Array};
use arrow::compute::take;
use arrow::datatypes::DataType;
use hashbrown::HashTable;

use super::{Grouper, fmix};
use crate::error::Result;

/// Groups of tuples of per-column ids.
pub(super) struct Composite {
    columns: Vec<Grouper>,
    table: HashTable<u32>,
    /// Each group's column ids, `columns.len()` per group.
    tuples: Vec<u32>,
    hashes: Vec<u64>,
}

/// The hash of a tuple of column ids.
fn hash_tuple(ids: &[u32]) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    fmix(ids.iter().fold(ids.len() as u64, |h, &id| {
        (h.rotate_left(7) ^ u64::from(id)).wrapping_mul(K)
    }))
}

impl Composite {
    pub(super) fn new(types: &[DataType]) -> Result<Composite> {
        Ok(Composite {
            columns: types
                .iter()
                .map(|t| Grouper::new(std::slice::from_ref(t)))
                .collect::<Result<_>>()?,
            table: HashTable::new(),
            tuples: Vec::new(),
            hashes: Vec::new(),
        })
    }

    fn tuple(&self, group: u32) -> &[u32] {
        let k = self.columns.len();
        &self.tuples[group as usize * k..(group as usize + 1) * k]
    }

    fn find(&self, h: u64, ids: &[u32]) -> Option<u32> {
        self.table
            .find(h, |&g| self.hashes[g as usize] == h && self.tuple(g) == ids)
            .copied()
    }

    /// Group ids of every row, creating groups from `*groups` on.
    pub(super) fn assign(
        &mut self,
        columns: &[ArrayRef],
        rows: usize,
        groups: &mut usize,
        out: &mut Vec<u32>,
    ) -> Result<()> {
        let mut per_column = Vec::with_capacity(columns.len());
        for (grouper, column) in self.columns.iter_mut().zip(columns) {
            let mut ids = Vec::new();
            grouper.assign(std::slice::from_ref(column), rows, &mut ids)?;
            per_column.push(ids);
        }
        let mut ids = vec![0u32; columns.len()];
        for row in 0..rows {
            for (slot, column) in ids.iter_mut().zip(&per_column) {
                *slot = column[row];
            }
            let h = hash_tuple(&ids);
            let id = match self.find(h, &ids) {
                Some(id) => id,
                None => {
                    let id = *groups as u32;
                    self.tuples.extend_from_slice(&ids);
                    self.hashes.push(h);
                    let hashes = &self.hashes;
                    self.table.insert_unique(h, id, |&g| hashes[g as usize]);
                    *groups += 1;
                    id
                }
            };
            out.push(id);
        }
        Ok(())
    }

    /// The group of every row when it exists.
    pub(super) fn lookup(
        &self,
        columns: &[ArrayRef],
        rows: usize,
        out: &mut Vec<Option<u32>>,
    ) -> Result<()> {
        let mut per_column = Vec::with_capacity(columns.len());
        for (grouper, column) in self.columns.iter().zip(columns) {
            let mut ids = Vec::new();
            grouper.lookup(std::slice::from_ref(column), rows, &mut ids)?;
            per_column.push(ids);
        }
        let mut ids = vec![0u32; columns.len()];
        'rows: for row in 0..rows {
            for (slot, column) in ids.iter_mut().zip(&per_column) {
                match column[row] {
                    Some(id) => *slot = id,
                    None => {
                        out.push(None);
                        continue 'rows;
                    }
                }
            }
            out.push(self.find(hash_tuple(&ids), &ids));
        }
        Ok(())
    }

    /// The key values of every group, one array per column.
    pub(super) fn keys(&self) -> Result<Vec<ArrayRef>> {
        let k = self.columns.len();
        let mut out = Vec::with_capacity(k);
        for (c, grouper) in self.columns.iter().enumerate() {
            let values = grouper.keys()?.remove(0);
            let picks: UInt32Array = self.tuples.iter().skip(c).step_by(k).copied().collect();
            out.push(take(values.as_ref(), &picks, None)?);
        }
        Ok(out)
    }
}
