//! The command line: arguments parsed once with clap into [`Cli`], then handed to one
//! function per subcommand (one file each). Output formatting lives here; the work lives in
//! the library.
//!
//! Exit codes: 0 all went well; 1 the command ran but some inputs failed (each reported on
//! standard error); 2 the command was called wrongly (bad argument, unknown id); 3 newsfold or
//! its store failed.

mod articles;
mod bench;
mod bench_dedup;
mod bench_embed;
mod bench_extract;
mod bench_serve;
mod clean;
mod dedup;
mod demo;
mod diff;
mod eval;
mod export;
mod ingest;
mod labels;
mod outlets;
mod report;
mod search;
mod serve;
mod show;
mod stats;
mod stories;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::store::Store;
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "newsfold",
    version,
    about = "Ingest, clean, de-duplicate and organise crawled news into stories",
    after_help = "Examples:\n  newsfold demo\n  newsfold ingest crawl/ feed.jsonl.gz -\n  newsfold articles --outlet \"Moscow Times\"\n  newsfold show 3f2a9c --json\n  newsfold export --format parquet -o articles.parquet"
)]
pub struct Cli {
    /// The store (a SQLite file; created if missing).
    #[arg(
        long,
        global = true,
        default_value = "newsfold.db",
        env = "NEWSFOLD_DB"
    )]
    pub db: PathBuf,
    /// A TOML configuration file (see docs/config.md).
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
    /// No progress bar and no summary on standard error.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read files, directories (recursively) or standard input (`-`) into the store.
    #[command(
        after_help = "Formats are detected by content: plain text, Markdown, HTML, JSONL or JSON, WARC; \
gzip or zstd compressed. Re-ingesting the same bytes changes nothing.\n\nExamples:\n  newsfold ingest articles/\n  \
newsfold ingest crawl.warc.gz\n  zcat feed.jsonl.gz | newsfold ingest -\n  newsfold ingest dump.jsonl --field text=maintext --field outlet=meta.site"
    )]
    Ingest(ingest::Args),
    /// List the stored articles.
    #[command(
        after_help = "Examples:\n  newsfold articles\n  newsfold articles --outlet nytimes.com --limit 20 --json"
    )]
    Articles(articles::Args),
    /// Show one article: metadata with provenance, and its paragraphs.
    #[command(
        after_help = "The id may be shortened to any unique prefix.\n\nExamples:\n  newsfold show 3f2a9c\n  newsfold show 3f2a9c --json\n  newsfold show 3f2a9c --raw > original.html"
    )]
    Show(show::Args),
    /// What changed between two stored articles: headline, paragraphs, words.
    #[command(
        after_help = "Paragraphs are compared by their words (case, quotes and markup aside); changed words are marked [-dropped-] and {+added+}.\n\nExamples:\n  newsfold diff 3f2a9c 0b71d4\n  newsfold diff 3f2a9c 0b71d4 --json"
    )]
    Diff(diff::Args),
    /// What each outlet calls each entity: the names it uses, its own labels, and the labels
    /// its articles report others applying.
    #[command(
        after_help = "Examples:\n  newsfold labels\n  newsfold labels --entity \"Islamic State\"\n  newsfold labels --json > labels.json"
    )]
    Labels(labels::Args),
    /// Print the alias table in use (the shipped one, with the file that `[extract] aliases`
    /// names on top), in the form that file takes.
    #[command(
        after_help = "Examples:\n  newsfold aliases > my-aliases.tsv\n  newsfold --config my.toml aliases"
    )]
    Aliases,
    /// Write every article as JSON lines, CSV or Parquet.
    #[command(
        after_help = "The record shape is documented in docs/export.md.\n\nExamples:\n  newsfold export --format jsonl > articles.jsonl\n  newsfold export --format parquet -o articles.parquet"
    )]
    Export(export::Args),
    /// Counts: inputs, articles, outlets, dates, failures.
    #[command(after_help = "Examples:\n  newsfold stats\n  newsfold stats --json")]
    Stats(stats::Args),
    /// Full-text search: articles matching words, phrases and filters, grouped by event,
    /// with marked snippets
    #[command(
        after_help = "All words must match; \"quoted phrases\" match as written; title:word looks in titles only; -word excludes. The index lives beside the store (STORE.search) and is brought up to date first. See docs/search.md.\n\nExamples:\n  newsfold search ceasefire geneva\n  newsfold search '\"peace talks\"' --outlet \"Moscow Times\" --from 2016-09-01\n  newsfold search --entity \"John Kerry\" --to 2016-12-31 --json"
    )]
    Search(search::Args),
    /// The stories: storylines (or, with --level event, events), newest first, with their
    /// dates, articles and independent sources
    #[command(
        after_help = "Examples:\n  newsfold stories\n  newsfold stories --level event --from 2016-07-01 --to 2016-07-31\n  newsfold stories --outlet \"Press TV\" --entity \"John Kerry\" --json"
    )]
    Stories(stories::ListArgs),
    /// One story: summary, articles (copies marked), timeline of dated facts with their
    /// sources, key quotes by speaker
    #[command(
        after_help = "Examples:\n  newsfold story sl_6660ddd52b6b\n  newsfold story 43daab7d427f      # the event of this article\n  newsfold story ev_43da --json"
    )]
    Story(stories::ShowArgs),
    /// One story as a self-contained report to share: Markdown, one HTML file, or JSON.
    #[command(
        after_help = "Examples:\n  newsfold report sl_6660ddd52b6b --format html -o story.html\n  newsfold report ev_43da --format md"
    )]
    Report(report::Args),
    /// The desk: story pages, article pages, search and the JSON API in a browser.
    #[command(
        after_help = "Binds 127.0.0.1 unless told otherwise; any other address needs an access token.\n\nExamples:\n  newsfold serve\n  newsfold serve --port 9000\n  NEWSFOLD_TOKEN=s3cret newsfold serve --bind 0.0.0.0"
    )]
    Serve(serve::Args),
    /// The outlet registry: list outlets, add one, give one another name or domain, rename one.
    #[command(
        subcommand,
        after_help = "Examples:\n  newsfold outlets list\n  newsfold outlets alias \"Press TV\" presstv.com"
    )]
    Outlets(outlets::Command),
    /// Clean every stored article again with the current settings and rules.
    #[command(after_help = "Example:\n  newsfold --config strict.toml clean")]
    Clean,
    /// Find exact and near copies in JSON-lines corpora, without the store; write the kept
    /// records and, on request, every record's cluster.
    #[command(
        after_help = "Records are read as they stand (no cleaning); the body is the first of the usual text fields.\n\nExamples:\n  newsfold dedup crawl.jsonl.zst -o kept.jsonl\n  newsfold dedup a.jsonl.gz b.jsonl -o kept.jsonl.zst --clusters clusters.parquet"
    )]
    Dedup(dedup::Args),
    /// Measure speed: ingest throughput and memory, the clean stage alone.
    #[command(
        subcommand,
        after_help = "Examples:\n  newsfold bench ingest ../shared/data/allsides.jsonl.zst\n  newsfold bench clean ../shared/data/allsides.jsonl.zst"
    )]
    Bench(bench::Command),
    /// Measure quality against gold data, with peers side by side.
    #[command(
        subcommand,
        after_help = "Example:\n  newsfold eval extraction ../shared/data/extraction-dev.tar.zst"
    )]
    Eval(eval::Command),
    /// Ingest the bundled sample corpus into a fresh store and show what came out.
    #[command(after_help = "Examples:\n  newsfold demo\n  newsfold demo --db /tmp/demo.db")]
    Demo(demo::Args),
}

/// Run the CLI and map the outcome to an exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("newsfold: {e}");
            ExitCode::from(if e.is_usage() { 2 } else { 3 })
        }
    }
}

pub fn run(cli: Cli) -> Result<ExitCode> {
    let config = match &cli.config {
        Some(path) => Config::load(path)?,
        None => Config::default(),
    };
    let ctx = Context {
        db: cli.db,
        config,
        quiet: cli.quiet,
    };
    match cli.command {
        Command::Ingest(args) => ingest::run(&ctx, args),
        Command::Articles(args) => articles::run(&ctx, args),
        Command::Show(args) => show::run(&ctx, args),
        Command::Diff(args) => diff::run(&ctx, args),
        Command::Export(args) => export::run(&ctx, args),
        Command::Stats(args) => stats::run(&ctx, args),
        Command::Search(args) => search::run(&ctx, args),
        Command::Stories(args) => stories::list(&ctx, args),
        Command::Story(args) => stories::show(&ctx, args),
        Command::Report(args) => report::run(&ctx, args),
        Command::Serve(args) => serve::run(&ctx, args),
        Command::Labels(args) => labels::run(&ctx, args),
        Command::Aliases => {
            print!("{}", ctx.config.extract.alias_table()?.to_tsv());
            Ok(ExitCode::SUCCESS)
        }
        Command::Outlets(cmd) => outlets::run(&ctx, cmd),
        Command::Demo(args) => demo::run(&ctx, args),
        Command::Clean => clean::run(&ctx),
        Command::Dedup(args) => dedup::run(&ctx, args),
        Command::Bench(cmd) => bench::run(&ctx, cmd),
        Command::Eval(cmd) => eval::run(&ctx, cmd),
    }
}

/// What every subcommand gets: the global options, resolved.
pub struct Context {
    pub db: PathBuf,
    pub config: Config,
    pub quiet: bool,
}

impl Context {
    pub fn open_store(&self) -> Result<Store> {
        Store::open(&self.db)
    }

    /// A store that must already exist (reading commands do not create an empty one).
    pub fn existing_store(&self) -> Result<Store> {
        if !self.db.exists() {
            return Err(Error::Usage(format!(
                "no store at {} (run `newsfold ingest PATH...` first, or pass --db)",
                self.db.display()
            )));
        }
        self.open_store()
    }
}

/// Print a value as pretty JSON on standard output.
fn print_json(value: &impl serde::Serialize) -> Result<()> {
    let text = serde_json::to_string_pretty(value).map_err(|e| Error::Internal(e.to_string()))?;
    println!("{text}");
    Ok(())
}

/// Cut a string to at most `n` characters for a table cell.
fn cell(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(n.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}
