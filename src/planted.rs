//! The planted-copy benchmark behind `newsfold eval dedup`: copies of real articles, made
//! with a seeded generator so that every run plants the same ones, mixed among distractors,
//! and the copy stage scored against the planted groups.
//!
//! Each planted copy is its original after one to three of: re-rendered as Markdown, hard
//! re-wrapped, furniture lines added, truncated, 1-10% of words edited; a third are reprints
//! under another outlet. The true Jaccard similarity of every planted pair is measured on the
//! texts as planted (word 3-shingles, the stage's own definition). This module makes the data
//! and the scores; it prints nothing.

use crate::batch::LoadedRecord;
use crate::dedup::{self, DedupConfig, Document, ShingleSet};
use crate::error::Result;
use std::collections::HashMap;

/// A small, fast, seeded generator (SplitMix64): the benchmark must not depend on a crate's
/// notion of randomness changing between versions.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// One text of the benchmark.
#[derive(Debug, Clone)]
pub struct Planted {
    pub text: String,
    pub outlet: Option<String>,
    pub date: Option<chrono::NaiveDate>,
    /// The planted group: the original's number; distractors have their own.
    pub group: usize,
    /// What was done to make it ("" for originals).
    pub kinds: String,
}

/// Sizes of the benchmark.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    pub originals: usize,
    pub distractors: usize,
    pub seed: u64,
}

const FURNITURE: [&str; 6] = [
    "Advertisement",
    "Subscribe to our newsletter for the latest updates delivered to your inbox.",
    "Share this story on Facebook, Twitter and email.",
    "Copyright 2020 The Daily Planet. All rights reserved.",
    "Related: more coverage of this developing story",
    "Click here to read the full report and leave a comment below.",
];

fn words_of(text: &str) -> Vec<&str> {
    text.split_whitespace().collect()
}

fn markdown(text: &str, title: &str, rng: &mut Rng) -> String {
    let mut out = format!("# {title}\n\n");
    for p in text.split('\n').filter(|p| !p.trim().is_empty()) {
        let mut ws: Vec<String> = words_of(p).iter().map(|w| w.to_string()).collect();
        if ws.len() > 6 && rng.below(3) == 0 {
            let i = rng.below(ws.len());
            ws[i] = format!("**{}**", ws[i]);
        }
        if ws.len() > 6 && rng.below(4) == 0 {
            let i = rng.below(ws.len());
            ws[i] = format!("[{}](https://example.org/{})", ws[i], rng.below(1000));
        }
        out.push_str(&ws.join(" "));
        out.push_str("\n\n");
    }
    out
}

fn rewrap(text: &str, rng: &mut Rng) -> String {
    let width = 55 + rng.below(30);
    let mut out = String::new();
    for p in text.split('\n').filter(|p| !p.trim().is_empty()) {
        let mut line = 0;
        for w in words_of(p) {
            if line > 0 && line + w.len() > width {
                out.push('\n');
                line = 0;
            } else if line > 0 {
                out.push(' ');
                line += 1;
            }
            out.push_str(w);
            line += w.len();
        }
        out.push_str("\n\n");
    }
    out
}

fn furniture(text: &str, rng: &mut Rng) -> String {
    let mut out = String::new();
    if rng.below(2) == 0 {
        out.push_str(FURNITURE[0]);
        out.push_str("\n\n");
    }
    out.push_str(text);
    for _ in 0..1 + rng.below(3) {
        out.push_str("\n\n");
        out.push_str(FURNITURE[1 + rng.below(FURNITURE.len() - 1)]);
    }
    out
}

fn truncate(text: &str, rng: &mut Rng) -> String {
    let ws = words_of(text);
    let keep = ((ws.len() as f64) * (0.6 + 0.35 * rng.unit())) as usize;
    // Keep the paragraph breaks of the part kept.
    let mut seen = 0;
    let mut out = String::new();
    for p in text.split('\n') {
        let pw = words_of(p);
        if seen + pw.len() > keep {
            out.push_str(&pw[..keep - seen].join(" "));
            break;
        }
        out.push_str(p);
        out.push('\n');
        seen += pw.len();
    }
    out
}

fn edit(text: &str, donor: &[&str], rng: &mut Rng) -> String {
    let share = 0.01 + 0.09 * rng.unit();
    let mut out = String::with_capacity(text.len());
    for (pi, p) in text.split('\n').enumerate() {
        if pi > 0 {
            out.push('\n');
        }
        let mut first = true;
        for w in words_of(p) {
            let mut push = |s: &str, out: &mut String| {
                if !first {
                    out.push(' ');
                }
                out.push_str(s);
                first = false;
            };
            if rng.unit() < share {
                match rng.below(3) {
                    0 => {} // deleted
                    1 => push(donor[rng.below(donor.len())], &mut out),
                    _ => {
                        push(w, &mut out);
                        push(donor[rng.below(donor.len())], &mut out);
                    }
                }
            } else {
                push(w, &mut out);
            }
        }
    }
    out
}

/// Originals and distractors drawn from `records` (bodies of 150 words or more, each text once
/// by its canonical words), copies planted after the originals, all shuffled.
pub fn generate(records: &[LoadedRecord], plan: Plan) -> Vec<Planted> {
    let mut rng = Rng::new(plan.seed);
    let mut seen = std::collections::HashSet::new();
    let mut pool: Vec<&LoadedRecord> = records
        .iter()
        .filter(|r| words_of(&r.text).len() >= 150)
        .filter(|r| seen.insert(dedup::canonical::exact_hash(&r.text)))
        .collect();
    // Seeded Fisher-Yates.
    for i in (1..pool.len()).rev() {
        pool.swap(i, rng.below(i + 1));
    }
    let outlets: Vec<&str> = records.iter().filter_map(|r| r.outlet.as_deref()).collect();
    let mut out = Vec::new();
    let total = (plan.originals + plan.distractors).min(pool.len());
    for (g, r) in pool[..total].iter().enumerate() {
        out.push(Planted {
            text: r.text.clone(),
            outlet: r.outlet.clone(),
            date: r.date,
            group: g,
            kinds: String::new(),
        });
        if g >= plan.originals {
            continue;
        }
        let donor_text = &pool[rng.below(pool.len())].text;
        let donor = words_of(donor_text);
        for _ in 0..1 + rng.below(3) {
            let mut text = r.text.clone();
            let mut kinds = Vec::new();
            let n = 1 + rng.below(3);
            for _ in 0..n {
                match rng.below(5) {
                    0 => {
                        let title = words_of(&r.text)[..6].join(" ");
                        text = markdown(&text, &title, &mut rng);
                        kinds.push("markdown");
                    }
                    1 => {
                        text = rewrap(&text, &mut rng);
                        kinds.push("rewrap");
                    }
                    2 => {
                        text = furniture(&text, &mut rng);
                        kinds.push("furniture");
                    }
                    3 => {
                        text = truncate(&text, &mut rng);
                        kinds.push("truncate");
                    }
                    _ => {
                        text = edit(&text, &donor, &mut rng);
                        kinds.push("edit");
                    }
                }
            }
            let outlet = if rng.below(3) == 0 && !outlets.is_empty() {
                kinds.push("reprint");
                Some(outlets[rng.below(outlets.len())].to_string())
            } else {
                r.outlet.clone()
            };
            let date = r
                .date
                .map(|d| d + chrono::Duration::days(rng.below(5) as i64));
            out.push(Planted {
                text,
                outlet,
                date,
                group: g,
                kinds: kinds.join("+"),
            });
        }
    }
    for i in (1..out.len()).rev() {
        out.swap(i, rng.below(i + 1));
    }
    out
}

/// A planted pair and its true Jaccard similarity.
#[derive(Debug, Clone, Copy)]
pub struct TruePair {
    pub a: usize,
    pub b: usize,
    pub jaccard: f64,
}

/// Every pair of texts planted in one group, with its measured similarity.
pub fn true_pairs(texts: &[Planted], cfg: &DedupConfig) -> Vec<TruePair> {
    let mut groups: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, t) in texts.iter().enumerate() {
        groups.entry(t.group).or_default().push(i);
    }
    let mut keys: Vec<usize> = groups.keys().copied().collect();
    keys.sort_unstable();
    let mut pairs = Vec::new();
    for k in keys {
        let m = &groups[&k];
        let sets: Vec<ShingleSet> = m
            .iter()
            .map(|&i| ShingleSet::new(&texts[i].text, cfg.shingle_words, cfg.seed))
            .collect();
        for x in 0..m.len() {
            for y in x + 1..m.len() {
                pairs.push(TruePair {
                    a: m[x],
                    b: m[y],
                    jaccard: sets[x].jaccard(&sets[y]),
                });
            }
        }
    }
    pairs
}

/// The scores of one run of the copy stage.
#[derive(Debug, Clone)]
pub struct Scores {
    /// Predicted pairs (texts in one group) that were planted together.
    pub precision: f64,
    pub predicted_pairs: usize,
    pub false_pairs: usize,
    /// Recall of planted pairs with true Jaccard >= 0.8.
    pub recall_high: f64,
    /// Recall of all planted pairs.
    pub recall_all: f64,
    /// Per true-Jaccard bucket: lower bound, planted pairs, found.
    pub buckets: Vec<(f64, usize, usize)>,
    pub ari: f64,
}

fn pairs2(n: usize) -> f64 {
    (n * n.saturating_sub(1)) as f64 / 2.0
}

/// Run the stage on the planted texts and score it.
pub fn score(texts: &[Planted], truth: &[TruePair], cfg: &DedupConfig) -> Result<Scores> {
    let docs: Vec<Document> = texts
        .iter()
        .map(|t| Document {
            text: &t.text,
            outlet: t.outlet.as_deref(),
            date: t.date,
        })
        .collect();
    let out = dedup::dedup(&docs, cfg)?;
    let predicted: Vec<usize> = out.iter().map(|a| a.representative as usize).collect();
    // Contingency of predicted and planted groups.
    let mut cells: HashMap<(usize, usize), usize> = HashMap::new();
    let mut pred_sizes: HashMap<usize, usize> = HashMap::new();
    let mut true_sizes: HashMap<usize, usize> = HashMap::new();
    for (i, t) in texts.iter().enumerate() {
        *cells.entry((predicted[i], t.group)).or_default() += 1;
        *pred_sizes.entry(predicted[i]).or_default() += 1;
        *true_sizes.entry(t.group).or_default() += 1;
    }
    let both: f64 = cells.values().map(|&n| pairs2(n)).sum();
    let pred: f64 = pred_sizes.values().map(|&n| pairs2(n)).sum();
    let planted: f64 = true_sizes.values().map(|&n| pairs2(n)).sum();
    let all = pairs2(texts.len());
    let expected = pred * planted / all;
    let max = (pred + planted) / 2.0;
    let ari = if max == expected {
        1.0
    } else {
        (both - expected) / (max - expected)
    };
    let edges = [0.0, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9];
    let mut buckets: Vec<(f64, usize, usize)> = edges.iter().map(|&e| (e, 0, 0)).collect();
    let (mut high, mut high_found, mut found) = (0usize, 0usize, 0usize);
    for p in truth {
        let hit = predicted[p.a] == predicted[p.b];
        let b = edges.iter().rposition(|&e| p.jaccard >= e).unwrap_or(0);
        buckets[b].1 += 1;
        buckets[b].2 += hit as usize;
        found += hit as usize;
        if p.jaccard >= 0.8 {
            high += 1;
            high_found += hit as usize;
        }
    }
    Ok(Scores {
        precision: if pred == 0.0 { 1.0 } else { both / pred },
        predicted_pairs: pred as usize,
        false_pairs: (pred - both) as usize,
        recall_high: high_found as f64 / high.max(1) as f64,
        recall_all: found as f64 / truth.len().max(1) as f64,
        buckets,
        ari,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(seed: u64) -> LoadedRecord {
        let mut rng = Rng::new(seed);
        let text = (0..4)
            .map(|_| {
                (0..60)
                    .map(|_| format!("w{}", rng.below(3000)))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect::<Vec<_>>()
            .join("\n");
        LoadedRecord {
            id: None,
            text,
            outlet: Some(format!("outlet{}", seed % 3)),
            date: chrono::NaiveDate::from_ymd_opt(2020, 1, 1),
        }
    }

    #[test]
    fn generation_is_deterministic_and_scores_are_sane() {
        let records: Vec<LoadedRecord> = (0..40).map(record).collect();
        let plan = Plan {
            originals: 10,
            distractors: 20,
            seed: 7,
        };
        let a = generate(&records, plan);
        let b = generate(&records, plan);
        assert_eq!(
            a.iter().map(|t| &t.text).collect::<Vec<_>>(),
            b.iter().map(|t| &t.text).collect::<Vec<_>>()
        );
        assert!(a.len() > 40 && a.len() <= 60);
        let cfg = DedupConfig::default();
        let truth = true_pairs(&a, &cfg);
        assert!(!truth.is_empty());
        let s = score(&a, &truth, &cfg).unwrap();
        assert!(s.precision > 0.9 && s.recall_high > 0.9, "{s:?}");
        assert!(s.ari > 0.5 && s.ari <= 1.0);
    }
}
