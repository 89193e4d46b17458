//! One story, told: its summary, its articles (copies under their original), its timeline,
//! its coverage by outlet and day, its quotes by speaker (with the copies that altered one),
//! the labels its articles attach and each outlet's words for the same entities. `newsfold
//! story` and `newsfold report` print it, the desk (`server`) renders it; the JSON form is
//! what other front ends read.
//!
//! Pure assembly over values the store hands over; no clustering happens here.

use super::timeline::{timeline, Entry};
use super::Summary;
use crate::dedup::diff::word_diff;
use crate::extract::entities::{find_entities, AliasTable};
use crate::extract::labels::{find_labels, LabelReport};
use crate::extract::{Quote, QuoteKind};
use crate::store::StoredArticle;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// A story with everything a reader looks at first.
#[derive(Debug, Clone, Serialize)]
pub struct StoryReport {
    pub summary: Summary,
    pub articles: Vec<ArticleLine>,
    pub timeline: Vec<Entry>,
    /// Direct quotes with a speaker, grouped by speaker (most quoted first).
    pub quotes: Vec<SpeakerQuotes>,
    /// The independent reports in date order, each with the copies of it among the members.
    pub coverage: Vec<Coverage>,
    /// Articles per day (dated members only), with the outlets of each day.
    pub per_day: Vec<DayCount>,
    /// Who labels whom how: one row per actor, target and label, with the outlets carrying it.
    pub labels: Vec<LabelRow>,
    /// For the entities outlets name differently or label: each outlet's words for them.
    pub vocabulary: Vec<EntityVocabulary>,
}

/// One member article, as a list shows it.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleLine {
    pub id: String,
    pub published: Option<String>,
    pub outlet: Option<String>,
    pub title: Option<String>,
    /// `original`, `same_document`, `reprint`, `edited_reprint`, or none outside copy groups.
    pub copy_relation: Option<String>,
    pub copy_of: Option<String>,
}

/// An independent report and its copies.
#[derive(Debug, Clone, Serialize)]
pub struct Coverage {
    pub article: ArticleLine,
    pub copies: Vec<ArticleLine>,
}

/// The dated members of one day.
#[derive(Debug, Clone, Serialize)]
pub struct DayCount {
    pub date: NaiveDate,
    pub articles: usize,
    /// Outlet -> articles that day, most first.
    pub outlets: Vec<(String, usize)>,
}

/// What one speaker said across the story.
#[derive(Debug, Clone, Serialize)]
pub struct SpeakerQuotes {
    pub speaker: String,
    pub quotes: Vec<KeyQuote>,
}

/// A quote and the outlets that carried it (the same words in several articles count once).
#[derive(Debug, Clone, Serialize)]
pub struct KeyQuote {
    pub text: String,
    pub articles: Vec<String>,
    pub outlets: Vec<String>,
    /// Copies that carry the quote with other words.
    pub altered: Vec<AlteredQuote>,
}

/// A copy's wording of a quote its original words otherwise.
#[derive(Debug, Clone, Serialize)]
pub struct AlteredQuote {
    pub article: String,
    pub outlet: Option<String>,
    pub text: String,
}

/// One label, as the members attach it.
#[derive(Debug, Clone, Serialize)]
pub struct LabelRow {
    /// Who applies it: an entity, or the outlet itself (`by_outlet`); `None` when the text
    /// does not say.
    pub actor: Option<String>,
    pub target: String,
    /// Lower-cased, as counted.
    pub label: String,
    pub by_outlet: bool,
    pub outlets: Vec<String>,
    pub articles: Vec<String>,
    /// The first sentence it was read from.
    pub sentence: String,
}

/// Each outlet's words for one entity.
#[derive(Debug, Clone, Serialize)]
pub struct EntityVocabulary {
    pub entity: String,
    pub kind: Option<String>,
    pub mentions: usize,
    pub outlets: Vec<OutletVocabulary>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OutletVocabulary {
    pub outlet: String,
    pub articles: usize,
    /// Names used, most first.
    pub names: Vec<(String, usize)>,
    /// Labels in its own voice, most first.
    pub labels: Vec<(String, usize)>,
}

/// Speakers listed, most quoted first, and quotes kept per speaker.
const SPEAKERS: usize = 12;
const QUOTES_PER_SPEAKER: usize = 4;
/// Label rows and vocabulary entities listed.
const LABEL_ROWS: usize = 40;
const VOCABULARY: usize = 12;
/// A copy's quote this close to one of its original's (share of words kept) is that quote
/// altered; below it, a quote of its own.
const ALTERED_SHARE: f64 = 0.6;

fn line(m: &StoredArticle) -> ArticleLine {
    ArticleLine {
        id: m.article.id.clone(),
        published: m
            .article
            .meta
            .published
            .as_ref()
            .map(|p| p.value.date.to_string()),
        outlet: m.outlet.clone(),
        title: m.article.meta.title.as_ref().map(|t| t.value.clone()),
        copy_relation: m.copy.as_ref().map(|c| c.relation.as_str().to_string()),
        copy_of: m.copy.as_ref().and_then(|c| c.copy_of.clone()),
    }
}

/// A quote's identity: its letters and digits, lower-cased.
fn quote_key(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The direct quotes with a speaker and four words or more: the ones worth listing.
fn key_quotes(text: &str) -> Vec<Quote> {
    crate::extract::quotes::find_quotes(text)
        .into_iter()
        .filter(|q| {
            q.kind == QuoteKind::Direct
                && q.speaker.is_some()
                && q.text.split_whitespace().count() >= 4
        })
        .collect()
}

fn sorted_counts(m: &BTreeMap<String, usize>) -> Vec<(String, usize)> {
    let mut v: Vec<(String, usize)> = m.iter().map(|(k, n)| (k.clone(), *n)).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v
}

/// Assemble the report of `summary` from its member articles (in the summary's order).
pub fn build(summary: Summary, members: &[StoredArticle], aliases: &AliasTable) -> StoryReport {
    let articles: Vec<ArticleLine> = members.iter().map(line).collect();
    let texts: Vec<String> = members.iter().map(|m| m.article.text()).collect();
    let index: HashMap<&str, usize> = members
        .iter()
        .enumerate()
        .map(|(i, m)| (m.article.id.as_str(), i))
        .collect();
    let found: Vec<Vec<Quote>> = texts.iter().map(|t| key_quotes(t)).collect();

    // speaker -> quote key -> the quote, its articles and outlets.
    let mut said: BTreeMap<String, BTreeMap<String, KeyQuote>> = BTreeMap::new();
    for (i, m) in members.iter().enumerate() {
        let original = m
            .copy
            .as_ref()
            .and_then(|c| c.copy_of.as_deref())
            .and_then(|o| index.get(o).copied());
        for q in &found[i] {
            let speaker = q.speaker.clone().unwrap_or_default();
            let key = quote_key(&q.text);
            // A copy's quote that its original words otherwise is marked on the original's.
            if let Some(o) = original {
                let theirs = &found[o];
                if !theirs.iter().any(|t| quote_key(&t.text) == key) {
                    let best = theirs
                        .iter()
                        .map(|t| (word_diff(&t.text, &q.text).share(), t))
                        .filter(|(share, _)| *share >= ALTERED_SHARE)
                        .max_by(|a, b| a.0.total_cmp(&b.0));
                    if let Some((_, t)) = best {
                        let entry = said
                            .entry(t.speaker.clone().unwrap_or_default())
                            .or_default()
                            .entry(quote_key(&t.text))
                            .or_insert_with(|| KeyQuote {
                                text: t.text.clone(),
                                articles: Vec::new(),
                                outlets: Vec::new(),
                                altered: Vec::new(),
                            });
                        entry.altered.push(AlteredQuote {
                            article: m.article.id.clone(),
                            outlet: m.outlet.clone(),
                            text: q.text.clone(),
                        });
                        continue;
                    }
                }
            }
            let entry = said
                .entry(speaker)
                .or_default()
                .entry(key)
                .or_insert_with(|| KeyQuote {
                    text: q.text.clone(),
                    articles: Vec::new(),
                    outlets: Vec::new(),
                    altered: Vec::new(),
                });
            if !entry.articles.contains(&m.article.id) {
                entry.articles.push(m.article.id.clone());
            }
            if let Some(o) = &m.outlet {
                if !entry.outlets.contains(o) {
                    entry.outlets.push(o.clone());
                }
            }
        }
    }
    let mut quotes: Vec<SpeakerQuotes> = said
        .into_iter()
        .map(|(speaker, qs)| {
            // An altered quote's original may itself sit outside the members' own list.
            let mut quotes: Vec<KeyQuote> = qs
                .into_values()
                .filter(|q| !q.articles.is_empty())
                .collect();
            quotes.sort_by(|a, b| {
                b.articles
                    .len()
                    .cmp(&a.articles.len())
                    .then(b.text.len().cmp(&a.text.len()))
            });
            SpeakerQuotes { speaker, quotes }
        })
        .filter(|s| !s.quotes.is_empty())
        .collect();
    quotes.sort_by(|a, b| {
        b.quotes
            .len()
            .cmp(&a.quotes.len())
            .then(a.speaker.cmp(&b.speaker))
    });
    quotes.truncate(SPEAKERS);
    for s in &mut quotes {
        s.quotes.truncate(QUOTES_PER_SPEAKER);
    }

    // Coverage: each independent report with the copies of it folded under it (a copy whose
    // original is not a member stands on its own).
    let root = |m: &StoredArticle| -> Option<usize> {
        let of = m.copy.as_ref()?.copy_of.as_deref()?;
        index.get(of).copied()
    };
    let mut slot: HashMap<usize, usize> = HashMap::new();
    let mut coverage: Vec<Coverage> = Vec::new();
    for (i, m) in members.iter().enumerate() {
        if root(m).is_none() {
            slot.insert(i, coverage.len());
            coverage.push(Coverage {
                article: articles[i].clone(),
                copies: Vec::new(),
            });
        }
    }
    for (i, m) in members.iter().enumerate() {
        if let Some(k) = root(m).and_then(|r| slot.get(&r)) {
            coverage[*k].copies.push(articles[i].clone());
        }
    }

    let mut days: BTreeMap<NaiveDate, BTreeMap<String, usize>> = BTreeMap::new();
    for m in members {
        if let Some(p) = &m.article.meta.published {
            let outlet = m
                .outlet
                .clone()
                .unwrap_or_else(|| "(unknown outlet)".into());
            *days
                .entry(p.value.date)
                .or_default()
                .entry(outlet)
                .or_default() += 1;
        }
    }
    let per_day = days
        .into_iter()
        .map(|(date, outlets)| DayCount {
            date,
            articles: outlets.values().sum(),
            outlets: sorted_counts(&outlets),
        })
        .collect();

    // Labels and vocabulary: every member, as each outlet published it.
    let mut rows: BTreeMap<(Option<String>, String, String, bool), LabelRow> = BTreeMap::new();
    let mut words = LabelReport::default();
    for (m, text) in members.iter().zip(&texts) {
        let entities = find_entities(text, aliases);
        let labels = find_labels(text, &entities, m.outlet.as_deref());
        let outlet = m.outlet.as_deref().unwrap_or("(unknown outlet)");
        words.add(outlet, text, &entities, &labels);
        for l in labels {
            let label = l.label.to_lowercase();
            let row = rows
                .entry((
                    l.actor.clone(),
                    l.target.clone(),
                    label.clone(),
                    l.by_outlet,
                ))
                .or_insert_with(|| LabelRow {
                    actor: l.actor.clone(),
                    target: l.target.clone(),
                    label,
                    by_outlet: l.by_outlet,
                    outlets: Vec::new(),
                    articles: Vec::new(),
                    sentence: l.sentence.clone(),
                });
            if !row.articles.contains(&m.article.id) {
                row.articles.push(m.article.id.clone());
            }
            if !row.outlets.iter().any(|o| o == outlet) {
                row.outlets.push(outlet.to_string());
            }
        }
    }
    let mut labels: Vec<LabelRow> = rows.into_values().collect();
    labels.sort_by(|a, b| {
        b.articles
            .len()
            .cmp(&a.articles.len())
            .then(a.target.cmp(&b.target))
            .then(a.label.cmp(&b.label))
    });
    labels.truncate(LABEL_ROWS);
    let vocabulary = words
        .notable()
        .into_iter()
        .filter(|(_, t)| t.kind.is_some())
        .take(VOCABULARY)
        .map(|(name, t)| EntityVocabulary {
            entity: name.clone(),
            kind: t.kind.map(|k| k.as_str().to_string()),
            mentions: t.mentions,
            outlets: t
                .outlets
                .iter()
                .map(|(o, w)| OutletVocabulary {
                    outlet: o.clone(),
                    articles: w.articles,
                    names: sorted_counts(&w.names),
                    labels: sorted_counts(&w.labels),
                })
                .collect(),
        })
        .collect();

    StoryReport {
        timeline: timeline(members),
        summary,
        articles,
        quotes,
        coverage,
        per_day,
        labels,
        vocabulary,
    }
}
