//! `newsfold outlets`: read and edit the outlet registry.

use super::{print_json, Context};
use crate::error::Result;
use crate::store::outlets::OutletEntry;
use std::process::ExitCode;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Every outlet with its names, domains and article count.
    #[command(after_help = "Examples:\n  newsfold outlets list\n  newsfold outlets list --json")]
    List {
        #[arg(long)]
        json: bool,
    },
    /// Register an outlet with its other names and domains.
    #[command(
        after_help = "Example:\n  newsfold outlets add \"The Daily Example\" --alias \"Daily Example\" --domain dailyexample.com"
    )]
    Add {
        name: String,
        #[arg(long)]
        alias: Vec<String>,
        #[arg(long)]
        domain: Vec<String>,
    },
    /// Give an outlet another name or domain; if it belongs to another outlet, merge the two.
    #[command(after_help = "Example:\n  newsfold outlets alias \"Press TV\" presstv.com")]
    Alias { outlet: String, alias: String },
    /// Rename an outlet; the old name stays an alias.
    #[command(after_help = "Example:\n  newsfold outlets rename nsnbc.me \"nsnbc international\"")]
    Rename { outlet: String, new_name: String },
    /// Set a cleaning rule for an outlet and clean its articles again: keep a kind of
    /// furniture, keep a line the cleaner removes, or drop a line it keeps.
    #[command(
        after_help = "Kinds: donation, share, related, counter, breadcrumb, caption, source_line, newsletter, cookie, navigation, legal, other.\n\nExamples:\n  newsfold outlets rule \"Press TV\" keep-kind caption\n  newsfold outlets rule nsnbc drop-line \"Follow us on Telegram\"\n  newsfold outlets rule \"The Moscow Times\" keep-line \"Dear readers,\""
    )]
    Rule {
        outlet: String,
        #[arg(value_enum)]
        rule: RuleKind,
        /// The kind (keep-kind) or the line as it appears (keep-line, drop-line); lines match
        /// whatever their case, digits, punctuation and spacing.
        value: String,
    },
    /// An outlet's cleaning rules and the blocks it has learned as furniture.
    #[command(after_help = "Example:\n  newsfold outlets furniture \"The Moscow Times\"")]
    Furniture {
        outlet: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum RuleKind {
    KeepKind,
    KeepLine,
    DropLine,
}

pub fn run(ctx: &Context, cmd: Command) -> Result<ExitCode> {
    let mut store = ctx.open_store()?;
    match cmd {
        Command::List { json } => {
            let outlets = store.outlets()?;
            if json {
                print_json(&outlets)?;
            } else {
                for o in outlets {
                    println!("{:>6}  {}  [{}]", o.articles, o.name, o.origin);
                    if !o.aliases.is_empty() {
                        println!("        names:   {}", o.aliases.join(", "));
                    }
                    if !o.domains.is_empty() {
                        println!("        domains: {}", o.domains.join(", "));
                    }
                }
            }
        }
        Command::Add {
            name,
            alias,
            domain,
        } => store.add_outlet(&OutletEntry {
            name,
            aliases: alias,
            domains: domain,
        })?,
        Command::Alias { outlet, alias } => store.add_outlet_alias(&outlet, &alias)?,
        Command::Rename { outlet, new_name } => store.rename_outlet(&outlet, &new_name)?,
        Command::Rule {
            outlet,
            rule,
            value,
        } => {
            let rule = match rule {
                RuleKind::KeepKind => "keep_kind",
                RuleKind::KeepLine => "keep_line",
                RuleKind::DropLine => "drop_line",
            };
            let changed = store.add_rule(&outlet, rule, &value, &ctx.config.clean)?;
            crate::pipeline::refresh_derived(&mut store, &ctx.config)?;
            if !ctx.quiet {
                println!("{changed} articles of {outlet} cleaned again");
            }
        }
        Command::Furniture { outlet, json } => {
            let rules = store.rules(&outlet)?;
            let learned = store.learned_blocks(&outlet, ctx.config.clean.min_articles_edge)?;
            if json {
                #[derive(serde::Serialize)]
                struct Learned {
                    articles: i64,
                    text: String,
                }
                print_json(&serde_json::json!({
                    "rules": rules.iter().map(|(r, v)| serde_json::json!({"rule": r, "value": v})).collect::<Vec<_>>(),
                    "learned": learned.into_iter().map(|(articles, text)| Learned { articles, text }).collect::<Vec<_>>(),
                }))?;
            } else {
                for (rule, value) in &rules {
                    println!("rule     {rule} {value:?}");
                }
                for (n, text) in learned {
                    println!("{n:>6}x  {text}");
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
