//! What changed between two copies of an article: the headline, paragraphs added, dropped or
//! changed, and inside each changed passage the words dropped and added.
//!
//! Paragraphs are aligned by a longest common subsequence of their canonical words (so a
//! curly quote against a straight one, or a hard wrap, is no change); each stretch between
//! aligned paragraphs is then split again where an old and a new paragraph still share at
//! least four fifths of the longer one's words (a paragraph edited in place), and what is left is either a changed
//! passage, when its old and new paragraphs share at least half their words (a paragraph
//! split in two or joined), or paragraphs dropped and added. Words are aligned the same way inside a changed passage. This module
//! compares two texts; which two, and how the result is printed, is the caller's business.

use super::canonical;
use serde::Serialize;

/// Above this many cells (old items times new items, after common ends are trimmed) an
/// alignment is not computed: the middle counts as replaced whole. About 16 MB of table.
const MAX_CELLS: usize = 4_000_000;

/// Two paragraphs of a stretch are one paragraph edited in place when this share of the
/// longer one's words is kept ([`WordDiff::kept_of_longer`]); either half of a paragraph split
/// in two keeps less than that of the whole, unless the other half is a few words.
const MIN_PAIRED_SHARE: f64 = 0.8;

/// Stretches with more old-new paragraph pairs than this are not paired one to one (each
/// pair is a word alignment).
const MAX_PAIRINGS: usize = 400;

/// A changed passage's old and new paragraphs must share this share of their words;
/// below it they are reported as dropped and added.
const MIN_CHANGED_SHARE: f64 = 0.5;

/// One side of a comparison.
#[derive(Debug, Clone, Copy)]
pub struct Side<'a> {
    pub title: Option<&'a str>,
    pub paragraphs: &'a [String],
}

/// The differences between an old and a new text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diff {
    /// Present when the headlines differ (a missing headline counts as one).
    pub headline: Option<HeadlineChange>,
    /// Every paragraph of either side, in order, in its hunk.
    pub hunks: Vec<Hunk>,
    pub summary: Summary,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeadlineChange {
    pub old: Option<String>,
    pub new: Option<String>,
}

/// Paragraph counts by what happened to them. A changed passage counts once.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub old_paragraphs: usize,
    pub new_paragraphs: usize,
    pub same: usize,
    pub changed: usize,
    pub dropped: usize,
    pub added: usize,
}

/// Paragraphs are numbered from 1, as `newsfold show` numbers them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Hunk {
    Same {
        old: usize,
        new: usize,
    },
    Dropped {
        old: usize,
        text: String,
    },
    Added {
        new: usize,
        text: String,
    },
    /// Old paragraphs that became new ones (one to one, or split, or joined), word by word.
    Changed {
        old: Vec<usize>,
        new: Vec<usize>,
        words: Vec<Words>,
    },
}

/// A run of words: kept, dropped from the old text or added in the new one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Words {
    pub op: WordOp,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WordOp {
    Same,
    Dropped,
    Added,
}

/// One step of an alignment of `a` with `b`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Both(usize, usize),
    OnlyA(usize),
    OnlyB(usize),
}

/// A longest common subsequence alignment of two key sequences, in order.
fn align<K: PartialEq>(a: &[K], b: &[K]) -> Vec<Step> {
    align_by(a.len(), b.len(), |i, j| a[i] == b[j])
}

/// The same for items that match when `same(i, j)` says so.
fn align_by(n_a: usize, n_b: usize, same: impl Fn(usize, usize) -> bool) -> Vec<Step> {
    let head = (0..n_a.min(n_b)).take_while(|&k| same(k, k)).count();
    let tail = (0..(n_a - head).min(n_b - head))
        .take_while(|&k| same(n_a - 1 - k, n_b - 1 - k))
        .count();
    let mut steps: Vec<Step> = (0..head).map(|i| Step::Both(i, i)).collect();
    let (n, m) = (n_a - head - tail, n_b - head - tail);
    if n * m > MAX_CELLS {
        steps.extend((0..n).map(|i| Step::OnlyA(head + i)));
        steps.extend((0..m).map(|j| Step::OnlyB(head + j)));
    } else {
        let eq = |i: usize, j: usize| same(head + i, head + j);
        // lcs[i][j]: the common subsequence length of the middles from i and j on.
        let w = m + 1;
        let mut lcs = vec![0u32; (n + 1) * w];
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                lcs[i * w + j] = if eq(i, j) {
                    lcs[(i + 1) * w + j + 1] + 1
                } else {
                    lcs[(i + 1) * w + j].max(lcs[i * w + j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < n || j < m {
            if i < n && j < m && eq(i, j) {
                steps.push(Step::Both(head + i, head + j));
                (i, j) = (i + 1, j + 1);
            } else if j == m || (i < n && lcs[(i + 1) * w + j] >= lcs[i * w + j + 1]) {
                steps.push(Step::OnlyA(head + i));
                i += 1;
            } else {
                steps.push(Step::OnlyB(head + j));
                j += 1;
            }
        }
    }
    let (ea, eb) = (n_a - tail, n_b - tail);
    steps.extend((0..tail).map(|k| Step::Both(ea + k, eb + k)));
    steps
}

/// The comparison key of a paragraph or a word: its canonical words.
fn key(text: &str) -> String {
    canonical::words(text).join(" ")
}

/// Compare two texts.
///
/// ```
/// use newsfold::dedup::diff::{diff, Hunk, Side, WordOp};
///
/// let old = vec!["The talks resumed on Monday.".to_string(), "Both sides agreed.".to_string()];
/// let new = vec!["The talks resumed on Tuesday.".to_string(), "Both sides agreed.".to_string()];
/// let d = diff(
///     Side { title: Some("Talks resume"), paragraphs: &old },
///     Side { title: Some("Talks resume again"), paragraphs: &new },
/// );
/// assert!(d.headline.is_some());
/// assert_eq!((d.summary.changed, d.summary.same), (1, 1));
/// let Hunk::Changed { words, .. } = &d.hunks[0] else { panic!() };
/// assert!(words.iter().any(|w| w.op == WordOp::Added && w.text == "Tuesday."));
/// ```
pub fn diff(old: Side<'_>, new: Side<'_>) -> Diff {
    let keys = |ps: &[String]| ps.iter().map(|p| key(p)).collect::<Vec<_>>();
    let steps = align(&keys(old.paragraphs), &keys(new.paragraphs));
    let mut hunks = Vec::new();
    let mut summary = Summary {
        old_paragraphs: old.paragraphs.len(),
        new_paragraphs: new.paragraphs.len(),
        ..Summary::default()
    };
    let (mut gone, mut came) = (Vec::new(), Vec::new());
    for step in steps {
        match step {
            Step::OnlyA(i) => gone.push(i),
            Step::OnlyB(j) => came.push(j),
            Step::Both(i, j) => {
                stretch(old, new, (&mut gone, &mut came), &mut hunks, &mut summary);
                summary.same += 1;
                hunks.push(Hunk::Same {
                    old: i + 1,
                    new: j + 1,
                });
            }
        }
    }
    stretch(old, new, (&mut gone, &mut came), &mut hunks, &mut summary);
    let headline = match (old.title.map(key), new.title.map(key)) {
        (a, b) if a == b => None,
        _ => Some(HeadlineChange {
            old: old.title.map(str::to_string),
            new: new.title.map(str::to_string),
        }),
    };
    Diff {
        headline,
        hunks,
        summary,
    }
}

/// The hunks of one stretch of unaligned paragraphs (emptied after). Paragraphs that still
/// share most of their words are paired one to one first (a paragraph edited in place); what
/// is left between the pairs is a passage of its own.
fn stretch(
    old: Side<'_>,
    new: Side<'_>,
    (gone, came): (&mut Vec<usize>, &mut Vec<usize>),
    hunks: &mut Vec<Hunk>,
    summary: &mut Summary,
) {
    let (mut left, mut right) = (Vec::new(), Vec::new());
    if gone.len() * came.len() <= MAX_PAIRINGS && gone.len().max(came.len()) > 1 {
        let share: Vec<Vec<bool>> = gone
            .iter()
            .map(|&i| {
                came.iter()
                    .map(|&j| {
                        word_diff(&old.paragraphs[i], &new.paragraphs[j]).kept_of_longer()
                            >= MIN_PAIRED_SHARE
                    })
                    .collect()
            })
            .collect();
        for step in align_by(gone.len(), came.len(), |i, j| share[i][j]) {
            match step {
                Step::OnlyA(i) => left.push(gone[i]),
                Step::OnlyB(j) => right.push(came[j]),
                Step::Both(i, j) => {
                    passage(old, new, (&mut left, &mut right), hunks, summary);
                    passage(
                        old,
                        new,
                        (&mut vec![gone[i]], &mut vec![came[j]]),
                        hunks,
                        summary,
                    );
                }
            }
        }
        passage(old, new, (&mut left, &mut right), hunks, summary);
    } else {
        passage(old, new, (gone, came), hunks, summary);
    }
    gone.clear();
    came.clear();
}

/// Old paragraphs and the new ones in their place: one changed passage when they share at
/// least half their words, else dropped and added (emptied after).
fn passage(
    old: Side<'_>,
    new: Side<'_>,
    (gone, came): (&mut Vec<usize>, &mut Vec<usize>),
    hunks: &mut Vec<Hunk>,
    summary: &mut Summary,
) {
    let text = |ps: &[String], ix: &[usize]| {
        ix.iter()
            .map(|&i| ps[i].as_str())
            .collect::<Vec<_>>()
            .join(" ")
    };
    if !gone.is_empty() && !came.is_empty() {
        let words = word_diff(&text(old.paragraphs, gone), &text(new.paragraphs, came));
        if words.share() >= MIN_CHANGED_SHARE {
            summary.changed += 1;
            hunks.push(Hunk::Changed {
                old: gone.drain(..).map(|i| i + 1).collect(),
                new: came.drain(..).map(|j| j + 1).collect(),
                words: words.runs,
            });
            return;
        }
    }
    summary.dropped += gone.len();
    summary.added += came.len();
    hunks.extend(gone.drain(..).map(|i| Hunk::Dropped {
        old: i + 1,
        text: old.paragraphs[i].clone(),
    }));
    hunks.extend(came.drain(..).map(|j| Hunk::Added {
        new: j + 1,
        text: new.paragraphs[j].clone(),
    }));
}

/// The words of two passages aligned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordDiff {
    pub runs: Vec<Words>,
    /// Words kept from one passage to the other.
    pub kept: usize,
    pub old_words: usize,
    pub new_words: usize,
}

impl WordDiff {
    /// Twice the kept words over all words: 1 for the same words.
    pub fn share(&self) -> f64 {
        let total = self.old_words + self.new_words;
        if total == 0 {
            1.0
        } else {
            2.0 * self.kept as f64 / total as f64
        }
    }

    /// The kept words over the longer passage's words: low for a paragraph against a part of
    /// it, high only for one paragraph edited in place.
    pub fn kept_of_longer(&self) -> f64 {
        let longer = self.old_words.max(self.new_words);
        if longer == 0 {
            1.0
        } else {
            self.kept as f64 / longer as f64
        }
    }
}

/// Align the words of two passages (compared by their canonical form).
pub fn word_diff(old: &str, new: &str) -> WordDiff {
    let (a, b): (Vec<&str>, Vec<&str>) = (
        old.split_whitespace().collect(),
        new.split_whitespace().collect(),
    );
    let keys = |ws: &[&str]| ws.iter().map(|w| key(w)).collect::<Vec<_>>();
    let mut runs: Vec<Words> = Vec::new();
    let mut kept = 0;
    for step in align(&keys(&a), &keys(&b)) {
        let (op, word) = match step {
            Step::Both(_, j) => {
                kept += 1;
                (WordOp::Same, b[j])
            }
            Step::OnlyA(i) => (WordOp::Dropped, a[i]),
            Step::OnlyB(j) => (WordOp::Added, b[j]),
        };
        match runs.last_mut() {
            Some(run) if run.op == op => {
                run.text.push(' ');
                run.text.push_str(word);
            }
            _ => runs.push(Words {
                op,
                text: word.to_string(),
            }),
        }
    }
    WordDiff {
        runs,
        kept,
        old_words: a.len(),
        new_words: b.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paras(s: &[&str]) -> Vec<String> {
        s.iter().map(|p| p.to_string()).collect()
    }

    fn side<'a>(title: Option<&'a str>, ps: &'a [String]) -> Side<'a> {
        Side {
            title,
            paragraphs: ps,
        }
    }

    #[test]
    fn alignment_is_a_longest_common_subsequence() {
        let steps = align(&['a', 'b', 'c', 'd'], &['a', 'c', 'x', 'd']);
        assert_eq!(
            steps,
            vec![
                Step::Both(0, 0),
                Step::OnlyA(1),
                Step::Both(2, 1),
                Step::OnlyB(2),
                Step::Both(3, 3)
            ]
        );
        assert_eq!(align::<char>(&[], &['a']), vec![Step::OnlyB(0)]);
    }

    #[test]
    fn added_dropped_and_changed_paragraphs() {
        let old = paras(&[
            "The talks resumed on Monday.",
            "Officials said the port would reopen on Friday after the strike.",
            "A paragraph the reprint dropped entirely from its copy.",
            "Both sides expect an agreement.",
        ]);
        let new = paras(&[
            "The talks resumed on “Monday”.",
            "Officials said the port would reopen on Thursday after the long strike.",
            "Both sides expect an agreement.",
            "An editor's note nobody had before, about something else.",
        ]);
        let d = diff(
            side(Some("Port talks"), &old),
            side(Some("Port talks resume"), &new),
        );
        assert_eq!(
            d.headline.as_ref().unwrap().new.as_deref(),
            Some("Port talks resume")
        );
        assert_eq!(d.hunks[0], Hunk::Same { old: 1, new: 1 });
        let Hunk::Changed {
            old: o,
            new: n,
            words,
        } = &d.hunks[1]
        else {
            panic!("{:?}", d.hunks[1]);
        };
        assert_eq!((o.as_slice(), n.as_slice()), (&[2][..], &[2][..]));
        let dropped: Vec<&str> = words
            .iter()
            .filter(|w| w.op == WordOp::Dropped)
            .map(|w| w.text.as_str())
            .collect();
        assert_eq!(dropped, ["Friday"], "{words:?}");
        assert!(words
            .iter()
            .any(|w| w.op == WordOp::Added && w.text == "Thursday"));
        assert!(matches!(d.hunks[2], Hunk::Dropped { old: 3, .. }));
        assert_eq!(d.hunks[3], Hunk::Same { old: 4, new: 3 });
        assert!(matches!(d.hunks[4], Hunk::Added { new: 4, .. }));
        assert_eq!(
            (
                d.summary.same,
                d.summary.changed,
                d.summary.dropped,
                d.summary.added
            ),
            (2, 1, 1, 1)
        );
        // The same text against itself: no change at all.
        let same = diff(side(Some("T"), &old), side(Some("t"), &old));
        assert!(same.headline.is_none());
        assert_eq!(same.summary.same, 4);
        assert!(same.hunks.iter().all(|h| matches!(h, Hunk::Same { .. })));
    }

    #[test]
    fn unrelated_paragraphs_are_dropped_and_added_not_changed() {
        let old = paras(&["alpha beta gamma delta epsilon"]);
        let new = paras(&["one two three four five"]);
        let d = diff(side(None, &old), side(None, &new));
        assert_eq!((d.summary.dropped, d.summary.added), (1, 1));
        assert!(d.headline.is_none());
    }

    #[test]
    fn a_split_paragraph_is_one_change_with_the_same_words() {
        let old = paras(&["First sentence here. Second sentence there."]);
        let new = paras(&["First sentence here.", "Second sentence there."]);
        let d = diff(side(None, &old), side(None, &new));
        assert_eq!(d.summary.changed, 1);
        let Hunk::Changed { words, .. } = &d.hunks[0] else {
            panic!()
        };
        assert!(words.iter().all(|w| w.op == WordOp::Same));
    }
}
