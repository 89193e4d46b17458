//! Copies: exact and near-duplicate detection over article bodies.
//!
//! A body becomes canonical words ([`canonical`]), then `k`-word shingles and a one-permutation
//! MinHash sketch ([`minhash`]), kept with a few figures in an [`Index`] ([`index`]). A run plans
//! its work from the index (exact copies by hash of the canonical words; candidate pairs by LSH
//! banding, [`lsh`]), measures every candidate pair's Jaccard similarity and containment on the
//! full shingle sets ([`verify`]), builds groups from the verified edges with a guard against
//! chaining ([`mod@group`]) and names each copy's relation to its group's original ([`relation`]).
//! Same input and settings give the same groups, byte for byte.
//! [`diff`] tells what changed between two copies, paragraph by paragraph and word by word.
//!
//! Everything here is a pure function over strings and typed values: no store, no files. The
//! batch command (`newsfold dedup`) streams records through [`Sketcher`] and [`Index`] and
//! reads the input again for the sets it needs; the store (`store::copies`) keeps the index
//! and the measured pairs between runs and calls [`group_measured`]; [`dedup`] does it all in
//! memory.
//!
//! ```
//! use newsfold::dedup::{dedup, DedupConfig, Document, Relation};
//!
//! let body = "The port talks resumed on Monday after a week of delays, officials said, \
//!             and both sides expect a first agreement on working hours before the end \
//!             of the month, according to a union statement issued late on Sunday night.";
//! let markdown = format!("**{}**", body.replace("officials said", "[officials said](#)"));
//! let docs = [Document::new(body), Document::new(&markdown), Document::new("Something else.")];
//! let out = dedup(&docs, &DedupConfig::default()).unwrap();
//! assert_eq!(out[0].relation, Relation::Original);
//! assert_eq!((out[1].representative, out[1].relation), (0, Relation::SameDocument));
//! assert_eq!(out[2].relation, Relation::Unique);
//! ```

pub mod canonical;
pub mod diff;
pub mod group;
pub mod index;
pub mod lsh;
pub mod minhash;
pub mod relation;
pub mod verify;

pub use group::{group, group_measured, Assignment};
pub use index::{Index, Meta, Plan};
pub use relation::Relation;
pub use verify::{Figures, ShingleSet};

use crate::error::{Error, Result};
use rayon::prelude::*;
use serde::Deserialize;
use std::collections::HashMap;

/// Settings of the copy stage (`[dedup]` in the configuration file). The defaults find copies
/// of Jaccard similarity 0.8 and above with near certainty (see the S-curve in
/// `docs/config.md`) and measure every candidate before it counts.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct DedupConfig {
    /// Words per shingle. Default 3: an edit of one word in ten still leaves about 0.57 of
    /// the shingles shared, where 5-word shingles would leave 0.42.
    pub shingle_words: usize,
    /// Sketch length (the "permutations" of MinHash). Default 128.
    pub permutations: usize,
    /// LSH bands; `permutations / bands` values per band. Default 32 (4 rows): candidates at
    /// Jaccard 0.5 with probability 0.87, at 0.7 with 0.9998, at 0.8 and above with certainty
    /// for all practical purposes.
    pub bands: usize,
    /// Texts of fewer canonical words are too short to judge and stay unique. Default 25:
    /// one-line pages, captions, and furniture-only pages ("Subscribe", "All rights
    /// reserved") are shorter, and sharing them proves nothing.
    pub min_words: usize,
    /// Two texts are copies at this measured Jaccard similarity or above. Default 0.5.
    pub min_jaccard: f64,
    /// ... or when this share of the smaller text's shingles is in the larger (a truncated
    /// copy). Default 0.9.
    pub min_containment: f64,
    /// ... provided the Jaccard similarity is still at least this. Default 0.3: a short text
    /// contained in a long one is a part of it, not a copy of it.
    pub contained_min_jaccard: f64,
    /// From this Jaccard similarity on a copy is the same text (`same_document` or
    /// `reprint`); below it, an `edited_reprint`. Default 0.9.
    pub reprint_jaccard: f64,
    /// A band bucket with more texts than this is linked as a star and a chain, not pair by
    /// pair. Default 64.
    pub max_bucket: usize,
    /// Seed of the shingle hash. Default 0x6e657773666f6c64; change it only to check that
    /// results do not hang on one hash function.
    pub seed: u64,
}

impl Default for DedupConfig {
    fn default() -> Self {
        DedupConfig {
            shingle_words: 3,
            permutations: 128,
            bands: 32,
            min_words: 25,
            min_jaccard: 0.5,
            min_containment: 0.9,
            contained_min_jaccard: 0.3,
            reprint_jaccard: 0.9,
            max_bucket: 64,
            seed: 0x6e65_7773_666f_6c64,
        }
    }
}

impl DedupConfig {
    /// Refuse settings that cannot work, before any text is read.
    pub fn validate(&self) -> Result<()> {
        let bad = |what: String| Err(Error::Usage(format!("[dedup] {what}")));
        if !(1..=minhash::MAX_SHINGLE_WORDS).contains(&self.shingle_words) {
            return bad(format!(
                "shingle_words must be 1 to {}",
                minhash::MAX_SHINGLE_WORDS
            ));
        }
        if self.permutations == 0 || self.permutations > 4096 {
            return bad("permutations must be 1 to 4096".into());
        }
        if self.bands == 0 || !self.permutations.is_multiple_of(self.bands) {
            return bad(format!(
                "bands ({}) must divide permutations ({})",
                self.bands, self.permutations
            ));
        }
        for (name, v) in [
            ("min_jaccard", self.min_jaccard),
            ("min_containment", self.min_containment),
            ("contained_min_jaccard", self.contained_min_jaccard),
            ("reprint_jaccard", self.reprint_jaccard),
        ] {
            if !(0.0..=1.0).contains(&v) {
                return bad(format!("{name} must be between 0 and 1"));
            }
        }
        if self.max_bucket < 2 {
            return bad("max_bucket must be at least 2".into());
        }
        Ok(())
    }

    pub fn rows(&self) -> usize {
        self.permutations / self.bands
    }
}

/// Sketches texts with one configuration.
#[derive(Debug, Clone)]
pub struct Sketcher {
    cfg: DedupConfig,
}

/// What the index needs of one text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextSketch {
    pub exact: u64,
    pub sketch: minhash::Sketch,
}

impl Sketcher {
    pub fn new(cfg: &DedupConfig) -> Result<Sketcher> {
        cfg.validate()?;
        Ok(Sketcher { cfg: cfg.clone() })
    }

    pub fn sketch(&self, text: &str) -> TextSketch {
        let sketch = minhash::sketch(
            text,
            self.cfg.shingle_words,
            self.cfg.permutations,
            self.cfg.seed,
        );
        TextSketch {
            exact: sketch.exact,
            sketch,
        }
    }

    pub fn shingle_set(&self, text: &str) -> ShingleSet {
        ShingleSet::new(text, self.cfg.shingle_words, self.cfg.seed)
    }
}

/// One text to de-duplicate in memory.
#[derive(Debug, Clone, Copy)]
pub struct Document<'a> {
    pub text: &'a str,
    pub outlet: Option<&'a str>,
    pub date: Option<chrono::NaiveDate>,
}

impl<'a> Document<'a> {
    pub fn new(text: &'a str) -> Document<'a> {
        Document {
            text,
            outlet: None,
            date: None,
        }
    }
}

/// Every document's place among copies, in input order; sketches and sets are computed in
/// parallel on the current rayon pool.
pub fn dedup(docs: &[Document<'_>], cfg: &DedupConfig) -> Result<Vec<Assignment>> {
    let sketcher = Sketcher::new(cfg)?;
    let sketches: Vec<TextSketch> = docs.par_iter().map(|d| sketcher.sketch(d.text)).collect();
    let mut index = Index::new(cfg);
    for (d, s) in docs.iter().zip(&sketches) {
        let meta = Meta {
            outlet: d.outlet,
            date: d.date,
        };
        index.push(&s.sketch, s.exact, meta);
    }
    drop(sketches);
    index.shrink_to_fit();
    let plan = index.plan(cfg);
    let sets: HashMap<u32, ShingleSet> = plan
        .needs_sets()
        .into_par_iter()
        .map(|i| (i, sketcher.shingle_set(docs[i as usize].text)))
        .collect();
    Ok(group(&index, &plan, &sets, cfg))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn article(seed: u64, n: usize) -> String {
        let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                format!("word{}", x % 20_000)
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn config_validation() {
        assert!(DedupConfig::default().validate().is_ok());
        let bad = DedupConfig {
            bands: 30,
            ..DedupConfig::default()
        };
        assert!(bad.validate().is_err());
        let bad = DedupConfig {
            min_jaccard: 1.5,
            ..DedupConfig::default()
        };
        assert!(bad.validate().is_err());
    }

    #[test]
    fn short_and_empty_texts_stay_unique() {
        let furniture = "Subscribe to our newsletter. Share on Facebook. All rights reserved.";
        let docs = [
            Document::new(""),
            Document::new(""),
            Document::new("Word"),
            Document::new("word"),
            Document::new(furniture),
            Document::new(furniture),
        ];
        let out = dedup(&docs, &DedupConfig::default()).unwrap();
        for (i, a) in out.iter().enumerate() {
            assert_eq!(a.representative, i as u32);
            assert_eq!(a.relation, Relation::Unique);
        }
    }

    #[test]
    fn a_truncated_copy_is_contained() {
        let full = article(1, 1000);
        let cut: String = full.split(' ').take(600).collect::<Vec<_>>().join(" ");
        let out = dedup(
            &[Document::new(&full), Document::new(&cut)],
            &DedupConfig::default(),
        )
        .unwrap();
        assert_eq!(out[1].representative, 0);
        assert_eq!(out[1].relation, Relation::EditedReprint);
        assert!(out[1].figures.containment > 0.99 && out[1].figures.jaccard < 0.65);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        #[test]
        fn canonicalisation_is_idempotent_and_keeps_words(
            s in "[a-zA-Z0-9 .,<>/&;\\]\\[()\u{e9}\u{301}\u{2019}\u{201c}\u{2014}\u{fb01}\u{ff21}\u{a0}\u{130}\n-]{0,80}"
        ) {
            let c = canonical::canonical_text(&s);
            prop_assert_eq!(canonical::canonical_text(&c), c.clone());
            let mut fast = Vec::new();
            canonical::for_each_word_hash(&s, |h| fast.push(h));
            let slow: Vec<u64> = canonical::words(&s)
                .iter()
                .map(|w| canonical::word_hash(w.as_bytes()))
                .collect();
            prop_assert_eq!(fast, slow);
        }

        #[test]
        fn identical_texts_always_group(seed in 0u64..1000, n in 25usize..400) {
            let t = article(seed, n);
            let other = article(seed + 5000, 300);
            let docs = [Document::new(&t), Document::new(&other), Document::new(&t)];
            let out = dedup(&docs, &DedupConfig::default()).unwrap();
            prop_assert_eq!(out[2].representative, 0);
            prop_assert_eq!(out[2].relation, Relation::SameDocument);
            prop_assert_eq!(out[1].relation, Relation::Unique);
        }

        #[test]
        fn input_order_does_not_change_the_groups(seed in 0u64..500, rot in 0usize..6) {
            // Three stories, each with a lightly edited copy; dates fix the originals.
            let mut texts = Vec::new();
            for s in 0..3 {
                let t = article(seed * 7 + s, 300);
                let edited = t.replacen("word", "changed", 10);
                texts.push((t, 2 * s as i64));
                texts.push((edited, 2 * s as i64 + 1));
            }
            let day = |d: i64| chrono::NaiveDate::from_ymd_opt(2020, 1, 1)
                .map(|x| x + chrono::Duration::days(d));
            let groups = |order: &[usize]| {
                let docs: Vec<Document> = order.iter().map(|&i| Document {
                    date: day(texts[i].1),
                    ..Document::new(&texts[i].0)
                }).collect();
                let out = dedup(&docs, &DedupConfig::default()).unwrap();
                let mut g: Vec<(usize, usize)> = order.iter().enumerate()
                    .map(|(pos, &i)| (i, order[out[pos].representative as usize]))
                    .collect();
                g.sort();
                g
            };
            let base: Vec<usize> = (0..texts.len()).collect();
            let mut turned = base.clone();
            turned.rotate_left(rot);
            turned.reverse();
            prop_assert_eq!(groups(&base), groups(&turned));
        }
    }
}
