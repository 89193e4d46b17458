//! `newsfold bench embed`: sentence-embedding throughput on the CPU. The corpus's first
//! `--limit` articles are parsed (not timed), each reduced to its title and about its first
//! 200 words, and embedded in one call (timed, wall clock); the machine's load is printed
//! beside the figure because the model takes every core it is given.

use super::Context;
use crate::error::{Error, Result};
use crate::stories::embed::Embedder;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

/// Words of body text embedded with each title.
const BODY_WORDS: usize = 200;

pub fn run(ctx: &Context, corpus: &Path, limit: usize) -> Result<ExitCode> {
    let dir = Embedder::default_dir();
    let start = Instant::now();
    let embedder = Embedder::load(&dir).map_err(|e| Error::Usage(e.to_string()))?;
    let load_secs = start.elapsed().as_secs_f64();
    let input = crate::ingest::input::Input::File(corpus.to_path_buf());
    let opened = crate::ingest::input::open(&input, None, ctx.config.ingest.max_document_bytes)
        .map_err(|e| Error::Usage(format!("{}: {e}", corpus.display())))?;
    let texts: Vec<String> = opened
        .documents
        .filter_map(|d| d.ok())
        .filter_map(|doc| crate::ingest::parse_document(&doc, &ctx.config.ingest).ok())
        .take(limit)
        .map(|p| {
            let title = p.article.meta.title.map(|t| t.value).unwrap_or_default();
            let body = p.article.paragraphs.join("\n\n");
            let words: Vec<&str> = body.split_whitespace().take(BODY_WORDS).collect();
            format!("{title}\n\n{}", words.join(" "))
        })
        .collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let start = Instant::now();
    let vectors = embedder
        .embed(&refs)
        .map_err(|e| Error::Internal(e.to_string()))?;
    let secs = start.elapsed().as_secs_f64();
    println!("newsfold bench embed {} --limit {limit}", corpus.display());
    println!(
        "  model            {} (loaded in {load_secs:.2} s)",
        dir.display()
    );
    println!(
        "  articles         {} (title + first {BODY_WORDS} words, cut at 256 word pieces)",
        vectors.len()
    );
    println!(
        "  embedding        {secs:.2} s wall, {:.1} articles/s on {} threads",
        vectors.len() as f64 / secs.max(1e-9),
        candle_core::utils::get_num_threads()
    );
    println!("  load             {}", uptime());
    Ok(ExitCode::SUCCESS)
}

/// The output of `uptime`, or why there is none.
fn uptime() -> String {
    match std::process::Command::new("uptime").output() {
        Ok(out) => String::from_utf8_lossy(&out.stdout).trim().to_string(),
        Err(e) => format!("(uptime: {e})"),
    }
}
