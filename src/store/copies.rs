//! Copies in the store: the copy index kept between runs (`copy_sketches`), the figures of
//! every pair measured so far (`copy_pairs`), and each article's place in its copy group with
//! the metadata it takes from its other copies (`copies`).
//!
//! [`refresh`] runs after an ingest (and after any re-cleaning). It sketches only the cleaned
//! bodies that have no sketch yet (new articles, and re-cleaned ones, whose sketch
//! [`forget`] dropped), plans candidate pairs from the stored sketches without reading any
//! text, reads the bodies of the pairs it has never measured and no others, and then builds
//! every group again from the figures: grouping is cheap, and building it whole from the
//! current bodies makes the outcome a function of the store's articles in ingest order, the
//! same whether they came in one run or in several. The whole refresh is one transaction: a
//! killed run leaves the previous groups, and the next run redoes the work. The rules of
//! grouping are `dedup`'s; this module only stores, fetches and merges metadata.

use crate::dedup::minhash::Sketch;
use crate::dedup::{
    group_measured, Assignment, DedupConfig, Figures, Index, Meta, Relation, ShingleSet, Sketcher,
};
use crate::error::{Error, Result};
use crate::model::{Field, MetaSource, Metadata};
use rayon::prelude::*;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::Serialize;
use std::collections::HashMap;

/// Bodies sketched per step, so memory stays flat however many wait.
const SKETCH_CHUNK: usize = 2048;

/// What a refresh did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CopyOutcome {
    /// Bodies sketched (new or re-cleaned articles).
    pub sketched: usize,
    /// Pairs whose figures were measured on the bodies in this refresh.
    pub measured: usize,
    /// Whether the groups were built again (nothing changed otherwise).
    pub regrouped: bool,
    /// Groups of two or more articles, and the articles in them, after the refresh.
    pub groups: usize,
    pub grouped_articles: usize,
}

/// Drop an article's sketch and every figure measured on its body, because the body changed.
pub fn forget(conn: &Connection, seq: i64) -> Result<()> {
    conn.prepare_cached("DELETE FROM copy_sketches WHERE seq = ?1")?
        .execute([seq])?;
    conn.prepare_cached("DELETE FROM copy_pairs WHERE a = ?1 OR b = ?1")?
        .execute([seq])?;
    Ok(())
}

/// Bring the copy groups up to date with the stored bodies (see the module's opening).
pub fn refresh(conn: &mut Connection, cfg: &DedupConfig) -> Result<CopyOutcome> {
    let sketcher = Sketcher::new(cfg)?;
    let tx = conn.transaction()?;
    let mut outcome = CopyOutcome::default();
    // Sketches hang on the shingle settings; groups on every setting.
    let sketch_settings = format!(
        "shingle_words={} permutations={} seed={}",
        cfg.shingle_words, cfg.permutations, cfg.seed
    );
    if setting(&tx, "sketch")?.as_deref() != Some(sketch_settings.as_str()) {
        tx.execute_batch("DELETE FROM copy_sketches; DELETE FROM copy_pairs;")?;
        set_setting(&tx, "sketch", &sketch_settings)?;
    }
    let group_settings = format!("{cfg:?}");
    let settings_changed = setting(&tx, "group")?.as_deref() != Some(group_settings.as_str());
    outcome.sketched = sketch_missing(&tx, &sketcher)?;
    if outcome.sketched > 0 || settings_changed {
        outcome.measured = regroup(&tx, &sketcher, cfg)?;
        set_setting(&tx, "group", &group_settings)?;
        outcome.regrouped = true;
    }
    (outcome.groups, outcome.grouped_articles) = tx.query_row(
        "SELECT count(DISTINCT copy_group), count(*) FROM copies",
        [],
        |r| Ok((r.get::<_, i64>(0)? as usize, r.get::<_, i64>(1)? as usize)),
    )?;
    tx.commit()?;
    Ok(outcome)
}

fn setting(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT value FROM copy_settings WHERE key = ?1",
            [key],
            |r| r.get(0),
        )
        .optional()?)
}

fn set_setting(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO copy_settings (key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

/// An article's cleaned body, paragraphs joined as the export joins them.
fn body(conn: &Connection, seq: i64) -> Result<String> {
    let json: String = conn
        .prepare_cached("SELECT paragraphs FROM articles WHERE seq = ?1")?
        .query_row([seq], |r| r.get(0))?;
    let paragraphs: Vec<String> = serde_json::from_str(&json)
        .map_err(|e| Error::Internal(format!("stored paragraphs unreadable: {e}")))?;
    Ok(paragraphs.join("\n\n"))
}

/// Sketch every article that has no sketch; returns how many.
fn sketch_missing(tx: &Transaction<'_>, sketcher: &Sketcher) -> Result<usize> {
    let missing: Vec<i64> = {
        let mut stmt = tx.prepare(
            "SELECT a.seq FROM articles a LEFT JOIN copy_sketches s ON s.seq = a.seq
             WHERE s.seq IS NULL ORDER BY a.seq",
        )?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let mut insert = tx.prepare_cached(
        "INSERT INTO copy_sketches (seq, exact, words, shingles, mins) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for chunk in missing.chunks(SKETCH_CHUNK) {
        let bodies: Vec<String> = chunk
            .iter()
            .map(|&seq| body(tx, seq))
            .collect::<Result<_>>()?;
        let sketches: Vec<Sketch> = bodies
            .par_iter()
            .map(|b| sketcher.sketch(b).sketch)
            .collect();
        for (seq, s) in chunk.iter().zip(sketches) {
            let mins: Vec<u8> = s.mins.iter().flat_map(|m| m.to_le_bytes()).collect();
            insert.execute(params![seq, s.exact as i64, s.words, s.shingles, mins])?;
        }
    }
    Ok(missing.len())
}

/// The stored index: every sketch in ingest order, with the article's seq and id.
struct Stored {
    index: Index,
    seqs: Vec<i64>,
    ids: Vec<String>,
}

fn load_index(tx: &Transaction<'_>, cfg: &DedupConfig) -> Result<Stored> {
    let mut stored = Stored {
        index: Index::new(cfg),
        seqs: Vec::new(),
        ids: Vec::new(),
    };
    // A date read only from the text is a lower bound, not a date a copy can be senior by.
    let mut stmt = tx.prepare(
        "SELECT s.seq, a.id, s.exact, s.words, s.shingles, s.mins, o.name,
                CASE WHEN coalesce(json_extract(a.meta, '$.published.value.not_before'), 0)
                     THEN NULL ELSE a.published END
         FROM copy_sketches s JOIN articles a ON a.seq = s.seq
         LEFT JOIN outlets o ON o.id = a.outlet_id ORDER BY s.seq",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let mins: Vec<u8> = row.get(5)?;
        if mins.len() != cfg.permutations * 4 {
            return Err(Error::Internal(format!(
                "stored sketch of {} bytes, expected {}",
                mins.len(),
                cfg.permutations * 4
            )));
        }
        let sketch = Sketch {
            exact: row.get::<_, i64>(2)? as u64,
            words: row.get(3)?,
            shingles: row.get(4)?,
            mins: mins
                .chunks_exact(4)
                .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect(),
        };
        let outlet: Option<String> = row.get(6)?;
        let date: Option<String> = row.get(7)?;
        let meta = Meta {
            outlet: outlet.as_deref(),
            date: date.and_then(|d| d.parse().ok()),
        };
        stored.index.push(&sketch, sketch.exact, meta);
        stored.seqs.push(row.get(0)?);
        stored.ids.push(row.get(1)?);
    }
    Ok(stored)
}

/// Figures of pairs by article seqs (smaller first), and the shingle sets read to measure
/// new ones.
struct Pairs<'a> {
    tx: &'a Connection,
    sketcher: &'a Sketcher,
    known: HashMap<(i64, i64), Figures>,
    new: Vec<((i64, i64), Figures)>,
    sets: HashMap<i64, ShingleSet>,
}

fn key(a: i64, b: i64) -> (i64, i64) {
    (a.min(b), a.max(b))
}

impl Pairs<'_> {
    /// Read the shingle sets of these articles (those not read yet), in parallel.
    fn read_sets(&mut self, seqs: &[i64]) -> Result<()> {
        let mut wanted: Vec<i64> = seqs
            .iter()
            .copied()
            .filter(|s| !self.sets.contains_key(s))
            .collect();
        wanted.sort_unstable();
        wanted.dedup();
        let bodies: Vec<(i64, String)> = wanted
            .iter()
            .map(|&seq| Ok((seq, body(self.tx, seq)?)))
            .collect::<Result<_>>()?;
        let sketcher = self.sketcher;
        let sets: Vec<(i64, ShingleSet)> = bodies
            .par_iter()
            .map(|(seq, b)| (*seq, sketcher.shingle_set(b)))
            .collect();
        self.sets.extend(sets);
        Ok(())
    }

    /// The figures of a pair whose sets are read or whose figures are known.
    fn figures(&mut self, a: i64, b: i64) -> Result<Figures> {
        let k = key(a, b);
        if let Some(f) = self.known.get(&k) {
            return Ok(*f);
        }
        self.read_sets(&[a, b])?;
        let f = self.sets[&a].figures(&self.sets[&b]);
        self.known.insert(k, f);
        self.new.push((k, f));
        Ok(f)
    }
}

/// The figures of every pair measured before.
fn known_pairs(conn: &Connection) -> Result<HashMap<(i64, i64), Figures>> {
    let mut stmt = conn.prepare("SELECT a, b, jaccard, containment FROM copy_pairs")?;
    let rows = stmt.query_map([], |r| {
        let figures = Figures {
            jaccard: r.get(2)?,
            containment: r.get(3)?,
        };
        Ok(((r.get(0)?, r.get(1)?), figures))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Build every group again from the stored sketches; returns how many pairs were measured.
fn regroup(tx: &Transaction<'_>, sketcher: &Sketcher, cfg: &DedupConfig) -> Result<usize> {
    let Stored { index, seqs, ids } = load_index(tx, cfg)?;
    let plan = index.plan(cfg);
    let mut pairs = Pairs {
        tx,
        sketcher,
        known: known_pairs(tx)?,
        new: Vec::new(),
        sets: HashMap::new(),
    };
    let seq = |i: u32| seqs[i as usize];
    let unmeasured: Vec<i64> = plan
        .pairs
        .iter()
        .filter(|&&(a, b)| !pairs.known.contains_key(&key(seq(a), seq(b))))
        .flat_map(|&(a, b)| [seq(a), seq(b)])
        .collect();
    pairs.read_sets(&unmeasured)?;
    let measured: Vec<(Figures, u32, u32)> = plan
        .pairs
        .iter()
        .map(|&(a, b)| Ok((pairs.figures(seq(a), seq(b))?, a, b)))
        .collect::<Result<_>>()?;
    let mut failed = None;
    let assignments = group_measured(
        &index,
        &plan,
        measured,
        |a, b| match pairs.figures(seq(a), seq(b)) {
            Ok(f) => f,
            Err(e) => {
                failed.get_or_insert(e);
                Figures::default()
            }
        },
        cfg,
    );
    if let Some(e) = failed {
        return Err(e);
    }
    let mut insert = tx.prepare_cached(
        "INSERT INTO copy_pairs (a, b, jaccard, containment) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for ((a, b), f) in &pairs.new {
        insert.execute(params![a, b, f.jaccard, f.containment])?;
    }
    let measured = pairs.new.len();
    write_groups(tx, &assignments, &seqs, &ids)?;
    Ok(measured)
}

/// Replace the `copies` table with these assignments and the metadata each member inherits.
fn write_groups(
    tx: &Transaction<'_>,
    assignments: &[Assignment],
    seqs: &[i64],
    ids: &[String],
) -> Result<()> {
    tx.execute("DELETE FROM copies", [])?;
    let inherited = inherit(tx, assignments, seqs, ids)?;
    let mut insert = tx.prepare_cached(
        "INSERT INTO copies (seq, copy_group, relation, copy_of, jaccard, containment, inherited)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for (i, a) in assignments.iter().enumerate() {
        if a.relation == Relation::Unique {
            continue;
        }
        let head = a.representative as usize;
        let is_copy = a.relation != Relation::Original;
        let inherited = inherited
            .get(&seqs[i])
            .map(crate::store::evidence::to_json)
            .transpose()?;
        insert.execute(params![
            seqs[i],
            ids[head],
            a.relation.as_str(),
            is_copy.then(|| &ids[head]),
            is_copy.then_some(a.figures.jaccard),
            is_copy.then_some(a.figures.containment),
            inherited,
        ])?;
    }
    Ok(())
}

/// What each member of a group inherits: the original and its `same_document` copies are
/// one document, so each of them takes, for every field it lacks or holds with less
/// confidence, the most trusted value among the others (the original's wins a tie). Reprints
/// keep their own metadata: another outlet's page has its own URL, title and date.
fn inherit(
    tx: &Transaction<'_>,
    assignments: &[Assignment],
    seqs: &[i64],
    ids: &[String],
) -> Result<HashMap<i64, Metadata>> {
    let mut documents: HashMap<u32, Vec<usize>> = HashMap::new();
    for (i, a) in assignments.iter().enumerate() {
        if matches!(a.relation, Relation::Original | Relation::SameDocument) {
            documents.entry(a.representative).or_default().push(i);
        }
    }
    let mut out = HashMap::new();
    let mut read = tx.prepare_cached("SELECT meta FROM articles WHERE seq = ?1")?;
    for (head, mut members) in documents {
        if members.len() < 2 {
            continue;
        }
        // The original first, then ingest order: the order in which ties are won.
        members.sort_by_key(|&i| (i != head as usize, i));
        let metas: Vec<Metadata> = members
            .iter()
            .map(|&i| {
                let json: String = read.query_row([seqs[i]], |r| r.get(0))?;
                serde_json::from_str(&json)
                    .map_err(|e| Error::Internal(format!("stored metadata unreadable: {e}")))
            })
            .collect::<Result<_>>()?;
        let names: Vec<&str> = members.iter().map(|&i| ids[i].as_str()).collect();
        for (k, &i) in members.iter().enumerate() {
            let gained = Metadata {
                title: best(&metas, &names, k, |m| &m.title),
                url: best(&metas, &names, k, |m| &m.url),
                author: best(&metas, &names, k, |m| &m.author),
                published: best(&metas, &names, k, |m| &m.published),
                ..Metadata::default()
            };
            if gained != Metadata::default() {
                out.insert(seqs[i], gained);
            }
        }
    }
    Ok(out)
}

/// The value member `k` inherits for one field: the most trusted value of another member
/// (the first in `metas` order among equals), when `k` has none or a less trusted one.
fn best<T: Clone>(
    metas: &[Metadata],
    ids: &[&str],
    k: usize,
    field: impl Fn(&Metadata) -> &Option<Field<T>>,
) -> Option<Field<T>> {
    let own = field(&metas[k]).as_ref().map_or(-1.0, |f| f.confidence);
    let (donor, f) = metas
        .iter()
        .enumerate()
        .filter(|&(d, _)| d != k)
        .filter_map(|(d, m)| field(m).as_ref().map(|f| (d, f)))
        .fold(None::<(usize, &Field<T>)>, |best, (d, f)| match best {
            Some((_, b)) if b.confidence >= f.confidence => best,
            _ => Some((d, f)),
        })?;
    (f.confidence > own).then(|| Field {
        value: f.value.clone(),
        source: MetaSource::Inherited,
        confidence: f.confidence,
        evidence: Some(format!("article {} ({})", ids[donor], f.source.as_str())),
    })
}

/// Overlay the inherited values on an article's own metadata.
pub fn apply_inherited(meta: &mut Metadata, inherited: Metadata) {
    let Metadata {
        title,
        url,
        author,
        published,
        ..
    } = inherited;
    meta.title = title.or(meta.title.take());
    meta.url = url.or(meta.url.take());
    meta.author = author.or(meta.author.take());
    meta.published = published.or(meta.published.take());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(title: Option<(&str, f32)>, url: Option<(&str, f32)>) -> Metadata {
        let field = |v: Option<(&str, f32)>| {
            v.map(|(v, c)| Field::new(v.to_string(), MetaSource::TitleLine, c))
        };
        Metadata {
            title: field(title),
            url: field(url),
            ..Metadata::default()
        }
    }

    #[test]
    fn members_take_the_most_trusted_value_they_lack() {
        let metas = [
            meta(None, Some(("u0", 0.9))),
            meta(Some(("t1", 0.8)), Some(("u1", 0.5))),
            meta(Some(("t2", 0.8)), None),
        ];
        let ids = ["a0", "a1", "a2"];
        let title = best(&metas, &ids, 0, |m| &m.title).unwrap();
        // Equal confidence: the earlier member wins.
        assert_eq!(title.value, "t1");
        assert_eq!(title.source, MetaSource::Inherited);
        assert_eq!(title.evidence.as_deref(), Some("article a1 (title_line)"));
        // An own value as trusted as the best is kept.
        assert!(best(&metas, &ids, 1, |m| &m.title).is_none());
        // A less trusted own value gives way.
        assert_eq!(best(&metas, &ids, 1, |m| &m.url).unwrap().value, "u0");
        assert!(best(&metas, &ids, 0, |m| &m.url).is_none());
        let mut own = metas[1].clone();
        let gained = Metadata {
            url: best(&metas, &ids, 1, |m| &m.url),
            ..Metadata::default()
        };
        apply_inherited(&mut own, gained);
        assert_eq!(own.title.unwrap().value, "t1");
        assert_eq!(own.url.unwrap().source, MetaSource::Inherited);
    }
}
