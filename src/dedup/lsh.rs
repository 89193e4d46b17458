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
            let mut keys: Vec<(u64, u32)> = sketches
                .iter()
                .enumerate()
                .filter(|(i, _)| !skip[*i])
                .map(|(i, s)| (band_key(s, band, rows), i as u32))
                .collect();
            keys.sort_unstable();
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
    fn s_curve() {
        assert!(candidate_probability(0.8, 32, 4) > 0.999);
        assert!(candidate_probability(0.1, 32, 4) < 0.01);
        assert_eq!(candidate_probability(1.0, 32, 4), 1.0);
    }
}
