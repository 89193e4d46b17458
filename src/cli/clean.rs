//! `newsfold clean`: clean every stored article again, after a change of the `[clean]`
//! settings. Ingest cleans as it goes; this command is only needed when the rules change.
//! The copy groups follow the new bodies (and the `[dedup]` settings of this run).

use super::Context;
use crate::error::Result;
use std::process::ExitCode;

pub fn run(ctx: &Context) -> Result<ExitCode> {
    let mut store = ctx.existing_store()?;
    let changed = store.reclean_all(&ctx.config.clean)?;
    let copies = store.refresh_copies(&ctx.config.dedup)?;
    if !ctx.quiet {
        println!(
            "{changed} articles changed; {} copy groups ({} articles)",
            copies.groups, copies.grouped_articles
        );
    }
    Ok(ExitCode::SUCCESS)
}
