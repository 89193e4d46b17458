//! `newsfold bench embed`: sentence-embedding throughput on the CPU. The corpus's first
//! `--limit` articles are parsed (not timed), each reduced to the text the stories stage
//! embeds ([`crate::stories::embedding_text`]), and embedded in one call (timed, wall clock);
//! the machine's load is printed beside the figure because the model takes every core it is
//! given.

use super::Context;
use crate::error::{Error, Result};
use crate::stories::embed::Embedder;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

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
        .map(|p| crate::stories::embedding_text(&p.article))
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
        "  articles         {} (title + first {} words, as the stories stage embeds them)",
        vectors.len(),
        crate::stories::EMBEDDED_WORDS
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
