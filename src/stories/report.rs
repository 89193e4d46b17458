//! One story, told: its summary, its articles (copies under their original), its timeline and
//! its key quotes, assembled from the stored members. `newsfold story` prints it; the JSON form
//! is what other front ends read.
//!
//! Pure assembly over values the store hands over; no clustering happens here.

use super::timeline::{timeline, Entry};
use super::Summary;
use crate::extract::QuoteKind;
use crate::store::StoredArticle;
use serde::Serialize;
use std::collections::BTreeMap;

/// A story with everything a reader looks at first.
#[derive(Debug, Clone, Serialize)]
pub struct StoryReport {
    pub summary: Summary,
    pub articles: Vec<ArticleLine>,
    pub timeline: Vec<Entry>,
    /// Direct quotes with a speaker, grouped by speaker (most quoted first).
    pub quotes: Vec<SpeakerQuotes>,
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
}

/// Speakers listed, most quoted first, and quotes kept per speaker.
const SPEAKERS: usize = 12;
const QUOTES_PER_SPEAKER: usize = 4;

/// Assemble the report of `summary` from its member articles (in the summary's order).
pub fn build(summary: Summary, members: &[StoredArticle]) -> StoryReport {
    let articles = members
        .iter()
        .map(|m| ArticleLine {
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
        })
        .collect();
    // speaker -> normalised quote -> (text, articles, outlets)
    let mut said: BTreeMap<String, BTreeMap<String, KeyQuote>> = BTreeMap::new();
    for m in members {
        for q in crate::extract::quotes::find_quotes(&m.article.text()) {
            let (Some(speaker), QuoteKind::Direct) = (&q.speaker, q.kind) else {
                continue;
            };
            if q.text.split_whitespace().count() < 4 {
                continue;
            }
            let key: String = q
                .text
                .chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect();
            let entry = said
                .entry(speaker.clone())
                .or_default()
                .entry(key)
                .or_insert_with(|| KeyQuote {
                    text: q.text.clone(),
                    articles: Vec::new(),
                    outlets: Vec::new(),
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
            let mut quotes: Vec<KeyQuote> = qs.into_values().collect();
            quotes.sort_by(|a, b| {
                b.articles
                    .len()
                    .cmp(&a.articles.len())
                    .then(b.text.len().cmp(&a.text.len()))
            });
            SpeakerQuotes { speaker, quotes }
        })
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
    StoryReport {
        timeline: timeline(members),
        summary,
        articles,
        quotes,
    }
}
