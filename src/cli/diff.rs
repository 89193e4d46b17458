//! `newsfold diff A B`: what changed between two stored articles (usually two copies): the
//! headline, paragraphs added, dropped or changed, and the words inside changed ones, marked
//! `[-dropped-]` and `{+added+}`; `--json` gives the same as data. The comparison is
//! `dedup::diff`'s; this file only fetches the two articles and prints.

use super::{print_json, Context};
use crate::dedup::diff::{self, Diff, Hunk, Side, WordOp, Words};
use crate::error::{Error, Result};
use crate::store::{Store, StoredArticle};
use serde::Serialize;
use std::process::ExitCode;

/// Kept words around a change: runs longer than this are shortened in the middle.
const CONTEXT_WORDS: usize = 6;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The old article's id, or any unique prefix of it.
    pub a: String,
    /// The new article's id, or any unique prefix of it.
    pub b: String,
    /// The differences as JSON.
    #[arg(long)]
    pub json: bool,
}

/// The JSON output: the two articles, their copy relation, and the differences.
#[derive(Serialize)]
struct Output<'a> {
    old: &'a str,
    new: &'a str,
    /// The new article's relation when the two are in one copy group.
    copy_relation: Option<crate::dedup::Relation>,
    #[serde(flatten)]
    diff: &'a Diff,
}

fn fetch(store: &Store, id: &str) -> Result<StoredArticle> {
    store
        .article(id)?
        .ok_or_else(|| Error::Usage(format!("no article with id {id:?}")))
}

fn side(s: &StoredArticle) -> Side<'_> {
    Side {
        title: s.article.meta.title.as_ref().map(|f| f.value.as_str()),
        paragraphs: &s.article.paragraphs,
    }
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    let store = ctx.existing_store()?;
    let (old, new) = (fetch(&store, &args.a)?, fetch(&store, &args.b)?);
    let d = diff::diff(side(&old), side(&new));
    let together = match (&old.copy, &new.copy) {
        (Some(x), Some(y)) if x.group == y.group => Some((x, y)),
        _ => None,
    };
    if args.json {
        print_json(&Output {
            old: &old.article.id,
            new: &new.article.id,
            copy_relation: together.map(|(_, y)| y.relation),
            diff: &d,
        })?;
        return Ok(ExitCode::SUCCESS);
    }
    for (mark, s) in [("---", &old), ("+++", &new)] {
        let outlet = s.outlet.as_deref().unwrap_or("unknown outlet");
        println!("{mark} {} {outlet} ({})", s.article.id, s.article.format);
    }
    match together {
        Some((x, y)) => {
            let relations = format!("{} and {}", x.relation, y.relation);
            println!("copies     one group ({}): {relations}", x.group);
        }
        None => println!("copies     not in one copy group"),
    }
    match &d.headline {
        None => println!("headline   the same"),
        Some(h) => {
            let show =
                |t: &Option<String>| t.as_deref().map_or("(none)".into(), |t| format!("{t:?}"));
            println!("headline   {} -> {}", show(&h.old), show(&h.new));
        }
    }
    let s = d.summary;
    println!(
        "paragraphs {} -> {}: {} same, {} changed, {} dropped, {} added\n",
        s.old_paragraphs, s.new_paragraphs, s.same, s.changed, s.dropped, s.added
    );
    for hunk in &d.hunks {
        match hunk {
            Hunk::Same { .. } => {}
            Hunk::Dropped { old, text } => println!("- [{old}] {text}\n"),
            Hunk::Added { new, text } => println!("+ [{new}] {text}\n"),
            Hunk::Changed { old, new, words } => {
                println!("~ [{}] -> [{}]", numbers(old), numbers(new));
                if words.iter().all(|w| w.op == WordOp::Same) {
                    println!("    the same words, broken into paragraphs differently\n");
                } else {
                    println!("    {}\n", marked(words));
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn numbers(ix: &[usize]) -> String {
    ix.iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Word runs as one line: changes marked, long kept runs shortened to their ends.
fn marked(words: &[Words]) -> String {
    let last = words.len().saturating_sub(1);
    let parts: Vec<String> = words
        .iter()
        .enumerate()
        .map(|(k, w)| match w.op {
            WordOp::Dropped => format!("[-{}-]", w.text),
            WordOp::Added => format!("{{+{}+}}", w.text),
            WordOp::Same => {
                let ws: Vec<&str> = w.text.split(' ').collect();
                let keep_head = if k == 0 { 0 } else { CONTEXT_WORDS };
                let keep_tail = if k == last { 0 } else { CONTEXT_WORDS };
                if ws.len() <= keep_head + keep_tail + 1 {
                    w.text.clone()
                } else {
                    let head = ws[..keep_head].join(" ");
                    let tail = ws[ws.len() - keep_tail..].join(" ");
                    format!("{head} … {tail}").trim().to_string()
                }
            }
        })
        .collect();
    parts.join(" ")
}
