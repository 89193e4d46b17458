//! `newsfold show ID`: one article, its metadata with where each value came from, and its
//! paragraphs, its copy group when it has copies, its quotes with their speakers and the dates it mentions; `--furniture` puts the removed blocks back in place, marked; `--raw` prints
//! the verbatim input instead.

use super::{print_json, Context};
use crate::error::{Error, Result};
use crate::export::ExportRecord;
use crate::model::{Article, CopyMember, Field};
use crate::store::Store;
use std::io::Write;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The article id, or any unique prefix of it.
    pub id: String,
    /// The export record as JSON.
    #[arg(long, conflicts_with = "raw")]
    pub json: bool,
    /// The raw document's bytes, verbatim, on standard output.
    #[arg(long)]
    pub raw: bool,
    /// The removed furniture in place, each block with its kind and why it was removed.
    #[arg(long, conflicts_with_all = ["raw", "json"])]
    pub furniture: bool,
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    let store = ctx.existing_store()?;
    let stored = store
        .article(&args.id)?
        .ok_or_else(|| Error::Usage(format!("no article with id {:?}", args.id)))?;
    if args.raw {
        let bytes = store.raw_bytes(&stored.article.raw_hash)?.ok_or_else(|| {
            Error::Internal(format!("raw document of {} is missing", stored.article.id))
        })?;
        std::io::stdout()
            .write_all(&bytes)
            .map_err(|e| Error::io("writing to standard output", e))?;
        return Ok(ExitCode::SUCCESS);
    }
    if args.json {
        print_json(&ExportRecord::new(
            &stored,
            &*ctx.config.extract.alias_table()?,
        ))?;
        return Ok(ExitCode::SUCCESS);
    }
    let a = &stored.article;
    let m = &a.meta;
    println!("id         {}", a.id);
    println!("source     {} ({})", a.source_path, a.format);
    if let Some(ext) = &a.external_id {
        println!("record id  {ext}");
    }
    line("title", &m.title, |v| v.clone());
    line("outlet", &m.outlet, |v| v.clone());
    line("url", &m.url, |v| v.clone());
    line("author", &m.author, |v| v.clone());
    line("language", &m.language, |v| v.clone());
    line("published", &m.published, |p| {
        let bound = if p.not_before { "on or after " } else { "" };
        format!("{bound}{} ({:?})", p.date, p.granularity).to_lowercase()
    });
    if m.published.is_none() {
        println!("published  undated");
    }
    if let Some(c) = &m.crawled {
        println!("crawled    {c} (WARC-Date; not a publication date)");
    }
    if let Some(c) = &stored.copy {
        copy_lines(&store, a, c)?;
    }
    println!();
    if a.paragraphs.is_empty() {
        println!("(the body is empty: every block of this document was furniture)\n");
    }
    if args.furniture {
        show_in_place(a);
    } else {
        for (i, p) in a.paragraphs.iter().enumerate() {
            println!("[{}] {p}\n", i + 1);
        }
        if !a.furniture.is_empty() {
            println!(
                "({} furniture blocks removed; --furniture shows them in place)",
                a.furniture.len()
            );
        }
    }
    let text = a.text();
    let entities =
        crate::extract::entities::find_entities(&text, &*ctx.config.extract.alias_table()?);
    entity_lines(&entities);
    quote_lines(&text);
    date_lines(&text, m.published.as_ref().map(|p| p.value.date));
    label_lines(&crate::extract::labels::find_labels(
        &text,
        &entities,
        stored.outlet.as_deref(),
    ));
    Ok(ExitCode::SUCCESS)
}

/// The entities the body names: kind, name, the other names it goes by, roles, mentions.
fn entity_lines(entities: &[crate::extract::entities::Entity]) {
    if entities.is_empty() {
        return;
    }
    println!("\nentities");
    for e in entities {
        let aliases = if e.aliases.is_empty() {
            String::new()
        } else {
            format!(" (also {})", e.aliases.join(", "))
        };
        let roles = if e.roles.is_empty() {
            String::new()
        } else {
            format!(" [{}]", e.roles.join("; "))
        };
        println!(
            "  {:<12} {}{aliases}{roles}, {} mention{}",
            e.kind.as_str(),
            e.name,
            e.mentions.len(),
            if e.mentions.len() == 1 { "" } else { "s" }
        );
    }
}

/// What one party calls another: actor, target, label, and whether the outlet says it.
fn label_lines(labels: &[crate::extract::labels::Label]) {
    if labels.is_empty() {
        return;
    }
    println!("\nlabels");
    for l in labels {
        let actor = l.actor.as_deref().unwrap_or("(unattributed)");
        let voice = if l.by_outlet {
            ", in the outlet's own words"
        } else {
            ""
        };
        println!(
            "  {actor} -> {}: \"{}\" [{}{voice}]",
            l.target, l.label, l.cue
        );
    }
}

/// The dates the body mentions, resolved, each with its words.
fn date_lines(text: &str, published: Option<chrono::NaiveDate>) {
    let dates = crate::extract::dates::find_dates(text, published);
    if dates.is_empty() {
        return;
    }
    println!("\ndates");
    for d in dates {
        let span = if d.end == d.date {
            d.date.to_string()
        } else {
            format!("{} to {}", d.date, d.end)
        };
        let how = if d.relative { ", resolved" } else { "" };
        println!("  {span} ({:?}{how}): {}", d.granularity, d.text);
    }
}

/// The article's quotes: who said what, through which cue.
fn quote_lines(text: &str) {
    let quotes = crate::extract::quotes::find_quotes(text);
    if quotes.is_empty() {
        return;
    }
    println!("\nquotes");
    for q in quotes {
        let who = q.speaker.as_deref().unwrap_or("(speaker unknown)");
        let role = q.speaker_role.map(|r| format!(", {r}")).unwrap_or_default();
        let cue = q.cue.map(|c| format!(" [{c}]")).unwrap_or_default();
        let kind = match q.kind {
            crate::extract::QuoteKind::Direct => "",
            crate::extract::QuoteKind::Reported => " (reported)",
        };
        println!("  {who}{role}{cue}{kind}: {}", q.text);
    }
}

/// The article's place among its copies: what it is a copy of, or the copies it has.
fn copy_lines(store: &Store, a: &Article, c: &CopyMember) -> Result<()> {
    match (&c.copy_of, c.figures) {
        (Some(of), Some(f)) => println!(
            "copy       {} of {of} (group {}; jaccard {:.3}, containment {:.3})",
            c.relation, c.group, f.jaccard, f.containment
        ),
        _ => println!("copy       original of group {}", c.group),
    }
    let others: Vec<String> = store
        .copy_members(&c.group)?
        .into_iter()
        .filter(|(id, _)| *id != a.id)
        .map(|(id, relation)| format!("{id} ({relation})"))
        .collect();
    if !others.is_empty() {
        println!("{:<10}   with {}", "", others.join(", "));
    }
    Ok(())
}

fn line<T>(label: &str, field: &Option<Field<T>>, show: impl Fn(&T) -> String) {
    if let Some(f) = field {
        println!("{label:<10} {}", show(&f.value));
        let evidence = f
            .evidence
            .as_deref()
            .map(|e| format!(": {e:?}"))
            .unwrap_or_default();
        println!(
            "{:<10}   from {} (confidence {:.2}){evidence}",
            "",
            f.source.as_str(),
            f.confidence
        );
    }
}

/// The body with each removed block back where it stood, marked with its kind and reason.
fn show_in_place(a: &Article) {
    let mut removed = a.furniture.iter().peekable();
    let mut kept = a.paragraphs.iter().enumerate();
    let total = a.paragraphs.len() + a.furniture.len();
    for position in 0..total {
        match removed.next_if(|f| f.position == position) {
            Some(f) => println!("  - [{}] {}\n      ({})\n", f.kind, f.text, f.reason),
            None => {
                if let Some((i, p)) = kept.next() {
                    println!("[{}] {p}\n", i + 1);
                }
            }
        }
    }
}
