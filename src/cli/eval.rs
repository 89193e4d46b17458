//! `newsfold eval`: quality figures against gold data, with the peers run side by side. Slow
//! by design; not part of the test suite.

use super::Context;
use crate::bench::Score;
use crate::error::{Error, Result};
use crate::eval::{self, Page, Route};
use crate::planted;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Extraction and cleaning: word-4-gram F1 against gold text, the HTML pages and the same
    /// pages rendered to full visible text, with Python trafilatura on the HTML side by side.
    #[command(
        after_help = "Example:\n  newsfold eval extraction ../shared/data/extraction-dev.tar.zst\n\nThe data is a folder or a .tar/.tar.zst with input/N.html pages beside GoldStandard/N.txt gold texts."
    )]
    Extraction {
        #[arg(default_value = "../shared/data/extraction-dev.tar.zst")]
        data: PathBuf,
        /// Which way the pages go in.
        #[arg(long, value_enum, default_value = "both")]
        route: RouteArg,
        /// Do not run the Python peer.
        #[arg(long)]
        no_peer: bool,
        /// Write what newsfold kept of each page to DIR/{html,text}/N.txt (uncleaned:
        /// DIR/{html,text}-uncleaned/), and what it removed,
        /// with kind and reason, to N.removed.tsv; Python trafilatura's output goes to DIR/peer/N.txt.
        #[arg(long, value_name = "DIR")]
        dump: Option<PathBuf>,
    },
    /// Copies: a planted-copy benchmark built from real articles (seeded, so every run plants
    /// the same copies), scored against the planted groups: precision, recall for pairs of
    /// true Jaccard >= 0.8, recall per Jaccard bucket, ARI, and a sweep of min_jaccard.
    #[command(after_help = "Example:\n  newsfold eval dedup ../shared/data/allsides.jsonl.zst")]
    Dedup {
        #[arg(default_value = "../shared/data/allsides.jsonl.zst")]
        data: PathBuf,
        /// Articles that get copies.
        #[arg(long, default_value_t = 3000)]
        originals: usize,
        /// Articles without planted copies, mixed in.
        #[arg(long, default_value_t = 12000)]
        distractors: usize,
        #[arg(long, default_value_t = 2020)]
        seed: u64,
    },
    /// Entities on the named sources of attribution annotations (PolNeAR's brat files): how
    /// many are found, with which kinds, and how many one-word names resolve to a full name.
    #[command(
        after_help = "Example:\n  newsfold eval entities ../shared/data/attributions-dev.tar.zst"
    )]
    Entities {
        #[arg(default_value = "../shared/data/attributions-dev.tar.zst")]
        data: PathBuf,
        /// Write each named source missed or left unresolved to FILE (TSV: what, the source,
        /// newsfold's entity, the text around).
        #[arg(long, value_name = "FILE")]
        misses: Option<PathBuf>,
    },
    /// Quotes and speakers against attribution annotations (PolNeAR's brat files): recall and
    /// speaker accuracy for direct quotes and for reported speech, precision of direct quotes.
    #[command(
        after_help = "Example:\n  newsfold eval quotes ../shared/data/attributions-dev.tar.zst"
    )]
    Quotes {
        #[arg(default_value = "../shared/data/attributions-dev.tar.zst")]
        data: PathBuf,
        /// Write each direct quote missed or given the wrong speaker to FILE (TSV: what, the
        /// annotated source, newsfold's speaker [its words], the text around).
        #[arg(long, value_name = "FILE")]
        misses: Option<PathBuf>,
    },
    /// Stories: events and storylines against gold story labels (JSONL records with `id` and
    /// `story`), with distractors mixed in: pairwise, BCubed and ARI over the labelled articles.
    #[command(
        after_help = "Example:\n  newsfold eval stories --gold ../shared/data/stories-dev.jsonl --distractors ../shared/data/allsides.jsonl.zst\n\nThe gold records and the distractors go through the whole pipeline into a store (a temporary one unless --store names one; a named store is reused, so a second run skips the ingest)."
    )]
    Stories {
        #[arg(long, default_value = "../shared/data/stories-dev.jsonl")]
        gold: PathBuf,
        /// Inputs ingested beside the gold records (any format newsfold reads).
        #[arg(long, value_name = "INPUT")]
        distractors: Vec<String>,
        /// Keep the store here (reused by later runs) instead of a temporary one.
        #[arg(long, value_name = "FILE")]
        store: Option<PathBuf>,
        /// Also score these event thresholds (comma-separated) besides the configured ones
        /// (each used with and without embeddings).
        #[arg(long, value_delimiter = ',', value_name = "T,...")]
        sweep: Vec<f32>,
        /// Also score with sentence embeddings (the model must be installed; every article of
        /// the store is embedded, about 30 articles/s on 2 cores, some 20 minutes for the whole
        /// AllSides corpus; the vectors are kept in a `--store` for later runs).
        #[arg(long)]
        embeddings: bool,
        /// Write every labelled pair that is gold or predicted (configured settings) to FILE
        /// (TSV: gold, predicted, days apart, TF-IDF cosine, shared entities, the sizes of
        /// the two articles' events, the two titles).
        #[arg(long, value_name = "FILE")]
        pairs: Option<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RouteArg {
    Html,
    Text,
    Both,
}

pub fn run(ctx: &Context, cmd: Command) -> Result<ExitCode> {
    match cmd {
        Command::Extraction {
            data,
            route,
            no_peer,
            dump,
        } => extraction(ctx, &data, route, !no_peer, dump.as_deref()),
        Command::Entities { data, misses } => entities_eval(ctx, &data, misses.as_deref()),
        Command::Quotes { data, misses } => quotes_eval(&data, misses.as_deref()),
        Command::Stories {
            gold,
            distractors,
            store,
            sweep,
            embeddings,
            pairs,
        } => stories_eval(
            ctx,
            &gold,
            &distractors,
            store.as_deref(),
            &sweep,
            embeddings,
            pairs.as_deref(),
        ),
        Command::Dedup {
            data,
            originals,
            distractors,
            seed,
        } => dedup_eval(
            ctx,
            &data,
            planted::Plan {
                originals,
                distractors,
                seed,
            },
        ),
    }
}

fn dedup_eval(ctx: &Context, data: &Path, plan: planted::Plan) -> Result<ExitCode> {
    let cfg = &ctx.config.dedup;
    cfg.validate()?;
    let records = crate::batch::load_records(&[data.display().to_string()], &ctx.config)?;
    let texts = planted::generate(&records, plan);
    drop(records);
    let truth = planted::true_pairs(&texts, cfg);
    let copies = texts.iter().filter(|t| !t.kinds.is_empty()).count();
    println!(
        "newsfold eval dedup {} (seed {}): {} texts, {} planted copies of {} originals, {} planted pairs",
        data.display(),
        plan.seed,
        texts.len(),
        copies,
        plan.originals,
        truth.len()
    );
    let start = Instant::now();
    let s = planted::score(&texts, &truth, cfg)?;
    println!(
        "default settings ({:.2} s): precision {:.4} ({} of {} predicted pairs not planted), recall {:.4} for pairs of Jaccard >= 0.8 (targets 0.99 and 0.98), recall {:.4} of all planted pairs, ARI {:.4}",
        start.elapsed().as_secs_f64(),
        s.precision,
        s.false_pairs,
        s.predicted_pairs,
        s.recall_high,
        s.recall_all,
        s.ari
    );
    println!("recall by true Jaccard of the planted pair:");
    for (i, (lo, n, found)) in s.buckets.iter().enumerate() {
        let hi = s.buckets.get(i + 1).map_or(1.0, |b| b.0);
        println!(
            "  [{lo:.1}, {hi:.1}{}  {n:>6} pairs  recall {:.4}",
            if hi == 1.0 { "]" } else { ")" },
            *found as f64 / (*n).max(1) as f64
        );
    }
    println!("precision and recall as min_jaccard moves (other settings as configured):");
    for t in [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9] {
        let c = crate::dedup::DedupConfig {
            min_jaccard: t,
            ..cfg.clone()
        };
        let s = planted::score(&texts, &truth, &c)?;
        println!(
            "  min_jaccard {t:.1}  precision {:.4}  recall(J>=0.8) {:.4}  recall(all) {:.4}  ARI {:.4}",
            s.precision, s.recall_high, s.recall_all, s.ari
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn print_scores(name: &str, full: Score, article: Score, ms: f64) {
    println!(
        "  {name:<24} F1 {:.4} (P {:.3}, R {:.3})   article-only F1 {:.4}   {ms:.1} ms/page",
        full.f1, full.precision, full.recall, article.f1
    );
}

fn extraction(
    ctx: &Context,
    data: &Path,
    route: RouteArg,
    peer: bool,
    dump: Option<&Path>,
) -> Result<ExitCode> {
    let pages = eval::read_pages(data)?;
    let threads = rayon::current_num_threads();
    println!(
        "newsfold eval extraction {} ({} pages; newsfold on {threads} threads, times are wall time per page)",
        data.display(),
        pages.len()
    );
    let measure = |name: &str, route: Route, clean: bool| -> Result<Score> {
        let mut config = ctx.config.clone();
        config.clean.enabled = clean;
        let start = Instant::now();
        let articles = eval::run_newsfold(&pages, route, &config)?;
        let ms = start.elapsed().as_secs_f64() * 1000.0 / pages.len() as f64;
        let outputs: Vec<String> = articles
            .iter()
            .map(|a| eval::kept_text(a.as_ref()))
            .collect();
        let (full, article) = eval::score_all(&pages, &outputs);
        print_scores(name, full, article, ms);
        if let Some(dir) = dump {
            let route = if route == Route::Html { "html" } else { "text" };
            let dir = dir.join(if clean {
                route.to_string()
            } else {
                format!("{route}-uncleaned")
            });
            std::fs::create_dir_all(&dir).map_err(|e| Error::io("the dump folder", e))?;
            for ((page, out), a) in pages.iter().zip(&outputs).zip(&articles) {
                let removed: String = a
                    .iter()
                    .flat_map(|a| &a.furniture)
                    .map(|f| format!("{}\t{}\t{}\n", f.kind, f.reason, f.text))
                    .collect();
                let comments = a
                    .iter()
                    .flat_map(|a| &a.comments)
                    .fold(String::new(), |s, c| s + c + "\n");
                std::fs::write(dir.join(format!("{}.txt", page.name)), out)
                    .and_then(|()| {
                        std::fs::write(dir.join(format!("{}.removed.tsv", page.name)), removed)
                    })
                    .and_then(|()| {
                        std::fs::write(dir.join(format!("{}.comments.txt", page.name)), comments)
                    })
                    .map_err(|e| Error::io("the dump folder", e))?;
            }
        }
        Ok(full)
    };
    if route != RouteArg::Text {
        println!("HTML pages:");
        let ours = measure("newsfold", Route::Html, true)?;
        measure("newsfold, cleaning off", Route::Html, false)?;
        if peer {
            run_peer(&pages, ours, dump)?;
        }
    }
    if route != RouteArg::Html {
        println!("The same pages as full visible text, ingested as plain text:");
        measure("newsfold", Route::VisibleText, true)?;
        measure("uncleaned full text", Route::VisibleText, false)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Python trafilatura on the same decoded pages, scored by the same scorer. With a dump
/// folder, its outputs are kept in DIR/peer/N.txt beside newsfold's.
fn run_peer(pages: &[Page], ours: Score, dump: Option<&Path>) -> Result<()> {
    let dir = std::env::temp_dir().join(format!("newsfold-bench-html-{}", std::process::id()));
    let pages_dir = dir.join("pages");
    let out_dir = dump.map_or_else(|| dir.join("out"), |d| d.join("peer"));
    std::fs::create_dir_all(&pages_dir).map_err(|e| Error::io("bench folder", e))?;
    for page in pages {
        std::fs::write(pages_dir.join(format!("{}.html", page.name)), &page.html)
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
            let outputs: Vec<String> = pages
                .iter()
                .map(|p| {
                    std::fs::read_to_string(out_dir.join(format!("{}.txt", p.name)))
                        .unwrap_or_default()
                })
                .collect();
            let (full, article) = eval::score_all(pages, &outputs);
            let ms = secs * 1000.0 / pages.len().max(1) as f64;
            print_scores("python trafilatura", full, article, ms);
            println!("  ratio newsfold/peer      F1 {:.4}", ours.f1 / full.f1);
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

/// `newsfold eval quotes`: every annotator's file scored against newsfold's quotes of its
/// text, per split (the folder above `text/` and `attributions/`) and over all.
fn quotes_eval(data: &Path, misses: Option<&Path>) -> Result<ExitCode> {
    use crate::quote_eval::{parse_ann, score_text, Tally};
    use rayon::prelude::*;
    use std::collections::BTreeMap;
    let files = crate::entity_eval::read_polnear(data)?;
    let start = Instant::now();
    let scored: Vec<(String, Tally)> = files
        .par_iter()
        .map(|(split, text, ann)| (split.clone(), score_text(text, &parse_ann(ann))))
        .collect();
    let secs = start.elapsed().as_secs_f64();
    let mut by_split: BTreeMap<String, Tally> = BTreeMap::new();
    let mut all = Tally::default();
    for (split, t) in &scored {
        by_split.entry(split.clone()).or_default().add(t);
        all.add(t);
    }
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    println!(
        "newsfold eval quotes {} ({} annotated texts, {:.1} s on {} threads)",
        data.display(),
        all.texts,
        secs,
        rayon::current_num_threads()
    );
    for (name, t) in by_split
        .iter()
        .chain(std::iter::once((&"all".to_string(), &all)))
    {
        println!("  {name}:");
        println!(
            "    direct quotes    recall {:.3} ({} of {})   speaker accuracy {:.3} ({} of {} found; pronoun sources {:.3} of {})   precision {:.3} ({} of {})",
            ratio(t.found_direct, t.gold_direct),
            t.found_direct,
            t.gold_direct,
            ratio(t.speaker_direct, t.found_direct),
            t.speaker_direct,
            t.found_direct,
            ratio(t.pronoun_right, t.pronoun_direct),
            t.pronoun_direct,
            ratio(t.ours_direct_in_gold, t.ours_direct),
            t.ours_direct_in_gold,
            t.ours_direct
        );
        println!(
            "    reported speech  recall {:.3} ({} of {})   speaker accuracy {:.3}   newsfold found {}",
            ratio(t.found_reported, t.gold_reported),
            t.found_reported,
            t.gold_reported,
            ratio(t.speaker_reported, t.found_reported),
            t.ours_reported
        );
    }
    println!("  targets: direct-quote recall >= 0.90 and speaker accuracy >= 0.90");
    if let Some(path) = misses {
        let lines: String = all.misses.iter().map(|m| format!("{m}\n")).collect();
        std::fs::write(path, lines).map_err(|e| Error::io(path.display().to_string(), e))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `newsfold eval entities`: the named sources of every annotator's file looked up among
/// newsfold's entities of its text ([`crate::entity_eval`]).
fn entities_eval(ctx: &Context, data: &Path, misses: Option<&Path>) -> Result<ExitCode> {
    use crate::entity_eval::{read_polnear, score_entities, EntityTally};
    use rayon::prelude::*;
    let files = read_polnear(data)?;
    let table = ctx.config.extract.alias_table()?;
    let start = Instant::now();
    let tallies: Vec<EntityTally> = files
        .par_iter()
        .map(|(_, text, ann)| score_entities(text, ann, &table))
        .collect();
    let secs = start.elapsed().as_secs_f64();
    let mut all = EntityTally::default();
    for t in &tallies {
        all.add(t);
    }
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    println!(
        "newsfold eval entities {} ({} annotator files, {secs:.1} s on {} threads)",
        data.display(),
        files.len(),
        rayon::current_num_threads()
    );
    println!(
        "  named sources found   {:.3} ({} of {})",
        ratio(all.found, all.named_sources),
        all.found,
        all.named_sources
    );
    let kinds: Vec<String> = all
        .kinds
        .iter()
        .map(|(k, n)| format!("{} {n}", k.as_str()))
        .collect();
    println!("  kinds of those found  {}", kinds.join(", "));
    println!(
        "  one-word names resolved to the fuller name in the text  {:.3} ({} of {})",
        ratio(all.resolved, all.resolvable),
        all.resolved,
        all.resolvable
    );
    if let Some(path) = misses {
        let lines: String = all.misses.iter().map(|m| format!("{m}\n")).collect();
        std::fs::write(path, lines).map_err(|e| Error::io(path.display().to_string(), e))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn stories_eval(
    ctx: &Context,
    gold_path: &Path,
    distractors: &[String],
    store_path: Option<&Path>,
    sweep: &[f32],
    with_embeddings: bool,
    pairs_out: Option<&Path>,
) -> Result<ExitCode> {
    use crate::stories::{assign, StoryConfig};
    use crate::story_eval::{agreement, read_gold, Agreement};
    let gold = read_gold(gold_path)?;
    let dir = std::env::temp_dir().join(format!("newsfold-eval-stories-{}", std::process::id()));
    if store_path.is_none() {
        std::fs::create_dir_all(&dir).map_err(|e| Error::io("creating a temporary folder", e))?;
    }
    let db = store_path.map_or_else(|| dir.join("stories.db"), Path::to_path_buf);
    let mut store = crate::store::Store::open(&db)?;
    let mut inputs = distractors.to_vec();
    inputs.push(gold_path.display().to_string());
    let start = Instant::now();
    let report =
        crate::pipeline::ingest(&mut store, &inputs, &ctx.config, &crate::pipeline::Quiet)?;
    let ingest_secs = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let aliases = ctx.config.extract.alias_table()?;
    let embedder = if with_embeddings {
        Some(
            crate::stories::embedder(&StoryConfig {
                embeddings: true,
                ..ctx.config.stories.clone()
            })
            .map_err(Error::Usage)?
            .ok_or_else(|| Error::Usage("embeddings are off".into()))?,
        )
    } else {
        None
    };
    let read = crate::store::stories::read_corpus(
        &store,
        &aliases,
        embedder
            .as_ref()
            .map(|e| e as &dyn crate::store::stories::Embed),
        None,
    )?;
    let corpus = read.corpus;
    let read_secs = start.elapsed().as_secs_f64();
    // Gold ids are the records' ids, which the store keeps as external ids.
    let mut position: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut n = 0;
    store.for_each_article(None, None, |a| {
        if let Some(x) = a.article.external_id {
            position.entry(x).or_insert(n);
        }
        n += 1;
        Ok(())
    })?;
    let labelled: Vec<(&str, usize)> = gold
        .iter()
        .filter_map(|(id, story)| position.get(id).map(|&p| (story.as_str(), p)))
        .collect();
    println!(
        "newsfold eval stories --gold {} ({} labelled records, {} found in the store of {} articles; {} distractor inputs; ingest {ingest_secs:.1} s, {} added; features {read_secs:.1} s)",
        gold_path.display(),
        gold.len(),
        labelled.len(),
        corpus.len(),
        distractors.len(),
        report.articles_added,
    );
    let show = |what: &str, a: &Agreement| {
        println!(
            "    {what:<10} pairwise P {:.4} R {:.4} F1 {:.4}   BCubed P {:.4} R {:.4} F1 {:.4}   ARI {:.4}",
            a.pairwise_precision, a.pairwise_recall, a.pairwise_f1, a.bcubed_precision, a.bcubed_recall, a.bcubed_f1, a.ari
        );
    };
    let units: Vec<(&str, &str)> = labelled
        .iter()
        .map(|&(g, p)| {
            let a = &corpus.articles()[p];
            (g, a.copy_group.as_deref().unwrap_or(&a.id))
        })
        .collect();
    let top = crate::story_eval::ceiling(&units);
    println!(
        "  ceiling: the gold files {} pair(s) of copies under different stories; with copies kept together (as the stage does), pairwise P {:.4} R {:.4} F1 {:.4} at best",
        top.split_copies, top.pairwise_precision, top.pairwise_recall, top.pairwise_f1
    );
    let mut settings = vec![ctx.config.stories.clone()];
    for &t in sweep {
        settings.push(StoryConfig {
            event_threshold: t,
            event_threshold_embeddings: t,
            ..ctx.config.stories.clone()
        });
    }
    let runs: Vec<(&str, Option<&[Vec<f32>]>)> = match &read.embeddings {
        Some(e) => vec![("lexical", None), ("embeddings", Some(e.as_slice()))],
        None => vec![("lexical", None)],
    };
    for cfg in &settings {
        for &(kind, emb) in &runs {
            let start = Instant::now();
            let found = assign(&corpus, cfg, emb);
            let secs = start.elapsed().as_secs_f64();
            let events = found
                .summaries
                .iter()
                .filter(|s| s.level == crate::stories::Level::Event)
                .count();
            let largest = |level| {
                found
                    .summaries
                    .iter()
                    .filter(|s| s.level == level)
                    .map(|s| s.articles)
                    .max()
                    .unwrap_or(0)
            };
            println!(
            "  {kind}, threshold {:.2}: {} events, {} storylines over {} copy groups and singles ({secs:.2} s); largest event {} articles, largest storyline {}",
            if emb.is_some() { cfg.event_threshold_embeddings } else { cfg.event_threshold },
            events,
            found.summaries.len() - events,
            found.items,
            largest(crate::stories::Level::Event),
            largest(crate::stories::Level::Storyline),
        );
            let ev: Vec<(&str, &str)> = labelled
                .iter()
                .map(|&(g, p)| (g, found.event[p].as_str()))
                .collect();
            let sl: Vec<(&str, &str)> = labelled
                .iter()
                .map(|&(g, p)| (g, found.storyline[p].as_str()))
                .collect();
            show("events", &agreement(&ev));
            show("storylines", &agreement(&sl));
            if let (Some(out), true, None) = (pairs_out, std::ptr::eq(cfg, &settings[0]), emb) {
                write_story_pairs(out, &corpus, &labelled, &found.event)?;
            }
        }
    }
    println!("  target: pairwise F1 >= 0.95 on events");
    drop(store);
    if store_path.is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    Ok(ExitCode::SUCCESS)
}

/// The labelled pairs that are gold or predicted, with the figures that decide them.
fn write_story_pairs(
    out: &Path,
    corpus: &crate::stories::Corpus,
    labelled: &[(&str, usize)],
    event: &[String],
) -> Result<()> {
    use std::io::Write;
    let vectors = corpus.vectors();
    let arts = corpus.articles();
    let mut w = std::io::BufWriter::new(
        std::fs::File::create(out)
            .map_err(|e| Error::io(format!("creating {}", out.display()), e))?,
    );
    let mut size: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for e in event {
        *size.entry(e.as_str()).or_default() += 1;
    }
    let mut text = String::from(
        "gold\tpredicted\tdays\tcosine\tshared_entities\tevent_size_a\tevent_size_b\ttitle_a\ttitle_b\n",
    );
    for (i, &(ga, a)) in labelled.iter().enumerate() {
        for &(gb, b) in &labelled[i + 1..] {
            let (gold, pred) = (ga == gb, event[a] == event[b]);
            if !gold && !pred {
                continue;
            }
            let (x, y) = (&arts[a], &arts[b]);
            let days = x
                .date
                .zip(y.date)
                .map(|(p, q)| (p - q).num_days().abs().to_string())
                .unwrap_or_else(|| "-".into());
            let shared = x
                .entities
                .iter()
                .take(8)
                .filter(|e| y.entities.iter().take(8).any(|f| f == *e))
                .count();
            text.push_str(&format!(
                "{gold}\t{pred}\t{days}\t{:.3}\t{shared}\t{}\t{}\t{}\t{}\n",
                crate::stories::terms::dot(&vectors[a], &vectors[b]),
                size[event[a].as_str()],
                size[event[b].as_str()],
                x.title.as_deref().unwrap_or(""),
                y.title.as_deref().unwrap_or("")
            ));
        }
    }
    w.write_all(text.as_bytes())
        .map_err(|e| Error::io(format!("writing {}", out.display()), e))?;
    Ok(())
}
