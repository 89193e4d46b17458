//! The ingest run: inputs -> raw documents -> parsed articles (in parallel) -> the store (one
//! transaction per batch), with every failure counted by kind and reported by path.
//!
//! This is where the stages meet; each stage stays a plain function that knows nothing of the
//! others. After the inputs, earlier articles are cleaned again where their outlets learned,
//! and then the copy groups are brought up to date on the cleaned bodies. Later stages
//! (extract, stories) join the run here.

use crate::clean::CleanConfig;
use crate::config::Config;
use crate::error::{InputError, Result};
use crate::ingest::{self, input, IngestConfig};
use crate::model::RawDocument;
use crate::store::{Accepted, BatchOutcome, InputRecord, Store};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;

/// What an ingest run did, for the user and for the exit code.
#[derive(Debug, Default, Clone, Serialize, PartialEq)]
pub struct IngestReport {
    /// Inputs named or found below a named directory.
    pub inputs: usize,
    /// Inputs whose exact bytes had been ingested completely before.
    pub inputs_unchanged: usize,
    /// Documents read (files, JSONL lines, WARC records that can hold an article).
    pub documents: usize,
    pub articles_added: usize,
    /// Earlier articles cleaned again because their outlet learned new furniture.
    pub articles_recleaned: usize,
    /// The copy stage after the run: what it sketched and measured, the groups it left.
    pub copies: crate::store::copies::CopyOutcome,
    /// The stories stage after the copies.
    pub stories: crate::store::stories::StoryOutcome,
    /// Why the stories stage went without sentence embeddings although they are on (the
    /// model is not installed, or unreadable); said once per run.
    pub stories_note: Option<String>,
    /// The search index after the run (`None` for a store in memory, or when another process
    /// was writing it: then `search_note` says so).
    pub search: Option<crate::store::search::SearchRefresh>,
    pub search_note: Option<String>,
    /// Documents whose exact bytes were already in the store.
    pub already_stored: usize,
    /// Documents that are not articles (an HTTP redirect, an image): passed over, not failed.
    pub not_articles: usize,
    /// Failures by kind (`empty`, `binary`, `json`, ...).
    pub failed: BTreeMap<String, usize>,
    /// Every failure: path (with `#N` for a record) and what is wrong.
    pub failures: Vec<Failure>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Failure {
    pub path: String,
    pub error: String,
}

impl IngestReport {
    pub fn failed_total(&self) -> usize {
        self.failed.values().sum()
    }
}

fn kind(e: &InputError) -> &'static str {
    match e {
        InputError::Empty => "empty",
        InputError::Binary(_) => "binary",
        InputError::InvalidUtf8 { .. } => "invalid_utf8",
        InputError::TooLarge { .. } => "too_large",
        InputError::Corrupt { .. } => "corrupt",
        InputError::Json(_) | InputError::NoTextField { .. } => "json",
        InputError::Warc(_) => "warc",
        InputError::TooDeep { .. } => "too_deep",
        InputError::NotArticle(_) => "not_article",
        InputError::NoText => "no_text",
        InputError::Io(_) => "io",
    }
}

/// Progress callbacks, so the CLI can draw a bar and tests can stay quiet.
pub trait Progress: Sync {
    fn input_started(&self, _path: &str) {}
    fn documents_done(&self, _n: usize) {}
    fn failure(&self, _failure: &Failure) {}
}

/// No progress output.
pub struct Quiet;
impl Progress for Quiet {}

/// Ingest every input into the store, clean again the earlier articles of outlets that
/// learned new furniture, then update the copy groups.
pub fn ingest(
    store: &mut Store,
    args: &[String],
    config: &Config,
    progress: &dyn Progress,
) -> Result<IngestReport> {
    let cfg = &config.ingest;
    let mut report = IngestReport::default();
    let pool = rayon::ThreadPoolBuilder::new()
        // Deep HTML is parsed recursively by the extractor; give it room.
        .stack_size(64 << 20)
        .build()
        .map_err(|e| crate::error::Error::Internal(format!("thread pool: {e}")))?;
    for expanded in input::expand(args) {
        report.inputs += 1;
        let found = match expanded {
            Ok(found) => found,
            Err((path, e)) => {
                report_failure(&mut report, progress, path, &e);
                continue;
            }
        };
        let path = found.display();
        progress.input_started(&path);
        let (hash, size, preread) = match input::fingerprint(&found) {
            Ok(f) => f,
            Err(e) => {
                report_failure(&mut report, progress, path, &e);
                continue;
            }
        };
        if store.input_complete(&hash)? {
            report.inputs_unchanged += 1;
            continue;
        }
        let opened = match input::open(&found, preread, cfg.max_document_bytes) {
            Ok(o) => o,
            Err(e) => {
                // Record the failure in the store too, so `stats` shows it. The bytes were
                // read (they were fingerprinted), so the same bytes would fail the same way:
                // the input counts as completely read.
                let failure = report_failure(&mut report, progress, path.clone(), &e);
                let record = InputRecord {
                    hash,
                    path,
                    size,
                    compression: "none",
                };
                store.write_batch(&record, Vec::new(), failure.as_slice(), true, &config.clean)?;
                continue;
            }
        };
        let record = InputRecord {
            hash,
            path,
            size,
            compression: opened.compression.as_str(),
        };
        let run = Run {
            cfg,
            clean: &config.clean,
            pool: &pool,
            progress,
        };
        ingest_documents(store, &record, opened.documents, &run, &mut report)?;
    }
    report.articles_recleaned = store.reclean_pending(&config.clean)?;
    let derived = refresh_derived(store, config)?;
    report.copies = derived.copies;
    report.stories = derived.stories;
    report.stories_note = derived.stories_note;
    report.search = derived.search;
    report.search_note = derived.search_note;
    Ok(report)
}

/// What stands on the cleaned bodies, brought up to date after they changed.
#[derive(Debug, Clone, Default)]
pub struct Derived {
    pub copies: crate::store::copies::CopyOutcome,
    pub stories: crate::store::stories::StoryOutcome,
    /// Why the stories went without sentence embeddings although they are on.
    pub stories_note: Option<String>,
    /// The search index beside the store file (`None` for a store in memory, or when another
    /// process was writing the index: then `search_note` says so).
    pub search: Option<crate::store::search::SearchRefresh>,
    pub search_note: Option<String>,
}

/// After any change of the stored bodies (an ingest, `newsfold clean`, a new outlet rule):
/// the copy groups, found on the cleaned bodies, then the stories, which stand on the copy
/// groups (a group counts once), then the search index beside the store file. Each step does
/// nothing when its inputs did not change.
pub fn refresh_derived(store: &mut Store, config: &Config) -> Result<Derived> {
    let copies = store.refresh_copies(&config.dedup)?;
    let aliases = config.extract.alias_table()?;
    let mut stories_note = None;
    let embedder = crate::stories::embedder(&config.stories).unwrap_or_else(|why| {
        stories_note = Some(format!("stories on lexical similarity alone: {why}"));
        None
    });
    let embed = embedder
        .as_ref()
        .map(|e| e as &dyn crate::store::stories::Embed);
    let stories = crate::store::stories::refresh(store, &config.stories, &aliases, embed)?;
    // A locked index leaves the stored articles safe; it catches up at the next refresh.
    let (search, search_note) = match refresh_search(store, &aliases)? {
        Some(Ok(r)) => (Some(r), None),
        Some(Err(note)) => (None, Some(note)),
        None => (None, None),
    };
    Ok(Derived {
        copies,
        stories,
        stories_note,
        search,
        search_note,
    })
}

/// Refresh the search index beside the store file; a store in memory has none.
fn refresh_search(
    store: &Store,
    aliases: &crate::extract::entities::AliasTable,
) -> Result<Option<std::result::Result<crate::store::search::SearchRefresh, String>>> {
    use crate::store::search::SearchIndex;
    let Some(path) = store.path() else {
        return Ok(None);
    };
    let mut index = SearchIndex::open(&SearchIndex::dir_for(path))?;
    index.refresh_unless_locked(store, aliases).map(Some)
}

/// Count a failure and tell the user; returns it for the store's failure table, unless the
/// document was simply not an article.
fn report_failure(
    report: &mut IngestReport,
    progress: &dyn Progress,
    path: String,
    e: &InputError,
) -> Option<(String, String)> {
    if let InputError::NotArticle(_) = e {
        report.not_articles += 1;
        return None;
    }
    *report.failed.entry(kind(e).to_string()).or_default() += 1;
    let failure = Failure {
        path,
        error: e.to_string(),
    };
    progress.failure(&failure);
    let row = (failure.path.clone(), failure.error.clone());
    report.failures.push(failure);
    Some(row)
}

/// What every input of a run shares.
struct Run<'a> {
    cfg: &'a IngestConfig,
    clean: &'a CleanConfig,
    pool: &'a rayon::ThreadPool,
    progress: &'a dyn Progress,
}

/// A parsed batch on its way to the store.
struct Batch {
    accepted: Vec<Accepted>,
    failures: Vec<(String, String)>,
    last: bool,
}

/// Read, parse and store one input's documents. Reading and parsing the next batch overlaps
/// with writing the previous one: the store is written by a thread of its own.
fn ingest_documents(
    store: &mut Store,
    record: &InputRecord,
    mut documents: impl Iterator<Item = std::result::Result<RawDocument, (String, InputError)>>,
    run: &Run<'_>,
    report: &mut IngestReport,
) -> Result<()> {
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Batch>(1);
        let writer = scope.spawn(move || -> Result<BatchOutcome> {
            let mut total = BatchOutcome::default();
            for batch in rx {
                let outcome = store.write_batch(
                    record,
                    batch.accepted,
                    &batch.failures,
                    batch.last,
                    run.clean,
                )?;
                total.added += outcome.added;
                total.already_stored += outcome.already_stored;
            }
            Ok(total)
        });
        let mut last = false;
        while !last {
            let mut raw: Vec<RawDocument> = Vec::with_capacity(run.cfg.batch_size);
            let mut failures: Vec<(String, String)> = Vec::new();
            last = true;
            for doc in documents.by_ref() {
                report.documents += 1;
                match doc {
                    Ok(doc) => raw.push(doc),
                    Err((path, e)) => {
                        failures.extend(report_failure(report, run.progress, path, &e))
                    }
                }
                if raw.len() >= run.cfg.batch_size {
                    last = false;
                    break;
                }
            }
            let parsed: Vec<_> = run.pool.install(|| {
                raw.par_iter()
                    .map(|doc| {
                        let parsed = ingest::parse_document(doc, run.cfg)?;
                        Ok(Accepted::prepare(parsed, &doc.bytes, doc.compression))
                    })
                    .collect()
            });
            let mut accepted = Vec::with_capacity(parsed.len());
            for (doc, result) in raw.iter().zip(parsed) {
                match result {
                    Ok(prepared) => accepted.push(prepared?),
                    Err(e) => failures.extend(report_failure(
                        report,
                        run.progress,
                        doc.source_path.clone(),
                        &e,
                    )),
                }
            }
            run.progress.documents_done(raw.len());
            if tx
                .send(Batch {
                    accepted,
                    failures,
                    last,
                })
                .is_err()
            {
                // The writer stopped on an error; join it below to report that error.
                break;
            }
        }
        drop(tx);
        let total = writer
            .join()
            .map_err(|_| crate::error::Error::Internal("the store writer panicked".into()))??;
        report.articles_added += total.added;
        report.already_stored += total.already_stored;
        Ok(())
    })
}
