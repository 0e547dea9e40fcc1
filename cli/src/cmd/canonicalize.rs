//! `esafety canonicalize [--json] URL...`
//!
//! Prints each URL in Safe Browsing canonical form, one per line; with
//! `--json`, one object per input: `{"input", "canonical", "expressions"}`,
//! or `{"input", "error"}` for an input that is not a URL. An input that is
//! not a URL is reported (on standard error in plain mode, as an
//! `{"input", "error"}` object on standard output with `--json`), the other
//! inputs are still processed, and the command exits with 1 at the end:
//! the input was understood and found wanting.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use anyhow::Context;
use esafety::url::CanonicalizeReport;

/// Arguments of `esafety canonicalize`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Exit status: 0 when every input is a URL; 1 when some input is not \
                  (it is reported and the others are still printed); 2 on bad usage or \
                  unreadable input."
)]
pub(crate) struct Args {
    /// Print one JSON object per URL: {"input", "canonical", "expressions"},
    /// or {"input", "error"} for an input that is not a URL.
    #[arg(long)]
    json: bool,
    /// URLs to canonicalize (none: one per line on standard input).
    urls: Vec<String>,
}

pub(crate) fn run(args: Args) -> anyhow::Result<ExitCode> {
    let inputs = crate::input::lines_or_stdin(args.urls)?;
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut failed = 0usize;
    for input in &inputs {
        match CanonicalizeReport::from_input(input) {
            Ok(report) if args.json => {
                serde_json::to_writer(&mut out, &report).context("writing standard output")?;
                writeln!(out).context("writing standard output")?;
            }
            Ok(report) => {
                writeln!(out, "{}", report.canonical).context("writing standard output")?
            }
            Err(failure) => {
                failed += 1;
                if args.json {
                    serde_json::to_writer(&mut out, &failure).context("writing standard output")?;
                    writeln!(out).context("writing standard output")?;
                } else {
                    // Keep stdout and stderr in order for a reader of both.
                    out.flush().context("writing standard output")?;
                    eprintln!("esafety: `{}`: {}", failure.input, failure.error);
                }
            }
        }
    }
    out.flush().context("writing standard output")?;
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
