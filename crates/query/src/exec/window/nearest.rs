//! O(1) lookups of the nearest non-NULL row, for `first_value`/`last_value ... IGNORE NULLS`.

use arrow::array::Array;

/// For each row, the nearest non-NULL row at or before it and at or after it.
pub(super) struct NearestValid {
    at_or_before: Vec<u32>,
    at_or_after: Vec<u32>,
}

/// Marks "no non-NULL row on that side".
const NONE: u32 = u32::MAX;

impl NearestValid {
    pub(super) fn new(values: &dyn Array) -> NearestValid {
        let n = values.len();
        let mut at_or_before = vec![NONE; n];
        let mut last = NONE;
        for (k, slot) in at_or_before.iter_mut().enumerate() {
            if values.is_valid(k) {
                last = k as u32;
            }
            *slot = last;
        }
        let mut at_or_after = vec![NONE; n];
        let mut next = NONE;
        for k in (0..n).rev() {
            if values.is_valid(k) {
                next = k as u32;
            }
            at_or_after[k] = next;
        }
        NearestValid {
            at_or_before,
            at_or_after,
        }
    }

    /// The first non-NULL row of `start..end` (non-empty).
    pub(super) fn first_in(&self, start: usize, end: usize) -> Option<usize> {
        let j = self.at_or_after[start];
        (j != NONE && (j as usize) < end).then_some(j as usize)
    }

    /// The last non-NULL row of `start..end` (non-empty).
    pub(super) fn last_in(&self, start: usize, end: usize) -> Option<usize> {
        let j = self.at_or_before[end - 1];
        (j != NONE && (j as usize) >= start).then_some(j as usize)
    }
}

#[cfg(test)]
mod tests {
    use arrow::array::Int32Array;
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn prop_lookups_match_a_scan(
            cells in prop::collection::vec(prop::option::weighted(0.3, 0i32..9), 1..60),
            a in 0usize..60,
            b in 0usize..60,
        ) {
            let values = Int32Array::from(cells.clone());
            let near = NearestValid::new(&values);
            let n = cells.len();
            let (start, end) = (a.min(b) % n, (a.max(b) % n) + 1);
            prop_assume!(start < end);
            let valid: Vec<usize> = (start..end).filter(|&j| cells[j].is_some()).collect();
            prop_assert_eq!(near.first_in(start, end), valid.first().copied());
            prop_assert_eq!(near.last_in(start, end), valid.last().copied());
        }
    }
}
