//! Stories in the store: every event and storyline with its summary (`stories`), each
//! article's event and storyline (`story_members`), and what they were built from
//! (`story_settings`).
//!
//! [`refresh`] runs after the copy refresh. It reads every stored article's features (in
//! parallel, a chunk at a time; sentence embeddings, when the model is installed, are kept in
//! `story_embeddings` so that each text is embedded once), clusters them with [`crate::stories::assign`] and replaces
//! the tables in one transaction, so a killed run leaves the previous stories. It does nothing
//! when neither the articles, their bodies, their copy groups nor the settings changed since
//! the last build. The rules of clustering are `stories`'; this module only reads and writes.

use super::Store;
use crate::error::{Error, Result};
use crate::extract::entities::AliasTable;
use crate::stories::{self, Corpus, Level, StoryConfig, Summary};
use rayon::prelude::*;
use rusqlite::{params, OptionalExtension};
use serde::Serialize;

/// Articles whose features are read per parallel step.
const CHUNK: usize = 1024;

/// What a refresh did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct StoryOutcome {
    /// Whether the stories were built again (nothing had changed otherwise).
    pub rebuilt: bool,
    pub events: usize,
    pub storylines: usize,
    /// Articles with neither a publication date nor a full date in their text.
    pub undated: usize,
    /// Whether sentence embeddings took part.
    pub embeddings: bool,
}

/// Sentence embeddings for the clustering: one unit vector per text.
pub trait Embed: Sync {
    fn embed(&self, texts: &[&str]) -> std::result::Result<Vec<Vec<f32>>, String>;
}

/// A fingerprint of what the stories depend on: the articles, their bodies, their copy groups
/// and the settings. Bodies are read through the copy index, which the copy refresh (run just
/// before) keeps current: `copy_sketches.exact` hashes each cleaned body's words, so a
/// re-cleaned body changes it, and no body text is read here.
fn fingerprint(store: &Store, cfg: &StoryConfig, embedding: bool) -> Result<String> {
    let (count, max_seq): (i64, i64) = store.conn.query_row(
        "SELECT COUNT(*), COALESCE(MAX(seq), 0) FROM articles",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let mut hasher = blake3::Hasher::new();
    let mut stmt = store.conn.prepare(
        "SELECT a.seq, s.exact, c.copy_group FROM articles a
         LEFT JOIN copy_sketches s ON s.seq = a.seq LEFT JOIN copies c ON c.seq = a.seq ORDER BY a.seq",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let (seq, exact, group): (i64, Option<i64>, Option<String>) =
            (r.get(0)?, r.get(1)?, r.get(2)?);
        hasher.update(format!("{seq}:{exact:?}:{group:?};").as_bytes());
    }
    let settings = serde_json::to_string(cfg).map_err(|e| Error::Internal(e.to_string()))?;
    Ok(format!(
        "articles={count} max_seq={max_seq} bodies_and_copies={} settings={settings} embeddings={embedding}",
        hasher.finalize().to_hex()
    ))
}

/// Bring the stories up to date with the stored articles (see the module's opening).
pub fn refresh(
    store: &mut Store,
    cfg: &StoryConfig,
    aliases: &AliasTable,
    embed: Option<&dyn Embed>,
) -> Result<StoryOutcome> {
    let print = fingerprint(store, cfg, embed.is_some())?;
    let before = generation(store)?;
    let mut outcome = StoryOutcome {
        embeddings: embed.is_some(),
        ..StoryOutcome::default()
    };
    if before.as_deref() == Some(print.as_str()) {
        let (events, storylines): (i64, i64) = store.conn.query_row(
            "SELECT COALESCE(SUM(level = 'event'), 0), COALESCE(SUM(level = 'storyline'), 0) FROM stories",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        outcome.events = events as usize;
        outcome.storylines = storylines as usize;
        return Ok(outcome);
    }
    let Read { corpus, embeddings } = read_corpus(store, aliases, embed, None)?;
    let found = stories::assign(&corpus, cfg, embeddings.as_deref());
    outcome.rebuilt = true;
    outcome.undated = found.undated;
    let tx = store.conn.transaction()?;
    tx.execute("DELETE FROM story_members", [])?;
    tx.execute("DELETE FROM stories", [])?;
    {
        let mut member = tx.prepare(
            "INSERT INTO story_members (seq, event, storyline) SELECT seq, ?2, ?3 FROM articles WHERE id = ?1",
        )?;
        for (i, a) in corpus.articles().iter().enumerate() {
            member.execute(params![a.id, found.event[i], found.storyline[i]])?;
        }
        let mut story = tx.prepare(
            "INSERT INTO stories (id, level, parent, first_seen, last_seen, articles, summary) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        for s in &found.summaries {
            match s.level {
                Level::Event => outcome.events += 1,
                Level::Storyline => outcome.storylines += 1,
            }
            let json = serde_json::to_string(s).map_err(|e| Error::Internal(e.to_string()))?;
            story.execute(params![
                s.id,
                s.level.as_str(),
                s.parent,
                s.first_seen.map(|d| d.to_string()),
                s.last_seen.map(|d| d.to_string()),
                s.articles as i64,
                json
            ])?;
        }
    }
    tx.execute(
        "INSERT OR REPLACE INTO story_settings (key, value) VALUES ('built_from', ?1)",
        [&print],
    )?;
    tx.commit()?;
    Ok(outcome)
}

/// What [`read_corpus`] read: every article's features and, when asked for, their embeddings
/// (one per article, in the same order).
pub struct Read {
    pub corpus: Corpus,
    pub embeddings: Option<Vec<Vec<f32>>>,
}

/// The hash an embedding is kept under: the first 8 bytes of the BLAKE3 hash of the text.
fn text_hash(text: &str) -> i64 {
    let h = blake3::hash(text.as_bytes());
    i64::from_le_bytes(h.as_bytes()[..8].try_into().expect("8 bytes"))
}

/// A kept embedding of this article's current text, if any.
fn kept_embedding(store: &Store, id: &str, hash: i64) -> Result<Option<Vec<f32>>> {
    let blob: Option<Vec<u8>> = store
        .conn
        .prepare_cached(
            "SELECT e.vector FROM story_embeddings e JOIN articles a ON a.seq = e.seq WHERE a.id = ?1 AND e.text_hash = ?2",
        )?
        .query_row(params![id, hash], |r| r.get(0))
        .optional()?;
    Ok(blob.map(|b| {
        b.chunks_exact(4)
            .map(|c| f32::from_le_bytes(c.try_into().expect("4 bytes")))
            .collect()
    }))
}

/// Every stored article's features in ingest order (the first `limit` only, if given), and its embedding when `embed` is given
/// (read from `story_embeddings` where the text is unchanged; the others computed and kept
/// there a chunk at a time, so that a killed run, at an hour for a large corpus, resumes
/// where it stopped).
pub fn read_corpus(
    store: &Store,
    aliases: &AliasTable,
    embed: Option<&dyn Embed>,
    limit: Option<usize>,
) -> Result<Read> {
    read_pages(store, aliases, embed, limit, CHUNK)
}

/// [`read_corpus`], `page` articles at a time.
fn read_pages(
    store: &Store,
    aliases: &AliasTable,
    embed: Option<&dyn Embed>,
    limit: Option<usize>,
    page: usize,
) -> Result<Read> {
    let mut corpus = Corpus::default();
    let mut embeddings: Vec<Vec<f32>> = Vec::new();
    // A page at a time, and no read open while a page's embeddings are written.
    let (mut after, mut left) = (0, limit.unwrap_or(usize::MAX));
    while left > 0 {
        let (chunk, last) = store.articles_after(after, left.min(page))?;
        if chunk.is_empty() {
            break;
        }
        (after, left) = (last, left - chunk.len());
        let feats: Vec<stories::Features> = chunk
            .par_iter()
            .map(|a| stories::features(a, aliases))
            .collect();
        if let Some(e) = embed {
            let texts: Vec<String> = chunk
                .iter()
                .map(|a| stories::embedding_text(&a.article))
                .collect();
            let mut vectors: Vec<Option<Vec<f32>>> = Vec::with_capacity(chunk.len());
            let mut missing: Vec<usize> = Vec::new();
            for (k, (a, t)) in chunk.iter().zip(&texts).enumerate() {
                let kept = kept_embedding(store, &a.article.id, text_hash(t))?;
                if kept.is_none() {
                    missing.push(k);
                }
                vectors.push(kept);
            }
            if !missing.is_empty() {
                let refs: Vec<&str> = missing.iter().map(|&k| texts[k].as_str()).collect();
                let computed = e
                    .embed(&refs)
                    .map_err(|m| Error::Internal(format!("embedding: {m}")))?;
                let tx = store.conn.unchecked_transaction()?;
                {
                    let mut keep = tx.prepare_cached(
                        "INSERT OR REPLACE INTO story_embeddings (seq, text_hash, vector) SELECT seq, ?2, ?3 FROM articles WHERE id = ?1",
                    )?;
                    for (&k, v) in missing.iter().zip(computed) {
                        let blob: Vec<u8> = v.iter().flat_map(|x| x.to_le_bytes()).collect();
                        keep.execute(params![chunk[k].article.id, text_hash(&texts[k]), blob])?;
                        vectors[k] = Some(v);
                    }
                }
                tx.commit()?;
            }
            embeddings.extend(vectors.into_iter().map(|v| v.unwrap_or_default()));
        }
        for f in feats {
            corpus.push(f);
        }
    }
    Ok(Read {
        corpus,
        embeddings: embed.map(|_| embeddings),
    })
}

/// Stories of one level, newest first (by last article date; undated last), at most `limit`.
pub fn list(store: &Store, level: Level, limit: Option<usize>) -> Result<Vec<Summary>> {
    let mut stmt = store.conn.prepare(
        "SELECT summary FROM stories WHERE level = ?1 ORDER BY last_seen IS NULL, last_seen DESC, id LIMIT ?2",
    )?;
    let limit = limit.map(|l| l as i64).unwrap_or(-1);
    let rows = stmt.query_map(params![level.as_str(), limit], |r| r.get::<_, String>(0))?;
    rows.map(|r| parse_summary(&r?)).collect()
}

/// The story with this id, or whose id starts with it (an article id's prefix after `ev_` or
/// `sl_`). Ambiguous prefixes are a usage error.
pub fn get(store: &Store, id: &str) -> Result<Option<Summary>> {
    let mut stmt = store.conn.prepare(
        "SELECT summary FROM stories WHERE id >= ?1 AND id < ?1 || 'g' ORDER BY id LIMIT 2",
    )?;
    let found: Vec<String> = stmt
        .query_map([id], |r| r.get(0))?
        .collect::<std::result::Result<_, _>>()?;
    match found.len() {
        0 => Ok(None),
        1 => parse_summary(&found[0]).map(Some),
        _ => Err(Error::Usage(format!(
            "{id:?} matches several stories; give more digits"
        ))),
    }
}

/// An article's event and storyline ids, by article id.
pub fn of_article(store: &Store, article: &str) -> Result<Option<(String, String)>> {
    Ok(store
        .conn
        .query_row(
            "SELECT s.event, s.storyline FROM story_members s JOIN articles a ON a.seq = s.seq WHERE a.id = ?1",
            [article],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

fn parse_summary(json: &str) -> Result<Summary> {
    serde_json::from_str(json).map_err(|e| Error::Internal(format!("stored story unreadable: {e}")))
}

/// The fingerprint of the stories' last build, `None` before the first: it changes whenever
/// the stories are built again, so readers that keep stories between requests check it.
pub fn generation(store: &Store) -> Result<Option<String>> {
    // Cached: the desk asks this before every request it answers.
    Ok(store
        .conn
        .prepare_cached("SELECT value FROM story_settings WHERE key = 'built_from'")?
        .query_row([], |r| r.get(0))
        .optional()?)
}

/// Every article's event, by article id: what a reader that places many articles at once
/// (search results) keeps instead of asking [`of_article`] for each.
pub fn events_by_article(store: &Store) -> Result<std::collections::HashMap<String, String>> {
    let mut stmt = store
        .conn
        .prepare("SELECT a.id, s.event FROM story_members s JOIN articles a ON a.seq = s.seq")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    rows.map(|r| r.map_err(Error::from)).collect()
}

/// A story's member articles, in the summary's order (members no longer stored are left out).
pub fn members(store: &Store, summary: &Summary) -> Result<Vec<super::StoredArticle>> {
    let mut out = Vec::with_capacity(summary.members.len());
    for id in &summary.members {
        if let Some(a) = store.article(id)? {
            out.push(a);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::pipeline::{self, Quiet};
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Writes to the store through a connection of its own each time it is asked to embed, as
    /// another newsfold process would, and gives every text the same unit vector.
    struct Interfering {
        path: std::path::PathBuf,
        calls: AtomicUsize,
    }

    impl Embed for Interfering {
        fn embed(&self, texts: &[&str]) -> std::result::Result<Vec<Vec<f32>>, String> {
            let n = self.calls.fetch_add(1, Ordering::SeqCst);
            let other = Store::open(&self.path).map_err(|e| e.to_string())?;
            other
                .conn
                .execute(
                    "INSERT OR REPLACE INTO story_settings (key, value) VALUES ('other', ?1)",
                    [n.to_string()],
                )
                .map_err(|e| e.to_string())?;
            Ok(texts.iter().map(|_| vec![1.0, 0.0, 0.0]).collect())
        }
    }

    #[test]
    fn embeddings_are_kept_while_another_process_writes() {
        // Regression (issue 6): the articles were read by one query left open while each
        // chunk's embeddings were written. Once another process had written to the store,
        // SQLite refused the next write ("database is locked") and the hour-long run stopped.
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("wire.jsonl");
        let lines: Vec<String> = (1..=5)
            .map(|i| {
                serde_json::json!({
                    "title": format!("Harbour board meeting {i}"),
                    "date": "2020-03-02",
                    "text": format!("The harbour board of Lisbon met for the {i}th time this year and agreed on nothing."),
                })
                .to_string()
            })
            .collect();
        std::fs::write(&input, lines.join("\n")).unwrap();
        let path = dir.path().join("store.db");
        let mut store = Store::open(&path).unwrap();
        let mut config = Config::default();
        config.stories.embeddings = false;
        let args = vec![input.display().to_string()];
        pipeline::ingest(&mut store, &args, &config, &Quiet).unwrap();
        let embed = Interfering {
            path,
            calls: AtomicUsize::new(0),
        };
        let aliases = config.extract.alias_table().unwrap();
        let read = read_pages(&store, &aliases, Some(&embed), None, 2).unwrap();
        assert_eq!(embed.calls.load(Ordering::SeqCst), 3);
        assert_eq!(read.corpus.len(), 5);
        assert_eq!(read.embeddings.map(|e| e.len()), Some(5));
        let kept: i64 = store
            .conn
            .query_row("SELECT COUNT(*) FROM story_embeddings", [], |r| r.get(0))
            .unwrap();
        assert_eq!(kept, 5);
        // A limit stops inside a page.
        assert_eq!(
            read_pages(&store, &aliases, None, Some(3), 2)
                .unwrap()
                .corpus
                .len(),
            3
        );
    }
}
