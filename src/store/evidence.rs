//! The cleaner's memory in the store: per outlet, in how many independent articles each block
//! occurs (`block_evidence`), which outlets wait to have their earlier articles cleaned again
//! (`reclean`), and the user's rules (`outlet_rules`).
//!
//! Counting happens in the batch's transaction, as each article is stored; the articles of the
//! batch are then cleaned with everything the batch taught. Whenever a block's count crosses a
//! threshold, its outlet is marked, and [`reclean`] brings the outlet's earlier articles up to
//! date (the pipeline calls it at the end of every run, so a killed run leaves the marks and
//! the next run finishes the work). The rules of cleaning are in `clean`; this module only
//! stores and fetches.

use crate::clean::{self, learn, Block, CleanConfig, Cleaned, FurnitureKind, Overrides};
use crate::error::{Error, Result};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use std::collections::HashMap;

/// The evidence bucket of an outlet: its id, 0 for articles without an outlet.
pub fn bucket(outlet_id: Option<i64>) -> i64 {
    outlet_id.unwrap_or(0)
}

/// Count an article's blocks as evidence for its outlet. Returns whether a block's count
/// crossed a threshold, so that earlier articles of the outlet may change.
pub fn learn_from(
    tx: &Transaction<'_>,
    outlet: i64,
    seq: i64,
    blocks: &[Block],
    cfg: &CleanConfig,
) -> Result<bool> {
    let keys = learn::article_keys(blocks, cfg);
    let mut get = tx.prepare_cached(
        "SELECT articles, first_seq FROM block_evidence WHERE outlet = ?1 AND key = ?2",
    )?;
    let mut known: Vec<Option<(i64, i64)>> = Vec::with_capacity(keys.len());
    for (key, _) in &keys {
        known.push(
            get.query_row(params![outlet, *key as i64], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?,
        );
    }
    let first_seen: Vec<(Option<i64>, u32)> = keys
        .iter()
        .zip(&known)
        .filter_map(|((_, words), k)| words.map(|w| (k.map(|(_, first)| first), w)))
        .collect();
    tx.prepare_cached("UPDATE articles SET long_blocks = ?1 WHERE seq = ?2")?
        .execute(params![first_seen.len() as i64, seq])?;
    let mut long_of = tx.prepare_cached("SELECT long_blocks FROM articles WHERE seq = ?1")?;
    let copy = learn::copy_of(
        &first_seen,
        |s| {
            long_of
                .query_row([s], |r| r.get::<_, i64>(0))
                .map_or(usize::MAX, |n| n as usize)
        },
        cfg,
    );
    // One copy of an article is a copy; a third page with the same text is the outlet's
    // template (pages whose visible text is mostly one long sidebar), and it counts.
    let copy = match copy {
        Some(s) => {
            let earlier: i64 = tx
                .prepare_cached(
                    "UPDATE articles SET copies = copies + 1 WHERE seq = ?1 RETURNING copies",
                )?
                .query_row([s], |r| r.get(0))?;
            (earlier <= 1).then_some(s)
        }
        None => None,
    };
    let mut bump = tx.prepare_cached(
        "UPDATE block_evidence SET articles = articles + 1 WHERE outlet = ?1 AND key = ?2",
    )?;
    let mut insert = tx.prepare_cached(
        "INSERT INTO block_evidence (outlet, key, articles, first_seq, sample) VALUES (?1, ?2, 1, ?3, ?4)",
    )?;
    let texts: HashMap<u64, &str> = blocks.iter().map(|b| (b.key, b.text.as_str())).collect();
    let mut crossed = false;
    for ((key, _), known) in keys.iter().zip(known) {
        match known {
            Some((_, first)) if Some(first) == copy => {}
            Some((n, _)) => {
                bump.execute(params![outlet, *key as i64])?;
                let n = n as u32 + 1;
                crossed |= [
                    cfg.min_articles_edge,
                    cfg.min_articles_anywhere,
                    cfg.min_articles_uncued,
                ]
                .contains(&n);
            }
            None => {
                let sample: String = texts[key].chars().take(300).collect();
                insert.execute(params![outlet, *key as i64, seq, sample])?;
            }
        }
    }
    if crossed {
        tx.execute(
            "INSERT OR IGNORE INTO reclean (outlet) VALUES (?1)",
            [outlet],
        )?;
    }
    Ok(crossed)
}

/// Clean one article's blocks with what the store knows of its outlet.
pub fn clean_blocks(
    conn: &Connection,
    outlet: i64,
    blocks: &[Block],
    rules: &Overrides,
    cfg: &CleanConfig,
) -> Result<Cleaned> {
    let mut get =
        conn.prepare_cached("SELECT articles FROM block_evidence WHERE outlet = ?1 AND key = ?2")?;
    let mut counts = Vec::with_capacity(blocks.len());
    for b in blocks {
        let n: Option<i64> = if b.key == 0 {
            None
        } else {
            get.query_row(params![outlet, b.key as i64], |r| r.get(0))
                .optional()?
        };
        counts.push(n.unwrap_or(0) as u32);
    }
    Ok(clean::decide(blocks, &counts, rules, cfg))
}

/// The user's rules for an outlet (none for bucket 0).
pub fn rules(conn: &Connection, outlet: i64) -> Result<Overrides> {
    let mut stmt =
        conn.prepare_cached("SELECT rule, value FROM outlet_rules WHERE outlet_id = ?1")?;
    let rows = stmt.query_map([outlet], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    let mut out = Overrides::default();
    for row in rows {
        let (rule, value) = row?;
        match rule.as_str() {
            "keep_kind" => out.keep_kinds.extend(FurnitureKind::parse(&value)),
            "keep_line" => out.keep_keys.push(learn::key(&value)),
            _ => out.drop_keys.push(learn::key(&value)),
        }
    }
    Ok(out)
}

/// Write an article's cleaned body and furniture.
pub fn store_cleaned(conn: &Connection, seq: i64, cleaned: &Cleaned) -> Result<()> {
    conn.prepare_cached("UPDATE articles SET paragraphs = ?1, furniture = ?2 WHERE seq = ?3")?
        .execute(params![
            to_json(&cleaned.paragraphs)?,
            to_json(&cleaned.furniture)?,
            seq
        ])?;
    // The copy index describes the old body; the next copy refresh sketches the new one.
    super::copies::forget(conn, seq)
}

pub fn to_json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::Internal(e.to_string()))
}

/// Clean again the articles of every marked outlet, one transaction per outlet. Articles
/// stored before cleaning existed (no blocks) are analysed from their paragraphs first.
/// Returns how many articles changed.
pub fn reclean(conn: &mut Connection, cfg: &CleanConfig) -> Result<usize> {
    let outlets: Vec<i64> = {
        let mut stmt = conn.prepare("SELECT outlet FROM reclean ORDER BY outlet")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let mut changed = 0;
    for outlet in outlets {
        let tx = conn.transaction()?;
        let rules = rules(&tx, outlet)?;
        let mut updates = Vec::new();
        {
            let mut stmt = tx.prepare(
                "SELECT seq, blocks, paragraphs, furniture FROM articles
                 WHERE coalesce(outlet_id, 0) = ?1 ORDER BY seq",
            )?;
            let mut rows = stmt.query([outlet])?;
            while let Some(row) = rows.next()? {
                let seq: i64 = row.get(0)?;
                let blocks: Option<String> = row.get(1)?;
                let blocks: Vec<Block> = match blocks {
                    Some(json) => serde_json::from_str(&json).map_err(internal)?,
                    None => {
                        let paragraphs: Vec<String> =
                            serde_json::from_str(&row.get::<_, String>(2)?).map_err(internal)?;
                        clean::analyse(paragraphs, &clean::PageHints::default())
                    }
                };
                let cleaned = clean_blocks(&tx, outlet, &blocks, &rules, cfg)?;
                let before: Vec<clean::Furniture> =
                    serde_json::from_str(&row.get::<_, String>(3)?).map_err(internal)?;
                if before != cleaned.furniture {
                    updates.push((seq, cleaned));
                }
            }
        }
        changed += updates.len();
        for (seq, cleaned) in updates {
            store_cleaned(&tx, seq, &cleaned)?;
        }
        tx.execute("DELETE FROM reclean WHERE outlet = ?1", [outlet])?;
        tx.commit()?;
    }
    Ok(changed)
}

fn internal(e: serde_json::Error) -> Error {
    Error::Internal(format!("stored blocks unreadable: {e}"))
}
