//! `newsfold eval quotes`: quotes and speakers scored against attribution annotations in the
//! brat standoff form of PolNeAR (`*/text/NAME.txt` beside `*/attributions/NAME_ANNOTATOR.ann`,
//! each `.ann` file an annotator's reading of one text).
//!
//! A gold attribution is *direct* when its content holds a quotation mark, *reported*
//! otherwise. A gold attribution is found when one of newsfold's quotes of the same kind
//! overlaps its quoted words (its content from the first mark to the last); when several do
//! (a content of two quoted pieces), the one that has its cue and speaker words is judged. The speaker is
//! right when newsfold's speaker words overlap the annotated source, when the speaker's name
//! shares a name word with the source, or, for a pronoun source, with the latest named
//! source annotated before it (the gold's own referent, not newsfold's). Precision counts
//! newsfold's direct quotes that overlap any annotated content.

use crate::extract::quotes::find_quotes;
use crate::extract::{Quote, QuoteKind};
use std::collections::BTreeMap;

/// One annotated attribution: character spans of its parts.
#[derive(Debug, Clone, Default)]
pub struct Attribution {
    pub source: Option<(usize, usize)>,
    pub content: Option<(usize, usize)>,
}

/// The attributions of one `.ann` file.
pub fn parse_ann(ann: &str) -> Vec<Attribution> {
    let mut spans: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut relations = Vec::new();
    for line in ann.lines() {
        let mut fields = line.split('\t');
        let (Some(id), Some(body)) = (fields.next(), fields.next()) else {
            continue;
        };
        if id.starts_with('T') {
            let numbers: Vec<usize> = body
                .split([' ', ';'])
                .skip(1)
                .filter_map(|n| n.parse().ok())
                .collect();
            // Fragments ("a b;c d") in any order: the span from the first to the last.
            if let (Some(&a), Some(&b)) = (numbers.iter().min(), numbers.iter().max()) {
                spans.insert(id, (a, b));
            }
        } else if id.starts_with('E') {
            relations.push(body);
        }
    }
    relations
        .into_iter()
        .map(|body| {
            let mut a = Attribution::default();
            for part in body.split(' ') {
                if let Some((role, id)) = part.split_once(':') {
                    match role {
                        "Source" => a.source = spans.get(id).copied(),
                        "Content" => a.content = spans.get(id).copied(),
                        _ => {}
                    }
                }
            }
            a
        })
        .filter(|a| a.content.is_some())
        .collect()
}

/// Counts over any number of texts.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    pub texts: usize,
    pub gold_direct: usize,
    pub found_direct: usize,
    pub speaker_direct: usize,
    pub pronoun_direct: usize,
    pub pronoun_right: usize,
    pub gold_reported: usize,
    pub found_reported: usize,
    pub speaker_reported: usize,
    pub ours_direct: usize,
    pub ours_direct_in_gold: usize,
    pub ours_reported: usize,
    /// One line per direct quote missed or given the wrong speaker: what, gold source, our
    /// speaker [our speaker words] (our cue), the words around with the annotated quote
    /// between ⟦ and ⟧.
    pub misses: Vec<String>,
}

impl Tally {
    pub fn add(&mut self, o: &Tally) {
        self.texts += o.texts;
        self.gold_direct += o.gold_direct;
        self.found_direct += o.found_direct;
        self.speaker_direct += o.speaker_direct;
        self.pronoun_direct += o.pronoun_direct;
        self.pronoun_right += o.pronoun_right;
        self.gold_reported += o.gold_reported;
        self.found_reported += o.found_reported;
        self.speaker_reported += o.speaker_reported;
        self.ours_direct += o.ours_direct;
        self.ours_direct_in_gold += o.ours_direct_in_gold;
        self.ours_reported += o.ours_reported;
        self.misses.extend(o.misses.iter().cloned());
    }
}

const QUOTE_MARKS: [char; 7] = ['"', '“', '”', '«', '»', '„', '‟'];
const PRONOUNS: [&str; 9] = ["he", "she", "they", "it", "i", "we", "his", "her", "him"];

fn overlaps(a: (usize, usize), b: (usize, usize)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// Name words: capitalised words of three letters or more.
fn name_words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
        .filter(|w| w.chars().count() >= 3 && w.chars().next().is_some_and(char::is_uppercase))
        .map(|w| {
            w.trim_end_matches("’s")
                .trim_end_matches("'s")
                .to_lowercase()
        })
        .collect()
}

/// Score newsfold's quotes of one text against one annotator's attributions.
pub fn score_text(text: &str, gold: &[Attribution]) -> Tally {
    let chars: Vec<char> = text.chars().collect();
    let slice = |(a, b): (usize, usize)| -> String {
        chars[a.min(b).min(chars.len())..b.min(chars.len())]
            .iter()
            .collect()
    };
    let ours = find_quotes(text);
    let mut t = Tally {
        texts: 1,
        ..Tally::default()
    };
    let is_pronoun = |s: &str| PRONOUNS.contains(&s.trim().to_lowercase().as_str());
    // Named sources in text order, for the referent of a pronoun source.
    let mut named: Vec<(usize, String)> = gold
        .iter()
        .filter_map(|a| a.source)
        .map(|s| (s.0, slice(s)))
        .filter(|(_, s)| !is_pronoun(s) && !name_words(s).is_empty())
        .collect();
    named.sort();
    let speaker_right = |q: &Quote, source: Option<(usize, usize)>| -> (bool, bool) {
        let Some(source) = source else {
            return (q.speaker.is_none(), false);
        };
        if q.speaker_at.is_some_and(|at| overlaps(at, source)) {
            return (true, false);
        }
        let source_text = slice(source);
        let reference = if is_pronoun(&source_text) {
            named
                .iter()
                .rev()
                .find(|(at, _)| *at < source.0)
                .map(|(_, s)| s.clone())
                .unwrap_or_default()
        } else {
            source_text
        };
        let want = name_words(&reference);
        let got = q.speaker.as_deref().map(name_words).unwrap_or_default();
        (got.iter().any(|w| want.contains(w)), true)
    };
    for a in gold {
        let Some(content) = a.content else { continue };
        let content_text = slice(content);
        let marks: Vec<usize> = content_text
            .chars()
            .enumerate()
            .filter(|(_, c)| QUOTE_MARKS.contains(c))
            .map(|(i, _)| i)
            .collect();
        let direct = !marks.is_empty();
        let region = if marks.len() >= 2 {
            (content.0 + marks[0], content.0 + marks[marks.len() - 1] + 1)
        } else {
            content
        };
        let kind = if direct {
            QuoteKind::Direct
        } else {
            QuoteKind::Reported
        };
        let found = ours
            .iter()
            .filter(|q| q.kind == kind && overlaps((q.start, q.end), region))
            // Of our quotes inside one attribution ("A" ... "B"), the one whose cue is there.
            .max_by_key(|q| {
                (
                    q.speaker_at.is_some(),
                    q.speaker.is_some(),
                    std::cmp::Reverse(q.start),
                )
            });
        let pronoun = a.source.is_some_and(|s| is_pronoun(&slice(s)));
        if direct {
            t.gold_direct += 1;
            t.pronoun_direct += usize::from(pronoun);
        } else {
            t.gold_reported += 1;
        }
        // The words around, the annotated quote between ⟦ and ⟧.
        let context = |(a, b): (usize, usize)| {
            format!(
                "{}⟦{}⟧{}",
                slice((a.saturating_sub(80), a)),
                slice((a, b)),
                slice((b, b + 80))
            )
            .replace(['\n', '\t'], " ")
        };
        let Some(q) = found else {
            if direct {
                t.misses.push(format!(
                    "missed\t{}\t-\t{}",
                    a.source.map(slice).unwrap_or_default(),
                    context(region)
                ));
            }
            continue;
        };
        let (right, _) = speaker_right(q, a.source);
        if direct && !right {
            t.misses.push(format!(
                "speaker\t{}\t{} [{}] ({})\t{}",
                a.source.map(slice).unwrap_or_default(),
                q.speaker.as_deref().unwrap_or("-"),
                q.speaker_at.map(slice).unwrap_or_default(),
                q.cue.as_deref().unwrap_or("-"),
                context(region)
            ));
        }
        if direct {
            t.found_direct += 1;
            t.speaker_direct += usize::from(right);
            t.pronoun_right += usize::from(right && pronoun);
        } else {
            t.found_reported += 1;
            t.speaker_reported += usize::from(right);
        }
    }
    for q in &ours {
        match q.kind {
            QuoteKind::Direct => {
                t.ours_direct += 1;
                let inside = gold
                    .iter()
                    .filter_map(|a| a.content)
                    .any(|c| overlaps((q.start, q.end), c));
                t.ours_direct_in_gold += usize::from(inside);
            }
            QuoteKind::Reported => t.ours_reported += 1,
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brat_attributions_are_read_and_scored() {
        let text = "“We will win,” Smith said. He added: “No doubt.” Jones believes it will rain.";
        let ann = "T1\tContent 0 14\t“We will win,”\nT2\tSource 15 20\tSmith\nT3\tCue 21 25\tsaid\n\
            E1\tAttribution:T9 Content:T1 Cue:T3 Source:T2\n\
            T4\tSource 27 29\tHe\nT5\tContent 37 48\t“No doubt.”\nE2\tAttribution:T8 Content:T5 Source:T4\n\
            T6\tSource 49 54\tJones\nT7\tContent 64 76\tit will rain\nE3\tAttribution:T7 Content:T7 Source:T6\n";
        let gold = parse_ann(ann);
        assert_eq!(gold.len(), 3);
        let t = score_text(text, &gold);
        assert_eq!((t.gold_direct, t.found_direct, t.speaker_direct), (2, 2, 2));
        assert_eq!((t.pronoun_direct, t.pronoun_right), (1, 1));
        assert_eq!(t.gold_reported, 1);
        assert_eq!(t.ours_direct, 2);
        assert_eq!(t.ours_direct_in_gold, 2);
    }
}
