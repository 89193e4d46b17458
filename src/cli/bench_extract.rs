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
    let aliases = ctx.config.extract.alias_table()?;
    let mut wall = Duration::ZERO;
    // CPU time per stage: entities, quotes, dates, labels.
    let mut cpu = [Duration::ZERO; 4];
    let (mut articles, mut bytes, mut quotes, mut reported, mut attributed) =
        (0usize, 0usize, 0usize, 0usize, 0usize);
    let (mut dates, mut entities, mut mentions, mut labels) = (0usize, 0usize, 0usize, 0usize);
    let mut documents = opened.documents.peekable();
    while documents.peek().is_some() {
        let batch: Vec<_> = documents
            .by_ref()
            .take(BATCH)
            .filter_map(|d| d.ok())
            .collect();
        let texts: Vec<(String, Option<chrono::NaiveDate>, Option<String>)> = batch
            .par_iter()
            .filter_map(|doc| crate::ingest::parse_document(doc, &ctx.config.ingest).ok())
            .map(|p| {
                let published = p.article.meta.published.as_ref().map(|f| f.value.date);
                let outlet = p.article.meta.outlet.as_ref().map(|f| f.value.clone());
                (p.article.paragraphs.join("\n\n"), published, outlet)
            })
            .collect();
        let start = Instant::now();
        let found: Vec<_> = texts
            .par_iter()
            .map(|(t, published, outlet)| {
                let t0 = Instant::now();
                let e = crate::extract::entities::find_entities(t, &aliases);
                let t1 = Instant::now();
                let q = crate::extract::quotes::find_quotes(t);
                let t2 = Instant::now();
                let d = crate::extract::dates::find_dates(t, *published).len();
                let t3 = Instant::now();
                let l = crate::extract::labels::find_labels(t, &e, outlet.as_deref()).len();
                let spent = [t1 - t0, t2 - t1, t3 - t2, t3.elapsed()];
                let m = e.iter().map(|e| e.mentions.len()).sum::<usize>();
                (spent, e.len(), m, q, d, l)
            })
            .collect();
        wall += start.elapsed();
        articles += texts.len();
        bytes += texts.iter().map(|(t, _, _)| t.len()).sum::<usize>();
        for (spent, e, m, q, d, l) in found {
            for (total, s) in cpu.iter_mut().zip(spent) {
                *total += s;
            }
            entities += e;
            mentions += m;
            dates += d;
            labels += l;
            quotes += q.len();
            reported += q
                .iter()
                .filter(|q| q.kind == crate::extract::QuoteKind::Reported)
                .count();
            attributed += q.iter().filter(|q| q.speaker.is_some()).count();
        }
    }
    let mb = bytes as f64 / 1e6;
    let rate = |d: Duration| mb / d.as_secs_f64().max(1e-9);
    println!("newsfold bench extract {}", corpus.display());
    println!("  articles         {articles} ({mb:.1} MB of body text)");
    println!(
        "  extraction       {:.2} s wall on {} threads (target: the whole corpus in under 120 s), {:.1} MB/s",
        wall.as_secs_f64(),
        rayon::current_num_threads(),
        rate(wall)
    );
    println!(
        "  entities         {:.2} s CPU, {:.1} MB/s per core: {entities} entities, {mentions} mentions",
        cpu[0].as_secs_f64(),
        rate(cpu[0])
    );
    println!(
        "  quotes           {:.2} s CPU, {:.1} MB/s per core: {quotes} quotes ({reported} reported speech), {attributed} with a speaker",
        cpu[1].as_secs_f64(),
        rate(cpu[1])
    );
    println!(
        "  dates            {:.2} s CPU, {:.1} MB/s per core: {dates} dates",
        cpu[2].as_secs_f64(),
        rate(cpu[2])
    );
    println!(
        "  labels           {:.2} s CPU, {:.1} MB/s per core: {labels} labels",
        cpu[3].as_secs_f64(),
        rate(cpu[3])
    );
    Ok(ExitCode::SUCCESS)
}
