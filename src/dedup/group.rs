//! Copy groups from verified edges, with a guard against chaining, and every text's place in
//! them.
//!
//! Candidate pairs are measured (in parallel) and those that pass the copy rule become edges.
//! Edges are taken strongest first (ties by the texts' numbers, so the outcome never depends on
//! thread timing); an edge merges two groups only when the merged group's original is itself a
//! copy of every member of the group that loses its original. A member is therefore close to
//! the group's original, not merely to some member: A–B and B–C do not put A and C together
//! when A and C are not copies. Exact copies ride along with the text that represents them.

use super::index::{Index, Plan};
use super::relation::Relation;
use super::verify::{Figures, ShingleSet};
use super::DedupConfig;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// One text's place: its group's representative (the original; itself when alone), how it
/// relates to it, and the figures measured between them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Assignment {
    pub representative: u32,
    pub relation: Relation,
    pub figures: Figures,
}

/// Measure the plan's pairs and build the groups. `sets` must hold the shingle set of every
/// text in [`Plan::needs_sets`].
pub fn group(
    index: &Index,
    plan: &Plan,
    sets: &HashMap<u32, ShingleSet>,
    cfg: &DedupConfig,
) -> Vec<Assignment> {
    let figures = |a: u32, b: u32| -> Figures {
        match (sets.get(&a), sets.get(&b)) {
            (Some(x), Some(y)) => x.figures(y),
            _ => Figures::default(),
        }
    };
    let measured: Vec<(Figures, u32, u32)> = plan
        .pairs
        .par_iter()
        .map(|&(a, b)| (figures(a, b), a, b))
        .collect();
    group_measured(index, plan, measured, figures, cfg)
}

/// Build the groups from the plan's pairs already measured (`measured`, any order); `figures`
/// measures the further pairs the chaining guard asks about (an original against the members
/// of a group it would take in), which are always texts of the plan's pairs. The store keeps
/// the figures of pairs between runs and measures only what it has not seen.
pub fn group_measured(
    index: &Index,
    plan: &Plan,
    measured: Vec<(Figures, u32, u32)>,
    mut figures: impl FnMut(u32, u32) -> Figures,
    cfg: &DedupConfig,
) -> Vec<Assignment> {
    let n = index.len();
    let mut edges: Vec<(Figures, u32, u32)> = measured
        .into_iter()
        .filter(|(f, _, _)| f.are_copies(cfg))
        .collect();
    edges.sort_by(|x, y| {
        (y.0.jaccard.total_cmp(&x.0.jaccard))
            .then(y.0.containment.total_cmp(&x.0.containment))
            .then((x.1, x.2).cmp(&(y.1, y.2)))
    });

    // Groups of exact representatives: each text's group, each group's original and members,
    // and each member's figures against its original.
    let mut group_of: Vec<u32> = (0..n as u32).collect();
    let mut members: Vec<Vec<u32>> = (0..n as u32).map(|i| vec![i]).collect();
    let original: Vec<u32> = (0..n as u32).collect();
    let mut to_original: Vec<Figures> = vec![Figures::IDENTICAL; n];
    for (_, a, b) in edges {
        let (ga, gb) = (group_of[a as usize], group_of[b as usize]);
        if ga == gb {
            continue;
        }
        let (oa, ob) = (original[ga as usize], original[gb as usize]);
        let (win, lose) = if index.seniority(oa) <= index.seniority(ob) {
            (ga, gb)
        } else {
            (gb, ga)
        };
        let head = original[win as usize];
        let measured: Option<Vec<Figures>> = members[lose as usize]
            .iter()
            .map(|&m| Some(figures(head, m)).filter(|f| f.are_copies(cfg)))
            .collect();
        let Some(measured) = measured else { continue };
        let moved = std::mem::take(&mut members[lose as usize]);
        for (&m, f) in moved.iter().zip(measured) {
            group_of[m as usize] = win;
            to_original[m as usize] = f;
        }
        members[win as usize].extend(moved);
    }

    // Texts with more than one member, exact copies included.
    let mut size = vec![0u32; n];
    for i in 0..n {
        size[group_of[plan.exact_rep[i] as usize] as usize] += 1;
    }
    (0..n)
        .map(|i| {
            let rep = plan.exact_rep[i];
            let g = group_of[rep as usize];
            let head = original[g as usize];
            if i as u32 == head {
                let relation = if size[g as usize] > 1 {
                    Relation::Original
                } else {
                    Relation::Unique
                };
                return Assignment {
                    representative: head,
                    relation,
                    figures: Figures::IDENTICAL,
                };
            }
            let figures = if rep == head {
                Figures::IDENTICAL
            } else {
                to_original[rep as usize]
            };
            let relation =
                Relation::of_copy(figures, index.outlet(i as u32), index.outlet(head), cfg);
            Assignment {
                representative: head,
                relation,
                figures,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dedup::{dedup, Document};

    fn words(from: usize, to: usize) -> String {
        (from..to)
            .map(|i| format!("w{i}"))
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn no_chaining_through_a_middle_text() {
        // A and B share 70% of their shingles, B and C too, A and C about 45%.
        let a = words(0, 1000);
        let b = words(180, 1180);
        let c = words(360, 1360);
        let cfg = DedupConfig {
            min_jaccard: 0.6,
            contained_min_jaccard: 0.6,
            ..DedupConfig::default()
        };
        let docs: Vec<Document> = [&a, &b, &c].iter().map(|t| Document::new(t)).collect();
        let out = dedup(&docs, &cfg).unwrap();
        assert_eq!(out[1].representative, 0);
        assert_eq!(
            out[2].representative, 2,
            "C is not a copy of A: {:?}",
            out[2]
        );
        assert_eq!(out[2].relation, Relation::Unique);
        assert!(out[1].figures.jaccard > 0.6 && out[1].figures.jaccard < 0.8);
    }

    #[test]
    fn earliest_dated_copy_is_the_original() {
        let t = words(0, 300);
        let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        let mut docs = vec![Document::new(&t), Document::new(&t), Document::new(&t)];
        docs[0].date = None;
        docs[1].date = d("2020-05-02");
        docs[2].date = d("2020-05-01");
        docs[2].outlet = Some("Other");
        docs[1].outlet = Some("Wire");
        let out = dedup(&docs, &DedupConfig::default()).unwrap();
        assert!(out.iter().all(|a| a.representative == 2));
        assert_eq!(out[2].relation, Relation::Original);
        assert_eq!(out[1].relation, Relation::Reprint);
        assert_eq!(out[0].relation, Relation::SameDocument);
    }
}
