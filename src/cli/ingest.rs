//! `newsfold ingest PATH...`: every stage the project has, over every input named.

use super::{print_json, Context};
use crate::error::{Error, Result};
use crate::pipeline::{self, Failure, IngestReport, Progress};
use std::io::IsTerminal;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files, directories (walked recursively) or `-` for standard input.
    #[arg(required = true)]
    pub paths: Vec<String>,
    /// Map a JSON record field: KEY=NAME, KEY one of text, title, url, date, outlet, id,
    /// author, language; NAME may be a dotted path (meta.title). Repeatable.
    #[arg(long = "field", value_name = "KEY=NAME")]
    pub fields: Vec<String>,
    /// Print the run's report as JSON on standard output.
    #[arg(long)]
    pub json: bool,
}

/// Failures on standard error as they happen, and a spinner when standard error is a terminal.
struct Terminal {
    bar: Option<indicatif::ProgressBar>,
    quiet: bool,
}

impl Progress for Terminal {
    fn input_started(&self, path: &str) {
        if let Some(bar) = &self.bar {
            bar.set_message(path.to_string());
        }
    }
    fn documents_done(&self, n: usize) {
        if let Some(bar) = &self.bar {
            bar.inc(n as u64);
        }
    }
    fn failure(&self, f: &Failure) {
        if self.quiet {
            return;
        }
        let line = format!("newsfold: {}: {}", f.path, f.error);
        match &self.bar {
            Some(bar) => bar.println(line),
            None => eprintln!("{line}"),
        }
    }
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    let mut cfg = ctx.config.clone();
    for spec in &args.fields {
        cfg.ingest.fields.map(spec).map_err(Error::Usage)?;
    }
    let mut store = ctx.open_store()?;
    let bar = (!ctx.quiet && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} {pos} documents, {per_sec} {wide_msg}",
            )
            .expect("valid progress template"),
        );
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        bar
    });
    let progress = Terminal {
        bar,
        quiet: ctx.quiet,
    };
    let report = pipeline::ingest(&mut store, &args.paths, &cfg, &progress)?;
    if let Some(bar) = &progress.bar {
        bar.finish_and_clear();
    }
    if args.json {
        print_json(&report)?;
    } else if !ctx.quiet {
        eprintln!("{}", summary(&report));
        for note in [&report.stories_note, &report.search_note]
            .into_iter()
            .flatten()
        {
            eprintln!("note: {note}");
        }
    }
    Ok(if report.failed_total() > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

pub(super) fn summary(r: &IngestReport) -> String {
    let mut s = format!(
        "{} inputs ({} unchanged), {} documents: {} articles added, {} already stored",
        r.inputs, r.inputs_unchanged, r.documents, r.articles_added, r.already_stored
    );
    if r.articles_recleaned > 0 {
        s.push_str(&format!(
            ", {} earlier articles cleaned again with what their outlets' newer articles taught",
            r.articles_recleaned
        ));
    }
    if r.copies.groups > 0 {
        s.push_str(&format!(
            ", {} copy groups ({} articles)",
            r.copies.groups, r.copies.grouped_articles
        ));
    }
    if let Some(search) = r.search.filter(|s| s.indexed > 0 || s.removed > 0) {
        s.push_str(&format!(
            ", search index: {} indexed, {} removed",
            search.indexed, search.removed
        ));
    }
    if r.not_articles > 0 {
        s.push_str(&format!(", {} not articles", r.not_articles));
    }
    let failed = r.failed_total();
    if failed > 0 {
        let kinds: Vec<String> = r.failed.iter().map(|(k, n)| format!("{n} {k}")).collect();
        s.push_str(&format!(", {failed} failed ({})", kinds.join(", ")));
    }
    s
}
