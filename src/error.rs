//! Errors of the newsfold library, split the way a user needs them: what is wrong with an input
//! (say what to fix, skip it, go on), what is wrong with how newsfold was called, and what went
//! wrong inside (a store or I/O failure, a bug).
//!
//! The binary maps these to exit codes; the library never exits and never prints.

use thiserror::Error;

/// A problem with one input document or record. The run reports it and goes on.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum InputError {
    #[error("empty input")]
    Empty,
    #[error("binary data, not a text document ({0})")]
    Binary(String),
    #[error("invalid UTF-8 at byte {offset} (no charset declared that would explain it)")]
    InvalidUtf8 { offset: usize },
    #[error("document of {size} bytes exceeds the limit of {limit} bytes (set ingest.max_document_bytes)")]
    TooLarge { size: u64, limit: u64 },
    #[error("truncated or corrupt {what} stream: {detail}")]
    Corrupt { what: &'static str, detail: String },
    #[error("malformed JSON: {0}")]
    Json(String),
    #[error(
        "JSON record has no text field (looked for {looked_for}; map yours with --field text=NAME)"
    )]
    NoTextField { looked_for: String },
    #[error("malformed WARC record: {0}")]
    Warc(String),
    #[error("HTML nested {depth} elements deep (limit {limit})")]
    TooDeep { depth: usize, limit: usize },
    #[error("not an article: {0}")]
    NotArticle(String),
    #[error("no article text found")]
    NoText,
    #[error("cannot read: {0}")]
    Io(String),
}

/// A failure of newsfold itself or its store, not of the input.
#[derive(Debug, Error)]
pub enum Error {
    #[error("store error: {0}")]
    Store(#[from] rusqlite::Error),
    #[error("the store at {path} was written by a newer newsfold (schema {found}, this build knows {known})")]
    SchemaTooNew {
        path: String,
        found: i64,
        known: i64,
    },
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Usage(String),
    #[error("the search index at {dir} is being written by another process (an ingest or `newsfold search`); try again when it is done")]
    SearchLocked { dir: String },
    #[error("search index: {0}")]
    Search(#[from] tantivy::TantivyError),
    #[error("export failed: {0}")]
    Export(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            context: context.into(),
            source,
        }
    }

    /// Whether the user can fix this by changing how newsfold is called.
    pub fn is_usage(&self) -> bool {
        matches!(self, Error::Usage(_))
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
