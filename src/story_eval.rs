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
