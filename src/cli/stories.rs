//! `newsfold stories` (the list, newest first, with filters) and `newsfold story ID` (one
//! story: summary, articles with copies under their original, timeline, key quotes).

use super::{print_json, Context};
use crate::error::{Error, Result};
use crate::stories::report::{self, StoryReport};
use crate::stories::{Filter, Level, Summary};
use chrono::NaiveDate;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LevelArg {
    Event,
    Storyline,
}

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Events (one happening) or storylines (events chained over weeks).
    #[arg(long, value_enum, default_value = "storyline")]
    pub level: LevelArg,
    /// Only stories with an article on or after this day (YYYY-MM-DD).
    #[arg(long, value_parser = parse_day)]
    pub from: Option<NaiveDate>,
    /// Only stories with an article on or before this day (YYYY-MM-DD).
    #[arg(long, value_parser = parse_day)]
    pub to: Option<NaiveDate>,
    /// Only stories this outlet covered (its name as `newsfold outlets list` prints it).
    #[arg(long)]
    pub outlet: Option<String>,
    /// Only stories among whose main entities this one is.
    #[arg(long)]
    pub entity: Option<String>,
    /// Only stories of at least this many articles.
    #[arg(long, default_value_t = 1)]
    pub min_articles: usize,
    #[arg(long, default_value_t = 30)]
    pub limit: usize,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// A story id (`ev_...` or `sl_...`, any unique prefix), or an article id for the event it
    /// belongs to.
    pub id: String,
    #[arg(long)]
    pub json: bool,
}

pub(super) fn parse_day(s: &str) -> std::result::Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|e| format!("{s:?} is not a day as YYYY-MM-DD: {e}"))
}

pub fn list(ctx: &Context, args: ListArgs) -> Result<ExitCode> {
    let store = ctx.existing_store()?;
    let level = match args.level {
        LevelArg::Event => Level::Event,
        LevelArg::Storyline => Level::Storyline,
    };
    let mut found = crate::store::stories::list(&store, level, None)?;
    let filter = Filter {
        from: args.from,
        to: args.to,
        outlet: args.outlet.clone(),
        entity: args.entity.clone(),
        min_articles: args.min_articles,
    };
    found.retain(|s| filter.keeps(s));
    found.truncate(args.limit);
    if args.json {
        print_json(&found)?;
        return Ok(ExitCode::SUCCESS);
    }
    if found.is_empty() {
        println!("no story matches");
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{:<17} {:<23} {:>8} {:>7}  HEADLINE",
        "ID", "DATES", "ARTICLES", "SOURCES"
    );
    for s in &found {
        println!(
            "{:<17} {:<23} {:>8} {:>7}  {}",
            s.id,
            dates(s),
            s.articles,
            s.sources,
            s.headline.as_deref().unwrap_or("(untitled)")
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn dates(s: &Summary) -> String {
    match (s.first_seen, s.last_seen) {
        (Some(f), Some(l)) if f == l => f.to_string(),
        (Some(f), Some(l)) => format!("{f}..{l}"),
        _ => "undated".to_string(),
    }
}

/// The story `id` names: a story id or prefix, or an article id (its event).
fn find(store: &crate::store::Store, id: &str) -> Result<Option<Summary>> {
    if id.starts_with("ev_") || id.starts_with("sl_") {
        return crate::store::stories::get(store, id);
    }
    let Some(article) = store.article(id)? else {
        return Ok(None);
    };
    match article.story {
        Some(m) => crate::store::stories::get(store, &m.event),
        None => Ok(None),
    }
}

/// The report of the story `id` names (see [`find`]); an unknown id is a usage error.
pub(super) fn report_of(ctx: &Context, id: &str) -> Result<StoryReport> {
    let store = ctx.existing_store()?;
    let Some(summary) = find(&store, id)? else {
        return Err(Error::Usage(format!(
            "no story {id:?} (see `newsfold stories`)"
        )));
    };
    let members = crate::store::stories::members(&store, &summary)?;
    let aliases = ctx.config.extract.alias_table()?;
    Ok(report::build(summary, &members, &aliases))
}

pub fn show(ctx: &Context, args: ShowArgs) -> Result<ExitCode> {
    let r = report_of(ctx, &args.id)?;
    if args.json {
        print_json(&r)?;
    } else {
        print_report(&r);
    }
    Ok(ExitCode::SUCCESS)
}

fn print_report(r: &StoryReport) {
    let s = &r.summary;
    println!(
        "{}  {}",
        s.id,
        s.headline.as_deref().unwrap_or("(untitled)")
    );
    println!(
        "  {} · {}: {} articles, {} independent sources",
        s.level.as_str(),
        dates(s),
        s.articles,
        s.sources
    );
    let outlets: Vec<String> = s
        .outlets
        .iter()
        .map(|(o, n)| format!("{o} ({n})"))
        .collect();
    println!("  outlets: {}", outlets.join(", "));
    let entities: Vec<&str> = s.entities.iter().map(|(e, _)| e.as_str()).collect();
    println!("  entities: {}", entities.join(", "));
    if let Some(p) = &s.parent {
        println!("  storyline: {p}");
    }
    if !s.events.is_empty() {
        println!("  events: {}", s.events.join(", "));
    }
    println!("\narticles");
    for a in &r.articles {
        let copy = match (&a.copy_relation, &a.copy_of) {
            (Some(rel), Some(of)) => format!("  [{rel} of {of}]"),
            _ => String::new(),
        };
        println!(
            "  {}  {:<10}  {:<22}  {}{copy}",
            a.id,
            a.published.as_deref().unwrap_or("undated"),
            a.outlet.as_deref().unwrap_or("(unknown outlet)"),
            a.title.as_deref().unwrap_or("(untitled)")
        );
    }
    println!("\ntimeline");
    for e in &r.timeline {
        let when = if e.date == e.end {
            e.date.to_string()
        } else {
            format!("{}..{}", e.date, e.end)
        };
        let mut outlets: Vec<&str> = e
            .sources
            .iter()
            .filter_map(|x| x.outlet.as_deref())
            .collect();
        outlets.dedup();
        let what = match e.kind {
            crate::stories::timeline::EntryKind::Published => format!("published: {}", e.text),
            crate::stories::timeline::EntryKind::Mention => e.text.clone(),
        };
        println!("  {when:<22} {what}  [{}]", outlets.join(", "));
    }
    if !r.quotes.is_empty() {
        println!("\nquotes");
        for sq in &r.quotes {
            println!("  {}", sq.speaker);
            for q in &sq.quotes {
                println!("    “{}”  [{}]", q.text, q.outlets.join(", "));
            }
        }
    }
}
