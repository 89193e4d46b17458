//! Verification: the measured Jaccard similarity and containment of two texts' shingle sets,
//! and the rule that decides from them whether two texts are copies.
//!
//! Sketches only propose candidates; every pair that joins a group is measured here on the
//! full sets of shingle hashes (64-bit, so a false match of two shingles is negligible). Not
//! for finding candidates: comparing sets is linear in the texts' length.

use super::minhash::for_each_shingle;
use super::DedupConfig;
use serde::{Deserialize, Serialize};

/// The distinct shingle hashes of one text, sorted.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ShingleSet(Vec<u64>);

impl ShingleSet {
    pub fn new(text: &str, k: usize, seed: u64) -> ShingleSet {
        let mut v = Vec::new();
        for_each_shingle(text, k, seed, |h| v.push(h));
        v.sort_unstable();
        v.dedup();
        ShingleSet(v)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Shingles in both sets.
    pub fn common(&self, other: &ShingleSet) -> usize {
        let (a, b) = (&self.0, &other.0);
        let (mut i, mut j, mut n) = (0, 0, 0);
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    n += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        n
    }

    pub fn jaccard(&self, other: &ShingleSet) -> f64 {
        self.figures(other).jaccard
    }

    /// Jaccard similarity and containment of two sets.
    pub fn figures(&self, other: &ShingleSet) -> Figures {
        let common = self.common(other);
        let union = self.len() + other.len() - common;
        let smaller = self.len().min(other.len());
        Figures {
            jaccard: if union == 0 {
                0.0
            } else {
                common as f64 / union as f64
            },
            containment: if smaller == 0 {
                0.0
            } else {
                common as f64 / smaller as f64
            },
        }
    }

    /// Heap bytes held.
    pub fn heap_bytes(&self) -> usize {
        self.0.capacity() * 8
    }
}

/// The measured similarity of two texts.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Figures {
    /// Shared shingles over all shingles of either.
    pub jaccard: f64,
    /// Shared shingles over the shingles of the smaller text: 1.0 when one is a part of the
    /// other (a truncated copy).
    pub containment: f64,
}

impl Figures {
    /// The figures of two texts with the same canonical words.
    pub const IDENTICAL: Figures = Figures {
        jaccard: 1.0,
        containment: 1.0,
    };

    /// Whether these figures make two texts copies: Jaccard at least `min_jaccard`, or one
    /// text contained in the other (`min_containment`) while still sharing
    /// `contained_min_jaccard` of the whole.
    pub fn are_copies(&self, cfg: &DedupConfig) -> bool {
        self.jaccard >= cfg.min_jaccard
            || (self.containment >= cfg.min_containment
                && self.jaccard >= cfg.contained_min_jaccard)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_of_sets() {
        let a = ShingleSet::new("one two three four five six", 3, 0);
        let b = ShingleSet::new("one two three four five six seven eight", 3, 0);
        assert_eq!(a.len(), 4);
        let f = a.figures(&b);
        assert_eq!(f.jaccard, 4.0 / 6.0);
        assert_eq!(f.containment, 1.0);
        assert_eq!(a.figures(&a), Figures::IDENTICAL);
        let empty = ShingleSet::new("", 3, 0);
        assert_eq!(empty.figures(&a), Figures::default());
        assert_eq!(empty.figures(&empty), Figures::default());
    }

    #[test]
    fn copy_rule() {
        let cfg = DedupConfig::default();
        let f = |jaccard, containment| Figures {
            jaccard,
            containment,
        };
        assert!(f(0.9, 0.95).are_copies(&cfg));
        assert!(!f(0.2, 0.4).are_copies(&cfg));
        assert!(f(cfg.contained_min_jaccard, 1.0).are_copies(&cfg));
        assert!(!f(0.05, 1.0).are_copies(&cfg));
    }
}
