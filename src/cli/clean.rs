//! `newsfold clean`: clean every stored article again, after a change of the `[clean]`
//! settings. Ingest cleans as it goes; this command is only needed when the rules change.
//! The copy groups, the stories and the search index follow the new bodies (and this run's
//! settings).

use super::Context;
use crate::error::Result;
use std::process::ExitCode;

pub fn run(ctx: &Context) -> Result<ExitCode> {
    let mut store = ctx.existing_store()?;
    let changed = store.reclean_all(&ctx.config.clean)?;
    let derived = crate::pipeline::refresh_derived(&mut store, &ctx.config)?;
    let copies = derived.copies;
    if !ctx.quiet {
        println!(
            "{changed} articles changed; {} copy groups ({} articles); {} events, {} storylines",
            copies.groups,
            copies.grouped_articles,
            derived.stories.events,
            derived.stories.storylines
        );
        if let Some(s) = &derived.search {
            println!("search index: {} articles indexed again", s.indexed);
        }
        for note in [&derived.stories_note, &derived.search_note]
            .into_iter()
            .flatten()
        {
            eprintln!("note: {note}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
