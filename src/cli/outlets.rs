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
    }
    Ok(ExitCode::SUCCESS)
}
