//! `newsfold labels`: what each outlet calls each entity across the store, side by side: the
//! names it uses, the labels it applies in its own voice, and the labels its articles report
//! others applying. Copies count once (only each copy group's original is read).

use super::{print_json, Context};
use crate::error::Result;
use crate::extract::labels::LabelReport;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only this entity (its name as `newsfold show` prints it).
    #[arg(long)]
    pub entity: Option<String>,
    /// How many entities to list, most mentioned first.
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    /// The whole report as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    let store = ctx.existing_store()?;
    let aliases = ctx.config.extract.alias_table()?;
    let mut report = LabelReport::default();
    store.for_each_article(None, None, |a| {
        if a.copy.as_ref().is_some_and(|c| c.copy_of.is_some()) {
            return Ok(());
        }
        let text = a.article.text();
        let entities = crate::extract::entities::find_entities(&text, &aliases);
        let outlet = a.outlet.as_deref().unwrap_or("(unknown outlet)");
        let labels = crate::extract::labels::find_labels(&text, &entities, a.outlet.as_deref());
        report.add(outlet, &text, &entities, &labels);
        Ok(())
    })?;
    if let Some(name) = &args.entity {
        report.entities.retain(|n, _| n == name);
    }
    if args.json {
        print_json(&report)?;
        return Ok(ExitCode::SUCCESS);
    }
    let notable = report.notable();
    if notable.is_empty() {
        println!("no entity is labelled or named in more than one way");
    }
    let counts = |m: &std::collections::BTreeMap<String, usize>| {
        let mut v: Vec<_> = m.iter().collect();
        v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        v.iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    for (name, t) in notable.into_iter().take(args.limit) {
        match t.kind {
            Some(kind) => println!("{name} ({}, {} mentions)", kind.as_str(), t.mentions),
            None => println!("{name} (words labelled, not an entity)"),
        }
        for (outlet, o) in &t.outlets {
            let own = if o.labels.is_empty() {
                String::new()
            } else {
                format!("; its own labels: {}", counts(&o.labels))
            };
            if o.names.is_empty() {
                println!("  {outlet}: {}", own.trim_start_matches("; "));
            } else {
                println!(
                    "  {outlet} ({} article{}): names {}{own}",
                    o.articles,
                    if o.articles == 1 { "" } else { "s" },
                    counts(&o.names)
                );
            }
        }
        for (reported, n) in &t.reported {
            println!("  reported: {reported} x{n}");
        }
    }
    if args.entity.is_none() {
        println!("\nloaded words by outlet");
        for (outlet, words) in &report.loaded_words {
            if !words.is_empty() {
                println!("  {outlet}: {}", counts(words));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
