//! `newsfold dedup IN... -o OUT.jsonl [--clusters FILE]`: batch de-duplication of JSON-lines
//! corpora without the store (the work is in `crate::batch` and `crate::dedup`).

use super::Context;
use crate::batch::{self, BatchProgress};
use crate::error::{Error, Result};
use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// JSONL files (plain, .gz or .zst) or directories of them.
    #[arg(required = true)]
    pub inputs: Vec<String>,
    /// Where the kept records go (the first or earliest of each group, and every record that
    /// is no copy), verbatim, one a line; `.gz` or `.zst` compresses.
    #[arg(short, long)]
    pub output: PathBuf,
    /// Also write every record's id, cluster (its representative's id), relation and
    /// similarity to the representative: Parquet, or JSON lines when FILE ends in `.jsonl`.
    #[arg(long, value_name = "FILE")]
    pub clusters: Option<PathBuf>,
    /// Map a JSON record field: KEY=NAME (text, outlet, date, id, ...). Repeatable.
    #[arg(long = "field", value_name = "KEY=NAME")]
    pub fields: Vec<String>,
}

struct Bar(Option<indicatif::ProgressBar>);

impl BatchProgress for Bar {
    fn pass_started(&self, name: &str, records: Option<u64>) {
        if let Some(bar) = &self.0 {
            bar.set_position(0);
            bar.set_length(records.unwrap_or(0));
            let template = if records.is_some() {
                "{msg:>22} [{bar:30}] {pos}/{len} records ({per_sec})"
            } else {
                "{msg:>22} {spinner} {pos} records ({per_sec})"
            };
            if let Ok(style) = indicatif::ProgressStyle::with_template(template) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar.set_message(name.to_string());
        }
    }
    fn records_done(&self, n: u64) {
        if let Some(bar) = &self.0 {
            bar.inc(n);
        }
    }
}

fn create(path: &Path) -> Result<Box<dyn Write + Send>> {
    let file = std::fs::File::create(path)
        .map_err(|e| Error::io(format!("creating {}", path.display()), e))?;
    let file = BufWriter::with_capacity(1 << 20, file);
    let name = path.to_string_lossy();
    Ok(if name.ends_with(".gz") {
        Box::new(flate2::write::GzEncoder::new(
            file,
            flate2::Compression::default(),
        ))
    } else if name.ends_with(".zst") {
        let enc = zstd::stream::write::Encoder::new(file, 3)
            .map_err(|e| Error::io("starting zstd", e))?;
        Box::new(enc.auto_finish())
    } else {
        Box::new(file)
    })
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    let mut config = ctx.config.clone();
    for spec in &args.fields {
        config.ingest.fields.map(spec).map_err(Error::Usage)?;
    }
    let bar =
        (!ctx.quiet && std::io::stderr().is_terminal()).then(indicatif::ProgressBar::new_spinner);
    let progress = Bar(bar);
    let outcome = batch::group_records(&args.inputs, &config, &progress)?;
    let mut out = create(&args.output)?;
    batch::write_kept(&args.inputs, &config, &outcome, &mut out, &progress)?;
    out.flush()
        .map_err(|e| Error::io("writing the kept records", e))?;
    drop(out);
    if let Some(path) = &args.clusters {
        let mut file = BufWriter::new(
            std::fs::File::create(path)
                .map_err(|e| Error::io(format!("creating {}", path.display()), e))?,
        );
        if path.extension().is_some_and(|e| e == "jsonl") {
            batch::write_clusters_jsonl(&outcome, &mut file)?;
        } else {
            batch::write_clusters_parquet(&outcome, &mut file)?;
        }
        file.flush()
            .map_err(|e| Error::io(format!("writing {}", path.display()), e))?;
    }
    if let Some(bar) = &progress.0 {
        bar.finish_and_clear();
    }
    if !ctx.quiet {
        let r = &outcome.report;
        eprintln!(
            "{} records, {} kept; {} without text, {} too short to judge; {} candidate pairs measured",
            r.records, r.kept, r.without_text, r.too_short, r.candidate_pairs
        );
        let by: Vec<String> = r
            .by_relation
            .iter()
            .map(|(rel, n)| format!("{rel} {n}"))
            .collect();
        eprintln!("  {}", by.join(", "));
        eprintln!(
            "  index {:.0} bytes/record, shingle sets {:.1} MB, peak memory {:.0} MiB",
            r.index_bytes_per_record,
            r.set_bytes as f64 / 1e6,
            crate::bench::peak_memory_mib()
        );
    }
    Ok(ExitCode::SUCCESS)
}
