//! Export: articles as JSON lines, CSV or Parquet, in one documented record shape
//! ([`ExportRecord`]), in ingest order, byte for byte the same for the same store.
//!
//! The record's field names are a contract (see `docs/export.md`): later stages add fields,
//! none is renamed or removed.

use crate::error::{Error, Result};
use crate::extract::entities::AliasTable;
use crate::model::{Field, MetaSource};
use crate::store::{Store, StoredArticle};
use serde::Serialize;
use std::io::Write;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    Jsonl,
    Csv,
    Parquet,
}

/// Where a metadata value came from, as exported.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Provenance {
    pub source: MetaSource,
    pub confidence: f32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
}

impl<T> From<&Field<T>> for Provenance {
    fn from(f: &Field<T>) -> Self {
        Provenance {
            source: f.source,
            confidence: f.confidence,
            evidence: f.evidence.clone(),
        }
    }
}

/// The provenance of every metadata field that has a value.
#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct ProvenanceMap {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<Provenance>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outlet: Option<Provenance>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<Provenance>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<Provenance>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<Provenance>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<Provenance>,
}

/// One exported article.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ExportRecord {
    pub id: String,
    pub external_id: Option<String>,
    pub source_path: String,
    pub format: String,
    pub outlet: Option<String>,
    pub url: Option<String>,
    pub title: Option<String>,
    pub author: Option<String>,
    pub language: Option<String>,
    /// ISO date, or null when undated.
    pub published: Option<String>,
    pub published_confidence: Option<f32>,
    pub published_source: Option<MetaSource>,
    /// `day`, `month` or `year`.
    pub published_granularity: Option<crate::model::Granularity>,
    /// True when `published` is a lower bound read from the text, not a stated date.
    pub published_not_before: bool,
    /// When the page was crawled (WARC-Date), never used as `published`.
    pub crawled: Option<String>,
    /// The cleaned body: `paragraphs` joined by blank lines.
    pub text: String,
    pub paragraphs: Vec<String>,
    /// What the cleaner removed from the body.
    pub furniture: Vec<ExportFurniture>,
    /// Reader comments found on the page, kept apart from the body.
    pub comments: Vec<String>,
    pub provenance: ProvenanceMap,
    /// The copy group: the id of its original; null for an article with no copy.
    pub copy_group: Option<String>,
    /// `original`, `same_document`, `reprint` or `edited_reprint`; null with no copy.
    pub copy_relation: Option<crate::dedup::Relation>,
    /// The id of the article this one was matched to (its group's original).
    pub copy_of: Option<String>,
    /// The Jaccard similarity of the shingles of the two cleaned bodies.
    pub copy_similarity: Option<f64>,
    /// The event ([`crate::stories`]): `ev_` and the id of its first article.
    pub event: Option<String>,
    /// The storyline the event belongs to: `sl_` and the id of its first article.
    pub storyline: Option<String>,
    /// Quotes in the cleaned body with their speakers ([`crate::extract::quotes`]), read
    /// from `text` when exported; offsets are characters of `text`.
    pub quotes: Vec<crate::extract::Quote>,
    /// Dates the cleaned body mentions, resolved against `published`
    /// ([`crate::extract::dates`]); offsets are characters of `text`.
    pub dates: Vec<crate::extract::dates::DateMention>,
    /// The people, organisations and places the cleaned body names, with aliases resolved
    /// ([`crate::extract::entities`]); offsets are characters of `text`.
    pub entities: Vec<crate::extract::entities::Entity>,
    /// What one party calls another in the cleaned body ([`crate::extract::labels`]).
    pub labels: Vec<crate::extract::labels::Label>,
}

/// A removed block in the export: its text, kind, why it was removed and where it stood
/// (the index among the article's blocks before cleaning).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ExportFurniture {
    pub text: String,
    pub kind: crate::clean::FurnitureKind,
    pub reason: String,
    pub position: usize,
}

impl ExportRecord {
    /// The record of one stored article, its entities read with `aliases`.
    pub fn new(s: &StoredArticle, aliases: &AliasTable) -> Self {
        let a = &s.article;
        let m = &a.meta;
        let value = |f: &Option<Field<String>>| f.as_ref().map(|f| f.value.clone());
        let text = a.text();
        let entities = crate::extract::entities::find_entities(&text, aliases);
        let labels = crate::extract::labels::find_labels(&text, &entities, s.outlet.as_deref());
        ExportRecord {
            id: a.id.clone(),
            external_id: a.external_id.clone(),
            source_path: a.source_path.clone(),
            format: a.format.as_str().to_string(),
            outlet: s.outlet.clone(),
            url: value(&m.url),
            title: value(&m.title),
            author: value(&m.author),
            language: value(&m.language),
            published: m.published.as_ref().map(|f| f.value.date.to_string()),
            published_confidence: m.published.as_ref().map(|f| f.confidence),
            published_source: m.published.as_ref().map(|f| f.source),
            published_granularity: m.published.as_ref().map(|f| f.value.granularity),
            published_not_before: m.published.as_ref().is_some_and(|f| f.value.not_before),
            crawled: m.crawled.clone(),
            paragraphs: a.paragraphs.clone(),
            furniture: a
                .furniture
                .iter()
                .map(|f| ExportFurniture {
                    text: f.text.clone(),
                    kind: f.kind,
                    reason: f.reason.clone(),
                    position: f.position,
                })
                .collect(),
            comments: a.comments.clone(),
            provenance: ProvenanceMap {
                title: m.title.as_ref().map(Into::into),
                outlet: m.outlet.as_ref().map(Into::into),
                url: m.url.as_ref().map(Into::into),
                author: m.author.as_ref().map(Into::into),
                language: m.language.as_ref().map(Into::into),
                published: m.published.as_ref().map(Into::into),
            },
            copy_group: s.copy.as_ref().map(|c| c.group.clone()),
            copy_relation: s.copy.as_ref().map(|c| c.relation),
            copy_of: s.copy.as_ref().and_then(|c| c.copy_of.clone()),
            copy_similarity: s.copy.as_ref().and_then(|c| c.figures).map(|f| f.jaccard),
            event: s.story.as_ref().map(|m| m.event.clone()),
            storyline: s.story.as_ref().map(|m| m.storyline.clone()),
            quotes: crate::extract::quotes::find_quotes(&text),
            dates: crate::extract::dates::find_dates(
                &text,
                m.published.as_ref().map(|p| p.value.date),
            ),
            entities,
            labels,
            text,
        }
    }
}

/// Write every article of the store to `out` in `format`.
pub fn export(
    store: &Store,
    format: ExportFormat,
    aliases: &AliasTable,
    out: &mut (dyn Write + Send),
) -> Result<usize> {
    let io = |e: std::io::Error| Error::io("writing the export", e);
    let mut count = 0;
    match format {
        ExportFormat::Jsonl => store.for_each_article(None, None, |a| {
            let record = ExportRecord::new(&a, aliases);
            serde_json::to_writer(&mut *out, &record).map_err(|e| Error::Export(e.to_string()))?;
            out.write_all(b"\n").map_err(io)?;
            count += 1;
            Ok(())
        })?,
        ExportFormat::Csv => {
            let mut w = csv::Writer::from_writer(&mut *out);
            w.write_record(CSV_COLUMNS).map_err(csv_err)?;
            store.for_each_article(None, None, |a| {
                let r = ExportRecord::new(&a, aliases);
                w.write_record(csv_row(&r)?).map_err(csv_err)?;
                count += 1;
                Ok(())
            })?;
            w.flush().map_err(io)?;
        }
        ExportFormat::Parquet => {
            let schema = record_batch(&[])?.schema();
            let mut writer =
                parquet::arrow::ArrowWriter::try_new(&mut *out, schema, Some(parquet_properties()))
                    .map_err(parquet_err)?;
            // Row groups of a few thousand articles keep memory flat whatever the store's size.
            let mut chunk = Vec::with_capacity(PARQUET_CHUNK);
            store.for_each_article(None, None, |a| {
                chunk.push(ExportRecord::new(&a, aliases));
                count += 1;
                if chunk.len() == PARQUET_CHUNK {
                    writer.write(&record_batch(&chunk)?).map_err(parquet_err)?;
                    chunk.clear();
                }
                Ok(())
            })?;
            if !chunk.is_empty() {
                writer.write(&record_batch(&chunk)?).map_err(parquet_err)?;
            }
            writer.close().map_err(parquet_err)?;
        }
    }
    Ok(count)
}

fn csv_err(e: csv::Error) -> Error {
    Error::Export(e.to_string())
}

const CSV_COLUMNS: [&str; 30] = [
    "id",
    "external_id",
    "source_path",
    "format",
    "outlet",
    "url",
    "title",
    "author",
    "language",
    "published",
    "published_confidence",
    "published_source",
    "published_granularity",
    "published_not_before",
    "crawled",
    "text",
    "paragraphs",
    "furniture",
    "comments",
    "provenance",
    "copy_group",
    "copy_relation",
    "copy_of",
    "copy_similarity",
    "event",
    "storyline",
    "quotes",
    "dates",
    "entities",
    "labels",
];

fn json(v: &impl Serialize) -> Result<String> {
    serde_json::to_string(v).map_err(|e| Error::Export(e.to_string()))
}

/// A bare JSON string value without its quotes (`"json_ld"` -> `json_ld`).
fn json_word(v: &impl Serialize) -> Result<String> {
    Ok(json(v)?.trim_matches('"').to_string())
}

fn csv_row(r: &ExportRecord) -> Result<Vec<String>> {
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    Ok(vec![
        r.id.clone(),
        opt(&r.external_id),
        r.source_path.clone(),
        r.format.clone(),
        opt(&r.outlet),
        opt(&r.url),
        opt(&r.title),
        opt(&r.author),
        opt(&r.language),
        opt(&r.published),
        r.published_confidence
            .map(|c| c.to_string())
            .unwrap_or_default(),
        r.published_source
            .as_ref()
            .map(json_word)
            .transpose()?
            .unwrap_or_default(),
        r.published_granularity
            .as_ref()
            .map(json_word)
            .transpose()?
            .unwrap_or_default(),
        r.published_not_before.to_string(),
        opt(&r.crawled),
        r.text.clone(),
        json(&r.paragraphs)?,
        json(&r.furniture)?,
        json(&r.comments)?,
        json(&r.provenance)?,
        opt(&r.copy_group),
        r.copy_relation
            .map(|c| c.as_str().to_string())
            .unwrap_or_default(),
        opt(&r.copy_of),
        r.copy_similarity.map(|c| c.to_string()).unwrap_or_default(),
        opt(&r.event),
        opt(&r.storyline),
        json(&r.quotes)?,
        json(&r.dates)?,
        json(&r.entities)?,
        json(&r.labels)?,
    ])
}

const PARQUET_CHUNK: usize = 4096;

fn parquet_err(e: parquet::errors::ParquetError) -> Error {
    Error::Export(e.to_string())
}

/// Export records as one Arrow record batch (the Parquet columns).
fn record_batch(records: &[ExportRecord]) -> Result<arrow_array::RecordBatch> {
    use arrow_array::builder::{ListBuilder, StringBuilder};
    use arrow_array::{
        ArrayRef, BooleanArray, Float32Array, Float64Array, RecordBatch, StringArray,
    };
    use arrow_schema::{Field as ArrowField, Schema};

    let strings = |f: &dyn Fn(&ExportRecord) -> Option<String>| -> ArrayRef {
        Arc::new(records.iter().map(f).collect::<StringArray>())
    };
    let mut paragraphs = ListBuilder::new(StringBuilder::new());
    for r in records {
        for p in &r.paragraphs {
            paragraphs.values().append_value(p);
        }
        paragraphs.append(true);
    }
    let columns: Vec<(&str, ArrayRef)> = vec![
        ("id", strings(&|r| Some(r.id.clone()))),
        ("external_id", strings(&|r| r.external_id.clone())),
        ("source_path", strings(&|r| Some(r.source_path.clone()))),
        ("format", strings(&|r| Some(r.format.clone()))),
        ("outlet", strings(&|r| r.outlet.clone())),
        ("url", strings(&|r| r.url.clone())),
        ("title", strings(&|r| r.title.clone())),
        ("author", strings(&|r| r.author.clone())),
        ("language", strings(&|r| r.language.clone())),
        ("published", strings(&|r| r.published.clone())),
        (
            "published_confidence",
            Arc::new(
                records
                    .iter()
                    .map(|r| r.published_confidence)
                    .collect::<Float32Array>(),
            ),
        ),
        (
            "published_source",
            strings(&|r| r.published_source.as_ref().and_then(|s| json_word(s).ok())),
        ),
        (
            "published_granularity",
            strings(&|r| {
                r.published_granularity
                    .as_ref()
                    .and_then(|s| json_word(s).ok())
            }),
        ),
        (
            "published_not_before",
            Arc::new(
                records
                    .iter()
                    .map(|r| Some(r.published_not_before))
                    .collect::<BooleanArray>(),
            ),
        ),
        ("crawled", strings(&|r| r.crawled.clone())),
        ("text", strings(&|r| Some(r.text.clone()))),
        ("paragraphs", Arc::new(paragraphs.finish())),
        (
            "furniture",
            strings(&|r| serde_json::to_string(&r.furniture).ok()),
        ),
        (
            "comments",
            strings(&|r| serde_json::to_string(&r.comments).ok()),
        ),
        (
            "provenance",
            strings(&|r| serde_json::to_string(&r.provenance).ok()),
        ),
        ("copy_group", strings(&|r| r.copy_group.clone())),
        (
            "copy_relation",
            strings(&|r| r.copy_relation.map(|c| c.as_str().to_string())),
        ),
        ("copy_of", strings(&|r| r.copy_of.clone())),
        (
            "copy_similarity",
            Arc::new(
                records
                    .iter()
                    .map(|r| r.copy_similarity)
                    .collect::<Float64Array>(),
            ),
        ),
        ("event", strings(&|r| r.event.clone())),
        ("storyline", strings(&|r| r.storyline.clone())),
        (
            "quotes",
            strings(&|r| serde_json::to_string(&r.quotes).ok()),
        ),
        ("dates", strings(&|r| serde_json::to_string(&r.dates).ok())),
        (
            "entities",
            strings(&|r| serde_json::to_string(&r.entities).ok()),
        ),
        (
            "labels",
            strings(&|r| serde_json::to_string(&r.labels).ok()),
        ),
    ];
    let schema = Schema::new(
        columns
            .iter()
            .map(|(name, array)| {
                let required = matches!(
                    *name,
                    "id" | "source_path" | "format" | "text" | "paragraphs"
                );
                ArrowField::new(*name, array.data_type().clone(), !required)
            })
            .collect::<Vec<_>>(),
    );
    RecordBatch::try_new(
        Arc::new(schema),
        columns.into_iter().map(|(_, a)| a).collect(),
    )
    .map_err(|e| Error::Export(e.to_string()))
}

/// How newsfold writes every Parquet file: zstd-compressed, signed as newsfold.
pub(crate) fn parquet_properties() -> parquet::file::properties::WriterProperties {
    parquet::file::properties::WriterProperties::builder()
        .set_compression(parquet::basic::Compression::ZSTD(Default::default()))
        .set_created_by("newsfold".to_string())
        .build()
}
