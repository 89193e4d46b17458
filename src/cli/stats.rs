//! `newsfold stats`: what the store holds.

use super::{print_json, Context};
use crate::error::Result;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(long)]
    pub json: bool,
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    let store = ctx.existing_store()?;
    let s = store.stats()?;
    if args.json {
        print_json(&s)?;
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "inputs          {} ({} not completely read)",
        s.inputs, s.inputs_incomplete
    );
    println!(
        "raw documents   {} ({} bytes)",
        s.raw_documents, s.raw_bytes
    );
    println!("articles        {} ({} undated)", s.articles, s.undated);
    if s.empty_bodies > 0 {
        println!(
            "empty bodies    {} (every block was furniture; `newsfold show ID --furniture`)",
            s.empty_bodies
        );
    }
    println!("outlets         {}", s.outlets);
    println!("copy groups     {}", s.copy_groups);
    println!("failures        {}", s.failures);
    for (title, rows) in [
        ("by format", &s.by_format),
        ("date source", &s.by_date_source),
        ("top outlets", &s.by_outlet),
        ("copies", &s.by_copy_relation),
    ] {
        println!("\n{title}");
        for (k, n) in rows {
            println!("  {n:>8}  {k}");
        }
    }
    if s.failures > 0 {
        println!("\nfailures");
        for (path, error) in store.failures()? {
            println!("  {path}: {error}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
