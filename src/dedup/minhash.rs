//! Word shingles and their MinHash sketch, built from a text's word hashes in one pass over them.
//!
//! A shingle is `k` consecutive canonical words (default 3), hashed to 64 bits from the words'
//! own hashes. The sketch is one-permutation MinHash (Li, Owen and Zhang, 2012): the shingle's
//! hash picks one of `n` bins and the bin keeps the smallest 32-bit value it sees, so every
//! shingle costs one hash and one comparison instead of `n`; bins left empty by short texts are
//! filled by rotation from the next full bin, with a per-distance offset (Shrivastava and Li,
//! 2014), which keeps two identical texts' sketches identical. The share of equal bins estimates
//! the Jaccard similarity of the shingle sets, as `n` independent permutations would. This
//! module estimates; `verify` measures.

use super::canonical;

/// Most words in a shingle.
pub const MAX_SHINGLE_WORDS: usize = 8;

/// A bin no shingle fell into.
const EMPTY: u32 = u32::MAX;

/// Hash of `K` word hashes, oldest first.
#[inline(always)]
fn shingle_hash<const K: usize>(words: &[u64; K], seed: u64) -> u64 {
    let mut h = seed;
    for &w in words {
        h = (h.rotate_left(26) ^ w).wrapping_mul(0x9FB2_1C65_1E98_DF25);
    }
    h ^ (h >> 29)
}

/// Call `f` with the hash of every `k`-word shingle of `text`, in order (repeats included),
/// and return the number of words and the text's exact hash
/// ([`crate::dedup::canonical::exact_hash`]). A text of fewer than `k` words has no shingles.
pub fn for_each_shingle(text: &str, k: usize, seed: u64, f: impl FnMut(u64)) -> (usize, u64) {
    // One copy of the loop per shingle length, so that the inner loop is unrolled.
    match k.clamp(1, MAX_SHINGLE_WORDS) {
        1 => shingles::<1>(text, seed, f),
        2 => shingles::<2>(text, seed, f),
        3 => shingles::<3>(text, seed, f),
        4 => shingles::<4>(text, seed, f),
        5 => shingles::<5>(text, seed, f),
        6 => shingles::<6>(text, seed, f),
        7 => shingles::<7>(text, seed, f),
        _ => shingles::<8>(text, seed, f),
    }
}

fn shingles<const K: usize>(text: &str, seed: u64, mut f: impl FnMut(u64)) -> (usize, u64) {
    // The words first, then the shingles over them: two short loops, each with little state.
    let mut words = Vec::with_capacity(text.len() / 5 + 1);
    canonical::word_hashes(text, &mut words);
    // The exact hash is a chain of dependent multiplications: folded inside the shingle loop,
    // it runs beside the shingle hashes instead of after them.
    let lead = words.len().min(K - 1);
    let mut exact = words[..lead]
        .iter()
        .fold(canonical::EXACT_START, |h, &w| canonical::exact_step(h, w));
    // Each window is read straight from `words`: a window kept in an array and shifted went
    // through memory, and the overlapping stores and loads stalled the loop.
    for window in words.windows(K) {
        if let Ok(window) = <&[u64; K]>::try_from(window) {
            exact = canonical::exact_step(exact, window[K - 1]);
            f(shingle_hash::<K>(window, seed));
        }
    }
    (words.len(), canonical::exact_finish(exact))
}

/// A text's sketch and the counts the later stages need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sketch {
    /// Hash of the canonical words in order (exact copies share it).
    pub exact: u64,
    /// Canonical words.
    pub words: u32,
    /// Shingles, repeats included (an upper bound on the distinct ones).
    pub shingles: u32,
    /// One value per bin; all `u32::MAX` for a text without shingles.
    pub mins: Vec<u32>,
}

/// One-permutation MinHash of a text: `bins` values from `k`-word shingles.
pub fn sketch(text: &str, k: usize, bins: usize, seed: u64) -> Sketch {
    let mut mins = vec![EMPTY; bins];
    let mut shingles = 0u32;
    // The high half picks the bin (multiply-shift, no division), the low half competes. An
    // unconditional store: whether a shingle lowers its bin is a coin toss early in a text,
    // and a branch on it would mispredict.
    let (words, exact) = match <&mut [u32; 128]>::try_from(mins.as_mut_slice()) {
        // The default 128 bins: the multiply-shift is the top 7 bits, and the array's length
        // lets the compiler see that the index is in range.
        Ok(mins) => for_each_shingle(text, k, seed, |h| {
            let bin = (h >> 57) as usize;
            mins[bin] = mins[bin].min((h as u32).min(EMPTY - 1));
            shingles += 1;
        }),
        Err(_) => for_each_shingle(text, k, seed, |h| {
            let bin = (((h >> 32) * bins as u64) >> 32) as usize;
            mins[bin] = mins[bin].min((h as u32).min(EMPTY - 1));
            shingles += 1;
        }),
    };
    if shingles > 0 {
        densify(&mut mins);
    }
    Sketch {
        exact,
        words: words as u32,
        shingles,
        mins,
    }
}

/// Fill empty bins from the next full bin to the right (circularly), offset by the distance,
/// so that an empty bin only matches another sketch's bin when both borrowed alike.
fn densify(mins: &mut [u32]) {
    let n = mins.len();
    if mins.iter().all(|&v| v != EMPTY) {
        return;
    }
    let orig = mins.to_vec();
    for i in 0..n {
        if orig[i] != EMPTY {
            continue;
        }
        let mut d = 1;
        while orig[(i + d) % n] == EMPTY {
            d += 1;
        }
        let src = orig[(i + d) % n];
        mins[i] = src.wrapping_add((d as u32).wrapping_mul(0x9E37_79B9)) % (EMPTY - 1);
    }
}

/// The share of equal bins: an estimate of the Jaccard similarity of the shingle sets.
pub fn estimate(a: &[u32], b: &[u32]) -> f64 {
    if a.is_empty() || a.len() != b.len() {
        return 0.0;
    }
    let equal = a.iter().zip(b).filter(|(x, y)| x == y).count();
    equal as f64 / a.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dedup::verify::ShingleSet;

    fn text(seed: u64, n: usize) -> String {
        let mut x = seed;
        (0..n)
            .map(|_| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                format!("w{}", (x >> 40) % 5000)
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn shingle_counts() {
        let mut v = Vec::new();
        let (n, exact) = for_each_shingle("a b c d", 3, 1, |h| v.push(h));
        assert_eq!((n, exact), (4, canonical::exact_hash("A b c. D")));
        assert_eq!(v.len(), 2);
        v.clear();
        assert_eq!(for_each_shingle("a b", 3, 1, |h| v.push(h)).0, 2);
        assert!(v.is_empty());
        // Order matters within a shingle.
        let one = |t: &str| {
            let mut h = 0;
            for_each_shingle(t, 3, 1, |x| h = x);
            h
        };
        assert_ne!(one("a b c"), one("c b a"));
        assert_eq!(one("A b, C."), one("a b c"));
    }

    #[test]
    fn identical_texts_identical_sketches_and_empty_text_empty() {
        let t = text(1, 30);
        assert_eq!(sketch(&t, 3, 128, 7), sketch(&t, 3, 128, 7));
        let e = sketch("", 3, 128, 7);
        assert_eq!((e.words, e.shingles), (0, 0));
        assert!(e.mins.iter().all(|&v| v == EMPTY));
    }

    #[test]
    fn estimate_tracks_measured_jaccard() {
        // Two texts sharing a long middle: the estimate stays near the measured similarity.
        let common = text(2, 1500);
        let a = format!("{} {common}", text(3, 300));
        let b = format!("{common} {}", text(4, 500));
        let (sa, sb) = (sketch(&a, 3, 128, 9), sketch(&b, 3, 128, 9));
        let j = ShingleSet::new(&a, 3, 9).jaccard(&ShingleSet::new(&b, 3, 9));
        let est = estimate(&sa.mins, &sb.mins);
        assert!((est - j).abs() < 0.12, "estimate {est} vs measured {j}");
        let unrelated = sketch(&text(5, 1500), 3, 128, 9);
        assert!(estimate(&sa.mins, &unrelated.mins) < 0.05);
    }
}
