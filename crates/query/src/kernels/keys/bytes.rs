//! Group keys stored as bytes: the hash table behind one string column and the row format.

use std::sync::Arc;

use arrow::array::{ArrayRef, AsArray, StringArray};
use hashbrown::HashTable;

use super::hash_bytes;
use crate::error::{QueryError, Result};

/// Each group's key as bytes with its hash: the table behind the string and row-format kinds.
#[derive(Default)]
pub(super) struct ByteKeys {
    table: HashTable<u32>,
    hashes: Vec<u64>,
    bytes: Vec<u8>,
    offsets: Vec<usize>,
}

impl ByteKeys {
    /// The group of a key whose hash is `h`, if it was seen.
    pub(super) fn find(&self, h: u64, key: &[u8]) -> Option<u32> {
        self.table
            .find(h, |&id| {
                let id = id as usize;
                self.hashes[id] == h && &self.bytes[self.offsets[id]..self.offsets[id + 1]] == key
            })
            .copied()
    }

    /// The group of `key`, recorded as `*groups` (then counted) when it is new.
    pub(super) fn find_or_insert(&mut self, key: &[u8], groups: &mut usize) -> u32 {
        let h = hash_bytes(key);
        if let Some(id) = self.find(h, key) {
            return id;
        }
        let id = *groups as u32;
        if self.offsets.is_empty() {
            self.offsets.push(0);
        }
        self.bytes.extend_from_slice(key);
        self.offsets.push(self.bytes.len());
        self.hashes.push(h);
        let hashes = &self.hashes;
        self.table.insert_unique(h, id, |&g| hashes[g as usize]);
        *groups += 1;
        id
    }

    /// Every group's key, in group-id order.
    pub(super) fn iter(&self) -> impl Iterator<Item = &[u8]> {
        self.offsets.windows(2).map(|w| &self.bytes[w[0]..w[1]])
    }
}

/// One string column hashed as its bytes (no row-format copy): a marker byte, 0 for NULL or 1
/// followed by the string.
#[derive(Default)]
pub(super) struct StrKeys {
    pub(super) keys: ByteKeys,
}

impl StrKeys {
    /// Calls `f` with each row's encoded key.
    pub(super) fn each(column: &ArrayRef, mut f: impl FnMut(&[u8])) -> Result<()> {
        let Some(strings) = column.as_string_opt::<i32>() else {
            return Err(QueryError::Internal(format!(
                "string key column of type {}",
                column.data_type()
            )));
        };
        let mut key = Vec::new();
        for value in strings.iter() {
            key.clear();
            match value {
                Some(s) => {
                    key.push(1);
                    key.extend_from_slice(s.as_bytes());
                }
                None => key.push(0),
            }
            f(&key);
        }
        Ok(())
    }

    pub(super) fn values(&self) -> ArrayRef {
        let strings: StringArray = self
            .keys
            .iter()
            .map(|k| match k {
                [1, rest @ ..] => Some(std::str::from_utf8(rest).expect("keys hold whole strings")),
                _ => None,
            })
            .collect();
        Arc::new(strings)
    }
}
