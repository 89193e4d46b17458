//! `newsfold bench extract`: the extract stage over a whole corpus, on every core: the
//! corpus streams in batches, each batch is parsed (not timed) and then extracted in
//! parallel (timed, wall clock), with each stage's CPU time summed over the articles.

use super::Context;
use crate::error::{Error, Result};
use rayon::prelude::*;
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

const BATCH: usize = 2000;

pub fn run(ctx: &Context, corpus: &Path) -> Result<ExitCode> {
    let input = crate::ingest::input::Input::File(corpus.to_path_buf());
    let opened = crate::ingest::input::open(&input, None, ctx.config.ingest.max_document_bytes)
        .map_err(|e| Error::Usage(format!("{}: {e}", corpus.display())))?;
    let (mut wall, mut quotes_cpu, mut dates_cpu) =
        (Duration::ZERO, Duration::ZERO, Duration::ZERO);
    let mut dates = 0usize;
    let (mut articles, mut bytes, mut quotes, mut reported, mut attributed) =
        (0usize, 0usize, 0usize, 0usize, 0usize);
    let mut documents = opened.documents.peekable();
    while documents.peek().is_some() {
        let batch: Vec<_> = documents
            .by_ref()
            .take(BATCH)
            .filter_map(|d| d.ok())
            .collect();
        let texts: Vec<(String, Option<chrono::NaiveDate>)> = batch
            .par_iter()
            .filter_map(|doc| crate::ingest::parse_document(doc, &ctx.config.ingest).ok())
            .map(|p| {
                let published = p.article.meta.published.as_ref().map(|f| f.value.date);
                (p.article.paragraphs.join("\n\n"), published)
            })
            .collect();
        let start = Instant::now();
        let found: Vec<(Duration, Vec<crate::extract::Quote>, Duration, usize)> = texts
            .par_iter()
            .map(|(t, published)| {
                let t0 = Instant::now();
                let q = crate::extract::quotes::find_quotes(t);
                let t1 = Instant::now();
                let d = crate::extract::dates::find_dates(t, *published).len();
                (t1 - t0, q, t1.elapsed(), d)
            })
            .collect();
        wall += start.elapsed();
        articles += texts.len();
        bytes += texts.iter().map(|(t, _)| t.len()).sum::<usize>();
        for (spent, q, dates_spent, d) in found {
            quotes_cpu += spent;
            dates_cpu += dates_spent;
            dates += d;
            quotes += q.len();
            reported += q
                .iter()
                .filter(|q| q.kind == crate::extract::QuoteKind::Reported)
                .count();
            attributed += q.iter().filter(|q| q.speaker.is_some()).count();
        }
    }
    let mb = bytes as f64 / 1e6;
    println!("newsfold bench extract {}", corpus.display());
    println!("  articles         {articles} ({mb:.1} MB of body text)");
    println!(
        "  extraction       {:.2} s wall on {} threads (target: the whole corpus in under 120 s), {:.1} MB/s",
        wall.as_secs_f64(),
        rayon::current_num_threads(),
        mb / wall.as_secs_f64().max(1e-9)
    );
    println!(
        "  quotes           {:.2} s CPU, {:.1} MB/s per core: {quotes} quotes ({reported} reported speech), {attributed} with a speaker",
        quotes_cpu.as_secs_f64(),
        mb / quotes_cpu.as_secs_f64().max(1e-9)
    );
    println!(
        "  dates            {:.2} s CPU, {:.1} MB/s per core: {dates} dates",
        dates_cpu.as_secs_f64(),
        mb / dates_cpu.as_secs_f64().max(1e-9)
    );
    println!("  (entities and labels are not built yet)");
    Ok(ExitCode::SUCCESS)
}
