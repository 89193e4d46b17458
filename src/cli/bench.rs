//! `newsfold bench`: the measured figures of the issues' targets, printed with the command
//! that produced them. Slow by design; not part of the test suite.

use super::Context;
use crate::bench::{mean, peak_memory_mib, score, Score};
use crate::error::{Error, Result};
use crate::ingest::{html, meta::Candidates, sniff};
use crate::pipeline;
use crate::store::Store;
use std::collections::BTreeMap;
use std::io::Read;
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
    /// HTML extraction: ms per page and word-4-gram F1 against gold text, newsfold and Python
    /// trafilatura side by side.
    #[command(
        after_help = "Example:\n  newsfold bench html ../shared/data/extraction-dev.tar.zst"
    )]
    Html {
        /// A .tar.zst with `*/input/N.html` pages and `*/GoldStandard/N.txt` gold text.
        #[arg(default_value = "../shared/data/extraction-dev.tar.zst")]
        data: PathBuf,
        /// Do not run the Python peer.
        #[arg(long)]
        no_peer: bool,
    },
}

pub fn run(ctx: &Context, cmd: Command) -> Result<ExitCode> {
    match cmd {
        Command::Ingest { corpus } => ingest(ctx, &corpus),
        Command::Html { data, no_peer } => html_bench(ctx, &data, !no_peer),
    }
}

fn ingest(ctx: &Context, corpus: &Path) -> Result<ExitCode> {
    let dir = std::env::temp_dir().join(format!("newsfold-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| Error::io("creating the bench folder", e))?;
    let mut store = Store::open(&dir.join("bench.db"))?;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let start = Instant::now();
    let report = pipeline::ingest(
        &mut store,
        &[corpus.display().to_string()],
        &ctx.config,
        &pipeline::Quiet,
    )?;
    let secs = start.elapsed().as_secs_f64();
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

/// A page's bytes and its gold text's bytes.
type PageAndGold = (Vec<u8>, Vec<u8>);

/// Pages and gold texts by page name, read from the tar.zst.
fn read_pages(data: &Path) -> Result<BTreeMap<String, PageAndGold>> {
    let file = std::fs::File::open(data)
        .map_err(|e| Error::io(format!("opening {}", data.display()), e))?;
    let decoder = zstd::stream::read::Decoder::new(file).map_err(|e| Error::io("zstd", e))?;
    let mut archive = tar::Archive::new(decoder);
    let (mut pages, mut gold) = (BTreeMap::new(), BTreeMap::new());
    for entry in archive
        .entries()
        .map_err(|e| Error::io("reading the archive", e))?
    {
        let mut entry = entry.map_err(|e| Error::io("reading the archive", e))?;
        let path = entry
            .path()
            .map_err(|e| Error::io("archive path", e))?
            .display()
            .to_string();
        let stem = Path::new(&path)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut bytes = Vec::new();
        entry
            .read_to_end(&mut bytes)
            .map_err(|e| Error::io("reading the archive", e))?;
        if path.contains("/input/") && path.ends_with(".html") {
            pages.insert(stem, bytes);
        } else if path.contains("/GoldStandard/") && path.ends_with(".txt") {
            gold.insert(stem, bytes);
        }
    }
    Ok(pages
        .into_iter()
        .filter_map(|(k, p)| gold.remove(&k).map(|g| (k, (p, g))))
        .collect())
}

/// Bytes to text as a reader would see them: declared or UTF-8, lossy as a last resort.
fn lossy(bytes: &[u8]) -> String {
    sniff::decode(bytes, None).unwrap_or_else(|_| String::from_utf8_lossy(bytes).into_owned())
}

/// The gold text without the reader comments that some gold files append.
fn article_only(gold: &str) -> &str {
    gold.split("!@#$%^&*()  COMMENTS").next().unwrap_or(gold)
}

fn print_scores(name: &str, full: &[Score], article: &[Score], ms: f64) {
    let (f, a) = (mean(full), mean(article));
    println!(
        "  {name:<22} F1 {:.3} (P {:.3}, R {:.3})   article-only F1 {:.3}   {ms:.1} ms/page",
        f.f1, f.precision, f.recall, a.f1
    );
}

fn html_bench(ctx: &Context, data: &Path, peer: bool) -> Result<ExitCode> {
    let pages = read_pages(data)?;
    let decoded: Vec<(String, String, String)> = pages
        .into_iter()
        .map(|(k, (p, g))| (k, lossy(&p), lossy(&g)))
        .collect();
    let (mut full, mut article, mut outputs) = (Vec::new(), Vec::new(), Vec::new());
    let mut failed = 0;
    let start = Instant::now();
    for (_, page, gold) in &decoded {
        let text = match html::read(page, &ctx.config.ingest, &mut Candidates::default()) {
            Ok(paragraphs) => paragraphs.join("\n"),
            Err(_) => {
                failed += 1;
                String::new()
            }
        };
        full.push(score(&text, gold));
        article.push(score(&text, article_only(gold)));
        outputs.push(text);
    }
    let ms = start.elapsed().as_secs_f64() * 1000.0 / decoded.len().max(1) as f64;
    println!(
        "newsfold bench html {} ({} pages, single thread)",
        data.display(),
        decoded.len()
    );
    print_scores("newsfold", &full, &article, ms);
    println!("  {failed} pages gave no text");
    if peer {
        run_peer(&decoded, &full)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Python trafilatura on the same decoded pages, scored by the same scorer.
fn run_peer(decoded: &[(String, String, String)], ours: &[Score]) -> Result<()> {
    let dir = std::env::temp_dir().join(format!("newsfold-bench-html-{}", std::process::id()));
    let (pages_dir, out_dir) = (dir.join("pages"), dir.join("out"));
    std::fs::create_dir_all(&pages_dir).map_err(|e| Error::io("bench folder", e))?;
    for (name, page, _) in decoded {
        std::fs::write(pages_dir.join(format!("{name}.html")), page)
            .map_err(|e| Error::io("bench page", e))?;
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/trafilatura_peer.py");
    let out = std::process::Command::new("python3")
        .arg(&script)
        .arg(&pages_dir)
        .arg(&out_dir)
        .output();
    let result = match out {
        Ok(o) if o.status.success() => {
            let secs: f64 = String::from_utf8_lossy(&o.stdout)
                .lines()
                .last()
                .and_then(|l| l.trim().parse().ok())
                .unwrap_or(f64::NAN);
            let (mut full, mut article) = (Vec::new(), Vec::new());
            for (name, _, gold) in decoded {
                let text = std::fs::read_to_string(out_dir.join(format!("{name}.txt")))
                    .unwrap_or_default();
                full.push(score(&text, gold));
                article.push(score(&text, article_only(gold)));
            }
            let ms = secs * 1000.0 / decoded.len().max(1) as f64;
            print_scores("python trafilatura", &full, &article, ms);
            println!(
                "  ratio newsfold/peer   F1 {:.3}",
                mean(ours).f1 / mean(&full).f1
            );
            Ok(())
        }
        Ok(o) => {
            println!(
                "  python trafilatura: not run ({}); install with: pip install trafilatura==2.3.1 lxml_html_clean",
                String::from_utf8_lossy(&o.stderr).lines().last().unwrap_or("failed")
            );
            Ok(())
        }
        Err(e) => {
            println!("  python trafilatura: not run (python3: {e})");
            Ok(())
        }
    };
    let _ = std::fs::remove_dir_all(&dir);
    result
}
