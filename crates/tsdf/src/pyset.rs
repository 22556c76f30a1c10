//! The iteration order of a Python `set` of column names, as CPython 3.11 with
//! `PYTHONHASHSEED=0` produces it.
//!
//! Tempo builds `metricCols` from a set when none are given, and `resample(func="floor"|"ceil")`
//! breaks ties between rows with equal timestamps by comparing the metrics in that order. The
//! reference outputs were recorded with `PYTHONHASHSEED=0`, so reproducing this order (SipHash-1-3
//! string hashes with a zero key, CPython's open-addressing set table) reproduces Tempo's pick.

/// CPython's `LINEAR_PROBES`.
const LINEAR_PROBES: usize = 9;
/// CPython's `PERTURB_SHIFT`.
const PERTURB_SHIFT: u32 = 5;
/// CPython's `PySet_MINSIZE`.
const MIN_SIZE: usize = 8;

fn sip_round(v: &mut [u64; 4]) {
    v[0] = v[0].wrapping_add(v[1]);
    v[2] = v[2].wrapping_add(v[3]);
    v[1] = v[1].rotate_left(13) ^ v[0];
    v[3] = v[3].rotate_left(16) ^ v[2];
    v[0] = v[0].rotate_left(32);
    v[2] = v[2].wrapping_add(v[1]);
    v[0] = v[0].wrapping_add(v[3]);
    v[1] = v[1].rotate_left(17) ^ v[2];
    v[3] = v[3].rotate_left(21) ^ v[0];
    v[2] = v[2].rotate_left(32);
}

/// `hash(s)` of an ASCII/Latin-1 `str` in CPython ≥ 3.11 with `PYTHONHASHSEED=0`.
pub(crate) fn py_str_hash(s: &str) -> i64 {
    let data = s.as_bytes();
    if data.is_empty() {
        return 0;
    }
    let (k0, k1) = (0u64, 0u64);
    let mut v = [
        k0 ^ 0x736f_6d65_7073_6575,
        k1 ^ 0x646f_7261_6e64_6f6d,
        k0 ^ 0x6c79_6765_6e65_7261,
        k1 ^ 0x7465_6462_7974_6573,
    ];
    let mut chunks = data.chunks_exact(8);
    for c in &mut chunks {
        let m = u64::from_le_bytes(c.try_into().unwrap_or([0; 8]));
        v[3] ^= m;
        sip_round(&mut v);
        v[0] ^= m;
    }
    let mut tail = [0u8; 8];
    tail[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
    let b = ((data.len() as u64) << 56) | u64::from_le_bytes(tail);
    v[3] ^= b;
    sip_round(&mut v);
    v[0] ^= b;
    v[2] ^= 0xff;
    for _ in 0..3 {
        sip_round(&mut v);
    }
    let h = (v[0] ^ v[1] ^ v[2] ^ v[3]) as i64;
    if h == -1 { -2 } else { h }
}

/// A CPython set table of strings (only what `set(list)` and `difference` need).
struct PySet {
    table: Vec<Option<(i64, String)>>,
    fill: usize,
}

impl PySet {
    fn new() -> Self {
        PySet {
            table: vec![None; MIN_SIZE],
            fill: 0,
        }
    }

    fn slot_for(table: &[Option<(i64, String)>], hash: i64, key: &str) -> (usize, bool) {
        let mask = table.len() - 1;
        let mut perturb = hash as u64;
        let mut i = hash as u64 as usize & mask;
        loop {
            let probes = if i + LINEAR_PROBES <= mask {
                LINEAR_PROBES
            } else {
                0
            };
            for (j, entry) in table.iter().enumerate().skip(i).take(probes + 1) {
                match entry {
                    None => return (j, false),
                    Some((h, k)) if *h == hash && k == key => return (j, true),
                    _ => {}
                }
            }
            perturb >>= PERTURB_SHIFT;
            i = (i
                .wrapping_mul(5)
                .wrapping_add(1)
                .wrapping_add(perturb as usize))
                & mask;
        }
    }

    fn add(&mut self, key: &str) {
        let hash = py_str_hash(key);
        let (slot, present) = Self::slot_for(&self.table, hash, key);
        if present {
            return;
        }
        self.table[slot] = Some((hash, key.to_string()));
        self.fill += 1;
        let mask = self.table.len() - 1;
        if self.fill * 5 >= mask * 3 {
            self.resize(self.fill * 4);
        }
    }

    fn resize(&mut self, min_used: usize) {
        let mut size = MIN_SIZE;
        while size <= min_used {
            size <<= 1;
        }
        let old = std::mem::replace(&mut self.table, vec![None; size]);
        for (hash, key) in old.into_iter().flatten() {
            let (slot, _) = Self::slot_for(&self.table, hash, &key);
            self.table[slot] = Some((hash, key));
        }
    }

    fn contains(&self, key: &str) -> bool {
        Self::slot_for(&self.table, py_str_hash(key), key).1
    }

    fn iter(&self) -> impl Iterator<Item = &str> {
        self.table.iter().flatten().map(|(_, k)| k.as_str())
    }
}

/// `list(set(all).difference(set(removed)))` as CPython 3.11 with `PYTHONHASHSEED=0` orders it.
pub(crate) fn set_difference_order(all: &[&str], removed: &[&str]) -> Vec<String> {
    let mut a = PySet::new();
    all.iter().for_each(|k| a.add(k));
    let mut b = PySet::new();
    removed.iter().for_each(|k| b.add(k));
    let mut out = PySet::new();
    for k in a.iter() {
        if !b.contains(k) {
            out.add(k);
        }
    }
    out.iter().map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hashes printed by `PYTHONHASHSEED=0 python3.11 -c "print(hash('status'))"` etc.
    #[test]
    fn test_py_str_hash_matches_cpython() {
        assert_eq!(py_str_hash("status"), 5_124_950_028_226_411_233);
        assert_eq!(py_str_hash("agg_key"), 5_798_878_949_800_867_141);
        assert_eq!(py_str_hash("a"), 4_644_417_185_603_328_019);
        assert_eq!(
            py_str_hash("event_ts_longer_than_8"),
            7_691_784_137_196_630_620
        );
        assert_eq!(py_str_hash(""), 0);
    }

    /// CPython 3.11 prints `['status', 'humidity', 'seq', 'temp']` for this expression.
    #[test]
    fn test_set_difference_order_matches_cpython() {
        let cols = [
            "device_id",
            "event_ts",
            "temp",
            "humidity",
            "status",
            "seq",
            "agg_key",
        ];
        let got = set_difference_order(&cols, &["device_id", "agg_key", "event_ts"]);
        assert_eq!(got, vec!["status", "humidity", "seq", "temp"]);
    }
}
