//! `newsfold eval stories`: story clustering scored against gold story labels (a JSONL file
//! of records with `id` and `story`, such as `stories-dev.jsonl`): pairwise precision, recall
//! and F1, BCubed precision, recall and F1, and the adjusted Rand index, over the labelled
//! articles only (distractors mixed in change the clustering, not what is scored).
//!
//! The scores are plain functions over two labelings; the CLI runs the real pipeline to get
//! the predicted one. Not a test: the figures go in the README with the command that gave them.

use crate::error::{Error, Result};
use std::collections::HashMap;
use std::io::BufRead;
use std::path::Path;

/// The gold labels of a JSONL file: (record id, story id) per record that has both.
pub fn read_gold(path: &Path) -> Result<Vec<(String, String)>> {
    let file = std::fs::File::open(path)
        .map_err(|e| Error::io(format!("reading {}", path.display()), e))?;
    let mut out = Vec::new();
    for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|e| Error::io(format!("reading {}", path.display()), e))?;
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(&line)
            .map_err(|e| Error::Usage(format!("{}:{}: not JSON: {e}", path.display(), n + 1)))?;
        let field = |k: &str| match &v[k] {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Number(x) => Some(x.to_string()),
            _ => None,
        };
        if let (Some(id), Some(story)) = (field("id"), field("story")) {
            out.push((id, story));
        }
    }
    Ok(out)
}

/// Agreement of a predicted clustering with the gold one.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Agreement {
    pub items: usize,
    pub pairwise_precision: f64,
    pub pairwise_recall: f64,
    pub pairwise_f1: f64,
    pub bcubed_precision: f64,
    pub bcubed_recall: f64,
    pub bcubed_f1: f64,
    pub ari: f64,
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

fn pairs(n: usize) -> f64 {
    (n * n.saturating_sub(1) / 2) as f64
}

/// Score `(gold, predicted)` labels, one pair per item.
pub fn agreement(labels: &[(&str, &str)]) -> Agreement {
    let n = labels.len();
    let mut cells: HashMap<(&str, &str), usize> = HashMap::new();
    let mut gold: HashMap<&str, usize> = HashMap::new();
    let mut pred: HashMap<&str, usize> = HashMap::new();
    for &(g, p) in labels {
        *cells.entry((g, p)).or_default() += 1;
        *gold.entry(g).or_default() += 1;
        *pred.entry(p).or_default() += 1;
    }
    let together: f64 = cells.values().map(|&c| pairs(c)).sum();
    let gold_pairs: f64 = gold.values().map(|&c| pairs(c)).sum();
    let pred_pairs: f64 = pred.values().map(|&c| pairs(c)).sum();
    let ratio = |a: f64, b: f64| if b == 0.0 { 1.0 } else { a / b };
    let pairwise_precision = ratio(together, pred_pairs);
    let pairwise_recall = ratio(together, gold_pairs);
    let (mut bp, mut br) = (0.0, 0.0);
    for &(g, p) in labels {
        let both = cells[&(g, p)] as f64;
        bp += both / pred[p] as f64;
        br += both / gold[g] as f64;
    }
    let (bp, br) = if n == 0 {
        (1.0, 1.0)
    } else {
        (bp / n as f64, br / n as f64)
    };
    let expected = if n < 2 {
        0.0
    } else {
        gold_pairs * pred_pairs / pairs(n)
    };
    let max = (gold_pairs + pred_pairs) / 2.0;
    let ari = if max == expected {
        1.0
    } else {
        (together - expected) / (max - expected)
    };
    Agreement {
        items: n,
        pairwise_precision,
        pairwise_recall,
        pairwise_f1: f1(pairwise_precision, pairwise_recall),
        bcubed_precision: bp,
        bcubed_recall: br,
        bcubed_f1: f1(bp, br),
        ari,
    }
}

/// The best pairwise scores any clustering can reach (exactly where gold stories linked by
/// shared copies hold at most 9 copy groups together; else a bound) when
/// articles that are copies of each other must share an event (the stories stage clusters a copy group as one unit): a gold
/// file that files two copies of one article under two stories makes some false pairs
/// unavoidable, and this says how many and what they cost.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ceiling {
    /// Pairs of labelled copies (one unit) whose gold stories differ.
    pub split_copies: usize,
    pub pairwise_precision: f64,
    pub pairwise_recall: f64,
    pub pairwise_f1: f64,
}

/// Units of a component above which not every partition is tried (Bell(9) = 21,147
/// partitions; a gold set's components have two or three) and a bound stands in.
const CEILING_BLOCKS: usize = 9;

/// [`Ceiling`] of `(gold story, unit)` labels, one pair per labelled article, where the unit
/// is what the clustering cannot split (its copy group). Gold stories linked through a shared
/// unit form a component; every partition of a component's units is tried, and the choices
/// of all components are combined to the best F1 by Dinkelbach's method: F1 is 2 TP over TP,
/// FP and the gold pairs added up, a ratio of sums over components, so for a fixed trial
/// ratio each component's best choice is its own.
pub fn ceiling(labels: &[(&str, &str)]) -> Ceiling {
    // Units, each with its gold stories' counts.
    let mut units: HashMap<&str, HashMap<&str, usize>> = HashMap::new();
    let mut gold: HashMap<&str, usize> = HashMap::new();
    for &(g, u) in labels {
        *units.entry(u).or_default().entry(g).or_default() += 1;
        *gold.entry(g).or_default() += 1;
    }
    let gold_pairs: f64 = gold.values().map(|&c| pairs(c)).sum();
    let split_copies = units
        .values()
        .map(|c| pairs(c.values().sum()) - c.values().map(|&n| pairs(n)).sum::<f64>())
        .sum::<f64>() as usize;
    // Components: units joined by a gold story they share (union-find over unit indexes). The
    // result is a sum over components, so their order does not matter.
    let names: Vec<&str> = units.keys().copied().collect();
    let mut parent: Vec<usize> = (0..names.len()).collect();
    fn root(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    let mut first_unit: HashMap<&str, usize> = HashMap::new();
    for (i, u) in names.iter().enumerate() {
        for &g in units[u].keys() {
            let j = *first_unit.entry(g).or_insert(i);
            let (a, b) = (root(&mut parent, i), root(&mut parent, j));
            parent[a] = b;
        }
    }
    let mut components: HashMap<usize, Vec<&HashMap<&str, usize>>> = HashMap::new();
    for (i, u) in names.iter().enumerate() {
        let r = root(&mut parent, i);
        components.entry(r).or_default().push(&units[u]);
    }
    // Each component's options: (true pairs, false pairs) of each way to group its units.
    let options: Vec<Vec<(f64, f64)>> = components.values().map(|c| component_options(c)).collect();
    let f1_of = |(tp, fp): (f64, f64)| {
        if tp + fp + gold_pairs == 0.0 {
            1.0
        } else {
            2.0 * tp / (tp + fp + gold_pairs)
        }
    };
    let mut lambda = 0.0;
    let mut best = (0.0, 0.0);
    for _ in 0..64 {
        best = options
            .iter()
            .map(|opts| {
                *opts
                    .iter()
                    .max_by(|a, b| {
                        let v = |o: &(f64, f64)| 2.0 * o.0 - lambda * (o.0 + o.1);
                        v(a).total_cmp(&v(b)).then(b.1.total_cmp(&a.1))
                    })
                    .expect("a component has an option")
            })
            .fold((0.0, 0.0), |(tp, fp), o| (tp + o.0, fp + o.1));
        let next = f1_of(best);
        if (next - lambda).abs() < 1e-12 {
            break;
        }
        lambda = next;
    }
    let (tp, fp) = best;
    let ratio = |a: f64, b: f64| if b == 0.0 { 1.0 } else { a / b };
    Ceiling {
        split_copies,
        pairwise_precision: ratio(tp, tp + fp),
        pairwise_recall: ratio(tp, gold_pairs),
        pairwise_f1: f1_of(best),
    }
}

/// (true pairs, false pairs) of each way to group a component's units into clusters.
fn component_options(units: &[&HashMap<&str, usize>]) -> Vec<(f64, f64)> {
    let cost = |groups: &[Vec<usize>]| {
        let (mut tp, mut all) = (0.0, 0.0);
        for g in groups {
            let mut by_story: HashMap<&str, usize> = HashMap::new();
            for &u in g {
                for (s, n) in units[u] {
                    *by_story.entry(s).or_default() += n;
                }
            }
            tp += by_story.values().map(|&n| pairs(n)).sum::<f64>();
            all += pairs(by_story.values().sum());
        }
        (tp, all - tp)
    };
    if units.len() > CEILING_BLOCKS {
        // Too many to try: every true pair found with only the false pairs inside the units,
        // which no grouping beats, so the result stays a ceiling.
        let apart: Vec<Vec<usize>> = (0..units.len()).map(|u| vec![u]).collect();
        return vec![(cost(&[(0..units.len()).collect()]).0, cost(&apart).1)];
    }
    // Every set partition, as restricted growth strings: unit i goes to a group at most one
    // past the largest used before it.
    let mut out = Vec::new();
    let mut rgs = vec![0usize; units.len()];
    loop {
        let groups = rgs.iter().max().map_or(0, |m| m + 1);
        let mut parts = vec![Vec::new(); groups];
        for (u, &g) in rgs.iter().enumerate() {
            parts[g].push(u);
        }
        out.push(cost(&parts));
        // Next string: raise the last position that may still grow, reset those after it.
        let mut i = units.len();
        loop {
            if i <= 1 {
                return out;
            }
            i -= 1;
            let max_before = rgs[..i].iter().max().copied().unwrap_or(0);
            if rgs[i] <= max_before {
                rgs[i] += 1;
                for r in &mut rgs[i + 1..] {
                    *r = 0;
                }
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perfect_and_split_clusterings() {
        let perfect = agreement(&[("a", "1"), ("a", "1"), ("b", "2"), ("b", "2")]);
        assert_eq!(
            (perfect.pairwise_f1, perfect.bcubed_f1, perfect.ari),
            (1.0, 1.0, 1.0)
        );
        // Every item alone: precision perfect, no pair found.
        let split = agreement(&[("a", "1"), ("a", "2"), ("b", "3"), ("b", "4")]);
        assert_eq!(split.pairwise_precision, 1.0);
        assert_eq!(split.pairwise_recall, 0.0);
        assert_eq!(split.bcubed_recall, 0.5);
        assert!(split.ari <= 0.0);
        // All in one: recall perfect, a third of the pairs right.
        let lumped = agreement(&[("a", "1"), ("a", "1"), ("b", "1"), ("b", "1")]);
        assert_eq!(lumped.pairwise_recall, 1.0);
        assert!((lumped.pairwise_precision - 2.0 / 6.0).abs() < 1e-12);
        assert!(lumped.ari.abs() < 1e-12);
    }

    #[test]
    fn the_ceiling_counts_copies_filed_under_two_stories() {
        // Clean gold: every story reachable, nothing forced.
        let clean = ceiling(&[("a", "u1"), ("a", "u2"), ("b", "u3"), ("b", "u4")]);
        assert_eq!(clean.split_copies, 0);
        assert_eq!(clean.pairwise_f1, 1.0);
        // One article filed twice (stories a and b hold a copy each of unit u2): finding both
        // stories puts 4 pairs together of which 2 are false; splitting loses one story.
        let dup = ceiling(&[("a", "u1"), ("a", "u2"), ("b", "u2"), ("b", "u3")]);
        assert_eq!(dup.split_copies, 1);
        // Options: {u1,u2,u3} together: TP 2, FP 4 -> F1 4/8; {u1,u2},{u3}: TP 1, FP 2 -> 2/5;
        // all apart: TP 0, FP 1 -> 0. Best: 0.5.
        assert!((dup.pairwise_f1 - 0.5).abs() < 1e-12, "{dup:?}");
        assert!((dup.pairwise_precision - 2.0 / 6.0).abs() < 1e-12);
        assert_eq!(dup.pairwise_recall, 1.0);
        // Beside many clean stories the same conflict costs less, and another choice wins:
        // together TP 22, FP 4 -> 44/48; {u1,u2},{u3}: TP 21, FP 2 -> 42/45 (the best);
        // apart: TP 20, FP 1 -> 40/43.
        let mut labels: Vec<(String, String)> = (0..20)
            .flat_map(|s| {
                [
                    (format!("s{s}"), format!("x{s}")),
                    (format!("s{s}"), format!("y{s}")),
                ]
            })
            .collect();
        labels.extend(
            [("a", "u1"), ("a", "u2"), ("b", "u2"), ("b", "u3")].map(|(g, u)| (g.into(), u.into())),
        );
        let refs: Vec<(&str, &str)> = labels
            .iter()
            .map(|(g, u)| (g.as_str(), u.as_str()))
            .collect();
        let many = ceiling(&refs);
        assert!((many.pairwise_f1 - 42.0 / 45.0).abs() < 1e-12, "{many:?}");
        // A component too large to try every grouping: the bound (every true pair, only the
        // false pair inside the shared unit) stands in. Story a: 10 units and u; story b: u, v.
        let mut big: Vec<(String, String)> = (0..10)
            .map(|i| ("a".to_string(), format!("a{i}")))
            .collect();
        big.extend([("a", "u"), ("b", "u"), ("b", "v")].map(|(g, u)| (g.into(), u.into())));
        let refs: Vec<(&str, &str)> = big.iter().map(|(g, u)| (g.as_str(), u.as_str())).collect();
        let bound = ceiling(&refs);
        // TP 55 + 1, FP 1, gold pairs 56.
        assert!(
            (bound.pairwise_f1 - 112.0 / 113.0).abs() < 1e-12,
            "{bound:?}"
        );
    }

    #[test]
    fn gold_reads_string_and_number_ids() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gold.jsonl");
        std::fs::write(&path, "{\"id\": \"x1\", \"story\": \"S\"}\n\n{\"id\": 7, \"story\": \"S\"}\n{\"id\": \"lonely\"}\n").unwrap();
        let gold = read_gold(&path).unwrap();
        assert_eq!(gold, [("x1".into(), "S".into()), ("7".into(), "S".into())]);
        std::fs::write(&path, "{not json\n").unwrap();
        let err = read_gold(&path).unwrap_err().to_string();
        assert!(err.contains("gold.jsonl:1"), "{err}");
    }
}
