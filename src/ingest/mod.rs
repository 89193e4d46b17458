//! Ingest: from bytes the user points at to [`Article`]s with provenance-carrying metadata.
//!
//! The stage is a plain function per document, [`parse_document`], plus the reading of inputs
//! into raw documents ([`input`]). Formats are told apart by content ([`sniff`]); each format
//! has its reader ([`text`] for plain text and Markdown, [`html`], [`jsonl`], [`warc`]); the
//! metadata they find are candidates that [`meta`] chooses among. This stage does not touch the
//! store and does not remove furniture: that is `clean`'s job (the paragraphs of a [`Parsed`]
//! article are not yet cleaned).

pub mod dates;
pub mod html;
pub mod input;
pub mod jsonl;
pub mod lines;
pub mod meta;
pub mod sniff;
pub mod text;
pub mod urls;
pub mod warc;

pub use input::SNIFF_BYTES;

use crate::error::InputError;
use crate::model::{article_id, Article, BodyKind, Format, MetaSource, RawDocument, RecordHints};
use meta::{Candidates, OutletHint};
use serde::Deserialize;

/// Settings of the ingest stage (`[ingest]` in the configuration file).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct IngestConfig {
    /// The largest document (a file, a JSONL line, a WARC record) accepted, in bytes, after
    /// decompression. Default 16 MiB: far above any real article, low enough that a runaway
    /// input cannot exhaust memory.
    pub max_document_bytes: u64,
    /// The deepest HTML element nesting accepted. Default 512: real pages stay under 100,
    /// while the extractor's time and stack grow steeply with depth (10,000 levels: seconds
    /// and a stack overflow on a default thread).
    pub max_html_depth: usize,
    /// The largest HTML page extracted, in bytes. Default 8 MiB: extraction time grows with
    /// size (a 20 MB page takes the extractor about 18 s and 0.5 GB).
    pub max_html_bytes: usize,
    /// Documents parsed in parallel between two store transactions. Default 1024.
    pub batch_size: usize,
    /// Record field names for JSON inputs.
    pub fields: jsonl::FieldMap,
}

impl Default for IngestConfig {
    fn default() -> Self {
        IngestConfig {
            max_document_bytes: 16 << 20,
            max_html_depth: 512,
            max_html_bytes: 8 << 20,
            batch_size: 1024,
            fields: jsonl::FieldMap::default(),
        }
    }
}

/// A parsed document: the article (its paragraphs not yet cleaned), what the outlet registry
/// needs to name its outlet, and what the cleaner can use beyond the text.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub article: Article,
    pub outlet_hint: OutletHint,
    pub page: crate::clean::PageHints,
}

/// Parse one raw document into an article.
pub fn parse_document(raw: &RawDocument, cfg: &IngestConfig) -> Result<Parsed, InputError> {
    let raw_hash = blake3::hash(&raw.bytes).to_hex().to_string();
    let (hints, format) = match raw.container {
        Some(Format::Jsonl) => (jsonl::read_record(&raw.bytes, &cfg.fields)?, Format::Jsonl),
        Some(Format::Warc) => (warc::read_record(&raw.bytes)?, Format::Warc),
        _ => (raw.hints.clone(), Format::Text),
    };
    let mut cands = Candidates::default();
    add_hints(&hints, &mut cands);
    let (paragraphs, format) = match (hints.body, hints.body_kind) {
        (Some(body), Some(BodyKind::Html)) => (html::read(&body, cfg, &mut cands)?, format),
        (Some(body), _) => {
            let own = sniff::text_format(&body);
            let paragraphs = text_like(&body, own, cfg, &mut cands)?;
            (paragraphs, format)
        }
        (None, _) => {
            let text = sniff::decode(&raw.bytes, None)?;
            let own = sniff::text_format(&text);
            (text_like(&text, own, cfg, &mut cands)?, own)
        }
    };
    if paragraphs.is_empty() {
        return Err(InputError::NoText);
    }
    let body = paragraphs.join("\n\n");
    let page = crate::clean::PageHints {
        metadata_lines: std::mem::take(&mut cands.furniture_lines),
        lead_in: cands.lead_in.take(),
    };
    let comments = std::mem::take(&mut cands.comments);
    let (meta, outlet_hint) = cands.resolve(&body);
    Ok(Parsed {
        article: Article {
            id: article_id(&raw_hash),
            raw_hash,
            external_id: hints.external_id,
            source_path: raw.source_path.clone(),
            format,
            meta,
            paragraphs,
            furniture: Vec::new(),
            comments,
        },
        outlet_hint,
        page,
    })
}

/// Read a body that is text, Markdown or (inside a JSON record) HTML.
fn text_like(
    body: &str,
    format: Format,
    cfg: &IngestConfig,
    cands: &mut Candidates,
) -> Result<Vec<String>, InputError> {
    let blocks = match format {
        Format::Html => return html::read(body, cfg, cands),
        Format::Markdown => text::markdown_blocks(body),
        _ => text::text_blocks(body),
    };
    Ok(lines::read(blocks, cands)
        .into_iter()
        .map(|b| b.text)
        .collect())
}

/// What a container said about the document is the most trusted source there is.
fn add_hints(hints: &RecordHints, cands: &mut Candidates) {
    let source = hints.origin.unwrap_or(MetaSource::Record);
    if let Some(url) = &hints.url {
        cands.add_url(url, source, 0.95);
    }
    if let Some(date) = &hints.date {
        cands.add_date(date, source, 0.9);
    }
    for (list, value) in [
        (&mut cands.title, &hints.title),
        (&mut cands.outlet, &hints.outlet),
        (&mut cands.author, &hints.author),
    ] {
        if let Some(v) = value {
            Candidates::add_text(list, v, source, 0.95);
        }
    }
    if let Some(lang) = hints.language.as_deref().and_then(meta::language_tag) {
        cands
            .language
            .push(crate::model::Field::new(lang, source, 0.95));
    }
    cands.crawled = hints.crawled.clone();
}
