//! `newsfold clean`: clean every stored article again, after a change of the `[clean]`
//! settings. Ingest cleans as it goes; this command is only needed when the rules change.

use super::Context;
use crate::error::Result;
use std::process::ExitCode;

pub fn run(ctx: &Context) -> Result<ExitCode> {
    let mut store = ctx.existing_store()?;
    let changed = store.reclean_all(&ctx.config.clean)?;
    if !ctx.quiet {
        println!("{changed} articles changed");
    }
    Ok(ExitCode::SUCCESS)
}
