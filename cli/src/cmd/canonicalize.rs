//! `esafety canonicalize [--json] URL...`

use std::process::ExitCode;

/// Arguments of `esafety canonicalize`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// Print one JSON object per URL.
    #[arg(long)]
    json: bool,
    /// URLs to canonicalize (none: one per line on standard input).
    urls: Vec<String>,
}

pub(crate) fn run(args: Args) -> anyhow::Result<ExitCode> {
    let inputs = crate::input::lines_or_stdin(args.urls)?;
    let _ = (inputs, args.json);
    anyhow::bail!("canonicalize is being built")
}
