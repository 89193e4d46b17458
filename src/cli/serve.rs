//! `newsfold serve`: the desk (`server`) on the store, until Ctrl-C.

use super::Context;
use crate::error::Result;
use crate::server::{self, Desk, Options};
use std::net::{IpAddr, SocketAddr};
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The address to listen on; anything but loopback needs --token.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// The port (0 picks a free one).
    #[arg(long, default_value_t = 8787)]
    pub port: u16,
    /// An access token every request must carry (as `Authorization: Bearer TOKEN`, or once as
    /// `?token=TOKEN` in a browser).
    #[arg(long, env = "NEWSFOLD_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
}

/// Serve the store at `db` until interrupted, telling the user where.
pub fn serve(db: &Path, ctx: &Context, args: &Args) -> Result<()> {
    let (desk, note) = Desk::open_noting(db, &ctx.config)?;
    if let Some(note) = note {
        if !ctx.quiet {
            eprintln!("{note}");
        }
    }
    let opts = Options {
        addr: SocketAddr::new(args.bind, args.port),
        token: args.token.clone(),
        until_interrupted: true,
    };
    let running = server::start(desk, &opts)?;
    // A wildcard address is opened in a browser as localhost.
    let url = if args.bind.is_unspecified() {
        format!("http://localhost:{}/", running.addr.port())
    } else {
        running.url()
    };
    match &opts.token {
        Some(_) => println!("The desk is at {url}?token=<your token>  (Ctrl-C stops it)"),
        None => println!("The desk is at {url}  (Ctrl-C stops it)"),
    }
    running.wait()
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    serve(&ctx.db, ctx, &args)?;
    Ok(ExitCode::SUCCESS)
}
