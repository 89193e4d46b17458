//! `newsfold demo`: the bundled sample corpus (fictional outlets and events, written for
//! newsfold) written out to a folder, ingested into a fresh store there, listed, and served
//! on the desk (`newsfold serve`) until Ctrl-C; `--no-serve` stops after the listing.
//!
//! The samples are compiled into the binary, so the demo works wherever the binary is.

use super::Context;
use crate::error::{Error, Result};
use crate::pipeline;
use crate::store::Store;
use std::path::PathBuf;
use std::process::ExitCode;

macro_rules! samples {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_bytes!(concat!("../../samples/corpus/", $name)) as &[u8])),*]
    };
}

/// The sample corpus: file name and bytes.
pub const SAMPLES: &[(&str, &[u8])] = samples![
    "courier-tessel-watch.html",
    "courier_mediation.txt",
    "crawl-20250321.warc.gz",
    "feed_item_2291.txt",
    "harbourgazette_strike_vote.html",
    "hg_kestland_deal.zst",
    "ledger_0407.txt",
    "ledger_kestland_stall.txt.gz",
    "meridian_feed.jsonl",
    "scrape_0142.txt",
    "signal-basin-audit.md",
    "signal_kestland_explainer.txt",
];

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The folder for the samples and the demo store (replaced if it holds an earlier demo).
    #[arg(long, default_value = "newsfold-demo")]
    pub dir: PathBuf,
    /// Stop after listing, instead of serving the desk on the demo store.
    #[arg(long)]
    pub no_serve: bool,
    /// The port the desk listens on (on 127.0.0.1; 0 picks a free one).
    #[arg(long, default_value_t = 8787)]
    pub port: u16,
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    let samples = args.dir.join("samples");
    std::fs::create_dir_all(&samples)
        .map_err(|e| Error::io(format!("creating {}", samples.display()), e))?;
    for (name, bytes) in SAMPLES {
        let path = samples.join(name);
        std::fs::write(&path, bytes)
            .map_err(|e| Error::io(format!("writing {}", path.display()), e))?;
    }
    let db = args.dir.join("newsfold.db");
    for suffix in ["", "-wal", "-shm"] {
        let path = PathBuf::from(format!("{}{suffix}", db.display()));
        if path.exists() {
            std::fs::remove_file(&path)
                .map_err(|e| Error::io(format!("removing {}", path.display()), e))?;
        }
    }
    let mut store = Store::open(&db)?;
    let report = pipeline::ingest(
        &mut store,
        &[samples.display().to_string()],
        &ctx.config,
        &pipeline::Quiet,
    )?;
    println!("{}\n", super::ingest::summary(&report));
    let sub = Context {
        db: db.clone(),
        config: ctx.config.clone(),
        quiet: ctx.quiet,
    };
    super::articles::run(
        &sub,
        super::articles::Args {
            outlet: None,
            limit: None,
            json: false,
        },
    )?;
    println!(
        "\nThe store is {db}. Try:\n  newsfold --db {db} show <ID>\n  newsfold --db {db} stories\n  newsfold --db {db} story <STORY ID>\n  newsfold --db {db} outlets list\n  newsfold --db {db} export --format jsonl",
        db = db.display()
    );
    if !args.no_serve {
        println!();
        super::serve::serve(
            &db,
            ctx,
            &super::serve::Args {
                bind: std::net::Ipv4Addr::LOCALHOST.into(),
                port: args.port,
                token: None,
            },
        )?;
    }
    Ok(if report.failed_total() > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
