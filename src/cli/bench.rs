//! `newsfold bench`: the measured figures of the issues' targets, printed with the command
//! that produced them. Slow by design; not part of the test suite.

use super::Context;
use crate::bench::peak_memory_mib;
use crate::error::{Error, Result};
use crate::pipeline;
use crate::store::Store;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Ingest a corpus into a fresh store: articles/s, MB/s per core, peak memory.
    #[command(after_help = "Example:\n  newsfold bench ingest ../shared/data/allsides.jsonl.zst")]
    Ingest {
        /// The corpus (any input newsfold ingests).
        #[arg(default_value = "../shared/data/allsides.jsonl.zst")]
        corpus: PathBuf,
    },
    /// The clean stage alone on a corpus's texts: MB/s per core of reading blocks, scoring
    /// cues and deciding, and the memory the outlet statistics take.
    #[command(after_help = "Example:\n  newsfold bench clean ../shared/data/allsides.jsonl.zst")]
    Clean {
        /// A JSONL(.gz/.zst) corpus with `text` and `source` fields.
        #[arg(default_value = "../shared/data/allsides.jsonl.zst")]
        corpus: PathBuf,
    },
    /// The extract stage over a whole corpus on every core: wall time against the issue's
    /// two minutes, and each stage's CPU time.
    #[command(after_help = "Example:\n  newsfold bench extract ../shared/data/allsides.jsonl.zst")]
    Extract {
        /// Any input newsfold ingests.
        #[arg(default_value = "../shared/data/allsides.jsonl.zst")]
        corpus: PathBuf,
    },
    /// Stories: the whole pipeline (ingest, clean, copies, extract, stories) over a corpus, then
    /// the stories stage alone over its first 10,000, 20,000, ... articles: seconds per 10,000
    /// articles as the corpus grows (features and clustering apart).
    #[command(after_help = "Example:\n  newsfold bench stories ../shared/data/allsides.jsonl.zst")]
    Stories {
        /// Any input newsfold ingests.
        #[arg(default_value = "../shared/data/allsides.jsonl.zst")]
        corpus: PathBuf,
        /// Corpus sizes to measure the stage at (the whole corpus is always measured).
        #[arg(long, value_delimiter = ',', default_value = "10000,20000,30000")]
        sizes: Vec<usize>,
    },
    /// Copies: MB/s per core from raw text to verified groups at 1 and 2 threads, index bytes
    /// per document, peak memory of batch mode; datasketch and rensa side by side (installed
    /// by pip into target/bench-venv on first use) on the corpus's first --peer-mb MB.
    #[command(after_help = "Example:\n  newsfold bench dedup ../shared/data/allsides.jsonl.zst")]
    Dedup {
        /// A JSONL(.gz/.zst) corpus.
        #[arg(default_value = "../shared/data/allsides.jsonl.zst")]
        corpus: PathBuf,
        /// Megabytes of body text the peers (and newsfold, for the ratios) run on.
        #[arg(long, default_value_t = 20.0)]
        peer_mb: f64,
        /// Do not run the Python peers.
        #[arg(long)]
        no_peer: bool,
    },
    /// Sentence embeddings (all-MiniLM-L6-v2 on the CPU, installed by
    /// scripts/install-model.sh): articles/s over the corpus's first --limit articles.
    #[command(
        after_help = "Example:\n  newsfold bench embed ../shared/data/allsides.jsonl.zst --limit 2000"
    )]
    Embed {
        /// Any input newsfold ingests.
        #[arg(default_value = "../shared/data/allsides.jsonl.zst")]
        corpus: PathBuf,
        /// Articles embedded (the corpus's first).
        #[arg(long, default_value_t = 2000)]
        limit: usize,
    },
    /// The desk under load on loopback: N client threads, each on its own keep-alive
    /// connection, for --seconds on search pages and then on story pages of the store (--db);
    /// requests, errors, req/s and latency percentiles against the targets.
    #[command(
        after_help = "Example:\n  newsfold --db allsides.db bench serve --clients 50 --seconds 20"
    )]
    Serve {
        /// Concurrent clients (threads), each with one connection.
        #[arg(long, default_value_t = 50)]
        clients: usize,
        /// Seconds each phase runs.
        #[arg(long, default_value_t = 20)]
        seconds: u64,
        /// Mean pause of each client between requests, in ms (0: a closed loop, as fast as
        /// the server answers).
        #[arg(long, default_value_t = 0)]
        think_ms: u64,
        /// Seed of the sample of queries and stories and of each client's order.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The figures as one JSON object.
        #[arg(long)]
        json: bool,
    },
}

pub fn run(ctx: &Context, cmd: Command) -> Result<ExitCode> {
    match cmd {
        Command::Ingest { corpus } => ingest(ctx, &corpus),
        Command::Clean { corpus } => clean_bench(ctx, &corpus),
        Command::Extract { corpus } => super::bench_extract::run(ctx, &corpus),
        Command::Stories { corpus, sizes } => stories_bench(ctx, &corpus, &sizes),
        Command::Dedup {
            corpus,
            peer_mb,
            no_peer,
        } => super::bench_dedup::run(ctx, &corpus, peer_mb, !no_peer),
        Command::Embed { corpus, limit } => super::bench_embed::run(ctx, &corpus, limit),
        Command::Serve {
            clients,
            seconds,
            think_ms,
            seed,
            json,
        } => super::bench_serve::run(
            ctx,
            &super::bench_serve::Settings {
                clients,
                seconds,
                think_ms,
                seed,
                json,
            },
        ),
    }
}

fn stories_bench(ctx: &Context, corpus: &Path, sizes: &[usize]) -> Result<ExitCode> {
    let (dir, store, report, secs) = fresh_ingest(ctx, corpus, "stories")?;
    println!(
        "newsfold bench stories {} (load before: {})",
        corpus.display(),
        load()
    );
    println!(
        "  whole pipeline   {} articles in {secs:.1} s (ingest, clean, copies, extract, stories; target under 180 s): {} events, {} storylines",
        report.articles_added, report.stories.events, report.stories.storylines
    );
    let aliases = ctx.config.extract.alias_table()?;
    let total = store.stats()?.articles as usize;
    let mut points: Vec<usize> = sizes.iter().copied().filter(|&n| n < total).collect();
    points.push(total);
    println!("  the stories stage alone, on the first N articles (seconds per 10,000 articles):");
    // The last point is the whole corpus, kept for the series grown by date.
    let mut whole = crate::stories::Corpus::default();
    for &n in &points {
        let start = Instant::now();
        let corpus = crate::store::stories::read_corpus(&store, &aliases, None, Some(n))?.corpus;
        let read = start.elapsed().as_secs_f64();
        let start = Instant::now();
        let found = crate::stories::assign(&corpus, &ctx.config.stories, None);
        let cluster = start.elapsed().as_secs_f64();
        let per = |x: f64| x / n as f64 * 10_000.0;
        // Outside the timed part: the body text the features were read from.
        let mut bytes = 0usize;
        store.for_each_article(None, Some(n), |a| {
            bytes += a.article.paragraphs.iter().map(String::len).sum::<usize>();
            Ok(())
        })?;
        println!(
            "    N = {n:>6}: features {read:6.1} s ({:.2} per 10k, {:.1} MB/s of body text), clustering {cluster:5.1} s ({:.2} per 10k), {} stories",
            per(read),
            bytes as f64 / 1e6 / read,
            per(cluster),
            found.summaries.len()
        );
        whole = corpus;
    }
    grown_by_date(&whole, &points, &ctx.config.stories);
    println!("  load after: {}", load());
    drop(store);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(ExitCode::SUCCESS)
}

/// The clustering on the N earliest articles: the corpus as a crawl that goes on day by day,
/// where the articles per day stay about the same as it grows (the file's first N are a
/// random sample, denser per day the larger it is, so each article has more neighbours).
/// Undated articles come where their input places them ([`crate::stories::placed_dates`]).
/// Beside each N, the latest `points[0]` of those articles clustered alone: if they cost as
/// much alone as per article in the whole, what grows is what those articles are (longer,
/// more alike), not the cost of a larger corpus.
fn grown_by_date(
    corpus: &crate::stories::Corpus,
    points: &[usize],
    cfg: &crate::stories::StoryConfig,
) {
    let placed = crate::stories::placed_dates(corpus.articles());
    let mut order: Vec<usize> = (0..corpus.len()).collect();
    order.sort_by_key(|&i| (placed[i].is_none(), placed[i], i));
    println!("  the clustering on the N earliest articles (a crawl growing day by day):");
    for &n in points {
        let keep = &order[..n.min(order.len())];
        let days: std::collections::BTreeSet<_> = keep
            .iter()
            .filter_map(|&i| corpus.articles()[i].date)
            .collect();
        let timed = |keep: &[usize]| {
            let sub = corpus.subset(keep);
            let start = Instant::now();
            let found = crate::stories::assign(&sub, cfg, None);
            let secs = start.elapsed().as_secs_f64();
            (secs, secs / keep.len().max(1) as f64 * 10_000.0, found)
        };
        let (secs, per, found) = timed(keep);
        let latest = &keep[keep.len().saturating_sub(points[0])..];
        let (_, alone, _) = timed(latest);
        println!(
            "    N = {n:>6}: {} dated days ({:.1} articles a day), clustering {secs:5.1} s ({per:.2} per 10k), {} stories; its latest {} alone {alone:.2} per 10k",
            days.len(),
            keep.len() as f64 / days.len().max(1) as f64,
            found.summaries.len(),
            latest.len(),
        );
    }
}

/// Ingest `corpus` into a new store in a temporary folder (the caller removes it): the folder,
/// the store, what the run did and its wall time in seconds.
fn fresh_ingest(
    ctx: &Context,
    corpus: &Path,
    name: &str,
) -> Result<(PathBuf, Store, pipeline::IngestReport, f64)> {
    let dir = std::env::temp_dir().join(format!("newsfold-bench-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| Error::io("creating the bench folder", e))?;
    let mut store = Store::open(&dir.join("bench.db"))?;
    let start = Instant::now();
    let report = pipeline::ingest(
        &mut store,
        &[corpus.display().to_string()],
        &ctx.config,
        &pipeline::Quiet,
    )?;
    Ok((dir, store, report, start.elapsed().as_secs_f64()))
}

/// The 1-minute load average, to read the figures by.
fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(String::from))
        .unwrap_or_else(|| "unknown".into())
}

fn ingest(ctx: &Context, corpus: &Path) -> Result<ExitCode> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let (dir, store, report, secs) = fresh_ingest(ctx, corpus, "ingest")?;
    let stats = store.stats()?;
    drop(store);
    let db_size = std::fs::metadata(dir.join("bench.db"))
        .map(|m| m.len())
        .unwrap_or(0);
    let _ = std::fs::remove_dir_all(&dir);
    let mb = stats.raw_bytes as f64 / 1e6;
    println!("newsfold bench ingest {}", corpus.display());
    println!("  documents        {}", report.documents);
    println!(
        "  articles added   {} ({} failed)",
        report.articles_added,
        report.failed_total()
    );
    println!("  input text       {mb:.1} MB (raw documents, decompressed)");
    println!("  wall time        {secs:.2} s (target: under 30 s for the AllSides corpus)");
    println!(
        "  articles/s       {:.0}",
        report.articles_added as f64 / secs
    );
    println!(
        "  MB/s             {:.1} total, {:.1} per core ({cores} cores)",
        mb / secs,
        mb / secs / cores as f64
    );
    println!("  peak memory      {:.0} MiB", peak_memory_mib());
    println!("  store size       {:.0} MB", db_size as f64 / 1e6);
    Ok(ExitCode::SUCCESS)
}

/// The clean stage alone, as the pipeline runs it but without SQLite: the corpus is streamed
/// once; each article's blocks are read (blocks, keys, cues), counted as evidence of its
/// outlet and kept as JSON in a spill file, as the store keeps them; then every article is
/// decided from its kept blocks and its outlet's counts. Parsing is not timed; memory holds
/// the outlet statistics and one article at a time, never the corpus.
fn clean_bench(ctx: &Context, corpus: &Path) -> Result<ExitCode> {
    use crate::clean;
    use std::collections::HashMap;
    use std::io::{BufRead, BufReader, BufWriter, Seek, Write};
    use std::time::Duration;
    let input = crate::ingest::input::Input::File(corpus.to_path_buf());
    let opened = crate::ingest::input::open(&input, None, ctx.config.ingest.max_document_bytes)
        .map_err(|e| Error::Usage(format!("{}: {e}", corpus.display())))?;
    let cfg = &ctx.config.clean;
    let spill_path =
        std::env::temp_dir().join(format!("newsfold-bench-clean-{}", std::process::id()));
    let io = |e| Error::io("the bench's spill file", e);
    let spill = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .open(&spill_path)
        .map_err(io)?;
    // The file is gone when the bench ends, whatever happens; the open handle still reads it.
    std::fs::remove_file(&spill_path).map_err(io)?;
    let mut writer = BufWriter::new(spill);
    // Outlets by index, so that counting does not allocate per block.
    let mut outlets: HashMap<String, u32> = HashMap::new();
    let mut counts: HashMap<(u32, u64), u32> = HashMap::new();
    let (mut analyse, mut count, mut keep, mut decide) = (
        Duration::ZERO,
        Duration::ZERO,
        Duration::ZERO,
        Duration::ZERO,
    );
    let (mut articles, mut bytes) = (0usize, 0usize);
    for doc in opened.documents {
        let Ok(doc) = doc else { continue };
        let Ok(parsed) = crate::ingest::parse_document(&doc, &ctx.config.ingest) else {
            continue;
        };
        let outlet = parsed
            .article
            .meta
            .outlet
            .map(|f| f.value)
            .unwrap_or_default();
        let next = outlets.len() as u32;
        let outlet = *outlets.entry(outlet).or_insert(next);
        articles += 1;
        bytes += parsed
            .article
            .paragraphs
            .iter()
            .map(|p| p.len() + 1)
            .sum::<usize>();
        let t = Instant::now();
        let blocks = clean::analyse(parsed.article.paragraphs, &clean::PageHints::default());
        analyse += t.elapsed();
        let t = Instant::now();
        for (key, _) in clean::learn::article_keys(&blocks, cfg) {
            *counts.entry((outlet, key)).or_default() += 1;
        }
        count += t.elapsed();
        let t = Instant::now();
        let json = crate::store::evidence::to_json(&blocks)?;
        writeln!(writer, "{outlet}\t{json}").map_err(io)?;
        keep += t.elapsed();
    }
    let t = Instant::now();
    let mut spill = writer.into_inner().map_err(|e| io(e.into_error()))?;
    spill.rewind().map_err(io)?;
    keep += t.elapsed();
    let mut removed = 0usize;
    for line in BufReader::new(spill).lines() {
        let t = Instant::now();
        let line = line.map_err(io)?;
        let (outlet, json) = line.split_once('\t').unwrap_or(("0", ""));
        let outlet: u32 = outlet.parse().unwrap_or(0);
        let blocks: Vec<clean::Block> = serde_json::from_str(json)
            .map_err(|e| Error::Internal(format!("the bench's spill file: {e}")))?;
        keep += t.elapsed();
        let t = Instant::now();
        let n: Vec<u32> = blocks
            .iter()
            .map(|b| counts.get(&(outlet, b.key)).copied().unwrap_or(0))
            .collect();
        removed += clean::decide(&blocks, &n, &clean::Overrides::default(), cfg)
            .furniture
            .len();
        decide += t.elapsed();
    }
    let stage = (analyse + count + decide).as_secs_f64();
    let mb = bytes as f64 / 1e6;
    println!("newsfold bench clean {}", corpus.display());
    println!("  articles         {articles}");
    println!("  body text        {mb:.1} MB");
    println!(
        "  clean time       {stage:.2} s on one core: {:.2} s reading blocks and cues, {:.2} s \
         counting, {:.2} s deciding",
        analyse.as_secs_f64(),
        count.as_secs_f64(),
        decide.as_secs_f64()
    );
    println!("  MB/s per core    {:.1} (target: at least 50)", mb / stage);
    println!(
        "  keeping blocks   {:.2} s more (JSON in a spill file, as the store keeps them): {:.1} MB/s with it",
        keep.as_secs_f64(),
        mb / (stage + keep.as_secs_f64())
    );
    println!("  blocks removed   {removed}");
    println!("  outlet statistics {} keys", counts.len());
    println!(
        "  peak memory      {:.0} MiB (outlet statistics and one article; the corpus streams)",
        peak_memory_mib()
    );
    Ok(ExitCode::SUCCESS)
}
