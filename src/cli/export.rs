//! `newsfold export`: every article in one of the export formats.

use super::Context;
use crate::error::{Error, Result};
use crate::export::{self, ExportFormat};
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(long, value_enum, default_value = "jsonl")]
    pub format: ExportFormat,
    /// Write here instead of standard output (written to a temporary file, then renamed).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    let store = ctx.existing_store()?;
    let aliases = ctx.config.extract.alias_table()?;
    let count = match &args.output {
        Some(path) => {
            let tmp = path.with_extension("partial");
            let file = std::fs::File::create(&tmp)
                .map_err(|e| Error::io(format!("creating {}", tmp.display()), e))?;
            let mut out = BufWriter::new(file);
            let count = export::export(&store, args.format, &aliases, &mut out)?;
            out.flush()
                .map_err(|e| Error::io(format!("writing {}", tmp.display()), e))?;
            std::fs::rename(&tmp, path)
                .map_err(|e| Error::io(format!("renaming to {}", path.display()), e))?;
            count
        }
        None => {
            let mut out = BufWriter::new(std::io::stdout());
            let count = export::export(&store, args.format, &aliases, &mut out)?;
            out.flush()
                .map_err(|e| Error::io("writing to standard output", e))?;
            count
        }
    };
    if !ctx.quiet {
        eprintln!("{count} articles exported");
    }
    Ok(ExitCode::SUCCESS)
}
