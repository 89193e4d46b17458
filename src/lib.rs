//! newsfold: ingest, clean, de-duplicate and organise crawled news into stories.
//!
//! The library is the pipeline; the `newsfold` binary only parses arguments and calls it.
//! A document flows `ingest` -> `clean` -> `store`, and the store's cleaned bodies through
//! `dedup` into copy groups (`store::copies`); `extract` reads quotes from the cleaned text at
//! export; `stories` joins as it is built (see `ARCHITECTURE.md`).
//!
//! ```
//! use newsfold::ingest::{parse_document, IngestConfig};
//! use newsfold::model::{Compression, RawDocument, RecordHints};
//!
//! let raw = RawDocument {
//!     source_path: "example.txt".into(),
//!     container: None,
//!     compression: Compression::None,
//!     bytes: b"Port Talks Resume\n\nMarch 3, 2025\n\nThe talks resumed on Monday after a week of delays, officials said.".to_vec(),
//!     hints: RecordHints::default(),
//! };
//! let parsed = parse_document(&raw, &IngestConfig::default()).unwrap();
//! let meta = &parsed.article.meta;
//! assert_eq!(meta.title.as_ref().unwrap().value, "Port Talks Resume");
//! assert_eq!(meta.published.as_ref().unwrap().value.date.to_string(), "2025-03-03");
//! assert_eq!(parsed.article.paragraphs.len(), 1);
//! ```

pub mod batch;
pub mod bench;
pub mod clean;
pub mod cli;
pub mod config;
pub mod dedup;
pub mod entity_eval;
pub mod error;
pub mod eval;
pub mod export;
pub mod extract;
pub mod ingest;
pub mod model;
pub mod pipeline;
pub mod planted;
pub mod quote_eval;
pub mod server;
pub mod store;
pub mod stories;
pub mod story_eval;
