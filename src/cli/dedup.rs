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
    fn record_failed(&self, path: &str, error: &crate::error::InputError) {
        let line = format!("{path}: {error} (skipped)");
        match &self.0 {
            Some(bar) => bar.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }
}

/// The kept-records file, compressed by its name's ending. It is written beside its final
/// name and renamed there once complete, so a failed run leaves no half-written output, and
/// compressors are finished explicitly so that an error in their last bytes is reported.
enum Output {
    Plain(BufWriter<std::fs::File>),
    Gzip(flate2::write::GzEncoder<BufWriter<std::fs::File>>),
    Zstd(zstd::stream::write::Encoder<'static, BufWriter<std::fs::File>>),
}

impl Output {
    fn create(partial: &Path, name: &str) -> Result<Output> {
        let file = std::fs::File::create(partial)
            .map_err(|e| Error::io(format!("creating {}", partial.display()), e))?;
        let file = BufWriter::with_capacity(1 << 20, file);
        Ok(if name.ends_with(".gz") {
            Output::Gzip(flate2::write::GzEncoder::new(
                file,
                flate2::Compression::default(),
            ))
        } else if name.ends_with(".zst") {
            Output::Zstd(
                zstd::stream::write::Encoder::new(file, 3)
                    .map_err(|e| Error::io("starting zstd", e))?,
            )
        } else {
            Output::Plain(file)
        })
    }

    fn writer(&mut self) -> &mut (dyn Write + Send) {
        match self {
            Output::Plain(w) => w,
            Output::Gzip(w) => w,
            Output::Zstd(w) => w,
        }
    }

    fn finish(self) -> std::io::Result<()> {
        let mut file = match self {
            Output::Plain(w) => w,
            Output::Gzip(w) => w.finish()?,
            Output::Zstd(w) => w.finish()?,
        };
        file.flush()?;
        file.into_inner().map_err(|e| e.into_error())?.sync_all()
    }
}

/// Refuse an output that is one of the inputs: the inputs are read again after it is created.
fn check_not_an_input(output: &Path, inputs: &[String]) -> Result<()> {
    let Ok(out) = std::fs::canonicalize(output) else {
        return Ok(()); // does not exist yet
    };
    for input in inputs {
        if std::fs::canonicalize(input).is_ok_and(|i| i == out) {
            return Err(Error::Usage(format!(
                "{}: the output is also an input; write it elsewhere",
                output.display()
            )));
        }
    }
    Ok(())
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    let mut config = ctx.config.clone();
    for spec in &args.fields {
        config.ingest.fields.map(spec).map_err(Error::Usage)?;
    }
    let bar =
        (!ctx.quiet && std::io::stderr().is_terminal()).then(indicatif::ProgressBar::new_spinner);
    let progress = Bar(bar);
    check_not_an_input(&args.output, &args.inputs)?;
    if let Some(path) = &args.clusters {
        check_not_an_input(path, &args.inputs)?;
    }
    let outcome = batch::group_records(&args.inputs, &config, &progress)?;
    let partial = args.output.with_extension(match args.output.extension() {
        Some(e) => format!("{}.partial", e.to_string_lossy()),
        None => "partial".into(),
    });
    let mut out = Output::create(&partial, &args.output.to_string_lossy())?;
    batch::write_kept(&args.inputs, &config, &outcome, out.writer(), &progress)?;
    out.finish()
        .and_then(|()| std::fs::rename(&partial, &args.output))
        .map_err(|e| Error::io(format!("writing {}", args.output.display()), e))?;
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
            "{} records, {} kept; {} unreadable (skipped), {} without text, {} too short to judge; {} candidate pairs measured",
            r.records, r.kept, r.failed, r.without_text, r.too_short, r.candidate_pairs
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
    Ok(if outcome.report.failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
