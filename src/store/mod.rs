//! The embedded store: SQLite (WAL mode) holding every raw input verbatim, the articles with
//! their paragraphs and metadata provenance, the outlet registry and the failures of past
//! runs.
//!
//! Writes come in batches, each one transaction, so a run killed at any point leaves a store
//! that holds whole batches only; re-running the same command finishes the job, because raw
//! documents are keyed by the hash of their bytes and whole inputs by the hash of theirs. The
//! store knows nothing of parsing or of the CLI. `Store::open_in_memory` is the twin for tests.

pub mod copies;
pub mod evidence;
pub mod outlets;
pub mod schema;
pub mod search;
mod snippets;
pub mod stories;

use crate::clean::{self, Block, CleanConfig};
use crate::error::{Error, Result};
use crate::ingest::Parsed;
use crate::model::{Article, Compression, CopyMember, Format, Metadata, StoryMember};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use std::path::{Path, PathBuf};

pub struct Store {
    conn: Connection,
    registry: outlets::Registry,
    /// The file the store lives in; `None` in memory.
    path: Option<PathBuf>,
}

/// The input a batch of documents came from.
#[derive(Debug, Clone)]
pub struct InputRecord {
    pub hash: String,
    pub path: String,
    pub size: u64,
    pub compression: &'static str,
}

/// One document ready to store: the parsed article, its blocks as the cleaner read them, and
/// its raw bytes, compressed for the store. Prepared where the parsing happens (in parallel),
/// so the writer only writes.
pub struct Accepted {
    pub parsed: Parsed,
    pub blocks: Vec<Block>,
    raw_size: usize,
    zbytes: Vec<u8>,
    blocks_json: String,
    compression: &'static str,
}

impl Accepted {
    pub fn prepare(mut parsed: Parsed, raw: &[u8], compression: Compression) -> Result<Accepted> {
        // The paragraphs move into the blocks; the store writes the cleaned ones.
        let paragraphs = std::mem::take(&mut parsed.article.paragraphs);
        let blocks = clean::analyse(paragraphs, &parsed.page);
        Ok(Accepted {
            zbytes: zstd::bulk::compress(raw, 3)
                .map_err(|e| Error::Internal(format!("zstd: {e}")))?,
            blocks_json: evidence::to_json(&blocks)?,
            blocks,
            raw_size: raw.len(),
            compression: compression.as_str(),
            parsed,
        })
    }
}

/// What a batch did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct BatchOutcome {
    pub added: usize,
    pub already_stored: usize,
}

/// An article as stored, with its outlet's current canonical name and its place among
/// copies; its metadata includes what it inherits from its copies.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredArticle {
    pub article: Article,
    pub outlet: Option<String>,
    pub copy: Option<CopyMember>,
    pub story: Option<StoryMember>,
}

/// The columns `read_article` reads, and the joins they come from.
const ARTICLE_SELECT: &str = "SELECT a.id, a.raw_hash, a.external_id, a.source_path, a.format, a.meta, a.paragraphs, o.name, a.furniture, a.comments,
        c.copy_group, c.relation, c.copy_of, c.jaccard, c.containment, c.inherited, s.event, s.storyline, a.seq
     FROM articles a LEFT JOIN outlets o ON o.id = a.outlet_id LEFT JOIN copies c ON c.seq = a.seq
     LEFT JOIN story_members s ON s.seq = a.seq";

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Stats {
    pub inputs: i64,
    pub inputs_incomplete: i64,
    pub raw_documents: i64,
    pub raw_bytes: i64,
    pub articles: i64,
    pub outlets: i64,
    pub undated: i64,
    /// Articles whose every block was furniture: kept, with an empty body.
    pub empty_bodies: i64,
    pub failures: i64,
    pub by_format: Vec<(String, i64)>,
    pub by_outlet: Vec<(String, i64)>,
    pub by_date_source: Vec<(String, i64)>,
    /// Copy groups of two or more articles.
    pub copy_groups: i64,
    /// Articles in copy groups by relation (`original`, `same_document`, ...).
    pub by_copy_relation: Vec<(String, i64)>,
}

impl Store {
    /// Open (creating if need be) the store at `path`, applying pending migrations.
    pub fn open(path: &Path) -> Result<Store> {
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        Store::init(conn, Some(path.to_path_buf()))
    }

    /// A store that lives in memory: for tests and one-off runs.
    pub fn open_in_memory() -> Result<Store> {
        Store::init(Connection::open_in_memory()?, None)
    }

    /// The file this store lives in, or `None` for a store in memory. What stands beside it
    /// (the search index, [`search::SearchIndex::dir_for`]) is found from it.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    fn init(mut conn: Connection, path: Option<PathBuf>) -> Result<Store> {
        let display = path
            .as_ref()
            .map_or(":memory:".to_string(), |p| p.display().to_string());
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version > schema::latest() {
            return Err(Error::SchemaTooNew {
                path: display,
                found: version,
                known: schema::latest(),
            });
        }
        for (i, sql) in schema::MIGRATIONS.iter().enumerate().skip(version as usize) {
            let tx = conn.transaction()?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", i as i64 + 1)?;
            tx.commit()?;
        }
        // The bundled outlets are registered at every open: registering is idempotent, a store
        // made by an older release gains the entries added since, and a crash between the
        // migration and this step cannot leave a store without them.
        let mut registry = outlets::Registry::load(&conn)?;
        let tx = conn.transaction()?;
        for entry in outlets::builtin() {
            registry.register(&tx, &entry, "builtin")?;
        }
        tx.commit()?;
        Ok(Store {
            conn,
            registry,
            path,
        })
    }

    /// Whether every document of an input with these bytes was stored before.
    pub fn input_complete(&self, hash: &str) -> Result<bool> {
        let done: Option<i64> = self
            .conn
            .query_row("SELECT complete FROM inputs WHERE hash = ?1", [hash], |r| {
                r.get(0)
            })
            .optional()?;
        Ok(done == Some(1))
    }

    /// Store one batch of documents from `input` in one transaction, and the failures met
    /// while reading them; count the batch's blocks as evidence and clean its articles with
    /// it. `last` marks the input as completely read.
    pub fn write_batch(
        &mut self,
        input: &InputRecord,
        accepted: Vec<Accepted>,
        failures: &[(String, String)],
        last: bool,
        clean_cfg: &CleanConfig,
    ) -> Result<BatchOutcome> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT OR IGNORE INTO inputs (hash, path, size, compression) VALUES (?1, ?2, ?3, ?4)",
            params![input.hash, input.path, input.size as i64, input.compression],
        )?;
        let mut outcome = BatchOutcome::default();
        let mut stored = Vec::with_capacity(accepted.len());
        for doc in accepted {
            let article = &doc.parsed.article;
            let inserted = tx.execute(
                "INSERT OR IGNORE INTO raw_documents (hash, source_path, input_hash, compression, size, zbytes)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![article.raw_hash, article.source_path, input.hash, doc.compression, doc.raw_size as i64, doc.zbytes],
            )?;
            if inserted == 0 {
                outcome.already_stored += 1;
                continue;
            }
            let mut meta = article.meta.clone();
            let outlet = self.registry.resolve(
                &tx,
                meta.outlet.as_ref(),
                doc.parsed.outlet_hint.domain.as_deref(),
            )?;
            if let (Some((_, name)), Some(field)) = (&outlet, meta.outlet.as_mut()) {
                field.value = name.clone();
            } else if let Some((_, name)) = &outlet {
                let domain = doc.parsed.outlet_hint.domain.clone().unwrap_or_default();
                meta.outlet = Some(
                    crate::model::Field::new(
                        name.clone(),
                        crate::model::MetaSource::UrlDomain,
                        0.6,
                    )
                    .with_evidence(domain),
                );
            }
            tx.execute(
                "INSERT INTO articles (id, raw_hash, external_id, source_path, format, outlet_id, title, url, published, meta, paragraphs, blocks, comments)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, '[]', ?11, ?12)",
                params![
                    article.id,
                    article.raw_hash,
                    article.external_id,
                    article.source_path,
                    article.format.as_str(),
                    outlet.as_ref().map(|(id, _)| *id),
                    meta.title.as_ref().map(|f| &f.value),
                    meta.url.as_ref().map(|f| &f.value),
                    meta.published.as_ref().map(|f| f.value.date.to_string()),
                    serde_json::to_string(&meta).map_err(|e| Error::Internal(e.to_string()))?,
                    doc.blocks_json,
                    evidence::to_json(&article.comments)?,
                ],
            )?;
            let seq = tx.last_insert_rowid();
            let outlet = evidence::bucket(outlet.map(|(id, _)| id));
            evidence::learn_from(&tx, outlet, seq, &doc.blocks, clean_cfg)?;
            stored.push((seq, outlet, doc.blocks));
            tx.execute(
                "DELETE FROM failures WHERE source_path = ?1",
                [&article.source_path],
            )?;
            outcome.added += 1;
        }
        for (path, error) in failures {
            tx.execute(
                "INSERT INTO failures (source_path, error) VALUES (?1, ?2)
                 ON CONFLICT(source_path) DO UPDATE SET error = excluded.error",
                params![path, error],
            )?;
        }
        // The batch's articles are cleaned once the whole batch is counted, so the first
        // article of an outlet benefits from the second in the same batch.
        let mut rules = std::collections::HashMap::new();
        for (seq, outlet, blocks) in stored {
            let rules = match rules.entry(outlet) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(evidence::rules(&tx, outlet)?)
                }
            };
            let cleaned = evidence::clean_blocks(&tx, outlet, &blocks, rules, clean_cfg)?;
            evidence::store_cleaned(&tx, seq, &cleaned)?;
        }
        if last {
            tx.execute(
                "UPDATE inputs SET complete = 1 WHERE hash = ?1",
                [&input.hash],
            )?;
        }
        tx.commit()?;
        Ok(outcome)
    }

    /// Articles in ingest order, optionally of one outlet (any of its names), at most `limit`.
    pub fn articles(
        &self,
        outlet: Option<&str>,
        limit: Option<usize>,
    ) -> Result<Vec<StoredArticle>> {
        let mut out = Vec::new();
        self.for_each_article(outlet, limit, |a| {
            out.push(a);
            Ok(())
        })?;
        Ok(out)
    }

    /// Stream articles in ingest order without holding them all in memory.
    pub fn for_each_article(
        &self,
        outlet: Option<&str>,
        limit: Option<usize>,
        mut f: impl FnMut(StoredArticle) -> Result<()>,
    ) -> Result<()> {
        let outlet_id = outlet
            .map(|name| outlets::find(&self.conn, name))
            .transpose()?;
        let mut stmt = self.conn.prepare(&format!(
            "{ARTICLE_SELECT} WHERE (?1 IS NULL OR a.outlet_id = ?1) ORDER BY a.seq LIMIT ?2"
        ))?;
        let limit = limit.map(|l| l as i64).unwrap_or(-1);
        let mut rows = stmt.query(params![outlet_id, limit])?;
        while let Some(row) = rows.next()? {
            f(read_article(row)?)?;
        }
        Ok(())
    }

    /// At most `n` articles in ingest order after the one numbered `after` in it (0: from the
    /// first), and the number of the last one read. Each page is a query of its own, so no
    /// read stays open between pages: a caller that writes between them (the stories stage
    /// keeping embeddings) is not refused its write because another process wrote since the
    /// read began, as SQLite refuses a write on an older snapshot, busy timeout or not.
    pub fn articles_after(&self, after: i64, n: usize) -> Result<(Vec<StoredArticle>, i64)> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "{ARTICLE_SELECT} WHERE a.seq > ?1 ORDER BY a.seq LIMIT ?2"
        ))?;
        let mut rows = stmt.query(params![after, n as i64])?;
        let (mut page, mut last) = (Vec::new(), after);
        while let Some(row) = rows.next()? {
            last = row.get(18)?;
            page.push(read_article(row)?);
        }
        Ok((page, last))
    }

    /// The article whose id starts with `prefix`. Ambiguous prefixes are a usage error.
    pub fn article(&self, prefix: &str) -> Result<Option<StoredArticle>> {
        if prefix.is_empty() || !prefix.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(Error::Usage(format!(
                "{prefix:?} is not an article id (hex digits)"
            )));
        }
        let mut stmt = self.conn.prepare(&format!(
            "{ARTICLE_SELECT} WHERE a.id >= ?1 AND a.id < ?1 || 'g' ORDER BY a.id LIMIT 2"
        ))?;
        let mut rows = stmt.query([prefix.to_ascii_lowercase()])?;
        let mut found = Vec::new();
        while let Some(row) = rows.next()? {
            found.push(read_article(row)?);
        }
        match found.len() {
            0 => Ok(None),
            1 => Ok(found.pop()),
            _ => Err(Error::Usage(format!(
                "{prefix:?} matches several articles; give more digits"
            ))),
        }
    }

    /// The members of a copy group in ingest order: (id, relation).
    pub fn copy_members(&self, group: &str) -> Result<Vec<(String, crate::dedup::Relation)>> {
        let mut stmt = self.conn.prepare(
            "SELECT a.id, c.relation FROM copies c JOIN articles a ON a.seq = c.seq
             WHERE c.copy_group = ?1 ORDER BY c.seq",
        )?;
        let rows = stmt.query_map([group], |r| Ok((r.get(0)?, r.get::<_, String>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (id, relation) = row?;
            let relation = crate::dedup::Relation::parse(&relation)
                .ok_or_else(|| Error::Internal(format!("stored copy relation {relation:?}")))?;
            out.push((id, relation));
        }
        Ok(out)
    }

    /// The verbatim bytes of an article's raw document.
    pub fn raw_bytes(&self, raw_hash: &str) -> Result<Option<Vec<u8>>> {
        let z: Option<Vec<u8>> = self
            .conn
            .query_row(
                "SELECT zbytes FROM raw_documents WHERE hash = ?1",
                [raw_hash],
                |r| r.get(0),
            )
            .optional()?;
        z.map(|z| {
            zstd::stream::decode_all(&z[..])
                .map_err(|e| Error::Internal(format!("raw document {raw_hash}: {e}")))
        })
        .transpose()
    }

    pub fn outlets(&self) -> Result<Vec<outlets::Outlet>> {
        outlets::list(&self.conn)
    }

    /// Register an outlet by hand.
    pub fn add_outlet(&mut self, entry: &outlets::OutletEntry) -> Result<()> {
        let tx = self.conn.transaction()?;
        self.registry.register(&tx, entry, "user")?;
        tx.commit()?;
        Ok(())
    }

    pub fn add_outlet_alias(&mut self, outlet: &str, alias: &str) -> Result<()> {
        outlets::add_alias(&mut self.conn, outlet, alias)?;
        self.registry = outlets::Registry::load(&self.conn)?;
        Ok(())
    }

    pub fn rename_outlet(&mut self, outlet: &str, new_name: &str) -> Result<()> {
        outlets::rename(&mut self.conn, outlet, new_name)?;
        self.registry = outlets::Registry::load(&self.conn)?;
        Ok(())
    }

    /// Clean again the earlier articles of outlets that learned something; returns how many
    /// articles changed.
    pub fn reclean_pending(&mut self, cfg: &CleanConfig) -> Result<usize> {
        evidence::reclean(&mut self.conn, cfg)
    }

    /// Bring the copy groups up to date with the stored bodies: sketch new and re-cleaned
    /// articles, measure the pairs never measured, build the groups (one transaction).
    pub fn refresh_copies(
        &mut self,
        cfg: &crate::dedup::DedupConfig,
    ) -> Result<copies::CopyOutcome> {
        copies::refresh(&mut self.conn, cfg)
    }

    /// Clean every article again (after a change of settings).
    pub fn reclean_all(&mut self, cfg: &CleanConfig) -> Result<usize> {
        self.conn.execute(
            "INSERT OR IGNORE INTO reclean (outlet) SELECT DISTINCT coalesce(outlet_id, 0) FROM articles",
            [],
        )?;
        self.reclean_pending(cfg)
    }

    /// Add a cleaning rule for an outlet (`keep_kind`, `keep_line` or `drop_line`) and clean
    /// its articles again.
    pub fn add_rule(
        &mut self,
        outlet: &str,
        rule: &str,
        value: &str,
        cfg: &CleanConfig,
    ) -> Result<usize> {
        if rule == "keep_kind" && clean::FurnitureKind::parse(value).is_none() {
            let kinds: Vec<&str> = clean::FurnitureKind::ALL
                .iter()
                .map(|k| k.as_str())
                .collect();
            return Err(Error::Usage(format!(
                "unknown furniture kind {value:?}; the kinds are {}",
                kinds.join(", ")
            )));
        }
        let id = outlets::find(&self.conn, outlet)?;
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT OR IGNORE INTO outlet_rules (outlet_id, rule, value) VALUES (?1, ?2, ?3)",
            params![id, rule, value],
        )?;
        tx.execute("INSERT OR IGNORE INTO reclean (outlet) VALUES (?1)", [id])?;
        tx.commit()?;
        self.reclean_pending(cfg)
    }

    /// An outlet's rules as (rule, value).
    pub fn rules(&self, outlet: &str) -> Result<Vec<(String, String)>> {
        let id = outlets::find(&self.conn, outlet)?;
        let mut stmt = self.conn.prepare(
            "SELECT rule, value FROM outlet_rules WHERE outlet_id = ?1 ORDER BY rule, value",
        )?;
        let rows = stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The blocks an outlet has learned as recurring, most frequent first: (articles, text).
    pub fn learned_blocks(&self, outlet: &str, min_articles: u32) -> Result<Vec<(i64, String)>> {
        let id = outlets::find(&self.conn, outlet)?;
        let mut stmt = self.conn.prepare(
            "SELECT articles, sample FROM block_evidence WHERE outlet = ?1 AND articles >= ?2
             ORDER BY articles DESC, sample",
        )?;
        let rows = stmt.query_map(params![id, min_articles], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Failures recorded by past runs and not since fixed, by path.
    pub fn failures(&self) -> Result<Vec<(String, String)>> {
        let mut stmt = self
            .conn
            .prepare("SELECT source_path, error FROM failures ORDER BY source_path")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn stats(&self) -> Result<Stats> {
        let one = |sql: &str| -> Result<i64> { Ok(self.conn.query_row(sql, [], |r| r.get(0))?) };
        let grouped = |sql: &str| -> Result<Vec<(String, i64)>> {
            let mut stmt = self.conn.prepare(sql)?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        };
        Ok(Stats {
            inputs: one("SELECT count(*) FROM inputs")?,
            inputs_incomplete: one("SELECT count(*) FROM inputs WHERE complete = 0")?,
            raw_documents: one("SELECT count(*) FROM raw_documents")?,
            raw_bytes: one("SELECT coalesce(sum(size), 0) FROM raw_documents")?,
            articles: one("SELECT count(*) FROM articles")?,
            outlets: one("SELECT count(DISTINCT outlet_id) FROM articles")?,
            undated: one("SELECT count(*) FROM articles WHERE published IS NULL")?,
            empty_bodies: one("SELECT count(*) FROM articles WHERE paragraphs = '[]'")?,
            failures: one("SELECT count(*) FROM failures")?,
            by_format: grouped("SELECT format, count(*) FROM articles GROUP BY format ORDER BY 2 DESC, 1")?,
            by_outlet: grouped(
                "SELECT coalesce(o.name, '(unknown)'), count(*) FROM articles a LEFT JOIN outlets o ON o.id = a.outlet_id
                 GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 20",
            )?,
            by_date_source: grouped(
                "SELECT coalesce(json_extract(meta, '$.published.source'), 'undated'), count(*) FROM articles GROUP BY 1 ORDER BY 2 DESC, 1",
            )?,
            copy_groups: one("SELECT count(DISTINCT copy_group) FROM copies")?,
            by_copy_relation: grouped(
                "SELECT relation, count(*) FROM copies GROUP BY 1 ORDER BY 2 DESC, 1",
            )?,
        })
    }
}

fn read_article(row: &rusqlite::Row<'_>) -> Result<StoredArticle> {
    let internal = |what: &str, e: &dyn std::fmt::Display| {
        Error::Internal(format!("stored {what} unreadable: {e}"))
    };
    let format: String = row.get(4)?;
    let meta: String = row.get(5)?;
    let paragraphs: String = row.get(6)?;
    let mut meta: Metadata = serde_json::from_str(&meta).map_err(|e| internal("metadata", &e))?;
    let outlet: Option<String> = row.get(7)?;
    if let (Some(name), Some(field)) = (&outlet, meta.outlet.as_mut()) {
        field.value = name.clone();
    }
    if let Some(json) = row.get::<_, Option<String>>(15)? {
        let inherited = serde_json::from_str(&json).map_err(|e| internal("inheritance", &e))?;
        copies::apply_inherited(&mut meta, inherited);
    }
    let copy = match row.get::<_, Option<String>>(10)? {
        None => None,
        Some(group) => {
            let relation: String = row.get(11)?;
            let jaccard: Option<f64> = row.get(13)?;
            let containment: Option<f64> = row.get(14)?;
            Some(CopyMember {
                group,
                relation: crate::dedup::Relation::parse(&relation)
                    .ok_or_else(|| internal("copy relation", &relation))?,
                copy_of: row.get(12)?,
                figures: jaccard.zip(containment).map(|(jaccard, containment)| {
                    crate::dedup::Figures {
                        jaccard,
                        containment,
                    }
                }),
            })
        }
    };
    let story = match row.get::<_, Option<String>>(16)? {
        None => None,
        Some(event) => Some(StoryMember {
            event,
            storyline: row.get(17)?,
        }),
    };
    Ok(StoredArticle {
        copy,
        story,
        article: Article {
            id: row.get(0)?,
            raw_hash: row.get(1)?,
            external_id: row.get(2)?,
            source_path: row.get(3)?,
            format: Format::parse(&format).ok_or_else(|| internal("format", &format))?,
            meta,
            paragraphs: serde_json::from_str(&paragraphs)
                .map_err(|e| internal("paragraphs", &e))?,
            furniture: serde_json::from_str(&row.get::<_, String>(8)?)
                .map_err(|e| internal("furniture", &e))?,
            comments: serde_json::from_str(&row.get::<_, String>(9)?)
                .map_err(|e| internal("comments", &e))?,
        },
        outlet,
    })
}
