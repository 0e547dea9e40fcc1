//! `esafety canonicalize [--json] URL...`
//!
//! Prints each URL in Safe Browsing canonical form, one per line; with
//! `--json`, one object per input: `{"input", "canonical", "expressions"}`,
//! or `{"input", "error"}` for an input that is not a URL. An input that is
//! not a URL is reported (on standard error in plain mode, as an
//! `{"input", "error"}` object on standard output with `--json`), the other
//! inputs are still processed, and the command exits with 1 at the end:
//! the input was understood and found wanting.

use std::ffi::OsString;
use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use anyhow::Context;
use esafety::policy::echo_prefix;
use esafety::url::{CanonicalUrl, CanonicalizeFailure, CanonicalizeReport};

use crate::input::Input;

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
    /// URLs to canonicalize, as bytes (none: one per line on standard input).
    urls: Vec<OsString>,
}

pub(crate) fn run(args: Args) -> anyhow::Result<ExitCode> {
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(crate::input::WRITE_BUFFER, stdout.lock());
    let mut failed = 0usize;
    let json = args.json;
    crate::input::for_each_input(args.urls, &mut out, |input, out| {
        let failure = match input {
            Input::Url(input) => match CanonicalUrl::parse(input) {
                Ok(url) => {
                    if json {
                        let report = CanonicalizeReport::new(input, &url);
                        serde_json::to_writer(&mut *out, &report)
                            .context("writing standard output")?;
                        writeln!(out).context("writing standard output")?;
                    } else {
                        // The plain line needs no report (no copies, no
                        // expressions).
                        out.write_all(url.as_str().as_bytes())
                            .and_then(|()| out.write_all(b"\n"))
                            .context("writing standard output")?;
                    }
                    return Ok(());
                }
                Err(err) => CanonicalizeFailure {
                    input: echo_prefix(input).into_owned(),
                    error: err.to_string(),
                },
            },
            Input::TooLong(line) => CanonicalizeFailure {
                input: echo_prefix(line.prefix).into_owned(),
                error: line.to_string(),
            },
        };
        failed += 1;
        if json {
            serde_json::to_writer(&mut *out, &failure).context("writing standard output")?;
            writeln!(out).context("writing standard output")?;
        } else {
            // Keep stdout and stderr in order for a reader of both.
            out.flush().context("writing standard output")?;
            eprintln!("esafety: `{}`: {}", failure.input, failure.error);
        }
        Ok(())
    })?;
    out.flush().context("writing standard output")?;
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
