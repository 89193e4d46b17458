//! `newsfold report STORY`: one story as a self-contained document to share offline:
//! Markdown, a single HTML file (styles inline, no script, links inside the file) or JSON.

use super::stories::report_of;
use super::Context;
use crate::error::{Error, Result};
use crate::stories::report::StoryReport;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Md,
    Html,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A story id (`ev_...` or `sl_...`, any unique prefix), or an article id for its event.
    pub story: String,
    #[arg(long, value_enum, default_value = "md")]
    pub format: Format,
    /// Write to this file instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    let r = report_of(ctx, &args.story)?;
    let text = match args.format {
        Format::Md => markdown(&r),
        Format::Html => crate::server::story_document(&r),
        Format::Json => {
            let mut s =
                serde_json::to_string_pretty(&r).map_err(|e| Error::Internal(e.to_string()))?;
            s.push('\n');
            s
        }
    };
    match &args.output {
        Some(path) => std::fs::write(path, text)
            .map_err(|e| Error::io(format!("writing {}", path.display()), e))?,
        None => print!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}

/// Text for a Markdown table cell or line: no line breaks, pipes escaped.
fn md(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}

/// The story as Markdown.
pub fn markdown(r: &StoryReport) -> String {
    let s = &r.summary;
    let mut out = String::new();
    let headline = md(s.headline.as_deref().unwrap_or("(untitled)"));
    let _ = writeln!(out, "# {headline}\n");
    let dates = match (s.first_seen, s.last_seen) {
        (Some(f), Some(l)) if f == l => f.to_string(),
        (Some(f), Some(l)) => format!("{f} to {l}"),
        _ => "undated".into(),
    };
    let _ = writeln!(
        out,
        "{} `{}` · {dates} · {} articles, {} independent sources\n",
        s.level.as_str(),
        s.id,
        s.articles,
        s.sources
    );
    let outlets: Vec<String> = s
        .outlets
        .iter()
        .map(|(o, n)| format!("{} ({n})", md(o)))
        .collect();
    let _ = writeln!(out, "**Outlets:** {}\n", outlets.join(", "));
    if !s.entities.is_empty() {
        let e: Vec<String> = s.entities.iter().map(|(e, _)| md(e)).collect();
        let _ = writeln!(out, "**Main entities:** {}\n", e.join(", "));
    }
    let _ = writeln!(out, "## Timeline\n");
    for e in &r.timeline {
        let when = if e.date == e.end {
            e.date.to_string()
        } else {
            format!("{} to {}", e.date, e.end)
        };
        let sources: Vec<String> = e
            .sources
            .iter()
            .map(|x| md(x.outlet.as_deref().unwrap_or("(unknown outlet)")))
            .collect();
        let _ = writeln!(out, "- **{when}** {} ({})", md(&e.text), sources.join(", "));
    }
    let _ = writeln!(
        out,
        "\n## Coverage\n\n| Published | Outlet | Article | Copies |\n|---|---|---|---|"
    );
    for c in &r.coverage {
        let a = &c.article;
        let copies: Vec<String> = c
            .copies
            .iter()
            .map(|k| {
                format!(
                    "{} `{}` ({})",
                    md(k.outlet.as_deref().unwrap_or("?")),
                    k.id,
                    k.copy_relation.as_deref().unwrap_or("")
                )
            })
            .collect();
        let _ = writeln!(
            out,
            "| {} | {} | {} `{}` | {} |",
            a.published.as_deref().unwrap_or("undated"),
            md(a.outlet.as_deref().unwrap_or("(unknown outlet)")),
            md(a.title.as_deref().unwrap_or("(untitled)")),
            a.id,
            copies.join("; ")
        );
    }
    let _ = writeln!(out, "\n## Who said what\n");
    for sq in &r.quotes {
        let _ = writeln!(out, "**{}**\n", md(&sq.speaker));
        for q in &sq.quotes {
            let _ = writeln!(
                out,
                "> “{}” ({})",
                md(&q.text),
                q.outlets
                    .iter()
                    .map(|o| md(o))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            for alt in &q.altered {
                let _ = writeln!(
                    out,
                    ">\n> altered in the copy `{}`: “{}”",
                    alt.article,
                    md(&alt.text)
                );
            }
            out.push('\n');
        }
    }
    if !r.labels.is_empty() {
        let _ = writeln!(
            out,
            "## Labels\n\n| Actor | Target | Label | Outlets |\n|---|---|---|---|"
        );
        for l in &r.labels {
            let actor = if l.by_outlet {
                "the outlet itself".to_string()
            } else {
                md(l.actor.as_deref().unwrap_or("(unattributed)"))
            };
            let _ = writeln!(
                out,
                "| {actor} | {} | {} | {} |",
                md(&l.target),
                md(&l.label),
                md(&l.outlets.join(", "))
            );
        }
        out.push('\n');
    }
    out
}
