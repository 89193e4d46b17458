//! `newsfold search QUERY`: full-text search of the store's articles, hits grouped by the
//! event they belong to. The index beside the store is brought up to date first (this
//! command owns the index writer for that moment); when another process is writing it, the
//! index is searched as it stands.

use super::stories::parse_day;
use super::{print_json, Context};
use crate::error::{Error, Result};
use crate::store::search::{group_hits, Hit, SearchIndex, SearchQuery, MAX_LIMIT};
use crate::store::Store;
use chrono::NaiveDate;
use serde::Serialize;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Words to find (all must match), "quoted phrases", title:word, -word, a OR b. Empty
    /// (with filters) lists the matching articles newest first.
    #[arg(num_args = 0..)]
    pub query: Vec<String>,
    /// Only articles of this outlet (its name as `newsfold outlets list` prints it).
    #[arg(long)]
    pub outlet: Option<String>,
    /// Only articles published on or after this day (YYYY-MM-DD); undated ones never match.
    #[arg(long, value_parser = parse_day)]
    pub from: Option<NaiveDate>,
    /// Only articles published on or before this day (YYYY-MM-DD).
    #[arg(long, value_parser = parse_day)]
    pub to: Option<NaiveDate>,
    /// Only articles naming this entity (its canonical name, as `newsfold stories` shows it).
    #[arg(long)]
    pub entity: Option<String>,
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    /// Hits to skip (for the next page).
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    #[arg(long)]
    pub json: bool,
}

/// Hits of one event, in the order of the best of them.
#[derive(Debug, Serialize)]
struct EventHits {
    /// `None` for articles the stories stage has not placed.
    event: Option<String>,
    storyline: Option<String>,
    headline: Option<String>,
    hits: Vec<Hit>,
}

#[derive(Debug, Serialize)]
struct Output {
    total: usize,
    events: Vec<EventHits>,
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    if args.limit > MAX_LIMIT {
        return Err(Error::Usage(format!(
            "--limit {} is more than {MAX_LIMIT}; page with --offset",
            args.limit
        )));
    }
    let store = ctx.existing_store()?;
    let mut index = SearchIndex::open(&SearchIndex::dir_for(&ctx.db))?;
    let aliases = ctx.config.extract.alias_table()?;
    match index.refresh_unless_locked(&store, &aliases)? {
        Ok(r) if (r.indexed > 0 || r.removed > 0) && !ctx.quiet => eprintln!(
            "search index brought up to date: {} articles indexed, {} removed, {} in all",
            r.indexed, r.removed, r.total
        ),
        Ok(_) => {}
        Err(note) if !ctx.quiet => eprintln!("note: {note}; searching it as it stands"),
        Err(_) => {}
    }
    let query = SearchQuery {
        text: args.query.join(" "),
        outlet: args.outlet,
        from: args.from,
        to: args.to,
        entity: args.entity,
        limit: args.limit,
        offset: args.offset,
    };
    let found = index.search(&query)?;
    let out = Output {
        total: found.total,
        events: by_event(&store, found.hits)?,
    };
    if args.json {
        print_json(&out)?;
    } else {
        print_text(&out, &query);
    }
    Ok(ExitCode::SUCCESS)
}

/// Hits grouped by event, groups in the order of their first hit.
fn by_event(store: &Store, hits: Vec<Hit>) -> Result<Vec<EventHits>> {
    group_hits(hits, |h| {
        crate::store::stories::of_article(store, &h.article)
    })?
    .into_iter()
    .map(|(story, hits)| {
        let (event, storyline) = story.unzip();
        let headline = match &event {
            Some(e) => crate::store::stories::get(store, e)?.and_then(|s| s.headline),
            None => None,
        };
        Ok(EventHits {
            event,
            storyline,
            headline,
            hits,
        })
    })
    .collect()
}

fn print_text(out: &Output, q: &SearchQuery) {
    let shown: usize = out.events.iter().map(|g| g.hits.len()).sum();
    if shown == 0 {
        println!("no article matches ({} in all)", out.total);
        return;
    }
    println!(
        "{} articles match; {}..{} shown, by event",
        out.total,
        q.offset + 1,
        q.offset + shown
    );
    for g in &out.events {
        println!();
        match &g.event {
            Some(e) => println!(
                "{e}  {}",
                g.headline.as_deref().unwrap_or("(untitled event)")
            ),
            None => println!("(not in a story yet)"),
        }
        for h in &g.hits {
            println!(
                "  {}  {:<10}  {:<22}  {}",
                h.article,
                h.published.map_or("undated".to_string(), |d| d.to_string()),
                super::cell(h.outlet.as_deref().unwrap_or("(unknown outlet)"), 22),
                plain(&h.title_html)
            );
            println!("      {}", plain(&h.snippet_html));
        }
    }
}

/// A marked snippet for the terminal: matches in [brackets], entities read back.
fn plain(html: &str) -> String {
    html.replace("<mark>", "[")
        .replace("</mark>", "]")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}
