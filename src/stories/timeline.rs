//! A story's timeline: the dated sentences of its articles (from [`crate::extract::dates`])
//! and their publication dates, in date order, with the sentences that report one dated fact
//! in several articles merged into one entry that lists every source.
//!
//! Built on demand from the stored texts of a story's members; nothing of it is stored. Two
//! sentences report the same fact when they date the same period and share enough of their
//! content words; this is not a fact checker, and a story's copies count as sources like any
//! other member (the entry says which article each source is).

use crate::extract::dates::{find_dates, DateGranularity};
use crate::store::StoredArticle;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeSet;

/// One entry of a timeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    /// The first and last day of the period the entry dates.
    pub date: NaiveDate,
    pub end: NaiveDate,
    pub granularity: DateGranularity,
    /// `mention`: a sentence dates it; `published`: an article came out that day.
    pub kind: EntryKind,
    /// The sentence (or, for a publication, the title) of the first source.
    pub text: String,
    pub sources: Vec<Source>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    Mention,
    Published,
}

/// Where an entry was read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Source {
    pub article: String,
    pub outlet: Option<String>,
    /// The sentence as this article words it.
    pub sentence: String,
}

/// Periods longer than this are too vague for a timeline ("the 1990s", "last year").
const LONGEST_PERIOD_DAYS: i64 = 31;
/// Share of content words two sentences must have in common to be one fact.
const SAME_FACT: f32 = 0.3;

/// The timeline of a story's member articles.
pub fn timeline(members: &[StoredArticle]) -> Vec<Entry> {
    let mut entries: Vec<(Entry, BTreeSet<String>)> = Vec::new();
    for m in members {
        let a = &m.article;
        let published = a.meta.published.as_ref().map(|p| p.value.date);
        if let Some(date) = published {
            let title = a
                .meta
                .title
                .as_ref()
                .map(|t| t.value.clone())
                .unwrap_or_default();
            let source = Source {
                article: a.id.clone(),
                outlet: m.outlet.clone(),
                sentence: title.clone(),
            };
            // Copies under one title on one day are one publication with several sources.
            let same = entries
                .iter_mut()
                .find(|(e, _)| e.kind == EntryKind::Published && e.date == date && e.text == title);
            match same {
                Some((e, _)) => e.sources.push(source),
                None => entries.push((
                    Entry {
                        date,
                        end: date,
                        granularity: DateGranularity::Day,
                        kind: EntryKind::Published,
                        text: title,
                        sources: vec![source],
                    },
                    BTreeSet::new(),
                )),
            }
        }
        let text = a.text();
        let mut seen_here: BTreeSet<(NaiveDate, NaiveDate, usize)> = BTreeSet::new();
        for d in find_dates(&text, published) {
            if (d.end - d.date).num_days() >= LONGEST_PERIOD_DAYS
                || !seen_here.insert((d.date, d.end, d.sentence.start))
            {
                continue;
            }
            let sentence = d
                .sentence
                .text
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            let words: BTreeSet<String> = super::terms::words(&sentence).collect();
            let source = Source {
                article: a.id.clone(),
                outlet: m.outlet.clone(),
                sentence: sentence.clone(),
            };
            let same = entries.iter_mut().find(|(e, w)| {
                e.kind == EntryKind::Mention
                    && e.date == d.date
                    && e.end == d.end
                    && e.sources.iter().all(|s| s.article != a.id)
                    && overlap(w, &words) >= SAME_FACT
            });
            match same {
                Some((e, w)) => {
                    e.sources.push(source);
                    w.extend(words);
                }
                None => entries.push((
                    Entry {
                        date: d.date,
                        end: d.end,
                        granularity: d.granularity,
                        kind: EntryKind::Mention,
                        text: sentence,
                        sources: vec![source],
                    },
                    words,
                )),
            }
        }
    }
    let mut out: Vec<Entry> = entries.into_iter().map(|(e, _)| e).collect();
    // Stable: entries of one day keep the order of the members, then of the text.
    out.sort_by_key(|e| (e.date, e.end, e.kind == EntryKind::Mention));
    out
}

/// Shared words over the smaller set's size.
fn overlap(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f32 {
    let small = a.len().min(b.len());
    if small == 0 {
        return 0.0;
    }
    a.intersection(b).count() as f32 / small as f32
}
