//! Clean: tell an article's own text from its outlet's furniture (donation appeals, share
//! prompts, "Related posts", counters, breadcrumbs, captions, source lines, newsletter and
//! cookie boxes, navigation, legal lines), remove the furniture from the body and keep every
//! removed block as a typed [`Furniture`] annotation with the reason it was removed.
//!
//! Two kinds of evidence meet here. [`cues`] scores each block on its own (a multilingual
//! lexicon of furniture phrases, the block's shape and position, markup hints from HTML);
//! [`learn`] gives each block a key so the store can count in how many independent articles of
//! an outlet it recurs. [`analyse`] runs per article where parsing runs, in parallel; [`decide`]
//! combines a block's cue with its counts and the user's overrides, and is cheap enough to run
//! again over an outlet's earlier articles whenever new evidence arrives. This module neither
//! reads inputs nor touches the store; it never deletes text, it only sorts it.

pub mod cues;
pub mod learn;

use serde::{Deserialize, Serialize};

/// The kinds of furniture, as the export contract names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FurnitureKind {
    Donation,
    Share,
    Related,
    Counter,
    Breadcrumb,
    Caption,
    SourceLine,
    Newsletter,
    Cookie,
    Navigation,
    Legal,
    Other,
}

impl FurnitureKind {
    pub const ALL: [FurnitureKind; 12] = [
        FurnitureKind::Donation,
        FurnitureKind::Share,
        FurnitureKind::Related,
        FurnitureKind::Counter,
        FurnitureKind::Breadcrumb,
        FurnitureKind::Caption,
        FurnitureKind::SourceLine,
        FurnitureKind::Newsletter,
        FurnitureKind::Cookie,
        FurnitureKind::Navigation,
        FurnitureKind::Legal,
        FurnitureKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FurnitureKind::Donation => "donation",
            FurnitureKind::Share => "share",
            FurnitureKind::Related => "related",
            FurnitureKind::Counter => "counter",
            FurnitureKind::Breadcrumb => "breadcrumb",
            FurnitureKind::Caption => "caption",
            FurnitureKind::SourceLine => "source_line",
            FurnitureKind::Newsletter => "newsletter",
            FurnitureKind::Cookie => "cookie",
            FurnitureKind::Navigation => "navigation",
            FurnitureKind::Legal => "legal",
            FurnitureKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<FurnitureKind> {
        FurnitureKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl std::fmt::Display for FurnitureKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which evidence removed a block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decider {
    /// A cue of the block itself (phrase, shape, markup, metadata line).
    Cue,
    /// The block recurs across the outlet's articles.
    Learned,
    /// The block sits inside or right after furniture and has no weight of its own.
    Context,
    /// A rule the user set for the outlet.
    User,
}

/// A removed block: what it said, what it is, why it went and where it stood.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Furniture {
    pub text: String,
    pub kind: FurnitureKind,
    pub reason: String,
    /// Index of the block among the article's blocks before cleaning.
    pub position: usize,
    pub by: Decider,
}

/// What a cue says of one block: the likeliest kind, how sure (1.0 and above removes the
/// block on its own) and what fired.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cue {
    pub kind: FurnitureKind,
    pub score: f32,
    pub reason: String,
}

/// One block of an article before cleaning, with what the cleaner read from it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Block {
    pub text: String,
    /// [`learn::key`] of the text: equal for blocks that are the same after normalisation.
    pub key: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cue: Option<Cue>,
    /// A sentence of some length: the kind of block an article is made of.
    pub prose: bool,
    /// [`cues::word_count`] of the text.
    pub words: u32,
}

/// What the document's readers learned about its blocks beyond their text. Markup is not
/// among it: the HTML extractor uses the markup, and the cleaner sees what any text has, so
/// that a page and the text an extractor made of it clean alike.
#[derive(Debug, Clone, Default)]
pub struct PageHints {
    /// Blocks read as metadata (a signature, a source line), with what they gave.
    pub metadata_lines: Vec<(String, &'static str)>,
    /// An outlet lead-in that opens the first paragraph ("Outlet : ").
    pub lead_in: Option<String>,
}

/// Settings of the clean stage (`[clean]` in the configuration file).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct CleanConfig {
    /// A cue score at or above this removes a block on its own. Default 1.0.
    pub cue_threshold: f32,
    /// A block that recurs in this many independent articles of one outlet, and sits in the
    /// article's leading or trailing run of furniture, is furniture. Default 2: the second
    /// article that ends with the same appeal reveals it.
    pub min_articles_edge: u32,
    /// A recurring block inside the article (not in its leading or trailing furniture) needs
    /// this many independent articles and a cue of its own, however weak. Default 4: outlets
    /// reuse a background paragraph in follow-ups and a section heading in every article of a
    /// series, and those are text.
    pub min_articles_anywhere: u32,
    /// A block that recurs in this many independent articles of one outlet is furniture
    /// wherever it stands, cue or no cue. Default 8: a background paragraph or a series
    /// heading comes back in a handful of follow-ups, the comment policy under every article.
    pub min_articles_uncued: u32,
    /// An article whose long blocks (at least `copy_min_words` words) already appeared, for
    /// at least this share, in one earlier article of the outlet is a copy of it and adds no
    /// evidence for the blocks they share. Default 0.8: a copy shares nearly every paragraph,
    /// while a short article may share half of its paragraphs with others through a long
    /// appeal.
    pub copy_share: f32,
    /// Default 8 words.
    pub copy_min_words: usize,
    /// Whether to remove furniture at all. Default true; false keeps every block in the body
    /// (the cues and counts are still kept, so turning it back on needs no re-ingest).
    pub enabled: bool,
}

impl Default for CleanConfig {
    fn default() -> Self {
        CleanConfig {
            cue_threshold: 1.0,
            min_articles_edge: 2,
            min_articles_anywhere: 4,
            min_articles_uncued: 8,
            copy_share: 0.8,
            copy_min_words: 8,
            enabled: true,
        }
    }
}

/// The user's rules for one outlet.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Overrides {
    /// Kinds never removed for this outlet.
    pub keep_kinds: Vec<FurnitureKind>,
    /// Blocks (by [`learn::key`]) always kept.
    pub keep_keys: Vec<u64>,
    /// Blocks (by [`learn::key`]) always removed.
    pub drop_keys: Vec<u64>,
}

/// A block's fate: removed as which kind, why and by what; `None` keeps it.
type Verdict = Option<(FurnitureKind, String, Decider)>;

/// An article's body after cleaning.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Cleaned {
    pub paragraphs: Vec<String>,
    pub furniture: Vec<Furniture>,
}

/// Read the blocks of one article: keys, cues, prose. Runs where parsing runs.
pub fn analyse(paragraphs: Vec<String>, hints: &PageHints) -> Vec<Block> {
    let mut texts = paragraphs;
    // The lead-in opens one of the first paragraphs (a breadcrumb may come before it).
    let mut lead = None;
    if let Some(prefix) = &hints.lead_in {
        for (i, text) in texts.iter_mut().enumerate().take(3) {
            if let Some(rest) = text.strip_prefix(prefix.as_str()) {
                let rest = rest.trim_start().to_string();
                if !rest.is_empty() {
                    lead = Some((i, prefix.trim().to_string()));
                    *text = rest;
                }
                break;
            }
        }
    }
    let n = texts.len();
    let mut blocks: Vec<Block> = texts
        .into_iter()
        .enumerate()
        .map(|(i, text)| {
            let words = cues::word_count(&text);
            Block {
                key: learn::key(&text),
                prose: cues::is_prose_of(&text, words),
                cue: cues::score(&text, words, i, n, hints),
                words: words as u32,
                text,
            }
        })
        .collect();
    if let Some((at, lead)) = lead {
        blocks.insert(
            at,
            Block {
                key: learn::key(&lead),
                cue: Some(Cue {
                    kind: FurnitureKind::SourceLine,
                    score: 2.0,
                    reason: "cue: an outlet lead-in before the first sentence".into(),
                }),
                prose: false,
                words: cues::word_count(&lead) as u32,
                text: lead,
            },
        );
    }
    blocks
}

/// Sort an article's blocks into body and furniture. `counts[i]` is the number of independent
/// articles of the outlet in which block `i` occurs (0 where nothing is known yet).
pub fn decide(
    blocks: &[Block],
    counts: &[u32],
    overrides: &Overrides,
    cfg: &CleanConfig,
) -> Cleaned {
    let n = blocks.len();
    let count = |i: usize| counts.get(i).copied().unwrap_or(0);
    let cue_score = |i: usize| blocks[i].cue.as_ref().map_or(0.0, |c| c.score);
    // A candidate is a block with some evidence against it: worth a look at the edges.
    let candidate = |i: usize| {
        count(i) >= cfg.min_articles_edge
            || cue_score(i) >= cfg.cue_threshold * 0.5
            || (!blocks[i].prose && blocks[i].words as usize <= 6)
    };
    // The leading and trailing runs of candidates.
    let head = (0..n).find(|&i| !candidate(i)).unwrap_or(n);
    let tail = (0..n).rev().find(|&i| !candidate(i)).map_or(0, |i| i + 1);
    let edge: Vec<bool> = (0..n).map(|i| i < head || i >= tail).collect();

    let mut verdict: Vec<Verdict> = vec![None; n];
    for (i, b) in blocks.iter().enumerate() {
        let kind_hint = b.cue.as_ref().map_or(FurnitureKind::Other, |c| c.kind);
        let c = count(i);
        verdict[i] = if overrides.keep_keys.contains(&b.key) {
            None
        } else if overrides.drop_keys.contains(&b.key) {
            Some((
                kind_hint,
                "dropped by a rule for this outlet".into(),
                Decider::User,
            ))
        } else if let Some(cue) = b.cue.as_ref().filter(|c| c.score >= cfg.cue_threshold) {
            Some((cue.kind, cue.reason.clone(), Decider::Cue))
        } else if (c >= cfg.min_articles_edge && edge[i])
            || (c >= cfg.min_articles_anywhere && b.cue.is_some())
            || c >= cfg.min_articles_uncued
        {
            Some((
                kind_hint,
                format!("learned: recurs in {c} articles of this outlet"),
                Decider::Learned,
            ))
        } else {
            None
        };
    }
    absorb_context(blocks, &mut verdict, &edge);
    absorb_trailing_list(blocks, &mut verdict);
    absorb_under_related_heading(blocks, &mut verdict, cfg);
    name_learned_runs(blocks, &mut verdict);
    if looks_like_a_page(blocks) {
        trim_page_chrome(blocks, &mut verdict);
    }
    keep_the_text(blocks, counts, &mut verdict, cfg);

    let mut out = Cleaned::default();
    for (i, (b, v)) in blocks.iter().zip(verdict).enumerate() {
        match v {
            Some((kind, reason, by))
                if cfg.enabled
                    && (by == Decider::User || !overrides.keep_kinds.contains(&kind)) =>
            {
                out.furniture.push(Furniture {
                    text: b.text.clone(),
                    kind,
                    reason,
                    position: i,
                    by,
                })
            }
            _ => out.paragraphs.push(b.text.clone()),
        }
    }
    out
}

/// Weak evidence never takes most of an article. Recurrence in fewer than
/// `min_articles_anywhere` articles that would remove more prose than it leaves is two copies
/// of one article that the copy guard did not catch (a wire story on two pages of one site,
/// its first and last paragraphs edited), not furniture: that prose stays. Captions that
/// outweigh the rest of the text are the text of a gallery page: they stay too.
fn keep_the_text(blocks: &[Block], counts: &[u32], verdict: &mut [Verdict], cfg: &CleanConfig) {
    let words = |pick: &dyn Fn(usize) -> bool| -> u32 {
        (0..blocks.len())
            .filter(|&i| blocks[i].prose && pick(i))
            .map(|i| blocks[i].words)
            .sum()
    };
    let weakly_learned = |v: &Verdict, i: usize| {
        matches!(v, Some((_, _, Decider::Learned)))
            && counts.get(i).copied().unwrap_or(0) < cfg.min_articles_anywhere
    };
    let kept = words(&|i| verdict[i].is_none());
    let learned = words(&|i| weakly_learned(&verdict[i], i));
    let prose_left = (0..blocks.len()).any(|i| blocks[i].prose && verdict[i].is_none());
    for i in 0..blocks.len() {
        let v = &verdict[i];
        let learned_prose = blocks[i].prose && matches!(v, Some((_, _, Decider::Learned)));
        if learned_prose && (!prose_left || (learned > kept && weakly_learned(v, i))) {
            verdict[i] = None;
        }
    }
    let kept = words(&|i| verdict[i].is_none());
    let is_caption = |v: &Verdict| matches!(v, Some((FurnitureKind::Caption, _, Decider::Cue)));
    if words(&|i| is_caption(&verdict[i])) > kept {
        for i in 0..blocks.len() {
            if blocks[i].prose && is_caption(&verdict[i]) {
                verdict[i] = None;
            }
        }
    }
}

/// Whether the text is a whole page's visible text rather than an article: many short
/// lines that are not sentences, making up a good part of the words, or a page's menus
/// before the first sentence (an article opens with a title and a byline at most).
fn looks_like_a_page(blocks: &[Block]) -> bool {
    let (mut lines, mut line_words, mut words) = (0usize, 0usize, 0usize);
    for b in blocks {
        let n = b.words as usize;
        words += n;
        if !b.prose {
            lines += 1;
            line_words += n;
        }
    }
    let leading_lines = (0..text_start(blocks))
        .filter(|&i| !blocks[i].prose)
        .count();
    (lines >= 12 && line_words * 3 >= words && leading_lines >= 2) || leading_lines >= 6
}

/// Where a page's text begins: the first sentence, without more than a weak cue, that has
/// some length or is followed by another sentence (a lone promotion line above the menus is
/// not the start). Blocks of one word at most (a stray non-breaking space) sit between.
fn text_start(blocks: &[Block]) -> usize {
    let sentence = |b: &Block| b.prose && b.cue.as_ref().is_none_or(|c| c.score < 0.5);
    (0..blocks.len())
        .find(|&i| {
            sentence(&blocks[i])
                && (blocks[i].words >= 20
                    || blocks[i + 1..]
                        .iter()
                        .find(|b| b.words > 1)
                        .is_some_and(sentence))
        })
        .unwrap_or(blocks.len())
}

/// On a page's visible text, the lines before the first sentence and after the last one are
/// the page's chrome (menus, headline lists, footers), whatever their words; so is a run of
/// several short lines between two stretches of text.
fn trim_page_chrome(blocks: &[Block], verdict: &mut [Verdict]) {
    let n = blocks.len();
    let prose: Vec<usize> = (0..n)
        .filter(|&i| blocks[i].prose && verdict[i].is_none())
        .collect();
    let (Some(&first), Some(&last)) = (prose.first(), prose.last()) else {
        return;
    };
    let first = match text_start(blocks) {
        start if start < n => start.max(first),
        _ => first,
    };
    // The headline: a line of some words just above the text, with nothing against it.
    let headline = (first.saturating_sub(3)..first).rev().find(|&i| {
        let b = &blocks[i];
        !b.prose && b.words >= 4 && b.cue.is_none() && verdict[i].is_none()
    });
    let mark = |verdict: &mut [Verdict], i: usize, reason: &str| {
        if Some(i) == headline {
            return;
        }
        if verdict[i].is_none() {
            let kind = blocks[i]
                .cue
                .as_ref()
                .map_or(FurnitureKind::Navigation, |c| c.kind);
            verdict[i] = Some((kind, reason.to_string(), Decider::Context));
        }
    };
    for i in (0..first).chain(last + 1..n) {
        mark(verdict, i, "context: page chrome before or after the text");
    }
    // Runs of lines between two stretches of text: a heading or two stays, a menu goes.
    let mut i = first;
    while i < last {
        if blocks[i].prose {
            i += 1;
            continue;
        }
        let end = (i..last).find(|&j| blocks[j].prose).unwrap_or(last);
        if end - i >= 4 {
            for j in i..end {
                mark(verdict, j, "context: a run of short lines inside the page");
            }
        }
        i = end;
    }
}

/// A learned block has no kind of its own unless a cue gave one; inside a run of furniture it
/// takes the kind of the run's strongest cue (the paragraphs of a donation appeal are
/// `donation`, not `other`).
fn name_learned_runs(blocks: &[Block], verdict: &mut [Verdict]) {
    let n = blocks.len();
    let mut start = 0;
    while start < n {
        if verdict[start].is_none() {
            start += 1;
            continue;
        }
        let end = (start..n).find(|&i| verdict[i].is_none()).unwrap_or(n);
        let strongest = (start..end)
            .filter_map(|i| blocks[i].cue.as_ref())
            .max_by(|a, b| a.score.total_cmp(&b.score))
            .map(|c| c.kind);
        if let Some(kind) = strongest {
            for i in start..end {
                if let Some((k, _, Decider::Learned)) = verdict[i].as_mut() {
                    if blocks[i].cue.is_none() {
                        *k = kind;
                    }
                }
            }
        }
        start = end;
    }
}

/// A list of short lines that runs from the article's closing furniture to its end (the
/// headlines of a "Most read" box under the comment policy) goes with that furniture.
fn absorb_trailing_list(blocks: &[Block], verdict: &mut [Verdict]) {
    let n = blocks.len();
    let start = (0..n)
        .rev()
        .find(|&i| blocks[i].prose || verdict[i].is_some())
        .map_or(0, |i| i + 1);
    if start == 0 || start == n || verdict[start - 1].is_none() || n - start < 3 {
        return;
    }
    for v in &mut verdict[start..] {
        *v = Some((
            FurnitureKind::Related,
            "context: a list of short lines after the closing furniture".into(),
            Decider::Context,
        ));
    }
}

/// Under a "Related stories" or "You may also like" heading after the article, everything to
/// the end is the teasers of other articles, however long they are, as long as the article's
/// own prose above the heading outweighs the prose below it.
fn absorb_under_related_heading(blocks: &[Block], verdict: &mut [Verdict], cfg: &CleanConfig) {
    let n = blocks.len();
    let prose_words = |r: std::ops::Range<usize>, verdict: &[Verdict]| -> u32 {
        r.filter(|&i| blocks[i].prose && verdict[i].is_none())
            .map(|i| blocks[i].words)
            .sum()
    };
    let heading = (n / 2..n).find(|&i| {
        let b = &blocks[i];
        !b.prose
            && b.words <= 6
            && b.cue
                .as_ref()
                .is_some_and(|c| c.kind == FurnitureKind::Related && c.score >= cfg.cue_threshold)
    });
    let Some(h) = heading else { return };
    if prose_words(h + 1..n, verdict) >= prose_words(0..h, verdict) {
        return;
    }
    // Three paragraphs of plain prose in a row are the article going on below a box of links
    // (a teaser has one summary at most).
    let plain = |i: usize| {
        let b = &blocks[i];
        b.prose && b.words >= 20 && b.cue.is_none() && verdict[i].is_none()
    };
    let end = (h + 1..n.saturating_sub(2))
        .find(|&i| (i..i + 3).all(plain))
        .unwrap_or(n);
    for v in verdict[h + 1..end].iter_mut().filter(|v| v.is_none()) {
        *v = Some((
            FurnitureKind::Related,
            "context: under a related-links heading at the end".into(),
            Decider::Context,
        ));
    }
}

/// Blocks with no weight of their own that sit inside furniture go with it: the body of a
/// donation appeal between its "Dear readers" and its "Remind me later", the address after
/// "can also be reached at", a short line among the share buttons at the end. Only where the
/// furniture runs to the article's start or end: furniture in the middle of an article does not
/// swallow the text around it.
fn absorb_context(blocks: &[Block], verdict: &mut [Verdict], edge: &[bool]) {
    let n = blocks.len();
    let kind_at = |v: &[Verdict], i: usize| v[i].as_ref().map(|(k, _, _)| *k);
    for i in 0..n {
        if verdict[i].is_some() {
            continue;
        }
        let prev = (0..i).rev().find(|&j| verdict[j].is_some());
        let next = (i + 1..n).find(|&j| verdict[j].is_some());
        let to_end = |from: usize| (from..n).all(|j| verdict[j].is_some() || edge[j]);
        let to_start = |to: usize| (0..=to).all(|j| verdict[j].is_some() || edge[j]);
        // Enclosed by furniture of one kind, at most three blocks apart, at an edge.
        if let (Some(p), Some(q)) = (prev, next) {
            let weightless = !blocks[i].prose || blocks[i].cue.is_some();
            if weightless
                && q - p <= 4
                && kind_at(verdict, p) == kind_at(verdict, q)
                && (to_end(q) || to_start(p))
            {
                let kind = kind_at(verdict, p).unwrap_or(FurnitureKind::Other);
                let reason = format!("context: between {kind} furniture");
                verdict[i] = Some((kind, reason, Decider::Context));
                continue;
            }
        }
        // A bare address or a short line right after furniture, at the end or after a colon.
        if let Some(p) = prev.filter(|&p| p + 1 == i) {
            let b = &blocks[i];
            let short = !b.prose && b.words as usize <= 8;
            if (short || cues::is_bare_address(&b.text))
                && (to_end(i + 1) || blocks[p].text.ends_with(':'))
            {
                let kind = kind_at(verdict, p).unwrap_or(FurnitureKind::Other);
                let reason = format!("context: right after {kind} furniture");
                verdict[i] = Some((kind, reason, Decider::Context));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(texts: &[&str]) -> Vec<Block> {
        let texts: Vec<String> = texts.iter().map(|t| t.to_string()).collect();
        analyse(texts, &PageHints::default())
    }

    /// `n` for the blocks whose text is `text`, 1 for the others.
    fn counts_of(b: &[Block], text: &str, n: u32) -> Vec<u32> {
        b.iter()
            .map(|b| if b.text == text { n } else { 1 })
            .collect()
    }

    fn clean(b: &[Block], counts: &[u32]) -> Cleaned {
        decide(b, counts, &Overrides::default(), &CleanConfig::default())
    }

    const BODY: [&str; 3] = [
        "The port authority said on Monday that the harbour would reopen next week after repairs.",
        "Dock workers had stayed away for eight days in a dispute over pay and the length of shifts.",
        "The union said its members would vote on the new offer at a meeting on Thursday evening.",
    ];

    #[test]
    fn recurring_lines_go_at_the_edges_and_stay_inside() {
        let footer = "Our reporters worked through the night to bring you this story.";
        let mut texts = BODY.to_vec();
        texts.insert(1, footer);
        texts.push(footer);
        let b = blocks(&texts);
        let counts = counts_of(&b, footer, 3);
        let out = clean(&b, &counts);
        // The trailing copy is furniture; the one between two paragraphs has no cue and fewer
        // than `min_articles_anywhere` articles behind it, so it stays.
        assert_eq!(out.furniture.len(), 1);
        assert_eq!(out.furniture[0].position, 4);
        assert_eq!(out.furniture[0].by, Decider::Learned);
        assert!(out.furniture[0].reason.contains("3 articles"));
        assert_eq!(out.paragraphs.len(), 4);
    }

    #[test]
    fn recurrence_never_takes_the_whole_text() {
        let b = blocks(&BODY);
        let out = clean(&b, &[2, 2, 2]);
        assert!(out.furniture.is_empty());
    }

    #[test]
    fn appeal_paragraphs_between_cued_lines_go_with_them() {
        let mut texts = BODY.to_vec();
        texts.extend([
            "Dear readers,",
            "Your support keeps our newsroom open. Please donate today.",
            "We cannot do this without you.",
            "Remind me later.",
        ]);
        let out = clean(&blocks(&texts), &[]);
        let kinds: Vec<_> = out.furniture.iter().map(|f| f.kind).collect();
        assert_eq!(
            kinds,
            vec![FurnitureKind::Donation; 4],
            "{:#?}",
            out.furniture
        );
        assert_eq!(out.paragraphs, BODY);
    }

    #[test]
    fn user_rules_keep_kinds_and_lines_and_drop_lines() {
        let mut texts = BODY.to_vec();
        texts.extend(["Related posts:", "Follow the harbour desk for more."]);
        let b = blocks(&texts);
        let cfg = CleanConfig::default();
        // The short line after "Related posts:" at the end goes with it.
        let out = decide(&b, &[], &Overrides::default(), &cfg);
        assert_eq!(out.furniture.len(), 2);
        assert_eq!(out.furniture[1].by, Decider::Context);
        let rules = Overrides {
            keep_kinds: vec![FurnitureKind::Related],
            drop_keys: vec![learn::key("follow the HARBOUR desk for more")],
            ..Default::default()
        };
        let out = decide(&b, &[], &rules, &cfg);
        assert_eq!(out.furniture.len(), 1);
        assert_eq!(out.furniture[0].by, Decider::User);
        assert!(out.paragraphs.iter().any(|p| p == "Related posts:"));
        let off = CleanConfig {
            enabled: false,
            ..cfg
        };
        assert_eq!(
            decide(&b, &[], &Overrides::default(), &off)
                .paragraphs
                .len(),
            5
        );
    }

    #[test]
    fn a_page_of_menus_keeps_its_text() {
        let mut texts = vec![
            "Home",
            "World",
            "Business",
            "Sport",
            "Weather",
            "Culture",
            "Travel",
            "Login",
            "Opinion",
            "Science",
            "Health",
            "Education",
            "Podcasts",
            "Newsletters",
            "Events",
        ];
        texts.extend(BODY);
        texts.extend([
            "Most read",
            "Talks stall",
            "Strike ends",
            "Port reopens",
            "About us",
        ]);
        let out = clean(&blocks(&texts), &[]);
        assert_eq!(out.paragraphs, BODY);
    }

    /// Issue 3 (Dragnet page R492): a wire story on two pages of one site, its first and last
    /// paragraphs edited, shared most of its paragraphs with the other page; recurrence in two
    /// articles once took those paragraphs away as furniture.
    #[test]
    fn weak_recurrence_never_takes_most_of_the_prose() {
        let mut texts =
            vec!["The ministry said on Tuesday that the inquiry would report by March next year."];
        texts.extend(BODY);
        let b = blocks(&texts);
        let counts = [1, 2, 2, 2];
        let out = clean(&b, &counts);
        assert!(out.furniture.is_empty(), "{:#?}", out.furniture);
        // Behind it, recurrence in many articles is furniture even when it is most of the text.
        let counts = [1, 9, 9, 9];
        let out = clean(&b, &counts);
        assert_eq!(out.furniture.len(), 3);
    }

    #[test]
    fn captions_that_are_the_text_stay() {
        let gallery = [
            "Gallery of the harbour",
            "Dock workers gather at the gate of the harbour on Monday morning before the vote. (Example Agency)",
            "A crane stands idle at the container terminal during the strike last week. (Example Agency)",
        ];
        let out = clean(&blocks(&gallery), &[]);
        assert_eq!(out.paragraphs.len(), 3, "{:#?}", out.furniture);
        // Beside an article of its own, a caption is furniture.
        let mut texts = BODY.to_vec();
        texts.insert(1, gallery[1]);
        let out = clean(&blocks(&texts), &[]);
        assert_eq!(out.furniture.len(), 1);
        assert_eq!(out.furniture[0].kind, FurnitureKind::Caption);
    }

    #[test]
    fn recurrence_in_many_articles_needs_no_cue() {
        let policy = "Comments that break the rules of this site will be removed by the moderators without notice.";
        let mut texts = BODY.to_vec();
        texts.insert(2, policy);
        let b = blocks(&texts);
        let counts = counts_of(&b, policy, 8);
        let out = clean(&b, &counts);
        assert_eq!(out.furniture.len(), 1);
        assert_eq!(out.furniture[0].text, policy);
        let counts: Vec<u32> = counts.iter().map(|&c| c.min(5)).collect();
        let out = clean(&b, &counts);
        assert!(out.furniture.is_empty());
    }

    #[test]
    fn a_list_after_the_closing_furniture_goes_with_it() {
        const LIST: [&str; 3] = [
            "Harbour pilots to vote on new shifts",
            "Ferry timetable changes for the winter season",
            "New lighthouse keeper named for the north pier",
        ];
        let mut texts = BODY.to_vec();
        texts.push("All rights reserved.");
        texts.extend(LIST);
        let out = clean(&blocks(&texts), &[]);
        assert_eq!(out.paragraphs, BODY);
        assert_eq!(out.furniture[1].kind, FurnitureKind::Related);
        // Without furniture before it, a closing list is the article's own.
        let mut texts = BODY.to_vec();
        texts.extend(LIST);
        let out = clean(&blocks(&texts), &[]);
        assert!(out.furniture.is_empty(), "{:#?}", out.furniture);
    }

    /// A page whose visible text opens with a promotion sentence above its menus is still a
    /// page: its menus go, its headline and text stay.
    #[test]
    fn a_promotion_line_above_the_menus_does_not_start_the_text() {
        let mut texts = vec!["Great news! Our winter boxes are back in stock, order yours now!"];
        texts.extend([
            "Home", "World", "Business", "Sport", "Weather", "Culture", "Travel",
        ]);
        texts.push("Harbour to reopen after the strike ends");
        texts.extend(BODY);
        let out = clean(&blocks(&texts), &[]);
        let mut want = vec!["Harbour to reopen after the strike ends"];
        want.extend(BODY);
        assert_eq!(out.paragraphs, want, "{:#?}", out.furniture);
    }

    #[test]
    fn teasers_under_a_related_heading_at_the_end_go() {
        let teaser = "Ferry operators say the winter timetable will cut two crossings a day from December, and unions have asked for talks.";
        let mut texts = BODY.to_vec();
        texts.extend(BODY);
        texts.extend(["You may also like", teaser]);
        let out = clean(&blocks(&texts), &[]);
        assert_eq!(out.furniture.len(), 2, "{:#?}", out.furniture);
        assert_eq!(out.furniture[1].text, teaser);
        assert_eq!(out.furniture[1].kind, FurnitureKind::Related);
        // A heading in the first half, or a tail longer than the article, is left alone.
        let mut texts = vec!["You may also like"];
        texts.extend(BODY);
        assert_eq!(clean(&blocks(&texts), &[]).paragraphs, BODY);
    }
}
