//! Full-text search over the stored articles: a tantivy index in a folder beside the store
//! file (`newsfold.db` -> `newsfold.db.search`), with the title, the cleaned body, the outlet,
//! the publication date and the entities of every article, and snippets marked safely for a
//! web page.
//!
//! The index is derived data, like the copy groups and the stories: [`SearchIndex::refresh`]
//! brings it up to date with the store after every change of the stored bodies (the pipeline
//! calls it in `refresh_derived`). Each indexed article carries a fingerprint of what it was
//! built from (cleaned body, metadata with what it inherits from its copies, the outlet's
//! current name) in a fast field, so a refresh compares fingerprints and indexes only new and
//! changed articles, and drops vanished ones; one tantivy commit makes the change visible at
//! once or not at all, and since an article is keyed by its ingest number (`seq`: article ids
//! are short and not unique), deleting that term before adding makes redoing a refresh
//! harmless. The commit's payload names the alias table the entities were read with; a new
//! table rebuilds the index. A folder of another schema version, or one that cannot be read,
//! is rebuilt from empty.
//!
//! Searching takes `&self` and may run on many threads while another process refreshes:
//! the writer (tantivy allows one, behind a lock file) is opened only inside `refresh`, and
//! only when there is something to write. This module does not rank stories, nor does it
//! know the HTTP layer; the query language is tantivy's, parsed leniently (see
//! `docs/search.md`).

use super::snippets::{escape, lead, Marks};
use super::Store;
use crate::error::{Error, Result};
use crate::extract::entities::{AliasTable, EntityKind};
use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;
use serde::Serialize;
use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap, HashMap};
use std::ops::Bound;
use std::path::{Path, PathBuf};
use tantivy::collector::{Collector, Count, SegmentCollector, TopDocs};
use tantivy::indexer::LogMergePolicy;
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, Occur, Query, QueryParser, RangeQuery, TermQuery,
    Weight,
};
use tantivy::schema::document::{DeserializeError, DocumentDeserialize, DocumentDeserializer};
use tantivy::schema::{
    Field, IndexRecordOption, OwnedValue, Schema, TextFieldIndexing, TextOptions, Value, FAST,
    INDEXED, STORED, STRING,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
};
use tantivy::{
    DocAddress, DocId, Index, IndexBuilder, IndexReader, IndexSettings, IndexWriter, ReloadPolicy,
    Score, SegmentOrdinal, SegmentReader, TantivyDocument, Term,
};

/// Bump when the schema, the tokenizer or what goes into a document changes: an index folder
/// of another version is rebuilt from empty.
const SCHEMA_VERSION: u32 = 4;
/// The file in the index folder that holds [`SCHEMA_VERSION`].
const VERSION_FILE: &str = "newsfold-search-version";
const TOKENIZER: &str = "newsfold";
/// What the writer may hold in memory before it writes a segment, all threads together.
const WRITER_BUDGET: usize = 96 << 20;
/// Bytes of documents the doc store keeps together. A hit's document is read by copying
/// its whole block out, so blocks of about one article (tantivy's default is 16 KiB) copy
/// less per hit. The blocks are not compressed: decompressing them was the largest part of
/// reading hits, and reading hits the largest part of a search.
const DOCSTORE_BLOCK: usize = 4096;
/// Times the title goes into the searched text: a title word counts as this many
/// occurrences of it, which ranks title matches higher without a second posting list to
/// walk at query time.
const TITLE_REPEAT: usize = 2;
/// Query text past this many characters is ignored (a pasted article still searches).
const MAX_QUERY_CHARS: usize = 2000;
/// Hits per page at most.
pub const MAX_LIMIT: usize = 1000;
/// Articles read from the store and turned into documents per parallel step.
const CHUNK: usize = 512;

/// The search index of one store: open it once, refresh it after ingests, search it from
/// any number of threads.
///
/// ```
/// use newsfold::store::{search::{SearchIndex, SearchQuery}, Store};
/// let store = Store::open_in_memory()?;
/// let mut index = SearchIndex::in_memory()?;
/// let refreshed = index.refresh(&store)?;
/// assert_eq!(refreshed.total, 0);
/// let found = index.search(&SearchQuery::text("ceasefire"))?;
/// assert_eq!(found.total, 0);
/// # Ok::<(), newsfold::error::Error>(())
/// ```
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    /// Every word, in the title or the body (the `body` field).
    parser: QueryParser,
    fields: Fields,
    /// The folder, for messages; `None` in memory.
    dir: Option<PathBuf>,
}

/// What one refresh did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SearchRefresh {
    /// Articles (re)indexed: new, changed, or all of them when the index was rebuilt.
    pub indexed: usize,
    /// Documents dropped because their article is no longer in the store.
    pub removed: usize,
    /// Articles in the index afterwards.
    pub total: usize,
}

/// A search: query text (may be empty) and filters, all of which must hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    /// Words (all must match), "quoted phrases", `title:word`, `-word`, `a OR b`; empty lists
    /// the articles passing the filters, newest first.
    pub text: String,
    /// An outlet's canonical name (any case).
    pub outlet: Option<String>,
    /// Published on or after this day; undated articles never pass a date filter.
    pub from: Option<NaiveDate>,
    /// Published on or before this day.
    pub to: Option<NaiveDate>,
    /// An entity's canonical name (any case), as `newsfold stories` lists them.
    pub entity: Option<String>,
    /// Hits to return (at most [`MAX_LIMIT`]).
    pub limit: usize,
    /// Hits to skip first.
    pub offset: usize,
}

impl Default for SearchQuery {
    fn default() -> Self {
        SearchQuery {
            text: String::new(),
            outlet: None,
            from: None,
            to: None,
            entity: None,
            limit: 20,
            offset: 0,
        }
    }
}

impl SearchQuery {
    /// A query for this text, without filters, the first 20 hits.
    pub fn text(text: &str) -> SearchQuery {
        SearchQuery {
            text: text.to_string(),
            ..SearchQuery::default()
        }
    }
}

/// One page of hits and how many match in all.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchResults {
    pub total: usize,
    pub hits: Vec<Hit>,
}

/// One matching article. `title_html` and `snippet_html` are HTML-escaped text with only
/// `<mark>`…`</mark>` around matched words.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    pub article: String,
    /// BM25 relevance with title matches boosted; 0 when the query had no text.
    pub score: f32,
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub published: Option<NaiveDate>,
    pub title_html: String,
    pub snippet_html: String,
}

/// The schema's fields.
#[derive(Debug, Clone, Copy)]
struct Fields {
    id: Field,
    seq: Field,
    print: Field,
    /// Indexed (for `title:` queries) and stored.
    title: Field,
    /// The title ([`TITLE_REPEAT`] times) and the body, indexed as one text and not stored:
    /// what the words must match. One posting list per word, rather than a union of the
    /// title's and the body's, is the cheaper walk when every match is counted and ranked.
    body: Field,
    /// The body, stored only: what snippets are cut from.
    text: Field,
    /// Lowercased canonical name, one raw term, for filtering.
    outlet: Field,
    /// The name as it is displayed.
    outlet_name: Field,
    /// Days since 1 January of year 1 (`NaiveDate::num_days_from_ce`).
    published: Field,
    /// Lowercased canonical names, one raw term each.
    entity: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let indexed = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        seq: b.add_u64_field("seq", INDEXED | FAST | STORED),
        print: b.add_u64_field("print", FAST),
        title: b.add_text_field("title", indexed.clone().set_stored()),
        body: b.add_text_field("body", indexed),
        text: b.add_text_field("text", STORED),
        outlet: b.add_text_field("outlet", STRING),
        outlet_name: b.add_text_field("outlet_name", STORED),
        published: b.add_i64_field("published", INDEXED | FAST | STORED),
        entity: b.add_text_field("entity", STRING),
    };
    (b.build(), fields)
}

/// A new index of the schema, its doc store uncompressed in [`DOCSTORE_BLOCK`] blocks.
fn builder(schema: Schema) -> IndexBuilder {
    Index::builder().schema(schema).settings(IndexSettings {
        docstore_blocksize: DOCSTORE_BLOCK,
        docstore_compression: tantivy::store::Compressor::None,
        ..IndexSettings::default()
    })
}

/// The query for the text, or `None` when it is blank. Never fails: what the parser
/// cannot read it skips, and a parser panic (a tantivy bug) falls back to the words alone.
fn parse(parser: &QueryParser, text: &str) -> Option<Box<dyn Query>> {
    // `<`, `>` and `=` would make ranges, which mean nothing over words: `<script>` is a word.
    let text: String = text
        .chars()
        .take(MAX_QUERY_CHARS)
        .map(|c| if matches!(c, '<' | '>' | '=') { ' ' } else { c })
        .collect();
    if text.trim().is_empty() {
        return None;
    }
    let parsed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        parser.parse_query_lenient(&text).0
    }));
    Some(parsed.unwrap_or_else(|_| {
        let words: String = text
            .chars()
            .map(|c| if c.is_alphanumeric() { c } else { ' ' })
            .collect();
        parser.parse_query_lenient(&words).0
    }))
}

/// Words as runs of letters and digits, lower case, accents folded (so `Zelenskyy` and
/// `zelenskyy`, `café` and `cafe` meet); no stemming, since the corpus is in many languages.
fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(60))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

impl SearchIndex {
    /// The index folder for a store file: `newsfold.db` -> `newsfold.db.search`.
    pub fn dir_for(db: &Path) -> PathBuf {
        let mut name = db.as_os_str().to_os_string();
        name.push(".search");
        PathBuf::from(name)
    }

    /// Open the index in `dir`, creating it if missing; one of another schema version, or
    /// one that cannot be read, is replaced by an empty one (the next refresh fills it).
    /// Opens no writer, so a reading process never blocks a refresh elsewhere.
    pub fn open(dir: &Path) -> Result<SearchIndex> {
        let (schema, fields) = schema();
        let io = |what: &str, e| Error::io(format!("{what} {}", dir.display()), e);
        std::fs::create_dir_all(dir).map_err(|e| io("creating", e))?;
        let version = std::fs::read_to_string(dir.join(VERSION_FILE)).ok();
        let current = version.as_deref().map(str::trim) == Some(&SCHEMA_VERSION.to_string());
        let existing = if current {
            Index::open_in_dir(dir)
                .ok()
                .filter(|index| index.schema() == schema)
        } else {
            None
        };
        let index = match existing {
            Some(index) => index,
            None => {
                std::fs::remove_dir_all(dir).map_err(|e| io("clearing", e))?;
                std::fs::create_dir_all(dir).map_err(|e| io("creating", e))?;
                let index = builder(schema).create_in_dir(dir)?;
                std::fs::write(dir.join(VERSION_FILE), format!("{SCHEMA_VERSION}\n"))
                    .map_err(|e| io("writing in", e))?;
                index
            }
        };
        SearchIndex::with_index(index, fields, Some(dir.to_path_buf()))
    }

    /// An index in memory: for tests and in-memory stores.
    pub fn in_memory() -> Result<SearchIndex> {
        let (schema, fields) = schema();
        SearchIndex::with_index(builder(schema).create_in_ram()?, fields, None)
    }

    fn with_index(index: Index, fields: Fields, dir: Option<PathBuf>) -> Result<SearchIndex> {
        index.tokenizers().register(TOKENIZER, analyzer());
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            // The doc store is not compressed, so a cached block saves nothing but costs a
            // lock and an LRU update on every hit read.
            .doc_store_cache_num_blocks(0)
            .try_into()?;
        let mut parser = QueryParser::for_index(&index, vec![fields.body]);
        parser.set_conjunction_by_default();
        Ok(SearchIndex {
            index,
            reader,
            parser,
            fields,
            dir,
        })
    }

    /// Bring the index up to date with the store, reading entities with the shipped alias
    /// table. See [`SearchIndex::refresh_with`].
    pub fn refresh(&mut self, store: &Store) -> Result<SearchRefresh> {
        self.refresh_with(store, AliasTable::shipped())
    }

    /// [`SearchIndex::refresh_with`], where another process writing the index is no failure:
    /// the index stays as it stands and the inner `Err` says so, for the user to hear.
    pub fn refresh_unless_locked(
        &mut self,
        store: &Store,
        aliases: &AliasTable,
    ) -> Result<std::result::Result<SearchRefresh, String>> {
        match self.refresh_with(store, aliases) {
            Ok(r) => Ok(Ok(r)),
            Err(e @ Error::SearchLocked { .. }) => {
                Ok(Err(format!("search index not refreshed: {e}")))
            }
            Err(e) => Err(e),
        }
    }

    /// Bring the index up to date with the store: index new and changed articles, drop
    /// vanished ones, all in one commit; rebuild everything when the alias table changed.
    /// Fails with [`Error::SearchLocked`] when another process is writing the index.
    pub fn refresh_with(&mut self, store: &Store, aliases: &AliasTable) -> Result<SearchRefresh> {
        self.reader.reload()?;
        let payload = payload(aliases);
        let rebuild = self.index.load_metas()?.payload.as_deref() != Some(payload.as_str());
        let indexed = if rebuild {
            HashMap::new()
        } else {
            self.indexed_prints()?
        };
        let stored = stored_prints(store)?;
        let in_index: usize = self.reader.searcher().num_docs() as usize;
        let changed: Vec<i64> = stored
            .iter()
            .filter(|(seq, print)| indexed.get(&(*seq as u64)) != Some(&(*print, 1)))
            .map(|(seq, _)| *seq)
            .collect();
        let known: BTreeSet<u64> = stored.iter().map(|(seq, _)| *seq as u64).collect();
        let vanished: Vec<u64> = indexed
            .keys()
            .filter(|seq| !known.contains(seq))
            .copied()
            .collect();
        let mut outcome = SearchRefresh {
            indexed: changed.len(),
            removed: if rebuild {
                in_index.saturating_sub(stored.len())
            } else {
                vanished.len()
            },
            total: stored.len(),
        };
        if changed.is_empty() && vanished.is_empty() && !rebuild {
            return Ok(outcome);
        }
        let mut writer = self.writer()?;
        if rebuild {
            writer.delete_all_documents()?;
        }
        for seq in &vanished {
            writer.delete_term(Term::from_field_u64(self.fields.seq, *seq));
        }
        let prints: HashMap<i64, u64> = stored.into_iter().collect();
        for chunk in changed.chunks(CHUNK) {
            let articles = read_articles(store, chunk)?;
            let docs: Vec<TantivyDocument> = articles
                .par_iter()
                .map(|(seq, a)| self.document(*seq, prints[seq], a, aliases))
                .collect();
            for (doc, (seq, _)) in docs.into_iter().zip(&articles) {
                writer.delete_term(Term::from_field_u64(self.fields.seq, *seq as u64));
                writer.add_document(doc)?;
            }
            // An article that vanished between the two reads is simply not indexed.
            outcome.indexed -= chunk.len() - articles.len();
        }
        let mut commit = writer.prepare_commit()?;
        commit.set_payload(&payload);
        commit.commit()?;
        writer.wait_merging_threads()?;
        self.reader.reload()?;
        outcome.total = self.reader.searcher().num_docs() as usize;
        Ok(outcome)
    }

    /// The one writer, or a clear error when another process holds it.
    fn writer(&self) -> Result<IndexWriter> {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(2));
        let writer: IndexWriter = self
            .index
            .writer_with_num_threads(threads, WRITER_BUDGET)
            .map_err(|e| match e {
                tantivy::TantivyError::LockFailure(..) => Error::SearchLocked {
                    dir: self
                        .dir
                        .as_ref()
                        .map_or("(in memory)".into(), |d| d.display().to_string()),
                },
                e => Error::Search(e),
            })?;
        // Segments of about one size merge as soon as there are two (tantivy waits for
        // eight): every segment costs each query its own term look-ups and scorers, and a
        // desk reads far more often than ingest writes.
        let mut merging = LogMergePolicy::default();
        merging.set_min_num_segments(2);
        writer.set_merge_policy(Box::new(merging));
        Ok(writer)
    }

    /// Every live document's fingerprint by its article's `seq`, with how many documents
    /// carry that `seq` (more than one would be repaired by indexing it again).
    fn indexed_prints(&self) -> Result<HashMap<u64, (u64, u32)>> {
        let searcher = self.reader.searcher();
        let mut out: HashMap<u64, (u64, u32)> = HashMap::new();
        for segment in searcher.segment_readers() {
            let seqs = segment.fast_fields().u64("seq")?;
            let prints = segment.fast_fields().u64("print")?;
            let alive = segment.alive_bitset();
            for doc in 0..segment.max_doc() {
                if alive.is_some_and(|a| !a.is_alive(doc)) {
                    continue;
                }
                let (Some(seq), Some(print)) = (seqs.first(doc), prints.first(doc)) else {
                    continue;
                };
                let entry = out.entry(seq).or_insert((print, 0));
                entry.1 += 1;
            }
        }
        Ok(out)
    }

    fn document(
        &self,
        seq: i64,
        print: u64,
        a: &super::StoredArticle,
        aliases: &AliasTable,
    ) -> TantivyDocument {
        let f = &self.fields;
        let mut doc = TantivyDocument::default();
        let body = a.article.text();
        doc.add_text(f.id, &a.article.id);
        doc.add_u64(f.seq, seq as u64);
        doc.add_u64(f.print, print);
        if let Some(title) = &a.article.meta.title {
            doc.add_text(f.title, &title.value);
            for _ in 0..TITLE_REPEAT {
                doc.add_text(f.body, &title.value);
            }
        }
        doc.add_text(f.body, &body);
        doc.add_text(f.text, &body);
        // The registry's name, or the one inherited from a copy when the article has none.
        let outlet = a
            .outlet
            .as_ref()
            .or(a.article.meta.outlet.as_ref().map(|o| &o.value));
        if let Some(outlet) = outlet {
            doc.add_text(f.outlet, outlet.to_lowercase());
            doc.add_text(f.outlet_name, outlet);
        }
        if let Some(p) = &a.article.meta.published {
            doc.add_i64(f.published, day_number(p.value.date));
        }
        let names: BTreeSet<String> = crate::extract::entities::find_entities(&body, aliases)
            .into_iter()
            .filter(|e| e.kind != EntityKind::Other)
            .map(|e| e.name.to_lowercase())
            .collect();
        for name in names {
            doc.add_text(f.entity, name);
        }
        doc
    }

    /// Search (see [`SearchQuery`]). Never fails on what the user typed: the text is parsed
    /// leniently and what cannot be read is ignored. The same query on the same index gives
    /// the same hits in the same order (equal scores in ingest order).
    pub fn search(&self, q: &SearchQuery) -> Result<SearchResults> {
        let searcher = self.reader.searcher();
        let text = parse(&self.parser, &q.text);
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if let Some(t) = &text {
            clauses.push((Occur::Must, t.box_clone()));
        }
        for filter in self.filters(q) {
            clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(filter, 0.0))));
        }
        // One clause goes in alone: a word wrapped in a conjunction would lose its skipping.
        let query: Box<dyn Query> = match clauses.len() {
            0 => Box::new(AllQuery),
            1 => clauses.pop().expect("one clause").1,
            _ => Box::new(BooleanQuery::new(clauses)),
        };
        let limit = q.limit.min(MAX_LIMIT);
        // The collector keeps offset + limit hits, so an offset past every document is
        // answered without it.
        if limit == 0 || q.offset as u64 >= searcher.num_docs() {
            return Ok(SearchResults {
                total: searcher.search(&*query, &Count)?,
                hits: Vec::new(),
            });
        }
        // One pass counts the matches and ranks them.
        let (total, found): (usize, Vec<(Score, DocAddress)>) = if text.is_some() {
            let (total, top) = searcher.search(
                &*query,
                &Ranked {
                    keep: q.offset + limit,
                    skip: query.is::<TermQuery>(),
                },
            )?;
            (
                total,
                top.into_iter()
                    .skip(q.offset)
                    .map(|h| (h.score, h.doc))
                    .collect(),
            )
        } else {
            let newest = TopDocs::with_limit(limit).and_offset(q.offset).tweak_score(
                |segment: &SegmentReader| {
                    let seq = seq_column(segment);
                    let day = segment
                        .fast_fields()
                        .i64("published")
                        .ok()
                        .map(|c| c.first_or_default_col(i64::MIN));
                    move |doc: DocId, _: Score| {
                        let day = day.as_ref().map_or(i64::MIN, |c| c.get_val(doc));
                        (day, Reverse(seq(doc)))
                    }
                },
            );
            let (total, top) = searcher.search(&*query, &(Count, newest))?;
            (
                total,
                top.into_iter().map(|(_, addr)| (0.0, addr)).collect(),
            )
        };
        let marks = text
            .as_ref()
            .map(|t| Marks::new(&**t, &[self.fields.title, self.fields.body], analyzer()));
        let mut hits = Vec::with_capacity(found.len());
        for (score, addr) in found {
            let doc: Stored = searcher.doc(addr)?;
            hits.push(self.hit(&doc, score, marks.as_ref()));
        }
        Ok(SearchResults { total, hits })
    }

    fn filters(&self, q: &SearchQuery) -> Vec<Box<dyn Query>> {
        let f = &self.fields;
        let mut out: Vec<Box<dyn Query>> = Vec::new();
        let term = |field: Field, value: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, &value.trim().to_lowercase()),
                IndexRecordOption::Basic,
            ))
        };
        if let Some(outlet) = &q.outlet {
            out.push(term(f.outlet, outlet));
        }
        if let Some(entity) = &q.entity {
            out.push(term(f.entity, entity));
        }
        if q.from.is_some() || q.to.is_some() {
            let bound = |d: Option<NaiveDate>| match d {
                Some(d) => Bound::Included(Term::from_field_i64(f.published, day_number(d))),
                None => Bound::Unbounded,
            };
            out.push(Box::new(RangeQuery::new(bound(q.from), bound(q.to))));
        }
        out
    }

    fn hit(&self, doc: &Stored, score: Score, marks: Option<&Marks>) -> Hit {
        let f = &self.fields;
        let text = |field: Field| doc.get_first(field).and_then(|v| v.as_str());
        let title = text(f.title).map(str::to_string);
        let body = text(f.text).unwrap_or("");
        let title_html = match (&title, marks) {
            (Some(t), Some(m)) => m.title(t),
            (Some(t), None) => escape(t),
            (None, _) => String::new(),
        };
        let snippet_html = marks
            .and_then(|m| m.fragment(body))
            .unwrap_or_else(|| lead(body));
        Hit {
            article: text(f.id).unwrap_or("").to_string(),
            score,
            title,
            outlet: text(f.outlet_name).map(str::to_string),
            published: doc
                .get_first(f.published)
                .and_then(|v| v.as_i64())
                .and_then(from_day_number),
            title_html,
            snippet_html,
        }
    }
}

/// The collector of scored searches: the number of matches and the best `keep` of them, by
/// score, equal scores in ingest order. It reads a match's ingest number only when the match
/// could enter the best, which most matches of a common word cannot: a collector that keys
/// every match on (score, ingest number) reads that column for each.
struct Ranked {
    keep: usize,
    /// The query is one word: its matches are counted from the term's document frequency and
    /// ranked with block-max WAND, which skips the blocks of postings whose best score cannot
    /// enter the best `keep`. (A conjunction's count needs every match visited anyway.)
    skip: bool,
}

/// A match in [`Ranked`]'s order: the greater is the better.
#[derive(Debug, Clone, Copy)]
struct RankedHit {
    score: Score,
    seq: u64,
    doc: DocAddress,
}

impl Ord for RankedHit {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.score
            .total_cmp(&other.score)
            .then(other.seq.cmp(&self.seq))
    }
}

impl PartialOrd for RankedHit {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for RankedHit {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}

impl Eq for RankedHit {}

struct RankedSegment {
    keep: usize,
    segment: SegmentOrdinal,
    seq: Box<dyn Fn(DocId) -> u64>,
    count: usize,
    /// The best so far, the worst on top.
    best: BinaryHeap<Reverse<RankedHit>>,
}

impl Collector for Ranked {
    type Fruit = (usize, Vec<RankedHit>);
    type Child = RankedSegment;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<RankedSegment> {
        Ok(RankedSegment {
            keep: self.keep,
            segment,
            seq: Box::new(seq_column(reader)),
            count: 0,
            best: BinaryHeap::with_capacity(self.keep + 1),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn collect_segment(
        &self,
        weight: &dyn Weight,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Self::Fruit> {
        let mut child = self.for_segment(segment, reader)?;
        if !self.skip || reader.alive_bitset().is_some() || self.keep == 0 {
            let alive = reader.alive_bitset();
            weight.for_each(reader, &mut |doc, score| {
                if alive.is_none_or(|a| a.is_alive(doc)) {
                    child.collect(doc, score);
                }
            })?;
            return Ok(child.harvest());
        }
        let count = weight.count(reader)? as usize;
        // WAND visits only matches scoring above the threshold; just below the worst kept
        // score, so that an equal score, which may come earlier in ingest order, is seen.
        weight.for_each_pruning(Score::NEG_INFINITY, reader, &mut |doc, score| {
            child.collect(doc, score);
            child.threshold()
        })?;
        child.count = count;
        Ok(child.harvest())
    }

    fn merge_fruits(&self, fruits: Vec<(usize, Vec<RankedHit>)>) -> tantivy::Result<Self::Fruit> {
        let total = fruits.iter().map(|f| f.0).sum();
        let mut hits: Vec<RankedHit> = fruits.into_iter().flat_map(|f| f.1).collect();
        hits.sort_unstable_by(|a, b| b.cmp(a));
        hits.truncate(self.keep);
        Ok((total, hits))
    }
}

impl SegmentCollector for RankedSegment {
    type Fruit = (usize, Vec<RankedHit>);

    fn collect(&mut self, doc: DocId, score: Score) {
        self.count += 1;
        let full = self.best.len() >= self.keep;
        if self.keep == 0 || (full && self.best.peek().is_some_and(|w| score < w.0.score)) {
            return;
        }
        let hit = RankedHit {
            score,
            seq: (self.seq)(doc),
            doc: DocAddress::new(self.segment, doc),
        };
        if !full {
            self.best.push(Reverse(hit));
        } else if self.best.peek().is_some_and(|w| hit > w.0) {
            self.best.pop();
            self.best.push(Reverse(hit));
        }
    }

    fn harvest(self) -> Self::Fruit {
        (self.count, self.best.into_iter().map(|h| h.0).collect())
    }
}

impl RankedSegment {
    /// The score a match must pass to be worth offering: none until `keep` are held.
    fn threshold(&self) -> Score {
        match self.best.peek() {
            Some(worst) if self.best.len() >= self.keep => worst.0.score.next_down(),
            _ => Score::NEG_INFINITY,
        }
    }
}

/// A hit's stored fields as read from the doc store, each value as it was stored: cheaper to
/// build than a [`TantivyDocument`], which re-packs every value into its own layout.
struct Stored(Vec<(Field, OwnedValue)>);

impl DocumentDeserialize for Stored {
    fn deserialize<'de, D: DocumentDeserializer<'de>>(mut d: D) -> Result<Self, DeserializeError> {
        let mut fields = Vec::with_capacity(d.size_hint());
        while let Some(field) = d.next_field::<OwnedValue>()? {
            fields.push(field);
        }
        Ok(Stored(fields))
    }
}

impl Stored {
    fn get_first(&self, field: Field) -> Option<&OwnedValue> {
        self.0.iter().find(|(f, _)| *f == field).map(|(_, v)| v)
    }
}

/// Hits grouped by `key` (their story), the groups in the order of their best hit and the
/// hits in rank order within each: how the CLI and the desk show results.
pub fn group_hits<K: PartialEq>(
    hits: Vec<Hit>,
    mut key: impl FnMut(&Hit) -> Result<K>,
) -> Result<Vec<(K, Vec<Hit>)>> {
    let mut groups: Vec<(K, Vec<Hit>)> = Vec::new();
    for hit in hits {
        let k = key(&hit)?;
        match groups.iter_mut().find(|g| g.0 == k) {
            Some(g) => g.1.push(hit),
            None => groups.push((k, vec![hit])),
        }
    }
    Ok(groups)
}

/// What a commit's payload says the index was built with: the alias table's hash.
fn payload(aliases: &AliasTable) -> String {
    format!(
        "aliases={}",
        blake3::hash(aliases.to_tsv().as_bytes()).to_hex()
    )
}

/// A segment's `seq` of each document (every document has one; 0 if the column is unreadable).
fn seq_column(segment: &SegmentReader) -> impl Fn(DocId) -> u64 + 'static {
    let column = segment
        .fast_fields()
        .u64("seq")
        .ok()
        .map(|c| c.first_or_default_col(0));
    move |doc| column.as_ref().map_or(0, |c| c.get_val(doc))
}

fn day_number(d: NaiveDate) -> i64 {
    i64::from(d.num_days_from_ce())
}

fn from_day_number(n: i64) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(i32::try_from(n).ok()?)
}

/// Every stored article's fingerprint by `seq`, in ingest order: a hash of its cleaned body,
/// its metadata, what it inherits from its copies and its outlet's current name, read as the
/// store holds them (no JSON parsed).
fn stored_prints(store: &Store) -> Result<Vec<(i64, u64)>> {
    let mut stmt = store.conn.prepare(
        "SELECT a.seq, a.paragraphs, a.meta, c.inherited, o.name FROM articles a
         LEFT JOIN outlets o ON o.id = a.outlet_id LEFT JOIN copies c ON c.seq = a.seq ORDER BY a.seq",
    )?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let mut h = blake3::Hasher::new();
        for i in 1..5 {
            match r.get_ref(i)?.as_str_or_null() {
                Ok(Some(s)) => {
                    h.update(&(s.len() as u64).to_le_bytes());
                    h.update(s.as_bytes());
                }
                _ => {
                    h.update(&u64::MAX.to_le_bytes());
                }
            }
        }
        let print = u64::from_le_bytes(h.finalize().as_bytes()[..8].try_into().expect("8 bytes"));
        out.push((r.get(0)?, print));
    }
    Ok(out)
}

/// The stored articles with these `seq`s, in that order (those no longer stored left out).
fn read_articles(store: &Store, seqs: &[i64]) -> Result<Vec<(i64, super::StoredArticle)>> {
    let mut stmt = store
        .conn
        .prepare_cached(&format!("{} WHERE a.seq = ?1", super::ARTICLE_SELECT))?;
    let mut out = Vec::with_capacity(seqs.len());
    for &seq in seqs {
        let mut rows = stmt.query([seq])?;
        if let Some(row) = rows.next()? {
            out.push((seq, super::read_article(row)?));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::pipeline::{self, Quiet};

    const PARIS_TALKS: &str = "Negotiators met in Geneva on Friday to discuss a ceasefire in the east. Vladimir Putin said the peace talks could resume next week if both sides agree.\n\nThe United Nations welcomed the news and said aid convoys were ready to move. Diplomats cautioned that earlier truces had collapsed within days.";
    const GRAIN: &str = "Grain exports rose sharply in February as ships left the ports of Odesa. Traders said talks on insurance and peace in the Black Sea were helping.\n\nPrices on the Chicago exchange fell for a third week. Analysts expect the harvest to be larger than last year.";
    const HOSTILE: &str = "Officials warned about <script>alert(1)</script> in comments, and about Fish &amp; Chips signs. The ceasefire held overnight, residents said.\n\nوقف إطلاق النار صامد في غزة. הפסקת האש מחזיקה מעמד, אמרו התושבים. Reporters filed updates every hour from the border.";
    const UNDATED: &str = "A ceasefire was announced without a date in this report. Residents returned to their homes and shops opened again.\n\nAid groups asked for guarantees that the truce would hold through the winter months ahead.";

    fn record(title: &str, outlet: &str, date: Option<&str>, text: &str) -> String {
        let mut v = serde_json::json!({"title": title, "outlet": outlet, "text": text});
        if let Some(d) = date {
            v["date"] = serde_json::json!(d);
        }
        v.to_string()
    }

    fn config() -> Config {
        let mut c = Config::default();
        c.stories.embeddings = false;
        c
    }

    /// A store in memory with these JSON lines ingested through the real pipeline.
    fn store_with(lines: &[String]) -> Store {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("articles.jsonl");
        std::fs::write(&path, lines.join("\n")).unwrap();
        let mut store = Store::open_in_memory().unwrap();
        let args = vec![path.display().to_string()];
        pipeline::ingest(&mut store, &args, &config(), &Quiet).unwrap();
        store
    }

    fn corpus() -> Store {
        store_with(&[
            record(
                "Ceasefire talks resume in Geneva",
                "The Moscow Times",
                Some("2024-03-01"),
                PARIS_TALKS,
            ),
            record("Grain exports rise", "Reuters", Some("2024-03-05"), GRAIN),
            record(
                "<script>alert(\"t\")</script> Ceasefire & calm",
                "Hostile Daily",
                Some("2024-02-20"),
                HOSTILE,
            ),
            record("Truce announced", "Reuters", None, UNDATED),
        ])
    }

    fn indexed(store: &Store) -> SearchIndex {
        let mut index = SearchIndex::in_memory().unwrap();
        index.refresh(store).unwrap();
        index
    }

    fn titles(index: &SearchIndex, q: &SearchQuery) -> Vec<String> {
        index
            .search(q)
            .unwrap()
            .hits
            .into_iter()
            .map(|h| h.title.unwrap_or_default())
            .collect()
    }

    fn refreshed(index: &mut SearchIndex, store: &Store) -> (usize, usize, usize) {
        let r = index.refresh(store).unwrap();
        (r.indexed, r.removed, r.total)
    }

    #[test]
    fn words_must_all_match_and_phrases_match_as_written() {
        let index = indexed(&corpus());
        assert_eq!(
            index.search(&SearchQuery::text("ceasefire")).unwrap().total,
            3
        );
        assert_eq!(
            titles(&index, &SearchQuery::text("ceasefire geneva")),
            ["Ceasefire talks resume in Geneva"]
        );
        assert_eq!(
            index
                .search(&SearchQuery::text("peace talks"))
                .unwrap()
                .total,
            2
        );
        assert_eq!(
            titles(&index, &SearchQuery::text("\"peace talks\"")),
            ["Ceasefire talks resume in Geneva"]
        );
        // Title matches count more: the article titled "Truce" comes first for "truce".
        assert_eq!(
            titles(&index, &SearchQuery::text("truce"))[0],
            "Truce announced"
        );
        // Case and accents do not matter.
        assert_eq!(index.search(&SearchQuery::text("GENÈVA")).unwrap().total, 1);
    }

    #[test]
    fn filters_by_outlet_date_and_entity() {
        let index = indexed(&corpus());
        let q = |f: &dyn Fn(&mut SearchQuery)| {
            let mut q = SearchQuery::default();
            f(&mut q);
            titles(&index, &q)
        };
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        // No text: newest first, undated last.
        assert_eq!(
            q(&|q| q.outlet = Some("REUTERS".into())),
            ["Grain exports rise", "Truce announced"]
        );
        assert_eq!(
            q(&|q| {
                q.outlet = Some("reuters".into());
                q.text = "ceasefire".into();
            }),
            ["Truce announced"]
        );
        assert_eq!(
            q(&|q| q.from = day("2024-03-01")),
            ["Grain exports rise", "Ceasefire talks resume in Geneva"]
        );
        assert_eq!(
            q(&|q| q.to = day("2024-02-29")),
            ["<script>alert(\"t\")</script> Ceasefire & calm"]
        );
        assert_eq!(
            q(&|q| {
                q.from = day("2024-03-01");
                q.to = day("2024-03-01");
            }),
            ["Ceasefire talks resume in Geneva"]
        );
        assert!(q(&|q| q.from = day("2099-01-01")).is_empty());
        assert_eq!(
            q(&|q| q.entity = Some("vladimir putin".into())),
            ["Ceasefire talks resume in Geneva"]
        );
        assert_eq!(
            q(&|q| q.entity = Some("Black Sea".into())),
            ["Grain exports rise"]
        );
        assert!(q(&|q| q.outlet = Some("Nobody".into())).is_empty());
    }

    #[test]
    fn snippets_and_titles_are_escaped_with_only_marks() {
        let index = indexed(&corpus());
        let only_marks = |html: &str| {
            let rest = html.replace("<mark>", "").replace("</mark>", "");
            assert!(!rest.contains('<') && !rest.contains('>'), "{html}");
        };
        let hit = index
            .search(&SearchQuery::text("ceasefire chips"))
            .unwrap()
            .hits;
        assert_eq!(hit.len(), 1);
        let h = &hit[0];
        assert_eq!(
            h.title_html,
            "&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt; <mark>Ceasefire</mark> &amp; calm"
        );
        assert!(h.snippet_html.contains("Fish &amp;amp; <mark>Chips</mark>"));
        only_marks(&h.title_html);
        only_marks(&h.snippet_html);
        let hits = index.search(&SearchQuery::text("alert")).unwrap().hits;
        assert_eq!(hits.len(), 1);
        assert!(
            hits[0]
                .snippet_html
                .contains("&lt;script&gt;<mark>alert</mark>(1)&lt;/script&gt;"),
            "{}",
            hits[0].snippet_html
        );
        only_marks(&hits[0].snippet_html);
        // Right-to-left text is found and marked as it stands.
        for word in ["غزة", "האש"] {
            let hits = index.search(&SearchQuery::text(word)).unwrap().hits;
            assert_eq!(hits.len(), 1, "{word}");
            assert!(
                hits[0]
                    .snippet_html
                    .contains(&format!("<mark>{word}</mark>")),
                "{}",
                hits[0].snippet_html
            );
            only_marks(&hits[0].snippet_html);
        }
        // Markup in the query is only words.
        let hits = index.search(&SearchQuery::text("<script>")).unwrap().hits;
        assert_eq!(hits.len(), 1);
        only_marks(&hits[0].snippet_html);
    }

    #[test]
    fn refresh_indexes_only_what_changed() {
        let mut store = corpus();
        let mut index = SearchIndex::in_memory().unwrap();
        assert_eq!(refreshed(&mut index, &store), (4, 0, 4));
        assert_eq!(refreshed(&mut index, &store), (0, 0, 4));
        // A renamed outlet: its articles again, found under the new name.
        store.rename_outlet("Reuters", "Reuters Wire").unwrap();
        assert_eq!(refreshed(&mut index, &store), (2, 0, 4));
        let by = |name: &str| SearchQuery {
            outlet: Some(name.into()),
            ..SearchQuery::default()
        };
        assert_eq!(index.search(&by("reuters wire")).unwrap().total, 2);
        assert_eq!(index.search(&by("reuters")).unwrap().total, 0);
        assert_eq!(
            index.search(&by("reuters wire")).unwrap().hits[0]
                .outlet
                .as_deref(),
            Some("Reuters Wire")
        );
        // A body cleaned again: that article again, its dropped paragraph no longer found.
        let dropped = HOSTILE.split("\n\n").nth(1).unwrap();
        let changed = store
            .add_rule("Hostile Daily", "drop_line", dropped, &config().clean)
            .unwrap();
        assert_eq!(changed, 1);
        assert_eq!(refreshed(&mut index, &store), (1, 0, 4));
        assert_eq!(index.search(&SearchQuery::text("غزة")).unwrap().total, 0);
        assert_eq!(index.search(&SearchQuery::text("chips")).unwrap().total, 1);
        // A vanished article is dropped.
        store
            .conn
            .execute_batch(
                "PRAGMA foreign_keys = OFF; DELETE FROM articles WHERE seq = (SELECT MAX(seq) FROM articles); PRAGMA foreign_keys = ON;",
            )
            .unwrap();
        assert_eq!(refreshed(&mut index, &store), (0, 1, 3));
        assert_eq!(index.search(&SearchQuery::text("truce")).unwrap().total, 0);
        // Another alias table: everything again.
        let r = index.refresh_with(&store, &AliasTable::default()).unwrap();
        assert_eq!((r.indexed, r.removed, r.total), (3, 0, 3));
        assert_eq!(refreshed(&mut index, &store), (3, 0, 3));
        assert_eq!(refreshed(&mut index, &store), (0, 0, 3));
    }

    #[test]
    fn a_duplicate_document_is_repaired() {
        let store = corpus();
        let mut index = indexed(&store);
        // As if a document of article 1 had been added twice: the next refresh leaves one.
        let (seq, a) = read_articles(&store, &[1]).unwrap().pop().unwrap();
        let doc = index.document(seq, 0, &a, AliasTable::shipped());
        let mut writer = index.writer().unwrap();
        writer.add_document(doc).unwrap();
        let mut commit = writer.prepare_commit().unwrap();
        commit.set_payload(&payload(AliasTable::shipped()));
        commit.commit().unwrap();
        drop(writer);
        assert_eq!(refreshed(&mut index, &store), (1, 0, 4));
        assert_eq!(
            titles(&index, &SearchQuery::text("geneva")),
            ["Ceasefire talks resume in Geneva"]
        );
    }

    #[test]
    fn same_query_same_order_ties_in_ingest_order() {
        let lines: Vec<String> = ["Alpha Wire", "Beta Post", "Gamma News", "Delta Daily"]
            .iter()
            .map(|o| record("Floods in the valley", o, Some("2024-05-01"), GRAIN))
            .collect();
        let store = store_with(&lines);
        let index = indexed(&store);
        let order: Vec<String> = store
            .articles(None, None)
            .unwrap()
            .into_iter()
            .map(|a| a.article.id)
            .collect();
        for text in ["grain", ""] {
            let q = SearchQuery::text(text);
            let ids: Vec<String> = index
                .search(&q)
                .unwrap()
                .hits
                .into_iter()
                .map(|h| h.article)
                .collect();
            assert_eq!(ids, order, "{text:?}");
        }
        // Pages.
        let page = |limit, offset| {
            let q = SearchQuery {
                text: "grain".into(),
                limit,
                offset,
                ..SearchQuery::default()
            };
            let r = index.search(&q).unwrap();
            (
                r.total,
                r.hits.into_iter().map(|h| h.article).collect::<Vec<_>>(),
            )
        };
        assert_eq!(page(2, 1), (4, order[1..3].to_vec()));
        assert_eq!(page(0, 0), (4, vec![]));
        assert_eq!(page(10, 99), (4, vec![]));
        assert_eq!(page(usize::MAX, usize::MAX), (4, vec![]));
    }

    #[test]
    fn skipping_ranks_a_word_as_visiting_every_match_does() {
        // Bodies of different lengths with the word a different number of times: many equal
        // scores, and blocks of postings whose best scores differ.
        let lines: Vec<String> = (0..400)
            .map(|i| {
                let text = format!(
                    "{}{}",
                    "The grain harvest was late. ".repeat(1 + i * 7 % 4),
                    "Ships waited in the port for the weather to turn. ".repeat(1 + i % 3)
                );
                record("Harvest report", &format!("Outlet {i}"), None, &text)
            })
            .collect();
        let index = indexed(&store_with(&lines));
        let searcher = index.reader.searcher();
        let query = parse(&index.parser, "grain").unwrap();
        assert!(query.is::<TermQuery>());
        let ranked = |keep, skip| searcher.search(&*query, &Ranked { keep, skip }).unwrap();
        let key = |hits: &[RankedHit]| -> Vec<(u32, u64)> {
            hits.iter().map(|h| (h.score.to_bits(), h.seq)).collect()
        };
        let all = ranked(400, false);
        assert_eq!(all.0, 400);
        assert!(all.1.windows(2).any(|w| w[0].score == w[1].score));
        assert!(all.1.windows(2).all(|w| w[0] > w[1]));
        for keep in [1, 10, 129, 400] {
            let (fast, full) = (ranked(keep, true), ranked(keep, false));
            assert_eq!(fast.0, 400, "{keep}");
            assert_eq!(key(&fast.1), key(&full.1), "{keep}");
            assert_eq!(key(&fast.1), key(&all.1[..keep]), "{keep}");
        }
    }

    #[test]
    fn no_query_text_ever_fails() {
        let index = indexed(&corpus());
        let long = "ceasefire ".repeat(1100);
        let nasty = [
            "\"unbalanced",
            "AND OR",
            "AND",
            "OR NOT",
            "title:",
            "title:ceasefire",
            "body:\"peace",
            "*",
            "ceasefire*",
            "-",
            "+",
            "(((",
            ")",
            "[1 TO",
            "published:[2024 TO *]",
            "seq:abc",
            "nosuchfield:x",
            "outlet_name:x",
            "id:",
            "\\",
            "~2",
            "ceasefire~",
            "^3",
            "title:^",
            "😀🔥 ceasefire",
            "\u{202E}\u{0000}",
            "'",
            "{ }",
            "a:b:c:d",
            &long,
        ];
        for text in nasty {
            let r = index.search(&SearchQuery::text(text));
            assert!(r.is_ok(), "{text:?}: {r:?}");
        }
        assert_eq!(index.search(&SearchQuery::text(&long)).unwrap().total, 3);
        assert_eq!(
            titles(&index, &SearchQuery::text("title:geneva")),
            ["Ceasefire talks resume in Geneva"]
        );
        assert_eq!(
            index
                .search(&SearchQuery::text("ceasefire -geneva"))
                .unwrap()
                .total,
            2
        );
    }

    #[test]
    fn shared_across_threads() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<SearchIndex>();
        let index = std::sync::Arc::new(indexed(&corpus()));
        let handles: Vec<_> = (0..4)
            .map(|_| {
                let index = index.clone();
                std::thread::spawn(move || index.search(&SearchQuery::text("ceasefire")).unwrap())
            })
            .collect();
        for h in handles {
            assert_eq!(h.join().unwrap().total, 3);
        }
    }

    #[test]
    fn on_disk_survives_reopening_and_rebuilds_what_it_cannot_use() {
        let tmp = tempfile::tempdir().unwrap();
        let db = tmp.path().join("newsfold.db");
        let dir = SearchIndex::dir_for(&db);
        assert_eq!(dir, tmp.path().join("newsfold.db.search"));
        let store = corpus();
        let mut index = SearchIndex::open(&dir).unwrap();
        assert_eq!(refreshed(&mut index, &store), (4, 0, 4));
        drop(index);
        let mut index = SearchIndex::open(&dir).unwrap();
        assert_eq!(
            index.search(&SearchQuery::text("ceasefire")).unwrap().total,
            3
        );
        assert_eq!(refreshed(&mut index, &store), (0, 0, 4));
        drop(index);
        // Another schema version: rebuilt from empty.
        std::fs::write(dir.join(VERSION_FILE), "0\n").unwrap();
        let mut index = SearchIndex::open(&dir).unwrap();
        assert_eq!(
            index.search(&SearchQuery::text("ceasefire")).unwrap().total,
            0
        );
        assert_eq!(refreshed(&mut index, &store), (4, 0, 4));
        drop(index);
        // The folder deleted: rebuilt.
        std::fs::remove_dir_all(&dir).unwrap();
        let mut index = SearchIndex::open(&dir).unwrap();
        assert_eq!(refreshed(&mut index, &store), (4, 0, 4));
        // Another writer holds the lock: a clear error, and searching still works.
        let mut other = SearchIndex::open(&dir).unwrap();
        let held = index.writer().unwrap();
        let mut renamed = corpus();
        renamed.rename_outlet("Reuters", "Reuters Wire").unwrap();
        assert!(matches!(
            other.refresh(&renamed),
            Err(Error::SearchLocked { .. })
        ));
        // Nothing to write needs no writer.
        assert_eq!(refreshed(&mut other, &store), (0, 0, 4));
        drop(held);
        assert_eq!(refreshed(&mut other, &renamed), (2, 0, 4));
        // The first index sees the other's commit.
        index.reader.reload().unwrap();
        let by = SearchQuery {
            outlet: Some("reuters wire".into()),
            ..SearchQuery::default()
        };
        assert_eq!(index.search(&by).unwrap().total, 2);
    }
}
