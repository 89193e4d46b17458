//! `newsfold articles`: the stored articles, one line each.

use super::{cell, print_json, Context};
use crate::error::Result;
use crate::export::ExportRecord;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only this outlet (any of its names or domains).
    #[arg(long)]
    pub outlet: Option<String>,
    /// At most this many.
    #[arg(long)]
    pub limit: Option<usize>,
    /// JSON (an array of export records) instead of a table.
    #[arg(long)]
    pub json: bool,
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    let store = ctx.existing_store()?;
    let articles = store.articles(args.outlet.as_deref(), args.limit)?;
    if args.json {
        let aliases = ctx.config.extract.alias_table()?;
        let records: Vec<ExportRecord> = articles
            .iter()
            .map(|a| ExportRecord::new(a, &aliases))
            .collect();
        print_json(&records)?;
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{:<12}  {:<8}  {:<10}  {:<22}  TITLE",
        "ID", "FORMAT", "PUBLISHED", "OUTLET"
    );
    for a in &articles {
        let m = &a.article.meta;
        let published = m
            .published
            .as_ref()
            .map(|p| {
                let mark = if p.value.not_before { "≥" } else { "" };
                format!("{mark}{}", p.value.date)
            })
            .unwrap_or_else(|| "undated".into());
        let title = m
            .title
            .as_ref()
            .map(|t| t.value.clone())
            .or_else(|| a.article.paragraphs.first().map(|p| format!("({})", p)))
            .unwrap_or_default();
        println!(
            "{:<12}  {:<8}  {:<10}  {:<22}  {}",
            a.article.id,
            a.article.format.as_str(),
            published,
            cell(a.outlet.as_deref().unwrap_or("-"), 22),
            cell(&title, 70)
        );
    }
    Ok(ExitCode::SUCCESS)
}
