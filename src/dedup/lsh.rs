//! LSH banding: the sketch is cut into `bands` bands of `rows` values; two texts become a
//! candidate pair when any band is equal in both. The chance of that at Jaccard `s` is
//! `1 - (1 - s^rows)^bands` (the S-curve in `docs/config.md`).
//!
//! Candidates are found by sorting, one band at a time, the band keys of all sketches: no hash
//! tables, memory of one key per text at a time, and the pairs come out in one deterministic
//! order. This module proposes pairs; it does not measure them.

use rayon::prelude::*;

/// The 64-bit key of band `band` of a sketch.
#[inline]
pub fn band_key(mins: &[u32], band: usize, rows: usize) -> u64 {
    let mut h = 0x243F_6A88_85A3_08D3u64 ^ band as u64;
    for &v in &mins[band * rows..(band + 1) * rows] {
        h = (h ^ v as u64)
            .wrapping_mul(0xD6E8_FEB8_6659_FD93)
            .rotate_left(32);
    }
    h
}

/// The candidate pairs `(i, j)`, `i < j`, among `sketches` (each `bands * rows` values; those
/// with `skip[i]` set take no part), sorted and without repeats. A bucket of more than
/// `max_bucket` texts gives each member one pair with the bucket's first text and one with
/// the text before it instead of every pair: a thousand identical band values must not cost
/// half a million comparisons.
pub fn candidates(
    sketches: &[&[u32]],
    skip: &[bool],
    bands: usize,
    rows: usize,
    max_bucket: usize,
) -> Vec<(u32, u32)> {
    let per_band: Vec<Vec<(u32, u32)>> = (0..bands)
        .into_par_iter()
        .map(|band| {
            let keys: Vec<(u64, u32)> = sketches
                .iter()
                .enumerate()
                .filter(|(i, _)| !skip[*i])
                .map(|(i, s)| (band_key(s, band, rows), i as u32))
                .collect();
            let keys = sort_keys(keys);
            let mut pairs = Vec::new();
            for bucket in keys.chunk_by(|a, b| a.0 == b.0) {
                if bucket.len() < 2 {
                    continue;
                }
                if bucket.len() <= max_bucket {
                    for (x, a) in bucket.iter().enumerate() {
                        for b in &bucket[x + 1..] {
                            pairs.push((a.1, b.1));
                        }
                    }
                } else {
                    for x in 1..bucket.len() {
                        pairs.push((bucket[0].1, bucket[x].1));
                        if x > 1 {
                            pairs.push((bucket[x - 1].1, bucket[x].1));
                        }
                    }
                }
            }
            pairs
        })
        .collect();
    let mut all: Vec<(u32, u32)> = per_band.into_iter().flatten().collect();
    all.par_sort_unstable();
    all.dedup();
    all
}

/// `keys` in the order `sort_unstable` gives them, in linear time for keys that are hashes:
/// one counting pass on the keys' top bits spreads them over buckets of about four, and each
/// bucket is then sorted on its own. A bucket that many texts share (one band of boilerplate)
/// is only as slow as sorting it.
fn sort_keys(mut keys: Vec<(u64, u32)>) -> Vec<(u64, u32)> {
    let n = keys.len();
    if n < 256 {
        keys.sort_unstable();
        return keys;
    }
    let bits = (n / 4).next_power_of_two().trailing_zeros().clamp(1, 24);
    let bucket = |key: u64| (key >> (64 - bits)) as usize;
    // `starts[b]` is where bucket `b` begins in the sorted order; `starts[1 << bits]` is `n`.
    let mut starts = vec![0usize; (1 << bits) + 1];
    for &(key, _) in &keys {
        starts[bucket(key) + 1] += 1;
    }
    for b in 1..starts.len() {
        starts[b] += starts[b - 1];
    }
    let mut next = starts.clone();
    let mut out = vec![(0u64, 0u32); n];
    for &pair in &keys {
        let b = bucket(pair.0);
        out[next[b]] = pair;
        next[b] += 1;
    }
    for b in starts.windows(2) {
        out[b[0]..b[1]].sort_unstable();
    }
    out
}

/// The chance that two texts of Jaccard similarity `s` become candidates.
pub fn candidate_probability(s: f64, bands: usize, rows: usize) -> f64 {
    1.0 - (1.0 - s.powi(rows as i32)).powi(bands as i32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_bands_pair_up() {
        let a: Vec<u32> = (0..8).collect();
        let mut b = a.clone();
        b[7] = 99; // the second band differs, the first is equal
        let c: Vec<u32> = (100..108).collect();
        let s: Vec<&[u32]> = vec![&a, &b, &c, &a];
        assert_eq!(
            candidates(&s, &[false; 4], 2, 4, 64),
            vec![(0, 1), (0, 3), (1, 3)]
        );
        assert_eq!(
            candidates(&s, &[false, false, false, true], 2, 4, 64),
            vec![(0, 1)]
        );
        // A large bucket: a star and a chain, not every pair.
        let many: Vec<&[u32]> = vec![&a; 10];
        let pairs = candidates(&many, &[false; 10], 2, 4, 4);
        assert!(pairs.len() < 45 && pairs.len() >= 9);
        assert!((1..10).all(|j| pairs.contains(&(0, j))));
    }

    #[test]
    fn bucketed_sort_is_the_sort() {
        let mut x = 7u64;
        for n in [0, 1, 255, 256, 1000, 5000] {
            let keys: Vec<(u64, u32)> = (0..n as u32)
                .map(|i| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    // Every fifth key repeats a few values: equal keys order by text.
                    (if i % 5 == 0 { (x % 3) << 62 } else { x }, i)
                })
                .collect();
            let mut want = keys.clone();
            want.sort_unstable();
            assert_eq!(sort_keys(keys), want, "{n}");
        }
    }

    #[test]
    fn s_curve() {
        assert!(candidate_probability(0.8, 32, 4) > 0.999);
        assert!(candidate_probability(0.1, 32, 4) < 0.01);
        assert_eq!(candidate_probability(1.0, 32, 4), 1.0);
    }
}
