//! The copy index: per text, its sketch and the few figures grouping needs (exact hash, word
//! and shingle counts, date, outlet), and no text. It is the stage's only state, about 540
//! bytes a text at the default 128 bins, serialisable so that a store can keep it between runs.
//!
//! [`Index::plan`] turns it into the work of a grouping run: exact copies by hash, candidate
//! pairs by LSH among one text of each exact group, pairs whose estimate is hopeless dropped.
//! It does not measure pairs (that needs the shingle sets, see `verify`) and does not group.

use super::lsh;
use super::minhash::{estimate, Sketch};
use super::DedupConfig;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// A text whose outlet is unknown.
const NO_OUTLET: u32 = u32::MAX;
/// A text without a date sorts after every dated one.
const NO_DATE: i32 = i32::MAX;

/// How far below a threshold an estimate may fall and still be measured: about three
/// standard deviations of a 128-bin estimate near Jaccard 0.5.
const ESTIMATE_SLACK: f64 = 0.15;

/// One text in the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub exact: u64,
    pub words: u32,
    pub shingles: u32,
    /// Days from the common era, `i32::MAX` when undated.
    pub date: i32,
    pub outlet: u32,
}

/// What one text brings to the index besides its sketch.
#[derive(Debug, Clone, Copy, Default)]
pub struct Meta<'a> {
    pub outlet: Option<&'a str>,
    pub date: Option<NaiveDate>,
}

/// Sketches and figures of every text added, in the order added.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Index {
    bins: usize,
    mins: Vec<u32>,
    entries: Vec<Entry>,
    outlets: Vec<String>,
    #[serde(skip)]
    outlet_ids: HashMap<String, u32>,
}

/// The work of one grouping run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// For every text, the earliest text with the same canonical words (itself if none);
    /// texts too short to judge point to themselves.
    pub exact_rep: Vec<u32>,
    /// Whether a text is long enough to judge.
    pub eligible: Vec<bool>,
    /// Candidate pairs among exact representatives, `i < j`, sorted.
    pub pairs: Vec<(u32, u32)>,
}

impl Plan {
    /// The texts whose shingle sets verification needs, sorted.
    pub fn needs_sets(&self) -> Vec<u32> {
        let mut v: Vec<u32> = self.pairs.iter().flat_map(|&(a, b)| [a, b]).collect();
        v.sort_unstable();
        v.dedup();
        v
    }
}

impl Index {
    pub fn new(cfg: &DedupConfig) -> Index {
        Index {
            bins: cfg.permutations,
            ..Index::default()
        }
    }

    /// Add a text's sketch; returns its number in the index.
    pub fn push(&mut self, sketch: &Sketch, exact: u64, meta: Meta<'_>) -> u32 {
        debug_assert_eq!(sketch.mins.len(), self.bins);
        let outlet = match meta.outlet.map(str::trim).filter(|o| !o.is_empty()) {
            None => NO_OUTLET,
            Some(name) => {
                if self.outlet_ids.len() != self.outlets.len() {
                    self.rebuild_outlet_ids();
                }
                let next = self.outlets.len() as u32;
                *self.outlet_ids.entry(name.to_string()).or_insert_with(|| {
                    self.outlets.push(name.to_string());
                    next
                })
            }
        };
        self.mins.extend_from_slice(&sketch.mins);
        self.entries.push(Entry {
            exact,
            words: sketch.words,
            shingles: sketch.shingles,
            date: meta.date.map_or(NO_DATE, |d| d.num_days_from_ce()),
            outlet,
        });
        (self.entries.len() - 1) as u32
    }

    fn rebuild_outlet_ids(&mut self) {
        self.outlet_ids = (self.outlets.iter().cloned()).zip(0u32..).collect();
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn entry(&self, i: u32) -> &Entry {
        &self.entries[i as usize]
    }

    pub fn mins(&self, i: u32) -> &[u32] {
        &self.mins[i as usize * self.bins..(i as usize + 1) * self.bins]
    }

    pub fn outlet(&self, i: u32) -> Option<&str> {
        self.outlets
            .get(self.entries[i as usize].outlet as usize)
            .map(String::as_str)
    }

    /// The order in which texts claim to be the original: dated before undated, earlier
    /// first, then the order they were added.
    pub fn seniority(&self, i: u32) -> (i32, u32) {
        (self.entries[i as usize].date, i)
    }

    /// Give back the room growing left over (a finished batch keeps exactly what it holds).
    pub fn shrink_to_fit(&mut self) {
        self.mins.shrink_to_fit();
        self.entries.shrink_to_fit();
    }

    /// Heap bytes of the index (sketches, entries, outlet names; names count twice, for the
    /// list and the lookup).
    pub fn heap_bytes(&self) -> usize {
        self.mins.capacity() * 4
            + self.entries.capacity() * std::mem::size_of::<Entry>()
            + self
                .outlets
                .iter()
                .map(|o| o.capacity() + 24)
                .sum::<usize>()
                * 2
    }

    /// Exact groups, then candidate pairs among their representatives.
    pub fn plan(&self, cfg: &DedupConfig) -> Plan {
        let n = self.entries.len();
        let eligible: Vec<bool> = self
            .entries
            .iter()
            .map(|e| e.words as usize >= cfg.min_words && e.shingles > 0)
            .collect();
        let mut exact_rep: Vec<u32> = (0..n as u32).collect();
        let mut by_hash: Vec<u32> = (0..n as u32).filter(|&i| eligible[i as usize]).collect();
        // The hash, the word count and the shingle count must all agree: a 64-bit hash alone
        // could be forged to make a text pass for a copy of another.
        let same = |i: u32| {
            let e = self.entry(i);
            (e.exact, e.words, e.shingles)
        };
        by_hash.sort_unstable_by_key(|&i| (same(i), self.seniority(i)));
        for run in by_hash.chunk_by(|&a, &b| same(a) == same(b)) {
            for &i in run {
                exact_rep[i as usize] = run[0];
            }
        }
        let skip: Vec<bool> = (0..n)
            .map(|i| !eligible[i] || exact_rep[i] != i as u32)
            .collect();
        let sketches: Vec<&[u32]> = (0..n as u32).map(|i| self.mins(i)).collect();
        let rows = cfg.permutations / cfg.bands;
        let pairs = lsh::candidates(&sketches, &skip, cfg.bands, rows, cfg.max_bucket)
            .into_iter()
            .filter(|&(a, b)| self.worth_measuring(a, b, cfg))
            .collect();
        Plan {
            exact_rep,
            eligible,
            pairs,
        }
    }

    /// Whether the estimated Jaccard similarity, or the containment it implies with the two
    /// shingle counts, comes near enough to a threshold to be measured.
    fn worth_measuring(&self, a: u32, b: u32, cfg: &DedupConfig) -> bool {
        let j = estimate(self.mins(a), self.mins(b));
        if j >= cfg.min_jaccard - ESTIMATE_SLACK {
            return true;
        }
        let (sa, sb) = (self.entry(a).shingles as f64, self.entry(b).shingles as f64);
        // |A ∩ B| = J (|A| + |B|) / (1 + J).
        let containment = j * (sa + sb) / ((1.0 + j) * sa.min(sb).max(1.0));
        j >= cfg.contained_min_jaccard - ESTIMATE_SLACK
            && containment >= cfg.min_containment - ESTIMATE_SLACK
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dedup::minhash::sketch;

    #[test]
    fn serialises_and_plans_alike_after() {
        let cfg = DedupConfig {
            min_words: 3,
            ..DedupConfig::default()
        };
        let mut index = Index::new(&cfg);
        for (t, o) in [
            ("a b c d e f g", Some("X")),
            ("A b c d e f g.", Some("Y")),
            ("q r s t u v w", None),
        ] {
            let s = sketch(t, cfg.shingle_words, cfg.permutations, cfg.seed);
            let meta = Meta {
                outlet: o,
                date: None,
            };
            index.push(&s, crate::dedup::canonical::exact_hash(t), meta);
        }
        let plan = index.plan(&cfg);
        assert_eq!(plan.exact_rep, vec![0, 0, 2]);
        assert!(plan.pairs.is_empty(), "exact copies need no candidates");
        let json = serde_json::to_string(&index).unwrap();
        let mut back: Index = serde_json::from_str(&json).unwrap();
        assert_eq!(back.plan(&cfg), plan);
        assert_eq!(back.outlet(1), Some("Y"));
        // Names known before serialising keep their numbers.
        let s = sketch("z", 3, cfg.permutations, cfg.seed);
        let i = back.push(
            &s,
            0,
            Meta {
                outlet: Some("X"),
                date: None,
            },
        );
        assert_eq!(back.entry(i).outlet, back.entry(0).outlet);
        assert!(index.heap_bytes() / index.len() < 1024);
    }
}
