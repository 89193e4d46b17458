//! Quality evaluations run on demand (`newsfold eval`), never as tests: extraction and
//! cleaning scored against gold text with the word-4-gram F1 of `bench::score`.
//!
//! `extraction` takes a Dragnet-style page set (`input/N.html` with `GoldStandard/N.txt`, in
//! a folder or a `.tar`/`.tar.zst`) and runs every page through the real pipeline: parsed in
//! parallel, stored in an in-memory store so that each outlet's furniture is learned across
//! its pages, cleaned, cleaned again at the end. Two ways in: the HTML pages themselves, and
//! the same pages rendered to their full visible text ([`visible_text`]: every text
//! node, furniture and all) and ingested as plain text, which is what a corpus extracted badly
//! years ago looks like.

use crate::bench::{score, Score};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::ingest::html::visible_text;
use crate::ingest::{parse_document, sniff};
use crate::model::{Article, Compression, RawDocument, RecordHints};
use crate::store::{Accepted, InputRecord, Store};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

/// One page of an evaluation set.
pub struct Page {
    pub name: String,
    pub html: String,
    pub gold: String,
}

/// Every file of a folder (walked in name order) or a `.tar`/`.tar.zst` archive, by path.
pub fn read_files(data: &Path, mut take: impl FnMut(&str, Vec<u8>)) -> Result<()> {
    let io = |e: std::io::Error| Error::io(format!("reading {}", data.display()), e);
    if data.is_dir() {
        let mut stack = vec![data.to_path_buf()];
        while let Some(dir) = stack.pop() {
            let mut entries: Vec<_> = std::fs::read_dir(&dir)
                .map_err(io)?
                .map(|e| e.map(|e| e.path()))
                .collect::<std::io::Result<_>>()
                .map_err(io)?;
            entries.sort();
            for path in entries.into_iter().rev() {
                if path.is_dir() {
                    stack.push(path);
                } else {
                    let bytes = std::fs::read(&path).map_err(io)?;
                    take(&path.display().to_string(), bytes);
                }
            }
        }
        return Ok(());
    }
    let file = std::fs::File::open(data).map_err(io)?;
    let reader: Box<dyn Read> = if data.extension().is_some_and(|e| e == "zst") {
        Box::new(zstd::stream::read::Decoder::new(file).map_err(io)?)
    } else {
        Box::new(file)
    };
    let mut archive = tar::Archive::new(reader);
    for entry in archive.entries().map_err(io)? {
        let mut entry = entry.map_err(io)?;
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let path = entry.path().map_err(io)?.display().to_string();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).map_err(io)?;
        take(&path, bytes);
    }
    Ok(())
}

/// Pages and gold texts from a folder or a `.tar`/`.tar.zst` archive, by page name.
pub fn read_pages(data: &Path) -> Result<Vec<Page>> {
    let (mut pages, mut gold) = (BTreeMap::new(), BTreeMap::new());
    let take = |path: &str, bytes: Vec<u8>| {
        let stem = Path::new(path)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if path.contains("input/") && path.ends_with(".html") {
            pages.insert(stem, bytes);
        } else if path.contains("GoldStandard/") && path.ends_with(".txt") {
            gold.insert(stem, bytes);
        }
    };
    read_files(data, take)?;
    let pages: Vec<Page> = pages
        .into_iter()
        .filter_map(|(name, page)| {
            gold.remove(&name).map(|g| Page {
                html: lossy(&page),
                gold: lossy(&g),
                name,
            })
        })
        .collect();
    if pages.is_empty() {
        return Err(Error::Usage(format!(
            "{}: no pages with gold text (input/N.html beside GoldStandard/N.txt)",
            data.display()
        )));
    }
    Ok(pages)
}

/// Bytes to text as a reader would see them: declared or UTF-8, lossy as a last resort.
pub fn lossy(bytes: &[u8]) -> String {
    sniff::decode(bytes, None).unwrap_or_else(|_| String::from_utf8_lossy(bytes).into_owned())
}

/// The gold text without the reader comments that some Dragnet gold files append.
pub fn article_only(gold: &str) -> &str {
    gold.split("!@#$%^&*()  COMMENTS").next().unwrap_or(gold)
}

/// How pages enter newsfold in an evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// The HTML page itself.
    Html,
    /// The page's full visible text, as plain text.
    VisibleText,
}

/// Each page's article as newsfold stored it, in page order (`None`: no article).
pub fn run_newsfold(pages: &[Page], route: Route, config: &Config) -> Result<Vec<Option<Article>>> {
    let mut store = Store::open_in_memory()?;
    let input = InputRecord {
        hash: "eval".into(),
        path: "eval".into(),
        size: 0,
        compression: "none",
    };
    // Pages with the same bytes are one raw document in the store: outputs go by hash.
    let mut hashes = Vec::with_capacity(pages.len());
    for (i, chunk) in pages.chunks(config.ingest.batch_size.max(1)).enumerate() {
        let prepared: Vec<(String, Option<Accepted>)> = chunk
            .par_iter()
            .map(|page| {
                let bytes = match route {
                    Route::Html => page.html.clone().into_bytes(),
                    Route::VisibleText => visible_text(&page.html).into_bytes(),
                };
                let hash = blake3::hash(&bytes).to_hex().to_string();
                let raw = RawDocument {
                    source_path: page.name.clone(),
                    container: None,
                    compression: Compression::None,
                    bytes,
                    hints: RecordHints::default(),
                };
                let accepted = parse_document(&raw, &config.ingest)
                    .ok()
                    .and_then(|parsed| Accepted::prepare(parsed, &raw.bytes, raw.compression).ok());
                (hash, accepted)
            })
            .collect();
        let mut accepted = Vec::new();
        for (hash, a) in prepared {
            hashes.push(hash);
            accepted.extend(a);
        }
        let last = (i + 1) * config.ingest.batch_size.max(1) >= pages.len();
        store.write_batch(&input, accepted, &[], last, &config.clean)?;
    }
    store.reclean_pending(&config.clean)?;
    let mut kept: BTreeMap<String, Article> = BTreeMap::new();
    store.for_each_article(None, None, |a| {
        kept.insert(a.article.raw_hash.clone(), a.article);
        Ok(())
    })?;
    Ok(hashes.iter().map(|h| kept.get(h).cloned()).collect())
}

/// What the gold texts hold of a page: the headline, the body and the reader comments. The
/// headline is a metadata field in newsfold, so it leads the text unless the body already
/// opens with it.
pub fn kept_text(article: Option<&Article>) -> String {
    let Some(a) = article else {
        return String::new();
    };
    let title = a.meta.title.as_ref().map(|t| t.value.as_str());
    let opens_with_title = |t: &str| {
        a.paragraphs
            .first()
            .is_some_and(|p| crate::clean::learn::key(p) == crate::clean::learn::key(t))
    };
    title
        .filter(|t| !opens_with_title(t))
        .into_iter()
        .chain(a.paragraphs.iter().map(String::as_str))
        .chain(a.comments.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Mean scores of outputs against the full gold and the article-only gold.
pub fn score_all(pages: &[Page], outputs: &[String]) -> (Score, Score) {
    let full: Vec<Score> = pages
        .iter()
        .zip(outputs)
        .map(|(p, o)| score(o, &p.gold))
        .collect();
    let article: Vec<Score> = pages
        .iter()
        .zip(outputs)
        .map(|(p, o)| score(o, article_only(&p.gold)))
        .collect();
    (crate::bench::mean(&full), crate::bench::mean(&article))
}
