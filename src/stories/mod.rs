//! Stories: articles grouped into events (one happening, covered by several outlets) and
//! events chained into storylines (the same actors and topic over weeks), with a summary of
//! each and, on demand, its timeline.
//!
//! The stage reads stored articles as [`Features`] (terms, entities, the date), lets each copy
//! group's original stand for its copies, clusters those with [`cluster::cluster`] and names
//! every event and storyline by its first article (date order, then id), so ids stay put while
//! a story grows. It is a pure function of the features and the settings; `store::stories`
//! keeps its answer and `pipeline` runs it after the copy refresh. It is not a topic
//! classifier and not a search index.

pub mod cluster;
pub mod embed;
pub mod report;
pub mod terms;
pub mod timeline;

pub use cluster::StoryConfig;

use crate::extract::entities::{AliasTable, EntityKind};
use crate::store::StoredArticle;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What the stories stage needs of one article.
#[derive(Debug, Clone, PartialEq)]
pub struct Features {
    pub id: String,
    /// The input it was read from (its source path without a record's `#N`), for
    /// [`placed_dates`].
    pub input: String,
    /// The publication date, or the one its text suggests ([`DateBasis`]).
    pub date: Option<NaiveDate>,
    pub dated_by: DateBasis,
    pub outlet: Option<String>,
    pub title: Option<String>,
    /// The copy group's id (its original's article id), if the article has copies.
    pub copy_group: Option<String>,
    pub terms: Vec<(String, f32)>,
    /// Canonical names of its people, organisations and places, most mentioned first.
    pub entities: Vec<String>,
}

/// Where an article's date for the stories stage came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateBasis {
    /// Its publication date (stated, or a lower bound read from the page).
    Published,
    /// No publication date: the latest full date its text mentions.
    Text,
    /// No date at all: placed, for clustering only, between the dated articles beside it in
    /// its input in ingest order ([`placed_dates`]).
    None,
}

/// The features of one stored article: its terms and entities read from the cleaned body.
pub fn features(a: &StoredArticle, aliases: &AliasTable) -> Features {
    let text = a.article.text();
    let title = a.article.meta.title.as_ref().map(|t| t.value.clone());
    let entities = crate::extract::entities::find_entities(&text, aliases);
    let terms = terms::article_terms(title.as_deref().unwrap_or(""), &text, &entities);
    let mut named: Vec<(usize, &str)> = entities
        .iter()
        .filter(|e| e.kind != EntityKind::Other)
        .map(|e| (e.mentions.len(), e.name.as_str()))
        .collect();
    named.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    let (date, dated_by) = match &a.article.meta.published {
        Some(p) => (Some(p.value.date), DateBasis::Published),
        None => {
            let mentions = crate::extract::dates::find_dates(&text, None);
            match crate::extract::dates::infer_published(&mentions) {
                Some((d, _, _)) => (Some(d), DateBasis::Text),
                None => (None, DateBasis::None),
            }
        }
    };
    Features {
        id: a.article.id.clone(),
        input: input_of(&a.article.source_path).to_string(),
        date,
        dated_by,
        outlet: a.outlet.clone(),
        title,
        copy_group: a.copy.as_ref().map(|c| c.group.clone()),
        terms,
        entities: named.into_iter().map(|(_, n)| n.to_string()).collect(),
    }
}

/// The input a source path names: the path without a record's `#N` (JSONL, WARC and
/// multi-page inputs number their records so).
fn input_of(source_path: &str) -> &str {
    match source_path.rsplit_once('#') {
        Some((file, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => file,
        _ => source_path,
    }
}

/// Words of the body the sentence embedding reads, after the title: the lead, where a news
/// article says what happened. On stories-dev among AllSides, 60 words cluster as well as 200
/// did (events F1 0.870 at their best thresholds) and embed four times as fast, since the
/// model's cost grows with the word pieces it reads (`docs/embeddings.md`).
pub const EMBEDDED_WORDS: usize = 60;

/// What the sentence-embedding model reads of an article: its title and the first
/// [`EMBEDDED_WORDS`] words of its body.
pub fn embedding_text(a: &crate::model::Article) -> String {
    let title = a.meta.title.as_ref().map(|t| t.value.as_str());
    let body = a.paragraphs.iter().flat_map(|p| p.split_whitespace());
    let words: Vec<&str> = title.into_iter().chain(body.take(EMBEDDED_WORDS)).collect();
    words.join(" ")
}

/// The features of a whole corpus, with their terms interned ([`terms::Interner`]).
#[derive(Debug, Default)]
pub struct Corpus {
    articles: Vec<Features>,
    terms: Vec<Vec<(u32, f32)>>,
    interner: terms::Interner,
}

impl Corpus {
    /// Add one article's features (its terms move into the corpus's compact form).
    pub fn push(&mut self, mut f: Features) {
        let t = std::mem::take(&mut f.terms);
        self.terms.push(self.interner.intern(t));
        self.articles.push(f);
    }

    /// The articles in the order they were pushed (their `terms` are empty: the corpus holds
    /// them).
    pub fn articles(&self) -> &[Features] {
        &self.articles
    }

    pub fn len(&self) -> usize {
        self.articles.len()
    }

    /// The corpus of the articles at `keep`, in that order: what reading just those articles
    /// would give (the term ids kept are a superset, numbered in the same order).
    pub fn subset(&self, keep: &[usize]) -> Corpus {
        Corpus {
            articles: keep.iter().map(|&i| self.articles[i].clone()).collect(),
            terms: keep.iter().map(|&i| self.terms[i].clone()).collect(),
            interner: self.interner.clone(),
        }
    }

    /// Every article's TF-IDF vector over the whole corpus (for diagnostics: the clustering
    /// counts a copy group once).
    pub fn vectors(&self) -> Vec<terms::Vector> {
        let renumber = self.interner.finish();
        let terms: Vec<Vec<(u32, f32)>> = self
            .terms
            .iter()
            .map(|t| {
                let mut t: Vec<(u32, f32)> = t
                    .iter()
                    .map(|&(id, w)| (renumber[id as usize], w))
                    .collect();
                t.sort_unstable_by_key(|x| x.0);
                t
            })
            .collect();
        let vocab = terms::Vocabulary::build(renumber.len(), terms.iter().map(|t| t.as_slice()));
        terms.iter().map(|t| vocab.vector(t)).collect()
    }

    pub fn is_empty(&self) -> bool {
        self.articles.is_empty()
    }
}

/// The sentence embedder the settings ask for: `Ok(None)` when they turn embeddings off,
/// `Err(reason)` when the model is not installed or cannot be read (the stories stage then
/// works on lexical similarity alone, and the reason is worth telling the user once).
pub fn embedder(cfg: &StoryConfig) -> Result<Option<embed::Embedder>, String> {
    if !cfg.embeddings {
        return Ok(None);
    }
    let dir = cfg
        .model_dir
        .clone()
        .unwrap_or_else(embed::Embedder::default_dir);
    embed::Embedder::load(&dir)
        .map(Some)
        .map_err(|e| e.to_string())
}

/// Whether a story is one event or a storyline of events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Event,
    Storyline,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Event => "event",
            Level::Storyline => "storyline",
        }
    }

    pub fn parse(s: &str) -> Option<Level> {
        match s {
            "event" => Some(Level::Event),
            "storyline" => Some(Level::Storyline),
            _ => None,
        }
    }
}

/// Which stories a listing keeps: those with an article in the date range, covered by the
/// outlet and naming the entity among their main ones (names in any case), of at least
/// `min_articles` articles. `newsfold stories` and the desk filter alike.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub outlet: Option<String>,
    pub entity: Option<String>,
    pub min_articles: usize,
}

impl Filter {
    pub fn keeps(&self, s: &Summary) -> bool {
        let same = |a: &str, b: &str| a.to_lowercase() == b.to_lowercase();
        let after = self
            .from
            .is_none_or(|f| s.last_seen.is_some_and(|l| l >= f));
        let before = self.to.is_none_or(|t| s.first_seen.is_some_and(|f| f <= t));
        let outlet = self
            .outlet
            .as_ref()
            .is_none_or(|o| s.outlets.iter().any(|(n, _)| same(n, o)));
        let entity = self
            .entity
            .as_ref()
            .is_none_or(|e| s.entities.iter().any(|(n, _)| same(n, e)));
        after && before && outlet && entity && s.articles >= self.min_articles
    }
}

/// One event or storyline, summarised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// `ev_` or `sl_` and the id of its first article (date order, then id).
    pub id: String,
    pub level: Level,
    /// The title of the member closest to the story's centroid.
    pub headline: Option<String>,
    /// The article that headline is from.
    pub headline_article: String,
    pub first_seen: Option<NaiveDate>,
    pub last_seen: Option<NaiveDate>,
    pub articles: usize,
    /// Copy groups count once: the independent reports.
    pub sources: usize,
    /// Outlets with the number of articles of each, most first.
    pub outlets: Vec<(String, usize)>,
    /// Entities named by the most articles, with their count.
    pub entities: Vec<(String, usize)>,
    /// For an event, its storyline; for a storyline, its events in date order.
    pub parent: Option<String>,
    pub events: Vec<String>,
    /// Member article ids in date order (then id).
    pub members: Vec<String>,
}

/// The stage's answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Stories {
    /// Per input article (in the caller's order): its event's and storyline's ids.
    pub event: Vec<String>,
    pub storyline: Vec<String>,
    /// Events, then storylines, in order of first date.
    pub summaries: Vec<Summary>,
    /// Items clustered: copy groups count once.
    pub items: usize,
    /// Articles without any date (publication or text).
    pub undated: usize,
}

/// Each article's dates for clustering: its own day, or for an undated one the days of the
/// dated articles on either side of it in its input, in ingest order (the one day of the only
/// side there is, at an end). A crawl, a WARC or a JSONL dump is written about in the order it
/// was fetched, so an undated record is most likely from the days of the records beside it;
/// comparing it with every story instead lets it join none. Two undated records side by side
/// get the same days, whatever those are. An input with no dated article (a single page, say)
/// lends no date, so the result does not depend on the order in which inputs were given.
/// Summaries and timelines keep the articles' own dates.
pub fn placed_dates(articles: &[Features]) -> Vec<Option<cluster::Dates>> {
    use cluster::Dates;
    let mut inputs: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, a) in articles.iter().enumerate() {
        inputs.entry(a.input.as_str()).or_default().push(i);
    }
    let mut placed: Vec<Option<Dates>> = articles.iter().map(|a| a.date.map(Dates::on)).collect();
    for list in inputs.values() {
        let mut before = Vec::with_capacity(list.len());
        let mut last = None;
        for &i in list {
            last = articles[i].date.or(last);
            before.push(last);
        }
        let mut next = None;
        for (k, &i) in list.iter().enumerate().rev() {
            next = articles[i].date.or(next);
            placed[i] = match (before[k], next) {
                (Some(b), Some(n)) => Some(Dates::between(b, n)),
                (Some(d), None) | (None, Some(d)) => Some(Dates::on(d)),
                (None, None) => None,
            };
        }
    }
    placed
}

/// The first [`cluster::ITEM_ENTITIES`] names of each list (all the clustering reads) as ids,
/// numbered in the sorted order of all those names, so that ids compare as their names do:
/// the clustering compares numbers, not strings, millions of times.
pub fn entity_ids<'a>(lists: impl Iterator<Item = &'a [String]> + Clone) -> Vec<Vec<u32>> {
    let head = |l: &'a [String]| l.iter().take(cluster::ITEM_ENTITIES).map(String::as_str);
    let mut names: Vec<&str> = lists.clone().flat_map(head).collect();
    names.sort_unstable();
    names.dedup();
    let id: rustc_hash::FxHashMap<&str, u32> = names
        .into_iter()
        .enumerate()
        .map(|(i, n)| (n, i as u32))
        .collect();
    lists.map(|l| head(l).map(|n| id[n]).collect()).collect()
}

/// Main entities listed per story.
const SUMMARY_ENTITIES: usize = 10;

/// Cluster articles into events and storylines. `embeddings`, when given, holds one unit
/// vector per article (only the copy groups' representatives are read).
pub fn assign(corpus: &Corpus, cfg: &StoryConfig, embeddings: Option<&[Vec<f32>]>) -> Stories {
    let articles = corpus.articles();
    let renumber = corpus.interner.finish();
    let terms_of = |i: usize| -> Vec<(u32, f32)> {
        let mut t: Vec<(u32, f32)> = corpus.terms[i]
            .iter()
            .map(|&(id, w)| (renumber[id as usize], w))
            .collect();
        t.sort_unstable_by_key(|x| x.0);
        t
    };
    // One item per copy group: its original where present, else its first member by id.
    let mut rep_of_group: BTreeMap<&str, usize> = BTreeMap::new();
    let mut rep = vec![0; articles.len()];
    let mut items_of: Vec<usize> = Vec::new();
    let mut order: Vec<usize> = (0..articles.len()).collect();
    order.sort_by(|&a, &b| {
        let orig = |i: usize| articles[i].copy_group.as_deref() != Some(articles[i].id.as_str());
        (orig(a), &articles[a].id).cmp(&(orig(b), &articles[b].id))
    });
    for &i in &order {
        let a = &articles[i];
        let slot = match &a.copy_group {
            Some(g) => *rep_of_group.entry(g.as_str()).or_insert_with(|| {
                items_of.push(i);
                items_of.len() - 1
            }),
            None => {
                items_of.push(i);
                items_of.len() - 1
            }
        };
        rep[i] = slot;
    }
    let item_terms: Vec<Vec<(u32, f32)>> = items_of.iter().map(|&i| terms_of(i)).collect();
    let vocab = terms::Vocabulary::build(renumber.len(), item_terms.iter().map(|t| t.as_slice()));
    let placed = placed_dates(articles);
    let entities = entity_ids(items_of.iter().map(|&i| articles[i].entities.as_slice()));
    let titles = terms::title_vectors(items_of.iter().map(|&i| articles[i].title.as_deref()));
    let items: Vec<cluster::Item> = items_of
        .iter()
        .zip(&item_terms)
        .zip(entities)
        .zip(titles)
        .map(|(((&i, t), entities), title)| {
            let a = &articles[i];
            cluster::Item {
                id: a.id.clone(),
                date: placed[i],
                vector: vocab.vector(t),
                title,
                entities,
                embedding: embeddings.map(|e| e[i].clone()),
            }
        })
        .collect();
    let clustering = cluster::cluster(&items, cfg);

    // Members of each item: the articles it stands for.
    let mut members_of: Vec<Vec<usize>> = vec![Vec::new(); items.len()];
    for (i, &slot) in rep.iter().enumerate() {
        members_of[slot].push(i);
    }
    let summarise = |level: Level, its: &[usize]| -> Summary {
        let mut arts: Vec<usize> = its
            .iter()
            .flat_map(|&k| members_of[k].iter().copied())
            .collect();
        arts.sort_by(|&a, &b| {
            let (x, y) = (&articles[a], &articles[b]);
            (x.date.is_none(), x.date, &x.id).cmp(&(y.date.is_none(), y.date, &y.id))
        });
        let prefix = match level {
            Level::Event => "ev_",
            Level::Storyline => "sl_",
        };
        // The headline: the titled item closest to the story's centroid.
        let mut centroid: rustc_hash::FxHashMap<u32, f32> = Default::default();
        for &k in its {
            for (t, w) in &items[k].vector {
                *centroid.entry(*t).or_default() += w;
            }
        }
        let closeness = |k: usize| -> f32 {
            items[k]
                .vector
                .iter()
                .map(|(t, w)| centroid.get(t).copied().unwrap_or(0.0) * w)
                .sum()
        };
        let head = its
            .iter()
            .copied()
            .filter(|&k| articles[items_of[k]].title.is_some())
            .map(|k| (closeness(k), k))
            .max_by(|a, b| a.0.total_cmp(&b.0).then(items[b.1].id.cmp(&items[a.1].id)))
            .map_or(its[0], |(_, k)| k);
        let mut outlets: BTreeMap<&str, usize> = BTreeMap::new();
        let mut entities: BTreeMap<&str, usize> = BTreeMap::new();
        for &a in &arts {
            if let Some(o) = &articles[a].outlet {
                *outlets.entry(o).or_default() += 1;
            }
        }
        for &k in its {
            for e in articles[items_of[k]].entities.iter().take(SUMMARY_ENTITIES) {
                *entities.entry(e).or_default() += 1;
            }
        }
        let ranked = |m: BTreeMap<&str, usize>, n: usize| -> Vec<(String, usize)> {
            let mut v: Vec<(String, usize)> =
                m.into_iter().map(|(k, c)| (k.to_string(), c)).collect();
            v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            v.truncate(n);
            v
        };
        let dates: Vec<NaiveDate> = arts.iter().filter_map(|&a| articles[a].date).collect();
        Summary {
            id: format!("{prefix}{}", articles[arts[0]].id),
            level,
            headline: articles[items_of[head]].title.clone(),
            headline_article: articles[items_of[head]].id.clone(),
            first_seen: dates.iter().min().copied(),
            last_seen: dates.iter().max().copied(),
            articles: arts.len(),
            sources: its.len(),
            outlets: ranked(outlets, usize::MAX),
            entities: ranked(entities, SUMMARY_ENTITIES),
            parent: None,
            events: Vec::new(),
            members: arts.iter().map(|&a| articles[a].id.clone()).collect(),
        }
    };
    let mut events: Vec<Summary> = clustering
        .events
        .iter()
        .map(|m| summarise(Level::Event, m))
        .collect();
    let mut lines: Vec<Summary> = clustering
        .storylines
        .iter()
        .map(|evs| {
            let its: Vec<usize> = evs
                .iter()
                .flat_map(|&e| clustering.events[e].iter().copied())
                .collect();
            let mut s = summarise(Level::Storyline, &its);
            s.events = evs.iter().map(|&e| events[e].id.clone()).collect();
            s
        })
        .collect();
    for (l, evs) in clustering.storylines.iter().enumerate() {
        for &e in evs {
            events[e].parent = Some(lines[l].id.clone());
        }
    }
    let event: Vec<String> = rep
        .iter()
        .map(|&k| events[clustering.event_of[k]].id.clone())
        .collect();
    let storyline: Vec<String> = rep
        .iter()
        .map(|&k| lines[clustering.storyline_of[k]].id.clone())
        .collect();
    let undated = articles.iter().filter(|a| a.date.is_none()).count();
    events.append(&mut lines);
    Stories {
        event,
        storyline,
        summaries: events,
        items: items.len(),
        undated,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dated(input: &str, day: Option<u32>) -> Features {
        Features {
            id: String::new(),
            input: input.into(),
            date: day.map(|d| NaiveDate::from_ymd_opt(2016, 7, d).expect("a July day")),
            dated_by: DateBasis::None,
            outlet: None,
            title: None,
            copy_group: None,
            terms: Vec::new(),
            entities: Vec::new(),
        }
    }

    #[test]
    fn the_model_reads_the_title_and_the_lead_only() {
        let body: Vec<String> = (0..EMBEDDED_WORDS + 40).map(|i| format!("w{i}")).collect();
        let record = serde_json::json!({"title": "A harbour closes", "text": body.join(" ")});
        let raw = crate::model::RawDocument {
            source_path: "t.jsonl#1".into(),
            container: Some(crate::model::Format::Jsonl),
            compression: crate::model::Compression::None,
            bytes: record.to_string().into_bytes(),
            hints: Default::default(),
        };
        let parsed = crate::ingest::parse_document(&raw, &Default::default()).expect("parses");
        let text = embedding_text(&parsed.article);
        let words: Vec<&str> = text.split_whitespace().collect();
        assert_eq!(words[..3], ["A", "harbour", "closes"]);
        assert_eq!(words.len(), 3 + EMBEDDED_WORDS);
        assert_eq!(
            words.last(),
            Some(&format!("w{}", EMBEDDED_WORDS - 1).as_str())
        );
    }

    #[test]
    fn undated_articles_are_placed_between_the_dated_ones_beside_them() {
        let day = |d| NaiveDate::from_ymd_opt(2016, 7, d).expect("a July day");
        let days = [
            None,
            Some(3),
            None,
            None,
            Some(9),
            Some(20),
            None,
            Some(4),
            None,
        ];
        // Another input's records interleaved lend nothing and borrow nothing from these.
        let mut articles = Vec::new();
        for &d in &days {
            articles.push(dated("crawl.warc", d));
            articles.push(dated("page.html", None));
        }
        let placed = placed_dates(&articles);
        let crawl: Vec<_> = placed.iter().step_by(2).copied().collect();
        let on = |d| Some(cluster::Dates::on(day(d)));
        let between = |a, b| Some(cluster::Dates::between(day(a), day(b)));
        assert_eq!(
            crawl,
            vec![
                on(3), // only a later one
                on(3),
                between(3, 9), // two side by side get the same days
                between(3, 9),
                on(9),
                on(20),
                between(4, 20), // the later side is the earlier day
                on(4),
                on(4), // only an earlier one
            ]
        );
        assert!(placed.iter().skip(1).step_by(2).all(Option::is_none));
        assert!(placed_dates(&[]).is_empty());
    }

    #[test]
    fn a_subset_clusters_as_a_corpus_of_just_those_articles() {
        let article = |k: u32, words: &[&str]| Features {
            id: format!("a{k}"),
            terms: words.iter().map(|w| (w.to_string(), 1.0)).collect(),
            entities: vec![words[0].to_string()],
            ..dated("feed.jsonl", Some(1 + k / 3))
        };
        let all: Vec<Features> = (0..9)
            .map(|k| match k % 3 {
                0 => article(k, &["syria", "ceasefire", "kerry", "lavrov"]),
                1 => article(k, &["syria", "ceasefire", "aleppo", "lavrov"]),
                _ => article(k, &["election", "debate", "ratings", "moderator"]),
            })
            .collect();
        let mut corpus = Corpus::default();
        for f in &all {
            corpus.push(f.clone());
        }
        let keep = [7, 0, 4, 3, 8];
        let mut fresh = Corpus::default();
        for &k in &keep {
            fresh.push(all[k].clone());
        }
        let cfg = StoryConfig::default();
        let got = assign(&corpus.subset(&keep), &cfg, None);
        assert_eq!(got, assign(&fresh, &cfg, None));
        assert_eq!(got.event.len(), keep.len());
        assert!(got.event[1] == got.event[2] && got.event[4] != got.event[1]);
    }

    #[test]
    fn the_input_is_the_source_path_without_the_record_number() {
        for (path, input) in [
            ("dump.jsonl.zst#12", "dump.jsonl.zst"),
            ("pages/a#b.html", "pages/a#b.html"),
            ("pages/a#2.html#7", "pages/a#2.html"),
            ("odd#", "odd#"),
        ] {
            assert_eq!(input_of(path), input);
        }
    }
}
