//! `esafety check --policy POLICY [--bundle BUNDLE] [--group G] [--age N]
//! [--device managed|byod] [--at RFC3339] [--json] [URL...]`
//!
//! Classifies each URL (arguments, else one per line on standard input)
//! and decides it under the policy. All the deciding is
//! [`esafety::policy::Engine`]; this file reads files and prints.

use std::io::{self, Write};
use std::process::ExitCode;

/// Arguments of `esafety check`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    #[command(flatten)]
    engine: crate::input::EngineArgs,
    #[command(flatten)]
    user: crate::input::UserArgs,
    /// When the request is made, RFC 3339 (default: now).
    #[arg(long, value_name = "RFC3339", value_parser = crate::input::parse_time)]
    at: Option<jiff::Timestamp>,
    /// Print one JSON object per URL.
    #[arg(long)]
    json: bool,
    /// URLs to check (none: one per line on standard input).
    urls: Vec<String>,
}

pub(crate) fn run(args: Args) -> anyhow::Result<ExitCode> {
    let engine = args.engine.load()?;
    let context = args
        .user
        .context(args.at.unwrap_or_else(jiff::Timestamp::now));
    let inputs = crate::input::lines_or_stdin(args.urls)?;
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut bad = false;
    for input in &inputs {
        match engine.check(input, context) {
            Ok(report) => {
                if args.json {
                    serde_json::to_writer(&mut out, &report)?;
                    writeln!(out)?;
                } else {
                    write!(
                        out,
                        "{}\t{}\t{}\t{}",
                        report.action,
                        report.canonical,
                        report.rule,
                        report.categories.join(",")
                    )?;
                    if let Some(safe) = &report.safe_search {
                        write!(out, "\tsafe-search: {safe}")?;
                    }
                    writeln!(out)?;
                }
            }
            Err(e) => {
                out.flush()?;
                eprintln!(
                    "esafety: `{}`: {e}",
                    input.chars().take(100).collect::<String>()
                );
                bad = true;
            }
        }
    }
    out.flush()?;
    Ok(if bad {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}
