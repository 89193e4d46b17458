//! The values that flow through newsfold: a [`RawDocument`] read from an input becomes an
//! [`Article`] with provenance-carrying metadata.
//!
//! These types are the contract between stages: ingest produces them, the store persists them,
//! export serialises them. They hold data only; parsing lives in `ingest`, persistence in
//! `store`. Later stages (clean, dedup, extract, stories) add their own values here.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The format of a document, detected from its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Text,
    Markdown,
    Html,
    Jsonl,
    Warc,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Markdown => "markdown",
            Format::Html => "html",
            Format::Jsonl => "jsonl",
            Format::Warc => "warc",
        }
    }

    pub fn parse(s: &str) -> Option<Format> {
        Some(match s {
            "text" => Format::Text,
            "markdown" => Format::Markdown,
            "html" => Format::Html,
            "jsonl" => Format::Jsonl,
            "warc" => Format::Warc,
            _ => return None,
        })
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Transport compression of an input, removed before format detection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Compression {
    None,
    Gzip,
    Zstd,
}

impl Compression {
    pub fn as_str(self) -> &'static str {
        match self {
            Compression::None => "none",
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
        }
    }
}

/// How the body of one document is to be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    /// Sniff the body: plain text or Markdown.
    TextLike,
    /// An HTML page.
    Html,
}

/// One document's bytes as they arrived (after transport decompression), with whatever its
/// container said about it. A single file is one document; a JSONL line or a WARC record is
/// one document of a multi-record input.
#[derive(Debug, Clone)]
pub struct RawDocument {
    /// The path as given, plus `#N` for the Nth record (1-based) of a multi-record input.
    pub source_path: String,
    /// `Some(Jsonl)` or `Some(Warc)` for a record of a multi-record input; `None` for a
    /// single document, whose format is sniffed from its content.
    pub container: Option<Format>,
    pub compression: Compression,
    /// The document's verbatim bytes: the whole file, the JSONL line, or the WARC record.
    pub bytes: Vec<u8>,
    /// What the container already says: JSONL fields, WARC headers.
    pub hints: RecordHints,
}

/// Metadata and body handed over by a container format (JSONL record, WARC headers).
#[derive(Debug, Clone, Default)]
pub struct RecordHints {
    pub external_id: Option<String>,
    pub title: Option<String>,
    pub url: Option<String>,
    pub date: Option<String>,
    pub outlet: Option<String>,
    pub author: Option<String>,
    pub language: Option<String>,
    /// Where these hints came from, for provenance.
    pub origin: Option<MetaSource>,
    /// The body to parse, when it is not the raw bytes themselves.
    pub body: Option<String>,
    pub body_kind: Option<BodyKind>,
    /// When the page was fetched (WARC-Date).
    pub crawled: Option<String>,
}

/// Where a metadata value was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MetaSource {
    /// A field of the input record (JSONL).
    Record,
    /// A WARC header (`WARC-Target-URI`, `WARC-Date`).
    WarcHeader,
    /// JSON-LD (`application/ld+json`) in an HTML page.
    JsonLd,
    /// An OpenGraph or article `<meta>` tag.
    MetaTag,
    /// An HTML `<time>` element.
    TimeElement,
    /// The HTML `<title>` or the document's first heading or title line.
    TitleLine,
    /// A line that only states the date, near the top.
    Dateline,
    /// A line that names the outlet, near the top ("The **Outlet**").
    OutletLine,
    /// A byline ("By Jane Doe", "Posted on ...").
    Byline,
    /// A signature line at the end ("AB – outlet 15.07.2016").
    Signature,
    /// A line that gives the original URL ("Original url:", "Source Article from").
    SourceLine,
    /// A line in the article's own furniture that names the outlet ("A message from X:").
    FurnitureLine,
    /// The URL's host.
    UrlDomain,
    /// A date in the URL path (`/2016/07/15/`).
    UrlPath,
    /// The URL's last path segment, read as words.
    UrlSlug,
    /// The HTML `lang` attribute.
    LangAttribute,
    /// Inferred from the body text (language detection, dates mentioned in the text).
    Text,
    /// The HTML extractor's own metadata, which does not say where on the page it looked.
    Extractor,
    /// Taken from another copy of the same document (the evidence names that article and
    /// where it read the value).
    Inherited,
}

impl MetaSource {
    pub fn as_str(self) -> &'static str {
        match self {
            MetaSource::Record => "record",
            MetaSource::WarcHeader => "warc_header",
            MetaSource::JsonLd => "json_ld",
            MetaSource::MetaTag => "meta_tag",
            MetaSource::TimeElement => "time_element",
            MetaSource::TitleLine => "title_line",
            MetaSource::Dateline => "dateline",
            MetaSource::OutletLine => "outlet_line",
            MetaSource::Byline => "byline",
            MetaSource::Signature => "signature",
            MetaSource::SourceLine => "source_line",
            MetaSource::FurnitureLine => "furniture_line",
            MetaSource::UrlDomain => "url_domain",
            MetaSource::UrlPath => "url_path",
            MetaSource::UrlSlug => "url_slug",
            MetaSource::LangAttribute => "lang_attribute",
            MetaSource::Text => "text",
            MetaSource::Extractor => "extractor",
            MetaSource::Inherited => "inherited",
        }
    }
}

/// A metadata value with where it came from and how far to trust it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Field<T> {
    pub value: T,
    pub source: MetaSource,
    /// 0.0 to 1.0: how likely the value is right, given its source.
    pub confidence: f32,
    /// The text the value was read from, as it stood in the input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
}

impl<T> Field<T> {
    pub fn new(value: T, source: MetaSource, confidence: f32) -> Self {
        Field {
            value,
            source,
            confidence,
            evidence: None,
        }
    }

    pub fn with_evidence(mut self, evidence: impl Into<String>) -> Self {
        self.evidence = Some(evidence.into());
        self
    }
}

/// How precisely a date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Granularity {
    Day,
    Month,
    Year,
}

/// A publication date. `not_before` marks a lower bound read from the text rather than a
/// stated date: the article was published on that day or later.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Published {
    pub date: chrono::NaiveDate,
    pub granularity: Granularity,
    #[serde(default)]
    pub not_before: bool,
}

/// All metadata of an article, each value with its provenance.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Metadata {
    pub title: Option<Field<String>>,
    pub outlet: Option<Field<String>>,
    pub url: Option<Field<String>>,
    pub author: Option<Field<String>>,
    pub language: Option<Field<String>>,
    pub published: Option<Field<Published>>,
    /// When a crawler fetched the page (WARC-Date): kept apart, never used as the publication date.
    pub crawled: Option<String>,
}

/// An ingested article: metadata with provenance, the cleaned body as paragraphs and the
/// furniture removed from it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// Stable id: the first 12 hex digits of the BLAKE3 hash of the raw document bytes.
    pub id: String,
    /// Full BLAKE3 hash (hex) of the raw document bytes.
    pub raw_hash: String,
    pub external_id: Option<String>,
    pub source_path: String,
    pub format: Format,
    pub meta: Metadata,
    /// The body after cleaning.
    pub paragraphs: Vec<String>,
    /// What the cleaner removed from the body, in place order, each with kind and reason.
    #[serde(default)]
    pub furniture: Vec<crate::clean::Furniture>,
    /// Reader comments the page carried, kept apart from the body (HTML only).
    #[serde(default)]
    pub comments: Vec<String>,
}

impl Article {
    /// The body: paragraphs joined by blank lines.
    pub fn text(&self) -> String {
        self.paragraphs.join("\n\n")
    }
}

/// An article's event and storyline ([`crate::stories`]), as the store keeps them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoryMember {
    pub event: String,
    pub storyline: String,
}

/// An article's place in its copy group, as the store keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CopyMember {
    /// The group's id: the id of its original.
    pub group: String,
    /// Never `Unique`: an article in no group has no `CopyMember`.
    pub relation: crate::dedup::Relation,
    /// The article it was matched to (the group's original); `None` for the original itself.
    pub copy_of: Option<String>,
    /// The figures measured against `copy_of`; `None` for the original.
    pub figures: Option<crate::dedup::Figures>,
}

/// The id newsfold gives a raw document: stable across runs and machines.
pub fn article_id(raw_hash: &str) -> String {
    raw_hash[..12].to_string()
}
